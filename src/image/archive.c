/* Where an image's members come from: a tar read with libarchive (a
 * docker save archive or an OCI layout in a tar, plain or compressed) or
 * an OCI layout directory.
 *
 * A tar cannot be read backwards, and docker save puts manifest.json
 * after the layers, so it is read in passes over the same file: the
 * first lists every member (and refuses absolute names, ".." components,
 * duplicates and more than max_members of them), the next ones read the
 * JSON members asked for, the last streams the wanted layers in the order
 * they appear, each through a second libarchive reader that pulls the
 * member's data from the first (nested reading: nothing touches the
 * disk).  Passes over a plain tar seek past the members they do not
 * read.  Members are matched by their position in the first pass and
 * their name, so an archive rewritten between passes is an error.
 *
 * Member symlinks (docker save links repeated layers to the first copy)
 * are resolved by name only, one hop, and must stay inside the archive.
 * In a directory the only names opened are index.json, oci-layout and
 * blobs/sha256/<64 hex digits>, one component at a time with
 * O_NOFOLLOW, so no symlink is ever followed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/archive_dl.h"
#include "base/cleanup.h"
#include "image/image.h"

#define BLOCK (64u << 10)
/* reads of a blob file: big, the layer is read whole */
#define BLOB_BLOCK (1u << 20)

enum mtype { M_REG, M_DIR, M_LINK, M_OTHER };

struct member {
	char *name;     /* normalised */
	char *link;     /* M_LINK: the target, normalised from the archive root */
	enum mtype type;
	int64_t size;
};

struct ward_image_source {
	char *path;
	int fd;               /* the tar, or the directory */
	bool is_dir;
	const struct ward_image_limits *lim;
	struct member *members;
	size_t nmembers;
	uint32_t *slots;      /* open addressing: member index + 1, 0 empty */
	size_t nslots;        /* a power of two, at least twice nmembers */
};

/* ---- the member table: names to positions, O(1) ---------------------------- */

static size_t name_hash(const char *name)
{
	uint64_t h = 1469598103934665603ull;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return (size_t)(h ^ (h >> 31));
}

static const struct member *find_member(const struct ward_image_source *src,
					const char *name, size_t *pos)
{
	size_t mask = src->nslots - 1;

	if (!src->nslots)
		return NULL;
	for (size_t i = name_hash(name) & mask;; i = (i + 1) & mask) {
		uint32_t s = src->slots[i];

		if (s == 0)
			return NULL;
		if (strcmp(src->members[s - 1].name, name) == 0) {
			if (pos)
				*pos = s - 1;
			return &src->members[s - 1];
		}
	}
}

/* Index the member just appended (the table stays at most half full). */
static int index_member(struct ward_image_source *src)
{
	size_t idx = src->nmembers - 1, mask;

	if (src->nmembers * 2 > src->nslots) {
		size_t n = src->nslots ? src->nslots * 2 : 1024;
		uint32_t *slots = calloc(n, sizeof(*slots));

		if (!slots)
			return -ENOMEM;
		free(src->slots);
		src->slots = slots;
		src->nslots = n;
		for (size_t i = 0; i < idx; i++) {
			size_t j = name_hash(src->members[i].name) & (n - 1);

			while (slots[j])
				j = (j + 1) & (n - 1);
			slots[j] = (uint32_t)i + 1;
		}
	}
	mask = src->nslots - 1;
	for (size_t j = name_hash(src->members[idx].name) & mask;; j = (j + 1) & mask)
		if (!src->slots[j]) {
			src->slots[j] = (uint32_t)idx + 1;
			return 0;
		}
}

/* The regular member @name stands for (one link hop at most). */
static int resolve(const struct ward_image_source *src, const char *name,
		   size_t *pos, struct ward_err *err)
{
	const struct member *m = find_member(src, name, pos), *t;
	char esc[160];

	ward_image_escape(name, esc, sizeof(esc));
	if (!m)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
				    "%s: no member '%s' in the archive", src->path, esc);
	if (m->type == M_REG)
		return 0;
	if (m->type != M_LINK)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: member '%s' is not a regular file", src->path, esc);
	t = find_member(src, m->link, pos);
	if (!t)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
				    "%s: member '%s' links to a missing member", src->path, esc);
	if (t->type == M_LINK)
		return ward_err_set(err, WARD_STEP_IMAGE, ELOOP,
				    "%s: member '%s' is a symlink chain (a link to a link): refused",
				    src->path, esc);
	if (t->type != M_REG)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: member '%s' links to something that is not a regular file",
				    src->path, esc);
	return 0;
}

