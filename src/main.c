/* ward: start one program with as little power as it needs. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ward/cli.h"
#include "ward/explain.h"
#include "ward/launch.h"
#include "ward/log.h"
#include "ward/plan.h"
#include "ward/plan_builder.h"
#include "ward/profile.h"
#include "ward/seccomp.h"

#define WARD_VERSION "0.1.0"

__attribute__((noreturn)) static void die(const struct ward_err *err)
{
	char line[WARD_ERR_MSG_MAX + 256];
	const char *hint = ward_step_hint(err->step);

	ward_err_format(err, line, sizeof(line));
	fprintf(stderr, "%s\n", line);
	if (hint && *hint)
		fprintf(stderr, "ward: hint: %s\n", hint);
	exit(ward_err_exit_code(err));
}

static int cmd_run(int argc, char **argv)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int r, code = 0;

	if (!b)
		return WARD_EXIT_USAGE;
	r = ward_cli_parse_run(argc, argv, b, &err);
	if (r == 1)
		return 0;
	if (r < 0 || ward_plan_finish(b, &plan, &err) < 0)
		die(&err);
	ward_log_init(plan->verbose);
	ward_log("plan", "validated: uid %u gid %u, seccomp %u instructions",
		 plan->uid, plan->gid, plan->seccomp_prog.len);
	if (ward_launch(plan, &code, &err) < 0)
		die(&err);
	/* The plan lives until exit: freeing a heap the fork made
	 * copy-on-write costs more than the process exit does. */
	return code;
}

/* ward check [OPTIONS]: validate options and profile, run nothing. */
static int cmd_check(int argc, char **argv)
{
	static char *placeholder[] = {"/bin/true", NULL};
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int r;

	if (!b)
		return WARD_EXIT_USAGE;
	r = ward_cli_parse_run(argc, argv, b, &err);
	if (r == 1)
		return 0;
	if (r == 0 && !b->argv)
		ward_plan_set_argv(b, placeholder);
	if (r < 0 || ward_plan_finish(b, &plan, &err) < 0)
		die(&err);
	ward_plan_print(plan, stdout);
	printf("ward: check: the plan is valid; nothing was started\n");
	ward_plan_free(plan);
	ward_plan_builder_free(b);
	return 0;
}

static void usage(FILE *out)
{
	fputs("usage: ward run [OPTIONS] -- CMD [ARG...]   start CMD in a sandbox\n"
	      "       ward check [OPTIONS]                 validate options and profile\n"
	      "       ward profiles                        list the profiles found\n"
	      "       ward seccomp groups                  list the syscall groups\n"
	      "       ward exit-codes                      what ward's exit codes mean\n"
	      "       ward version\n", out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return WARD_EXIT_USAGE;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 2, argv + 2);
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 2, argv + 2);
	if (strcmp(argv[1], "profiles") == 0) {
		ward_profile_list(stdout);
		return 0;
	}
	if (strcmp(argv[1], "seccomp") == 0 && argc == 3 &&
	    strcmp(argv[2], "groups") == 0) {
		ward_seccomp_print_groups(stdout);
		return 0;
	}
	if (strcmp(argv[1], "exit-codes") == 0) {
		ward_explain_exit_codes();
		return 0;
	}
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("ward %s\n", WARD_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "ward: usage: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return WARD_EXIT_USAGE;
}
