/* Secrets at runtime: bytes handed to the program as files on a private,
 * read-only tmpfs at /run/secrets, never through the image, the profile,
 * the host's disk or (unless a profile asks with secret-env) the
 * environment.
 *
 * Parent, plan time (plan_secrets.c): each source (a host file, fd:N or
 * env:VAR) is read into a mapping of its own, MADV_DONTDUMP and mlocked
 * where the limit allows; world-readable files, symlinks and anything
 * but a regular file (or, for fd:N, a pipe) are refused.  Child
 * (secrets.c): the files are written 0400, owned by the program's uid,
 * into a fresh tmpfs (noswap where the kernel has it), which is made
 * read-only before it is attached.  Entrypoint mode writes them into the
 * container's own /run/secrets tmpfs. */
#ifndef WARD_SECRETS_H
#define WARD_SECRETS_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/err.h"
#include "plan/plan.h"
#include "plan/secret_spec.h"

/* True when some secret of @plan came from env:@var (that variable must
 * not reach the program). */
bool ward_secrets_env_source(const struct ward_plan *plan, const char *var);

/* Namespace child, after the new root is in place (fsuid = the target
 * uid): a fresh tmpfs (mode 0500, owned by the target uid/gid, noswap
 * where supported) gets one 0400 file per secret, is made read-only,
 * nosuid, nodev, noexec, and only then attached at /run/secrets.  The
 * child's copies of secrets not needed for the environment are wiped. */
int ward_secrets_child_setup(const struct ward_plan *plan, struct ward_err *err);

/* Entrypoint mode (no mount namespace), before the drop: the container's
 * /run/secrets must already be a tmpfs (docker run --tmpfs
 * /run/secrets:mode=0700); each secret is written there 0400, owned by
 * @uid/@gid, and must not exist yet.  Refused otherwise, saying how. */
int ward_secrets_entrypoint_setup(const struct ward_plan *plan, uid_t uid,
				  gid_t gid, bool privileged,
				  struct ward_err *err);

/* Once the program has its copy: zero the secrets' bytes in this process
 * and, in @env (NULL-terminated, or NULL), the values of the secret-env
 * entries.  The mappings stay until ward_plan_free. */
void ward_secrets_wipe(const struct ward_plan *plan, char *const *env);

#endif
