/* --env-file FILE: Docker's environment file format (docker run
 * --env-file), parsed from memory.  Private to plan/. */
#ifndef WARD_PLAN_ENV_FILE_H
#define WARD_PLAN_ENV_FILE_H

#include <stddef.h>

#include "base/err.h"

/* The longest line, and NAME=VALUE, taken. */
#define WARD_ENV_FILE_LINE_MAX 8192

/* Called with each "NAME=VALUE" of the file, in order, and its line
 * number; 0 to go on, or -errno with @err set to stop. */
typedef int (*ward_env_file_put_fn)(void *ctx, const char *kv, unsigned line,
				    struct ward_err *err);

/* The caller's value of NAME, or NULL when it has none (getenv). */
typedef const char *(*ward_env_file_lookup_fn)(const char *name);

/* Parse @len bytes of @buf as Docker does: leading whitespace of a line
 * is dropped; a line that is then empty or starts with '#' is skipped;
 * NAME=VALUE gives VALUE exactly as written (no quote processing, no
 * trimming of trailing spaces, '#' is part of it); NAME alone passes the
 * caller's value (@lookup), and nothing when the caller has none.  A
 * leading UTF-8 byte order mark is skipped.  ward's own rule on top:
 * NAME is letters, digits and '_', not starting with a digit.  Errors
 * (WARD_STEP_PLAN, "@path:LINE: ..."): a bad name, a NUL byte, a line
 * longer than WARD_ENV_FILE_LINE_MAX.  CRLF line ends are taken as LF.  Pure: no file access. */
int ward_env_file_parse(const char *path, const char *buf, size_t len,
			ward_env_file_lookup_fn lookup, ward_env_file_put_fn put,
			void *ctx, struct ward_err *err);

#endif
