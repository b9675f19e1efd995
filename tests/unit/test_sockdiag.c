/* kernel/sockdiag.c: the unix_diag dump request, the reply decoder on
 * listeners with and without a name or file, abstract and NUL-padded
 * names, non-listening entries, kernel errors, another request's
 * messages, truncated and malformed replies and the size bound; the
 * device-number translation; and one real dump that must find a socket
 * this test listens on, by its file and by its inode. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel/sockdiag.h"

#define SEQ 0x5eedu

/* ---- building replies ------------------------------------------------- */

struct reply {
	unsigned char buf[8192] __attribute__((aligned(8)));
	size_t len;
};

static void *put(struct reply *r, const void *p, size_t n)
{
	void *at = r->buf + r->len;

	assert_true(r->len + NLMSG_ALIGN(n) <= sizeof(r->buf));
	memcpy(at, p, n);
	memset(r->buf + r->len + n, 0, NLMSG_ALIGN(n) - n);
	r->len += NLMSG_ALIGN(n);
	return at;
}

static struct nlmsghdr *begin(struct reply *r, uint16_t type, uint32_t seq)
{
	struct nlmsghdr h = {.nlmsg_type = type, .nlmsg_seq = seq,
			     .nlmsg_flags = NLM_F_MULTI};

	return put(r, &h, sizeof(h));
}

static void end(struct reply *r, struct nlmsghdr *h)
{
	h->nlmsg_len = (uint32_t)((r->buf + r->len) - (unsigned char *)h);
}

static void attr(struct reply *r, uint16_t type, const void *p, size_t n)
{
	struct nlattr a = {.nla_len = (uint16_t)(sizeof(a) + n), .nla_type = type};
	unsigned char tmp[256];

	assert_true(sizeof(a) + n <= sizeof(tmp));
	memcpy(tmp, &a, sizeof(a));
	memcpy(tmp + sizeof(a), p, n);
	put(r, tmp, sizeof(a) + n);
}

/* One socket: @name (@nlen bytes, none when NULL), @vfs (none when
 * NULL). */
static void sock(struct reply *r, uint32_t ino, uint8_t state,
		 const char *name, size_t nlen, const struct unix_diag_vfs *vfs)
{
	struct nlmsghdr *h = begin(r, SOCK_DIAG_BY_FAMILY, SEQ);
	struct unix_diag_msg m = {.udiag_family = AF_UNIX, .udiag_type = SOCK_STREAM,
				  .udiag_state = state, .udiag_ino = ino};

	put(r, &m, sizeof(m));
	if (name)
		attr(r, UNIX_DIAG_NAME, name, nlen);
	if (vfs)
		attr(r, UNIX_DIAG_VFS, vfs, sizeof(*vfs));
	end(r, h);
}

static void done(struct reply *r)
{
	int zero = 0;
	struct nlmsghdr *h = begin(r, NLMSG_DONE, SEQ);

	put(r, &zero, sizeof(zero));
	end(r, h);
}

static void error(struct reply *r, int e)
{
	struct nlmsghdr *h = begin(r, NLMSG_ERROR, SEQ);
	struct nlmsgerr err = {.error = e};

	put(r, &err, sizeof(err));
	end(r, h);
}

static int parse(const struct reply *r, struct ward_unix_listeners *out)
{
	return ward_sockdiag_parse(r->buf, r->len, SEQ, out);
}

/* ---- the request ------------------------------------------------------ */

