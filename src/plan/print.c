/* A readable summary of a plan (ward check). */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>

#include "kernel/caps.h"
#include "plan/listen.h"
#include "plan/net_addr.h"
#include "plan/plan.h"
#include "seccomp/seccomp.h"
#include "plan/secret_spec.h"

static const char *net_name(enum ward_net net)
{
	switch (net) {
	case WARD_NET_LOOPBACK: return "new network namespace, lo up";
	case WARD_NET_NONE: return "new network namespace, nothing up";
	case WARD_NET_HOST: return "the host's network (shared)";
	case WARD_NET_VETH: return "new network namespace, lo up, eth0 through a veth";
	}
	return "?";
}

static const char *seccomp_name(const struct ward_plan *plan)
{
	switch (plan->seccomp_mode) {
	case WARD_SECCOMP_DEFAULT: return "default allowlist";
	case WARD_SECCOMP_STRICT: return "strict allowlist";
	case WARD_SECCOMP_FILE: return plan->seccomp_path;
	case WARD_SECCOMP_DOCKER: return plan->seccomp_path;
	case WARD_SECCOMP_OFF: return "OFF (off-i-know)";
	}
	return "?";
}

static const char *groups_name(enum ward_groups g)
{
	switch (g) {
	case WARD_GROUPS_CLEAR: return "cleared";
	case WARD_GROUPS_KEEP: return "kept (the caller's)";
	case WARD_GROUPS_LIST: return "set from --groups";
	}
	return "?";
}

static void print_ports(const char *what, bool set, const uint16_t *ports,
			size_t n, FILE *out)
{
	if (!set)
		return;
	fprintf(out, "%s", what);
	if (n == 0)
		fprintf(out, " none");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%u", i ? "," : " ", ports[i]);
	fprintf(out, " (Landlock)\n");
}

static void print_confinement(const struct ward_plan *plan, FILE *out)
{
	for (size_t i = 0; i < plan->nwritable; i++)
		fprintf(out, "writable:     %s%s\n", plan->writable[i],
			plan->mode == WARD_MODE_ENTRYPOINT ? " (Landlock)" : " (read-write bind)");
	char socks[WARD_MAX_LISTEN * (WARD_LISTEN_NAME_MAX + 48)];

	if (plan->nlisten) {
		ward_listen_format_all(plan, socks, sizeof(socks));
		fprintf(out, "listen:       %s, bound by ward in the caller's network, "
			"fd 3 onwards (LISTEN_FDS)\n", socks);
	}
	print_ports("tcp bind:    ", plan->tcp_bind_set, plan->tcp_bind, plan->ntcp_bind, out);
	print_ports("tcp connect: ", plan->tcp_connect_set, plan->tcp_connect,
		    plan->ntcp_connect, out);
	if (plan->listen_connect_denied)
		fprintf(out, "              (every TCP connect denied: the listening sockets "
			"belong to the caller's network)\n");
	if (plan->landlock_optional)
		fprintf(out, "landlock:     optional (runs without it where the kernel lacks it)\n");
}

void ward_plan_print(const struct ward_plan *plan, FILE *out)
{
	char caps[1024];

	ward_caps_format(plan->caps_keep, caps, sizeof(caps));
	fprintf(out, "launch:       %s%s\n", plan->rootless ? "rootless" : "as root",
		plan->mode == WARD_MODE_ENTRYPOINT ? ", entrypoint mode (no namespaces)" : "");
	if (plan->mode == WARD_MODE_ENTRYPOINT)
		fprintf(out, "root:         the container's, read-only by Landlock except the writable paths\n");
	else
		fprintf(out, "root:         %s, read-only\n",
			plan->rootfs ? plan->rootfs : "synthesised from the host");
	fprintf(out, "user:         uid %u gid %u, supplementary groups %s\n",
		plan->uid, plan->gid, groups_name(plan->groups));
	fprintf(out, "capabilities: %s\n", caps);
	fprintf(out, "network:      %s\n", net_name(plan->net));
	if (plan->net == WARD_NET_VETH) {
		char veth[128];

		ward_veth_format(&plan->veth, veth, sizeof(veth));
		fprintf(out, "veth:         ward<PID> %s\n", veth);
	}
	fprintf(out, "hostname:     %s\n", plan->hostname);
	fprintf(out, "seccomp:      %s%s, %u BPF instructions%s\n",
		seccomp_name(plan),
		plan->seccomp_log_only ? " (LOG ONLY: nothing is refused)" : "",
		plan->seccomp_prog.len,
		ward_seccomp_is_precompiled(&plan->seccomp_prog, plan->seccomp_mode)
			? " (precompiled at build time)" : "");
	for (size_t i = 0; i < plan->nbinds; i++)
		fprintf(out, "bind:         %s -> %s (%s)\n", plan->binds[i].src,
			plan->binds[i].dst, plan->binds[i].rw ? "read-write" : "read-only");
	for (size_t i = 0; i < plan->ntmpfs; i++)
		fprintf(out, "tmpfs:        %s\n", plan->tmpfs[i].dst);
	for (size_t i = 0; i < plan->nsecrets; i++) /* never the value */
		fprintf(out, "secret:       %s from %s -> " WARD_SECRETS_DIR "/%s (0400)%s\n",
			plan->secrets[i].name, ward_secret_source_name(plan->secrets[i].source),
			plan->secrets[i].name,
			plan->secrets[i].env ? ", also in the environment (secret-env)" : "");
	for (size_t i = 0; i < plan->nrlimits; i++) {
		char limit[96];

		ward_rlimit_format(&plan->rlimits[i], limit, sizeof(limit));
		fprintf(out, "rlimit:       %s%s\n", limit,
			plan->rlimits[i].by_default ? " (ward's default)" : "");
	}
	print_confinement(plan, out);
	fprintf(out, "workdir:      %s\n", plan->workdir);
	fprintf(out, "pid 1:        %s\n", plan->own_init ? "the program itself"
						     : "ward's init");
}
