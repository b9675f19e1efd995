/* The commands behind main(): each parses its own arguments, builds a
 * plan and reports failures as "ward: <step>: ..." with the step's exit
 * code.  This is the only place besides the child's last step that exits
 * the process on an error. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "plan/cli.h"
#include "cmd/commands.h"
#include "base/errs.h"
#include "base/explain.h"
#include "image/image.h"
#include "report/image_report.h"
#include "launch/launch.h"
#include "launch/prepare.h"
#include "base/log.h"
#include "plan/plan.h"
#include "seccomp/cache.h"
#include "report/report.h"

static void print_err(const struct ward_err *err)
{
	char line[WARD_ERR_MSG_MAX + 256];
	const char *hint = *err->hint ? err->hint : ward_step_hint(err->step);

	ward_err_format(err, line, sizeof(line));
	fprintf(stderr, "%s\n", line);
	if (hint && *hint)
		fprintf(stderr, "ward: hint: %s\n", hint);
}

void ward_cmd_die(const struct ward_err *err)
{
	print_err(err);
	exit(ward_err_exit_code(err));
}

void ward_cmd_die_all(struct ward_errs *errs)
{
	const struct ward_err *first;
	size_t total = ward_errs_count(errs);
	bool source = false;

	ward_errs_sort(errs);
	for (size_t i = 0; i < errs->n; i++) {
		const struct ward_errs_item *it = &errs->item[i];

		if (!it->source) {
			print_err(&it->err);
			continue;
		}
		/* a profile line, as a compiler shows it */
		source = true;
		fprintf(stderr, "%s\n%s", it->err.msg, it->detail);
		if (*it->err.hint)
			fprintf(stderr, "  hint: %s\n", it->err.hint);
	}
	if (!(first = ward_errs_first(errs)))
		exit(WARD_EXIT_USAGE);
	if (errs->dropped)
		fprintf(stderr, "ward: %zu more error%s not shown\n", errs->dropped,
			errs->dropped == 1 ? "" : "s");
	if (total > 1 || source)
		fprintf(stderr, "ward: %s: %zu error%s; nothing was started\n",
			ward_step_name(first->step), total, total == 1 ? "" : "s");
	exit(ward_err_exit_code(first));
}

static const char *cache_note(int use)
{
	switch ((enum ward_seccomp_cache_use)use) {
	case WARD_SECCOMP_CACHE_HIT:
		return " (from the filter cache)";
	case WARD_SECCOMP_CACHE_STORED:
		return " (built, stored in the filter cache)";
	case WARD_SECCOMP_CACHE_UNUSABLE:
		return " (built; the filter cache is off or not usable)";
	case WARD_SECCOMP_CACHE_NONE:
	case WARD_SECCOMP_CACHE_MISS: /* stored, or found unusable, before this */
		break;
	}
	return "";
}

/* The plan, or the command's end: exit 0 after --help, die with every
 * error on a refusal.  With @overlay, the profile's seccomp-* lines as
 * policy text too. */
struct ward_plan *ward_cmd_plan(int argc, char **argv, enum ward_plan_use use,
				char **overlay)
{
	struct ward_plan *plan = NULL;
	struct ward_errs *errs = malloc(sizeof(*errs));
	int r;

	if (!errs) {
		fprintf(stderr, "ward: plan: %s\n", strerror(ENOMEM));
		exit(WARD_EXIT_USAGE);
	}
	r = ward_plan_from_argv(argc, argv, use, &plan, overlay, errs);
	if (r == 1)
		exit(0);
	if (r < 0)
		ward_cmd_die_all(errs);
	free(errs);
	return plan;
}

int ward_cmd_run(int argc, char **argv)
{
	struct ward_plan *plan = ward_cmd_plan(argc, argv, WARD_PLAN_RUN, NULL);
	struct ward_err err = {0};
	int code = 0;

	/* The effects, before anything uses the filter or the secrets. */
	if (ward_launch_prepare(plan, &err) < 0)
		ward_cmd_die(&err);
	ward_log_init(plan->verbose);
	ward_log("plan", "validated: uid %u gid %u, seccomp %u instructions%s",
		 plan->uid, plan->gid, plan->seccomp_prog.len,
		 cache_note(plan->seccomp_cache));
	if (ward_launch(plan, &code, &err) < 0)
		ward_cmd_die(&err);
	/* The program has ended; nothing in the plan is secret any more (the
	 * launcher wiped its copy at clone).  Freeing it here would only
	 * fault its pages back in: the kernel frees them with the process. */
	exit(code);
}

