/* Plan resolution, continued: limits, environment, namespaces, seccomp. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/capability.h>

#include "engine/dockersock.h"
#include "plan/net_addr.h"
#include "plan/builder.h"
#include "seccomp/seccomp.h"
#include "seccomp/cache.h"
#include "kernel/userdb.h"
#include "base/suggest.h"
#include "plan/env_file.h"
#include "base/cleanup.h"
#include "base/util.h"

/* Capabilities checked against the owner of the network namespace. */
#define NET_CAPS_OWNED_BY_NETNS ((1ULL << CAP_NET_BIND_SERVICE) | \
				 (1ULL << CAP_NET_RAW) | (1ULL << CAP_NET_ADMIN) | \
				 (1ULL << CAP_NET_BROADCAST))


static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{"as", RLIMIT_AS}, {"core", RLIMIT_CORE}, {"cpu", RLIMIT_CPU},
	{"data", RLIMIT_DATA}, {"fsize", RLIMIT_FSIZE},
	{"locks", RLIMIT_LOCKS}, {"memlock", RLIMIT_MEMLOCK},
	{"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
	{"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC},
	{"rss", RLIMIT_RSS}, {"rtprio", RLIMIT_RTPRIO},
	{"rttime", RLIMIT_RTTIME}, {"sigpending", RLIMIT_SIGPENDING},
	{"stack", RLIMIT_STACK},
};

const char *ward_rlimit_name(int resource)
{
	for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
		if (rlimit_names[i].resource == resource)
			return rlimit_names[i].name;
	return "?";
}

void ward_rlimit_format(const struct ward_rlimit *l, char *buf, size_t len)
{
	char soft[24], hard[24];

	snprintf(soft, sizeof(soft), l->value.rlim_cur == RLIM_INFINITY ?
		 "unlimited" : "%llu", (unsigned long long)l->value.rlim_cur);
	snprintf(hard, sizeof(hard), l->value.rlim_max == RLIM_INFINITY ?
		 "unlimited" : "%llu", (unsigned long long)l->value.rlim_max);
	if (strcmp(soft, hard) == 0)
		snprintf(buf, len, "%s=%s", ward_rlimit_name(l->resource), soft);
	else
		snprintf(buf, len, "%s=%s:%s", ward_rlimit_name(l->resource), soft, hard);
}

static int rlimit_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
		if (strcasecmp(name, rlimit_names[i].name) == 0 ||
		    (strncasecmp(name, "RLIMIT_", 7) == 0 &&
		     strcasecmp(name + 7, rlimit_names[i].name) == 0))
			return rlimit_names[i].resource;
	return -1;
}

static int unknown_rlimit(const char *spec, const char *name,
			  struct ward_err *err)
{
	struct ward_suggest sg;
	int r = ward_err_set(err, WARD_STEP_PLAN, 0,
			     "--rlimit %s: unknown limit '%s'", spec, name);

	ward_suggest_init(&sg, strncasecmp(name, "RLIMIT_", 7) ? name : name + 7);
	for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
		ward_suggest_offer(&sg, rlimit_names[i].name);
	if (ward_suggest_best(&sg))
		return ward_err_hint(err, "did you mean %s?", ward_suggest_best(&sg));
	return r;
}

static int parse_rlim_value(const char *s, rlim_t *out)
{
	uint64_t v;

	if (strcmp(s, "unlimited") == 0 || strcmp(s, "infinity") == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (ward_parse_size(s, &v) < 0 || v == RLIM_INFINITY)
		return -EINVAL;
	*out = (rlim_t)v;
	return 0;
}

static int resolve_rlimit(const char *spec, struct ward_rlimit *out,
			  struct ward_err *err)
{
	char buf[128];
	char *eq, *colon;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf) ||
	    !(eq = strchr(buf, '=')))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--rlimit %s: expected NAME=SOFT[:HARD]", spec);
	*eq++ = '\0';
	out->resource = rlimit_by_name(buf);
	if (out->resource < 0)
		return unknown_rlimit(spec, buf, err);
	colon = strchr(eq, ':');
	if (colon)
		*colon++ = '\0';
	if (parse_rlim_value(eq, &out->value.rlim_cur) < 0 ||
	    parse_rlim_value(colon ? colon : eq, &out->value.rlim_max) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--rlimit %s: bad number", spec);
	if (out->value.rlim_cur > out->value.rlim_max)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--rlimit %s: soft limit above hard limit", spec);
	return 0;
}

