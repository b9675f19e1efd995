/* The rootfs audit (ward check --rootfs): what could a program in this
 * image tree do if it were compromised?
 *
 * One bounded walk of the tree answers setuid/setgid files,
 * world-writable directories and files, files that look like secrets and
 * the tree's size; two lookups inside the tree answer the tools in the
 * bin directories and the uid-0 accounts of /etc/passwd.
 *
 * The tree is untrusted.  The walk goes from directory fd to directory fd
 * (openat, fstatat(AT_SYMLINK_NOFOLLOW), fdopendir), never re-resolves a
 * path string, never follows a symlink, stays on the root's device (like
 * find -xdev) and skips /proc, /sys and /dev.  It looks at no more than
 * WARD_AUDIT_MAX_ENTRIES entries and enters no directory deeper than
 * WARD_AUDIT_MAX_DEPTH; reaching a bound is reported in a row, not as an
 * error.  A file is opened only when its name matches a secret pattern
 * whose content has to be confirmed, with O_NOFOLLOW|O_NONBLOCK, only if
 * it is a regular file, and at most 4 KiB of it is read; what it holds is
 * never copied into the report.  Names from the tree are escaped before
 * they reach a row (a file name can hold terminal escapes). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/audit.h"
#include "base/cleanup.h"
#include "base/openat2.h"
#include "report/report.h"
#include "report/report_text.h"
#include "base/secret_shapes.h"
#include "kernel/userdb.h"
#include "base/util.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define AUDIT_EXAMPLES 5        /* paths kept per finding */
#define AUDIT_SHOWN 160         /* bytes of one escaped path kept */
#define AUDIT_READ_MAX 4096     /* bytes read from a secret candidate */
#define AUDIT_BIG (500ull << 20) /* "a big image": above 500 MiB */

/* ---- text helpers -------------------------------------------------------- */

/* Copy @in into @out escaping everything but printable ASCII (and the
 * backslash) as \xNN, so that a hostile file name can neither drive the
 * terminal nor break the JSON's UTF-8.  Ends with "..." when cut. */
static void escape_name(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		char piece[5];
		size_t n;

		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			piece[0] = (char)*p;
			n = 1;
		} else {
			n = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", *p);
		}
		if (o + n + 4 > len) {  /* room for "..." and the NUL */
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, piece, n);
		o += n;
	}
	out[o] = '\0';
}

/* ---- findings -------------------------------------------------------------- */

struct examples {
	uint64_t n;                                /* how many were found */
	char path[AUDIT_EXAMPLES][AUDIT_SHOWN];    /* the first few, escaped */
};

static void example_add(struct examples *e, const char *path)
{
	if (e->n < AUDIT_EXAMPLES)
		escape_name(path[0] ? path : "/", e->path[e->n], AUDIT_SHOWN);
	e->n++;
}

/* Append ": a, b, c" (as many of the kept paths as fit, then ", ...")
 * to @t.  Leaves room for @reserve more bytes after the list. */
static void text_add_examples(struct ward_text *t, const struct examples *e,
			      size_t reserve)
{
	uint64_t kept = e->n < AUDIT_EXAMPLES ? e->n : AUDIT_EXAMPLES;
	uint64_t shown = 0;

	for (uint64_t i = 0; i < kept; i++) {
		size_t need = strlen(e->path[i]) + 2 + 5 + reserve;

		if (t->n + need >= sizeof(t->s))
			break;
		ward_text_add(t, "%s%s", i ? ", " : ": ", e->path[i]);
		shown++;
	}
	if (shown < e->n)
		ward_text_add(t, shown ? ", ..." : ": ...");
}

/* ---- the walk --------------------------------------------------------------- */

