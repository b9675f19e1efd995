/* plan/image_config.c: the image's config under the command line, as
 * docker run applies it (argv, user, environment), and the stop signal's
 * spelling (base/util.c). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/util.h"
#include "plan/image_config.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static char *entry_sh[] = {"/bin/sh", "-c"};
static char *cmd_echo[] = {"echo", "hi"};
static char *cli_cmd[] = {"id", "-u", NULL};

/* "a b c" of an argv, for comparisons. */
static void joined(char **argv, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; argv && argv[i]; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? " " : "", argv[i]);
}

struct argv_case {
	bool entry, cmd;        /* what the image sets */
	const char *entrypoint; /* --entrypoint, NULL: not given */
	bool cli;               /* a command after -- */
	const char *want;       /* NULL: refused */
};

static void test_argv_precedence(void **state)
{
	static const struct argv_case cases[] = {
		/* the image alone: Entrypoint + Cmd */
		{true, true, NULL, false, "/bin/sh -c echo hi"},
		{false, true, NULL, false, "echo hi"},
		{true, false, NULL, false, "/bin/sh -c"},
		/* a command after -- replaces Cmd, keeps Entrypoint */
		{true, true, NULL, true, "/bin/sh -c id -u"},
		{false, true, NULL, true, "id -u"},
		/* --entrypoint replaces Entrypoint and clears Cmd */
		{true, true, "/bin/busybox", false, "/bin/busybox"},
		{false, true, "/bin/busybox", true, "/bin/busybox id -u"},
		/* --entrypoint '' clears both: the command is all there is */
		{true, true, "", true, "id -u"},
		/* nothing to run: refused, saying what to pass */
		{false, false, NULL, false, NULL},
		{true, true, "", false, NULL},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const struct argv_case *t = &cases[i];
		struct ward_image_config c = {0};
		struct ward_err err = {0};
		char **argv = NULL, got[256];
		int r;

		if (t->entry) {
			c.entrypoint = entry_sh;
			c.nentrypoint = 2;
		}
		if (t->cmd) {
			c.cmd = cmd_echo;
			c.ncmd = 2;
		}
		r = ward_plan_image_argv(&c, t->entrypoint, t->cli ? cli_cmd : NULL, &argv, &err);
		if (!t->want) {
			assert_int_equal(r, -EINVAL);
			assert_null(argv);
			assert_int_equal(err.step, WARD_STEP_USAGE);
			assert_non_null(strstr(err.msg, "-- CMD"));
			continue;
		}
		assert_int_equal(r, 0);
		joined(argv, got, sizeof(got));
		assert_string_equal(got, t->want);
		ward_plan_image_argv_free(argv);
	}
}

static void test_user_default(void **state)
{
	static const struct {
		const char *user;
		bool is_default;
	} cases[] = {
		{NULL, true}, {"", true}, {"root", true}, {"0", true},
		{"root:root", true}, {"0:1000", true}, {"00", true},
		{"app", false}, {"10001", false}, {"1000:0", false},
		{"rootless", false}, {"app:root", false},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++)
		assert_int_equal(ward_plan_image_user_is_default(cases[i].user),
				 cases[i].is_default);
}

static void test_env_withholds_secrets(void **state)
{
	char *env[] = {
		"PATH=/app/bin:/usr/bin",
		"DB_PASSWORD=hunter2",
		"LANG=C.UTF-8",
		"API_TOKEN=abc",
		"GREETING=ghp_0123456789abcdefghijABCDEFGHIJ012345", /* a token value */
		"1BAD=x",                                          /* not a name */
		"NOEQUALS",
		"PGPASS=/app/.pgpass",                             /* not secret */
	};
	char *pass[] = {"API_TOKEN"};
	struct ward_image_config c = {.env = env, .nenv = N_ELEMS(env)};
	const char *keep[16];
	char withheld[128];
	size_t n;

	n = ward_plan_image_env(&c, pass, 1, keep, 16, withheld, sizeof(withheld));
	assert_int_equal(n, 4);
	assert_string_equal(keep[0], "PATH=/app/bin:/usr/bin");
	assert_string_equal(keep[1], "LANG=C.UTF-8");
	assert_string_equal(keep[2], "API_TOKEN=abc");
	assert_string_equal(keep[3], "PGPASS=/app/.pgpass");
	assert_string_equal(withheld, "DB_PASSWORD,GREETING");

	/* without env-pass, the token goes too; a short list says it is cut */
	n = ward_plan_image_env(&c, NULL, 0, keep, 16, withheld, 20);
	assert_int_equal(n, 3);
	assert_string_equal(withheld, "DB_PASSWORD,...");
	/* the bound on what is kept */
	n = ward_plan_image_env(&c, NULL, 0, keep, 1, withheld, sizeof(withheld));
	assert_int_equal(n, 1);
}

static void test_signal_parse(void **state)
{
	char name[32];

	assert_int_equal(ward_signal_parse("SIGTERM"), SIGTERM);
	assert_int_equal(ward_signal_parse("quit"), SIGQUIT);
	assert_int_equal(ward_signal_parse("SigUsr1"), SIGUSR1);
	assert_int_equal(ward_signal_parse("9"), SIGKILL);
	assert_int_equal(ward_signal_parse("SIGRTMIN+3"), SIGRTMIN + 3);
	assert_int_equal(ward_signal_parse("RTMAX-1"), SIGRTMAX - 1);
	assert_int_equal(ward_signal_parse("RTMIN"), SIGRTMIN);
	assert_int_equal(ward_signal_parse(""), -EINVAL);
	assert_int_equal(ward_signal_parse("0"), -EINVAL);
	assert_int_equal(ward_signal_parse("65"), -EINVAL);
	assert_int_equal(ward_signal_parse("SIGFOO"), -EINVAL);
	assert_int_equal(ward_signal_parse("RTMIN-1"), -EINVAL);
	assert_int_equal(ward_signal_parse("RTMIN+99"), -EINVAL);
	assert_int_equal(ward_signal_parse("SIGTERMSIGTERMSIGTERM"), -EINVAL);
	ward_signal_name(SIGQUIT, name, sizeof(name));
	assert_string_equal(name, "SIGQUIT");
	ward_signal_name(SIGRTMIN + 3, name, sizeof(name));
	assert_string_equal(name, "SIGRTMIN+3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_precedence),
		cmocka_unit_test(test_user_default),
		cmocka_unit_test(test_env_withholds_secrets),
		cmocka_unit_test(test_signal_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