/* ---- directories ------------------------------------------------------------------ */

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* Open @name beneath the layout directory without following a symlink:
 * "index.json", "oci-layout" or "blobs/sha256/<hex>". */
static int dir_open(const struct ward_image_source *src, const char *name,
		    struct stat *st, struct ward_err *err)
{
	_cleanup_close_ int blobs = -1, sha = -1;
	const int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	char esc[160];
	int fd;

	ward_image_escape(name, esc, sizeof(esc));
	if (strncmp(name, "blobs/sha256/", 13) == 0 && is_hex64(name + 13)) {
		blobs = openat(src->fd, "blobs", O_DIRECTORY | flags);
		if (blobs >= 0)
			sha = openat(blobs, "sha256", O_DIRECTORY | flags);
		fd = sha >= 0 ? openat(sha, name + 13, flags) : -1;
	} else if (strcmp(name, "index.json") == 0 || strcmp(name, "oci-layout") == 0) {
		fd = openat(src->fd, name, flags);
	} else {
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: '%s' is not a name of an OCI layout", src->path, esc);
	}
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, errno,
				    "%s/%s%s", src->path, esc,
				    errno == ELOOP ? " (a symlink: not followed)" : "");
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s/%s: not a regular file", src->path, esc);
	}
	if (fcntl(fd, F_SETFL, O_RDONLY) < 0) {
		close(fd);
		return ward_err_set(err, WARD_STEP_IMAGE, errno, "%s/%s", src->path, esc);
	}
	return fd;
}

static int read_fd(const struct ward_image_source *src, int fd, const char *name,
		   const struct stat *st, char **buf, size_t *len,
		   struct ward_err *err)
{
	size_t max = src->lim->max_json, got = 0;
	char *b;

	if ((uint64_t)st->st_size > max)
		return ward_err_set(err, WARD_STEP_IMAGE, EFBIG,
				    "%s: %s: %lld bytes, more than the %zu allowed (WARD_IMAGE_MAX_JSON)",
				    src->path, name, (long long)st->st_size, max);
	b = malloc(max + 1);
	if (!b)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s: %s", src->path, name);
	for (;;) {
		ssize_t n = read(fd, b + got, max + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(b);
			return ward_err_set(err, WARD_STEP_IMAGE, errno, "%s: %s",
					    src->path, name);
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > max) {
			free(b);
			return ward_err_set(err, WARD_STEP_IMAGE, EFBIG,
					    "%s: %s: more than the %zu bytes allowed (WARD_IMAGE_MAX_JSON)",
					    src->path, name, max);
		}
	}
	*buf = b;
	*len = got;
	return 0;
}

/* ---- tar passes ---------------------------------------------------------------------- */

static int outer_open(const struct ward_image_source *src, struct archive **out,
		      struct ward_err *err)
{
	struct archive *a;
	int r;

	if (lseek(src->fd, 0, SEEK_SET) < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, errno, "%s: lseek", src->path);
	a = archive_read_new();
	if (!a)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", src->path);
	if ((r = ward_image_archive_setup(a, err)) < 0) {
		archive_read_free(a);
		return r;
	}
	if (archive_read_open_fd(a, src->fd, BLOCK) != ARCHIVE_OK) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				 "%s: not a tar archive (%s)", src->path,
				 archive_error_string(a) ? archive_error_string(a) : "unreadable");
		archive_read_free(a);
		return r;
	}
	*out = a;
	return 0;
}

/* The next header, checked; 1 at the end. */
static int outer_next(const struct ward_image_source *src, struct archive *a,
		      struct archive_entry **e, struct ward_err *err)
{
	int r = archive_read_next_header(a, e);

	if (r == ARCHIVE_EOF)
		return 1;
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: %s", src->path,
				    archive_error_string(a) ? archive_error_string(a)
							    : "unreadable");
	if ((r = ward_image_check_header(a, r, *e, src->path, "member", src->lim,
					 err)) < 0)
		return r;
	return ward_image_check_stream(a, src->path, src->lim,
				       src->lim->max_archive_bytes, err);
}

/* Skip the current member's data; block by block (checking the bounds)
 * when the archive is compressed, else libarchive seeks past it. */
static int outer_skip(const struct ward_image_source *src, struct archive *a,
		      struct ward_err *err)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	if (archive_filter_count(a) <= 1)
		return 0;
	for (;;) {
		r = archive_read_data_block(a, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK) /* tar data has no warning to let pass */
			return ward_err_set(err, WARD_STEP_IMAGE, EIO, "%s: %s", src->path,
					    archive_error_string(a));
		if ((r = ward_image_check_stream(a, src->path, src->lim,
						 src->lim->max_archive_bytes, err)) < 0)
			return r;
	}
}

