/* --net veth addresses and names: parsing, defaults, formatting.  Pure
 * code, shared by the libmnl and the static builds (the plan needs it in
 * both, even where veth itself is refused at launch). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "plan/net_addr.h"
#include "base/util.h"

/* 10.200.0.0/16, cut into /30 slots. */
#define DERIVED_BASE ((10u << 24) | (200u << 16))
#define DERIVED_SLOTS 16384u

static int why_fail(char *why, size_t len, const char *msg)
{
	snprintf(why, len, "%s", msg);
	return -EINVAL;
}

/* Not 0/8 ("this network"), 127/8 (loopback) or 224/3 (multicast,
 * reserved, broadcast): such an address on eth0 could not be a route's
 * gateway or would shadow the sandbox's own lo. */
static bool unicast(uint32_t a)
{
	uint32_t first = a >> 24;

	return first != 0 && first != 127 && first < 224;
}

static int check_pair(uint32_t host, uint32_t sandbox, unsigned prefix,
		      char *why, size_t len)
{
	uint32_t mask = ~0u << (32 - prefix);

	if (!unicast(host) || !unicast(sandbox))
		return why_fail(why, len, "both addresses must be unicast (not 0/8, 127/8 or 224/3)");
	if (host == sandbox)
		return why_fail(why, len, "the two ends need different addresses");
	if ((host & mask) != (sandbox & mask))
		return why_fail(why, len, "SANDBOXADDR must be in HOSTADDR's subnet");
	if ((host & ~mask) == 0 || (sandbox & ~mask) == 0)
		return why_fail(why, len, "an end has the subnet's network address");
	if ((host & ~mask) == ~mask || (sandbox & ~mask) == ~mask)
		return why_fail(why, len, "an end has the subnet's broadcast address");
	return 0;
}

static int parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*out = ntohl(a.s_addr);
	return 0;
}

int ward_veth_parse(const char *spec, struct ward_veth *out, char *why,
		    size_t whylen)
{
	char buf[64], *slash, *comma;
	uint32_t host, sandbox, prefix;
	int r;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return why_fail(why, whylen, "too long");
	comma = strchr(buf, ',');
	slash = strchr(buf, '/');
	if (!comma || !slash || slash > comma || strchr(comma + 1, ','))
		return why_fail(why, whylen, "expected HOSTADDR/PREFIX,SANDBOXADDR");
	*slash = *comma = '\0';
	if (parse_ipv4(buf, &host) < 0 || parse_ipv4(comma + 1, &sandbox) < 0)
		return why_fail(why, whylen, "not an IPv4 address (IPv6 is not supported)");
	if (ward_parse_u32(slash + 1, &prefix) < 0 || prefix < 1 || prefix > 30)
		return why_fail(why, whylen, "PREFIX must be 1-30");
	if ((r = check_pair(host, sandbox, prefix, why, whylen)) < 0)
		return r;
	*out = (struct ward_veth){
		.host = htonl(host), .sandbox = htonl(sandbox), .prefix = prefix,
	};
	return 0;
}

void ward_veth_derive(pid_t pid, struct ward_veth *out)
{
	uint32_t slot = DERIVED_BASE + ((uint32_t)pid % DERIVED_SLOTS) * 4;

	*out = (struct ward_veth){
		.host = htonl(slot + 1), .sandbox = htonl(slot + 2), .prefix = 30,
		.derived = true,
	};
}

void ward_veth_ifname(pid_t pid, char name[IFNAMSIZ])
{
	/* "ward" and at most 11 characters of an int: always fits. */
	snprintf(name, IFNAMSIZ, "ward%d", (int)pid);
}

void ward_veth_format(const struct ward_veth *v, char *buf, size_t len)
{
	char host[INET_ADDRSTRLEN], sandbox[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &v->host, host, sizeof(host));
	inet_ntop(AF_INET, &v->sandbox, sandbox, sizeof(sandbox));
	snprintf(buf, len, "%s/%u (host end) <-> %s (%s)%s", host, v->prefix,
		 sandbox, WARD_VETH_PEER, v->derived ? ", derived from ward's pid" : "");
}

int ward_veth_resolve(struct ward_plan *plan, const struct ward_veth *given,
		      pid_t self, struct ward_err *err)
{
	if (plan->net != WARD_NET_VETH)
		return 0;
	if (plan->rootless)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--net veth needs root (creating interfaces in the host network namespace); use --net loopback or host");
	if (given->prefix)
		plan->veth = *given;
	else
		ward_veth_derive(self, &plan->veth);
	return 0;
}