int ward_plan_check_rlimit(const char *spec, struct ward_err *err)
{
	struct ward_rlimit rl;

	return resolve_rlimit(spec, &rl, err);
}

/* Limits every sandbox gets unless its profile sets them: no core dumps
 * (a core file holds the program's secrets), and a ceiling on processes
 * and open files so one sandbox cannot take the host's.  They only ever
 * lower what the launcher has: raising a hard limit needs CAP_SYS_RESOURCE
 * in the host's namespace, which a sandbox does not have. */
static const struct ward_rlimit default_rlimits[WARD_DEFAULT_RLIMITS] = {
	{RLIMIT_CORE, {0, 0}, true},
	{RLIMIT_NPROC, {WARD_DEFAULT_NPROC, WARD_DEFAULT_NPROC}, true},
	{RLIMIT_NOFILE, {WARD_DEFAULT_NOFILE, WARD_DEFAULT_NOFILE}, true},
};

static bool rlimit_given(const struct ward_plan *plan, int resource)
{
	for (size_t i = 0; i < plan->nrlimits; i++)
		if (plan->rlimits[i].resource == resource)
			return true;
	return false;
}

static rlim_t lower(rlim_t a, rlim_t b)
{
	return a < b ? a : b; /* RLIM_INFINITY is the largest value */
}

int ward_plan_resolve_rlimits(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err)
{
	int first = 0;

	for (size_t i = 0; i < b->nrlimits; i++) {
		int r = resolve_rlimit(b->rlimits[i], &plan->rlimits[plan->nrlimits], err);

		if (r < 0) {
			r = ward_plan_note(b, ward_err_wrap(err, "%s",
							    ward_plan_where(b, "rlimit", i)), err);
			first = first ? first : r;
			continue;
		}
		plan->nrlimits++;
	}
	for (size_t i = 0; i < WARD_DEFAULT_RLIMITS; i++) {
		struct ward_rlimit d = default_rlimits[i];
		struct rlimit now;

		if (rlimit_given(plan, d.resource))
			continue;
		if (getrlimit(d.resource, &now) < 0)
			return ward_plan_note(b, ward_err_set(err, WARD_STEP_PLAN, errno,
							      "getrlimit(%s)",
							      ward_rlimit_name(d.resource)),
					      err);
		d.value.rlim_max = lower(d.value.rlim_max, now.rlim_max);
		d.value.rlim_cur = lower(lower(d.value.rlim_cur, now.rlim_cur),
					 d.value.rlim_max);
		plan->rlimits[plan->nrlimits++] = d;
	}
	return first;
}

int ward_plan_check_env(const char *kv, struct ward_err *err)
{
	const char *eq = strchr(kv, '=');

	if (!eq || !ward_env_name_valid(kv, (size_t)(eq - kv)))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--env %s: expected NAME=VALUE with NAME of letters, digits, _",
				    kv);
	return 0;
}

/* Set or replace NAME=VALUE in the plan's environment. */
static int env_put(struct ward_plan *plan, const char *kv, struct ward_err *err)
{
	size_t n = strcspn(kv, "=");
	char *copy;
	int r;

	if ((r = ward_plan_check_env(kv, err)) < 0)
		return r;
	copy = strdup(kv);
	if (!copy)
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
	for (size_t i = 0; i < plan->nenv; i++)
		if (strncmp(plan->env[i], kv, n + 1) == 0) {
			free(plan->env[i]);
			plan->env[i] = copy;
			return 0;
		}
	if (plan->nenv == WARD_MAX_ENV) {
		free(copy);
		return ward_err_set(err, WARD_STEP_PLAN, 0, "--env: too many");
	}
	plan->env[plan->nenv++] = copy;
	plan->env[plan->nenv] = NULL;
	return 0;
}

