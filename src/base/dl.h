/* Shared libraries opened on first use.  ward links only what every
 * launch needs; libarchive and nettle (reading an image) and libseccomp
 * (building a filter at run time) are opened when first called, so a
 * launch that needs none of them never loads or relocates them. */
#ifndef WARD_BASE_DL_H
#define WARD_BASE_DL_H

#include <stddef.h>

/* One function of a library: its name, and where its pointer goes in the
 * caller's table of function pointers (offsetof). */
struct ward_dl_sym {
	const char *name;
	size_t offset;
};

/* dlopen @soname (RTLD_NOW | RTLD_LOCAL) and store each of @syms[@n] in
 * @table.  0, or -ENOENT with *why set (dlerror's text, or "no symbol
 * NAME"; valid until the next call) and nothing left open, @table then
 * partly filled and not to be used. */
int ward_dl_load(const char *soname, const struct ward_dl_sym *syms, size_t n,
		 void *table, const char **why);

#endif
