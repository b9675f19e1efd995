/* nettle's SHA-256, loaded on first use (see nettle_dl.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/dl.h"
#include "image/nettle_dl.h"

#ifndef WARD_NETTLE_SONAME
#define WARD_NETTLE_SONAME "libnettle.so.8"
#endif

struct fns {
	void (*init)(struct sha256_ctx *);
	void (*update)(struct sha256_ctx *, size_t, const uint8_t *);
	void (*digest)(struct sha256_ctx *, size_t, uint8_t *);
};

static struct fns fns;

static const struct ward_dl_sym symbols[] = {
	{"nettle_sha256_init", offsetof(struct fns, init)},
	{"nettle_sha256_update", offsetof(struct fns, update)},
	{"nettle_sha256_digest", offsetof(struct fns, digest)},
};

int ward_nettle_load(struct ward_err *err)
{
	static bool loaded;
	const char *why;

	if (loaded)
		return 0;
	if (ward_dl_load(WARD_NETTLE_SONAME, symbols, sizeof(symbols) / sizeof(symbols[0]),
			 &fns, &why) < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
				    "cannot load %s (apt-get install libnettle8): %s",
				    WARD_NETTLE_SONAME, why);
	loaded = true;
	return 0;
}

void ward_sha256_init(struct ward_sha256 *h)
{
	fns.init(&h->ctx);
}

void ward_sha256_update(struct ward_sha256 *h, const void *buf, size_t len)
{
	if (len)
		fns.update(&h->ctx, len, buf);
}

void ward_sha256_text(struct ward_sha256 *h, char out[WARD_SHA256_TEXT])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_SIZE];
	char *p = out;

	fns.digest(&h->ctx, sizeof(d), d);
	p += snprintf(out, WARD_SHA256_TEXT, "sha256:");
	for (size_t i = 0; i < sizeof(d); i++) {
		*p++ = hex[d[i] >> 4];
		*p++ = hex[d[i] & 15];
	}
	*p = '\0';
}