/* "HOME=<the user's home in the root's /etc/passwd>", or "HOME=/". */
static void home_of(const struct ward_plan *plan, char *kv, size_t cap)
{
	char *buf = NULL;
	size_t len = 0;

	snprintf(kv, cap, "HOME=/");
	if (ward_userdb_read(plan->rootfs ? plan->rootfs : "/", "etc/passwd",
			     &buf, &len) == 0 &&
	    ward_userdb_home(buf, len, plan->uid, kv + 5, cap - 5) < 0)
		snprintf(kv, cap, "HOME=/");
	free(buf);
}

/* --env-file: each NAME=VALUE, checked as --env's. */
struct env_file_ctx {
	struct ward_plan *plan;
};

static int env_file_put(void *ctx, const char *kv, unsigned line,
			struct ward_err *err)
{
	struct env_file_ctx *c = ctx;
	int r;

	if ((r = ward_dockersock_check_env(c->plan->engine_sockets, kv, err)) < 0)
		return r;
	return env_put(c->plan, kv, err);
}

static const char *caller_env(const char *name)
{
	return getenv(name);
}

static int env_file_read(struct ward_plan *plan, const char *path,
			 struct ward_err *err)
{
	struct env_file_ctx c = {.plan = plan};
	_cleanup_free_ char *buf = NULL;
	_cleanup_close_ int fd = -1;
	size_t len = 0;
	int r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno, "--env-file %s", path);
	if ((r = ward_userdb_read_fd(fd, &buf, &len)) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, -r,
				    "--env-file %s: reading it%s", path,
				    r == -EINVAL ? " (not a regular file)" : "");
	return ward_env_file_parse(path, buf, len, caller_env, env_file_put, &c, err);
}

int ward_plan_resolve_env(const struct ward_plan_builder *b,
			  struct ward_plan *plan, struct ward_err *err)
{
	const char *term = getenv("TERM");
	char buf[256];
	int r;

	int first = 0;

	home_of(plan, buf, sizeof(buf));
	if ((r = env_put(plan, "PATH=" WARD_DEFAULT_PATH, err)) < 0 ||
	    (r = env_put(plan, buf, err)) < 0)
		return ward_plan_note(b, r, err);
	if (term && snprintf(buf, sizeof(buf), "TERM=%s", term) < (int)sizeof(buf) &&
	    (r = env_put(plan, buf, err)) < 0)
		return ward_plan_note(b, r, err);
	/* The image's Env over ward's defaults (its PATH wins), then
	 * Docker's order: the files, --env over them. */
	for (size_t i = 0; i < b->nimage_env; i++)
		if ((r = ward_dockersock_check_env(plan->engine_sockets, b->image_env[i],
						   err)) < 0 ||
		    (r = env_put(plan, b->image_env[i], err)) < 0)
			return ward_plan_note(b, ward_err_wrap(err, "the image's Env: "), err);
	/* Docker's order: the files first, --env over them. */
	for (size_t i = 0; i < b->nenv_files; i++)
		if ((r = env_file_read(plan, b->env_files[i], err)) < 0) {
			r = ward_plan_note(b, ward_err_wrap(err, "%s",
							    ward_plan_where(b, "env-file", i)), err);
			first = first ? first : r;
		}
	for (size_t i = 0; i < b->nenv; i++)
		if ((r = ward_dockersock_check_env(plan->engine_sockets, b->env[i],
						   err)) < 0 ||
		    (r = env_put(plan, b->env[i], err)) < 0) {
			r = ward_plan_note(b, ward_err_wrap(err, "%s",
							    ward_plan_where(b, "env", i)), err);
			first = first ? first : r;
		}
	return first;
}

