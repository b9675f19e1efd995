/* User-namespace id maps: pure formatting of the map files' contents. */
#ifndef WARD_IDMAP_H
#define WARD_IDMAP_H

#include <stddef.h>

#include "plan/plan.h"

/* uid_map: rootless maps the target uid onto the caller's own uid (the
 * only map an unprivileged user may write); as root the target uid maps
 * onto the same host uid, so file ownership means the same inside and
 * out.  Host root is never mapped.  Returns 0 or -ENOSPC. */
int ward_idmap_format_uid(const struct ward_plan *plan, char *buf, size_t len);

/* gid_map: the target gid as above, plus (root only) every gid of an
 * explicit --groups list.  Duplicate lines are merged. */
int ward_idmap_format_gid(const struct ward_plan *plan, char *buf, size_t len);

#endif
