/* The image cache: listing, removing, pruning.  See image/store.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "base/cleanup.h"
#include "image/store.h"

#define ENTRY_JSON_MAX (1u << 20)
#define STALE_UNLOCKED_TMP 60 /* seconds: a tmp.* without a lock file */

/* ---- removing a tree ----------------------------------------------------------------- */

static int remove_dir_contents(int fd, uint64_t *bytes);

/* Remove @name in @dfd, whatever it is, never following a symlink. */
static int remove_at(int dfd, const char *name, uint64_t *bytes)
{
	struct stat st;
	int fd, r;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (bytes)
		*bytes += (uint64_t)st.st_blocks * 512;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	/* a rootless tree's directories may be 0000 (unpack.h): ours to open */
	if ((st.st_mode & 0700) != 0700 && st.st_uid == geteuid() &&
	    fchmodat(dfd, name, (st.st_mode & 07777) | 0700, 0) < 0)
		return -errno;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = remove_dir_contents(fd, bytes);
	if (r == 0 && unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		r = -errno;
	return r;
}

/* Takes @fd. */
static int remove_dir_contents(int fd, uint64_t *bytes)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int r = 0;

	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	while (r == 0 && (errno = 0, e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		r = remove_at(dirfd(d), e->d_name, bytes);
	}
	if (r == 0 && errno)
		r = -errno;
	closedir(d);
	return r;
}

int ward_image_remove_tree(int dfd, const char *name, uint64_t *bytes)
{
	uint64_t b = 0;
	int r = remove_at(dfd, name, &b);

	if (bytes)
		*bytes = b;
	return r;
}

/* ---- entry.json ----------------------------------------------------------------------- */

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
		       json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

static int64_t jint(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
		       json_object_is_type(v, json_type_int)
		       ? json_object_get_int64(v)
		       : 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* What entry.json and the lock say of the entry @name. */
static void entry_info(const struct ward_image_store *s, const char *name,
		       struct ward_image_entry_info *e)
{
	_cleanup_close_ int efd = -1, lfd = -1;
	json_object *o;
	struct stat st;

	snprintf(e->name, sizeof(e->name), "%s", name);
	ward_image_entry_name_valid(name, e->digest);
	e->valid = ward_image_store_check(s, name, NULL, NULL) == 0;
	efd = openat(s->dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (efd < 0)
		return;
	lfd = openat(efd, "lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (lfd >= 0) {
		if (flock(lfd, LOCK_EX | LOCK_NB) < 0)
			e->in_use = true;
		else
			flock(lfd, LOCK_UN);
		if (fstat(lfd, &st) == 0)
			e->last_used = st.st_mtim.tv_sec;
	}
	if (!(o = ward_image_entry_json_read(efd)))
		return;
	e->image = dup_or_null(jstr(o, "name"));
	e->source = dup_or_null(jstr(o, "source"));
	e->bytes = (uint64_t)jint(o, "bytes");
	e->files = (uint64_t)jint(o, "files");
	e->created = (time_t)jint(o, "created");
	if (jint(o, "last_used") > e->last_used)
		e->last_used = (time_t)jint(o, "last_used");
	json_object_put(o);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct ward_image_entry_info *)a)->name,
		      ((const struct ward_image_entry_info *)b)->name);
}

/* The names in the cache directory that @want accepts, heap memory. */
static int list_names(const struct ward_image_store *s,
		      bool (*want)(const char *), char ***out, size_t *n,
		      struct ward_err *err)
{
	int fd = openat(s->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char **v = NULL;
	size_t cap = 0;
	struct dirent *e;

	*out = NULL;
	*n = 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return ward_err_set(err, WARD_STEP_IMAGE, errno, "image cache: %s", s->path);
	}
	while ((e = readdir(d))) {
		if (!want(e->d_name))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof(*v));

			if (!nv)
				goto nomem;
			v = nv;
		}
		if (!(v[*n] = strdup(e->d_name)))
			goto nomem;
		(*n)++;
	}
	closedir(d);
	*out = v;
	return 0;
nomem:
	closedir(d);
	for (size_t i = 0; i < *n; i++)
		free(v[i]);
	free(v);
	*n = 0;
	return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "image cache: %s", s->path);
}

static bool is_entry(const char *name)
{
	return ward_image_entry_name_valid(name, NULL);
}

static bool is_tmp(const char *name)
{
	return strncmp(name, "tmp.", 4) == 0;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int ward_image_store_list(const struct ward_image_store *s,
			  struct ward_image_entry_info **out, size_t *n,
			  struct ward_err *err)
{
	char **names = NULL;
	size_t count = 0;
	int r = list_names(s, is_entry, &names, &count, err);

	*out = NULL;
	*n = 0;
	if (r < 0)
		return r;
	*out = calloc(count ? count : 1, sizeof(**out));
	if (!*out) {
		free_names(names, count);
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "image cache: %s", s->path);
	}
	for (size_t i = 0; i < count; i++)
		entry_info(s, names[i], &(*out)[i]);
	free_names(names, count);
	qsort(*out, count, sizeof(**out), by_name);
	*n = count;
	return 0;
}

