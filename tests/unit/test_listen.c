/* listen [ADDR:]PORT[/tcp|/udp] and listen-env: parsing (plan/listen.c),
 * the directive's replace-and-clear rules, the network checks at
 * resolution, and the hand-over to fd 3 onwards (launch/listen.c). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "launch/listen.h"
#include "plan/listen.h"
#include "plan/plan.h"

#include "under_valgrind.h"

static char *test_argv[] = {"/bin/true", NULL};

/* ---- parsing ---------------------------------------------------------------- */

static void test_parse_bare_port_is_dual_stack(void **state)
{
	struct ward_listen l;
	char why[128];
	static const uint8_t any6[16] = {0};

	assert_int_equal(ward_listen_parse("80", &l, why, sizeof(why)), 0);
	assert_int_equal(l.family, AF_INET6);
	assert_false(l.v6only);
	assert_memory_equal(l.addr, any6, 16);
	assert_int_equal(l.port, 80);
	assert_int_equal(l.type, SOCK_STREAM);
	assert_int_equal(l.protocol, IPPROTO_TCP);
	assert_int_equal(l.fd, -1);
	assert_string_equal(l.text, "[::]:80/tcp");
	assert_string_equal(l.name, "tcp-80");
}

static void test_parse_addresses_and_protocols(void **state)
{
	struct ward_listen l;
	char why[128];
	uint8_t lo6[16] = {0};

	lo6[15] = 1;
	assert_int_equal(ward_listen_parse("0.0.0.0:80", &l, why, sizeof(why)), 0);
	assert_int_equal(l.family, AF_INET);
	assert_string_equal(l.text, "0.0.0.0:80/tcp");
	assert_int_equal(ward_listen_parse("127.0.0.1:8080/tcp", &l, why, sizeof(why)), 0);
	assert_int_equal(l.addr[0], 127);
	assert_int_equal(l.addr[3], 1);
	assert_int_equal(ward_listen_parse("[::]:80", &l, why, sizeof(why)), 0);
	assert_int_equal(l.family, AF_INET6);
	assert_true(l.v6only); /* beside 0.0.0.0:80, as nginx's [::]:80 */
	assert_int_equal(ward_listen_parse("[::1]:53/udp", &l, why, sizeof(why)), 0);
	assert_memory_equal(l.addr, lo6, 16);
	assert_int_equal(l.type, SOCK_DGRAM);
	assert_int_equal(l.protocol, IPPROTO_UDP);
	assert_string_equal(l.text, "[::1]:53/udp");
	assert_string_equal(l.name, "udp-53");
}

static void test_parse_refusals(void **state)
{
	static const char *const bad[] = {
		"", "0", "65536", "80x", "-1", "+80", "80/sctp", "80/", "/tcp",
		"::1:80", "[::1]80", "[::1", "[nope]:80", "1.2.3:80", "1.2.3.4:",
		"localhost:80", "1.2.3.4:80:81",
	};
	struct ward_listen l;
	char why[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (ward_listen_parse(bad[i], &l, why, sizeof(why)) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(why[0] != '\0');
	}
}

/* ---- the directive and the plan ---------------------------------------------------- */

struct kv {
	const char *key, *value;
	const char *file; /* NULL: the command line */
};

static int build(const struct kv *kv, struct ward_plan **out, struct ward_err *err)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	int r = 0;

	assert_non_null(b);
	for (; kv->key && r == 0; kv++) {
		struct ward_origin o = {kv->file, 1, 1};

		r = ward_plan_apply(b, kv->key, kv->value, kv->file ? &o : NULL, err);
	}
	ward_plan_set_argv(b, test_argv);
	if (r == 0)
		r = ward_plan_finish(b, out, err);
	ward_plan_builder_free(b);
	return r;
}

