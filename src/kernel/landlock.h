/* Landlock: filesystem and TCP-port rules the kernel enforces on the
 * program itself (entrypoint mode always; namespace mode when the plan
 * asks).  The filesystem policy is "read and execute everywhere, write
 * only beneath the writable paths"; the port policy is "bind/connect
 * only to the listed TCP ports"; the signal scope is "no signal to a
 * process outside this Landlock layer"; the abstract-socket scope is "no
 * connect(2) or sendto(2) to an abstract unix socket made outside it".  Rights are masked to the
 * running kernel's ABI (v1 5.13 .. v4 6.7 TCP .. v5 6.10 IOCTL_DEV ..
 * v6 6.12 scopes). */
#ifndef WARD_LANDLOCK_H
#define WARD_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WARD_LANDLOCK_MAX_PATHS 64
#define WARD_LANDLOCK_MAX_PORTS 64
#define WARD_LANDLOCK_ABI_NET 4 /* Linux 6.7: TCP bind and connect rules */
#define WARD_LANDLOCK_ABI_SCOPE 6 /* Linux 6.12: LANDLOCK_SCOPE_SIGNAL */

struct ward_landlock {
	/* Restrict the filesystem: read+execute everywhere, writes only
	 * beneath @writable (directories: every right beneath them; other
	 * files: the file rights only).  A few character devices stay
	 * read-write whenever they exist: /dev/null, zero, full, random,
	 * urandom, tty. */
	bool fs;
	const char *writable[WARD_LANDLOCK_MAX_PATHS];
	size_t nwritable;
	/* Restrict bind(2) of TCP sockets to @bind_ports (none when empty). */
	bool tcp_bind;
	uint16_t bind_ports[WARD_LANDLOCK_MAX_PORTS];
	size_t nbind;
	/* Restrict connect(2) of TCP sockets to @connect_ports. */
	bool tcp_connect;
	uint16_t connect_ports[WARD_LANDLOCK_MAX_PORTS];
	size_t nconnect;
	/* Scope signals (ABI 6): no signal, by kill(2), pidfd or F_SETOWN,
	 * to a process outside the new layer; the caller's later children
	 * share it and stay reachable. */
	bool scope_signal;
	/* Scope abstract unix sockets (ABI 6): no connect(2) or sendto(2)
	 * to an abstract socket bound by a process outside the new layer
	 * (the host's, when the network namespace is the host's: the
	 * containerd-shim class, CVE-2020-15257).  Sockets the program's
	 * own processes bind stay reachable; path-named sockets are not
	 * affected. */
	bool scope_abstract_unix;
};

/* The running kernel's Landlock ABI version (>= 1), 0 when Landlock is
 * not available (ENOSYS: not built in; EOPNOTSUPP: disabled at boot), or
 * -errno for any other failure of the version query (e.g. a seccomp
 * filter answering EPERM). */
int ward_landlock_abi(void);

/* Pure: every filesystem access right ABI @abi knows (0 for abi < 1).
 * REFER needs ABI 2, TRUNCATE 3, IOCTL_DEV 5. */
uint64_t ward_landlock_fs_handled(int abi);

/* Pure: the file rights (those a rule on a non-directory may carry)
 * among ward_landlock_fs_handled(@abi). */
uint64_t ward_landlock_fs_file_rights(int abi);

/* Pure: parse a TCP port list, "80,443,8000-8010" or "none" (an empty
 * list).  Ports are decimal, 1..65535; "a-b" expands to a..b (a <= b).
 * A port listed twice is stored once, in the order first seen; more
 * than @max distinct ports is an error (-E2BIG), never a silent cut.
 * Empty input, empty items (",", "80,") and anything else are -EINVAL.
 * On error *n and @ports are left as they were.  Errors:
 * WARD_STEP_PLAN, naming the offending item. */
int ward_landlock_parse_ports(const char *list, uint16_t *ports, size_t max,
			      size_t *n, struct ward_err *err);

/* Child, last before seccomp and execve: build a ruleset for the running
 * kernel's ABI from @ll, add its rules and restrict the calling thread
 * (and its future children).  no_new_privs must already be set (or the
 * caller must hold CAP_SYS_ADMIN); ward sets it just before.  A no-op
 * returning 0 when @ll restricts nothing.  Fails closed: no Landlock,
 * TCP rules on ABI < 4, either scope on ABI < 6 (all three before
 * any ruleset exists), a writable path that cannot be opened (it must
 * exist), or any failing syscall is an error naming the path or port.
 * Nothing is restricted unless it returns 0, and every fd it opened is
 * closed on every path.  Errors: WARD_STEP_LANDLOCK. */
int ward_landlock_apply(const struct ward_landlock *ll, struct ward_err *err);

#endif
