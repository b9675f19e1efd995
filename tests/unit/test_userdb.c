/* userdb.c: passwd(5)/group(5) parsing and the in-root reader. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel/userdb.h"

#include "under_valgrind.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The parsers take (buf, len): give them an exact-size heap copy without
 * a terminating NUL, so ASan sees any read past @len. */
static char *exact_copy(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

static int passwd(const char *text, const char *name, uid_t *uid, gid_t *gid)
{
	size_t len = strlen(text);
	char *buf = exact_copy(text, len);
	int r = ward_userdb_parse_passwd(buf, len, name, uid, gid);

	free(buf);
	return r;
}

static int group(const char *text, const char *name, gid_t *gid)
{
	size_t len = strlen(text);
	char *buf = exact_copy(text, len);
	int r = ward_userdb_parse_group(buf, len, name, gid);

	free(buf);
	return r;
}

struct pw_case {
	const char *what;
	const char *text;
	const char *name;
	int ret;
	uid_t uid;
	gid_t gid;
};

static const char sample_passwd[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"apple:x:2000:2001:Apple:/home/apple:/bin/sh\n"
	"app:x:1000:1001::/home/app:/bin/sh\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";

static void test_passwd_cases(void **state)
{
	static const struct pw_case cases[] = {
		{"found", sample_passwd, "app", 0, 1000, 1001},
		{"root", sample_passwd, "root", 0, 0, 0},
		{"longer name listed first", sample_passwd, "apple", 0, 2000, 2001},
		{"last line", sample_passwd, "nobody", 0, 65534, 65534},
		{"absent", sample_passwd, "daemon", -ENOENT, 0, 0},
		{"prefix of a name", sample_passwd, "ap", -ENOENT, 0, 0},
		{"prefix of apple", sample_passwd, "appl", -ENOENT, 0, 0},
		{"extension of a name", sample_passwd, "apples", -ENOENT, 0, 0},
		{"empty name", sample_passwd, "", -ENOENT, 0, 0},
		{"empty file", "", "app", -ENOENT, 0, 0},
		{"no trailing newline", "root:x:0:0::/:/bin/sh\napp:x:7:8::/:/bin/sh",
		 "app", 0, 7, 8},
		{"no trailing newline, short", "app:x:7:8", "app", 0, 7, 8},
		{"blank and comment lines", "\n\n# app:x:1:1\n\napp:x:5:6:::\n",
		 "app", 0, 5, 6},
		{"first entry wins", "app:x:5:6:::\napp:x:7:8:::\n", "app", 0, 5, 6},
		{"uid not a number", "app:x:10a0:1000:::\n", "app", -EINVAL, 0, 0},
		{"gid not a number", "app:x:1000:g:::\n", "app", -EINVAL, 0, 0},
		{"empty uid", "app:x::1000:::\n", "app", -EINVAL, 0, 0},
		{"negative uid", "app:x:-1:1000:::\n", "app", -EINVAL, 0, 0},
		{"uid with space", "app:x: 1000:1000:::\n", "app", -EINVAL, 0, 0},
		{"uid overflows u32", "app:x:4294967296:1:::\n", "app", -EINVAL, 0, 0},
		{"uid 4294967295 is (uid_t)-1", "app:x:4294967295:1:::\n", "app",
		 -EINVAL, 0, 0},
		{"gid 4294967295 is (gid_t)-1", "app:x:1:4294967295:::\n", "app",
		 -EINVAL, 0, 0},
		{"uid 4294967294 is valid", "app:x:4294967294:1:::\n", "app", 0,
		 4294967294u, 1},
		{"too few fields", "app:x:1000\n", "app", -EINVAL, 0, 0},
		{"too many fields", "app:x:1:1:a:b:c:d\n", "app", -EINVAL, 0, 0},
		{"malformed other line is ignored", "bad:x:zz\napp:x:3:4:::\n",
		 "app", 0, 3, 4},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uid_t uid = 11;
		gid_t gid = 12;
		int r = passwd(cases[i].text, cases[i].name, &uid, &gid);

		if (r != cases[i].ret)
			fail_msg("passwd case '%s': %d, want %d", cases[i].what, r,
				 cases[i].ret);
		if (r == 0 && (uid != cases[i].uid || gid != cases[i].gid))
			fail_msg("passwd case '%s': %u:%u, want %u:%u",
				 cases[i].what, uid, gid, cases[i].uid, cases[i].gid);
		if (r != 0 && (uid != 11 || gid != 12))
			fail_msg("passwd case '%s': outputs written on error",
				 cases[i].what);
	}
}

/* @len bounds the parse even when more text follows in memory. */
static void test_passwd_len_bounds(void **state)
{
	const char text[] = "bob:x:5:5::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n";
	uid_t uid;
	gid_t gid;

	assert_int_equal(ward_userdb_parse_passwd(text, 21, "bob", &uid, &gid), 0);
	assert_int_equal(ward_userdb_parse_passwd(text, 21, "app", &uid, &gid),
			 -ENOENT);
	/* Cut inside the gid field: "app:x:1000:10" */
	assert_int_equal(ward_userdb_parse_passwd(text, 34, "app", &uid, &gid), 0);
	assert_int_equal(uid, 1000);
	assert_int_equal(gid, 10);
}

/* An embedded NUL must not make the parser read a different field. */
static void test_passwd_embedded_nul(void **state)
{
	const char text[] = "app:x:1000\0:1000::/:/bin/sh\n";
	uid_t uid;
	gid_t gid;

	assert_int_equal(ward_userdb_parse_passwd(text, sizeof(text) - 1, "app",
						  &uid, &gid), -EINVAL);
}

static char *long_line(const char *head, size_t fill, const char *tail)
{
	size_t h = strlen(head), t = strlen(tail);
	char *s = malloc(h + fill + t + 1);

	assert_non_null(s);
	memcpy(s, head, h);
	memset(s + h, 'g', fill);
	memcpy(s + h + fill, tail, t + 1);
	return s;
}

static void test_passwd_long_lines(void **state)
{
	uid_t uid;
	gid_t gid;
	char *s;

	/* A very long unrelated line is skipped without being copied. */
	s = long_line("other:x:1:1:", 100000, "::\napp:x:42:43:::\n");
	assert_int_equal(passwd(s, "app", &uid, &gid), 0);
	assert_int_equal(uid, 42);
	assert_int_equal(gid, 43);
	free(s);
	/* A matching line a bit under the limit still parses. */
	s = long_line("app:x:42:43:", 900, ":/:/bin/sh\n");
	assert_int_equal(passwd(s, "app", &uid, &gid), 0);
	free(s);
	/* A matching line beyond the parser's buffer is refused, not
	 * truncated. */
	s = long_line("app:x:42:43:", 5000, ":/:/bin/sh\n");
	assert_int_equal(passwd(s, "app", &uid, &gid), -EINVAL);
	free(s);
}

struct gr_case {
	const char *what;
	const char *text;
	const char *name;
	int ret;
	gid_t gid;
};

static const char sample_group[] =
	"root:x:0:\n"
	"adm:x:4:syslog,alice\n"
	"apps:x:3000:\n"
	"app:x:1001:alice\n"
	"nogroup:x:65534:";

static void test_group_cases(void **state)
{
	static const struct gr_case cases[] = {
		{"found", sample_group, "app", 0, 1001},
		{"longer name listed first", sample_group, "apps", 0, 3000},
		{"last line, no newline", sample_group, "nogroup", 0, 65534},
		{"absent", sample_group, "wheel", -ENOENT, 0},
		{"prefix", sample_group, "ap", -ENOENT, 0},
		{"member name is not a group", sample_group, "alice", -ENOENT, 0},
		{"three fields are enough", "app:x:9", "app", 0, 9},
		{"too few fields", "app:x\n", "app", -EINVAL, 0},
		{"empty gid", "app:x::\n", "app", -EINVAL, 0},
		{"gid junk", "app:x:9x:\n", "app", -EINVAL, 0},
		{"gid 4294967295", "app:x:4294967295:\n", "app", -EINVAL, 0},
		{"gid overflow", "app:x:99999999999:\n", "app", -EINVAL, 0},
		{"gid 4294967294", "app:x:4294967294:\n", "app", 0, 4294967294u},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		gid_t gid = 12;
		int r = group(cases[i].text, cases[i].name, &gid);

		if (r != cases[i].ret)
			fail_msg("group case '%s': %d, want %d", cases[i].what, r,
				 cases[i].ret);
		if (r == 0 && gid != cases[i].gid)
			fail_msg("group case '%s': %u, want %u", cases[i].what, gid,
				 cases[i].gid);
		if (r != 0 && gid != 12)
			fail_msg("group case '%s': output written on error",
				 cases[i].what);
	}
}

static void test_group_long_lines(void **state)
{
	gid_t gid;
	char *s;

	/* A long member list under the limit. */
	s = long_line("app:x:77:", 3000, "\n");
	assert_int_equal(group(s, "app", &gid), 0);
	assert_int_equal(gid, 77);
	free(s);
	/* Beyond it: refused, never truncated into a different value. */
	s = long_line("app:x:77:", 10000, "\n");
	assert_int_equal(group(s, "app", &gid), -EINVAL);
	free(s);
}

/* ward_userdb_read: a temporary root with etc/passwd. */
struct root_fixture {
	char dir[64];
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int root_setup(void **state)
{
	struct root_fixture *fx = calloc(1, sizeof(*fx));
	char path[128];

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/ward-userdb-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(path, sizeof(path), "%s/etc", fx->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/passwd", fx->dir);
	write_file(path, "app:x:1000:1000::/:/bin/sh\n");
	*state = fx;
	return 0;
}

static int root_teardown(void **state)
{
	struct root_fixture *fx = *state;
	static const char *const files[] = {
		"etc/passwd", "etc/group", "etc/big", "etc/shadow-link",
		"etc/dotdot-link",
	};
	char path[128];

	for (size_t i = 0; i < N_ELEMS(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", fx->dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/etc", fx->dir);
	rmdir(path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void test_read_in_root(void **state)
{
	struct root_fixture *fx = *state;
	char *buf = NULL;
	size_t len = 0;
	uid_t uid;
	gid_t gid;

	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2);
	assert_int_equal(ward_userdb_read(fx->dir, "etc/passwd", &buf, &len), 0);
	assert_int_equal(len, strlen("app:x:1000:1000::/:/bin/sh\n"));
	assert_int_equal(buf[len], '\0');
	assert_int_equal(ward_userdb_parse_passwd(buf, len, "app", &uid, &gid), 0);
	assert_int_equal(uid, 1000);
	free(buf);
	assert_int_equal(ward_userdb_read(fx->dir, "etc/group", &buf, &len),
			 -ENOENT);
}

/* Symlinks are resolved inside the root: an absolute link or ".." cannot
 * reach the host's files. */
static void test_read_symlink_stays_in_root(void **state)
{
	struct root_fixture *fx = *state;
	char path[128];
	char *buf = NULL;
	size_t len = 0;

	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2);
	snprintf(path, sizeof(path), "%s/etc/shadow-link", fx->dir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	assert_int_equal(ward_userdb_read(fx->dir, "etc/shadow-link", &buf, &len),
			 -ENOENT);
	snprintf(path, sizeof(path), "%s/etc/dotdot-link", fx->dir);
	assert_int_equal(symlink("../../../../../../etc/passwd", path), 0);
	/* Clamped to <root>/etc/passwd: the root's own file, not the host's. */
	assert_int_equal(ward_userdb_read(fx->dir, "etc/dotdot-link", &buf, &len),
			 0);
	assert_string_equal(buf, "app:x:1000:1000::/:/bin/sh\n");
	free(buf);
}

static void test_read_too_big(void **state)
{
	struct root_fixture *fx = *state;
	char path[128];
	char *buf = NULL;
	size_t len = 0;
	int fd;

	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2);
	snprintf(path, sizeof(path), "%s/etc/big", fx->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (4 << 20) + 1), 0);
	close(fd);
	assert_int_equal(ward_userdb_read(fx->dir, "etc/big", &buf, &len), -EFBIG);
	assert_null(buf);
	/* Just under the limit is read whole. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (4 << 20) - 1), 0);
	close(fd);
	assert_int_equal(ward_userdb_read(fx->dir, "etc/big", &buf, &len), 0);
	assert_int_equal(len, (4 << 20) - 1);
	free(buf);
	/* Exactly the limit is read whole too. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 4 << 20), 0);
	close(fd);
	buf = NULL;
	assert_int_equal(ward_userdb_read(fx->dir, "etc/big", &buf, &len), 0);
	assert_int_equal(len, 4 << 20);
	free(buf);
}

/* A file longer than its size says (a /proc file says 0): read whole,
 * the buffer grown as it is read. */
static void test_read_past_stated_size(void **state)
{
	int fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	size_t len = 0;

	assert_true(fd >= 0);
	assert_int_equal(ward_userdb_read_fd(fd, &buf, &len), 0);
	close(fd);
	assert_true(len > 8192); /* past the first page and a doubling */
	assert_int_equal(strlen(buf), len);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passwd_cases),
		cmocka_unit_test(test_passwd_len_bounds),
		cmocka_unit_test(test_passwd_embedded_nul),
		cmocka_unit_test(test_passwd_long_lines),
		cmocka_unit_test(test_group_cases),
		cmocka_unit_test(test_group_long_lines),
		cmocka_unit_test_setup_teardown(test_read_in_root, root_setup,
						root_teardown),
		cmocka_unit_test_setup_teardown(test_read_symlink_stays_in_root,
						root_setup, root_teardown),
		cmocka_unit_test_setup_teardown(test_read_too_big, root_setup,
						root_teardown),
		cmocka_unit_test(test_read_past_stated_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