int ward_plan_check_hostname(const char *h, struct ward_err *err)
{
	size_t n = strlen(h);

	if (n == 0 || n > 64)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--hostname: 1 to 64 characters");
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.')
			return ward_err_set(err, WARD_STEP_PLAN, 0,
					    "--hostname %s: only letters, digits, '-' and '.'",
					    h);
	return 0;
}

static int resolve_hostname(const struct ward_plan_builder *b,
			    struct ward_plan *plan, struct ward_err *err)
{
	const char *h = b->hostname ? b->hostname : "ward";
	int r = ward_plan_check_hostname(h, err);

	if (r < 0)
		return r;
	plan->hostname = strdup(h);
	return plan->hostname ? 0 : ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
}

/* The profile's seccomp-* lines as policy text over the base policy. */
static int build_seccomp(const struct ward_plan_builder *b,
			 struct ward_plan *plan, struct ward_err *err)
{
	struct ward_seccomp_source src = {
		.mode = plan->seccomp_mode, .path = plan->seccomp_path,
		.log_only = b->seccomp_log_only, .caps = plan->caps_keep,
		.verbose = b->verbose > 0,
	};
	enum ward_seccomp_cache_use use;
	char *overlay = NULL;
	int r;

	if (plan->seccomp_mode == WARD_SECCOMP_OFF &&
	    (b->nseccomp_lines || b->seccomp_log_only))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "seccomp-* additions given with --seccomp off-i-know");
	if (b->nseccomp_lines) {
		overlay = ward_seccomp_overlay_text(b->seccomp_lines, b->nseccomp_lines);
		if (!overlay)
			return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "seccomp-*");
	}
	src.overlay = overlay;
	plan->seccomp_log_only = b->seccomp_log_only;
	/* Through the cache, read only: a miss is stored by
	 * ward_launch_prepare, for a launch. */
	r = ward_seccomp_cache_lookup(&src, &plan->seccomp_prog, &use,
				      &plan->seccomp_recipe,
				      &plan->seccomp_recipe_len, err);
	plan->seccomp_cache = (int)use;
	free(overlay);
	return r;
}

static int resolve_seccomp(const struct ward_plan_builder *b,
			   struct ward_plan *plan, struct ward_err *err)
{
	const char *s = b->seccomp ? b->seccomp : "default";
	char real[PATH_MAX];

	if (strcmp(s, "default") == 0) {
		plan->seccomp_mode = WARD_SECCOMP_DEFAULT;
	} else if (strcmp(s, "strict") == 0) {
		plan->seccomp_mode = WARD_SECCOMP_STRICT;
	} else if (strcmp(s, "off-i-know") == 0) {
		plan->seccomp_mode = WARD_SECCOMP_OFF;
	} else if (strcmp(s, "off") == 0) {
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--seccomp off: write off-i-know to run without a syscall filter");
	} else {
		/* docker:FILE.json: a Docker/OCI JSON profile */
		bool docker = strncmp(s, "docker:", 7) == 0;

		if (!realpath(docker ? s + 7 : s, real))
			return ward_err_set(err, WARD_STEP_PLAN, errno,
					    "--seccomp %s", s);
		plan->seccomp_mode = docker ? WARD_SECCOMP_DOCKER : WARD_SECCOMP_FILE;
		plan->seccomp_path = strdup(real);
		if (!plan->seccomp_path)
			return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
	}
	return build_seccomp(b, plan, err);
}

static int resolve_workdir(const struct ward_plan_builder *b,
			   struct ward_plan *plan, struct ward_err *err)
{
	char norm[PATH_MAX];

	if (ward_path_normalize(b->workdir ? b->workdir : "/", norm,
				sizeof(norm)) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--workdir %s: must be an absolute path without '..'",
				    b->workdir);
	plan->workdir = strdup(norm);
	return plan->workdir ? 0 : ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
}

