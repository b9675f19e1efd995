/* --net veth addresses: parsing, defaults and plan-time resolution
 * (pure but for the rootless check; also in the static build). */
#ifndef WARD_PLAN_NET_ADDR_H
#define WARD_PLAN_NET_ADDR_H

#include <net/if.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"
#include "plan/plan.h"

/* The sandbox end's name inside its namespace. */
#define WARD_VETH_PEER "eth0"

/* Parse "HOSTADDR/PREFIX,SANDBOXADDR" (IPv4).  Returns 0, or -EINVAL with
 * the reason in @why. */
int ward_veth_parse(const char *spec, struct ward_veth *out, char *why,
		    size_t whylen);

/* The default addresses for a ward process of pid @pid. */
void ward_veth_derive(pid_t pid, struct ward_veth *out);

/* The host end's name for sandbox pid @pid ("ward" + pid, < IFNAMSIZ). */
void ward_veth_ifname(pid_t pid, char name[IFNAMSIZ]);

/* "10.200.0.1/30 (host end) <-> 10.200.0.2 (eth0)". */
void ward_veth_format(const struct ward_veth *v, char *buf, size_t len);

/* Plan time, for --net veth: refuse a rootless caller, then take the
 * given addresses or derive them from @self (ward's pid).  A no-op for
 * the other modes.  Errors: WARD_STEP_PLAN. */
int ward_veth_resolve(struct ward_plan *plan, const struct ward_veth *given,
		      pid_t self, struct ward_err *err);

#endif
