/* ward run --image: the image read once, verified and written out as a
 * tree (unpack.h).  The reading is ward_image_read's own
 * (ward_image_read_with): the layers streamed in order, each entry
 * audited and handed to the writer (unpack_write.c) on the same pass.
 * Then what Docker provides is made to exist (the files it mounts over,
 * the volumes' directories), the program's user is found (rootless) and
 * the final modes and directory times are set, deepest first, from the
 * path index: a walk of memory, not of the disk; the tree's own
 * directory last. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/unpack_int.h"
#include "kernel/userdb.h"

struct run {
	struct unpacker u;
	struct ward_image_sink sink;
	char what[WARD_ERR_MSG_MAX / 4];
};

static int on_layer(void *ctx, const struct ward_image *img, size_t layer,
		    const struct ward_image_sink **sink, struct ward_err *err)
{
	struct run *run = ctx;

	snprintf(run->what, sizeof(run->what), "%s: layer %zu", img->path, layer);
	run->u.what = run->what;
	run->u.err = err;
	run->sink = unpacker_sink_ops;
	run->sink.ctx = &run->u;
	*sink = &run->sink;
	return 0;
}

static int on_layer_done(void *ctx, size_t layer, struct ward_err *err)
{
	struct run *run = ctx;

	(void)layer;
	(void)err;
	return unpacker_layer_done(&run->u);
}

/* ---- what Docker mounts over ------------------------------------------------------------ */

/* @path an empty regular file unless one is there: a symlink or
 * anything else in its place is removed first. */
static int mount_file(struct unpacker *u, const char *path)
{
	const char *base;
	struct stat st;
	int pfd = unpack_parent(u, path, true, &base, u->real), fd;

	if (pfd < 0)
		return pfd;
	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
		return 0;
	if (unpack_remove_all(u, pfd, base, 0) < 0)
		return -u->err->errnum;
	fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return unpack_fail(u, errno, path, "create");
	if (u->keep_owners && (fchown(fd, 0, 0) < 0 || fchmod(fd, 0644) < 0)) {
		close(fd);
		return unpack_fail(u, errno, path, "chown");
	}
	close(fd);
	return unpack_record(u, u->real, UP_FILE, 0, 0, 0644, NULL);
}

/* A volume's directory, made with its parents, symlinks on the way
 * followed inside the tree (as Docker's securejoin does). */
static int mount_volume(struct unpacker *u, const char *vol)
{
	char *name = malloc(u->lim->max_path + 1), esc[160];
	const char *p = vol;
	struct stat st;
	int fd, r;

	ward_image_escape(vol, esc, sizeof(esc));
	if (!name)
		return ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "volume");
	while (*p == '/')
		p++;
	r = ward_image_member_name(p, u->lim, name, u->lim->max_path + 1);
	if (r < 0 || !*name) {
		free(name);
		return ward_err_set(u->err, WARD_STEP_IMAGE, EINVAL,
				    "%s: volume '%s': not a path beneath / (a '..' component, or / itself): refused",
				    u->what, esc);
	}
	fd = unpack_in_root(u, name, O_PATH, 0);
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))) {
		close(fd);
		free(name);
		return ward_err_set(u->err, WARD_STEP_IMAGE, ENOTDIR,
				    "%s: volume '%s' is not a directory in the image", u->what, esc);
	}
	if (fd < 0)
		fd = unpack_open_dir(u, name, true, u->real);
	free(name);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int mount_points(struct unpacker *u, const struct ward_image_config *c)
{
	static const char *const files[] = {"etc/hosts", "etc/hostname", "etc/resolv.conf"};
	int r;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if ((r = mount_file(u, files[i])) < 0)
			return r;
	for (size_t i = 0; i < c->nvolumes; i++)
		if ((r = mount_volume(u, c->volumes[i])) < 0)
			return r;
	unpacker_layer_done(u);
	return 0;
}

/* ---- the user and the final modes ---------------------------------------------------- */

