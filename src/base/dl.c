/* Shared libraries opened on first use (see dl.h). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "base/dl.h"

int ward_dl_load(const char *soname, const struct ward_dl_sym *syms, size_t n,
		 void *table, const char **why)
{
	static char missing[160];
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		const char *e = dlerror();

		*why = e ? e : "dlopen failed";
		return -ENOENT;
	}
	for (size_t i = 0; i < n; i++) {
		void *sym = dlsym(lib, syms[i].name);

		if (!sym) {
			snprintf(missing, sizeof(missing), "no symbol %s", syms[i].name);
			*why = missing;
			dlclose(lib);
			return -ENOENT;
		}
		/* A function pointer stored through its bytes: dlsym returns
		 * void *, and POSIX guarantees the conversion. */
		*(void **)((char *)table + syms[i].offset) = sym;
	}
	return 0;
}
