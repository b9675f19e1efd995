/* Entrypoint mode's decisions: the program's environment, the start
 * conditions, the writable-path check; and the directives behind them
 * (writable, tcp-bind, tcp-connect, landlock, env-pass, init-signals). */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "launch/entrypoint.h"
#include "plan/plan.h"

#include "under_valgrind.h"

static char *test_argv[] = {"/bin/true", NULL};

struct kv {
	const char *key, *value;
};

static int build(const struct kv *kv, struct ward_plan **out,
		 struct ward_err *err)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	int r = 0;

	assert_non_null(b);
	*out = NULL;
	for (; kv && kv->key && r == 0; kv++)
		r = ward_plan_apply(b, kv->key, kv->value, NULL, err);
	if (r == 0) {
		ward_plan_set_argv(b, test_argv);
		r = ward_plan_finish(b, out, err);
	}
	ward_plan_builder_free(b);
	return r;
}

static struct ward_plan *build_ok(const struct kv *kv)
{
	struct ward_err err = {0};
	struct ward_plan *plan = NULL;

	if (build(kv, &plan, &err) < 0)
		fail_msg("plan refused: step %d: %s", err.step, err.msg);
	return plan;
}

static const char *get(const struct ward_entrypoint_env *e, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->vars[i], name, n) == 0 && e->vars[i][n] == '=')
			return e->vars[i] + n + 1;
	return NULL;
}

static void test_env_withholds_secret_names(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	const struct kv kv[] = {{"mode", "entrypoint"}, {"user", "10001"}, {NULL, NULL}};
	char *inherited[] = {"PATH=/app/bin", "API_TOKEN=t0k", "db_password=x",
			     "PLAIN=kept", "AWS_SECRET_ACCESS_KEY=k", "GITHUB_AUTH=a",
			     "not-an-assignment", NULL};
	struct ward_plan *plan = build_ok(kv);
	struct ward_entrypoint_env e;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_entrypoint_env_build(plan, inherited, 10001, &e, &err), 0);
	assert_string_equal(get(&e, "PLAIN"), "kept");
	/* The image's PATH wins over ward's default. */
	assert_string_equal(get(&e, "PATH"), "/app/bin");
	assert_null(get(&e, "API_TOKEN"));
	assert_null(get(&e, "db_password"));
	assert_null(get(&e, "AWS_SECRET_ACCESS_KEY"));
	assert_null(get(&e, "GITHUB_AUTH"));
	assert_int_equal(e.nwithheld, 4);
	assert_string_equal(e.withheld,
			    "API_TOKEN, db_password, AWS_SECRET_ACCESS_KEY, GITHUB_AUTH");
	/* Names only, never a value. */
	assert_null(strstr(e.withheld, "t0k"));
	assert_null(e.vars[e.n]);
	ward_entrypoint_env_free(&e);
	ward_plan_free(plan);
}

/* The shapes ward check flags are the ones withheld: names ending in
 * _PASS or _PWD, and values that hold a URL with credentials, a JWT or
 * an API key whatever the name; look-alikes pass. */
static void test_env_withholds_secret_values(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	const struct kv kv[] = {{"mode", "entrypoint"}, {"user", "10001"},
				{"env-pass", "PROXY_URL"}, {NULL, NULL}};
	char *inherited[] = {
		"DB_PASS=hunter2", "MYSQL_PWD=pw",
		"DATABASE_URL=postgres://app:s3cr3t@db/app",
		"SESSION=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl",
		"MAPS=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
		"LLM=sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l",
		"PROXY_URL=http://u:p@proxy:3128",
		"PWD=/app", "OLDPWD=/", "COMPASS_DIR=/opt", "BYPASS_CACHE=1",
		"REPO=https://user@example.com/r.git", "DB_URL=postgres://db/app",
		"SKLEARN=sk-learn", NULL};
	static const char *const kept[] = {"PROXY_URL", "PWD", "OLDPWD", "COMPASS_DIR",
					   "BYPASS_CACHE", "REPO", "DB_URL", "SKLEARN"};
	struct ward_plan *plan = build_ok(kv);
	struct ward_entrypoint_env e;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_entrypoint_env_build(plan, inherited, 10001, &e, &err), 0);
	assert_int_equal(e.nwithheld, 6);
	assert_string_equal(e.withheld, "DB_PASS, MYSQL_PWD, DATABASE_URL, SESSION, MAPS, LLM");
	assert_null(strchr(e.withheld, '='));
	assert_null(get(&e, "DB_PASS"));
	assert_null(get(&e, "DATABASE_URL"));
	assert_null(get(&e, "SESSION"));
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (!get(&e, kept[i]))
			fail_msg("%s was withheld", kept[i]);
	/* Names only, never a value. */
	assert_null(strstr(e.withheld, "s3cr3t"));
	assert_null(strstr(e.withheld, "hunter2"));
	ward_entrypoint_env_free(&e);
	ward_plan_free(plan);
}

