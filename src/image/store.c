/* The image cache: where it is, its checks, the source index and the
 * making of an entry.  See image/store.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "base/util.h"
#include "base/cleanup.h"
#include "base/sha256.h"
#include "image/store.h"

#define ENTRY_JSON_MAX (1u << 20)


/* mkdir -p @path, 0700 for each directory made. */
static int make_dirs(const char *path, struct ward_err *err)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1;; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(buf, 0700) == 0) {
			/* 0700 whatever the umask: a umask of 0277 would
			 * leave a cache ward cannot write */
			if (chmod(buf, 0700) < 0)
				return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
						    "image cache: chmod 700 %s", buf));
		} else if (errno != EEXIST) {
			return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
					    "image cache: creating %s (set WARD_CACHE_DIR to a directory you can write)",
					    buf));
		}
		if (!(*p = c))
			break;
	}
	return 0;
}

/* Refuse @fd (the directory at @path) unless it is the caller's own and
 * nobody else can write it (root: nobody else can even read it). */
static int check_private(int fd, const char *path, const char *what,
			 struct ward_err *err)
{
	struct stat st;
	uid_t me = geteuid();
	mode_t deny = me == 0 ? 077 : 022;

	if (fstat(fd, &st) < 0)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno, "image cache: %s", path));
	if (!S_ISDIR(st.st_mode))
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, ENOTDIR,
				    "image cache: %s is not a directory; remove it", path));
	if (st.st_uid != me)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, EPERM,
				    "image cache: %s %s is owned by uid %u, not by you (uid %u): another user could plant trees there; remove it or set WARD_CACHE_DIR to a directory of your own",
				    what, path, (unsigned)st.st_uid, (unsigned)me));
	if (st.st_mode & deny)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, EPERM,
				    "image cache: %s %s has mode %04o: %s; chmod 700 %s",
				    what, path, (unsigned)(st.st_mode & 07777),
				    me == 0 ? "root's cache must be closed to other users"
					    : "others could write into it",
				    path));
	return 0;
}

static int open_dir_at(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int ward_image_store_open(struct ward_image_store *s, bool create,
			  struct ward_err *err)
{
	_cleanup_close_ int fd = -1;
	int r;

	s->dfd = -1;
	if ((r = ward_image_store_path(s->path, sizeof(s->path), err)) < 0)
		return r;
	if (create && (r = make_dirs(s->path, err)) < 0)
		return r;
	fd = open_dir_at(AT_FDCWD, s->path);
	if (fd < 0 && errno == ENOENT && !create)
		return -ENOENT;
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
				    "image cache: %s is a symlink or not a directory: the cache is used only where it is; remove it or set WARD_CACHE_DIR",
				    s->path));
	if (fd < 0)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno, "image cache: %s",
				    s->path));
	if ((r = check_private(fd, s->path, "the directory", err)) < 0)
		return r;
	s->dfd = TAKE_FD(fd);
	return 0;
}

void ward_image_store_close(struct ward_image_store *s)
{
	if (s->dfd >= 0)
		close(s->dfd);
	s->dfd = -1;
}

/* ---- names ------------------------------------------------------------------------- */

