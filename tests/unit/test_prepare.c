/* ward_plan_finish is pure, ward_launch_prepare has the effects
 * (launch/prepare.h).
 *
 * A plan with an fd: secret (a pipe), an env: secret that is also a
 * variable (secret-env) and a filter the cache can keep (a policy file,
 * WARD_CACHE_DIR in a temporary directory) is finished: the pipe still
 * holds every byte, the variable is still set, no cache directory or
 * entry exists, and the plan holds the stand-in values.  Then prepare
 * does each effect: the pipe is read and closed, the variable is gone
 * (its value in the secret and in the program's environment), the entry
 * is stored, and a later plan finds it.  A launch refuses a plan that
 * was not prepared, and prepare fails closed, with the plan's own
 * messages, on a closed fd, an unset variable or a NUL byte in a
 * secret-env value. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "launch/launch.h"
#include "launch/prepare.h"
#include "plan/plan.h"
#include "plan/secret_spec.h"
#include "seccomp/cache.h"

#include "under_valgrind.h"

#define POLICY "ward-seccomp 1\ndefault errno=EPERM\nallow @default execve\n"
#define VAR "WARD_UT_PREPARE_SRC"
#define FD_VALUE "fd-v4lue"
#define ENV_VALUE "env-v4lue"

static char dir[64];       /* WARD_CACHE_DIR, and the policy */
static char cache[96];     /* dir/seccomp */
static char policy[96];
static char *test_argv[] = {"/bin/true", NULL};

static int setup(void **state)
{
	int fd;

	snprintf(dir, sizeof(dir), "/tmp/ward-prepare-test.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cache, sizeof(cache), "%s/seccomp", dir);
	snprintf(policy, sizeof(policy), "%s/test.policy", dir);
	fd = open(policy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, POLICY, strlen(POLICY)) != (ssize_t)strlen(POLICY))
		return -1;
	close(fd);
	return setenv("WARD_CACHE_DIR", dir, 1);
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	unsetenv("WARD_CACHE_DIR");
	return system(cmd) == 0 ? 0 : -1;
}

static int remove_cache(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cache);
	return system(cmd) == 0 ? 0 : -1;
}

/* A pipe holding @value (@len bytes), its write end closed: the read end. */
static int pipe_with(const char *value, size_t len)
{
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(write(p[1], value, len), (ssize_t)len);
	close(p[1]);
	return p[0];
}

static int unread_bytes(int fd)
{
	int n = -1;

	assert_int_equal(ioctl(fd, FIONREAD, &n), 0);
	return n;
}

static int cache_entries(void)
{
	DIR *d = opendir(cache);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".bpf") != NULL;
	closedir(d);
	return n;
}

struct kv {
	const char *key, *value;
};

/* The plan of @kv, every line a profile's ("t.profile", line by line)
 * when @profile is set. */
static int finish(const struct kv *kv, bool profile, struct ward_plan **out,
		  struct ward_err *err)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	int r = 0;

	assert_non_null(b);
	*out = NULL;
	for (unsigned line = 1; kv->key && r == 0; kv++, line++) {
		struct ward_origin o = {.file = profile ? "t.profile" : NULL,
					.line = line, .col = 1};

		r = ward_plan_apply(b, kv->key, kv->value, &o, err);
	}
	ward_plan_set_argv(b, test_argv);
	if (r == 0)
		r = ward_plan_finish(b, out, err);
	ward_plan_builder_free(b);
	return r;
}

static const struct ward_secret *secret(const struct ward_plan *plan,
					const char *name)
{
	for (size_t i = 0; i < plan->nsecrets; i++)
		if (strcmp(plan->secrets[i].name, name) == 0)
			return &plan->secrets[i];
	fail_msg("no secret %s", name);
	return NULL;
}

static bool has_env(const struct ward_plan *plan, const char *kv)
{
	for (size_t i = 0; i < plan->nenv; i++)
		if (strcmp(plan->env[i], kv) == 0)
			return true;
	return false;
}

