/* `ward run` options: --key VALUE or --key=VALUE, each a plan directive,
 * so the command line and profiles share one validator. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ward/cli.h"

void ward_cli_usage(FILE *out)
{
	fputs("usage: ward run [OPTIONS] -- CMD [ARG...]\n"
	      "  --rootfs DIR|host          root image directory, or a root built from\n"
	      "                             the host's /usr /etc /bin /sbin /lib* (default)\n"
	      "  --user UID[:GID]|NAME      run as this user (default 65534:65534)\n"
	      "  --groups clear|keep|LIST   supplementary groups (default clear)\n"
	      "  --bind SRC[:DST][:ro|rw]   bind a host path (read-only unless :rw)\n"
	      "  --tmpfs DST[:size=N]       a private writable tmpfs\n"
	      "  --hostname NAME            hostname inside (default ward)\n"
	      "  --net loopback|none|host   network (default loopback: new netns, lo up)\n"
	      "  --cap-keep CAP[,CAP...]    capabilities to keep (default none)\n"
	      "  --seccomp default|strict|PATH|off-i-know\n"
	      "  --rlimit NAME=SOFT[:HARD]  resource limit (nofile, nproc, as, core, ...)\n"
	      "  --env NAME=VALUE           add to the (otherwise minimal) environment\n"
	      "  --workdir DIR              working directory inside (default /)\n"
	      "  --init yes|no              ward's pid-1 init (default yes)\n"
	      "  -v, --verbose              narrate each step with timings\n"
	      "Exit status: the program's; 128+N if it died of signal N; 125 bad usage;\n"
	      "126/127 cannot execute / not found; 200+ a setup step (ward exit-codes).\n",
	      out);
}

/* Split "--key=value" or take the next argument as the value. */
static int take_option(int argc, char **argv, int *i, char *key, size_t keylen,
		       const char **value, struct ward_err *err)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	bool takes = false;

	if (n == 0 || n >= keylen)
		return ward_err_set(err, WARD_STEP_USAGE, 0, "bad option '%s'",
				    argv[*i]);
	memcpy(key, arg, n);
	key[n] = '\0';
	if (!ward_plan_key_known(key, &takes))
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "unknown option '--%s' (see ward run --help)", key);
	*value = NULL;
	if (!takes) {
		if (eq)
			return ward_err_set(err, WARD_STEP_USAGE, 0,
					    "--%s takes no value", key);
		return 0;
	}
	if (eq) {
		*value = eq + 1;
	} else {
		if (*i + 1 >= argc)
			return ward_err_set(err, WARD_STEP_USAGE, 0,
					    "--%s needs a value", key);
		*value = argv[++*i];
	}
	return 0;
}

int ward_cli_parse_run(int argc, char **argv, struct ward_plan_builder *b,
		       struct ward_err *err)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *value = NULL;
		char key[64];
		int r;

		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			ward_cli_usage(stdout);
			return 1;
		}
		if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "-vv") == 0) {
			strcpy(key, "verbose");
		} else if (strncmp(argv[i], "--", 2) == 0) {
			if ((r = take_option(argc, argv, &i, key, sizeof(key),
					     &value, err)) < 0)
				return r;
		} else if (argv[i][0] == '-') {
			return ward_err_set(err, WARD_STEP_USAGE, 0,
					    "unknown option '%s' (see ward run --help)",
					    argv[i]);
		} else {
			break;
		}
		if ((r = ward_plan_apply(b, key, value, NULL, err)) < 0)
			return r;
	}
	ward_plan_set_argv(b, i < argc ? &argv[i] : NULL);
	return 0;
}
