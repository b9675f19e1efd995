/* util.c: numbers, sizes, path normalisation and the colon splitter. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/util.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct u32_case {
	const char *in;
	int ret;
	uint32_t out;
};

static void test_parse_u32(void **state)
{
	static const struct u32_case cases[] = {
		{"0", 0, 0},
		{"65534", 0, 65534},
		{"007", 0, 7},
		{"4294967295", 0, UINT32_MAX},
		{"4294967296", -ERANGE, 0},              /* UINT32_MAX + 1 */
		{"18446744073709551615", -ERANGE, 0},    /* ULLONG_MAX */
		{"99999999999999999999999", -ERANGE, 0}, /* strtoull ERANGE */
		{"", -EINVAL, 0},
		{"-1", -EINVAL, 0},
		{"+1", -EINVAL, 0},
		{" 1", -EINVAL, 0},
		{"1 ", -EINVAL, 0},
		{"12a", -EINVAL, 0},
		{"0x10", -EINVAL, 0},
		{"abc", -EINVAL, 0},
		{"1.0", -EINVAL, 0},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint32_t v = 0xdeadbeef;
		int r = ward_parse_u32(cases[i].in, &v);

		if (r != cases[i].ret)
			fail_msg("parse_u32('%s') = %d, want %d", cases[i].in, r,
				 cases[i].ret);
		if (r == 0)
			assert_int_equal(v, cases[i].out);
		else
			assert_int_equal(v, 0xdeadbeef); /* untouched on error */
	}
	assert_int_equal(ward_parse_u32(NULL, &(uint32_t){0}), -EINVAL);
}

struct size_case {
	const char *in;
	int ret;
	uint64_t out;
};

static void test_parse_size(void **state)
{
	static const struct size_case cases[] = {
		{"0", 0, 0},
		{"4096", 0, 4096},
		{"1k", 0, 1024},
		{"1K", 0, 1024},
		{"64m", 0, 64ULL << 20},
		{"64M", 0, 64ULL << 20},
		{"2G", 0, 2ULL << 30},
		{"2g", 0, 2ULL << 30},
		{"17179869183G", 0, 17179869183ULL << 30}, /* just fits */
		{"17179869184G", -ERANGE, 0},              /* 2^34 G = 2^64 */
		{"18014398509481984K", -ERANGE, 0},        /* 2^54 K */
		{"18446744073709551615", 0, UINT64_MAX},
		{"18446744073709551616", -ERANGE, 0},
		{"", -EINVAL, 0},
		{"K", -EINVAL, 0},
		{"-1K", -EINVAL, 0},
		{"1KB", -EINVAL, 0},
		{"1T", -EINVAL, 0},
		{"1 K", -EINVAL, 0},
		{"1.5G", -EINVAL, 0},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint64_t v = 0x1234;
		int r = ward_parse_size(cases[i].in, &v);

		if (r != cases[i].ret)
			fail_msg("parse_size('%s') = %d, want %d", cases[i].in, r,
				 cases[i].ret);
		if (r == 0)
			assert_true(v == cases[i].out);
		else
			assert_true(v == 0x1234);
	}
}

struct norm_case {
	const char *in;
	int ret;
	const char *out;
};

static void test_path_normalize(void **state)
{
	static const struct norm_case cases[] = {
		{"/", 0, "/"},
		{"//", 0, "/"},
		{"/.", 0, "/"},
		{"/./.", 0, "/"},
		{"/srv", 0, "/srv"},
		{"/srv/", 0, "/srv"},
		{"//srv//data///", 0, "/srv/data"},
		{"/srv/./data/.", 0, "/srv/data"},
		{"/.hidden/..dots/...", 0, "/.hidden/..dots/..."},
		{"/a/../b", -EINVAL, NULL},
		{"/..", -EINVAL, NULL},
		{"/a/..", -EINVAL, NULL},
		{"relative", -EINVAL, NULL},
		{"./srv", -EINVAL, NULL},
		{"", -EINVAL, NULL},
	};
	char out[64];

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int r = ward_path_normalize(cases[i].in, out, sizeof(out));

		if (r != cases[i].ret)
			fail_msg("normalize('%s') = %d, want %d", cases[i].in, r,
				 cases[i].ret);
		if (r == 0)
			assert_string_equal(out, cases[i].out);
	}
	assert_int_equal(ward_path_normalize(NULL, out, sizeof(out)), -EINVAL);
}

