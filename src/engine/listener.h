/* Engines known by who listens: for a socket file, the process listening
 * on it, and whether that process is a container engine.
 *
 * How: the engine processes are found first, by executable (readlink
 * /proc/PID/exe; /proc/PID/comm where that is not readable): none on the
 * host, and no socket is an engine's, at the cost of one look at each
 * process.  Otherwise the socket file's identity (st_dev, st_ino) is
 * matched through sock_diag (kernel/sockdiag.h) to the socket listening on
 * it, and that socket's inode to the descriptors of the engine processes
 * (/proc/PID/fd, "socket:[N]").  Where sock_diag does not see the listener
 * (another network namespace: a rootless engine inside RootlessKit's) or
 * an engine's descriptors cannot be read (a root dockerd, asked by a
 * member of the docker group), ward connects to the socket, sends nothing,
 * and reads the listener's pid with SO_PEERCRED.
 *
 * Not named: a listener outside ward's pid namespace (SO_PEERCRED gives
 * pid 0), processes hidden from the caller (/proc mounted hidepid=), and
 * an engine socket held by a process that is not an engine (systemd's
 * socket activation before the first connection). */
#ifndef WARD_ENGINE_LISTENER_H
#define WARD_ENGINE_LISTENER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "base/err.h"

struct ward_listener {
	int engine;   /* enum ward_engine, or -1: not an engine's */
	pid_t pid;    /* 0: not known */
	char exe[32]; /* the listener's executable (base name), or "" */
};

struct ward_listener_finder;

struct ward_listener_finder *ward_listener_finder_new(void);
void ward_listener_finder_free(struct ward_listener_finder *f);

/* Who listens on the socket file open at @fd (O_PATH; @st is its fstat,
 * @path names it in messages).  Returns 1 when an engine process does
 * (@out names it), 0 when none does: nobody listens, the listener is no
 * engine, or the caller cannot connect to it and ward runs as that caller
 * (its sandbox cannot connect either).  A negative errno when ward cannot
 * tell (@err says why: as root, a socket it may not connect to; a
 * listener whose backlog is full).  Parent side, plan time. */
int ward_listener_identify(struct ward_listener_finder *f, int fd,
			   const struct stat *st, const char *path,
			   struct ward_listener *out, struct ward_err *err);

/* How many engine processes the caller can see (0: no socket can be an
 * engine's by its listener), or a negative errno. */
int ward_listener_engines_running(struct ward_listener_finder *f,
				  struct ward_err *err);

/* The peer of a connected unix socket @sock (SO_PEERCRED), classified.
 * Returns 1 for an engine, 0 otherwise (@out->pid 0 when unknown). */
int ward_listener_of_peer(int sock, struct ward_listener *out);

/* For ward probe: every listening unix socket of this network namespace
 * that an engine process holds, as far as the caller can see.  *@out is
 * malloc'ed (free it).  Returns the count, or a negative errno. */
struct ward_engine_listener {
	char name[109]; /* the address it was bound with */
	bool has_vfs;
	dev_t dev;      /* the socket file, when bound to one */
	ino_t ino;
	struct ward_listener who;
};
int ward_listener_engines(struct ward_listener_finder *f,
			  struct ward_engine_listener **out, struct ward_err *err);

/* ---- pure ------------------------------------------------------------- */

/* The engine whose process is named @name (an executable's base name, or
 * a /proc/PID/comm, which the kernel cuts at 15 bytes): dockerd and
 * dockerd-rootless*, rootlesskit (docker); containerd, containerd-shim*,
 * containerd-rootless* (containerd); podman, conmon (podman); crio,
 * conmonrs (crio); buildkitd (buildkit).  -1 for any other name. */
int ward_engine_by_exe(const char *name);

/* The base name of a /proc/PID/exe link target, without the kernel's
 * " (deleted)" suffix, into @buf. */
void ward_listener_exe_name(const char *target, char *buf, size_t len);

#endif
