/* The seccomp filter cache: an entry is used only when every check
 * passes, and anything else falls back to a fresh build. */
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

#include "seccomp/seccomp.h"
#include "seccomp/cache.h"
#include "under_valgrind.h"

#define POLICY "ward-seccomp 1\ndefault errno=EPERM\nallow @default execve\n"

struct fixture {
	char dir[64];     /* WARD_CACHE_DIR */
	char sub[96];     /* its seccomp/ */
	char policy[96];  /* a policy file */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int fd;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/ward-cache-test.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->sub, sizeof(f->sub), "%s/seccomp", f->dir);
	snprintf(f->policy, sizeof(f->policy), "%s/test.policy", f->dir);
	fd = open(f->policy, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write(fd, POLICY, strlen(POLICY)) != (ssize_t)strlen(POLICY))
		return -1;
	close(fd);
	setenv("WARD_CACHE_DIR", f->dir, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	unsetenv("WARD_CACHE_DIR");
	free(f);
	return 0;
}

static struct ward_seccomp_source file_source(const struct fixture *f)
{
	return (struct ward_seccomp_source){.mode = WARD_SECCOMP_FILE,
					    .path = f->policy};
}

/* Build through the cache; returns what the cache did. */
static enum ward_seccomp_cache_use build(const struct ward_seccomp_source *src,
					 struct sock_fprog *out)
{
	enum ward_seccomp_cache_use use;
	struct ward_err err = {0};

	assert_int_equal(ward_seccomp_build_cached(src, out, &use, &err), 0);
	assert_true(out->len > 0);
	return use;
}

