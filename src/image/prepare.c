/* ward run --image: the cached tree of an image, unpacked first when the
 * cache does not hold it.  See image/prepare.h and image/store.h.
 *
 * Warm: the source key (a stat), its link in sources/, the entry's
 * cheap checks and its shared lock, then entry.json (findings, name) and
 * config.json (checked against the digest, parsed).  Neither the archive
 * nor libarchive is touched.
 * Cold: a temporary entry, ward_image_unpack into its rootfs/, the
 * findings from the image it read, config.json and entry.json written,
 * the rename, the source linked; then the same reading as a warm start. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "base/cleanup.h"
#include "base/sha256.h"
#include "image/findings.h"
#include "image/prepare.h"
#include "image/store.h"
#include "image/unpack.h"

#define ENTRY_JSON_MAX (1u << 20)
/* Findings kept with an entry; past it, one "more" finding stands for
 * the rest (reachable when any of them is: it cannot be accepted by a
 * name of its own, so the image is refused until it is fixed). */
#define MAX_FINDINGS 256
#define MAX_ROWS 8 /* check --image's rows of one kind (image_report.c) */

/* ---- the findings --------------------------------------------------------------------- */

struct findings {
	struct ward_image_finding *v;
	char (*key)[WARD_IMAGE_FINDING_ID]; /* "ROW:SUBJECT" of each, without "#N" */
	size_t n;
	bool more_reachable, more;
};

/* 1 + how many findings of @f have the row and subject of @key: the
 * "#N" of ward check's ids (report.c counts rows the same way). */
static unsigned seen_before(const struct findings *f, const char *key)
{
	unsigned seen = 1;

	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->key[i], key) == 0)
			seen++;
	return seen;
}

static void add_finding(struct findings *f, const char *row, const char *subject,
			bool reachable, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add_finding(struct findings *f, const char *row, const char *subject,
			bool reachable, const char *fmt, ...)
{
	struct ward_image_finding *x;
	va_list ap;

	if (f->n == MAX_FINDINGS) {
		f->more = true;
		f->more_reachable |= reachable;
		return;
	}
	x = &f->v[f->n];
	ward_finding_id(f->key[f->n], sizeof(f->key[f->n]), row, subject, 1);
	ward_finding_id(x->id, sizeof(x->id), row, subject,
			seen_before(f, f->key[f->n]));
	x->reachable = reachable;
	va_start(ap, fmt);
	vsnprintf(x->what, sizeof(x->what), fmt, ap);
	va_end(ap);
	f->n++;
}

static void secret_files(const struct ward_image *img, struct findings *f)
{
	size_t n;
	const struct ward_image_secret *s = ward_image_tree_secrets(img->tree, &n);

	for (size_t i = 0; i < n; i++) {
		char subject[WARD_IMAGE_SUBJECT];
		bool visible = s[i].fate == WARD_IMAGE_VISIBLE;

		ward_image_path_subject(s[i].path, subject);
		if (visible)
			add_finding(f, "image.secret-file", subject, true,
				    "%s%s%s, in the final tree",
				    ward_image_secret_kind_name(s[i].kind),
				    s[i].shape ? ", holds " : "",
				    s[i].shape ? s[i].shape : "");
		else
			add_finding(f, "image.secret-file", subject, false,
				    "%s%s%s, %s in layer %zu (history only)",
				    ward_image_secret_kind_name(s[i].kind),
				    s[i].shape ? ", holds " : "",
				    s[i].shape ? s[i].shape : "",
				    s[i].fate == WARD_IMAGE_DELETED ? "deleted" : "overwritten",
				    s[i].fate_layer);
	}
}

/* The ENV and history rows: the program cannot reach them (ward strips
 * the secret-looking ENV at run), so they are kept, never refused.
 * As ward check shows them: at most MAX_ROWS of each, then "more". */
static void secret_config(const struct ward_image *img, struct findings *f)
{
	const struct ward_image_config *c = &img->meta.config;
	struct ward_image_hist_group g[MAX_ROWS];
	size_t rows = 0, more = 0, ng;

	for (size_t i = 0; i < c->nenv; i++) {
		const char *what;
		char name[64];

		if (!ward_image_env_secret(c->env[i], &what))
			continue;
		if (rows++ == MAX_ROWS) {
			add_finding(f, "image.secret-env", "more", false,
				    "more secret-looking variables in the config");
			break;
		}
		ward_image_env_subject(c->env[i], name);
		add_finding(f, "image.secret-env", name, false,
			    "ENV %s in the config (not passed to the program)", name);
	}
	ng = ward_image_history_groups(c, g, MAX_ROWS, &more);
	for (size_t i = 0; i < ng; i++) {
		char subject[160];

		ward_image_hist_subject(&g[i], subject, sizeof(subject));
		add_finding(f, "image.secret-history", subject, false,
			    "%s%s in history %s (not in the tree)",
			    g[i].kind == WARD_IMAGE_HIT_ARG ? "build arg " :
			    g[i].kind == WARD_IMAGE_HIT_ENV ? "ENV or ARG " : "",
			    g[i].name, g[i].where);
	}
	if (more)
		add_finding(f, "image.secret-history", "more", false,
			    "more secret-looking values in the history");
}

static int compute_findings(const struct ward_image *img, struct findings *f,
			    struct ward_err *err)
{
	f->v = calloc(MAX_FINDINGS + 1, sizeof(*f->v));
	f->key = calloc(MAX_FINDINGS + 1, sizeof(*f->key));
	if (!f->v || !f->key)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "image findings");
	secret_files(img, f);
	secret_config(img, f);
	if (f->more) {
		struct ward_image_finding *x = &f->v[f->n++];

		snprintf(x->id, sizeof(x->id), "image.secret-file:more");
		snprintf(x->what, sizeof(x->what),
			 "more secret-looking files than ward keeps apart");
		x->reachable = f->more_reachable;
	}
	return 0;
}

