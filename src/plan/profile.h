/* Profiles: a strict, line-based file of `ward run` options.
 *
 *   ward-profile 1            (first directive of every file)
 *   # comment
 *   include NAME              (missing file = error)
 *   include? NAME             (missing file = fine: site overrides)
 *   KEY VALUE  or  KEY=VALUE  (KEY is a long option of `ward run`)
 *
 * Every directive goes through ward_plan_apply, the command line's own
 * validator.  All errors are collected and printed as
 * "file:line:col: error: message", the source line and a caret; then the
 * launch is refused. */
#ifndef WARD_PROFILE_H
#define WARD_PROFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "base/err.h"
#include "plan/plan.h"

#define WARD_PROFILE_MAX_DEPTH 8
#define WARD_PROFILE_MAX_LINE 4096
#define WARD_PROFILE_MAX_SIZE (1u << 20)
#define WARD_PROFILE_MAX_ERRORS 20

struct ward_profile_parser;

/* How a parser reads an included file: fill *buf (heap, NUL-terminated),
 * *len, *path (heap, the name used in diagnostics) and the file's
 * identity.  Returns 0, -ENOENT when not found, or -errno; on a failure
 * other than -ENOENT it may set *path to a heap string saying why (the
 * caller shows it, "cannot include 'NAME': WHY", and frees it). */
typedef int (*ward_profile_open_fn)(void *ctx, const char *name,
				    const char *from_file, char **path,
				    char **buf, size_t *len, dev_t *dev,
				    ino_t *ino);

struct ward_profile_parser *ward_profile_parser_new(
	struct ward_plan_builder *b, FILE *diag, ward_profile_open_fn open_fn,
	void *open_ctx);
void ward_profile_parser_free(struct ward_profile_parser *p);

/* Parse one file's text (pure apart from @open_fn for includes).
 * Returns the number of errors so far (0 = fine). */
int ward_profile_parse_buffer(struct ward_profile_parser *p, const char *file,
			      const char *buf, size_t len);

/* Parse the top-level file, known by its identity for cycle detection. */
int ward_profile_parse_top(struct ward_profile_parser *p, const char *file,
			   const char *buf, size_t len, dev_t dev, ino_t ino);

int ward_profile_error_count(const struct ward_profile_parser *p);

/* Load profile @name (a path, or a name looked up in the search path)
 * into @b, printing diagnostics to @diag.  Included names are looked up
 * next to the including file, then in the search path: ./profiles,
 * $XDG_CONFIG_HOME/ward/profiles (or ~/.config/ward/profiles),
 * /etc/ward/profiles and the installed share directory.  As root, a
 * profile must be owned by root and not writable by group or others, and
 * the search path keeps only directories root alone controls (see
 * ward/profile_trust.h); each entry skipped is reported on @diag once,
 * "ward: profiles: skipping DIR: WHY".  Errors: WARD_STEP_PROFILE. */
int ward_profile_load(struct ward_plan_builder *b, const char *name,
		      FILE *diag, struct ward_err *err);

/* `ward profiles`: the search path (each entry used, absent, or skipped
 * and why), then every profile name with the file `--profile NAME`
 * reads, or why it is refused. */
void ward_profile_list(FILE *out);

#endif
