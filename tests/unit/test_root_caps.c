/* launch/userns.c: the cause named when a root launch lacks the
 * capabilities its uid/gid map writes need (a systemd unit's
 * CapabilityBoundingSet=). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/capability.h>
#include <cmocka.h>

#include "launch/userns.h"

#define BIT(c) (1ULL << (c))
#define ALL_CAPS ((1ULL << (CAP_LAST_CAP + 1)) - 1)

static void test_full_root_is_fine(void **state)
{
	struct ward_capsets c = {.eff = ALL_CAPS, .prm = ALL_CAPS, .bnd = ALL_CAPS};
	char why[512] = "", hint[512] = "";

	assert_int_equal(ward_userns_root_caps_problem(&c, true, why, sizeof(why), hint,
							 sizeof(hint)), 0);
	assert_string_equal(why, "");
}

static void test_the_two_are_enough(void **state)
{
	uint64_t two = BIT(CAP_SETUID) | BIT(CAP_SETGID);
	struct ward_capsets c = {.eff = two, .prm = two, .bnd = two};
	char why[512] = "", hint[512] = "";

	assert_int_equal(ward_userns_root_caps_problem(&c, false, why, sizeof(why), hint,
							 sizeof(hint)), 0);
}

static void test_empty_bounding_set(void **state)
{
	struct ward_capsets c = {0};
	char why[512], hint[512];

	assert_int_equal(ward_userns_root_caps_problem(&c, true, why, sizeof(why), hint,
							 sizeof(hint)), 1);
	assert_non_null(strstr(why, "without cap_setgid,cap_setuid in its effective set "
				    "(nor in its bounding set)"));
	assert_non_null(strstr(hint, "drop CapabilityBoundingSet= from ward's unit"));
	assert_non_null(strstr(hint, "no_new_privs is set too (NoNewPrivileges=yes), "
				    "which ward does not mind"));
}

static void test_one_missing_no_nnp(void **state)
{
	uint64_t caps = ALL_CAPS & ~BIT(CAP_SETGID);
	struct ward_capsets c = {.eff = caps, .prm = caps, .bnd = caps};
	char why[512], hint[512];

	assert_int_equal(ward_userns_root_caps_problem(&c, false, why, sizeof(why), hint,
							 sizeof(hint)), 1);
	assert_non_null(strstr(why, "without cap_setgid in its effective set"));
	assert_null(strstr(why, "cap_setuid in its"));
	assert_null(strstr(hint, "no_new_privs"));
}

static void test_bounding_has_them(void **state)
{
	struct ward_capsets c = {.eff = 0, .prm = 0, .bnd = ALL_CAPS};
	char why[512], hint[512];

	assert_int_equal(ward_userns_root_caps_problem(&c, false, why, sizeof(why), hint,
							 sizeof(hint)), 1);
	assert_non_null(strstr(why, "(its bounding set has them)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_root_is_fine),
		cmocka_unit_test(test_the_two_are_enough),
		cmocka_unit_test(test_empty_bounding_set),
		cmocka_unit_test(test_one_missing_no_nnp),
		cmocka_unit_test(test_bounding_has_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
