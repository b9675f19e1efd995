/* Which image of an archive to read, when it holds several: docker save
 * of several tags (manifest.json lists one entry per image, each with
 * its RepoTags), an OCI layout of several refs (index.json lists one
 * manifest per ref, named by its "org.opencontainers.image.ref.name"
 * annotation, which skopeo writes, or containerd's
 * "io.containerd.image.name"), and a multi-platform index (one manifest
 * per platform, nested or not).
 *
 * A tag picks the image; without one, an archive of several is an error
 * that lists their tags, never a silent first pick: the audit would be
 * of an image the user did not mean.  Among platforms ward takes
 * linux/amd64, the only one it runs, and says so.  Pure: JSON in,
 * choices and messages out. */
#define _GNU_SOURCE
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/choose.h"
#include "image/image.h"

#define REF_MAX 512

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

static const char *string_of(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
							     : NULL;
}

/* ---- tags ---------------------------------------------------------------------- */

/* @ref as Docker completes it: a registry (docker.io, with library/ for
 * a name of one component) and a tag (latest) where none is given.
 * False when it does not fit in @len. */
static bool complete(const char *ref, char *out, size_t len)
{
	const char *slash = strchr(ref, '/'), *last = strrchr(ref, '/');
	const char *colon = strrchr(ref, ':'), *prefix = "", *rest = ref;
	bool tagged = strchr(ref, '@') || (colon && (!last || colon > last));
	size_t n = slash ? (size_t)(slash - ref) : 0;
	int w;

	if (!slash) {
		prefix = "docker.io/library/";
	} else if (!memchr(ref, '.', n) && !memchr(ref, ':', n) &&
		   !(n == 9 && memcmp(ref, "localhost", 9) == 0)) {
		prefix = "docker.io/";
	} else if ((n == 9 && memcmp(ref, "docker.io", 9) == 0) ||
		   (n == 15 && memcmp(ref, "index.docker.io", 15) == 0)) {
		rest = slash + 1;
		prefix = strchr(rest, '/') ? "docker.io/" : "docker.io/library/";
	}
	w = snprintf(out, len, "%s%s%s", prefix, rest, tagged ? "" : ":latest");
	return w >= 0 && (size_t)w < len;
}

bool ward_image_tag_matches(const char *want, const char *have)
{
	char a[REF_MAX], b[REF_MAX];

	if (!want || !have || !*want || !*have)
		return false;
	if (strcmp(want, have) == 0)
		return true;
	return complete(want, a, sizeof(a)) && complete(have, b, sizeof(b)) &&
	       strcmp(a, b) == 0;
}

/* ---- messages -------------------------------------------------------------------- */

/* A list of names for an error: escaped, cut with "and N more". */
struct names {
	char buf[280];
	size_t len, shown, more;
};

static void names_add(struct names *l, const char *name)
{
	char esc[96];
	int w;

	ward_image_escape(name, esc, sizeof(esc));
	if (l->more || l->len + strlen(esc) + 2 >= sizeof(l->buf) - 24) {
		l->more++;
		return;
	}
	w = snprintf(l->buf + l->len, sizeof(l->buf) - l->len, "%s%s",
		     l->shown ? ", " : "", esc);
	if (w > 0)
		l->len += (size_t)w;
	l->shown++;
}

static const char *names_text(struct names *l)
{
	if (l->more)
		snprintf(l->buf + l->len, sizeof(l->buf) - l->len, " and %zu more", l->more);
	return l->buf;
}

/* ---- docker save ------------------------------------------------------------------- */

