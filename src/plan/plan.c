/* The launch plan: directives in, one validated immutable plan out.
 *
 * Command-line options and profile lines are the same directives and go
 * through ward_plan_apply, so both are checked by one validator.  Values
 * that need the filesystem (paths, user names) are resolved in
 * ward_plan_finish, after every directive is known. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sched.h>

#include "kernel/caps.h"
#include "base/cleanup.h"
#include "engine/dockersock.h"
#include "plan/net_addr.h"
#include "plan/plan.h"
#include "plan/builder.h"
#include "seccomp/seccomp.h"
#include "kernel/userdb.h"
#include "base/util.h"


static int usage_err(struct ward_err *err, const struct ward_origin *o,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void free_strv(char **v, size_t n);

/* Errors carry "file:line:col: " for profile lines, "--key: " otherwise. */
static int usage_err(struct ward_err *err, const struct ward_origin *o,
		     const char *fmt, ...)
{
	char msg[WARD_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o && o->file)
		return ward_err_set(err, WARD_STEP_PROFILE, 0,
				    "%s:%u:%u: error: %s", o->file, o->line,
				    o->col, msg);
	return ward_err_set(err, WARD_STEP_USAGE, 0, "%s", msg);
}

struct ward_plan_builder *ward_plan_builder_new(void)
{
	return calloc(1, sizeof(struct ward_plan_builder));
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
}

static const char *const scalar_keys[] = {
	"rootfs", "user", "groups", "hostname", "net", "cap-keep", "seccomp",
	"workdir", "init", "mode", "fallback", "tcp-bind", "tcp-connect",
	"landlock", "init-signals", NULL,
};
_Static_assert(sizeof(scalar_keys) / sizeof(scalar_keys[0]) <= WARD_SCALAR_KEYS,
	       "scalar_keys outgrew where_scalar");

int ward_plan_scalar_index(const char *key)
{
	for (int i = 0; scalar_keys[i]; i++)
		if (strcmp(scalar_keys[i], key) == 0)
			return i;
	return -1;
}

const char *ward_plan_where(const struct ward_plan_builder *b,
			    const char *key, size_t idx)
{
	const char *w = NULL;
	int i = ward_plan_scalar_index(key);

	if (i >= 0)
		w = b->where_scalar[i];
	else if (strcmp(key, "bind") == 0 && idx < WARD_MAX_BINDS)
		w = b->where_binds[idx];
	else if (strcmp(key, "tmpfs") == 0 && idx < WARD_MAX_TMPFS)
		w = b->where_tmpfs[idx];
	else if (strcmp(key, "rlimit") == 0 && idx < WARD_MAX_RLIMITS)
		w = b->where_rlimits[idx];
	else if (strcmp(key, "env") == 0 && idx < WARD_MAX_ENV)
		w = b->where_env[idx];
	return w ? w : "";
}

/* Remember where a value came from; list items use their index. */
static void record_where(struct ward_plan_builder *b, const char *key,
			 const struct ward_origin *o)
{
	char buf[512];
	char **slot = NULL;
	int i = ward_plan_scalar_index(key);

	if (i >= 0)
		slot = &b->where_scalar[i];
	else if (strcmp(key, "bind") == 0)
		slot = &b->where_binds[b->nbinds - 1];
	else if (strcmp(key, "tmpfs") == 0)
		slot = &b->where_tmpfs[b->ntmpfs - 1];
	else if (strcmp(key, "rlimit") == 0)
		slot = &b->where_rlimits[b->nrlimits - 1];
	else if (strcmp(key, "env") == 0)
		slot = &b->where_env[b->nenv - 1];
	if (!slot)
		return;
	free(*slot);
	*slot = NULL;
	if (o && o->file) {
		snprintf(buf, sizeof(buf), "%s:%u:%u: ", o->file, o->line, o->col);
		*slot = strdup(buf);
	}
}

/* Within one profile file a scalar may be set once (or twice to the same
 * value); across files the later line wins, so an including profile, or
 * a .local file included at its end, overrides what it includes.  The
 * command line overrides everything. */
static int check_redefinition(struct ward_plan_builder *b, const char *key,
			      const char *value, const struct ward_origin *o,
			      struct ward_err *err)
{
	int i = ward_plan_scalar_index(key);
	const char *w;
	size_t wl, fl;

