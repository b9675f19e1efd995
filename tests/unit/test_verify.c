/* The outside check: a /proc/<pid>/status as the launcher sees it,
 * read by the child through the descriptor the launcher handed over. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "plan/plan.h"
#include "launch/verify.h"

#define GOOD_STATUS \
	"Name:\ttrue\nNSpid:\t1\nUid:\t65534\t65534\t65534\t65534\n" \
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
	p.host_uid = uid; /* as root with --user: the same ids outside */
	p.host_gid = uid;
	p.groups = WARD_GROUPS_CLEAR;
	return p;
}

static void test_good_status_passes(void **state)
{
	struct ward_plan p = plan_for(65534);
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_verify_status_text("\n" GOOD_STATUS, &p, &err), 0);
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

/* Only a procfs file will do: a memfd with a perfect text is refused. */
static void test_not_procfs_fails(void **state)
{
	struct ward_plan p = plan_for(65534);
	struct ward_err err = {0};
	int fd = memfd_create("status", MFD_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, GOOD_STATUS, strlen(GOOD_STATUS)),
			 (ssize_t)strlen(GOOD_STATUS));
	assert_true(ward_verify_from_outside(fd, &p, &err) < 0);
	assert_non_null(strstr(err.msg, "not a procfs file"));
	close(fd);
}

/* ... and only this process's own status. */
static void test_other_process_fails(void **state)
{
	struct ward_plan p = plan_for(65534);
	struct ward_err err = {0};
	int fd = open("/proc/1/status", O_RDONLY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_true(getpid() != 1);
	assert_true(ward_verify_from_outside(fd, &p, &err) < 0);
	assert_int_equal(err.errnum, ESRCH);
	assert_non_null(strstr(err.msg, "not this process's"));
	close(fd);
}

/* Its own status gets past those checks to the fields: this test
 * process keeps its uid, so the check names Uid. */
static void test_own_status_reaches_the_fields(void **state)
{
	struct ward_plan p = plan_for(getuid() == 4242 ? 4243 : 4242);
	struct ward_err err = {0};
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_true(ward_verify_from_outside(fd, &p, &err) < 0);
	assert_non_null(strstr(err.msg, "seen from outside, Uid:"));
	close(fd);
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
	p.host_uid = 12345;
	p.host_gid = 12345;
	assert_true(ward_verify_status_text("\n" GOOD_STATUS, &p, &err) < 0);
	assert_non_null(strstr(err.msg, "seen from outside, Uid: is 65534"));
}

/* Root, default user: the launcher sees the id reserved in /etc/subuid,
 * not the uid inside. */
static void test_reserved_host_ids_are_wanted(void **state)
{
	struct ward_plan p = plan_for(65534);
	struct ward_err err = {0};

	(void)state;
	p.host_uid = 1879048192;
	p.host_gid = 1879048192;
	assert_true(ward_verify_status_text("\n" GOOD_STATUS, &p, &err) < 0);
	assert_non_null(strstr(err.msg, "seen from outside, Uid: is 65534"));
}

/* GOOD_STATUS with line @key replaced by @line. */
static void with_line(char *buf, size_t len, const char *key, const char *line)
{
	const char *at = strstr(GOOD_STATUS, key);
	const char *end;

	assert_non_null(at);
	end = strchr(at, '\n');
	snprintf(buf, len, "\n%.*s%s%s", (int)(at - GOOD_STATUS), GOOD_STATUS,
		 line, end);
}

static void test_each_field_is_checked(void **state)
{
	static const struct {
		const char *key, *line, *msg;
	} bad[] = {
		{"Uid:", "Uid:\t65534\t0\t65534\t65534", "Uid:"},
		{"Gid:", "Gid:\t65534\t65534\t0\t65534", "Gid:"},
		{"Groups:", "Groups:\t27 ", "supplementary group 27"},
		{"CapBnd:", "CapBnd:\t0000000000200000", "capability set"},
		{"CapAmb:", "CapAmb:\t0000000000000001", "capability set"},
		{"NoNewPrivs:", "NoNewPrivs:\t0", "NoNewPrivs"},
	};
	struct ward_plan p = plan_for(65534);

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[1024];
		struct ward_err err = {0};

		with_line(text, sizeof(text), bad[i].key, bad[i].line);
		assert_true(ward_verify_status_text(text, &p, &err) < 0);
		assert_int_equal(err.step, WARD_STEP_VERIFY);
		assert_non_null(strstr(err.msg, bad[i].msg));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_status_passes),
		cmocka_unit_test(test_no_descriptor_fails),
		cmocka_unit_test(test_not_procfs_fails),
		cmocka_unit_test(test_other_process_fails),
		cmocka_unit_test(test_own_status_reaches_the_fields),
		cmocka_unit_test(test_rootless_wants_host_ids),
		cmocka_unit_test(test_reserved_host_ids_are_wanted),
		cmocka_unit_test(test_each_field_is_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
