/* Secrets at runtime: /run/secrets/NAME, 0400, owned by the program's
 * user, on a tmpfs of their own that is read-only before anyone can see
 * it (namespace mode), or on the container's /run/secrets tmpfs
 * (entrypoint mode).  The values were read in the parent at plan time
 * (plan_secrets.c); nothing here reads a host path. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "launch/mounts.h"
#include "launch/secrets.h"
#include "base/sys.h"

#define SECRETS_RO (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | \
		    MOUNT_ATTR_NOEXEC)

bool ward_secrets_env_source(const struct ward_plan *plan, const char *var)
{
	for (size_t i = 0; i < plan->nsecrets; i++)
		if (plan->secrets[i].source == WARD_SECRET_SRC_ENV &&
		    plan->secrets[i].origin &&
		    strcmp(plan->secrets[i].origin + 4, var) == 0)
			return true;
	return false;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* One file, created here (O_EXCL, never through a symlink), 0400 and
 * owned by the program's ids whatever the umask or the fsuid. */
static int write_secret(int dirfd, const struct ward_secret *s, uid_t uid,
			gid_t gid, struct ward_err *err)
{
	_cleanup_close_ int fd = -1;

	fd = openat(dirfd, s->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0400);
	if (fd < 0 && errno == EEXIST)
		return ward_err_set(err, WARD_STEP_SECRETS, EEXIST,
				    "secret %s: " WARD_SECRETS_DIR "/%s exists already (a Docker or "
				    "compose secret of that name? use it directly, or name ward's "
				    "secret differently)", s->name, s->name);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno,
				    "secret %s: creating " WARD_SECRETS_DIR "/%s", s->name, s->name);
	if (fchown(fd, uid, gid) < 0 || fchmod(fd, 0400) < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno,
				    "secret %s: chown %u:%u, chmod 0400", s->name, uid, gid);
	if (write_all(fd, ward_secret_value(s), s->len) < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno ? errno : ENOSPC,
				    "secret %s: writing " WARD_SECRETS_DIR "/%s", s->name, s->name);
	if (close(TAKE_FD(fd)) < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno,
				    "secret %s: closing " WARD_SECRETS_DIR "/%s", s->name, s->name);
	return 0;
}

static int write_all_secrets(int dirfd, const struct ward_plan *plan, uid_t uid,
			     gid_t gid, struct ward_err *err)
{
	int r;

	for (size_t i = 0; i < plan->nsecrets; i++)
		if ((r = write_secret(dirfd, &plan->secrets[i], uid, gid, err)) < 0)
			return r;
	return 0;
}

/* ---- namespace mode: a tmpfs of their own ---------------------------------- */

/* Room for every value (page-rounded) plus the directory. */
static unsigned long long tmpfs_size(const struct ward_plan *plan)
{
	unsigned long long total = 4096;

	for (size_t i = 0; i < plan->nsecrets; i++)
		total += (plan->secrets[i].len + 4095) / 4096 * 4096;
	return total;
}

static int set_opt(int fs, const char *key, const char *value, struct ward_err *err)
{
	if (sys_fsconfig(fs, FSCONFIG_SET_STRING, key, value, 0) < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno,
				    WARD_SECRETS_DIR " tmpfs option %s=%s", key, value);
	return 0;
}

/* A detached tmpfs, still writable, with its root 0500 and owned by the
 * program.  @noswap: ask that its pages never go to swap (Linux >= 6.4);
 * *@refused is set when the kernel does not know the flag. */
static int new_tmpfs(const struct ward_plan *plan, bool noswap, bool *refused,
		     struct ward_err *err)
{
	_cleanup_close_ int fs = sys_fsopen("tmpfs", FSOPEN_CLOEXEC);
	char size[32], inodes[32], uid[16], gid[16];
	int mnt, r;

	if (fs < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "fsopen tmpfs for " WARD_SECRETS_DIR);
	snprintf(size, sizeof(size), "%llu", tmpfs_size(plan));
	snprintf(inodes, sizeof(inodes), "%zu", plan->nsecrets + 8);
	snprintf(uid, sizeof(uid), "%u", plan->uid);
	snprintf(gid, sizeof(gid), "%u", plan->gid);
	if ((r = set_opt(fs, "source", "ward-secrets", err)) < 0 ||
	    (r = set_opt(fs, "size", size, err)) < 0 ||
	    (r = set_opt(fs, "nr_inodes", inodes, err)) < 0 ||
	    (r = set_opt(fs, "mode", "0500", err)) < 0 ||
	    (r = set_opt(fs, "uid", uid, err)) < 0 ||
	    (r = set_opt(fs, "gid", gid, err)) < 0)
		return r;
	if (noswap && sys_fsconfig(fs, FSCONFIG_SET_FLAG, "noswap", NULL, 0) < 0) {
		*refused = true;
		return -EINVAL;
	}
	if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "creating the tmpfs for " WARD_SECRETS_DIR);
	mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
						MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "fsmount " WARD_SECRETS_DIR);
	return mnt;
}