static int add_member(struct ward_image_source *src, struct archive_entry *e,
		      struct ward_err *err)
{
	const char *raw = ward_image_entry_path(e);
	size_t cap = src->lim->max_path + 1;
	struct member m = {0};
	char esc[160];
	int r;

	ward_image_escape(raw ? raw : "", esc, sizeof(esc));
	if (!raw)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: a member without a name", src->path);
	if (src->nmembers >= src->lim->max_members)
		return ward_err_set(err, WARD_STEP_IMAGE, E2BIG,
				    "%s: more than %zu members (WARD_IMAGE_MAX_MEMBERS)",
				    src->path, src->lim->max_members);
	m.name = malloc(cap);
	if (!m.name)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", src->path);
	r = ward_image_member_name(raw, src->lim, m.name, cap);
	free(r < 0 ? m.name : NULL);
	if (r == -EINVAL)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: member '%s' %s: refused (a hostile archive)",
				    src->path, esc,
				    *raw == '/' ? "is an absolute path" : "has a '..' component");
	if (r < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, -r,
				    "%s: member '%s' is longer than %zu bytes (WARD_IMAGE_MAX_PATH) or deeper than %zu components (WARD_IMAGE_MAX_DEPTH)",
				    src->path, esc, src->lim->max_path, src->lim->max_depth);
	if (find_member(src, m.name, NULL) && *m.name) {
		free(m.name);
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: member '%s' appears twice: refused (which one counts is ambiguous)",
				    src->path, esc);
	}
	m.size = archive_entry_size(e);
	if (ward_image_entry_hardlink(e) || archive_entry_filetype(e) == AE_IFLNK) {
		bool hard = ward_image_entry_hardlink(e) != NULL;
		const char *t = hard ? ward_image_entry_hardlink(e) : ward_image_entry_symlink(e);

		m.type = M_LINK;
		r = t ? ward_image_link_target(m.name, t, hard, src->lim, &m.link) : -EINVAL;
		if (r < 0) {
			free(m.name);
			return ward_err_set(err, WARD_STEP_IMAGE, r == -ENOMEM ? ENOMEM : EINVAL,
					    "%s: member '%s' links outside the archive (absolute or too many '..'): refused",
					    src->path, esc);
		}
	} else {
		m.type = archive_entry_filetype(e) == AE_IFREG ? M_REG :
			 archive_entry_filetype(e) == AE_IFDIR ? M_DIR : M_OTHER;
	}
	src->members[src->nmembers++] = m;
	if (*m.name && index_member(src) < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", src->path);
	return 0;
}

/* Pass 1: the member list. */
static int list_members(struct ward_image_source *src, struct ward_err *err)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	size_t cap = 256;
	int r;

	src->members = calloc(cap, sizeof(*src->members));
	if (!src->members)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", src->path);
	if ((r = outer_open(src, &a, err)) < 0)
		return r;
	while ((r = outer_next(src, a, &e, err)) == 0) {
		if (src->nmembers == cap) {
			struct member *p = reallocarray(src->members, cap * 2, sizeof(*p));

			if (!p) {
				r = ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", src->path);
				break;
			}
			src->members = p;
			cap *= 2;
		}
		if ((r = add_member(src, e, err)) < 0 || (r = outer_skip(src, a, err)) < 0)
			break;
	}
	archive_read_free(a);
	if (r < 0)
		return r;
	if (src->nmembers == 0)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: an empty archive", src->path);
	return 0;
}

/* The header @e is the member pass 1 saw at @pos, by name. */
static int same_member(const struct ward_image_source *src,
		       struct archive_entry *e, size_t pos, struct ward_err *err)
{
	const char *raw = ward_image_entry_path(e);
	char *name = malloc(src->lim->max_path + 1), esc[160];
	int r;

	if (!name)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", src->path);
	r = raw ? ward_image_member_name(raw, src->lim, name, src->lim->max_path + 1)
		: -EINVAL;
	if (r == 0 && strcmp(name, src->members[pos].name) != 0)
		r = -EIO;
	free(name);
	if (r == 0)
		return 0;
	ward_image_escape(src->members[pos].name, esc, sizeof(esc));
	return ward_err_set(err, WARD_STEP_IMAGE, EIO,
			    "%s: the archive changed while being read (at '%s')",
			    src->path, esc);
}

/* Advance @a to the member at position @pos; *at counts the headers
 * read so far. */
