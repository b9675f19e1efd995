/* ward's commands (commands.c): argv after the command name in, exit
 * code out. */
#ifndef WARD_COMMANDS_H
#define WARD_COMMANDS_H

#include <stddef.h>

#include "base/err.h"
#include "plan/plan.h"

/* One row of main.c's command table: its name (one or two words), the
 * function that takes the argv after it, the arguments and the help
 * line of its usage ("\n" continues the help; fn NULL: a usage line
 * only; help NULL: no help text). */
struct ward_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *help;
};

/* Run the row of @table (@n rows) that argv[1] (and argv[2]) name, or
 * print the usage: `ward help` and `ward --help` to stdout, an unknown
 * command to stderr (exit 125).  Returns the exit code (dispatch.c). */
int ward_cmd_dispatch(const struct ward_command *table, size_t n, int argc,
		      char **argv);

/* The small commands (dispatch.c). */
int ward_cmd_profiles(int argc, char **argv);
int ward_cmd_seccomp_groups(int argc, char **argv);
int ward_cmd_exit_codes(int argc, char **argv);
int ward_cmd_version(int argc, char **argv);

/* The plan of a command's `run` options, or the command's end: exit 0
 * after --help, every error and the step's code on a refusal.  With
 * @overlay, also the profile's seccomp-* lines as policy text. */
struct ward_plan *ward_cmd_plan(int argc, char **argv, enum ward_plan_use use,
				char **overlay);

/* ward run [OPTIONS] -- CMD [ARG...] */
int ward_cmd_run(int argc, char **argv);

/* ward check [--json] [OPTIONS]: the exposure report, nothing started. */
int ward_cmd_check(int argc, char **argv);

/* Print "ward: <step>: <what>: <reason>" and the step's hint, then exit
 * with the step's code. */
__attribute__((noreturn)) void ward_cmd_die(const struct ward_err *err);

/* Print every error of @errs in order of origin (base/errs.h), each
 * with its hint, then a count when there is more than one; exit with
 * the first one's code. */
struct ward_errs;
__attribute__((noreturn)) void ward_cmd_die_all(struct ward_errs *errs);

/* ward explain [OPTIONS]: the launch plan in order. */
int ward_cmd_explain(int argc, char **argv);

/* ward seccomp export [OPTIONS]: the plan's filter as raw BPF. */
int ward_cmd_seccomp_export(int argc, char **argv);

/* ward seccomp show [OPTIONS]: the filter's rules, readable
 * (seccomp_cmd.c). */
int ward_cmd_seccomp_show(int argc, char **argv);

/* ward seccomp learn [--output FILE] [OPTIONS] -- CMD: the syscalls CMD
 * makes, as a profile fragment to review (seccomp_cmd.c). */
int ward_cmd_seccomp_learn(int argc, char **argv);

/* ward image ls [--json] | rm DIGEST|NAME... | prune: the image cache
 * (image.c). */
int ward_cmd_image_ls(int argc, char **argv);
int ward_cmd_image_rm(int argc, char **argv);
int ward_cmd_image_prune(int argc, char **argv);

/* ward reserve-id: the default user's host id (reserve_id.c). */
int ward_cmd_reserve_id(int argc, char **argv);

#endif
