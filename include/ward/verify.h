/* Verification from outside: the launcher reads the sandbox's
 * /proc/<pid>/status in its own (initial) user namespace, where ids are
 * shown as host ids.  Inside the sandbox an id that failed to change can
 * look like the target (an unmapped host uid 0 shows as 65534); outside
 * it cannot. */
#ifndef WARD_VERIFY_H
#define WARD_VERIFY_H

#include <sys/types.h>

#include "ward/err.h"
#include "ward/plan.h"

/* Pure: check a /proc/<pid>/status text against @plan: Uid and Gid (all
 * four) are the host ids the plan maps to, supplementary groups as the
 * policy says, every capability set equals the keep mask, NoNewPrivs 1.
 * Errors: WARD_STEP_VERIFY naming the field. */
int ward_verify_status_text(const char *text, const struct ward_plan *plan,
			    struct ward_err *err);

/* Parent: read /proc/@pid/status and check it. */
int ward_verify_from_outside(pid_t pid, const struct ward_plan *plan,
			     struct ward_err *err);

#endif
