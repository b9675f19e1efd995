/* Command line: `ward run` options become plan directives. */
#ifndef WARD_CLI_H
#define WARD_CLI_H

#include "ward/err.h"
#include "ward/plan.h"

/* Parse `ward run` arguments (@argv after "run") into @b; the command
 * after "--" (or the first non-option) is set as the plan's argv.
 * Returns 0, 1 when --help was printed, or -errno with @err set
 * (WARD_STEP_USAGE). */
int ward_cli_parse_run(int argc, char **argv, struct ward_plan_builder *b,
		       struct ward_err *err);

void ward_cli_usage(FILE *out);

#endif
