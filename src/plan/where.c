/* Where each value of the builder came from, and the errors that
 * resolution collects instead of stopping at the first. */
#include <stddef.h>

#include "base/errs.h"
#include "plan/builder.h"
#include "plan/directives.h"

static char **origins_of(const struct ward_plan_builder *b,
			 const struct ward_directive *d)
{
	return (char **)((char *)b + d->where);
}

const char *ward_plan_where(const struct ward_plan_builder *b,
			    const char *key, size_t idx)
{
	const struct ward_directive *d = ward_directive_find(key);
	const char *w = NULL;

	if (d && d->kind == WARD_DIR_SCALAR)
		w = b->where_scalar[ward_directive_index(d)];
	else if (d && d->where_kept && idx < d->max)
		w = origins_of(b, d)[idx];
	return w ? w : "";
}

int ward_plan_note(const struct ward_plan_builder *b, int r,
		   const struct ward_err *err)
{
	if (r < 0 && b->errs)
		ward_errs_add(b->errs, err);
	return r;
}
