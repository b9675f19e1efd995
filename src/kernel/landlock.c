/* Landlock: the ruleset for the running kernel's ABI, its path and port
 * rules, and the restriction of the calling thread.  See
 * Documentation/userspace-api/landlock.rst for the rights and ABIs.
 *
 * Debian 12's <linux/landlock.h> stops at ABI 2, so the newer uapi
 * constants and structs are defined here with the kernel's values. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "kernel/landlock.h"
#include "base/sys.h"
#include "base/util.h"

#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)        /* ABI 2, 5.19 */
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)     /* ABI 3, 6.2 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)     /* ABI 4, 6.7 */
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)  /* ABI 4, 6.7 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)    /* ABI 5, 6.10 */
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6, 6.12 */
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)            /* ABI 6, 6.12 */
#endif
/* enum landlock_rule_type: an enum upstream, so no #ifndef can see it. */
#define RULE_PATH_BENEATH 1
#define RULE_NET_PORT 2                              /* ABI 4 */

#define ABI_REFER 2
#define ABI_TRUNCATE 3
#define ABI_NET 4
#define ABI_IOCTL_DEV 5

/* struct landlock_ruleset_attr as of ABI 6, which appended `scoped`.
 * ward scopes signals only where nothing else protects ward from the
 * program: entrypoint mode with ward not pid 1 (docker run --init,
 * tini), where ward runs as the program's uid.  Elsewhere ward's init is
 * pid 1 of a pid namespace the program lives in, and the kernel drops
 * SIGKILL and SIGSTOP sent to it from inside.  That scope must be a
 * layer of the program's own, restricted after the fork: a domain shared
 * with ward (its file-system layer) would let the program signal ward
 * still.  The program's own children inherit the layer and stay
 * reachable.
 *
 * Abstract unix sockets live in the network namespace, so ward scopes
 * them (LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET) where that namespace may be
 * the host's: --net host and entrypoint mode (docker run --network
 * host).  The host's abstract sockets include the containerd shims'
 * (CVE-2020-15257).  It also cuts the program off from host services it
 * may legitimately reach that way (D-Bus, X11, systemd's notify socket),
 * hence the profile's opt-out; in a private network namespace there is
 * nothing outside to reach and no scope is asked for.  The kernel
 * accepts a shorter struct (the missing tail counts as zero), so a
 * ruleset that scopes nothing is sent without `scoped`, as on older
 * ABIs. */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;     /* ABI 4 */
	uint64_t scoped;                 /* ABI 6 */
};

/* struct landlock_net_port_attr (ABI 4): not packed, 16 bytes. */
struct net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

/* Rights a rule on a non-directory may carry; any other right there is
 * EINVAL from landlock_add_rule. */
#define FILE_RIGHTS                                                      \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |    \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |    \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV)
#define READ_EXEC                                                        \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE |     \
	 LANDLOCK_ACCESS_FS_READ_DIR)
#define DEV_RIGHTS                                                       \
	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |  \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV)
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Character devices every program may read and write (a shell's
 * `> /dev/null`, isatty on /dev/tty), granted when they exist. */
static const char *const rw_devices[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	"/dev/tty",
};

int ward_landlock_abi(void)
{
	int r = sys_landlock_create_ruleset(NULL, 0,
					    LANDLOCK_CREATE_RULESET_VERSION);

	if (r >= 0)
		return r;
	if (errno == ENOSYS || errno == EOPNOTSUPP)
		return 0;
	return -errno;
}

uint64_t ward_landlock_fs_handled(int abi)
{
	uint64_t all = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1 */

	if (abi < 1)
		return 0;
	if (abi >= ABI_REFER)
		all |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= ABI_TRUNCATE)
		all |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= ABI_IOCTL_DEV)
		all |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return all;
}

uint64_t ward_landlock_fs_file_rights(int abi)
{
	return ward_landlock_fs_handled(abi) & FILE_RIGHTS;
}

/* ---- port lists ------------------------------------------------------ */

static int parse_port(const char *s, size_t len, const char *item,
		      size_t item_len, uint32_t *port, struct ward_err *err)
{
	char buf[16];
	uint32_t v = 0;

	if (len == 0 || len >= sizeof(buf))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "port list: '%.*s' is not a port", (int)item_len,
				    item);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (ward_parse_u32(buf, &v) == -EINVAL)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "port list: '%.*s' is not a port", (int)item_len,
				    item);
	if (v < 1 || v > 65535) /* also the -ERANGE case, v left at 0 */
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "port list: %s is out of range 1..65535", buf);
	*port = v;
	return 0;
}

/* Parse "N" or "A-B" (@len bytes at @item) into [*lo, *hi]. */
static int parse_item(const char *item, size_t len, uint32_t *lo, uint32_t *hi,
		      struct ward_err *err)
{
	const char *dash = memchr(item, '-', len);
	int r;

