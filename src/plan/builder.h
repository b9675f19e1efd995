/* The plan builder: raw directive values before resolution.  Shared by
 * plan.c (apply) and plan_resolve.c (finish); nothing else uses it. */
#ifndef WARD_PLAN_BUILDER_H
#define WARD_PLAN_BUILDER_H

#include "plan/plan.h"

/* Room for the scalar keys (plan.c checks the count at compile time). */
#define WARD_SCALAR_KEYS 24

struct ward_plan_builder {
	char *rootfs;
	char *user;
	char *groups;
	char *hostname;
	char *seccomp;
	char *workdir;
	char *cap_keep;
	enum ward_net net;
	bool net_set;
	struct ward_veth veth; /* net veth:ADDRS, prefix 0 when none given */
	bool init;
	bool init_set;
	char *mode;
	bool fallback_entrypoint;
	int verbose;
	char *binds[WARD_MAX_BINDS];
	size_t nbinds;
	char *tmpfs[WARD_MAX_TMPFS];
	size_t ntmpfs;
	char *rlimits[WARD_MAX_RLIMITS];
	size_t nrlimits;
	char *env[WARD_MAX_ENV];
	size_t nenv;
	char **argv;
	char *writable[WARD_MAX_WRITABLE];
	size_t nwritable;
	char *env_pass[WARD_MAX_ENV_PASS];
	size_t nenv_pass;
	char *tcp_bind;
	char *tcp_connect;
	char *landlock;
	char *init_signals;
	char *seccomp_lines[65]; /* "allow x", "deny y errno=EACCES", ... */
	size_t nseccomp_lines;
	bool seccomp_log_only;
	char *engine_extra[17]; /* NULL-terminated */
	size_t nengine_extra;
	unsigned allow_engines;  /* bit per enum ward_engine */
	/* secret NAME=SOURCE and secret-env NAME (plan_secrets.c), each with
	 * "file:line:col: " or NULL for the command line */
	char *secrets[WARD_MAX_SECRETS];
	char *where_secrets[WARD_MAX_SECRETS];
	size_t nsecrets;
	char *secret_env[WARD_MAX_SECRETS];
	char *where_secret_env[WARD_MAX_SECRETS];
	size_t nsecret_env;

	/* Where each value came from ("file:line:col: ", or NULL for the
	 * command line), for diagnostics at resolution time. */
	char *where_scalar[WARD_SCALAR_KEYS];
	char *where_binds[WARD_MAX_BINDS];
	char *where_tmpfs[WARD_MAX_TMPFS];
	char *where_rlimits[WARD_MAX_RLIMITS];
	char *where_env[WARD_MAX_ENV];
	/* Scalars set by a profile, to catch conflicting redefinitions. */
	char *profile_value[WARD_SCALAR_KEYS];
};

/* Syntax checks that need no filesystem (plan_misc.c), run when a
 * directive is applied so profiles report them with their line. */
int ward_plan_check_value(const char *key, const char *value,
			  struct ward_err *err);

int ward_plan_resolve_rlimits(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err);
int ward_plan_resolve_env(const struct ward_plan_builder *b,
			  struct ward_plan *plan, struct ward_err *err);
int ward_plan_resolve_misc(const struct ward_plan_builder *b,
			   struct ward_plan *plan, struct ward_err *err);
/* Landlock and entrypoint-environment directives (plan_confine.c). */
bool ward_plan_confine_key(const char *key);
int ward_plan_check_confine(const char *key, const char *value,
			    struct ward_err *err);
int ward_plan_apply_confine(struct ward_plan_builder *b, const char *key,
			    const char *value, struct ward_err *err);
int ward_plan_resolve_confine(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err);
void ward_plan_free_confine(struct ward_plan_builder *b, struct ward_plan *plan);

/* Secret directives (plan_secrets.c): secret NAME=SOURCE, secret-env
 * NAME.  Syntax at apply time; at resolution every file source is read
 * and checked, with WARD_STEP_SECRETS errors, and every fd: or env:
 * source left for ward_launch_prepare. */
bool ward_plan_secret_key(const char *key);
int ward_plan_check_secret(const char *key, const char *value,
			   struct ward_err *err);
int ward_plan_apply_secret(struct ward_plan_builder *b, const char *key,
			   const char *value, const struct ward_origin *o,
			   struct ward_err *err);
int ward_plan_resolve_secrets(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err);
/* Frees the builder's lists and/or wipes and unmaps the plan's secrets
 * (taking the secret-env entries out of plan->env first). */
void ward_plan_free_secrets(struct ward_plan_builder *b, struct ward_plan *plan);

/* Index of a scalar key in where_scalar/profile_value, or -1. */
int ward_plan_scalar_index(const char *key);

/* "file:line:col: " for a scalar key or list item, "" for the command
 * line. */
const char *ward_plan_where(const struct ward_plan_builder *b,
			    const char *key, size_t idx);

/* Resolve every value of @b into @plan (plan_resolve.c). */
int ward_plan_resolve(struct ward_plan_builder *b, struct ward_plan *plan,
		      struct ward_err *err);

#endif
