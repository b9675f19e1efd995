/* `ward seccomp show` and `ward seccomp learn`: the plan's filter, read
 * back as rules; and a measuring run that writes a profile fragment.
 * Both take the options of `ward run`; failures exit with the step's
 * code, as the other commands do. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cli.h"
#include "base/errs.h"
#include "cmd/commands.h"
#include "base/explain.h"
#include "launch/launch.h"
#include "launch/prepare.h"
#include "base/log.h"
#include "plan/plan.h"
#include "seccomp/seccomp.h"
#include "seccomp/learn.h"

/* ward seccomp show [OPTIONS]: the effective rules, one per line. */
int ward_cmd_seccomp_show(int argc, char **argv)
{
	char *overlay = NULL;
	struct ward_plan *plan = ward_cmd_plan(argc, argv, WARD_PLAN_DRY, &overlay);
	struct ward_seccomp_source src = {
		.mode = plan->seccomp_mode, .path = plan->seccomp_path,
		.log_only = plan->seccomp_log_only, .caps = plan->caps_keep,
	};
	struct ward_err err = {0};

	src.overlay = overlay;
	if (ward_seccomp_show(&src, stdout, &err) < 0)
		ward_cmd_die(&err);
	free(overlay);
	ward_plan_free(plan);
	return 0;
}

/* --output FILE (or --output=FILE) before "--": learn's own option,
 * taken out of @argv.  Returns the new argc. */
static int take_output(int argc, char **argv, const char **output)
{
	struct ward_err err = {0};
	bool seen = false;

	argc = ward_cli_take_option(argc, argv, "output", output, &seen, &err);
	if (argc < 0)
		ward_cmd_die(&err);
	return argc; /* argv stays NULL-terminated: the command is taken from it */
}

/* The command line, for the fragment's header. */
static void command_text(char **argv, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; argv[i] && o + 4 < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? " " : "",
				      argv[i]);
	if (o >= len - 4)
		memcpy(buf + len - 4, "...", 4);
}

/* Learning replaces the filter, never the rest of the sandbox; it needs
 * a launcher beside the program, which entrypoint mode has not. */
static void prepare_learn(struct ward_plan *plan,
			  struct ward_seccomp_learned *learned)
{
	struct ward_err err = {0};

	if (plan->mode == WARD_MODE_ENTRYPOINT) {
		ward_err_set(&err, WARD_STEP_USAGE, 0, "ward seccomp learn needs "
			     "namespaces (--mode entrypoint has no launcher to "
			     "answer the notifications)");
		ward_cmd_die(&err);
	}
	plan->fallback_entrypoint = false;
	ward_seccomp_free(&plan->seccomp_prog);
	if (ward_seccomp_learn_filter(&plan->seccomp_prog, &err) < 0)
		ward_cmd_die(&err);
	plan->seccomp_learn = learned;
}

/* ward seccomp learn [--output FILE] [OPTIONS] -- CMD: run CMD with
 * every syscall reported (none refused) and print the fragment.  The
 * exit status is the program's. */
int ward_cmd_seccomp_learn(int argc, char **argv)
{
	struct ward_seccomp_learned *learned = calloc(1, sizeof(*learned));
	struct ward_plan *plan;
	const char *output = NULL;
	struct ward_err err = {0};
	char cmd[256];
	FILE *out = stdout;
	int code = 0;

	if (!learned)
		return WARD_EXIT_USAGE;
	argc = take_output(argc, argv, &output);
	plan = ward_cmd_plan(argc, argv, WARD_PLAN_LEARN, NULL);
	/* The effects first, as for ward run: a refused secret is reported
	 * before anything about the learning run. */
	if (ward_launch_prepare(plan, &err) < 0)
		ward_cmd_die(&err);
	/* Opened first: an unwritable FILE must not cost a run. */
	if (output && !(out = fopen(output, "we"))) {
		ward_err_set(&err, WARD_STEP_USAGE, errno, "--output %s", output);
		ward_cmd_die(&err);
	}
	prepare_learn(plan, learned);
	ward_log_init(plan->verbose);
	fprintf(stderr, "ward: seccomp learn: every syscall of %s is reported "
		"to ward and allowed; nothing is filtered in this run\n",
		plan->argv[0]);
	if (ward_launch(plan, &code, &err) < 0)
		ward_cmd_die(&err);
	command_text(plan->argv, cmd, sizeof(cmd));
	fflush(stdout); /* the program's own output comes first */
	ward_seccomp_learned_print(learned, cmd, out);
	if (out != stdout && fclose(out) != 0)
		code = code ? code : WARD_EXIT_USAGE;
	ward_plan_free(plan);
	free(learned);
	return code;
}