	if (i < 0 || !o || !o->file)
		return 0;
	w = b->where_scalar[i] ? b->where_scalar[i] : "";
	wl = strlen(w);
	fl = strlen(o->file);
	if (b->profile_value[i] && strcmp(b->profile_value[i], value) != 0 &&
	    wl > fl && strncmp(w, o->file, fl) == 0 && w[fl] == ':')
		/* where strings end in ": " */
		return usage_err(err, o, "'%s' redefined as '%s' in the same file (first set to '%s' at %.*s)",
				 key, value, b->profile_value[i],
				 (int)(wl >= 2 ? wl - 2 : wl), w);
	free(b->profile_value[i]);
	b->profile_value[i] = strdup(value);
	return b->profile_value[i] ? 0 : ward_err_set(err, WARD_STEP_PROFILE, ENOMEM, "strdup");
}

void ward_plan_builder_free(struct ward_plan_builder *b)
{
	if (!b)
		return;
	free_strv(b->where_scalar, WARD_SCALAR_KEYS);
	free_strv(b->profile_value, WARD_SCALAR_KEYS);
	free_strv(b->where_binds, WARD_MAX_BINDS);
	free_strv(b->where_tmpfs, WARD_MAX_TMPFS);
	free_strv(b->where_rlimits, WARD_MAX_RLIMITS);
	free_strv(b->where_env, WARD_MAX_ENV);
	free(b->rootfs);
	free(b->user);
	free(b->groups);
	free(b->hostname);
	free(b->seccomp);
	free(b->workdir);
	free(b->mode);
	free(b->cap_keep);
	free_strv(b->binds, b->nbinds);
	free_strv(b->tmpfs, b->ntmpfs);
	free_strv(b->rlimits, b->nrlimits);
	free_strv(b->env, b->nenv);
	free_strv(b->engine_extra, b->nengine_extra);
	free_strv(b->seccomp_lines, b->nseccomp_lines);
	ward_plan_free_confine(b, NULL);
	ward_plan_free_secrets(b, NULL);
	free(b);
}

void ward_plan_set_argv(struct ward_plan_builder *b, char **argv)
{
	b->argv = argv;
}

static int set_scalar(char **slot, const char *value, struct ward_err *err)
{
	char *copy = strdup(value);

	if (!copy)
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "strdup");
	free(*slot);
	*slot = copy;
	return 0;
}

static int append(char **list, size_t *n, size_t max, const char *key,
		  const char *value, const struct ward_origin *o,
		  struct ward_err *err)
{
	if (*n >= max)
		return usage_err(err, o, "--%s: more than %zu given", key, max);
	list[*n] = strdup(value);
	if (!list[*n])
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "strdup");
	(*n)++;
	return 0;
}

static int parse_yes_no(const char *key, const char *v, bool *out,
			const struct ward_origin *o, struct ward_err *err)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0) {
		*out = true;
		return 0;
	}
	if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0) {
		*out = false;
		return 0;
	}
	return usage_err(err, o, "--%s: expected yes or no, got '%s'", key, v);
}

/* veth, or veth:HOSTADDR/PREFIX,SANDBOXADDR (syntax checked here, so a
 * profile line reports it with its position). */
static int apply_net_veth(struct ward_plan_builder *b, const char *v,
			  const struct ward_origin *o, struct ward_err *err)
{
	struct ward_veth veth = {0};
	char why[128];

	if (v[4] == ':' && ward_veth_parse(v + 5, &veth, why, sizeof(why)) < 0)
		return usage_err(err, o, "--net %s: %s", v, why);
	b->net = WARD_NET_VETH;
	b->veth = veth;
	b->net_set = true;
	return 0;
}

static int apply_net(struct ward_plan_builder *b, const char *v,
		     const struct ward_origin *o, struct ward_err *err)
{
	if (strcmp(v, "loopback") == 0)
		b->net = WARD_NET_LOOPBACK;
	else if (strcmp(v, "none") == 0)
		b->net = WARD_NET_NONE;
	else if (strcmp(v, "host") == 0)
		b->net = WARD_NET_HOST;
	else if (strncmp(v, "veth", 4) == 0 && (v[4] == '\0' || v[4] == ':'))
		return apply_net_veth(b, v, o, err);
	else
		return usage_err(err, o,
				 "--net: expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got '%s'",
				 v);
	b->net_set = true;
	return 0;
}

