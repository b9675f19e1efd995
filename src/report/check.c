/* ward check: what could the program do if compromised, read off the
 * plan.  Each row answers one question; weights are exposure points. */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <cap-ng.h>

#include "kernel/caps.h"
#include "engine/dockersock.h"
#include "report/report.h"
#include "base/secret_shapes.h"
#include "plan/secret_spec.h"

/* How much a kept capability exposes, inside the sandbox's namespaces. */
static double cap_weight(int cap)
{
	switch (cap) {
	case CAP_SYS_ADMIN: return 5.0;
	case CAP_SYS_PTRACE: case CAP_SYS_MODULE: case CAP_SYS_RAWIO: return 4.0;
	case CAP_DAC_OVERRIDE: case CAP_DAC_READ_SEARCH: case CAP_SETUID:
	case CAP_SETGID: case CAP_NET_ADMIN: case CAP_FOWNER: case CAP_CHOWN:
		return 3.0;
	case CAP_NET_RAW: return 1.5;
	case CAP_NET_BIND_SERVICE: return 0.3;
	default: return 1.0;
	}
}

static void check_identity(const struct ward_plan *plan, struct ward_report *r)
{
	ward_report_add(r, "user", true, 0, NULL,
			"runs as uid %u gid %u, never root", plan->uid, plan->gid);
	if (plan->groups == WARD_GROUPS_KEEP)
		ward_report_add(r, "groups", false, 1.0,
				"run as root, or as a user without supplementary groups",
				"your supplementary groups stay attached and still grant host file access");
	else
		ward_report_add(r, "groups", true, 0, NULL,
				"supplementary groups %s",
				plan->groups == WARD_GROUPS_LIST ? "limited to --groups" : "cleared");
	ward_report_add(r, "no-new-privs", true, 0, NULL,
			"no_new_privs: setuid files and file capabilities cannot raise privilege");
}

static void check_caps(const struct ward_plan *plan, struct ward_report *r)
{
	if (!plan->caps_keep) {
		ward_report_add(r, "caps", true, 0, NULL,
				"no capabilities in any set (bounding, permitted, effective, inheritable, ambient)");
		return;
	}
	for (int c = 0; c < 64; c++) {
		const char *name;

		if (!(plan->caps_keep & (1ULL << c)))
			continue;
		name = capng_capability_to_name((unsigned)c);
		ward_report_add(r, "caps.kept", false, cap_weight(c),
				"drop it unless the program cannot work without it",
				"keeps cap_%s (in its own namespaces)", name ? name : "?");
		ward_report_subject(r, -1, "cap_%s", name ? name : "?");
	}
}

static void check_net(const struct ward_plan *plan, struct ward_report *r)
{
	if (plan->mode == WARD_MODE_ENTRYPOINT)
		ward_report_add(r, "net", false, 1.0,
				"docker run --network none, or an internal network",
				"uses the container's network: ward cannot make its own there");
	else if (plan->net == WARD_NET_HOST)
		ward_report_add(r, "net", false, 2.0,
				"net loopback (or none), and reach the program through a socket or a proxy; or keep host and narrow it with tcp-bind/tcp-connect PORTS (Landlock)",
				"shares the host's network: can reach every service the host can");
	else if (plan->net == WARD_NET_VETH)
		ward_report_add(r, "net", false, 0.5,
				"bind host services to 127.0.0.1 (or firewall ward* interfaces); tcp-connect PORTS limits what it may reach",
				"own network namespace reached through a veth: the host end's address (and whatever the host routes or forwards) is reachable");
	else if (plan->nlisten)
		ward_report_add(r, "net", true, 0, NULL,
				"%s, plus %zu listening socket(s) of the host's network bound by ward "
				"(accepts connections; every TCP connect %s by Landlock)",
				plan->net == WARD_NET_NONE ? "no network of its own"
							    : "loopback only, in its own network namespace",
				plan->nlisten,
				plan->listen_connect_denied ? "denied" : "limited to the tcp-connect ports");
	else
		ward_report_add(r, "net", true, 0, NULL, "%s",
				plan->net == WARD_NET_NONE ? "no network at all"
							    : "loopback only, in its own network namespace");
}

