/* plan*.c: directives through ward_plan_apply, then ward_plan_finish.
 *
 * Some rules depend on who launches (root may set groups, a rootless
 * caller may keep them); those tests read geteuid() and assert the rule
 * for the current caller.  CI runs as root. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "plan/plan.h"
#include "kernel/subid.h"

#include "under_valgrind.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define ALL_NS (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | \
		CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP)

static char *test_argv[] = {"/bin/true", NULL};

struct kv {
	const char *key, *value;
};

/* Apply @kv (terminated by a NULL key) from the command line. */
static int apply_all(struct ward_plan_builder *b, const struct kv *kv,
		     struct ward_err *err)
{
	for (; kv && kv->key; kv++) {
		int r = ward_plan_apply(b, kv->key, kv->value, NULL, err);

		if (r < 0)
			return r;
	}
	return 0;
}

/* A plan from @kv; *where says which phase failed (0 apply, 1 finish). */
static int build(const struct kv *kv, struct ward_plan **out, int *where,
		 struct ward_err *err)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	int r;

	assert_non_null(b);
	*out = NULL;
	*where = 0;
	r = apply_all(b, kv, err);
	if (r == 0) {
		*where = 1;
		ward_plan_set_argv(b, test_argv);
		r = ward_plan_finish(b, out, err);
	}
	ward_plan_builder_free(b);
	return r;
}

/* Build a plan that must succeed. */
static struct ward_plan *build_ok(const struct kv *kv)
{
	struct ward_err err = {0};
	struct ward_plan *plan = NULL;
	int where;

	if (build(kv, &plan, &where, &err) < 0)
		fail_msg("plan refused at %s: step %d: %s",
			 where ? "finish" : "apply", err.step, err.msg);
	assert_non_null(plan);
	return plan;
}

static const char *env_get(const struct ward_plan *plan, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < plan->nenv; i++)
		if (strncmp(plan->env[i], name, n) == 0 && plan->env[i][n] == '=')
			return plan->env[i] + n + 1;
	return NULL;
}

/* A caller with supplementary groups beyond its primary one cannot
 * launch rootless with the default --groups clear. */
static bool rootless_with_extra_groups(void)
{
	gid_t g[256];
	int n = getgroups(256, g);

	if (geteuid() == 0)
		return false;
	for (int i = 0; i < n; i++)
		if (g[i] != getegid())
			return true;
	return false;
}

/* Rootless: the caller's own ids.  Root: the id reserved in /etc/subuid
 * and /etc/subgid (the suite reserves it), never the host's nobody. */