int ward_image_source_key(const char *path, const char *tag, const char *user,
			  char key[WARD_IMAGE_KEY_HEX], struct ward_err *err)
{
	char text[8192], index[PATH_MAX];
	struct stat st;
	int n;

	if (stat(path, &st) < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, errno, "--image %s", path);
	if (S_ISDIR(st.st_mode)) {
		if ((size_t)snprintf(index, sizeof(index), "%s/index.json", path) >=
		    sizeof(index))
			return ward_err_set(err, WARD_STEP_IMAGE, ENAMETOOLONG,
					    "--image %s", path);
		if (lstat(index, &st) < 0)
			return ward_err_set(err, WARD_STEP_IMAGE, errno,
					    "--image %s: index.json (an OCI image layout has one)",
					    path);
	}
	n = snprintf(text, sizeof(text),
		     "ward-image-source 1\ndev %" PRIu64 "\nino %" PRIu64
		     "\nsize %" PRId64 "\nmtime %" PRId64 ".%09ld\nctime %" PRId64
		     ".%09ld\nmode %o\ntag %s%s\nuser %s%s\n",
		     (uint64_t)st.st_dev, (uint64_t)st.st_ino, (int64_t)st.st_size,
		     (int64_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		     (int64_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
		     (unsigned)st.st_mode, tag ? "=" : "-", tag ? tag : "",
		     user ? "=" : "-", user ? user : "");
	if (n < 0 || (size_t)n >= sizeof(text))
		return ward_err_set(err, WARD_STEP_IMAGE, ENAMETOOLONG,
				    "--image %s: the --tag or --user is too long", path);
	ward_sha256_hex(text, (size_t)n, key);
	return 0;
}

static bool is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int ward_image_entry_name(const char *digest, bool rootless, uid_t uid,
			  gid_t gid, char name[WARD_IMAGE_ENTRY_NAME])
{
	if (!ward_image_digest_valid(digest))
		return -EINVAL;
	if (rootless)
		snprintf(name, WARD_IMAGE_ENTRY_NAME, "%s.u%ug%u", digest + 7,
			 (unsigned)uid, (unsigned)gid);
	else
		snprintf(name, WARD_IMAGE_ENTRY_NAME, "%s", digest + 7);
	return 0;
}

/* A decimal id of at most 10 digits without a leading zero; *end past it. */
static bool parse_id(const char *s, const char **end)
{
	size_t n = strspn(s, "0123456789");
	char buf[16];

	if (n == 0 || n > 10 || (n > 1 && s[0] == '0'))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strtoull(buf, NULL, 10) > UINT32_MAX)
		return false;
	*end = s + n;
	return true;
}

bool ward_image_entry_name_valid(const char *name,
				 char digest[WARD_IMAGE_DIGEST_LEN])
{
	const char *p;

	if (strnlen(name, 65) < 64 || !is_hex64(name))
		return false;
	p = name + 64;
	if (*p) {
		if (p[0] != '.' || p[1] != 'u' || !parse_id(p + 2, &p) ||
		    *p != 'g' || !parse_id(p + 1, &p) || *p)
			return false;
	}
	if (digest)
		snprintf(digest, WARD_IMAGE_DIGEST_LEN, "sha256:%.64s", name);
	return true;
}

/* ---- the source index --------------------------------------------------------------- */

int ward_image_store_lookup(const struct ward_image_store *s, const char *key,
			    char name[WARD_IMAGE_ENTRY_NAME])
{
	char path[16 + WARD_IMAGE_KEY_HEX];
	ssize_t n;

	snprintf(path, sizeof(path), "sources/%s", key);
	n = readlinkat(s->dfd, path, name, WARD_IMAGE_ENTRY_NAME - 1);
	if (n < 0 || n >= WARD_IMAGE_ENTRY_NAME - 1)
		return -ENOENT;
	name[n] = '\0';
	return ward_image_entry_name_valid(name, NULL) ? 0 : -ENOENT;
}

static void random_hex(char *out, size_t len)
{
	uint64_t nonce = 0;

	if (getrandom(&nonce, sizeof(nonce), GRND_NONBLOCK) != sizeof(nonce))
		nonce = (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL) ^
			(uint64_t)(uintptr_t)&nonce;
	snprintf(out, len, "%016" PRIx64, nonce);
}

/* sources/, made 0700 when missing, and checked as the cache itself. */
static int open_sources(const struct ward_image_store *s, struct ward_err *err)
{
	char path[sizeof(s->path) + 16];
	int fd, r;

	if (mkdirat(s->dfd, "sources", 0700) < 0 && errno != EEXIST)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
				    "image cache: creating %s/sources", s->path));
	snprintf(path, sizeof(path), "%s/sources", s->path);
	if ((fd = open_dir_at(s->dfd, "sources")) < 0)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
				    "image cache: %s (a symlink or not a directory? remove it)",
				    path));
	if ((r = check_private(fd, path, "the directory", err)) < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int ward_image_store_link_source(const struct ward_image_store *s,
				 const char *key, const char *name,
				 struct ward_err *err)
{
	_cleanup_close_ int fd = open_sources(s, err);
	char tmp[32 + WARD_IMAGE_KEY_HEX], nonce[17];

	if (fd < 0)
		return fd;
	random_hex(nonce, sizeof(nonce));
	snprintf(tmp, sizeof(tmp), ".%s.%s", key, nonce);
	if (symlinkat(name, fd, tmp) < 0)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
				    "image cache: %s/sources/%s", s->path, tmp));
	if (renameat(fd, tmp, fd, key) < 0) {
		int e = errno;

		unlinkat(fd, tmp, 0);
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, e,
				    "image cache: %s/sources/%s", s->path, key));
	}
	return 0;
}