	if (len == 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "port list: empty item (write \"none\" for no port)");
	if (!dash) {
		r = parse_port(item, len, item, len, lo, err);
		*hi = *lo;
		return r;
	}
	r = parse_port(item, (size_t)(dash - item), item, len, lo, err);
	if (r < 0)
		return r;
	r = parse_port(dash + 1, len - (size_t)(dash - item) - 1, item, len, hi,
		       err);
	if (r < 0)
		return r;
	if (*lo > *hi)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "port list: range %.*s is backwards",
				    (int)len, item);
	return 0;
}

int ward_landlock_parse_ports(const char *list, uint16_t *ports, size_t max,
			      size_t *n, struct ward_err *err)
{
	uint64_t seen[65536 / 64] = {0};
	const char *p = list;
	size_t count = 0;

	if (strcmp(list, "none") == 0) {
		*n = 0;
		return 0;
	}
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		uint32_t lo = 0, hi = 0;
		int r = parse_item(p, len, &lo, &hi, err);

		if (r < 0)
			return r;
		for (uint32_t v = lo; v <= hi; v++) {
			if (seen[v / 64] & (1ULL << (v % 64)))
				continue;
			if (count == max)
				return ward_err_set(err, WARD_STEP_PLAN, E2BIG,
						    "port list: more than %zu ports",
						    max);
			seen[v / 64] |= 1ULL << (v % 64);
			ports[count++] = (uint16_t)v;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	*n = count;
	return 0;
}

/* ---- the ruleset ------------------------------------------------------- */

static bool restricts_something(const struct ward_landlock *ll)
{
	return ll->fs || ll->tcp_bind || ll->tcp_connect || ll->scope_signal ||
	       ll->scope_abstract_unix;
}

static int check_request(const struct ward_landlock *ll, int abi,
			 struct ward_err *err)
{
	if (ll->nwritable > WARD_LANDLOCK_MAX_PATHS ||
	    ll->nbind > WARD_LANDLOCK_MAX_PORTS ||
	    ll->nconnect > WARD_LANDLOCK_MAX_PORTS)
		return ward_err_set(err, WARD_STEP_LANDLOCK, EINVAL,
				    "too many writable paths or ports");
	for (size_t i = 0; i < ll->nwritable; i++)
		if (!ll->writable[i] || !ll->writable[i][0])
			return ward_err_set(err, WARD_STEP_LANDLOCK, EINVAL,
					    "writable path %zu is empty", i);
	if (abi < 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, -abi,
				    "landlock_create_ruleset(VERSION)");
	if (abi == 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, EOPNOTSUPP,
				    "this kernel has no Landlock (not built in, "
				    "or missing from the lsm= boot parameter)");
	if ((ll->tcp_bind || ll->tcp_connect) && abi < ABI_NET)
		return ward_err_set(err, WARD_STEP_LANDLOCK, EOPNOTSUPP,
				    "TCP port rules need Landlock ABI 4 (Linux "
				    "6.7); this kernel has ABI %d", abi);
	if (ll->scope_signal && abi < WARD_LANDLOCK_ABI_SCOPE)
		return ward_err_set(err, WARD_STEP_LANDLOCK, EOPNOTSUPP,
				    "the signal scope needs Landlock ABI 6 (Linux "
				    "6.12); this kernel has ABI %d", abi);
	if (ll->scope_abstract_unix && abi < WARD_LANDLOCK_ABI_SCOPE)
		return ward_err_set(err, WARD_STEP_LANDLOCK, EOPNOTSUPP,
				    "the abstract-socket scope needs Landlock ABI 6 "
				    "(Linux 6.12); this kernel has ABI %d", abi);
	return 0;
}

/* The struct as long as the request needs: 24 bytes with a scope, 16
 * from ABI 4 on, else 8 (handled_access_fs alone). */
static size_t attr_size(const struct ward_landlock *ll, int abi)
{
	if (ll->scope_signal || ll->scope_abstract_unix)
		return sizeof(struct ruleset_attr);
	if (abi >= ABI_NET)
		return offsetof(struct ruleset_attr, scoped);
	return offsetof(struct ruleset_attr, handled_access_net);
}

static int create_ruleset(const struct ward_landlock *ll, int abi,
			  struct ward_err *err)
{
	struct ruleset_attr attr = {0};
	int fd;

	if (ll->fs)
		attr.handled_access_fs = ward_landlock_fs_handled(abi);
	if (ll->tcp_bind)
		attr.handled_access_net |= LANDLOCK_ACCESS_NET_BIND_TCP;
	if (ll->tcp_connect)
		attr.handled_access_net |= LANDLOCK_ACCESS_NET_CONNECT_TCP;
	if (ll->scope_signal)
		attr.scoped |= LANDLOCK_SCOPE_SIGNAL;
	if (ll->scope_abstract_unix)
		attr.scoped |= LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
	fd = sys_landlock_create_ruleset(&attr, attr_size(ll, abi), 0);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, errno,
				    "landlock_create_ruleset (ABI %d, fs %#llx, "
				    "net %#llx%s%s)", abi,
				    (unsigned long long)attr.handled_access_fs,
				    (unsigned long long)attr.handled_access_net,
				    ll->scope_signal ? ", signal scope" : "",
				    ll->scope_abstract_unix ? ", abstract-socket scope" : "");
	return fd;
}

