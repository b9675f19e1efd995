/* The engine-socket guard: a container engine's API socket inside a
 * sandbox is root on the host, so ward refuses to bind one in.  Sockets
 * are compared by identity (st_dev, st_ino), not by name, so symlinks,
 * hard links, renamed copies and /proc/<pid>/root or /proc/self/fd paths
 * are all caught; a directory is refused when a socket lies beneath it. */
#ifndef WARD_DOCKERSOCK_H
#define WARD_DOCKERSOCK_H

#include <stdbool.h>
#include <sys/stat.h>

#include "base/err.h"

/* A host with more sockets than this (one containerd shim socket per
 * running container), or a socket deeper than WARD_ENGINE_PARENTS
 * directories, is a plan error: ward never guards only some of them. */
#define WARD_MAX_ENGINE_SOCKETS 1024
#define WARD_ENGINE_PARENTS 64

enum ward_engine {
	WARD_ENGINE_DOCKER = 0,
	WARD_ENGINE_CONTAINERD,
	WARD_ENGINE_PODMAN,
	WARD_ENGINE_CRIO,
	WARD_ENGINE_BUILDKIT,
	WARD_ENGINE_EXTRA, /* listed in a profile with engine-socket */
	WARD_ENGINE_COUNT
};

struct ward_engine_socket {
	char path[256]; /* for messages: a longer one ends in "..." */
	enum ward_engine engine;
	dev_t dev;
	ino_t ino;
	dev_t parent_dev[WARD_ENGINE_PARENTS]; /* its ancestor directories */
	ino_t parent_ino[WARD_ENGINE_PARENTS];
	int nparents;
};

struct ward_engine_sockets {
	struct ward_engine_socket s[WARD_MAX_ENGINE_SOCKETS];
	int n;
	unsigned allowed; /* bit per enum ward_engine: profile opt-ins */
	char overflow[320]; /* why a socket could not be recorded, or "" */
};

/* "docker", "containerd", ... → engine; -1 when unknown. */
int ward_engine_from_name(const char *name);
const char *ward_engine_name(enum ward_engine e);

/* The engine whose socket is conventionally named like @path's last
 * component (docker.sock, containerd.sock, ...), or -1. */
int ward_engine_by_socket_name(const char *path);

/* Find the live engine sockets on the host: the known paths, shim and
 * per-user runtime directories, $DOCKER_HOST, $XDG_RUNTIME_DIR/docker.sock
 * and the @extra paths (NULL-terminated, may be NULL). */
void ward_dockersock_scan(struct ward_engine_sockets *out,
			  char *const *extra);

/* Add one socket by path (no-op when it is not a live socket).  When it
 * cannot be recorded (table full, too deep), @out->overflow says why and
 * ward_dockersock_scan's caller must refuse the launch. */
void ward_dockersock_add(struct ward_engine_sockets *out, const char *path,
			 enum ward_engine engine);

/* Pure: refuse @what ("bind of") when @st (of the object at @path) is an engine socket,
 * or a directory that holds one beneath it, unless that engine is
 * allowed; then *warned names it.  Errors: WARD_STEP_DOCKERSOCK naming
 * the bind, the socket, the danger and the opt-in. */
int ward_dockersock_check(const struct ward_engine_sockets *socks,
			  const char *what, const char *path,
			  const struct stat *st, struct ward_err *err);

/* --rootfs DIR: refuse a root that is an ancestor of a live socket or
 * holds one at a known path.  (A socket mounted beneath it is found by
 * the plan's walk of the mount table, ward_dockersock_check_mount.) */
int ward_dockersock_check_rootfs_itself(const struct ward_engine_sockets *socks,
					const char *rootfs, struct ward_err *err);

/* Refuse when the mount point @mnt is an engine socket. */
int ward_dockersock_check_mount(const struct ward_engine_sockets *socks,
				const char *mnt, struct ward_err *err);


/* Environment: DOCKER_HOST, CONTAINER_HOST and CONTAINERD_ADDRESS hand
 * the program an engine; refused unless that engine is allowed. */
int ward_dockersock_check_env(const struct ward_engine_sockets *socks,
			      const char *kv, struct ward_err *err);

/* Entrypoint mode: refuse when an engine socket is already mounted into
 * this mount namespace (a container run with -v /var/run/docker.sock:...):
 * a live socket at a known path, a mount point that is a socket named
 * like an engine's or whose source is one, or one whose identity matches
 * a known socket. */
int ward_dockersock_check_mounted(const struct ward_engine_sockets *socks,
				  struct ward_err *err);

/* Print the warning for every allowed engine whose socket is reachable
 * through @path (called on each launch). */
void ward_dockersock_warn(const struct ward_engine_sockets *socks,
			  const char *path, const struct stat *st);

#endif
