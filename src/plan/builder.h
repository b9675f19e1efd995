/* The plan builder: directive values before resolution, where the rows
 * of the directive table (directives.c) land.  Shared by plan.c (apply)
 * and resolve.c (finish); nothing outside plan/ uses it. */
#ifndef WARD_PLAN_BUILDER_H
#define WARD_PLAN_BUILDER_H

#include "base/errs.h"
#include "plan/directives.h"
#include "plan/plan.h"

#define WARD_MAX_SECCOMP_LINES 64
#define WARD_MAX_ENV_FILES 8
#define WARD_MAX_ACCEPT 32 /* accept-findings values (each ID[,ID...]) */

struct ward_plan_builder {
	char *rootfs;
	char *user;
	char *groups;
	char *hostname;
	char *seccomp;
	char *workdir;
	uint64_t caps_keep; /* bit per capability */
	enum ward_net net;
	bool net_set;
	struct ward_veth veth; /* net veth:ADDRS, prefix 0 when none given */
	bool init;
	bool init_set;
	enum ward_mode mode;
	bool fallback_entrypoint;
	int verbose;
	bool quiet;
	char *env_files[WARD_MAX_ENV_FILES];
	size_t nenv_files;
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
	char *listen[WARD_MAX_LISTEN]; /* listen.c */
	size_t nlisten;
	bool listen_cli; /* the command line's replace a profile's */
	char *listen_env;
	char *tcp_bind;    /* "80,8000-8010": every value given, joined */
	char *tcp_connect;
	bool tcp_bind_cli; /* the command line gave one: profiles' are gone */
	bool tcp_connect_cli;
	char *landlock;
	char *abstract_sockets; /* scoped|host */
	char *allow_sockets[WARD_MAX_ALLOW_SOCKETS]; /* allow-socket PATH */
	size_t nallow_sockets;
	char *init_signals;
	char *seccomp_lines[WARD_MAX_SECCOMP_LINES + 1]; /* "allow x", "deny y errno=EACCES", ... */
	size_t nseccomp_lines;
	bool seccomp_log_only;
	char *engine_extra[17]; /* NULL-terminated */
	size_t nengine_extra;
	unsigned allow_engines;  /* bit per enum ward_engine */
	/* image-limit: every value applied in order over the defaults */
	struct ward_image_limits image_limits;
	bool image_limits_set;
	/* secret NAME=SOURCE and secret-env NAME (secrets.c), each with
	 * "file:line:col: " or NULL for the command line */
	char *secrets[WARD_MAX_SECRETS];
	char *where_secrets[WARD_MAX_SECRETS];
	size_t nsecrets;
	char *secret_env[WARD_MAX_SECRETS];
	char *where_secret_env[WARD_MAX_SECRETS];
	size_t nsecret_env;
	/* ward run --image (image.c): the image, the tag chosen in it, an
	 * entrypoint replacing its own ("" clears it), the findings of its
	 * audit accepted (each value "ID[,ID...]") */
	char *image;
	char *tag;
	char *entrypoint;
	char *accept_findings[WARD_MAX_ACCEPT];
	size_t naccept_findings;
	char *stop_signal; /* a signal name or number (util.h) */
	char *volumes[WARD_MAX_VOLUMES];
	size_t nvolumes;
	/* Set by image.c from the prepared image, for the resolvers after
	 * it: its Env entries that reach the program (pointers into the
	 * plan's image), its volumes. */
	const char *image_env[WARD_MAX_ENV];
	size_t nimage_env;
	/* A plan that never runs (check, explain): the audit's findings are
	 * shown, not refused. */
	bool dry;

	/* Where each value came from ("file:line:col: ", or NULL for the
	 * command line), for diagnostics at resolution time; a scalar's by
	 * its row of the directive table. */
	char *where_scalar[WARD_DIRECTIVES_MAX];
	char *where_binds[WARD_MAX_BINDS];
	char *where_tmpfs[WARD_MAX_TMPFS];
	char *where_rlimits[WARD_MAX_RLIMITS];
	char *where_env[WARD_MAX_ENV];
	char *where_env_files[WARD_MAX_ENV_FILES];
	char *where_volumes[WARD_MAX_VOLUMES];
	/* Scalars set by a profile, to catch conflicting redefinitions. */
	char *profile_value[WARD_DIRECTIVES_MAX];

	/* Where errors are collected (ward_plan_builder_collect), so that
	 * the profile, the command line and resolution report every one;
	 * NULL: the command line stops at its first error, and resolution
	 * collects into a collector of its own and returns the first. */
	struct ward_errs *errs;
};

/* Resolution goes on after an error: add @err to @b's collector when @r
 * is negative.  Returns @r. */
int ward_plan_note(const struct ward_plan_builder *b, int r,
		   const struct ward_err *err);

/* Resolution, after every directive is applied (resolve.c first). */
void ward_plan_resolve_mode(const struct ward_plan_builder *b,
			    struct ward_plan *plan);
int ward_plan_resolve_rlimits(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err);
int ward_plan_resolve_env(const struct ward_plan_builder *b,
			  struct ward_plan *plan, struct ward_err *err);
int ward_plan_resolve_misc(const struct ward_plan_builder *b,
			   struct ward_plan *plan, struct ward_err *err);
/* Landlock and entrypoint-environment directives (confine.c). */
int ward_plan_resolve_confine(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err);
/* --net host and veth: refuse an engine's TCP listener the program could
 * reach (engine_tcp.c).  After ward_plan_resolve_misc (the network). */
int ward_plan_resolve_engine_tcp(const struct ward_plan_builder *b,
				 struct ward_plan *plan, struct ward_err *err);
void ward_plan_free_confine(struct ward_plan_builder *b, struct ward_plan *plan);

/* listen (listen.c): the sockets, after ward_plan_resolve_misc (the
 * network and the tcp-connect rule decide what is allowed). */
int ward_plan_resolve_listen(const struct ward_plan_builder *b,
			     struct ward_plan *plan, struct ward_err *err);
void ward_plan_free_listen(struct ward_plan_builder *b);

/* Secret directives (secrets.c): secret NAME=SOURCE, secret-env NAME.
 * Syntax at apply time (directives.h); at resolution every file source
 * is read and checked, with WARD_STEP_SECRETS errors, and every fd: or
 * env: source left for ward_launch_prepare. */
int ward_plan_resolve_secrets(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err);
/* Frees the builder's lists and/or wipes and unmaps the plan's secrets
 * (taking the secret-env entries out of plan->env first). */
void ward_plan_free_secrets(struct ward_plan_builder *b, struct ward_plan *plan);

/* "file:line:col: " for a scalar key or list item, "" for the command
 * line. */
const char *ward_plan_where(const struct ward_plan_builder *b,
			    const char *key, size_t idx);

/* --image (image.c, first): prepare the image, refuse its findings
 * unless accepted, and fill what the command line and the profiles left
 * unset (rootfs, user, workdir, stop-signal) from its config; argv from
 * its Entrypoint and Cmd, image_env.  Without --image: --tag and
 * --entrypoint are refused. */
int ward_plan_resolve_image(struct ward_plan_builder *b, struct ward_plan *plan,
			    struct ward_err *err);
/* stop-signal and volumes (image.c), after the image and the mounts. */
int ward_plan_resolve_volumes(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err);
void ward_plan_free_image(struct ward_plan *plan);

/* Resolve every value of @b into @plan (resolve.c). */
int ward_plan_resolve(struct ward_plan_builder *b, struct ward_plan *plan,
		      struct ward_err *err);

#endif
