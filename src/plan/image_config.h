/* ward run --image: the image's config applied as Docker applies it,
 * under the command line and the profiles (image_config.c: pure, no
 * syscalls; tests/unit/test_image_config.c).  image.c calls these once
 * the image is prepared. */
#ifndef WARD_PLAN_IMAGE_CONFIG_H
#define WARD_PLAN_IMAGE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "image/image.h"

/* The program's argv, as `docker run` makes it: the image's Entrypoint
 * followed by its Cmd; @cmd (the words after "--", NULL when none)
 * replaces Cmd; @entrypoint (--entrypoint, NULL when not given)
 * replaces Entrypoint and clears Cmd, "" clearing Entrypoint too.
 * *out is a new NULL-terminated array (free with
 * ward_plan_image_argv_free) whose strings point into @c, @cmd and
 * @entrypoint.  An empty result is an error (WARD_STEP_USAGE) that says
 * what to pass.  0, -EINVAL or -ENOMEM. */
int ward_plan_image_argv(const struct ward_image_config *c,
			 const char *entrypoint, char *const *cmd,
			 char ***out, struct ward_err *err);
void ward_plan_image_argv_free(char **argv);

/* True when the image's USER @user runs as ward's default user instead:
 * none, "", root or uid 0 (with any group); ward never runs root. */
bool ward_plan_image_user_is_default(const char *user);

/* The image's Env entries that reach the program, in order, into
 * @keep (at most @max; pointers into @c): every "NAME=VALUE" with a
 * valid name, except those that look secret (base/secret_shapes.h) and
 * are not named in @pass (env-pass).  The withheld names go into
 * @withheld, comma-separated ("" when none; cut with "..." when long).
 * Returns how many were kept. */
size_t ward_plan_image_env(const struct ward_image_config *c,
			   char *const *pass, size_t npass,
			   const char **keep, size_t max,
			   char *withheld, size_t wlen);

#endif
