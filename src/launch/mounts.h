/* Mount helpers for the child.  Paths inside the new root are resolved
 * with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS): a mount target
 * never goes through a symlink of the tree, in its last component or any
 * earlier one, so an image can neither lead a mount out of the root
 * (CVE-2021-30465 / CVE-2025-31133 class) nor onto another part of it
 * (/tmp -> /etc); mounts target the resolved O_PATH fd through
 * /proc/self/fd. */
#ifndef WARD_MOUNTS_H
#define WARD_MOUNTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"

/* Where the host's tree is reachable after the staging pivot. */
#define WARD_OLDROOT "/oldroot"
#define WARD_NEWROOT "/newroot"

/* Open @path inside the root @rootfd as O_PATH, creating missing
 * directories (and, for @type S_IFREG, the final file) on the way, but
 * only on ward's own tmpfs: nothing is created in the trees the root
 * binds in.  A symlink on the way is refused (ELOOP), naming it.
 * Returns the fd or -errno with @err set for @step. */
int ward_mnt_ensure(int rootfd, const char *path, mode_t type,
		    enum ward_step step, struct ward_err *err);

/* Note the file system of @fd as one of ward's own tmpfs (the root,
 * /tmp, /run, a --tmpfs): ward_mnt_ensure creates mount points on these
 * only.  0 or -errno. */
int ward_mnt_own(int fd);

/* Whose directories the root binds in, for ward_mnt_ensure's refusal
 * ("the host's", the default, or "the image's"). */
void ward_mnt_tree_owner(const char *whose);

/* Open @path inside @rootfd (O_PATH, no creation).  -errno on failure. */
int ward_mnt_open(int rootfd, const char *path);

/* "/oldroot/proc/self/fd/N" for @fd. */
void ward_mnt_fd_path(int fd, char *buf, size_t len);

/* mount(2) onto the object behind @dstfd.  @what names the mount in
 * errors. */
int ward_mnt_mount_at(const char *src, int dstfd, const char *fstype,
		      unsigned long flags, const char *data,
		      enum ward_step step, const char *what,
		      struct ward_err *err);

/* A new file system as a detached mount (fsopen, fsconfig key=value
 * pairs from @opts, a NULL-terminated list, fsmount with @attrs).
 * Returns the mount's fd or -errno with @err set. */
int ward_mnt_new_fs(const char *fstype, const char *const *opts,
		    unsigned int attrs, enum ward_step step, const char *what,
		    struct ward_err *err);

/* A detached recursive clone of the mount tree at @srcfd (open_tree),
 * with @set applied to every mount of it before it is attached anywhere.
 * Returns its fd or -errno. */
int ward_mnt_clone(int srcfd, unsigned long long set, enum ward_step step,
		   const char *what, struct ward_err *err);

/* Attach the detached mount @mntfd onto the object behind @dstfd
 * (move_mount): nothing is resolved by path again. */
int ward_mnt_attach(int mntfd, int dstfd, enum ward_step step,
		    const char *what, struct ward_err *err);

/* The id of the mount @fd is on (statx STATX_MNT_ID, as in mountinfo's
 * first field): 0 or -errno (-ENOSYS when the kernel does not say). */
int ward_mnt_id(int fd, uint64_t *id);

/* mount_setattr(2) on the mount at @fd; @recursive covers submounts. */
int ward_mnt_setattr(int fd, unsigned long long set, bool recursive,
		     enum ward_step step, const char *what,
		     struct ward_err *err);

#endif
