/* The unpacker's file system operations: every path resolved beneath
 * the tree's root with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS),
 * so a symlink extracted earlier leads where it leads inside the image,
 * never out of it; every removal made with *at calls on directories
 * opened with O_NOFOLLOW, so it never leaves the tree either. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/openat2.h"
#include "image/unpack_int.h"

/* Directories beneath directories while removing: a tree reached through
 * symlinks can be deeper than any one name. */
#define MAX_REMOVE_DEPTH 4096u
/* Free space is measured again after this many bytes. */
#define RECHECK_BYTES (256ull << 20)

int unpack_fail(struct unpacker *u, int errnum, const char *path, const char *fmt, ...)
{
	char esc[160], what[WARD_ERR_MSG_MAX / 2];
	va_list ap;

	ward_image_escape(path, esc, sizeof(esc));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ward_err_set(u->err, WARD_STEP_IMAGE, errnum, "%s: entry '%s': %s",
			    u->what ? u->what : "image", esc, what);
}

int unpack_in_root(struct unpacker *u, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve,
	};

	return ward_openat2(u->root, *path ? path : ".", &how);
}

int unpack_real_path(struct unpacker *u, int fd, char *real)
{
	char link[64], *buf = u->real2;
	size_t cap = u->lim->max_path + 2;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, cap);
	if (n < 0 || (size_t)n >= cap)
		return ward_err_set(u->err, WARD_STEP_IMAGE, n < 0 ? errno : ENAMETOOLONG,
				    "%s: cannot tell where a directory reached through a symlink is (readlink %s)",
				    u->what ? u->what : "image", link);
	buf[n] = '\0';
	if (strncmp(buf, u->root_real, u->root_real_len) != 0 ||
	    (buf[u->root_real_len] != '/' && buf[u->root_real_len] != '\0'))
		return ward_err_set(u->err, WARD_STEP_IMAGE, EXDEV,
				    "%s: a directory reached through a symlink is outside the tree",
				    u->what ? u->what : "image");
	n -= (ssize_t)u->root_real_len;
	memmove(real, buf + u->root_real_len + (n > 0), (size_t)n + (n == 0));
	return 0;
}

/* Record a directory the tree needed and the image did not list. */
static int record_implicit(struct unpacker *u, int fd)
{
	char *real = malloc(u->lim->max_path + 2);
	struct upath *p = NULL, *l = NULL;
	int r = real ? unpack_real_path(u, fd, real)
		     : ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "%s", u->what);

	if (r == 0 && (!(p = uindex_put(&u->all, real)) || !(l = uindex_put(&u->layer, real))))
		r = ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "%s", u->what);
	free(real);
	if (r < 0)
		return r;
	p->type = UP_DIR;
	p->uid = p->gid = 0;
	p->mode = 0755;
	p->flags = 0;
	l->flags |= UP_MADE;
	return 0;
}

static int make_dirs(struct unpacker *u, const char *dir, char *real, unsigned hops);

/* Why the directory an entry is beneath cannot be opened (-errno @r). */
static const char *why_not(int r)
{
	return r == -ENOTDIR ? "not a directory, yet an entry is beneath it" :
	       r == -ELOOP ? "a symlink loop (resolved inside the tree), yet an entry is beneath it"
			   : "cannot open it";
}

/* The component @name of @prefix (whose parent is @pfd) is a symlink to
 * nothing: make its target, resolved inside the tree as the kernel would
 * (".." stops at the root), as Docker's securejoin does. */
