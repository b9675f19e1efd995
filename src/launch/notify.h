/* NOTIFY_SOCKET passed on to the program (systemd Type=notify, sd_notify(3)).
 *
 * In namespace mode the program can reach neither ward's NOTIFY_SOCKET
 * (an abstract name lives in the host's network namespace, a path in the
 * host's mount namespace), nor would the service manager accept its
 * messages: with NotifyAccess=main only the main pid, ward, may notify.
 * So the launcher relays: it binds a datagram socket of its own in a
 * private directory (0700) of $RUNTIME_DIRECTORY, the host's /run (root)
 * or $XDG_RUNTIME_DIR, or /tmp, which the sandbox gets as a read-only bind at
 * WARD_NOTIFY_PATH, the program's NOTIFY_SOCKET; every datagram the
 * program sends there, the launcher sends on, as itself, without its
 * MAINPID= lines (a pid inside the sandbox means nothing outside) and
 * without any descriptor passed with it.  The host path is removed once
 * the sandbox has it mounted.  Entrypoint mode leaves NOTIFY_SOCKET in
 * the environment as it was (the program then needs NotifyAccess=all).
 * Fails closed: a NOTIFY_SOCKET that cannot be relayed stops the
 * launch (WARD_STEP_NOTIFY). */
#ifndef WARD_LAUNCH_NOTIFY_H
#define WARD_LAUNCH_NOTIFY_H

#include "base/err.h"
#include "plan/plan.h"

#define WARD_NOTIFY_PATH "/run/systemd/notify"

/* Parent, in ward_launch_prepare: with NOTIFY_SOCKET set and namespace
 * mode, make the relay and add its bind to @plan; NOTIFY_SOCKET is taken
 * out of ward's environment.  0, or -errno with @err set
 * (WARD_STEP_NOTIFY). */
int ward_notify_prepare(struct ward_plan *plan, struct ward_err *err);

/* Parent: remove the relay's host path (once the sandbox has mounted
 * it, or when the launch ends); idempotent. */
void ward_notify_unlink(const struct ward_plan *plan);

/* For __attribute__((cleanup)): ward_notify_unlink(*@plan). */
void ward_notify_unlinkp(const struct ward_plan **plan);

/* Parent, supervising: pass on every datagram waiting on
 * plan->notify_in. */
void ward_notify_forward(const struct ward_plan *plan);

#endif
