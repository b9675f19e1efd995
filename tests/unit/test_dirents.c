/* base/dirents.c: a directory's entries from getdents64, across several
 * answers, with their types, without "." and "..", and its errors. */
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

#include "base/dirents.h"

/* Enough long names that one buffer cannot hold them all. */
#define NFILES 1500

static char dir[] = "/tmp/ward-dirents.XXXXXX";

static int make_tree(void **state)
{
	char name[300];

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	for (int i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "%s/file-%04d-%0200d", dir, i, 0);
		int fd = open(name, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);

		if (fd < 0)
			return -1;
		close(fd);
	}
	snprintf(name, sizeof(name), "%s/sub", dir);
	return mkdir(name, 0700);
}

static int remove_tree(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_every_entry_once(void **state)
{
	static unsigned char seen[NFILES];
	char *buf = malloc(WARD_DIRENTS_BUF_SIZE);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const struct dirent64 *e;
	struct ward_dirents d;
	int files = 0, subs = 0;

	(void)state;
	assert_non_null(buf);
	assert_true(fd >= 0);
	ward_dirents_open(&d, fd, buf);
	while ((e = ward_dirents_next(&d))) {
		int i;

		assert_string_not_equal(e->d_name, ".");
		assert_string_not_equal(e->d_name, "..");
		if (strcmp(e->d_name, "sub") == 0) {
			assert_int_equal(e->d_type, DT_DIR);
			subs++;
			continue;
		}
		assert_int_equal(sscanf(e->d_name, "file-%4d-", &i), 1);
		assert_true(i >= 0 && i < NFILES);
		assert_int_equal(seen[i]++, 0);
		assert_int_equal(e->d_type, DT_REG);
		files++;
	}
	assert_int_equal(d.error, 0);
	assert_int_equal(files, NFILES);
	assert_int_equal(subs, 1);
	/* at the end it stays at the end */
	assert_null(ward_dirents_next(&d));
	assert_int_equal(d.error, 0);
	close(fd);
	free(buf);
}

static void test_not_a_directory(void **state)
{
	char *buf = malloc(WARD_DIRENTS_BUF_SIZE);
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct ward_dirents d;

	(void)state;
	assert_true(fd >= 0);
	ward_dirents_open(&d, fd, buf);
	assert_null(ward_dirents_next(&d));
	assert_int_equal(d.error, ENOTDIR);
	close(fd);
	free(buf);
}

static void test_empty_directory(void **state)
{
	char *buf = malloc(WARD_DIRENTS_BUF_SIZE), sub[64];
	struct ward_dirents d;
	int fd;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	fd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	ward_dirents_open(&d, fd, buf);
	assert_null(ward_dirents_next(&d));
	assert_int_equal(d.error, 0);
	close(fd);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entry_once),
		cmocka_unit_test(test_not_a_directory),
		cmocka_unit_test(test_empty_directory),
	};

	return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
