/* Fuzz the image audit's layer reading: tar (or tar+gzip, tar+zstd)
 * layers from memory through ward_image_scan_layer, then the layers
 * stacked by ward_image_tree_build (whiteouts, opaque directories, hard
 * links, the secret-looking files and their fates) and the final tree
 * walked and looked up.
 *
 * Input: up to 4 layer archives separated by the line "%%layer%%".  If
 * the first byte is odd, the limits are tiny (a few entries, short and
 * shallow paths, small headers, small layers), so each cap is reached
 * and refused.
 *
 * Checked beyond not crashing: a refused layer says which; every
 * path the walk gives is relative, normalised (no "", "." or ".."
 * component, no "//"), has a visible directory as its parent, and is
 * found again by ward_image_tree_lookup with the same layer and type;
 * every secret names a layer that exists, and a deleted or overwritten
 * one names the same or a later layer as the one that did it.
 *
 *   libFuzzer:  see tests/lib/run-fuzz.sh
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <archive.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/archive_dl.h"
#include "base/err.h"
#include "image/image.h"

#define FUZZ_NAME "fuzz_image_layers"
#define MAX_LAYERS 4
#define SEPARATOR "%%layer%%\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void limits_of(const uint8_t *data, size_t size,
		      struct ward_image_limits *lim)
{
	ward_image_limits_default(lim);
	if (!size || !(data[0] & 1))
		return;
	lim->max_layer_entries = 6;
	lim->max_entries = 10;
	lim->max_path = 48;
	lim->max_depth = 4;
	lim->max_header = 1536; /* one pax header of up to 512 bytes */
	lim->max_layer_bytes = 4096;
	lim->max_image_bytes = 8192;
	lim->secret_read = 256;
	lim->max_userdb = 512;
	lim->max_pkgdb = 1024;
}

/* Layer @i of the input, split on SEPARATOR; the first byte is skipped. */
static size_t split(const uint8_t *data, size_t size, const uint8_t **part,
		    size_t *len)
{
	const uint8_t *p = data + (size > 0), *end = data + size;
	size_t n = 0;

	while (n < MAX_LAYERS) {
		const uint8_t *sep = memmem(p, (size_t)(end - p), SEPARATOR,
					    strlen(SEPARATOR));

		part[n] = p;
		len[n] = (size_t)((sep ? sep : end) - p);
		n++;
		if (!sep)
			break;
		p = sep + strlen(SEPARATOR);
	}
	return n;
}

static int scan_one(const uint8_t *buf, size_t len, const char *what,
		    const struct ward_image_limits *lim, size_t *total,
		    uint64_t *total_bytes, struct ward_image_layer_scan *out)
{
	struct archive *a = archive_read_new();
	struct ward_err err = {0};
	int r;

	if (!a)
		return -1;
	r = ward_image_archive_setup(a, &err);
	if (r == 0 && archive_read_open_memory(a, buf, len) != ARCHIVE_OK)
		r = -1; /* not an archive at all: libarchive's own refusal */
	else if (r == 0)
		r = ward_image_scan_layer(a, what, lim, total, total_bytes, out, &err);
	if (r < -1 && (!err.msg[0] || !strstr(err.msg, what)))
		abort(); /* a refusal names the layer */
	archive_read_free(a);
	return r;
}

struct walk {
	const struct ward_image_tree *t;
};

static bool normalised(const char *p)
{
	if (!*p || *p == '/' || p[strlen(p) - 1] == '/' || strstr(p, "//"))
		return false;
	for (const char *c = p; c; c = strchr(c, '/')) {
		c += *c == '/';
		if ((c[0] == '.' && (c[1] == '/' || !c[1])) ||
		    (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2])))
			return false;
	}
	return true;
}

static void visit(void *ctx, const char *path,
		  const struct ward_image_node_info *info)
{
	struct walk *w = ctx;
	struct ward_image_node_info again;
	const char *slash = strrchr(path, '/');

	if (!normalised(path))
		abort();
	if (!ward_image_tree_lookup(w->t, path, &again) ||
	    again.layer != info->layer || again.type != info->type)
		abort();
	/* The parent is visible too, and was visited already. */
	if (slash) {
		char parent[8192];

		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
		if (!ward_image_tree_lookup(w->t, parent, &again) ||
		    again.type != WARD_IMAGE_EV_DIR)
			abort();
	}
}

static void check_tree(const struct ward_image_tree *t, size_t nlayers)
{
	struct walk w = {.t = t};
	const struct ward_image_secret *s;
	size_t n = 0;

	ward_image_tree_walk(t, visit, &w);
	s = ward_image_tree_secrets(t, &n);
	for (size_t i = 0; i < n; i++) {
		if (s[i].layer >= nlayers || !normalised(s[i].path))
			abort();
		/* A later entry of the same layer may overwrite it too. */
		if (s[i].fate != WARD_IMAGE_VISIBLE &&
		    (s[i].fate_layer < s[i].layer || s[i].fate_layer >= nlayers))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool loaded;
	struct ward_image_layer_scan scans[MAX_LAYERS] = {{0}};
	const struct ward_image_layer_scan *layers[MAX_LAYERS];
	const uint8_t *part[MAX_LAYERS];
	size_t len[MAX_LAYERS], n, total = 0, ok = 0;
	uint64_t total_bytes = 0;
	struct ward_image_limits lim;
	struct ward_image_tree *t = NULL;
	struct ward_err err = {0};

	if (!loaded && ward_archive_load(&err) < 0)
		abort();
	loaded = true;
	limits_of(data, size, &lim);
	n = split(data, size, part, len);
	for (size_t i = 0; i < n; i++) {
		char what[32];

		snprintf(what, sizeof(what), "layer %zu", i);
		if (scan_one(part[i], len[i], what, &lim, &total, &total_bytes, &scans[ok]) != 0)
			break;
		layers[ok] = &scans[ok];
		ok++;
	}
	if (ok && ward_image_tree_build(layers, ok, &lim, &t, &err) == 0) {
		check_tree(t, ok);
		ward_image_tree_free(t);
	} else if (ok && !err.msg[0]) {
		abort();
	}
	for (size_t i = 0; i < n; i++)
		ward_image_layer_scan_free(&scans[i]);
	return 0;
}

#include "replay.h"
