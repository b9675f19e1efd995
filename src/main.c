/* ward: start one program with as little power as it needs.  The
 * commands, one row each; cmd/ holds them. */
#include "cmd/commands.h"
#include "report/selfprobe.h"

static const struct ward_command commands[] = {
	{"run", ward_cmd_run, " [OPTIONS] -- CMD [ARG...]", "start CMD in a sandbox"},
	{"check", ward_cmd_check, " [--json] [OPTIONS]",
	 "what could it do if compromised?"},
	{"check", NULL, " ... --fail-on SEVERITY | --max-exposure N",
	 "exit 3 when a finding reaches SEVERITY\n(low, medium, high, critical) or the\nexposure is above N (CI)"},
	{"check", NULL, " --image FILE [--json|--suggest]",
	 "inspect an image archive (docker\nsave, OCI layout) before trusting it"},
	{"explain", ward_cmd_explain, " [OPTIONS]", "the launch plan, step by step"},
	{"probe", ward_selfprobe_main, " [--json]", "what can this process do?"},
	{"profiles", ward_cmd_profiles, "", "list the profiles found"},
	{"seccomp groups", ward_cmd_seccomp_groups, "", "list the syscall groups"},
	{"seccomp export", ward_cmd_seccomp_export, " [OPTIONS] > F",
	 "the filter as raw BPF"},
	{"seccomp show", ward_cmd_seccomp_show, " [OPTIONS]",
	 "the filter's rules, readable"},
	{"seccomp learn", ward_cmd_seccomp_learn, " [--output F] [OPTIONS] -- CMD",
	 "the syscalls CMD makes (review it)"},
	{"image ls", ward_cmd_image_ls, " [--json]",
	 "the images unpacked in the cache"},
	{"image rm", ward_cmd_image_rm, " DIGEST|NAME...",
	 "remove them (not while a sandbox\nuses one)"},
	{"image prune", ward_cmd_image_prune, "", "remove every image no sandbox uses"},
	{"reserve-id", ward_cmd_reserve_id, "",
	 "reserve the default user's host id\n(root, once; make install does it)"},
	{"exit-codes", ward_cmd_exit_codes, "", "what ward's exit codes mean"},
	{"version", ward_cmd_version, "", NULL},
};

int main(int argc, char **argv)
{
	return ward_cmd_dispatch(commands, sizeof(commands) / sizeof(commands[0]),
				 argc, argv);
}
