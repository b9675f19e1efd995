/* ward check --image: read an image archive into a struct ward_image.
 *
 *   docker save:  manifest.json -> Config (a member) -> Layers (members)
 *   OCI layout:   index.json -> [index ->] image manifest -> config blob,
 *                 layer blobs (blobs/sha256/<hex>)
 *
 * then stream each distinct layer once (image_archive.c, image_layers.c)
 * and build the final tree (image_tree.c).  Which layout it is follows
 * from the top of the archive: a directory is an OCI layout; a tar with
 * manifest.json is a docker save archive (newer Docker versions add an
 * OCI index.json next to it: manifest.json is read), one with only
 * index.json an OCI layout in a tar. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/archive_dl.h"
#include "image/image.h"

static int read_json(struct ward_image *img, struct ward_image_source *src,
		     const char *name, char **buf, size_t *len, struct ward_err *err)
{
	return ward_image_source_read_digest(src, &img->lim, name, buf, len, NULL, err);
}

static int read_docker(struct ward_image *img, struct ward_image_source *src,
		       struct ward_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	if ((r = read_json(img, src, "manifest.json", &buf, &len, err)) < 0)
		return r;
	r = ward_image_parse_docker_manifest(buf, len, &img->lim, img->tag, &img->meta,
					     err);
	free(buf);
	return r;
}

/* The index at @member, its choice in @ix (a tag applies to the top
 * index only: nested ones list platforms). */
static int read_index(struct ward_image *img, struct ward_image_source *src,
		      const char *member, const char *tag,
		      struct ward_image_index *ix, struct ward_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	if ((r = read_json(img, src, member, &buf, &len, err)) < 0)
		return r;
	r = ward_image_parse_oci_index(buf, len, &img->lim, tag, ix, err);
	free(buf);
	if (r < 0)
		return r;
	if (!img->meta.name)
		img->meta.name = ix->name;
	else
		free(ix->name);
	ix->name = NULL;
	if (ix->notice) {
		free(img->meta.notice);
		img->meta.notice = ix->notice;
		ix->notice = NULL;
	}
	return 0;
}

static int read_oci(struct ward_image *img, struct ward_image_source *src,
		    struct ward_err *err)
{
	struct ward_image_index ix = {0};
	char member[96], *buf = NULL;
	size_t len = 0;
	int r;

	img->meta.format = ward_image_source_is_dir(src) ? WARD_IMAGE_OCI_DIR
							 : WARD_IMAGE_OCI_TAR;
	if ((r = read_index(img, src, "index.json", img->tag, &ix, err)) < 0)
		return r;
	img->meta.nimages = ix.nimages;
	for (unsigned depth = 0; ix.nested; depth++) {
		if (depth >= WARD_IMAGE_MAX_NESTING)
			return ward_err_set(err, WARD_STEP_IMAGE, ELOOP,
					    "%s: indexes nested more than %u deep (WARD_IMAGE_MAX_NESTING)",
					    img->path, WARD_IMAGE_MAX_NESTING);
		snprintf(member, sizeof(member), "blobs/sha256/%.64s", ix.digest + 7);
		if ((r = read_index(img, src, member, NULL, &ix, err)) < 0)
			return r;
	}
	snprintf(member, sizeof(member), "blobs/sha256/%.64s", ix.digest + 7);
	if ((r = read_json(img, src, member, &buf, &len, err)) < 0)
		return r;
	r = ward_image_parse_oci_manifest(buf, len, &img->lim, &img->meta, err);
	free(buf);
	return r;
}

static int read_config(struct ward_image *img, struct ward_image_source *src,
		       struct ward_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	/* the config's digest names the image */
	if ((r = ward_image_source_read_digest(src, &img->lim, img->meta.config_member,
					       &buf, &len, img->digest, err)) < 0)
		return r;
	r = ward_image_parse_config(buf, len, &img->lim, &img->meta.config, err);
	if (r < 0) {
		free(buf);
		return r;
	}
	img->config_json = buf;
	img->config_len = len;
	ward_image_link_history(&img->meta);
	return 0;
}

/* ---- layers ------------------------------------------------------------------------- */

