/* User namespace: the parent writes the child's maps. */
#ifndef WARD_USERNS_H
#define WARD_USERNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"
#include "kernel/caps.h"
#include "plan/plan.h"

/* Parent: write setgroups ("deny" when rootless, required before an
 * unprivileged gid_map, user_namespaces(7)), then gid_map, then uid_map
 * of @pid, one write() each.  Errors: WARD_STEP_USERNS naming the file. */
int ward_userns_parent_setup(pid_t pid, const struct ward_plan *plan,
			     struct ward_err *err);

/* Pure: 1, a sentence naming the cause in @buf and the advice in @hint,
 * when a root launch with @caps (and no_new_privs @nnp) cannot write its
 * maps (cap_setuid or cap_setgid missing from the effective set, as
 * under a systemd unit's CapabilityBoundingSet=), else 0. */
int ward_userns_root_caps_problem(const struct ward_capsets *caps, bool nnp,
				  char *buf, size_t len, char *hint, size_t hlen);

/* Parent, before clone: a root launch (not rootless) whose own
 * capabilities cannot write the maps is refused with the cause named
 * (WARD_STEP_USERNS, EPERM), instead of failing at the gid_map write. */
int ward_userns_check_root_caps(const struct ward_plan *plan,
				struct ward_err *err);

#endif