static int add_path_rule(int rfd, int pfd, uint64_t access, const char *what,
			 const char *path, struct ward_err *err)
{
	struct landlock_path_beneath_attr pb = {
		.allowed_access = access,
		.parent_fd = pfd,
	};

	if (sys_landlock_add_rule(rfd, RULE_PATH_BENEATH, &pb, 0) < 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, errno,
				    "%s %s: landlock_add_rule (access %#llx)",
				    what, path, (unsigned long long)access);
	return 0;
}

/* Writable: a directory gets every handled right beneath it; anything
 * else (a regular file, a device, a socket) the file rights only.  The
 * path is followed if it is a symlink: images have /var/run -> /run. */
static int add_writable(int rfd, const char *path, int abi,
			struct ward_err *err)
{
	_cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, errno,
				    "writable %s: open", path);
	if (fstat(fd, &st) < 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, errno,
				    "writable %s: fstat", path);
	return add_path_rule(rfd, fd, S_ISDIR(st.st_mode) ?
			     ward_landlock_fs_handled(abi) :
			     ward_landlock_fs_file_rights(abi),
			     "writable", path, err);
}

/* The devices of rw_devices[] that exist and are character devices. */
static int add_device(int rfd, const char *path, int abi, struct ward_err *err)
{
	_cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);
	struct stat st;

	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, errno,
				    "device %s: open", path);
	if (fstat(fd, &st) < 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, errno,
				    "device %s: fstat", path);
	if (!S_ISCHR(st.st_mode))
		return 0;
	return add_path_rule(rfd, fd, DEV_RIGHTS & ward_landlock_fs_handled(abi),
			     "device", path, err);
}

static int add_fs_rules(int rfd, const struct ward_landlock *ll, int abi,
			struct ward_err *err)
{
	_cleanup_close_ int root = open("/", O_PATH | O_CLOEXEC);
	int r;

	if (root < 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, errno, "/: open");
	r = add_path_rule(rfd, root, READ_EXEC, "read-only", "/", err);
	for (size_t i = 0; r == 0 && i < ll->nwritable; i++)
		r = add_writable(rfd, ll->writable[i], abi, err);
	for (size_t i = 0; r == 0 && i < N_ELEMS(rw_devices); i++)
		r = add_device(rfd, rw_devices[i], abi, err);
	return r;
}

static int add_port_rules(int rfd, const uint16_t *ports, size_t n,
			  uint64_t access, const char *what,
			  struct ward_err *err)
{
	for (size_t i = 0; i < n; i++) {
		struct net_port_attr np = {
			.allowed_access = access,
			.port = ports[i],
		};

		if (sys_landlock_add_rule(rfd, RULE_NET_PORT, &np, 0) < 0)
			return ward_err_set(err, WARD_STEP_LANDLOCK, errno,
					    "tcp %s port %u: landlock_add_rule",
					    what, (unsigned)ports[i]);
	}
	return 0;
}

static int add_rules(int rfd, const struct ward_landlock *ll, int abi,
		     struct ward_err *err)
{
	int r = 0;

	if (ll->fs)
		r = add_fs_rules(rfd, ll, abi, err);
	if (r == 0 && ll->tcp_bind)
		r = add_port_rules(rfd, ll->bind_ports, ll->nbind,
				   LANDLOCK_ACCESS_NET_BIND_TCP, "bind", err);
	if (r == 0 && ll->tcp_connect)
		r = add_port_rules(rfd, ll->connect_ports, ll->nconnect,
				   LANDLOCK_ACCESS_NET_CONNECT_TCP, "connect", err);
	return r;
}

int ward_landlock_apply(const struct ward_landlock *ll, struct ward_err *err)
{
	_cleanup_close_ int rfd = -1;
	int abi, r;

	if (!restricts_something(ll))
		return 0;
	abi = ward_landlock_abi();
	r = check_request(ll, abi, err);
	if (r < 0)
		return r;
	rfd = create_ruleset(ll, abi, err);
	if (rfd < 0)
		return rfd;
	r = add_rules(rfd, ll, abi, err);
	if (r < 0)
		return r;
	if (sys_landlock_restrict_self(rfd, 0) < 0)
		return ward_err_set(err, WARD_STEP_LANDLOCK, errno,
				    "landlock_restrict_self (is no_new_privs set?)");
	return 0;
}
