/* netlink_msg.c and net_addr.c: the rtnetlink requests, parsed back with
 * libmnl's own parsers; the reply decoder on ACKs, kernel errors (with
 * and without extended-ACK text), wrong sequence or port, truncated and
 * garbage replies; one real kernel refusal through the transaction; the
 * veth address rules, defaults and names. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "launch/net.h"
#include "launch/netlink.h"

#define SEQ 0x1234u
#define PORT 4242u
#define ATTR_MAX 64

/* ---- parsing requests back -------------------------------------------- */

struct attrs {
	const struct nlattr *tb[ATTR_MAX];
};

static int collect(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	uint16_t type = mnl_attr_get_type(attr);

	assert_true(type < ATTR_MAX);
	assert_null(a->tb[type]); /* every attribute once */
	a->tb[type] = attr;
	return MNL_CB_OK;
}

static void parse_msg(const struct nlmsghdr *nlh, size_t family_len,
		      struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	assert_int_equal(mnl_attr_parse(nlh, (unsigned)MNL_ALIGN(family_len),
					collect, a), MNL_CB_OK);
}

static void parse_nested(const struct nlattr *nest, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	assert_non_null(nest);
	assert_int_equal(mnl_attr_parse_nested(nest, collect, a), MNL_CB_OK);
}

static void check_header(const struct nlmsghdr *nlh, uint16_t type,
			 uint16_t extra_flags, size_t size)
{
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, type);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | extra_flags);
	assert_int_equal(nlh->nlmsg_seq, SEQ);
	assert_int_equal(nlh->nlmsg_pid, 0);
	assert_true(nlh->nlmsg_len <= size);
	assert_true(mnl_nlmsg_ok(nlh, (int)nlh->nlmsg_len));
}

static void test_link_up(void **state)
{
	char buf[WARD_NL_REQ_MAX];
	struct nlmsghdr *nlh = ward_nl_link_up(buf, sizeof(buf), SEQ, 7);
	struct ifinfomsg *ifi;

	check_header(nlh, RTM_NEWLINK, 0, sizeof(buf));
	assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi)));
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_family, AF_UNSPEC);
	assert_int_equal(ifi->ifi_index, 7);
	assert_int_equal(ifi->ifi_flags, IFF_UP);
	assert_int_equal(ifi->ifi_change, IFF_UP);
}

static void test_link_del(void **state)
{
	char buf[WARD_NL_REQ_MAX];
	struct nlmsghdr *nlh = ward_nl_link_del(buf, sizeof(buf), SEQ, 9);
	struct ifinfomsg *ifi;

	check_header(nlh, RTM_DELLINK, 0, sizeof(buf));
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_index, 9);
	assert_int_equal(ifi->ifi_change, 0);
}