void ward_image_entry_infos_free(struct ward_image_entry_info *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].image);
		free(v[i].source);
	}
	free(v);
}

int ward_image_store_list_tmp(const struct ward_image_store *s, char ***out,
			      size_t *n, struct ward_err *err)
{
	return list_names(s, is_tmp, out, n, err);
}

/* ---- removing --------------------------------------------------------------------------- */

/* Remove the sources that point to @name (NULL: to no entry). */
static size_t unlink_sources(const struct ward_image_store *s, const char *name)
{
	int fd = openat(s->dfd, "sources", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	size_t removed = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d))) {
		char target[WARD_IMAGE_ENTRY_NAME];
		ssize_t n;
		struct stat st;

		if (e->d_name[0] == '.' && (!e->d_name[1] || strcmp(e->d_name, "..") == 0))
			continue;
		n = readlinkat(dirfd(d), e->d_name, target, sizeof(target) - 1);
		if (n >= 0 && (size_t)n < sizeof(target) - 1)
			target[n] = '\0';
		else
			target[0] = '\0';
		if (name ? strcmp(target, name) != 0
			 : (target[0] && ward_image_entry_name_valid(target, NULL) &&
			    fstatat(s->dfd, target, &st, AT_SYMLINK_NOFOLLOW) == 0))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

size_t ward_image_store_prune_sources(const struct ward_image_store *s)
{
	return unlink_sources(s, NULL);
}

/* Take @name's lock exclusive (without waiting) and move it to a
 * temporary name, so no run finds it while it is removed. */
static int take_away(const struct ward_image_store *s, const char *name,
		     int *lock_fd, char tmp[32])
{
	_cleanup_close_ int efd = -1, lfd = -1;
	char nonce[17];
	uint64_t r = 0;

	efd = openat(s->dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (efd < 0)
		return -errno;
	lfd = openat(efd, "lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (lfd >= 0 && flock(lfd, LOCK_EX | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? -EBUSY : -errno;
	if (lfd < 0 && errno != ENOENT)
		return -errno;
	/* the name may hold another entry by now, one a sandbox uses */
	if (!ward_image_store_still_named(s, name, efd))
		return -EBUSY;
	r = (uint64_t)time(NULL);
	snprintf(nonce, sizeof(nonce), "%016" PRIx64, r ^ (uint64_t)getpid() << 40 ^
		 (uint64_t)(uintptr_t)&r);
	snprintf(tmp, 32, "tmp.%s", nonce);
	if (renameat2(s->dfd, name, s->dfd, tmp, RENAME_NOREPLACE) < 0)
		return -errno;
	*lock_fd = TAKE_FD(lfd);
	return 0;
}

int ward_image_store_remove(const struct ward_image_store *s, const char *name,
			    uint64_t *freed, struct ward_err *err)
{
	char tmp[32];
	int lfd = -1, r;

	*freed = 0;
	if (!ward_image_entry_name_valid(name, NULL))
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "image cache: %s is not an entry's name", name);
	r = take_away(s, name, &lfd, tmp);
	if (r == -EBUSY)
		return ward_err_set(err, WARD_STEP_IMAGE, EBUSY,
				    "image cache: %s/%s is in use by a running sandbox; stop it first, or run ward image prune later",
				    s->path, name);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, -r, "image cache: removing %s/%s",
				    s->path, name);
	unlink_sources(s, name);
	r = ward_image_remove_tree(s->dfd, tmp, freed);
	if (lfd >= 0)
		close(lfd);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, -r,
				    "image cache: removing %s/%s (left as %s; ward image prune retries)",
				    s->path, name, tmp);
	return 0;
}

int ward_image_store_remove_stale(const struct ward_image_store *s,
				  const char *name, uint64_t *freed)
{
	_cleanup_close_ int efd = -1, lfd = -1;
	struct stat st;

	*freed = 0;
	if (!is_tmp(name) || strchr(name, '/'))
		return -EINVAL;
	efd = openat(s->dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (efd < 0)
		return ward_image_remove_tree(s->dfd, name, freed);
	lfd = openat(efd, "lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (lfd >= 0 && flock(lfd, LOCK_EX | LOCK_NB) < 0)
		return -EBUSY;
	/* a maker makes its lock first thing: without one, wait a little */
	if (lfd < 0 && (fstat(efd, &st) < 0 ||
			time(NULL) - st.st_mtim.tv_sec < STALE_UNLOCKED_TMP))
		return -EBUSY;
	return ward_image_remove_tree(s->dfd, name, freed);
}
