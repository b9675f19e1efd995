/* Verification of the sandbox's credentials from the launcher's side. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <sys/vfs.h>

#include "kernel/caps.h"
#include "launch/verify.h"

/* Groups: lines grow with the caller's groups (--groups keep). */
#define WARD_STATUS_MAX 16384
#define WARD_STATUS_MAX_TEXT "16 KiB"

/* "Uid:\t1\t1\t1\t1": all four ids must be @want. */
static int check_ids(const char *text, const char *key, unsigned want,
		     struct ward_err *err)
{
	const char *p = strstr(text, key);
	unsigned v[4];

	if (!p || sscanf(p + strlen(key), "%u %u %u %u", &v[0], &v[1], &v[2],
			 &v[3]) != 4)
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "no %s line in the sandbox's status", key + 1);
	for (int i = 0; i < 4; i++)
		if (v[i] != want)
			return ward_err_set(err, WARD_STEP_VERIFY, 0,
					    "seen from outside, %s is %u %u %u %u, not %u",
					    key + 1, v[0], v[1], v[2], v[3], want);
	return 0;
}

static bool group_expected(const struct ward_plan *plan, unsigned g,
			   unsigned host_gid)
{
	if (plan->groups == WARD_GROUPS_KEEP)
		return true;
	if (g == host_gid)
		return true;
	for (size_t i = 0; i < plan->ngroups; i++)
		if (plan->group_list[i] == g)
			return true;
	return false;
}

static int check_groups(const char *text, const struct ward_plan *plan,
			unsigned host_gid, struct ward_err *err)
{
	const char *p = strstr(text, "\nGroups:");
	char *end;

	if (!p)
		return ward_err_set(err, WARD_STEP_VERIFY, 0, "no Groups line");
	p += 8;
	for (;;) {
		unsigned long g;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || *p == '\0')
			return 0;
		errno = 0;
		g = strtoul(p, &end, 10);
		if (errno || end == p)
			return ward_err_set(err, WARD_STEP_VERIFY, 0, "bad Groups line");
		if (!group_expected(plan, (unsigned)g, host_gid))
			return ward_err_set(err, WARD_STEP_VERIFY, 0,
					    "seen from outside, supplementary group %lu is still attached",
					    g);
		p = end;
	}
}

int ward_verify_status_text(const char *text, const struct ward_plan *plan,
			    struct ward_err *err)
{
	unsigned uid = plan->host_uid;
	unsigned gid = plan->host_gid;
	struct ward_capsets c;
	uint64_t k = plan->caps_keep;
	int r;

	if ((r = check_ids(text, "\nUid:", uid, err)) < 0 ||
	    (r = check_ids(text, "\nGid:", gid, err)) < 0 ||
	    (r = check_groups(text, plan, gid, err)) < 0)
		return r;
	if (ward_caps_parse_status(text, &c) < 0)
		return ward_err_set(err, WARD_STEP_VERIFY, 0, "no Cap* lines");
	if (c.inh != k || c.prm != k || c.eff != k || c.bnd != k || c.amb != k)
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "seen from outside, a capability set is not %016" PRIx64,
				    k);
	if (!strstr(text, "\nNoNewPrivs:\t1\n"))
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "seen from outside, NoNewPrivs is not 1");
	return 0;
}

int ward_verify_open_status(pid_t pid, int *fd, struct ward_err *err)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return ward_err_set(err, WARD_STEP_VERIFY, errno, "open %s", path);
	return 0;
}

/* The last NSpid field is the pid in the reader's own namespace: a
 * status of this very process ends with getpid(). */
static bool is_own_status(const char *text)
{
	const char *p = strstr(text, "\nNSpid:");
	long last = -1;

	if (!p)
		return false;
	for (p += 7; *p && *p != '\n';) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		last = v;
		p = end;
	}
	return last == (long)getpid();
}

int ward_verify_from_outside(int fd, const struct ward_plan *plan,
			     struct ward_err *err)
{
	char text[WARD_STATUS_MAX];
	struct statfs sf;
	ssize_t n;

	if (fd < 0)
		return ward_err_set(err, WARD_STEP_VERIFY, EBADF,
				    "the launcher's view of /proc/PID/status did not arrive");
	if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		return ward_err_set(err, WARD_STEP_VERIFY, EBADF,
				    "the launcher's view of /proc/PID/status is not a procfs file");
	text[0] = '\n';
	n = pread(fd, text + 1, sizeof(text) - 2, 0);
	if (n < 0)
		return ward_err_set(err, WARD_STEP_VERIFY, errno,
				    "read the launcher's view of /proc/PID/status");
	if (n == 0 || (size_t)n >= sizeof(text) - 2)
		return ward_err_set(err, WARD_STEP_VERIFY, EFBIG,
				    "the launcher's view of /proc/PID/status is %s",
				    n ? "larger than " WARD_STATUS_MAX_TEXT : "empty");
	text[n + 1] = '\0';
	if (!is_own_status(text))
		return ward_err_set(err, WARD_STEP_VERIFY, ESRCH,
				    "the launcher's view of /proc/PID/status is not this process's");
	return ward_verify_status_text(text, plan, err);
}
