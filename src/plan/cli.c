/* `ward run` options: --key VALUE or --key=VALUE, each a plan directive,
 * so the command line and profiles share one validator.  The profile is
 * applied first, the command line after it: the command line overrides. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cli.h"
#include "plan/profile.h"

#define MAX_OPTIONS 512

struct cli_option {
	char key[64];
	const char *value;
};

void ward_cli_usage(FILE *out)
{
	fputs("usage: ward run [OPTIONS] -- CMD [ARG...]\n"
	      "  --profile NAME|PATH        apply a profile first (see ward profiles)\n"
	      "  --rootfs DIR|host          root image directory, or a root built from\n"
	      "                             the host's /usr /etc /bin /sbin /lib* (default)\n"
	      "  --user UID[:GID]|NAME      run as this user (default 10001:10001)\n"
	      "  --groups clear|keep|LIST   supplementary groups (default clear)\n"
	      "  --bind SRC[:DST][:ro|rw]   bind a host path (read-only unless :rw)\n"
	      "  --tmpfs DST[:size=N]       a private writable tmpfs\n"
	      "  --hostname NAME            hostname inside (default ward)\n"
	      "  --net loopback|none|host   network (default loopback: new netns, lo up)\n"
	      "  --net veth[:HOST/PREFIX,SANDBOX]\n"
	      "                             new netns reached through a veth pair (root;\n"
	      "                             IPv4; default 10.200.x.y/30 from ward's pid)\n"
	      "  --cap-keep CAP[,CAP...]    capabilities to keep (default none)\n"
	      "  --seccomp default|strict|PATH|docker:FILE|off-i-know\n"
	      "                             PATH: a ward policy; docker:FILE: a\n"
	      "                             Docker/OCI JSON profile\n"
	      "  --rlimit NAME=SOFT[:HARD]  resource limit (nofile, nproc, as, core, ...)\n"
	      "  --env NAME=VALUE           add to the (otherwise minimal) environment\n"
	      "  --workdir DIR              working directory inside (default /)\n"
	      "  --init yes|no, --no-init   ward's pid-1 init (default yes); no: the\n"
	      "                             program is pid 1 itself (exec in place)\n"
	      "  --init-signals child|group forward signals to the program or its group\n"
	      "  --mode auto|namespaces|entrypoint\n"
	      "                             entrypoint: no namespaces (inside a container)\n"
	      "  --writable PATH            keep PATH of the root writable (entrypoint:\n"
	      "                             Landlock makes every other path read-only)\n"
	      "  --tcp-bind PORTS           bind only these TCP ports (80,8000-8010|none)\n"
	      "  --tcp-connect PORTS        connect only to these TCP ports\n"
	      "  --landlock required|optional   without Landlock: refuse (default) or warn\n"
	      "  --env-pass NAME            entrypoint: pass this secret-looking variable\n"
	      "  --secret NAME=FILE|fd:N|env:VAR\n"
	      "                             /run/secrets/NAME, 0400, on a read-only tmpfs;\n"
	      "                             read before launch, never in the image or env\n"
	      "  --secret-env NAME          also export that secret as NAME (a risk)\n"
	      "  -v, --verbose              narrate each step with timings\n"
	      "Exit status: the program's; 128+N if it died of signal N; 125 bad usage;\n"
	      "126/127 cannot execute / not found; 200+ a setup step (ward exit-codes).\n",
	      out);
}

/* Split "--key=value" or take the next argument as the value. */
static int take_option(int argc, char **argv, int *i, struct cli_option *opt,
		       struct ward_err *err)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	bool takes = false;

	if (n == 0 || n >= sizeof(opt->key))
		return ward_err_set(err, WARD_STEP_USAGE, 0, "bad option '%s'",
				    argv[*i]);
	memcpy(opt->key, arg, n);
	opt->key[n] = '\0';
	if (strcmp(opt->key, "no-init") == 0 && !eq) { /* tini/docker spelling */
		strcpy(opt->key, "init");
		opt->value = "no";
		return 0;
	}
	if (strcmp(opt->key, "profile") == 0)
		takes = true;
	else if (!ward_plan_key_known(opt->key, &takes))
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "unknown option '--%s' (see ward run --help)",
				    opt->key);
	opt->value = NULL;
	if (!takes) {
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

/* Collect the options; *cmd is the index of the command. */
static int collect(int argc, char **argv, struct cli_option *opts, size_t *n,
		   int *cmd, struct ward_err *err)
{
	int i, r;

	for (i = 0; i < argc; i++) {
		struct cli_option *o = &opts[*n];

		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
		if (*n == MAX_OPTIONS)
			return ward_err_set(err, WARD_STEP_USAGE, 0, "too many options");
		if (strcmp(argv[i], "-v") == 0) {
			strcpy(o->key, "verbose");
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
	for (size_t i = 0; r == 0 && i < n; i++)
		if (strcmp(opts[i].key, "profile") != 0)
			r = ward_plan_apply(b, opts[i].key, opts[i].value, NULL, err);
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
