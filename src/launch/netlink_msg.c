/* rtnetlink messages: the request builders and the reply decoder.  Pure:
 * they only read and write the caller's buffers (tests/unit/test_netlink.c
 * checks the bytes, tests/fuzz/fuzz_netlink_reply.c the decoder). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <libmnl/libmnl.h>

#include "launch/netlink.h"

/* The kernel's errnos stop at 4095 (MAX_ERRNO). */
#define ERRNO_MAX 4095

/* Header, flags, sequence number and a zeroed family header of @extra
 * bytes; NULL when @size cannot hold them. */
static struct nlmsghdr *start(void *buf, size_t size, uint16_t type,
			      uint16_t flags, uint32_t seq, size_t extra,
			      void **family)
{
	struct nlmsghdr *nlh;

	if (!buf || size < MNL_NLMSG_HDRLEN + MNL_ALIGN(extra))
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	/* Without NLM_F_ACK a success sends nothing back, and the reader
	 * would wait for an answer that never comes. */
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = seq;
	*family = mnl_nlmsg_put_extra_header(nlh, extra);
	return nlh;
}

static bool valid_name(const char *name)
{
	return name && name[0] && strlen(name) < IFNAMSIZ;
}

static struct nlmsghdr *link_msg(void *buf, size_t size, uint16_t type,
				 uint32_t seq, int ifindex, unsigned flags)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	if (ifindex <= 0)
		return NULL;
	nlh = start(buf, size, type, 0, seq, sizeof(*ifi), (void **)&ifi);
	if (!nlh)
		return NULL;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	ifi->ifi_change = flags;
	return nlh;
}

struct nlmsghdr *ward_nl_link_up(void *buf, size_t size, uint32_t seq,
				 int ifindex)
{
	return link_msg(buf, size, RTM_NEWLINK, seq, ifindex, IFF_UP);
}

struct nlmsghdr *ward_nl_link_del(void *buf, size_t size, uint32_t seq,
				  int ifindex)
{
	return link_msg(buf, size, RTM_DELLINK, seq, ifindex, 0);
}

/* VETH_INFO_PEER carries a whole ifinfomsg before the peer's own
 * attributes (the kernel parses it like an RTM_NEWLINK body). */
static bool put_peer(struct nlmsghdr *nlh, size_t size, const char *name,
		     pid_t pid)
{
	struct nlattr *peer = mnl_attr_nest_start_check(nlh, size, VETH_INFO_PEER);
	struct ifinfomsg *ifi;

	if (!peer || nlh->nlmsg_len + MNL_ALIGN(sizeof(*ifi)) > size)
		return false;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, size, IFLA_IFNAME, name) ||
	    !mnl_attr_put_u32_check(nlh, size, IFLA_NET_NS_PID, (uint32_t)pid))
		return false;
	mnl_attr_nest_end(nlh, peer);
	return true;
}

struct nlmsghdr *ward_nl_veth_new(void *buf, size_t size, uint32_t seq,
				  const char *host_name, const char *peer_name,
				  pid_t peer_pid)
{
	struct nlattr *info, *data;
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	if (!valid_name(host_name) || !valid_name(peer_name) || peer_pid <= 0)
		return NULL;
	/* EXCL: an existing interface of that name is an error, never
	 * reused. */
	nlh = start(buf, size, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, seq,
		    sizeof(*ifi), (void **)&ifi);
	if (!nlh)
		return NULL;
	ifi->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, size, IFLA_IFNAME, host_name) ||
	    !(info = mnl_attr_nest_start_check(nlh, size, IFLA_LINKINFO)) ||
	    !mnl_attr_put_strz_check(nlh, size, IFLA_INFO_KIND, "veth") ||
	    !(data = mnl_attr_nest_start_check(nlh, size, IFLA_INFO_DATA)) ||
	    !put_peer(nlh, size, peer_name, peer_pid))
		return NULL;
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

struct nlmsghdr *ward_nl_addr_new(void *buf, size_t size, uint32_t seq,
				  int ifindex, uint32_t addr, unsigned prefix)
{
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;

	if (ifindex <= 0 || prefix > 32)
		return NULL;
	nlh = start(buf, size, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, seq,
		    sizeof(*ifa), (void **)&ifa);
	if (!nlh)
		return NULL;
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)ifindex;
	/* IPv4 wants both: LOCAL is the interface's address, ADDRESS the
	 * peer's on point-to-point links and the same otherwise. */
	if (!mnl_attr_put_check(nlh, size, IFA_LOCAL, sizeof(addr), &addr) ||
	    !mnl_attr_put_check(nlh, size, IFA_ADDRESS, sizeof(addr), &addr))
		return NULL;
	return nlh;
}

