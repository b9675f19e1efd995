/* rtnetlink through libmnl: every request carries NLM_F_ACK and a
 * sequence number, and the reply is matched on sequence and port id. */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <string.h>
#include <time.h>

#include "ward/net.h"

/* Send @nlh and wait for its ACK; a NLMSG_ERROR with a nonzero error
 * makes mnl_cb_run return -1 with errno set to the kernel's errno. */
static int rtnl_transact(struct nlmsghdr *nlh, const char *what,
			 struct ward_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	unsigned int portid;
	ssize_t n;
	int r = 0;

	if (!nl)
		return ward_err_set(err, WARD_STEP_NET, errno, "netlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = ward_err_set(err, WARD_STEP_NET, errno, "netlink bind");
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		r = ward_err_set(err, WARD_STEP_NET, errno, "%s: send", what);
		goto out;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			r = ward_err_set(err, WARD_STEP_NET, errno, "%s: receive", what);
			break;
		}
		n = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, NULL, NULL);
		if (n < 0) {
			r = ward_err_set(err, WARD_STEP_NET, errno, "%s", what);
			break;
		}
		if (n == MNL_CB_STOP)
			break;
	}
out:
	mnl_socket_close(nl);
	return r;
}

int ward_net_link_up(int ifindex, struct ward_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	char what[64];

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (unsigned int)time(NULL);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	snprintf(what, sizeof(what), "RTM_NEWLINK ifindex %d up", ifindex);
	return rtnl_transact(nlh, what, err);
}

int ward_net_child_setup(const struct ward_plan *plan, struct ward_err *err)
{
	unsigned int lo;

	if (plan->net != WARD_NET_LOOPBACK)
		return 0;
	lo = if_nametoindex("lo");
	if (lo == 0)
		return ward_err_set(err, WARD_STEP_NET, errno, "no loopback interface");
	return ward_net_link_up((int)lo, err);
}
