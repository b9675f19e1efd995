/* engine/tcp_listeners.c: /proc/net/tcp and tcp6 parsing, addresses,
 * the engine names (pure); and, for real, a listener held by a process
 * whose executable is named dockerd is found with its pid, while one
 * named docker-proxy is not. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "engine/dockersock.h"
#include "engine/tcp_listeners.h"

#define HDR4 "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
#define HDR6 "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
#define TAIL " 00000000:00000000 00:00000000 00000000 "

static int parse(const char *text, bool v6, struct ward_tcp_listener *out,
		 size_t max, size_t *n)
{
	*n = 0;
	return ward_tcp_parse_listeners(text, strlen(text), v6, out, max, n);
}

static void test_ipv4(void **state)
{
	static const char text[] = HDR4
		"   0: 0100007F:0947 00000000:0000 0A" TAIL "    0        0 123456 1 ffff 100 0 0 10 0\n"
		"   1: 0100007F:0947 0100007F:D2A4 01" TAIL "    0        0 9999 1 ffff 20 4 30 10 -1\n"
		"   2: 00000000:0016 00000000:0000 0A" TAIL " 1000        0 2345 1 ffff 100 0 0 10 0\n";
	struct ward_tcp_listener l[4];
	char buf[64];
	size_t n;

	assert_int_equal(parse(text, false, l, 4, &n), 0);
	assert_int_equal(n, 2); /* the established one is no listener */
	assert_int_equal(l[0].port, 2375);
	assert_int_equal(l[0].inode, 123456);
	assert_int_equal(l[0].uid, 0);
	assert_true(ward_tcp_listener_loopback(&l[0]));
	ward_tcp_listener_format(&l[0], buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:2375");
	assert_int_equal(l[1].port, 22);
	assert_int_equal(l[1].uid, 1000);
	assert_false(ward_tcp_listener_loopback(&l[1]));
	ward_tcp_listener_format(&l[1], buf, sizeof(buf));
	assert_string_equal(buf, "0.0.0.0:22");
}

static void test_ipv6(void **state)
{
	static const char text[] = HDR6
		"   0: 00000000000000000000000000000000:0948 00000000000000000000000000000000:0000 0A" TAIL "    0        0 777 1\n"
		"   1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A" TAIL "    0        0 778 1\n"
		"   2: 0000000000000000FFFF00000100007F:0017 00000000000000000000000000000000:0000 0A" TAIL "    0        0 779 1\n"
		"   3: B80D0120000000000000000001000000:0050 00000000000000000000000000000000:0000 0A" TAIL "    0        0 780 1\n";
	struct ward_tcp_listener l[4];
	char buf[64];
	size_t n;

	assert_int_equal(parse(text, true, l, 4, &n), 0);
	assert_int_equal(n, 4);
	ward_tcp_listener_format(&l[0], buf, sizeof(buf));
	assert_string_equal(buf, "[::]:2376");
	assert_false(ward_tcp_listener_loopback(&l[0]));
	assert_true(ward_tcp_listener_loopback(&l[1])); /* ::1 */
	ward_tcp_listener_format(&l[1], buf, sizeof(buf));
	assert_string_equal(buf, "[0:0:0:0:0:0:0:1]:22");
	assert_true(ward_tcp_listener_loopback(&l[2])); /* ::ffff:127.0.0.1 */
	ward_tcp_listener_format(&l[3], buf, sizeof(buf));
	assert_string_equal(buf, "[2001:db8:0:0:0:0:0:1]:80");
	assert_false(ward_tcp_listener_loopback(&l[3]));
}

