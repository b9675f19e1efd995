/* One layer's bytes, hashed twice on their way to the tar reader.
 *
 *   member bytes --(sha256: the blob's digest)--> decompressor (libarchive:
 *   raw format, gzip or zstd filter) --(sha256: the diff_id)--> tar reader
 *
 * The digest of the member is what an OCI descriptor, or a blob's name,
 * promises; the digest of the uncompressed stream is the config's
 * rootfs.diff_ids entry, the only one that covers docker save's legacy
 * <id>/layer.tar members (whose names promise no digest: their bytes are
 * hashed once, as the stream).  The tar reader has no filter of its own, so a
 * layer is decompressed once, as Docker does.  Whatever the tar reader
 * leaves unread (the padding after the end-of-archive blocks, the bytes
 * after the compressed stream) is read and hashed when it is done, so
 * each digest covers the whole of its stream.  The size and expansion
 * bounds are checked on the decompressor after every block.  The hashing
 * itself runs in a second thread (hash_pipe.c), joined before this file's
 * ward_image_stream_layer() returns, and the digests compared after it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/archive_dl.h"
#include "image/hash_pipe.h"
#include "image/image.h"
#include "image/nettle_dl.h"

struct stream {
	const struct ward_image_limits *lim;
	const struct ward_image_layer_want *want;
	const struct ward_image_raw *raw;
	struct ward_sha256 blob, diff;
	struct archive *dec, *tar;
	struct ward_hash_pipe *pipe; /* NULL: hashed inline */
	bool hash_blob; /* the member's name promises a digest to check */
	bool raw_eof, dec_eof, failed;
	struct ward_err err; /* the first error a callback met */
};

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0' || s[n] == '.';
}

bool ward_image_digest_of_name(const char *name, char digest[WARD_IMAGE_DIGEST_LEN])
{
	const char *hex = NULL;
	size_t len = strlen(name);

	if (strncmp(name, "blobs/sha256/", 13) == 0 && len == 13 + 64 &&
	    is_hex(name + 13, 64))
		hex = name + 13;
	else if (len == 64 + 5 && strcmp(name + 64, ".json") == 0 && is_hex(name, 64))
		hex = name;
	if (!hex)
		return false;
	snprintf(digest, WARD_IMAGE_DIGEST_LEN, "sha256:%.64s", hex);
	return true;
}

/* @which: 0 the blob, 1 the diff stream */
static void hash(struct stream *s, int which, const void *buf, size_t len)
{
	if (s->pipe)
		ward_hash_pipe_feed(s->pipe, which, buf, len);
	else
		ward_sha256_update(which ? &s->diff : &s->blob, buf, len);
}

static void fail(struct stream *s, struct archive *a, const struct ward_err *err)
{
	if (!s->failed) {
		s->err = *err;
		s->failed = true;
	}
	archive_set_error(a, err->errnum ? err->errnum : EIO, "%s", err->msg);
}

/* The decompressor's input: the member's bytes. */
static la_ssize_t raw_read(struct archive *a, void *ctx, const void **buf)
{
	struct stream *s = ctx;
	struct ward_err err = {0};
	long n;

	if (s->raw_eof)
		return 0;
	n = s->raw->read(s->raw->ctx, buf, &err);
	if (n < 0) {
		fail(s, a, &err);
		return -1;
	}
	if (n == 0)
		s->raw_eof = true;
	else if (s->hash_blob)
		hash(s, 0, *buf, (size_t)n);
	return n;
}

