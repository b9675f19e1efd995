/* The engine-socket guard for a --rootfs directory and the environment. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "engine/dockersock.h"
#include "kernel/mountinfo.h"
#include "base/openat2.h"
#include "base/util.h"

static const char *const rootfs_known[] = {
	"run/docker.sock", "var/run/docker.sock",
	"run/containerd/containerd.sock", "run/podman/podman.sock",
	"run/crio/crio.sock", "run/buildkit/buildkitd.sock", NULL,
};

/* Known socket paths inside the image, resolved as the sandbox will. */
static int check_known_paths(const struct ward_engine_sockets *socks,
			     const char *rootfs, struct ward_err *err)
{
	_cleanup_close_ int root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	if (root < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno, "--rootfs %s", rootfs);
	for (size_t i = 0; rootfs_known[i]; i++) {
		_cleanup_close_ int fd = ward_openat2(root, rootfs_known[i], &how);
		char where[PATH_MAX];
		struct stat st;
		int r;

		if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP)
			continue;
		if (fd < 0 || fstat(fd, &st) < 0)
			return ward_err_set(err, WARD_STEP_PLAN, fd < 0 ? -fd : errno,
					    "--rootfs: checking %s/%s", rootfs,
					    rootfs_known[i]);
		snprintf(where, sizeof(where), "%s/%s", rootfs, rootfs_known[i]);
		if ((r = ward_dockersock_check(socks, "--rootfs holding", where,
					       &st, err)) < 0)
			return r;
	}
	return 0;
}

int ward_dockersock_check_mount(struct ward_engine_sockets *socks,
				const char *mnt, struct ward_err *err)
{
	struct stat st;

	/* EACCES: a rootless caller cannot reach it, nor can its sandbox,
	 * which runs as the caller; root without CAP_DAC_OVERRIDE might run
	 * a sandbox user who can. */
	if (stat(mnt, &st) < 0) {
		if (errno == ENOENT || (errno == EACCES && geteuid() != 0))
			return 0;
		return ward_err_set(err, WARD_STEP_PLAN, errno, "stat %s", mnt);
	}
	if (ward_dockersock_check(socks, "a mount at", mnt, &st, err) < 0)
		return -EPERM;
	/* A socket mounted over a file: the walk, which trusts the type its
	 * directory lists, would take it for that file. */
	if (S_ISSOCK(st.st_mode) &&
	    ward_dockersock_walk(socks, "a mount at", mnt, err) < 0)
		return -EPERM;
	return 0;
}

int ward_dockersock_check_rootfs_itself(const struct ward_engine_sockets *socks,
					const char *rootfs, struct ward_err *err)
{
	struct stat st;
	int r;

	if (stat(rootfs, &st) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno, "--rootfs %s", rootfs);
	if ((r = ward_dockersock_check(socks, "--rootfs", rootfs, &st, err)) < 0)
		return r;
	return check_known_paths(socks, rootfs, err);
}

static const struct {
	const char *name;
	enum ward_engine engine;
} engine_env[] = {
	{"DOCKER_HOST", WARD_ENGINE_DOCKER},
	{"CONTAINER_HOST", WARD_ENGINE_PODMAN},
	{"CONTAINERD_ADDRESS", WARD_ENGINE_CONTAINERD},
	{"BUILDKIT_HOST", WARD_ENGINE_BUILDKIT},
};

int ward_dockersock_check_env(const struct ward_engine_sockets *socks,
			      const char *kv, struct ward_err *err)
{
	for (size_t i = 0; i < sizeof(engine_env) / sizeof(engine_env[0]); i++) {
		size_t n = strlen(engine_env[i].name);

		if (strncmp(kv, engine_env[i].name, n) != 0 || kv[n] != '=')
			continue;
		if (socks->allowed & (1u << engine_env[i].engine))
			return 0;
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
				    "refusing --env %s: it hands the program the %s engine, i.e. root on the host (a profile can opt in with 'allow-engine-socket %s')",
				    engine_env[i].name,
				    ward_engine_name(engine_env[i].engine),
				    ward_engine_name(engine_env[i].engine));
	}
	return 0;
}

/* An allowed socket recognised by its name gets the same warning. */
static void warn_by_name(const struct ward_engine_sockets *socks,
			 const char *mnt, const char *root)
{
	int e = ward_engine_by_socket_name(mnt);

	if (e < 0)
		e = ward_engine_by_socket_name(root);
	if (e >= 0 && (socks->allowed & (1u << e)))
		fprintf(stderr, "ward: WARNING: engine-socket: %s is a %s API socket (allow-engine-socket %s): the program controls the engine, i.e. is root on the host\n",
			mnt, ward_engine_name((enum ward_engine)e),
			ward_engine_name((enum ward_engine)e));
}

static int check_socket_mount(const struct ward_engine_sockets *socks,
			      const char *root, const char *mnt,
			      struct ward_err *err)
{
	struct stat st;
	char what[1200];

	/* A mount ward cannot look at could be the socket: only one that is
	 * gone (ENOENT) is passed over, or, when ward started as a non-root
	 * user, one that user cannot reach (EACCES): the program runs as that
	 * same user with no capability, and cannot reach it either. */
	if (stat(mnt, &st) < 0)
		return errno == ENOENT || (errno == EACCES && geteuid() != 0) ? 0 :
		       ward_err_set(err, WARD_STEP_DOCKERSOCK, errno,
				    "refusing to start: cannot look at the mount at %s to rule out an engine API socket",
				    mnt);
	if (!S_ISSOCK(st.st_mode))
		return 0;
	/* By identity and by the name it has here, then by the name of its
	 * source (the mount's root): a renamed -v mount is still caught. */
	if (ward_dockersock_check(socks, "to start: a socket is mounted at", mnt,
				  &st, err) < 0)
		return -EPERM;
	ward_dockersock_warn(socks, mnt, &st);
	warn_by_name(socks, mnt, root);
	snprintf(what, sizeof(what), "to start: the socket mounted at %.1024s comes from",
		 mnt);
	return ward_dockersock_check(socks, what, root, &st, err) < 0 ? -EPERM : 0;
}

static int check_mount_entry(const struct ward_mount_entry *m, void *socks,
			     struct ward_err *err)
{
	return check_socket_mount(socks, m->root, m->mnt, err);
}

int ward_dockersock_check_mounted(const struct ward_engine_sockets *socks,
				  struct ward_err *err)
{
	for (int i = 0; i < socks->n; i++)
		if (socks->allowed & (1u << socks->s[i].engine))
			fprintf(stderr, "ward: WARNING: engine-socket: the %s API socket %s is reachable (allow-engine-socket %s): the program controls the engine, i.e. is root on the host\n",
				ward_engine_name(socks->s[i].engine), socks->s[i].path,
				ward_engine_name(socks->s[i].engine));
		else
			return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
					    "refusing to start: the %s API socket %s is reachable here; whoever can talk to it controls the engine, i.e. is root on the host (remove the -v mount, or opt in with 'allow-engine-socket %s' in a profile)",
					    ward_engine_name(socks->s[i].engine),
					    socks->s[i].path,
					    ward_engine_name(socks->s[i].engine));
	return ward_mountinfo_each(check_mount_entry, (void *)socks,
				   WARD_STEP_DOCKERSOCK, err);
}
