/* The unpacker's sink: each entry of a layer written beneath the tree's
 * root as the scanner reads it (ward_image_scan_layer_to).
 *
 * Parents are opened with RESOLVE_IN_ROOT (unpack_fs.c) and the last
 * component is created there with O_EXCL / O_NOFOLLOW semantics, after
 * whatever was at that name is removed (a directory over a directory
 * merges, as Docker does).  Regular files are created 0600 and streamed
 * in the blocks libarchive hands over; directories are created 0700 and
 * get their modes and times at the end (unpack.c).  Devices, FIFOs and
 * sockets are dropped and counted; setuid and setgid never reach the
 * disk; xattrs are never read from the tar.  A hard link may only name a
 * regular file already in the tree.  Whiteouts and opaque directories
 * remove only what earlier layers made: the per-layer index says what
 * this layer made. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/archive_dl.h"
#include "image/unpack_int.h"

int unpacker_init(struct unpacker *u, int root, const struct ward_image_limits *lim,
		  bool keep_owners, struct ward_err *err)
{
	size_t cap = lim->max_path + 2;
	char link[64];
	ssize_t n;

	memset(u, 0, sizeof(*u));
	u->root = root;
	u->lim = lim;
	u->keep_owners = keep_owners;
	u->err = err;
	u->pfd = u->fd = -1;
	u->real = malloc(cap);
	u->real2 = malloc(cap);
	u->lreal = malloc(cap);
	u->root_real = malloc(cap);
	if (!u->real || !u->real2 || !u->lreal || !u->root_real)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "unpack");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", root);
	n = readlink(link, u->root_real, cap);
	if (n <= 0 || (size_t)n >= cap)
		return ward_err_set(err, WARD_STEP_IMAGE, n < 0 ? errno : ENAMETOOLONG,
				    "unpack: cannot tell where the tree is (readlink %s; is /proc mounted?)",
				    link);
	u->root_real[n] = '\0';
	u->root_real_len = (size_t)n;
	return 0;
}

void unpacker_free(struct unpacker *u)
{
	unpack_forget_parent(u);
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	uindex_free(&u->all);
	uindex_free(&u->layer);
	free(u->real);
	free(u->real2);
	free(u->lreal);
	free(u->root_real);
	u->real = u->real2 = u->lreal = u->root_real = NULL;
}

int unpacker_layer_done(struct unpacker *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	uindex_clear(&u->layer);
	unpack_forget_parent(u);
	return 0;
}

/* ---- what this layer made ------------------------------------------------------------ */

/* @real was made by this layer, and so something beneath each of its
 * ancestors was. */
static int mark_made(struct unpacker *u, const char *real)
{
	struct upath *p = uindex_put(&u->layer, real);
	char *buf = u->real2;
	size_t len;

	if (!p)
		return ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "%s", u->what);
	p->flags |= UP_MADE;
	len = strlen(real);
	memcpy(buf, real, len + 1);
	while (len > 0) {
		while (len > 0 && buf[len] != '/')
			len--;
		buf[len] = '\0';
		if (!(p = uindex_put(&u->layer, buf)))
			return ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "%s", u->what);
		if (p->flags & UP_ANCESTOR)
			break;
		p->flags |= UP_ANCESTOR;
	}
	return 0;
}

int unpack_record(struct unpacker *u, const char *real, uint8_t type, uint32_t uid,
			  uint32_t gid, uint32_t mode, const struct timespec *mtime)
{
	struct upath *p = uindex_put(&u->all, real);

	if (!p)
		return ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "%s", u->what);
	p->type = type;
	p->uid = uid;
	p->gid = gid;
	p->mode = mode;
	p->flags = mtime ? UP_MTIME : 0;
	if (mtime)
		p->mtime = *mtime;
	return mark_made(u, real);
}

/* ---- whiteouts ------------------------------------------------------------------------- */