/* The tar reader's input: the decompressor's output. */
static la_ssize_t dec_read(struct archive *a, void *ctx, const void **buf)
{
	struct stream *s = ctx;
	struct ward_err err = {0};
	size_t size = 0;
	la_int64_t off;
	int r;

	if (s->dec_eof)
		return 0;
	do {
		r = archive_read_data_block(s->dec, buf, &size, &off);
		if (r == ARCHIVE_EOF) {
			s->dec_eof = true;
			return 0;
		}
		if (r != ARCHIVE_OK) {
			ward_err_set(&err, WARD_STEP_IMAGE, EINVAL,
				     "%s: %s (layers must be tar, tar+gzip or tar+zstd)",
				     s->want->what, archive_error_string(s->dec)
						    ? archive_error_string(s->dec) : "unreadable");
			fail(s, a, &err);
			return -1;
		}
	} while (size == 0);
	hash(s, 1, *buf, size);
	if (ward_image_check_stream(s->dec, s->want->what, s->lim,
				    s->lim->max_layer_bytes, &err) < 0) {
		fail(s, a, &err);
		return -1;
	}
	return (la_ssize_t)size;
}

static int no_close(struct archive *a, void *ctx)
{
	(void)a;
	(void)ctx;
	return ARCHIVE_OK;
}

static int open_dec(struct stream *s, struct ward_err *err)
{
	struct archive_entry *e;
	int r;

	s->dec = archive_read_new();
	if (!s->dec)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", s->want->what);
	/* built-in decoders only (see ward_image_archive_setup) */
	if (archive_read_support_format_raw(s->dec) != ARCHIVE_OK ||
	    archive_read_support_format_empty(s->dec) != ARCHIVE_OK ||
	    archive_read_support_filter_gzip(s->dec) != ARCHIVE_OK ||
	    archive_read_support_filter_zstd(s->dec) != ARCHIVE_OK)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOTSUP,
				    "libarchive: raw format, gzip or zstd missing: %s",
				    archive_error_string(s->dec));
	if (archive_read_open(s->dec, s, NULL, raw_read, no_close) != ARCHIVE_OK)
		goto bad;
	r = archive_read_next_header(s->dec, &e);
	if (r == ARCHIVE_EOF) {
		s->dec_eof = true; /* an empty member: an empty layer */
		return 0;
	}
	if (r == ARCHIVE_OK)
		return 0;
bad:
	if (s->failed) {
		*err = s->err;
		return -(err->errnum ? err->errnum : EIO);
	}
	return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
			    "%s: %s (layers must be tar, tar+gzip or tar+zstd)",
			    s->want->what, archive_error_string(s->dec)
					   ? archive_error_string(s->dec) : "unreadable");
}

static int open_tar(struct stream *s, struct ward_err *err)
{
	s->tar = archive_read_new();
	if (!s->tar)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", s->want->what);
	if (archive_read_support_format_tar(s->tar) != ARCHIVE_OK ||
	    archive_read_support_format_empty(s->tar) != ARCHIVE_OK)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOTSUP,
				    "libarchive: no tar support: %s",
				    archive_error_string(s->tar));
	if (archive_read_open(s->tar, s, NULL, dec_read, no_close) == ARCHIVE_OK)
		return 0;
	if (s->failed) {
		*err = s->err;
		return -(err->errnum ? err->errnum : EIO);
	}
	return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
			    "%s: %s (layers must be tar, tar+gzip or tar+zstd)",
			    s->want->what, archive_error_string(s->tar)
					   ? archive_error_string(s->tar) : "unreadable");
}

/* Read and hash what the tar reader left of both streams. */
static int finish(struct stream *s, struct ward_err *err)
{
	const void *buf;
	la_ssize_t n;

	while ((n = dec_read(s->tar, s, &buf)) > 0)
		;
	while (n == 0 && (n = raw_read(s->tar, s, &buf)) > 0)
		;
	if (n < 0) {
		*err = s->err;
		return -(err->errnum ? err->errnum : EIO);
	}
	return 0;
}

