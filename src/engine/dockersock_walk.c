/* The engine-socket walk of a bind source or --rootfs tree: every socket
 * file in it, looked up by identity, else asked who listens on it
 * (listener.h).  Directory entries give their type (d_type), so a tree
 * without sockets costs one getdents per directory and nothing more:
 * each is read into a buffer of its depth (base/dirents.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/dirents.h"
#include "engine/dockersock.h"
#include "engine/listener.h"

struct walk {
	struct ward_engine_sockets *socks;
	const char *what, *top;
	struct stat top_st;
	int known;      /* entries of the table before the walk */
	size_t entries; /* directory entries seen */
	bool stop;      /* past the bound with no engine running: done */
	char path[PATH_MAX];
	unsigned char warned[WARD_MAX_ENGINE_SOCKETS / 8];
	char *bufs[WARD_ENGINE_WALK_DEPTH + 1]; /* dirents.h's, per depth */
};

static int cannot_tell(const struct walk *w, int errnum, struct ward_err *err,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The walk gives up: refused, since ward cannot tell there is no engine
 * socket beneath. */
static int cannot_tell(const struct walk *w, int errnum, struct ward_err *err,
		       const char *fmt, ...)
{
	char why[WARD_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return ward_err_set(err, WARD_STEP_DOCKERSOCK, errnum,
			    "refusing %s %s: %s; ward cannot tell that no container-engine API socket lies beneath",
			    w->what, w->top, why);
}

/* An object the caller cannot reach: as a non-root caller, neither can
 * its sandbox (it runs as the caller, with no capability on the host). */
static bool unreachable(int errnum)
{
	return (errnum == EACCES || errnum == EPERM) && geteuid() != 0;
}

static bool take_warning(struct walk *w, const struct ward_engine_socket *s)
{
	size_t i = (size_t)(s - w->socks->s);
	bool said = w->warned[i / 8] & (1u << (i % 8));

	/* One reaching the top was named before the walk (resolve_bind). */
	if ((int)i < w->known && ward_dockersock_reaches(s, &w->top_st))
		said = true;
	w->warned[i / 8] |= (unsigned char)(1u << (i % 8));
	return said;
}

static struct ward_listener_finder *finder(struct walk *w, struct ward_err *err)
{
	struct ward_engine_sockets *socks = w->socks;

	if (!socks->finder && !(socks->finder = ward_listener_finder_new()))
		ward_err_set(err, WARD_STEP_DOCKERSOCK, ENOMEM, "calloc");
	return socks->finder;
}

static int identify(struct walk *w, int fd, const struct stat *st,
		    const struct ward_engine_socket **out, struct ward_err *err)
{
	struct ward_engine_sockets *socks = w->socks;
	struct ward_listener_finder *f = finder(w, err);
	struct ward_listener l;
	int r;

	if (!f)
		return -ENOMEM;
	r = ward_listener_identify(f, fd, st, w->path, &l, err);
	if (r < 0)
		return ward_err_wrap(err, "refusing %s %s: ", w->what, w->top);
	if (r == 0)
		return 0;
	if (!(*out = ward_dockersock_record(socks, w->path, st, &l)))
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
				    "refusing to start: %s", socks->overflow);
	return 1;
}

/* A socket named as an engine's (docker.sock, containerd.sock, ...) is
 * refused inside a bound tree as it is when bound itself, whoever
 * listens: systemd may hold it for a socket-activated engine that no
 * process runs yet. */
static int check_socket_name(struct walk *w, const struct stat *st,
			     struct ward_err *err)
{
	char what[600];

	snprintf(what, sizeof(what), "%s %.256s, which holds", w->what, w->top);
	return ward_dockersock_check(w->socks, what, w->path, st, err);
}

/* The socket @name of @dirfd (w->path names it). */
static int check_socket(struct walk *w, int dirfd, const char *name,
			struct ward_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	const struct ward_engine_socket *s;
	struct stat st;
	int r;

	if (fd < 0 && (errno == ENOENT || unreachable(errno)))
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0)
		return cannot_tell(w, errno, err, "cannot look at %s", w->path);
	if (!S_ISSOCK(st.st_mode))
		return 0; /* replaced since it was listed */
	w->socks->walked++;
	s = ward_dockersock_find(w->socks, st.st_dev, st.st_ino);
	if (!s && (r = identify(w, fd, &st, &s, err)) < 0)
		return r;
	if (!s) /* no engine process listens on it: the name rule still holds */
		return check_socket_name(w, &st, err);
	return ward_dockersock_refuse_socket(w->socks, w->what, w->top, w->path, s,
					     take_warning(w, s), err);
}

static int walk_dir(struct walk *w, int fd, size_t len, int depth,
		    struct ward_err *err);
static int past_bound(struct walk *w, struct ward_err *err);

