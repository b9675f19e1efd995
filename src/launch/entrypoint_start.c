/* Entrypoint mode: what ward can do depends on how the engine started it.
 * Root with the three capabilities a drop needs: everything.  Root
 * without them (docker run --cap-drop ALL): nothing can change the uid,
 * so refuse and name the flags that fix it.  A non-root user (USER in the
 * image, docker run --user): stay that user and apply the rest. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/capability.h>

#include "kernel/caps.h"
#include "launch/entrypoint.h"

#define BIT(c) (1ULL << (c))

static int missing_caps_error(uint64_t missing, const struct ward_plan *plan,
			      struct ward_err *err)
{
	char names[128] = "", flags[160] = "";
	static const struct { int cap; const char *name; } need[] = {
		{CAP_SETUID, "SETUID"}, {CAP_SETGID, "SETGID"}, {CAP_SETPCAP, "SETPCAP"},
	};

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (!(missing & BIT(need[i].cap)))
			continue;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%sCAP_%s", *names ? ", " : "", need[i].name);
		snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags),
			 " --cap-add %s", need[i].name);
	}
	return ward_err_set(err, WARD_STEP_CAPS, EPERM,
			    "started as root without %s (docker run --cap-drop ALL?), so ward "
			    "cannot switch to uid %u: add them back with `docker run --cap-drop ALL%s` "
			    "(ward drops them before the program runs), or start the container as "
			    "the user: `docker run --user %u:%u`",
			    names, plan->uid, flags, plan->uid, plan->gid);
}

static int check_root_start(const struct ward_plan *plan,
			    const struct ward_capsets *c,
			    struct ward_entrypoint_start *s, struct ward_err *err)
{
	uint64_t need = BIT(CAP_SETUID) | BIT(CAP_SETGID) | BIT(CAP_SETPCAP);
	char names[256];

	if (need & ~c->eff)
		return missing_caps_error(need & ~c->eff, plan, err);
	if (plan->caps_keep & ~c->bnd) {
		ward_caps_format(plan->caps_keep & ~c->bnd, names, sizeof(names));
		return ward_err_set(err, WARD_STEP_CAPS, EPERM,
				    "cap-keep %s: not in the bounding set the engine gave ward; "
				    "add it with docker run --cap-add", names);
	}
	s->privileged = true;
	s->uid = plan->uid;
	s->gid = plan->gid;
	return 0;
}

/* A non-root process cannot drop supplementary groups; refuse root's. */
static int check_groups_unprivileged(gid_t gid, struct ward_entrypoint_start *s,
				     struct ward_err *err)
{
	gid_t list[NGROUPS_MAX];
	int n = getgroups(NGROUPS_MAX, list);
	size_t used = 0;

	if (n < 0)
		return ward_err_set(err, WARD_STEP_GROUPS, errno, "getgroups");
	if (gid == 0)
		return ward_err_set(err, WARD_STEP_GROUPS, EPERM,
				    "started with gid 0 (root's group), which a non-root process cannot "
				    "drop: give the user its own group (docker run --user UID:GID)");
	for (int i = 0; i < n; i++)
		if (list[i] == 0)
			return ward_err_set(err, WARD_STEP_GROUPS, EPERM,
					    "started with root's group 0 among the supplementary groups, "
					    "which a non-root process cannot drop; remove the user from "
					    "group 0 in the image's /etc/group");
	for (int i = 0; i < n; i++)
		if (list[i] != gid && used + 12 < sizeof(s->kept_groups))
			used += (size_t)snprintf(s->kept_groups + used,
						 sizeof(s->kept_groups) - used, "%s%u",
						 used ? "," : "", list[i]);
	return 0;
}

static int check_user_start(const struct ward_plan *plan,
			    struct ward_entrypoint_start *s, struct ward_err *err)
{
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (plan->user_set && (plan->uid != uid || plan->gid != gid))
		return ward_err_set(err, WARD_STEP_IDS, EPERM,
				    "started as uid %u gid %u: switching to %u:%u needs a root start; "
				    "start the container as root (no USER, no --user) and let ward drop, "
				    "or leave --user out to keep the current user",
				    uid, gid, plan->uid, plan->gid);
	if (plan->caps_keep)
		return ward_err_set(err, WARD_STEP_CAPS, EPERM,
				    "cap-keep needs a root start: a non-root process cannot keep "
				    "capabilities across execve");
	s->privileged = false;
	s->uid = uid;
	s->gid = gid;
	return check_groups_unprivileged(gid, s, err);
}

int ward_entrypoint_check_start(const struct ward_plan *plan,
				struct ward_entrypoint_start *s,
				struct ward_err *err)
{
	struct ward_capsets c;

	if (ward_caps_read_self(&c, err) < 0)
		return -EIO;
	s->bounding = c.bnd;
	s->kept_groups[0] = '\0';
	if (geteuid() == 0)
		return check_root_start(plan, &c, s, err);
	return check_user_start(plan, s, err);
}

/* The permission bits that apply to @uid/@gid, shifted to rwx (0..7). */
static unsigned perm_for(const struct stat *st, uid_t uid, gid_t gid)
{
	if (st->st_uid == uid)
		return (st->st_mode >> 6) & 7;
	if (st->st_gid == gid)
		return (st->st_mode >> 3) & 7;
	return st->st_mode & 7;
}

static int not_writable(const char *what, const char *path,
			const struct stat *st, uid_t uid, gid_t gid,
			struct ward_err *err)
{
	return ward_err_set(err, WARD_STEP_WORKDIR, EACCES,
			    "%s %s: owned by %u:%u with mode %04o, not writable by uid %u gid %u; "
			    "add to the Dockerfile: RUN chown %u:%u %s",
			    what, path, st->st_uid, st->st_gid, st->st_mode & 07777, uid, gid,
			    uid, gid, path);
}

int ward_entrypoint_check_writable(const struct ward_plan *plan, uid_t uid,
				   gid_t gid, struct ward_err *err)
{
	struct stat st;

	for (size_t i = 0; i < plan->nwritable; i++) {
		const char *p = plan->writable[i];
		unsigned need;

		if (stat(p, &st) < 0)
			return ward_err_set(err, WARD_STEP_WORKDIR, errno,
					    "writable %s: add to the Dockerfile: RUN mkdir -p %s && chown %u:%u %s",
					    p, p, uid, gid, p);
		need = S_ISDIR(st.st_mode) ? 3 : 2; /* -wx for a directory */
		if (uid != 0 && (perm_for(&st, uid, gid) & need) != need)
			return not_writable("writable", p, &st, uid, gid, err);
	}
	if (stat(plan->workdir, &st) < 0)
		return ward_err_set(err, WARD_STEP_WORKDIR, errno, "workdir %s",
				    plan->workdir);
	if (uid != 0 && !(perm_for(&st, uid, gid) & 1))
		return ward_err_set(err, WARD_STEP_WORKDIR, EACCES,
				    "workdir %s: owned by %u:%u with mode %04o, uid %u gid %u cannot enter it; "
				    "add to the Dockerfile: RUN chmod o+x %s (or chown %u:%u %s)",
				    plan->workdir, st.st_uid, st.st_gid, st.st_mode & 07777,
				    uid, gid, plan->workdir, uid, gid, plan->workdir);
	return 0;
}
