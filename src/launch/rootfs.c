/* The sandbox root: staging, base tree, read-only, mounts, pivot. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/fsuid.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/openat2.h"
#include "engine/dockersock.h"
#include "launch/etc_files.h"
#include "launch/mounts.h"
#include "launch/volumes.h"
#include "kernel/mountinfo.h"
#include "launch/rootfs.h"
#include "base/sys.h"
#include "base/util.h"

#define STAGING "/tmp"
#define RO_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)
/* Top-level entries of an image root, each a mount of its own. */
#define WARD_MAX_TOP_ENTRIES 256

/* The host directories of a synthesised root; symlinks (merged /usr) are
 * copied as symlinks. */
static const char *const host_dirs[] = {
	"/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
	"/libx32", NULL,
};

static int enter_staging(struct ward_err *err)
{
	/* Nothing of what follows may propagate back to the host. */
	if (sys_mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "making / private");
	if (sys_mount("tmpfs", STAGING, "tmpfs", MS_NOSUID | MS_NODEV,
		      "mode=0700,size=64k") < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "staging tmpfs on " STAGING);
	if (mkdir(STAGING WARD_OLDROOT, 0700) < 0 ||
	    mkdir(STAGING WARD_NEWROOT, 0755) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "staging directories");
	if (sys_pivot_root(STAGING, STAGING WARD_OLDROOT) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "pivot_root into staging");
	if (chdir("/") < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "chdir /");
	return 0;
}

/* Open a host path without following a final symlink (the plan's path is
 * canonical), and check it is still the object the plan resolved. */
static int open_host_source(const struct ward_bind *b, struct ward_err *err)
{
	int fd;
	struct stat st;

	fd = open(b->src, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_BINDS, errno, "source %s", b->src);
	if (fstat(fd, &st) < 0 || st.st_dev != b->dev || st.st_ino != b->ino) {
		close(fd);
		return ward_err_set(err, WARD_STEP_BINDS, 0,
				    "source %s changed since it was checked; refusing",
				    b->src);
	}
	return fd;
}