/* The mount point, on ward's own /run tmpfs (never in the image). */
static int make_mount_point(struct ward_err *err)
{
	_cleanup_close_ int run = open("/run", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct statfs sfs;
	int fd;

	if (run < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "open /run");
	if (fstatfs(run, &sfs) < 0 || sfs.f_type != TMPFS_MAGIC)
		return ward_err_set(err, WARD_STEP_SECRETS, EROFS,
				    "/run is not ward's tmpfs; refusing to create " WARD_SECRETS_DIR " there");
	if (mkdirat(run, "secrets", 0500) < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "mkdir " WARD_SECRETS_DIR);
	fd = openat(run, "secrets", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "open " WARD_SECRETS_DIR);
	return fd;
}

/* The child's own copies are no longer needed once the files exist,
 * except those the program's environment points at (secret-env). */
static void wipe_unexported(const struct ward_plan *plan)
{
	for (size_t i = 0; i < plan->nsecrets; i++)
		if (!plan->secrets[i].env && plan->secrets[i].map)
			explicit_bzero(plan->secrets[i].map, plan->secrets[i].map_len);
}

int ward_secrets_child_setup(const struct ward_plan *plan, struct ward_err *err)
{
	_cleanup_close_ int dir = -1, mnt = -1;
	bool refused = false;
	int r;

	if (!plan->nsecrets)
		return 0;
	if ((dir = make_mount_point(err)) < 0)
		return dir;
	mnt = new_tmpfs(plan, true, &refused, err);
	/* Linux >= 6.4 knows noswap but grants it only in the initial user
	 * namespace: refused here, the tmpfs stays swappable (said in -v). */
	if (mnt < 0 && refused)
		mnt = new_tmpfs(plan, false, &refused, err);
	if (mnt < 0)
		return mnt;
	/* Filled while detached, read-only before it is attached: the
	 * program never sees it writable. */
	if ((r = write_all_secrets(mnt, plan, plan->uid, plan->gid, err)) < 0 ||
	    (r = ward_mnt_setattr(mnt, SECRETS_RO, false, WARD_STEP_SECRETS,
				  WARD_SECRETS_DIR, err)) < 0 ||
	    (r = ward_mnt_attach(mnt, dir, WARD_STEP_SECRETS, WARD_SECRETS_DIR, err)) < 0)
		return r;
	wipe_unexported(plan);
	ward_log("secrets", "%zu file(s) 0400 on a read-only tmpfs at " WARD_SECRETS_DIR "%s",
		 plan->nsecrets, refused ? " (tmpfs noswap refused in a user namespace: its pages may be swapped)"
					 : ", noswap");
	return 0;
}

/* ---- entrypoint mode: the container's own tmpfs ---------------------------- */

static int no_tmpfs(const char *why, struct ward_err *err)
{
	return ward_err_set(err, WARD_STEP_SECRETS, ENOENT,
			    WARD_SECRETS_DIR " %s: without a mount namespace ward needs the "
			    "container to provide it as a tmpfs, so that secrets never touch the "
			    "image or the disk: docker run --tmpfs /run/secrets:mode=0700 (compose: "
			    "tmpfs: [/run/secrets]), or use Docker/compose secrets instead of --secret",
			    why);
}

int ward_secrets_entrypoint_setup(const struct ward_plan *plan, uid_t uid,
				  gid_t gid, bool privileged,
				  struct ward_err *err)
{
	_cleanup_close_ int dir = -1;
	struct statfs sfs;
	int r;

	if (!plan->nsecrets)
		return 0;
	dir = open(WARD_SECRETS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0 && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
		return no_tmpfs("does not exist", err);
	if (dir < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "open " WARD_SECRETS_DIR);
	if (fstatfs(dir, &sfs) < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "statfs " WARD_SECRETS_DIR);
	if (sfs.f_type != TMPFS_MAGIC)
		return no_tmpfs("is not a tmpfs", err);
	/* As root: the directory stays root's (the program cannot change
	 * it) and becomes searchable, as Docker's own secrets directory. */
	if (privileged && (fchown(dir, 0, 0) < 0 || fchmod(dir, 0755) < 0))
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "chown/chmod " WARD_SECRETS_DIR);
	if ((r = write_all_secrets(dir, plan, uid, gid, err)) < 0)
		return r;
	ward_log("secrets", "%zu file(s) 0400 owned by %u:%u in the container's tmpfs "
		 WARD_SECRETS_DIR, plan->nsecrets, uid, gid);
	return 0;
}

/* ---- forgetting -------------------------------------------------------------- */

static bool is_exported(const struct ward_plan *plan, const char *kv)
{
	for (size_t i = 0; i < plan->nsecrets; i++) {
		size_t n = strlen(plan->secrets[i].name);

		if (plan->secrets[i].env && strncmp(kv, plan->secrets[i].name, n) == 0 &&
		    kv[n] == '=')
			return true;
	}
	return false;
}

void ward_secrets_wipe(const struct ward_plan *plan, char *const *env)
{
	for (size_t i = 0; env && env[i]; i++)
		if (is_exported(plan, env[i]))
			explicit_bzero(env[i], strlen(env[i]));
	for (size_t i = 0; i < plan->nsecrets; i++)
		if (plan->secrets[i].map)
			explicit_bzero(plan->secrets[i].map, plan->secrets[i].map_len);
}