/* What was not passed on is zeroed in ward's own copy, where it lies. */
static void test_env_scrub_zeroes_what_was_not_passed(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	const struct kv kv[] = {{"mode", "entrypoint"}, {"user", "10001"}, {NULL, NULL}};
	char token[] = "API_TOKEN=t0k", plain[] = "PLAIN=kept", odd[] = "not-an-assignment";
	char *inherited[] = {token, plain, odd, NULL};
	struct ward_plan *plan = build_ok(kv);
	struct ward_entrypoint_env e;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_entrypoint_env_build(plan, inherited, 10001, &e, &err), 0);
	ward_entrypoint_env_scrub(&e, inherited);
	assert_string_equal(token, "API_TOKEN");
	for (size_t i = strlen("API_TOKEN"); i < sizeof(token); i++)
		assert_int_equal(token[i], '\0');
	assert_string_equal(plain, "PLAIN=kept");
	assert_string_equal(get(&e, "PLAIN"), "kept"); /* the program's copy */
	ward_entrypoint_env_free(&e);
	ward_plan_free(plan);
}

static void test_env_pass_and_plan_values(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	const struct kv kv[] = {{"mode", "entrypoint"}, {"user", "10001"},
				{"env-pass", "API_TOKEN"}, {"env", "PLAIN=from-ward"},
				{NULL, NULL}};
	char *inherited[] = {"API_TOKEN=t0k", "PLAIN=image", "HOME=/root", NULL};
	struct ward_plan *plan = build_ok(kv);
	struct ward_entrypoint_env e;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_entrypoint_env_build(plan, inherited, 10001, &e, &err), 0);
	assert_string_equal(get(&e, "API_TOKEN"), "t0k");
	assert_int_equal(e.nwithheld, 0);
	/* --env overrides the image; HOME is never root's for another user. */
	assert_string_equal(get(&e, "PLAIN"), "from-ward");
	assert_non_null(get(&e, "HOME"));
	assert_string_not_equal(get(&e, "HOME"), "/root");
	assert_string_equal(get(&e, "PATH"), WARD_DEFAULT_PATH);
	ward_entrypoint_env_free(&e);
	ward_plan_free(plan);
}

static void test_env_refuses_engine_address(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	const struct kv kv[] = {{"mode", "entrypoint"}, {"user", "10001"}, {NULL, NULL}};
	char *inherited[] = {"DOCKER_HOST=unix:///var/run/docker.sock", NULL};
	struct ward_plan *plan = build_ok(kv);
	struct ward_entrypoint_env e;
	struct ward_err err = {0};

	(void)state;
	assert_true(ward_entrypoint_env_build(plan, inherited, 10001, &e, &err) < 0);
	assert_int_equal(err.step, WARD_STEP_DOCKERSOCK);
	assert_non_null(strstr(err.msg, "environment: "));
	ward_entrypoint_env_free(&e);
	ward_plan_free(plan);
}

