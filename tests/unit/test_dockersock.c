/* dockersock.c: the engine-socket guard on synthetic identities, and
 * the --rootfs check against a real tree, with openat2 losing its race
 * on demand (sys_openat2 is wrapped: test_dockersock.wrap).
 *
 * The host layout used throughout:
 *
 *   /                 dev 1  ino 2
 *   /run              dev 20 ino 2     (a tmpfs)
 *   /run/docker.sock  dev 20 ino 500   (socket)
 *   /var              dev 1  ino 40
 *   /var/lib/ctr      dev 1  ino 41
 *   /var/lib/ctr/c.sock dev 1 ino 42   (socket)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "under_valgrind.h"

#include "engine/dockersock.h"
#include "base/openat2.h"

struct open_how;

int __real_sys_openat2(int dirfd, const char *path, struct open_how *how,
		       size_t size);
int __wrap_sys_openat2(int dirfd, const char *path, struct open_how *how,
		       size_t size);

#define EAGAIN_ALWAYS (-1)

/* openat2 calls still to fail with EAGAIN, as when anything on the host
 * mounts or renames during the walk (EAGAIN_ALWAYS: every one); and the
 * calls made. */
static int eagain_left;
static int openat2_calls;

int __wrap_sys_openat2(int dirfd, const char *path, struct open_how *how,
		       size_t size)
{
	openat2_calls++;
	if (eagain_left == 0)
		return __real_sys_openat2(dirfd, path, how, size);
	if (eagain_left > 0)
		eagain_left--;
	errno = EAGAIN;
	return -1;
}

struct ident {
	dev_t dev;
	ino_t ino;
};

static const struct ident ROOT = {1, 2}, RUN = {20, 2}, DOCKER = {20, 500},
			  VAR = {1, 40}, CTRDIR = {1, 41}, CTR = {1, 42};

static void add(struct ward_engine_sockets *s, const char *path,
		enum ward_engine engine, struct ident id,
		const struct ident *parents, int nparents)
{
	struct ward_engine_socket *e = &s->s[s->n++];

	snprintf(e->path, sizeof(e->path), "%s", path);
	e->engine = engine;
	e->dev = id.dev;
	e->ino = id.ino;
	for (int i = 0; i < nparents; i++) {
		e->parent_dev[i] = parents[i].dev;
		e->parent_ino[i] = parents[i].ino;
	}
	e->nparents = nparents;
}

static int socks_setup(void **state)
{
	static const struct ident docker_parents[] = {RUN, ROOT};
	static const struct ident ctr_parents[] = {CTRDIR, {1, 30}, VAR, ROOT};
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	add(s, "/run/docker.sock", WARD_ENGINE_DOCKER, DOCKER, docker_parents, 2);
	add(s, "/var/lib/ctr/c.sock", WARD_ENGINE_CONTAINERD, CTR, ctr_parents, 4);
	*state = s;
	return 0;
}

static int socks_teardown(void **state)
{
	free(*state);
	return 0;
}

static struct stat st_of(struct ident id, mode_t type)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = id.dev;
	st.st_ino = id.ino;
	st.st_mode = type | 0755;
	return st;
}

static void expect_refused(const struct ward_engine_sockets *s,
			   const char *path, struct ident id, mode_t type,
			   const char *sock_path)
{
	struct stat st = st_of(id, type);
	struct ward_err err = {0};
	int r = ward_dockersock_check(s, "bind of", path, &st, &err);

	if (r >= 0)
		fail_msg("bind of %s (%lu:%lu) was allowed", path,
			 (unsigned long)id.dev, (unsigned long)id.ino);
	assert_int_equal(r, -EINVAL);
	assert_int_equal(err.step, WARD_STEP_DOCKERSOCK);
	if (!strstr(err.msg, "bind of") || !strstr(err.msg, path) ||
	    !strstr(err.msg, sock_path))
		fail_msg("message '%s' should name the bind of %s and %s",
			 err.msg, path, sock_path);
}

static void expect_allowed(const struct ward_engine_sockets *s,
			   const char *path, struct ident id, mode_t type)
{
	struct stat st = st_of(id, type);
	struct ward_err err = {0};

	if (ward_dockersock_check(s, "bind of", path, &st, &err) != 0)
		fail_msg("bind of %s refused: %s", path, err.msg);
	assert_int_equal(err.step, WARD_STEP_NONE); /* untouched */
}

