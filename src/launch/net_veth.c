/* The parent's side of --net veth: create the pair with its sandbox end
 * directly in the sandbox's network namespace, configure the host end,
 * and remove it when the sandbox is gone.
 *
 * Lifetime: a veth pair dies with either end.  The sandbox end lives in
 * the sandbox's netns, which dies with the sandbox's last process (its
 * pid 1 is killed by PR_SET_PDEATHSIG when ward dies, even by SIGKILL, and
 * the pid namespace goes with it), so no interface outlives a sandbox.
 * ward also deletes the host end itself when it can, because the kernel
 * tears namespaces down asynchronously. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "launch/net.h"
#include "launch/netlink.h"

static int create_pair(struct ward_nl *nl, pid_t pid, struct ward_net_parent *st,
		       struct ward_err *err)
{
	char buf[WARD_NL_REQ_MAX], what[128];
	unsigned idx;
	int r;

	snprintf(what, sizeof(what), "RTM_NEWLINK veth %s <-> %s in the sandbox (pid %d)",
		 st->ifname, WARD_VETH_PEER, (int)pid);
	r = ward_nl_transact(nl, ward_nl_veth_new(buf, sizeof(buf), ward_nl_next_seq(nl),
						  st->ifname, WARD_VETH_PEER, pid),
			     what, err);
	if (r < 0)
		return r;
	/* Removal later goes by index: a name could be taken again by the
	 * next sandbox that gets the same pid. */
	idx = if_nametoindex(st->ifname);
	if (idx == 0)
		return ward_err_set(err, WARD_STEP_NET, errno ? errno : ENODEV,
				    "%s vanished right after its creation", st->ifname);
	st->ifindex = (int)idx;
	return 0;
}

static int configure_host_end(struct ward_nl *nl, const struct ward_net_parent *st,
			      const struct ward_veth *v, struct ward_err *err)
{
	char buf[WARD_NL_REQ_MAX], what[96], addr[INET_ADDRSTRLEN];
	int r;

	inet_ntop(AF_INET, &v->host, addr, sizeof(addr));
	snprintf(what, sizeof(what), "RTM_NEWADDR %s %s/%u", st->ifname, addr, v->prefix);
	r = ward_nl_transact(nl, ward_nl_addr_new(buf, sizeof(buf), ward_nl_next_seq(nl),
						  st->ifindex, v->host, v->prefix),
			     what, err);
	if (r < 0)
		return r;
	snprintf(what, sizeof(what), "RTM_NEWLINK %s up", st->ifname);
	return ward_nl_transact(nl, ward_nl_link_up(buf, sizeof(buf), ward_nl_next_seq(nl),
						    st->ifindex),
				what, err);
}

int ward_net_parent_setup(pid_t pid, const struct ward_plan *plan,
			  struct ward_net_parent *st, struct ward_err *err)
{
	char desc[128];
	struct ward_nl nl;
	int r;

	memset(st, 0, sizeof(*st));
	if (plan->net != WARD_NET_VETH)
		return 0;
	ward_veth_ifname(pid, st->ifname);
	if ((r = ward_nl_open(&nl, err)) < 0)
		return r;
	r = create_pair(&nl, pid, st, err);
	if (r == 0)
		r = configure_host_end(&nl, st, &plan->veth, err);
	ward_nl_close(&nl);
	if (r == 0) {
		ward_veth_format(&plan->veth, desc, sizeof(desc));
		ward_log("net", "veth %s: %s", st->ifname, desc);
	}
	return r;
}

void ward_net_parent_cleanup(struct ward_net_parent *st)
{
	struct ward_err err = {0};
	char buf[WARD_NL_REQ_MAX], what[64], line[WARD_ERR_MSG_MAX + 256];
	struct ward_nl nl;
	int r;

	if (st->ifindex <= 0)
		return;
	snprintf(what, sizeof(what), "RTM_DELLINK %s", st->ifname);
	r = ward_nl_open(&nl, &err);
	if (r == 0) {
		r = ward_nl_transact(&nl, ward_nl_link_del(buf, sizeof(buf),
							   ward_nl_next_seq(&nl), st->ifindex),
				     what, &err);
		ward_nl_close(&nl);
	}
	/* ENODEV: the kernel was first, the sandbox's netns is gone. */
	if (r < 0 && err.errnum != ENODEV) {
		ward_err_format(&err, line, sizeof(line));
		fprintf(stderr, "%s (the kernel removes it once the sandbox's "
				"network namespace is gone)\n", line);
	}
	st->ifindex = 0;
}