static int bind_host_dir(int rootfd, const char *dir, struct ward_err *err)
{
	char src[512], link[512];
	struct stat st;
	_cleanup_close_ int dst = -1;
	ssize_t n;

	snprintf(src, sizeof(src), WARD_OLDROOT "%s", dir);
	if (lstat(src, &st) < 0)
		return errno == ENOENT ? 0 :
		       ward_err_set(err, WARD_STEP_MOUNTS, errno, "host %s", dir);
	if (S_ISLNK(st.st_mode)) {
		n = readlink(src, link, sizeof(link) - 1);
		if (n < 0)
			return ward_err_set(err, WARD_STEP_MOUNTS, errno,
					    "readlink %s", dir);
		link[n] = '\0';
		if (symlinkat(link, rootfd, dir + 1) < 0)
			return ward_err_set(err, WARD_STEP_MOUNTS, errno,
					    "symlink %s", dir);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return 0;
	dst = ward_mnt_ensure(rootfd, dir, S_IFDIR, WARD_STEP_MOUNTS, err);
	if (dst < 0)
		return dst;
	return ward_mnt_mount_at(src, dst, NULL, MS_BIND | MS_REC, NULL,
				 WARD_STEP_MOUNTS, dir, err);
}

static int build_host_root(struct ward_err *err)
{
	_cleanup_close_ int rootfd = -1;
	int r;

	if (sys_mount("tmpfs", WARD_NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV,
		      "mode=0755,size=1m") < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "tmpfs for the synthesised root");
	rootfd = open(WARD_NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 || ward_mnt_own(rootfd) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "open new root");
	for (size_t i = 0; host_dirs[i]; i++)
		if ((r = bind_host_dir(rootfd, host_dirs[i], err)) < 0)
			return r;
	return 0;
}

/* Top-level names of an image that are ward's own mount points: the
 * image's entry there (a directory, or a symlink such as /tmp -> /etc)
 * is replaced by a fresh directory on the tmpfs root. */
static bool ward_owned(const char *name)
{
	static const char *const own[] = {"proc", "dev", "tmp", "run", NULL};

	for (size_t i = 0; own[i]; i++)
		if (strcmp(name, own[i]) == 0)
			return true;
	return false;
}

/* The image's top-level symlink @name, recreated as the same link on the
 * tmpfs root (merged-/usr images: /lib64 -> usr/lib64 finds the loader). */
static int copy_top_link(int imgfd, int rootfd, const char *name,
			 struct ward_err *err)
{
	char target[4096];
	ssize_t n = readlinkat(imgfd, name, target, sizeof(target) - 1);

	if (n < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "reading the image's /%s", name);
	target[n] = '\0';
	if (symlinkat(target, rootfd, name) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "symlink /%s on the new root", name);
	return 0;
}

/* The image's top-level entry @name, not followed into a mount on it
 * when the tree is bound @alone (plan.h): -EXDEV then. */
static int open_top_entry(int imgfd, const char *name, bool alone)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH,
	};
	int fd;

	if (alone)
		return ward_openat2(imgfd, name, &how);
	fd = openat(imgfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* The image's top-level directory or file @name, bound onto a mount
 * point of its own on the tmpfs root: with what is mounted beneath it,
 * or @alone, without (and nothing may be mounted on it then). */
static int bind_top_entry(int imgfd, int rootfd, const char *name, bool dir,
			  bool alone, struct ward_err *err)
{
	_cleanup_close_ int src = -1, dst = -1;
	char from[64], what[300];
	int r;

	src = open_top_entry(imgfd, name, alone);
	if (src == -EXDEV)
		return ward_err_set(err, WARD_STEP_MOUNTS, EXDEV,
				    "the image's /%s is a mount point; a cached tree is bound "
				    "without mounts: unmount it", name);
	if (src < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, -src,
				    "opening the image's /%s", name);
	if ((dir ? mkdirat(rootfd, name, 0755) :
		   mknodat(rootfd, name, S_IFREG | 0644, 0)) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "mount point /%s on the new root", name);
	dst = openat(rootfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (dst < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "opening /%s", name);
	ward_mnt_fd_path(src, from, sizeof(from));
	snprintf(what, sizeof(what), "the image's /%s", name);
	r = ward_mnt_mount_at(from, dst, NULL, alone ? MS_BIND : MS_BIND | MS_REC,
			      NULL, WARD_STEP_MOUNTS, what, err);
	/* a bind without MS_REC over locked mounts: the kernel's EINVAL */
	if (r == -EINVAL && alone)
		return ward_err_set(err, WARD_STEP_MOUNTS, EINVAL,
				    "the image's /%s: something is mounted beneath it in the "
				    "cached tree, which is bound without mounts: unmount it", name);
	return r;
}

static int add_top_entry(int imgfd, int rootfd, const char *name, bool alone,
			 struct ward_err *err)
{
	struct stat st;

	if (ward_owned(name))
		return mkdirat(rootfd, name, 0755) < 0 ?
		       ward_err_set(err, WARD_STEP_MOUNTS, errno, "/%s", name) : 0;
	if (fstatat(imgfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "the image's /%s", name);
	if (S_ISLNK(st.st_mode))
		return copy_top_link(imgfd, rootfd, name, err);
	if (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))
		return bind_top_entry(imgfd, rootfd, name, S_ISDIR(st.st_mode), alone, err);
	return 0; /* device nodes, FIFOs and sockets at the top: left out */
}

/* An image's root, assembled: a tmpfs (read-only once everything is
 * mounted) holding a bind of each top-level directory and file of the
 * image and its top-level symlinks as symlinks.  Mount points the image
 * lacks are made on the tmpfs, never in the image, and ward's own
 * /proc, /dev, /tmp and /run never go through the image's entries. */
static int build_image_root(const char *rootfs, int rootfs_fd, bool alone,
			    struct ward_err *err)
{
	_cleanup_close_ int rootfd = -1;
	DIR *d;
	struct dirent *e;
	size_t n = 0;
	int r = 0, dupfd;

	if (sys_mount("tmpfs", WARD_NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV,
		      "mode=0755,size=1m") < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "tmpfs for the root of %s", rootfs);
	rootfd = open(WARD_NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd >= 0 && ward_mnt_own(rootfd) < 0) {
		close(rootfd);
		rootfd = -1;
	}
	dupfd = fcntl(rootfs_fd, F_DUPFD_CLOEXEC, 3);
	if (rootfd < 0 || dupfd < 0 || !(d = fdopendir(dupfd))) {
		if (dupfd >= 0)
			close(dupfd);
		return ward_err_set(err, WARD_STEP_MOUNTS, errno,
				    "listing the root of %s", rootfs);
	}
	while (r == 0 && (errno = 0, e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (++n > WARD_MAX_TOP_ENTRIES)
			r = ward_err_set(err, WARD_STEP_MOUNTS, E2BIG,
					 "the root of %s holds more than %d entries",
					 rootfs, WARD_MAX_TOP_ENTRIES);
		else
			r = add_top_entry(rootfs_fd, rootfd, e->d_name, alone, err);
	}
	if (r == 0 && errno) /* a root built with entries missing: refuse */
		r = ward_err_set(err, WARD_STEP_MOUNTS, errno, "listing the root of %s",
				 rootfs);
	closedir(d);
	return r;
}

/* True when @dst lies beneath a mount that ward adds after the root is
 * read-only: its mount point is created then, inside that mount. */
static bool beneath_later_mount(const struct ward_plan *plan, const char *dst)
{
	static const char *const fixed[] = {"/tmp", "/run", "/proc", "/dev", NULL};

	for (size_t i = 0; fixed[i]; i++)
		if (ward_path_is_beneath(dst, fixed[i]) && strcmp(dst, fixed[i]))
			return true;
	for (size_t i = 0; i < plan->ntmpfs; i++)
		if (ward_path_is_beneath(dst, plan->tmpfs[i].dst) &&
		    strcmp(dst, plan->tmpfs[i].dst))
			return true;
	for (size_t i = 0; i < plan->nbinds; i++)
		if (ward_path_is_beneath(dst, plan->binds[i].dst) &&
		    strcmp(dst, plan->binds[i].dst))
			return true;
	for (size_t i = 0; i < plan->nvolumes; i++)
		if (ward_path_is_beneath(dst, plan->volumes[i]) &&
		    strcmp(dst, plan->volumes[i]))
			return true;
	return false;
}

static int precreate(int rootfd, const struct ward_plan *plan, const char *dst,
		     mode_t type, enum ward_step step, struct ward_err *err)
{
	int fd;

	if (beneath_later_mount(plan, dst))
		return 0;
	fd = ward_mnt_ensure(rootfd, dst, type, step, err);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int create_mount_points(int rootfd, const struct ward_plan *plan,
			       struct ward_err *err)
{
	static const char *const fixed[] = {"/proc", "/dev", "/tmp", "/run", NULL};
	int r;

	for (size_t i = 0; fixed[i]; i++)
		if ((r = precreate(rootfd, plan, fixed[i], S_IFDIR,
				   WARD_STEP_MOUNTS, err)) < 0)
			return r;
	for (size_t i = 0; i < plan->ntmpfs; i++)
		if ((r = precreate(rootfd, plan, plan->tmpfs[i].dst, S_IFDIR,
				   WARD_STEP_TMPFS, err)) < 0)
			return r;
	for (size_t i = 0; i < plan->nbinds; i++) {
		mode_t t = plan->binds[i].type == S_IFDIR ? S_IFDIR : S_IFREG;

		if ((r = precreate(rootfd, plan, plan->binds[i].dst, t,
				   WARD_STEP_BINDS, err)) < 0)
			return r;
	}
	for (size_t i = 0; i < plan->nvolumes; i++)
		if ((r = precreate(rootfd, plan, plan->volumes[i], S_IFDIR,
				   WARD_STEP_TMPFS, err)) < 0)
			return r;
	return 0;
}

static int mount_tmpfs(int rootfd, const struct ward_plan *plan,
		       const char *dst, const char *mode, uint64_t size,
		       struct ward_err *err)
{
	_cleanup_close_ int fd = -1, mnt = -1;
	char data[128];
	int r;

	fd = ward_mnt_ensure(rootfd, dst, S_IFDIR, WARD_STEP_TMPFS, err);
	if (fd < 0)
		return fd;
	if (strcmp(mode, "1777") == 0)
		snprintf(data, sizeof(data), "mode=1777");
	else
		snprintf(data, sizeof(data), "mode=%s,uid=%u,gid=%u", mode,
			 plan->uid, plan->gid);
	if (size)
		snprintf(data + strlen(data), sizeof(data) - strlen(data),
			 ",size=%llu", (unsigned long long)size);
	if ((r = ward_mnt_mount_at("tmpfs", fd, "tmpfs", MS_NOSUID | MS_NODEV,
				   data, WARD_STEP_TMPFS, dst, err)) < 0)
		return r;
	/* The new tmpfs, not the mount point under it. */
	mnt = ward_mnt_open(rootfd, dst);
	if (mnt < 0 || ward_mnt_own(mnt) < 0)
		return ward_err_set(err, WARD_STEP_TMPFS, mnt < 0 ? -mnt : errno,
				    "opening the tmpfs at %s", dst);
	return 0;
}

static int mount_bind(int rootfd, const struct ward_bind *b, int src,
		      const struct ward_engine_sockets *es, struct ward_err *err)
{
	_cleanup_close_ int dst = -1, tree = -1;
	struct stat st;
	int r;

	/* The guard again, on the very object about to be mounted. */
	if (fstat(src, &st) < 0)
		return ward_err_set(err, WARD_STEP_BINDS, errno, "fstat %s", b->src);
	if ((r = ward_dockersock_check(es, "bind of", b->src, &st, err)) < 0 ||
	    (r = ward_mountinfo_refuse_fs_of(src, b->src, WARD_STEP_BINDS, err)) < 0)
		return r;
	dst = ward_mnt_ensure(rootfd, b->dst,
			      b->type == S_IFDIR ? S_IFDIR : S_IFREG,
			      WARD_STEP_BINDS, err);
	if (dst < 0)
		return dst;
	/* Clone the source, set its flags while it is detached, attach it to
	 * the fd resolved above: nothing is resolved by path twice, and the
	 * tree is never reachable with the wrong flags. */
	tree = ward_mnt_clone(src, b->rw ? MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV
					 : RO_ATTRS,
			      WARD_STEP_BINDS, b->dst, err);
	if (tree < 0)
		return tree;
	return ward_mnt_attach(tree, dst, WARD_STEP_BINDS, b->dst, err);
}

/* One of the profile's own mounts, in the order they are made. */
struct user_mount {
	const char *dst;
	const struct ward_bind *bind; /* NULL for a tmpfs or a volume */
	const struct ward_tmpfs *tmpfs;
	long volume; /* plan->volumes[volume], or -1 */
	int src;
	unsigned depth;
	uint64_t id; /* the mount's id once made */
};

static unsigned depth_of(const char *path)
{
	unsigned d = 0;

	for (; *path; path++)
		d += *path == '/';
	return d;
}

/* Shallower destinations first (stable: as written, tmpfs before binds
 * before volumes, within one depth), so a mount meant to sit inside
 * another is made after it and is not hidden by it.  Same destinations
 * are refused by the plan (a volume where a bind or tmpfs is, dropped). */
static size_t order_user_mounts(const struct ward_plan *plan, const int *src_fds,
				const int *volume_fds, struct user_mount *m)
{
	size_t n = 0;

	for (size_t i = 0; i < plan->ntmpfs; i++)
		m[n++] = (struct user_mount){.dst = plan->tmpfs[i].dst,
					     .tmpfs = &plan->tmpfs[i], .volume = -1,
					     .src = -1};
	for (size_t i = 0; i < plan->nbinds; i++)
		m[n++] = (struct user_mount){.dst = plan->binds[i].dst,
					     .bind = &plan->binds[i], .volume = -1,
					     .src = src_fds[i]};
	for (size_t i = 0; i < plan->nvolumes; i++)
		m[n++] = (struct user_mount){.dst = plan->volumes[i], .volume = (long)i,
					     .src = volume_fds[i]};
	for (size_t i = 0; i < n; i++)
		m[i].depth = depth_of(m[i].dst);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && m[j - 1].depth > m[j].depth; j--) {
			struct user_mount t = m[j];

			m[j] = m[j - 1];
			m[j - 1] = t;
		}
	return n;
}

/* The id of the mount now at @dst: 0 or -errno. */
static int mount_id_at(int rootfd, const char *dst, uint64_t *id)
{
	_cleanup_close_ int fd = ward_mnt_open(rootfd, dst);

	return fd < 0 ? fd : ward_mnt_id(fd, id);
}

static int id_at(int rootfd, const struct user_mount *m, uint64_t *id,
		 struct ward_err *err)
{
	int r = mount_id_at(rootfd, m->dst, id);

	if (r < 0)
		return ward_err_set(err, m->bind ? WARD_STEP_BINDS : WARD_STEP_TMPFS,
				    -r, "mount id of %s", m->dst);
	return 0;
}

/* Read back from the kernel that each mount is still the one at its
 * destination: none is hidden by another, nor gone (a later tmpfs over
 * a symlink's target). */
static int verify_user_mounts(int rootfd, const struct user_mount *m, size_t n,
			      struct ward_err *err)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t id = 0;

		if (mount_id_at(rootfd, m[i].dst, &id) < 0 || id != m[i].id)
			return ward_err_set(err, WARD_STEP_VERIFY, 0,
					    "the %s at %s is hidden by a later mount",
					    m[i].bind ? "bind" : m[i].volume >= 0 ? "volume" : "tmpfs",
					    m[i].dst);
	}
	return 0;
}

static int mount_one(int rootfd, const struct ward_plan *plan,
		     const struct user_mount *m, struct ward_err *err)
{
	if (m->bind)
		return mount_bind(rootfd, m->bind, m->src, plan->engine_sockets, err);
	if (m->volume >= 0)
		return ward_volume_mount(rootfd, plan, (size_t)m->volume, m->src, err);
	return mount_tmpfs(rootfd, plan, m->dst, "0755", m->tmpfs->size, err);
}

/* /tmp, /run, then the tmpfs, binds and volumes, shallower first. */
static int mount_writable(int rootfd, const struct ward_plan *plan,
			  const int *src_fds, const int *volume_fds,
			  struct ward_err *err)
{
	struct user_mount m[WARD_MAX_BINDS + WARD_MAX_TMPFS + WARD_MAX_VOLUMES];
	size_t n = order_user_mounts(plan, src_fds, volume_fds, m);
	int r;

	if ((r = mount_tmpfs(rootfd, plan, "/tmp", "1777", 0, err)) < 0 ||
	    (r = mount_tmpfs(rootfd, plan, "/run", "0755", 0, err)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		r = mount_one(rootfd, plan, &m[i], err);
		if (r < 0 || (r = id_at(rootfd, &m[i], &m[i].id, err)) < 0)
			return r;
	}
	return verify_user_mounts(rootfd, m, n, err);
}

/* Read back what the kernel says of the new root: read-only, nosuid,
 * nodev. */
static int verify_root(struct ward_err *err)
{
	struct statvfs sv;
	unsigned long want = ST_RDONLY | ST_NOSUID | ST_NODEV;

	if (statvfs("/", &sv) < 0)
		return ward_err_set(err, WARD_STEP_VERIFY, errno, "statvfs /");
	if ((sv.f_flag & want) != want)
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "the new root is not read-only, nosuid and nodev (flags 0x%lx)",
				    sv.f_flag);
	return 0;
}

static int pivot_into(int rootfd, struct ward_err *err)
{
	if (fchdir(rootfd) < 0)
		return ward_err_set(err, WARD_STEP_PIVOT, errno, "fchdir new root");
	/* pivot_root(".", ".") stacks the old root on top of the new one;
	 * detaching "." then drops the staging tmpfs and the host with it. */
	if (sys_pivot_root(".", ".") < 0)
		return ward_err_set(err, WARD_STEP_PIVOT, errno, "pivot_root");
	if (sys_umount2(".", MNT_DETACH) < 0)
		return ward_err_set(err, WARD_STEP_PIVOT, errno,
				    "detaching the old root");
	if (chdir("/") < 0)
		return ward_err_set(err, WARD_STEP_PIVOT, errno, "chdir /");
	return 0;
}

/* Something is mounted on the directory @fd (its parent is on another
 * mount), or it cannot be told. */
static bool is_mount_root(int fd)
{
	struct statx self, up;

	return statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &self) < 0 ||
	       statx(fd, "..", AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &up) < 0 ||
	       !(self.stx_mask & up.stx_mask & STATX_MNT_ID) ||
	       self.stx_mnt_id != up.stx_mnt_id;
}

