/* The sandbox's filesystem, built in the child's mount namespace. */
#ifndef WARD_ROOTFS_H
#define WARD_ROOTFS_H

#include "base/err.h"
#include "plan/plan.h"

/* Child: build the new root and pivot into it.  In order: make /
 * private; pivot into a staging tmpfs with the host at /oldroot; bind the
 * rootfs (or synthesise one from the host's /usr, /etc, /bin, /sbin,
 * /lib*); create mount points; make the whole tree read-only, nosuid and
 * nodev recursively; mount /proc (masked), /dev (minimal), /tmp, /run,
 * the tmpfs and the binds; pivot_root and detach everything of the host.
 * Errors: the step of the mount that failed, with its path. */
int ward_rootfs_setup(const struct ward_plan *plan, struct ward_err *err);

/* rootfs_special.c: /proc with masked and read-only paths, the minimal
 * /dev.  @rootfd is the new root; the host is at /oldroot. */
int ward_rootfs_mount_proc(int rootfd, struct ward_err *err);
int ward_rootfs_mount_dev(int rootfd, struct ward_err *err);

#endif