static void test_veth_new(void **state)
{
	char buf[WARD_NL_REQ_MAX];
	struct nlmsghdr *nlh = ward_nl_veth_new(buf, sizeof(buf), SEQ, "ward4194304",
						"eth0", 4194304);
	struct attrs top, info, data, peer;
	const struct nlattr *p;
	const struct ifinfomsg *pifi;

	check_header(nlh, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(buf));
	assert_int_equal(((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index, 0);
	parse_msg(nlh, sizeof(struct ifinfomsg), &top);
	assert_string_equal(mnl_attr_get_str(top.tb[IFLA_IFNAME]), "ward4194304");
	parse_nested(top.tb[IFLA_LINKINFO], &info);
	assert_int_equal(mnl_attr_validate(info.tb[IFLA_INFO_KIND], MNL_TYPE_NUL_STRING), 0);
	assert_string_equal(mnl_attr_get_str(info.tb[IFLA_INFO_KIND]), "veth");
	parse_nested(info.tb[IFLA_INFO_DATA], &data);
	/* The peer nest: an ifinfomsg, then the peer's attributes. */
	p = data.tb[VETH_INFO_PEER];
	assert_non_null(p);
	assert_true(mnl_attr_get_payload_len(p) > sizeof(*pifi));
	pifi = mnl_attr_get_payload(p);
	assert_int_equal(pifi->ifi_family, AF_UNSPEC);
	assert_int_equal(pifi->ifi_index, 0);
	memset(&peer, 0, sizeof(peer));
	assert_int_equal(mnl_attr_parse_payload((const char *)pifi + MNL_ALIGN(sizeof(*pifi)),
						mnl_attr_get_payload_len(p) -
							MNL_ALIGN(sizeof(*pifi)),
						collect, &peer),
			 MNL_CB_OK);
	assert_string_equal(mnl_attr_get_str(peer.tb[IFLA_IFNAME]), "eth0");
	assert_int_equal(mnl_attr_validate(peer.tb[IFLA_NET_NS_PID], MNL_TYPE_U32), 0);
	assert_int_equal(mnl_attr_get_u32(peer.tb[IFLA_NET_NS_PID]), 4194304);
}

static void test_veth_new_refuses_bad_arguments(void **state)
{
	char buf[WARD_NL_REQ_MAX];

	assert_null(ward_nl_veth_new(buf, sizeof(buf), SEQ, "0123456789abcdef", "eth0", 1));
	assert_null(ward_nl_veth_new(buf, sizeof(buf), SEQ, "", "eth0", 1));
	assert_null(ward_nl_veth_new(buf, sizeof(buf), SEQ, "ward1", NULL, 1));
	assert_null(ward_nl_veth_new(buf, sizeof(buf), SEQ, "ward1", "eth0", 0));
	assert_null(ward_nl_link_up(buf, sizeof(buf), SEQ, 0));
	assert_null(ward_nl_addr_new(buf, sizeof(buf), SEQ, 1, 0, 33));
	assert_null(ward_nl_route_default(buf, sizeof(buf), SEQ, -1, 0));
}

/* Every builder fails cleanly, never writing past @size, for every
 * buffer size below what its message needs. */
static void test_builders_respect_size(void **state)
{
	char buf[WARD_NL_REQ_MAX + 8];
	uint32_t a = htonl(0x0ac80001);

	for (size_t size = 0; size < WARD_NL_REQ_MAX; size++) {
		struct nlmsghdr *m[5];

		memset(buf, 0x5a, sizeof(buf));
		m[0] = ward_nl_link_up(buf, size, SEQ, 1);
		m[1] = ward_nl_link_del(buf, size, SEQ, 1);
		m[2] = ward_nl_veth_new(buf, size, SEQ, "ward123", "eth0", 123);
		m[3] = ward_nl_addr_new(buf, size, SEQ, 1, a, 30);
		m[4] = ward_nl_route_default(buf, size, SEQ, 1, a);
		for (size_t i = 0; i < 5; i++)
			if (m[i])
				assert_true(m[i]->nlmsg_len <= size);
		for (size_t i = size; i < sizeof(buf); i++)
			assert_int_equal((unsigned char)buf[i], 0x5a);
	}
	assert_null(ward_nl_veth_new(buf, 64, SEQ, "ward123", "eth0", 123));
	assert_null(ward_nl_link_up(buf, 16, SEQ, 1));
}

static void test_addr_new(void **state)
{
	char buf[WARD_NL_REQ_MAX];
	uint32_t addr = htonl(0x0ad50702); /* 10.213.7.2 */
	struct nlmsghdr *nlh = ward_nl_addr_new(buf, sizeof(buf), SEQ, 3, addr, 30);
	struct ifaddrmsg *ifa;
	struct attrs a;

	check_header(nlh, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(buf));
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET);
	assert_int_equal(ifa->ifa_prefixlen, 30);
	assert_int_equal(ifa->ifa_index, 3);
	parse_msg(nlh, sizeof(*ifa), &a);
	assert_int_equal(mnl_attr_validate(a.tb[IFA_LOCAL], MNL_TYPE_U32), 0);
	assert_int_equal(mnl_attr_get_u32(a.tb[IFA_LOCAL]), addr);
	assert_int_equal(mnl_attr_get_u32(a.tb[IFA_ADDRESS]), addr);
}

static void test_route_default(void **state)
{
	char buf[WARD_NL_REQ_MAX];
	uint32_t gw = htonl(0x0ad50701);
	struct nlmsghdr *nlh = ward_nl_route_default(buf, sizeof(buf), SEQ, 2, gw);
	struct rtmsg *rtm;
	struct attrs a;

	check_header(nlh, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(buf));
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_family, AF_INET);
	assert_int_equal(rtm->rtm_dst_len, 0);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	parse_msg(nlh, sizeof(*rtm), &a);
	assert_null(a.tb[RTA_DST]);
	assert_int_equal(mnl_attr_get_u32(a.tb[RTA_GATEWAY]), gw);
	assert_int_equal(mnl_attr_get_u32(a.tb[RTA_OIF]), 2);
}

