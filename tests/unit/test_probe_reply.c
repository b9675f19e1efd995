/* engine/probe_reply.c: the questions ward puts to a socket in
 * entrypoint mode, byte for byte, and how the answers are read. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "engine/probe_reply.h"

#define S(x) (x), (sizeof(x) - 1)

/* As dockerd 20.10 answers (podman's adds Libpod-Api-Version). */
static const char docker_ping[] =
	"HTTP/1.0 200 OK\r\nApi-Version: 1.41\r\nCache-Control: no-cache, no-store, must-revalidate\r\n"
	"Docker-Experimental: false\r\nOstype: linux\r\nPragma: no-cache\r\n"
	"Server: Docker/20.10.24+dfsg1 (linux)\r\nDate: Mon, 07 Dec 2026 05:00:00 GMT\r\n"
	"Content-Length: 2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOK";
static const char podman_ping[] =
	"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nBuildkit-Version: \r\nCache-Control: no-cache\r\n"
	"Libpod-Api-Version: 4.3.1\r\nLibpod-Buildah-Version: 1.28.2\r\nPragma: no-cache\r\n"
	"Server: Libpod/4.3.1 (linux)\r\nContent-Length: 2\r\n\r\nOK";

static void test_questions(void **state)
{
	static const uint8_t h2[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

	assert_int_equal(ward_probe_ping_len, strlen("GET /_ping HTTP/1.0\r\nHost: ward\r\n\r\n"));
	assert_memory_equal(ward_probe_ping, "GET /_ping HTTP/1.0\r\nHost: ward\r\n\r\n",
			    ward_probe_ping_len);
	assert_int_equal(ward_probe_h2_len, 24 + 9);
	assert_memory_equal(ward_probe_h2, h2, 24);
	assert_memory_equal(ward_probe_h2 + 24, "\0\0\0\x04\0\0\0\0\0", 9);
}

static void test_ping(void **state)
{
	assert_int_equal(ward_reply_ping(S(docker_ping)), WARD_REPLY_DOCKER);
	assert_int_equal(ward_reply_ping(S(podman_ping)), WARD_REPLY_DOCKER);
	assert_int_equal(ward_reply_ping(S("HTTP/1.1 200 OK\r\napi-version:1.44\r\n\r\nOK")),
			 WARD_REPLY_DOCKER);
	assert_int_equal(ward_reply_ping("", 0), WARD_REPLY_SILENT);
	/* not Docker: no Api-Version, another status, another body, cut short */
	assert_int_equal(ward_reply_ping(S("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nOK")),
			 WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_ping(S("HTTP/1.1 404 Not Found\r\nApi-Version: 1\r\n\r\nOK")),
			 WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_ping(S("HTTP/1.1 2000\r\nApi-Version: 1\r\n\r\nOK")),
			 WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_ping(S("HTTP/1.1 200 OK\r\nApi-Version: 1\r\n\r\nhello")),
			 WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_ping(S("HTTP/1.1 200 OK\r\nApi-Version: 1\r\n")),
			 WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_ping(S("HTTP/1.1 200 OK\r\nApi-Version:  \r\n\r\nOK")),
			 WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_ping(S("X-Api-Version: 1\r\n\r\nOK")), WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_ping(S("hello\n")), WARD_REPLY_OTHER);
}

static void test_h2(void **state)
{
	/* grpc-go's first frame: SETTINGS with one setting (6 bytes) */
	static const uint8_t grpc[] = {0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0x40, 0};
	static const uint8_t empty[] = {0, 0, 0, 4, 0, 0, 0, 0, 0};
	static const uint8_t ack[] = {0, 0, 0, 4, 1, 0, 0, 0, 0};
	static const uint8_t stream1[] = {0, 0, 0, 4, 0, 0, 0, 0, 1};
	static const uint8_t odd[] = {0, 0, 5, 4, 0, 0, 0, 0, 0};
	static const uint8_t goaway[] = {0, 0, 8, 7, 0, 0, 0, 0, 0};

	assert_int_equal(ward_reply_h2(grpc, sizeof(grpc)), WARD_REPLY_HTTP2);
	assert_int_equal(ward_reply_h2(empty, sizeof(empty)), WARD_REPLY_HTTP2);
	assert_int_equal(ward_reply_h2(empty, 0), WARD_REPLY_SILENT);
	assert_int_equal(ward_reply_h2(empty, 8), WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_h2(ack, sizeof(ack)), WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_h2(stream1, sizeof(stream1)), WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_h2(odd, sizeof(odd)), WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_h2(goaway, sizeof(goaway)), WARD_REPLY_OTHER);
	assert_int_equal(ward_reply_h2((const uint8_t *)"HTTP/1.1 400 Bad Request\r\n", 26),
			 WARD_REPLY_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_questions),
		cmocka_unit_test(test_ping),
		cmocka_unit_test(test_h2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
