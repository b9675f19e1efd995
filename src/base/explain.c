/* The step table: every launch step has a name, an exit code and a hint. */
#include <errno.h>
#include <stdio.h>

#include "base/explain.h"

struct step_info {
	const char *name;
	int exit_code;
	const char *hint;
};

static const struct step_info steps[WARD_STEP_COUNT] = {
	[WARD_STEP_NONE] = {"none", 1, ""},
	[WARD_STEP_USAGE] = {"usage", WARD_EXIT_USAGE,
		"see `ward run --help` and ward(1)"},
	[WARD_STEP_PROFILE] = {"profile", WARD_EXIT_USAGE,
		"fix the profile line shown; see ward-profile(5)"},
	/* Each plan error says what is wrong; advice, where there is some,
	 * is the error's own hint (struct ward_err). */
	[WARD_STEP_PLAN] = {"plan", WARD_EXIT_USAGE, ""},
	[WARD_STEP_DOCKERSOCK] = {"engine-socket", 201,
		"a container-engine socket gives root on the host; do not bind it"},
	[WARD_STEP_SECCOMP_BUILD] = {"seccomp-build", 202,
		"check the syscall names in the seccomp policy"},
	[WARD_STEP_SYNC] = {"sync", 203,
		"the sandbox died during setup; rerun with -v"},
	[WARD_STEP_CLONE] = {"namespaces", 204,
		"user namespaces may be disabled: sysctl kernel.unprivileged_userns_clone / user.max_user_namespaces"},
	[WARD_STEP_USERNS] = {"userns", 205,
		"the uid/gid map was refused; a rootless launch maps only your own ids, a root one needs cap_setuid and cap_setgid"},
	[WARD_STEP_MOUNTS] = {"mounts", 206,
		"the mount namespace could not be prepared"},
	[WARD_STEP_BINDS] = {"bind", 207,
		"check the bind source exists and the destination is a plain path"},
	[WARD_STEP_READONLY] = {"read-only", 208,
		"the kernel must support mount_setattr (Linux >= 5.12)"},
	[WARD_STEP_PROC] = {"proc", 209,
		"a fresh /proc needs a pid namespace and an unobstructed host /proc (under systemd: no ProtectKernelTunables= or ProtectKernelLogs= on ward's unit)"},
	[WARD_STEP_DEV] = {"dev", 210, "the minimal /dev could not be built"},
	[WARD_STEP_TMPFS] = {"tmpfs", 211, "check the tmpfs destination and size"},
	[WARD_STEP_SECRETS] = {"secrets", 228,
		"a secret source must exist, be readable by ward and by no other user"},
	[WARD_STEP_PIVOT] = {"pivot-root", 212,
		"the root could not be switched; the rootfs must be a directory"},
	[WARD_STEP_NET] = {"net", 213, "the network namespace could not be configured"},
	[WARD_STEP_HOSTNAME] = {"hostname", 214, "the hostname could not be set"},
	[WARD_STEP_SESSION] = {"session", 215, "setsid failed"},
	[WARD_STEP_FDS] = {"fds", 216, "inherited descriptors could not be closed"},
	[WARD_STEP_WORKDIR] = {"workdir", 217,
		"the working directory and writable paths must exist and be usable by the program's user"},
	[WARD_STEP_RLIMITS] = {"rlimits", 218,
		"an unprivileged process cannot raise a hard limit"},
	[WARD_STEP_GROUPS] = {"groups", 219,
		"rootless launches cannot drop supplementary groups; use --groups keep or run as root"},
	[WARD_STEP_IDS] = {"ids", 220,
		"the target uid/gid must be mapped (namespaces); only a root start can switch users (entrypoint)"},
	[WARD_STEP_CAPS] = {"caps", 221, "capabilities could not be trimmed"},
	[WARD_STEP_NNP] = {"no-new-privs", 222, "PR_SET_NO_NEW_PRIVS failed"},
	[WARD_STEP_LANDLOCK] = {"landlock", 227,
		"Landlock is missing or refused a rule; the profile line landlock optional runs without it"},
	[WARD_STEP_VERIFY] = {"verify", 223,
		"the kernel reports a state different from the plan; nothing was run"},
	[WARD_STEP_INIT] = {"init", 224, "the pid-1 supervisor could not start the program"},
	[WARD_STEP_SECCOMP] = {"seccomp", 225, "the seccomp filter could not be loaded"},
	[WARD_STEP_EXEC] = {"exec", WARD_EXIT_EXEC,
		"check the program path inside the sandbox root and its permissions"},
	[WARD_STEP_SUPERVISE] = {"supervise", 226, "ward lost track of the sandbox"},
	[WARD_STEP_IMAGE] = {"image", 229,
		"the image archive is malformed, hostile or over a limit; nothing was extracted"},
	[WARD_STEP_LISTEN] = {"listen", 230,
		"a port below net.ipv4.ip_unprivileged_port_start needs ward started by root (it drops root before the program runs); a port in use needs its other owner stopped"},
	[WARD_STEP_NOTIFY] = {"notify", 231,
		"ward could not relay the service manager's NOTIFY_SOCKET to the program; unset it to run without"},
	[WARD_STEP_IMAGE_AUDIT] = {"image-audit", 232,
		"the image holds credentials the program could read; remove them from the image, or accept them with the --accept-findings line shown"},
};

const char *ward_step_name(enum ward_step step)
{
	if ((unsigned)step >= WARD_STEP_COUNT)
		return "unknown";
	return steps[step].name;
}

int ward_step_exit_code(enum ward_step step)
{
	if ((unsigned)step >= WARD_STEP_COUNT)
		return 1;
	return steps[step].exit_code;
}

const char *ward_step_hint(enum ward_step step)
{
	if ((unsigned)step >= WARD_STEP_COUNT)
		return "";
	return steps[step].hint;
}

int ward_err_exit_code(const struct ward_err *err)
{
	if (err->step == WARD_STEP_EXEC)
		return err->errnum == ENOENT ? WARD_EXIT_NOTFOUND : WARD_EXIT_EXEC;
	return ward_step_exit_code(err->step);
}

static const char *meaning(const struct step_info *s)
{
	return *s->hint ? s->hint : "the message names the problem";
}

/* Every code once, in increasing order: the steps that share 125 (bad
 * input) on one line each, as the table lists them. */
void ward_explain_exit_codes(void)
{
	int shown = 0;

	printf("%-5s %-14s %s\n", "code", "step", "hint");
	printf("%-5s %-14s %s\n", "N", "program", "the program's own exit status");
	printf("%-5s %-14s %s\n", "128+N", "program", "the program died of signal N");
	printf("%-5d %-14s %s\n", WARD_EXIT_CHECK_FAILED, "check",
	       "ward check --fail-on/--max-exposure: a finding reached the severity or the exposure exceeded the bound");
	for (;;) {
		int next = 0;

		for (int s = WARD_STEP_USAGE; s < WARD_STEP_COUNT; s++)
			if (steps[s].exit_code > shown &&
			    (!next || steps[s].exit_code < next))
				next = steps[s].exit_code;
		if (!next)
			break;
		if (shown < WARD_EXIT_NOTFOUND && next > WARD_EXIT_NOTFOUND)
			printf("%-5d %-14s %s\n", WARD_EXIT_NOTFOUND, "exec",
			       "the program was not found inside the sandbox");
		for (int s = WARD_STEP_USAGE; s < WARD_STEP_COUNT; s++)
			if (steps[s].exit_code == next)
				printf("%-5d %-14s %s\n", next, steps[s].name,
				       meaning(&steps[s]));
		shown = next;
	}
}
