/* Narration for -v: one line per step, with the time since start. */
#ifndef WARD_LOG_H
#define WARD_LOG_H

/* Set the verbosity and the reference time (call once, in main). */
void ward_log_init(int verbose);

/* Print "ward: [  1.234 ms] <step>: <message>" to stderr when verbose. */
void ward_log(const char *step, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
