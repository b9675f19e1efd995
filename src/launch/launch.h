/* The launch: parent and child sides of `ward run`. */
#ifndef WARD_LAUNCH_H
#define WARD_LAUNCH_H

#include "base/err.h"
#include "plan/plan.h"

/* Parent: clone the sandbox, write its maps, wait for the program's exec
 * (or the child's error record), then supervise.  @plan must have been
 * prepared (launch/prepare.h), or nothing starts.  On success *exit_code
 * is the program's status (128+N for signal N).  On a setup failure the
 * child is killed and reaped and @err names the step. */
int ward_launch(const struct ward_plan *plan, int *exit_code,
		struct ward_err *err);

/* Child (child.c): run every setup step in order and exec the program.
 * Never returns: on failure it sends @err over @syncfd and exits with the
 * step's code.  @exitfd (or -1): where ward's init reports the program's
 * exit code once the sandbox holds no other process (supervisor.h). */
__attribute__((noreturn)) void ward_child_main(const struct ward_plan *plan,
					       int syncfd, int exitfd);

/* Steps shared by the namespace child and entrypoint mode (child.c).
 * Each returns 0 or -errno with @err set for its step. */
int ward_child_close_fds_on_exec(struct ward_err *err);
int ward_child_enter_workdir(const struct ward_plan *plan, struct ward_err *err);
int ward_child_set_rlimits(const struct ward_plan *plan, struct ward_err *err);
/* Bounding set and securebits, groups and ids, the other capability
 * sets, read-back, no_new_privs. */
int ward_child_drop_privileges(const struct ward_plan *plan,
			       struct ward_err *err);
/* PR_SET_NO_NEW_PRIVS, read back. */
int ward_child_set_no_new_privs(struct ward_err *err);
/* Unblock signals, apply the signal scope if the plan says so, load the
 * seccomp filter, execute the program; on failure send the error over
 * @syncfd and exit with the step's code. */
__attribute__((noreturn)) void ward_child_run_program(const struct ward_plan *plan,
						      int syncfd);

/* Entrypoint mode (entrypoint.c): no namespaces; ward itself drops the
 * user, capabilities and no_new_privs, checks that no engine socket is
 * mounted, and runs as the program's init (pid 1, or a child subreaper).
 * @plan must have been prepared.  Returns only on a setup failure. */
int ward_entrypoint_run(const struct ward_plan *plan, int *exit_code,
			struct ward_err *err);

#endif
