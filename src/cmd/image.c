/* ward image ls | rm DIGEST|NAME | prune: the image cache (image/store.h)
 * of the caller: what it holds, and removing what no sandbox uses. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "base/explain.h"
#include "cmd/commands.h"

#ifdef WARD_STATIC
/* The static build (make static, for COPYing into images) has no image
 * support. */
static int no_images(void)
{
	struct ward_err err = {0};

	ward_err_set(&err, WARD_STEP_USAGE, 0,
		     "image: this static build has no image cache; use the regular ward");
	ward_cmd_die(&err);
}

int ward_cmd_image_ls(int argc, char **argv) { return no_images(); }
int ward_cmd_image_rm(int argc, char **argv) { return no_images(); }
int ward_cmd_image_prune(int argc, char **argv) { return no_images(); }
#else
#include "image/store.h"
#include "report/report_text.h"

#define WARD_IMAGE_LS_SCHEMA 1

__attribute__((format(printf, 1, 2), noreturn))
static void usage_die(const char *fmt, ...)
{
	va_list ap;
	char msg[WARD_ERR_MSG_MAX];

	struct ward_err err = {0};

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ward_err_set(&err, WARD_STEP_USAGE, 0, "%s", msg);
	ward_err_hint(&err, "see ward image --help and ward-image(1)");
	ward_cmd_die(&err);
}

/* The caller's cache, open; false when there is none yet. */
static bool open_store(struct ward_image_store *s)
{
	struct ward_err err = {0};
	int r = ward_image_store_open(s, false, &err);

	if (r == -ENOENT)
		return false;
	if (r < 0)
		ward_cmd_die(&err);
	return true;
}

static const char *short_digest(const struct ward_image_entry_info *e, char buf[32])
{
	/* 12 hex digits, as docker shows them, and the rootless suffix */
	snprintf(buf, 32, "%.12s%s", e->name, e->name + 64);
	return buf;
}

/* "2026-12-07 07:42" in local time, "-" for none. */
static const char *when(time_t t, char buf[32])
{
	struct tm tm;

	if (t <= 0 || !localtime_r(&t, &tm) ||
	    !strftime(buf, 32, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, 32, "-");
	return buf;
}

static int print_json(const char *path, const struct ward_image_entry_info *v,
		      size_t n)
{
	json_object *root = json_object_new_object(), *list = json_object_new_array();

	json_object_object_add(root, "schema", json_object_new_int(WARD_IMAGE_LS_SCHEMA));
	json_object_object_add(root, "cache", path ? json_object_new_string(path) : NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "entry", json_object_new_string(v[i].name));
		json_object_object_add(o, "digest", json_object_new_string(v[i].digest));
		json_object_object_add(o, "name", v[i].image ? json_object_new_string(v[i].image) : NULL);
		json_object_object_add(o, "source", v[i].source ? json_object_new_string(v[i].source) : NULL);
		json_object_object_add(o, "bytes", json_object_new_int64((int64_t)v[i].bytes));
		json_object_object_add(o, "files", json_object_new_int64((int64_t)v[i].files));
		json_object_object_add(o, "created", json_object_new_int64(v[i].created));
		json_object_object_add(o, "last_used", json_object_new_int64(v[i].last_used));
		json_object_object_add(o, "in_use", json_object_new_boolean(v[i].in_use));
		json_object_object_add(o, "valid", json_object_new_boolean(v[i].valid));
		json_object_array_add(list, o);
	}
	json_object_object_add(root, "images", list);
	printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return 0;
}

static void print_table(const char *path, const struct ward_image_entry_info *v,
			size_t n)
{
	if (n == 0) {
		printf("no image in the cache (%s)\n", path);
		return;
	}
	printf("%-20s %-28s %10s  %-16s  %s\n", "DIGEST", "NAME", "SIZE", "LAST USED",
	       "IN USE");
	for (size_t i = 0; i < n; i++) {
		char d[32], size[32], t[32], name[64];

		ward_image_escape(v[i].image ? v[i].image : "-", name, sizeof(name));
		printf("%-20s %-28s %10s  %-16s  %s%s\n", short_digest(&v[i], d), name,
		       ward_fmt_size(v[i].bytes, size), when(v[i].last_used, t),
		       v[i].in_use ? "yes" : "no",
		       v[i].valid ? "" : "  (fails its checks: made again at its next run)");
	}
}

/* ward image ls [--json] */
int ward_cmd_image_ls(int argc, char **argv)
{
	struct ward_image_store s;
	struct ward_image_entry_info *v = NULL;
	struct ward_err err = {0};
	bool json = false;
	size_t n = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else
			usage_die("image ls: unknown argument '%s' (ward image ls [--json])", argv[i]);
	}
	if (!open_store(&s)) {
		if (json)
			return print_json(s.path, NULL, 0);
		printf("no image in the cache (%s)\n", s.path);
		return 0;
	}
	if (ward_image_store_list(&s, &v, &n, &err) < 0)
		ward_cmd_die(&err);
	if (json)
		print_json(s.path, v, n);
	else
		print_table(s.path, v, n);
	ward_image_entry_infos_free(v, n);
	ward_image_store_close(&s);
	return 0;
}

/* Whether @arg names @e: its entry name, its tag, or its digest
 * ("sha256:HEX", HEX, or a prefix of HEX of 4 digits or more). */
