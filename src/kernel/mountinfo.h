/* The host's mount table, read at plan time. */
#ifndef WARD_MOUNTINFO_H
#define WARD_MOUNTINFO_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"

/* Pure: true for file systems that expose the kernel or other processes
 * (proc, sysfs, devtmpfs, debugfs, cgroup, ...): never bound in from the
 * host, not even as a submount of a recursive bind. */
bool ward_mountinfo_fstype_forbidden(const char *fstype);

/* The same by statfs(2) magic: the forbidden type's name, or NULL
 * (devtmpfs shares tmpfs's magic: /dev is refused by path). */
const char *ward_mountinfo_magic_forbidden(unsigned long f_type);

/* Refuse @fd (naming it @what) when it lies on a forbidden file system,
 * wherever that is mounted.  Errors: @step. */
int ward_mountinfo_refuse_fs_of(int fd, const char *what, enum ward_step step,
				struct ward_err *err);

/* One line of /proc/self/mountinfo: the mount's root within its file
 * system, its mount point and its type, octal escapes decoded. */
struct ward_mount_entry {
	const char *root;
	const char *mnt;
	const char *fstype;
};

/* Pure: parse @line in place (fields are cut and decoded where they
 * stand; @m points into @line).  No length limit but the line's.
 * Returns 0 or -EINVAL. */
int ward_mountinfo_parse(char *line, struct ward_mount_entry *m);

/* Pure: the same into the caller's buffers; -EINVAL also when a field
 * does not fit. */
int ward_mountinfo_parse_line(const char *line, char *mnt, size_t mntlen,
			      char *fstype, size_t typelen);

/* Call @fn for every mount in @f (mountinfo text, named @what in
 * messages), in order.  A line that does not parse is an error, never
 * skipped: it could be the mount the caller looks for.  A negative
 * return from @fn stops the walk and is returned.  Errors: @step. */
typedef int (*ward_mountinfo_fn)(const struct ward_mount_entry *m, void *ctx,
				 struct ward_err *err);
int ward_mountinfo_each_in(FILE *f, const char *what, ward_mountinfo_fn fn,
			   void *ctx, enum ward_step step, struct ward_err *err);

/* The same over /proc/self/mountinfo. */
int ward_mountinfo_each(ward_mountinfo_fn fn, void *ctx, enum ward_step step,
			struct ward_err *err);

/* Refuse the mount @mnt of type @fstype at or beneath @path (binds are
 * recursive) when its type is forbidden.  Errors: WARD_STEP_PLAN naming
 * the mount. */
int ward_mountinfo_refuse_forbidden(const char *path, const char *mnt,
				    const char *fstype, struct ward_err *err);

/* Call @fn for every mount at or beneath @path (canonical), reading the
 * table once; a negative return from @fn stops the walk and is returned.
 * Errors: WARD_STEP_PLAN when the table cannot be read or a line of it
 * cannot be parsed. */
typedef int (*ward_mount_fn)(const char *mnt, const char *fstype, void *ctx,
			     struct ward_err *err);
int ward_mountinfo_each_beneath(const char *path, ward_mount_fn fn, void *ctx,
				struct ward_err *err);

#endif