static int seek_member(const struct ward_image_source *src, struct archive *a,
		       size_t pos, size_t *at, struct ward_err *err)
{
	struct archive_entry *e;
	int r;

	for (;;) {
		if ((r = outer_next(src, a, &e, err)) < 0)
			return r;
		if (r == 1 || *at >= src->nmembers)
			return ward_err_set(err, WARD_STEP_IMAGE, EIO,
					    "%s: the archive changed while being read", src->path);
		if ((*at)++ == pos)
			return same_member(src, e, pos, err);
		if ((r = outer_skip(src, a, err)) < 0)
			return r;
	}
}

/* ---- a layer's bytes: a member of the outer tar, or a blob file ------------- */

struct nested {
	const struct ward_image_source *src;
	struct archive *outer;
	int64_t next;  /* the offset expected from the next block */
};

static long nested_read(void *ctx, const void **buf, struct ward_err *err)
{
	struct nested *n = ctx;
	size_t size = 0;
	la_int64_t off;
	int r;

	do {
		r = archive_read_data_block(n->outer, buf, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK)
			return ward_err_set(err, WARD_STEP_IMAGE, EIO, "%s: %s", n->src->path,
					    archive_error_string(n->outer));
	} while (size == 0);
	if (off != n->next)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: a sparse member: not a layer", n->src->path);
	n->next += (int64_t)size;
	if ((r = ward_image_check_stream(n->outer, n->src->path, n->src->lim,
					 n->src->lim->max_archive_bytes, err)) < 0)
		return r;
	return (long)size;
}

struct blob_file {
	const struct ward_image_source *src;
	const char *name;
	int fd;
	char *buf;
};

static long blob_read(void *ctx, const void **buf, struct ward_err *err)
{
	struct blob_file *b = ctx;
	ssize_t n;

	do
		n = read(b->fd, b->buf, BLOB_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, errno, "%s/%s", b->src->path,
				    b->name);
	*buf = b->buf;
	return (long)n;
}

/* ---- the interface ------------------------------------------------------------------- */

int ward_image_source_open(const char *path, const struct ward_image_limits *lim,
			   struct ward_image_source **out, struct ward_err *err)
{
	struct ward_image_source *src = calloc(1, sizeof(*src));
	struct stat st;
	int r;

	if (!src || !(src->path = strdup(path))) {
		free(src);
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", path);
	}
	src->lim = lim;
	src->fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (src->fd < 0 || fstat(src->fd, &st) < 0) {
		r = ward_err_set(err, WARD_STEP_IMAGE, errno, "--image %s", path);
		ward_image_source_free(src);
		return r;
	}
	if (S_ISDIR(st.st_mode)) {
		src->is_dir = true;
	} else if (S_ISREG(st.st_mode)) {
		if (fcntl(src->fd, F_SETFL, O_RDONLY) < 0)
			r = ward_err_set(err, WARD_STEP_IMAGE, errno, "--image %s", path);
		else
			r = list_members(src, err);
		if (r < 0) {
			ward_image_source_free(src);
			return r;
		}
	} else {
		ward_image_source_free(src);
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "--image %s: not a regular file (a tar) or a directory (an OCI layout)",
				    path);
	}
	*out = src;
	return 0;
}

void ward_image_source_free(struct ward_image_source *src)
{
	if (!src)
		return;
	for (size_t i = 0; i < src->nmembers; i++) {
		free(src->members[i].name);
		free(src->members[i].link);
	}
	free(src->members);
	free(src->slots);
	if (src->fd >= 0)
		close(src->fd);
	free(src->path);
	free(src);
}

bool ward_image_source_is_dir(const struct ward_image_source *src)
{
	return src->is_dir;
}

bool ward_image_source_has(const struct ward_image_source *src, const char *name)
{
	struct ward_err err = {0};
	struct stat st;
	size_t pos;

	if (src->is_dir) {
		int fd = dir_open(src, name, &st, &err);

		if (fd < 0)
			return false;
		close(fd);
		return true;
	}
	return resolve(src, name, &pos, &err) == 0;
}

int ward_image_source_canonical(const struct ward_image_source *src,
				const char *name, char *out, struct ward_err *err)
{
	size_t pos;
	int r;

	if (src->is_dir) {
		snprintf(out, src->lim->max_path + 1, "%s", name);
		return 0;
	}
	if ((r = resolve(src, name, &pos, err)) < 0)
		return r;
	snprintf(out, src->lim->max_path + 1, "%s", src->members[pos].name);
	return 0;
}

