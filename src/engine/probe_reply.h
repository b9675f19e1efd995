/* Entrypoint mode asks a socket found in a mount whether it is a
 * container engine's API (launch/entrypoint_sockets.c): these are the two
 * questions, byte for byte, and how the answers are read.  Pure.
 *
 *   1. "GET /_ping HTTP/1.0\r\nHost: ward\r\n\r\n" on a fresh connection:
 *      Docker and podman answer "HTTP/1.x 200" with an Api-Version header
 *      and the body "OK".
 *   2. On another fresh connection, the HTTP/2 client connection preface
 *      ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") followed by an empty SETTINGS
 *      frame (nine bytes: length 0, type 4, flags 0, stream 0): gRPC
 *      servers (containerd, CRI-O, BuildKit) answer with a SETTINGS frame
 *      of their own, the HTTP/2 server preface. */
#ifndef WARD_ENGINE_PROBE_REPLY_H
#define WARD_ENGINE_PROBE_REPLY_H

#include <stddef.h>
#include <stdint.h>

enum ward_reply {
	WARD_REPLY_SILENT = 0, /* not a byte (timeout or closed) */
	WARD_REPLY_OTHER,      /* something, but not an engine's answer */
	WARD_REPLY_DOCKER,     /* /_ping: 200, Api-Version, "OK" */
	WARD_REPLY_HTTP2,      /* a SETTINGS frame: an HTTP/2 (gRPC) server */
};

/* The first question and its length. */
extern const char ward_probe_ping[];
extern const size_t ward_probe_ping_len;
/* The second question (binary) and its length. */
extern const uint8_t ward_probe_h2[];
extern const size_t ward_probe_h2_len;

/* How much of an answer is read at most: enough for /_ping's headers. */
#define WARD_PROBE_REPLY_MAX 4096

/* What the first @len bytes of the answer to ward_probe_ping say. */
enum ward_reply ward_reply_ping(const char *buf, size_t len);

/* What the first @len bytes of the answer to ward_probe_h2 say (nine are
 * enough: the frame header). */
enum ward_reply ward_reply_h2(const uint8_t *buf, size_t len);

/* "silent", "something else", "Docker's /_ping", "an HTTP/2 SETTINGS
 * frame". */
const char *ward_reply_name(enum ward_reply r);

#endif
