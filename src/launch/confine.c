/* Landlock rules from the plan (see confine.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "launch/confine.h"
#include "kernel/landlock.h"

bool ward_confine_abstract_scope(const struct ward_plan *plan, bool entrypoint)
{
	return !plan->abstract_sockets_host &&
	       (entrypoint || plan->net == WARD_NET_HOST);
}

bool ward_confine_wanted(const struct ward_plan *plan, bool restrict_fs)
{
	return restrict_fs || plan->tcp_bind_set || plan->tcp_connect_set ||
	       ward_confine_abstract_scope(plan, restrict_fs);
}

static void rules_from_plan(const struct ward_plan *plan, bool restrict_fs,
			    bool scope_abstract, struct ward_landlock *ll)
{
	memset(ll, 0, sizeof(*ll));
	ll->fs = restrict_fs;
	ll->scope_abstract_unix = scope_abstract;
	for (size_t i = 0; restrict_fs && i < plan->nwritable; i++)
		ll->writable[ll->nwritable++] = plan->writable[i];
	ll->tcp_bind = plan->tcp_bind_set;
	memcpy(ll->bind_ports, plan->tcp_bind, plan->ntcp_bind * sizeof(uint16_t));
	ll->nbind = plan->ntcp_bind;
	ll->tcp_connect = plan->tcp_connect_set;
	memcpy(ll->connect_ports, plan->tcp_connect,
	       plan->ntcp_connect * sizeof(uint16_t));
	ll->nconnect = plan->ntcp_connect;
}

/* What the plan needs Landlock for, in the error when there is none. */
static const char *needed_for(const struct ward_plan *plan, bool restrict_fs)
{
	if (restrict_fs)
		return "read-only filesystem";
	if (plan->tcp_bind_set || plan->tcp_connect_set)
		return "TCP port rules";
	return "the abstract-socket scope of --net host; 'abstract-sockets host' "
	       "in a profile leaves the host's abstract sockets reachable instead";
}

/* The abstract-socket scope needs ABI 6: 1 to ask for it, 0 to go on
 * without it ('landlock optional', said on stderr), or an error. */
static int abstract_scope_usable(const struct ward_plan *plan, int abi,
				 struct ward_err *err)
{
	if (abi >= WARD_LANDLOCK_ABI_SCOPE)
		return 1;
	if (plan->landlock_optional) {
		fprintf(stderr, "ward: landlock: no abstract-socket scope in this kernel "
			"(ABI %d); continuing without it, as the profile's 'landlock "
			"optional' allows: the program can connect to the host's abstract "
			"unix sockets\n", abi);
		return 0;
	}
	return ward_err_set(err, WARD_STEP_LANDLOCK, EOPNOTSUPP,
			    "the program shares the host's network namespace, whose abstract "
			    "unix sockets (containerd shims among them) only a Landlock scope "
			    "keeps out of reach, which needs ABI 6 (Linux 6.12) and this kernel "
			    "has ABI %d: use --net loopback or veth, say 'abstract-sockets host' "
			    "in the profile to leave them reachable, or 'landlock optional' to "
			    "run without the scope", abi);
}

int ward_confine_apply(const struct ward_plan *plan, bool restrict_fs,
		       bool *applied, struct ward_err *err)
{
	struct ward_landlock ll;
	int abi, r, scope = 0;

	_Static_assert(WARD_MAX_WRITABLE <= WARD_LANDLOCK_MAX_PATHS, "paths");
	_Static_assert(WARD_MAX_PORTS <= WARD_LANDLOCK_MAX_PORTS, "ports");
	*applied = false;
	if (!ward_confine_wanted(plan, restrict_fs))
		return 0;
	abi = ward_landlock_abi();
	if (abi < WARD_LANDLOCK_ABI_NET && plan->listen_connect_denied)
		return ward_err_set(err, WARD_STEP_LANDLOCK, abi < 0 ? -abi : EOPNOTSUPP,
				    "listen with --net none or loopback needs Landlock's TCP rules "
				    "(ABI %d, Linux 6.7) to keep the program from connecting out "
				    "through the caller's network, whatever 'landlock optional' says",
				    WARD_LANDLOCK_ABI_NET);
	if (abi <= 0 && plan->landlock_optional) {
		if (!plan->quiet)
			fprintf(stderr, "ward: landlock: not available in this kernel (%s); "
				"continuing without it, as the profile's 'landlock optional' allows\n",
				abi < 0 ? strerror(-abi) : "no Landlock");
		return 0;
	}
	if (abi <= 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, abi < 0 ? -abi : EOPNOTSUPP,
				    "the plan needs Landlock (%s), which this kernel does not offer; "
				    "'landlock optional' in the profile runs without it",
				    needed_for(plan, restrict_fs));
	if (ward_confine_abstract_scope(plan, restrict_fs) &&
	    (scope = abstract_scope_usable(plan, abi, err)) < 0)
		return scope;
	rules_from_plan(plan, restrict_fs, scope == 1, &ll);
	if ((r = ward_landlock_apply(&ll, err)) < 0)
		return r;
	*applied = restrict_fs || plan->tcp_bind_set || plan->tcp_connect_set ||
		   scope == 1;
	return 0;
}

/* "ABI 5", "no Landlock", or the version query's error. */
static const char *abi_name(int abi, char *buf, size_t len)
{
	if (abi > 0)
		snprintf(buf, len, "ABI %d", abi);
	else
		snprintf(buf, len, "%s", abi < 0 ? strerror(-abi) : "no Landlock");
	return buf;
}

int ward_confine_signal_scope_check(const struct ward_plan *plan, bool *scope,
				    struct ward_err *err)
{
	int abi = ward_landlock_abi();
	char name[64];

	*scope = abi >= WARD_LANDLOCK_ABI_SCOPE;
	if (*scope)
		return 0;
	abi_name(abi, name, sizeof(name));
	if (plan->landlock_optional) {
		if (!plan->quiet)
			fprintf(stderr, "ward: landlock: no signal scope in this kernel (%s); "
			"continuing without it, as the profile's 'landlock optional' allows: "
			"the program can kill ward, which is not pid 1\n", name);
		return 0;
	}
	return ward_err_set(err, WARD_STEP_LANDLOCK, abi < 0 ? -abi : EOPNOTSUPP,
			    "ward is not pid 1 here (docker run --init, tini?), so only a "
			    "Landlock signal scope keeps the program from killing it, which "
			    "needs ABI 6 (Linux 6.12) and this kernel has %s: run ward as pid 1, "
			    "or say 'landlock optional' in the profile to run without it", name);
}

int ward_confine_signal_scope(struct ward_err *err)
{
	struct ward_landlock ll = {.scope_signal = true};

	return ward_landlock_apply(&ll, err);
}
