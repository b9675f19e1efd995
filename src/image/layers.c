/* One layer of an image, streamed once: every entry is recorded (path,
 * type, mode, size) and a few are read, each no further than its bound:
 * secret candidates (the head of the file, to confirm a private key or a
 * token; never kept), /etc/passwd and /etc/group (kept for the user
 * lookups), the dpkg and apk package databases (counted).  Whiteouts
 * (.wh.NAME) and opaque markers (.wh..wh..opq) become events that the
 * final-tree view applies (image_tree.c).
 *
 * The layer is hostile: an entry named absolutely or with a ".."
 * component is an error, not something to normalise away, and the
 * stream is checked against the bounds of expanded bytes (the layer's
 * and the image's) and the deadline after every header and every block
 * read: what a decompression bomb costs is bounded, whatever its ratio.  So are the headers themselves (below):
 * the name ward reads must be the one Docker extracts. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image/archive_dl.h"
#include "image/image.h"
#include "base/secret_shapes.h"

#define READ_CHUNK (64u << 10)

int ward_image_archive_setup(struct archive *a, struct ward_err *err)
{
	/* "empty": a zero-byte layer is an empty layer, not an error */
	if (archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_format_empty(a) != ARCHIVE_OK)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOTSUP,
				    "libarchive: no tar support: %s",
				    archive_error_string(a));
	/* Built-in decoders only: without zlib or libzstd, libarchive would
	 * run an external program instead (and say so with ARCHIVE_WARN). */
	if (archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_filter_zstd(a) != ARCHIVE_OK)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOTSUP,
				    "libarchive: gzip or zstd is not built in: %s",
				    archive_error_string(a));
	return 0;
}

/* @out bytes expanded against @bound, the limit @name of @lim. */
static int check_bytes(const char *what, uint64_t out, uint64_t bound,
		       const struct ward_image_limits *lim, const char *name,
		       const char *of, struct ward_err *err)
{
	char opt[64];

	if (out <= bound)
		return 0;
	return ward_err_set(err, WARD_STEP_IMAGE, EFBIG,
			    "%s: more than %" PRIu64 " bytes expanded %s (%s raises it)",
			    what, bound, of,
			    ward_image_limit_name(lim, name, opt, sizeof(opt)));
}

int ward_image_check_stream(struct archive *a, const char *what,
			    const struct ward_image_limits *lim, uint64_t bound,
			    struct ward_err *err)
{
	la_int64_t out = archive_filter_bytes(a, 0);
	bool layer = bound != lim->max_archive_bytes;
	int r;

	if ((r = ward_image_check_deadline(lim, what, err)) < 0 || out < 0)
		return r;
	return check_bytes(what, (uint64_t)out, bound, lim,
			   layer ? "layer-size" : "archive-size",
			   layer ? "from this layer" : "from the archive in one pass", err);
}

/* ---- headers ------------------------------------------------------------------- */

const char *ward_image_entry_path(struct archive_entry *e)
{
	const char *p = archive_entry_pathname_utf8(e);

	return p ? p : archive_entry_pathname(e);
}

const char *ward_image_entry_hardlink(struct archive_entry *e)
{
	const char *p = archive_entry_hardlink_utf8(e);

	return p ? p : archive_entry_hardlink(e);
}

const char *ward_image_entry_symlink(struct archive_entry *e)
{
	const char *p = archive_entry_symlink_utf8(e);

	return p ? p : archive_entry_symlink(e);
}

/* Whether libarchive's warning only says it could not convert a name
 * from a pax header's UTF-8 to the locale's charset: ward never calls
 * setlocale, so that is every name that is not ASCII (Debian's
 * ca-certificates ships one), and libarchive keeps the name's bytes, as
 * Docker does.  Its other header warnings say it dropped or cut what it
 * read: a pax record over 999,999 bytes or a malformed one, more than 32
 * headers in a row, an unknown sparse format. */
static bool name_not_converted(struct archive *a)
{
	const char *msg = archive_error_string(a);

	/* EILSEQ: libarchive's ARCHIVE_ERRNO_FILE_FORMAT on Linux (private
	 * to it), which none of its other tar header warnings uses */
	return archive_errno(a) == EILSEQ && msg &&
	       strstr(msg, " can't be converted from ");
}

