/* ward seccomp learn, the launcher's side (seccomp/learn.h has the
 * filter, the record and the protocol). */
#ifndef WARD_LAUNCH_LEARN_H
#define WARD_LAUNCH_LEARN_H

#include <sys/types.h>
#include <linux/filter.h>

#include "base/err.h"
#include "plan/plan.h"
#include "seccomp/learn.h"

/* Child, last step before execve: load @prog with a listener and pass
 * the listener over @syncfd.  A failure before the filter is loaded is
 * returned (WARD_STEP_SECCOMP); after it, nothing could report it (the
 * report would wait on the listener), so the child _exits. */
int ward_seccomp_learn_load(const struct sock_fprog *prog, int syncfd,
			    struct ward_err *err);

/* Parent, from sync 4 on, instead of waiting for exec and supervising:
 * receive the listener, answer notifications until the program has been
 * executed and until the child @pid exits, forwarding signals through
 * @pidfd as ward_supervise does.  Owns and closes @syncfd.  On a setup
 * failure the child is reaped (killed first unless it reported and
 * exits by itself).  Records into plan->seccomp_learn. */
int ward_seccomp_learn_supervise(const struct ward_plan *plan, pid_t pid,
				 int pidfd, int syncfd, int *exit_code,
				 struct ward_err *err);

#endif