/* ---- using an entry ----------------------------------------------------------------- */

__attribute__((format(printf, 2, 3)))
static int why(char *out, const char *fmt, ...)
{
	va_list ap;

	if (out) {
		va_start(ap, fmt);
		vsnprintf(out, 128, fmt, ap);
		va_end(ap);
	}
	return -ENOENT;
}

/* A regular file of the caller's in the entry, read whole: at most @max
 * bytes, NUL-terminated.  0 or -errno. */
static int read_whole(int efd, const char *name, size_t max, char **buf, size_t *len)
{
	_cleanup_close_ int fd = openat(efd, name,
					O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;

	*buf = NULL;
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_size <= 0 ||
	    (uint64_t)st.st_size > max)
		return -EINVAL;
	if (!(*buf = malloc((size_t)st.st_size + 1)))
		return -ENOMEM;
	if (read(fd, *buf, (size_t)st.st_size) != st.st_size) {
		free(*buf);
		*buf = NULL;
		return -EIO;
	}
	(*buf)[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	return 0;
}

struct json_object *ward_image_entry_json_read(int efd)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;

	if (read_whole(efd, "entry.json", ENTRY_JSON_MAX, &buf, &len) < 0)
		return NULL;
	return json_tokener_parse(buf);
}

/* entry.json's "digest", compared with @digest; the file parsed is kept
 * in @f. */
static bool entry_json_digest_is(int efd, const char *digest,
				 struct ward_image_entry_files *f)
{
	struct json_object *d;

	f->entry = ward_image_entry_json_read(efd);
	return f->entry && json_object_object_get_ex(f->entry, "digest", &d) &&
	       json_object_is_type(d, json_type_string) &&
	       strcmp(json_object_get_string(d), digest) == 0;
}

/* config.json's sha256 is the digest @hex the entry's name says; its
 * bytes kept in @f. */
static bool config_digest_is(int efd, const char *hex, struct ward_image_entry_files *f)
{
	char got[WARD_SHA256_HEX];

	if (read_whole(efd, "config.json", WARD_IMAGE_MAX_JSON, &f->config_json,
		       &f->config_len) < 0)
		return false;
	ward_sha256_hex(f->config_json, f->config_len, got);
	return strncmp(got, hex, 64) == 0;
}

void ward_image_entry_files_free(struct ward_image_entry_files *f)
{
	json_object_put(f->entry);
	free(f->config_json);
	*f = (struct ward_image_entry_files){0};
}

