/* Volumes: a private tmpfs per path, filled with a copy of the root's
 * content there (volumes.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/openat2.h"
#include "base/util.h"
#include "launch/mounts.h"
#include "launch/volumes.h"

/* What one volume's copy has used of its bounds. */
struct copy {
	const struct ward_plan *plan;
	const char *volume;
	uint64_t bytes;
	size_t entries;
	char path[PATH_MAX]; /* the entry being copied, for messages */
	struct ward_err *err;
};

/* Beneath (or at) a mount made after the root is read-only: the root's
 * content there is hidden anyway, and the mount point is made on it. */
static bool beneath_later_mount(const struct ward_plan *plan, const char *dst)
{
	if (ward_path_is_beneath(dst, "/tmp") || ward_path_is_beneath(dst, "/run"))
		return true;
	for (size_t i = 0; i < plan->ntmpfs; i++)
		if (ward_path_is_beneath(dst, plan->tmpfs[i].dst))
			return true;
	for (size_t i = 0; i < plan->nbinds; i++)
		if (ward_path_is_beneath(dst, plan->binds[i].dst))
			return true;
	return false;
}

static int open_content(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};

	return ward_openat2(rootfd, path + 1, &how);
}

int ward_volumes_open(int rootfd, const struct ward_plan *plan, int *fds,
		      struct ward_err *err)
{
	for (size_t i = 0; i < plan->nvolumes; i++)
		fds[i] = -1;
	for (size_t i = 0; i < plan->nvolumes; i++) {
		const char *v = plan->volumes[i];

		if (beneath_later_mount(plan, v))
			continue;
		fds[i] = open_content(rootfd, v);
		if (fds[i] >= 0)
			continue;
		if (fds[i] == -ELOOP)
			return ward_err_set(err, WARD_STEP_TMPFS, ELOOP,
					    "volume %s: a symlink on its way in the root; ward never mounts through a symlink",
					    v);
		if (fds[i] == -ENOENT) {
			/* An empty volume: its mount point is made as any
			 * other's (ward_mnt_ensure says where it cannot). */
			fds[i] = -1;
			continue;
		}
		if (fds[i] == -ENOTDIR)
			return ward_err_set(err, WARD_STEP_TMPFS, ENOTDIR,
					    "volume %s: not a directory in the root (or a file on its way); give another path, or drop the volume",
					    v);
		return ward_err_set(err, WARD_STEP_TMPFS, -fds[i], "volume %s", v);
	}
	return 0;
}

/* ---- the copy ----------------------------------------------------------- */

static bool in_groups(const struct ward_plan *plan, gid_t gid)
{
	if (gid == plan->gid)
		return true;
	for (size_t i = 0; plan->groups == WARD_GROUPS_LIST && i < plan->ngroups; i++)
		if (plan->group_list[i] == gid)
			return true;
	return false;
}

/* The copy's mode: the permission bits (never setuid, setgid or sticky),
 * and the owner's read and write (and search, for a directory): the
 * copy is the program's own, and a volume it cannot write is no use.
 * A rootless cache keeps the modes as its user sees them (0500 for a
 * root directory of mode 0755), which this gives back. */
static mode_t copy_mode(const struct stat *st)
{
	return (st->st_mode & 0777) | (S_ISDIR(st->st_mode) ? S_IRWXU : S_IRUSR | S_IWUSR);
}

/* What the program's user could do with @st in the root (the ids as the
 * sandbox sees them): read a file, list and enter a directory. */
static bool user_can_read(const struct ward_plan *plan, const struct stat *st)
{
	mode_t need = S_ISDIR(st->st_mode) ? 5 : 4;
	unsigned shift = st->st_uid == plan->uid ? 6 : in_groups(plan, st->st_gid) ? 3 : 0;

	return ((st->st_mode >> shift) & need) == need;
}

static int copy_err(struct copy *c, int errnum, const char *what)
{
	return ward_err_set(c->err, WARD_STEP_TMPFS, errnum, "volume %s: %s %s",
			    c->volume, what, c->path);
}

