/* The questions put to a socket in entrypoint mode and how the answers
 * are read (see probe_reply.h). */
#define _GNU_SOURCE
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "engine/probe_reply.h"

const char ward_probe_ping[] = "GET /_ping HTTP/1.0\r\nHost: ward\r\n\r\n";
const size_t ward_probe_ping_len = sizeof(ward_probe_ping) - 1;

/* RFC 9113 3.4: the client connection preface, then a SETTINGS frame
 * (here empty: length 0, type 0x4, flags 0, stream 0). */
const uint8_t ward_probe_h2[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
				"\x00\x00\x00\x04\x00\x00\x00\x00\x00";
const size_t ward_probe_h2_len = sizeof(ward_probe_h2) - 1;

#define H2_SETTINGS 0x4
#define H2_FLAG_ACK 0x1
#define H2_FRAME_HEADER 9

/* The line starting at @p (within @end), its length without CRLF, and
 * where the next starts; NULL when no CRLF ends it. */
static const char *next_line(const char *p, const char *end, size_t *len)
{
	const char *cr = memmem(p, (size_t)(end - p), "\r\n", 2);

	if (!cr)
		return NULL;
	*len = (size_t)(cr - p);
	return cr + 2;
}

/* "HTTP/1.0 200 ..." or "HTTP/1.1 200 ...". */
static bool status_ok(const char *line, size_t len)
{
	return len >= 12 && (memcmp(line, "HTTP/1.0 200", 12) == 0 ||
			     memcmp(line, "HTTP/1.1 200", 12) == 0) &&
	       (len == 12 || line[12] == ' ');
}

/* A header line named Api-Version (any case) with a value. */
static bool api_version(const char *line, size_t len)
{
	static const char name[] = "Api-Version:";
	size_t n = sizeof(name) - 1;

	if (len <= n || strncasecmp(line, name, n) != 0)
		return false;
	for (size_t i = n; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return true;
	return false;
}

enum ward_reply ward_reply_ping(const char *buf, size_t len)
{
	const char *end = buf + len, *p = buf, *next;
	bool versioned = false;
	size_t n = 0;

	if (len == 0)
		return WARD_REPLY_SILENT;
	if (!(next = next_line(p, end, &n)) || !status_ok(p, n))
		return WARD_REPLY_OTHER;
	for (p = next; (next = next_line(p, end, &n)) && n > 0; p = next)
		versioned |= api_version(p, n);
	if (!next || !versioned) /* headers cut short, or no Api-Version */
		return WARD_REPLY_OTHER;
	return (size_t)(end - next) >= 2 && memcmp(next, "OK", 2) == 0 ?
	       WARD_REPLY_DOCKER : WARD_REPLY_OTHER;
}

enum ward_reply ward_reply_h2(const uint8_t *buf, size_t len)
{
	uint32_t length, stream;

	if (len == 0)
		return WARD_REPLY_SILENT;
	if (len < H2_FRAME_HEADER)
		return WARD_REPLY_OTHER;
	length = (uint32_t)buf[0] << 16 | (uint32_t)buf[1] << 8 | buf[2];
	stream = ((uint32_t)buf[5] << 24 | (uint32_t)buf[6] << 16 |
		  (uint32_t)buf[7] << 8 | buf[8]) & 0x7fffffffu;
	if (buf[3] != H2_SETTINGS || (buf[4] & H2_FLAG_ACK) || stream != 0 ||
	    length % 6 != 0)
		return WARD_REPLY_OTHER;
	return WARD_REPLY_HTTP2;
}

const char *ward_reply_name(enum ward_reply r)
{
	switch (r) {
	case WARD_REPLY_SILENT: return "silent";
	case WARD_REPLY_OTHER: return "something else";
	case WARD_REPLY_DOCKER: return "Docker's /_ping (200, Api-Version, OK)";
	case WARD_REPLY_HTTP2: return "an HTTP/2 SETTINGS frame (a gRPC server)";
	}
	return "?";
}