/* Anything but the kernel's format is refused: ward cannot tell. */
static void test_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"no header\n",
		HDR4 "   0: 0100007G:0947 00000000:0000 0A" TAIL "    0        0 1 1\n",
		HDR4 "   0: 0100007F:947 00000000:0000 0A" TAIL "    0        0 1 1\n",
		HDR4 "   0: 0100007F:0947 00000000:0000 0A" TAIL "   -1        0 1 1\n",
		HDR4 "   0: 0100007F:0947 00000000:0000 0A" TAIL "99999999999        0 1 1\n",
		HDR4 "   0: 0100007F:0947 00000000:0000 0A" TAIL "    0        0 99999999999999999999999 1\n",
		HDR4 "   0: 0100007F:0947 00000000:0000 0A\n",
		HDR4 "   0 0100007F:0947 00000000:0000 0A" TAIL "    0        0 1 1\n",
	};
	struct ward_tcp_listener l[4];
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], false, l, 4, &n) != -EINVAL)
			fail_msg("case %zu accepted", i);
	/* an IPv4 line in tcp6 */
	assert_int_equal(parse(HDR6 "   0: 0100007F:0947 00000000:0000 0A" TAIL "    0        0 1 1\n",
			       true, l, 4, &n), -EINVAL);
	/* a header alone, and blank lines, are no listener */
	assert_int_equal(parse(HDR4 "\n\n", false, l, 4, &n), 0);
	assert_int_equal(n, 0);
	/* more than the room */
	assert_int_equal(parse(HDR4
			       "   0: 0100007F:0947 00000000:0000 0A" TAIL "    0        0 1 1\n"
			       "   1: 0100007F:0948 00000000:0000 0A" TAIL "    0        0 2 1\n",
			       false, l, 1, &n), -E2BIG);
}

static void test_engine_names(void **state)
{
	assert_int_equal(ward_tcp_engine_by_exe("dockerd"), WARD_ENGINE_DOCKER);
	assert_int_equal(ward_tcp_engine_by_exe("containerd"), WARD_ENGINE_CONTAINERD);
	assert_int_equal(ward_tcp_engine_by_exe("podman"), WARD_ENGINE_PODMAN);
	assert_int_equal(ward_tcp_engine_by_exe("crio"), WARD_ENGINE_CRIO);
	assert_int_equal(ward_tcp_engine_by_exe("buildkitd"), WARD_ENGINE_BUILDKIT);
	/* published ports, not an engine's API */
	assert_int_equal(ward_tcp_engine_by_exe("docker-proxy"), -1);
	assert_int_equal(ward_tcp_engine_by_exe("rootlesskit"), -1);
	assert_int_equal(ward_tcp_engine_by_exe("python3"), -1);
	assert_int_equal(ward_tcp_engine_by_exe(""), -1);
	assert_int_equal(ward_tcp_engine_by_port(2375), WARD_ENGINE_DOCKER);
	assert_int_equal(ward_tcp_engine_by_port(2376), WARD_ENGINE_DOCKER);
	assert_int_equal(ward_tcp_engine_by_port(2377), -1);
}

/* ---- sock_diag answers ------------------------------------------------- */

static uint16_t listen_port(int fd);
#define listen_port_for_test listen_port

struct diag_buf {
	char b[1024] __attribute__((aligned(4)));
	size_t len;
};

static void put_msg(struct diag_buf *d, uint16_t type, uint32_t seq, const void *p,
		    size_t plen)
{
	struct nlmsghdr h = {.nlmsg_len = NLMSG_LENGTH(plen), .nlmsg_type = type,
			     .nlmsg_seq = seq};

	memcpy(d->b + d->len, &h, sizeof(h));
	memcpy(d->b + d->len + NLMSG_HDRLEN, p, plen);
	d->len += NLMSG_ALIGN(h.nlmsg_len);
}

static void put_listener(struct diag_buf *d, uint32_t seq, int family, const void *addr,
			 uint16_t port, uint32_t inode, uint8_t state)
{
	struct inet_diag_msg m = {.idiag_family = (uint8_t)family, .idiag_state = state,
				  .idiag_uid = 0, .idiag_inode = inode};

	m.id.idiag_sport = htons(port);
	memcpy(m.id.idiag_src, addr, family == AF_INET ? 4 : 16);
	put_msg(d, SOCK_DIAG_BY_FAMILY, seq, &m, sizeof(m));
}