static void assert_default_host_ids(const struct ward_plan *plan)
{
	struct ward_err err = {0};
	uint32_t u, g;

	if (geteuid() != 0) {
		assert_int_equal(plan->host_uid, geteuid());
		assert_int_equal(plan->host_gid, getegid());
		return;
	}
	if (ward_subid_reserved(&u, &g, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(plan->host_uid, u);
	assert_int_equal(plan->host_gid, g);
	assert_true(u != 65534 && g != 65534 && u != plan->uid);
}

/* An explicit --user keeps inside N = host N as root (data written to a
 * read-write bind belongs to that host id). */
static void test_explicit_user_maps_to_itself(void **state)
{
	static const struct kv kv[] = {{"user", "10001"}, {NULL, NULL}};
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	plan = build_ok(kv);
	assert_int_equal(plan->uid, 10001);
	assert_int_equal(plan->host_uid, geteuid() ? geteuid() : 10001);
	assert_int_equal(plan->host_gid, geteuid() ? getegid() : 10001);
	ward_plan_free(plan);
}

static void test_defaults(void **state)
{
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	if (rootless_with_extra_groups())
		fail_msg("run as root, or as a user without supplementary groups");
	assert_int_equal(setenv("TERM", "xterm-ward", 1), 0);
	plan = build_ok(NULL);
	/* Not the overflow id that unmapped files show as. */
	assert_int_equal(plan->uid, 10001);
	assert_int_equal(plan->gid, 10001);
	assert_default_host_ids(plan);
	assert_int_equal(plan->clone_flags & ALL_NS, ALL_NS);
	assert_int_equal(plan->net, WARD_NET_LOOPBACK);
	assert_string_equal(plan->hostname, "ward");
	assert_string_equal(plan->workdir, "/");
	assert_null(plan->rootfs);
	assert_int_equal(plan->nbinds, 0);
	assert_int_equal(plan->ntmpfs, 0);
	/* Only the defaults: core 0, nproc and nofile lowered (plan_misc.c). */
	assert_int_equal(plan->nrlimits, WARD_DEFAULT_RLIMITS);
	assert_int_equal(plan->rlimits[0].resource, RLIMIT_CORE);
	assert_true(plan->rlimits[0].value.rlim_cur == 0 &&
		    plan->rlimits[0].value.rlim_max == 0);
	assert_int_equal(plan->rlimits[1].resource, RLIMIT_NPROC);
	assert_true(plan->rlimits[1].value.rlim_max <= WARD_DEFAULT_NPROC);
	assert_int_equal(plan->rlimits[2].resource, RLIMIT_NOFILE);
	assert_true(plan->rlimits[2].value.rlim_max <= WARD_DEFAULT_NOFILE);
	assert_true(plan->caps_keep == 0);
	assert_false(plan->own_init);
	assert_int_equal(plan->seccomp_mode, WARD_SECCOMP_DEFAULT);
	assert_int_equal(plan->groups, WARD_GROUPS_CLEAR);
	assert_ptr_equal(plan->argv, test_argv);
	/* The environment is PATH, HOME and TERM, nothing else of ours. */
	assert_int_equal(plan->nenv, 3);
	assert_null(plan->env[3]);
	assert_string_equal(env_get(plan, "PATH"), DEFAULT_PATH);
	/* HOME: the user's home in the root's /etc/passwd, else "/". */
	assert_string_equal(env_get(plan, "HOME"),
			    getpwuid(10001) ? getpwuid(10001)->pw_dir : "/");
	assert_string_equal(env_get(plan, "TERM"), "xterm-ward");
	assert_int_equal(plan->rootless, geteuid() != 0);
	assert_int_equal(plan->caller_uid, geteuid());
	ward_plan_free(plan);
}

static void test_defaults_without_term(void **state)
{
	char *saved;
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int where, r;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	if (rootless_with_extra_groups())
		fail_msg("run as root, or as a user without supplementary groups");
	saved = getenv("TERM") ? strdup(getenv("TERM")) : NULL;
	assert_int_equal(setenv("SECRET_TOKEN", "leak", 1), 0);
	assert_int_equal(unsetenv("TERM"), 0);
	r = build(NULL, &plan, &where, &err);
	/* Restore the environment before anything can fail. */
	unsetenv("SECRET_TOKEN");
	if (saved)
		setenv("TERM", saved, 1);
	free(saved);
	if (r < 0)
		fail_msg("plan refused at %s: step %d: %s",
			 where ? "finish" : "apply", err.step, err.msg);
	assert_int_equal(plan->nenv, 2);
	assert_null(env_get(plan, "TERM"));
	assert_null(env_get(plan, "SECRET_TOKEN"));
	ward_plan_free(plan);
}

enum phase { AT_APPLY, AT_FINISH };

struct err_case {
	const char *what;
	struct kv kv[3];
	enum phase at;
	enum ward_step step;
	int errnum; /* -1: not checked */
	const char *needle; /* must appear in err.msg */
};

static const struct err_case error_cases[] = {
	{"unknown key", {{"frobnicate", "1"}}, AT_APPLY, WARD_STEP_USAGE, 0,
	 "unknown option '--frobnicate'"},
	{"key without its value", {{"bind", ""}}, AT_APPLY, WARD_STEP_USAGE, 0,
	 "--bind needs a value"},
	{"bad net", {{"net", "wifi"}}, AT_APPLY, WARD_STEP_USAGE, 0,
	 "expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got 'wifi'"},
	{"bad init", {{"init", "maybe"}}, AT_APPLY, WARD_STEP_USAGE, 0,
	 "expected yes or no"},
	{"unknown capability", {{"cap-keep", "net_raw,bogus"}}, AT_APPLY,
	 WARD_STEP_USAGE, 0, "unknown capability 'bogus'"},
	{"rlimit soft above hard", {{"rlimit", "nofile=100:10"}}, AT_APPLY,
	 WARD_STEP_USAGE, 0, "soft limit above hard limit"},
	{"rlimit unknown name", {{"rlimit", "bogus=1"}}, AT_APPLY,
	 WARD_STEP_USAGE, 0, "unknown limit 'bogus'"},
	{"rlimit bad number", {{"rlimit", "nofile=ten"}}, AT_APPLY,
	 WARD_STEP_USAGE, 0, "bad number"},
	{"env name starts with a digit", {{"env", "1X=y"}}, AT_APPLY,
	 WARD_STEP_USAGE, 0, "--env 1X=y"},
	{"env name with a dash", {{"env", "A-B=1"}}, AT_APPLY, WARD_STEP_USAGE,
	 0, "NAME of letters, digits, _"},
	{"env without =", {{"env", "NOVALUE"}}, AT_APPLY, WARD_STEP_USAGE, 0,
	 "expected NAME=VALUE"},
	{"env empty name", {{"env", "=x"}}, AT_APPLY, WARD_STEP_USAGE, 0,
	 "expected NAME=VALUE"},
	{"hostname with bad characters", {{"hostname", "evil_host!"}}, AT_APPLY,
	 WARD_STEP_USAGE, 0, "only letters, digits"},
	{"hostname too long",
	 {{"hostname", "a234567890123456789012345678901234567890123456789012345678901234x"}},
	 AT_APPLY, WARD_STEP_USAGE, 0, "1 to 64 characters"},
	{"bind missing source", {{"bind", "/nonexistent/ward-src:/data"}},
	 AT_FINISH, WARD_STEP_PLAN, ENOENT, "/nonexistent/ward-src"},
	{"bind onto /", {{"bind", "/tmp:/"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "reserved"},
	{"bind onto /proc", {{"bind", "/tmp:/proc"}}, AT_FINISH, WARD_STEP_PLAN,
	 0, "reserved"},
	{"bind beneath /proc", {{"bind", "/tmp:/proc/sys/x"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "reserved"},
	{"bind onto / spelled oddly", {{"bind", "/tmp://./"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "reserved"},
	{"bind beneath /dev", {{"bind", "/tmp:/dev/x"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "reserved"},
	{"bind of /proc", {{"bind", "/proc:/p"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "/proc"},
	{"bind of /proc/self", {{"bind", "/proc/self:/p"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "exposes"},
	{"bind of /sys", {{"bind", "/sys:/s"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "/sys"},
	{"bind of /sys/kernel", {{"bind", "/sys/kernel:/s"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "exposes"},
	{"bind of /dev", {{"bind", "/dev:/d"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "exposes"},
	{"bind relative destination", {{"bind", "/tmp:data"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "absolute"},
	{"bind destination with ..", {{"bind", "/tmp:/a/../etc"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "without '..'"},
	{"bind bad mode", {{"bind", "/tmp:/t:rx"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "mode must be ro or rw"},
	{"bind too many fields", {{"bind", "/tmp:/t:rw:x"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "expected SRC[:DST][:ro|rw]"},
	{"tmpfs on /proc", {{"tmpfs", "/proc"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "--tmpfs /proc"},
	{"tmpfs bad size", {{"tmpfs", "/scratch:size=lots"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "bad size"},
	{"user 0", {{"user", "0"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "does not run programs as root"},
	{"user 0:1000", {{"user", "0:1000"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "does not run programs as root"},
	{"user 1000:0", {{"user", "1000:0"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "does not run programs as root"},
	{"user 4294967295", {{"user", "4294967295"}}, AT_FINISH, WARD_STEP_PLAN,
	 0, "invalid id"},
	{"seccomp off", {{"seccomp", "off"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "write off-i-know"},
	{"seccomp missing file", {{"seccomp", "/nonexistent/policy"}}, AT_FINISH,
	 WARD_STEP_PLAN, ENOENT, "/nonexistent/policy"},
	{"workdir relative", {{"workdir", "srv"}}, AT_FINISH, WARD_STEP_PLAN, 0,
	 "--workdir srv"},
	{"workdir with ..", {{"workdir", "/srv/../etc"}}, AT_FINISH,
	 WARD_STEP_PLAN, 0, "without '..'"},
	{"rootfs missing", {{"rootfs", "/nonexistent/root"}}, AT_FINISH,
	 WARD_STEP_PLAN, ENOENT, "/nonexistent/root"},
	{"rootfs is the host's /", {{"rootfs", "/"}}, AT_FINISH, WARD_STEP_PLAN,
	 0, "--rootfs host"},
	{"rootfs not a directory", {{"rootfs", "/etc/hostname"}}, AT_FINISH,
	 WARD_STEP_PLAN, ENOTDIR, "/etc/hostname"},
};

static void check_error_case(const struct err_case *c)
{
	struct ward_err err = {0};
	struct ward_plan *plan = NULL;
	int where = -1;
	int r = build(c->kv, &plan, &where, &err);

	if (r >= 0) {
		ward_plan_free(plan);
		fail_msg("'%s' was accepted", c->what);
	}
	if (where != (int)c->at)
		fail_msg("'%s' refused at %s, want %s: %s", c->what,
			 where ? "finish" : "apply", c->at ? "finish" : "apply",
			 err.msg);
	if (err.step != c->step)
		fail_msg("'%s': step %d, want %d (%s)", c->what, err.step, c->step,
			 err.msg);
	if (c->errnum >= 0 && err.errnum != c->errnum)
		fail_msg("'%s': errnum %d, want %d (%s)", c->what, err.errnum,
			 c->errnum, err.msg);
	if (!strstr(err.msg, c->needle))
		fail_msg("'%s': message '%s' lacks '%s'", c->what, err.msg,
			 c->needle);
	assert_int_equal(r, err.errnum > 0 ? -err.errnum : -EINVAL);
	assert_null(plan);
}

static void test_error_classes(void **state)
{
	for (size_t i = 0; i < N_ELEMS(error_cases); i++)
		check_error_case(&error_cases[i]);
}

/* --user NAME reads the root's /etc/passwd through openat2. */
static void test_error_classes_user_names(void **state)
{
	static const struct err_case cases[] = {
		{"user root by name", {{"user", "root"}}, AT_FINISH,
		 WARD_STEP_PLAN, 0, "does not run programs as root"},
		{"user unknown name", {{"user", "no-such-user-ward"}}, AT_FINISH,
		 WARD_STEP_PLAN, 0, "no such user"},
	};

	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (--user NAME reads /etc/passwd)");
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		check_error_case(&cases[i]);
}

/* "/" holds the host's /proc and /sys as submounts, and binds are
 * recursive (MS_REC): refusing /proc but not / is no refusal. */
static void test_bind_of_root_refused(void **state)
{
	static const struct err_case cases[] = {
		{"bind of /", {{"bind", "/:/host"}}, AT_FINISH, WARD_STEP_PLAN, 0,
		 "exposes"},
		{"bind of / read-write", {{"bind", "/:/host:rw"}}, AT_FINISH,
		 WARD_STEP_PLAN, 0, "exposes"},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++)
		check_error_case(&cases[i]);
}

/* One mount per destination: a later bind replaces an earlier one, a
 * later tmpfs an earlier one, a bind a tmpfs (whatever the order). */
static void test_same_destination_replaced(void **state)
{
	static const struct kv binds[] = {{"bind", "/etc/ssl:/tmp"}, {"bind", "/etc:/tmp:rw"},
					  {"bind", "/etc:/srv/etc"}, {NULL, NULL}};
	static const struct kv mixed[] = {{"tmpfs", "/srv/x"}, {"bind", "/etc:/srv/x"},
					  {"tmpfs", "/srv/y:size=1m"}, {NULL, NULL}};
	static const struct kv sizes[] = {{"tmpfs", "/scratch"}, {"tmpfs", "/scratch:size=1m"},
					  {NULL, NULL}};
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	(void)state;
	plan = build_ok(binds);
	assert_int_equal(plan->nbinds, 2);
	assert_string_equal(plan->binds[0].src, "/etc");
	assert_string_equal(plan->binds[0].dst, "/tmp");
	assert_true(plan->binds[0].rw);
	assert_string_equal(plan->binds[1].dst, "/srv/etc");
	ward_plan_free(plan);
	plan = build_ok(mixed);
	assert_int_equal(plan->nbinds, 1);
	assert_string_equal(plan->binds[0].dst, "/srv/x");
	assert_int_equal(plan->ntmpfs, 1);
	assert_string_equal(plan->tmpfs[0].dst, "/srv/y");
	ward_plan_free(plan);
	plan = build_ok(sizes);
	assert_int_equal(plan->ntmpfs, 1);
	assert_int_equal(plan->tmpfs[0].size, 1024 * 1024);
	ward_plan_free(plan);
}

static void test_no_command(void **state)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	assert_int_equal(ward_plan_finish(b, &plan, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_USAGE);
	assert_non_null(strstr(err.msg, "no command given"));
	assert_null(plan);
	ward_plan_builder_free(b);
}

/* --groups keep: refused as root (root's groups would ride along),
 * accepted rootless. */
static void test_groups_keep(void **state)
{
	static const struct kv kv[] = {{"groups", "keep"}, {NULL, NULL}};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int where;
	int r = build(kv, &plan, &where, &err);

	if (geteuid() == 0) {
		assert_int_equal(r, -EINVAL);
		assert_int_equal(where, 1);
		assert_int_equal(err.step, WARD_STEP_PLAN);
		assert_non_null(strstr(err.msg, "--groups keep"));
	} else {
		assert_int_equal(r, 0);
		assert_int_equal(plan->groups, WARD_GROUPS_KEEP);
		ward_plan_free(plan);
	}
}

/* --groups LIST: root only. */
static void test_groups_list(void **state)
{
	static const struct kv kv[] = {{"groups", "5,10,5"}, {NULL, NULL}};
	static const struct kv zero[] = {{"groups", "5,0"}, {NULL, NULL}};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int where;
	int r;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	r = build(kv, &plan, &where, &err);
	if (geteuid() != 0) {
		assert_int_equal(r, -EINVAL);
		assert_non_null(strstr(err.msg, "rootless"));
		return;
	}
	assert_int_equal(r, 0);
	assert_int_equal(plan->groups, WARD_GROUPS_LIST);
	assert_int_equal(plan->ngroups, 3);
	assert_int_equal(plan->group_list[0], 5);
	assert_int_equal(plan->group_list[1], 10);
	ward_plan_free(plan);
	assert_int_equal(build(zero, &plan, &where, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "group 0 is refused"));
}

/* Scalars: the later value wins.  Lists: values accumulate, in order. */
static void test_scalar_override(void **state)
{
	static const struct kv kv[] = {
		{"hostname", "first"}, {"user", "1000"}, {"net", "none"},
		{"workdir", "/srv"}, {"hostname", "second"}, {"user", "2000:3000"},
		{"net", "host"}, {"workdir", "/opt"}, {"init", "yes"},
		{"init", "no"}, {NULL, NULL},
	};
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	plan = build_ok(kv);
	assert_string_equal(plan->hostname, "second");
	assert_int_equal(plan->uid, 2000);
	assert_int_equal(plan->gid, 3000);
	assert_int_equal(plan->net, WARD_NET_HOST);
	assert_string_equal(plan->workdir, "/opt");
	assert_true(plan->own_init);
	ward_plan_free(plan);
}

static void test_list_accumulation(void **state)
{
	static const struct kv kv[] = {
		{"env", "A=1"}, {"env", "B=2"}, {"env", "A=3"},
		{"env", "PATH=/bin"}, {"bind", "/etc:/one"},
		{"bind", "/etc/hostname:/two:rw"}, {"tmpfs", "/scratch:size=1M"},
		{"tmpfs", "/cache"}, {"rlimit", "nofile=64"},
		{"rlimit", "core=0:0"}, {NULL, NULL},
	};
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	plan = build_ok(kv);
	/* env: one entry per name, the later value wins */
	assert_string_equal(env_get(plan, "A"), "3");
	assert_string_equal(env_get(plan, "B"), "2");
	assert_string_equal(env_get(plan, "PATH"), "/bin");
	assert_null(plan->env[plan->nenv]);
	assert_int_equal(plan->nbinds, 2);
	assert_string_equal(plan->binds[0].dst, "/one");
	assert_false(plan->binds[0].rw);
	assert_int_equal(plan->binds[0].type, S_IFDIR);
	assert_string_equal(plan->binds[1].dst, "/two");
	assert_true(plan->binds[1].rw);
	assert_int_equal(plan->binds[1].type, S_IFREG);
	assert_int_equal(plan->ntmpfs, 2);
	assert_string_equal(plan->tmpfs[0].dst, "/scratch");
	assert_true(plan->tmpfs[0].size == 1 << 20);
	assert_true(plan->tmpfs[1].size == 0);
	/* The two given, then the one default they left (nproc). */
	assert_int_equal(plan->nrlimits, 3);
	assert_true(plan->rlimits[0].value.rlim_cur == 64);
	assert_true(plan->rlimits[0].value.rlim_max == 64);
	assert_true(plan->rlimits[1].value.rlim_max == 0);
	assert_int_equal(plan->rlimits[2].resource, RLIMIT_NPROC);
	ward_plan_free(plan);
}

/* A bind records the canonical source, its identity and type. */
static void test_bind_resolution(void **state)
{
	static const struct kv kv[] = {
		{"bind", "//etc/"}, {"bind", "/etc:/srv/tmp:ro"},
		{"bind", "/etc://srv//data/./:rw"}, {NULL, NULL},
	};
	struct ward_plan *plan;
	struct stat st;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	plan = build_ok(kv);
	assert_int_equal(stat("/etc", &st), 0);
	assert_int_equal(plan->nbinds, 3);
	assert_string_equal(plan->binds[0].src, "/etc");
	assert_string_equal(plan->binds[0].dst, "/etc");
	assert_false(plan->binds[0].rw);
	assert_int_equal(plan->binds[0].type, S_IFDIR);
	assert_true(plan->binds[0].dev == st.st_dev);
	assert_true(plan->binds[0].ino == st.st_ino);
	assert_string_equal(plan->binds[1].dst, "/srv/tmp");
	assert_false(plan->binds[1].rw);
	assert_string_equal(plan->binds[2].dst, "/srv/data");
	assert_true(plan->binds[2].rw);
	ward_plan_free(plan);
}

static void test_net_host_drops_newnet(void **state)
{
	static const struct kv host[] = {{"net", "host"}, {NULL, NULL}};
	static const struct kv none[] = {{"net", "none"}, {NULL, NULL}};
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	plan = build_ok(host);
	assert_int_equal(plan->clone_flags & CLONE_NEWNET, 0);
	assert_int_equal(plan->clone_flags & (ALL_NS & ~CLONE_NEWNET),
			 ALL_NS & ~CLONE_NEWNET);
	ward_plan_free(plan);
	plan = build_ok(none);
	assert_int_equal(plan->net, WARD_NET_NONE);
	assert_int_equal(plan->clone_flags & ALL_NS, ALL_NS);
	ward_plan_free(plan);
}

static void test_caps_and_seccomp_values(void **state)
{
	static const struct kv kv[] = {
		{"cap-keep", "NET_BIND_SERVICE,cap_net_raw"},
		{"seccomp", "off-i-know"}, {"verbose", NULL}, {"verbose", NULL},
		{NULL, NULL},
	};
	struct ward_plan *plan = build_ok(kv);

	assert_true(plan->caps_keep == ((1ULL << 10) | (1ULL << 13)));
	assert_int_equal(plan->seccomp_mode, WARD_SECCOMP_OFF);
	assert_int_equal(plan->verbose, 2);
	ward_plan_free(plan);
}

static void test_key_known(void **state)
{
	bool takes = false;

	assert_true(ward_plan_key_known("bind", &takes));
	assert_true(takes);
	assert_true(ward_plan_key_known("verbose", &takes));
	assert_false(takes);
	assert_false(ward_plan_key_known("Bind", &takes));
	assert_false(ward_plan_key_known("--bind", &takes));
	assert_false(ward_plan_key_known("", &takes));
}

/* Profile lines: errors carry "file:line:col: error:" and the profile
 * step. */
static void test_profile_origin(void **state)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_origin o = {"app.profile", 3, 5};
	struct ward_err err = {0};

	assert_int_equal(ward_plan_apply(b, "nope", "x", &o, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_PROFILE);
	assert_string_equal(err.msg,
			    "app.profile:3:5: error: unknown directive 'nope'");
	o.line = 7;
	o.col = 5;
	assert_int_equal(ward_plan_apply(b, "net", "wifi", &o, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_PROFILE);
	assert_non_null(strstr(err.msg, "app.profile:7:5: error: "));
	assert_non_null(strstr(err.msg, "'wifi'"));
	o.line = 9;
	o.col = 10;
	assert_int_equal(ward_plan_apply(b, "hostname", "a b", &o, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_PROFILE);
	assert_int_equal(strncmp(err.msg, "app.profile:9:10: error: ", 25), 0);
	/* The same directive from the command line: no file prefix. */
	assert_int_equal(ward_plan_apply(b, "net", "wifi", NULL, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_USAGE);
	assert_null(strstr(err.msg, "error:"));
	ward_plan_builder_free(b);
}

/* A profile value that fails at finish still names its line. */
static void test_profile_origin_at_finish(void **state)
{
	struct ward_plan_builder *b;
	struct ward_origin o = {"web.profile", 4, 6};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	b = ward_plan_builder_new();
	assert_int_equal(ward_plan_apply(b, "bind", "/nonexistent/ward-x:/x",
					 &o, &err), 0);
	ward_plan_set_argv(b, test_argv);
	assert_int_equal(ward_plan_finish(b, &plan, &err), -ENOENT);
	assert_int_equal(err.step, WARD_STEP_PLAN);
	assert_int_equal(strncmp(err.msg, "web.profile:4:6: ", 17), 0);
	assert_non_null(strstr(err.msg, "/nonexistent/ward-x"));
	ward_plan_builder_free(b);
}

/* ward_plan_finish(@b) must succeed; on failure @b is freed before the
 * test fails, so that a failure is not followed by a leak report. */
static void finish_or_fail(struct ward_plan_builder *b,
			   struct ward_plan **plan)
{
	struct ward_err err = {0};

	if (ward_plan_finish(b, plan, &err) < 0) {
		ward_plan_builder_free(b);
		fail_msg("plan refused at finish: step %d: %s", err.step, err.msg);
	}
	assert_non_null(*plan);
}

/* Within one profile file a scalar may be set once (or again to the same
 * value); across files the later line wins; the command line overrides
 * everything. */
static void test_profile_redefinition(void **state)
{
	struct ward_plan_builder *b;
	struct ward_origin a2 = {"a.profile", 2, 10}, a5 = {"a.profile", 5, 10};
	struct ward_origin b3 = {"b.profile", 3, 10};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	b = ward_plan_builder_new();
	assert_non_null(b);
	assert_int_equal(ward_plan_apply(b, "hostname", "one", &a2, &err), 0);
	assert_int_equal(ward_plan_apply(b, "hostname", "one", &a5, &err), 0);
	assert_int_equal(ward_plan_apply(b, "hostname", "two", &a5, &err),
			 -EINVAL);
	assert_int_equal(err.step, WARD_STEP_PROFILE);
	assert_non_null(strstr(err.msg, "a.profile:5:10: error: "));
	assert_non_null(strstr(err.msg, "redefined"));
	/* Another file (an including profile, a .local) overrides. */
	assert_int_equal(ward_plan_apply(b, "hostname", "three", &b3, &err), 0);
	ward_plan_set_argv(b, test_argv);
	finish_or_fail(b, &plan);
	assert_string_equal(plan->hostname, "three");
	ward_plan_free(plan);
	/* The command line overrides silently. */
	assert_int_equal(ward_plan_apply(b, "hostname", "cli", NULL, &err), 0);
	finish_or_fail(b, &plan);
	assert_string_equal(plan->hostname, "cli");
	ward_plan_free(plan);
	ward_plan_builder_free(b);
}

/* allow-engine-socket: only written down in a profile, only known
 * engines. */
static void test_allow_engine_socket_directive(void **state)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_origin o = {"dind.profile", 4, 21};
	struct ward_err err = {0};

	assert_int_equal(ward_plan_apply(b, "allow-engine-socket", "docker", NULL,
					 &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_USAGE);
	assert_non_null(strstr(err.msg, "only in a profile"));
	assert_int_equal(ward_plan_apply(b, "allow-engine-socket", "lxd", &o, &err),
			 -EINVAL);
	assert_int_equal(err.step, WARD_STEP_PROFILE);
	assert_non_null(strstr(err.msg, "unknown engine 'lxd'"));
	assert_int_equal(ward_plan_apply(b, "allow-engine-socket", "docker", &o,
					 &err), 0);
	ward_plan_builder_free(b);
}

/* The engine-socket guard runs on every bind source at plan time: by
 * path, through a symlink, and through a parent directory.  The socket is
 * announced through $DOCKER_HOST, which the scan honours. */
struct sock_fixture {
	char dir[64];
	char sock[96];
	char link[96];
};

static int sock_setup(void **state)
{
	struct sock_fixture *fx = calloc(1, sizeof(*fx));
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char host[160];
	int fd;

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/ward-plan-sock-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->sock, sizeof(fx->sock), "%s/docker.sock", fx->dir);
	snprintf(fx->link, sizeof(fx->link), "%s/innocent", fx->dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", fx->sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(symlink(fx->sock, fx->link), 0);
	snprintf(host, sizeof(host), "unix://%s", fx->sock);
	assert_int_equal(setenv("DOCKER_HOST", host, 1), 0);
	*state = fx;
	return 0;
}

static int sock_teardown(void **state)
{
	struct sock_fixture *fx = *state;

	unsetenv("DOCKER_HOST");
	unlink(fx->link);
	unlink(fx->sock);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void expect_dockersock(const char *spec)
{
	struct kv kv[] = {{"bind", spec}, {NULL, NULL}};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int where;

	if (build(kv, &plan, &where, &err) >= 0) {
		ward_plan_free(plan);
		fail_msg("--bind %s was accepted", spec);
	}
	if (err.step != WARD_STEP_DOCKERSOCK)
		fail_msg("--bind %s: step %d (%s), want engine-socket", spec,
			 err.step, err.msg);
}

static void test_dockersock_at_plan_time(void **state)
{
	struct sock_fixture *fx = *state;
	char spec[160];

	snprintf(spec, sizeof(spec), "%s:/var/run/docker.sock", fx->sock);
	expect_dockersock(spec);
	snprintf(spec, sizeof(spec), "%s:/x", fx->link);
	expect_dockersock(spec);
	snprintf(spec, sizeof(spec), "%s:/x", fx->dir);
	expect_dockersock(spec);
	/* "/tmp" holds the socket too. */
	expect_dockersock("/tmp:/x");
}

/* With the socket fixture in place, an unrelated directory is fine. */
static void test_dockersock_unrelated_bind(void **state)
{
	static const struct kv ok[] = {{"bind", "/etc:/x"}, {NULL, NULL}};
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	plan = build_ok(ok);
	ward_plan_free(plan);
}

/* Handing the program an engine through its environment is the same
 * thing as binding its socket. */
static void test_engine_env_refused(void **state)
{
	static const struct kv kv[] = {
		{"env", "DOCKER_HOST=unix:///run/docker.sock"}, {NULL, NULL},
	};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int where;

	assert_int_equal(build(kv, &plan, &where, &err), -EINVAL);
	assert_int_equal(where, 1);
	assert_int_equal(err.step, WARD_STEP_DOCKERSOCK);
	assert_non_null(strstr(err.msg, "DOCKER_HOST"));
}

/* A profile's allow-engine-socket lets that engine's socket be bound. */
static void test_dockersock_allowed_by_profile(void **state)
{
	struct sock_fixture *fx = *state;
	struct ward_plan_builder *b;
	struct ward_origin o = {"dind.profile", 2, 21};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	char spec[160];

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	b = ward_plan_builder_new();
	assert_non_null(b);
	snprintf(spec, sizeof(spec), "%s:/var/run/docker.sock", fx->sock);
	assert_int_equal(ward_plan_apply(b, "allow-engine-socket", "docker", &o,
					 &err), 0);
	assert_int_equal(ward_plan_apply(b, "bind", spec, NULL, &err), 0);
	ward_plan_set_argv(b, test_argv);
	if (ward_plan_finish(b, &plan, &err) < 0) {
		ward_plan_builder_free(b);
		fail_msg("allowed engine socket refused: %s", err.msg);
	}
	assert_int_equal(plan->nbinds, 1);
	ward_plan_free(plan);
	ward_plan_builder_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_explicit_user_maps_to_itself),
		cmocka_unit_test(test_defaults_without_term),
		cmocka_unit_test(test_error_classes),
		cmocka_unit_test(test_error_classes_user_names),
		cmocka_unit_test(test_bind_of_root_refused),
		cmocka_unit_test(test_no_command),
		cmocka_unit_test(test_groups_keep),
		cmocka_unit_test(test_groups_list),
		cmocka_unit_test(test_scalar_override),
		cmocka_unit_test(test_list_accumulation),
		cmocka_unit_test(test_bind_resolution),
		cmocka_unit_test(test_same_destination_replaced),
		cmocka_unit_test(test_net_host_drops_newnet),
		cmocka_unit_test(test_caps_and_seccomp_values),
		cmocka_unit_test(test_key_known),
		cmocka_unit_test(test_profile_origin),
		cmocka_unit_test(test_profile_origin_at_finish),
		cmocka_unit_test(test_profile_redefinition),
		cmocka_unit_test(test_allow_engine_socket_directive),
		cmocka_unit_test(test_engine_env_refused),
		cmocka_unit_test_setup_teardown(test_dockersock_at_plan_time,
						sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_dockersock_unrelated_bind,
						sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_dockersock_allowed_by_profile,
						sock_setup, sock_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
