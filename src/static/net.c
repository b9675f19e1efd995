/* The static build's network setup.  Debian ships libmnl only as a
 * shared library, so the single static binary (make static, for COPY
 * into images) raises lo as both builds do (launch/net_lo.c), and
 * everything beyond it (--net veth) needs the libmnl build and is
 * refused at launch, before the sandbox runs anything. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "launch/net.h"

static int veth_refused(struct ward_err *err)
{
	return ward_err_set(err, WARD_STEP_NET, EOPNOTSUPP,
			    "--net veth needs the libmnl build of ward (this is the static one)");
}

int ward_net_child_setup(const struct ward_plan *plan, struct ward_err *err)
{
	if (plan->net == WARD_NET_VETH)
		return veth_refused(err);
	if (plan->net != WARD_NET_LOOPBACK)
		return 0;
	return ward_net_lo_up(err);
}

int ward_net_parent_setup(pid_t pid, const struct ward_plan *plan,
			  struct ward_net_parent *st, struct ward_err *err)
{
	memset(st, 0, sizeof(*st));
	return plan->net == WARD_NET_VETH ? veth_refused(err) : 0;
}

void ward_net_parent_cleanup(struct ward_net_parent *st)
{
}
