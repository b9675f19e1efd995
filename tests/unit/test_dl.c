/* ward_dl_load (base/dl.h): a library opened on first use fills the
 * caller's table, or says why not and leaves nothing open. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/dl.h"

struct table {
	void *(*read_new)(void);
	int (*read_free)(void *);
};

static void test_fills_the_table(void **state)
{
	static const struct ward_dl_sym syms[] = {
		{"archive_read_new", offsetof(struct table, read_new)},
		{"archive_read_free", offsetof(struct table, read_free)},
	};
	struct table t = {0};
	const char *why = NULL;
	void *a;

	(void)state;
	assert_int_equal(ward_dl_load("libarchive.so.13", syms, 2, &t, &why), 0);
	assert_non_null(t.read_new);
	assert_non_null(t.read_free);
	a = t.read_new(); /* the pointers are the library's functions */
	assert_non_null(a);
	assert_int_equal(t.read_free(a), 0);
}

static void test_missing_library(void **state)
{
	static const struct ward_dl_sym syms[] = {{"f", offsetof(struct table, read_new)}};
	struct table t = {0};
	const char *why = NULL;

	(void)state;
	assert_int_equal(ward_dl_load("libward-no-such.so.1", syms, 1, &t, &why), -ENOENT);
	assert_non_null(why);
	assert_non_null(strstr(why, "libward-no-such.so.1"));
}

static void test_missing_symbol(void **state)
{
	static const struct ward_dl_sym syms[] = {
		{"archive_read_new", offsetof(struct table, read_new)},
		{"archive_no_such_function", offsetof(struct table, read_free)},
	};
	struct table t = {0};
	const char *why = NULL;

	(void)state;
	assert_int_equal(ward_dl_load("libarchive.so.13", syms, 2, &t, &why), -ENOENT);
	assert_string_equal(why, "no symbol archive_no_such_function");
	assert_null(t.read_free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fills_the_table),
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_symbol),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
