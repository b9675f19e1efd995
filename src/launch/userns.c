/* User namespace maps, written by the parent. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/capability.h>

#include "base/cleanup.h"
#include "launch/idmap.h"
#include "kernel/caps.h"
#include "kernel/subid.h"
#include "base/sys.h"
#include "launch/userns.h"

static int write_map(int dirfd, pid_t pid, const char *file, const char *data,
		     struct ward_err *err)
{
	if (sys_write_file_at(dirfd, file, data, strlen(data)) < 0)
		return ward_err_set(err, WARD_STEP_USERNS, errno,
				    "write /proc/%d/%s", (int)pid, file);
	return 0;
}

/* The plan found no reserved host id but let a profile's fallback
 * decide (plan.h): the namespaces came, so the reservation is needed. */
static int reserved_ids_missing(struct ward_err *err)
{
	uint32_t u, g;
	int r = ward_subid_reserved(&u, &g, err);

	if (r == 0)
		r = ward_err_set(err, WARD_STEP_USERNS, 0,
				 "the reserved host id appeared after the plan was made; "
				 "launch again");
	err->step = WARD_STEP_USERNS;
	return r;
}

/* The two capabilities a root launch's map writes need: the kernel
 * checks the opener of uid_map for CAP_SETUID and of gid_map for
 * CAP_SETGID over the parent namespace (user_namespaces(7)). */
#define ROOT_MAP_CAPS ((1ULL << CAP_SETUID) | (1ULL << CAP_SETGID))

int ward_userns_root_caps_problem(const struct ward_capsets *caps, bool nnp,
				  char *buf, size_t len, char *hint, size_t hlen)
{
	uint64_t missing = ROOT_MAP_CAPS & ~caps->eff;
	char names[64];

	if (!missing)
		return 0;
	ward_caps_format(missing, names, sizeof(names));
	snprintf(buf, len,
		 "ward runs as root without %s in its effective set (%s): a root "
		 "launch maps a reserved host id, which needs cap_setuid and "
		 "cap_setgid", names,
		 (caps->bnd & missing) ? "its bounding set has them"
				       : "nor in its bounding set");
	snprintf(hint, hlen,
		 "under systemd, drop CapabilityBoundingSet= from ward's unit or "
		 "list CAP_SETUID CAP_SETGID in it (ward empties the program's "
		 "capability sets itself)%s",
		 nnp ? "; no_new_privs is set too (NoNewPrivileges=yes), "
		       "which ward does not mind" : "");
	return 1;
}

int ward_userns_check_root_caps(const struct ward_plan *plan,
				struct ward_err *err)
{
	struct ward_capsets caps;
	char why[WARD_ERR_MSG_MAX], hint[WARD_ERR_MSG_MAX];
	int nnp, r;

	if (plan->rootless)
		return 0;
	if ((r = ward_caps_read_self(&caps, err)) < 0) {
		err->step = WARD_STEP_USERNS;
		return r;
	}
	nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	if (!ward_userns_root_caps_problem(&caps, nnp == 1, why, sizeof(why),
					   hint, sizeof(hint)))
		return 0;
	r = ward_err_set(err, WARD_STEP_USERNS, EPERM, "%s", why);
	ward_err_hint(err, "%s", hint);
	return r;
}

int ward_userns_parent_setup(pid_t pid, const struct ward_plan *plan,
			     struct ward_err *err)
{
	_cleanup_close_ int dirfd = -1;
	char path[64], uid_map[64], gid_map[64 * (WARD_MAX_GROUPS + 1)];
	int r;

	if (plan->host_ids_pending)
		return reserved_ids_missing(err);
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return ward_err_set(err, WARD_STEP_USERNS, errno, "open %s", path);
	if (ward_idmap_format_uid(plan, uid_map, sizeof(uid_map)) < 0 ||
	    ward_idmap_format_gid(plan, gid_map, sizeof(gid_map)) < 0)
		return ward_err_set(err, WARD_STEP_USERNS, ENOSPC, "formatting maps");
	/* setgroups must be denied before an unprivileged gid_map write
	 * (CVE-2014-8989); as root it stays "allow" so the child can clear
	 * its supplementary groups. */
	if (plan->rootless &&
	    (r = write_map(dirfd, pid, "setgroups", "deny", err)) < 0)
		return r;
	if ((r = write_map(dirfd, pid, "gid_map", gid_map, err)) < 0 ||
	    (r = write_map(dirfd, pid, "uid_map", uid_map, err)) < 0)
		return r;
	return 0;
}