struct walk {
	dev_t dev;                   /* the root's device: not left */
	struct ward_audit_limits lim;
	char path[PATH_MAX];         /* display path of the current entry */
	size_t len;
	uint64_t entries, dirs, files, bytes;
	bool cut;                    /* stopped at lim.max_entries */
	struct examples too_deep;    /* directories not entered (depth) */
	struct examples mounts;      /* mount points not crossed */
	struct examples errors;      /* "path (strerror)" */
	struct examples setuid, ww_dirs, ww_files, secrets;
};

/* Append "/name" to the display path; a path too long to show ends in
 * "/...".  Returns the length to restore with path_pop. */
static size_t path_push(struct walk *w, const char *name)
{
	size_t old = w->len, n = strlen(name);

	if (old + 1 + n < sizeof(w->path)) {
		w->path[old] = '/';
		memcpy(w->path + old + 1, name, n + 1);
		w->len = old + 1 + n;
	} else if (old + 5 < sizeof(w->path) &&
		   (old < 4 || memcmp(w->path + old - 4, "/...", 4) != 0)) {
		memcpy(w->path + old, "/...", 5);
		w->len = old + 4;
	}
	return old;
}

static void path_pop(struct walk *w, size_t old)
{
	w->len = old;
	w->path[old] = '\0';
}

/* Count an entry that could not be read; @why is a strerror() or a
 * reason of our own. */
static void note_error(struct walk *w, const char *why)
{
	char line[PATH_MAX + 128];

	snprintf(line, sizeof(line), "%s (%s)", w->path[0] ? w->path : "/", why);
	example_add(&w->errors, line);
}

/* Read at most AUDIT_READ_MAX bytes of @dfd/@name, which lstat gave as
 * @st, and decide.  Opened without following a symlink and without
 * blocking (a FIFO swapped in would otherwise hang the walk); anything
 * but the regular file that was lstat'ed is left alone. */
static bool confirm_secret(struct walk *w, int dfd, const char *name,
			   const struct stat *st,
			   enum ward_secret_kind kind)
{
	_cleanup_close_ int fd = -1;
	char buf[AUDIT_READ_MAX];
	struct stat fst;
	size_t used = 0;
	bool found;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
				       O_CLOEXEC);
	if (fd < 0) {
		note_error(w, strerror(errno));
		return false;
	}
	if (fstat(fd, &fst) < 0 || !S_ISREG(fst.st_mode) ||
	    fst.st_dev != st->st_dev || fst.st_ino != st->st_ino)
		return false;
	while (used < sizeof(buf)) {
		ssize_t n = read(fd, buf + used, sizeof(buf) - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			note_error(w, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	found = ward_secret_content(kind, buf, used);
	explicit_bzero(buf, sizeof(buf));
	return found;
}

/* What one entry says, from its lstat. */
static void inspect(struct walk *w, int dfd, const char *parent,
		    const char *name, const struct stat *st)
{
	if (S_ISDIR(st->st_mode)) {
		w->dirs++;
		if ((st->st_mode & S_IWOTH) && !(st->st_mode & S_ISVTX))
			example_add(&w->ww_dirs, w->path);
		return;
	}
	if (!S_ISREG(st->st_mode))
		return;
	w->files++;
	if (st->st_size > 0)
		w->bytes += (uint64_t)st->st_size;
	if (st->st_mode & (S_ISUID | S_ISGID))
		example_add(&w->setuid, w->path);
	if (st->st_mode & S_IWOTH)
		example_add(&w->ww_files, w->path);
	if (name && st->st_size > 0) {
		enum ward_secret_kind kind = ward_secret_file_kind(parent, name);

		if (kind == WARD_SECRET_BY_NAME ||
		    (kind != WARD_SECRET_NONE &&
		     confirm_secret(w, dfd, name, st, kind)))
			example_add(&w->secrets, w->path);
	}
}

static bool skipped_at_top(const char *name)
{
	return strcmp(name, "proc") == 0 || strcmp(name, "sys") == 0 ||
	       strcmp(name, "dev") == 0;
}

static void walk_dir(struct walk *w, int fd, unsigned depth,
		     const char *dname);

/* Enter the directory @dfd/@name (lstat'ed as @st) at @depth, unless a
 * bound or a mount point says not to. */
static void descend(struct walk *w, int dfd, const char *name,
		    const struct stat *st, unsigned depth)
{
	struct stat fst;
	int fd;

	if (depth > w->lim.max_depth) {
		example_add(&w->too_deep, w->path);
		return;
	}
	if (st->st_dev != w->dev) {
		example_add(&w->mounts, w->path);
		return;
	}
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				       O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		note_error(w, strerror(errno));
		return;
	}
	/* The same directory that was lstat'ed, not one swapped in. */
	if (fstat(fd, &fst) < 0 || fst.st_dev != st->st_dev ||
	    fst.st_ino != st->st_ino) {
		note_error(w, "changed during the walk");
		close(fd);
		return;
	}
	walk_dir(w, fd, depth, name);
}

/* Walk the directory open at @fd (taken over) at @depth; @dname is its
 * own name, for the secret patterns that look at the parent. */
static void walk_dir(struct walk *w, int fd, unsigned depth, const char *dname)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;

	if (!d) {
		note_error(w, strerror(errno));
		close(fd);
		return;
	}
	for (;;) {
		struct stat st;
		size_t saved;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				note_error(w, strerror(errno));
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (w->entries >= w->lim.max_entries) {
			w->cut = true;
			break;
		}
		w->entries++;
		saved = path_push(w, de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)  /* gone since readdir */
				note_error(w, strerror(errno));
		} else if (depth == 0 && S_ISDIR(st.st_mode) &&
			   skipped_at_top(de->d_name)) {
			/* /proc, /sys, /dev: mount points at run time */
		} else {
			inspect(w, dirfd(d), dname, de->d_name, &st);
			if (S_ISDIR(st.st_mode))
				descend(w, dirfd(d), de->d_name, &st, depth + 1);
		}
		path_pop(w, saved);
		if (w->cut)
			break;
	}
	closedir(d);
}