struct layers_ctx {
	struct ward_image *img;
	const struct ward_image_reader *rd;
	struct ward_image_layer_want *want; /* per distinct member */
	char (*what)[256];
	size_t *which;       /* per layer: its distinct member */
	size_t layer;        /* with a reader: the layer being streamed */
	struct ward_image_layer_scan spare; /* a layer read a second time */
};

static int scan_one(void *ctx, size_t idx, struct archive *a, struct ward_err *err)
{
	struct layers_ctx *lc = ctx;
	struct ward_image_layer_scan *out = &lc->img->scans[idx];
	const struct ward_image_sink *sink = NULL;
	int r;

	if (!lc->rd)
		return ward_image_scan_layer(a, lc->want[idx].what, &lc->img->lim,
					     &lc->img->entries, &lc->img->expanded, out,
					     err);
	if (out->nev || out->stream_bytes)
		out = &lc->spare; /* listed before: the first reading is kept */
	if ((r = lc->rd->layer(lc->rd->ctx, lc->img, lc->layer, &sink, err)) < 0)
		return r;
	r = ward_image_scan_layer_to(a, lc->want[idx].what, &lc->img->lim,
				     &lc->img->entries, &lc->img->expanded, out, sink,
				     err);
	ward_image_layer_scan_free(&lc->spare);
	return r;
}

/* The diff_id each distinct member must have: the config lists one per
 * layer, and a member listed twice must be listed with the same one.
 * Without a reader a config without diff_ids is let through (nothing is
 * written from it); with one, it is an error. */
static int want_diff_ids(struct layers_ctx *lc, struct ward_err *err)
{
	const struct ward_image_config *c = &lc->img->meta.config;
	size_t n = lc->img->meta.nlayers;

	if (c->ndiff_ids == 0 && (!lc->rd || n == 0))
		return 0;
	if (c->ndiff_ids != n)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "%s: the config lists %zu rootfs.diff_ids for %zu layers: the layers cannot be verified",
				    lc->img->path, c->ndiff_ids, n);
	for (size_t i = 0; i < n; i++) {
		struct ward_image_layer_want *w = &lc->want[lc->which[i]];

		if (!w->diff_id)
			w->diff_id = c->diff_ids[i];
		else if (strcmp(w->diff_id, c->diff_ids[i]) != 0)
			return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
					    "%s: layer %zu: the same member as an earlier layer with another rootfs.diff_ids entry",
					    lc->img->path, i);
	}
	return 0;
}

/* ward_image_source_layers() calls back with an index into the array it
 * was given: with one layer at a time, 0; scan_one() wants the member's. */
static int scan_in_order(void *ctx, size_t idx, struct archive *a, struct ward_err *err)
{
	struct layers_ctx *lc = ctx;

	(void)idx;
	return scan_one(lc, lc->which[lc->layer], a, err);
}

/* With a reader: each layer in order, one pass over the archive each. */
static int stream_in_order(struct layers_ctx *lc, struct ward_image_source *src,
			   struct ward_err *err)
{
	int r;

	for (size_t i = 0; i < lc->img->meta.nlayers; i++) {
		lc->layer = i;
		if ((r = ward_image_source_layers(src, &lc->want[lc->which[i]], 1,
						  scan_in_order, lc, err)) < 0 ||
		    (lc->rd->layer_done &&
		     (r = lc->rd->layer_done(lc->rd->ctx, i, err)) < 0))
			return r;
	}
	return 0;
}

static int distinct_members(struct layers_ctx *lc, struct ward_image_source *src,
			    struct ward_err *err)
{
	struct ward_image *img = lc->img;
	char *canon = malloc(img->lim.max_path + 1), esc[160];
	int r = 0;

	if (!canon)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", img->path);
	/* one scan per distinct member: docker save links repeated layers */
	for (size_t i = 0; i < img->meta.nlayers && r == 0; i++) {
		size_t k;

		if ((r = ward_image_source_canonical(src, img->meta.layers[i].member,
						     canon, err)) < 0)
			break;
		for (k = 0; k < img->nscans; k++)
			if (strcmp(lc->want[k].member, canon) == 0)
				break;
		if (k == img->nscans) {
			if (!(lc->want[k].member = strdup(canon))) {
				r = ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", img->path);
				break;
			}
			ward_image_escape(canon, esc, sizeof(esc));
			snprintf(lc->what[k], sizeof(lc->what[k]), "%s: layer %zu (%s)",
				 img->path, i, esc);
			lc->want[k].what = lc->what[k];
			img->nscans++;
		}
		lc->which[i] = k;
	}
	free(canon);
	return r;
}