/* The only entry in the cache directory, as a path in @buf. */
static void entry_path(const struct fixture *f, char *buf, size_t len)
{
	char cmd[200];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls %s/*.bpf", f->sub);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(buf, (int)len, p));
	buf[strcspn(buf, "\n")] = '\0';
	pclose(p);
}

static void assert_same_program(const struct sock_fprog *a,
				const struct sock_fprog *b)
{
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->filter, b->filter, a->len * sizeof(*a->filter));
}

static void test_store_then_hit(void **state)
{
	struct fixture *f = *state;
	struct ward_seccomp_source src = file_source(f);
	struct sock_fprog fresh = {0}, again = {0};
	char path[256];
	struct stat st;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);

	assert_int_equal(build(&src, &fresh), WARD_SECCOMP_CACHE_STORED);
	assert_int_equal(build(&src, &again), WARD_SECCOMP_CACHE_HIT);
	assert_same_program(&fresh, &again);
	/* Private: the directory 0700, the entry 0600, both ours. */
	assert_int_equal(stat(f->sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	entry_path(f, path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_uid, geteuid());
	ward_seccomp_free(&fresh);
	ward_seccomp_free(&again);
}

/* A changed policy, addition or option is a different recipe. */
static void test_recipe_covers_every_input(void **state)
{
	struct fixture *f = *state;
	struct ward_seccomp_source a = file_source(f), b = a;
	size_t la, lb;
	char *ra = ward_seccomp_cache_recipe(&a, "id\n", POLICY, strlen(POLICY), &la);
	char *rb;

	assert_non_null(ra);
	rb = ward_seccomp_cache_recipe(&b, "id2\n", POLICY, strlen(POLICY), &lb);
	assert_false(la == lb && memcmp(ra, rb, la) == 0);
	free(rb);
	rb = ward_seccomp_cache_recipe(&b, "id\n", POLICY "allow acct\n",
				       strlen(POLICY) + 11, &lb);
	assert_false(la == lb && memcmp(ra, rb, la) == 0);
	free(rb);
	b.log_only = true;
	rb = ward_seccomp_cache_recipe(&b, "id\n", POLICY, strlen(POLICY), &lb);
	assert_false(la == lb && memcmp(ra, rb, la) == 0);
	free(rb);
	b = a;
	b.overlay = "ward-seccomp 1\nallow execve\ndeny acct\n";
	rb = ward_seccomp_cache_recipe(&b, "id\n", POLICY, strlen(POLICY), &lb);
	assert_false(la == lb && memcmp(ra, rb, la) == 0);
	free(rb);
	b = a;
	b.caps = 1;
	rb = ward_seccomp_cache_recipe(&b, "id\n", POLICY, strlen(POLICY), &lb);
	assert_false(la == lb && memcmp(ra, rb, la) == 0);
	free(rb);
	free(ra);
}

/* An edited policy file is rebuilt, not served from the old entry. */
static void test_edited_policy_is_rebuilt(void **state)
{
	struct fixture *f = *state;
	struct ward_seccomp_source src = file_source(f);
	struct sock_fprog p1 = {0}, p2 = {0};
	FILE *pf;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);

	assert_int_equal(build(&src, &p1), WARD_SECCOMP_CACHE_STORED);
	pf = fopen(f->policy, "a");
	assert_non_null(pf);
	fputs("allow acct\n", pf);
	fclose(pf);
	assert_int_equal(build(&src, &p2), WARD_SECCOMP_CACHE_STORED);
	assert_false(p1.len == p2.len &&
		     memcmp(p1.filter, p2.filter, p1.len * sizeof(*p1.filter)) == 0);
	ward_seccomp_free(&p1);
	ward_seccomp_free(&p2);
}

/* Each way an entry can be wrong: it is not used, the build replaces it. */
static void test_bad_entries_are_rebuilt(void **state)
{
	struct fixture *f = *state;
	struct ward_seccomp_source src = file_source(f);
	struct sock_fprog good = {0};
	char path[256], other[300];
	struct stat st;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);

	assert_int_equal(build(&src, &good), WARD_SECCOMP_CACHE_STORED);
	entry_path(f, path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);

	for (int how = 0; how < 7; how++) {
		struct sock_fprog p = {0};
		int fd = open(path, O_RDWR);
		char c;

		assert_true(fd >= 0);
		switch (how) {
		case 0: /* mode 0644 */
			assert_int_equal(fchmod(fd, 0644), 0);
			break;
		case 1: /* owned by someone else (root can give it away) */
			if (geteuid() != 0) {
				close(fd);
				continue;
			}
			assert_int_equal(fchown(fd, 12345, 12345), 0);
			break;
		case 2: /* truncated by one instruction */
			assert_int_equal(ftruncate(fd, st.st_size - 8), 0);
			break;
		case 3: /* one byte of the program flipped */
			assert_int_equal(pread(fd, &c, 1, st.st_size - 3), 1);
			c ^= 0x40;
			assert_int_equal(pwrite(fd, &c, 1, st.st_size - 3), 1);
			break;
		case 4: /* one byte of the recipe changed */
			assert_int_equal(pwrite(fd, "X", 1, 3), 1);
			break;
		case 5: /* a second link */
			snprintf(other, sizeof(other), "%s.link", path);
			assert_int_equal(link(path, other), 0);
			break;
		case 6: /* a symlink in its place */
			close(fd);
			fd = -1;
			snprintf(other, sizeof(other), "%s.real", path);
			assert_int_equal(rename(path, other), 0);
			assert_int_equal(symlink(other, path), 0);
			break;
		}
		if (fd >= 0)
			close(fd);
		assert_int_equal(build(&src, &p), WARD_SECCOMP_CACHE_STORED);
		assert_same_program(&good, &p);
		ward_seccomp_free(&p);
		if (how == 5 || how == 6)
			unlink(other);
		assert_int_equal(build(&src, &p), WARD_SECCOMP_CACHE_HIT);
		ward_seccomp_free(&p);
	}
	ward_seccomp_free(&good);
}