/* ---- entry.json ----------------------------------------------------------------------- */

struct tree_size {
	uint64_t bytes, files;
};

static void count_file(void *ctx, const char *path,
		       const struct ward_image_node_info *info)
{
	struct tree_size *t = ctx;

	(void)path;
	if (info->type != WARD_IMAGE_EV_FILE && info->type != WARD_IMAGE_EV_HARDLINK)
		return;
	t->files++;
	if (info->type == WARD_IMAGE_EV_FILE)
		t->bytes += info->size;
}

static json_object *jstr_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static char *entry_json(const struct ward_image_request *req,
			const struct ward_image *img, const char *digest,
			const struct ward_unpack_ids *ids,
			const struct findings *f)
{
	json_object *o = json_object_new_object(), *user, *list;
	struct tree_size t = {0};
	char source[PATH_MAX];
	char *out = NULL;
	time_t now = time(NULL);

	if (!o)
		return NULL;
	ward_image_tree_walk(img->tree, count_file, &t);
	if (!realpath(req->path, source))
		snprintf(source, sizeof(source), "%s", req->path);
	json_object_object_add(o, "schema", json_object_new_int(WARD_IMAGE_ENTRY_SCHEMA));
	json_object_object_add(o, "digest", json_object_new_string(digest));
	json_object_object_add(o, "name", jstr_or_null(img->meta.name));
	json_object_object_add(o, "source", json_object_new_string(source));
	json_object_object_add(o, "created", json_object_new_int64(now));
	json_object_object_add(o, "last_used", json_object_new_int64(now));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)t.bytes));
	json_object_object_add(o, "files", json_object_new_int64((int64_t)t.files));
	user = json_object_new_object();
	json_object_object_add(user, "spec", jstr_or_null(req->user));
	json_object_object_add(user, "keep_owners", json_object_new_boolean(ids->keep_owners));
	json_object_object_add(user, "uid", json_object_new_int64(ids->uid));
	json_object_object_add(user, "gid", json_object_new_int64(ids->gid));
	json_object_object_add(o, "user", user);
	list = json_object_new_array();
	for (size_t i = 0; i < f->n; i++) {
		json_object *x = json_object_new_object();

		json_object_object_add(x, "id", json_object_new_string(f->v[i].id));
		json_object_object_add(x, "what", json_object_new_string(f->v[i].what));
		json_object_object_add(x, "reachable",
				       json_object_new_boolean(f->v[i].reachable));
		json_object_array_add(list, x);
	}
	json_object_object_add(o, "findings", list);
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}

