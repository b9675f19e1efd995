/* The listening TCP sockets through sock_diag (see tcp_listeners.h): an
 * inet_diag dump filtered by the kernel to state LISTEN, so only the
 * listening hash is walked, for AF_INET then AF_INET6. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/sys.h"
#include "engine/tcp_listeners.h"

#define TCP_LISTEN 10 /* include/net/tcp_states.h */

static int take_msg(const struct nlmsghdr *h, struct ward_tcp_listener *out,
		    size_t max, size_t *n)
{
	const struct inet_diag_msg *m = NLMSG_DATA(h);
	struct ward_tcp_listener l = {0};

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
	    (m->idiag_family != AF_INET && m->idiag_family != AF_INET6))
		return -EINVAL;
	if (m->idiag_state != TCP_LISTEN)
		return 0; /* the kernel filters; a stray one is no listener */
	l.v6 = m->idiag_family == AF_INET6;
	memcpy(l.addr, m->id.idiag_src, l.v6 ? 16 : 4);
	l.port = ntohs(m->id.idiag_sport);
	l.uid = m->idiag_uid;
	l.inode = m->idiag_inode;
	if (*n >= max)
		return -E2BIG;
	out[(*n)++] = l;
	return 0;
}

int ward_tcp_parse_diag(const void *buf, size_t len, uint32_t seq,
			struct ward_tcp_listener *out, size_t max, size_t *n)
{
	size_t left = len;
	const struct nlmsghdr *h = buf;
	int r;

	if (len == 0)
		return -EINVAL;
	for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		if (h->nlmsg_seq != seq)
			return -EINVAL;
		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return -EINVAL;
			return e->error < 0 && e->error > -4096 ? e->error : -EINVAL;
		}
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			return -EINVAL;
		if ((r = take_msg(h, out, max, n)) < 0)
			return r;
	}
	return left == 0 ? 0 : -EINVAL; /* a truncated message */
}

static int dump_family(int fd, int family, uint32_t seq,
		       struct ward_tcp_listener *out, size_t max, size_t *n)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req = {
		.h = {.nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		      .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = seq},
		.r = {.sdiag_family = (uint8_t)family, .sdiag_protocol = IPPROTO_TCP,
		      .idiag_states = 1u << TCP_LISTEN},
	};
	static char buf[32768] __attribute__((aligned(4)));
	int r;

	if (sys_netlink_send(fd, &req, sizeof(req)) < 0)
		return -errno;
	for (;;) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		r = ward_tcp_parse_diag(buf, (size_t)got, seq, out, max, n);
		if (r != 0)
			return r < 0 ? r : 0;
	}
}

int ward_tcp_diag_listeners(struct ward_tcp_listener *out, size_t max, size_t *n)
{
	_cleanup_close_ int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
					NETLINK_SOCK_DIAG);
	struct timeval tv = {2, 0};
	int r;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	*n = 0;
	if ((r = dump_family(fd, AF_INET, 1, out, max, n)) < 0)
		return r;
	r = dump_family(fd, AF_INET6, 2, out, max, n);
	/* A kernel without IPv6 answers ENOENT or EAFNOSUPPORT: none. */
	return r == -ENOENT || r == -EAFNOSUPPORT ? 0 : r;
}
