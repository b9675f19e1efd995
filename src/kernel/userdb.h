/* passwd(5)/group(5) lookups in a sandbox root's own /etc, never the
 * host's NSS: the names must mean what the image means by them. */
#ifndef WARD_USERDB_H
#define WARD_USERDB_H

#include <stddef.h>
#include <sys/types.h>

/* Pure: find @name in passwd-format @buf[len].  Returns 0 with *uid,
 * *gid set, -ENOENT when absent, -EINVAL on a malformed matching line. */
int ward_userdb_parse_passwd(const char *buf, size_t len, const char *name,
			     uid_t *uid, gid_t *gid);

/* Pure: the home directory (an absolute path shorter than @cap) of the
 * first passwd entry with @uid.  -ENOENT when none, -EINVAL when the
 * field is not an absolute path. */
int ward_userdb_home(const char *buf, size_t len, uid_t uid, char *home,
		     size_t cap);

/* Pure: find group @name in group-format @buf[len]. */
int ward_userdb_parse_group(const char *buf, size_t len, const char *name,
			    gid_t *gid);

/* Read @root/@file ("etc/passwd") without following symlinks out of
 * @root (openat2 RESOLVE_IN_ROOT), at most 4 MiB.  *out is NUL-terminated
 * heap memory.  Returns 0 or -errno. */
int ward_userdb_read(const char *root, const char *file, char **out,
		     size_t *len);

/* Read the regular file @fd (at most 4 MiB) into NUL-terminated heap
 * memory.  -EINVAL for anything but a regular file. */
int ward_userdb_read_fd(int fd, char **out, size_t *len);

#endif
