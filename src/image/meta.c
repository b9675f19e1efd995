/* Image metadata: docker save's manifest.json, OCI index.json and image
 * manifests, image configs (json-c).  Pure: buffers in, structs out; the
 * buffers come from an untrusted archive, so every string, list and
 * nesting level is bounded and every name that will be looked up in the
 * archive is validated here (see ward_image_member_name). */
#define _GNU_SOURCE
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/choose.h"
#include "image/image.h"

/* ---- names ------------------------------------------------------------------ */

int ward_image_member_name(const char *in, const struct ward_image_limits *lim,
			   char *out, size_t len)
{
	size_t o = 0, depth = 0, max = lim->max_path < len ? lim->max_path : len;
	const char *p = in;

	if (len == 0)
		return -ENAMETOOLONG;
	if (*p == '/')
		return -EINVAL;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return -EINVAL;
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (++depth > lim->max_depth)
				return -ELOOP;
			if (o + (o ? 1 : 0) + n + 1 > max)
				return -ENAMETOOLONG;
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	out[o] = '\0';
	return 0;
}

/* Resolve the link target @target of the member @name lexically: from
 * the archive root when @from_root (hard links), else from @name's
 * directory.  ".." may not climb above the root. */
int ward_image_link_target(const char *name, const char *target,
			   bool from_root, const struct ward_image_limits *lim,
			   char **out)
{
	size_t cap = lim->max_path + 1, o = 0;
	char *buf = malloc(cap);
	const char *p;

	if (!buf)
		return -ENOMEM;
	if (*target == '/') {
		free(buf);
		return -EINVAL;
	}
	if (!from_root) {
		const char *slash = strrchr(name, '/');

		o = slash ? (size_t)(slash - name) : 0;
		memcpy(buf, name, o);
	}
	buf[o] = '\0';
	for (p = target; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (o == 0) {
				free(buf);
				return -EINVAL;
			}
			slash = strrchr(buf, '/');
			o = slash ? (size_t)(slash - buf) : 0;
			buf[o] = '\0';
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (o + 1 + n + 1 > cap) {
				free(buf);
				return -ENAMETOOLONG;
			}
			if (o)
				buf[o++] = '/';
			memcpy(buf + o, p, n);
			o += n;
			buf[o] = '\0';
		}
		p += n;
		while (*p == '/')
			p++;
	}
	*out = buf;
	return 0;
}

bool ward_image_digest_valid(const char *digest)
{
	if (!digest || strncmp(digest, "sha256:", 7) != 0 ||
	    strlen(digest + 7) != 64)
		return false;
	for (const char *p = digest + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* ---- JSON ---------------------------------------------------------------------- */

int ward_image_json_parse(const char *buf, size_t len,
			  const struct ward_image_limits *lim, const char *what,
			  struct json_object **out, struct ward_err *err)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;
	size_t end;

	if (len > lim->max_json || len > INT32_MAX)
		return ward_err_set(err, WARD_STEP_IMAGE, EFBIG, "%s: %zu bytes, more than the %zu allowed (WARD_IMAGE_MAX_JSON)",
				what, len, lim->max_json);
	tok = json_tokener_new_ex(lim->max_json_depth);
	if (!tok)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s: json_tokener_new_ex", what);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue || (!obj && jerr == json_tokener_success)) {
		json_object_put(obj);
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: malformed JSON: ends before the value does (%zu bytes)",
				what, len);
	}
	if (jerr != json_tokener_success) {
		json_object_put(obj);
		if (jerr == json_tokener_error_depth)
			return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: malformed JSON: nested deeper than %d levels (WARD_IMAGE_MAX_JSON_DEPTH)",
					what, lim->max_json_depth);
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: malformed JSON near byte %zu: %s",
				what, end, json_tokener_error_desc(jerr));
	}
	for (size_t i = end; i < len; i++) {
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r') {
			json_object_put(obj);
			return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: malformed JSON: data after the value at byte %zu",
					what, i);
		}
	}
	*out = obj;
	return 0;
}

/* The value of @key in the object @o, or NULL when absent or null. */
static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_is_type(v, json_type_null) ? NULL : v;
}

