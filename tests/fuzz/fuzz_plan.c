/* Fuzz the directive validator: arbitrary key/value pairs through
 * ward_plan_apply, then ward_plan_finish when that is safe.
 *
 * Input: up to 64 lines, each "KEY VALUE", "KEY=VALUE" or a bare "KEY"
 * (no value).  Odd lines come from the command line, even lines from a
 * profile ("fuzz.profile:LINE:COL"), so both diagnostic paths and the
 * profile redefinition check run.
 *
 * ward_plan_finish only reads the host (stat, realpath, the root's
 * /etc/passwd and /etc/group, the engine-socket scan), except that a
 * seccomp policy *file* is read by the seccomp module: inputs whose last
 * --seccomp is a path are not finished, nor are inputs with a secret
 * from fd:N or env:VAR (reading one consumes it).  Checked beyond not crashing:
 * errors carry a step, a message and the matching return value; a
 * finished plan never runs as root, keeps its namespaces (entrypoint mode:
 * has none, nor anything that needs one), and holds only normalised,
 * permitted mount destinations.
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 tests/fuzz/fuzz_plan.c <every src file but main.c> \
 *                 -lcap-ng -lseccomp -lmnl
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "base/util.h"

#define FUZZ_NAME "fuzz_plan"
#define MAX_LINES 64
#define LINE_MAX_LEN 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *fuzz_argv[] = {"/bin/true", NULL};

static void check_err(int r, const struct ward_err *err)
{
	if (r >= 0)
		return;
	if (err->step <= WARD_STEP_NONE || err->step >= WARD_STEP_COUNT ||
	    err->msg[0] == '\0' || strnlen(err->msg, sizeof(err->msg)) ==
	    sizeof(err->msg))
		abort();
	if (r != (err->errnum > 0 ? -err->errnum : -EINVAL))
		abort();
}

static bool seccomp_keyword(const char *v)
{
	return !strcmp(v, "default") || !strcmp(v, "strict") ||
	       !strcmp(v, "off") || !strcmp(v, "off-i-know");
}

/* Apply one line; returns false when the plan must not be finished. */
static bool apply_line(struct ward_plan_builder *b, char *line, unsigned no)
{
	struct ward_origin o = {"fuzz.profile", no, 1};
	struct ward_err err = {0};
	size_t klen = strcspn(line, " =");
	const char *value = line[klen] ? line + klen + 1 : NULL;
	const bool profile = no % 2 == 0;
	bool takes;
	int r;

	line[klen] = '\0';
	(void)ward_plan_key_known(line, &takes);
	r = ward_plan_apply(b, line, value, profile ? &o : NULL, &err);
	check_err(r, &err);
	if (r < 0 && err.step != WARD_STEP_USAGE && err.step != WARD_STEP_PROFILE)
		abort();
	if (r < 0 && profile && strncmp(err.msg, "fuzz.profile:", 13) != 0)
		abort();
	if (r == 0 && strcmp(line, "seccomp") == 0)
		return seccomp_keyword(value);
	/* secret NAME=fd:N would read and close the fuzzer's own fds, and
	 * env:VAR would take VAR out of its environment. */
	if (r == 0 && strcmp(line, "secret") == 0) {
		const char *src = value + strcspn(value, "=") + 1;

		return strncmp(src, "fd:", 3) != 0 && strncmp(src, "env:", 4) != 0;
	}
	return true;
}

static bool dst_ok(const char *dst)
{
	char norm[4096];

	return ward_path_normalize(dst, norm, sizeof(norm)) == 0 &&
	       strcmp(norm, dst) == 0 && strcmp(dst, "/") != 0 &&
	       !ward_path_is_beneath(dst, "/proc") &&
	       !ward_path_is_beneath(dst, "/dev");
}

static void check_plan(const struct ward_plan *p)
{
	const int ns = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID |
		       CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;

	if (p->uid == 0 || p->gid == 0 || p->uid == (uid_t)-1 ||
	    p->gid == (gid_t)-1)
		abort();
	if (p->mode == WARD_MODE_ENTRYPOINT) {
		/* No namespaces, so nothing that needs one. */
		if (p->clone_flags || p->net != WARD_NET_HOST || p->nbinds ||
		    p->ntmpfs)
			abort();
	} else if ((p->clone_flags & ns) != ns) {
		abort();
	}
	if (p->net != WARD_NET_HOST && !(p->clone_flags & CLONE_NEWNET))
		abort();
	if (p->nenv > WARD_MAX_ENV || p->env[p->nenv] != NULL)
		abort();
	for (size_t i = 0; i < p->nenv; i++)
		if (!strchr(p->env[i], '=') || p->env[i][0] == '=')
			abort();
	if (!p->hostname || !*p->hostname || strlen(p->hostname) > 64)
		abort();
	if (!p->workdir || p->workdir[0] != '/')
		abort();
	for (size_t i = 0; i < p->nbinds; i++)
		if (!dst_ok(p->binds[i].dst) || p->binds[i].src[0] != '/' ||
		    ward_path_is_beneath(p->binds[i].src, "/proc") ||
		    ward_path_is_beneath(p->binds[i].src, "/sys"))
			abort();
	for (size_t i = 0; i < p->ntmpfs; i++)
		if (!dst_ok(p->tmpfs[i].dst))
			abort();
	for (size_t i = 0; i < p->nrlimits; i++)
		if (p->rlimits[i].value.rlim_cur > p->rlimits[i].value.rlim_max)
			abort();
}

static void finish(struct ward_plan_builder *b)
{
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int r;

	ward_plan_set_argv(b, fuzz_argv);
	r = ward_plan_finish(b, &plan, &err);
	check_err(r, &err);
	if (r < 0) {
		if (plan)
			abort();
		return;
	}
	check_plan(plan);
	ward_plan_free(plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	char line[LINE_MAX_LEN + 1];
	bool safe = true;
	unsigned no = 0;

	if (!b)
		return 0;
	for (size_t pos = 0; pos < size && no < MAX_LINES;) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : size - pos;
		size_t copy = n < LINE_MAX_LEN ? n : LINE_MAX_LEN;

		memcpy(line, data + pos, copy);
		line[copy] = '\0';
		safe = apply_line(b, line, ++no) && safe;
		pos += n + 1;
	}
	if (safe)
		finish(b);
	ward_plan_builder_free(b);
	return 0;
}

#include "replay.h"
