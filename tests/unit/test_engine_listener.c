/* engine/listener.c and engine/dockersock_walk.c: engine processes known
 * by their executable (and by a comm cut at 15 bytes); the executable's
 * base name; a socket this test listens on, and a socketpair's peer, are
 * no engine's whatever runs on the host; the walk of a real tree finds a
 * hard link of a known engine socket beneath a directory (refused, or
 * warned about when allowed, once), passes over ordinary sockets and
 * symlinks, and counts what it looked at. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine/dockersock.h"
#include "engine/listener.h"

/* ---- pure ------------------------------------------------------------- */

static void test_engine_by_exe(void **state)
{
	static const struct {
		const char *name;
		int engine;
	} cases[] = {
		{"dockerd", WARD_ENGINE_DOCKER},
		{"dockerd-rootless.sh", WARD_ENGINE_DOCKER},
		{"dockerd-rootles", WARD_ENGINE_DOCKER}, /* its comm */
		{"rootlesskit", WARD_ENGINE_DOCKER},
		{"containerd", WARD_ENGINE_CONTAINERD},
		{"containerd-shim", WARD_ENGINE_CONTAINERD},
		{"containerd-shim-runc-v2", WARD_ENGINE_CONTAINERD},
		{"containerd-rootless.sh", WARD_ENGINE_CONTAINERD},
		{"containerd-root", WARD_ENGINE_CONTAINERD}, /* its comm */
		{"podman", WARD_ENGINE_PODMAN},
		{"conmon", WARD_ENGINE_PODMAN},
		{"crio", WARD_ENGINE_CRIO},
		{"conmonrs", WARD_ENGINE_CRIO},
		{"buildkitd", WARD_ENGINE_BUILDKIT},
		/* clients, helpers, look-alikes: no engine */
		{"docker", -1},
		{"docker-proxy", -1},
		{"docker-init", -1},
		{"dockerd2", -1},
		{"xdockerd", -1},
		{"containerd-stress", -1},
		{"ctr", -1},
		{"nerdctl", -1},
		{"buildkit", -1},
		{"buildctl", -1},
		{"crictl", -1},
		{"python3", -1},
		{"", -1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (ward_engine_by_exe(cases[i].name) != cases[i].engine)
			fail_msg("%s: engine %d, expected %d", cases[i].name,
				 ward_engine_by_exe(cases[i].name), cases[i].engine);
}

static void test_exe_name(void **state)
{
	char buf[32], small[8];

	(void)state;
	ward_listener_exe_name("/usr/bin/dockerd", buf, sizeof(buf));
	assert_string_equal(buf, "dockerd");
	/* the binary was replaced (a package upgrade) while it ran */
	ward_listener_exe_name("/usr/bin/dockerd (deleted)", buf, sizeof(buf));
	assert_string_equal(buf, "dockerd");
	ward_listener_exe_name("containerd", buf, sizeof(buf));
	assert_string_equal(buf, "containerd");
	ward_listener_exe_name("/x/ (deleted)", buf, sizeof(buf));
	assert_string_equal(buf, "");
	ward_listener_exe_name("/opt/bin/containerd-shim-runc-v2", small, sizeof(small));
	assert_string_equal(small, "contain");
}

/* ---- a real socket ---------------------------------------------------- */

struct fx {
	char dir[64];
	char sock[128]; /* dir/s: bound, not listening */
	char sub[128];  /* dir/sub */
	char link[160]; /* dir/sub/innocent: a hard link of sock */
	int listener;   /* a socket of this test, listening at dir/l */
	char lpath[128];
};

static void bind_at(int fd, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
}

static int fx_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	int fd;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/ward-walk.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->sock, sizeof(fx->sock), "%s/s", fx->dir);
	snprintf(fx->sub, sizeof(fx->sub), "%s/sub", fx->dir);
	snprintf(fx->link, sizeof(fx->link), "%s/innocent", fx->sub);
	snprintf(fx->lpath, sizeof(fx->lpath), "%s/l", fx->dir);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	bind_at(fd, fx->sock);
	close(fd);
	assert_int_equal(mkdir(fx->sub, 0755), 0);
	fx->listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fx->listener >= 0);
	bind_at(fx->listener, fx->lpath);
	assert_int_equal(listen(fx->listener, 4), 0);
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	close(fx->listener);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", fx->dir);
	free(fx);
	return 0;
}

/* Whatever engines run on the host, this test's own socket is no
 * engine's, and neither is its peer. */
static void test_own_listener(void **state)
{
	struct fx *fx = *state;
	struct ward_listener_finder *f = ward_listener_finder_new();
	struct ward_listener l;
	struct ward_err err = {0};
	struct stat st;
	int fd = open(fx->lpath, O_PATH | O_CLOEXEC), pair[2];

	assert_non_null(f);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(ward_listener_identify(f, fd, &st, fx->lpath, &l, &err), 0);
	assert_int_equal(l.engine, -1);
	/* a bound socket nobody listens on */
	close(fd);
	fd = open(fx->sock, O_PATH | O_CLOEXEC);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(ward_listener_identify(f, fd, &st, fx->sock, &l, &err), 0);
	close(fd);
	assert_true(ward_listener_engines_running(f, &err) >= 0);
	ward_listener_finder_free(f);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
	assert_int_equal(ward_listener_of_peer(pair[0], &l), 0);
	assert_int_equal(l.pid, getpid());
	assert_true(l.exe[0] != '\0'); /* this test's executable */
	assert_int_equal(l.engine, -1);
	close(pair[0]);
	close(pair[1]);
}

