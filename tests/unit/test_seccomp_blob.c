/* The precompiled built-in filters are byte for byte what libseccomp
 * builds at run time from the same policies on this machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seccomp/seccomp.h"
#include "seccomp/policy.h"

#include "under_valgrind.h"

static void check_mode(enum ward_seccomp_mode mode)
{
	struct ward_seccomp_policy *pol = NULL;
	struct sock_fprog pre = {0, NULL}, run = {0, NULL};
	struct ward_err err = {0};

	assert_int_equal(ward_seccomp_build(mode, NULL, &pre, &err), 0);
	assert_true(ward_seccomp_is_precompiled(&pre, mode));
	assert_int_equal(ward_seccomp_policy_builtin(mode, &pol, &err), 0);
	assert_int_equal(ward_seccomp_policy_build(pol, &run, &err), 0);
	assert_int_equal(pre.len, run.len);
	assert_memory_equal(pre.filter, run.filter,
			    (size_t)run.len * sizeof(struct sock_filter));
	ward_seccomp_policy_free(pol);
	ward_seccomp_free(&pre);
	ward_seccomp_free(&run);
}

/* Under valgrind seccomp(2) fails: the launch-time check of the kernel's
 * actions (SECCOMP_GET_ACTION_AVAIL) refuses the precompiled program and
 * libseccomp's API-level probe refuses the run-time build. */
static void test_default_matches(void **state)
{
	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	check_mode(WARD_SECCOMP_DEFAULT);
}

static void test_strict_matches(void **state)
{
	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	check_mode(WARD_SECCOMP_STRICT);
}

/* Profile additions never use the precompiled program. */
static void test_overlay_builds_at_run_time(void **state)
{
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	assert_int_equal(ward_seccomp_build_ex(WARD_SECCOMP_DEFAULT, NULL,
					       "ward-seccomp 1\nallow execve\ndeny getpid\n",
					       false, &prog, &err), 0);
	assert_false(ward_seccomp_is_precompiled(&prog, WARD_SECCOMP_DEFAULT));
	ward_seccomp_free(&prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_matches),
		cmocka_unit_test(test_strict_matches),
		cmocka_unit_test(test_overlay_builds_at_run_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
