/* mountinfo.c: reading the host's mount table.  Parsing is in place and
 * unbounded, and a line that does not parse stops the walk: a skipped
 * line could be the kernel file system or engine socket being looked
 * for. */
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
#include <unistd.h>
#include <cmocka.h>

#include "kernel/mountinfo.h"

static void expect_entry(const char *text, const char *root, const char *mnt,
			 const char *fstype)
{
	char *line = strdup(text);
	struct ward_mount_entry m;

	assert_non_null(line);
	assert_int_equal(ward_mountinfo_parse(line, &m), 0);
	assert_string_equal(m.root, root);
	assert_string_equal(m.mnt, mnt);
	assert_string_equal(m.fstype, fstype);
	free(line);
}

static void test_parse_fields(void **state)
{
	(void)state;
	expect_entry("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n",
		     "/mnt1", "/mnt2", "ext3");
	/* no optional fields; none of several */
	expect_entry("22 1 0:21 / /proc rw,nosuid - proc proc rw", "/", "/proc", "proc");
	expect_entry("30 22 0:25 / /sys/fs/cgroup ro shared:9 master:3 unbindable - cgroup2 cgroup2 rw",
		     "/", "/sys/fs/cgroup", "cgroup2");
}

static void test_parse_unescapes(void **state)
{
	(void)state;
	expect_entry("40 22 0:30 /a\\040b /srv/x\\040y\\011z\\012n\\134 rw - tmp\\040fs none rw",
		     "/a b", "/srv/x y\tz\nn\\", "tmp fs");
	/* not an escape: kept as written */
	expect_entry("40 22 0:30 / /srv/\\9\\04x\\ rw - tmpfs none rw", "/",
		     "/srv/\\9\\04x\\", "tmpfs");
}

static void test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"22 1 0:21 / /proc rw,nosuid proc proc rw",   /* no " - " */
		"22 1 0:21 / - proc proc rw",                  /* no mount point */
		"22 1 - proc proc rw",
		"22 1 0:21 / /proc rw - ",                     /* no type */
		"22 1 0:21 / /x\\000y rw - proc proc rw",      /* escaped NUL */
		"22 1 0:21  /proc rw - proc proc rw",          /* empty root */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *line = strdup(bad[i]);
		struct ward_mount_entry m;

		assert_non_null(line);
		if (ward_mountinfo_parse(line, &m) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
		free(line);
	}
}

static void test_parse_line_buffers(void **state)
{
	const char *line = "22 1 0:21 / /proc rw - proc proc rw";
	char mnt[6], type[8];

	(void)state;
	assert_int_equal(ward_mountinfo_parse_line(line, mnt, sizeof(mnt), type,
						   sizeof(type)), 0);
	assert_string_equal(mnt, "/proc");
	assert_string_equal(type, "proc");
	assert_int_equal(ward_mountinfo_parse_line(line, mnt, 5, type,
						   sizeof(type)), -EINVAL);
	assert_int_equal(ward_mountinfo_parse_line(line, mnt, sizeof(mnt), type,
						   4), -EINVAL);
}

struct seen {
	unsigned n;
	char mnt[4][20000];
	char type[4][16];
	unsigned stop_at; /* return -EPERM on this entry (1-based), 0: never */
};

static int record(const struct ward_mount_entry *m, void *p, struct ward_err *err)
{
	struct seen *s = p;

	(void)err;
	if (s->n < 4) {
		snprintf(s->mnt[s->n], sizeof(s->mnt[0]), "%s", m->mnt);
		snprintf(s->type[s->n], sizeof(s->type[0]), "%s", m->fstype);
	}
	return ++s->n == s->stop_at ? -EPERM : 0;
}

static int walk_text(const char *text, struct seen *s, struct ward_err *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	assert_non_null(f);
	r = ward_mountinfo_each_in(f, "test-mountinfo", record, s, WARD_STEP_PLAN, err);
	fclose(f);
	return r;
}

/* A line longer than any fixed buffer is read whole: its type is seen,
 * and its continuation is not taken for a line of its own. */
