/* sync.c: the parent/child protocol over a real SOCK_SEQPACKET pair. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "launch/sync.h"

struct pair {
	int parent, child;
};

static int pair_setup(void **state)
{
	struct pair *p = malloc(sizeof(*p));
	struct ward_err err = {0};
	int fds[2];

	assert_non_null(p);
	assert_int_equal(ward_sync_pair(fds, &err), 0);
	p->parent = fds[0];
	p->child = fds[1];
	*state = p;
	return 0;
}

static void close_end(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int pair_teardown(void **state)
{
	struct pair *p = *state;

	close_end(&p->parent);
	close_end(&p->child);
	free(p);
	return 0;
}

static void test_pair_is_seqpacket_cloexec(void **state)
{
	struct pair *p = *state;
	int type = 0;
	socklen_t len = sizeof(type);

	assert_int_equal(getsockopt(p->parent, SOL_SOCKET, SO_TYPE, &type, &len), 0);
	assert_int_equal(type, SOCK_SEQPACKET);
	assert_true(fcntl(p->parent, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(p->child, F_GETFD) & FD_CLOEXEC);
}

static void test_go_roundtrip(void **state)
{
	struct pair *p = *state;
	struct ward_err err = {0};

	assert_int_equal(ward_sync_send_go(p->parent, -1, &err), 0);
	assert_int_equal(err.step, WARD_STEP_NONE); /* untouched on success */
	assert_int_equal(ward_sync_wait_go(p->child, NULL), 0);
}

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* sync 1 carries the launcher's /proc/<pid>/status: the child gets a
 * close-on-exec descriptor of the same open file. */
