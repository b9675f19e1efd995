/* ward explain: the launch plan in order, one step a line, each with
 * what it defends against. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "image/prepare.h"
#include "kernel/caps.h"
#include "plan/image_config.h"
#include "plan/listen.h"
#include "plan/plan.h"
#include "report/report.h"

static unsigned step_no;

static void step(FILE *out, const char *what, const char *defends)
{
	fprintf(out, "%2u. %s\n    defends: %s\n", ++step_no, what, defends);
}

static void explain_map(const struct ward_plan *plan, FILE *out)
{
	char buf[512];

	snprintf(buf, sizeof(buf),
		 "map sandbox uid %u and gid %u onto host %s %u:%u%s; nothing else is mapped",
		 plan->uid, plan->gid, plan->rootless ? "(your own ids)" : "ids",
		 plan->host_uid, plan->host_gid,
		 plan->rootless || plan->user_set ? "" :
		 " (reserved for ward in /etc/subuid and /etc/subgid)");
	step(out, buf, plan->rootless || plan->user_set ?
	     "host root is not root inside; files keep their real owners" :
	     "host root is not root inside; files keep their real owners; no host account "
	     "(the host's nobody among them) owns the program or can signal it");
}

static void explain_identity(const struct ward_plan *plan, FILE *out)
{
	char buf[512];

	step(out, "clear the capability bounding set and lock securebits NOROOT and NO_SETUID_FIXUP",
	     "no exec (setuid file, file capabilities, uid 0) can ever regain a capability");
	snprintf(buf, sizeof(buf), "set supplementary groups (%s), then gid %u, then uid %u%s",
		 plan->groups == WARD_GROUPS_KEEP ? "kept: rootless" :
		 plan->groups == WARD_GROUPS_LIST ? "the --groups list" : "none",
		 plan->gid, plan->uid, plan->user_set ? "" :
		 " (the default: not the overflow id 65534 that unmapped files show as, "
		 "so the root does not look like the program's own)");
	step(out, buf, "file access through root's or your groups");
	if (plan->caps_keep) {
		ward_caps_format(plan->caps_keep, buf, sizeof(buf));
		fprintf(out, "%2u. keep only %s (all five sets); drop the rest\n"
			"    defends: every other privileged operation\n", ++step_no, buf);
	} else {
		step(out, "drop every capability in all five sets, among them CAP_SYS_ADMIN, "
			  "CAP_NET_RAW, CAP_DAC_OVERRIDE, CAP_SYS_PTRACE, CAP_SETUID",
		     "mounts and namespaces, forged packets, bypassing file permissions, "
		     "reading other processes' memory, changing identity");
	}
	step(out, "set no_new_privs", "setuid/setgid binaries and file capabilities are inert");
	step(out, "read every id, capability set and no_new_privs back from the kernel, "
		  "inside and as the launcher sees them (/proc/PID/status opened by the launcher); "
		  "abort on any difference",
	     "a library that reports success for a change it did not make");
}

/* The secrets step (secrets.c): values read before clone, files made in
 * a tmpfs that is read-only before it is attached. */
static void explain_secrets(const struct ward_plan *plan, FILE *out)
{
	char buf[1024], names[512] = "";
	size_t nenv = 0;

	if (!plan->nsecrets)
		return;
	for (size_t i = 0; i < plan->nsecrets; i++) {
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? ", " : "", plan->secrets[i].name);
		nenv += plan->secrets[i].env;
	}
	snprintf(buf, sizeof(buf),
		 "write %zu secret(s) (%s), read by ward before the namespaces were made, as "
		 "0400 files owned by uid %u into a fresh tmpfs, make it read-only, then "
		 "mount it on " WARD_SECRETS_DIR "%s",
		 plan->nsecrets, names, plan->uid,
		 nenv ? "; the secret-env ones also go into the environment (a risk)" : "");
	step(out, buf, "secrets in images, profiles, the environment (/proc/PID/environ), "
		       "on disk or in core dumps; the program changing them");
}

/* "a b c" of @v (at most @n words) into @buf. */
static void join_words(char *const *v, size_t n, char *buf, size_t len)
{
	size_t used = 0;

	*buf = '\0';
	for (size_t i = 0; (n == (size_t)-1 ? v[i] != NULL : i < n) && used < len; i++) {
		int k = snprintf(buf + used, len - used, "%s%s", i ? " " : "", v[i]);

		if (k < 0)
			break;
		used += (size_t)k;
	}
}

/* ward run --image: what the image's config gives the launch, before the
 * steps (--image FILE: the config under the command line and profiles). */
