/* The outside check: a /proc/<pid>/status as the launcher sees it,
 * read by the child through the descriptor the launcher handed over. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "ward/plan.h"
#include "ward/verify.h"

#define GOOD_STATUS \
	"Name:\ttrue\nUid:\t65534\t65534\t65534\t65534\n" \
	"Gid:\t65534\t65534\t65534\t65534\nGroups:\t\n" \
	"CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n" \
	"CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n" \
	"CapAmb:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t0\n"

static struct ward_plan plan_for(unsigned uid)
{
	struct ward_plan p;

	memset(&p, 0, sizeof(p));
	p.uid = uid;
	p.gid = uid;
	p.groups = WARD_GROUPS_CLEAR;
	return p;
}

/* A memfd holding @text, as the descriptor from the launcher would. */
static int status_fd(const char *text)
{
	int fd = memfd_create("status", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	return fd; /* the offset is at the end: the check must pread at 0 */
}

static int check(const char *text, const struct ward_plan *p, struct ward_err *err)
{
	int fd = status_fd(text), r = ward_verify_from_outside(fd, p, err);

	close(fd);
	return r;
}

static void test_good_status_passes(void **state)
{
	struct ward_plan p = plan_for(65534);
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(check(GOOD_STATUS, &p, &err), 0);
}

static void test_no_descriptor_fails(void **state)
{
	struct ward_plan p = plan_for(65534);
	struct ward_err err = {0};

	(void)state;
	assert_true(ward_verify_from_outside(-1, &p, &err) < 0);
	assert_int_equal(err.step, WARD_STEP_VERIFY);
	assert_int_equal(err.errnum, EBADF);
}

/* Rootless: the launcher sees the caller's host uid, not the uid the
 * program has inside its namespace. */
static void test_rootless_wants_host_ids(void **state)
{
	struct ward_plan p = plan_for(65534);
	struct ward_err err = {0};

	(void)state;
	p.rootless = true;
	p.caller_uid = 12345;
	p.caller_gid = 12345;
	assert_true(check(GOOD_STATUS, &p, &err) < 0);
	assert_non_null(strstr(err.msg, "seen from outside, Uid: is 65534"));
}

static void test_each_field_is_checked(void **state)
{
	static const struct {
		const char *from, *to, *msg;
	} bad[] = {
		{"Uid:\t65534\t65534\t65534\t65534", "Uid:\t65534\t0\t65534\t65534",
		 "Uid:"},
		{"Gid:\t65534\t65534\t65534\t65534", "Gid:\t65534\t65534\t0\t65534",
		 "Gid:"},
		{"Groups:\t", "Groups:\t27 ", "supplementary group 27"},
		{"CapBnd:\t0000000000000000", "CapBnd:\t0000000000200000",
		 "capability set"},
		{"CapAmb:\t0000000000000000", "CapAmb:\t0000000000000001",
		 "capability set"},
		{"NoNewPrivs:\t1", "NoNewPrivs:\t0", "NoNewPrivs"},
	};
	struct ward_plan p = plan_for(65534);

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[1024], *at;
		struct ward_err err = {0};

		snprintf(text, sizeof(text), "%s", GOOD_STATUS);
		at = strstr(text, bad[i].from);
		assert_non_null(at);
		memcpy(at, bad[i].to, strlen(bad[i].to)); /* same length */
		assert_true(check(text, &p, &err) < 0);
		assert_int_equal(err.step, WARD_STEP_VERIFY);
		assert_non_null(strstr(err.msg, bad[i].msg));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_status_passes),
		cmocka_unit_test(test_no_descriptor_fails),
		cmocka_unit_test(test_rootless_wants_host_ids),
		cmocka_unit_test(test_each_field_is_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
