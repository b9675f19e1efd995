/* User namespace: the parent writes the child's maps. */
#ifndef WARD_USERNS_H
#define WARD_USERNS_H

#include <sys/types.h>

#include "base/err.h"
#include "plan/plan.h"

/* Parent: write setgroups ("deny" when rootless, required before an
 * unprivileged gid_map, user_namespaces(7)), then gid_map, then uid_map
 * of @pid, one write() each.  Errors: WARD_STEP_USERNS naming the file. */
int ward_userns_parent_setup(pid_t pid, const struct ward_plan *plan,
			     struct ward_err *err);

#endif