static void test_profile_lines_add_up_and_command_line_replaces(void **state)
{
	const struct kv profile_only[] = {
		{"listen", "0.0.0.0:80", "p.profile"}, {"listen", "[::]:80", "p.profile"}, {NULL},
	};
	const struct kv replaced[] = {
		{"listen", "0.0.0.0:80", "p.profile"}, {"listen", "[::]:80", "p.profile"},
		{"listen", "8080", NULL}, {"listen", "8081", NULL}, {NULL},
	};
	const struct kv cleared[] = {
		{"listen", "0.0.0.0:80", "p.profile"}, {"listen", "none", NULL}, {NULL},
	};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);

	assert_int_equal(build(profile_only, &plan, &err), 0);
	assert_int_equal(plan->nlisten, 2);
	assert_string_equal(plan->listen[0].text, "0.0.0.0:80/tcp");
	assert_string_equal(plan->listen[1].text, "[::]:80/tcp");
	ward_plan_free(plan);
	assert_int_equal(build(replaced, &plan, &err), 0);
	assert_int_equal(plan->nlisten, 2);
	assert_int_equal(plan->listen[0].port, 8080);
	assert_int_equal(plan->listen[1].port, 8081);
	ward_plan_free(plan);
	assert_int_equal(build(cleared, &plan, &err), 0);
	assert_int_equal(plan->nlisten, 0);
	assert_false(plan->tcp_connect_set);
	ward_plan_free(plan);
}

static void test_loopback_denies_tcp_connect(void **state)
{
	const struct kv loopback[] = {{"listen", "8080", NULL}, {NULL}};
	const struct kv given[] = {{"listen", "8080", NULL}, {"tcp-connect", "443", NULL}, {NULL}};
	const struct kv host[] = {{"listen", "8080", NULL}, {"net", "host", NULL}, {NULL}};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);

	assert_int_equal(build(loopback, &plan, &err), 0);
	assert_true(plan->tcp_connect_set);
	assert_int_equal(plan->ntcp_connect, 0);
	assert_true(plan->listen_connect_denied);
	ward_plan_free(plan);
	assert_int_equal(build(given, &plan, &err), 0);
	assert_int_equal(plan->ntcp_connect, 1);
	assert_false(plan->listen_connect_denied);
	ward_plan_free(plan);
	assert_int_equal(build(host, &plan, &err), 0);
	assert_false(plan->tcp_connect_set);
	ward_plan_free(plan);
}

static void test_udp_refused_without_a_network(void **state)
{
	const struct kv none[] = {{"net", "none", NULL}, {"listen", "53/udp", NULL}, {NULL}};
	const struct kv loopback[] = {{"listen", "127.0.0.1:53/udp", NULL}, {NULL}};
	const struct kv host[] = {{"net", "host", NULL}, {"listen", "53/udp", NULL}, {NULL}};
	const struct kv twice[] = {{"listen", "80", NULL}, {"listen", "80/tcp", NULL}, {NULL}};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);

	assert_int_equal(build(none, &plan, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_PLAN);
	assert_non_null(strstr(err.msg, "--net none"));
	assert_non_null(strstr(err.msg, "TCP only"));
	assert_int_equal(build(loopback, &plan, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "--net loopback"));
	assert_int_equal(build(host, &plan, &err), 0);
	assert_int_equal(plan->listen[0].type, SOCK_DGRAM);
	ward_plan_free(plan);
	assert_int_equal(build(twice, &plan, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "given twice"));
}

static void test_listen_env_names(void **state)
{
	const struct kv ok[] = {{"listen-env", "NGINX", NULL}, {NULL}};
	const struct kv reserved[] = {{"listen-env", "LISTEN_FDS", NULL}, {NULL}};
	const struct kv bad[] = {{"listen-env", "A=B", NULL}, {NULL}};
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);

	assert_int_equal(build(ok, &plan, &err), 0);
	assert_string_equal(plan->listen_env, "NGINX");
	ward_plan_free(plan);
	assert_int_equal(build(reserved, &plan, &err), -EINVAL);
	assert_int_equal(build(bad, &plan, &err), -EINVAL);
}

/* ---- the hand-over ------------------------------------------------------------------ */

static bool has_env(char *const *env, const char *want)
{
	for (size_t i = 0; env[i]; i++)
		if (strcmp(env[i], want) == 0)
			return true;
	return false;
}

static int env_count(char *const *env, const char *prefix)
{
	int n = 0;

	for (size_t i = 0; env[i]; i++)
		n += strncmp(env[i], prefix, strlen(prefix)) == 0;
	return n;
}

/* @fd moved to @min or above (CLOEXEC), the original closed. */
static int high(int fd, int min)
{
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, min);

	assert_true(moved >= min);
	close(fd);
	return moved;
}