/* A copy of the string @v (bounded, no NUL inside). */
static int dup_string(struct json_object *v, const struct ward_image_limits *lim,
		      const char *what, const char *key, char **out,
		      struct ward_err *err)
{
	const char *s;
	int n;

	if (!json_object_is_type(v, json_type_string))
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: %s is not a string", what, key);
	s = json_object_get_string(v);
	n = json_object_get_string_len(v);
	if (n < 0 || (size_t)n > lim->max_string)
		return ward_err_set(err, WARD_STEP_IMAGE, EFBIG, "%s: %s is longer than %zu bytes (WARD_IMAGE_MAX_STRING)",
				what, key, lim->max_string);
	if (memchr(s, '\0', (size_t)n))
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: %s holds a NUL byte", what, key);
	*out = strndup(s, (size_t)n);
	if (!*out)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s: %s", what, key);
	return 0;
}

/* An optional string member. */
static int get_string(struct json_object *o, const char *key,
		      const struct ward_image_limits *lim, const char *what,
		      char **out, struct ward_err *err)
{
	struct json_object *v = member(o, key);

	*out = NULL;
	return v ? dup_string(v, lim, what, key, out, err) : 0;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* An optional array of strings. */
static int get_strv(struct json_object *o, const char *key,
		    const struct ward_image_limits *lim, const char *what,
		    char ***out, size_t *n, struct ward_err *err)
{
	struct json_object *v = member(o, key);
	size_t len;
	char **strv;

	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: %s is not an array", what, key);
	len = json_object_array_length(v);
	if (len > lim->max_list)
		return ward_err_set(err, WARD_STEP_IMAGE, E2BIG, "%s: %s has %zu entries, more than %zu (WARD_IMAGE_MAX_LIST)",
				what, key, len, lim->max_list);
	strv = calloc(len + 1, sizeof(*strv));
	if (!strv)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s: %s", what, key);
	for (size_t i = 0; i < len; i++) {
		int r = dup_string(json_object_array_get_idx(v, i), lim, what, key,
				   &strv[i], err);

		if (r < 0) {
			free_strv(strv, i);
			return r;
		}
	}
	*out = strv;
	*n = len;
	return 0;
}

/* The keys of an optional object ({"80/tcp": {}}). */
static int get_keys(struct json_object *o, const char *key,
		    const struct ward_image_limits *lim, const char *what,
		    char ***out, size_t *n, struct ward_err *err)
{
	struct json_object *v = member(o, key);
	size_t len, i = 0;
	char **strv;

	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_object))
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: %s is not an object", what, key);
	len = (size_t)json_object_object_length(v);
	if (len > lim->max_list)
		return ward_err_set(err, WARD_STEP_IMAGE, E2BIG, "%s: %s has %zu entries, more than %zu (WARD_IMAGE_MAX_LIST)",
				what, key, len, lim->max_list);
	strv = calloc(len + 1, sizeof(*strv));
	if (!strv)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s: %s", what, key);
	json_object_object_foreach(v, k, val) {
		(void)val;
		if (i == len)
			break;
		if (strlen(k) > lim->max_string || !(strv[i] = strdup(k))) {
			free_strv(strv, i);
			return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s: %s", what, key);
		}
		i++;
	}
	*out = strv;
	*n = i;
	return 0;
}

/* A member name from the JSON, validated and normalised. */
static int member_name(const char *s, const struct ward_image_limits *lim,
		       const char *what, const char *key, char **out,
		       struct ward_err *err)
{
	char *buf = malloc(lim->max_path + 1);
	int r;

	if (!buf)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s: %s", what, key);
	r = ward_image_member_name(s, lim, buf, lim->max_path + 1);
	if (r < 0 || !*buf) {
		char esc[128];

		free(buf);
		ward_image_escape(s, esc, sizeof(esc));
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: %s '%s' is not a plain name inside the archive (absolute, '..' or too long)",
				what, key, esc);
	}
	*out = buf;
	return 0;
}

/* "blobs/sha256/<hex>" for a validated digest. */
static int blob_member(const char *digest, const char *what, const char *key,
		       char **out, struct ward_err *err)
{
	char esc[96];

	if (!ward_image_digest_valid(digest)) {
		ward_image_escape(digest ? digest : "(none)", esc, sizeof(esc));
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: %s '%s' is not a sha256 digest (sha256: and 64 lowercase hex digits)",
				what, key, esc);
	}
	if (asprintf(out, "blobs/sha256/%s", digest + 7) < 0) {
		*out = NULL;
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", what);
	}
	return 0;
}