static int whiteout(struct unpacker *u, const char *path)
{
	const char *base;
	struct upath *p;
	int pfd = unpack_parent(u, path, false, &base, u->real), fd, r;

	if (pfd == -ENOENT || pfd == -ENOTDIR)
		return 0; /* nothing there to delete */
	if (pfd < 0)
		return pfd;
	p = uindex_find(&u->layer, u->real);
	if (p && (p->flags & UP_MADE))
		return 0; /* made by this layer: whiteouts hide lower layers only */
	if (!p)
		return unpack_remove_all(u, pfd, base, 0);
	/* this layer wrote beneath it: the rest goes */
	fd = openat(pfd, base, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOTDIR || errno == ELOOP ? unpack_remove_all(u, pfd, base, 0)
							   : unpack_fail(u, errno, path, "open");
	r = unpack_prune(u, fd, u->real, 0);
	close(fd);
	return r;
}

static int opaque(struct unpacker *u, const char *dir)
{
	int fd = unpack_open_dir(u, dir, false, u->real), r;

	if (fd == -ENOENT || fd == -ENOTDIR)
		return 0;
	if (fd < 0)
		return fd;
	r = unpack_prune(u, fd, u->real, 0);
	close(fd);
	return r;
}

/* ---- entries ------------------------------------------------------------------------------ */

struct attrs {
	uint32_t uid, gid, mode;
	struct timespec mtime;
	bool mtime_set;
};

static int attrs_of(struct unpacker *u, const char *path, struct archive_entry *e,
		    struct attrs *a)
{
	la_int64_t uid = archive_entry_uid(e), gid = archive_entry_gid(e);

	if (uid < 0 || gid < 0 || uid >= UINT32_MAX || gid >= UINT32_MAX)
		return unpack_fail(u, EINVAL, path, "its owner %lld:%lld is not a valid id",
				   (long long)uid, (long long)gid);
	a->uid = (uint32_t)uid;
	a->gid = (uint32_t)gid;
	a->mode = (uint32_t)archive_entry_perm(e) & 07777;
	a->mtime_set = archive_entry_mtime_is_set(e) != 0;
	a->mtime.tv_sec = archive_entry_mtime(e);
	a->mtime.tv_nsec = archive_entry_mtime_nsec(e);
	if (a->mtime.tv_nsec < 0 || a->mtime.tv_nsec >= 1000000000L)
		a->mtime.tv_nsec = 0;
	return 0;
}

/* Make room for @base in @pfd: whatever is there is removed, except a
 * directory when @merge_dir (a directory over a directory merges, as
 * Docker does: *@exists says so). */
static int clear_name(struct unpacker *u, int pfd, const char *base, const char *path,
		      bool merge_dir, bool *exists)
{
	struct stat st;
	int r;

	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (merge_dir && S_ISDIR(st.st_mode)) {
			*exists = true;
			return 0;
		}
		return (r = unpack_remove_all(u, pfd, base, 0)) < 0 ? r : 0;
	}
	if (errno != ENOENT)
		return unpack_fail(u, errno, path, "stat");
	return 0;
}

