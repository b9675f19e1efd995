/* Container engines listening on TCP (dockerd -H tcp://..., podman system
 * service tcp:..., buildkitd --addr tcp://...): an API reached that way is
 * root on the host as surely as the unix socket, for any program that
 * shares the host's network (--net host) or can route to it (--net veth
 * reaches the host's 0.0.0.0 listeners).
 *
 * How: the listening sockets of ward's network namespace come from
 * sock_diag (NETLINK_SOCK_DIAG, inet_diag for TCP in state LISTEN, IPv4
 * and IPv6), or where that is refused (no inet_diag in the kernel, a
 * filter) from /proc/net/tcp and /proc/net/tcp6 (state 0A), each with its
 * socket inode (the kernel walks every TCP socket to write /proc/net/tcp,
 * some milliseconds on a large host; sock_diag walks the listeners only).
 * Every process is named by its executable (/proc/PID/exe, else
 * /proc/PID/comm), and the descriptors (/proc/PID/fd, "socket:[N]") of
 * the engine processes are read for those inodes; everyone else's only
 * when a listener on 2375 or 2376 is left without an engine owner.  A
 * listener whose owner the
 * caller cannot see (a root dockerd asked by an unprivileged caller:
 * /proc/PID/fd is not readable) is taken for Docker's when it listens on
 * 2375 or 2376, the ports Docker documents for its API; on any other port
 * it is not found.  docker-proxy and rootlesskit listen for containers'
 * published ports, not for an engine's API: they are not engines here. */
#ifndef WARD_ENGINE_TCP_LISTENERS_H
#define WARD_ENGINE_TCP_LISTENERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"

/* More listening sockets than this in one network namespace is an error:
 * ward never checks only some of them. */
#define WARD_TCP_MAX_LISTENERS 4096
/* Engine listeners kept for a launch (more: refused, naming the first). */
#define WARD_TCP_MAX_ENGINES 16

struct ward_tcp_listener {
	uint8_t addr[16];    /* network order; IPv4 in the first 4 bytes */
	bool v6;
	uint16_t port;
	uid_t uid;           /* the socket's owner */
	unsigned long inode; /* the socket's inode ("socket:[N]") */
};

struct ward_tcp_engine {
	struct ward_tcp_listener l;
	int engine;          /* enum ward_engine */
	pid_t pid;           /* 0: owner not visible (found by its port) */
	char exe[32];        /* the owner's executable, or "" */
};

/* ---- pure ----------------------------------------------------------------- */

/* Parse the text of /proc/net/tcp (@v6 false) or /proc/net/tcp6 (@len
 * bytes, need not end in NUL) and append its listening sockets to @out
 * (room for @max, *@n of them used already).  The first line must be the
 * kernel's header; every other line a socket.  Returns 0, -EINVAL for a
 * line that is not one (an unknown format: ward cannot tell), or -E2BIG
 * when more than @max listen. */
int ward_tcp_parse_listeners(const char *text, size_t len, bool v6,
			     struct ward_tcp_listener *out, size_t max,
			     size_t *n);

/* Listening on a loopback address (127.0.0.0/8, ::1, ::ffff:127.x). */
bool ward_tcp_listener_loopback(const struct ward_tcp_listener *l);

/* Parse one datagram of a sock_diag answer to an inet_diag dump of
 * sequence @seq (@len bytes) and append its listening sockets to @out
 * (room for @max, *@n used).  Returns 1 when the dump is done
 * (NLMSG_DONE), 0 when more datagrams follow, -E2BIG when more than @max
 * listen, -EINVAL for a malformed message or one of another sequence,
 * or the kernel's -errno (NLMSG_ERROR). */
int ward_tcp_parse_diag(const void *buf, size_t len, uint32_t seq,
			struct ward_tcp_listener *out, size_t max, size_t *n);

/* "127.0.0.1:2375", "[::]:2376" into @buf. */
void ward_tcp_listener_format(const struct ward_tcp_listener *l, char *buf,
			      size_t len);

/* The engine whose process named @name (an executable's base name or a
 * comm) may serve an engine API on TCP: the engine executables of
 * engine/listener.h (ward_engine_by_exe: dockerd, containerd, podman,
 * crio, buildkitd and their rootless and shim variants), except
 * docker-proxy and rootlesskit, whose TCP listeners are containers'
 * published ports; -1 for any other name. */
int ward_tcp_engine_by_exe(const char *name);

/* The engine taken to listen on @port when its owner cannot be seen:
 * Docker for 2375 and 2376, else -1. */
int ward_tcp_engine_by_port(uint16_t port);

/* ---- the caller's network namespace -------------------------------------- */

/* The listening TCP sockets through sock_diag, into @out (room for @max).
 * 0, or -errno: the caller falls back to /proc/net/tcp, except on
 * -E2BIG. */
int ward_tcp_diag_listeners(struct ward_tcp_listener *out, size_t max, size_t *n);

/* The engine listeners of the caller's network namespace, into @out (room
 * for @max; more is -E2BIG).  Parent side, plan time; reads /proc only.
 * Errors (WARD_STEP_DOCKERSOCK): /proc/net/tcp unreadable or in an
 * unknown format, too many listeners. */
int ward_tcp_engine_listeners(struct ward_tcp_engine *out, size_t max,
			      size_t *n, struct ward_err *err);

#endif