/* libarchive keeps one warning for a header, the last one set, and it
 * converts a pax header's names only once it has read the headers after
 * it, so a conversion warning can replace one of theirs.  The bound
 * rules those out first: a pax record over 999,999 bytes, or 33 headers
 * in a row (33 x 512 bytes), do not fit in max_header. */
int ward_image_check_header(struct archive *a, int r, struct archive_entry *e,
			    const char *what, const char *noun,
			    const struct ward_image_limits *lim,
			    struct ward_err *err)
{
	la_int64_t start = archive_read_header_position(a);
	la_int64_t end = archive_filter_bytes(a, 0);
	const char *name = ward_image_entry_path(e);
	char esc[160];

	ward_image_escape(name ? name : "", esc, sizeof(esc));
	if (start < 0 || end < start)
		return ward_err_set(err, WARD_STEP_IMAGE, EIO,
				    "%s: %s '%s': libarchive cannot tell where its headers end",
				    what, noun, esc);
	if ((uint64_t)(end - start) > lim->max_header)
		return ward_err_set(err, WARD_STEP_IMAGE, EFBIG,
				    "%s: %s '%s': its tar headers fill %" PRId64 " bytes, more than %zu (WARD_IMAGE_MAX_HEADER): Docker may read another name from them",
				    what, noun, esc, (int64_t)(end - start), lim->max_header);
	if (r == ARCHIVE_WARN && !name_not_converted(a))
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: %s '%s': libarchive could not read its headers whole (%s), so Docker may extract another file",
				    what, noun, esc,
				    archive_error_string(a) ? archive_error_string(a) : "a warning");
	return 0;
}

/* ---- the recorded entries --------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (__builtin_mul_overflow(ncap, 2, &ncap))
			return -ENOMEM;
	}
	if (__builtin_mul_overflow(ncap, size, &(size_t){0}))
		return -ENOMEM;
	np = realloc(*p, ncap * size);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

long ward_image_layer_add(struct ward_image_layer_scan *s, const char *path,
			  enum ward_image_ev type, uint32_t mode, uint64_t size)
{
	size_t n = strlen(path) + 1;
	struct ward_image_event *e;

	if (s->arena_len + n > UINT32_MAX)
		return -E2BIG;
	if (grow((void **)&s->arena, &s->arena_cap, s->arena_len + n, 1) < 0 ||
	    grow((void **)&s->ev, &s->ev_cap, s->nev + 1, sizeof(*s->ev)) < 0)
		return -ENOMEM;
	memcpy(s->arena + s->arena_len, path, n);
	e = &s->ev[s->nev];
	e->path = (uint32_t)s->arena_len;
	e->type = (uint8_t)type;
	e->mode = mode;
	e->size = size;
	e->content = -1;
	s->arena_len += n;
	if (type == WARD_IMAGE_EV_FILE) {
		s->files++;
		s->bytes += size;
	}
	return (long)s->nev++;
}

static int add_content(struct ward_image_layer_scan *s, long ev,
		       const struct ward_image_content *c)
{
	if (grow((void **)&s->contents, &s->contents_cap, s->ncontents + 1,
		 sizeof(*s->contents)) < 0)
		return -ENOMEM;
	s->contents[s->ncontents] = *c;
	s->ev[ev].content = (int32_t)s->ncontents++;
	return 0;
}

void ward_image_layer_scan_free(struct ward_image_layer_scan *s)
{
	for (size_t i = 0; i < s->ncontents; i++)
		free(s->contents[i].text);
	free(s->contents);
	free(s->ev);
	free(s->arena);
	memset(s, 0, sizeof(*s));
}

/* ---- reading one entry --------------------------------------------------------- */

struct scan {
	struct archive *a;
	const char *what;
	const struct ward_image_limits *lim;
	struct ward_image_layer_scan *s;
	const struct ward_image_sink *sink; /* NULL: none */
	uint64_t before; /* expanded bytes of the layers read before this one */
	struct ward_err *err;
};

