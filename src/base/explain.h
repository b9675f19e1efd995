/* The step table: name, exit code and one-line hint for every launch step. */
#ifndef WARD_EXPLAIN_H
#define WARD_EXPLAIN_H

#include "base/err.h"

/* Exit codes of ward's own failures.  The program's status passes through
 * unchanged; 128+N means it died of signal N.  ward's setup failures use
 * 125 (bad input, nothing started), 126/127 (the program could not be
 * executed / was not found, as in POSIX shells) and 200+ (one code per
 * setup step, above the 128+N signal range, as systemd does). */
#define WARD_EXIT_USAGE 125
/* ward check --fail-on / --max-exposure: the report reached the gate.
 * ward check runs no program, so no program status can be mistaken for
 * it; it is below the 125-127 and 2xx ranges. */
#define WARD_EXIT_CHECK_FAILED 3
#define WARD_EXIT_EXEC 126
#define WARD_EXIT_NOTFOUND 127
#define WARD_EXIT_STEP_BASE 200

const char *ward_step_name(enum ward_step step);
int ward_step_exit_code(enum ward_step step);
const char *ward_step_hint(enum ward_step step);

/* Exit code for @err: 127 for a missing program, 126 for other exec errors,
 * the step's code otherwise. */
int ward_err_exit_code(const struct ward_err *err);

/* Print the table of exit codes (ward exit-codes). */
void ward_explain_exit_codes(void);

#endif
