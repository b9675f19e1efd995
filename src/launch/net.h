/* Network namespace configuration through rtnetlink (libmnl).
 *
 *   none      new netns, nothing up (not even lo)
 *   loopback  new netns, lo up (the default)
 *   host      the host's network, shared
 *   veth      new netns reached through a veth pair (root only): the host
 *             end "ward<PID>" (PID = the sandbox's pid as the host sees
 *             it) with HOST/PREFIX, the sandbox end "eth0" with SANDBOX
 *             and a default route via HOST.  Without addresses ward
 *             derives them from its own pid: 10.200.0.0/16 cut into /30s,
 *             slot (pid mod 16384), host .1 and sandbox .2 of the slot.
 *
 * The veth pair is created by the parent between the id maps and "go"
 * (sync 1), with the sandbox end created directly inside the sandbox's
 * netns (IFLA_NET_NS_PID), so it never appears in the host's namespace;
 * the child then configures its side. */
#ifndef WARD_NET_H
#define WARD_NET_H

#include <net/if.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"
#include "plan/plan.h"


/* Child, inside its new network namespace: bring lo up (loopback, veth),
 * leave everything down (none), or, for veth, also give eth0 its address,
 * bring it up and add the default route via the host end.  host is a
 * no-op.  Every rtnetlink request asks for an ACK and the ACK's error is
 * checked.
 * Errors: WARD_STEP_NET naming the operation and the kernel's errno. */
int ward_net_child_setup(const struct ward_plan *plan, struct ward_err *err);

/* Child: set IFF_UP on lo with SIOCSIFFLAGS and read it back (both
 * builds; net_lo.c). */
int ward_net_lo_up(struct ward_err *err);

/* What the parent created for one sandbox (veth only). */
struct ward_net_parent {
	char ifname[IFNAMSIZ]; /* the host end, "" when none */
	int ifindex;           /* 0 when nothing is to be removed */
};

/* Parent, after the id maps and before "go": for --net veth create the
 * pair (sandbox end inside @pid's netns), give the host end its address
 * and bring it up.  A no-op for the other modes.  On failure @st still
 * names what was created, for ward_net_parent_cleanup.  Errors:
 * WARD_STEP_NET. */
int ward_net_parent_setup(pid_t pid, const struct ward_plan *plan,
			  struct ward_net_parent *st, struct ward_err *err);

/* Parent, when the sandbox has ended or failed: delete the host end by
 * its ifindex (the kernel would also remove it once the sandbox's netns
 * is gone, but asynchronously; doing it here makes "no interface left"
 * hold the moment ward returns).  ENODEV is success; other failures are
 * reported on stderr.  Safe to call on a zeroed @st. */
void ward_net_parent_cleanup(struct ward_net_parent *st);

#include "plan/net_addr.h"

#endif