static void check_seccomp(const struct ward_plan *plan, struct ward_report *r)
{
	if (plan->seccomp_mode == WARD_SECCOMP_OFF)
		ward_report_add(r, "seccomp", false, 3.0, "seccomp default",
				"no syscall filter: the whole kernel interface is reachable");
	else if (plan->seccomp_log_only)
		ward_report_add(r, "seccomp", false, 3.0,
				"remove seccomp-log-only once the profile is written",
				"the syscall filter only logs: nothing is refused");
	else if (plan->seccomp_mode == WARD_SECCOMP_DOCKER)
		ward_report_add(r, "seccomp", true, 0, NULL,
				"syscall filter: Docker JSON profile %s (ward seccomp show lists its rules)",
				plan->seccomp_path);
	else
		ward_report_add(r, "seccomp", true, 0, NULL,
				"syscall filter (%s): namespaces, mount, bpf, keyctl, io_uring, ptrace refused",
				plan->seccomp_mode == WARD_SECCOMP_STRICT ? "strict" :
				plan->seccomp_mode == WARD_SECCOMP_FILE ? plan->seccomp_path
									: "default");
}

static void check_filesystem(const struct ward_plan *plan, struct ward_report *r)
{
	size_t rw = 0;

	if (plan->mode == WARD_MODE_ENTRYPOINT)
		return; /* the container's file system: the namespaces row */
	if (plan->rootfs)
		ward_report_add(r, "root", true, 0, NULL,
				"image %s, read-only", plan->rootfs);
	else
		ward_report_add(r, "root", false, 0.3,
				"--rootfs an image that holds only what the program needs",
				"the host's /usr and /etc are visible (read-only): installed tools, /etc/passwd");
	for (size_t i = 0; i < plan->nbinds; i++) {
		if (!plan->binds[i].rw)
			continue;
		ward_report_add(r, "writable", false, rw < 4 ? 0.5 : 0,
				"bind read-only unless the program must write there; prefer a tmpfs",
				"can write to the host's %s", plan->binds[i].src);
		ward_report_subject(r, -1, "%s", plan->binds[i].src);
		rw++;
	}
	if (!rw)
		ward_report_add(r, "writable", true, 0, NULL,
				"writes land only in private tmpfs (/tmp, /run%s)",
				plan->ntmpfs ? " and --tmpfs" : "");
}

/* --env NAME=VALUE whose name or value looks like a secret (the shapes
 * of secret_shapes.h: a private key, a token or API key, a JWT, a URL
 * with credentials).  The value is only looked at, never printed. */
static void check_env_secrets(const struct ward_plan *plan, struct ward_report *r)
{
	size_t plain = plan->nenv - plan->nenv_secret; /* secret-env: rows below */
	bool any = false;

	for (size_t i = 0; i < plain; i++) {
		const char *kv = plan->env[i], *v = kv + strcspn(kv, "=");
		const char *shape = *v ? ward_secret_shape(v + 1, strlen(v + 1)) : NULL;
		int n = (int)(v - kv);
		char fix[WARD_REPORT_TEXT], what[64] = "looks like a secret";

		if (!ward_secret_name_looks_secret(kv) && !shape)
			continue;
		if (shape)
			snprintf(what, sizeof(what), "holds what looks like %s", shape);
		snprintf(fix, sizeof(fix),
			 "--secret %.*s=FILE (or fd:N, env:VAR): the program reads /run/secrets/%.*s, a 0400 file on a tmpfs",
			 n, kv, n, kv);
		ward_report_add(r, "env.secret", false, 2.0, fix,
				"%.*s %s in the environment (readable in /proc/PID/environ, inherited by children)",
				n, kv, what);
		ward_report_subject(r, -1, "%.*s", n, kv);
		any = true;
	}
	if (!any)
		ward_report_add(r, "env.secret", true, 0, NULL,
				"no secret-looking variable in the environment");
}

static void check_secret_files(const struct ward_plan *plan, struct ward_report *r)
{
	for (size_t i = 0; i < plan->nsecrets; i++) {
		const struct ward_secret *s = &plan->secrets[i];

		ward_report_add(r, "secret", true, 0, NULL,
				"%s from %s, " WARD_SECRETS_DIR "/%s 0400, %s",
				s->name, ward_secret_source_name(s->source), s->name,
				plan->mode == WARD_MODE_ENTRYPOINT ? "in the container's tmpfs"
								   : "read-only tmpfs");
		ward_report_subject(r, -1, "%s", s->name);
		if (s->env) {
			ward_report_add(r, "secret.env", false, 1.0,
					"drop secret-env and let the program read /run/secrets/NAME",
					"%s is also in the environment (secret-env): readable in /proc/PID/environ, inherited by children, kept in crash reports",
					s->name);
			ward_report_subject(r, -1, "%s", s->name);
		}
	}
}

/* The sockets the walks of the binds and root found an engine listening
 * on (engine/listener.h): let in by allow-engine-socket, or the plan
 * would have been refused. */
