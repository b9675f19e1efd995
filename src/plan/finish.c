/* Finishing a plan: every directive resolved into one immutable plan
 * (resolve.c), or every error collected; and freeing it. */
#include <errno.h>
#include <stdlib.h>

#include "base/errs.h"
#include "engine/dockersock.h"
#include "plan/builder.h"
#include "plan/plan.h"
#include "seccomp/seccomp.h"

void ward_plan_free(struct ward_plan *plan)
{
	if (!plan)
		return;
	ward_plan_free_secrets(NULL, plan); /* first: it owns env[]'s last entries */
	for (size_t i = 0; i < plan->nbinds; i++) {
		free(plan->binds[i].src);
		free(plan->binds[i].dst);
	}
	for (size_t i = 0; i < plan->ntmpfs; i++)
		free(plan->tmpfs[i].dst);
	for (size_t i = 0; i < plan->nvolumes; i++)
		free(plan->volumes[i]);
	free(plan->image_withheld);
	ward_plan_free_image(plan);
	for (size_t i = 0; i < plan->nenv; i++)
		free(plan->env[i]);
	free(plan->workdir);
	free(plan->rootfs);
	free(plan->hostname);
	free(plan->resolv_conf);
	free(plan->listen_env);
	free(plan->notify_env);
	free(plan->notify_target);
	free(plan->notify_path);
	free(plan->seccomp_path);
	if (plan->engine_sockets)
		ward_dockersock_done(plan->engine_sockets);
	free(plan->engine_sockets);
	ward_seccomp_free(&plan->seccomp_prog);
	free(plan->seccomp_recipe);
	ward_plan_free_confine(NULL, plan);
	free(plan);
}

int ward_plan_finish(struct ward_plan_builder *b, struct ward_plan **out,
		     struct ward_err *err)
{
	struct ward_plan *plan = calloc(1, sizeof(*plan));
	int r;

	if (!plan)
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "calloc");
	r = ward_plan_resolve(b, plan, err);
	/* Fail closed: whatever was collected before (a profile's or the
	 * command line's errors) refuses the plan too. */
	if (r == 0 && b->errs && ward_errs_count(b->errs)) {
		ward_errs_sort(b->errs);
		*err = b->errs->n ? *ward_errs_first(b->errs) : *err;
		r = err->errnum > 0 ? -err->errnum : -EINVAL;
	}
	if (r < 0) {
		ward_plan_free(plan);
		return r;
	}
	*out = plan;
	return 0;
}