/* ---- docker save ------------------------------------------------------------- */

static int alloc_layers(struct ward_image_meta *m, size_t n,
			const struct ward_image_limits *lim, const char *what,
			struct ward_err *err)
{
	if (n > lim->max_layers)
		return ward_err_set(err, WARD_STEP_IMAGE, E2BIG, "%s: %zu layers, more than %zu (WARD_IMAGE_MAX_LAYERS)",
				what, n, lim->max_layers);
	m->layers = calloc(n ? n : 1, sizeof(*m->layers));
	if (!m->layers)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", what);
	for (size_t i = 0; i < n; i++)
		m->layers[i].history = -1;
	return 0;
}

int ward_image_parse_docker_manifest(const char *buf, size_t len,
				     const struct ward_image_limits *lim,
				     const char *tag, struct ward_image_meta *m,
				     struct ward_err *err)
{
	static const char what[] = "manifest.json";
	struct json_object *root = NULL, *img, *layers;
	const char *name = NULL;
	char *config = NULL;
	size_t n, idx = 0;
	int r;

	if ((r = ward_image_json_parse(buf, len, lim, what, &root, err)) < 0)
		return r;
	if (!json_object_is_type(root, json_type_array) ||
	    json_object_array_length(root) == 0) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: not a non-empty array of images", what);
		goto out;
	}
	m->format = WARD_IMAGE_DOCKER_SAVE;
	m->nimages = json_object_array_length(root);
	if (m->nimages > lim->max_list) {
		r = ward_err_set(err, WARD_STEP_IMAGE, E2BIG, "%s: %zu images, more than %zu (WARD_IMAGE_MAX_LIST)",
				 what, m->nimages, lim->max_list);
		goto out;
	}
	if ((r = ward_image_choose_docker(root, tag, &idx, &name, err)) < 0)
		goto out;
	img = json_object_array_get_idx(root, idx);
	if (!json_object_is_type(img, json_type_object)) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: image %zu is not an object", what, idx);
		goto out;
	}
	if (!member(img, "Config")) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: no Config", what);
		goto out;
	}
	if ((r = get_string(img, "Config", lim, what, &config, err)) < 0 ||
	    (r = member_name(config, lim, what, "Config", &m->config_member, err)) < 0)
		goto out;
	if (name && strlen(name) <= lim->max_string && !(m->name = strdup(name))) {
		r = ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", what);
		goto out;
	}
	layers = member(img, "Layers");
	if (!layers || !json_object_is_type(layers, json_type_array)) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: Layers is missing or not an array", what);
		goto out;
	}
	n = json_object_array_length(layers);
	if ((r = alloc_layers(m, n, lim, what, err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct json_object *l = json_object_array_get_idx(layers, i);
		char *s = NULL;

		if ((r = dup_string(l, lim, what, "Layers[]", &s, err)) < 0)
			goto out;
		r = member_name(s, lim, what, "Layers[]", &m->layers[i].member, err);
		free(s);
		if (r < 0)
			goto out;
		m->nlayers++;
	}
	r = 0;
out:
	free(config);
	json_object_put(root);
	return r;
}

/* ---- OCI ------------------------------------------------------------------------ */

static bool is_index_type(const char *mt)
{
	return mt && (strcmp(mt, "application/vnd.oci.image.index.v1+json") == 0 ||
		      strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json") == 0);
}

static const char *string_of(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
							     : NULL;
}

int ward_image_parse_oci_index(const char *buf, size_t len,
			       const struct ward_image_limits *lim, const char *tag,
			       struct ward_image_index *out, struct ward_err *err)
{
	static const char what[] = "OCI index";
	struct json_object *root = NULL, *mans, *best = NULL, *ann;
	const char *d, *ref;
	int r;
	size_t n;

	memset(out, 0, sizeof(*out));
	if ((r = ward_image_json_parse(buf, len, lim, what, &root, err)) < 0)
		return r;
	mans = member(root, "manifests");
	if (!mans || !json_object_is_type(mans, json_type_array) ||
	    json_object_array_length(mans) == 0) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: manifests is missing, empty or not an array", what);
		goto out;
	}
	n = json_object_array_length(mans);
	if (n > lim->max_list) {
		r = ward_err_set(err, WARD_STEP_IMAGE, E2BIG, "%s: %zu manifests, more than %zu (WARD_IMAGE_MAX_LIST)",
			     what, n, lim->max_list);
		goto out;
	}
	if ((r = ward_image_choose_oci(mans, tag, &best, &out->notice, &out->nimages,
				       err)) < 0)
		goto out;
	d = string_of(best, "digest");
	if (!ward_image_digest_valid(d)) {
		char esc[96];

		ward_image_escape(d ? d : "(none)", esc, sizeof(esc));
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: digest '%s' is not a sha256 digest (sha256: and 64 lowercase hex digits)",
			     what, esc);
		goto out;
	}
	snprintf(out->digest, sizeof(out->digest), "%s", d);
	out->nested = is_index_type(string_of(best, "mediaType"));
	ann = member(best, "annotations");
	ref = string_of(ann, "io.containerd.image.name");
	if (!ref)
		ref = string_of(ann, "org.opencontainers.image.ref.name");
	if (ref && strlen(ref) <= lim->max_string && !(out->name = strdup(ref))) {
		r = ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s", what);
		goto out;
	}
	r = 0;
out:
	if (r < 0)
		ward_image_index_free(out);
	json_object_put(root);
	return r;
}

