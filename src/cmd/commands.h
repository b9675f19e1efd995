/* ward's commands (commands.c): argv after the command name in, exit
 * code out. */
#ifndef WARD_COMMANDS_H
#define WARD_COMMANDS_H

#include "base/err.h"

/* ward run [OPTIONS] -- CMD [ARG...] */
int ward_cmd_run(int argc, char **argv);

/* ward check [--json] [OPTIONS]: the exposure report, nothing started. */
int ward_cmd_check(int argc, char **argv);

/* Print "ward: <step>: <what>: <reason>" and the step's hint, then exit
 * with the step's code. */
__attribute__((noreturn)) void ward_cmd_die(const struct ward_err *err);

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

#endif