static int make_target(struct unpacker *u, int pfd, const char *name, const char *prefix,
		       unsigned hops)
{
	size_t cap = u->lim->max_path + 1, plen = (size_t)(name - prefix);
	char *target = malloc(cap), *path = malloc(2 * cap + 2);
	ssize_t n = target ? readlinkat(pfd, name, target, cap) : -1;
	int fd = -ENOMEM;

	if (n > 0 && (size_t)n < cap && path && hops < 40) {
		target[n] = '\0';
		if (target[0] == '/')
			snprintf(path, 2 * cap + 2, "%s", target + 1);
		else
			snprintf(path, 2 * cap + 2, "%.*s%s", (int)plen, prefix, target);
		fd = make_dirs(u, path, NULL, hops + 1);
	} else {
		fd = unpack_fail(u, n < 0 ? errno : ELOOP, prefix,
				 "a symlink that cannot be followed, yet an entry is beneath it");
	}
	free(target);
	free(path);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* Create the directories of @dir that are missing, one component at a
 * time, each one looked up from the root (following symlinks inside the
 * tree); then open @dir and, if @real, say where it is. */
static int make_dirs(struct unpacker *u, const char *dir, char *real, unsigned hops)
{
	size_t len = strlen(dir);
	char *buf = strdup(dir);
	int r = 0;

	if (!buf)
		return ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "%s", u->what);
	for (size_t i = 1; i <= len && r >= 0; i++) {
		char *slash, save;
		const char *name;
		int fd, pfd;

		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		save = buf[i];
		buf[i] = '\0';
		fd = unpack_in_root(u, buf, O_PATH | O_DIRECTORY, 0);
		if (fd == -ENOENT) {
			slash = strrchr(buf, '/');
			name = slash ? slash + 1 : buf;
			if (slash)
				*slash = '\0';
			pfd = unpack_in_root(u, slash ? buf : "", O_PATH | O_DIRECTORY, 0);
			if (slash)
				*slash = '/';
			if (pfd < 0) {
				r = unpack_fail(u, -pfd, buf, "cannot open its parent");
				break;
			}
			if (mkdirat(pfd, name, 0700) < 0 &&
			    (errno != EEXIST || (r = make_target(u, pfd, name, buf, hops)) < 0))
				r = r < 0 ? r : unpack_fail(u, errno, buf, "mkdir");
			close(pfd);
			if (r < 0)
				break;
			fd = unpack_in_root(u, buf, O_PATH | O_DIRECTORY, 0);
			if (fd >= 0 && (r = record_implicit(u, fd)) < 0) {
				close(fd);
				break;
			}
		}
		if (fd < 0)
			r = unpack_fail(u, -fd, buf, "%s", why_not(fd));
		else
			close(fd);
		buf[i] = save;
	}
	free(buf);
	if (r < 0)
		return r;
	r = unpack_in_root(u, dir, O_PATH | O_DIRECTORY, 0);
	if (r < 0)
		return unpack_fail(u, -r, dir, "cannot open it");
	if (real && unpack_real_path(u, r, real) < 0) {
		close(r);
		return -u->err->errnum;
	}
	return r;
}

int unpack_open_dir(struct unpacker *u, const char *dir, bool create, char *real)
{
	int fd = unpack_in_root(u, dir, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS);

	if (fd >= 0) {
		snprintf(real, u->lim->max_path + 2, "%s", dir);
		return fd;
	}
	if (fd == -ELOOP) { /* a symlink on the way: followed inside the tree */
		fd = unpack_in_root(u, dir, O_PATH | O_DIRECTORY, 0);
		if (fd >= 0) {
			if (unpack_real_path(u, fd, real) < 0) {
				close(fd);
				return -u->err->errnum;
			}
			return fd;
		}
	}
	if (fd == -ENOENT && !create)
		return fd;
	if (fd == -ENOENT)
		return make_dirs(u, dir, real, 0);
	return unpack_fail(u, -fd, dir, "%s", why_not(fd));
}

void unpack_forget_parent(struct unpacker *u)
{
	if (u->pfd >= 0)
		close(u->pfd);
	u->pfd = -1;
	free(u->pdir);
	free(u->preal);
	u->pdir = u->preal = NULL;
}