static void test_go_carries_descriptor(void **state)
{
	struct pair *p = *state;
	struct ward_err err = {0};
	struct stat a, b;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC), got = -2;

	assert_true(fd >= 0);
	assert_int_equal(ward_sync_send_go(p->parent, fd, &err), 0);
	assert_int_equal(ward_sync_wait_go(p->child, &got), 0);
	assert_true(got >= 0 && got != fd);
	assert_true(fcntl(got, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(fstat(fd, &a), 0);
	assert_int_equal(fstat(got, &b), 0);
	assert_true(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
	close(got);
	/* A "go" without one leaves -1; one that is not wanted is closed. */
	assert_int_equal(ward_sync_send_go(p->parent, -1, &err), 0);
	assert_int_equal(ward_sync_wait_go(p->child, &got), 0);
	assert_int_equal(got, -1);
	{
		int before = count_fds();

		assert_int_equal(ward_sync_send_go(p->parent, fd, &err), 0);
		assert_int_equal(ward_sync_wait_go(p->child, NULL), 0);
		assert_int_equal(count_fds(), before); /* the one that came is closed */
	}
	close(fd);
}

/* sync 1: the parent died or gave up before "go": the child must stop. */
static void test_wait_go_eof(void **state)
{
	struct pair *p = *state;

	close_end(&p->parent);
	assert_int_equal(ward_sync_wait_go(p->child, NULL), -EPIPE);
}

static void test_wait_go_wrong_record(void **state)
{
	struct pair *p = *state;
	struct ward_err e = {.step = WARD_STEP_USERNS, .errnum = EPERM};

	/* An error record is not "go". */
	ward_sync_send_error(p->parent, &e);
	assert_int_equal(ward_sync_wait_go(p->child, NULL), -EPIPE);
	/* Nor is a short datagram. */
	assert_int_equal(send(p->parent, "ward", 4, 0), 4);
	assert_int_equal(ward_sync_wait_go(p->child, NULL), -EPIPE);
}

static void test_send_go_to_closed_peer(void **state)
{
	struct pair *p = *state;
	struct ward_err err = {0};

	close_end(&p->child);
	/* MSG_NOSIGNAL: an error, not a SIGPIPE that kills the launcher. */
	assert_int_equal(ward_sync_send_go(p->parent, -1, &err), -EPIPE);
	assert_int_equal(err.step, WARD_STEP_SYNC);
	assert_int_equal(err.errnum, EPIPE);
}

static void test_error_roundtrip(void **state)
{
	struct pair *p = *state;
	struct ward_err sent = {.step = WARD_STEP_MOUNTS, .errnum = EACCES};
	struct ward_err got = {0};

	strcpy(sent.msg, "mount /srv: the source is gone");
	ward_sync_send_error(p->child, &sent);
	assert_int_equal(ward_sync_wait_exec(p->parent, &got), -EACCES);
	assert_int_equal(got.step, WARD_STEP_MOUNTS);
	assert_int_equal(got.errnum, EACCES);
	assert_string_equal(got.msg, sent.msg);
}

/* A non-syscall failure (errnum 0) still fails, with -EINVAL. */
static void test_error_without_errno(void **state)
{
	struct pair *p = *state;
	struct ward_err sent = {.step = WARD_STEP_VERIFY, .errnum = 0};
	struct ward_err got = {0};

	strcpy(sent.msg, "bounding set still holds cap 21");
	ward_sync_send_error(p->child, &sent);
	assert_int_equal(ward_sync_wait_exec(p->parent, &got), -EINVAL);
	assert_int_equal(got.step, WARD_STEP_VERIFY);
	assert_int_equal(got.errnum, 0);
	assert_string_equal(got.msg, sent.msg);
}

/* A message filling the whole buffer arrives NUL-terminated. */
static void test_error_long_message(void **state)
{
	struct pair *p = *state;
	struct ward_err sent = {.step = WARD_STEP_EXEC, .errnum = ENOENT};
	struct ward_err got = {0};

	memset(sent.msg, 'm', sizeof(sent.msg)); /* no NUL at all */
	ward_sync_send_error(p->child, &sent);
	assert_int_equal(ward_sync_wait_exec(p->parent, &got), -ENOENT);
	assert_int_equal(strlen(got.msg), sizeof(got.msg) - 1);
}

/* Records keep their boundaries: two errors are two reads. */
static void test_error_boundaries(void **state)
{
	struct pair *p = *state;
	struct ward_err a = {.step = WARD_STEP_CAPS, .errnum = EPERM};
	struct ward_err b = {.step = WARD_STEP_IDS, .errnum = EINVAL};
	struct ward_err got = {0};

	ward_sync_send_error(p->child, &a);
	ward_sync_send_error(p->child, &b);
	assert_int_equal(ward_sync_wait_exec(p->parent, &got), -EPERM);
	assert_int_equal(got.step, WARD_STEP_CAPS);
	assert_int_equal(ward_sync_wait_exec(p->parent, &got), -EINVAL);
	assert_int_equal(got.step, WARD_STEP_IDS);
}

static void expect_eproto(int fd)
{
	struct ward_err got = {0};

	assert_int_equal(ward_sync_wait_exec(fd, &got), -EPROTO);
	assert_int_equal(got.step, WARD_STEP_SYNC);
	assert_int_equal(got.errnum, EPROTO);
}

static void test_malformed_records(void **state)
{
	struct pair *p = *state;
	struct ward_err bad_step = {.step = WARD_STEP_COUNT, .errnum = EPERM};
	struct ward_err none_step = {.step = WARD_STEP_NONE, .errnum = EPERM};
	char junk[600];
	struct ward_err err = {0};

	/* Short datagram. */
	assert_int_equal(send(p->child, "x", 1, 0), 1);
	expect_eproto(p->parent);
	/* Larger than a record (truncated on receive), wrong magic. */
	memset(junk, 0x5a, sizeof(junk));
	assert_int_equal(send(p->child, junk, sizeof(junk), 0), (ssize_t)sizeof(junk));
	expect_eproto(p->parent);
	/* A "go" record travelling the wrong way. */
	assert_int_equal(ward_sync_send_go(p->child, -1, &err), 0);
	expect_eproto(p->parent);
	/* Steps outside the table. */
	ward_sync_send_error(p->child, &bad_step);
	expect_eproto(p->parent);
	ward_sync_send_error(p->child, &none_step);
	expect_eproto(p->parent);
}

/* sync 4: EOF means the program was executed; err stays untouched. */
static void test_wait_exec_eof(void **state)
{
	struct pair *p = *state;
	struct ward_err got = {.step = WARD_STEP_NONE};

	close_end(&p->child);
	assert_int_equal(ward_sync_wait_exec(p->parent, &got), 0);
	assert_int_equal(got.step, WARD_STEP_NONE);
	assert_int_equal(got.errnum, 0);
}

/* sync 2: "ready" is the child's word that setup is done. */
static void test_ready_roundtrip(void **state)
{
	struct pair *p = *state;
	struct ward_err got = {0};

	assert_int_equal(ward_sync_send_ready(p->child), 0);
	assert_int_equal(ward_sync_wait_ready(p->parent, &got), 0);
}

/* EOF instead of "ready": the sandbox died during setup (a crash, an OOM
 * kill), which must not read as a program that started. */
static void test_wait_ready_eof(void **state)
{
	struct pair *p = *state;
	struct ward_err got = {0};

	close_end(&p->child);
	assert_int_equal(ward_sync_wait_ready(p->parent, &got), -EPIPE);
	assert_int_equal(got.step, WARD_STEP_SYNC);
	assert_non_null(strstr(got.msg, "died during setup"));
}

/* A setup failure arrives instead of "ready", with its step. */
static void test_wait_ready_error(void **state)
{
	struct pair *p = *state;
	struct ward_err e = {.step = WARD_STEP_MOUNTS, .errnum = EACCES};
	struct ward_err got = {0};

	ward_sync_send_error(p->child, &e);
	assert_int_equal(ward_sync_wait_ready(p->parent, &got), -EACCES);
	assert_int_equal(got.step, WARD_STEP_MOUNTS);
}

/* The real thing: the child's end is close-on-exec, so a successful
 * execve in another process shows up as EOF. */
static void test_wait_exec_eof_through_execve(void **state)
{
	struct pair *p = *state;
	struct ward_err got = {0};
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		char *const argv[] = {"true", NULL};

		close(p->parent);
		if (ward_sync_wait_go(p->child, NULL) < 0)
			_exit(2);
		execv("/bin/true", argv);
		_exit(127);
	}
	close_end(&p->child);
	assert_int_equal(ward_sync_send_go(p->parent, -1, &got), 0);
	assert_int_equal(ward_sync_wait_exec(p->parent, &got), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ... and a child that fails reports before it exits. */
static void test_error_from_exiting_child(void **state)
{
	struct pair *p = *state;
	struct ward_err got = {0};
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct ward_err e = {.step = WARD_STEP_EXEC, .errnum = ENOENT};

		close(p->parent);
		strcpy(e.msg, "/bin/nope");
		ward_sync_send_error(p->child, &e);
		_exit(127);
	}
	close_end(&p->child);
	assert_int_equal(ward_sync_wait_exec(p->parent, &got), -ENOENT);
	assert_int_equal(got.step, WARD_STEP_EXEC);
	assert_string_equal(got.msg, "/bin/nope");
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 127);
}

#define PAIR_TEST(f) cmocka_unit_test_setup_teardown(f, pair_setup, pair_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		PAIR_TEST(test_pair_is_seqpacket_cloexec),
		PAIR_TEST(test_go_roundtrip),
		PAIR_TEST(test_go_carries_descriptor),
		PAIR_TEST(test_wait_go_eof),
		PAIR_TEST(test_wait_go_wrong_record),
		PAIR_TEST(test_send_go_to_closed_peer),
		PAIR_TEST(test_error_roundtrip),
		PAIR_TEST(test_error_without_errno),
		PAIR_TEST(test_error_long_message),
		PAIR_TEST(test_error_boundaries),
		PAIR_TEST(test_malformed_records),
		PAIR_TEST(test_wait_exec_eof),
		PAIR_TEST(test_ready_roundtrip),
		PAIR_TEST(test_wait_ready_eof),
		PAIR_TEST(test_wait_ready_error),
		PAIR_TEST(test_wait_exec_eof_through_execve),
		PAIR_TEST(test_error_from_exiting_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