/* ---- reading an entry ------------------------------------------------------------------ */

static int take_findings(json_object *o, struct ward_image_prepared *out)
{
	json_object *list, *x, *v;
	size_t n;

	if (!json_object_object_get_ex(o, "findings", &list) ||
	    !json_object_is_type(list, json_type_array))
		return -EINVAL;
	n = json_object_array_length(list);
	if (n > MAX_FINDINGS + 1 || !(out->findings = calloc(n ? n : 1, sizeof(*out->findings))))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		struct ward_image_finding *f = &out->findings[i];

		x = json_object_array_get_idx(list, i);
		if (!json_object_object_get_ex(x, "id", &v) ||
		    !json_object_is_type(v, json_type_string))
			return -EINVAL;
		snprintf(f->id, sizeof(f->id), "%s", json_object_get_string(v));
		if (json_object_object_get_ex(x, "what", &v) &&
		    json_object_is_type(v, json_type_string))
			snprintf(f->what, sizeof(f->what), "%s", json_object_get_string(v));
		/* fail closed: a finding that does not say is reachable */
		f->reachable = !json_object_object_get_ex(x, "reachable", &v) ||
			       !json_object_is_type(v, json_type_boolean) ||
			       json_object_get_boolean(v);
		out->nfindings++;
	}
	return 0;
}

/* entry.json's name and findings, config.json parsed and the tree's
 * identity, from what the store's check read (config.json has the digest
 * of the entry's name; the entry is locked, or was just made, so its
 * name holds still: the plan launches the path only if it still leads
 * to that tree), into @out. */
static int load_entry(const struct ward_image_store *s, const char *name,
		      const struct ward_image_entry_files *f,
		      const struct ward_image_limits *lim,
		      struct ward_image_prepared *out, struct ward_err *err)
{
	json_object *v;
	int r;

	ward_image_entry_name_valid(name, out->digest);
	if (f->config_len > lim->max_json)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "image cache: %s/%s/config.json is over %zu bytes; ward image rm %.12s, then run again",
				    s->path, name, lim->max_json, name);
	if (take_findings(f->entry, out) < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				    "image cache: %s/%s/entry.json is malformed; ward image rm %.12s, then run again",
				    s->path, name, name);
	if (json_object_object_get_ex(f->entry, "name", &v) &&
	    json_object_is_type(v, json_type_string))
		out->name = strdup(json_object_get_string(v));
	if ((r = ward_image_parse_config(f->config_json, f->config_len, lim, &out->config,
					 err)) < 0)
		return ward_err_wrap(err, "image cache: %s/%s: ", s->path, name);
	if (asprintf(&out->rootfs, "%s/%s/rootfs", s->path, name) < 0) {
		out->rootfs = NULL;
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "image cache");
	}
	out->rootfs_dev = f->rootfs_dev;
	out->rootfs_ino = f->rootfs_ino;
	return 0;
}

/* ---- prepare ---------------------------------------------------------------------------- */

/* The cached entry for @key, when there is a sound one: 1, 0 for none. */
static int warm(const struct ward_image_store *s, const char *key,
		const struct ward_image_limits *lim,
		struct ward_image_prepared *out, struct ward_err *err)
{
	__attribute__((cleanup(ward_image_entry_files_free)))
	struct ward_image_entry_files f = {0};
	char name[WARD_IMAGE_ENTRY_NAME];
	int r;

	if (ward_image_store_lookup(s, key, name) < 0 ||
	    ward_image_store_use(s, name, &out->lock_fd, NULL, &f, NULL) < 0)
		return 0;
	if ((r = load_entry(s, name, &f, lim, out, err)) < 0)
		return r;
	return 1;
}

/* Unpack into a temporary entry and put it in place as its name. */
static int cold(const struct ward_image_store *s, const struct ward_image_request *req,
		const char *key, const struct ward_image_limits *lim,
		struct ward_image_prepared *out, struct ward_err *err)
{
	struct ward_unpack_opts o = {
		.tag = req->tag, .lim = req->lim,
		.ids = {.keep_owners = geteuid() == 0, .user = req->user},
	};
	struct ward_image_maker m;
	struct ward_image *img = NULL;
	struct findings f = {0};
	char digest[WARD_IMAGE_DIGEST_LEN], name[WARD_IMAGE_ENTRY_NAME], why[128];
	_cleanup_free_ char *ej = NULL;
	__attribute__((cleanup(ward_image_entry_files_free)))
	struct ward_image_entry_files files = {0};
	bool won;
	int r;