/* ---- replies ---------------------------------------------------------- */

/* An NLMSG_ERROR answering request SEQ from PORT: @error 0 is an ACK.
 * With @ext, NETLINK_EXT_ACK text after the capped request.  Returns the
 * reply's length. */
static size_t make_error(void *buf, uint32_t seq, uint32_t port, int error,
			 const char *ext)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = port;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_len = 40; /* the request: header only (capped) */
	e->msg.nlmsg_type = RTM_NEWADDR;
	e->msg.nlmsg_seq = seq;
	if (ext) {
		nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, ext);
	}
	return nlh->nlmsg_len;
}

static void test_reply_ack(void **state)
{
	char buf[256];
	struct ward_nl_reply r;
	size_t n = make_error(buf, SEQ, PORT, 0, NULL);

	assert_int_equal(ward_nl_reply_parse(buf, n, SEQ, PORT, &r), 1);
	assert_int_equal(r.error, 0);
	assert_string_equal(r.msg, "");
}

static void test_reply_error(void **state)
{
	char buf[256];
	struct ward_nl_reply r;
	size_t n = make_error(buf, SEQ, PORT, -EEXIST, NULL);

	assert_int_equal(ward_nl_reply_parse(buf, n, SEQ, PORT, &r), 1);
	assert_int_equal(r.error, EEXIST);
	assert_string_equal(r.msg, "");
}

static void test_reply_error_ext_ack(void **state)
{
	char buf[256];
	struct ward_nl_reply r;
	size_t n = make_error(buf, SEQ, PORT, -EINVAL, "Invalid prefix length");

	assert_int_equal(ward_nl_reply_parse(buf, n, SEQ, PORT, &r), 1);
	assert_int_equal(r.error, EINVAL);
	assert_string_equal(r.msg, "Invalid prefix length");
}

/* Uncapped: the whole request is echoed before the attributes. */
static void test_reply_error_ext_ack_uncapped(void **state)
{
	char buf[512], req[WARD_NL_REQ_MAX];
	struct nlmsghdr *orig = ward_nl_addr_new(req, sizeof(req), SEQ, 3, 1, 24);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ward_nl_reply r;
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORT;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e) + orig->nlmsg_len - NLMSG_HDRLEN);
	e->error = -EADDRNOTAVAIL;
	memcpy(&e->msg, orig, orig->nlmsg_len);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "no such address");
	assert_int_equal(ward_nl_reply_parse(buf, nlh->nlmsg_len, SEQ, PORT, &r), 1);
	assert_int_equal(r.error, EADDRNOTAVAIL);
	assert_string_equal(r.msg, "no such address");
}

static void test_reply_checks_sequence_and_port(void **state)
{
	char buf[256];
	struct ward_nl_reply r;
	size_t n = make_error(buf, SEQ + 1, PORT, 0, NULL);

	assert_int_equal(ward_nl_reply_parse(buf, n, SEQ, PORT, &r), -EPROTO);
	n = make_error(buf, SEQ, PORT + 1, 0, NULL);
	assert_int_equal(ward_nl_reply_parse(buf, n, SEQ, PORT, &r), -ESRCH);
}

static void test_reply_truncated(void **state)
{
	char buf[256];
	struct ward_nl_reply r;
	size_t n = make_error(buf, SEQ, PORT, -EPERM, "text");

	for (size_t cut = 0; cut < n; cut++) {
		int got = ward_nl_reply_parse(buf, cut, SEQ, PORT, &r);

		/* Nothing at all is "read more"; any part of a message is
		 * malformed, never a success. */
		assert_int_equal(got, cut == 0 ? 0 : -EBADMSG);
	}
}

static void test_reply_short_error_payload(void **state)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ward_nl_reply r;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = SEQ;
	mnl_nlmsg_put_extra_header(nlh, 4); /* only the errno, no request */
	assert_int_equal(ward_nl_reply_parse(buf, nlh->nlmsg_len, SEQ, PORT, &r), -EBADMSG);
}