void ward_image_index_free(struct ward_image_index *ix)
{
	free(ix->name);
	free(ix->notice);
	ix->name = ix->notice = NULL;
}

int ward_image_parse_oci_manifest(const char *buf, size_t len,
				  const struct ward_image_limits *lim,
				  struct ward_image_meta *m,
				  struct ward_err *err)
{
	static const char what[] = "OCI image manifest";
	struct json_object *root = NULL, *layers;
	size_t n;
	int r;

	if ((r = ward_image_json_parse(buf, len, lim, what, &root, err)) < 0)
		return r;
	if (!json_object_is_type(root, json_type_object)) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: not an object", what);
		goto out;
	}
	if (is_index_type(string_of(root, "mediaType"))) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: an index where an image manifest was expected", what);
		goto out;
	}
	if ((r = blob_member(string_of(member(root, "config"), "digest"), what,
			     "config.digest", &m->config_member, err)) < 0)
		goto out;
	layers = member(root, "layers");
	if (!layers || !json_object_is_type(layers, json_type_array)) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: layers is missing or not an array", what);
		goto out;
	}
	n = json_object_array_length(layers);
	if ((r = alloc_layers(m, n, lim, what, err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct json_object *l = json_object_array_get_idx(layers, i);
		const char *d = string_of(l, "digest");

		if ((r = blob_member(d, what, "layers[].digest", &m->layers[i].member,
				     err)) < 0)
			goto out;
		snprintf(m->layers[i].digest, sizeof(m->layers[i].digest), "%s", d);
		m->nlayers++;
	}
	r = 0;
out:
	json_object_put(root);
	return r;
}

/* ---- config ----------------------------------------------------------------------- */

static int parse_history(struct json_object *root, const struct ward_image_limits *lim,
			 struct ward_image_config *c, struct ward_err *err)
{
	static const char what[] = "image config";
	struct json_object *h = member(root, "history");
	size_t n;
	int r;

	if (!h)
		return 0;
	if (!json_object_is_type(h, json_type_array))
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: history is not an array", what);
	n = json_object_array_length(h);
	if (n > lim->max_history)
		return ward_err_set(err, WARD_STEP_IMAGE, E2BIG, "%s: %zu history entries, more than %zu (WARD_IMAGE_MAX_HISTORY)",
				what, n, lim->max_history);
	c->history = calloc(n ? n : 1, sizeof(*c->history));
	if (!c->history)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "%s: history", what);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(h, i), *el;
		struct ward_image_history *hi = &c->history[i];

		if (!json_object_is_type(e, json_type_object))
			return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: history[%zu] is not an object", what, i);
		c->nhistory++;
		hi->layer = -1;
		if ((r = get_string(e, "created_by", lim, what, &hi->created_by, err)) < 0 ||
		    (r = get_string(e, "comment", lim, what, &hi->comment, err)) < 0)
			return r;
		el = member(e, "empty_layer");
		if (el && !json_object_is_type(el, json_type_boolean))
			return ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: history[%zu].empty_layer is not a boolean",
					what, i);
		hi->empty_layer = el && json_object_get_boolean(el);
	}
	return 0;
}