/* ---- lookups inside the tree ------------------------------------------------ */

/* Open @rel (relative, no "..") beneath @rootfd with @flags, resolving
 * symlinks as if @rootfd were "/" (openat2 RESOLVE_IN_ROOT), so nothing
 * outside the tree is reached.  Where openat2 is missing (old kernels,
 * valgrind), no symlink is followed at all. */
static int open_in_root(int rootfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	char copy[PATH_MAX];
	char *save = NULL, *comp, *next;
	int fd, dfd;

	fd = ward_openat2(rootfd, rel, &how);
	if (fd >= 0)
		return fd;
	if (fd != -ENOSYS) {
		errno = -fd;
		return -1;
	}
	if (snprintf(copy, sizeof(copy), "%s", rel) >= (int)sizeof(copy)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	dfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (dfd < 0)
		return -1;
	comp = strtok_r(copy, "/", &save);
	while (comp) {
		next = strtok_r(NULL, "/", &save);
		fd = openat(dfd, comp, next ? O_PATH | O_DIRECTORY | O_NOFOLLOW |
						      O_CLOEXEC
					    : flags | O_NOFOLLOW | O_CLOEXEC);
		int saved = errno;

		close(dfd);
		errno = saved;
		if (fd < 0)
			return -1;
		dfd = fd;
		comp = next;
	}
	return dfd;
}

struct tools_found {
	/* per tools[] entry: the shortest matching name seen, "" if none */
	char name[WARD_TOOLS][NAME_MAX + 1];
};

/* Collect the tool names in one bin directory (open at @fd, taken over). */
static void scan_bin_dir(int fd, struct tools_found *f)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;

	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		unsigned char type = de->d_type;

		int i = ward_tool_index(de->d_name);
		size_t cur, n = strlen(de->d_name);

		if (i < 0)
			continue;
		cur = strlen(f->name[i]);
		if (type == DT_UNKNOWN) {
			struct stat st;

			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			type = S_ISREG(st.st_mode) ? DT_REG :
			       S_ISLNK(st.st_mode) ? DT_LNK : DT_DIR;
		}
		if (type != DT_REG && type != DT_LNK)
			continue;
		/* deterministic: the shortest, then the first in byte order */
		if (cur == 0 || n < cur ||
		    (n == cur && strcmp(de->d_name, f->name[i]) < 0))
			memcpy(f->name[i], de->d_name, n + 1);
	}
	closedir(d);
}

