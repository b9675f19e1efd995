/* /etc/hosts, /etc/hostname and /etc/resolv.conf, as Docker gives every
 * container: made by ward to fit the sandbox's name and network, and
 * bound read-only over the root's own files, only where the root holds
 * them as regular files (an image's always does: the unpacker makes
 * them).  A root of the host's directories (--rootfs host) keeps the
 * host's, and a bind or tmpfs the operator puts at one of these paths
 * wins. */
#ifndef WARD_ETC_FILES_H
#define WARD_ETC_FILES_H

#include <stddef.h>

#include "base/err.h"
#include "plan/plan.h"

/* The largest resolv.conf read from the host (glibc reads far less). */
#define WARD_RESOLV_MAX (64u << 10)

/* Pure: the contents, into @buf (at most @len bytes with the NUL).
 * hosts: localhost (IPv4 and IPv6) and the hostname (eth0's address
 * with --net veth, else 127.0.1.1).  resolv.conf: with --net none or
 * loopback, no nameserver, a comment saying why; --net host: @host (the
 * host's file) as it is; veth: @host without its nameservers on the
 * host's loopback (127.0.0.0/8, ::1), which the sandbox cannot reach. */
void ward_etc_hosts(const struct ward_plan *plan, char *buf, size_t len);
void ward_etc_resolv(const struct ward_plan *plan, const char *host,
		     char *buf, size_t len);

/* Parent (ward_launch_prepare): the host's /etc/resolv.conf into
 * plan->resolv_conf for --net host and veth when the root is an image;
 * a host without one gives "".  0 or -errno with @err set. */
int ward_etc_read_host(struct ward_plan *plan, struct ward_err *err);

/* Child, before the pivot, the root read-only (@rootfd, the host at
 * /oldroot, the staging tmpfs at /): the three files written into a
 * tmpfs of their own at /etc-files in staging, made read-only, and each
 * bound read-only onto the root's file, resolved without following a
 * symlink.  0 or -errno with @err set (WARD_STEP_MOUNTS). */
int ward_etc_files_mount(int rootfd, const struct ward_plan *plan,
			 struct ward_err *err);

#endif