/* @name of @c->path's directory: "VOLUME/sub/name" into c->path while
 * it is copied; returns the old length to restore. */
static size_t enter(struct copy *c, const char *name)
{
	size_t n = strlen(c->path);

	snprintf(c->path + n, sizeof(c->path) - n, "/%s", name);
	return n;
}

static int count_entry(struct copy *c, uint64_t bytes)
{
	if (++c->entries > WARD_VOLUME_MAX_ENTRIES)
		return ward_err_set(c->err, WARD_STEP_TMPFS, E2BIG,
				    "volume %s: more than %u entries to copy", c->volume,
				    WARD_VOLUME_MAX_ENTRIES);
	if (bytes > WARD_VOLUME_MAX_BYTES - c->bytes)
		return ward_err_set(c->err, WARD_STEP_TMPFS, EFBIG,
				    "volume %s: more than %llu MiB to copy", c->volume,
				    (unsigned long long)(WARD_VOLUME_MAX_BYTES >> 20));
	c->bytes += bytes;
	return 0;
}

static int copy_bytes(struct copy *c, int in, int out, uint64_t size)
{
	char buf[65536];
	uint64_t done = 0;

	while (done < size) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return copy_err(c, errno, "reading");
		if (n == 0)
			break; /* shrank meanwhile: what was there */
		if ((uint64_t)n > size - done)
			n = (ssize_t)(size - done); /* grew: what was stat'ed */
		for (ssize_t w = 0; w < n;) {
			ssize_t k = write(out, buf + w, (size_t)(n - w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				return copy_err(c, k < 0 ? errno : EIO, "writing");
			w += k;
		}
		done += (uint64_t)n;
	}
	return 0;
}

static int copy_file(struct copy *c, int src, int dst, const char *name,
		     const struct stat *st)
{
	_cleanup_close_ int in = -1, out = -1;
	struct stat again;
	int r;

	if ((r = count_entry(c, (uint64_t)st->st_size)) < 0)
		return r;
	in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (in < 0)
		return copy_err(c, errno, "opening");
	if (fstat(in, &again) < 0 || again.st_dev != st->st_dev || again.st_ino != st->st_ino)
		return copy_err(c, 0, "changed while it was copied:");
	out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     copy_mode(st));
	if (out < 0)
		return copy_err(c, errno, "creating");
	return copy_bytes(c, in, out, (uint64_t)st->st_size);
}

static int copy_link(struct copy *c, int src, int dst, const char *name)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);
	int r;

	if ((r = count_entry(c, 0)) < 0)
		return r;
	if (n < 0)
		return copy_err(c, errno, "reading the link");
	target[n] = '\0';
	if (symlinkat(target, dst, name) < 0)
		return copy_err(c, errno, "creating the link");
	return 0;
}

static int copy_dir(struct copy *c, int src, int dst, unsigned depth);

static int copy_subdir(struct copy *c, int src, int dst, const char *name,
		       const struct stat *st, unsigned depth)
{
	_cleanup_close_ int in = -1, out = -1;
	int r;

	if ((r = count_entry(c, 0)) < 0)
		return r;
	if (depth >= WARD_VOLUME_MAX_DEPTH)
		return ward_err_set(c->err, WARD_STEP_TMPFS, ELOOP,
				    "volume %s: deeper than %u directories at %s", c->volume,
				    WARD_VOLUME_MAX_DEPTH, c->path);
	in = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return copy_err(c, errno, "opening");
	if (mkdirat(dst, name, 0700) < 0)
		return copy_err(c, errno, "creating");
	out = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (out < 0)
		return copy_err(c, errno, "opening the copy of");
	if ((r = copy_dir(c, in, out, depth + 1)) < 0)
		return r;
	return fchmod(out, copy_mode(st)) < 0 ? copy_err(c, errno, "chmod") : 0;
}

