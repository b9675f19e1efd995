/* Secrets (plan_secrets.c): NAME=SOURCE parsing and name rules; reading
 * sources in the parent with their refusals (world-readable, symlink,
 * not a regular file, oversized, empty); fd:N read and closed; env:VAR
 * taken out of the environment with its bytes zeroed; the
 * directives through ward_plan_apply / ward_plan_finish (secret-env,
 * duplicates, conflicts with binds); and ward check's rows for --env
 * values that look like secrets. */
#define _GNU_SOURCE
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
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "plan/builder.h"
#include "report/report.h"
#include "launch/prepare.h"
#include "launch/secrets.h"

#include "under_valgrind.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static char dir[256]; /* short: paths built from it stay far below PATH_MAX */
static char *test_argv[] = {"/bin/true", NULL};

static int make_dir(void **state)
{
	snprintf(dir, sizeof(dir), "%s/ward-secrets-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* dir/NAME holding @data, with @mode; its path in @path. */
static void make_file(const char *name, const char *data, size_t len, mode_t mode,
		      char *path, size_t cap)
{
	int fd;

	snprintf(path, cap, "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static int load(const char *specstr, struct ward_secret *s, struct ward_err *err)
{
	struct ward_secret_spec spec;
	int r = ward_secret_parse_spec(specstr, &spec, err);

	return r < 0 ? r : ward_secret_load(&spec, NULL, s, err);
}

/* ---- syntax ------------------------------------------------------------------ */

static void test_parse_valid(void **state)
{
	struct ward_secret_spec s;
	struct ward_err err = {0};
	char name64[80];

	assert_int_equal(ward_secret_parse_spec("db=/run/creds/db", &s, &err), 0);
	assert_string_equal(s.name, "db");
	assert_int_equal(s.source, WARD_SECRET_SRC_FILE);
	assert_string_equal(s.arg, "/run/creds/db");
	assert_int_equal(ward_secret_parse_spec("a.b-c_1=fd:3", &s, &err), 0);
	assert_int_equal(s.source, WARD_SECRET_SRC_FD);
	assert_int_equal(s.fd, 3);
	assert_int_equal(ward_secret_parse_spec("db=fd:0", &s, &err), 0);
	assert_int_equal(s.fd, 0);
	assert_int_equal(ward_secret_parse_spec("DB=env:DB_VALUE", &s, &err), 0);
	assert_int_equal(s.source, WARD_SECRET_SRC_ENV);
	assert_string_equal(s.arg, "DB_VALUE");
	assert_int_equal(ward_secret_parse_spec("x=rel/path=with=equals", &s, &err), 0);
	assert_string_equal(s.arg, "rel/path=with=equals");
	memset(name64, 'n', 64);
	strcpy(name64 + 64, "=/f");
	assert_int_equal(ward_secret_parse_spec(name64, &s, &err), 0);
	assert_int_equal(strlen(s.name), 64);
}

static void test_parse_invalid(void **state)
{
	static const char *const bad[] = {
		"", "db", "=/x", "db=", "a/b=/x", ".=/x", "..=/x", "d b=/x",
		"d\nb=/x", "db=fd:", "db=fd:-1", "db=fd:+3", "db=fd:1", "db=fd:2",
		"db=fd:3x", "db=fd:99999999999", "db=env:", "db=env:1A", "db=env:A-B",
		"db=env:A=B", "tok=ghp_0123456789abcdefghijABCDEFGHIJ012345",
	};
	struct ward_secret_spec s;
	char name65[80];

	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		struct ward_err err = {0};

		if (ward_secret_parse_spec(bad[i], &s, &err) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(err.step, WARD_STEP_SECRETS);
		assert_true(strstr(err.msg, "secret") != NULL);
	}
	memset(name65, 'n', 65);
	strcpy(name65 + 65, "=/f");
	assert_int_equal(ward_secret_parse_spec(name65, &s, &(struct ward_err){0}), -EINVAL);
}

/* The value itself given as the source is refused without echoing it. */
static void test_parse_value_not_echoed(void **state)
{
	struct ward_secret_spec s;
	struct ward_err err = {0};

	assert_int_equal(ward_secret_parse_spec("k=AKIAABCDEFGHIJKLMNOP", &s, &err), -EINVAL);
	assert_null(strstr(err.msg, "AKIAABCDEFGHIJKLMNOP"));
	assert_non_null(strstr(err.msg, "never the value"));
	err = (struct ward_err){0};
	assert_int_equal(ward_secret_parse_spec("db=postgres://app:s3cr3t@db/app", &s, &err),
			 -EINVAL);
	assert_null(strstr(err.msg, "s3cr3t"));
	assert_non_null(strstr(err.msg, "(a URL with credentials)"));
}

static void test_name_valid(void **state)
{
	assert_true(ward_secret_name_valid("db"));
	assert_true(ward_secret_name_valid("tls.key"));
	assert_true(ward_secret_name_valid("...")); /* a name, not a path step */
	assert_false(ward_secret_name_valid(""));
	assert_false(ward_secret_name_valid("."));
	assert_false(ward_secret_name_valid(".."));
	assert_false(ward_secret_name_valid("a/b"));
	assert_false(ward_secret_name_valid("a:b"));
	assert_false(ward_secret_name_valid("é"));
}

/* ---- file sources ------------------------------------------------------------- */

static void test_file_ok(void **state)
{
	struct ward_secret s;
	struct ward_err err = {0};
	char path[PATH_MAX], spec[PATH_MAX + 8];

	make_file("db", "hunter2\n", 8, 0600, path, sizeof(path));
	snprintf(spec, sizeof(spec), "db=%s", path);
	assert_int_equal(load(spec, &s, &err), 0);
	assert_int_equal(s.source, WARD_SECRET_SRC_FILE);
	assert_int_equal(s.len, 8);
	assert_memory_equal(ward_secret_value(&s), "hunter2\n", 8);
	assert_string_equal(s.map, "db=hunter2\n"); /* the secret-env shape */
	assert_string_equal(s.origin, path);
	ward_secret_release(&s);
	assert_null(s.map);
	assert_null(s.origin);
	/* group-readable is the caller's business (systemd credentials) */
	make_file("grp", "x", 1, 0640, path, sizeof(path));
	snprintf(spec, sizeof(spec), "g=%s", path);
	assert_int_equal(load(spec, &s, &err), 0);
	ward_secret_release(&s);
}

static void test_file_world_readable(void **state)
{
	struct ward_secret s;
	struct ward_err err = {0};
	char path[PATH_MAX], spec[PATH_MAX + 8], want[PATH_MAX + 16];

	make_file("open", "x", 1, 0644, path, sizeof(path));
	snprintf(spec, sizeof(spec), "db=%s", path);
	assert_int_equal(load(spec, &s, &err), -EACCES);
	assert_int_equal(err.step, WARD_STEP_SECRETS);
	/* the advice is the hint, not part of the message before the errno */
	snprintf(want, sizeof(want), "chmod 600 %s", path);
	assert_non_null(strstr(err.hint, want));
	assert_null(strstr(err.msg, "chmod"));
	assert_non_null(strstr(err.msg, "readable by every user"));
	assert_null(s.map);
	make_file("open", "x", 1, 0602, path, sizeof(path));
	assert_int_equal(load(spec, &s, &err), -EACCES);
	assert_non_null(strstr(err.msg, "writable by every user"));
}

static void test_file_not_regular(void **state)
{
	struct ward_secret s;
	struct ward_err err = {0};
	char path[PATH_MAX], link[PATH_MAX], spec[PATH_MAX + 8];

	make_file("target", "x", 1, 0600, path, sizeof(path));
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink(path, link), 0);
	snprintf(spec, sizeof(spec), "db=%s", link);
	assert_int_equal(load(spec, &s, &err), -ELOOP);
	assert_non_null(strstr(err.msg, "symlink"));

	snprintf(spec, sizeof(spec), "db=%s", dir);
	assert_int_equal(load(spec, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));

	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(spec, sizeof(spec), "db=%s", path);
	assert_int_equal(load(spec, &s, &err), -EINVAL); /* refused before open: no hang */
	assert_non_null(strstr(err.msg, "fd:N"));

	snprintf(spec, sizeof(spec), "db=%s/missing", dir);
	assert_int_equal(load(spec, &s, &err), -ENOENT);
}

static void test_file_size(void **state)
{
	struct ward_secret s;
	struct ward_err err = {0};
	char path[PATH_MAX], spec[PATH_MAX + 8];

	make_file("big", "", 0, 0600, path, sizeof(path));
	assert_int_equal(truncate(path, WARD_SECRET_MAX_BYTES + 1), 0);
	snprintf(spec, sizeof(spec), "db=%s", path);
	assert_int_equal(load(spec, &s, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "larger than 1048576 bytes"));
	assert_int_equal(truncate(path, WARD_SECRET_MAX_BYTES), 0);
	assert_int_equal(load(spec, &s, &err), 0);
	assert_int_equal(s.len, WARD_SECRET_MAX_BYTES);
	ward_secret_release(&s);
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(load(spec, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is empty"));
}

/* ---- fd:N ------------------------------------------------------------------------ */

static void test_fd_pipe_read_and_closed(void **state)
{
	struct ward_secret s;
	struct ward_err err = {0};
	char spec[32];
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "t0k\0en", 6), 6); /* any byte, NUL too */
	close(p[1]);
	snprintf(spec, sizeof(spec), "db=fd:%d", p[0]);
	assert_int_equal(load(spec, &s, &err), 0);
	assert_int_equal(s.len, 6);
	assert_memory_equal(ward_secret_value(&s), "t0k\0en", 6);
	assert_string_equal(s.origin, spec + 3);
	errno = 0;
	assert_int_equal(fcntl(p[0], F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	ward_secret_release(&s);
	/* the same fd again: it is gone */
	assert_int_equal(load(spec, &s, &err), -EBADF);
	assert_non_null(strstr(err.msg, "not open"));
}

/* fd 0 is not left closed: it points at /dev/null afterwards. */
static void test_fd_stdin(void **state)
{
	struct ward_secret s;
	struct ward_err err = {0};
	struct stat st, null;
	int saved = dup(0), p[2];

	assert_true(saved >= 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "in", 2), 2);
	close(p[1]);
	assert_int_equal(dup2(p[0], 0), 0);
	close(p[0]);
	assert_int_equal(load("db=fd:0", &s, &err), 0);
	assert_memory_equal(ward_secret_value(&s), "in", 2);
	assert_int_equal(fstat(0, &st), 0);
	assert_int_equal(stat("/dev/null", &null), 0);
	assert_true(st.st_rdev == null.st_rdev && S_ISCHR(st.st_mode));
	ward_secret_release(&s);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
}

static void test_fd_refusals(void **state)
{
	struct ward_secret s;
	struct ward_err err = {0};
	char path[PATH_MAX], spec[32];
	int fd;

	assert_int_equal(load("db=fd:987", &s, &err), -EBADF);
	make_file("fdopen", "x", 1, 0644, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	snprintf(spec, sizeof(spec), "db=fd:%d", fd);
	assert_int_equal(load(spec, &s, &err), -EACCES);
	assert_non_null(strstr(err.hint, "chmod 600"));
	assert_null(strstr(err.msg, "chmod"));
	close(fd);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	snprintf(spec, sizeof(spec), "db=fd:%d", fd);
	assert_int_equal(load(spec, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "terminal or device"));
	close(fd);
}

/* ---- env:VAR ------------------------------------------------------------------- */

static void test_env_taken_and_zeroed(void **state)
{
	struct ward_secret s;
	struct ward_err err = {0};
	char *raw;

	assert_int_equal(setenv("WARD_UT_SECRET_SRC", "envvalue", 1), 0);
	raw = getenv("WARD_UT_SECRET_SRC") - strlen("WARD_UT_SECRET_SRC=");
	assert_int_equal(load("db=env:WARD_UT_SECRET_SRC", &s, &err), 0);
	assert_null(getenv("WARD_UT_SECRET_SRC"));
	assert_int_equal(raw[0], '\0'); /* the old entry's bytes are zeroed */
	assert_int_equal(s.len, 8);
	assert_string_equal(ward_secret_value(&s), "envvalue");
	assert_string_equal(s.origin, "env:WARD_UT_SECRET_SRC");
	ward_secret_release(&s);
	assert_int_equal(load("db=env:WARD_UT_SECRET_SRC", &s, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "not set"));
	setenv("WARD_UT_EMPTY", "", 1);
	assert_int_equal(load("db=env:WARD_UT_EMPTY", &s, &err), -EINVAL);
	unsetenv("WARD_UT_EMPTY");
}

/* ---- through the plan ------------------------------------------------------------- */

struct kv {
	const char *key, *value;
	const char *file; /* a profile, or NULL: the command line */
};

static int build(const struct kv *kv, struct ward_plan **out, struct ward_err *err)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	int r = 0;

	assert_non_null(b);
	*out = NULL;
	for (unsigned line = 1; kv && kv->key && r == 0; kv++, line++) {
		struct ward_origin o = {.file = kv->file, .line = line, .col = 1};

		r = ward_plan_apply(b, kv->key, kv->value, &o, err);
	}
	if (r == 0) {
		ward_plan_set_argv(b, test_argv);
		r = ward_plan_finish(b, out, err);
	}
	ward_plan_builder_free(b);
	return r;
}

static void test_plan_secret_env(void **state)
{
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	char path[PATH_MAX], spec[PATH_MAX + 8];
	size_t nenv;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	make_file("api", "v4lue", 5, 0400, path, sizeof(path));
	snprintf(spec, sizeof(spec), "API=%s", path);
	{
		const struct kv kv[] = {{"secret", spec, NULL}, {"secret-env", "API", NULL},
					{"secret-env", "API", NULL}, {NULL, NULL, NULL}};

		assert_int_equal(build(kv, &plan, &err), 0);
	}
	assert_int_equal(plan->nsecrets, 1);
	assert_true(plan->secrets[0].env);
	assert_int_equal(plan->nenv_secret, 1);
	nenv = plan->nenv;
	assert_string_equal(plan->env[nenv - 1], "API=v4lue");
	assert_null(plan->env[nenv]);
	ward_secrets_wipe(plan, NULL);
	assert_int_equal(plan->env[nenv - 1][0], '\0');
	ward_plan_free(plan); /* must not free() the env entry (ASan) */
}

/* ward check: the row of each --env whose name or value looks like a
 * secret, the value never in it; look-alikes are not flagged. */
static const char *check_row(const struct ward_report *r, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].id, "env.secret") == 0 &&
		    strncmp(r->rows[i].what, name, n) == 0 && r->rows[i].what[n] == ' ')
			return r->rows[i].what;
	return NULL;
}

static void test_check_env_shapes(void **state)
{
	static const struct kv kv[] = {
		{"env", "DB_PASS=hunter2", NULL},
		{"env", "DATABASE_URL=postgres://app:s3cr3t@db/app", NULL},
		{"env", "CONFIG_VALUE=ghp_0123456789abcdefghijABCDEFGHIJ", NULL},
		{"env", "COMPASS_DIR=/opt/compass", NULL},
		{"env", "REPO=https://user@example.com/r.git", NULL},
		{"env", "SKLEARN=sk-learn", NULL},
		{NULL, NULL, NULL}};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	struct ward_report *r;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	r = calloc(1, sizeof(*r));
	assert_non_null(r);
	assert_int_equal(build(kv, &plan, &err), 0);
	ward_check_plan(plan, r);
	assert_non_null(check_row(r, "DB_PASS"));
	assert_string_equal(check_row(r, "DB_PASS"),
			    "DB_PASS looks like a secret in the environment (readable in /proc/PID/environ, inherited by children)");
	assert_non_null(check_row(r, "DATABASE_URL"));
	assert_string_equal(check_row(r, "DATABASE_URL"),
			    "DATABASE_URL holds what looks like a URL with credentials in the environment (readable in /proc/PID/environ, inherited by children)");
	/* a shape known before keeps its row byte for byte */
	assert_non_null(check_row(r, "CONFIG_VALUE"));
	assert_string_equal(check_row(r, "CONFIG_VALUE"),
			    "CONFIG_VALUE holds what looks like a GitHub token in the environment (readable in /proc/PID/environ, inherited by children)");
	assert_null(check_row(r, "COMPASS_DIR"));
	assert_null(check_row(r, "REPO"));
	assert_null(check_row(r, "SKLEARN"));
	for (size_t i = 0; i < r->n; i++) {
		assert_null(strstr(r->rows[i].what, "hunter2"));
		assert_null(strstr(r->rows[i].what, "s3cr3t"));
		assert_null(strstr(r->rows[i].fix, "hunter2"));
		assert_null(strstr(r->rows[i].fix, "s3cr3t"));
	}
	ward_plan_free(plan);
	free(r);
}

static void test_plan_refusals(void **state)
{
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	char path[PATH_MAX], spec[PATH_MAX + 8], bind[PATH_MAX + 16];

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	make_file("p", "v", 1, 0600, path, sizeof(path));
	snprintf(spec, sizeof(spec), "db=%s", path);
	{
		const struct kv kv[] = {{"secret-env", "nope", NULL}, {NULL, NULL, NULL}};

		assert_true(build(kv, &plan, &err) < 0);
		assert_non_null(strstr(err.msg, "secret-env nope: no secret of that name"));
	}
	{
		const struct kv kv[] = {{"secret", spec, NULL}, {"secret", spec, NULL},
					{NULL, NULL, NULL}};

		assert_true(build(kv, &plan, &err) < 0);
		assert_non_null(strstr(err.msg, "given twice"));
	}
	{
		const struct kv kv[] = {{"secret-env", "a.b", NULL}, {NULL, NULL, NULL}};

		assert_true(build(kv, &plan, &err) < 0);
		assert_int_equal(err.step, WARD_STEP_USAGE);
	}
	snprintf(bind, sizeof(bind), "%s:/run/secrets", dir);
	{
		const struct kv kv[] = {{"secret", spec, NULL}, {"bind", bind, NULL},
					{NULL, NULL, NULL}};

		assert_true(build(kv, &plan, &err) < 0);
		assert_non_null(strstr(err.msg, "ward's own tmpfs for secrets"));
	}
	{
		const struct kv kv[] = {{"secret", spec, NULL}, {"tmpfs", "/run/secrets/x", NULL},
					{NULL, NULL, NULL}};

		assert_true(build(kv, &plan, &err) < 0);
		assert_non_null(strstr(err.msg, "ward's own tmpfs for secrets"));
	}
	{
		const struct kv kv[] = {{"secret", spec, NULL}, {"secret", "db=fd:999", NULL},
					{NULL, NULL, NULL}};

		/* both on the command line: a mistake, even if one is bad */
		assert_true(build(kv, &plan, &err) < 0);
	}
}

/* A profile's secret is overridden by the command line's. */
static void test_plan_cli_overrides_profile(void **state)
{
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	char a[PATH_MAX], b[PATH_MAX], sa[PATH_MAX + 8], sb[PATH_MAX + 8];

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	make_file("fa", "from-profile", 12, 0600, a, sizeof(a));
	make_file("fb", "from-cli", 8, 0600, b, sizeof(b));
	snprintf(sa, sizeof(sa), "db=%s", a);
	snprintf(sb, sizeof(sb), "db=%s", b);
	{
		const struct kv kv[] = {{"secret", sa, "t.profile"}, {"secret", sb, NULL},
					{NULL, NULL, NULL}};

		assert_int_equal(build(kv, &plan, &err), 0);
	}
	assert_int_equal(plan->nsecrets, 1);
	assert_int_equal(plan->secrets[0].len, 8);
	assert_memory_equal(ward_secret_value(&plan->secrets[0]), "from-cli", 8);
	ward_plan_free(plan);
	{
		const struct kv kv[] = {{"secret", sa, "t.profile"}, {"secret", sb, "t.profile"},
					{NULL, NULL, NULL}};

		assert_true(build(kv, &plan, &err) < 0);
		assert_non_null(strstr(err.msg, "t.profile:2:1: secret db given twice (first at t.profile:1:1"));
	}
}

static void test_plan_source_error_has_line(void **state)
{
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};
	char path[PATH_MAX], spec[PATH_MAX + 8];

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	make_file("ro", "v", 1, 0644, path, sizeof(path));
	snprintf(spec, sizeof(spec), "db=%s", path);
	{
		const struct kv kv[] = {{"secret", spec, "p.profile"}, {NULL, NULL, NULL}};

		assert_true(build(kv, &plan, &err) < 0);
	}
	assert_int_equal(err.step, WARD_STEP_SECRETS);
	assert_true(strncmp(err.msg, "p.profile:1:1: secret db: ", 26) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_parse_value_not_echoed),
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_file_ok),
		cmocka_unit_test(test_file_world_readable),
		cmocka_unit_test(test_file_not_regular),
		cmocka_unit_test(test_file_size),
		cmocka_unit_test(test_fd_pipe_read_and_closed),
		cmocka_unit_test(test_fd_stdin),
		cmocka_unit_test(test_fd_refusals),
		cmocka_unit_test(test_env_taken_and_zeroed),
		cmocka_unit_test(test_plan_secret_env),
		cmocka_unit_test(test_check_env_shapes),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_plan_cli_overrides_profile),
		cmocka_unit_test(test_plan_source_error_has_line),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
