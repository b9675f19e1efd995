/* openat2(2) with a bounded retry on EAGAIN.  In its own translation unit
 * so that the sys_openat2 it calls is the one tests wrap. */
#include <errno.h>
#include <linux/openat2.h>

#include "base/openat2.h"
#include "base/sys.h"

/* With RESOLVE_IN_ROOT or RESOLVE_BENEATH, the kernel checks at every ".."
 * of the walk (one in a symlink's target too) that nothing was renamed or
 * mounted anywhere on the machine since the walk began.  If something
 * was, it cannot prove that ".." stayed beneath the root, and it fails
 * with EAGAIN for the caller to try again (openat2(2)).  A host starting
 * containers mounts and renames many times a second, so a lookup can
 * lose that race with nothing wrong in the tree.
 *
 * A try is a fresh walk of a few microseconds, and the race is lost only
 * if the machine changes within that window: an immediate retry almost
 * always wins, and waiting first would not make the window quieter, so
 * there is no pause.  Sixteen losses in a row take a storm of mounts or
 * renames (or someone keeping one up to stall ward); then the EAGAIN is
 * reported with the path by the caller.  EAGAIN never leads to a lookup
 * without the scope: that would fail open. */
int ward_openat2(int dirfd, const char *path, struct open_how *how)
{
	int fd = -1;

	for (int i = 0; i < WARD_OPENAT2_TRIES; i++) {
		fd = sys_openat2(dirfd, path, how, sizeof(*how));
		if (fd >= 0)
			return fd;
		if (errno != EAGAIN)
			break;
	}
	return -errno;
}