struct nlmsghdr *ward_nl_route_default(void *buf, size_t size, uint32_t seq,
				       int ifindex, uint32_t gateway)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (ifindex <= 0)
		return NULL;
	nlh = start(buf, size, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, seq,
		    sizeof(*rtm), (void **)&rtm);
	if (!nlh)
		return NULL;
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 0; /* 0.0.0.0/0 */
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (!mnl_attr_put_check(nlh, size, RTA_GATEWAY, sizeof(gateway), &gateway) ||
	    !mnl_attr_put_u32_check(nlh, size, RTA_OIF, (uint32_t)ifindex))
		return NULL;
	return nlh;
}

/* ---- replies ---------------------------------------------------------- */

struct parse_state {
	struct ward_nl_reply *out;
	bool done;
	int bad; /* errno for a malformed reply */
};

/* Every byte belongs to a whole message whose aligned end lies inside
 * the buffer.  Checked here rather than with mnl_nlmsg_ok, which compares
 * (int)nlmsg_len: a length of 0xffffffff passes as -1 and then aligns to
 * a step of 0, so libmnl would loop forever on the same message.  A
 * truncated message must be an error too: libmnl would just stop and
 * report "read more", which for a cut-off ACK means waiting forever. */
static bool whole_messages(const void *buf, size_t len)
{
	const char *p = buf;
	size_t rem = len;

	while (rem > 0) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
		size_t step;

		if (rem < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
		    nlh->nlmsg_len > rem)
			return false;
		step = MNL_ALIGN((size_t)nlh->nlmsg_len);
		if (step > rem)
			return false;
		p += step;
		rem -= step;
	}
	return true;
}

static int on_ext_attr(const struct nlattr *attr, void *data)
{
	struct parse_state *st = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(st->out->msg, sizeof(st->out->msg), "%s",
			 mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/* NETLINK_EXT_ACK: attributes after the nlmsgerr and, unless the kernel
 * capped it, after the echoed request. */
static void parse_ext_ack(const struct nlmsghdr *nlh, const struct nlmsgerr *e,
			  size_t plen, struct parse_state *st)
{
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return;
		off += (size_t)e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = MNL_ALIGN(off);
	if (off < plen)
		mnl_attr_parse(nlh, (unsigned)off, on_ext_attr, st);
}

static int on_error(const struct nlmsghdr *nlh, void *data)
{
	struct parse_state *st = data;
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (plen < sizeof(*e) || e->error > 0 || e->error < -ERRNO_MAX) {
		st->bad = EBADMSG;
		return MNL_CB_ERROR;
	}
	st->out->error = -e->error;
	parse_ext_ack(nlh, e, plen, st);
	st->done = true;
	return MNL_CB_STOP;
}

/* NLMSG_DONE or OVERRUN answer dumps, never a single request. */
static int on_unexpected(const struct nlmsghdr *nlh, void *data)
{
	struct parse_state *st = data;

	st->bad = EBADMSG;
	return MNL_CB_ERROR;
}

int ward_nl_reply_parse(const void *buf, size_t len, uint32_t seq,
			uint32_t portid, struct ward_nl_reply *out)
{
	/* Not const: libmnl's prototype takes a plain pointer. */
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = on_error,
		[NLMSG_DONE] = on_unexpected,
		[NLMSG_OVERRUN] = on_unexpected,
	};
	struct parse_state st = {.out = out};
	int r;

	memset(out, 0, sizeof(*out));
	if (!buf || len > INT_MAX || !whole_messages(buf, len))
		return -EBADMSG;
	errno = 0;
	/* Data messages (none are expected without NLM_F_ECHO) and NOOPs
	 * are skipped; libmnl checks each message's sequence and port. */
	r = mnl_cb_run2(buf, len, seq, portid, NULL, &st, ctl, NLMSG_MIN_TYPE);
	if (r == MNL_CB_ERROR) {
		memset(out, 0, sizeof(*out));
		if (st.bad)
			return -st.bad;
		return errno == EPROTO || errno == ESRCH ? -errno : -EBADMSG;
	}
	return st.done ? 1 : 0;
}