static bool names_entry(const char *arg, const struct ward_image_entry_info *e)
{
	const char *hex = strncmp(arg, "sha256:", 7) == 0 ? arg + 7 : arg;
	size_t h = strlen(hex);

	if (strcmp(arg, e->name) == 0 || (e->image && strcmp(arg, e->image) == 0))
		return true;
	return h >= 4 && h <= 64 && strspn(hex, "0123456789abcdef") == h &&
	       strncmp(e->name, hex, h) == 0;
}

/* The entries @arg names, marked in @hit: their count, or -1 (with the
 * reason on stderr) when a digest prefix names several images. */
static long select_entries(const char *arg, const struct ward_image_entry_info *v,
			   size_t n, bool *hit)
{
	const char *first = NULL;
	bool several = false;
	long count = 0;

	for (size_t i = 0; i < n; i++) {
		hit[i] = names_entry(arg, &v[i]);
		if (!hit[i])
			continue;
		count++;
		if (first && strcmp(first, v[i].digest) != 0 &&
		    !(v[i].image && strcmp(arg, v[i].image) == 0))
			several = true;
		if (!first)
			first = v[i].digest;
	}
	if (several) {
		fprintf(stderr, "ward: image: rm %s: names more than one image; give more of the digest (ward image ls lists them)\n",
			arg);
		return -1;
	}
	return count;
}

static int remove_one(const struct ward_image_store *s,
		      const struct ward_image_entry_info *e)
{
	struct ward_err err = {0};
	char d[32], size[32];
	uint64_t freed = 0;

	if (ward_image_store_remove(s, e->name, &freed, &err) < 0) {
		char line[WARD_ERR_MSG_MAX + 256];

		ward_err_format(&err, line, sizeof(line));
		fprintf(stderr, "%s\n", line);
		return -1;
	}
	printf("removed %s %s (%s freed)\n", short_digest(e, d),
	       e->image ? e->image : "-", ward_fmt_size(freed, size));
	return 0;
}

/* ward image rm DIGEST|NAME... */
int ward_cmd_image_rm(int argc, char **argv)
{
	struct ward_image_store s;
	struct ward_image_entry_info *v = NULL;
	struct ward_err err = {0};
	size_t n = 0;
	int failed = 0;
	bool *hit = NULL;

	if (argc < 1)
		usage_die("image rm: which image? (ward image rm DIGEST|NAME; ward image ls lists them)");
	if (open_store(&s) && ward_image_store_list(&s, &v, &n, &err) < 0)
		ward_cmd_die(&err);
	hit = calloc(n ? n : 1, sizeof(*hit));
	if (!hit)
		usage_die("image rm: out of memory");
	for (int a = 0; a < argc; a++) {
		long matched = select_entries(argv[a], v, n, hit);

		if (matched < 0) {
			failed = 1;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (hit[i] && remove_one(&s, &v[i]) < 0)
				failed = 1;
		if (!matched) {
			fprintf(stderr, "ward: image: rm %s: no such image in the cache (ward image ls lists them)\n",
				argv[a]);
			failed = 1;
		}
	}
	free(hit);
	ward_image_entry_infos_free(v, n);
	if (s.dfd >= 0)
		ward_image_store_close(&s);
	return failed ? ward_step_exit_code(WARD_STEP_IMAGE) : 0;
}

/* ward image prune: every entry no sandbox uses, the temporary entries
 * of makers that are gone, the sources that point nowhere. */
int ward_cmd_image_prune(int argc, char **argv)
{
	struct ward_image_store s;
	struct ward_image_entry_info *v = NULL;
	struct ward_err err = {0};
	uint64_t total = 0, freed;
	size_t n = 0, removed = 0, kept = 0, ntmp = 0;
	char **tmp = NULL, size[32];

	if (argc > 0)
		usage_die("image prune: unknown argument '%s' (ward image prune)", argv[0]);
	if (!open_store(&s)) {
		printf("nothing to prune: no image cache (%s)\n", s.path);
		return 0;
	}
	if (ward_image_store_list(&s, &v, &n, &err) < 0 ||
	    ward_image_store_list_tmp(&s, &tmp, &ntmp, &err) < 0)
		ward_cmd_die(&err);
	for (size_t i = 0; i < n; i++) {
		char d[32];

		if (ward_image_store_remove(&s, v[i].name, &freed, &err) < 0) {
			printf("kept %s %s (%s)\n", short_digest(&v[i], d),
			       v[i].image ? v[i].image : "-",
			       err.errnum == EBUSY ? "in use by a running sandbox" : err.msg);
			kept++;
			continue;
		}
		printf("removed %s %s (%s)\n", short_digest(&v[i], d),
		       v[i].image ? v[i].image : "-", ward_fmt_size(freed, size));
		total += freed;
		removed++;
	}
	for (size_t i = 0; i < ntmp; i++) {
		if (ward_image_store_remove_stale(&s, tmp[i], &freed) == 0) {
			printf("removed %s (left by an unpack that did not finish; %s)\n",
			       tmp[i], ward_fmt_size(freed, size));
			total += freed;
			removed++;
		}
		free(tmp[i]);
	}
	free(tmp);
	ward_image_store_prune_sources(&s);
	printf("freed %s in %zu entr%s%s\n", ward_fmt_size(total, size), removed,
	       removed == 1 ? "y" : "ies", kept ? "; the ones in use were kept" : "");
	ward_image_entry_infos_free(v, n);
	ward_image_store_close(&s);
	return 0;
}
#endif