static void test_reply_bad_errno(void **state)
{
	char buf[256];
	struct ward_nl_reply r;
	size_t n = make_error(buf, SEQ, PORT, 5, NULL);

	assert_int_equal(ward_nl_reply_parse(buf, n, SEQ, PORT, &r), -EBADMSG);
	n = make_error(buf, SEQ, PORT, -100000, NULL);
	assert_int_equal(ward_nl_reply_parse(buf, n, SEQ, PORT, &r), -EBADMSG);
}

static void test_reply_garbage(void **state)
{
	unsigned char buf[64];
	struct ward_nl_reply r;

	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(ward_nl_reply_parse(buf, sizeof(buf), SEQ, PORT, &r), -EBADMSG);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(ward_nl_reply_parse(buf, sizeof(buf), SEQ, PORT, &r), -EBADMSG);
	assert_int_equal(ward_nl_reply_parse(NULL, 0, SEQ, PORT, &r), -EBADMSG);
}

static void test_reply_skips_noop_then_acks(void **state)
{
	char buf[256];
	struct nlmsghdr *noop = mnl_nlmsg_put_header(buf);
	struct ward_nl_reply r;
	size_t n;

	noop->nlmsg_type = NLMSG_NOOP;
	noop->nlmsg_seq = SEQ;
	assert_int_equal(ward_nl_reply_parse(buf, noop->nlmsg_len, SEQ, PORT, &r), 0);
	n = noop->nlmsg_len;
	n += make_error(buf + n, SEQ, PORT, -ENODEV, NULL);
	assert_int_equal(ward_nl_reply_parse(buf, n, SEQ, PORT, &r), 1);
	assert_int_equal(r.error, ENODEV);
}

static void test_reply_done_is_unexpected(void **state)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ward_nl_reply r;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_seq = SEQ;
	mnl_nlmsg_put_extra_header(nlh, 4);
	assert_int_equal(ward_nl_reply_parse(buf, nlh->nlmsg_len, SEQ, PORT, &r), -EBADMSG);
}

/* An extended-ACK string without its NUL is not copied. */
static void test_reply_ext_ack_unterminated(void **state)
{
	char buf[256];
	struct ward_nl_reply r;
	size_t n = make_error(buf, SEQ, PORT, -EINVAL, "abcd");
	struct nlattr *a = (struct nlattr *)(buf + MNL_NLMSG_HDRLEN +
					     MNL_ALIGN(sizeof(struct nlmsgerr)));

	assert_int_equal(mnl_attr_get_type(a), NLMSGERR_ATTR_MSG);
	((char *)mnl_attr_get_payload(a))[4] = 'e';
	assert_int_equal(ward_nl_reply_parse(buf, n, SEQ, PORT, &r), 1);
	assert_int_equal(r.error, EINVAL);
	assert_string_equal(r.msg, "");
}

/* A real kernel refusal, through the whole transaction: no interface has
 * this index, so root gets ENODEV (others EPERM, checked first); the
 * error names the operation and carries the kernel's errno. */
static void test_transact_kernel_error(void **state)
{
	char buf[WARD_NL_REQ_MAX];
	struct ward_err err = {0};
	struct ward_nl nl;

	assert_int_equal(ward_nl_open(&nl, &err), 0);
	assert_int_not_equal(nl.portid, 0);
	assert_int_equal(ward_nl_transact(&nl, ward_nl_link_up(buf, sizeof(buf),
							       ward_nl_next_seq(&nl),
							       0x7ffffff0),
					  "RTM_NEWLINK test up", &err),
			 geteuid() == 0 ? -ENODEV : -EPERM);
	assert_int_equal(err.step, WARD_STEP_NET);
	assert_int_equal(err.errnum, geteuid() == 0 ? ENODEV : EPERM);
	assert_memory_equal(err.msg, "RTM_NEWLINK test up", 19);
	/* a builder's failure is reported, never sent */
	memset(&err, 0, sizeof(err));
	assert_int_equal(ward_nl_transact(&nl, NULL, "RTM_NEWADDR x", &err), -EMSGSIZE);
	assert_string_equal(err.msg, "RTM_NEWADDR x: the request could not be built");
	ward_nl_close(&nl);
}

