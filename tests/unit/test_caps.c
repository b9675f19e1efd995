/* caps.c, pure side: names, lists, formatting, /proc/<pid>/status. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel/caps.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(c) (1ULL << (c))

struct name_case {
	const char *name;
	int cap;
};

static void test_from_name(void **state)
{
	static const struct name_case cases[] = {
		{"NET_BIND_SERVICE", 10},
		{"CAP_NET_BIND_SERVICE", 10},
		{"net_bind_service", 10},
		{"cap_net_bind_service", 10},
		{"Cap_Net_Bind_Service", 10},
		{"cap_net_raw", 13},
		{"CAP_NET_RAW", 13},
		{"chown", 0},
		{"sys_admin", 21},
		{"checkpoint_restore", 40},
		{"net_foo", -EINVAL},
		{"", -EINVAL},
		{"cap_", -EINVAL},
		{"CAP_", -EINVAL},
		{"cap_cap_net_raw", -EINVAL},
		{"12", -EINVAL},
		{"all", -EINVAL},
		{" net_raw", -EINVAL},
		{"net_raw ", -EINVAL},
		{"net_raw,chown", -EINVAL},
		{"net-raw", -EINVAL},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int r = ward_caps_from_name(cases[i].name);

		if (r != cases[i].cap)
			fail_msg("caps_from_name('%s') = %d, want %d",
				 cases[i].name, r, cases[i].cap);
	}
}

static void test_from_name_too_long(void **state)
{
	char name[200];

	/* A valid name padded past the internal buffer is not truncated
	 * into a match. */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(name, "net_raw", 7);
	assert_int_equal(ward_caps_from_name(name), -EINVAL);
}

struct list_case {
	const char *list;
	int ret;
	uint64_t mask;
	size_t bad; /* offset of the offending name on error */
};

static void test_parse_list(void **state)
{
	static const struct list_case cases[] = {
		{"", 0, 0, 0},
		{"none", 0, 0, 0},
		{"net_raw", 0, BIT(13), 0},
		{"net_raw,net_bind_service", 0, BIT(13) | BIT(10), 0},
		{"CAP_NET_RAW,cap_chown,Sys_Admin", 0, BIT(13) | BIT(0) | BIT(21), 0},
		{"net_raw,net_raw", 0, BIT(13), 0},
		{"bogus", -EINVAL, 0, 0},
		{"net_raw,bogus", -EINVAL, 0, 8},
		{"net_raw,chown,bogus,kill", -EINVAL, 0, 14},
		{"net_raw,,chown", -EINVAL, 0, 8},
		{",chown", -EINVAL, 0, 0},
		{"none,net_raw", -EINVAL, 0, 0},
		{"net_raw, chown", -EINVAL, 0, 8},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint64_t mask = 0xabcd;
		size_t bad = 999;
		int r = ward_caps_parse_list(cases[i].list, &mask, &bad);

		if (r != cases[i].ret)
			fail_msg("parse_list('%s') = %d, want %d", cases[i].list, r,
				 cases[i].ret);
		if (r == 0 && mask != cases[i].mask)
			fail_msg("parse_list('%s') mask %" PRIx64 ", want %" PRIx64,
				 cases[i].list, mask, cases[i].mask);
		if (r < 0 && bad != cases[i].bad)
			fail_msg("parse_list('%s') bad offset %zu, want %zu",
				 cases[i].list, bad, cases[i].bad);
		if (r < 0 && mask != 0xabcd)
			fail_msg("parse_list('%s') wrote the mask on error",
				 cases[i].list);
	}
}

static void test_parse_list_long_name(void **state)
{
	char list[256];
	uint64_t mask;
	size_t bad = 0;

	snprintf(list, sizeof(list), "chown,%0100d", 0);
	assert_int_equal(ward_caps_parse_list(list, &mask, &bad), -EINVAL);
	assert_int_equal(bad, 6);
}

struct fmt_case {
	uint64_t mask;
	const char *text;
};

static void test_format(void **state)
{
	static const struct fmt_case cases[] = {
		{0, "none"},
		{BIT(0), "cap_chown"},
		{BIT(10) | BIT(13), "cap_net_bind_service,cap_net_raw"},
		{BIT(21) | BIT(0), "cap_chown,cap_sys_admin"},
		{BIT(40), "cap_checkpoint_restore"},
		{BIT(63), "cap_unknown"},
	};
	char buf[256];

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		ward_caps_format(cases[i].mask, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
}

/* Every known capability formats to a name that parses back to it. */
static void test_format_roundtrip(void **state)
{
	for (int c = 0; c <= 40; c++) {
		char buf[64];
		uint64_t mask = 0;
		size_t bad = 0;

		ward_caps_format(BIT(c), buf, sizeof(buf));
		assert_int_equal(ward_caps_parse_list(buf, &mask, &bad), 0);
		if (mask != BIT(c))
			fail_msg("cap %d formats as '%s', parses as %" PRIx64, c,
				 buf, mask);
	}
}

/* A short buffer: always NUL-terminated, never overrun. */
static void test_format_small_buffer(void **state)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	ward_caps_format(BIT(10) | BIT(13), buf, 8);
	assert_true(strlen(buf) < 8);
	assert_int_equal(buf[8], 'X');
	ward_caps_format(0, buf, 3);
	assert_string_equal(buf, "no");
	buf[0] = 'X';
	ward_caps_format(BIT(0), buf, 0); /* len 0: nothing written */
	assert_int_equal(buf[0], 'X');
}

