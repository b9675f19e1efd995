/* The plan builder: raw directive values before resolution.  Shared by
 * plan.c (apply) and plan_resolve.c (finish); nothing else uses it. */
#ifndef WARD_PLAN_BUILDER_H
#define WARD_PLAN_BUILDER_H

#include "ward/plan.h"

struct ward_plan_builder {
	char *rootfs;
	char *user;
	char *groups;
	char *hostname;
	char *seccomp;
	char *workdir;
	char *cap_keep;
	enum ward_net net;
	bool net_set;
	bool init;
	bool init_set;
	int verbose;
	char *binds[WARD_MAX_BINDS];
	size_t nbinds;
	char *tmpfs[WARD_MAX_TMPFS];
	size_t ntmpfs;
	char *rlimits[WARD_MAX_RLIMITS];
	size_t nrlimits;
	char *env[WARD_MAX_ENV];
	size_t nenv;
	char **argv;
};

/* Resolve every value of @b into @plan (plan_resolve.c). */
int ward_plan_resolve(struct ward_plan_builder *b, struct ward_plan *plan,
		      struct ward_err *err);

#endif
