/* Capabilities: name resolution (parent), trimming and verification
 * (child).  Every set ends up equal to the plan's keep mask: bounding,
 * permitted, effective, inheritable and ambient (a kept capability must
 * be ambient to survive execve as a non-root uid, and ambient requires
 * inheritable).  Nothing is trusted until read back from the kernel. */
#ifndef WARD_CAPS_H
#define WARD_CAPS_H

#include <stdint.h>
#include <stddef.h>

#include "base/err.h"

struct ward_capsets {
	uint64_t inh, prm, eff, bnd, amb;
};

/* Resolve "NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE" or
 * "net_bind_service".  Returns the capability number or -EINVAL. */
int ward_caps_from_name(const char *name);

/* Parse a comma-separated list into a bit mask; on error *bad points at
 * the offending name's offset in @list.  Returns 0 or -EINVAL. */
int ward_caps_parse_list(const char *list, uint64_t *mask, size_t *bad);

/* The capability name nearest to the mistyped @name (up to a comma),
 * upper case, into @out: 0, or -ENOENT when none is close. */
int ward_caps_suggest(const char *name, char *out, size_t len);

/* Format @mask as "cap_a,cap_b" (or "none"). */
void ward_caps_format(uint64_t mask, char *buf, size_t len);

/* Pure: parse the Cap* lines of a /proc/<pid>/status text. */
int ward_caps_parse_status(const char *text, struct ward_capsets *out);

/* Child, while still privileged in the user namespace: shrink the
 * bounding set to @keep and lock the securebits (NOROOT and
 * NO_SETUID_FIXUP, so the uid change keeps the capabilities ward still
 * needs and no later exec regains any; NO_CAP_AMBIENT_RAISE when nothing
 * is kept).  Errors: WARD_STEP_CAPS. */
int ward_caps_drop_bounding(uint64_t keep, struct ward_err *err);

/* Child, after the uid/gid change: set permitted, effective, inheritable
 * and ambient to @keep.  Errors: WARD_STEP_CAPS. */
int ward_caps_trim(uint64_t keep, struct ward_err *err);

/* Child: read every set back from /proc/self/status and the securebits
 * from prctl; any difference from @keep is an error (WARD_STEP_VERIFY). */
int ward_caps_verify(uint64_t keep, struct ward_err *err);

/* Read every set of the calling thread from /proc/self/status. */
int ward_caps_read_self(struct ward_capsets *out, struct ward_err *err);

/* Entrypoint mode started as a non-root user: the bounding set cannot be
 * changed (no CAP_SETPCAP), so only inheritable, permitted, effective and
 * ambient are checked, all empty (WARD_STEP_VERIFY). */
int ward_caps_verify_unprivileged(struct ward_err *err);

#endif
