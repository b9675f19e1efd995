/* nettle's SHA-256, loaded on first use (see nettle_dl.h). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "image/nettle_dl.h"

#ifndef WARD_NETTLE_SONAME
#define WARD_NETTLE_SONAME "libnettle.so.8"
#endif

static struct {
	void (*init)(struct sha256_ctx *);
	void (*update)(struct sha256_ctx *, size_t, const uint8_t *);
	void (*digest)(struct sha256_ctx *, size_t, uint8_t *);
} fns;

static const struct {
	const char *name;
	void **slot;
} symbols[] = {
	{"nettle_sha256_init", (void **)&fns.init},
	{"nettle_sha256_update", (void **)&fns.update},
	{"nettle_sha256_digest", (void **)&fns.digest},
};

int ward_nettle_load(struct ward_err *err)
{
	static void *lib;

	if (lib)
		return 0;
	lib = dlopen(WARD_NETTLE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
				    "cannot load %s (apt-get install libnettle8): %s",
				    WARD_NETTLE_SONAME, dlerror());
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *sym = dlsym(lib, symbols[i].name);

		if (!sym) {
			dlclose(lib);
			lib = NULL;
			return ward_err_set(err, WARD_STEP_IMAGE, ENOENT, "%s: no symbol %s",
					    WARD_NETTLE_SONAME, symbols[i].name);
		}
		/* POSIX: dlsym's void * converts to a function pointer */
		*symbols[i].slot = sym;
	}
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
