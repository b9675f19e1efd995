/* Typed access to a Docker profile's JSON, every mistake named by its
 * JSON path (docker_json.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <json-c/json.h>

#include "seccomp/docker_json.h"

/* ---- messages ---------------------------------------------------------- */

bool ward_dj_in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* Untrusted text for a message: control bytes escaped, length capped. */
void ward_dj_quote(char *dst, size_t size, const char *s)
{
	size_t o = 0;

	for (size_t i = 0; s[i] && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == QUOTE_MAX) {
			snprintf(dst + o, size - o, "...");
			return;
		}
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			dst[o++] = (char)c;
		else
			o += (size_t)snprintf(dst + o, size - o, "\\x%02x", c);
	}
	dst[o] = '\0';
}

int ward_dj_fail(struct jp *j, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int ward_dj_fail(struct jp *j, const char *path, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return ward_err_set(j->err, STEP, 0, "%s: %s: %s", j->file, path, text);
}

void ward_dj_note(struct ward_docker_profile *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A line for show; notes are advice, so running out of memory or room
 * drops one silently rather than failing the build. */
void ward_dj_note(struct ward_docker_profile *p, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;
	int n;

	if (p->nnotes >= NOTES_MAX)
		return;
	if (!p->notes) {
		p->notes = calloc(NOTES_MAX, sizeof(*p->notes));
		if (!p->notes)
			return;
	}
	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n >= 0)
		p->notes[p->nnotes++] = line;
}

/* A path too long for a message ends in "..." (only a pathological
 * nesting gets there: the depth is capped). */
void ward_dj_subpath(char *dst, const char *path, const char *key)
{
	if (snprintf(dst, PATH_LEN, "%s.%s", path, key) >= PATH_LEN)
		memcpy(dst + PATH_LEN - 4, "...", 4);
}

void ward_dj_indexpath(char *dst, const char *path, size_t i)
{
	if (snprintf(dst, PATH_LEN, "%s[%zu]", path, i) >= PATH_LEN)
		memcpy(dst + PATH_LEN - 4, "...", 4);
}

/* ---- typed access ------------------------------------------------------ */

const char *ward_dj_type_name(json_type t)
{
	switch (t) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double: return "a fraction";
	case json_type_int: return "a number";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "?";
}

/* Every key of @o must be in @known ("comment" is always ignored). */
int ward_dj_check_keys(struct jp *j, json_object *o, const char *path,
		      const char *const *known)
{
	char sub[PATH_LEN], q[4 * QUOTE_MAX];

	json_object_object_foreach(o, key, val) {
		if (strcmp(key, "comment") == 0) {
			if (val && !json_object_is_type(val, json_type_string))
				return ward_dj_fail(j, path, "\"comment\" must be a "
					    "string");
			continue;
		}
		if (!ward_dj_in_list(known, key)) {
			ward_dj_quote(q, sizeof(q), key);
			ward_dj_subpath(sub, path, q);
			return ward_dj_fail(j, sub, "unknown key \"%s\" (ward refuses "
				    "what it does not understand)", q);
		}
	}
	return 0;
}

/* @key of @o into *out: NULL when absent or null, an error when not of
 * @type. */
int ward_dj_member(struct jp *j, json_object *o, const char *path,
		  const char *key, json_type type, json_object **out)
{
	char sub[PATH_LEN];
	json_object *v = NULL;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, type)) {
		ward_dj_subpath(sub, path, key);
		return ward_dj_fail(j, sub, "expected %s, found %s", ward_dj_type_name(type),
			    ward_dj_type_name(json_object_get_type(v)));
	}
	*out = v;
	return 0;
}

/* @key is in @o with a value other than null. */
bool ward_dj_present(json_object *o, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) && v;
}

/* A non-negative integer of at most @max. */
int ward_dj_get_uint(struct jp *j, json_object *v, const char *path,
		    uint64_t max, uint64_t *out)
{
	if (!json_object_is_type(v, json_type_int))
		return ward_dj_fail(j, path, "expected a number, found %s",
			    ward_dj_type_name(json_object_get_type(v)));
	if (json_object_get_int64(v) < 0)
		return ward_dj_fail(j, path, "negative number");
	*out = json_object_get_uint64(v);
	if (*out > max)
		return ward_dj_fail(j, path, "%llu is too large (at most %llu)",
			    (unsigned long long)*out, (unsigned long long)max);
	return 0;
}

int ward_dj_uint_member(struct jp *j, json_object *o, const char *path,
		       const char *key, uint64_t max, bool *given,
		       uint64_t *out)
{
	char sub[PATH_LEN];
	json_object *v = NULL;

	*given = false;
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	*given = true;
	ward_dj_subpath(sub, path, key);
	return ward_dj_get_uint(j, v, sub, max, out);
}

/* A string element of an array, checked against @known (if given). */
int ward_dj_array_string(struct jp *j, json_object *arr, size_t i,
			const char *path, const char *const *known,
			const char *what, const char **out)
{
	char sub[PATH_LEN], q[4 * QUOTE_MAX];
	json_object *v = json_object_array_get_idx(arr, i);

	ward_dj_indexpath(sub, path, i);
	if (!v || !json_object_is_type(v, json_type_string))
		return ward_dj_fail(j, sub, "expected a string, found %s",
			    ward_dj_type_name(json_object_get_type(v)));
	*out = json_object_get_string(v);
	if (known && !ward_dj_in_list(known, *out)) {
		ward_dj_quote(q, sizeof(q), *out);
		return ward_dj_fail(j, sub, "unknown %s \"%s\"", what, q);
	}
	return 0;
}
