/* sock_diag for unix sockets: one dump request, its reply decoded by a
 * pure parser (fuzzed: tests/fuzz/fuzz_sockdiag_reply.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "kernel/sockdiag.h"

/* The kernel's MINORBITS: its dev_t is major << 20 | minor. */
#define KDEV_MINOR_BITS 20

dev_t ward_sockdiag_dev(uint32_t kdev)
{
	return makedev(kdev >> KDEV_MINOR_BITS,
		       kdev & ((1u << KDEV_MINOR_BITS) - 1));
}

size_t ward_sockdiag_request(void *buf, size_t len, uint32_t seq)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req = {
		.h = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = seq,
		},
		.r = {
			.sdiag_family = AF_UNIX,
			.udiag_states = 1u << TCP_LISTEN,
			.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS,
		},
	};

	if (len < sizeof(req))
		return 0;
	memcpy(buf, &req, sizeof(req));
	return sizeof(req);
}

static int append(struct ward_unix_listeners *out,
		  const struct ward_unix_listener *l)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 64;
		struct ward_unix_listener *v;

		if (out->n >= WARD_SOCKDIAG_MAX)
			return -E2BIG;
		v = realloc(out->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		out->v = v;
		out->cap = cap;
	}
	out->v[out->n++] = *l;
	return 0;
}

/* The bound address, printable: '@' for an abstract name's leading NUL,
 * '?' for any other control byte.  A path ends at its first NUL (a
 * binder may count the terminating one in the address length). */
static void copy_name(char *dst, size_t size, const unsigned char *src,
		      size_t len)
{
	size_t i;

	if (len && src[0] != '\0')
		len = strnlen((const char *)src, len);
	for (i = 0; i < len && i + 1 < size; i++)
		dst[i] = i == 0 && src[0] == '\0' ? '@' :
			 src[i] < 0x20 || src[i] == 0x7f ? '?' : (char)src[i];
	dst[i] = '\0';
}

static int parse_attrs(const unsigned char *p, size_t len,
		       struct ward_unix_listener *l)
{
	while (len >= sizeof(struct nlattr)) {
		struct nlattr a;
		size_t step;

		memcpy(&a, p, sizeof(a));
		if (a.nla_len < sizeof(a) || a.nla_len > len)
			return -EBADMSG;
		if ((a.nla_type & NLA_TYPE_MASK) == UNIX_DIAG_NAME) {
			copy_name(l->name, sizeof(l->name), p + sizeof(a),
				  a.nla_len - sizeof(a));
		} else if ((a.nla_type & NLA_TYPE_MASK) == UNIX_DIAG_VFS) {
			struct unix_diag_vfs v;

			if (a.nla_len - sizeof(a) < sizeof(v))
				return -EBADMSG;
			memcpy(&v, p + sizeof(a), sizeof(v));
			l->has_vfs = true;
			l->vfs_ino = v.udiag_vfs_ino;
			l->vfs_dev = ward_sockdiag_dev(v.udiag_vfs_dev);
		}
		step = NLA_ALIGN(a.nla_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

static int parse_socket(const unsigned char *payload, size_t len,
			struct ward_unix_listeners *out)
{
	struct ward_unix_listener l = {0};
	struct unix_diag_msg m;
	size_t head = NLMSG_ALIGN(sizeof(m));
	int r;

	if (len < sizeof(m))
		return -EBADMSG;
	memcpy(&m, payload, sizeof(m));
	if (m.udiag_family != AF_UNIX)
		return -EBADMSG;
	l.ino = m.udiag_ino;
	if (len > head && (r = parse_attrs(payload + head, len - head, &l)) < 0)
		return r;
	if (m.udiag_state != TCP_LISTEN)
		return 0; /* not asked for: passed over */
	return append(out, &l);
}

static int parse_error(const unsigned char *payload, size_t len)
{
	struct nlmsgerr e;

	if (len < sizeof(e))
		return -EBADMSG;
	memcpy(&e, payload, sizeof(e));
	/* 0 is an ACK, which a dump never sends. */
	if (e.error >= 0 || e.error < -4095)
		return -EBADMSG;
	return e.error;
}

int ward_sockdiag_parse(const void *buf, size_t len, uint32_t seq,
			struct ward_unix_listeners *out)
{
	const unsigned char *p = buf;

	while (len > 0) {
		struct nlmsghdr h;
		size_t step;
		int r = 0;

		if (len < sizeof(h))
			return -EBADMSG;
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len)
			return -EBADMSG;
		if (h.nlmsg_seq != seq)
			return -ESRCH;
		if (h.nlmsg_type == NLMSG_DONE)
			return 1;
		if (h.nlmsg_type == NLMSG_ERROR)
			return parse_error(p + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN);
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY)
			r = parse_socket(p + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN, out);
		else if (h.nlmsg_type != NLMSG_NOOP)
			r = -EBADMSG;
		if (r < 0)
			return r;
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

void ward_unix_listeners_free(struct ward_unix_listeners *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* One datagram from the kernel (port 0), whole. */
static ssize_t recv_reply(int fd, void *buf, size_t len)
{
	struct sockaddr_nl from;
	socklen_t fromlen = sizeof(from);
	ssize_t n;

	do
		n = recvfrom(fd, buf, len, MSG_TRUNC, (struct sockaddr *)&from,
			     &fromlen);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n > len || fromlen != sizeof(from) || from.nl_pid != 0)
		return -EBADMSG;
	return n;
}

/* The kernel fills a dump datagram up to about 32 KiB. */
#define REPLY_MAX (64 * 1024)

static int dump(int fd, uint32_t seq, struct ward_unix_listeners *out)
{
	_cleanup_free_ unsigned char *buf = malloc(REPLY_MAX);
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	size_t n;
	int r;

	if (!buf)
		return -ENOMEM;
	n = ward_sockdiag_request(buf, REPLY_MAX, seq);
	if (sendto(fd, buf, n, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	do {
		ssize_t got = recv_reply(fd, buf, REPLY_MAX);

		if (got < 0)
			return (int)got;
		r = ward_sockdiag_parse(buf, (size_t)got, seq, out);
	} while (r == 0);
	return r < 0 ? r : 0;
}

int ward_sockdiag_unix_listeners(struct ward_unix_listeners *out,
				 struct ward_err *err)
{
	_cleanup_close_ int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
					NETLINK_SOCK_DIAG);
	uint32_t seq = (uint32_t)getpid() ^ 0x5d1a6000u;
	int r;

	out->n = 0;
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno,
				    "sock_diag: socket(NETLINK_SOCK_DIAG)");
	r = dump(fd, seq, out);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, -r,
				    "sock_diag: listing the unix sockets that listen");
	return 0;
}
