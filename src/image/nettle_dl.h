/* SHA-256 for the image digests, from nettle, loaded on first use.
 *
 * libarchive already pulls libnettle.so.8 into the process (it is one of
 * its own dependencies), so the digests cost no further library: nettle's
 * sha256 uses the CPU's SHA extensions where there are some, and it is a
 * well-kept Debian library instead of hashing code of ward's own.  Like
 * libarchive (archive_dl.h) it is reached through a table filled by
 * dlopen, so that a warm `ward run` never loads it. */
#ifndef WARD_NETTLE_DL_H
#define WARD_NETTLE_DL_H

#include <stddef.h>
#include <nettle/sha2.h>

#include "base/err.h"

/* "sha256:" + 64 hex digits + NUL */
#define WARD_SHA256_TEXT 72

struct ward_sha256 {
	struct sha256_ctx ctx;
};

/* Load nettle (once); 0, or an error naming the library or the missing
 * symbol (WARD_STEP_IMAGE). */
int ward_nettle_load(struct ward_err *err);

/* After ward_nettle_load(): */
void ward_sha256_init(struct ward_sha256 *h);
void ward_sha256_update(struct ward_sha256 *h, const void *buf, size_t len);
/* "sha256:<64 lowercase hex>" into @out; @h must be initialised again
 * before further use. */
void ward_sha256_text(struct ward_sha256 *h, char out[WARD_SHA256_TEXT]);

#endif
