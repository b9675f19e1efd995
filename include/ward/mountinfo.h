/* The host's mount table, read at plan time. */
#ifndef WARD_MOUNTINFO_H
#define WARD_MOUNTINFO_H

#include <stdbool.h>

#include "ward/err.h"

/* Pure: true for file systems that expose the kernel or other processes
 * (proc, sysfs, devtmpfs, debugfs, cgroup, ...): never bound in from the
 * host, not even as a submount of a recursive bind. */
bool ward_mountinfo_fstype_forbidden(const char *fstype);

/* Pure: parse one /proc/self/mountinfo line into its mount point and
 * file system type (octal escapes decoded).  Returns 0 or -EINVAL. */
int ward_mountinfo_parse_line(const char *line, char *mnt, size_t mntlen,
			      char *fstype, size_t typelen);

/* Refuse the mount @mnt of type @fstype at or beneath @path (binds are
 * recursive) when its type is forbidden.  Errors: WARD_STEP_PLAN naming
 * the mount. */
int ward_mountinfo_refuse_forbidden(const char *path, const char *mnt,
				    const char *fstype, struct ward_err *err);

/* Call @fn for every mount at or beneath @path (canonical), reading the
 * table once; a negative return from @fn stops the walk and is returned.
 * Errors: WARD_STEP_PLAN when the table cannot be read. */
typedef int (*ward_mount_fn)(const char *mnt, const char *fstype, void *ctx,
			     struct ward_err *err);
int ward_mountinfo_each_beneath(const char *path, ward_mount_fn fn, void *ctx,
				struct ward_err *err);

#endif
