/* The socket files in the container's mounts (see socket_search.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/dirents.h"
#include "engine/socket_search.h"
#include "kernel/mountinfo.h"

struct walk {
	struct ward_socket_search *s;
	const char *mnt;   /* the mount walked */
	const char *root;  /* its root in the source filesystem */
	dev_t dev;         /* its device: a different one is another mount */
	uint64_t mnt_id;   /* its mount id (statx), when the kernel says */
	bool by_id;
	char **bufs;       /* dirents.h's, per depth */
};

static bool mount_id_of(int dfd, const char *name, int flags, uint64_t *id)
{
	struct statx sx;

	if (statx(dfd, name, flags | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) < 0 ||
	    !(sx.stx_mask & STATX_MNT_ID))
		return false;
	*id = sx.stx_mnt_id;
	return true;
}

/* The entry @sx lies on another mount than the one walked: a bind mount
 * of the same file system has the same st_dev, so the mount id decides
 * where the kernel gives it.  That mount is walked on its own, with its
 * own source. */
static bool on_other_mount(const struct walk *w, const struct statx *sx)
{
	if (w->by_id && (sx->stx_mask & STATX_MNT_ID))
		return sx->stx_mnt_id != w->mnt_id;
	return makedev(sx->stx_dev_major, sx->stx_dev_minor) != w->dev;
}

bool ward_socket_search_walks(const char *mnt, const char *fstype)
{
	static const char *const pseudo[] = {
		"proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue",
		"securityfs", "debugfs", "tracefs", "bpf", "configfs",
		"fusectl", "pstore", "binfmt_misc", "autofs", "nsfs",
		"hugetlbfs", "efivarfs", "selinuxfs",
	};
	static const char *const engine_own[] = {
		"/", "/dev", "/dev/shm", "/dev/pts", "/dev/mqueue",
	};

	for (size_t i = 0; i < sizeof(pseudo) / sizeof(pseudo[0]); i++)
		if (strcmp(fstype, pseudo[i]) == 0)
			return false;
	for (size_t i = 0; i < sizeof(engine_own) / sizeof(engine_own[0]); i++)
		if (strcmp(mnt, engine_own[i]) == 0)
			return false;
	return !(strcmp(mnt, "/proc") == 0 || strncmp(mnt, "/proc/", 6) == 0 ||
		 strcmp(mnt, "/sys") == 0 || strncmp(mnt, "/sys/", 5) == 0);
}

static int too_long(const char *path, const char *name, struct ward_err *err)
{
	return ward_err_set(err, WARD_STEP_DOCKERSOCK, ENAMETOOLONG,
			    "refusing to start: a path beneath %s/%s is too long to look at for an engine socket",
			    path, name);
}

static int add_socket(struct walk *w, const char *path, const struct stat *st,
		      struct ward_err *err)
{
	struct ward_found_socket *f;
	const char *rel = path + strlen(w->mnt);

	if (w->s->nfound >= WARD_SOCKET_SEARCH_MAX_FOUND)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, E2BIG,
				    "refusing to start: more than %d socket files in the mounts (at %s); ward asks each whether it is an engine's or refuses",
				    WARD_SOCKET_SEARCH_MAX_FOUND, path);
	f = &w->s->found[w->s->nfound];
	if (strcmp(w->mnt, "/") == 0)
		rel = path;
	if ((size_t)snprintf(f->source, sizeof(f->source), "%s%s",
			     strcmp(w->root, "/") == 0 && *rel ? "" : w->root, rel) >=
	    sizeof(f->source))
		return too_long(w->mnt, rel, err);
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->st = *st;
	w->s->nfound++;
	return 0;
}

static int walk_dir(struct walk *w, int dfd, const char *path, int depth,
		    struct ward_err *err);

static int cannot_look(const char *path, struct ward_err *err)
{
	return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno,
			    "refusing to start: cannot look at %s for an engine socket", path);
}

/* readdir's type says the entry is neither a socket nor a directory, so
 * it needs no stat: most entries, and on a cold cache most of the time. */
static bool cannot_matter(unsigned char d_type)
{
	return d_type != DT_UNKNOWN && d_type != DT_DIR && d_type != DT_SOCK;
}

/* One entry, of type @d_type, of the directory @dfd (at @path). */
static int walk_entry(struct walk *w, int dfd, const char *path,
		      const char *name, unsigned char d_type, int depth,
		      struct ward_err *err)
{
	char child[sizeof(((struct ward_found_socket *)0)->path)];
	_cleanup_close_ int cfd = -1;
	struct statx sx;
	struct stat st;