static void test_writable_check(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	char dir[] = "/tmp/ward-ep-XXXXXX", msg[600];
	struct kv kv[] = {{"mode", "entrypoint"}, {"user", "10001"},
			  {"writable", dir}, {NULL, NULL}};
	struct ward_plan *plan;
	struct ward_err err = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	plan = build_ok(kv);
	if (geteuid() == 0) {
		assert_int_equal(chown(dir, 0, 0), 0);
		assert_true(ward_entrypoint_check_writable(plan, 10001, 10001, &err) < 0);
		assert_int_equal(err.step, WARD_STEP_WORKDIR);
		snprintf(msg, sizeof(msg), "RUN chown 10001:10001 %s", dir);
		assert_non_null(strstr(err.msg, msg));
		assert_non_null(strstr(err.msg, "mode 0755"));
		assert_int_equal(chown(dir, 10001, 10001), 0);
	}
	/* Owned by the user (or, unprivileged here, by us as that user). */
	assert_int_equal(ward_entrypoint_check_writable(plan, geteuid() == 0 ? 10001 : getuid(),
							geteuid() == 0 ? 10001 : getgid(),
							&err), 0);
	rmdir(dir);
	/* Gone: the message says how to create it. */
	assert_true(ward_entrypoint_check_writable(plan, 10001, 10001, &err) < 0);
	assert_non_null(strstr(err.msg, "RUN mkdir -p"));
	ward_plan_free(plan);
}

static void test_directives(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	const struct kv kv[] = {{"tcp-bind", "8080,8000-8002"}, {"tcp-connect", "none"},
				{"landlock", "optional"}, {"init-signals", "group"},
				{"writable", "/tmp/"}, {NULL, NULL}};
	struct ward_plan *plan = build_ok(kv);

	(void)state;
	assert_true(plan->tcp_bind_set);
	assert_int_equal(plan->ntcp_bind, 4);
	assert_int_equal(plan->tcp_bind[0], 8080);
	assert_int_equal(plan->tcp_bind[3], 8002);
	assert_true(plan->tcp_connect_set);
	assert_int_equal(plan->ntcp_connect, 0);
	assert_true(plan->landlock_optional);
	assert_true(plan->signal_group);
	assert_int_equal(plan->nwritable, 1);
	assert_string_equal(plan->writable[0], "/tmp");
	/* With namespaces, writable /tmp is a read-write bind of the same path. */
	assert_int_equal(plan->nbinds, 1);
	assert_string_equal(plan->binds[0].dst, "/tmp");
	assert_true(plan->binds[0].rw);
	ward_plan_free(plan);
}

static void test_bad_directives(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	static const struct kv bad[][2] = {
		{{"tcp-bind", "0"}, {NULL, NULL}},
		{{"tcp-bind", "80,"}, {NULL, NULL}},
		{{"tcp-connect", "65536"}, {NULL, NULL}},
		{{"landlock", "maybe"}, {NULL, NULL}},
		{{"init-signals", "all"}, {NULL, NULL}},
		{{"env-pass", "1BAD"}, {NULL, NULL}},
		{{"env-pass", "A=B"}, {NULL, NULL}},
		{{"writable", "relative"}, {NULL, NULL}},
		{{"writable", "/"}, {NULL, NULL}},
		{{"writable", "/a/../b"}, {NULL, NULL}},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ward_plan *plan = NULL;
		struct ward_err err = {0};

		if (build(bad[i], &plan, &err) == 0)
			fail_msg("%s %s accepted", bad[i][0].key, bad[i][0].value);
		assert_int_equal(err.step, WARD_STEP_USAGE);
		assert_null(plan);
	}
}

static void test_writable_outside_rootfs_refused(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	char root[] = "/tmp/ward-ep-root-XXXXXX", link[600];
	struct kv kv[] = {{"rootfs", root}, {"writable", "/data"}, {NULL, NULL}};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(link, sizeof(link), "%s/data", root);
	assert_int_equal(symlink("/etc", link), 0);
	assert_true(build(kv, &plan, &err) < 0);
	assert_non_null(strstr(err.msg, "outside the rootfs"));
	unlink(link);
	rmdir(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_withholds_secret_names),
		cmocka_unit_test(test_env_withholds_secret_values),
		cmocka_unit_test(test_env_scrub_zeroes_what_was_not_passed),
		cmocka_unit_test(test_env_pass_and_plan_values),
		cmocka_unit_test(test_env_refuses_engine_address),
		cmocka_unit_test(test_writable_check),
		cmocka_unit_test(test_directives),
		cmocka_unit_test(test_bad_directives),
		cmocka_unit_test(test_writable_outside_rootfs_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
