/* engine/socket_search.c: which mounts entrypoint mode walks for socket
 * files (pure).  The walk itself is proven in a private mount namespace
 * by tests/integration/97-entrypoint-sockets.sh and in a real container
 * by tests/docker/30-entrypoint-sockets.sh. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/socket_search.h"

static void test_walks(void **state)
{
	static const struct {
		const char *mnt, *fstype;
		bool walked;
	} cases[] = {
		{"/host", "ext4", true},
		{"/run/docker.sock", "tmpfs", true},   /* -v of a socket */
		{"/var/run", "tmpfs", true},           /* -v /run:/var/run */
		{"/dev/x", "tmpfs", true},             /* beneath /dev: walked */
		{"/etc/hosts", "ext4", true},
		{"/", "overlay", false},               /* the image */
		{"/dev", "tmpfs", false},              /* the engine's own */
		{"/dev/shm", "tmpfs", false},
		{"/dev/pts", "devpts", false},
		{"/dev/mqueue", "mqueue", false},
		{"/proc", "proc", false},
		{"/proc/sys", "proc", false},
		{"/proc/kcore", "tmpfs", false},       /* masked by the engine */
		{"/sys", "sysfs", false},
		{"/sys/fs/cgroup", "cgroup2", false},
		{"/sys/firmware", "tmpfs", false},
		{"/sysroot", "ext4", true},             /* not beneath /sys */
		{"/processes", "ext4", true},          /* not beneath /proc */
		{"/mnt/cg", "cgroup2", false},         /* a kernel file system */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (ward_socket_search_walks(cases[i].mnt, cases[i].fstype) != cases[i].walked)
			fail_msg("%s (%s): want %s", cases[i].mnt, cases[i].fstype,
				 cases[i].walked ? "walked" : "passed over");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