bool ward_image_store_still_named(const struct ward_image_store *s, const char *name,
				  int efd)
{
	struct stat a, b;

	return fstat(efd, &a) == 0 &&
	       fstatat(s->dfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The checks of a warm start on the entry open at @efd; @f gets what
 * they read (the caller frees it, whatever the result). */
static int check_entry(int efd, const char *name, struct ward_image_entry_files *f,
		       char *why_out)
{
	char digest[WARD_IMAGE_DIGEST_LEN];
	struct stat st;
	uid_t me = geteuid();

	if (!ward_image_entry_name_valid(name, digest))
		return why(why_out, "%s: not an entry's name", name);
	if (fstat(efd, &st) < 0 || st.st_uid != me || (st.st_mode & 07777) != 0700)
		return why(why_out, "%s: not yours, or not mode 0700", name);
	if (fstatat(efd, "rootfs", &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(st.st_mode) || st.st_uid != me)
		return why(why_out, "%s: rootfs is missing, not a directory or not yours", name);
	f->rootfs_dev = st.st_dev;
	f->rootfs_ino = st.st_ino;
	if (fstatat(efd, "lock", &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode) || st.st_uid != me)
		return why(why_out, "%s: its lock is missing or not yours", name);
	if (!entry_json_digest_is(efd, digest, f))
		return why(why_out, "%s: entry.json does not record the digest of its name", name);
	if (!config_digest_is(efd, name, f))
		return why(why_out, "%s: config.json does not have the digest of its name", name);
	return 0;
}

int ward_image_store_check(const struct ward_image_store *s, const char *name,
			   struct ward_image_entry_files *files, char *why_out)
{
	_cleanup_close_ int efd = open_dir_at(s->dfd, name);
	struct ward_image_entry_files f = {0};
	int r;

	if (efd < 0)
		return why(why_out, "%s: absent", name);
	r = check_entry(efd, name, &f, why_out);
	if (r == 0 && files) {
		*files = f;
		f = (struct ward_image_entry_files){0};
	}
	ward_image_entry_files_free(&f);
	return r;
}

int ward_image_store_use(const struct ward_image_store *s, const char *name,
			 int *lock_fd, int *entry_fd,
			 struct ward_image_entry_files *files, char *why_out)
{
	_cleanup_close_ int efd = open_dir_at(s->dfd, name), lfd = -1;
	/* The bytes checked are the bytes the caller uses: nothing in an
	 * entry is rewritten, and a remover renames it first (still_named). */
	__attribute__((cleanup(ward_image_entry_files_free)))
	struct ward_image_entry_files f = {0};
	int r;

	if (efd < 0)
		return why(why_out, "%s: absent", name);
	if ((r = check_entry(efd, name, &f, why_out)) < 0)
		return r;
	lfd = openat(efd, "lock", O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (lfd < 0)
		return why(why_out, "%s: its lock cannot be opened", name);
	/* Wait: an exclusive holder is a maker between its rename and its
	 * shared lock, ward image ls looking, or a remover, which takes the
	 * entry away from its name first (checked next). */
	while ((r = flock(lfd, LOCK_SH)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return why(why_out, "%s: flock", name);
	if (!ward_image_store_still_named(s, name, efd))
		return why(why_out, "%s: removed meanwhile", name);
	futimens(lfd, NULL); /* the last use; a failure costs only ls's column */
	*lock_fd = TAKE_FD(lfd);
	if (entry_fd)
		*entry_fd = TAKE_FD(efd);
	if (files) {
		*files = f;
		f = (struct ward_image_entry_files){0};
	}
	return 0;
}

/* ---- making an entry ----------------------------------------------------------------- */

static void maker_close(struct ward_image_maker *m)
{
	if (m->rootfs_fd >= 0)
		close(m->rootfs_fd);
	if (m->fd >= 0)
		close(m->fd);
	if (m->lock_fd >= 0)
		close(m->lock_fd);
	m->fd = m->rootfs_fd = m->lock_fd = -1;
}

int ward_image_store_begin(const struct ward_image_store *s,
			   struct ward_image_maker *m, struct ward_err *err)
{
	char nonce[17];

	m->fd = m->rootfs_fd = m->lock_fd = -1;
	random_hex(nonce, sizeof(nonce));
	snprintf(m->tmp, sizeof(m->tmp), "tmp.%s", nonce);
	if (mkdirat(s->dfd, m->tmp, 0700) < 0)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
				    "image cache: creating %s/%s", s->path, m->tmp));
	if ((m->fd = open_dir_at(s->dfd, m->tmp)) < 0 ||
	    fchmod(m->fd, 0700) < 0 ||
	    (m->lock_fd = openat(m->fd, "lock",
				 O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				 0600)) < 0 ||
	    flock(m->lock_fd, LOCK_EX) < 0 || mkdirat(m->fd, "rootfs", 0700) < 0 ||
	    (m->rootfs_fd = open_dir_at(m->fd, "rootfs")) < 0 ||
	    fchmod(m->rootfs_fd, 0755) < 0) {
		int e = errno;

		ward_image_store_abort(s, m);
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, e,
				    "image cache: preparing %s/%s", s->path, m->tmp));
	}
	return 0;
}

int ward_image_store_write(struct ward_image_maker *m, const char *name,
			   const void *data, size_t len, struct ward_err *err)
{
	_cleanup_close_ int fd = openat(m->fd, name,
					O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
					0600);
	const char *p = data;

	if (fd < 0)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
				    "image cache: writing %s/%s", m->tmp, name));
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, n < 0 ? errno : EIO,
					    "image cache: writing %s/%s", m->tmp, name));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void ward_image_store_abort(const struct ward_image_store *s,
			    struct ward_image_maker *m)
{
	if (m->tmp[0])
		ward_image_remove_tree(s->dfd, m->tmp, NULL);
	maker_close(m);
	m->tmp[0] = '\0';
}