/* (a) The socket itself, under any name: identity, not path. */
static void test_socket_identity(void **state)
{
	const struct ward_engine_sockets *s = *state;

	expect_refused(s, "/run/docker.sock", DOCKER, S_IFSOCK, "/run/docker.sock");
	expect_refused(s, "/home/u/innocent.sock", DOCKER, S_IFSOCK,
		       "/run/docker.sock");
	expect_refused(s, "/proc/1/root/run/docker.sock", DOCKER, S_IFSOCK,
		       "/run/docker.sock");
	expect_refused(s, "/var/lib/ctr/c.sock", CTR, S_IFSOCK,
		       "/var/lib/ctr/c.sock");
}

/* The same inode number on another device is another file. */
static void test_same_ino_other_dev(void **state)
{
	const struct ward_engine_sockets *s = *state;

	expect_allowed(s, "/srv/other.sock", (struct ident){21, 500}, S_IFSOCK);
	expect_allowed(s, "/srv/file", (struct ident){1, 500}, S_IFREG);
}

/* (b) A directory on the socket's parent chain holds it. */
static void test_directory_holding_socket(void **state)
{
	const struct ward_engine_sockets *s = *state;

	expect_refused(s, "/run", RUN, S_IFDIR, "/run/docker.sock");
	expect_refused(s, "/var/run", RUN, S_IFDIR, "/run/docker.sock");
	expect_refused(s, "/", ROOT, S_IFDIR, "/run/docker.sock");
	expect_refused(s, "/var", VAR, S_IFDIR, "/var/lib/ctr/c.sock");
	expect_refused(s, "/var/lib/ctr", CTRDIR, S_IFDIR, "/var/lib/ctr/c.sock");
	expect_refused(s, "/var/lib", (struct ident){1, 30}, S_IFDIR,
		       "/var/lib/ctr/c.sock");
}

/* Parent identities matter only for directories: a file that happens to
 * share a directory's numbers (another fs view, a stale record) is not
 * a container of anything. */
static void test_parent_identity_only_for_directories(void **state)
{
	const struct ward_engine_sockets *s = *state;

	expect_allowed(s, "/srv/data.bin", RUN, S_IFREG);
	expect_allowed(s, "/srv/fifo", VAR, S_IFIFO);
}

/* Anything unrelated passes. */
static void test_unrelated(void **state)
{
	const struct ward_engine_sockets *s = *state;

	expect_allowed(s, "/srv", (struct ident){1, 77}, S_IFDIR);
	expect_allowed(s, "/run/user/1000", (struct ident){20, 9}, S_IFDIR);
	expect_allowed(s, "/etc/hostname", (struct ident){1, 78}, S_IFREG);
	expect_allowed(s, "/run/other.sock", (struct ident){20, 501}, S_IFSOCK);
}

static void test_no_engine_sockets(void **state)
{
	struct ward_engine_sockets *none = calloc(1, sizeof(*none));

	assert_non_null(none);
	expect_allowed(none, "/", ROOT, S_IFDIR);
	expect_allowed(none, "/run/app.sock", DOCKER, S_IFSOCK);
	free(none);
}

/* A socket recorded without parents is still caught by identity, and
 * its directory is then not known to hold it. */
static void test_socket_without_parents(void **state)
{
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	add(s, "/tmp/podman.sock", WARD_ENGINE_PODMAN, (struct ident){3, 9}, NULL,
	    0);
	expect_refused(s, "/tmp/podman.sock", (struct ident){3, 9}, S_IFSOCK,
		       "/tmp/podman.sock");
	expect_allowed(s, "/tmp", (struct ident){3, 2}, S_IFDIR);
	free(s);
}

/* The message names the engine and the one way to opt in. */
static void test_message_names_engine_and_opt_in(void **state)
{
	const struct ward_engine_sockets *s = *state;
	struct stat st = st_of(CTR, S_IFSOCK);
	struct ward_err err = {0};

	assert_int_equal(ward_dockersock_check(s, "bind of", "/x", &st, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "containerd"));
	assert_non_null(strstr(err.msg, "allow-engine-socket containerd"));
	st = st_of(VAR, S_IFDIR);
	assert_int_equal(ward_dockersock_check(s, "bind of", "/var", &st, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "contains"));
}

