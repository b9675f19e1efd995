/* Profile files: finding them, checking them, reading them safely, and
 * `ward profiles`.
 *
 * A name with a slash (on the command line) or starting with one (in an
 * include) is a path, used as given.  Any other name is looked up next to
 * the including file, then in the search path (ward/profile_trust.h);
 * NAME, then NAME.profile.  When ward runs as root the search path holds
 * only directories root alone controls, and a file found in one of them
 * is opened relative to that directory's fd and must not be a symlink;
 * a file included by name from such a file is looked up relative to the
 * same directory fd.  Every profile is opened with O_PATH first and read
 * only if it is a regular file. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/suggest.h"
#include "plan/builder.h"
#include "plan/profile.h"
#include "plan/profile_trust.h"

/* A file found in a trusted directory, so that what it includes by name
 * is looked up relative to the same directory fd. */
struct origin {
	char *path;  /* its name in diagnostics: the parser's from_file */
	char *dir;   /* its directory, as diagnostics name it */
	int dirfd;   /* O_PATH */
};

/* The opener's context for one load (or one `ward profiles`). */
struct files_ctx {
	bool trust;    /* ward runs as root */
	FILE *notices; /* where skipped entries are reported, or NULL */
	struct ward_profile_search *search; /* made at the first lookup by name */
	struct origin *origins;
	size_t norigins;
};

/* A profile found, open for reading. */
struct found {
	int fd;
	struct stat st;
	char path[PATH_MAX];  /* for diagnostics */
	char shown[PATH_MAX]; /* absolute when found in the search path */
	int dirfd;            /* trusted directory holding it, or -1 */
	char dir[PATH_MAX];   /* that directory, as diagnostics name it */
};

/* What a file that is not a regular one is, for the refusal. */
static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symlink";
	return "not a regular file";
}

/* *why = a heap string saying why a file was refused (the parser shows
 * it after "cannot include 'NAME': "; NULL if memory ran out). */
static void set_why(char **why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_why(char **why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(why, fmt, ap) < 0)
		*why = NULL;
	va_end(ap);
}

/* As root, a profile decides what a sandbox may do: it must not be
 * writable by anyone but root (the rule sudoers follows). */
static int check_trusted(const struct stat *st)
{
	if (geteuid() == 0 && (st->st_uid != 0 || (st->st_mode & 022)))
		return -EPERM;
	if (st->st_size > WARD_PROFILE_MAX_SIZE)
		return -EFBIG;
	return 0;
}

/* Open @name (relative to @dirfd) for reading, but only if it is a
 * regular file.  It is first opened with O_PATH, which neither blocks on
 * a FIFO nor runs a device's open (which can have side effects), and only
 * a regular file is then opened for reading, through /proc/self/fd: the
 * very inode that was checked.  With @by_name (root, search path) a
 * symlink is refused; otherwise it is followed.  @path names the file in
 * messages.  Returns the fd, or -errno (-EINVAL or -EPERM with *why set
 * for a file of another kind). */
static int open_regular(int dirfd, const char *name, bool by_name,
			const char *path, struct stat *st, char **why)
{
	_cleanup_close_ int opath = openat(dirfd, name, O_PATH | O_CLOEXEC |
						       (by_name ? O_NOFOLLOW : 0));
	char proc[64];
	struct stat rst;
	int fd;

	if (opath < 0 || fstat(opath, st) < 0)
		return -errno;
	if (by_name && S_ISLNK(st->st_mode)) {
		set_why(why, "%s is a symlink: as root, a profile found by name must not be one (name the file itself with a path)",
			path);
		return -EPERM;
	}
	if (!S_ISREG(st->st_mode)) {
		set_why(why, "%s is %s, not a regular file", path,
			file_kind(st->st_mode));
		return -EINVAL;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", opath);
	fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ENOENT) {
		/* Not "not found": the search must not go on to the next
		 * directory. */
		set_why(why, "%s: cannot open it through /proc/self/fd (is /proc mounted?)",
			path);
		return -ENXIO;
	}
	if (fd < 0)
		return -errno;
	if (fstat(fd, &rst) < 0 || rst.st_dev != st->st_dev ||
	    rst.st_ino != st->st_ino) {
		close(fd);
		return -EIO;
	}
	return fd;
}

