/* Landlock from the plan, for both modes: in entrypoint mode the
 * filesystem read-only except the writable paths (the mount namespace
 * does that job otherwise) and, in every mode, the TCP port rules. */
#ifndef WARD_CONFINE_H
#define WARD_CONFINE_H

#include <stdbool.h>

#include "ward/err.h"
#include "ward/plan.h"

/* True when the plan asks for any Landlock rule in this mode. */
bool ward_confine_wanted(const struct ward_plan *plan, bool restrict_fs);

/* Apply the plan's Landlock rules (after no_new_privs).  Without
 * Landlock in the kernel: an error, or with 'landlock optional' a
 * warning on stderr and *applied false.  Errors: WARD_STEP_LANDLOCK. */
int ward_confine_apply(const struct ward_plan *plan, bool restrict_fs,
		       bool *applied, struct ward_err *err);

#endif
