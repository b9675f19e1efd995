/* Plan directives for Landlock and the entrypoint environment:
 *
 *   writable PATH      a path of the root that stays writable
 *   tcp-bind PORTS     bind(2) only to these TCP ports ("none": no port)
 *   tcp-connect PORTS  connect(2) only to these TCP ports
 *   landlock required|optional
 *   env-pass NAME      let a secret-looking variable through (entrypoint)
 *
 * Syntax is checked when a directive is applied (so a profile gets its
 * line), the rest at resolution. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/landlock.h"
#include "plan/builder.h"
#include "base/util.h"

static const char *const confine_keys[] = {
	"writable", "tcp-bind", "tcp-connect", "landlock", "env-pass",
	"init-signals", NULL,
};

bool ward_plan_confine_key(const char *key)
{
	for (size_t i = 0; confine_keys[i]; i++)
		if (strcmp(confine_keys[i], key) == 0)
			return true;
	return false;
}

static int check_writable(const char *value, struct ward_err *err)
{
	char norm[PATH_MAX];

	if (ward_path_normalize(value, norm, sizeof(norm)) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--writable %s: expected an absolute path without '..'",
				    value);
	if (strcmp(norm, "/") == 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--writable /: the whole root writable defeats the read-only root; name the directories");
	return 0;
}

int ward_plan_check_confine(const char *key, const char *value,
			    struct ward_err *err)
{
	uint16_t ports[WARD_MAX_PORTS];
	size_t n;

	if (strcmp(key, "writable") == 0)
		return check_writable(value, err);
	if (strcmp(key, "tcp-bind") == 0 || strcmp(key, "tcp-connect") == 0)
		return ward_landlock_parse_ports(value, ports, WARD_MAX_PORTS, &n, err);
	if (strcmp(key, "landlock") == 0 && strcmp(value, "required") &&
	    strcmp(value, "optional"))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--landlock: expected required or optional, got '%s'",
				    value);
	if (strcmp(key, "init-signals") == 0 && strcmp(value, "child") &&
	    strcmp(value, "group"))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--init-signals: expected child or group, got '%s'", value);
	if (strcmp(key, "env-pass") == 0 && !ward_env_name_valid(value, strlen(value)))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--env-pass %s: expected a variable name (letters, digits, _)",
				    value);
	return 0;
}

static int put(char **list, size_t *n, size_t max, const char *key,
	       const char *value, struct ward_err *err)
{
	if (*n >= max)
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "--%s: more than %zu given", key, max);
	if (!(list[*n] = strdup(value)))
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "strdup");
	(*n)++;
	return 0;
}

static int set(char **slot, const char *value, struct ward_err *err)
{
	char *copy = strdup(value);

	if (!copy)
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "strdup");
	free(*slot);
	*slot = copy;
	return 0;
}

int ward_plan_apply_confine(struct ward_plan_builder *b, const char *key,
			    const char *value, struct ward_err *err)
{
	if (strcmp(key, "writable") == 0)
		return put(b->writable, &b->nwritable, WARD_MAX_WRITABLE, key,
			   value, err);
	if (strcmp(key, "env-pass") == 0)
		return put(b->env_pass, &b->nenv_pass, WARD_MAX_ENV_PASS, key,
			   value, err);
	if (strcmp(key, "tcp-bind") == 0)
		return set(&b->tcp_bind, value, err);
	if (strcmp(key, "tcp-connect") == 0)
		return set(&b->tcp_connect, value, err);
	if (strcmp(key, "init-signals") == 0)
		return set(&b->init_signals, value, err);
	return set(&b->landlock, value, err);
}

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
			   b->nenv_pass, false, err)) < 0)
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
		free(b->tcp_bind);
		free(b->tcp_connect);
		free(b->landlock);
		free(b->init_signals);
	}
	if (plan) {
		for (size_t i = 0; i < plan->nwritable; i++)
			free(plan->writable[i]);
		for (size_t i = 0; i < plan->nenv_pass; i++)
			free(plan->env_pass[i]);
	}
}