static void check_engine_listeners(const struct ward_plan *plan,
				   struct ward_report *r)
{
	const struct ward_engine_sockets *es = plan->engine_sockets;
	size_t found = 0;

	for (int i = 0; es && i < es->n; i++) {
		const struct ward_engine_socket *s = &es->s[i];

		if (!s->pid)
			continue;
		ward_report_add(r, "engine-socket", false, 10.0,
				"remove allow-engine-socket from the profile, or the bind that reaches the socket",
				"CRITICAL: %s (pid %d) listens on %s, reachable through the binds or root: the %s engine, i.e. root on the host",
				s->exe, (int)s->pid, s->path, ward_engine_name(s->engine));
		ward_report_subject(r, -1, "%s", s->path);
		found++;
	}
	if (es && es->walked && !found)
		ward_report_add(r, "engine-socket", true, 0, NULL,
				"%zu socket file%s in the binds and root, none an engine's (who listens on each was asked)",
				es->walked, es->walked == 1 ? "" : "s");
}

static void check_secrets_and_engines(const struct ward_plan *plan,
				      struct ward_report *r)
{
	check_env_secrets(plan, r);
	check_secret_files(plan, r);
	for (int e = 0; e < WARD_ENGINE_COUNT; e++) {
		if (!plan->engine_sockets || !(plan->engine_sockets->allowed & (1u << e)))
			continue;
		ward_report_add(r, "engine-socket", false, 10.0,
				"remove allow-engine-socket from the profile",
				"CRITICAL: the %s API socket may be bound in: that is root on the host",
				ward_engine_name((enum ward_engine)e));
		ward_report_subject(r, -1, "%s", ward_engine_name((enum ward_engine)e));
	}
	check_engine_listeners(plan, r);
}

static void check_limits(const struct ward_plan *plan, struct ward_report *r)
{
	if (plan->nrlimits)
		ward_report_add(r, "rlimits", true, 0, NULL, "%zu resource limit(s) set",
				plan->nrlimits);
	else
		ward_report_add(r, "rlimits", false, 0.2,
				"rlimit nproc=N and rlimit nofile=N",
				"no resource limits: can fork and open files up to the host's limits");
	/* ward does not reimplement cgroups: the limits are the cgroup's
	 * that ward starts in, which keeps its whole tree.  Not a risk ward
	 * can see or score (a RISK row would be "low" and fail every
	 * --fail-on low), so an ok row that says where they are set. */
	ward_report_add(r, "cgroup-limits", true, 0, NULL,
			"memory and task limits are not visible to ward: they are the cgroup's it starts in, which keeps the program and all its children (%s)",
			plan->mode == WARD_MODE_ENTRYPOINT ?
			"docker run --memory=512m --pids-limit=64 --cpus=0.5" :
			"MemoryMax=, TasksMax=, CPUQuota= in the unit; systemd-run --scope -p MemoryMax=512M for one run");
	ward_report_add(r, "pid-1", true, 0, NULL, "%s",
			plan->own_init ? "the program is its own init"
				       : "ward's init reaps zombies and forwards signals");
}

/* Entrypoint mode: Landlock stands in for the read-only root. */
static void check_landlock_entrypoint(const struct ward_plan *plan,
				      struct ward_report *r)
{
	char list[512] = "";

	for (size_t i = 0; i < plan->nwritable; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? ", " : "", plan->writable[i]);
	if (plan->landlock_optional)
		ward_report_add(r, "landlock", false, 1.0,
				"remove 'landlock optional' where the kernel has Landlock (Linux >= 5.13)",
				"Landlock is optional: on a kernel without it the file system stays as writable as the container made it");
	else
		ward_report_add(r, "landlock", true, 0, NULL,
				"Landlock: the file system read-only except %s",
				*list ? list : "nothing (no writable path)");
	ward_report_add(r, "env.withheld", true, 0, NULL,
			"secret-looking variables of the image are withheld from the program%s",
			plan->nenv_pass ? " (except the env-pass names)" : "");
}

/* tcp-bind / tcp-connect, every mode. */
static void check_ports(const struct ward_plan *plan, struct ward_report *r)
{
	if (plan->tcp_bind_set)
		ward_report_add(r, "ports.bind", true, 0, NULL,
				"bind(2) limited to %zu TCP port(s) (Landlock)", plan->ntcp_bind);
	else if (plan->net == WARD_NET_HOST)
		ward_report_add(r, "ports.bind", false, 0.5,
				"tcp-bind PORTS: the ports the program serves",
				"may listen on any TCP port of the host's network");
	if (plan->tcp_connect_set)
		ward_report_add(r, "ports.connect", true, 0, NULL,
				"connect(2) limited to %zu TCP port(s) (Landlock)",
				plan->ntcp_connect);
}