/* @name exists and is not usable: swap ours in, if nobody uses it. */
static int replace_entry(const struct ward_image_store *s,
			 struct ward_image_maker *m, const char *name,
			 struct ward_err *err)
{
	_cleanup_close_ int old = -1;

	old = openat(s->dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (old >= 0) {
		_cleanup_close_ int lfd = openat(old, "lock",
						 O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

		if (lfd < 0 && errno != ENOENT) /* no lock at all: nobody can hold it */
			return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
					    "image cache: %s/%s fails its checks and its lock cannot be opened",
					    s->path, name));
		if (lfd >= 0 && flock(lfd, LOCK_EX | LOCK_NB) < 0)
			return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, EBUSY,
					    "image cache: %s/%s fails its checks but is in use by a running sandbox; run again when it ends",
					    s->path, name));
		/* locked, but another maker may have put its entry there since */
		if (!ward_image_store_still_named(s, name, old))
			return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, EBUSY,
					    "image cache: %s/%s changed while this run replaced it; run again",
					    s->path, name));
	}
	/* whatever @name is (a broken entry, a file, a symlink), ours
	 * takes its place and it leaves under our temporary name */
	if (renameat2(s->dfd, m->tmp, s->dfd, name, RENAME_EXCHANGE) < 0)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, errno,
				    "image cache: replacing %s/%s", s->path, name));
	ward_image_remove_tree(s->dfd, m->tmp, NULL);
	return 0;
}

int ward_image_store_commit(const struct ward_image_store *s,
			    struct ward_image_maker *m, const char *name,
			    int *lock_fd, bool *won, struct ward_err *err)
{
	char why_out[128];
	int r;

	*won = true;
	*lock_fd = -1;
	close(m->rootfs_fd);
	m->rootfs_fd = -1;
	if (renameat2(s->dfd, m->tmp, s->dfd, name, RENAME_NOREPLACE) < 0) {
		if (errno != EEXIST) {
			r = ward_err_set(err, WARD_STEP_IMAGE, errno,
					 "image cache: renaming %s/%s to %s", s->path,
					 m->tmp, name);
			ward_image_store_abort(s, m);
			return r;
		}
		/* another run made it first: theirs, when it is sound */
		r = ward_image_store_use(s, name, lock_fd, NULL, NULL, why_out);
		if (r == 0) {
			*won = false;
			ward_image_store_abort(s, m);
			return 0;
		}
		if ((r = replace_entry(s, m, name, err)) < 0) {
			ward_image_store_abort(s, m);
			return r;
		}
	}
	m->tmp[0] = '\0';
	/* ours: keep its lock, now shared (a remover needs it exclusive) */
	if (flock(m->lock_fd, LOCK_SH) < 0) {
		r = ward_err_set(err, WARD_STEP_IMAGE, errno,
				 "image cache: locking %s/%s", s->path, name);
		maker_close(m);
		return r;
	}
	*lock_fd = m->lock_fd;
	m->lock_fd = -1;
	maker_close(m);
	return 0;
}
