/* The host id reserved for the default sandbox user: one "ward" entry
 * in /etc/subuid and /etc/subgid (subuid(5)), as podman and Docker's
 * userns-remap reserve theirs, and no /etc/passwd or /etc/group entry.
 * A root launch without --user maps the sandbox user onto it, so no host
 * account (the host's nobody among them) owns the sandboxed program. */
#ifndef WARD_SUBID_H
#define WARD_SUBID_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WARD_SUBID_NAME "ward"
#define WARD_SUBUID_FILE "/etc/subuid"
#define WARD_SUBGID_FILE "/etc/subgid"

/* Where `ward reserve-id` starts looking: the first id after systemd's
 * container range (524288-1879048191, systemd's UIDS-GIDS.md), far above
 * useradd's subordinate ranges (SUB_UID_MAX 600100000) and below its
 * foreign-image range (from 2147352576). */
#define WARD_SUBID_BASE 1879048192u
#define WARD_SUBID_LIMIT 2147352576u

/* The one line of a subordinate-id file naming @name. */
struct ward_subid {
	uint32_t start;
	uint32_t count;
	unsigned line; /* 1-based; 0 when absent */
};

/* Pure: find the entry of @name in subuid(5)-format @buf[len] (no NUL
 * needed).  Returns 0, -ENOENT when absent, -EINVAL when a line
 * cannot be read, the entry's or another owner's (*bad_line set), -EEXIST when another line's range overlaps
 * the entry's (*bad_line set to that line): an id shared with another
 * owner is no reservation. */
int ward_subid_find(const char *buf, size_t len, const char *name,
		    struct ward_subid *out, unsigned *bad_line);

/* Pure: the lowest id >= @from and < WARD_SUBID_LIMIT that no range of
 * @a[alen] nor of @b[blen] covers.  Returns 0 or -ENOSPC (or -EINVAL for
 * a line that cannot be read: it could cover an id). */
int ward_subid_first_free(const char *a, size_t alen, const char *b,
			  size_t blen, uint32_t from, uint32_t *id);

/* Read the reserved host uid and gid (the first id of each entry), from
 * root-owned files that others cannot write.  Errors name the file and
 * the command that fixes them. */
int ward_subid_reserved(uint32_t *uid, uint32_t *gid, struct ward_err *err);

#endif
