/* Profile files: the search path, safe reading, `ward profiles`. */
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

#include "ward/cleanup.h"
#include "ward/plan_builder.h"
#include "ward/profile.h"

#ifndef WARD_SHAREDIR
#define WARD_SHAREDIR "/usr/local/share/ward"
#endif

#define MAX_DIRS 6

/* The search path, in order. */
static int search_dirs(char dirs[MAX_DIRS][PATH_MAX])
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n = 0;

	snprintf(dirs[n++], PATH_MAX, "profiles");
	if (xdg && *xdg == '/')
		snprintf(dirs[n++], PATH_MAX, "%s/ward/profiles", xdg);
	else if (home && *home == '/')
		snprintf(dirs[n++], PATH_MAX, "%s/.config/ward/profiles", home);
	snprintf(dirs[n++], PATH_MAX, "/etc/ward/profiles");
	snprintf(dirs[n++], PATH_MAX, "%s/profiles", WARD_SHAREDIR);
	return n;
}

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

/* Open @path for reading, but only if it is a regular file.  It is first
 * opened with O_PATH, which neither blocks on a FIFO nor runs a device's
 * open (which can have side effects), and only a regular file is then
 * opened for reading, through /proc/self/fd: the very inode that was
 * checked.  A symlink named explicitly is followed.  Returns the fd, or
 * -errno (-EINVAL with *why set for a file of another kind). */
static int open_regular(const char *path, struct stat *st, char **why)
{
	_cleanup_close_ int opath = open(path, O_PATH | O_CLOEXEC);
	char proc[64];
	struct stat rst;
	int fd;

	if (opath < 0)
		return -errno;
	if (fstat(opath, st) < 0)
		return -errno;
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

static int try_open(const char *path, char **out_path, char **buf, size_t *len,
		    dev_t *dev, ino_t *ino)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	fd = open_regular(path, &st, out_path);
	if (fd < 0)
		return fd;
	if ((r = check_trusted(&st)) < 0)
		return r;
	if ((r = read_all(fd, buf, len)) < 0)
		return r;
	*out_path = strdup(path);
	if (!*out_path) {
		free(*buf);
		return -ENOMEM;
	}
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/* NAME, then NAME.profile, in @dir. */
static int try_dir(const char *dir, const char *name, char **out_path,
		   char **buf, size_t *len, dev_t *dev, ino_t *ino)
{
	static const char *const suffixes[] = {"", ".profile", NULL};
	char path[PATH_MAX];
	int r = -ENOENT;

	for (size_t i = 0; suffixes[i]; i++) {
		if (snprintf(path, sizeof(path), "%s/%s%s", dir, name, suffixes[i]) >=
		    (int)sizeof(path))
			return -ENAMETOOLONG;
		r = try_open(path, out_path, buf, len, dev, ino);
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

int ward_profile_open_file(void *ctx, const char *name, const char *from_file,
			   char **path, char **buf, size_t *len, dev_t *dev,
			   ino_t *ino)
{
	char dirs[MAX_DIRS][PATH_MAX];
	int n, r;

	(void)ctx;
	/* Included names stay inside the profile directories. */
	if (from_file && has_dotdot(name))
		return -EINVAL;
	if (name[0] == '/' || (!from_file && strchr(name, '/')))
		return try_open(name, path, buf, len, dev, ino);
	if (from_file) {
		char copy[PATH_MAX];

		snprintf(copy, sizeof(copy), "%s", from_file);
		r = try_dir(dirname(copy), name, path, buf, len, dev, ino);
		if (r != -ENOENT)
			return r;
	}
	n = search_dirs(dirs);
	for (int i = 0; i < n; i++) {
		r = try_dir(dirs[i], name, path, buf, len, dev, ino);
		if (r != -ENOENT)
			return r;
	}
	return -ENOENT;
}

int ward_profile_load(struct ward_plan_builder *b, const char *name,
		      FILE *diag, struct ward_err *err)
{
	struct ward_profile_parser *p;
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	dev_t dev;
	ino_t ino;
	int r, errors;

	r = ward_profile_open_file(NULL, name, NULL, &path, &buf, &len, &dev, &ino);
	if (r < 0 && path) {
		r = ward_err_set(err, WARD_STEP_PROFILE, 0, "%s", path);
		free(path);
		return r;
	}
	if (r == -EPERM)
		return ward_err_set(err, WARD_STEP_PROFILE, EPERM,
				    "profile '%s' must be owned by root and not writable by group or others when ward runs as root",
				    name);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_PROFILE, -r, "profile '%s'", name);
	p = ward_profile_parser_new(b, diag, ward_profile_open_file, NULL);
	if (!p) {
		free(path);
		free(buf);
		return ward_err_set(err, WARD_STEP_PROFILE, ENOMEM, "parser");
	}
	errors = ward_profile_parse_top(p, path, buf, len, dev, ino);
	ward_profile_parser_free(p);
	free(buf);
	if (errors) {
		r = ward_err_set(err, WARD_STEP_PROFILE, 0,
				 "%s: %d error%s; nothing was started", path, errors,
				 errors == 1 ? "" : "s");
		free(path);
		return r;
	}
	free(path);
	return 0;
}

void ward_profile_list(FILE *out)
{
	char dirs[MAX_DIRS][PATH_MAX];
	int n = search_dirs(dirs);

	for (int i = 0; i < n; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *e;

		if (!d)
			continue;
		fprintf(out, "%s:\n", dirs[i]);
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name);

			if (len > 8 && strcmp(e->d_name + len - 8, ".profile") == 0)
				fprintf(out, "  %.*s\n", (int)(len - 8), e->d_name);
		}
		closedir(d);
	}
}
