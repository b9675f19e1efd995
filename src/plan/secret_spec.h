/* --secret NAME=SOURCE at plan time: the spec taken apart, a file source
 * read in the parent (secrets.c); launch/prepare.h reads fd: and env:
 * sources for a launch, launch/secrets.h puts them in front of the
 * program. */
#ifndef WARD_PLAN_SECRET_SPEC_H
#define WARD_PLAN_SECRET_SPEC_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "base/err.h"
#include "plan/plan.h"

/* "NAME=SOURCE" taken apart (pure). */
struct ward_secret_spec {
	char name[WARD_SECRET_NAME_MAX + 1];
	enum ward_secret_source source;
	int fd;             /* WARD_SECRET_SRC_FD */
	char arg[4096];     /* FILE: the path; ENV: the variable name */
};

/* True when @name is [A-Za-z0-9_.-]{1,64}, not "." or "..". */
bool ward_secret_name_valid(const char *name);

/* Parse "NAME=SOURCE": SOURCE is fd:N (N = 0 or >= 3), env:VAR (a
 * variable name) or a path.  Pure; 0, or -EINVAL (-ENAMETOOLONG for an
 * over-long source) with @err set (WARD_STEP_SECRETS), the message naming
 * what is wrong. */
int ward_secret_parse_spec(const char *spec, struct ward_secret_spec *out,
			   struct ward_err *err);

/* Parent, plan time (pure: reads only): @spec's secret into @out, which
 * owns a mapping afterwards (release with ward_secret_release).  A file
 * is read: it must be a regular file, not a symlink, not readable or
 * writable by others, at most WARD_SECRET_MAX_BYTES and not empty; with
 * @rootfs, a file inside that tree draws a warning on stderr (a secret
 * baked into an image).  An fd:N or env:VAR source is not touched: the
 * value is the stand-in "(not read)" (ward_secret_load in
 * launch/prepare.h reads it).  0 or -errno with @err set for
 * WARD_STEP_SECRETS. */
int ward_secret_resolve(const struct ward_secret_spec *spec, const char *rootfs,
			struct ward_secret *out, struct ward_err *err);

/* @s's value replaced by what @fd holds, read to EOF; @st is the fd's
 * fstat, @what names it in messages.  Refused when others may read or
 * write it, or when it holds more than WARD_SECRET_MAX_BYTES; on any
 * failure @s keeps its old value.  Not sealed (ward_secret_seal). */
int ward_secret_read_fd(struct ward_secret *s, int fd, const char *what,
			const struct stat *st, struct ward_err *err);

/* @s's value replaced by @len bytes copied from @value (as above). */
int ward_secret_set_value(struct ward_secret *s, const char *value, size_t len,
			  struct ward_err *err);

/* The value is in: NUL-terminated, refused when empty, kept out of swap
 * where RLIMIT_MEMLOCK allows (best effort: ward runs unprivileged too). */
int ward_secret_seal(struct ward_secret *s, struct ward_err *err);

/* The value of @s ("VALUE" of its "NAME=VALUE" mapping). */
const char *ward_secret_value(const struct ward_secret *s);

/* Zero and unmap @s's bytes, free its strings. */
void ward_secret_release(struct ward_secret *s);

/* "file", "fd" or "env". */
const char *ward_secret_source_name(enum ward_secret_source source);

#endif
