/* Volumes (the image's Volumes, --volume PATH): a private writable tmpfs
 * at PATH, filled with a copy of what the root holds there, as Docker
 * fills a new volume, so a program that writes its declared volumes
 * works on a read-only root.  The copies belong to the program's user
 * (it must be able to write its volume); the tmpfs is private and gone
 * when the sandbox ends.
 *
 * Copied: directories and regular files (setuid, setgid and sticky bits
 * dropped, the owner's read and write added) and symlinks (as links,
 * never followed); device nodes, FIFOs and sockets are left out.  A file the program's user could not read in the
 * root stops the launch rather than be handed over as its own.  Bounded:
 * the copy by WARD_VOLUME_MAX_BYTES, WARD_VOLUME_MAX_ENTRIES and
 * WARD_VOLUME_MAX_DEPTH, the tmpfs (with what the program writes) by
 * WARD_VOLUME_SIZE and WARD_VOLUME_INODES. */
#ifndef WARD_VOLUMES_H
#define WARD_VOLUMES_H

#include "base/err.h"
#include "plan/plan.h"

#define WARD_VOLUME_MAX_BYTES (512ull << 20)
#define WARD_VOLUME_INODES "262144"
#define WARD_VOLUME_MAX_ENTRIES 100000u
#define WARD_VOLUME_MAX_DEPTH 64u

/* Child, the root assembled (@rootfd) but nothing mounted over it yet:
 * each volume's content opened in the root without following a symlink
 * (@fds[i], -1 when there is none: a path missing from the root, or
 * beneath /tmp, /run, a tmpfs or a bind, whose mount point is made later;
 * the volume starts empty).  A symlink on its way or anything but a
 * directory at its end is refused with the path (WARD_STEP_TMPFS).  0 or -errno; @fds hold
 * plan->nvolumes entries to close. */
int ward_volumes_open(int rootfd, const struct ward_plan *plan, int *fds,
		      struct ward_err *err);

/* Child, after the read-only root, in the order of the other mounts
 * (launch/rootfs.c: shallower first): volume @i, a fresh tmpfs filled
 * from @src (an fd of ward_volumes_open, or -1: empty) while it is
 * detached, then attached at its path.  0 or -errno (WARD_STEP_TMPFS). */
int ward_volume_mount(int rootfd, const struct ward_plan *plan, size_t i, int src,
		      struct ward_err *err);

#endif
