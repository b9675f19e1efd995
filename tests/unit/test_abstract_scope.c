/* The abstract-socket scope (launch/confine.c, kernel/landlock.c): when
 * it is asked for (the host's network namespace: --net host, entrypoint
 * mode; not with 'abstract-sockets host'), what ruleset that makes, its
 * refusal below ABI 6 unless 'landlock optional', and from inside a real
 * child: the host's abstract socket is EPERM, the program's own is not.
 *
 * The landlock wrappers (test_abstract_scope.wrap) answer the VERSION
 * query with k.abi when set, and with k.fake make no landlock syscall at
 * all (the ruleset is /dev/null), recording what was asked. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/err.h"
#include "launch/confine.h"
#include "kernel/landlock.h"
#include "plan/plan.h"

#include "under_valgrind.h"

#define SCOPE_ABSTRACT (1ULL << 0)
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static struct {
	bool fake;
	int abi;
	int ncreate, nrestrict;
	size_t attr_size;
	uint64_t handled_fs, handled_net, scoped;
} k;

int __real_sys_landlock_create_ruleset(const void *attr, size_t size, uint32_t flags);
int __wrap_sys_landlock_create_ruleset(const void *attr, size_t size, uint32_t flags);
int __real_sys_landlock_add_rule(int fd, int type, const void *attr, uint32_t flags);
int __wrap_sys_landlock_add_rule(int fd, int type, const void *attr, uint32_t flags);
int __real_sys_landlock_restrict_self(int fd, uint32_t flags);
int __wrap_sys_landlock_restrict_self(int fd, uint32_t flags);

int __wrap_sys_landlock_create_ruleset(const void *attr, size_t size, uint32_t flags)
{
	uint64_t h[3] = {0, 0, 0};

	if (!attr && k.abi > 0)
		return k.abi;
	if (!attr)
		return k.fake ? 7 : __real_sys_landlock_create_ruleset(attr, size, flags);
	k.ncreate++;
	k.attr_size = size;
	memcpy(h, attr, size < sizeof(h) ? size : sizeof(h));
	k.handled_fs = h[0];
	k.handled_net = h[1];
	k.scoped = h[2];
	if (k.fake)
		return open("/dev/null", O_RDONLY | O_CLOEXEC);
	return __real_sys_landlock_create_ruleset(attr, size, flags);
}

int __wrap_sys_landlock_add_rule(int fd, int type, const void *attr, uint32_t flags)
{
	return k.fake ? 0 : __real_sys_landlock_add_rule(fd, type, attr, flags);
}

int __wrap_sys_landlock_restrict_self(int fd, uint32_t flags)
{
	k.nrestrict++;
	return k.fake ? 0 : __real_sys_landlock_restrict_self(fd, flags);
}

static void k_reset(bool fake, int abi)
{
	memset(&k, 0, sizeof(k));
	k.fake = fake;
	k.abi = abi;
}

/* Asked for exactly where the network namespace may be the host's. */
static void test_wanted(void **state)
{
	static const struct {
		enum ward_net net;
		bool entrypoint, opt_out, want;
	} cases[] = {
		{WARD_NET_HOST, false, false, true},
		{WARD_NET_HOST, false, true, false},
		{WARD_NET_LOOPBACK, true, false, true}, /* entrypoint: may be host */
		{WARD_NET_LOOPBACK, true, true, false},
		{WARD_NET_LOOPBACK, false, false, false},
		{WARD_NET_NONE, false, false, false},
		{WARD_NET_VETH, false, false, false},
	};
	static struct ward_plan plan;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		plan.net = cases[i].net;
		plan.abstract_sockets_host = cases[i].opt_out;
		if (ward_confine_abstract_scope(&plan, cases[i].entrypoint) != cases[i].want)
			fail_msg("case %zu: want %d", i, cases[i].want);
		/* --net host alone now asks for Landlock */
		if (!cases[i].entrypoint &&
		    ward_confine_wanted(&plan, false) != cases[i].want)
			fail_msg("case %zu: ward_confine_wanted", i);
	}
}

/* --net host on ABI 7: one 24-byte ruleset scoping abstract sockets and
 * handling nothing else. */
