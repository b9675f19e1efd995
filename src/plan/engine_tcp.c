/* --net host and --net veth: a container engine listening on TCP is an
 * engine socket the program could reach (engine/tcp_listeners.h).  The
 * plan is refused unless tcp-connect leaves the port out (Landlock then
 * refuses the connect) or a profile allows that engine
 * (allow-engine-socket, loud on every launch).  --net host reaches every
 * listener of the host's network namespace; --net veth every one not
 * bound to a loopback address (the host routes the sandbox's packets to
 * its own addresses); entrypoint mode every one of the container's
 * network, which docker run --network host makes the host's (its owners
 * are then hidden: 2375 and 2376 are taken for Docker's). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>

#include "engine/dockersock.h"
#include "engine/tcp_listeners.h"
#include "plan/builder.h"

static bool reachable(const struct ward_plan *plan, const struct ward_tcp_listener *l)
{
	return plan->net == WARD_NET_HOST || !ward_tcp_listener_loopback(l); /* entrypoint: host */
}

static bool port_listed(const struct ward_plan *plan, uint16_t port)
{
	for (size_t i = 0; i < plan->ntcp_connect; i++)
		if (plan->tcp_connect[i] == port)
			return true;
	return false;
}

static const char *network(const struct ward_plan *plan)
{
	if (plan->mode == WARD_MODE_ENTRYPOINT)
		return "in this container's network (entrypoint mode; the host's with docker run --network host)";
	return plan->net == WARD_NET_HOST ? "with --net host" : "with --net veth";
}

/* "dockerd (pid 812)" or "a process ward cannot see (2375 is Docker's
 * API port)". */
static void describe(const struct ward_tcp_engine *e, char *buf, size_t len)
{
	if (e->pid)
		snprintf(buf, len, "%s (pid %d)", e->exe, (int)e->pid);
	else
		snprintf(buf, len, "a process ward cannot see (%u is Docker's API port)",
			 (unsigned)e->l.port);
}

static int refuse(const struct ward_plan *plan, const struct ward_tcp_engine *e,
		  struct ward_err *err)
{
	const char *engine = ward_engine_name((enum ward_engine)e->engine);
	char who[96], where[64];

	describe(e, who, sizeof(who));
	ward_tcp_listener_format(&e->l, where, sizeof(where));
	return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
			    "refusing to start: %s listens on TCP %s, the %s engine's API, which "
			    "the program could reach %s: that is root on the host; "
			    "leave port %u out of --tcp-connect (e.g. --tcp-connect 443)%s, "
			    "or say 'allow-engine-socket %s' in a profile",
			    who, where, engine, network(plan), (unsigned)e->l.port,
			    plan->mode == WARD_MODE_ENTRYPOINT ? "" : ", use --net loopback",
			    engine);
}

static void warn_allowed(const struct ward_tcp_engine *e)
{
	const char *engine = ward_engine_name((enum ward_engine)e->engine);
	char who[96], where[64];

	describe(e, who, sizeof(who));
	ward_tcp_listener_format(&e->l, where, sizeof(where));
	fprintf(stderr, "ward: warning: %s listens on TCP %s, the %s engine's API, and the "
		"program can reach it: the profile allows it (allow-engine-socket %s); "
		"whoever talks to it is root on the host\n", who, where, engine, engine);
}

int ward_plan_resolve_engine_tcp(const struct ward_plan_builder *b,
				 struct ward_plan *plan, struct ward_err *err)
{
	struct ward_tcp_engine found[WARD_TCP_MAX_ENGINES];
	size_t n = 0;
	int r;

	if (plan->net != WARD_NET_HOST && plan->net != WARD_NET_VETH)
		return 0; /* entrypoint mode is WARD_NET_HOST (misc.c) */
	if ((r = ward_tcp_engine_listeners(found, WARD_TCP_MAX_ENGINES, &n, err)) < 0)
		return ward_err_wrap(err, "refusing to start: the program's network (%s): ",
				     network(plan));
	plan->engine_tcp_scanned = true;
	for (size_t i = 0; i < n; i++) {
		const struct ward_tcp_engine *e = &found[i];

		if (!reachable(plan, &e->l))
			continue;
		if (plan->tcp_connect_set && !port_listed(plan, e->l.port)) {
			plan->engine_tcp[plan->nengine_tcp++] = *e;
			continue;
		}
		if (!(b->allow_engines & (1u << e->engine)))
			return refuse(plan, e, err);
		warn_allowed(e);
		plan->engine_tcp[plan->nengine_tcp++] = *e;
	}
	return 0;
}