/* A profile's allow-engine-socket lets that engine's socket in, and only
 * that engine's. */
static void test_allowed_engine(void **state)
{
	struct ward_engine_sockets *s = *state;

	s->allowed = 1u << WARD_ENGINE_DOCKER;
	expect_allowed(s, "/run/docker.sock", DOCKER, S_IFSOCK);
	expect_allowed(s, "/run", RUN, S_IFDIR);
	expect_refused(s, "/var/lib/ctr/c.sock", CTR, S_IFSOCK,
		       "/var/lib/ctr/c.sock");
	/* "/" holds both: the engine that is not allowed decides. */
	expect_refused(s, "/", ROOT, S_IFDIR, "/var/lib/ctr/c.sock");
	s->allowed = 0;
}

/* Sockets added by a profile's engine-socket line. */
static void test_extra_engine(void **state)
{
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));
	struct stat st = st_of((struct ident){5, 6}, S_IFSOCK);
	struct ward_err err = {0};

	assert_non_null(s);
	add(s, "/srv/agent.sock", WARD_ENGINE_EXTRA, (struct ident){5, 6}, NULL, 0);
	assert_int_equal(ward_dockersock_check(s, "bind of", "/srv/agent.sock",
					       &st, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "allow-engine-socket <engine>"));
	free(s);
}

static void test_engine_names(void **state)
{
	static const char *const names[] = {
		"docker", "containerd", "podman", "crio", "buildkit",
	};

	for (int e = 0; e < (int)(sizeof(names) / sizeof(names[0])); e++) {
		assert_int_equal(ward_engine_from_name(names[e]), e);
		assert_string_equal(ward_engine_name((enum ward_engine)e), names[e]);
	}
	/* Profile-listed sockets have no name to allow them by. */
	assert_int_equal(ward_engine_from_name("engine-socket"), -1);
	assert_int_equal(ward_engine_from_name("Docker"), -1);
	assert_int_equal(ward_engine_from_name(""), -1);
	assert_string_equal(ward_engine_name(WARD_ENGINE_COUNT), "engine");
}

/* Variables that hand the program an engine. */
static void test_check_env(void **state)
{
	static const char *const refused[] = {
		"DOCKER_HOST=unix:///run/docker.sock", "DOCKER_HOST=tcp://10.0.0.1:2375",
		"DOCKER_HOST=", "CONTAINER_HOST=unix:///run/podman/podman.sock",
		"CONTAINERD_ADDRESS=/run/containerd/containerd.sock",
		"BUILDKIT_HOST=unix:///run/buildkit/buildkitd.sock",
	};
	static const char *const fine[] = {
		"DOCKER_HOSTNAME=x", "DOCKER_CONFIG=/cfg", "MY_DOCKER_HOST=x",
		"PATH=/bin", "DOCKER_HOST",
	};
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));
	struct ward_err err = {0};

	assert_non_null(s);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (ward_dockersock_check_env(s, refused[i], &err) != -EINVAL)
			fail_msg("--env %s was allowed", refused[i]);
		assert_int_equal(err.step, WARD_STEP_DOCKERSOCK);
	}
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		if (ward_dockersock_check_env(s, fine[i], &err) != 0)
			fail_msg("--env %s was refused: %s", fine[i], err.msg);
	s->allowed = 1u << WARD_ENGINE_DOCKER;
	assert_int_equal(ward_dockersock_check_env(s, refused[0], &err), 0);
	assert_int_equal(ward_dockersock_check_env(s, refused[3], &err), -EINVAL);
	free(s);
}

/* STYLE 7 (c): a socket named like an engine's (a Docker-in-Docker
 * daemon, a rootless engine the scan did not find) is refused by name
 * too; only sockets, and only unless that engine is allowed. */