int ward_image_parse_config(const char *buf, size_t len,
			    const struct ward_image_limits *lim,
			    struct ward_image_config *c, struct ward_err *err)
{
	static const char what[] = "image config";
	struct json_object *root = NULL, *cfg, *diff;
	int r;

	if ((r = ward_image_json_parse(buf, len, lim, what, &root, err)) < 0)
		return r;
	if (!json_object_is_type(root, json_type_object)) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: not an object", what);
		goto out;
	}
	cfg = member(root, "config");
	if (cfg && !json_object_is_type(cfg, json_type_object)) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "%s: config is not an object", what);
		goto out;
	}
	if ((r = get_string(cfg, "User", lim, what, &c->user, err)) < 0 ||
	    (r = get_strv(cfg, "Env", lim, what, &c->env, &c->nenv, err)) < 0 ||
	    (r = get_strv(cfg, "Entrypoint", lim, what, &c->entrypoint,
			  &c->nentrypoint, err)) < 0 ||
	    (r = get_strv(cfg, "Cmd", lim, what, &c->cmd, &c->ncmd, err)) < 0 ||
	    (r = get_keys(cfg, "ExposedPorts", lim, what, &c->ports, &c->nports, err)) < 0 ||
	    (r = get_keys(cfg, "Volumes", lim, what, &c->volumes, &c->nvolumes, err)) < 0 ||
	    (r = get_string(cfg, "WorkingDir", lim, what, &c->workdir, err)) < 0 ||
	    (r = get_string(cfg, "StopSignal", lim, what, &c->stop_signal, err)) < 0 ||
	    (r = parse_history(root, lim, c, err)) < 0)
		goto out;
	diff = member(root, "rootfs");
	if ((r = get_strv(diff, "diff_ids", lim, what, &c->diff_ids, &c->ndiff_ids,
			  err)) < 0)
		goto out;
	for (size_t i = 0; i < c->ndiff_ids; i++)
		if (!ward_image_digest_valid(c->diff_ids[i])) {
			r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
					 "%s: rootfs.diff_ids[%zu] is not a sha256 digest", what, i);
			goto out;
		}
	r = 0;
out:
	json_object_put(root);
	return r;
}

void ward_image_link_history(struct ward_image_meta *m)
{
	size_t layer = 0;

	for (size_t i = 0; i < m->nlayers; i++)
		m->layers[i].history = -1;
	for (size_t h = 0; h < m->config.nhistory; h++) {
		struct ward_image_history *hi = &m->config.history[h];

		hi->layer = -1;
		if (hi->empty_layer)
			continue;
		if (layer < m->nlayers) {
			hi->layer = (long)layer;
			m->layers[layer].history = (long)h;
		}
		layer++;
	}
}

void ward_image_config_free(struct ward_image_config *c)
{
	free(c->user);
	free_strv(c->env, c->nenv);
	free_strv(c->entrypoint, c->nentrypoint);
	free_strv(c->cmd, c->ncmd);
	free_strv(c->ports, c->nports);
	free_strv(c->volumes, c->nvolumes);
	free(c->workdir);
	free(c->stop_signal);
	free_strv(c->diff_ids, c->ndiff_ids);
	for (size_t i = 0; i < c->nhistory; i++) {
		free(c->history[i].created_by);
		free(c->history[i].comment);
	}
	free(c->history);
	memset(c, 0, sizeof(*c));
}

void ward_image_meta_free(struct ward_image_meta *m)
{
	free(m->name);
	free(m->notice);
	free(m->config_member);
	for (size_t i = 0; i < m->nlayers; i++)
		free(m->layers[i].member);
	free(m->layers);
	ward_image_config_free(&m->config);
	memset(m, 0, sizeof(*m));
}
