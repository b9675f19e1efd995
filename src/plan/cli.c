/* `ward run` options: --key VALUE or --key=VALUE, each a row of the
 * directive table (directives.c) and, but for --profile and aliases, a
 * plan directive, so the command line and profiles share one validator.
 * The profile is applied first, the command line after it: the command
 * line overrides. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/builder.h"
#include "plan/cli.h"
#include "plan/directives.h"
#include "plan/profile.h"

#define MAX_OPTIONS 512

struct cli_option {
	char key[64];
	const char *value;
};

void ward_cli_usage(FILE *out)
{
	fputs("usage: ward run [OPTIONS] -- CMD [ARG...]\n", out);
	for (const struct ward_directive *d = ward_directives; d->name; d++)
		if (d->help)
			fputs(d->help, out);
	fputs("Exit status: the program's; 128+N if it died of signal N; 125 bad usage;\n"
	      "126/127 cannot execute / not found; 200+ a setup step (ward exit-codes).\n",
	      out);
}

/* "unknown option '--cap-add'", with the nearest option as the hint. */
static int unknown_option(const char *key, struct ward_err *err)
{
	const char *near = ward_directive_suggest(key, false);
	int r = ward_err_set(err, WARD_STEP_USAGE, 0, "unknown option '--%s'", key);

	if (near)
		return ward_err_hint(err, "did you mean --%s? (ward run --help lists the options)",
				     near);
	return r;
}

/* Split "--key=value" or take the next argument as the value. */
static int take_option(int argc, char **argv, int *i, struct cli_option *opt,
		       struct ward_err *err)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct ward_directive *d;

	if (n == 0 || n >= sizeof(opt->key))
		return ward_err_set(err, WARD_STEP_USAGE, 0, "bad option '%s'",
				    argv[*i]);
	memcpy(opt->key, arg, n);
	opt->key[n] = '\0';
	d = ward_directive_find(opt->key);
	if (d && d->alias_of && !eq) {
		strcpy(opt->key, d->alias_of);
		opt->value = d->alias_value;
		return 0;
	}
	if (!d || d->alias_of)
		return unknown_option(opt->key, err);
	opt->value = NULL;
	if (d->kind == WARD_DIR_FLAG) {
		if (eq)
			return ward_err_set(err, WARD_STEP_USAGE, 0,
					    "--%s takes no value", opt->key);
		return 0;
	}
	if (eq) {
		opt->value = eq + 1;
	} else {
		if (*i + 1 >= argc)
			return ward_err_set(err, WARD_STEP_USAGE, 0,
					    "--%s needs a value", opt->key);
		opt->value = argv[++*i];
	}
	return 0;
}

/* -v: a short option of the table. */
static const struct ward_directive *short_option(const char *arg)
{
	if (arg[0] != '-' || !arg[1] || arg[2])
		return NULL;
	return ward_directive_find_short(arg[1]);
}

int ward_cli_option_words(int argc, char **argv)
{
	const struct ward_directive *d;
	const char *arg = argc > 0 ? argv[0] : "", *eq;
	char key[64];
	size_t n;

	if (short_option(arg))
		return 1;
	if (strncmp(arg, "--", 2) != 0 || !arg[2])
		return 0;
	eq = strchr(arg + 2, '=');
	n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	if (n >= sizeof(key))
		return 0;
	memcpy(key, arg + 2, n);
	key[n] = '\0';
	d = ward_directive_find(key);
	if (!d || (d->alias_of && eq))
		return 0;
	if (eq || d->alias_of || d->kind == WARD_DIR_FLAG)
		return 1;
	return argc >= 2 ? 2 : 0;
}

/* Collect the options; *cmd is the index of the command. */
static int collect(int argc, char **argv, struct cli_option *opts, size_t *n,
		   int *cmd, struct ward_err *err)
{
	int i, r;

	for (i = 0; i < argc; i++) {
		struct cli_option *o = &opts[*n];
		const struct ward_directive *d;

		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
		if (*n == MAX_OPTIONS)
			return ward_err_set(err, WARD_STEP_USAGE, 0, "too many options");
		if ((d = short_option(argv[i]))) {
			strcpy(o->key, d->name);
			o->value = NULL;
		} else if (strncmp(argv[i], "--", 2) == 0) {
			if ((r = take_option(argc, argv, &i, o, err)) < 0)
				return r;
		} else if (argv[i][0] == '-') {
			return ward_err_set(err, WARD_STEP_USAGE, 0,
					    "unknown option '%s' (see ward run --help)",
					    argv[i]);
		} else {
			break;
		}
		(*n)++;
	}
	*cmd = i;
	return 0;
}

static int apply_profile(struct cli_option *opts, size_t n,
			 struct ward_plan_builder *b, struct ward_err *err)
{
	const char *profile = NULL;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(opts[i].key, "profile") != 0)
			continue;
		if (profile)
			return ward_err_set(err, WARD_STEP_USAGE, 0,
					    "--profile given twice; use include in a profile to combine");
		profile = opts[i].value;
	}
	/* --quiet already holds for the profile search's notices. */
	for (size_t i = 0; i < n; i++)
		if (strcmp(opts[i].key, "quiet") == 0)
			b->quiet = true;
	return profile ? ward_profile_load(b, profile, stderr, err) : 0;
}

int ward_cli_parse_run(int argc, char **argv, struct ward_plan_builder *b,
		       struct ward_err *err)
{
	/* Not zeroed: only the first n entries are ever read, and a launch
	 * should not fault in 36 kB it never uses. */
	struct cli_option *opts = malloc(MAX_OPTIONS * sizeof(*opts));
	size_t n = 0;
	int cmd = argc, r;

	if (!opts)
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "malloc");
	r = collect(argc, argv, opts, &n, &cmd, err);
	if (r == 1)
		ward_cli_usage(stdout);
	if (r == 0)
		r = apply_profile(opts, n, b, err);
	/* With a collector, a bad value is noted and the other options are
	 * still checked. */
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (strcmp(opts[i].key, "profile") == 0)
			continue;
		r = ward_plan_apply(b, opts[i].key, opts[i].value, NULL, err);
		if (r < 0 && b->errs) {
			ward_plan_note(b, r, err);
			r = 0;
		}
	}
	free(opts);
	if (r == 0)
		ward_plan_set_argv(b, cmd < argc ? &argv[cmd] : NULL);
	return r;
}

/* "--NAME" or "--NAME=..." */
static bool names(const char *arg, const char *name, bool with_value)
{
	size_t n = strlen(name);

	if (strncmp(arg, "--", 2) || strncmp(arg + 2, name, n))
		return false;
	return arg[2 + n] == '\0' || (with_value && arg[2 + n] == '=');
}

int ward_cli_take_option(int argc, char **argv, const char *name,
			 const char **value, bool *seen, struct ward_err *err)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq;

		if (strcmp(arg, "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (!names(arg, name, value != NULL)) {
			argv[n++] = argv[i];
			continue;
		}
		if (*seen)
			return ward_err_set(err, WARD_STEP_USAGE, 0, "--%s given twice", name);
		*seen = true;
		if (!value)
			continue;
		eq = strchr(arg, '=');
		*value = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (!*value || !**value)
			return ward_err_set(err, WARD_STEP_USAGE, 0, "--%s needs a value", name);
	}
	argv[n] = NULL;
	return n;
}