static char *read_self_status(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char *buf = calloc(1, 65536);
	size_t n;

	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, 65535, f);
	fclose(f);
	assert_true(n > 0 && n < 65535);
	return buf;
}

/* The parse of the real file matches what capget(2) and
 * PR_CAPBSET_READ report. */
static void test_parse_status_real(void **state)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	/* Zeroed first: capget fills both halves (version 3), but valgrind's
	 * capget wrapper marks only data[0] as written, and reading data[1]
	 * was reported as uninitialised. */
	struct __user_cap_data_struct data[2] = {0};
	struct ward_capsets got;
	uint64_t bnd = 0, amb = 0;
	char *text = read_self_status();

	assert_int_equal(syscall(SYS_capget, &hdr, data), 0);
	assert_int_equal(ward_caps_parse_status(text, &got), 0);
	assert_true(got.eff == ((uint64_t)data[1].effective << 32 | data[0].effective));
	assert_true(got.prm == ((uint64_t)data[1].permitted << 32 | data[0].permitted));
	assert_true(got.inh == ((uint64_t)data[1].inheritable << 32 | data[0].inheritable));
	for (int c = 0; c < 64; c++) {
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			bnd |= BIT(c);
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1)
			amb |= BIT(c);
	}
	assert_true(got.bnd == bnd);
	assert_true(got.amb == amb);
	free(text);
}

static const char synthetic_status[] =
	"Name:\tprobe\n"
	"Uid:\t65534\t65534\t65534\t65534\n"
	"CapInh:\t0000000000000400\n"
	"CapPrm:\t0000000000002400\n"
	"CapEff:\t0000000000002000\n"
	"CapBnd:\t000001ffffffffff\n"
	"CapAmb:\t0000000000000400\n"
	"NoNewPrivs:\t1\n";

static void test_parse_status_synthetic(void **state)
{
	struct ward_capsets got;

	assert_int_equal(ward_caps_parse_status(synthetic_status, &got), 0);
	assert_true(got.inh == 0x400);
	assert_true(got.prm == 0x2400);
	assert_true(got.eff == 0x2000);
	assert_true(got.bnd == 0x1ffffffffffULL);
	assert_true(got.amb == 0x400);
}

/* Cut the text just before @key's line: the parse must fail. */
static void test_parse_status_truncated_lines(void **state)
{
	static const char *const keys[] = {
		"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:",
	};
	struct ward_capsets got;

	for (size_t i = 0; i < N_ELEMS(keys); i++) {
		char *text = strdup(synthetic_status);

		assert_non_null(text);
		*strstr(text, keys[i]) = '\0';
		if (ward_caps_parse_status(text, &got) != -EINVAL)
			fail_msg("status cut before %s parsed", keys[i]);
		free(text);
	}
}

/* Cut inside a value: a half-read number is not a capability set.
 * ("CapAmb:\t00000000" would otherwise read as 0.) */
static void test_parse_status_truncated_value(void **state)
{
	static const char *const keys[] = {
		"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:",
	};
	struct ward_capsets got;

	for (size_t i = 0; i < N_ELEMS(keys); i++) {
		char *text = strdup(synthetic_status);
		char *cut;

		assert_non_null(text);
		cut = strstr(text, keys[i]) + strlen(keys[i]) + 1 + 8;
		*cut = '\0';
		if (ward_caps_parse_status(text, &got) != -EINVAL)
			fail_msg("status cut inside the %s value parsed", keys[i]);
		free(text);
	}
}

static void test_parse_status_junk(void **state)
{
	struct ward_capsets got;

	assert_int_equal(ward_caps_parse_status("", &got), -EINVAL);
	assert_int_equal(ward_caps_parse_status("\nCapInh:\tzz\nCapPrm:\t0\n"
						"CapEff:\t0\nCapBnd:\t0\n"
						"CapAmb:\t0\n", &got), -EINVAL);
	assert_int_equal(ward_caps_parse_status("\nCapInh:\t\nCapPrm:\t0\n"
						"CapEff:\t0\nCapBnd:\t0\n"
						"CapAmb:\t0\n", &got), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_name),
		cmocka_unit_test(test_from_name_too_long),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_parse_list_long_name),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_format_small_buffer),
		cmocka_unit_test(test_parse_status_real),
		cmocka_unit_test(test_parse_status_synthetic),
		cmocka_unit_test(test_parse_status_truncated_lines),
		cmocka_unit_test(test_parse_status_truncated_value),
		cmocka_unit_test(test_parse_status_junk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