static void test_finish_is_pure_prepare_acts(void **state)
{
	char fdspec[32], seccomp[128];
	struct ward_plan *plan = NULL, *again = NULL;
	struct ward_err err = {0};
	struct stat st;
	int fd;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	fd = pipe_with(FD_VALUE, strlen(FD_VALUE));
	snprintf(fdspec, sizeof(fdspec), "tok=fd:%d", fd);
	snprintf(seccomp, sizeof(seccomp), "%s", policy);
	assert_int_equal(setenv(VAR, ENV_VALUE, 1), 0);
	{
		const struct kv kv[] = {{"seccomp", seccomp}, {"secret", fdspec},
					{"secret", "api=env:" VAR}, {"secret-env", "api"},
					{NULL, NULL}};

		if (finish(kv, false, &plan, &err) < 0)
			fail_msg("plan refused: %s", err.msg);
	}
	/* Finished: nothing was used up, changed or created. */
	assert_int_equal(unread_bytes(fd), (int)strlen(FD_VALUE));
	assert_non_null(getenv(VAR));
	assert_string_equal(getenv(VAR), ENV_VALUE);
	assert_int_equal(stat(cache, &st), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(plan->seccomp_cache, WARD_SECCOMP_CACHE_MISS);
	assert_true(plan->seccomp_prog.len > 0);
	assert_false(plan->prepared);
	assert_string_equal(ward_secret_value(secret(plan, "tok")), "(not read)");
	assert_string_equal(ward_secret_value(secret(plan, "api")), "(not read)");
	assert_true(has_env(plan, "api=(not read)"));
	assert_int_equal(ward_launch_check_prepared(plan, &err), -EINVAL);

	/* Prepared: each effect, once. */
	assert_int_equal(ward_launch_prepare(plan, &err), 0);
	assert_true(plan->prepared);
	assert_int_equal(ward_launch_check_prepared(plan, &err), 0);
	assert_int_equal(fcntl(fd, F_GETFD), -1); /* read, then closed */
	assert_int_equal(errno, EBADF);
	assert_string_equal(ward_secret_value(secret(plan, "tok")), FD_VALUE);
	assert_null(getenv(VAR));
	assert_string_equal(ward_secret_value(secret(plan, "api")), ENV_VALUE);
	assert_true(has_env(plan, "api=" ENV_VALUE));
	assert_false(has_env(plan, "api=(not read)"));
	assert_int_equal(plan->seccomp_cache, WARD_SECCOMP_CACHE_STORED);
	assert_null(plan->seccomp_recipe);
	assert_int_equal(cache_entries(), 1);
	assert_true(ward_launch_prepare(plan, &err) < 0); /* not twice */

	/* The next plan finds the entry, and still writes nothing. */
	{
		const struct kv kv[] = {{"seccomp", seccomp}, {NULL, NULL}};

		assert_int_equal(finish(kv, false, &again, &err), 0);
	}
	assert_int_equal(again->seccomp_cache, WARD_SECCOMP_CACHE_HIT);
	assert_int_equal(again->seccomp_prog.len, plan->seccomp_prog.len);
	assert_memory_equal(again->seccomp_prog.filter, plan->seccomp_prog.filter,
			    plan->seccomp_prog.len * sizeof(struct sock_filter));
	assert_int_equal(cache_entries(), 1);
	ward_plan_free(again);
	ward_plan_free(plan);
}

/* Fail closed: the error of the plan's own reading, with the profile's
 * line; the plan stays unprepared and no launch takes it. */
static void test_prepare_fails_closed(void **state)
{
	char fdspec[32];
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	int code = 0, fd;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	fd = pipe_with("x", 1);
	close(fd); /* given, but not open */
	snprintf(fdspec, sizeof(fdspec), "tok=fd:%d", fd);
	{
		const struct kv kv[] = {{"secret", fdspec}, {NULL, NULL}};

		assert_int_equal(finish(kv, true, &plan, &err), 0);
	}
	assert_int_equal(ward_launch_prepare(plan, &err), -EBADF);
	assert_int_equal(err.step, WARD_STEP_SECRETS);
	{
		char want[128];

		snprintf(want, sizeof(want),
			 "t.profile:1:1: secret tok: fd:%d is not open (given twice?)", fd);
		assert_string_equal(err.msg, want);
	}
	assert_false(plan->prepared);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ward_launch(plan, &code, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_PLAN);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ward_entrypoint_run(plan, &code, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_PLAN);
	ward_plan_free(plan);

	unsetenv(VAR);
	{
		const struct kv kv[] = {{"secret", "api=env:" VAR}, {NULL, NULL}};

		assert_int_equal(finish(kv, false, &plan, &err), 0);
	}
	assert_int_equal(ward_launch_prepare(plan, &err), -ENOENT);
	assert_int_equal(err.step, WARD_STEP_SECRETS);
	assert_string_equal(err.msg, "secret api: env:" VAR " is not set (given twice?)");
	ward_plan_free(plan);

	/* A NUL byte cannot be in a variable: the secret-env line says so. */
	fd = pipe_with("a\0b", 3);
	snprintf(fdspec, sizeof(fdspec), "tok=fd:%d", fd);
	{
		const struct kv kv[] = {{"secret", fdspec}, {"secret-env", "tok"},
					{NULL, NULL}};

		assert_int_equal(finish(kv, true, &plan, &err), 0);
	}
	assert_int_equal(ward_launch_prepare(plan, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_SECRETS);
	assert_string_equal(err.msg,
			    "t.profile:2:1: secret-env tok: the value holds a NUL byte and cannot be a variable");
	assert_false(plan->prepared);
	ward_plan_free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_finish_is_pure_prepare_acts, remove_cache),
		cmocka_unit_test_teardown(test_prepare_fails_closed, remove_cache),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