static void test_each_reads_long_lines(void **state)
{
	size_t spaces = 3000;
	char *text = malloc(spaces * 4 + 256), *p = text;
	struct seen *s = calloc(1, sizeof(*s));
	struct ward_err err = {0};

	(void)state;
	assert_non_null(text);
	assert_non_null(s);
	p += sprintf(p, "1 0 0:1 / / rw - ext4 /dev/sda1 rw\n50 1 0:5 / /srv/");
	for (size_t i = 0; i < spaces; i++)
		p += sprintf(p, "\\040");
	sprintf(p, " rw,nosuid - proc proc rw\n2 1 0:2 / /tmp rw - tmpfs tmpfs rw\n");
	assert_int_equal(walk_text(text, s, &err), 0);
	assert_int_equal(s->n, 3);
	assert_string_equal(s->type[1], "proc");
	assert_int_equal(strlen(s->mnt[1]), strlen("/srv/") + spaces);
	assert_string_equal(s->mnt[2], "/tmp");
	free(text);
	free(s);
}

static void test_each_refuses_unparsable_line(void **state)
{
	struct seen *s = calloc(1, sizeof(*s));
	struct ward_err err = {0};

	(void)state;
	assert_non_null(s);
	assert_true(walk_text("1 0 0:1 / / rw - ext4 /dev/sda1 rw\n"
			      "garbage without the separator\n"
			      "22 1 0:21 / /proc rw - proc proc rw\n", s, &err) < 0);
	assert_int_equal(s->n, 1); /* the mount after it was never reached */
	assert_int_equal(err.step, WARD_STEP_PLAN);
	assert_non_null(strstr(err.msg, "test-mountinfo: line 2 is not a mount entry"));
	free(s);
}

static void test_each_stops_when_told(void **state)
{
	struct seen *s = calloc(1, sizeof(*s));
	struct ward_err err = {0};

	(void)state;
	assert_non_null(s);
	s->stop_at = 2;
	assert_int_equal(walk_text("1 0 0:1 / / rw - ext4 a rw\n"
				   "2 1 0:2 / /a rw - tmpfs b rw\n"
				   "3 1 0:3 / /b rw - tmpfs c rw\n", s, &err), -EPERM);
	assert_int_equal(s->n, 2);
	free(s);
}

/* The real table parses, every line of it. */
static void test_each_reads_this_host(void **state)
{
	struct seen *s = calloc(1, sizeof(*s));
	struct ward_err err = {0};

	(void)state;
	assert_non_null(s);
	assert_int_equal(ward_mountinfo_each(record, s, WARD_STEP_PLAN, &err), 0);
	assert_true(s->n > 0);
	assert_int_equal(s->mnt[0][0], '/');
	free(s);
}

/* By the file system an object is on, wherever that is mounted. */
static void test_refuse_fs_of(void **state)
{
	struct ward_err err = {0};
	int fd;

	(void)state;
	assert_string_equal(ward_mountinfo_magic_forbidden(0x9fa0), "proc");
	assert_string_equal(ward_mountinfo_magic_forbidden(0x62656572), "sysfs");
	assert_null(ward_mountinfo_magic_forbidden(0x01021994)); /* tmpfs */
	fd = open("/proc/self", O_PATH | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_true(ward_mountinfo_refuse_fs_of(fd, "/proc/self", WARD_STEP_BINDS, &err) < 0);
	assert_int_equal(err.step, WARD_STEP_BINDS);
	assert_non_null(strstr(err.msg, "/proc/self is on a proc file system"));
	close(fd);
	fd = open("/", O_PATH | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ward_mountinfo_refuse_fs_of(fd, "/", WARD_STEP_BINDS, &err), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_parse_unescapes),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_parse_line_buffers),
		cmocka_unit_test(test_each_reads_long_lines),
		cmocka_unit_test(test_each_refuses_unparsable_line),
		cmocka_unit_test(test_each_stops_when_told),
		cmocka_unit_test(test_each_reads_this_host),
		cmocka_unit_test(test_refuse_fs_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