/* What entrypoint mode cannot do without a mount or network namespace
 * is refused, not silently dropped. */
static int check_entrypoint_compatible(const struct ward_plan_builder *b,
				       const char *why, struct ward_err *err)
{
	const char *what = b->nbinds ? "--bind" : b->ntmpfs ? "--tmpfs" :
			   (b->rootfs && strcmp(b->rootfs, "host")) ? "--rootfs" :
			   b->hostname ? "--hostname" :
			   (b->net_set && b->net != WARD_NET_HOST) ? "--net" : NULL;

	if (!what)
		return 0;
	return ward_err_set(err, WARD_STEP_PLAN, 0,
			    "%s needs a mount or network namespace, which %s does not have",
			    what, why);
}

static int wrap_where(const struct ward_plan_builder *b, const char *key, int r,
		      struct ward_err *err)
{
	return r < 0 ? ward_err_wrap(err, "%s", ward_plan_where(b, key, 0)) : r;
}

void ward_plan_resolve_mode(const struct ward_plan_builder *b,
			    struct ward_plan *plan)
{
	plan->mode = b->mode;
	plan->fallback_entrypoint = plan->mode == WARD_MODE_AUTO &&
				    b->fallback_entrypoint;
}

/* The mode, resolved first, against the rest of the plan. */
static int check_mode(const struct ward_plan_builder *b,
		      struct ward_plan *plan, struct ward_err *err)
{
	if (plan->mode == WARD_MODE_ENTRYPOINT) {
		plan->net = WARD_NET_HOST; /* the container's own network */
		return check_entrypoint_compatible(b, "--mode entrypoint", err);
	}
	if (plan->fallback_entrypoint)
		return check_entrypoint_compatible(b, "the profile's 'fallback entrypoint'",
						   err);
	return 0;
}

/* Each check noted on its own: a bad hostname does not hide a bad
 * workdir. */
int ward_plan_resolve_misc(const struct ward_plan_builder *b,
			   struct ward_plan *plan, struct ward_err *err)
{
	int first = 0;

#define NOTE(expr) do { \
		int r_ = ward_plan_note(b, (expr), err); \
		first = first ? first : r_; \
	} while (0)
	plan->net = b->net;
	NOTE(check_mode(b, plan, err));
	NOTE(wrap_where(b, "net", ward_veth_resolve(plan, &b->veth, getpid(), err), err));
	plan->clone_flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID |
			    CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;
	if (plan->net != WARD_NET_HOST)
		plan->clone_flags |= CLONE_NEWNET;
	if (plan->mode == WARD_MODE_ENTRYPOINT)
		plan->clone_flags = 0;
	plan->own_init = b->init_set && !b->init;
	plan->verbose = b->verbose;
	plan->quiet = b->quiet;
	plan->caps_keep = b->caps_keep;
	if (b->image_limits_set)
		plan->image_limits = b->image_limits;
	else
		ward_image_limits_default(&plan->image_limits);
	if (plan->net == WARD_NET_HOST && (plan->clone_flags & CLONE_NEWUSER) &&
	    (plan->caps_keep & NET_CAPS_OWNED_BY_NETNS)) {
		ward_err_set(err, WARD_STEP_PLAN, 0,
			     "%s--cap-keep: network capabilities have no effect with --net host: the host's network belongs to the host's user namespace, not the sandbox's",
			     ward_plan_where(b, "cap-keep", 0));
		NOTE(ward_err_hint(err, "for a port below 1024, let ward bind it and hand it over: --listen [ADDR:]PORT (nginx: the nginx profile)"));
	}
	NOTE(wrap_where(b, "hostname", resolve_hostname(b, plan, err), err));
	NOTE(wrap_where(b, "workdir", resolve_workdir(b, plan, err), err));
	NOTE(wrap_where(b, "seccomp", resolve_seccomp(b, plan, err), err));
#undef NOTE
	return first;
}
