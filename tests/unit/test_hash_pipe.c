/* hash_pipe.c: SHA-256 in a second thread.
 *
 *   digests     blocks of every size (0, 1, across and exactly a slot, over
 *               the whole ring), interleaved between the two hashes, give
 *               the digests of hashing inline
 *   threads     the thread (named WARD_HASH_THREAD) runs while the pipe
 *               is open; after the join, on the normal and the discard
 *               path, it is gone
 *   discard     a join that discards returns with the ring full and the
 *               thread waiting or busy */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hash_threads.h"

#include "image/hash_pipe.h"


static unsigned char *pattern(size_t len)
{
	unsigned char *b = malloc(len);
	uint32_t x = 2463534242u;

	assert_non_null(b);
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (unsigned char)x;
	}
	return b;
}

static void test_digests(void **state)
{
	static const size_t sizes[] = {0, 1, 63, 64, 4096, 256 << 10, (256 << 10) + 1,
				       (256 << 10) - 1, 3 << 20, 7, 1 << 20, 100000};
	size_t total = 0, at = 0;
	struct ward_sha256 in[2], piped[2];
	char a[WARD_SHA256_TEXT], b[WARD_SHA256_TEXT];
	struct ward_hash_pipe *p;
	struct ward_err err = {0};
	unsigned char *buf;

	(void)state;
	assert_int_equal(ward_nettle_load(&err), 0);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++)
		total += sizes[i];
	buf = pattern(total);
	for (int k = 0; k < 2; k++) {
		ward_sha256_init(&in[k]);
		ward_sha256_init(&piped[k]);
	}
	p = ward_hash_pipe_start(&piped[0], &piped[1]);
	assert_non_null(p);
	assert_int_equal(hash_threads(), 1);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		int which = (i % 3) == 1; /* runs of the same hash, then switches */

		ward_sha256_update(&in[which], buf + at, sizes[i]);
		ward_hash_pipe_feed(p, which, buf + at, sizes[i]);
		at += sizes[i];
	}
	ward_hash_pipe_join(p, false);
	assert_int_equal(hash_threads(), 0);
	for (int k = 0; k < 2; k++) {
		ward_sha256_text(&in[k], a);
		ward_sha256_text(&piped[k], b);
		assert_string_equal(a, b);
	}
	free(buf);
}

static void test_empty(void **state)
{
	struct ward_sha256 h[2];
	char a[WARD_SHA256_TEXT];
	struct ward_hash_pipe *p;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_nettle_load(&err), 0);
	ward_sha256_init(&h[0]);
	ward_sha256_init(&h[1]);
	p = ward_hash_pipe_start(&h[0], &h[1]);
	assert_non_null(p);
	ward_hash_pipe_join(p, false);
	assert_int_equal(hash_threads(), 0);
	ward_sha256_text(&h[1], a);
	assert_string_equal(a, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	ward_hash_pipe_join(NULL, false);
}

static void test_discard(void **state)
{
	size_t len = 16 << 20;
	unsigned char *buf = pattern(len);
	struct ward_sha256 h[2];
	struct ward_hash_pipe *p;

	(void)state;
	for (int round = 0; round < 20; round++) {
		ward_sha256_init(&h[0]);
		ward_sha256_init(&h[1]);
		p = ward_hash_pipe_start(&h[0], &h[1]);
		assert_non_null(p);
		ward_hash_pipe_feed(p, round & 1, buf, len >> (round % 5));
		ward_hash_pipe_join(p, true);
		assert_int_equal(hash_threads(), 0);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digests),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_discard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