/* The deadline, this layer's expanded bytes and the image's so far. */
static int check_layer(struct archive *a, const char *what,
		       const struct ward_image_limits *lim, uint64_t before,
		       struct ward_err *err)
{
	la_int64_t out = archive_filter_bytes(a, 0);
	uint64_t all;
	int r;

	if ((r = ward_image_check_deadline(lim, what, err)) < 0 || out < 0)
		return r;
	if ((r = check_bytes(what, (uint64_t)out, lim->max_layer_bytes, lim,
			     "layer-size", "from this layer", err)) < 0)
		return r;
	if (__builtin_add_overflow(before, (uint64_t)out, &all))
		all = UINT64_MAX;
	return check_bytes(what, all, lim->max_image_bytes, lim, "image-size",
			   "from the image's layers together", err);
}

/* Read up to @cap bytes of the current entry into @buf; *got says how
 * many, *more whether the entry goes on. */
static int read_head(struct scan *sc, char *buf, size_t cap, size_t *got,
		     bool *more)
{
	*got = 0;
	*more = false;
	while (*got < cap) {
		size_t want = cap - *got < READ_CHUNK ? cap - *got : READ_CHUNK;
		la_ssize_t n = archive_read_data(sc->a, buf + *got, want);
		int r;

		if (n < 0)
			return ward_err_set(sc->err, WARD_STEP_IMAGE, EIO, "%s: %s",
					    sc->what, archive_error_string(sc->a));
		if (n == 0)
			return 0;
		if (sc->sink && (r = sc->sink->data(sc->sink->ctx, *got, buf + *got,
						     (size_t)n, sc->err)) < 0)
			return r;
		*got += (size_t)n;
		if ((r = check_layer(sc->a, sc->what, sc->lim, sc->before,
				     sc->err)) < 0)
			return r;
	}
	*more = true;
	return 0;
}

/* Skip the rest of the current entry.  A compressed stream is drained
 * block by block so that the bounds are checked as it expands;
 * otherwise libarchive skips. */
static int drain(struct scan *sc)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	if (archive_filter_count(sc->a) <= 1 && !sc->sink)
		return 0; /* archive_read_next_header skips it */
	for (;;) {
		r = archive_read_data_block(sc->a, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK) /* tar data has no warning to let pass */
			return ward_err_set(sc->err, WARD_STEP_IMAGE, EIO, "%s: %s",
					    sc->what, archive_error_string(sc->a));
		if (sc->sink && size &&
		    (r = sc->sink->data(sc->sink->ctx, (uint64_t)off, buf, size,
					sc->err)) < 0)
			return r;
		if ((r = check_layer(sc->a, sc->what, sc->lim, sc->before,
				     sc->err)) < 0)
			return r;
	}
}

static uint64_t count_lines(const char *buf, size_t len, const char *prefix,
			    const char *suffix)
{
	size_t kp = strlen(prefix), ks = suffix ? strlen(suffix) : 0;
	uint64_t n = 0;

	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		const char *line = buf + pos;

		if (l >= kp && memcmp(line, prefix, kp) == 0 &&
		    (!suffix || (l >= ks && memcmp(line + l - ks, suffix, ks) == 0)))
			n++;
		pos += l + 1;
	}
	return n;
}

enum special { SP_NONE, SP_PASSWD, SP_GROUP, SP_DPKG, SP_APK };

static enum special special_file(const char *path)
{
	if (strcmp(path, "etc/passwd") == 0)
		return SP_PASSWD;
	if (strcmp(path, "etc/group") == 0)
		return SP_GROUP;
	if (strcmp(path, "var/lib/dpkg/status") == 0)
		return SP_DPKG;
	if (strcmp(path, "lib/apk/db/installed") == 0)
		return SP_APK;
	return SP_NONE;
}