/* The row text for the tools found, names escaped. */
static unsigned describe_tools(const struct tools_found *f, struct ward_text *t)
{
	char esc[WARD_TOOLS][64];
	const char *found[WARD_TOOLS];

	for (size_t i = 0; i < WARD_TOOLS; i++) {
		esc[i][0] = '\0';
		if (f->name[i][0])
			escape_name(f->name[i], esc[i], sizeof(esc[i]));
		found[i] = esc[i];
	}
	return ward_tools_describe(found, ", ", t);
}

static void audit_tools(int rootfd, struct ward_report *r)
{
	struct tools_found *f = calloc(1, sizeof(*f));
	struct stat seen[8];
	size_t nseen = 0;
	unsigned ncat = 0;
	struct ward_text t = {0};

	if (!f) {
		ward_report_add(r, "rootfs.tools", true, 0, NULL,
				"not checked: out of memory");
		return;
	}
	for (size_t i = 0; i < ward_nbin_dirs && i < N_ELEMS(seen); i++) {
		int fd = open_in_root(rootfd, ward_bin_dirs[i], O_RDONLY | O_DIRECTORY);
		struct stat st;
		bool dup = false;

		if (fd < 0)
			continue;
		/* /bin -> usr/bin on merged-/usr trees: scan once */
		if (fstat(fd, &st) < 0) {
			close(fd);
			continue;
		}
		for (size_t j = 0; j < nseen; j++)
			dup |= seen[j].st_dev == st.st_dev && seen[j].st_ino == st.st_ino;
		if (dup) {
			close(fd);
			continue;
		}
		seen[nseen++] = st;
		scan_bin_dir(fd, f);
	}
	ncat = describe_tools(f, &t);
	free(f);
	if (ncat == 0) {
		ward_report_add(r, "rootfs.tools", true, 0, NULL,
				"no shell, interpreter, package manager, compiler or network tool in /bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin");
		return;
	}
	ward_report_add(r, "rootfs.tools", false, ncat * 0.2 > 1.0 ? 1.0 : ncat * 0.2,
			"a distroless/scratch image keeps only what the program needs",
			"%s", t.s);
}