/* The plan of `run` options without a command (check, explain, export).
 * "--json" is taken out of @argv first. */
static struct ward_plan *plan_without_command(int argc, char **argv, bool *json)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (json && strcmp(argv[i], "--json") == 0)
			*json = true;
		else
			argv[n++] = argv[i];
	}
	return ward_cmd_plan(n, argv, WARD_PLAN_DRY, NULL);
}

/* ward check's own image options, taken out of @argv before the plan
 * options are parsed: --image FILE (or --image=FILE), --suggest, --tag
 * REPO:TAG and --image-limit NAME=VALUE,...  Returns the new argc. */
struct image_options {
	const char *image;
	bool suggest;
	const char *tag;
	const char *limits;
};

static int take_image_options(int argc, char **argv, struct image_options *io)
{
	struct ward_err err = {0};
	bool has_image = false, has_tag = false, has_limits = false;
	struct ward_image_limits lim;

	if ((argc = ward_cli_take_option(argc, argv, "image", &io->image, &has_image,
					 &err)) < 0 ||
	    (argc = ward_cli_take_option(argc, argv, "suggest", NULL, &io->suggest,
					 &err)) < 0 ||
	    (argc = ward_cli_take_option(argc, argv, "tag", &io->tag, &has_tag,
					 &err)) < 0 ||
	    (argc = ward_cli_take_option(argc, argv, "image-limit", &io->limits,
					 &has_limits, &err)) < 0)
		ward_cmd_die(&err);
	if (io->suggest && !io->image) {
		ward_err_set(&err, WARD_STEP_USAGE, 0, "--suggest needs --image FILE");
		ward_cmd_die(&err);
	}
	if ((io->tag || io->limits) && !io->image) {
		ward_err_set(&err, WARD_STEP_USAGE, 0, "--%s needs --image FILE",
			     io->tag ? "tag" : "image-limit");
		ward_cmd_die(&err);
	}
	ward_image_limits_default(&lim);
	if (io->limits && ward_image_limits_parse(io->limits, &lim, &err) < 0)
		ward_cmd_die(&err);
	return argc;
}

/* --fail-on SEVERITY and --max-exposure N, taken out of @argv like the
 * image options.  Returns the new argc. */
static int take_gate_options(int argc, char **argv, struct ward_gate *gate)
{
	struct ward_err err = {0};
	const char *sev = NULL, *max = NULL;

	if ((argc = ward_cli_take_option(argc, argv, "fail-on", &sev,
					 &gate->fail_on_set, &err)) < 0 ||
	    (argc = ward_cli_take_option(argc, argv, "max-exposure", &max,
					 &gate->max_exposure_set, &err)) < 0)
		ward_cmd_die(&err);
	if (sev && ward_severity_parse(sev, &gate->fail_on) < 0) {
		ward_err_set(&err, WARD_STEP_USAGE, 0,
			     "--fail-on %s: not a severity (low, medium, high, critical)", sev);
		ward_cmd_die(&err);
	}
	if (max && ward_gate_parse_exposure(max, &gate->max_exposure) < 0) {
		ward_err_set(&err, WARD_STEP_USAGE, 0,
			     "--max-exposure %s: not a number from 0 to 10", max);
		ward_cmd_die(&err);
	}
	return argc;
}

/* The exit code of a finished report: WARD_EXIT_CHECK_FAILED, with the
 * reason on stderr, when it fails the gate; else 0. */
static int gate_code(const struct ward_report *r, const struct ward_gate *gate)
{
	size_t n;

	if (!ward_gate_fails(r, gate, &n))
		return 0;
	ward_gate_explain(r, gate, stderr);
	return WARD_EXIT_CHECK_FAILED;
}

