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

static int read_json(struct ward_image_source *src, const char *name,
		     char **buf, size_t *len, struct ward_err *err)
{
	return ward_image_source_read(src, name, buf, len, err);
}

static int read_docker(struct ward_image *img, struct ward_image_source *src,
		       struct ward_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	if ((r = read_json(src, "manifest.json", &buf, &len, err)) < 0)
		return r;
	r = ward_image_parse_docker_manifest(buf, len, &img->lim, &img->meta, err);
	free(buf);
	return r;
}

static int read_oci(struct ward_image *img, struct ward_image_source *src,
		    struct ward_err *err)
{
	char digest[WARD_IMAGE_DIGEST_LEN], member[96], *buf = NULL, *name = NULL;
	size_t len = 0, nimages = 0;
	bool nested = false;
	int r;

	img->meta.format = ward_image_source_is_dir(src) ? WARD_IMAGE_OCI_DIR
							 : WARD_IMAGE_OCI_TAR;
	if ((r = read_json(src, "index.json", &buf, &len, err)) < 0)
		return r;
	r = ward_image_parse_oci_index(buf, len, &img->lim, digest, &nested,
				       &img->meta.name, &img->meta.nimages, err);
	free(buf);
	for (unsigned depth = 0; r == 0 && nested; depth++) {
		if (depth >= WARD_IMAGE_MAX_NESTING)
			return ward_err_set(err, WARD_STEP_IMAGE, ELOOP,
					    "%s: indexes nested more than %u deep (WARD_IMAGE_MAX_NESTING)",
					    img->path, WARD_IMAGE_MAX_NESTING);
		snprintf(member, sizeof(member), "blobs/sha256/%s", digest + 7);
		if ((r = read_json(src, member, &buf, &len, err)) < 0)
			return r;
		r = ward_image_parse_oci_index(buf, len, &img->lim, digest, &nested,
					       &name, &nimages, err);
		free(buf);
		if (!img->meta.name)
			img->meta.name = name;
		else
			free(name);
		name = NULL;
	}
	if (r < 0)
		return r;
	snprintf(member, sizeof(member), "blobs/sha256/%s", digest + 7);
	if ((r = read_json(src, member, &buf, &len, err)) < 0)
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

	if ((r = read_json(src, img->meta.config_member, &buf, &len, err)) < 0)
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
	size_t *first;       /* per distinct member: the first layer using it */
	char **names;
};

static int scan_one(void *ctx, size_t idx, struct archive *a, struct ward_err *err)
{
	struct layers_ctx *lc = ctx;
	char what[256], esc[160];

	ward_image_escape(lc->names[idx], esc, sizeof(esc));
	snprintf(what, sizeof(what), "%s: layer %zu (%s)", lc->img->path,
		 lc->first[idx], esc);
	return ward_image_scan_layer(a, what, &lc->img->lim, &lc->img->entries,
				     &lc->img->scans[idx], err);
}

static int read_layers(struct ward_image *img, struct ward_image_source *src,
		       struct ward_err *err)
{
	size_t n = img->meta.nlayers, *which = NULL;
	struct layers_ctx lc = {.img = img};
	char *canon = NULL;
	int r = 0;

	lc.names = calloc(n ? n : 1, sizeof(*lc.names));
	lc.first = calloc(n ? n : 1, sizeof(*lc.first));
	which = calloc(n ? n : 1, sizeof(*which));
	img->scans = calloc(n ? n : 1, sizeof(*img->scans));
	img->by_layer = calloc(n ? n : 1, sizeof(*img->by_layer));
	canon = malloc(img->lim.max_path + 1);
	if (!lc.names || !lc.first || !which || !img->scans || !img->by_layer || !canon) {
		r = ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", img->path);
		goto out;
	}
	/* one scan per distinct member: docker save links repeated layers */
	for (size_t i = 0; i < n; i++) {
		size_t k;

		if ((r = ward_image_source_canonical(src, img->meta.layers[i].member,
						     canon, err)) < 0)
			goto out;
		for (k = 0; k < img->nscans; k++)
			if (strcmp(lc.names[k], canon) == 0)
				break;
		if (k == img->nscans) {
			if (!(lc.names[k] = strdup(canon))) {
				r = ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", img->path);
				goto out;
			}
			lc.first[k] = i;
			img->nscans++;
		}
		which[i] = k;
	}
	if ((r = ward_image_source_layers(src, lc.names, img->nscans, scan_one, &lc,
					  err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		img->by_layer[i] = &img->scans[which[i]];
	r = ward_image_tree_build(img->by_layer, n, &img->lim, &img->tree, err);
out:
	for (size_t i = 0; lc.names && i < img->nscans; i++)
		free(lc.names[i]);
	free(lc.names);
	free(lc.first);
	free(which);
	free(canon);
	return r;
}

int ward_image_read(const char *path, const struct ward_image_limits *lim,
		    struct ward_image **out, struct ward_err *err)
{
	struct ward_image_source *src = NULL;
	struct ward_image *img = calloc(1, sizeof(*img));
	int r;

	if (!img || !(img->path = strdup(path))) {
		free(img);
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", path);
	}
	if (lim)
		img->lim = *lim;
	else
		ward_image_limits_default(&img->lim);
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
	if (r < 0 || (r = read_layers(img, src, err)) < 0)
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
	free(img->config_json);
	free(img->path);
	free(img);
}