static void read_db(struct unpacker *u, const char *path, char **buf, size_t *len)
{
	int fd = unpack_in_root(u, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return;
	if (ward_userdb_read_fd(fd, buf, len) < 0)
		*buf = NULL;
	close(fd);
}

struct final {
	struct unpacker *u;
	uid_t uid;
	gid_t gid;
	gid_t groups[WARD_UNPACK_MAX_GROUPS];
	size_t ngroups;
	/* the directory last opened, strictly (no symlink on the way) */
	char *dir;
	int dfd;
};

static int depth_of(const char *p)
{
	int d = 0;

	for (; *p; p++)
		d += *p == '/';
	return d;
}

static const struct uindex *sort_ix;

static int deepest_first(const void *a, const void *b)
{
	const char *pa = uindex_path(sort_ix, &sort_ix->v[*(const size_t *)a]);
	const char *pb = uindex_path(sort_ix, &sort_ix->v[*(const size_t *)b]);
	int da = depth_of(pa), db = depth_of(pb);

	return da != db ? db - da : strcmp(pa, pb);
}

/* Set the mode (and a directory's time) of @p.  A path that is no longer
 * there as recorded (removed by a later layer, or a symlink on its way
 * now) is skipped: it is not in the final tree. */
static int apply(struct final *f, const struct upath *p)
{
	struct unpacker *u = f->u;
	const char *path = uindex_path(&u->all, p), *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	uint32_t mode;
	struct stat st;
	struct timespec ts[2];

	if (!f->dir || strlen(f->dir) != dlen || memcmp(f->dir, path, dlen) != 0) {
		free(f->dir);
		if (f->dfd >= 0)
			close(f->dfd);
		f->dir = strndup(path, dlen);
		if (!f->dir)
			return ward_err_set(u->err, WARD_STEP_IMAGE, ENOMEM, "unpack");
		f->dfd = unpack_in_root(u, f->dir, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS);
	}
	if (f->dfd < 0 || fstatat(f->dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    (p->type == UP_DIR) != S_ISDIR(st.st_mode) ||
	    (p->type == UP_FILE) != S_ISREG(st.st_mode))
		return 0;
	mode = u->keep_owners ? p->mode & ~(uint32_t)(S_ISUID | S_ISGID)
			      : ward_unpack_mode_for(p->mode, p->uid, p->gid, f->uid, f->gid,
						     f->groups, f->ngroups);
	if (fchmodat(f->dfd, base, mode, 0) < 0)
		return unpack_fail(u, errno, path, "chmod");
	if (p->type == UP_DIR && (p->flags & UP_MTIME)) {
		ts[0] = ts[1] = p->mtime;
		if (utimensat(f->dfd, base, ts, AT_SYMLINK_NOFOLLOW) < 0)
			return unpack_fail(u, errno, path, "utimensat");
	}
	return 0;
}

static int final_modes(struct final *f)
{
	struct uindex *all = &f->u->all;
	size_t *order = malloc((all->n ? all->n : 1) * sizeof(*order)), n = 0;
	int r = 0;

	if (!order)
		return ward_err_set(f->u->err, WARD_STEP_IMAGE, ENOMEM, "unpack");
	/* with keep_owners a file's mode was set when it was written: only
	 * the directories are left (no stat, no sort for the files) */
	for (size_t i = 0; i < all->n; i++)
		if (all->v[i].type == UP_DIR ||
		    (all->v[i].type == UP_FILE && !f->u->keep_owners))
			order[n++] = i;
	sort_ix = all;
	qsort(order, n, sizeof(*order), deepest_first);
	for (size_t i = 0; i < n && r == 0; i++)
		r = apply(f, &all->v[order[i]]);
	free(order);
	free(f->dir);
	if (f->dfd >= 0)
		close(f->dfd);
	return r;
}

/* The tree's own directory: root's 0755, as Docker gives a container's
 * root (the scanner passes over a "./" entry), for the program's user
 * when rootless.  It was made 0700 by whoever made it: a sandbox whose
 * ids are not the caller's could not enter it. */
static int root_mode(struct final *f)
{
	struct unpacker *u = f->u;
	mode_t mode = u->keep_owners ? 0755
				     : ward_unpack_mode_for(0755, 0, 0, f->uid, f->gid,
							    f->groups, f->ngroups);

	if (u->keep_owners && fchown(u->root, 0, 0) < 0)
		return ward_err_set(u->err, WARD_STEP_IMAGE, errno, "%s: chown of the tree's root",
				    u->what);
	if (fchmod(u->root, mode) < 0)
		return ward_err_set(u->err, WARD_STEP_IMAGE, errno, "%s: chmod of the tree's root",
				    u->what);
	return 0;
}

static int find_user(struct unpacker *u, const struct ward_image *img,
		     struct ward_unpack_ids *ids, struct final *f)
{
	const char *spec = ids->user ? ids->user : img->meta.config.user;
	char *passwd, *group;
	size_t plen, glen;
	int r;

	read_db(u, "etc/passwd", &passwd, &plen);
	read_db(u, "etc/group", &group, &glen);
	r = ward_unpack_user(spec, passwd, plen, group, glen, &f->uid, &f->gid, f->groups,
			     WARD_UNPACK_MAX_GROUPS, &f->ngroups, u->err);
	free(passwd);
	free(group);
	if (r < 0)
		return ward_err_wrap(u->err, "%s: ", img->path);
	ids->uid = f->uid;
	ids->gid = f->gid;
	return 0;
}

/* ---- the interface ------------------------------------------------------------------------ */

int ward_image_unpack(const char *path, struct ward_unpack_opts *o,
		      int dest_fd, struct ward_image **img,
		      char digest[WARD_IMAGE_DIGEST_LEN], struct ward_err *err)
{
	struct ward_image_limits lim;
	struct ward_image *image = NULL;
	struct run *run = calloc(1, sizeof(*run));
	struct ward_image_reader rd = {on_layer, on_layer_done, run};
	struct final f = {.dfd = -1};
	int r;

	if (!run)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", path);
	if (o->lim)
		lim = *o->lim;
	else
		ward_image_limits_default(&lim);
	if ((r = unpacker_init(&run->u, dest_fd, &lim, o->ids.keep_owners, err)) == 0)
		r = ward_image_read_with(path,
					 &(struct ward_image_opts){.tag = o->tag, .lim = &lim},
					 &rd, &image, err);
	if (r == 0) {
		snprintf(run->what, sizeof(run->what), "%s", path);
		run->u.what = run->what;
		run->u.err = err;
		f.u = &run->u;
		if ((r = mount_points(&run->u, &image->meta.config)) == 0 &&
		    (r = find_user(&run->u, image, &o->ids, &f)) == 0 &&
		    (r = final_modes(&f)) == 0)
			r = root_mode(&f);
	}
	unpacker_free(&run->u);
	free(run);
	if (r < 0) {
		ward_image_free(image);
		return r;
	}
	snprintf(digest, WARD_IMAGE_DIGEST_LEN, "%s", image->digest);
	*img = image;
	return 0;
}