static int read_layers(struct ward_image *img, struct ward_image_source *src,
		       const struct ward_image_reader *rd, struct ward_err *err)
{
	size_t n = img->meta.nlayers, m = n ? n : 1;
	struct layers_ctx lc = {.img = img, .rd = rd};
	int r = 0;

	lc.want = calloc(m, sizeof(*lc.want));
	lc.what = calloc(m, sizeof(*lc.what));
	lc.which = calloc(m, sizeof(*lc.which));
	img->scans = calloc(m, sizeof(*img->scans));
	img->by_layer = calloc(m, sizeof(*img->by_layer));
	if (!lc.want || !lc.what || !lc.which || !img->scans || !img->by_layer) {
		r = ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", img->path);
		goto out;
	}
	if ((r = distinct_members(&lc, src, err)) < 0 ||
	    (r = want_diff_ids(&lc, err)) < 0)
		goto out;
	if (rd)
		r = stream_in_order(&lc, src, err);
	else
		r = ward_image_source_layers(src, lc.want, img->nscans, scan_one, &lc, err);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		img->by_layer[i] = &img->scans[lc.which[i]];
	r = ward_image_tree_build(img->by_layer, n, &img->lim, &img->tree, err);
out:
	for (size_t i = 0; lc.want && i < img->nscans; i++)
		free((char *)lc.want[i].member);
	free(lc.want);
	free(lc.what);
	free(lc.which);
	return r;
}

int ward_image_read(const char *path, const struct ward_image_opts *o,
		    struct ward_image **out, struct ward_err *err)
{
	return ward_image_read_with(path, o, NULL, out, err);
}

int ward_image_read_with(const char *path, const struct ward_image_opts *o,
			 const struct ward_image_reader *rd,
			 struct ward_image **out, struct ward_err *err)
{
	struct ward_image_source *src = NULL;
	struct ward_image *img = calloc(1, sizeof(*img));
	int r;

	if (!img || !(img->path = strdup(path)) ||
	    (o && o->tag && !(img->tag = strdup(o->tag)))) {
		if (img)
			free(img->path);
		free(img);
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", path);
	}
	if (o && o->lim)
		img->lim = *o->lim;
	else
		ward_image_limits_default(&img->lim);
	ward_image_limits_start(&img->lim);
	if ((r = ward_archive_load(err)) < 0 ||
	    (r = ward_image_source_open(path, &img->lim, &src, err)) < 0)
		goto fail;
	if (ward_image_source_is_dir(src))
		r = ward_image_source_has(src, "index.json")
			    ? read_oci(img, src, err)
			    : ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
					   "%s: a directory without index.json: not an OCI image layout",
					   path);
	else if (ward_image_source_has(src, "manifest.json"))
		r = read_docker(img, src, err);
	else if (ward_image_source_has(src, "index.json"))
		r = read_oci(img, src, err);
	else
		r = ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
				 "%s: neither manifest.json (docker save) nor index.json (OCI layout) at the top of the archive",
				 path);
	/* the JSON parsers name the file, not the archive */
	if (r < 0 && strncmp(err->msg, path, strlen(path)) != 0)
		ward_err_wrap(err, "%s: ", path);
	if (r == 0 && (r = read_config(img, src, err)) < 0 &&
	    strncmp(err->msg, path, strlen(path)) != 0)
		ward_err_wrap(err, "%s: ", path);
	if (r < 0 || (r = read_layers(img, src, rd, err)) < 0)
		goto fail;
	ward_image_source_free(src);
	*out = img;
	return 0;
fail:
	ward_image_source_free(src);
	ward_image_free(img);
	return r;
}

void ward_image_free(struct ward_image *img)
{
	if (!img)
		return;
	ward_image_tree_free(img->tree);
	for (size_t i = 0; img->scans && i < img->nscans; i++)
		ward_image_layer_scan_free(&img->scans[i]);
	free(img->scans);
	free(img->by_layer);
	ward_image_meta_free(&img->meta);
	free(img->tag);
	free(img->config_json);
	free(img->path);
	free(img);
}
