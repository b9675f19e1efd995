/* Network namespace configuration through rtnetlink (libmnl). */
#ifndef WARD_NET_H
#define WARD_NET_H

#include "ward/err.h"
#include "ward/plan.h"

/* Child, inside its new network namespace: bring the loopback interface
 * up (WARD_NET_LOOPBACK) or leave everything down (WARD_NET_NONE).
 * WARD_NET_HOST is a no-op.  Every request asks for an ACK and the ACK's
 * error is checked.  Errors: WARD_STEP_NET naming the operation. */
int ward_net_child_setup(const struct ward_plan *plan, struct ward_err *err);

/* Set IFF_UP on interface @ifindex (1 = lo). */
int ward_net_link_up(int ifindex, struct ward_err *err);

#endif