static int apply_caps(struct ward_plan_builder *b, const char *v,
		      const struct ward_origin *o, struct ward_err *err)
{
	uint64_t mask;
	size_t bad = 0;

	if (ward_caps_parse_list(v, &mask, &bad) < 0)
		return usage_err(err, o, "--cap-keep: unknown capability '%s'",
				 v + bad);
	return set_scalar(&b->cap_keep, v, err);
}

static int apply_groups(struct ward_plan_builder *b, const char *v,
			struct ward_err *err)
{
	return set_scalar(&b->groups, v, err);
}

/* seccomp-allow NAME|@group..., seccomp-deny ... [errno=E|action=kill],
 * seccomp-default ACTION, seccomp-log-only yes|no: additions to the base
 * policy, checked one by one so errors point at their line. */
static int apply_seccomp_line(struct ward_plan_builder *b, const char *verb,
			      const char *v, const struct ward_origin *o,
			      struct ward_err *err)
{
	char line[WARD_ERR_MSG_MAX];

	if (strcmp(verb, "log-only") == 0)
		return parse_yes_no("seccomp-log-only", v, &b->seccomp_log_only, o,
				    err);
	if (ward_seccomp_check_directive(verb, v, err) < 0)
		return usage_err(err, o, "seccomp-%s: %s", verb, err->msg);
	if ((size_t)snprintf(line, sizeof(line), "%s %s", verb, v) >= sizeof(line))
		return usage_err(err, o, "seccomp-%s: value too long", verb);
	return append(b->seccomp_lines, &b->nseccomp_lines, 64, "seccomp-*", line,
		      o, err);
}

static int apply_mode(struct ward_plan_builder *b, const char *v,
		      const struct ward_origin *o, struct ward_err *err)
{
	if (strcmp(v, "auto") && strcmp(v, "namespaces") && strcmp(v, "entrypoint"))
		return usage_err(err, o,
				 "--mode: expected auto, namespaces or entrypoint, got '%s'", v);
	return set_scalar(&b->mode, v, err);
}

/* Falling back to fewer layers is written down in a profile, never
 * implied (STYLE: a weakening fallback exists only behind a flag). */
static int apply_fallback(struct ward_plan_builder *b, const char *v,
			  const struct ward_origin *o, struct ward_err *err)
{
	if (!o || !o->file)
		return usage_err(err, o,
				 "fallback is accepted only in a profile, where it is written down and reviewed");
	if (strcmp(v, "entrypoint") && strcmp(v, "none"))
		return usage_err(err, o, "fallback: expected entrypoint or none, got '%s'", v);
	b->fallback_entrypoint = strcmp(v, "entrypoint") == 0;
	return 0;
}

/* The one way to let an engine socket in: a profile line, loud. */
static int apply_allow_engine(struct ward_plan_builder *b, const char *v,
			      const struct ward_origin *o, struct ward_err *err)
{
	int e = ward_engine_from_name(v);

	if (!o || !o->file)
		return usage_err(err, o,
				 "allow-engine-socket is accepted only in a profile, where it is written down and reviewed");
	if (e < 0)
		return usage_err(err, o,
				 "allow-engine-socket: unknown engine '%s' (docker, containerd, podman, crio, buildkit)",
				 v);
	b->allow_engines |= 1u << e;
	return 0;
}

static const char *const keys_with_value[] = {
	"rootfs", "user", "groups", "bind", "tmpfs", "hostname", "net",
	"cap-keep", "seccomp", "rlimit", "env", "workdir", "init",
	"engine-socket", "allow-engine-socket", "seccomp-allow", "seccomp-deny",
	"seccomp-default", "seccomp-log-only", "mode", "fallback", "writable",
	"tcp-bind", "tcp-connect", "landlock", "env-pass", "init-signals",
	"secret", "secret-env", NULL,
};

bool ward_plan_key_known(const char *key, bool *takes_value)
{
	for (size_t i = 0; keys_with_value[i]; i++)
		if (strcmp(key, keys_with_value[i]) == 0) {
			*takes_value = true;
			return true;
		}
	if (strcmp(key, "verbose") == 0) {
		*takes_value = false;
		return true;
	}
	return false;
}

