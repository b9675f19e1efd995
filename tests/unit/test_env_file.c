/* plan/env_file.c: Docker's --env-file format, parsed from memory. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "plan/env_file.h"

struct got {
	char text[4096]; /* "KV@LINE|" each */
	int fail_at;     /* put refuses this line (0: never) */
};

static int put(void *ctx, const char *kv, unsigned line, struct ward_err *err)
{
	struct got *g = ctx;
	size_t n = strlen(g->text);

	if (g->fail_at && (unsigned)g->fail_at == line)
		return ward_err_set(err, WARD_STEP_PLAN, 0, "refused");
	snprintf(g->text + n, sizeof(g->text) - n, "%s@%u|", kv, line);
	return 0;
}

static const char *lookup(const char *name)
{
	return strcmp(name, "FROM_CALLER") == 0 ? "caller's value" : NULL;
}

static int parse(const char *text, struct got *g, struct ward_err *err)
{
	memset(err, 0, sizeof(*err));
	return ward_env_file_parse("f.env", text, strlen(text), lookup, put, g, err);
}

static void test_docker_format(void **state)
{
	struct got g = {0};
	struct ward_err err;

	assert_int_equal(parse("# comment\n"
			       "\n"
			       "   \t\n"
			       "  # indented comment\n"
			       "A=1\n"
			       "  B=  spaced  \n"
			       "C=\"quoted\"\n"
			       "D=a#b\n"
			       "E=\n"
			       "F=x=y\n"
			       "FROM_CALLER\n"
			       "NOT_SET_BY_CALLER\n"
			       "G=crlf\r\n"
			       "H=last, no newline", &g, &err), 0);
	assert_string_equal(g.text,
			    "A=1@5|B=  spaced  @6|C=\"quoted\"@7|D=a#b@8|E=@9|F=x=y@10|"
			    "FROM_CALLER=caller's value@11|G=crlf@13|H=last, no newline@14|");
}

static void test_bom_and_empty(void **state)
{
	struct got g = {0};
	struct ward_err err;

	assert_int_equal(parse("\xef\xbb\xbf" "A=1\n", &g, &err), 0);
	assert_string_equal(g.text, "A=1@1|");
	memset(&g, 0, sizeof(g));
	assert_int_equal(parse("", &g, &err), 0);
	assert_string_equal(g.text, "");
}

static void test_bad_names(void **state)
{
	static const char *const bad[] = {
		"BAD NAME=1\n", "=value\n", "1A=x\n", "A-B=c\n", "NAME WITH SPACE\n",
		"TRAILING \n",
	};
	struct ward_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct got g = {0};

		assert_true(parse(bad[i], &g, &err) < 0);
		assert_int_equal(err.step, WARD_STEP_PLAN);
		assert_non_null(strstr(err.msg, "--env-file f.env:1: "));
		assert_string_equal(g.text, "");
	}
}

static void test_errors_name_the_line(void **state)
{
	struct got g = {0};
	struct ward_err err;
	char nul[] = "A=1\nB=x\0y\n";

	assert_true(ward_env_file_parse("f.env", nul, sizeof(nul) - 1, lookup, put, &g,
					&err) < 0);
	assert_string_equal(err.msg, "--env-file f.env:2: a NUL byte");
	memset(&g, 0, sizeof(g));
	g.fail_at = 3;
	assert_true(parse("A=1\n\nC=3\nD=4\n", &g, &err) < 0);
	assert_string_equal(err.msg, "refused");
	assert_string_equal(g.text, "A=1@1|");
}

static void test_long_line(void **state)
{
	size_t n = WARD_ENV_FILE_LINE_MAX + 10;
	char *text = malloc(n + 1);
	struct got g = {0};
	struct ward_err err;

	assert_non_null(text);
	memset(text, 'x', n);
	memcpy(text, "LONG=", 5);
	text[n] = '\0';
	assert_true(parse(text, &g, &err) < 0);
	assert_string_equal(err.msg, "--env-file f.env:1: line too long");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_format),
		cmocka_unit_test(test_bom_and_empty),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
