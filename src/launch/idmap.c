/* User-namespace id maps (pure). */
#include <errno.h>
#include <stdio.h>

#include "launch/idmap.h"

static int put_line(char *buf, size_t len, size_t *o, unsigned inside,
		    unsigned outside)
{
	int n = snprintf(buf + *o, len - *o, "%u %u 1\n", inside, outside);

	if (n < 0 || (size_t)n >= len - *o)
		return -ENOSPC;
	*o += (size_t)n;
	return 0;
}

int ward_idmap_format_uid(const struct ward_plan *plan, char *buf, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return -ENOSPC;
	return put_line(buf, len, &o, plan->uid, plan->host_uid);
}

static int seen_before(const struct ward_plan *plan, size_t i)
{
	if (plan->group_list[i] == plan->gid)
		return 1;
	for (size_t j = 0; j < i; j++)
		if (plan->group_list[j] == plan->group_list[i])
			return 1;
	return 0;
}

int ward_idmap_format_gid(const struct ward_plan *plan, char *buf, size_t len)
{
	size_t o = 0;
	int r;

	if (len == 0)
		return -ENOSPC;
	r = put_line(buf, len, &o, plan->gid, plan->host_gid);
	if (r < 0 || plan->rootless)
		return r;
	for (size_t i = 0; i < plan->ngroups; i++) {
		if (seen_before(plan, i))
			continue;
		r = put_line(buf, len, &o, plan->group_list[i],
			     plan->group_list[i]);
		if (r < 0)
			return r;
	}
	return 0;
}