/* Host objects are opened first, with the launcher's own file access:
 * after the fsuid change below, host directories such as /root may no
 * longer be searchable. */
static int open_sources(const struct ward_plan *plan, int *src_fds,
			int *rootfs_fd, struct ward_err *err)
{
	struct stat st;

	for (size_t i = 0; i < plan->nbinds; i++) {
		src_fds[i] = open_host_source(&plan->binds[i], err);
		if (src_fds[i] < 0)
			return src_fds[i];
	}
	if (!plan->rootfs)
		return 0;
	/* Readable: build_image_root lists it. */
	*rootfs_fd = open(plan->rootfs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					O_CLOEXEC);
	if (*rootfs_fd < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "open rootfs %s",
				    plan->rootfs);
	if (fstat(*rootfs_fd, &st) < 0 || st.st_dev != plan->rootfs_dev ||
	    st.st_ino != plan->rootfs_ino)
		return ward_err_set(err, WARD_STEP_MOUNTS, 0,
				    "rootfs %s changed since it was checked; refusing",
				    plan->rootfs);
	if (plan->rootfs_alone && is_mount_root(*rootfs_fd))
		return ward_err_set(err, WARD_STEP_MOUNTS, EXDEV,
				    "%s is a mount point; a cached tree is bound without "
				    "mounts: unmount it", plan->rootfs);
	return 0;
}

