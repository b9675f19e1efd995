/* Verification from outside: the sandbox's /proc/<pid>/status as the
 * launcher sees it, in its own (initial) user namespace, where ids are
 * shown as host ids.  The launcher opens the file and hands the
 * descriptor to the child with "go" (sync 1); procfs renders the ids for
 * whoever opened the file, so the child reads the launcher's view and
 * checks it as its last step before the filter and execve.  Inside the sandbox an id that failed to change can
 * look like the target (an unmapped host uid 0 shows as 65534); outside
 * it cannot. */
#ifndef WARD_VERIFY_H
#define WARD_VERIFY_H

#include <sys/types.h>

#include "base/err.h"
#include "plan/plan.h"

/* Pure: check a /proc/<pid>/status text against @plan: Uid and Gid (all
 * four) are the host ids the plan maps to, supplementary groups as the
 * policy says, every capability set equals the keep mask, NoNewPrivs 1.
 * Errors: WARD_STEP_VERIFY naming the field. */
int ward_verify_status_text(const char *text, const struct ward_plan *plan,
			    struct ward_err *err);

/* Launcher: open /proc/@pid/status into *@fd (close-on-exec). */
int ward_verify_open_status(pid_t pid, int *fd, struct ward_err *err);

/* Child: read @fd (from ward_verify_open_status, -1 if none arrived)
 * and check it with ward_verify_status_text. */
int ward_verify_from_outside(int fd, const struct ward_plan *plan,
			     struct ward_err *err);

#endif