/* ---- veth addresses and names ----------------------------------------- */

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void test_veth_parse_valid(void **state)
{
	struct ward_veth v;
	char why[128];

	assert_int_equal(ward_veth_parse("10.213.7.1/30,10.213.7.2", &v, why, sizeof(why)), 0);
	assert_int_equal(v.host, ip("10.213.7.1"));
	assert_int_equal(v.sandbox, ip("10.213.7.2"));
	assert_int_equal(v.prefix, 30);
	assert_false(v.derived);
	assert_int_equal(ward_veth_parse("192.168.50.254/24,192.168.50.1", &v, why,
					 sizeof(why)), 0);
	assert_int_equal(v.prefix, 24);
}

static void test_veth_parse_invalid(void **state)
{
	static const struct {
		const char *spec, *why;
	} bad[] = {
		{"10.0.0.1/30", "expected HOSTADDR/PREFIX,SANDBOXADDR"},
		{"10.0.0.1,10.0.0.2/30", "expected HOSTADDR/PREFIX,SANDBOXADDR"},
		{"10.0.0.1/30,10.0.0.2,10.0.0.3", "expected HOSTADDR/PREFIX,SANDBOXADDR"},
		{"fd00::1/64,fd00::2", "not an IPv4 address (IPv6 is not supported)"},
		{"10.0.0.256/24,10.0.0.2", "not an IPv4 address (IPv6 is not supported)"},
		{"10.0.0.01/24,10.0.0.2", "not an IPv4 address (IPv6 is not supported)"},
		{"10.0.0.1/31,10.0.0.0", "PREFIX must be 1-30"},
		{"10.0.0.1/0,10.0.0.2", "PREFIX must be 1-30"},
		{"10.0.0.1/x,10.0.0.2", "PREFIX must be 1-30"},
		{"10.0.0.1/24,10.0.1.2", "SANDBOXADDR must be in HOSTADDR's subnet"},
		{"10.0.0.1/24,10.0.0.1", "the two ends need different addresses"},
		{"10.0.0.0/24,10.0.0.2", "an end has the subnet's network address"},
		{"10.0.0.1/24,10.0.0.255", "an end has the subnet's broadcast address"},
		{"127.0.0.1/8,127.0.0.2", "both addresses must be unicast (not 0/8, 127/8 or 224/3)"},
		{"224.0.0.1/24,224.0.0.2", "both addresses must be unicast (not 0/8, 127/8 or 224/3)"},
		{"", "expected HOSTADDR/PREFIX,SANDBOXADDR"},
		{"10.0.0.1/24,10.0.0.2                                                           ",
		 "too long"},
	};
	struct ward_veth v = {0};
	char why[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (ward_veth_parse(bad[i].spec, &v, why, sizeof(why)) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i].spec);
		if (strcmp(why, bad[i].why) != 0)
			fail_msg("'%s': '%s', want '%s'", bad[i].spec, why, bad[i].why);
	}
	assert_int_equal(v.prefix, 0); /* untouched on failure */
}

static void test_veth_derive(void **state)
{
	struct ward_veth v;
	char buf[128];

	ward_veth_derive(1, &v);
	assert_int_equal(v.host, ip("10.200.0.5"));
	assert_int_equal(v.sandbox, ip("10.200.0.6"));
	assert_int_equal(v.prefix, 30);
	assert_true(v.derived);
	ward_veth_derive(16383, &v);
	assert_int_equal(v.host, ip("10.200.255.253"));
	assert_int_equal(v.sandbox, ip("10.200.255.254"));
	ward_veth_derive(16384 + 65, &v); /* slot 65: 10.200.1.4/30 */
	assert_int_equal(v.host, ip("10.200.1.5"));
	ward_veth_format(&v, buf, sizeof(buf));
	assert_string_equal(buf, "10.200.1.5/30 (host end) <-> 10.200.1.6 (eth0), "
				 "derived from ward's pid");
	/* Every slot is a valid pair under the user-given rules too. */
	for (pid_t pid = 0; pid < 16384; pid++) {
		char spec[64], host[16], sb[16], why[128];
		struct ward_veth again;

		ward_veth_derive(pid, &v);
		inet_ntop(AF_INET, &v.host, host, sizeof(host));
		inet_ntop(AF_INET, &v.sandbox, sb, sizeof(sb));
		snprintf(spec, sizeof(spec), "%s/30,%s", host, sb);
		assert_int_equal(ward_veth_parse(spec, &again, why, sizeof(why)), 0);
	}
}