static void test_socket_named_like_an_engine(void **state)
{
	struct ward_engine_sockets *none = calloc(1, sizeof(*none));
	struct ident unknown = {9, 9};

	assert_non_null(none);
	expect_refused(none, "/home/u/dind/docker.sock", unknown, S_IFSOCK,
		       "docker.sock");
	expect_refused(none, "/srv/podman.sock", unknown, S_IFSOCK, "podman.sock");
	expect_refused(none, "/srv/containerd.sock", unknown, S_IFSOCK,
		       "containerd.sock");
	expect_allowed(none, "/home/u/notes/docker.sock", unknown, S_IFREG);
	expect_allowed(none, "/srv/docker.sock.d", unknown, S_IFDIR);
	expect_allowed(none, "/srv/my-docker.sock", unknown, S_IFSOCK);
	none->allowed = 1u << WARD_ENGINE_DOCKER;
	expect_allowed(none, "/home/u/dind/docker.sock", unknown, S_IFSOCK);
	free(none);
}

/* ---- against the filesystem: a real socket in a temporary directory */

struct fs_fixture {
	char dir[64];
	char sock[96];
	char link[96];
	struct stat dir_st, sock_st;
};

static int fs_setup(void **state)
{
	struct fs_fixture *fx = calloc(1, sizeof(*fx));
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/ward-dockersock-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->sock, sizeof(fx->sock), "%s/agent.sock", fx->dir);
	snprintf(fx->link, sizeof(fx->link), "%s/link", fx->dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", fx->sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(symlink(fx->sock, fx->link), 0);
	assert_int_equal(stat(fx->dir, &fx->dir_st), 0);
	assert_int_equal(stat(fx->sock, &fx->sock_st), 0);
	*state = fx;
	return 0;
}

static int fs_teardown(void **state)
{
	struct fs_fixture *fx = *state;
	char path[128];

	eagain_left = 0;
	unlink(fx->link);
	unlink(fx->sock);
	snprintf(path, sizeof(path), "%s/run/docker.sock", fx->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/run", fx->dir);
	rmdir(path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static const struct ward_engine_socket *
find(const struct ward_engine_sockets *s, const struct stat *st)
{
	for (int i = 0; i < s->n; i++)
		if (s->s[i].dev == st->st_dev && s->s[i].ino == st->st_ino)
			return &s->s[i];
	return NULL;
}

/* A profile's engine-socket path is recorded by identity, with its
 * parent chain; a symlink to it is the same socket; a non-socket is
 * ignored. */
static void test_scan_extra(void **state)
{
	struct fs_fixture *fx = *state;
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));
	char *extra[] = {fx->sock, fx->link, "/etc/hostname", NULL};
	const struct ward_engine_socket *e;
	int n, dir_found = 0;

	assert_non_null(s);
	ward_dockersock_scan(s, extra);
	e = find(s, &fx->sock_st);
	assert_non_null(e);
	assert_int_equal(e->engine, WARD_ENGINE_EXTRA);
	assert_string_equal(e->path, fx->sock);
	for (int p = 0; p < e->nparents; p++)
		if (e->parent_dev[p] == fx->dir_st.st_dev &&
		    e->parent_ino[p] == fx->dir_st.st_ino)
			dir_found = 1;
	assert_true(dir_found);
	/* Added once, whatever the spelling. */
	n = s->n;
	ward_dockersock_add(s, fx->link, WARD_ENGINE_EXTRA);
	assert_int_equal(s->n, n);
	for (int i = 0, seen = 0; i < s->n; i++)
		if (s->s[i].dev == fx->sock_st.st_dev &&
		    s->s[i].ino == fx->sock_st.st_ino && ++seen > 1)
			fail_msg("socket recorded twice");
	/* Then the check refuses it through any path, and its directory. */
	expect_refused(s, fx->link, (struct ident){fx->sock_st.st_dev,
						   fx->sock_st.st_ino},
		       S_IFSOCK, fx->sock);
	expect_refused(s, fx->dir, (struct ident){fx->dir_st.st_dev,
						  fx->dir_st.st_ino},
		       S_IFDIR, fx->sock);
	free(s);
}

static void make_socket(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
}

/* A socket named @name in @dir, whose path may be too long for sun_path:
 * bound by its name from inside. */
static void make_socket_in(const char *dir, const char *name)
{
	int here = open(".", O_PATH | O_CLOEXEC);

	assert_true(here >= 0);
	assert_int_equal(chdir(dir), 0);
	make_socket(name);
	assert_int_equal(fchdir(here), 0);
	close(here);
}

/* A socket the table cannot hold is not dropped in silence: the table
 * says why, for the plan to refuse the launch. */
static void test_full_table_overflows(void **state)
{
	struct fs_fixture *fx = *state;
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));
	char path[PATH_MAX];

	assert_non_null(s);
	for (int i = 0; i <= WARD_MAX_ENGINE_SOCKETS; i++) {
		snprintf(path, sizeof(path), "%s/s%d", fx->dir, i);
		make_socket(path);
		ward_dockersock_add(s, path, WARD_ENGINE_EXTRA);
		assert_int_equal(s->overflow[0] != '\0', i == WARD_MAX_ENGINE_SOCKETS);
	}
	assert_int_equal(s->n, WARD_MAX_ENGINE_SOCKETS);
	assert_non_null(strstr(s->overflow, "WARD_MAX_ENGINE_SOCKETS"));
	for (int i = 0; i <= WARD_MAX_ENGINE_SOCKETS; i++) {
		snprintf(path, sizeof(path), "%s/s%d", fx->dir, i);
		unlink(path);
	}
	free(s);
}

