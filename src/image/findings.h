/* The image audit's findings as ids: one formatting for ward check
 * --image's rows (report/image_report.c) and for what ward run --image
 * refuses or accepts (image/prepare.c), so the two never drift.
 *
 * An id is "ROW:SUBJECT" ("image.secret-file:/root/.ssh/id_rsa"), with
 * "#N" appended to the N-th row of one id and subject ("...:/app/.env#2":
 * the same path added again by a later layer). */
#ifndef WARD_IMAGE_FINDINGS_H
#define WARD_IMAGE_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "image/image.h"

/* Bytes of a subject made of an image path or line ("/" + the escaped
 * path, cut with "..."). */
#define WARD_IMAGE_SUBJECT 96

/* "ID", or "ID:SUBJECT" when @subject is not empty, and "#@seen" when
 * @seen > 1, in @out (@len bytes). */
void ward_finding_id(char *out, size_t len, const char *id, const char *subject,
		     unsigned seen);

/* image.secret-file's subject: "/" + @path escaped (image.h), at most
 * WARD_IMAGE_SUBJECT bytes with the NUL. */
void ward_image_path_subject(const char *path, char out[WARD_IMAGE_SUBJECT]);

/* What a secret file is: "secret by its name", "private key", ... */
const char *ward_image_secret_kind_name(enum ward_secret_kind k);

/* image.secret-env's subject: the variable's name, escaped, from the Env
 * entry @kv ("NAME=VALUE"), at most 64 bytes. */
void ward_image_env_subject(const char *kv, char out[64]);

/* True when the Env entry @kv is secret-looking (a secret name with a
 * value, or a token in its value); *what gets the token's kind or NULL. */
bool ward_image_env_secret(const char *kv, const char **what);

/* The secret-looking values of the build history, grouped by kind and
 * name (image.secret-history: one row per group). */
struct ward_image_hist_group {
	enum ward_image_hit_kind kind;
	char name[64];
	char where[96];   /* the history entries: "4, 6, 7" */
	size_t nwhere;
	char layers[64];  /* the layers they made: "3, 4" */
	size_t first;     /* the first history entry */
	long first_layer; /* the first layer, -1 */
};

/* At most @max groups of @c's history in @g; *more counts the values of
 * groups beyond.  Returns how many groups. */
size_t ward_image_history_groups(const struct ward_image_config *c,
				 struct ward_image_hist_group *g, size_t max,
				 size_t *more);

/* image.secret-history's subject of @g: "arg:NAME", "env:NAME" or
 * "token:history-N". */
void ward_image_hist_subject(const struct ward_image_hist_group *g, char *out,
			     size_t len);

#endif