/* A directory others can write to, or "off": built every time. */
static void test_unusable_directory(void **state)
{
	struct fixture *f = *state;
	struct ward_seccomp_source src = file_source(f);
	struct sock_fprog p = {0};

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);

	assert_int_equal(build(&src, &p), WARD_SECCOMP_CACHE_STORED);
	ward_seccomp_free(&p);
	assert_int_equal(chmod(f->sub, 0770), 0);
	assert_int_equal(build(&src, &p), WARD_SECCOMP_CACHE_UNUSABLE);
	ward_seccomp_free(&p);
	assert_int_equal(chmod(f->sub, 0700), 0);
	if (geteuid() == 0) { /* a directory someone else owns */
		assert_int_equal(chown(f->sub, 12345, 12345), 0);
		assert_int_equal(build(&src, &p), WARD_SECCOMP_CACHE_UNUSABLE);
		ward_seccomp_free(&p);
	}
	setenv("WARD_CACHE_DIR", "off", 1);
	assert_int_equal(build(&src, &p), WARD_SECCOMP_CACHE_UNUSABLE);
	ward_seccomp_free(&p);
	setenv("WARD_CACHE_DIR", "relative/dir", 1);
	assert_int_equal(build(&src, &p), WARD_SECCOMP_CACHE_UNUSABLE);
	ward_seccomp_free(&p);
}

/* Which paths a read-write bind may not take: the cache, inside it, or
 * a directory that holds it. */
static void test_exposed_paths(void **state)
{
	struct fixture *f = *state;
	char inside[160];

	(void)state;
	snprintf(inside, sizeof(inside), "%s/x.bpf", f->sub);
	assert_true(ward_seccomp_cache_exposed(f->dir));
	assert_true(ward_seccomp_cache_exposed(f->sub));
	assert_true(ward_seccomp_cache_exposed(inside));
	assert_true(ward_seccomp_cache_exposed("/"));
	assert_false(ward_seccomp_cache_exposed("/usr"));
	setenv("WARD_CACHE_DIR", "off", 1);
	assert_false(ward_seccomp_cache_exposed(f->dir));
}

/* WARD_CACHE_DIR through a symlink, before the cache exists: the bind
 * of the real place is still caught. */
static void test_exposed_through_symlink_before_creation(void **state)
{
	struct fixture *f = *state;
	char real[128], link[128], sub[160];

	snprintf(real, sizeof(real), "%s/real", f->dir);
	snprintf(link, sizeof(link), "%s/link", f->dir);
	snprintf(sub, sizeof(sub), "%s/seccomp", real);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, link), 0);
	setenv("WARD_CACHE_DIR", link, 1);
	assert_true(ward_seccomp_cache_exposed(real));
	assert_true(ward_seccomp_cache_exposed(sub));
	assert_true(ward_seccomp_cache_exposed(link));
	assert_false(ward_seccomp_cache_exposed("/usr"));
	setenv("WARD_CACHE_DIR", f->dir, 1);
	unlink(link);
	rmdir(real);
}

/* No filter, nothing to cache. */
static void test_off_skips_cache(void **state)
{
	struct ward_seccomp_source src = {.mode = WARD_SECCOMP_OFF};
	enum ward_seccomp_cache_use use = WARD_SECCOMP_CACHE_HIT;
	struct sock_fprog p = {0};
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_seccomp_build_cached(&src, &p, &use, &err), 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(use, WARD_SECCOMP_CACHE_NONE);
}

/* A broken policy is an error with or without a cache entry. */
static void test_bad_policy_still_fails(void **state)
{
	struct fixture *f = *state;
	struct ward_seccomp_source src = file_source(f);
	enum ward_seccomp_cache_use use;
	struct sock_fprog p = {0};
	struct ward_err err = {0};
	FILE *pf = fopen(f->policy, "a");

	assert_non_null(pf);
	fputs("allow no_such_syscall_x\n", pf);
	fclose(pf);
	assert_true(ward_seccomp_build_cached(&src, &p, &use, &err) < 0);
	assert_int_equal(err.step, WARD_STEP_SECCOMP_BUILD);
	assert_non_null(strstr(err.msg, "test.policy:4:"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_store_then_hit),
		T(test_recipe_covers_every_input),
		T(test_edited_policy_is_rebuilt),
		T(test_bad_entries_are_rebuilt),
		T(test_unusable_directory),
		T(test_off_skips_cache),
		T(test_exposed_paths),
		T(test_exposed_through_symlink_before_creation),
		T(test_bad_policy_still_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
