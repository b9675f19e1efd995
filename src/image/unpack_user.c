/* Rootless unpacking: every file of the tree is the caller's, so each
 * one's mode says what the program's user could do with it in the image
 * (pure code; unpack.c applies it).
 *
 * The user is the one ward will run the program as: ids.user or the
 * image's USER, names looked up in the image's own etc/passwd and
 * etc/group, root (0, "root", none) replaced by ward's default user, a
 * numeric uid without a group getting the same number as its gid (as
 * ward run --user does).  Its classes under the original owner, group and
 * mode decide: the owner's bits when it is the owner, else the group's
 * when the file's group is its group or one of its supplementary groups
 * (the group entries that list its name), else the others'. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "image/unpack_int.h"
#include "kernel/userdb.h"

uint32_t ward_unpack_mode_for(uint32_t mode, uid_t owner, gid_t group, uid_t uid,
			      gid_t gid, const gid_t *groups, size_t ngroups)
{
	bool member = group == gid;
	uint32_t bits;

	for (size_t i = 0; i < ngroups && !member; i++)
		member = groups[i] == group;
	if (owner == uid)
		bits = (mode >> 6) & 7;
	else if (member)
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return (bits << 6) | (mode & S_ISVTX);
}

/* The next line of @buf[len] from *pos, split into at most @max colon
 * fields in @copy; false at the end.  Lines too long are skipped. */
static bool next_line(const char *buf, size_t len, size_t *pos, char *copy, size_t cap,
		      char **f, int max, int *n)
{
	while (*pos < len) {
		const char *p = buf + *pos, *nl = memchr(p, '\n', len - *pos);
		size_t l = nl ? (size_t)(nl - p) : len - *pos;

		*pos += l + 1;
		if (l >= cap)
			continue;
		memcpy(copy, p, l);
		copy[l] = '\0';
		*n = ward_split_colon(copy, f, max);
		return true;
	}
	return false;
}

/* The name of the first passwd entry with @uid into @name. */
static bool name_of_uid(const char *passwd, size_t plen, uid_t uid, char *name,
			size_t cap)
{
	char copy[1024], *f[7];
	size_t pos = 0;
	uint32_t v;
	int n;

	while (next_line(passwd, plen, &pos, copy, sizeof(copy), f, 7, &n))
		if (n >= 3 && ward_parse_u32(f[2], &v) == 0 && v == uid) {
			snprintf(name, cap, "%s", f[0]);
			return true;
		}
	return false;
}

static void supplementary(const char *group, size_t glen, const char *name,
			  gid_t *groups, size_t max, size_t *ngroups)
{
	char copy[4096], *f[4];
	size_t pos = 0;
	uint32_t v;
	int n;

	*ngroups = 0;
	while (*ngroups < max &&
	       next_line(group, glen, &pos, copy, sizeof(copy), f, 4, &n)) {
		char *save = NULL;

		if (n < 4 || ward_parse_u32(f[2], &v) != 0)
			continue;
		for (char *m = strtok_r(f[3], ",", &save); m; m = strtok_r(NULL, ",", &save))
			if (strcmp(m, name) == 0) {
				groups[(*ngroups)++] = v;
				break;
			}
	}
}

int ward_unpack_user(const char *spec, const char *passwd, size_t plen,
		     const char *group, size_t glen, uid_t *uid, gid_t *gid,
		     gid_t *groups, size_t max, size_t *ngroups,
		     struct ward_err *err)
{
	char buf[256], name[256] = "", *colon;
	uint32_t v;
	int r;

	*ngroups = 0;
	*uid = *gid = WARD_UNPACK_DEFAULT_ID;
	if (!spec || !*spec)
		return 0;
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "user '%.64s...': too long",
				    spec);
	colon = strchr(buf, ':');
	if (colon)
		*colon++ = '\0';
	if (ward_parse_u32(buf, &v) == 0) {
		if (v == UINT32_MAX)
			return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "user '%s': invalid id", buf);
		*uid = v;
		*gid = v;
		if (!passwd || !name_of_uid(passwd, plen, v, name, sizeof(name)))
			name[0] = '\0';
	} else {
		r = passwd ? ward_userdb_parse_passwd(passwd, plen, buf, uid, gid) : -ENOENT;
		if (r < 0)
			return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
					    "user '%s' is not in the image's etc/passwd%s", buf,
					    r == -EINVAL ? " (malformed entry)" : "");
		snprintf(name, sizeof(name), "%s", buf);
	}
	if (*uid == 0) { /* root: ward's default user, whatever the group */
		*uid = *gid = WARD_UNPACK_DEFAULT_ID;
		return 0;
	}
	if (colon && ward_parse_u32(colon, &v) == 0 && v != UINT32_MAX) {
		*gid = v;
	} else if (colon) {
		r = group ? ward_userdb_parse_group(group, glen, colon, gid) : -ENOENT;
		if (r < 0)
			return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
					    "group '%s' is not in the image's etc/group%s", colon,
					    r == -EINVAL ? " (malformed entry)" : "");
	}
	if (*name && group)
		supplementary(group, glen, name, groups, max, ngroups);
	return 0;
}
