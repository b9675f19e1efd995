/* Fuzz the image metadata readers on arbitrary bytes: the same input as
 * docker save's manifest.json, an OCI index, an OCI image manifest and an
 * image config (image_meta.c); then every history line and Env entry the
 * config yields, and the input itself as one line, through the history
 * scanner and the masker (image_history.c), and the secret shapes.
 *
 * The input is an exact-size heap copy without a NUL, so a read past its
 * length is an ASan report.  Limits are lowered (64 KiB of JSON, 16
 * levels, short lists) so the bound paths are reached too.  Checked
 * beyond not crashing: every failure is -EINVAL, -EFBIG, -E2BIG or
 * -ENOMEM (-ENOENT: no image for the tag or platform) with step
 * WARD_STEP_IMAGE and a printable message; every member name a
 * parser hands out is normalised (not absolute, no ".." component, no
 * "." or empty component); every digest is a valid sha256 digest; the
 * history pairing stays in range; scanner spans stay in the line and
 * secret spans do not overlap; masked output is printable ASCII only.
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 -I/usr/include/json-c tests/fuzz/fuzz_image_meta.c \
 *                 src/image/meta.c src/image/choose.c src/image/limits.c \
 *                 src/image/history.c src/base/secret_shapes.c \
 *                 src/base/err.c -ljson-c
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "base/secret_shapes.h"

#define FUZZ_NAME "fuzz_image_meta"
#define MAX_INPUT (256u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_printable(const char *s);

static void check_err(int r, const struct ward_err *err)
{
	if (r == 0)
		return;
	if (r != -EINVAL && r != -EFBIG && r != -E2BIG && r != -ENOMEM && r != -ENOENT)
		abort();
	check_printable(err->msg);
	if (err->step != WARD_STEP_IMAGE || !err->msg[0])
		abort();
}

/* A member name as ward_image_member_name leaves it. */
static void check_member(const char *m)
{
	if (!m || !*m || *m == '/' || m[strlen(m) - 1] == '/')
		abort();
	for (const char *p = m; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			abort();
		p += n;
		if (*p == '/')
			p++;
	}
}

static void check_meta(const struct ward_image_meta *m)
{
	if (m->config_member)
		check_member(m->config_member);
	for (size_t i = 0; i < m->nlayers; i++) {
		check_member(m->layers[i].member);
		if (m->layers[i].digest[0] && !ward_image_digest_valid(m->layers[i].digest))
			abort();
	}
}

static void check_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			abort();
}

static void line(const char *s)
{
	struct ward_image_hit hits[32];
	size_t n = ward_image_history_scan(s, hits, 32), len = strlen(s), off, k;
	char out[256], small[5];
	const char *what;

	if (n > 32)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (hits[i].off > len || hits[i].len > len - hits[i].off)
			abort();
		check_printable(hits[i].name);
		for (size_t j = 0; j < i; j++)
			if (hits[i].secret && hits[j].secret && hits[i].len && hits[j].len &&
			    hits[i].off < hits[j].off + hits[j].len &&
			    hits[j].off < hits[i].off + hits[i].len)
				abort();
	}
	ward_image_mask(s, out, sizeof(out));
	check_printable(out);
	if (strlen(out) >= sizeof(out))
		abort();
	ward_image_mask(s, small, sizeof(small));
	check_printable(small);
	ward_image_escape(s, out, sizeof(out));
	check_printable(out);
	if (ward_secret_token_find(s, len, &off, &k, &what) &&
	    (off > len || k == 0 || k > len - off || !what))
		abort();
	(void)ward_secret_name_looks_secret(s);
	(void)ward_secret_shape(s, len);
	for (int kind = WARD_SECRET_NONE; kind <= WARD_SECRET_KUBE; kind++)
		(void)ward_secret_content((enum ward_secret_kind)kind, s, len);
}

static void config(const char *buf, size_t size, const struct ward_image_limits *lim)
{
	struct ward_image_meta m = {0};
	struct ward_err err = {0};
	int r = ward_image_parse_config(buf, size, lim, &m.config, &err);

	check_err(r, &err);
	if (r == 0) {
		/* pair with as many layers as the config names */
		m.nlayers = m.config.ndiff_ids < 64 ? m.config.ndiff_ids : 64;
		m.layers = calloc(m.nlayers ? m.nlayers : 1, sizeof(*m.layers));
		if (!m.layers)
			abort();
		ward_image_link_history(&m);
		for (size_t i = 0; i < m.nlayers; i++)
			if (m.layers[i].history >= (long)m.config.nhistory ||
			    (m.layers[i].history >= 0 &&
			     m.config.history[m.layers[i].history].layer != (long)i))
				abort();
		for (size_t i = 0; i < m.config.nhistory; i++) {
			if (m.config.history[i].created_by)
				line(m.config.history[i].created_by);
			if (m.config.history[i].comment)
				line(m.config.history[i].comment);
		}
		for (size_t i = 0; i < m.config.nenv; i++)
			line(m.config.env[i]);
		if (m.config.user)
			line(m.config.user);
	}
	ward_image_meta_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ward_image_limits lim;
	static const char *const tags[] = {NULL, "wardtest/a:1", "latest", "nginx"};
	struct ward_image_meta m = {0};
	struct ward_err err = {0};
	char *buf, *text;
	int r;

	if (size > MAX_INPUT)
		return 0;
	ward_image_limits_default(&lim);
	lim.max_json = 64u << 10;
	lim.max_json_depth = 16;
	lim.max_list = 64;
	lim.max_layers = 16;
	lim.max_history = 64;
	lim.max_string = 4096;
	lim.max_path = 256;
	lim.max_depth = 16;
	buf = malloc(size ? size : 1);
	text = malloc(size + 1);
	if (!buf || !text)
		abort();
	memcpy(buf, data, size);
	memcpy(text, data, size);
	text[size] = '\0';

	for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
		struct ward_image_index ix;

		memset(&err, 0, sizeof(err));
		r = ward_image_parse_docker_manifest(buf, size, &lim, tags[t], &m, &err);
		check_err(r, &err);
		if (r == 0)
			check_meta(&m);
		ward_image_meta_free(&m);

		memset(&err, 0, sizeof(err));
		r = ward_image_parse_oci_index(buf, size, &lim, tags[t], &ix, &err);
		check_err(r, &err);
		if (r == 0 && !ward_image_digest_valid(ix.digest))
			abort();
		if (r == 0 && ix.notice)
			check_printable(ix.notice);
		if (r < 0 && (ix.name || ix.notice))
			abort();
		ward_image_index_free(&ix);
	}

	memset(&err, 0, sizeof(err));
	r = ward_image_parse_oci_manifest(buf, size, &lim, &m, &err);
	check_err(r, &err);
	if (r == 0)
		check_meta(&m);
	ward_image_meta_free(&m);

	config(buf, size, &lim);
	/* the input as one history line (up to its first NUL) */
	line(text);
	{
		char norm[300];

		if (ward_image_member_name(text, &lim, norm, sizeof(norm)) == 0 && norm[0])
			check_member(norm);
	}
	free(text);
	free(buf);
	return 0;
}

#include "replay.h"