static struct ward_engine_sockets *table_with(const char *path,
					      enum ward_engine e)
{
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	ward_dockersock_add(s, path, e);
	assert_int_equal(s->n, 1);
	return s;
}

/* A hard link of a known engine socket, beneath the directory walked. */
static void test_walk_finds_hard_link(void **state)
{
	struct fx *fx = *state;
	struct ward_engine_sockets *s = table_with(fx->sock, WARD_ENGINE_DOCKER);
	struct ward_err err = {0};
	char want[512];

	assert_int_equal(link(fx->sock, fx->link), 0);
	assert_int_equal(ward_dockersock_walk(s, "bind of", fx->sub, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_DOCKERSOCK);
	snprintf(want, sizeof(want),
		 "refusing bind of %s: it contains %s, another name of the docker API socket %s;",
		 fx->sub, fx->link, fx->sock);
	if (strncmp(err.msg, want, strlen(want)) != 0)
		fail_msg("message: %s\nexpected: %s...", err.msg, want);
	/* the link itself */
	memset(&err, 0, sizeof(err));
	assert_int_equal(ward_dockersock_walk(s, "bind of", fx->link, &err), -EINVAL);
	snprintf(want, sizeof(want),
		 "refusing bind of %s: it is %s, another name of the docker API socket %s;",
		 fx->link, fx->link, fx->sock);
	if (strncmp(err.msg, want, strlen(want)) != 0)
		fail_msg("message: %s\nexpected: %s...", err.msg, want);
	assert_true(s->walked >= 2);
	ward_dockersock_done(s);
	free(s);
}

/* The name listed last in @dir. */
static void last_listed(const char *dir, char *name, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	name[0] = '\0';
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			snprintf(name, len, "%s", e->d_name);
	closedir(d);
	assert_true(name[0] != '\0');
}

/* A directory whose entries fill several getdents64 answers (1,500 of
 * about 64 bytes, the walk reads 32 kB at a time): a hard link of an
 * engine socket at the name listed last is still found. */
static void test_walk_large_directory(void **state)
{
	struct fx *fx = *state;
	struct ward_engine_sockets *s = table_with(fx->sock, WARD_ENGINE_DOCKER);
	struct ward_err err = {0};
	char path[512], last[256];

	for (int i = 0; i < 1500; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/entry-%04d-padding-padding-padding-pad",
			 fx->sub, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		assert_true(fd >= 0);
		close(fd);
	}
	last_listed(fx->sub, last, sizeof(last));
	snprintf(path, sizeof(path), "%s/%s", fx->sub, last);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(link(fx->sock, path), 0);
	assert_int_equal(ward_dockersock_walk(s, "bind of", fx->sub, &err), -EINVAL);
	if (!strstr(err.msg, path))
		fail_msg("message: %s\nexpected it to name %s", err.msg, path);
	ward_dockersock_done(s);
	free(s);
}

/* Allowed: one warning per socket, the walk goes on. */
static void test_walk_allowed(void **state)
{
	struct fx *fx = *state;
	struct ward_engine_sockets *s = table_with(fx->sock, WARD_ENGINE_DOCKER);
	struct ward_err err = {0};

	s->allowed = 1u << WARD_ENGINE_DOCKER;
	assert_int_equal(link(fx->sock, fx->link), 0);
	assert_int_equal(ward_dockersock_walk(s, "bind of", fx->sub, &err), 0);
	assert_int_equal(err.step, WARD_STEP_NONE);
	ward_dockersock_done(s);
	free(s);
}

/* Sockets no engine listens on, and a symlink to a known one (never
 * followed), pass. */
static void test_walk_passes(void **state)
{
	struct fx *fx = *state;
	struct ward_engine_sockets *s = table_with(fx->sock, WARD_ENGINE_DOCKER);
	struct ward_err err = {0};
	char other[192], sym[192];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(other, sizeof(other), "%s/other", fx->sub);
	snprintf(sym, sizeof(sym), "%s/to-engine", fx->sub);
	bind_at(fd, other);
	close(fd);
	assert_int_equal(symlink(fx->sock, sym), 0);
	assert_int_equal(ward_dockersock_walk(s, "bind of", fx->sub, &err), 0);
	assert_int_equal(s->walked, 1);
	assert_int_equal(s->n, 1);
	/* a regular file is not walked */
	assert_int_equal(ward_dockersock_walk(s, "bind of", "/etc/hostname", &err), 0);
	ward_dockersock_done(s);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_by_exe),
		cmocka_unit_test(test_exe_name),
		cmocka_unit_test_setup_teardown(test_own_listener, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_walk_finds_hard_link, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_walk_large_directory, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_walk_allowed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_walk_passes, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
