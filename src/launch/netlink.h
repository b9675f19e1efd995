/* rtnetlink requests through libmnl (not in the static build).
 *
 * The builders are pure: each writes one request into a caller buffer
 * (NLM_F_REQUEST|NLM_F_ACK and the given sequence number) and returns its
 * header, or NULL when @size is too small or an argument is invalid, so
 * the unit tests can check the bytes.  The reply decoder is pure too.
 * ward_nl_open/transact/close are the effectful part: one socket, one
 * sequence number per request, the reply matched on sequence and port id
 * and read until its ACK. */
#ifndef WARD_NETLINK_H
#define WARD_NETLINK_H

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"

/* Room for any request below (the largest, veth, is under 200 bytes). */
#define WARD_NL_REQ_MAX 512

/* RTM_NEWLINK: set IFF_UP on @ifindex. */
struct nlmsghdr *ward_nl_link_up(void *buf, size_t size, uint32_t seq,
				 int ifindex);

/* RTM_DELLINK of @ifindex (a veth's peer goes with it). */
struct nlmsghdr *ward_nl_link_del(void *buf, size_t size, uint32_t seq,
				  int ifindex);

/* RTM_NEWLINK, NLM_F_CREATE|NLM_F_EXCL: a veth pair named @host_name,
 * whose peer @peer_name is created directly in the network namespace of
 * process @peer_pid (IFLA_NET_NS_PID inside VETH_INFO_PEER). */
struct nlmsghdr *ward_nl_veth_new(void *buf, size_t size, uint32_t seq,
				  const char *host_name, const char *peer_name,
				  pid_t peer_pid);

/* RTM_NEWADDR, NLM_F_CREATE|NLM_F_EXCL: IPv4 @addr/@prefix (network byte
 * order) on @ifindex, as IFA_LOCAL and IFA_ADDRESS. */
struct nlmsghdr *ward_nl_addr_new(void *buf, size_t size, uint32_t seq,
				  int ifindex, uint32_t addr, unsigned prefix);

/* RTM_NEWROUTE, NLM_F_CREATE|NLM_F_EXCL: IPv4 default route via @gateway
 * (network byte order) out of @ifindex, main table. */
struct nlmsghdr *ward_nl_route_default(void *buf, size_t size, uint32_t seq,
				       int ifindex, uint32_t gateway);

/* The answer to one request. */
struct ward_nl_reply {
	int error;     /* the kernel's errno (positive); 0: an ACK */
	char msg[128]; /* the kernel's extended-ACK message, or "" */
};

/* Decode @len bytes received for request @seq on port @portid.
 * Returns 1 when they hold the request's answer (@out filled), 0 when
 * they hold only messages to skip (read more), -EBADMSG for a truncated
 * or malformed reply, -EPROTO for another sequence number, -ESRCH for
 * another port; @out is all zero unless 1 is returned. */
int ward_nl_reply_parse(const void *buf, size_t len, uint32_t seq,
			uint32_t portid, struct ward_nl_reply *out);

/* An open rtnetlink socket (struct mnl_socket, kept opaque here). */
struct ward_nl {
	void *sock;
	uint32_t portid;
	uint32_t seq; /* the last sequence number used */
};

/* Open and bind a NETLINK_ROUTE socket in the caller's network namespace.
 * Errors: WARD_STEP_NET. */
int ward_nl_open(struct ward_nl *nl, struct ward_err *err);

/* The next sequence number for a request on @nl. */
uint32_t ward_nl_next_seq(struct ward_nl *nl);

/* Send @nlh (built with ward_nl_next_seq) and read until its answer.  A
 * NULL @nlh (a builder's failure) is reported as EMSGSIZE.  Errors:
 * WARD_STEP_NET, "@what: the kernel's message" with the kernel's errno. */
int ward_nl_transact(struct ward_nl *nl, const struct nlmsghdr *nlh,
		     const char *what, struct ward_err *err);

void ward_nl_close(struct ward_nl *nl);

#endif
