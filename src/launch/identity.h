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

#endif
