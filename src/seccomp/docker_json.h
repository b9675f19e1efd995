/* Private to the Docker profile reader (docker.c): the parse state,
 * typed JSON access with messages that name the JSON path
 * (docker_json.c), and which rules apply here (docker_filter.c). */
#ifndef WARD_SECCOMP_DOCKER_JSON_H
#define WARD_SECCOMP_DOCKER_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "base/err.h"
#include "seccomp/docker.h"

#define STEP WARD_STEP_SECCOMP_BUILD
#define PATH_LEN 128  /* a JSON path in a message */
#define QUOTE_MAX 48  /* longest untrusted string quoted */
#define NOTES_MAX 256 /* notes kept for show; more are counted */

struct jp {
	const char *file;
	const struct ward_docker_context *ctx;
	struct ward_docker_profile *p;
	struct ward_err *err;
	int def_errno;      /* for the message of a rule skipped as default */
};

/* ---- messages and typed access (docker_json.c) ---- */

bool ward_dj_in_list(const char *const *list, const char *s);
void ward_dj_quote(char *dst, size_t size, const char *s);
int ward_dj_fail(struct jp *j, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ward_dj_note(struct ward_docker_profile *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ward_dj_subpath(char *dst, const char *path, const char *key);
void ward_dj_indexpath(char *dst, const char *path, size_t i);
const char *ward_dj_type_name(json_type t);
int ward_dj_check_keys(struct jp *j, json_object *o, const char *path,
		      const char *const *known);
int ward_dj_member(struct jp *j, json_object *o, const char *path,
		  const char *key, json_type type, json_object **out);
bool ward_dj_present(json_object *o, const char *key);
int ward_dj_get_uint(struct jp *j, json_object *v, const char *path,
		    uint64_t max, uint64_t *out);
int ward_dj_uint_member(struct jp *j, json_object *o, const char *path,
		       const char *key, uint64_t max, bool *given,
		       uint64_t *out);
int ward_dj_array_string(struct jp *j, json_object *arr, size_t i,
			const char *path, const char *const *known,
			const char *what, const char **out);

/* ---- includes and excludes (docker_filter.c) ---- */

struct filter {
	json_object *caps, *arches;
	bool has_kernel;
	unsigned major, minor;
};

int ward_dj_parse_filter(struct jp *j, json_object *o, const char *path,
			const char *key, struct filter *f);
bool ward_dj_applies(const struct jp *j, const struct filter *inc,
		    const struct filter *exc, char *why, size_t len);

#endif
