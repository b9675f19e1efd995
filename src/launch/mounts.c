/* Mount helpers: resolution inside the new root, fd-targeted mounts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "launch/mounts.h"
#include "base/openat2.h"
#include "base/sys.h"

int ward_mnt_open(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
	};

	while (*path == '/')
		path++;
	if (*path == '\0')
		path = ".";
	return ward_openat2(rootfd, path, &how);
}

/* Whose directories the root's binds show ("the host's", "the image's"). */
static const char *tree_owner = "the host's";

void ward_mnt_tree_owner(const char *whose)
{
	tree_owner = whose;
}

/* The tmpfs ward mounted itself (the root, /tmp, /run, each --tmpfs):
 * the only file systems it creates mount points on.  A tmpfs of the
 * host's (an image kept under a tmpfs /tmp, a bound /dev/shm directory)
 * is not among them. */
#define OWN_MAX 64
static dev_t own_devs[OWN_MAX];
static size_t n_own;

int ward_mnt_own(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (n_own == OWN_MAX)
		return -E2BIG;
	own_devs[n_own++] = st.st_dev;
	return 0;
}

static bool is_own(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return false;
	for (size_t i = 0; i < n_own; i++)
		if (own_devs[i] == st.st_dev)
			return true;
	return false;
}

/* Create the last component of @prefix in its parent (opened inside the
 * root, so the new name cannot land outside it).  Mount points are
 * created only on ward's own tmpfs: ward never writes into the host's
 * /usr or /etc, nor into an image's tree, wherever they lie. */
static int create_component(int rootfd, char *prefix, bool last_is_file)
{
	char *slash = strrchr(prefix, '/');
	_cleanup_close_ int parent = -1;
	const char *name = slash + 1;
	int fd;

	*slash = '\0';
	parent = ward_mnt_open(rootfd, *prefix ? prefix : "/");
	*slash = '/';
	if (parent < 0)
		return parent;
	if (!is_own(parent))
		return -EROFS;
	if (!last_is_file)
		return mkdirat(parent, name, 0755) < 0 && errno != EEXIST ? -errno : 0;
	fd = openat(parent, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	close(fd);
	return 0;
}

/* @prefix (a path inside the root) is a symlink: a mount never goes
 * through one, whatever it points at (CVE-2024-21626 and the /tmp ->
 * /etc class).  The message names the link and where it points. */
static int symlink_refused(int rootfd, char *prefix, const char *path,
			   enum ward_step step, struct ward_err *err)
{
	char *slash = strrchr(prefix, '/');
	_cleanup_close_ int parent = -1;
	char target[256] = "?";
	ssize_t n = -1;

	*slash = '\0';
	parent = ward_mnt_open(rootfd, *prefix ? prefix : "/");
	*slash = '/';
	if (parent >= 0)
		n = readlinkat(parent, slash + 1, target, sizeof(target) - 1);
	if (n >= 0)
		target[n] = '\0';
	return ward_err_set(err, step, ELOOP,
			    "mount point %s: %s is a symlink (to %s) in the root; ward never mounts through a symlink: use a path without one",
			    path, prefix, n >= 0 ? target : "?");
}

int ward_mnt_ensure(int rootfd, const char *path, mode_t type,
		    enum ward_step step, struct ward_err *err)
{
	char buf[4096];
	size_t n = strlen(path);
	int fd;

	if (n == 0 || n >= sizeof(buf) || path[0] != '/')
		return ward_err_set(err, step, EINVAL, "mount point %s", path);
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		bool last = i == n;
		int r;

		if (!last && buf[i] != '/')
			continue;
		buf[i] = '\0';
		fd = ward_mnt_open(rootfd, buf);
		if (fd >= 0 && !last) {
			close(fd);
			buf[i] = '/';
			continue;
		}
		if (fd >= 0)
			return fd;
		if (fd == -ELOOP)
			return symlink_refused(rootfd, buf, path, step, err);
		if (fd != -ENOENT)
			return ward_err_set(err, step, -fd, "resolving %s", buf);
		r = create_component(rootfd, buf, last && type != S_IFDIR);
		if (r == -EROFS)
			return ward_err_set(err, step, 0,
					    "mount point %s does not exist, and ward does not create files in %s directories; bind a directory that exists, or put it under /tmp, /run or a --tmpfs",
					    buf, tree_owner);
		if (r < 0)
			return ward_err_set(err, step, -r, "creating mount point %s",
					    buf);
		if (!last)
			buf[i] = '/';
	}
	fd = ward_mnt_open(rootfd, path);
	if (fd < 0)
		return ward_err_set(err, step, -fd, "opening mount point %s", path);
	return fd;
}

