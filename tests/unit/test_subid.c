/* subid.c: the "ward" entry of /etc/subuid and /etc/subgid. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/subid.h"

static int find(const char *buf, struct ward_subid *s, unsigned *bad)
{
	*bad = 0;
	return ward_subid_find(buf, strlen(buf), WARD_SUBID_NAME, s, bad);
}

static void test_entry_found_among_others(void **state)
{
	struct ward_subid s;
	unsigned bad;

	(void)state;
	assert_int_equal(find("alice:100000:65536\n\n# c\nward:1879048192:1\n"
			      "bob:165536:65536", &s, &bad), 0);
	assert_int_equal(s.start, 1879048192u);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.line, 4);
}

/* A prefix of the name is another owner; a missing file reads as "". */
static void test_absent(void **state)
{
	struct ward_subid s;
	unsigned bad;

	(void)state;
	assert_int_equal(find("wardx:5:1\nwar:6:1\n", &s, &bad), -ENOENT);
	assert_int_equal(find("", &s, &bad), -ENOENT);
}

static void test_malformed_entry(void **state)
{
	static const char *bad_lines[] = {
		"ward:1879048192\n", "ward:x:1\n", "ward:1879048192:0\n",
		"ward:4294967295:1\n", "ward:4294967290:10\n", "ward:1:2:3\n",
		"ward:-1:1\n", "ward::1\n",
	};
	struct ward_subid s;
	unsigned bad;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(*bad_lines); i++) {
		assert_int_equal(find(bad_lines[i], &s, &bad), -EINVAL);
		assert_int_equal(bad, 1);
	}
}

/* A range of another owner that covers the id: no reservation. */
static void test_overlap_refused(void **state)
{
	struct ward_subid s;
	unsigned bad;

	(void)state;
	assert_int_equal(find("ward:200000:1\nalice:100000:165536\n", &s, &bad),
			 -EEXIST);
	assert_int_equal(bad, 2);
	assert_int_equal(find("ward:265536:1\nalice:100000:165536\n", &s, &bad), 0);
}

/* A line ward cannot read could be one newuidmap reads (hex, octal,
 * leading blanks) and cover the id: refused, never passed over. */
static void test_unreadable_line_refused(void **state)
{
	static const char *const other[] = {
		"alice:0x70000000:65536\n", "alice: 1879048192:1\n", "alice:x\n",
	};
	struct ward_subid s;
	unsigned bad;
	uint32_t id;

	(void)state;
	for (size_t i = 0; i < sizeof(other) / sizeof(*other); i++) {
		char buf[128];

		snprintf(buf, sizeof(buf), "ward:1879048192:1\n%s", other[i]);
		assert_int_equal(find(buf, &s, &bad), -EINVAL);
		assert_int_equal(bad, 2);
		assert_int_equal(ward_subid_first_free(other[i], strlen(other[i]), "", 0,
						       WARD_SUBID_BASE, &id), -EINVAL);
	}
}

static void test_first_free_skips_ranges(void **state)
{
	const char *u = "a:1879048192:10\nb:1879048202:5\n";
	const char *g = "c:1879048207:1\n";
	uint32_t id;

	(void)state;
	assert_int_equal(ward_subid_first_free(u, strlen(u), g, strlen(g),
					       WARD_SUBID_BASE, &id), 0);
	assert_int_equal(id, 1879048208u);
	assert_int_equal(ward_subid_first_free("", 0, "", 0, WARD_SUBID_BASE, &id), 0);
	assert_int_equal(id, WARD_SUBID_BASE);
}

static void test_first_free_full(void **state)
{
	const char *u = "a:1879048192:268304384\n";
	uint32_t id;

	(void)state;
	assert_int_equal(ward_subid_first_free(u, strlen(u), "", 0,
					       WARD_SUBID_BASE, &id), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_found_among_others),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_malformed_entry),
		cmocka_unit_test(test_overlap_refused),
		cmocka_unit_test(test_unreadable_line_refused),
		cmocka_unit_test(test_first_free_skips_ranges),
		cmocka_unit_test(test_first_free_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
