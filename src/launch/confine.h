/* Landlock from the plan, for both modes: in entrypoint mode the
 * filesystem read-only except the writable paths (the mount namespace
 * does that job otherwise) and, in every mode, the TCP port rules; in
 * entrypoint mode with ward not pid 1, the program's signal scope. */
#ifndef WARD_CONFINE_H
#define WARD_CONFINE_H

#include <stdbool.h>

#include "base/err.h"
#include "plan/plan.h"

/* True when the plan asks for any Landlock rule in this mode
 * (@restrict_fs: entrypoint mode). */
bool ward_confine_wanted(const struct ward_plan *plan, bool restrict_fs);

/* Pure: whether the program's abstract unix sockets are scoped (Landlock
 * ABI 6): where its network namespace is, or may be, the host's (--net
 * host; entrypoint mode, @entrypoint) unless the profile says
 * 'abstract-sockets host'.  In a network namespace of its own the host's
 * abstract sockets are out of reach anyway. */
bool ward_confine_abstract_scope(const struct ward_plan *plan, bool entrypoint);

/* Apply the plan's Landlock rules (after no_new_privs).  Without
 * Landlock in the kernel: an error, or with 'landlock optional' a
 * warning on stderr and *applied false.  The abstract-socket scope below
 * ABI 6 likewise: an error naming the opt-outs, or with 'landlock
 * optional' a warning and the rest applied without it.
 * Errors: WARD_STEP_LANDLOCK. */
int ward_confine_apply(const struct ward_plan *plan, bool restrict_fs,
		       bool *applied, struct ward_err *err);

/* Entrypoint mode, ward staying the program's init without being pid 1:
 * can the program get a Landlock layer of its own that scopes signals
 * (ABI 6), so that it cannot kill ward?  *scope true when the kernel has
 * it.  Without it: an error, or with 'landlock optional' a warning on
 * stderr and *scope false.  Parent side, before the fork.
 * Errors: WARD_STEP_LANDLOCK. */
int ward_confine_signal_scope_check(const struct ward_plan *plan, bool *scope,
				    struct ward_err *err);

/* Child, after the fork and before seccomp: restrict the calling thread
 * with a new Landlock layer scoping signals (see ward_landlock_apply;
 * no_new_privs must be set).  Errors: WARD_STEP_LANDLOCK. */
int ward_confine_signal_scope(struct ward_err *err);

#endif