#ifdef WARD_STATIC
/* The static build (make static, for COPYing into images) leaves the
 * image audit and libarchive out. */
static int check_image(int argc, char **argv, const struct image_options *io,
		       const struct ward_gate *gate)
{
	struct ward_err err = {0};

	ward_err_set(&err, WARD_STEP_USAGE, 0,
		     "--image %s: this static build has no image audit; use the regular ward",
		     io->image);
	ward_cmd_die(&err);
}
#else
/* ward check --image FILE [--json|--suggest] [OPTIONS]: the image audit,
 * with the plan's rows too when plan options are given. */
static int check_image(int argc, char **argv, const struct image_options *io,
		       const struct ward_gate *gate)
{
	const char *path = io->image;
	bool suggest = io->suggest;
	struct ward_image_limits lim;
	struct ward_plan *plan = NULL;
	struct ward_image *img = NULL;
	struct ward_report *report = NULL;
	struct ward_err err = {0};
	bool json = false;
	int plan_args = 0, code = 0;
	char desc[WARD_REPORT_TEXT];

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else
			plan_args++;
	}
	if (suggest && (json || gate->fail_on_set || gate->max_exposure_set)) {
		ward_err_set(&err, WARD_STEP_USAGE, 0,
			     "--suggest prints a profile: it does not combine with %s",
			     json ? "--json" : gate->fail_on_set ? "--fail-on" : "--max-exposure");
		ward_cmd_die(&err);
	}
	if (plan_args)
		plan = plan_without_command(argc, argv, &json);
	/* a profile's image-limit lines, then the command line's */
	if (plan)
		lim = plan->image_limits;
	else
		ward_image_limits_default(&lim);
	if (io->limits && ward_image_limits_parse(io->limits, &lim, &err) < 0)
		ward_cmd_die(&err);
	if (ward_image_read(path, &(struct ward_image_opts){.tag = io->tag, .lim = &lim},
			    &img, &err) < 0)
		ward_cmd_die(&err);
	if (img->meta.notice)
		fprintf(stderr, "ward: notice: %s\n", img->meta.notice);
	if (suggest) {
		ward_image_suggest(img, path, stdout);
		goto out;
	}
	report = calloc(1, sizeof(*report));
	if (!report) {
		code = WARD_EXIT_USAGE;
		goto out;
	}
	if (plan)
		ward_check_plan(plan, report);
	if (plan && plan->rootfs && ward_audit_rootfs(plan->rootfs, report, &err) < 0)
		ward_cmd_die(&err);
	ward_image_report(img, report);
	ward_report_finish(report);
	if (json) {
		if (ward_image_print_json(img, report, plan, stdout) < 0)
			code = WARD_EXIT_USAGE;
	} else {
		if (plan) {
			ward_plan_print(plan, stdout);
			putchar('\n');
		}
		ward_image_describe(img, desc, sizeof(desc));
		printf("image: %s\n\n", desc);
		ward_report_print(report, stdout);
		printf("ward: check: the image was read; nothing was extracted or run\n");
	}
	if (!code) {
		fflush(stdout);
		code = gate_code(report, gate);
	}
out:
	free(report);
	ward_image_free(img);
	if (plan)
		ward_plan_free(plan);
	return code;
}
#endif

/* ward check's own options, one row each: `ward check --help` lists
 * them before the plan options it shares with ward run. */
static const struct {
	const char *option;
	const char *help;
} check_options[] = {
	{"--json", "the report as JSON (schema in ward(1))"},
	{"--image FILE", "audit an image archive (docker save, OCI layout)\n"
			 "before trusting it; nothing is extracted or run"},
	{"--suggest", "with --image: a ward profile the image would need"},
	{"--tag REPO:TAG", "with --image: the image of an archive holding\n"
			   "several (a tag, or an OCI ref name)"},
	{"--image-limit NAME=VALUE", "with --image: bounds of the read, e.g.\n"
				     "layer-size=16G,image-size=64G,time=30m\n"
				     "(as ward run's --image-limit)"},
	{"--fail-on SEVERITY", "exit 3 when a finding reaches SEVERITY\n"
			       "(low, medium, high or critical)"},
	{"--max-exposure N", "exit 3 when the exposure exceeds N"},
};