static int make_dir(struct unpacker *u, int pfd, const char *base, const char *path,
		    bool exists, const struct attrs *a)
{
	if (!exists && mkdirat(pfd, base, 0700) < 0)
		return unpack_fail(u, errno, path, "mkdir");
	if (u->keep_owners && fchownat(pfd, base, a->uid, a->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return unpack_fail(u, errno, path, "chown");
	return unpack_record(u, u->real, UP_DIR, a->uid, a->gid, a->mode,
		      a->mtime_set ? &a->mtime : NULL);
}

static int make_file(struct unpacker *u, int pfd, const char *base, const char *path,
		     struct archive_entry *e, const struct attrs *a)
{
	uint64_t size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
				? (uint64_t)archive_entry_size(e) : 0;
	int r;

	if ((r = unpack_reserve(u, path, size)) < 0)
		return r;
	u->fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (u->fd < 0 && errno == EEXIST) {
		if ((r = clear_name(u, pfd, base, path, false, NULL)) < 0)
			return r;
		u->fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if (u->fd < 0)
		return unpack_fail(u, errno, path, "create");
	u->fsize = size;
	u->fend = 0;
	u->fuid = a->uid;
	u->fgid = a->gid;
	u->fmode = a->mode & ~(uint32_t)(S_ISUID | S_ISGID);
	u->fmtime = a->mtime;
	u->fmtime_set = a->mtime_set;
	return unpack_record(u, u->real, UP_FILE, a->uid, a->gid, u->fmode,
		      a->mtime_set ? &a->mtime : NULL);
}

static int make_symlink(struct unpacker *u, int pfd, const char *base, const char *path,
			struct archive_entry *e, const struct attrs *a)
{
	const char *target = ward_image_entry_symlink(e);
	struct timespec ts[2];

	if (!target || !*target)
		return unpack_fail(u, EINVAL, path, "a symlink without a target");
	if (symlinkat(target, pfd, base) < 0)
		return unpack_fail(u, errno, path, "symlink");
	if (u->keep_owners && fchownat(pfd, base, a->uid, a->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return unpack_fail(u, errno, path, "chown");
	if (a->mtime_set) {
		ts[0] = ts[1] = a->mtime;
		if (utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW) < 0)
			return unpack_fail(u, errno, path, "utimensat");
	}
	return unpack_record(u, u->real, UP_SYMLINK, a->uid, a->gid, 0777, NULL);
}

/* A hard link to @link (normalised from the root), which must be a
 * regular file already in the tree: its parent is resolved in the tree
 * like any other, the name itself never followed. */
static int make_hardlink(struct unpacker *u, int pfd, const char *base, const char *path,
			 const char *link)
{
	const char *slash = strrchr(link, '/'), *tbase = slash ? slash + 1 : link;
	char *tdir = strndup(link, slash ? (size_t)(slash - link) : 0), esc[160];
	struct upath *t, copy = {0};
	struct stat st;
	int tfd, r = 0;

	ward_image_escape(link, esc, sizeof(esc));
	if (!tdir)
		return ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "%s", u->what);
	tfd = unpack_open_dir(u, tdir, false, u->lreal);
	free(tdir);
	if (tfd < 0 || fstatat(tfd, tbase, &st, AT_SYMLINK_NOFOLLOW) < 0)
		r = unpack_fail(u, ENOENT, path,
				"a hard link to '%s', which is not in the tree (yet): refused", esc);
	else if (!S_ISREG(st.st_mode))
		r = unpack_fail(u, EINVAL, path,
				"a hard link to '%s', which is not a regular file: refused", esc);
	else if (linkat(tfd, tbase, pfd, base, 0) < 0)
		r = unpack_fail(u, errno, path, "link to '%s'", esc);
	if (tfd >= 0)
		close(tfd);
	if (r < 0)
		return r;
	/* the same inode: the target's record */
	if (strlen(u->lreal) + strlen(tbase) + 2 <= u->lim->max_path + 2) {
		size_t l = strlen(u->lreal);

		snprintf(u->lreal + l, u->lim->max_path + 2 - l, "%s%s", l ? "/" : "", tbase);
		if ((t = uindex_find(&u->all, u->lreal)))
			copy = *t;
	}
	if (!copy.type) {
		copy.type = UP_FILE;
		copy.uid = st.st_uid;
		copy.gid = st.st_gid;
		copy.mode = st.st_mode & 07777;
	}
	return unpack_record(u, u->real, UP_FILE, copy.uid, copy.gid, copy.mode,
		      copy.flags & UP_MTIME ? &copy.mtime : NULL);
}

static int on_entry(void *ctx, const char *path, enum ward_image_ev type,
		    struct archive_entry *e, const char *link, struct ward_err *err)
{
	struct unpacker *u = ctx;
	const char *base;
	struct attrs a;
	bool exists = false;
	int pfd, r;

	u->err = err;
	switch (type) {
	case WARD_IMAGE_EV_WHITEOUT:
		return whiteout(u, path);
	case WARD_IMAGE_EV_OPAQUE:
		return opaque(u, path);
	case WARD_IMAGE_EV_OTHER:
		u->dropped++; /* devices, FIFOs, sockets: never made */
		return 0;
	default:
		break;
	}
	if ((r = attrs_of(u, path, e, &a)) < 0)
		return r;
	if ((pfd = unpack_parent(u, path, true, &base, u->real)) < 0)
		return pfd;
	/* a file is created with O_EXCL first: the name is looked at only
	 * when something is there already (one stat less per file) */
	if (type != WARD_IMAGE_EV_FILE &&
	    (r = clear_name(u, pfd, base, path, type == WARD_IMAGE_EV_DIR, &exists)) < 0)
		return r;
	switch (type) {
	case WARD_IMAGE_EV_DIR:
		return make_dir(u, pfd, base, path, exists, &a);
	case WARD_IMAGE_EV_FILE:
		return make_file(u, pfd, base, path, e, &a);
	case WARD_IMAGE_EV_SYMLINK:
		return make_symlink(u, pfd, base, path, e, &a);
	case WARD_IMAGE_EV_HARDLINK:
		return make_hardlink(u, pfd, base, path, link);
	default:
		return 0;
	}
}

static int on_data(void *ctx, uint64_t off, const void *buf, size_t len,
		   struct ward_err *err)
{
	struct unpacker *u = ctx;
	const char *p = buf;

	u->err = err;
	if (u->fd < 0)
		return 0;
	while (len > 0) {
		ssize_t n = pwrite(u->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ward_err_set(err, WARD_STEP_IMAGE, n < 0 ? errno : EIO,
					    "%s: writing a file of the tree", u->what);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	if (off > u->fend)
		u->fend = off;
	return 0;
}

static int on_done(void *ctx, struct ward_err *err)
{
	struct unpacker *u = ctx;
	struct timespec ts[2];
	int r = 0, fd = u->fd;

	u->err = err;
	if (fd < 0)
		return 0;
	u->fd = -1;
	if (u->fend < u->fsize && ftruncate(fd, (off_t)u->fsize) < 0)
		r = -errno; /* a sparse file's last hole */
	if (r == 0 && u->keep_owners &&
	    (fchown(fd, u->fuid, u->fgid) < 0 || fchmod(fd, u->fmode) < 0))
		r = -errno;
	if (r == 0 && u->fmtime_set) {
		ts[0] = ts[1] = u->fmtime;
		if (futimens(fd, ts) < 0)
			r = -errno;
	}
	close(fd);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, -r,
				    "%s: setting a file's owner, mode or time", u->what);
	return 0;
}

const struct ward_image_sink unpacker_sink_ops = {
	.entry = on_entry,
	.data = on_data,
	.done = on_done,
};