/* Two sockets at high descriptors and the sync socket at 3, where the
 * first one must go: after the hand-over fds 3 and 4 are the sockets
 * (same inodes, no CLOEXEC), the sync socket moved above them, and the
 * environment holds the protocol's variables once each. */
static void test_hand_over_moves_sockets_to_3(void **state)
{
	struct ward_plan plan;
	struct ward_listen_env env;
	struct ward_err err = {0};
	char *given[] = {"PATH=/bin", "LISTEN_FDS=9", "NGINX=old", "LISTEN_PID=1", NULL};
	int pair[2], a, b, sync_fd, saved[3];
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
	pair[0] = high(pair[0], 40);
	pair[1] = high(pair[1], 40);
	a = high(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), 50);
	b = high(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), 60);
	/* Park whatever the runner holds at 3..5 (restored at the end), and
	 * put the sync socket at 3, where the first socket must go. */
	for (int i = 0; i < 3; i++)
		saved[i] = fcntl(3 + i, F_DUPFD_CLOEXEC, 100);
	close(4);
	close(5);
	assert_int_equal(dup3(pair[0], 3, O_CLOEXEC), 3);
	sync_fd = 3;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(a, (struct sockaddr *)&sa, sizeof(sa)), 0);
	memset(&plan, 0, sizeof(plan));
	plan.nlisten = 2;
	plan.listen[0].fd = a;
	snprintf(plan.listen[0].name, sizeof(plan.listen[0].name), "tcp-80");
	plan.listen[1].fd = b;
	snprintf(plan.listen[1].name, sizeof(plan.listen[1].name), "udp-53");
	plan.listen_env = "NGINX";

	assert_int_equal(ward_listen_hand_over(&plan, given, &sync_fd, &env, &err), 0);
	assert_true(sync_fd >= 5);
	assert_int_equal(fcntl(sync_fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(fcntl(3, F_GETFD), 0); /* open, no CLOEXEC */
	assert_int_equal(fcntl(4, F_GETFD), 0);
	assert_int_equal(getsockname(3, (struct sockaddr *)&sa, &len), 0);
	assert_int_equal(ntohl(sa.sin_addr.s_addr), INADDR_LOOPBACK); /* the bound one */
	assert_true(has_env(env.vars, "PATH=/bin"));
	assert_true(has_env(env.vars, "LISTEN_FDS=2"));
	assert_true(has_env(env.vars, "LISTEN_FDNAMES=tcp-80:udp-53"));
	assert_true(has_env(env.vars, "NGINX=3;4;"));
	assert_int_equal(env_count(env.vars, "LISTEN_PID="), 1);
	assert_int_equal(env_count(env.vars, "LISTEN_FDS="), 1);
	assert_int_equal(env_count(env.vars, "NGINX="), 1);
	{
		char want[32];

		snprintf(want, sizeof(want), "LISTEN_PID=%d", (int)getpid());
		assert_true(has_env(env.vars, want));
	}
	close(3);
	close(4);
	close(a);
	close(b);
	close(sync_fd);
	close(pair[0]);
	close(pair[1]);
	for (int i = 0; i < 3; i++)
		if (saved[i] >= 0) {
			dup2(saved[i], 3 + i);
			close(saved[i]);
		}
}

/* Without sockets: the environment minus any LISTEN_* it was given. */
static void test_hand_over_without_sockets(void **state)
{
	struct ward_plan plan;
	struct ward_listen_env env;
	struct ward_err err = {0};
	char *given[] = {"PATH=/bin", "LISTEN_FDS=1", "LISTEN_FDNAMES=x", NULL};
	int sync_fd = 42;

	memset(&plan, 0, sizeof(plan));
	assert_int_equal(ward_listen_hand_over(&plan, given, &sync_fd, &env, &err), 0);
	assert_int_equal(sync_fd, 42);
	assert_true(has_env(env.vars, "PATH=/bin"));
	assert_int_equal(env_count(env.vars, "LISTEN_"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_bare_port_is_dual_stack),
		cmocka_unit_test(test_parse_addresses_and_protocols),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_profile_lines_add_up_and_command_line_replaces),
		cmocka_unit_test(test_loopback_denies_tcp_connect),
		cmocka_unit_test(test_udp_refused_without_a_network),
		cmocka_unit_test(test_listen_env_names),
		cmocka_unit_test(test_hand_over_moves_sockets_to_3),
		cmocka_unit_test(test_hand_over_without_sockets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
