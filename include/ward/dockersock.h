/* The engine-socket guard: a container engine's API socket inside a
 * sandbox is root on the host, so ward refuses to bind one in.  Sockets
 * are compared by identity (st_dev, st_ino), not by name. */
#ifndef WARD_DOCKERSOCK_H
#define WARD_DOCKERSOCK_H

#include <stdbool.h>
#include <sys/stat.h>

#include "ward/err.h"

#define WARD_MAX_ENGINE_SOCKETS 32

struct ward_engine_socket {
	char path[256];
	dev_t dev;
	ino_t ino;
	dev_t parent_dev[16]; /* identities of its ancestor directories */
	ino_t parent_ino[16];
	int nparents;
};

struct ward_engine_sockets {
	struct ward_engine_socket s[WARD_MAX_ENGINE_SOCKETS];
	int n;
};

/* Find the live engine sockets on the host (known paths, $DOCKER_HOST,
 * $XDG_RUNTIME_DIR/docker.sock). */
void ward_dockersock_scan(struct ward_engine_sockets *out);

/* Pure: refuse when @st (of a bind source at @path) is an engine socket,
 * or a directory that holds one anywhere beneath it.  Errors:
 * WARD_STEP_DOCKERSOCK naming the bind and the socket. */
int ward_dockersock_check(const struct ward_engine_sockets *socks,
			  const char *path, const struct stat *st,
			  struct ward_err *err);

#endif