static void test_diag(void **state)
{
	static const uint8_t lo4[4] = {127, 0, 0, 1}, any6[16] = {0};
	struct ward_tcp_listener l[4];
	struct diag_buf d = {.len = 0};
	struct nlmsgerr e = {.error = -EPERM};
	int done = 0;
	char buf[64];
	size_t n = 0;

	put_listener(&d, 7, AF_INET, lo4, 2375, 42, 10);
	put_listener(&d, 7, AF_INET6, any6, 2376, 43, 10);
	put_listener(&d, 7, AF_INET, lo4, 80, 44, 1); /* not listening */
	assert_int_equal(ward_tcp_parse_diag(d.b, d.len, 7, l, 4, &n), 0);
	assert_int_equal(n, 2);
	ward_tcp_listener_format(&l[0], buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:2375");
	assert_int_equal(l[0].inode, 42);
	ward_tcp_listener_format(&l[1], buf, sizeof(buf));
	assert_string_equal(buf, "[::]:2376");
	d.len = 0;
	put_msg(&d, NLMSG_DONE, 7, &done, sizeof(done));
	assert_int_equal(ward_tcp_parse_diag(d.b, d.len, 7, l, 4, &n), 1);
	/* another sequence, an error, a truncation, no room, nothing */
	assert_int_equal(ward_tcp_parse_diag(d.b, d.len, 8, l, 4, &n), -EINVAL);
	d.len = 0;
	put_msg(&d, NLMSG_ERROR, 7, &e, sizeof(e));
	assert_int_equal(ward_tcp_parse_diag(d.b, d.len, 7, l, 4, &n), -EPERM);
	d.len = 0;
	put_listener(&d, 7, AF_INET, lo4, 2375, 42, 10);
	assert_int_equal(ward_tcp_parse_diag(d.b, d.len - 4, 7, l, 4, &n), -EINVAL);
	n = 4;
	assert_int_equal(ward_tcp_parse_diag(d.b, d.len, 7, l, 4, &n), -E2BIG);
	assert_int_equal(ward_tcp_parse_diag(d.b, 0, 7, l, 4, &n), -EINVAL);
}

/* sock_diag lists this test's own listener, on loopback. */
static void test_diag_finds_own(void **state)
{
	static struct ward_tcp_listener a[WARD_TCP_MAX_LISTENERS];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	uint16_t port = listen_port_for_test(fd);
	size_t n = 0;
	bool found = false;

	assert_true(port != 0);
	assert_int_equal(ward_tcp_diag_listeners(a, WARD_TCP_MAX_LISTENERS, &n), 0);
	for (size_t i = 0; i < n; i++)
		found |= a[i].port == port && ward_tcp_listener_loopback(&a[i]);
	assert_true(found);
	close(fd);
}

/* ---- for real: a process named dockerd listening on 127.0.0.1 ---------- */

static uint16_t listen_port(int fd)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);

	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return 0;
	return ntohs(sa.sin_port);
}

/* A copy of sleep(1) named @name, run with a listening socket as its fd 3:
 * its /proc/PID/exe names @name. */
static pid_t start_named(const char *dir, const char *name, uint16_t *port)
{
	char path[256], cmd[600];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(cmd, sizeof(cmd), "cp /bin/sleep %s", path);
	assert_int_equal(system(cmd), 0);
	assert_true(fd >= 0);
	*port = listen_port(fd);
	assert_true(*port != 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd, 3);
		execl(path, name, "30", (char *)NULL);
		_exit(127);
	}
	close(fd);
	return pid;
}

static const struct ward_tcp_engine *find_port(const struct ward_tcp_engine *e,
					       size_t n, uint16_t port)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].l.port == port)
			return &e[i];
	return NULL;
}

static void test_real(void **state)
{
	char dir[] = "/tmp/ward-tcp-test.XXXXXX", cmd[64];
	struct ward_tcp_engine e[WARD_TCP_MAX_ENGINES];
	const struct ward_tcp_engine *d;
	struct ward_err err = {0};
	uint16_t pd = 0, pp = 0;
	pid_t dockerd, proxy;
	size_t n = 0;

	assert_non_null(mkdtemp(dir));
	dockerd = start_named(dir, "dockerd", &pd);
	proxy = start_named(dir, "docker-proxy", &pp);
	usleep(100 * 1000); /* both executed */
	assert_int_equal(ward_tcp_engine_listeners(e, WARD_TCP_MAX_ENGINES, &n, &err), 0);
	d = find_port(e, n, pd);
	assert_non_null(d);
	assert_int_equal(d->pid, dockerd);
	assert_int_equal(d->engine, WARD_ENGINE_DOCKER);
	assert_string_equal(d->exe, "dockerd");
	assert_null(find_port(e, n, pp));
	kill(dockerd, SIGKILL);
	kill(proxy, SIGKILL);
	waitpid(dockerd, NULL, 0);
	waitpid(proxy, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_engine_names),
		cmocka_unit_test(test_diag),
		cmocka_unit_test(test_diag_finds_own),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