static void test_request(void **state)
{
	unsigned char buf[64];
	struct nlmsghdr h;
	struct unix_diag_req q;
	size_t n;

	(void)state;
	assert_int_equal(ward_sockdiag_request(buf, 8, 1), 0);
	n = ward_sockdiag_request(buf, sizeof(buf), 77);
	assert_int_equal(n, sizeof(h) + sizeof(q));
	memcpy(&h, buf, sizeof(h));
	memcpy(&q, buf + sizeof(h), sizeof(q));
	assert_int_equal(h.nlmsg_len, n);
	assert_int_equal(h.nlmsg_type, SOCK_DIAG_BY_FAMILY);
	assert_int_equal(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(h.nlmsg_seq, 77);
	assert_int_equal(q.sdiag_family, AF_UNIX);
	assert_int_equal(q.udiag_states, 1u << TCP_LISTEN);
	assert_int_equal(q.udiag_show, UDIAG_SHOW_NAME | UDIAG_SHOW_VFS);
	assert_int_equal(q.udiag_ino, 0);
}

/* ---- the device number ------------------------------------------------ */

static void test_dev(void **state)
{
	(void)state;
	assert_true(ward_sockdiag_dev((8u << 20) | 1) == makedev(8, 1));
	assert_true(ward_sockdiag_dev(0) == makedev(0, 0));
	/* a minor past 255 (an anonymous device: tmpfs, overlayfs, btrfs) */
	assert_true(ward_sockdiag_dev((0u << 20) | 300) == makedev(0, 300));
	assert_true(ward_sockdiag_dev((259u << 20) | 0xfffff) ==
		    makedev(259, 0xfffff));
}

/* ---- the reply -------------------------------------------------------- */

static void test_listeners(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct ward_unix_listeners out = {0};
	struct unix_diag_vfs vfs = {.udiag_vfs_ino = 4242, .udiag_vfs_dev = (0u << 20) | 35};

	(void)state;
	sock(r, 100, TCP_LISTEN, "/run/x/api.sock", 15, &vfs);
	sock(r, 101, TCP_LISTEN, NULL, 0, NULL);
	done(r);
	assert_int_equal(parse(r, &out), 1);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.v[0].ino, 100);
	assert_true(out.v[0].has_vfs);
	assert_true(out.v[0].vfs_ino == 4242);
	assert_true(out.v[0].vfs_dev == makedev(0, 35));
	assert_string_equal(out.v[0].name, "/run/x/api.sock");
	assert_int_equal(out.v[1].ino, 101);
	assert_false(out.v[1].has_vfs);
	assert_string_equal(out.v[1].name, "");
	ward_unix_listeners_free(&out);
	assert_null(out.v);
	free(r);
}

/* No NLMSG_DONE yet: more datagrams follow; entries accumulate. */
static void test_more_follows(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct ward_unix_listeners out = {0};

	(void)state;
	sock(r, 1, TCP_LISTEN, "/a", 2, NULL);
	assert_int_equal(parse(r, &out), 0);
	r->len = 0;
	sock(r, 2, TCP_LISTEN, "/b", 2, NULL);
	done(r);
	assert_int_equal(parse(r, &out), 1);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[1].name, "/b");
	ward_unix_listeners_free(&out);
	free(r);
}

static void test_names(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct ward_unix_listeners out = {0};
	char longname[108];

	(void)state;
	/* Go counts the terminating NUL in the address length. */
	sock(r, 1, TCP_LISTEN, "/tmp/d.sock\0", 12, NULL);
	/* abstract: a leading NUL, any bytes after it */
	sock(r, 2, TCP_LISTEN, "\0shim\x01x\0y", 9, NULL);
	memset(longname, 'a', sizeof(longname));
	longname[0] = '/';
	sock(r, 3, TCP_LISTEN, longname, sizeof(longname), NULL);
	done(r);
	assert_int_equal(parse(r, &out), 1);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.v[0].name, "/tmp/d.sock");
	assert_string_equal(out.v[1].name, "@shim?x?y");
	assert_int_equal(strlen(out.v[2].name), 108);
	ward_unix_listeners_free(&out);
	free(r);
}

/* Entries in another state than LISTEN (not asked for) are passed over. */
static void test_not_listening(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct ward_unix_listeners out = {0};

	(void)state;
	sock(r, 1, TCP_ESTABLISHED, "/a", 2, NULL);
	sock(r, 2, TCP_LISTEN, "/b", 2, NULL);
	done(r);
	assert_int_equal(parse(r, &out), 1);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.v[0].ino, 2);
	ward_unix_listeners_free(&out);
	free(r);
}

static void test_kernel_error(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct ward_unix_listeners out = {0};

	(void)state;
	error(r, -EACCES);
	assert_int_equal(parse(r, &out), -EACCES);
	r->len = 0;
	error(r, 0); /* an ACK: no dump sends one */
	assert_int_equal(parse(r, &out), -EBADMSG);
	r->len = 0;
	error(r, -5000);
	assert_int_equal(parse(r, &out), -EBADMSG);
	r->len = 0;
	error(r, -EPERM);
	r->len -= 4; /* shorter than struct nlmsgerr */
	((struct nlmsghdr *)r->buf)->nlmsg_len -= 4;
	assert_int_equal(parse(r, &out), -EBADMSG);
	assert_int_equal(out.n, 0);
	ward_unix_listeners_free(&out);
	free(r);
}

static void test_other_request(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct ward_unix_listeners out = {0};

	(void)state;
	sock(r, 1, TCP_LISTEN, "/a", 2, NULL);
	assert_int_equal(ward_sockdiag_parse(r->buf, r->len, SEQ + 1, &out), -ESRCH);
	assert_int_equal(out.n, 0);
	free(r);
}

