/* Plan directives for Landlock and the entrypoint environment:
 *
 *   writable PATH      a path of the root that stays writable
 *   tcp-bind PORTS     bind(2) only to these TCP ports ("none": no port);
 *                      repeated, the lists add up (directives.c)
 *   tcp-connect PORTS  connect(2) only to these TCP ports, the same way
 *   landlock required|optional
 *   allow-socket PATH  entrypoint: a socket in the mounts let through unasked
 *   abstract-sockets scoped|host
 *                      where the network namespace may be the host's:
 *                      scope abstract unix sockets (default) or not
 *   env-pass NAME      let a secret-looking variable through (entrypoint)
 *   init-signals child|group
 *                      the init forwards signals to the program or its group
 *
 * Syntax is checked when a directive is applied (directives.c, so a
 * profile gets its line), the rest here, at resolution. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/landlock.h"
#include "plan/builder.h"
#include "base/util.h"

static int copy_list(char **dst, size_t *ndst, char *const *src, size_t n,
		     bool normalise, struct ward_err *err)
{
	char norm[PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		const char *v = src[i];

		if (normalise) {
			if (ward_path_normalize(src[i], norm, sizeof(norm)) < 0)
				return ward_err_set(err, WARD_STEP_PLAN, 0,
						    "--writable %s: bad path", src[i]);
			v = norm;
		}
		if (!(dst[*ndst] = strdup(v)))
			return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
		(*ndst)++;
	}
	return 0;
}

int ward_plan_resolve_confine(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err)
{
	int r;

	if ((r = copy_list(plan->writable, &plan->nwritable, b->writable,
			   b->nwritable, true, err)) < 0 ||
	    (r = copy_list(plan->env_pass, &plan->nenv_pass, b->env_pass,
			   b->nenv_pass, false, err)) < 0 ||
	    (r = copy_list(plan->allow_sockets, &plan->nallow_sockets, b->allow_sockets,
			   b->nallow_sockets, true, err)) < 0)
		return r;
	plan->tcp_bind_set = b->tcp_bind != NULL;
	if (b->tcp_bind &&
	    (r = ward_landlock_parse_ports(b->tcp_bind, plan->tcp_bind,
					   WARD_MAX_PORTS, &plan->ntcp_bind, err)) < 0)
		return r;
	plan->tcp_connect_set = b->tcp_connect != NULL;
	if (b->tcp_connect &&
	    (r = ward_landlock_parse_ports(b->tcp_connect, plan->tcp_connect,
					   WARD_MAX_PORTS, &plan->ntcp_connect,
					   err)) < 0)
		return r;
	plan->landlock_optional = b->landlock && strcmp(b->landlock, "optional") == 0;
	plan->abstract_sockets_host = b->abstract_sockets &&
				      strcmp(b->abstract_sockets, "host") == 0;
	plan->user_set = b->user != NULL;
	plan->signal_group = b->init_signals && strcmp(b->init_signals, "group") == 0;
	return 0;
}

void ward_plan_free_confine(struct ward_plan_builder *b, struct ward_plan *plan)
{
	if (b) {
		for (size_t i = 0; i < b->nwritable; i++)
			free(b->writable[i]);
		for (size_t i = 0; i < b->nenv_pass; i++)
			free(b->env_pass[i]);
		for (size_t i = 0; i < b->nallow_sockets; i++)
			free(b->allow_sockets[i]);
		free(b->tcp_bind);
		free(b->tcp_connect);
	}
	if (plan) {
		for (size_t i = 0; i < plan->nwritable; i++)
			free(plan->writable[i]);
		for (size_t i = 0; i < plan->nenv_pass; i++)
			free(plan->env_pass[i]);
		for (size_t i = 0; i < plan->nallow_sockets; i++)
			free(plan->allow_sockets[i]);
	}
}
