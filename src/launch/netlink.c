/* One rtnetlink socket and its request/ACK transactions, through libmnl.
 * Shared by the child (lo, eth0, route) and the parent (the veth pair). */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <libmnl/libmnl.h>

#include "launch/netlink.h"
#include "base/sys.h"

/* Any answer to one request fits: an error echoes the request (under
 * WARD_NL_REQ_MAX) plus a short extended-ACK text. */
#define REPLY_MAX 8192
/* Messages to skip before the answer must come (none are expected). */
#define READS_MAX 64
/* The kernel answers at once; a silent socket must not hang a launch. */
#define REPLY_TIMEOUT_SEC 10

static int close_with_error(struct mnl_socket *sock, const char *what,
			    struct ward_err *err)
{
	int e = errno;

	mnl_socket_close(sock);
	return ward_err_set(err, WARD_STEP_NET, e, "%s", what);
}

int ward_nl_open(struct ward_nl *nl, struct ward_err *err)
{
	struct timeval tv = {.tv_sec = REPLY_TIMEOUT_SEC};
	struct mnl_socket *sock;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!sock)
		return ward_err_set(err, WARD_STEP_NET, errno, "netlink socket (NETLINK_ROUTE)");
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return close_with_error(sock, "netlink bind", err);
	if (setsockopt(mnl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)) < 0)
		return close_with_error(sock, "netlink SO_RCVTIMEO", err);
	/* The kernel's own words on a refusal ("prefix length too long"):
	 * best effort, a kernel without it only leaves the text out. */
	(void)mnl_socket_setsockopt(sock, NETLINK_EXT_ACK, &one, sizeof(one));
	nl->sock = sock;
	nl->portid = mnl_socket_get_portid(sock);
	nl->seq = (uint32_t)time(NULL);
	return 0;
}

uint32_t ward_nl_next_seq(struct ward_nl *nl)
{
	/* 0 would match any reply (libmnl treats it as "no tracking"). */
	if (++nl->seq == 0)
		nl->seq = 1;
	return nl->seq;
}

static int answer_error(const struct ward_nl_reply *reply, const char *what,
			struct ward_err *err)
{
	if (reply->msg[0])
		return ward_err_set(err, WARD_STEP_NET, reply->error,
				    "%s (kernel: %s)", what, reply->msg);
	return ward_err_set(err, WARD_STEP_NET, reply->error, "%s", what);
}

int ward_nl_transact(struct ward_nl *nl, const struct nlmsghdr *nlh,
		     const char *what, struct ward_err *err)
{
	char buf[REPLY_MAX];
	struct ward_nl_reply reply;
	ssize_t n;
	int r;

	if (!nlh)
		return ward_err_set(err, WARD_STEP_NET, EMSGSIZE,
				    "%s: the request could not be built", what);
	if (sys_netlink_send(mnl_socket_get_fd(nl->sock), nlh, nlh->nlmsg_len) < 0)
		return ward_err_set(err, WARD_STEP_NET, errno, "%s: send", what);
	for (int i = 0; i < READS_MAX; i++) {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return ward_err_set(err, WARD_STEP_NET,
					    errno == EAGAIN ? ETIMEDOUT : errno,
					    "%s: receive", what);
		r = ward_nl_reply_parse(buf, (size_t)n, nlh->nlmsg_seq, nl->portid,
					&reply);
		if (r < 0)
			return ward_err_set(err, WARD_STEP_NET, -r, "%s: bad reply", what);
		if (r == 1)
			return reply.error ? answer_error(&reply, what, err) : 0;
	}
	return ward_err_set(err, WARD_STEP_NET, EPROTO, "%s: no answer", what);
}

void ward_nl_close(struct ward_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}
