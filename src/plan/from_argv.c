/* One way from a command's argv to a finished plan, for every command
 * (run, check, explain, seccomp export/show/learn). */
#include <errno.h>
#include <stdlib.h>

#include "base/errs.h"
#include "plan/builder.h"
#include "plan/cli.h"
#include "plan/plan.h"
#include "seccomp/seccomp.h"

/* Stands in for the command of a plan that never runs. */
static char *placeholder[] = {"/bin/true", NULL};

static int overlay_of(const struct ward_plan_builder *b, char **overlay,
		      struct ward_err *err)
{
	*overlay = NULL;
	if (!b->nseccomp_lines)
		return 0;
	*overlay = ward_seccomp_overlay_text(b->seccomp_lines, b->nseccomp_lines);
	return *overlay ? 0 : ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "seccomp-*");
}

int ward_plan_from_argv(int argc, char **argv, enum ward_plan_use use,
			struct ward_plan **out, char **seccomp_overlay,
			struct ward_errs *errs)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_err err = {0};
	int r;

	*out = NULL;
	ward_errs_init(errs);
	if (!b) {
		ward_errs_add(errs, &err);
		return ward_err_set(&errs->item[0].err, WARD_STEP_PLAN, ENOMEM, "calloc");
	}
	/* Every error of the profile, the command line and resolution is
	 * collected; one that leaves the rest unreadable (an unknown
	 * option, a profile not found) stops here. */
	ward_plan_builder_collect(b, errs);
	r = ward_cli_parse_run(argc, argv, b, &err);
	b->dry = use == WARD_PLAN_DRY;
	/* An image gives its own command (plan/image.c). */
	if (r == 0 && !b->argv && use == WARD_PLAN_DRY && !b->image)
		ward_plan_set_argv(b, placeholder);
	if (r == 0 && !b->argv && use == WARD_PLAN_LEARN)
		r = ward_err_set(&err, WARD_STEP_USAGE, 0,
				 "no command: ward seccomp learn [OPTIONS] -- CMD [ARG...]");
	if (r == 0 && seccomp_overlay)
		r = overlay_of(b, seccomp_overlay, &err);
	if (r < 0)
		ward_errs_add(errs, &err);
	else if (r == 0)
		r = ward_plan_finish(b, out, &err);
	if (r < 0) {
		ward_errs_sort(errs);
		r = ward_errs_first(errs)->errnum > 0 ? -ward_errs_first(errs)->errnum : -EINVAL;
	}
	if (r < 0 && seccomp_overlay) {
		free(*seccomp_overlay);
		*seccomp_overlay = NULL;
	}
	ward_plan_builder_free(b);
	return r;
}