/* Read what the entry @ev (a regular file at @path) needs read. */
static int read_content(struct scan *sc, long ev, const char *path,
			const char *parent, const char *base)
{
	enum ward_secret_kind kind = ward_secret_file_kind(parent, base);
	enum special sp = special_file(path);
	struct ward_image_content c = {0};
	size_t cap, got;
	bool more;
	char *buf;
	int r;

	if (kind == WARD_SECRET_NONE && sp == SP_NONE)
		return drain(sc);
	cap = sp == SP_NONE ? sc->lim->secret_read :
	      sp == SP_PASSWD || sp == SP_GROUP ? sc->lim->max_userdb
						: sc->lim->max_pkgdb;
	if (sc->s->ev[ev].size < cap)
		cap = (size_t)sc->s->ev[ev].size;
	buf = malloc(cap + 1);
	if (!buf)
		return ward_err_set(sc->err, WARD_STEP_IMAGE, ENOMEM, "%s: %s",
				    sc->what, path);
	r = read_head(sc, buf, cap, &got, &more);
	if (r < 0)
		goto out;
	buf[got] = '\0';
	c.partial = more;
	if (kind != WARD_SECRET_NONE) {
		c.kind = WARD_IMAGE_C_SECRET;
		c.secret = kind;
		c.shape = ward_secret_shape(buf, got);
		if (ward_secret_content(kind, buf, got) ||
		    (kind != WARD_SECRET_BY_NAME && c.shape))
			r = add_content(sc->s, ev, &c);
		explicit_bzero(buf, got);
	} else if (sp == SP_PASSWD || sp == SP_GROUP) {
		c.kind = sp == SP_PASSWD ? WARD_IMAGE_C_PASSWD : WARD_IMAGE_C_GROUP;
		c.text = buf;
		c.len = got;
		buf = NULL;
		r = add_content(sc->s, ev, &c);
		if (r < 0)
			free(c.text);
	} else {
		c.kind = sp == SP_DPKG ? WARD_IMAGE_C_DPKG : WARD_IMAGE_C_APK;
		c.count = sp == SP_DPKG ? count_lines(buf, got, "Status: ", " installed")
					: count_lines(buf, got, "P:", NULL);
		r = add_content(sc->s, ev, &c);
	}
	if (r < 0)
		r = ward_err_set(sc->err, WARD_STEP_IMAGE, ENOMEM, "%s: %s",
				 sc->what, path);
	else if (more)
		r = drain(sc);
out:
	free(buf);
	return r;
}

/* ---- one entry ---------------------------------------------------------------- */

static int hostile(struct scan *sc, const char *name, const char *why)
{
	char esc[160];

	ward_image_escape(name, esc, sizeof(esc));
	return ward_err_set(sc->err, WARD_STEP_IMAGE, EINVAL,
			    "%s: entry '%s' %s: a hostile or broken layer", sc->what,
			    esc, why);
}

/* Normalise the entry name @name into @out (max_path + 1 bytes). */
static int entry_name(struct scan *sc, const char *name, char *out)
{
	int r = ward_image_member_name(name, sc->lim, out, sc->lim->max_path + 1);

	if (r == -EINVAL)
		return hostile(sc, name, *name == '/' ? "is absolute" : "has a '..' component");
	if (r == -ENAMETOOLONG)
		return hostile(sc, name, "is longer than WARD_IMAGE_MAX_PATH");
	if (r == -ELOOP)
		return hostile(sc, name, "is deeper than WARD_IMAGE_MAX_DEPTH");
	return r;
}

/* Normalise the hard link target @target of the entry @name into @out;
 * the error names both. */
static int link_name(struct scan *sc, const char *name, const char *target, char *out)
{
	int r = ward_image_member_name(target, sc->lim, out, sc->lim->max_path + 1);
	char esc[160], tesc[160];

	if (r != -EINVAL && r != -ENAMETOOLONG && r != -ELOOP)
		return r;
	ward_image_escape(name, esc, sizeof(esc));
	ward_image_escape(target, tesc, sizeof(tesc));
	return ward_err_set(sc->err, WARD_STEP_IMAGE, EINVAL,
			    "%s: entry '%s': its hard link target '%s' %s: a hostile or broken layer",
			    sc->what, esc, tesc,
			    r == -ENAMETOOLONG ? "is longer than WARD_IMAGE_MAX_PATH" :
			    r == -ELOOP ? "is deeper than WARD_IMAGE_MAX_DEPTH" :
			    *target == '/' ? "is absolute" : "has a '..' component");
}