static void test_fake_net_host(void **state)
{
	static struct ward_plan plan;
	struct ward_err err = {0};
	bool applied = false;

	k_reset(true, 7);
	plan.net = WARD_NET_HOST;
	assert_int_equal(ward_confine_apply(&plan, false, &applied, &err), 0);
	assert_true(applied);
	assert_int_equal(k.ncreate, 1);
	assert_int_equal(k.attr_size, 24);
	assert_true(k.scoped == SCOPE_ABSTRACT);
	assert_true(k.handled_fs == 0 && k.handled_net == 0);
	assert_int_equal(k.nrestrict, 1);

	/* The opt-out: nothing asked, no ruleset. */
	k_reset(true, 7);
	plan.abstract_sockets_host = true;
	assert_int_equal(ward_confine_apply(&plan, false, &applied, &err), 0);
	assert_false(applied);
	assert_int_equal(k.ncreate + k.nrestrict, 0);
	plan.abstract_sockets_host = false;
}

/* Below ABI 6: refused, naming the ways out, before any ruleset; with
 * 'landlock optional' the rest applies without the scope. */
static void test_fake_old_abi(void **state)
{
	static struct ward_plan plan;
	struct ward_err err = {0};
	bool applied = true;

	k_reset(true, 5);
	plan.net = WARD_NET_HOST;
	assert_int_equal(ward_confine_apply(&plan, false, &applied, &err), -EOPNOTSUPP);
	assert_int_equal(err.step, WARD_STEP_LANDLOCK);
	assert_non_null(strstr(err.msg, "needs ABI 6 (Linux 6.12) and this kernel has ABI 5"));
	assert_non_null(strstr(err.msg, "'abstract-sockets host'"));
	assert_non_null(strstr(err.msg, "'landlock optional'"));
	assert_int_equal(k.ncreate + k.nrestrict, 0);

	k_reset(true, 5);
	plan.landlock_optional = true;
	assert_int_equal(ward_confine_apply(&plan, false, &applied, &err), 0);
	assert_false(applied);
	assert_int_equal(k.ncreate + k.nrestrict, 0);

	k_reset(true, 5);
	plan.tcp_connect_set = true; /* "none": no port */
	assert_int_equal(ward_confine_apply(&plan, false, &applied, &err), 0);
	assert_true(applied);
	assert_int_equal(k.ncreate, 1);
	assert_int_equal(k.attr_size, 16); /* no scope asked */
	assert_true(k.scoped == 0);
}

/* ---- the real kernel ---------------------------------------------------- */

static socklen_t abstract_addr(struct sockaddr_un *sa, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static int listen_abstract(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, name);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, 8) < 0)
		return -1;
	return fd;
}

static int connect_errno(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, name);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), e = 0;

	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&sa, len) < 0)
		e = errno;
	close(fd);
	return e;
}

/* In a child with no_new_privs: the plan's Landlock, then what it can
 * reach.  Exit status: the number of failed checks. */
static int reach_child(const struct ward_plan *plan, const char *host_name,
		       int want)
{
	struct ward_err err = {0};
	char own[64];
	bool applied;
	int bad = 0, fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    ward_confine_apply(plan, false, &applied, &err) < 0) {
		fprintf(stderr, "child: %s\n", err.msg);
		return 50;
	}
	if (connect_errno(host_name) != want) {
		fprintf(stderr, "child: the outside socket: %s, want %s\n",
			strerror(connect_errno(host_name)), strerror(want));
		bad++;
	}
	snprintf(own, sizeof(own), "ward-test-own-%d", (int)getpid());
	fd = listen_abstract(own);
	if (fd < 0 || connect_errno(own) != 0) {
		fprintf(stderr, "child: its own abstract socket is not reachable\n");
		bad++;
	}
	if (fd >= 0)
		close(fd);
	return bad;
}

static int run_reach(const struct ward_plan *plan, const char *name, int want)
{
	int status = 0;
	pid_t pid;

	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(reach_child(plan, name, want));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_real(void **state)
{
	static struct ward_plan plan;
	char name[64];
	int fd;

	SKIP_UNDER_VALGRIND("needs the landlock syscalls, which valgrind lacks");
	k_reset(false, 0);
	if (ward_landlock_abi() < WARD_LANDLOCK_ABI_SCOPE) {
		print_message("skipped: needs Landlock ABI 6, kernel has %d\n",
			      ward_landlock_abi());
		skip();
	}
	snprintf(name, sizeof(name), "containerd-shim/ward-test-%d.sock", (int)getpid());
	fd = listen_abstract(name);
	assert_true(fd >= 0);
	plan.net = WARD_NET_HOST;
	assert_int_equal(run_reach(&plan, name, EPERM), 0);
	plan.abstract_sockets_host = true;
	assert_int_equal(run_reach(&plan, name, 0), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wanted),
		cmocka_unit_test(test_fake_net_host),
		cmocka_unit_test(test_fake_old_abi),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
