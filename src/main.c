/* ward: start one program with as little power as it needs. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "base/explain.h"
#include "plan/profile.h"
#include "seccomp/seccomp.h"
#include "report/selfprobe.h"
#include "kernel/subid.h"

#define WARD_VERSION "0.1.0"

static void usage(FILE *out)
{
	fputs("usage: ward run [OPTIONS] -- CMD [ARG...]   start CMD in a sandbox\n"
	      "       ward check [--json] [OPTIONS]        what could it do if compromised?\n"
	      "       ward check --image FILE [--json|--suggest]\n"
	      "                                            inspect an image archive (docker\n"
	      "                                            save, OCI layout) before trusting it\n"
	      "       ward explain [OPTIONS]               the launch plan, step by step\n"
	      "       ward probe [--json]                  what can this process do?\n"
	      "       ward profiles                        list the profiles found\n"
	      "       ward seccomp groups                  list the syscall groups\n"
	      "       ward seccomp export [OPTIONS] > F    the filter as raw BPF\n"
	      "       ward seccomp show [OPTIONS]          the filter's rules, readable\n"
	      "       ward seccomp learn [--output F] [OPTIONS] -- CMD\n"
	      "                                            the syscalls CMD makes (review it)\n"
	      "       ward reserve-id                      reserve the default user's host id\n"
	      "                                            (root, once; make install does it)\n"
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
		return ward_cmd_run(argc - 2, argv + 2);
	if (strcmp(argv[1], "check") == 0)
		return ward_cmd_check(argc - 2, argv + 2);
	if (strcmp(argv[1], "explain") == 0)
		return ward_cmd_explain(argc - 2, argv + 2);
	if (strcmp(argv[1], "probe") == 0)
		return ward_selfprobe_main(argc - 2, argv + 2);
	if (strcmp(argv[1], "profiles") == 0) {
		ward_profile_list(stdout);
		return 0;
	}
	if (strcmp(argv[1], "seccomp") == 0 && argc >= 3 &&
	    strcmp(argv[2], "export") == 0)
		return ward_cmd_seccomp_export(argc - 3, argv + 3);
	if (strcmp(argv[1], "seccomp") == 0 && argc >= 3 &&
	    strcmp(argv[2], "show") == 0)
		return ward_cmd_seccomp_show(argc - 3, argv + 3);
	if (strcmp(argv[1], "seccomp") == 0 && argc >= 3 &&
	    strcmp(argv[2], "learn") == 0)
		return ward_cmd_seccomp_learn(argc - 3, argv + 3);
	if (strcmp(argv[1], "seccomp") == 0 && argc == 3 &&
	    strcmp(argv[2], "groups") == 0) {
		ward_seccomp_print_groups(stdout);
		return 0;
	}
	if (strcmp(argv[1], "reserve-id") == 0)
		return ward_cmd_reserve_id(argc - 2, argv + 2);
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