static enum ward_image_ev entry_type(struct archive_entry *e)
{
	if (ward_image_entry_hardlink(e))
		return WARD_IMAGE_EV_HARDLINK;
	switch (archive_entry_filetype(e)) {
	case AE_IFREG: return WARD_IMAGE_EV_FILE;
	case AE_IFDIR: return WARD_IMAGE_EV_DIR;
	case AE_IFLNK: return WARD_IMAGE_EV_SYMLINK;
	default: return WARD_IMAGE_EV_OTHER;
	}
}

/* An entry declaring more bytes than the layer or the image may still
 * expand to is refused before a byte of it is read. */
static int check_declared(struct scan *sc, const char *name, uint64_t size)
{
	la_int64_t out = archive_filter_bytes(sc->a, 0);
	uint64_t layer = out > 0 ? (uint64_t)out : 0, left_layer = 0, left_image = 0;
	bool image;
	char esc[160], opt[64];

	if (layer < sc->lim->max_layer_bytes)
		left_layer = sc->lim->max_layer_bytes - layer;
	if (sc->before + layer < sc->lim->max_image_bytes)
		left_image = sc->lim->max_image_bytes - sc->before - layer;
	if (size <= left_layer && size <= left_image)
		return 0;
	image = left_image < left_layer;
	ward_image_escape(name, esc, sizeof(esc));
	return ward_err_set(sc->err, WARD_STEP_IMAGE, EFBIG,
			    "%s: entry '%s' declares %" PRIu64 " bytes, more than the %s may still expand to (%s raises it)",
			    sc->what, esc, size, image ? "image" : "layer",
			    ward_image_limit_name(sc->lim, image ? "image-size" : "layer-size",
						  opt, sizeof(opt)));
}

/* One header: record it, read what must be read. */
static int scan_entry(struct scan *sc, struct archive_entry *e, char *path,
		      char *tmp)
{
	const char *name = ward_image_entry_path(e), *base, *slash;
	enum ward_image_ev type = entry_type(e);
	char parent[256] = "";
	uint64_t size = 0;
	long ev;
	int r;

	if (!name)
		return ward_err_set(sc->err, WARD_STEP_IMAGE, EINVAL,
				    "%s: an entry without a name", sc->what);
	if ((r = entry_name(sc, name, path)) < 0)
		return r;
	if (type == WARD_IMAGE_EV_HARDLINK &&
	    (r = link_name(sc, name, ward_image_entry_hardlink(e), tmp)) < 0)
		return r;
	if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0)
		size = (uint64_t)archive_entry_size(e);
	if ((r = check_declared(sc, name, size)) < 0)
		return r;
	if (!*path)
		return 0; /* "./": the root directory itself */
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (slash) {
		const char *ps = slash;

		while (ps > path && ps[-1] != '/')
			ps--;
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - ps), ps);
	}
	if (strncmp(base, ".wh.", 4) == 0) {
		size_t dlen = slash ? (size_t)(slash - path) : 0;

		if (strcmp(base, ".wh..wh..opq") == 0) {
			path[dlen] = '\0';
			ev = ward_image_layer_add(sc->s, path, WARD_IMAGE_EV_OPAQUE, 0, 0);
		} else if (strncmp(base, ".wh..wh.", 8) == 0 ||
			   strcmp(base, ".wh.") == 0) {
			return 0; /* aufs bookkeeping: nothing to apply */
		} else if (strcmp(base + 4, ".") == 0 || strcmp(base + 4, "..") == 0) {
			return hostile(sc, name, "whites out '.' or '..'");
		} else {
			memmove(path + (slash ? dlen + 1 : 0), base + 4, strlen(base + 4) + 1);
			ev = ward_image_layer_add(sc->s, path, WARD_IMAGE_EV_WHITEOUT, 0, 0);
		}
		if (ev < 0)
			return ward_err_set(sc->err, WARD_STEP_IMAGE, ENOMEM, "%s", sc->what);
		return sc->sink ? sc->sink->entry(sc->sink->ctx, path,
						  sc->s->ev[ev].type, e, NULL, sc->err)
				: 0;
	}
	ev = ward_image_layer_add(sc->s, path, type, (uint32_t)archive_entry_perm(e),
				  type == WARD_IMAGE_EV_FILE ? size : 0);
	if (ev < 0)
		return ward_err_set(sc->err, WARD_STEP_IMAGE, -ev == E2BIG ? E2BIG : ENOMEM,
				    "%s: entry names fill more than 4 GiB", sc->what);
	if (sc->sink && (r = sc->sink->entry(sc->sink->ctx, path, type, e,
					     type == WARD_IMAGE_EV_HARDLINK ? tmp : NULL,
					     sc->err)) < 0)
		return r;
	if (type == WARD_IMAGE_EV_FILE && size > 0 &&
	    (r = read_content(sc, ev, path, parent, base)) < 0)
		return r;
	if (type == WARD_IMAGE_EV_FILE && sc->sink)
		return sc->sink->done(sc->sink->ctx, sc->err);
	return 0;
}