/* Read /etc/passwd of the tree into a NUL-terminated heap buffer. */
static int read_passwd(int rootfd, char **out, size_t *len)
{
	_cleanup_close_ int fd = open_in_root(rootfd, "etc/passwd",
					      O_RDONLY | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return -errno;
	return ward_userdb_read_fd(fd, out, len);
}

/* A login that is a person's or a service's own, not a system account:
 * Debian's UID_MIN..UID_MAX and beyond, but not nobody. */
static bool uid_is_regular(uint32_t uid)
{
	return uid >= 1000 && uid != 65534 && uid < 4294967294u;
}

static void audit_users(int rootfd, struct ward_report *r)
{
	_cleanup_free_ char *buf = NULL;
	struct ward_text root_eq = {0}, regular = {0};
	unsigned nroot = 0, nregular = 0, nregular_shown = 0;
	size_t len = 0;
	int rc;

	rc = read_passwd(rootfd, &buf, &len);
	if (rc == -ENOENT) {
		ward_report_add(r, "rootfs.user", true, 0, NULL,
				"no /etc/passwd in the tree: no named accounts");
		return;
	}
	if (rc < 0) {
		ward_report_add(r, "rootfs.user", true, 0, NULL,
				"/etc/passwd could not be read (%s)", strerror(-rc));
		return;
	}
	for (char *line = buf, *next; line && *line; line = next) {
		char *fields[7] = {0};
		char esc[64];
		uint32_t uid;
		int nf;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#' || line[0] == '+' || line[0] == '-' ||
		    strchr(line, ':') == NULL)
			continue;
		nf = ward_split_colon(line, fields, 7);
		if (nf < 3 || ward_parse_u32(fields[2], &uid) < 0)
			continue;
		escape_name(fields[0], esc, sizeof(esc));
		if (uid == 0 && strcmp(fields[0], "root") != 0) {
			ward_text_add(&root_eq, "%s%s", nroot ? ", " : "", esc);
			nroot++;
		} else if (uid_is_regular(uid)) {
			if (nregular_shown < AUDIT_EXAMPLES &&
			    regular.n + strlen(esc) + 16 < 120) {
				ward_text_add(&regular, "%s%s (%" PRIu32 ")",
					 nregular ? ", " : "", esc, uid);
				nregular_shown++;
			}
			nregular++;
		}
	}
	if (nregular > nregular_shown)
		ward_text_add(&regular, ", +%u", nregular - nregular_shown);
	if (nroot)
		ward_report_add(r, "rootfs.user", false, 2.0,
				"give those accounts their own uid or remove them: uid 0 is root whatever the name",
				"uid 0 besides root: %.120s; non-system users: %s",
				root_eq.s, nregular ? regular.s : "none");
	else
		ward_report_add(r, "rootfs.user", true, 0, NULL,
				"no uid-0 account but root; non-system users: %s",
				nregular ? regular.s : "none");
}

/* ---- rows ------------------------------------------------------------------- */

/* setuid, world-writable, secrets */
static void rows_findings(const struct walk *w, struct ward_report *r)
{
	char a[32];
	struct ward_text t = {0};

	if (w->setuid.n == 0) {
		ward_report_add(r, "rootfs.setuid", true, 0, NULL,
				"no setuid or setgid file");
	} else {
		ward_text_add(&t, "%s setuid/setgid file%s", ward_fmt_count(w->setuid.n, a),
			 w->setuid.n == 1 ? "" : "s");
		text_add_examples(&t, &w->setuid, 0);
		ward_report_add(r, "rootfs.setuid", false, 1.5,
				"remove the setuid bit (chmod u-s) or the file; ward's no_new_privs neutralises them at run time, but the image should not carry them",
				"%s", t.s);
	}

	memset(&t, 0, sizeof(t));
	if (w->ww_dirs.n == 0 && w->ww_files.n == 0) {
		ward_report_add(r, "rootfs.world-writable", true, 0, NULL,
				"no world-writable directory without the sticky bit, no world-writable file");
	} else {
		if (w->ww_dirs.n) {
			ward_text_add(&t, "%s world-writable director%s without the sticky bit",
				 ward_fmt_count(w->ww_dirs.n, a),
				 w->ww_dirs.n == 1 ? "y" : "ies");
			text_add_examples(&t, &w->ww_dirs, w->ww_files.n ? 60 : 0);
		}
		if (w->ww_files.n) {
			ward_text_add(&t, "%s%s world-writable file%s", t.n ? "; " : "",
				 ward_fmt_count(w->ww_files.n, a),
				 w->ww_files.n == 1 ? "" : "s");
			text_add_examples(&t, &w->ww_files, 0);
		}
		ward_report_add(r, "rootfs.world-writable", false,
				(w->ww_dirs.n ? 1.0 : 0.0) + (w->ww_files.n ? 0.5 : 0.0),
				"chmod o-w them; a directory every user shares needs the sticky bit (chmod +t), as /tmp has",
				"%s", t.s);
	}

	memset(&t, 0, sizeof(t));
	if (w->secrets.n == 0) {
		ward_report_add(r, "rootfs.secrets", true, 0, NULL,
				"no file that looks like a secret (.env, SSH or PEM private keys, registry or cloud credentials)");
	} else {
		ward_text_add(&t, "%s file%s that look%s like secrets",
			 ward_fmt_count(w->secrets.n, a), w->secrets.n == 1 ? "" : "s",
			 w->secrets.n == 1 ? "s" : "");
		text_add_examples(&t, &w->secrets, 0);
		ward_report_add(r, "rootfs.secrets", false, 3.0,
				"remove it from the image and pass it at run time (ward run --secret once available, or a bind of a 0400 file)",
				"%s", t.s);
	}

}