int unpack_parent(struct unpacker *u, const char *path, bool create,
		  const char **base, char *real)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0, cap = u->lim->max_path + 2;
	int fd;

	*base = slash ? slash + 1 : path;
	if (!u->pdir || strlen(u->pdir) != dlen || memcmp(u->pdir, path, dlen) != 0) {
		char *dir = strndup(path, dlen), *dreal = malloc(cap);

		unpack_forget_parent(u);
		if (!dir || !dreal) {
			free(dir);
			free(dreal);
			return ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "%s", u->what);
		}
		fd = unpack_open_dir(u, dir, create, dreal);
		if (fd < 0) {
			free(dir);
			free(dreal);
			return fd;
		}
		u->pfd = fd;
		u->pdir = dir;
		u->preal = dreal;
	}
	if ((size_t)snprintf(real, cap, "%s%s%s", u->preal, *u->preal ? "/" : "", *base) >=
	    cap)
		return unpack_fail(u, ENAMETOOLONG, path,
				   "its path in the tree is longer than WARD_IMAGE_MAX_PATH");
	return u->pfd;
}

int unpack_remove_all(struct unpacker *u, int dir, const char *name, unsigned depth)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd, r = 0;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : unpack_fail(u, errno, name, "stat");
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dir, name, 0) < 0 && errno != ENOENT)
			return unpack_fail(u, errno, name, "unlink");
		return 0;
	}
	if (depth > MAX_REMOVE_DEPTH)
		return unpack_fail(u, ELOOP, name, "directories more than %u deep", MAX_REMOVE_DEPTH);
	fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		r = unpack_fail(u, errno, name, "open");
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r == 0 && (de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			r = unpack_remove_all(u, dirfd(d), de->d_name, depth + 1);
	closedir(d);
	if (r == 0 && unlinkat(dir, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		r = unpack_fail(u, errno, name, "rmdir");
	return r;
}

int unpack_prune(struct unpacker *u, int dir, char *real, unsigned depth)
{
	size_t len = strlen(real), cap = u->lim->max_path + 2;
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	if (depth > MAX_REMOVE_DEPTH)
		return unpack_fail(u, ELOOP, real, "directories more than %u deep", MAX_REMOVE_DEPTH);
	fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		r = unpack_fail(u, errno, real, "open");
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r == 0 && (de = readdir(d))) {
		struct upath *p = NULL;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(real + len, cap - len, "%s%s", len ? "/" : "",
				     de->d_name) < cap - len)
			p = uindex_find(&u->layer, real);
		if (!p) {
			r = unpack_remove_all(u, dirfd(d), de->d_name, depth + 1);
		} else if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			   S_ISDIR(st.st_mode)) {
			int cfd = openat(dirfd(d), de->d_name,
					 O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (cfd < 0)
				r = unpack_fail(u, errno, real, "open");
			else
				r = unpack_prune(u, cfd, real, depth + 1);
			if (cfd >= 0)
				close(cfd);
		}
		real[len] = '\0';
	}
	closedir(d);
	return r;
}

int unpack_reserve(struct unpacker *u, const char *path, uint64_t bytes)
{
	struct statvfs vfs;
	uint64_t total, avail, keep;

	bytes += 4096; /* the inode and the directory entry, roughly */
	if (bytes <= u->budget && u->since_check < RECHECK_BYTES) {
		u->budget -= bytes;
		u->since_check += bytes;
		return 0;
	}
	if (fstatvfs(u->root, &vfs) < 0)
		return unpack_fail(u, errno, path, "statvfs of the tree's file system");
	total = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	keep = total / 20;
	u->budget = avail > keep ? avail - keep : 0;
	u->since_check = 0;
	if (bytes > u->budget)
		return unpack_fail(u, ENOSPC, path,
				   "writing it would leave less than 5%% of the file system free (%llu bytes available): free some space or point the image cache elsewhere",
				   (unsigned long long)avail);
	u->budget -= bytes;
	u->since_check += bytes;
	return 0;
}
