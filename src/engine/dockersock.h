/* The engine-socket guard: a container engine's API socket inside a
 * sandbox is root on the host, so ward refuses to bind one in.  Sockets
 * are compared by identity (st_dev, st_ino), not by name, so symlinks,
 * hard links, renamed copies and /proc/<pid>/root or /proc/self/fd paths
 * are all caught; a directory is refused when a socket lies beneath it. */
#ifndef WARD_DOCKERSOCK_H
#define WARD_DOCKERSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "base/err.h"
#include "engine/listener.h"

/* A host with more sockets than this (one containerd shim socket per
 * running container), or a socket deeper than WARD_ENGINE_PARENTS
 * directories, is a plan error: ward never guards only some of them. */
#define WARD_MAX_ENGINE_SOCKETS 1024
#define WARD_ENGINE_PARENTS 64

/* The walk of a bind source or --rootfs for socket files
 * (dockersock_walk.c): past this many directory entries, or directories
 * this deep (it holds one open directory per level), it refuses. */
#define WARD_ENGINE_WALK_ENTRIES 100000
#define WARD_ENGINE_WALK_DEPTH 128
/* After this many entries, a walk with no known socket to look for (an
 * empty table) and no engine process running stops: nothing it could
 * find would be an engine's. */
#define WARD_ENGINE_WALK_CHEAP 4096

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
	pid_t pid;    /* found by its listener (listener.h): who, else 0 */
	char exe[32];
};

struct ward_engine_sockets {
	struct ward_engine_socket s[WARD_MAX_ENGINE_SOCKETS];
	int n;
	unsigned allowed; /* bit per enum ward_engine: profile opt-ins */
	char overflow[320]; /* why a socket could not be recorded, or "" */
	size_t walked;      /* socket files the walks looked at */
	struct ward_listener_finder *finder; /* plan time only, or NULL */
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

/* Refuse when the mount point @mnt is an engine socket, by identity or
 * by who listens on it. */
int ward_dockersock_check_mount(struct ward_engine_sockets *socks,
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

/* The walk: every socket file in @path's tree (or @path, a socket) is
 * looked up in @socks by identity, else asked who listens on it
 * (listener.h); one of an engine is recorded in @socks, so the child's
 * re-check before the mount knows it, and refused as "@what @path"
 * naming the engine, the process and the socket, unless that engine is
 * allowed (then a warning).  Never follows a symlink; enters the mounts
 * beneath.  Refuses (it cannot tell) past WARD_ENGINE_WALK_ENTRIES
 * entries or WARD_ENGINE_WALK_DEPTH levels, at a directory the caller
 * could search but not list, and when a listener cannot be told.
 * Costs nothing more when the tree holds no socket. */
int ward_dockersock_walk(struct ward_engine_sockets *socks, const char *what,
			 const char *path, struct ward_err *err);

/* True when the object @st is socket @s or a directory above it. */
bool ward_dockersock_reaches(const struct ward_engine_socket *s,
			     const struct stat *st);

/* The entry with that identity, or NULL. */
const struct ward_engine_socket *
ward_dockersock_find(const struct ward_engine_sockets *socks, dev_t dev,
		     ino_t ino);

/* Record the socket at @path (canonical; @st its identity) on which the
 * engine process @l listens.  NULL when it cannot be recorded
 * (@socks->overflow says why). */
const struct ward_engine_socket *
ward_dockersock_record(struct ward_engine_sockets *socks, const char *path,
		       const struct stat *st, const struct ward_listener *l);

/* Refuse "@what @top" for the socket @s, found at @at (@top itself, or
 * beneath it; another name of @s when not its recorded path), unless its
 * engine is allowed: then warn, unless @warned (already said). */
int ward_dockersock_refuse_socket(const struct ward_engine_sockets *socks,
				  const char *what, const char *top,
				  const char *at, const struct ward_engine_socket *s,
				  bool warned, struct ward_err *err);

/* Drop what only plan time needs (the listener finder). */
void ward_dockersock_done(struct ward_engine_sockets *socks);

/* Print the warning for every allowed engine whose socket is reachable
 * through @path (called on each launch). */
void ward_dockersock_warn(const struct ward_engine_sockets *socks,
			  const char *path, const struct stat *st);

#endif