/* size, and how complete the walk was */
static void rows_extent(const struct walk *w, struct ward_report *r)
{
	char a[32], b[32];
	struct ward_text t = {0};

	ward_report_add(r, "rootfs.size", w->bytes <= AUDIT_BIG, 0.5,
			"a smaller image exposes less: keep only what the program needs (multi-stage build, distroless base)",
			"%s%s in %s files", w->cut ? "at least " : "",
			ward_fmt_size(w->bytes, a), ward_fmt_count(w->files, b));

	ward_text_add(&t, "%s %s entr%s", w->cut ? "walk cut after" : "walked",
		 ward_fmt_count(w->entries, a), w->entries == 1 ? "y" : "ies");
	ward_text_add(&t, " in %s director%s (/proc, /sys, /dev not walked)",
		 ward_fmt_count(w->dirs, a), w->dirs == 1 ? "y" : "ies");
	if (w->mounts.n)
		ward_text_add(&t, "; %s mount point%s not crossed",
			 ward_fmt_count(w->mounts.n, a), w->mounts.n == 1 ? "" : "s");
	if (w->too_deep.n) {
		ward_text_add(&t, "; %s director%s deeper than %u levels not entered",
			 ward_fmt_count(w->too_deep.n, a),
			 w->too_deep.n == 1 ? "y" : "ies", w->lim.max_depth);
	}
	if (w->errors.n) {
		ward_text_add(&t, "; %s unreadable", ward_fmt_count(w->errors.n, a));
		text_add_examples(&t, &w->errors, 0);
	}
	/* An incomplete walk is no exposure of its own, but the rows above
	 * may then miss something: not ok, weight 0. */
	if (w->cut || w->too_deep.n || w->errors.n)
		ward_report_add(r, "rootfs.walk", false, 0.0,
				"the audit is incomplete: check the parts not walked by hand, or trim the image",
				"%s", t.s);
	else
		ward_report_add(r, "rootfs.walk", true, 0, NULL, "%s", t.s);
}

int ward_audit_rootfs_bounded(const char *root,
			      const struct ward_audit_limits *lim,
			      struct ward_report *r, struct ward_err *err)
{
	_cleanup_close_ int rootfd = -1;
	_cleanup_free_ struct walk *w = NULL;
	struct stat st;
	int fd;

	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 || fstat(rootfd, &st) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno,
				    "rootfs audit: %s", root);
	w = calloc(1, sizeof(*w));
	if (!w)
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM,
				    "rootfs audit: %s", root);
	w->dev = st.st_dev;
	w->lim = *lim;
	inspect(w, rootfd, "", NULL, &st);  /* the root directory's own mode */
	fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno,
				    "rootfs audit: %s", root);
	walk_dir(w, fd, 0, "");
	rows_findings(w, r);
	audit_tools(rootfd, r);
	audit_users(rootfd, r);
	rows_extent(w, r);
	return 0;
}

int ward_audit_rootfs(const char *root, struct ward_report *r,
		      struct ward_err *err)
{
	static const struct ward_audit_limits lim = {
		.max_entries = WARD_AUDIT_MAX_ENTRIES,
		.max_depth = WARD_AUDIT_MAX_DEPTH,
	};

	return ward_audit_rootfs_bounded(root, &lim, r, err);
}