static int check_digests(struct stream *s, struct ward_err *err)
{
	char blob[WARD_SHA256_TEXT], diff[WARD_SHA256_TEXT], named[WARD_IMAGE_DIGEST_LEN];

	ward_sha256_text(&s->blob, blob);
	ward_sha256_text(&s->diff, diff);
	if (s->hash_blob && ward_image_digest_of_name(s->want->member, named) &&
	    strcmp(named, blob) != 0)
		return ward_err_set(err, WARD_STEP_IMAGE, EBADMSG,
				    "%s: the blob's sha256 is %s, its name says %s: refused (a corrupt or altered layer)",
				    s->want->what, blob, named);
	if (s->want->diff_id && strcmp(s->want->diff_id, diff) != 0)
		return ward_err_set(err, WARD_STEP_IMAGE, EBADMSG,
				    "%s: the uncompressed layer's sha256 is %s, the config's rootfs.diff_ids says %s: refused (a corrupt or altered layer)",
				    s->want->what, diff, s->want->diff_id);
	return 0;
}

int ward_image_stream_layer(const struct ward_image_limits *lim,
			    const struct ward_image_layer_want *want,
			    const struct ward_image_raw *raw, size_t idx,
			    ward_image_layer_fn fn, void *ctx,
			    struct ward_err *err)
{
	struct stream s = {.lim = lim, .want = want, .raw = raw};
	char named[WARD_IMAGE_DIGEST_LEN];
	int r;

	/* docker save's legacy <id>/layer.tar names no digest: its bytes
	 * are checked by the diff_id alone, and hashing them as a blob too
	 * would cost a second pass over every byte of a plain layer */
	s.hash_blob = ward_image_digest_of_name(want->member, named);

	if ((r = ward_nettle_load(err)) < 0)
		return r;
	ward_sha256_init(&s.blob);
	ward_sha256_init(&s.diff);
	s.pipe = ward_hash_pipe_start(&s.blob, &s.diff);
	if ((r = open_dec(&s, err)) == 0 && (r = open_tar(&s, err)) == 0) {
		r = fn(ctx, idx, s.tar, err);
		/* a callback's error is the cause of what the reader said */
		if (r < 0 && s.failed) {
			*err = s.err;
			r = -(err->errnum ? err->errnum : EIO);
		}
	}
	if (r == 0)
		r = finish(&s, err);
	/* single-threaded again, on every path; the digests are whole */
	ward_hash_pipe_join(s.pipe, r < 0);
	if (r == 0)
		r = check_digests(&s, err);
	if (s.tar)
		archive_read_free(s.tar);
	if (s.dec)
		archive_read_free(s.dec);
	return r;
}

/* ---- JSON members ---------------------------------------------------------------- */

int ward_image_source_read_digest(struct ward_image_source *src,
				  const struct ward_image_limits *lim,
				  const char *name, char **buf, size_t *len,
				  char digest[WARD_IMAGE_DIGEST_LEN],
				  struct ward_err *err)
{
	char got[WARD_SHA256_TEXT], named[WARD_IMAGE_DIGEST_LEN], esc[160], *canon;
	struct ward_err ignored = {0};
	struct ward_sha256 h;
	bool names;
	int r;

	if ((r = ward_nettle_load(err)) < 0 ||
	    (r = ward_image_source_read(src, name, buf, len, err)) < 0)
		return r;
	ward_sha256_init(&h);
	ward_sha256_update(&h, *buf, *len);
	ward_sha256_text(&h, got);
	if (digest)
		snprintf(digest, WARD_IMAGE_DIGEST_LEN, "%s", got);
	names = ward_image_digest_of_name(name, named);
	if (!names && (canon = malloc(lim->max_path + 1))) {
		/* the member a docker save symlink stands for */
		names = ward_image_source_canonical(src, name, canon, &ignored) == 0 &&
			ward_image_digest_of_name(canon, named);
		free(canon);
	}
	if (!names || strcmp(named, got) == 0)
		return 0;
	free(*buf);
	*buf = NULL;
	ward_image_escape(name, esc, sizeof(esc));
	return ward_err_set(err, WARD_STEP_IMAGE, EBADMSG,
			    "%s: its sha256 is %s, its name says %s: refused (a corrupt or altered blob)",
			    esc, got, named);
}