static int apply_value(struct ward_plan_builder *b, const char *key,
		       const char *v, const struct ward_origin *o,
		       struct ward_err *err)
{
	if (strcmp(key, "rootfs") == 0)
		return set_scalar(&b->rootfs, v, err);
	if (strcmp(key, "user") == 0)
		return set_scalar(&b->user, v, err);
	if (strcmp(key, "groups") == 0)
		return apply_groups(b, v, err);
	if (strcmp(key, "bind") == 0)
		return append(b->binds, &b->nbinds, WARD_MAX_BINDS, key, v, o, err);
	if (strcmp(key, "tmpfs") == 0)
		return append(b->tmpfs, &b->ntmpfs, WARD_MAX_TMPFS, key, v, o, err);
	if (strcmp(key, "rlimit") == 0)
		return append(b->rlimits, &b->nrlimits, WARD_MAX_RLIMITS, key, v,
			      o, err);
	if (strcmp(key, "env") == 0)
		return append(b->env, &b->nenv, WARD_MAX_ENV - 3, key, v, o, err);
	if (strcmp(key, "hostname") == 0)
		return set_scalar(&b->hostname, v, err);
	if (strcmp(key, "net") == 0)
		return apply_net(b, v, o, err);
	if (strcmp(key, "cap-keep") == 0)
		return apply_caps(b, v, o, err);
	if (strcmp(key, "seccomp") == 0)
		return set_scalar(&b->seccomp, v, err);
	if (strcmp(key, "workdir") == 0)
		return set_scalar(&b->workdir, v, err);
	if (strncmp(key, "seccomp-", 8) == 0)
		return apply_seccomp_line(b, key + 8, v, o, err);
	if (strcmp(key, "engine-socket") == 0)
		return append(b->engine_extra, &b->nengine_extra, 16, key, v, o, err);
	if (strcmp(key, "allow-engine-socket") == 0)
		return apply_allow_engine(b, v, o, err);
	if (strcmp(key, "mode") == 0)
		return apply_mode(b, v, o, err);
	if (strcmp(key, "fallback") == 0)
		return apply_fallback(b, v, o, err);
	if (ward_plan_confine_key(key))
		return ward_plan_apply_confine(b, key, v, err);
	if (ward_plan_secret_key(key))
		return ward_plan_apply_secret(b, key, v, o, err);
	if (strcmp(key, "init") == 0) {
		b->init_set = true;
		return parse_yes_no(key, v, &b->init, o, err);
	}
	b->verbose++;
	return 0;
}

int ward_plan_apply(struct ward_plan_builder *b, const char *key,
		    const char *v, const struct ward_origin *o,
		    struct ward_err *err)
{
	bool takes;
	int r;

	if (!ward_plan_key_known(key, &takes))
		return usage_err(err, o, o && o->file ? "unknown directive '%s'"
						     : "unknown option '--%s'", key);
	if (takes && (!v || !*v))
		return usage_err(err, o, "%s%s needs a value", o && o->file ? "" : "--",
				 key);
	if (!takes && v)
		return usage_err(err, o, "%s%s takes no value", o && o->file ? "" : "--",
				 key);
	if (takes && ward_plan_check_value(key, v, err) < 0)
		return usage_err(err, o, "%s", err->msg);
	if (takes && (r = check_redefinition(b, key, v, o, err)) < 0)
		return r;
	if ((r = apply_value(b, key, v, o, err)) < 0)
		return r;
	record_where(b, key, o);
	return 0;
}

void ward_plan_free(struct ward_plan *plan)
{
	if (!plan)
		return;
	ward_plan_free_secrets(NULL, plan); /* first: it owns env[]'s last entries */
	for (size_t i = 0; i < plan->nbinds; i++) {
		free(plan->binds[i].src);
		free(plan->binds[i].dst);
	}
	for (size_t i = 0; i < plan->ntmpfs; i++)
		free(plan->tmpfs[i].dst);
	for (size_t i = 0; i < plan->nenv; i++)
		free(plan->env[i]);
	free(plan->workdir);
	free(plan->rootfs);
	free(plan->hostname);
	free(plan->seccomp_path);
	free(plan->engine_sockets);
	ward_seccomp_free(&plan->seccomp_prog);
	free(plan->seccomp_recipe);
	ward_plan_free_confine(NULL, plan);
	free(plan);
}

int ward_plan_finish(struct ward_plan_builder *b, struct ward_plan **out,
		     struct ward_err *err)
{
	struct ward_plan *plan = calloc(1, sizeof(*plan));
	int r;

	if (!plan)
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "calloc");
	r = ward_plan_resolve(b, plan, err);
	if (r < 0) {
		ward_plan_free(plan);
		return r;
	}
	*out = plan;
	return 0;
}