static void check_usage(FILE *out)
{
	fputs("usage: ward check [--json] [--fail-on SEVERITY] [--max-exposure N] [OPTIONS]\n"
	      "       ward check --image FILE [--tag REPO:TAG] [--image-limit NAME=VALUE,...]\n"
	      "                  [--json|--suggest] [OPTIONS]\n"
	      "What could the program do if compromised?  Nothing is started.\n"
	      "Options of ward check:\n", out);
	for (size_t i = 0; i < sizeof(check_options) / sizeof(check_options[0]); i++) {
		const char *h = check_options[i].help;
		size_t k = strcspn(h, "\n");

		fprintf(out, "  %-25s  %.*s\n", check_options[i].option, (int)k, h);
		for (h += k; *h; h += k) {
			h++;
			k = strcspn(h, "\n");
			fprintf(out, "  %-25s  %.*s\n", "", (int)k, h);
		}
	}
	fputs("OPTIONS: the plan, as ward run takes it (ward run --help), e.g.\n"
	      "  --profile NAME, --rootfs DIR, --net host, --cap-keep CAP.\n", out);
}

/* -h or --help before any "--". */
static bool asks_help(int argc, char **argv)
{
	for (int i = 0; i < argc && strcmp(argv[i], "--"); i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

/* ward check [--json] [--fail-on SEVERITY] [--max-exposure N] [OPTIONS]:
 * what could the program do if compromised?  With --rootfs DIR the image
 * tree is audited too; with --image FILE an image archive (check_image).
 * Exit 0, or WARD_EXIT_CHECK_FAILED when the report fails the gate. */
int ward_cmd_check(int argc, char **argv)
{
	struct ward_err err = {0};
	bool json = false;
	struct image_options io = {0};
	struct ward_gate gate = {0};
	struct ward_plan *plan;
	struct ward_report *report;
	int code = 0;

	if (asks_help(argc, argv)) {
		check_usage(stdout);
		return 0;
	}
	argc = take_image_options(argc, argv, &io);
	argc = take_gate_options(argc, argv, &gate);
	if (io.image)
		return check_image(argc, argv, &io, &gate);
	plan = plan_without_command(argc, argv, &json);
	report = calloc(1, sizeof(*report));
	if (!report)
		return WARD_EXIT_USAGE;
	ward_check_plan(plan, report);
	if (plan->rootfs && ward_audit_rootfs(plan->rootfs, report, &err) < 0)
		ward_cmd_die(&err);
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
	if (!code) {
		fflush(stdout);
		code = gate_code(report, &gate);
	}
	free(report);
	ward_plan_free(plan);
	return code;
}

/* ward explain [OPTIONS]: the launch plan in order, in plain language. */
int ward_cmd_explain(int argc, char **argv)
{
	struct ward_plan *plan = plan_without_command(argc, argv, NULL);

	ward_explain_plan(plan, stdout);
	ward_plan_free(plan);
	return 0;
}


/* ward seccomp export [OPTIONS]: the plan's filter as raw BPF on stdout,
 * loadable by bwrap --seccomp FD or setpriv --seccomp-filter. */
int ward_cmd_seccomp_export(int argc, char **argv)
{
	struct ward_plan *plan;
	size_t size, done = 0;
	const char *p, *problem = NULL;

	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ward: usage: ward seccomp export writes binary BPF; redirect it to a file\n");
		return WARD_EXIT_USAGE;
	}
	plan = plan_without_command(argc, argv, NULL);
	size = (size_t)plan->seccomp_prog.len * sizeof(struct sock_filter);
	p = (const char *)plan->seccomp_prog.filter;
	if (size == 0)
		problem = "--seccomp off-i-know has no filter to export";
	while (!problem && done < size) {
		ssize_t n = write(STDOUT_FILENO, p + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			problem = strerror(errno);
		else
			done += (size_t)n;
	}
	if (problem)
		fprintf(stderr, "ward: seccomp export: %s\n", problem);
	ward_plan_free(plan);
	return problem ? WARD_EXIT_USAGE : 0;
}
