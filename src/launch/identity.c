/* Groups, gid, uid; verified after the change. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/fsuid.h>

#include "launch/identity.h"
#include "base/sys.h"

#define MAX_GROUPS_SEEN 256

static int set_groups(const struct ward_plan *plan, struct ward_err *err)
{
	switch (plan->groups) {
	case WARD_GROUPS_KEEP:
		return 0;
	case WARD_GROUPS_CLEAR:
		/* Rootless: setgroups is denied; the plan checked there is
		 * nothing beyond the primary group to drop. */
		if (plan->rootless)
			return 0;
		if (sys_setgroups(0, NULL) < 0)
			return ward_err_set(err, WARD_STEP_GROUPS, errno,
					    "setgroups(0)");
		return 0;
	case WARD_GROUPS_LIST:
		if (sys_setgroups(plan->ngroups, plan->group_list) < 0)
			return ward_err_set(err, WARD_STEP_GROUPS, errno,
					    "setgroups(%zu groups)", plan->ngroups);
		return 0;
	}
	return ward_err_set(err, WARD_STEP_GROUPS, EINVAL, "unknown group policy");
}

static int verify_groups(const struct ward_plan *plan, struct ward_err *err)
{
	gid_t got[MAX_GROUPS_SEEN];
	int n = getgroups(MAX_GROUPS_SEEN, got);

	if (n < 0)
		return ward_err_set(err, WARD_STEP_VERIFY, errno, "getgroups");
	if (plan->groups == WARD_GROUPS_KEEP)
		return 0;
	if (plan->groups == WARD_GROUPS_LIST) {
		if ((size_t)n != plan->ngroups ||
		    memcmp(got, plan->group_list, (size_t)n * sizeof(gid_t)))
			return ward_err_set(err, WARD_STEP_VERIFY, 0,
					    "supplementary groups differ from --groups");
		return 0;
	}
	for (int i = 0; i < n; i++)
		if (got[i] != plan->gid)
			return ward_err_set(err, WARD_STEP_VERIFY, 0,
					    "supplementary group %u still attached",
					    got[i]);
	return 0;
}

int ward_identity_apply(const struct ward_plan *plan, struct ward_err *err)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int r;

	if ((r = set_groups(plan, err)) < 0)
		return r;
	if (sys_setresgid(plan->gid, plan->gid, plan->gid) < 0)
		return ward_err_set(err, WARD_STEP_IDS, errno, "setresgid(%u)",
				    plan->gid);
	if (sys_setresuid(plan->uid, plan->uid, plan->uid) < 0)
		return ward_err_set(err, WARD_STEP_IDS, errno, "setresuid(%u)",
				    plan->uid);
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return ward_err_set(err, WARD_STEP_VERIFY, errno, "getresuid");
	if (ru != plan->uid || eu != plan->uid || su != plan->uid ||
	    rg != plan->gid || eg != plan->gid || sg != plan->gid ||
	    setfsuid((uid_t)-1) != (int)plan->uid ||
	    setfsgid((gid_t)-1) != (int)plan->gid)
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "ids after the change are not %u:%u",
				    plan->uid, plan->gid);
	return verify_groups(plan, err);
}
