/* Supervision: the pid-1 init inside the sandbox and the launcher outside. */
#ifndef WARD_SUPERVISOR_H
#define WARD_SUPERVISOR_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "base/err.h"
#include "plan/plan.h"

/* The signals forwarded to the program (from outside to the init, and
 * from the init to the program). */
void ward_supervisor_forwarded(sigset_t *set);

/* Inside, as pid 1, after fork: reap every child, forward the forwarded
 * signals to @app (to its process group when @group), SIGTERM as
 * @stop_signal (--stop-signal, the image's StopSignal), and exit with
 * @app's status (128+N for a signal death) once it is gone.  When no
 * other process is left then, the status is first written (an int) to
 * @report_fd (when >= 0), so the launcher need not wait for the kernel
 * to tear the namespaces down.  Never returns. */
__attribute__((noreturn)) void ward_init_run(pid_t app, bool group, int stop_signal,
					     int report_fd);

/* What @sig is forwarded as: SIGTERM becomes @stop_signal (when > 0). */
int ward_supervisor_stop_signal(int sig, int stop_signal);

/* Outside: forward signals to @child (through @pidfd when >= 0) until it
 * exits or its init reports on @exitfd (when >= 0; see ward_init_run),
 * and pass on the program's NOTIFY_SOCKET messages when @plan has the
 * relay (launch/notify.h; @plan may be NULL); return its exit code
 * (128+N for a signal death).  After a report the child may still be
 * exiting: it holds no process of the sandbox but itself.  Errors:
 * WARD_STEP_SUPERVISE. */
int ward_supervise(pid_t child, int pidfd, int exitfd,
		   const struct ward_plan *plan, int *exit_code, struct ward_err *err);

#endif