static void explain_image(const struct ward_plan *plan, FILE *out)
{
	const struct ward_image_prepared *p = plan->image;
	const struct ward_image_config *c;
	char buf[1024], sig[32];

	if (!p)
		return;
	c = &p->config;
	fprintf(out, "image %s (%.19s...), unpacked at %s\n", p->name ? p->name : "(no name)",
		p->digest, p->rootfs);
	if (plan->image_user)
		fprintf(out, "  user:        uid %u gid %u (the image's USER %s)\n", plan->uid,
			plan->gid, c->user);
	else
		fprintf(out, "  user:        uid %u gid %u (%s)\n", plan->uid, plan->gid,
			plan->user_set ? "--user" : c->user && *c->user ?
			"the image's USER is root: ward's default user instead" :
			"the image sets no USER: ward's default user, never root");
	join_words(plan->argv, (size_t)-1, buf, sizeof(buf));
	fprintf(out, "  argv:        %s\n", buf);
	fprintf(out, "  workdir:     %s\n", plan->workdir ? plan->workdir : "/");
	if (plan->image_withheld)
		fprintf(out, "  env:         the image's Env, but withheld (secret-looking): %s\n",
			plan->image_withheld);
	join_words(c->volumes, c->nvolumes, buf, sizeof(buf));
	fprintf(out, "  volumes:     %s\n", c->nvolumes ? buf : "(none)");
	join_words(c->ports, c->nports, buf, sizeof(buf));
	fprintf(out, "  exposed:     %s%s\n", c->nports ? buf : "(none)",
		c->nports ? " (ward publishes nothing: --listen binds a port, --net host shares the host's)" : "");
	ward_signal_name(plan->stop_signal > 0 ? plan->stop_signal : SIGTERM, sig, sizeof(sig));
	fprintf(out, "  stop signal: %s (what the program gets when ward gets SIGTERM)\n", sig);
	if (plan->image_refused)
		fprintf(out, "  audit:       %zu finding(s) the program could read refuse the start (ward check --image shows them)\n",
			plan->image_refused);
}

static void explain_volumes(const struct ward_plan *plan, FILE *out)
{
	char buf[512];

	for (size_t i = 0; i < plan->nvolumes; i++) {
		snprintf(buf, sizeof(buf), "mount a private writable tmpfs on %s (at most " WARD_VOLUME_SIZE "), "
			 "filled with a copy of the root's %s, never following its symlinks; "
			 "device nodes, FIFOs, sockets and setuid bits left out",
			 plan->volumes[i], plan->volumes[i]);
		step(out, buf, "changing the image; a volume the program cannot write on a read-only root");
	}
}

static void explain_filesystem(const struct ward_plan *plan, FILE *out)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "make the root from %s, read-only, nosuid, nodev, recursively",
		 plan->rootfs ? plan->rootfs : "the host's /usr, /etc, /bin, /sbin, /lib*");
	step(out, buf, "changing the system, device nodes and setuid files in the image");
	step(out, "mount a fresh /proc (hidepid): kcore, keys, timer_list, sched_debug, acpi, scsi "
		  "masked; sys, sysrq-trigger, bus, fs, irq read-only",
	     "reading kernel memory and keys, changing sysctls, triggering sysrq");
	step(out, "build /dev with null, zero, full, random, urandom, tty, pts, shm only",
	     "raw disks, memory and hardware");
	step(out, "mount private tmpfs on /tmp and /run (nosuid, nodev)",
	     "writes land in memory that vanishes with the sandbox");
	for (size_t i = 0; i < plan->ntmpfs; i++) {
		snprintf(buf, sizeof(buf), "mount a private tmpfs on %s", plan->tmpfs[i].dst);
		step(out, buf, "the program writes only where it was told to");
	}
	explain_volumes(plan, out);
	explain_secrets(plan, out);
	if (plan->rootfs)
		step(out, "write /etc/hosts (localhost and the hostname), /etc/hostname and "
			  "/etc/resolv.conf (fitting --net) into a tmpfs of their own and bind them "
			  "read-only over the root's files",
		     "the image's (or the host's) names and nameservers inside; changing the image");
	for (size_t i = 0; i < plan->nbinds; i++) {
		snprintf(buf, sizeof(buf), "bind %s to %s %s, re-checked by inode right before the mount",
			 plan->binds[i].src, plan->binds[i].dst,
			 plan->binds[i].rw ? "READ-WRITE" : "read-only");
		step(out, buf, plan->binds[i].rw ? "nothing: the program may change these files"
						  : "changing the bound files");
	}
	step(out, "refuse any bind that reaches a Docker, containerd, podman, CRI-O or BuildKit socket",
	     "an engine socket is root on the host");
	step(out, "pivot_root into the new root and detach the host's tree",
	     "reaching any host path that was not bound in");
}