/* The strings of @img's RepoTags. */
static size_t repo_tags(struct json_object *img, const char **out, size_t max)
{
	struct json_object *tags = member(img, "RepoTags");
	size_t n = 0;

	if (!tags || !json_object_is_type(tags, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(tags) && n < max; i++) {
		struct json_object *t = json_object_array_get_idx(tags, i);

		if (json_object_is_type(t, json_type_string) && json_object_get_string_len(t) > 0)
			out[n++] = json_object_get_string(t);
	}
	return n;
}

static void docker_names(struct json_object *root, struct names *l)
{
	for (size_t i = 0; i < json_object_array_length(root); i++) {
		const char *tags[64];
		size_t n = repo_tags(json_object_array_get_idx(root, i), tags, 64);

		if (n == 0)
			names_add(l, "(an untagged image)");
		for (size_t k = 0; k < n; k++)
			names_add(l, tags[k]);
	}
}

int ward_image_choose_docker(struct json_object *root, const char *tag,
			     size_t *idx, const char **name,
			     struct ward_err *err)
{
	size_t n = json_object_array_length(root), found = 0;
	struct names l = {0};
	const char *tags[64];
	char esc[96];

	*idx = 0;
	*name = NULL;
	if (!tag) {
		if (n > 1) {
			docker_names(root, &l);
			return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
					    "manifest.json: %zu images (%s): choose one with --tag REPO:TAG",
					    n, names_text(&l));
		}
		if (repo_tags(json_object_array_get_idx(root, 0), tags, 1) == 1)
			*name = tags[0];
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = repo_tags(json_object_array_get_idx(root, i), tags, 64);

		for (size_t j = 0; j < k; j++) {
			if (!ward_image_tag_matches(tag, tags[j]))
				continue;
			if (found++ == 0) {
				*idx = i;
				*name = tags[j];
			}
			break;
		}
	}
	if (found == 1)
		return 0;
	ward_image_escape(tag, esc, sizeof(esc));
	docker_names(root, &l);
	if (found == 0)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
				    "manifest.json: no image tagged '%s' (the archive has %s)",
				    esc, names_text(&l));
	return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
			    "manifest.json: '%s' names %zu images (%s): refused (which one is meant is ambiguous)",
			    esc, found, names_text(&l));
}

/* ---- OCI ------------------------------------------------------------------------------ */

static bool is_manifest_type(const char *mt)
{
	return !mt || strcmp(mt, "application/vnd.oci.image.manifest.v1+json") == 0 ||
	       strcmp(mt, "application/vnd.docker.distribution.manifest.v2+json") == 0;
}

static bool is_index_type(const char *mt)
{
	return mt && (strcmp(mt, "application/vnd.oci.image.index.v1+json") == 0 ||
		      strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json") == 0);
}

/* An image manifest or a nested index, but not a build attestation
 * (BuildKit lists those as manifests of platform unknown/unknown). */
static bool usable(struct json_object *e)
{
	const char *mt = string_of(e, "mediaType");
	const char *ref = string_of(member(e, "annotations"), "vnd.docker.reference.type");

	if (!json_object_is_type(e, json_type_object))
		return false;
	if (ref && strcmp(ref, "attestation-manifest") == 0)
		return false;
	return is_manifest_type(mt) || is_index_type(mt);
}

/* The entry's name: containerd's full reference, else the OCI ref name. */
static const char *entry_name(struct json_object *e)
{
	struct json_object *ann = member(e, "annotations");
	const char *name = string_of(ann, "io.containerd.image.name");

	return name ? name : string_of(ann, "org.opencontainers.image.ref.name");
}

static bool entry_matches(struct json_object *e, const char *tag)
{
	struct json_object *ann = member(e, "annotations");

	return ward_image_tag_matches(tag, string_of(ann, "io.containerd.image.name")) ||
	       ward_image_tag_matches(tag, string_of(ann, "org.opencontainers.image.ref.name"));
}

/* "linux/arm64/v8", or "(no platform)". */
static void platform_text(struct json_object *e, char *buf, size_t len)
{
	struct json_object *p = member(e, "platform");
	const char *os = string_of(p, "os"), *arch = string_of(p, "architecture");
	const char *variant = string_of(p, "variant");
	char raw[160];

	if (!p) {
		snprintf(buf, len, "(no platform)");
		return;
	}
	snprintf(raw, sizeof(raw), "%s/%s%s%s", os ? os : "?", arch ? arch : "?",
		 variant ? "/" : "", variant ? variant : "");
	ward_image_escape(raw, buf, len);
}

/* How well @e suits ward: 4 linux/amd64, 3 to 1 with variant v1 to v3
 * (the most compatible first), 0 another platform or none. */
static int amd64_rank(struct json_object *e)
{
	struct json_object *p = member(e, "platform");
	const char *os = string_of(p, "os"), *arch = string_of(p, "architecture");
	const char *variant = string_of(p, "variant");

	if (!os || !arch || strcmp(os, "linux") || strcmp(arch, "amd64"))
		return 0;
	if (!variant)
		return 4;
	if (strlen(variant) == 2 && variant[0] == 'v' && variant[1] >= '1' && variant[1] <= '3')
		return 4 - (variant[1] - '0');
	return 0;
}

/* Several entries left: the linux/amd64 one. */
static int by_platform(struct json_object **cand, size_t n,
		       struct json_object **entry, char **notice,
		       struct ward_err *err)
{
	struct json_object *best = NULL;
	struct names l = {0};
	bool any = false;
	int best_rank = 0;
	char plat[96];

	for (size_t i = 0; i < n; i++) {
		int r = amd64_rank(cand[i]);

		any = any || member(cand[i], "platform");
		platform_text(cand[i], plat, sizeof(plat));
		names_add(&l, plat);
		if (r > best_rank) {
			best = cand[i];
			best_rank = r;
		}
	}
	if (!any)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "OCI index: %zu images, and neither a ref name nor a platform tells them apart",
				    n);
	if (!best)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
				    "OCI index: no linux/amd64 image among its platforms (%s): ward runs linux/amd64 programs",
				    names_text(&l));
	platform_text(best, plat, sizeof(plat));
	if (asprintf(notice, "the index lists %zu platforms (%s): %s was read", n,
		     names_text(&l), plat) < 0) {
		*notice = NULL;
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "OCI index");
	}
	*entry = best;
	return 0;
}