void ward_mnt_fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, WARD_OLDROOT "/proc/self/fd/%d", fd);
}

int ward_mnt_mount_at(const char *src, int dstfd, const char *fstype,
		      unsigned long flags, const char *data,
		      enum ward_step step, const char *what,
		      struct ward_err *err)
{
	char target[64];

	ward_mnt_fd_path(dstfd, target, sizeof(target));
	if (sys_mount(src, target, fstype, flags, data) < 0)
		return ward_err_set(err, step, errno, "mount %s", what);
	return 0;
}

int ward_mnt_setattr(int fd, unsigned long long set, bool recursive,
		     enum ward_step step, const char *what,
		     struct ward_err *err)
{
	struct mount_attr attr = {.attr_set = set};
	unsigned int flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);

	if (sys_mount_setattr(fd, "", flags, &attr, sizeof(attr)) < 0)
		return ward_err_set(err, step, errno, "mount_setattr %s", what);
	return 0;
}

int ward_mnt_new_fs(const char *fstype, const char *const *opts,
		    unsigned int attrs, enum ward_step step, const char *what,
		    struct ward_err *err)
{
	_cleanup_close_ int fs = sys_fsopen(fstype, FSOPEN_CLOEXEC);
	int mnt;

	if (fs < 0)
		return ward_err_set(err, step, errno, "fsopen %s for %s", fstype, what);
	if (sys_fsconfig(fs, FSCONFIG_SET_STRING, "source", fstype, 0) < 0)
		return ward_err_set(err, step, errno, "%s source", what);
	for (size_t i = 0; opts && opts[i]; i += 2)
		if (sys_fsconfig(fs, FSCONFIG_SET_STRING, opts[i], opts[i + 1], 0) < 0)
			return ward_err_set(err, step, errno, "%s option %s=%s", what,
					    opts[i], opts[i + 1]);
	if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return ward_err_set(err, step, errno, "creating %s for %s", fstype, what);
	mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	if (mnt < 0)
		return ward_err_set(err, step, errno, "fsmount %s", what);
	return mnt;
}

int ward_mnt_clone(int srcfd, unsigned long long set, enum ward_step step,
		   const char *what, struct ward_err *err)
{
	struct mount_attr attr = {.attr_set = set};
	int tree = sys_open_tree(srcfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
					    AT_RECURSIVE | AT_EMPTY_PATH);

	if (tree < 0)
		return ward_err_set(err, step, errno, "open_tree %s", what);
	if (sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
			      sizeof(attr)) < 0) {
		int e = errno;

		close(tree);
		return ward_err_set(err, step, e, "mount_setattr %s", what);
	}
	return tree;
}

int ward_mnt_attach(int mntfd, int dstfd, enum ward_step step,
		    const char *what, struct ward_err *err)
{
	if (sys_move_mount(mntfd, "", dstfd, "",
			   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return ward_err_set(err, step, errno, "move_mount %s", what);
	return 0;
}

int ward_mnt_id(int fd, uint64_t *id)
{
	struct statx sx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) < 0)
		return -errno;
	if (!(sx.stx_mask & STATX_MNT_ID))
		return -ENOSYS;
	*id = sx.stx_mnt_id;
	return 0;
}