static void test_malformed(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct ward_unix_listeners out = {0};
	struct unix_diag_vfs vfs = {1, 2};
	struct nlmsghdr *h;

	(void)state;
	/* shorter than a header */
	assert_int_equal(ward_sockdiag_parse(r->buf, 10, SEQ, &out), -EBADMSG);
	/* a length past the datagram */
	sock(r, 1, TCP_LISTEN, "/a", 2, NULL);
	((struct nlmsghdr *)r->buf)->nlmsg_len = (uint32_t)r->len + 4;
	assert_int_equal(parse(r, &out), -EBADMSG);
	/* a length shorter than a header */
	((struct nlmsghdr *)r->buf)->nlmsg_len = 8;
	assert_int_equal(parse(r, &out), -EBADMSG);
	/* a payload shorter than struct unix_diag_msg */
	r->len = 0;
	h = begin(r, SOCK_DIAG_BY_FAMILY, SEQ);
	put(r, "abcd", 4);
	end(r, h);
	assert_int_equal(parse(r, &out), -EBADMSG);
	/* another family */
	r->len = 0;
	sock(r, 1, TCP_LISTEN, NULL, 0, NULL);
	r->buf[NLMSG_HDRLEN] = AF_INET;
	assert_int_equal(parse(r, &out), -EBADMSG);
	/* an attribute longer than what is left */
	r->len = 0;
	sock(r, 1, TCP_LISTEN, "/a", 2, NULL);
	((struct nlattr *)(r->buf + NLMSG_HDRLEN +
			   NLMSG_ALIGN(sizeof(struct unix_diag_msg))))->nla_len = 200;
	assert_int_equal(parse(r, &out), -EBADMSG);
	/* a VFS attribute too short for its struct */
	r->len = 0;
	h = begin(r, SOCK_DIAG_BY_FAMILY, SEQ);
	{
		struct unix_diag_msg m = {.udiag_family = AF_UNIX,
					  .udiag_state = TCP_LISTEN};

		put(r, &m, sizeof(m));
		attr(r, UNIX_DIAG_VFS, &vfs, 4);
	}
	end(r, h);
	assert_int_equal(parse(r, &out), -EBADMSG);
	/* an unknown message type */
	r->len = 0;
	h = begin(r, 0x77, SEQ);
	end(r, h);
	assert_int_equal(parse(r, &out), -EBADMSG);
	assert_int_equal(out.n, 0);
	ward_unix_listeners_free(&out);
	free(r);
}

static void test_bounded(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct ward_unix_listener one;
	struct ward_unix_listeners out = {.v = &one, .n = WARD_SOCKDIAG_MAX,
					  .cap = WARD_SOCKDIAG_MAX};

	(void)state;
	sock(r, 1, TCP_LISTEN, "/a", 2, NULL);
	assert_int_equal(parse(r, &out), -E2BIG);
	assert_int_equal(out.n, WARD_SOCKDIAG_MAX);
	free(r);
}

/* ---- the kernel ------------------------------------------------------- */

/* A socket this test listens on is in the dump, with its file's identity
 * and the inode /proc/self/fd names. */
static void test_live(void **state)
{
	char dir[] = "/tmp/ward-sockdiag.XXXXXX", link[64], target[64];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct ward_unix_listeners out = {0};
	struct ward_err err = {0};
	struct stat st;
	unsigned long ino;
	bool found = false;
	int fd, r;
	ssize_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s", dir);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(stat(sa.sun_path, &st), 0);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	assert_true(n > 0);
	target[n] = '\0';
	assert_int_equal(sscanf(target, "socket:[%lu]", &ino), 1);
	r = ward_sockdiag_unix_listeners(&out, &err);
	if (r == -EPROTONOSUPPORT || r == -ENOENT) {
		close(fd);
		unlink(sa.sun_path);
		rmdir(dir);
		skip();
	}
	assert_int_equal(r, 0);
	for (size_t i = 0; i < out.n; i++)
		if (out.v[i].has_vfs && out.v[i].vfs_dev == st.st_dev &&
		    out.v[i].vfs_ino == st.st_ino) {
			assert_int_equal(out.v[i].ino, ino);
			assert_string_equal(out.v[i].name, sa.sun_path);
			found = true;
		}
	assert_true(found);
	ward_unix_listeners_free(&out);
	close(fd);
	unlink(sa.sun_path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_dev),
		cmocka_unit_test(test_listeners),
		cmocka_unit_test(test_more_follows),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_not_listening),
		cmocka_unit_test(test_kernel_error),
		cmocka_unit_test(test_other_request),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
