/* The program's environment in entrypoint mode.
 *
 * Inside a container the environment is the image's (ENV lines, docker
 * run -e), and the program expects it.  ward passes it on, except:
 *   - variables whose name (KEY, TOKEN, SECRET, PASSWORD, ..., *_PASS)
 *     or value (a token, a JWT, a URL with credentials, ...) looks like
 *     a secret (secret_shapes.h), unless the profile lets one through by
 *     name (env-pass NAME): they would be readable in /proc/PID/environ
 *     and inherited by every child, and they leak into crash reports and
 *     logs;
 *   - an engine address (DOCKER_HOST=...) unless the engine is allowed.
 * The plan's own --env values are added on top, and HOME is the target
 * user's home from the image's /etc/passwd.  What was withheld is named
 * on stderr, never its value. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/dockersock.h"
#include "launch/entrypoint.h"
#include "base/secret_shapes.h"
#include "launch/secrets.h"
#include "kernel/userdb.h"

static bool passed_by_name(const struct ward_plan *plan, const char *kv,
			   size_t n)
{
	for (size_t i = 0; i < plan->nenv_pass; i++)
		if (strlen(plan->env_pass[i]) == n &&
		    strncmp(plan->env_pass[i], kv, n) == 0)
			return true;
	return false;
}

static int put(struct ward_entrypoint_env *e, const char *kv,
	       struct ward_err *err)
{
	size_t n = strcspn(kv, "=");
	char *copy;

	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->vars[i], kv, n + 1) == 0) {
			if (!(copy = strdup(kv)))
				return ward_err_set(err, WARD_STEP_EXEC, ENOMEM, "strdup");
			free(e->vars[i]);
			e->vars[i] = copy;
			return 0;
		}
	if (e->n == WARD_ENTRYPOINT_MAX_ENV)
		return ward_err_set(err, WARD_STEP_EXEC, E2BIG,
				    "environment: more than %d variables",
				    WARD_ENTRYPOINT_MAX_ENV);
	if (!(e->vars[e->n] = strdup(kv)))
		return ward_err_set(err, WARD_STEP_EXEC, ENOMEM, "strdup");
	e->vars[++e->n] = NULL;
	return 0;
}

static void note_withheld(struct ward_entrypoint_env *e, const char *kv,
			  size_t n)
{
	size_t used = strlen(e->withheld);

	if (used + n + 3 < sizeof(e->withheld))
		snprintf(e->withheld + used, sizeof(e->withheld) - used, "%s%.*s",
			 used ? ", " : "", (int)n, kv);
}

/* One variable of ward's own environment. */
static int take_inherited(const struct ward_plan *plan, const char *kv,
			  struct ward_entrypoint_env *e, struct ward_err *err)
{
	size_t n = strcspn(kv, "=");
	char name[256];
	int r;

	if (kv[n] != '=' || n == 0 || n >= sizeof(name))
		return 0; /* not NAME=VALUE: nothing a program can rely on */
	memcpy(name, kv, n);
	name[n] = '\0';
	if ((r = ward_dockersock_check_env(plan->engine_sockets, kv, err)) < 0)
		return ward_err_wrap(err, "environment: ");
	if (ward_secrets_env_source(plan, name))
		return 0; /* an env: secret's source: the file has it */
	if (ward_secret_env_looks_secret(kv) && !passed_by_name(plan, kv, n)) {
		note_withheld(e, kv, n);
		e->nwithheld++;
		return 0;
	}
	return put(e, kv, err);
}

/* The plan's defaults (PATH, HOME) yield to what the image set. */
static bool is_default(const char *kv)
{
	return strcmp(kv, "PATH=" WARD_DEFAULT_PATH) == 0 ||
	       strncmp(kv, "HOME=", 5) == 0;
}

static bool has_name(const struct ward_entrypoint_env *e, const char *kv)
{
	size_t n = strcspn(kv, "=");

	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->vars[i], kv, n + 1) == 0)
			return true;
	return false;
}

static void set_home(struct ward_entrypoint_env *e, uid_t uid)
{
	char kv[300] = "HOME=/";
	char *buf = NULL;
	size_t len = 0;

	if (ward_userdb_read("/", "etc/passwd", &buf, &len) == 0 &&
	    ward_userdb_home(buf, len, uid, kv + 5, sizeof(kv) - 5) < 0)
		snprintf(kv, sizeof(kv), "HOME=/");
	free(buf);
	put(e, kv, &(struct ward_err){0});
}

void ward_entrypoint_env_scrub(const struct ward_entrypoint_env *e,
			       char *const *inherited)
{
	for (size_t i = 0; inherited && inherited[i]; i++) {
		bool passed = false;

		for (size_t j = 0; j < e->n && !passed; j++)
			passed = strcmp(e->vars[j], inherited[i]) == 0;
		if (!passed) {
			char *v = inherited[i] + strcspn(inherited[i], "=");

			explicit_bzero(v, strlen(v));
		}
	}
}

int ward_entrypoint_env_build(const struct ward_plan *plan, char *const *inherited,
			      uid_t uid, struct ward_entrypoint_env *e,
			      struct ward_err *err)
{
	int r;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; inherited && inherited[i]; i++)
		if ((r = take_inherited(plan, inherited[i], e, err)) < 0)
			return r;
	for (size_t i = 0; i < plan->nenv; i++) {
		if (is_default(plan->env[i]) && has_name(e, plan->env[i]))
			continue;
		if ((r = put(e, plan->env[i], err)) < 0)
			return r;
	}
	set_home(e, uid);
	return 0;
}

void ward_entrypoint_env_free(struct ward_entrypoint_env *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->vars[i]);
	e->n = 0;
}