static void test_path_normalize_length(void **state)
{
	char in[PATH_MAX + 16], out[PATH_MAX];
	char small[8];

	/* "/abcdef" needs 8 bytes with its NUL. */
	assert_int_equal(ward_path_normalize("/abcdef", small, sizeof(small)), 0);
	assert_string_equal(small, "/abcdef");
	assert_int_equal(ward_path_normalize("/abcdefg", small, sizeof(small)),
			 -ENAMETOOLONG);
	/* Redundant slashes do not count against the limit. */
	assert_int_equal(ward_path_normalize("////abc//de//", small,
					     sizeof(small)), 0);
	assert_string_equal(small, "/abc/de");
	/* A path longer than the output buffer. */
	in[0] = '/';
	memset(in + 1, 'x', sizeof(in) - 2);
	in[sizeof(in) - 1] = '\0';
	assert_int_equal(ward_path_normalize(in, out, sizeof(out)), -ENAMETOOLONG);
	/* No room even for "/". */
	assert_true(ward_path_normalize("/", small, 1) < 0);
}

struct beneath_case {
	const char *path, *dir;
	bool beneath;
};

static void test_path_is_beneath(void **state)
{
	static const struct beneath_case cases[] = {
		{"/proc", "/proc", true},
		{"/proc/self", "/proc", true},
		{"/proc/1/root/etc", "/proc", true},
		{"/procfs", "/proc", false},
		{"/pro", "/proc", false},
		{"/", "/proc", false},
		{"/srv", "/", true},
		{"/", "/", true},
		{"/a/b", "/a/b/c", false},
		{"/a/bc", "/a/b", false},
		{"/a/b/c", "/a/b", true},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		if (ward_path_is_beneath(cases[i].path, cases[i].dir) !=
		    cases[i].beneath)
			fail_msg("is_beneath('%s', '%s') != %d", cases[i].path,
				 cases[i].dir, cases[i].beneath);
	}
}

struct split_case {
	const char *in;
	int max;
	int ret;
	const char *fields[4];
};

static void test_split_colon(void **state)
{
	static const struct split_case cases[] = {
		{"a", 3, 1, {"a"}},
		{"", 3, 1, {""}},
		{"a:b", 3, 2, {"a", "b"}},
		{"/srv:/data:rw", 3, 3, {"/srv", "/data", "rw"}},
		{"a::c", 3, 3, {"a", "", "c"}},
		{":", 3, 2, {"", ""}},
		{"a:", 2, 2, {"a", ""}},
		{"a:b:c", 2, -EINVAL, {NULL}},
		{"a:b:c:d", 3, -EINVAL, {NULL}},
		{"a:b", 1, -EINVAL, {NULL}},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char buf[64];
		char *f[4] = {NULL};
		int r;

		strcpy(buf, cases[i].in);
		r = ward_split_colon(buf, f, cases[i].max);
		if (r != cases[i].ret)
			fail_msg("split('%s', %d) = %d, want %d", cases[i].in,
				 cases[i].max, r, cases[i].ret);
		for (int k = 0; k < r; k++)
			assert_string_equal(f[k], cases[i].fields[k]);
		/* Never more fields than asked for. */
		for (int k = cases[i].max; k < 4; k++)
			assert_null(f[k]);
	}
}

/* One rule for --env, env-pass, secret-env and env:VAR sources. */
static void test_env_name_valid(void **state)
{
	static const char *const good[] = {"A", "_", "PATH", "a_b9", "_1", "Ab_C"};
	static const char *const bad[] = {"", "1A", "A-B", "A B", "A.B", "A=", "\xc3\xa9"};

	for (size_t i = 0; i < N_ELEMS(good); i++)
		if (!ward_env_name_valid(good[i], strlen(good[i])))
			fail_msg("'%s' refused", good[i]);
	for (size_t i = 0; i < N_ELEMS(bad); i++)
		if (ward_env_name_valid(bad[i], strlen(bad[i])))
			fail_msg("'%s' accepted", bad[i]);
	/* The name of NAME=VALUE: only the first @n bytes count. */
	assert_true(ward_env_name_valid("HOME=/x-y", 4));
	assert_false(ward_env_name_valid("HOME=/x-y", 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u32),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_path_normalize),
		cmocka_unit_test(test_path_normalize_length),
		cmocka_unit_test(test_path_is_beneath),
		cmocka_unit_test(test_split_colon),
		cmocka_unit_test(test_env_name_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
