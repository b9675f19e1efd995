/* A per-user cache of built seccomp filters.
 *
 * Building a filter from a policy file, a Docker profile or a profile's
 * seccomp-* additions takes libseccomp 2 to 4 ms, more than the rest of
 * ward's parent-side work.  The built-in policies are precompiled into
 * the binary; everything else is built once and kept as exported BPF in
 * a cache directory:
 *
 *   $WARD_CACHE_DIR/seccomp/     when WARD_CACHE_DIR is set ("off": no cache)
 *   /var/cache/ward/seccomp/     for root; no cache for others by default
 *
 * Sandboxes must not be able to write it: a root launch's sandbox runs
 * as a host uid that is not root, and a read-write bind that would
 * expose the cache directory is refused (ward_seccomp_cache_exposed).
 *
 * An entry is used only when the directory is the caller's own and
 * private (owned by the effective uid, no group or other bits), the
 * entry is a regular file of the caller's, mode 0600, one link, of a
 * sane size, and it starts with the exact recipe the filter would be
 * built from now: ward's build id, the libseccomp version and API
 * level, the kernel's release and seccomp actions, the mode, the full
 * text of the policy or Docker profile, the additions and the kept
 * capabilities.  The program's checksum is checked too, and the kernel
 * validates the program again when it loads it.  Anything else means a
 * fresh build, which then replaces the entry (written to a temporary
 * file, renamed into place).  The cache never decides whether a launch
 * goes ahead, only how fast its filter is ready.
 *
 * Looking up only reads, so a plan does it when it is finished (for
 * ward check and export too); creating the directory and storing an
 * entry happen only for a launch, in ward_launch_prepare. */
#ifndef WARD_SECCOMP_CACHE_H
#define WARD_SECCOMP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/filter.h>

#include "base/err.h"
#include "seccomp/seccomp.h"

enum ward_seccomp_cache_use {
	WARD_SECCOMP_CACHE_NONE = 0, /* not consulted: built-in, or off */
	WARD_SECCOMP_CACHE_HIT,      /* the program came from the cache */
	WARD_SECCOMP_CACHE_STORED,   /* built now and stored */
	WARD_SECCOMP_CACHE_UNUSABLE, /* built now; the cache could not be used */
	WARD_SECCOMP_CACHE_MISS,     /* built now, not stored yet: for
				      * ward_seccomp_cache_store */
};

/* Pure (reads only): @src's filter, from the cache when it holds a valid
 * entry, else built now; nothing is created or written.  *use says
 * which: NONE, HIT, UNUSABLE, or MISS, when *recipe (heap memory, *rlen
 * bytes) is what ward_seccomp_cache_store keeps the program under.
 * Errors: the build's. */
int ward_seccomp_cache_lookup(const struct ward_seccomp_source *src,
			      struct sock_fprog *out,
			      enum ward_seccomp_cache_use *use, char **recipe,
			      size_t *rlen, struct ward_err *err);

/* The effect: create the cache directory if it is missing and store
 * @prog under @recipe (both from ward_seccomp_cache_lookup).  STORED, or
 * UNUSABLE when the directory or the entry cannot be had; the cache
 * never stops a launch. */
enum ward_seccomp_cache_use ward_seccomp_cache_store(const char *recipe,
						     size_t rlen,
						     const struct sock_fprog *prog);

/* Build @src's filter like ward_seccomp_build_src, through the cache:
 * the lookup, then the store on a miss.  *use says what happened (never
 * MISS).  Errors: the build's. */
int ward_seccomp_build_cached(const struct ward_seccomp_source *src,
			      struct sock_fprog *out,
			      enum ward_seccomp_cache_use *use,
			      struct ward_err *err);

/* The cache directory in @buf, or -1 when there is none (WARD_CACHE_DIR
 * is "off" or relative, or unset for a caller who is not root). */
int ward_seccomp_cache_dir(char *buf, size_t len);

/* True when @path (canonical) is the cache directory, inside it, or
 * holds it: a read-write bind of it would let the program plant filters. */
bool ward_seccomp_cache_exposed(const char *path);

/* Pure: the recipe (see above) for @src whose policy or profile text is
 * @text (@len bytes; NULL for the built-in modes), in heap memory.
 * @identity is the build id and environment line block. */
char *ward_seccomp_cache_recipe(const struct ward_seccomp_source *src,
				const char *identity, const char *text,
				size_t len, size_t *out_len);

/* Low level, for tests: look up / store the program for @recipe in the
 * open directory @dfd.  get returns 0 and fills @out (heap memory) only
 * for an entry that passes every check above; put returns 0 or -errno. */
int ward_seccomp_cache_get(int dfd, const char *recipe, size_t rlen,
			   struct sock_fprog *out);
int ward_seccomp_cache_put(int dfd, const char *recipe, size_t rlen,
			   const struct sock_fprog *prog);

/* Pure: the program of the entry @buf (@size bytes) if it starts with
 * @recipe and its "bpf COUNT CHECKSUM" line and program agree; 0 and
 * @out filled (heap memory), or -1. */
int ward_seccomp_cache_parse(const char *buf, size_t size, const char *recipe,
			     size_t rlen, struct sock_fprog *out);

/* The file name of @recipe's entry ("<hash>.bpf") in @buf. */
void ward_seccomp_cache_name(const char *recipe, size_t rlen, char *buf,
			     size_t len);

#endif