/* Every ancestor of a socket is kept, up to WARD_ENGINE_PARENTS; one
 * deeper still is an overflow, not a socket guarded only partly. */
static void test_deep_socket_overflows(void **state)
{
	struct fs_fixture *fx = *state;
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));
	char path[PATH_MAX];
	size_t len;

	assert_non_null(s);
	len = (size_t)snprintf(path, sizeof(path), "%s", fx->dir);
	for (int d = 0; d < WARD_ENGINE_PARENTS; d++) {
		len += (size_t)snprintf(path + len, sizeof(path) - len, "/d");
		assert_int_equal(mkdir(path, 0755), 0);
	}
	make_socket_in(path, "deep.sock");
	snprintf(path + len, sizeof(path) - len, "/deep.sock");
	ward_dockersock_add(s, path, WARD_ENGINE_EXTRA);
	assert_int_equal(s->n, 0);
	assert_non_null(strstr(s->overflow, "deeper than WARD_ENGINE_PARENTS"));
	unlink(path);
	for (int d = 0; d < WARD_ENGINE_PARENTS; d++) {
		path[len] = '\0';
		rmdir(path);
		len -= 2;
	}
	free(s);
}

/* A socket deeper than the old 16 ancestors, its real path longer than
 * the 256 bytes kept for messages: recorded, and the top directory that
 * holds it is refused. */
static void test_deep_long_socket_guarded(void **state)
{
	struct fs_fixture *fx = *state;
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));
	char path[PATH_MAX];
	size_t len, base;

	assert_non_null(s);
	base = len = (size_t)snprintf(path, sizeof(path), "%s", fx->dir);
	for (int d = 0; d < 20; d++) {
		len += (size_t)snprintf(path + len, sizeof(path) - len, "/dddddddddddddddd");
		assert_int_equal(mkdir(path, 0755), 0);
	}
	make_socket_in(path, "api.sock");
	snprintf(path + len, sizeof(path) - len, "/api.sock");
	ward_dockersock_add(s, path, WARD_ENGINE_EXTRA);
	assert_int_equal(s->n, 1);
	assert_string_equal(s->overflow, "");
	assert_true(strlen(path) > sizeof(s->s[0].path));
	assert_string_equal(s->s[0].path + strlen(s->s[0].path) - 3, "...");
	expect_refused(s, fx->dir, (struct ident){fx->dir_st.st_dev, fx->dir_st.st_ino},
		       S_IFDIR, fx->dir);
	unlink(path);
	for (int d = 0; d < 20; d++) {
		path[len] = '\0';
		rmdir(path);
		len -= strlen("/dddddddddddddddd");
	}
	assert_int_equal(len, base);
	free(s);
}

