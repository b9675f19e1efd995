/* Where a directive's error points: "file:line:col: error: " for a
 * profile line, the option itself for the command line. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>

#include "plan/directives.h"

/* Errors carry "file:line:col: " for profile lines, "--key: " otherwise. */
int ward_plan_usage_err(struct ward_err *err, const struct ward_origin *o,
			const char *fmt, ...)
{
	char msg[WARD_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o && o->file)
		return ward_err_set(err, WARD_STEP_PROFILE, 0,
				    "%s:%u:%u: error: %s", o->file, o->line,
				    o->col, msg);
	return ward_err_set(err, WARD_STEP_USAGE, 0, "%s", msg);
}
