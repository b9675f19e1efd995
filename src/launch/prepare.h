/* The effects of a launch, in one place, before clone.
 *
 * ward_plan_finish only reads the host, so that ward check, explain and
 * seccomp show/export cause nothing.  A command that launches (ward run,
 * ward seccomp learn) calls ward_launch_prepare as soon as its plan is
 * finished, before anything else uses the filter or the secrets; the
 * launch itself (ward_launch, ward_entrypoint_run) refuses a plan that
 * was not prepared. */
#ifndef WARD_LAUNCH_PREPARE_H
#define WARD_LAUNCH_PREPARE_H

#include "base/err.h"
#include "plan/plan.h"
#include "plan/secret_spec.h"

/* Parent, once per plan, in this order:
 *   - a filter the plan built fresh is stored in the filter cache, whose
 *     directory is created if missing (seccomp/cache.h); the cache never
 *     stops a launch, plan->seccomp_cache says what happened;
 *   - each fd:N and env:VAR secret is read in the order given, in place
 *     of the plan's stand-in (ward_secret_load), and a secret-env value
 *     holding a NUL byte is refused.
 * 0, or -errno with @err set (WARD_STEP_SECRETS, the message as the
 * plan's own would be, "file:line:col: " first for a profile's line):
 * then nothing may be launched from @plan. */
int ward_launch_prepare(struct ward_plan *plan, struct ward_err *err);

/* 0 when @plan was prepared, else -EINVAL with @err set (WARD_STEP_PLAN). */
int ward_launch_check_prepared(const struct ward_plan *plan,
			       struct ward_err *err);

/* Parent: read the source of @spec into @out (which owns a mapping
 * afterwards; release with ward_secret_release).  A file as
 * ward_secret_resolve reads it; fd:N is read to EOF (a pipe or a regular
 * file, not readable or writable by others) and closed (fd 0 is pointed
 * at /dev/null instead); env:VAR is taken out of ward's environment and
 * its bytes there are zeroed.  The value must not be empty nor larger
 * than WARD_SECRET_MAX_BYTES.  0 or -errno with @err set for
 * WARD_STEP_SECRETS. */
int ward_secret_load(const struct ward_secret_spec *spec, const char *rootfs,
		     struct ward_secret *out, struct ward_err *err);

#endif