static int copy_entry(struct copy *c, int src, int dst, const char *name,
		      unsigned depth)
{
	struct stat st;

	if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return copy_err(c, errno, "stat");
	if (S_ISLNK(st.st_mode))
		return copy_link(c, src, dst, name);
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return 0; /* devices, FIFOs, sockets: never in a volume */
	if (!user_can_read(c->plan, &st))
		return ward_err_set(c->err, WARD_STEP_TMPFS, EACCES,
				    "volume %s: %s is not readable by uid %u in the root; ward would hand it over as the program's own: make it readable, or drop the volume",
				    c->volume, c->path, c->plan->uid);
	if (S_ISDIR(st.st_mode))
		return copy_subdir(c, src, dst, name, &st, depth);
	return copy_file(c, src, dst, name, &st);
}

static int copy_dir(struct copy *c, int src, int dst, unsigned depth)
{
	int dupfd = fcntl(src, F_DUPFD_CLOEXEC, 3);
	struct dirent *e;
	DIR *d;
	int r = 0;

	if (dupfd < 0 || !(d = fdopendir(dupfd))) {
		if (dupfd >= 0)
			close(dupfd);
		return copy_err(c, errno, "listing");
	}
	while (r == 0 && (errno = 0, e = readdir(d))) {
		size_t back;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		back = enter(c, e->d_name);
		r = copy_entry(c, src, dst, e->d_name, depth);
		c->path[back] = '\0';
	}
	if (r == 0 && errno)
		r = copy_err(c, errno, "listing");
	closedir(d);
	return r;
}

/* ---- the mounts ----------------------------------------------------------- */

static int fill(const struct ward_plan *plan, const char *volume, int src, int mnt,
		struct ward_err *err)
{
	struct copy c = {.plan = plan, .volume = volume, .err = err};
	_cleanup_close_ int top = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	int r;

	if (top < 0)
		return ward_err_set(err, WARD_STEP_TMPFS, errno, "volume %s: its tmpfs", volume);
	if (src < 0)
		return 0;
	if (fstat(src, &st) < 0)
		return ward_err_set(err, WARD_STEP_TMPFS, errno, "volume %s", volume);
	snprintf(c.path, sizeof(c.path), "%s", volume);
	if (!user_can_read(plan, &st))
		return ward_err_set(err, WARD_STEP_TMPFS, EACCES,
				    "volume %s: not readable by uid %u in the root; make it readable, or drop the volume",
				    volume, plan->uid);
	if ((r = copy_dir(&c, src, top, 1)) < 0)
		return r;
	return fchmod(top, copy_mode(&st)) < 0 ?
	       ward_err_set(err, WARD_STEP_TMPFS, errno, "volume %s: chmod", volume) : 0;
}

int ward_volume_mount(int rootfd, const struct ward_plan *plan, size_t i, int src,
		      struct ward_err *err)
{
	static const char *const opts[] = {"mode", "0755", "size", WARD_VOLUME_SIZE,
					   "nr_inodes", WARD_VOLUME_INODES, NULL};
	const char *v = plan->volumes[i];
	_cleanup_close_ int dst = -1, mnt = -1, now = -1;
	int r;

	dst = ward_mnt_ensure(rootfd, v, S_IFDIR, WARD_STEP_TMPFS, err);
	if (dst < 0)
		return dst;
	mnt = ward_mnt_new_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
			      WARD_STEP_TMPFS, v, err);
	if (mnt < 0)
		return mnt;
	/* Filled while detached: the program never sees it half-made. */
	if ((r = fill(plan, v, src, mnt, err)) < 0 ||
	    (r = ward_mnt_attach(mnt, dst, WARD_STEP_TMPFS, v, err)) < 0)
		return r;
	now = ward_mnt_open(rootfd, v);
	if (now < 0 || ward_mnt_own(now) < 0)
		return ward_err_set(err, WARD_STEP_TMPFS, now < 0 ? -now : errno,
				    "volume %s: opening its tmpfs", v);
	return 0;
}