/* The subdirectory @name of @dirfd, at w->path (@len long). */
static int enter(struct walk *w, int dirfd, const char *name, size_t len,
		 int depth, struct ward_err *err)
{
	int fd;

	if (depth > WARD_ENGINE_WALK_DEPTH)
		return past_bound(w, err);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return walk_dir(w, fd, len, depth, err);
	/* Gone, or no longer a directory (a symlink is never followed). */
	if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
		return 0;
	/* One the caller may enter but not list could hide a socket. */
	if (unreachable(errno) &&
	    faccessat(dirfd, name, X_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return cannot_tell(w, errno, err, "cannot list %s", w->path);
}

/* w->path + "/" + @name, or false when that is longer than PATH_MAX. */
static bool push_name(struct walk *w, size_t len, const char *name, size_t *out)
{
	int n = snprintf(w->path + len, sizeof(w->path) - len, "%s%s",
			 len && w->path[len - 1] == '/' ? "" : "/", name);

	if (n < 0 || (size_t)n >= sizeof(w->path) - len)
		return false;
	*out = len + (size_t)n;
	return true;
}

static int visit(struct walk *w, int dirfd, const char *name, unsigned char type,
		 size_t len, int depth, struct ward_err *err)
{
	size_t n;
	int r;

	if (type == DT_UNKNOWN) {
		struct stat st;

		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return errno == ENOENT || unreachable(errno) ? 0 :
			       cannot_tell(w, errno, err, "cannot look at %s/%s",
					   w->path, name);
		type = (unsigned char)IFTODT(st.st_mode);
	}
	if (type != DT_DIR && type != DT_SOCK)
		return 0;
	if (!push_name(w, len, name, &n))
		return cannot_tell(w, 0, err, "a path beneath it is longer than %d bytes",
				   PATH_MAX);
	r = type == DT_SOCK ? check_socket(w, dirfd, name, err)
			    : enter(w, dirfd, name, n, depth + 1, err);
	w->path[len] = '\0';
	return r;
}

static int engines_running(struct walk *w, struct ward_err *err)
{
	struct ward_listener_finder *f = finder(w, err);
	int n = f ? ward_listener_engines_running(f, err) : -ENOMEM;

	if (n < 0)
		return ward_err_wrap(err, "refusing %s %s: ", w->what, w->top);
	return n;
}

/* Too many entries to look at each, or too deep: refused, unless no
 * engine process runs where ward can see (then no socket in the tree is
 * an engine's by its listener, and the walk ends). */
static int past_bound(struct walk *w, struct ward_err *err)
{
	int n = engines_running(w, err);

	if (n < 0)
		return n;
	if (n == 0) {
		w->stop = true;
		return 0;
	}
	if (w->entries > WARD_ENGINE_WALK_ENTRIES)
		return cannot_tell(w, 0, err,
				   "more than %d entries beneath it while an engine runs (bind a smaller directory)",
				   WARD_ENGINE_WALK_ENTRIES);
	return cannot_tell(w, 0, err,
			   "directories nest deeper than %d beneath it while an engine runs",
			   WARD_ENGINE_WALK_DEPTH);
}

/* One more entry: past WARD_ENGINE_WALK_CHEAP with nothing to look for
 * the walk stops (w->stop); past the bound, see past_bound. */
static int count_entry(struct walk *w, struct ward_err *err)
{
	int n;

	if (++w->entries > WARD_ENGINE_WALK_ENTRIES)
		return past_bound(w, err);
	if (w->entries != WARD_ENGINE_WALK_CHEAP || w->socks->n > 0)
		return 0;
	if ((n = engines_running(w, err)) < 0)
		return n;
	w->stop = n == 0;
	return 0;
}

/* The directory open at @fd (closed here), at @depth. */
static int walk_dir(struct walk *w, int fd, size_t len, int depth,
		    struct ward_err *err)
{
	const struct dirent64 *e;
	struct ward_dirents d;
	int r = 0;

	if (!w->bufs[depth] && !(w->bufs[depth] = malloc(WARD_DIRENTS_BUF_SIZE))) {
		close(fd);
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, ENOMEM, "malloc");
	}
	ward_dirents_open(&d, fd, w->bufs[depth]);
	while (r == 0 && !w->stop && (e = ward_dirents_next(&d))) {
		r = count_entry(w, err);
		if (r == 0 && !w->stop)
			r = visit(w, fd, e->d_name, e->d_type, len, depth, err);
	}
	if (r == 0 && !w->stop && d.error)
		r = cannot_tell(w, d.error, err, "cannot list %s", w->path);
	close(fd);
	return r;
}

int ward_dockersock_walk(struct ward_engine_sockets *socks, const char *what,
			 const char *path, struct ward_err *err)
{
	struct walk *w = calloc(1, sizeof(*w));
	int fd, r;

	if (!w)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, ENOMEM, "calloc");
	*w = (struct walk){.socks = socks, .what = what, .top = path,
			   .known = socks->n};
	snprintf(w->path, sizeof(w->path), "%s", path);
	fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &w->top_st) < 0) {
		r = cannot_tell(w, errno, err, "cannot look at it");
	} else if (S_ISSOCK(w->top_st.st_mode)) {
		r = check_socket(w, AT_FDCWD, path, err);
	} else if (S_ISDIR(w->top_st.st_mode)) {
		int dir = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dir >= 0)
			r = walk_dir(w, dir, strlen(w->path), 0, err);
		else if (unreachable(errno) && faccessat(fd, ".", X_OK, AT_EACCESS) < 0)
			r = 0;
		else
			r = cannot_tell(w, errno, err, "cannot list it");
	} else {
		r = 0;
	}
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i < sizeof(w->bufs) / sizeof(w->bufs[0]); i++)
		free(w->bufs[i]);
	free(w);
	return r;
}