/* The entry counts, before the entry is recorded. */
static int count_entry(const char *what, const struct ward_image_limits *lim,
		       size_t *entries, size_t *total, struct ward_err *err)
{
	char opt[64];

	if (*entries >= lim->max_layer_entries)
		return ward_err_set(err, WARD_STEP_IMAGE, E2BIG,
				    "%s: more than %zu entries in this layer (%s raises it)",
				    what, lim->max_layer_entries,
				    ward_image_limit_name(lim, "layer-entries", opt, sizeof(opt)));
	if (*total >= lim->max_entries)
		return ward_err_set(err, WARD_STEP_IMAGE, E2BIG,
				    "%s: more than %zu entries in all layers together (%s raises it)",
				    what, lim->max_entries,
				    ward_image_limit_name(lim, "entries", opt, sizeof(opt)));
	(*entries)++;
	(*total)++;
	return 0;
}

int ward_image_scan_layer(struct archive *a, const char *what,
			  const struct ward_image_limits *lim, size_t *total,
			  uint64_t *total_bytes,
			  struct ward_image_layer_scan *out,
			  struct ward_err *err)
{
	return ward_image_scan_layer_to(a, what, lim, total, total_bytes, out, NULL,
					err);
}

int ward_image_scan_layer_to(struct archive *a, const char *what,
			     const struct ward_image_limits *lim, size_t *total,
			     uint64_t *total_bytes,
			     struct ward_image_layer_scan *out,
			     const struct ward_image_sink *sink,
			     struct ward_err *err)
{
	struct scan sc = {.a = a, .what = what, .lim = lim, .s = out, .sink = sink,
			  .before = *total_bytes, .err = err};
	char *path = malloc(2 * (lim->max_path + 1));
	size_t entries = 0;
	int r = 0;

	if (!path)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", what);
	for (;;) {
		struct archive_entry *e;

		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF) {
			r = 0;
			break;
		}
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
					 "%s: %s (layers must be tar, tar+gzip or tar+zstd)",
					 what, archive_error_string(a) ? archive_error_string(a)
								       : "unreadable");
			break;
		}
		if ((r = ward_image_check_header(a, r, e, what, "entry", lim, err)) < 0 ||
		    (r = check_layer(a, what, lim, sc.before, err)) < 0 ||
		    (r = count_entry(what, lim, &entries, total, err)) < 0 ||
		    (r = scan_entry(&sc, e, path, path + lim->max_path + 1)) < 0)
			break;
	}
	if (r == 0) {
		la_int64_t o = archive_filter_bytes(a, 0), i = archive_filter_bytes(a, -1);

		out->stream_bytes = o > 0 ? (uint64_t)o : 0;
		out->raw_bytes = i > 0 ? (uint64_t)i : 0;
		if ((r = check_layer(a, what, lim, sc.before, err)) == 0)
			*total_bytes = sc.before + out->stream_bytes;
	}
	free(path);
	return r;
}
