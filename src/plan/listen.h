/* listen [ADDR:]PORT[/tcp|/udp]: the sockets ward binds for the program
 * (socket activation, sd_listen_fds(3)).  Parsing and plan-time checks,
 * pure; ward_launch_prepare binds them (launch/listen.h). */
#ifndef WARD_PLAN_LISTEN_H
#define WARD_PLAN_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

#include "base/err.h"
#include "plan/plan.h"

/* Parse one spelling into @out (fd -1, not inherited):
 *   PORT            [::]:PORT, IPv4 and IPv6 (IPV6_V6ONLY off), as
 *                   systemd's ListenStream=PORT
 *   A.B.C.D:PORT    IPv4 only
 *   [V6ADDR]:PORT   IPv6 only (IPV6_V6ONLY on, so that 0.0.0.0:PORT can
 *                   be bound beside it, as nginx's "listen [::]:80" wants)
 * each with /tcp (the default) or /udp.  PORT is 1..65535.  Returns 0,
 * or -EINVAL with the reason in @why. */
int ward_listen_parse(const char *text, struct ward_listen *out, char *why,
		      size_t whylen);

/* The address to bind @l to. */
void ward_listen_sockaddr(const struct ward_listen *l,
			  struct sockaddr_storage *ss, socklen_t *len);

/* Plan time and again once inherited sockets are adopted: with --net
 * none or loopback, refuse any socket Landlock cannot keep from reaching
 * the caller's network (only TCP and, inherited, unix stream sockets
 * pass), and unless a tcp-connect rule was given, deny every TCP
 * connect (plan->listen_connect_denied).  A no-op without sockets.
 * Errors: WARD_STEP_PLAN. */
int ward_listen_confine(struct ward_plan *plan, struct ward_err *err);

/* "0.0.0.0:80/tcp, [::]:80/tcp (IPv4 and IPv6)" into @buf. */
void ward_listen_format_all(const struct ward_plan *plan, char *buf, size_t len);

#endif