/* A --rootfs that holds a live engine socket is refused. */
static void test_check_rootfs(void **state)
{
	SKIP_UNDER_VALGRIND("needs openat2 (the rootfs check fails closed without it)");
	struct fs_fixture *fx = *state;
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));
	struct ward_err err = {0};
	char *extra[] = {fx->sock, NULL};

	assert_non_null(s);
	ward_dockersock_scan(s, extra);
	assert_int_equal(ward_dockersock_check_rootfs_itself(s, fx->dir, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_DOCKERSOCK);
	assert_non_null(strstr(err.msg, fx->sock));
	memset(&err, 0, sizeof(err));
	assert_int_equal(ward_dockersock_check_rootfs_itself(s, "/usr/share", &err), 0);
	free(s);
}

/* The first lookups of the --rootfs check lose the race (EAGAIN), up to
 * one short of the bound: the check tries again and completes, and
 * still finds the socket the tree holds. */
static void test_check_rootfs_retries_eagain(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2);
	struct fs_fixture *fx = *state;
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));
	struct ward_err err = {0};
	char run[128], sock[160];

	assert_non_null(s);
	snprintf(run, sizeof(run), "%s/run", fx->dir);
	snprintf(sock, sizeof(sock), "%s/docker.sock", run);
	assert_int_equal(mkdir(run, 0755), 0);
	make_socket(sock);
	eagain_left = WARD_OPENAT2_TRIES - 1;
	assert_int_equal(ward_dockersock_check_rootfs_itself(s, fx->dir, &err), -EINVAL);
	assert_int_equal(eagain_left, 0);
	assert_int_equal(err.step, WARD_STEP_DOCKERSOCK);
	if (!strstr(err.msg, "run/docker.sock"))
		fail_msg("message '%s' should name run/docker.sock", err.msg);
	unlink(sock);
	rmdir(run);
	memset(&err, 0, sizeof(err));
	eagain_left = 3;
	openat2_calls = 0;
	if (ward_dockersock_check_rootfs_itself(s, "/usr/share", &err) != 0)
		fail_msg("--rootfs /usr/share refused: %s", err.msg);
	assert_int_equal(eagain_left, 0);
	assert_true(openat2_calls > 3);
	free(s);
}

/* A lookup that loses the race every time: tried WARD_OPENAT2_TRIES times,
 * then the check fails closed, naming the path and EAGAIN. */
static void test_check_rootfs_eagain_bounded(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2);
	struct ward_engine_sockets *s = calloc(1, sizeof(*s));
	struct ward_err err = {0};
	int r;

	assert_non_null(s);
	eagain_left = EAGAIN_ALWAYS;
	openat2_calls = 0;
	r = ward_dockersock_check_rootfs_itself(s, "/usr/share", &err);
	eagain_left = 0;
	assert_int_equal(r, -EAGAIN);
	assert_int_equal(openat2_calls, WARD_OPENAT2_TRIES);
	assert_int_equal(err.step, WARD_STEP_PLAN);
	assert_int_equal(err.errnum, EAGAIN);
	assert_string_equal(err.msg, "--rootfs: checking /usr/share/run/docker.sock");
	free(s);
}

#define SOCKS_TEST(f) cmocka_unit_test_setup_teardown(f, socks_setup, socks_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		SOCKS_TEST(test_socket_identity),
		SOCKS_TEST(test_same_ino_other_dev),
		SOCKS_TEST(test_directory_holding_socket),
		SOCKS_TEST(test_parent_identity_only_for_directories),
		SOCKS_TEST(test_unrelated),
		cmocka_unit_test(test_no_engine_sockets),
		cmocka_unit_test(test_socket_without_parents),
		SOCKS_TEST(test_message_names_engine_and_opt_in),
		SOCKS_TEST(test_allowed_engine),
		cmocka_unit_test(test_extra_engine),
		cmocka_unit_test(test_engine_names),
		cmocka_unit_test(test_check_env),
		cmocka_unit_test(test_socket_named_like_an_engine),
		cmocka_unit_test_setup_teardown(test_scan_extra, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_check_rootfs, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_check_rootfs_retries_eagain,
						fs_setup, fs_teardown),
		cmocka_unit_test(test_check_rootfs_eagain_bounded),
		cmocka_unit_test_setup_teardown(test_full_table_overflows, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_deep_socket_overflows, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_deep_long_socket_guarded, fs_setup,
						fs_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