/* Abstract unix sockets live in the network namespace: only where it
 * may be the host's (--net host, entrypoint mode) are the host's in
 * reach, the containerd shims' among them (CVE-2020-15257). */
static void check_abstract_sockets(const struct ward_plan *plan,
				   struct ward_report *r)
{
	if (plan->mode != WARD_MODE_ENTRYPOINT && plan->net != WARD_NET_HOST)
		return;
	if (plan->abstract_sockets_host)
		ward_report_add(r, "abstract-sockets", false, 3.0,
				"remove 'abstract-sockets host' from the profile (Landlock then scopes them)",
				"may connect to the host's abstract unix sockets ('abstract-sockets host'): containerd shims listen there (CVE-2020-15257), and D-Bus, X11 and others may");
	else
		ward_report_add(r, "abstract-sockets", true, 0, NULL,
				"abstract unix sockets scoped (Landlock ABI 6): the host's, containerd shims' among them, are out of reach%s",
				plan->landlock_optional ? " where the kernel has the scope ('landlock optional')" : "");
}

/* Entrypoint mode: sockets in the mounts let through unasked. */
static void check_allow_sockets(const struct ward_plan *plan, struct ward_report *r)
{
	for (size_t i = 0; i < plan->nallow_sockets; i++)
		ward_report_add(r, "allow-socket", false, 0.5,
				"keep it only for a socket known to be harmless",
				"%s is let through without being asked whether it is a container engine's (allow-socket)",
				plan->allow_sockets[i]);
}

/* --net host and veth: the engines listening on TCP that the program
 * could reach and the plan let through (engine/tcp_listeners.h); any
 * other would have refused the plan. */
static void check_engine_tcp(const struct ward_plan *plan, struct ward_report *r)
{
	char where[64];

	if (!plan->engine_tcp_scanned)
		return;
	for (size_t i = 0; i < plan->nengine_tcp; i++) {
		const struct ward_tcp_engine *e = &plan->engine_tcp[i];
		const char *engine = ward_engine_name((enum ward_engine)e->engine);

		ward_tcp_listener_format(&e->l, where, sizeof(where));
		if (plan->tcp_connect_set)
			ward_report_add(r, "engine.tcp", true, 0, NULL,
					"the %s engine's API on TCP %s is out of reach: tcp-connect leaves port %u out",
					engine, where, (unsigned)e->l.port);
		else
			ward_report_add(r, "engine.tcp", false, 10.0,
					"remove allow-engine-socket from the profile, or leave the port out of tcp-connect",
					"CRITICAL: the %s engine's API listens on TCP %s, in reach (allow-engine-socket): that is root on the host",
					engine, where);
	}
	if (!plan->nengine_tcp)
		ward_report_add(r, "engine.tcp", true, 0, NULL,
				"no container engine listens on TCP where the program can reach (dockerd, containerd, podman, crio, buildkitd; 2375/2376 when the owner is hidden)");
}

static void check_mode(const struct ward_plan *plan, struct ward_report *r)
{
	if (plan->mode == WARD_MODE_ENTRYPOINT) {
		ward_report_add(r, "namespaces", false, 3.0,
				"run where namespaces are allowed, or rely on the container engine's own read-only root, masked /proc and namespaces",
				"entrypoint mode: no private or read-only root, masked /proc, minimal /dev, or private pid and network namespaces from ward");
		check_landlock_entrypoint(plan, r);
		return;
	}
	ward_report_add(r, "namespaces", true, 0, NULL,
			"own user, mount, pid, uts, ipc and cgroup namespaces%s",
			plan->net == WARD_NET_HOST ? "" : ", and network");
	if (plan->fallback_entrypoint)
		ward_report_add(r, "fallback", false, 1.0,
				"remove 'fallback entrypoint' unless the program must also run inside containers",
				"where namespaces are refused, the profile lets ward continue in entrypoint mode with fewer layers");
}

void ward_check_plan(const struct ward_plan *plan, struct ward_report *r)
{
	check_identity(plan, r);
	check_caps(plan, r);
	check_mode(plan, r);
	check_net(plan, r);
	check_seccomp(plan, r);
	check_filesystem(plan, r);
	check_secrets_and_engines(plan, r);
	check_limits(plan, r);
	check_ports(plan, r);
	check_abstract_sockets(plan, r);
	check_engine_tcp(plan, r);
	check_allow_sockets(plan, r);
}