static void explain_listen(const struct ward_plan *plan, FILE *out)
{
	char socks[WARD_MAX_LISTEN * (WARD_LISTEN_NAME_MAX + 48)], buf[sizeof(socks) + 160];

	if (!plan->nlisten)
		return;
	ward_listen_format_all(plan, socks, sizeof(socks));
	snprintf(buf, sizeof(buf), "bind %s in the caller's network before any privilege is "
		 "dropped; the program gets them as fd 3 onwards (LISTEN_FDS), ward keeps no copy",
		 socks);
	step(out, buf, plan->net == WARD_NET_HOST || plan->mode == WARD_MODE_ENTRYPOINT ?
		  "a privileged port without root or a capability in the program" :
		  "a privileged port without root or a capability in the program; "
		  "it binds no other port of the host");
	if (plan->listen_connect_denied)
		step(out, "deny every TCP connect with Landlock",
		     "a connection accepted on those sockets (the host's network) dissolved "
		     "with connect(AF_UNSPEC) and connected anywhere");
}

static void explain_environment(const struct ward_plan *plan, FILE *out)
{
	char buf[1024]; /* up to 19 limits of up to 50 characters */

	step(out, plan->net == WARD_NET_HOST ? "share the host's network (--net host)" :
		  plan->net == WARD_NET_NONE ? "leave the new network namespace without any interface up" :
		  plan->net == WARD_NET_VETH ? "create a veth pair (host end ward<PID>, eth0 inside), "
					       "bring up lo and eth0, route by default via the host end (rtnetlink)"
					     : "bring up only lo in the new network namespace (rtnetlink)",
	     plan->net == WARD_NET_HOST ? "nothing: the program reaches what the host reaches" :
	     plan->net == WARD_NET_VETH ? "reaching the host's other interfaces, its networks and "
					  "abstract sockets (the host end's address stays reachable)"
					: "reaching any network or the host's abstract sockets");
	explain_listen(plan, out);
	snprintf(buf, sizeof(buf), "set the hostname to %s", plan->hostname);
	step(out, buf, "learning or changing the host's name");
	step(out, "start a new session without a controlling terminal",
	     "pushing keystrokes into your terminal (TIOCSTI)");
	step(out, plan->nlisten ? "close every inherited file descriptor above 2 at exec, "
				  "but the listening sockets, moved to fd 3 onwards"
				: "close every inherited file descriptor above 2 at exec",
	     "leaked host files and directories");
	snprintf(buf, sizeof(buf), "enter %s and check it lies inside the new root", plan->workdir);
	step(out, buf, "a working directory that leads back to the host");
	if (plan->nrlimits) {
		size_t n = (size_t)snprintf(buf, sizeof(buf), "apply resource limits:");

		for (size_t i = 0; i < plan->nrlimits && n < sizeof(buf); i++) {
			char one[64];

			ward_rlimit_format(&plan->rlimits[i], one, sizeof(one));
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s %s",
					      i ? "," : "", one);
		}
		step(out, buf, "core files with secrets, exhausting processes, files or memory");
	}
}

static void explain_final(const struct ward_plan *plan, FILE *out)
{
	char buf[256];

	char sig[32];

	step(out, plan->own_init ? "run the program itself as pid 1"
				 : "run ward's init as pid 1: reap zombies, forward signals, exit with the program's status",
	     "zombie buildup and lost signals; the sandbox dies with ward");
	if (plan->stop_signal > 0 && plan->stop_signal != SIGTERM) {
		ward_signal_name(plan->stop_signal, sig, sizeof(sig));
		snprintf(buf, sizeof(buf), "forward SIGTERM to the program as %s (%s)", sig,
			 plan->image ? "--stop-signal, or the image's StopSignal" : "--stop-signal");
		step(out, buf, "a program that stops cleanly only on its own signal being killed mid-write");
	}
	step(out, plan->seccomp_mode == WARD_SECCOMP_OFF ? "load NO syscall filter (off-i-know)"
		  : "load the seccomp filter last, right before execve",
	     plan->seccomp_mode == WARD_SECCOMP_OFF ? "nothing"
		  : "most of the kernel's attack surface: new namespaces, mount, bpf, keyctl, "
		    "io_uring, perf, userfaultfd, ptrace, modules, other ABIs");
	snprintf(buf, sizeof(buf), "execute %s, resolved inside the new root", plan->argv[0]);
	step(out, buf, "running a host binary through a leaked descriptor (CVE-2019-5736)");
}

void ward_explain_plan(const struct ward_plan *plan, FILE *out)
{
	step_no = 0;
	explain_image(plan, out);
	step(out, "validate every option and profile line before anything starts",
	     "half-applied configurations: a mistake stops the launch");
	step(out, plan->net == WARD_NET_HOST
		  ? "create new user, mount, pid, uts, ipc and cgroup namespaces"
		  : "create new user, mount, pid, network, uts, ipc and cgroup namespaces",
	     "seeing or signalling host processes, changing host mounts, host IPC");
	explain_map(plan, out);
	explain_filesystem(plan, out);
	explain_environment(plan, out);
	explain_identity(plan, out);
	explain_final(plan, out);
}