	if ((r = ward_image_store_begin(s, &m, err)) < 0)
		return r;
	if (o.ids.keep_owners) {
		o.ids.uid = 0;
		o.ids.gid = 0;
	}
	r = ward_image_unpack(req->path, &o, m.rootfs_fd, &img, digest, err);
	if (r == 0 && (!img->config_json ||
		       ward_image_entry_name(digest, !o.ids.keep_owners, o.ids.uid,
					     o.ids.gid, name) < 0))
		r = ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
				 "%s: the unpacker gave no config or no valid digest", req->path);
	if (r == 0)
		r = compute_findings(img, &f, err);
	if (r == 0 && !(ej = entry_json(req, img, digest, &o.ids, &f)))
		r = ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "image cache: entry.json");
	if (r == 0)
		r = ward_image_store_write(&m, "config.json", img->config_json,
					   img->config_len, err);
	if (r == 0)
		r = ward_image_store_write(&m, "entry.json", ej, strlen(ej), err);
	free(f.v);
	free(f.key);
	ward_image_free(img);
	if (r < 0) {
		ward_image_store_abort(s, &m);
		return r;
	}
	if ((r = ward_image_store_commit(s, &m, name, &out->lock_fd, &won, err)) < 0)
		return r;
	out->unpacked_now = won;
	/* the index is a shortcut: without it the next start is cold again */
	ward_image_store_link_source(s, key, name, err);
	if (ward_image_store_check(s, name, &files, why) < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, EIO, "image cache: %s/%s", s->path, why);
	return load_entry(s, name, &files, lim, out, err);
}

int ward_image_prepare(const struct ward_image_request *req,
		       struct ward_image_prepared *out, struct ward_err *err)
{
	struct ward_image_store s = {.dfd = -1};
	struct ward_image_limits deflim;
	const struct ward_image_limits *lim = req->lim;
	char key[WARD_IMAGE_KEY_HEX];
	int r;

	memset(out, 0, sizeof(*out));
	out->lock_fd = -1;
	if (!lim) {
		ward_image_limits_default(&deflim);
		lim = &deflim;
	}
	if ((r = ward_image_source_key(req->path, req->tag, req->user, key, err)) < 0)
		return r;
	r = ward_image_store_open(&s, false, err);
	if (r == 0)
		r = warm(&s, key, lim, out, err);
	if (r == 0 || r == -ENOENT) {
		ward_image_prepared_free(out);
		out->lock_fd = -1;
		ward_image_store_close(&s);
		r = ward_image_store_open(&s, true, err);
		if (r == 0)
			r = cold(&s, req, key, lim, out, err);
	}
	ward_image_store_close(&s);
	if (r < 0) {
		ward_image_prepared_free(out);
		return r;
	}
	return 0;
}

void ward_image_prepared_free(struct ward_image_prepared *p)
{
	if (p->lock_fd >= 0)
		close(p->lock_fd);
	p->lock_fd = -1;
	free(p->name);
	free(p->rootfs);
	free(p->findings);
	ward_image_config_free(&p->config);
	p->name = p->rootfs = NULL;
	p->findings = NULL;
	p->nfindings = 0;
}

bool ward_image_finding_is_more(const struct ward_image_finding *f)
{
	size_t n = strlen(f->id);

	return n >= 5 && strcmp(f->id + n - 5, ":more") == 0;
}

size_t ward_image_refused(const struct ward_image_prepared *p,
			  char *const *accept, size_t naccept,
			  const struct ward_image_finding **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nfindings; i++) {
		bool accepted = false;

		if (!p->findings[i].reachable)
			continue;
		/* "more" stands for findings without a name: never accepted */
		for (size_t k = 0; k < naccept && !accepted && !ward_image_finding_is_more(&p->findings[i]); k++)
			accepted = strcmp(accept[k], p->findings[i].id) == 0;
		if (accepted)
			continue;
		if (n < max && out)
			out[n] = &p->findings[i];
		n++;
	}
	return n;
}