/* Files ward creates (staging, mount points, /dev) must be owned by an
 * id mapped in the user namespace; as root the launcher's own uid 0 is
 * deliberately unmapped, so creation would fail with EOVERFLOW. */
static int use_mapped_fsids(const struct ward_plan *plan, struct ward_err *err)
{
	setfsgid(plan->gid);
	setfsuid(plan->uid);
	if (setfsgid((gid_t)-1) != (int)plan->gid ||
	    setfsuid((uid_t)-1) != (int)plan->uid)
		return ward_err_set(err, WARD_STEP_MOUNTS, EPERM,
				    "setfsuid/setfsgid to %u:%u", plan->uid, plan->gid);
	return 0;
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static int setup_with_sources(const struct ward_plan *plan, const int *src_fds,
			      int rootfs_fd, int *volume_fds, struct ward_err *err);

int ward_rootfs_setup(const struct ward_plan *plan, struct ward_err *err)
{
	int src_fds[WARD_MAX_BINDS], volume_fds[WARD_MAX_VOLUMES];
	int rootfs_fd = -1, r;

	for (size_t i = 0; i < WARD_MAX_BINDS; i++)
		src_fds[i] = -1;
	for (size_t i = 0; i < WARD_MAX_VOLUMES; i++)
		volume_fds[i] = -1;
	r = open_sources(plan, src_fds, &rootfs_fd, err);
	if (r == 0)
		r = setup_with_sources(plan, src_fds, rootfs_fd, volume_fds, err);
	close_all(src_fds, plan->nbinds);
	close_all(volume_fds, plan->nvolumes);
	if (rootfs_fd >= 0)
		close(rootfs_fd);
	return r;
}

static int setup_with_sources(const struct ward_plan *plan, const int *src_fds,
			      int rootfs_fd, int *volume_fds, struct ward_err *err)
{
	_cleanup_close_ int rootfd = -1;
	int r;

	if ((r = use_mapped_fsids(plan, err)) < 0 ||
	    (r = enter_staging(err)) < 0)
		return r;
	ward_mnt_tree_owner(plan->rootfs ? "the image's" : "the host's");
	r = plan->rootfs ? build_image_root(plan->rootfs, rootfs_fd, plan->rootfs_alone, err)
			 : build_host_root(err);
	if (r < 0)
		return r;
	rootfd = open(WARD_NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "open new root");
	/* The volumes' content, before anything is mounted over it. */
	if ((r = ward_volumes_open(rootfd, plan, volume_fds, err)) < 0 ||
	    (r = create_mount_points(rootfd, plan, err)) < 0 ||
	    (r = ward_mnt_setattr(rootfd, RO_ATTRS, true, WARD_STEP_READONLY,
				  "the root, recursively", err)) < 0 ||
	    (r = ward_rootfs_mount_proc(rootfd, err)) < 0 ||
	    (r = ward_rootfs_mount_dev(rootfd, err)) < 0 ||
	    (r = mount_writable(rootfd, plan, src_fds, volume_fds, err)) < 0 ||
	    (r = ward_etc_files_mount(rootfd, plan, err)) < 0)
		return r;
	if ((r = pivot_into(rootfd, err)) < 0)
		return r;
	return verify_root(err);
}
