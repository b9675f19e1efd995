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

/* "NAME=SOURCE" taken apart (pure). */
struct ward_secret_spec {
	char name[WARD_SECRET_NAME_MAX + 1];
	enum ward_secret_source source;
	int fd;             /* WARD_SECRET_SRC_FD */
	char arg[4096];     /* FILE: the path; ENV: the variable name */
};

/* True when @name is [A-Za-z0-9_.-]{1,64}, not "." or "..". */
bool ward_secret_name_valid(const char *name);

/* Parse "NAME=SOURCE": SOURCE is fd:N (N = 0 or >= 3), env:VAR (a
 * variable name) or a path.  Pure; 0, or -EINVAL (-ENAMETOOLONG for an
 * over-long source) with @err set (WARD_STEP_SECRETS), the message naming
 * what is wrong. */
int ward_secret_parse_spec(const char *spec, struct ward_secret_spec *out,
			   struct ward_err *err);

/* Parent: read the source of @spec into @out (which owns a mapping
 * afterwards; release with ward_secret_release).  A file must be a
 * regular file, not a symlink, not readable or writable by others, at
 * most WARD_SECRET_MAX_BYTES and not empty; fd:N is read to EOF and
 * closed (fd 0 is pointed at /dev/null instead); env:VAR is taken out of
 * ward's environment and its bytes there are zeroed.  With @rootfs, a
 * file inside that tree draws a warning on stderr (a secret baked into
 * an image).  0 or -errno with @err set for WARD_STEP_SECRETS. */
int ward_secret_load(const struct ward_secret_spec *spec, const char *rootfs,
		     struct ward_secret *out, struct ward_err *err);

/* The value of @s ("VALUE" of its "NAME=VALUE" mapping). */
const char *ward_secret_value(const struct ward_secret *s);

/* Zero and unmap @s's bytes. */
void ward_secret_release(struct ward_secret *s);

/* "file", "fd" or "env". */
const char *ward_secret_source_name(enum ward_secret_source source);

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
