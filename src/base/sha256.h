/* SHA-256 (FIPS 180-4) in plain C.  Pure: no syscalls.
 *
 * For the few small inputs of a warm start (the image cache's source key
 * and its config.json: image/store.h), which must not load a library;
 * the image reader's blobs and layers go through nettle
 * (image/nettle_dl.h), loaded with libarchive on a cold start. */
#ifndef WARD_SHA256_H
#define WARD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define WARD_SHA256_LEN 32
#define WARD_SHA256_HEX (2 * WARD_SHA256_LEN + 1)

struct ward_sha256_sw {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
};

void ward_sha256_sw_init(struct ward_sha256_sw *s);
void ward_sha256_sw_update(struct ward_sha256_sw *s, const void *data, size_t len);
void ward_sha256_sw_final(struct ward_sha256_sw *s, unsigned char out[WARD_SHA256_LEN]);

/* The digest of @len bytes at @data as 64 lowercase hex digits. */
void ward_sha256_hex(const void *data, size_t len, char out[WARD_SHA256_HEX]);

#endif
