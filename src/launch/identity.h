/* Identity: supplementary groups, gid, uid (in that order). */
#ifndef WARD_IDENTITY_H
#define WARD_IDENTITY_H

#include "base/err.h"
#include "plan/plan.h"

/* Child: set the groups per the plan's policy, then setresgid and
 * setresuid to the target ids, and read every id back.  Called after the
 * securebits are locked, so the capabilities ward still needs survive the
 * uid change.  Errors: WARD_STEP_GROUPS, WARD_STEP_IDS, WARD_STEP_VERIFY. */
int ward_identity_apply(const struct ward_plan *plan, struct ward_err *err);

/* Parent, at plan time: a rootless caller cannot drop supplementary
 * groups (setgroups is denied in its user namespace).  Returns 0 when
 * there is nothing to drop, else an error naming the groups. */
int ward_identity_check_rootless_groups(const struct ward_plan *plan,
					struct ward_err *err);

#endif
