/* Entrypoint mode's own pieces: the program's environment, the start
 * conditions (who started ward, which capabilities it has), the
 * writable-path ownership check and Landlock.  ward_entrypoint_run
 * (launch.h) puts them together. */
#ifndef WARD_ENTRYPOINT_H
#define WARD_ENTRYPOINT_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/err.h"
#include "plan/plan.h"

#define WARD_ENTRYPOINT_MAX_ENV WARD_MAX_ENV

struct ward_entrypoint_env {
	char *vars[WARD_ENTRYPOINT_MAX_ENV + 1]; /* NULL-terminated */
	size_t n;
	char withheld[1024]; /* "API_TOKEN, DB_PASSWORD": names only */
	size_t nwithheld;
};

/* Build the program's environment from @inherited (ward's own), the
 * plan's --env values and HOME for @uid from /etc/passwd.  Withholds
 * secret-looking names not passed by env-pass; refuses an engine
 * address unless allowed.  Free with ward_entrypoint_env_free. */
int ward_entrypoint_env_build(const struct ward_plan *plan, char *const *inherited,
			      uid_t uid, struct ward_entrypoint_env *e,
			      struct ward_err *err);
void ward_entrypoint_env_free(struct ward_entrypoint_env *e);

/* Zero, where they lie, the values of the variables of @inherited (ward's
 * own environment) that @e did not pass on: /proc/PID/environ of ward,
 * which stays the program's init, reads that very memory.  The "=" goes
 * too, so what is left is the bare name, which no getenv matches. */
void ward_entrypoint_env_scrub(const struct ward_entrypoint_env *e,
			       char *const *inherited);

/* Who the program will run as, decided from how ward was started:
 * as root, the plan's user (which needs CAP_SETUID, CAP_SETGID and
 * CAP_SETPCAP: a missing one is named with the docker run flag that adds
 * it back); as a non-root user, that same user (a different --user is
 * refused: only root can switch). */
struct ward_entrypoint_start {
	bool privileged;  /* started as root with the capabilities to drop */
	uid_t uid;
	gid_t gid;
	unsigned long long bounding; /* what the engine left in the bounding set */
	char kept_groups[256]; /* non-root start: supplementary groups kept */
};
int ward_entrypoint_check_start(const struct ward_plan *plan,
				struct ward_entrypoint_start *s,
				struct ward_err *err);

/* Every socket file in the container's mounts (entrypoint_sockets.c):
 * refused when known as an engine's by identity or name (here or in the
 * mount's source); else, unless listed with allow-socket, asked from a
 * child running as @uid/@gid (@privileged: ward switches it there)
 * whether it is an engine's API; an engine's answer or silence refuses.
 * Before anything is dropped.  Errors: WARD_STEP_DOCKERSOCK. */
int ward_entrypoint_check_sockets(const struct ward_plan *plan, uid_t uid, gid_t gid,
				  bool privileged, struct ward_err *err);

/* Each writable path and the workdir must be writable by @uid/@gid
 * before anything is dropped; otherwise the error names the path, its
 * owner and mode and the Dockerfile line that fixes it. */
int ward_entrypoint_check_writable(const struct ward_plan *plan, uid_t uid,
				   gid_t gid, struct ward_err *err);

#endif