static void test_veth_ifname(void **state)
{
	char name[IFNAMSIZ];

	ward_veth_ifname(4194304, name);
	assert_string_equal(name, "ward4194304");
	ward_veth_ifname(2147483647, name);
	assert_string_equal(name, "ward2147483647");
	assert_true(strlen(name) < IFNAMSIZ);
}

static void test_veth_resolve(void **state)
{
	struct ward_plan plan = {.net = WARD_NET_VETH, .rootless = true};
	struct ward_veth given = {0};
	struct ward_err err = {0};

	assert_int_equal(ward_veth_resolve(&plan, &given, 100, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_PLAN);
	assert_string_equal(err.msg, "--net veth needs root (creating interfaces in the "
				     "host network namespace); use --net loopback or host");
	plan.rootless = false;
	assert_int_equal(ward_veth_resolve(&plan, &given, 100, &err), 0);
	assert_true(plan.veth.derived);
	assert_int_equal(plan.veth.host, ip("10.200.1.145"));
	given.prefix = 24;
	given.host = ip("10.1.2.3");
	assert_int_equal(ward_veth_resolve(&plan, &given, 100, &err), 0);
	assert_false(plan.veth.derived);
	assert_int_equal(plan.veth.host, ip("10.1.2.3"));
	/* the other modes are left alone, rootless or not */
	plan = (struct ward_plan){.net = WARD_NET_LOOPBACK, .rootless = true};
	assert_int_equal(ward_veth_resolve(&plan, &given, 100, &err), 0);
	assert_int_equal(plan.veth.prefix, 0);
}

/* The directive: its addresses are checked when it is applied, so a
 * profile line reports them with its position. */
static void test_plan_directive(void **state)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_err err = {0};

	assert_non_null(b);
	assert_int_equal(ward_plan_apply(b, "net", "veth:10.0.0.1/24,10.0.1.2", NULL, &err),
			 -EINVAL);
	assert_int_equal(err.step, WARD_STEP_USAGE);
	assert_string_equal(err.msg, "--net veth:10.0.0.1/24,10.0.1.2: SANDBOXADDR must be "
				     "in HOSTADDR's subnet");
	memset(&err, 0, sizeof(err));
	assert_int_equal(ward_plan_apply(b, "net", "vethx", NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "expected loopback, none, host or veth["));
	assert_int_equal(ward_plan_apply(b, "net", "veth:10.1.0.1/24,10.1.0.9", NULL, &err), 0);
	assert_int_equal(ward_plan_apply(b, "net", "veth", NULL, &err), 0);
	ward_plan_builder_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_up),
		cmocka_unit_test(test_link_del),
		cmocka_unit_test(test_veth_new),
		cmocka_unit_test(test_veth_new_refuses_bad_arguments),
		cmocka_unit_test(test_builders_respect_size),
		cmocka_unit_test(test_addr_new),
		cmocka_unit_test(test_route_default),
		cmocka_unit_test(test_reply_ack),
		cmocka_unit_test(test_reply_error),
		cmocka_unit_test(test_reply_error_ext_ack),
		cmocka_unit_test(test_reply_error_ext_ack_uncapped),
		cmocka_unit_test(test_reply_checks_sequence_and_port),
		cmocka_unit_test(test_reply_truncated),
		cmocka_unit_test(test_reply_short_error_payload),
		cmocka_unit_test(test_reply_bad_errno),
		cmocka_unit_test(test_reply_garbage),
		cmocka_unit_test(test_reply_skips_noop_then_acks),
		cmocka_unit_test(test_reply_done_is_unexpected),
		cmocka_unit_test(test_reply_ext_ack_unterminated),
		cmocka_unit_test(test_transact_kernel_error),
		cmocka_unit_test(test_veth_parse_valid),
		cmocka_unit_test(test_veth_parse_invalid),
		cmocka_unit_test(test_veth_derive),
		cmocka_unit_test(test_veth_ifname),
		cmocka_unit_test(test_veth_resolve),
		cmocka_unit_test(test_plan_directive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