int ward_image_source_read(struct ward_image_source *src, const char *name,
			   char **buf, size_t *len, struct ward_err *err)
{
	struct archive *a = NULL;
	size_t pos, at = 0, max = src->lim->max_json, got = 0;
	char esc[160], *b;
	int r;

	ward_image_escape(name, esc, sizeof(esc));
	if (src->is_dir) {
		struct stat st;
		int fd = dir_open(src, name, &st, err);

		if (fd < 0)
			return fd;
		r = read_fd(src, fd, esc, &st, buf, len, err);
		close(fd);
		return r;
	}
	if ((r = resolve(src, name, &pos, err)) < 0)
		return r;
	if (src->members[pos].size > (int64_t)max)
		return ward_err_set(err, WARD_STEP_IMAGE, EFBIG,
				    "%s: %s: %lld bytes, more than the %zu allowed (WARD_IMAGE_MAX_JSON)",
				    src->path, esc, (long long)src->members[pos].size, max);
	if ((r = outer_open(src, &a, err)) < 0)
		return r;
	if ((r = seek_member(src, a, pos, &at, err)) < 0) {
		archive_read_free(a);
		return r;
	}
	b = malloc(max + 1);
	if (!b) {
		archive_read_free(a);
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s: %s", src->path, esc);
	}
	for (;;) {
		la_ssize_t n = archive_read_data(a, b + got, max + 1 - got);

		if (n < 0) {
			r = ward_err_set(err, WARD_STEP_IMAGE, EIO, "%s: %s: %s", src->path,
					 esc, archive_error_string(a));
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > max) {
			r = ward_err_set(err, WARD_STEP_IMAGE, EFBIG,
					 "%s: %s: more than the %zu bytes allowed (WARD_IMAGE_MAX_JSON)",
					 src->path, esc, max);
			break;
		}
	}
	archive_read_free(a);
	if (r < 0) {
		free(b);
		return r;
	}
	*buf = b;
	*len = got;
	return 0;
}

static int dir_layers(struct ward_image_source *src,
		      const struct ward_image_layer_want *want, size_t n,
		      ward_image_layer_fn fn, void *ctx, struct ward_err *err)
{
	for (size_t i = 0; i < n; i++) {
		struct blob_file b = {.src = src, .name = want[i].member};
		struct ward_image_raw raw = {blob_read, &b};
		struct stat st;
		int r;

		b.fd = dir_open(src, want[i].member, &st, err);
		if (b.fd < 0)
			return b.fd;
		b.buf = malloc(BLOB_BLOCK);
		r = b.buf ? ward_image_stream_layer(src->lim, &want[i], &raw, i, fn, ctx, err)
			  : ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", src->path);
		free(b.buf);
		close(b.fd);
		if (r < 0)
			return r;
	}
	return 0;
}

int ward_image_source_layers(struct ward_image_source *src,
			     const struct ward_image_layer_want *layers, size_t n,
			     ward_image_layer_fn fn, void *ctx,
			     struct ward_err *err)
{
	struct archive *a = NULL;
	size_t *slot, at = 0, left = n;
	int r;

	if (src->is_dir)
		return dir_layers(src, layers, n, fn, ctx, err);
	/* slot[pos] = index + 1 of the layer stored at member position pos */
	slot = calloc(src->nmembers, sizeof(*slot));
	if (!slot)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", src->path);
	for (size_t i = 0; i < n; i++) {
		size_t pos;

		if ((r = resolve(src, layers[i].member, &pos, err)) < 0) {
			free(slot);
			return r;
		}
		slot[pos] = i + 1;
	}
	if ((r = outer_open(src, &a, err)) < 0) {
		free(slot);
		return r;
	}
	while (left > 0 && r == 0) {
		struct archive_entry *e;
		size_t pos = at;

		if ((r = outer_next(src, a, &e, err)) < 0)
			break;
		if (r == 1 || at >= src->nmembers) {
			r = ward_err_set(err, WARD_STEP_IMAGE, EIO,
					 "%s: the archive changed while being read", src->path);
			break;
		}
		at++;
		if (slot[pos] == 0) {
			r = outer_skip(src, a, err);
			continue;
		}
		if ((r = same_member(src, e, pos, err)) < 0)
			break;
		{
			struct nested nst = {.src = src, .outer = a, .next = 0};
			struct ward_image_raw raw = {nested_read, &nst};

			r = ward_image_stream_layer(src->lim, &layers[slot[pos] - 1], &raw,
						    slot[pos] - 1, fn, ctx, err);
			if (r == 0)
				r = outer_skip(src, a, err);
			left--;
		}
	}
	archive_read_free(a);
	free(slot);
	return r < 0 ? r : 0;
}
