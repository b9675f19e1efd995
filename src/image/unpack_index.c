/* The unpacker's path index: paths to records, open addressing. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/unpack_int.h"

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return (size_t)(h ^ (h >> 29));
}

struct upath *uindex_find(const struct uindex *ix, const char *path)
{
	size_t mask = ix->nslots - 1;

	if (!ix->nslots)
		return NULL;
	for (size_t i = hash(path) & mask;; i = (i + 1) & mask) {
		uint32_t s = ix->slots[i];

		if (!s)
			return NULL;
		if (strcmp(ix->arena + ix->v[s - 1].path, path) == 0)
			return &ix->v[s - 1];
	}
}

static int rehash(struct uindex *ix)
{
	size_t n = ix->nslots ? ix->nslots * 2 : 1024;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t k = 0; k < ix->n; k++) {
		size_t j = hash(ix->arena + ix->v[k].path) & (n - 1);

		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = (uint32_t)k + 1;
	}
	free(ix->slots);
	ix->slots = slots;
	ix->nslots = n;
	return 0;
}

static int reserve(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 256;
	void *np;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	np = reallocarray(*p, n, size);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = n;
	return 0;
}

struct upath *uindex_put(struct uindex *ix, const char *path)
{
	struct upath *p = uindex_find(ix, path);
	size_t len = strlen(path) + 1, mask;

	if (p)
		return p;
	if (ix->n >= UINT32_MAX - 1 ||
	    reserve((void **)&ix->arena, &ix->arena_cap, ix->arena_len + len, 1) < 0 ||
	    reserve((void **)&ix->v, &ix->cap, ix->n + 1, sizeof(*ix->v)) < 0)
		return NULL;
	if ((ix->n + 1) * 2 > ix->nslots && rehash(ix) < 0)
		return NULL;
	p = &ix->v[ix->n];
	memset(p, 0, sizeof(*p));
	p->path = ix->arena_len;
	memcpy(ix->arena + ix->arena_len, path, len);
	ix->arena_len += len;
	mask = ix->nslots - 1;
	for (size_t j = hash(path) & mask;; j = (j + 1) & mask)
		if (!ix->slots[j]) {
			ix->slots[j] = (uint32_t)ix->n + 1;
			break;
		}
	ix->n++;
	return p;
}

void uindex_clear(struct uindex *ix)
{
	if (ix->slots)
		memset(ix->slots, 0, ix->nslots * sizeof(*ix->slots));
	ix->n = 0;
	ix->arena_len = 0;
}

void uindex_free(struct uindex *ix)
{
	free(ix->arena);
	free(ix->v);
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}
