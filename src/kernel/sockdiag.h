/* The listening unix sockets of this network namespace, asked of the
 * kernel through sock_diag (NETLINK_SOCK_DIAG, AF_UNIX: unix_diag).  For
 * each it gives the socket's own inode (what /proc/PID/fd/N names as
 * "socket:[N]") and the identity of the file it is bound to, so a socket
 * file, under whatever name or hard link, leads to the socket listening
 * on it and from there to the process holding it.
 *
 * The kernel answers for the network namespace of the asking socket only:
 * a listener in another one (a rootless engine inside RootlessKit's) is
 * not in the answer.  Nothing here needs a privilege.  The request is
 * hand-rolled (no libmnl) so that the static build has it too. */
#ifndef WARD_SOCKDIAG_H
#define WARD_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"

/* More listeners than this in one network namespace: the answer is
 * refused (-E2BIG) rather than kept in part. */
#define WARD_SOCKDIAG_MAX 65536

struct ward_unix_listener {
	uint32_t ino;     /* the socket's inode: socket:[ino] */
	bool has_vfs;     /* bound to a file (not abstract, not unnamed) */
	dev_t vfs_dev;    /* that file, as stat(2) would give it */
	ino_t vfs_ino;
	char name[109];   /* the address it was bound with ('@' for an
			   * abstract one's leading NUL), or "" */
};

struct ward_unix_listeners {
	struct ward_unix_listener *v;
	size_t n, cap;
};

/* Ask the kernel for every listening AF_UNIX socket of this network
 * namespace, with its name and file (UDIAG_SHOW_NAME | UDIAG_SHOW_VFS).
 * @out is emptied first.  Returns 0, or a negative errno (also in @err,
 * step WARD_STEP_DOCKERSOCK): -EPROTONOSUPPORT or -ENOENT where the kernel
 * has no unix_diag, -E2BIG past WARD_SOCKDIAG_MAX, -EBADMSG on a reply
 * that does not parse.  Parent side (plan time), and ward probe. */
int ward_sockdiag_unix_listeners(struct ward_unix_listeners *out,
				 struct ward_err *err);
void ward_unix_listeners_free(struct ward_unix_listeners *l);

/* ---- pure ------------------------------------------------------------- */

/* The request: a dump of listening unix sockets with sequence @seq. */
size_t ward_sockdiag_request(void *buf, size_t len, uint32_t seq);

/* Decode one datagram of the kernel's reply to request @seq, appending to
 * @out.  Returns 1 when the dump is complete (NLMSG_DONE), 0 when more
 * datagrams follow, -ESRCH for a message of another request, -EBADMSG for
 * a malformed one, -E2BIG past WARD_SOCKDIAG_MAX entries, -ENOMEM, or the
 * kernel's own negative errno from an NLMSG_ERROR. */
int ward_sockdiag_parse(const void *buf, size_t len, uint32_t seq,
			struct ward_unix_listeners *out);

/* The kernel's internal device number (major << 20 | minor), as unix_diag
 * reports it, in the encoding of stat(2)'s st_dev. */
dev_t ward_sockdiag_dev(uint32_t kdev);

#endif
