/* ward: start one program with as little power as it needs. */
#define _GNU_SOURCE
#include <stdbool.h>
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
#include "ward/report.h"
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

/* Build the plan from `run` options without a command (check, explain).
 * "--json" is taken out of @argv first. */
static struct ward_plan *plan_without_command(int argc, char **argv, bool *json,
					      struct ward_plan_builder **bp)
{
	static char *placeholder[] = {"/bin/true", NULL};
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int n = 0, r;

	if (!b)
		exit(WARD_EXIT_USAGE);
	for (int i = 0; i < argc; i++) {
		if (json && strcmp(argv[i], "--json") == 0)
			*json = true;
		else
			argv[n++] = argv[i];
	}
	r = ward_cli_parse_run(n, argv, b, &err);
	if (r == 1)
		exit(0);
	if (r == 0 && !b->argv)
		ward_plan_set_argv(b, placeholder);
	if (r < 0 || ward_plan_finish(b, &plan, &err) < 0)
		die(&err);
	*bp = b;
	return plan;
}

/* ward check [--json] [OPTIONS]: what could the program do if
 * compromised?  With --rootfs DIR the image tree is audited too. */
static int cmd_check(int argc, char **argv)
{
	struct ward_plan_builder *b = NULL;
	struct ward_err err = {0};
	bool json = false;
	struct ward_plan *plan = plan_without_command(argc, argv, &json, &b);
	struct ward_report *report = calloc(1, sizeof(*report));
	int code = 0;

	if (!report)
		return WARD_EXIT_USAGE;
	ward_check_plan(plan, report);
	if (plan->rootfs && ward_audit_rootfs(plan->rootfs, report, &err) < 0)
		die(&err);
	ward_report_finish(report);
	if (json) {
		if (ward_report_print_json(report, plan, stdout) < 0)
			code = WARD_EXIT_USAGE;
	} else {
		ward_plan_print(plan, stdout);
		putchar('\n');
		ward_report_print(report, stdout);
		printf("ward: check: the plan is valid; nothing was started\n");
	}
	free(report);
	ward_plan_free(plan);
	ward_plan_builder_free(b);
	return code;
}

/* ward explain [OPTIONS]: the launch plan in order, in plain language. */
static int cmd_explain(int argc, char **argv)
{
	struct ward_plan_builder *b = NULL;
	struct ward_plan *plan = plan_without_command(argc, argv, NULL, &b);

	ward_explain_plan(plan, stdout);
	ward_plan_free(plan);
	ward_plan_builder_free(b);
	return 0;
}

static void usage(FILE *out)
{
	fputs("usage: ward run [OPTIONS] -- CMD [ARG...]   start CMD in a sandbox\n"
	      "       ward check [--json] [OPTIONS]        what could it do if compromised?\n"
	      "       ward explain [OPTIONS]               the launch plan, step by step\n"
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
	if (strcmp(argv[1], "explain") == 0)
		return cmd_explain(argc - 2, argv + 2);
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
