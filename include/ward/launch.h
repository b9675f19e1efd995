/* The launch: parent and child sides of `ward run`. */
#ifndef WARD_LAUNCH_H
#define WARD_LAUNCH_H

#include "ward/err.h"
#include "ward/plan.h"

/* Parent: clone the sandbox, write its maps, wait for the program's exec
 * (or the child's error record), then supervise.  On success *exit_code
 * is the program's status (128+N for signal N).  On a setup failure the
 * child is killed and reaped and @err names the step. */
int ward_launch(const struct ward_plan *plan, int *exit_code,
		struct ward_err *err);

/* Child (child.c): run every setup step in order and exec the program.
 * Never returns: on failure it sends @err over @syncfd and exits with the
 * step's code. */
__attribute__((noreturn)) void ward_child_main(const struct ward_plan *plan,
					       int syncfd);

#endif