static void oci_names(struct json_object *mans, struct names *l)
{
	const char *seen[16];
	size_t nseen = 0;

	for (size_t i = 0; i < json_object_array_length(mans); i++) {
		struct json_object *e = json_object_array_get_idx(mans, i);
		const char *name = usable(e) ? entry_name(e) : NULL;
		bool dup = false;

		for (size_t k = 0; name && k < nseen; k++)
			dup = dup || strcmp(seen[k], name) == 0;
		if (!name || dup)
			continue;
		if (nseen < 16)
			seen[nseen++] = name;
		names_add(l, name);
	}
	if (!l->shown && !l->more)
		names_add(l, "no ref name at all");
}

/* The entries left by @tag, or all usable ones; *several: more than one
 * name among them. */
static size_t candidates(struct json_object *mans, const char *tag,
			 struct json_object **cand, bool *several, size_t *nimages)
{
	const char *first = NULL;
	size_t n = 0;

	*several = false;
	for (size_t i = 0; i < json_object_array_length(mans); i++) {
		struct json_object *e = json_object_array_get_idx(mans, i);
		const char *name;

		if (!usable(e))
			continue;
		if (is_manifest_type(string_of(e, "mediaType")))
			(*nimages)++;
		if (tag && !entry_matches(e, tag))
			continue;
		if ((name = entry_name(e))) {
			*several = *several || (first && strcmp(first, name) != 0);
			first = first ? first : name;
		}
		cand[n++] = e;
	}
	return n;
}

int ward_image_choose_oci(struct json_object *mans, const char *tag,
			  struct json_object **entry, char **notice,
			  size_t *nimages, struct ward_err *err)
{
	size_t total = json_object_array_length(mans), n;
	struct json_object **cand = calloc(total ? total : 1, sizeof(*cand));
	struct names l = {0};
	bool several;
	char esc[96];
	int r = 0;

	*entry = NULL;
	*notice = NULL;
	*nimages = 0;
	if (!cand)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "OCI index");
	n = candidates(mans, tag, cand, &several, nimages);
	if (n == 0 && tag) {
		ward_image_escape(tag, esc, sizeof(esc));
		oci_names(mans, &l);
		r = ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
				 "OCI index: no image tagged '%s' (it has %s)", esc, names_text(&l));
	} else if (n == 0) {
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL, "OCI index: no image manifest listed");
	} else if (several && !tag) {
		oci_names(mans, &l);
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				 "OCI index: several images (%s): choose one with --tag NAME",
				 names_text(&l));
	} else if (n == 1) {
		*entry = cand[0];
	} else {
		r = by_platform(cand, n, entry, notice, err);
	}
	free(cand);
	return r;
}