	if (++w->s->entries > WARD_SOCKET_SEARCH_MAX_ENTRIES)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, E2BIG,
				    "refusing to start: more than %d entries in the mounts (reached in %s); ward cannot tell whether an engine socket lies among them: mount a smaller directory",
				    WARD_SOCKET_SEARCH_MAX_ENTRIES, w->mnt);
	if (cannot_matter(d_type))
		return 0;
	if ((size_t)snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "",
			     name) >= sizeof(child))
		return too_long(path, name, err);
	/* one call for the type and the mount of each directory */
	if (statx(dfd, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MNT_ID, &sx) < 0)
		return errno == ENOENT ? 0 : cannot_look(child, err);
	if (!S_ISSOCK(sx.stx_mode) && !S_ISDIR(sx.stx_mode))
		return 0;
	if (on_other_mount(w, &sx))
		return 0; /* walked on its own */
	if (S_ISSOCK(sx.stx_mode)) {
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return errno == ENOENT ? 0 : cannot_look(child, err);
		return add_socket(w, child, &st, err);
	}
	if (depth >= WARD_SOCKET_SEARCH_MAX_DEPTH)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, E2BIG,
				    "refusing to start: %s is more than %d directories deep; ward cannot tell whether an engine socket lies beneath",
				    child, WARD_SOCKET_SEARCH_MAX_DEPTH);
	cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cfd < 0 && errno == EACCES && geteuid() != 0)
		return 0; /* the program, that same user, cannot enter it either */
	if (cfd < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno,
				    "refusing to start: cannot open %s to look for an engine socket", child);
	return walk_dir(w, TAKE_FD(cfd), child, depth + 1, err);
}

/* Walk the directory open at @dfd (taken). */
static int walk_dir(struct walk *w, int dfd, const char *path, int depth,
		    struct ward_err *err)
{
	const struct dirent64 *e;
	struct ward_dirents d;
	int r = 0;

	if (!w->bufs[depth] && !(w->bufs[depth] = malloc(WARD_DIRENTS_BUF_SIZE))) {
		close(dfd);
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, ENOMEM, "malloc");
	}
	ward_dirents_open(&d, dfd, w->bufs[depth]);
	while (r == 0 && (e = ward_dirents_next(&d)))
		r = walk_entry(w, dfd, path, e->d_name, e->d_type, depth, err);
	if (r == 0 && d.error)
		r = ward_err_set(err, WARD_STEP_DOCKERSOCK, d.error,
				 "refusing to start: cannot read %s to look for an engine socket", path);
	close(dfd);
	return r;
}

/* The search through every mount, with one listing buffer per depth. */
struct search {
	struct ward_socket_search *s;
	char *bufs[WARD_SOCKET_SEARCH_MAX_DEPTH + 1];
};

static int walk_mount(const struct ward_mount_entry *m, void *ctx,
		      struct ward_err *err)
{
	struct search *search = ctx;
	struct walk w = {.s = search->s, .mnt = m->mnt, .root = m->root,
			 .bufs = search->bufs};
	int fd;
	struct stat st;

	if (!ward_socket_search_walks(m->mnt, m->fstype))
		return 0;
	w.s->mounts++;
	if (lstat(m->mnt, &st) < 0)
		return errno == ENOENT || (errno == EACCES && geteuid() != 0) ? 0 :
		       ward_err_set(err, WARD_STEP_DOCKERSOCK, errno,
				    "refusing to start: cannot look at the mount at %s for an engine socket",
				    m->mnt);
	if (S_ISSOCK(st.st_mode))
		return add_socket(&w, m->mnt, &st, err);
	if (!S_ISDIR(st.st_mode))
		return 0;
	w.dev = st.st_dev;
	fd = open(m->mnt, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES && geteuid() != 0)
		return 0;
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno,
				    "refusing to start: cannot open the mount at %s to look for an engine socket",
				    m->mnt);
	w.by_id = mount_id_of(fd, "", AT_EMPTY_PATH, &w.mnt_id);
	return walk_dir(&w, fd, m->mnt, 0, err);
}

int ward_socket_search(struct ward_socket_search *s, struct ward_err *err)
{
	struct search search = {.s = s};
	int r = ward_mountinfo_each(walk_mount, &search, WARD_STEP_DOCKERSOCK, err);

	for (size_t i = 0; i < sizeof(search.bufs) / sizeof(search.bufs[0]); i++)
		free(search.bufs[i]);
	return r;
}
