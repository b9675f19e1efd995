/* launch/etc_files.c: /etc/hosts and /etc/resolv.conf as the sandbox's
 * name and network make them; launch/supervisor.c: what SIGTERM is
 * forwarded as. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "launch/etc_files.h"
#include "launch/supervisor.h"

static const char host_resolv[] =
	"# the host's\n"
	"nameserver 127.0.0.53\n"
	"nameserver 192.0.2.1\n"
	"nameserver ::1\n"
	"options edns0\n"
	"search example.org\n";

static void test_hosts_names_localhost_and_the_hostname(void **state)
{
	struct ward_plan plan = {.net = WARD_NET_LOOPBACK, .hostname = "box"};
	char buf[512];

	(void)state;
	ward_etc_hosts(&plan, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1\tlocalhost\n"
				 "::1\tlocalhost ip6-localhost ip6-loopback\n"
				 "127.0.1.1\tbox\n");
}

static void test_hosts_with_veth_gives_eth0s_address(void **state)
{
	struct ward_plan plan = {.net = WARD_NET_VETH, .hostname = "box"};
	char buf[512];

	(void)state;
	assert_int_equal(inet_pton(AF_INET, "10.200.0.2", &plan.veth.sandbox), 1);
	ward_etc_hosts(&plan, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\n10.200.0.2\tbox\n"));
	assert_null(strstr(buf, "127.0.1.1"));
}

static void test_hosts_truncates_within_the_buffer(void **state)
{
	struct ward_plan plan = {.net = WARD_NET_LOOPBACK, .hostname = "box"};
	char buf[24];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	ward_etc_hosts(&plan, buf, sizeof(buf));
	assert_true(strlen(buf) < sizeof(buf));
}

static void test_resolv_without_network_has_no_nameserver(void **state)
{
	enum ward_net nets[] = {WARD_NET_NONE, WARD_NET_LOOPBACK};
	char buf[512];

	(void)state;
	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++) {
		struct ward_plan plan = {.net = nets[i]};

		ward_etc_resolv(&plan, host_resolv, buf, sizeof(buf));
		assert_null(strstr(buf, "nameserver "));
		assert_int_equal(buf[0], '#');
	}
}

static void test_resolv_host_network_is_the_hosts(void **state)
{
	struct ward_plan plan = {.net = WARD_NET_HOST};
	char buf[512];

	(void)state;
	ward_etc_resolv(&plan, host_resolv, buf, sizeof(buf));
	assert_string_equal(buf, host_resolv);
}

static void test_resolv_veth_drops_the_hosts_loopback_nameservers(void **state)
{
	struct ward_plan plan = {.net = WARD_NET_VETH};
	char buf[512];

	(void)state;
	ward_etc_resolv(&plan, host_resolv, buf, sizeof(buf));
	assert_null(strstr(buf, "127.0.0.53"));
	assert_null(strstr(buf, "nameserver ::1"));
	assert_non_null(strstr(buf, "nameserver 192.0.2.1\n"));
	assert_non_null(strstr(buf, "options edns0\nsearch example.org\n"));
	assert_non_null(strstr(buf, "# ward: the host's nameservers on its loopback are left out"));
}

static void test_resolv_host_file_missing_or_unterminated(void **state)
{
	struct ward_plan plan = {.net = WARD_NET_HOST};
	char buf[64];

	(void)state;
	ward_etc_resolv(&plan, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "");
	ward_etc_resolv(&plan, "nameserver 192.0.2.1", buf, sizeof(buf));
	assert_string_equal(buf, "nameserver 192.0.2.1\n");
}

static void test_sigterm_is_forwarded_as_the_stop_signal(void **state)
{
	(void)state;
	assert_int_equal(ward_supervisor_stop_signal(SIGTERM, SIGUSR1), SIGUSR1);
	assert_int_equal(ward_supervisor_stop_signal(SIGTERM, 0), SIGTERM);
	/* other signals pass as they are */
	assert_int_equal(ward_supervisor_stop_signal(SIGINT, SIGUSR1), SIGINT);
	assert_int_equal(ward_supervisor_stop_signal(SIGHUP, SIGQUIT), SIGHUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hosts_names_localhost_and_the_hostname),
		cmocka_unit_test(test_hosts_with_veth_gives_eth0s_address),
		cmocka_unit_test(test_hosts_truncates_within_the_buffer),
		cmocka_unit_test(test_resolv_without_network_has_no_nameserver),
		cmocka_unit_test(test_resolv_host_network_is_the_hosts),
		cmocka_unit_test(test_resolv_veth_drops_the_hosts_loopback_nameservers),
		cmocka_unit_test(test_resolv_host_file_missing_or_unterminated),
		cmocka_unit_test(test_sigterm_is_forwarded_as_the_stop_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
