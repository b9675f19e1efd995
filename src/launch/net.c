/* The child's side of the network: inside its new network namespace,
 * raise lo (net_lo.c) and, for --net veth, configure eth0 (created there
 * by the parent before "go") and the default route.  rtnetlink through libmnl:
 * every request carries NLM_F_ACK and its own sequence number, and the
 * reply is matched on sequence and port id (netlink.c). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>

#include "launch/net.h"
#include "launch/netlink.h"

static int link_up(struct ward_nl *nl, int ifindex, const char *name,
		   struct ward_err *err)
{
	char buf[WARD_NL_REQ_MAX], what[64];

	snprintf(what, sizeof(what), "RTM_NEWLINK %s up", name);
	return ward_nl_transact(nl, ward_nl_link_up(buf, sizeof(buf),
						    ward_nl_next_seq(nl), ifindex),
				what, err);
}

static int lookup(const char *name, int *ifindex, struct ward_err *err)
{
	unsigned idx = if_nametoindex(name);

	if (idx == 0)
		return ward_err_set(err, WARD_STEP_NET, errno ? errno : ENODEV,
				    "no interface %s in the sandbox", name);
	*ifindex = (int)idx;
	return 0;
}

/* eth0: address, up, then the default route (the gateway must already
 * be reachable through eth0's subnet). */
static int setup_eth0(struct ward_nl *nl, const struct ward_veth *v,
		      struct ward_err *err)
{
	char buf[WARD_NL_REQ_MAX], what[96], addr[INET_ADDRSTRLEN];
	int eth0 = 0, r;

	if ((r = lookup(WARD_VETH_PEER, &eth0, err)) < 0)
		return r;
	inet_ntop(AF_INET, &v->sandbox, addr, sizeof(addr));
	snprintf(what, sizeof(what), "RTM_NEWADDR %s %s/%u", WARD_VETH_PEER, addr,
		 v->prefix);
	r = ward_nl_transact(nl, ward_nl_addr_new(buf, sizeof(buf), ward_nl_next_seq(nl),
						  eth0, v->sandbox, v->prefix),
			     what, err);
	if (r < 0 || (r = link_up(nl, eth0, WARD_VETH_PEER, err)) < 0)
		return r;
	inet_ntop(AF_INET, &v->host, addr, sizeof(addr));
	snprintf(what, sizeof(what), "RTM_NEWROUTE default via %s dev %s", addr,
		 WARD_VETH_PEER);
	return ward_nl_transact(nl, ward_nl_route_default(buf, sizeof(buf),
							  ward_nl_next_seq(nl), eth0,
							  v->host),
				what, err);
}

int ward_net_child_setup(const struct ward_plan *plan, struct ward_err *err)
{
	struct ward_nl nl;
	int r;

	if (plan->net != WARD_NET_LOOPBACK && plan->net != WARD_NET_VETH)
		return 0;
	if ((r = ward_net_lo_up(err)) < 0 || plan->net != WARD_NET_VETH)
		return r;
	if ((r = ward_nl_open(&nl, err)) < 0)
		return r;
	r = setup_eth0(&nl, &plan->veth, err);
	ward_nl_close(&nl);
	return r;
}
