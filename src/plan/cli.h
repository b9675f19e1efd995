/* Command line: `ward run` options become plan directives. */
#ifndef WARD_CLI_H
#define WARD_CLI_H

#include <stdbool.h>

#include "base/err.h"
#include "plan/plan.h"

/* Parse `ward run` arguments (@argv after "run") into @b; the command
 * after "--" (or the first non-option) is set as the plan's argv.
 * Returns 0, 1 when --help was printed, or -errno with @err set
 * (WARD_STEP_USAGE). */
int ward_cli_parse_run(int argc, char **argv, struct ward_plan_builder *b,
		       struct ward_err *err);

void ward_cli_usage(FILE *out);

/* How many words of @argv (@argc of them) the `ward run` option at
 * argv[0] takes, as ward_cli_parse_run reads it: 1 (a flag, -v,
 * --NAME=VALUE), 2 (--NAME VALUE), or 0 when argv[0] is no option of
 * ward run ("--", the program, an unknown option, a missing value).
 * For reading another ward's arguments (ward check --image). */
int ward_cli_option_words(int argc, char **argv);

/* Take a command's own option out of @argv (before any "--"): the flag
 * --NAME when @value is NULL, else --NAME VALUE or --NAME=VALUE (given
 * twice, or without a value, is a usage error).  Sets *seen; returns the
 * new argc and leaves argv NULL-terminated. */
int ward_cli_take_option(int argc, char **argv, const char *name,
			 const char **value, bool *seen, struct ward_err *err);

#endif