static int read_all(int fd, char **buf, size_t *len)
{
	char *b = malloc(WARD_PROFILE_MAX_SIZE + 1);
	size_t used = 0;

	if (!b)
		return -ENOMEM;
	for (;;) {
		ssize_t n = read(fd, b + used, WARD_PROFILE_MAX_SIZE - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(b);
			return -errno;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used == WARD_PROFILE_MAX_SIZE) {
			free(b);
			return -EFBIG;
		}
	}
	b[used] = '\0';
	*buf = b;
	*len = used;
	return 0;
}

static void found_close(struct found *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->dirfd >= 0)
		close(f->dirfd);
	f->fd = f->dirfd = -1;
}

static int join(char *out, size_t len, const char *dir, const char *name)
{
	if (snprintf(out, len, "%s/%s", dir, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/* @path as given (a name with a slash, or an include's absolute path). */
static int open_path(const char *path, struct found *f, char **why)
{
	int r;

	if (snprintf(f->path, sizeof(f->path), "%s", path) >= (int)sizeof(f->path))
		return -ENAMETOOLONG;
	memcpy(f->shown, f->path, sizeof(f->shown));
	f->fd = open_regular(AT_FDCWD, path, false, path, &f->st, why);
	if (f->fd < 0)
		return f->fd;
	if ((r = check_trusted(&f->st)) < 0) {
		found_close(f);
		return r;
	}
	return 0;
}

/* @rel (maybe "sub/name") below the trusted directory @dirfd, which
 * diagnostics call @dir and people @shown: every directory on the way
 * is checked as the search path's are, and the file is opened relative
 * to the last one, never through a symlink. */
static int open_below(int dirfd, const char *dir, const char *shown,
		      const char *rel, struct found *f, char **why)
{
	char sub[PATH_MAX], whybuf[WARD_PROFILE_WHY_MAX];
	const char *base = strrchr(rel, '/');
	_cleanup_close_ int subfd = -1;
	int r;

	snprintf(sub, sizeof(sub), "%.*s", base ? (int)(base - rel) : 0, rel);
	base = base ? base + 1 : rel;
	r = ward_profile_walk_at(dirfd, dir, sub, &subfd, whybuf, sizeof(whybuf));
	if (r == -ENOTDIR || r == -ENOENT)
		return -ENOENT;
	if (r == -EPERM)
		set_why(why, "%s: as root, a profile found by name must come from directories only root can write",
			whybuf);
	if (r < 0)
		return r;
	if ((r = join(f->path, sizeof(f->path), dir, rel)) < 0 ||
	    (r = join(f->shown, sizeof(f->shown), shown, rel)) < 0 ||
	    (r = join(f->dir, sizeof(f->dir), dir, sub)) < 0)
		return r;
	if (!sub[0])
		snprintf(f->dir, sizeof(f->dir), "%s", dir);
	f->fd = open_regular(subfd, base, true, f->path, &f->st, why);
	if (f->fd < 0)
		return f->fd;
	if ((r = check_trusted(&f->st)) < 0) {
		found_close(f);
		return r;
	}
	f->dirfd = TAKE_FD(subfd);
	return 0;
}

/* NAME, then NAME.profile, in one directory: @dirfd when it is trusted
 * (root), or by path. */
static int try_names(int dirfd, const char *dir, const char *shown,
		     const char *name, struct found *f, char **why)
{
	static const char *const suffixes[] = {"", ".profile", NULL};
	char file[PATH_MAX], path[PATH_MAX];
	int r = -ENOENT;

	for (size_t i = 0; suffixes[i]; i++) {
		if (snprintf(file, sizeof(file), "%s%s", name, suffixes[i]) >=
		    (int)sizeof(file))
			return -ENAMETOOLONG;
		if (dirfd >= 0) {
			r = open_below(dirfd, dir, shown, file, f, why);
		} else {
			if ((r = join(path, sizeof(path), dir, file)) < 0)
				return r;
			r = open_path(path, f, why);
			if (r != -ENOENT &&
			    join(f->shown, sizeof(f->shown), shown, file) < 0)
				memcpy(f->shown, f->path, sizeof(f->shown));
		}
		if (r != -ENOENT)
			return r;
	}
	return r;
}

static bool has_dotdot(const char *name)
{
	for (const char *p = name; (p = strstr(p, "..")); p += 2)
		if ((p == name || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

static const struct origin *find_origin(const struct files_ctx *c,
					const char *path)
{
	for (size_t i = 0; i < c->norigins; i++)
		if (strcmp(c->origins[i].path, path) == 0)
			return &c->origins[i];
	return NULL;
}

/* Next to the including file: relative to its trusted directory's fd if
 * it was found in one, else by path. */
static int try_next_to(const struct files_ctx *c, const char *name,
		       const char *from_file, struct found *f, char **why)
{
	const struct origin *o = find_origin(c, from_file);
	char copy[PATH_MAX];
	const char *dir;

	if (o)
		return try_names(o->dirfd, o->dir, o->dir, name, f, why);
	snprintf(copy, sizeof(copy), "%s", from_file);
	dir = dirname(copy);
	return try_names(-1, dir, dir, name, f, why);
}

static struct ward_profile_search *search(struct files_ctx *c)
{
	if (!c->search)
		c->search = ward_profile_search_new(c->trust);
	return c->search;
}

/* Each skipped entry is reported once, when a lookup reaches it. */
static void notice_skip(struct files_ctx *c, struct ward_profile_dir *d)
{
	if (d->noticed || !c->notices)
		return;
	d->noticed = true;
	fprintf(c->notices, "ward: profiles: skipping %s: %s\n", d->shown, d->why);
}

static int try_search_path(struct files_ctx *c, const char *name,
			   struct found *f, char **why)
{
	struct ward_profile_search *s = search(c);
	int r;

	if (!s)
		return -ENOMEM;
	for (int i = 0; i < s->n; i++) {
		struct ward_profile_dir *d = &s->dir[i];

		if (!d->name[0]) {
			continue; /* too long a name */
		} else if (!s->trust) {
			r = try_names(-1, d->name, d->shown, name, f, why);
		} else if (d->state == WARD_PROFILE_DIR_SKIPPED) {
			notice_skip(c, d);
			continue;
		} else if (d->state == WARD_PROFILE_DIR_USED) {
			r = try_names(d->fd, d->name, d->shown, name, f, why);
		} else {
			continue;
		}
		if (r != -ENOENT)
			return r;
	}
	return -ENOENT;
}

/* Find and open profile @name, included from @from_file (NULL: the
 * command line's). */
static int lookup(struct files_ctx *c, const char *name, const char *from_file,
		  struct found *f, char **why)
{
	int r;

	f->fd = f->dirfd = -1;
	f->shown[0] = '\0';
	/* Included names stay inside the profile directories. */
	if (from_file && has_dotdot(name))
		return -EINVAL;
	if (name[0] == '/' || (!from_file && strchr(name, '/')))
		return open_path(name, f, why);
	if (from_file) {
		r = try_next_to(c, name, from_file, f, why);
		if (r != -ENOENT)
			return r;
	}
	return try_search_path(c, name, f, why);
}

static int remember_origin(struct files_ctx *c, struct found *f)
{
	struct origin *o;

	if (f->dirfd < 0 || find_origin(c, f->path))
		return 0;
	o = realloc(c->origins, (c->norigins + 1) * sizeof(*o));
	if (!o)
		return -ENOMEM;
	c->origins = o;
	o = &c->origins[c->norigins];
	o->path = strdup(f->path);
	o->dir = strdup(f->dir);
	if (!o->path || !o->dir) {
		free(o->path);
		free(o->dir);
		return -ENOMEM;
	}
	o->dirfd = TAKE_FD(f->dirfd);
	c->norigins++;
	return 0;
}

static void files_ctx_free(struct files_ctx *c)
{
	for (size_t i = 0; i < c->norigins; i++) {
		free(c->origins[i].path);
		free(c->origins[i].dir);
		close(c->origins[i].dirfd);
	}
	free(c->origins);
	ward_profile_search_free(c->search);
}

/* The parser's opener (ward_profile_open_fn), @ctx a struct files_ctx. */
static int open_file(void *ctx, const char *name, const char *from_file,
		     char **path, char **buf, size_t *len, dev_t *dev,
		     ino_t *ino)
{
	struct files_ctx *c = ctx;
	struct found f;
	int r;

	r = lookup(c, name, from_file, &f, path);
	if (r < 0)
		return r;
	r = read_all(f.fd, buf, len);
	if (r == 0 && (r = remember_origin(c, &f)) < 0)
		free(*buf);
	if (r == 0 && !(*path = strdup(f.path))) {
		free(*buf);
		r = -ENOMEM;
	}
	*dev = f.st.st_dev;
	*ino = f.st.st_ino;
	found_close(&f);
	return r;
}

static void suggest_profile(struct files_ctx *c, const char *name,
			    struct ward_err *err);

static int open_top(struct files_ctx *c, const char *name, char **path,
		    char **buf, size_t *len, dev_t *dev, ino_t *ino,
		    struct ward_err *err)
{
	int r = open_file(c, name, NULL, path, buf, len, dev, ino);

	if (r < 0 && *path) {
		r = ward_err_set(err, WARD_STEP_PROFILE, 0, "%s", *path);
		free(*path);
		*path = NULL;
		return r;
	}
	if (r == -EPERM)
		return ward_err_set(err, WARD_STEP_PROFILE, EPERM,
				    "profile '%s' must be owned by root and not writable by group or others when ward runs as root",
				    name);
	if (r < 0) {
		ward_err_set(err, WARD_STEP_PROFILE, -r, "profile '%s'", name);
		if (r == -ENOENT && !strchr(name, '/'))
			suggest_profile(c, name, err);
		return r;
	}
	return 0;
}

static int parse_top(struct files_ctx *c, struct ward_plan_builder *b,
		     FILE *diag, const char *path, const char *buf, size_t len,
		     dev_t dev, ino_t ino, struct ward_err *err)
{
	struct ward_profile_parser *p;
	int errors;

	p = ward_profile_parser_new(b, diag, open_file, c);
	if (!p)
		return ward_err_set(err, WARD_STEP_PROFILE, ENOMEM, "parser");
	errors = ward_profile_parse_top(p, path, buf, len, dev, ino);
	ward_profile_parser_free(p);
	/* Collected: reported with the plan's other errors. */
	if (errors && !b->errs)
		return ward_err_set(err, WARD_STEP_PROFILE, 0,
				    "%s: %d error%s; nothing was started", path,
				    errors, errors == 1 ? "" : "s");
	return 0;
}

int ward_profile_load(struct ward_plan_builder *b, const char *name,
		      FILE *diag, struct ward_err *err)
{
	struct files_ctx c = {.trust = geteuid() == 0,
			     .notices = b->quiet ? NULL : diag};
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	dev_t dev;
	ino_t ino;
	int r;

	r = open_top(&c, name, &path, &buf, &len, &dev, &ino, err);
	if (r == 0)
		r = parse_top(&c, b, diag, path, buf, len, dev, ino, err);
	free(path);
	free(buf);
	files_ctx_free(&c);
	return r;
}

/* ---- ward profiles ------------------------------------------------------- */

struct names {
	char **v;
	size_t n;
};

static int add_name(struct names *l, const char *name, size_t len)
{
	char **v;

	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == len && strncmp(l->v[i], name, len) == 0)
			return 0;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	if (!(l->v[l->n] = strndup(name, len)))
		return -ENOMEM;
	l->n++;
	return 0;
}

/* The NAME of every NAME.profile in one used entry. */
static void collect_names(const struct ward_profile_dir *d, struct names *l)
{
	DIR *dir = NULL;
	struct dirent *e;

	if (d->fd >= 0) {
		int fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd >= 0 && !(dir = fdopendir(fd)))
			close(fd);
	} else {
		dir = opendir(d->name);
	}
	if (!dir)
		return;
	while ((e = readdir(dir))) {
		size_t len = strlen(e->d_name);

		if (len > 8 && strcmp(e->d_name + len - 8, ".profile") == 0)
			(void)add_name(l, e->d_name, len - 8);
	}
	closedir(dir);
}

/* The hint for a profile name not found: the nearest name the search
 * path holds, or where ward looked. */
static void suggest_profile(struct files_ctx *c, const char *name,
			    struct ward_err *err)
{
	struct ward_profile_search *s = search(c);
	struct ward_suggest sg;
	struct names l = {0};

	if (!s)
		return;
	for (int i = 0; i < s->n; i++)
		if (s->dir[i].state == WARD_PROFILE_DIR_USED)
			collect_names(&s->dir[i], &l);
	ward_suggest_init(&sg, name);
	for (size_t i = 0; i < l.n; i++)
		ward_suggest_offer(&sg, l.v[i]);
	if (ward_suggest_best(&sg))
		ward_err_hint(err, "did you mean %s? (ward profiles lists the profiles found)",
			      ward_suggest_best(&sg));
	else if (l.n)
		ward_err_hint(err, "ward profiles lists the %zu profile%s found and where ward looks",
			      l.n, l.n == 1 ? "" : "s");
	else
		ward_err_hint(err, "no profile was found in the search path (ward profiles shows it); name a file with a path, e.g. ./%s.profile",
			      name);
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_search_path(const struct ward_profile_search *s, FILE *out)
{
	static const char *const state[] = {
		[WARD_PROFILE_DIR_USED] = "used",
		[WARD_PROFILE_DIR_ABSENT] = "absent",
		[WARD_PROFILE_DIR_SKIPPED] = "skipped",
	};

	fprintf(out, "search path:\n");
	for (int i = 0; i < s->n; i++) {
		const struct ward_profile_dir *d = &s->dir[i];

		fprintf(out, "  %-8s %s", state[d->state], d->shown);
		if (d->state == WARD_PROFILE_DIR_SKIPPED)
			fprintf(out, ": %s", d->why);
		fputc('\n', out);
	}
}

/* One profile: the file `--profile NAME` reads, or why it is refused. */
static void print_profile(struct files_ctx *c, const char *name, int width,
			  FILE *out)
{
	struct found f;
	char *why = NULL;
	int r = lookup(c, name, NULL, &f, &why);

	fprintf(out, "  %-*s  ", width, name);
	if (r == 0)
		fprintf(out, "%s\n", f.shown);
	else if (why)
		fprintf(out, "refused: %s\n", why);
	else if (r == -EPERM)
		fprintf(out, "refused: %s: as root, a profile must be owned by root and not writable by group or others\n",
			f.shown);
	else
		fprintf(out, "refused: %s\n", strerror(-r));
	found_close(&f);
	free(why);
}

void ward_profile_list(FILE *out)
{
	struct files_ctx c = {.trust = geteuid() == 0};
	struct ward_profile_search *s = search(&c);
	struct names l = {0};
	int width = 0;

	if (!s) {
		fprintf(stderr, "ward: profiles: %s\n", strerror(ENOMEM));
		return;
	}
	print_search_path(s, out);
	for (int i = 0; i < s->n; i++)
		if (s->dir[i].state == WARD_PROFILE_DIR_USED)
			collect_names(&s->dir[i], &l);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_name);
	for (size_t i = 0; i < l.n; i++)
		if ((int)strlen(l.v[i]) > width)
			width = (int)strlen(l.v[i]);
	fprintf(out, "profiles:\n");
	if (!l.n)
		fprintf(out, "  none found in the search path above\n");
	for (size_t i = 0; i < l.n; i++) {
		print_profile(&c, l.v[i], width, out);
		free(l.v[i]);
	}
	free(l.v);
	files_ctx_free(&c);
}
