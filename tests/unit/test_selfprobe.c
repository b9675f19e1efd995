/* selfprobe.c and selfprobe_json.c: the parsers of /proc/self/status,
 * uid_map, mountinfo and group(5) text, securebits names, the phrases, the
 * summary and the JSON object on synthetic states; and one real gather of
 * this test process. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <cmocka.h>

#include "report/selfprobe.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* As the kernel prints it (trimmed), with Seccomp_filters before Seccomp
 * so that a prefix match would be caught. */
static const char STATUS[] =
	"Name:\tward\n"
	"Uid:\t1000\t1001\t1002\t1003\n"
	"Gid:\t65534\t65534\t65534\t65534\n"
	"FDSize:\t64\n"
	"Groups:\t4 24 27 \n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t0000000000000400\n"
	"CapEff:\t0000000000000400\n"
	"CapBnd:\t000001ffffffffff\n"
	"CapAmb:\t0000000000000000\n"
	"NoNewPrivs:\t1\n"
	"Seccomp_filters:\t3\n"
	"Seccomp:\t2\n";

static void test_parse_ids(void **state)
{
	uint32_t v[4];

	assert_int_equal(ward_selfprobe_parse_ids(STATUS, "Uid", v), 0);
	assert_int_equal(v[0], 1000);
	assert_int_equal(v[1], 1001);
	assert_int_equal(v[2], 1002);
	assert_int_equal(v[3], 1003);
	assert_int_equal(ward_selfprobe_parse_ids(STATUS, "Gid", v), 0);
	assert_int_equal(v[3], 65534);
	assert_int_equal(ward_selfprobe_parse_ids("Uid:\t0\t0\t0\t4294967295\n",
						  "Uid", v), 0);
	assert_int_equal(v[3], UINT32_MAX);

	static const char *const bad[] = {
		"Name:\tx\n",                       /* absent */
		"Uid:\t0\t0\t0\n",                  /* three numbers */
		"Uid:\t0\t0\t0\t0\t0\n",            /* five */
		"Uid:\t0\t0\t0\t4294967296\n",      /* over 32 bits */
		"Uid:\t0\t0\tx\t0\n",               /* junk */
		"Uid:\t-1\t0\t0\t0\n",              /* sign */
		"XUid:\t0\t0\t0\t0\n",              /* not at a line start */
	};
	for (size_t i = 0; i < N_ELEMS(bad); i++)
		if (ward_selfprobe_parse_ids(bad[i], "Uid", v) != -EINVAL)
			fail_msg("parse_ids accepted '%s'", bad[i]);
}

static void test_parse_groups(void **state)
{
	uint32_t g[4];
	size_t total = 99;

	assert_int_equal(ward_selfprobe_parse_groups(STATUS, g, 4, &total), 0);
	assert_int_equal(total, 3);
	assert_int_equal(g[0], 4);
	assert_int_equal(g[2], 27);
	assert_int_equal(ward_selfprobe_parse_groups(STATUS, g, 2, &total), 0);
	assert_int_equal(total, 3); /* two stored, three counted */
	assert_int_equal(g[1], 24);
	assert_int_equal(ward_selfprobe_parse_groups("Groups:\t\nX:\t1\n", g, 4,
						     &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(ward_selfprobe_parse_groups("Groups:\t \n", g, 4, &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(ward_selfprobe_parse_groups("Groups:\t1 a\n", g, 4, &total),
			 -EINVAL);
	assert_int_equal(ward_selfprobe_parse_groups("Name:\tx\n", g, 4, &total),
			 -EINVAL);
}

static void test_parse_long(void **state)
{
	long v = -1;

	assert_int_equal(ward_selfprobe_parse_long(STATUS, "NoNewPrivs", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(ward_selfprobe_parse_long(STATUS, "Seccomp", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(ward_selfprobe_parse_long(STATUS, "Seccomp_filters", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(ward_selfprobe_parse_long(STATUS, "Landlock", &v), -ENOENT);
	assert_int_equal(ward_selfprobe_parse_long("Seccomp:\tx\n", "Seccomp", &v),
			 -EINVAL);
	assert_int_equal(ward_selfprobe_parse_long("Seccomp:\t2x\n", "Seccomp", &v),
			 -EINVAL);
	/* the last line need not end in a newline */
	assert_int_equal(ward_selfprobe_parse_long("Seccomp:\t0", "Seccomp", &v), 0);
	assert_int_equal(v, 0);
}

struct map_case {
	const char *text;
	int want;
};

static void test_uid_map_identity(void **state)
{
	static const struct map_case cases[] = {
		{"         0          0 4294967295\n", 1},
		{"0 0 4294967295", 1},
		{"     65534      65534          1\n", 0},
		{"0 0 4294967294\n", 0},
		{"0 100000 65536\n", 0},
		{"0 0 4294967295\n0 0 1\n", 0}, /* two lines: not the initial map */
		{"", -EINVAL},
		{"\n", -EINVAL},
		{"0 0\n", -EINVAL},
		{"0 0 4294967296\n", -EINVAL},
		{"a b c\n", -EINVAL},
		{"0 0 1 2\n", -EINVAL},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int r = ward_selfprobe_uid_map_identity(cases[i].text);

		if (r != cases[i].want)
			fail_msg("uid_map_identity('%s') = %d, want %d",
				 cases[i].text, r, cases[i].want);
	}
}

struct mount_case {
	const char *line;
	int ret;
	const char *mnt, *fstype;
	bool rw;
};

static void test_mount_rw(void **state)
{
	static const struct mount_case cases[] = {
		{"66 41 0:40 / / ro,nosuid,nodev,relatime - tmpfs tmpfs rw,size=1024k,mode=755\n",
		 0, "/", "tmpfs", false},
		{"87 66 0:46 / /tmp rw,nosuid,nodev,relatime - tmpfs tmpfs rw,uid=65534,gid=65534\n",
		 0, "/tmp", "tmpfs", true},
		/* optional fields before the separator */
		{"29 1 254:0 / / rw,relatime shared:1 master:2 - ext4 /dev/vda rw,errors=remount-ro\n",
		 0, "/", "ext4", true},
		/* the superblock is read-only: writes fail whatever the mount says */
		{"40 29 7:0 / /snap/x rw,nodev,relatime - squashfs /dev/loop0 ro,errors=continue\n",
		 0, "/snap/x", "squashfs", false},
		/* "ro" only as a whole option, not as part of "rootcontext" or "errors=remount-ro" */
		{"41 29 0:50 / /a rw,rootcontext=x - tmpfs tmpfs rw,errors=remount-ro\n",
		 0, "/a", "tmpfs", true},
		/* octal escapes in the mount point */
		{"42 29 0:51 / /mnt/a\\040b rw - tmpfs none rw\n",
		 0, "/mnt/a b", "tmpfs", true},
		{"42 29 0:51 / /mnt/c rw,ro - tmpfs none rw\n", 0, "/mnt/c", "tmpfs", false},
		{"garbage\n", -EINVAL, NULL, NULL, false},
		{"42 29 0:51 / /x rw tmpfs none rw\n", -EINVAL, NULL, NULL, false},
		{"42 29 0:51 / /x rw - tmpfs\n", -EINVAL, NULL, NULL, false},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char mnt[64] = "", type[32] = "";
		bool rw = !cases[i].rw;
		int r = ward_selfprobe_mount_rw(cases[i].line, mnt, sizeof(mnt),
						type, sizeof(type), &rw);

		if (r != cases[i].ret)
			fail_msg("mount_rw('%s') = %d, want %d", cases[i].line, r,
				 cases[i].ret);
		if (r < 0)
			continue;
		if (strcmp(mnt, cases[i].mnt) || strcmp(type, cases[i].fstype) ||
		    rw != cases[i].rw)
			fail_msg("mount_rw('%s'): '%s' '%s' rw=%d", cases[i].line,
				 mnt, type, rw);
	}
}

static void test_securebits(void **state)
{
	char buf[512], small[10];

	ward_selfprobe_securebits_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	ward_selfprobe_securebits_format(0xef, buf, sizeof(buf));
	assert_string_equal(buf, "noroot,noroot_locked,no_setuid_fixup,"
			    "no_setuid_fixup_locked,keep_caps_locked,"
			    "no_cap_ambient_raise,no_cap_ambient_raise_locked");
	ward_selfprobe_securebits_format(0x10, buf, sizeof(buf));
	assert_string_equal(buf, "keep_caps");
	ward_selfprobe_securebits_format((1UL << 11) | (1UL << 12), buf, sizeof(buf));
	assert_string_equal(buf, "exec_deny_interactive_locked,bit12");
	ward_selfprobe_securebits_format(0xff, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1); /* cut, terminated */
}

static void test_group_name(void **state)
{
	static const char group[] =
		"root:x:0:\n"
		"bad line\n"
		"x:y:notanumber:\n"
		":x:5:\n"
		"sudo:x:27:alice,bob\n"
		"averyveryverylonggroupname:x:28:\n"
		"nogroup:x:65534:";
	char name[16];

	assert_int_equal(ward_selfprobe_group_name(group, 0, name, sizeof(name)), 0);
	assert_string_equal(name, "root");
	assert_int_equal(ward_selfprobe_group_name(group, 27, name, sizeof(name)), 0);
	assert_string_equal(name, "sudo");
	assert_int_equal(ward_selfprobe_group_name(group, 65534, name, sizeof(name)), 0);
	assert_string_equal(name, "nogroup");
	assert_int_equal(ward_selfprobe_group_name(group, 5, name, sizeof(name)), -ENOENT);
	assert_int_equal(ward_selfprobe_group_name(group, 28, name, sizeof(name)), -ENOENT);
	assert_int_equal(ward_selfprobe_group_name(group, 1, name, sizeof(name)), -ENOENT);
	assert_int_equal(ward_selfprobe_group_name("", 0, name, sizeof(name)), -ENOENT);
}

static void test_docker_host(void **state)
{
	char out[32];

	assert_int_equal(ward_selfprobe_docker_host_path("unix:///run/d.sock", out,
							 sizeof(out)), 0);
	assert_string_equal(out, "/run/d.sock");
	assert_int_equal(ward_selfprobe_docker_host_path("tcp://127.0.0.1:2375", out,
							 sizeof(out)), -EINVAL);
	assert_int_equal(ward_selfprobe_docker_host_path("unix://run/d.sock", out,
							 sizeof(out)), -EINVAL);
	assert_int_equal(ward_selfprobe_docker_host_path("", out, sizeof(out)), -EINVAL);
	assert_int_equal(ward_selfprobe_docker_host_path(
				 "unix:///a/very/long/path/that/does/not/fit.sock",
				 out, sizeof(out)), -ENAMETOOLONG);
}

static void test_ns_initial(void **state)
{
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_USER,
						   4026531837UL, false), 1);
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_PID,
						   4026531836UL, false), 1);
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_PID,
						   4026532180UL, false), 0);
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_CGROUP,
						   4026531835UL, false), 1);
	/* another kind's fixed inode is not this kind's */
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_UTS,
						   4026531839UL, false), 0);
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_NET,
						   4026531833UL, false), 1);
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_NET,
						   4026532182UL, true), 0);
	/* before 6.18 the initial net and mnt namespaces had no fixed number */
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_NET,
						   4026532182UL, false), -1);
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_MNT,
						   4026531832UL, true), 1);
	assert_int_equal(ward_selfprobe_ns_initial(WARD_SELFPROBE_NS_MNT, 0, true), -1);

	assert_true(ward_selfprobe_release_fixed_ns("6.18.44-fc-v769"));
	assert_true(ward_selfprobe_release_fixed_ns("6.18"));
	assert_true(ward_selfprobe_release_fixed_ns("7.0.1"));
	assert_false(ward_selfprobe_release_fixed_ns("6.17.9"));
	assert_false(ward_selfprobe_release_fixed_ns("6.1.0-28-amd64"));
	assert_false(ward_selfprobe_release_fixed_ns("5.19.0"));
	assert_false(ward_selfprobe_release_fixed_ns("junk"));
}

/* ---- synthetic states ----------------------------------------------------- */

static struct ward_selfprobe_mount sandbox_mounts[] = {
	{"/proc", "proc", 'd', false},
	{"/dev/null", "devtmpfs", 'c', true},
	{"/dev/shm", "tmpfs", 'd', true},
	{"/tmp", "tmpfs", 'd', true},
	{"/run", "tmpfs", 'd', true},
};

/* What `ward run` shows from the inside. */
static void sandbox_state(struct ward_selfprobe *p)
{
	memset(p, 0, sizeof(*p));
	p->status_ok = true;
	for (int i = 0; i < 4; i++)
		p->uid[i] = p->gid[i] = 65534;
	p->cap_last = 40;
	p->securebits = 0xef;
	p->no_new_privs = 1;
	p->seccomp_mode = 2;
	p->seccomp_filters = 1;
	p->landlock_abi = -1;
	p->landlock_err = ENOSYS;
	for (int k = 0; k < WARD_SELFPROBE_NS_COUNT; k++) {
		p->ns[k].inode = 4026532170UL + (unsigned long)k;
		p->ns[k].is_private = 1;
	}
	snprintf(p->uid_map, sizeof(p->uid_map), "65534 65534 1");
	p->pid = 2;
	snprintf(p->hostname, sizeof(p->hostname), "ward");
	p->nifaces = 1;
	snprintf(p->ifaces[0].name, sizeof(p->ifaces[0].name), "lo");
	p->ifaces[0].index = 1;
	p->ifaces[0].up = 1;
	p->ifaces[0].loopback = true;
	p->root_read_only = 1;
	p->mounts = sandbox_mounts;
	p->nmounts = N_ELEMS(sandbox_mounts);
	p->write_root.err = p->write_etc.err = EROFS;
}

/* Root on a host whose bounding set lacks cap_sys_resource. */
static void host_state(struct ward_selfprobe *p)
{
	sandbox_state(p);
	memset(p->uid, 0, sizeof(p->uid));
	memset(p->gid, 0, sizeof(p->gid));
	p->caps.prm = p->caps.eff = p->caps.bnd = 0x000001fffeffffffULL;
	p->securebits = 0;
	p->no_new_privs = 0;
	p->seccomp_mode = 0;
	p->seccomp_filters = 0;
	p->root_read_only = 0;
	p->nifaces = 2;
	snprintf(p->ifaces[1].name, sizeof(p->ifaces[1].name), "eth0");
	p->ifaces[1].index = 2;
	p->ifaces[1].up = 1;
	p->nsockets = 1;
	snprintf(p->sockets[0].path, sizeof(p->sockets[0].path), "/run/docker.sock");
	p->sockets[0].connectable = true;
	p->mounts = NULL;
	p->nmounts = 0;
}

static void test_summary(void **state)
{
	struct ward_selfprobe *p = calloc(1, sizeof(*p));
	char buf[1024];

	assert_non_null(p);
	sandbox_state(p);
	assert_int_equal(ward_selfprobe_writable_count(p), 3);
	ward_selfprobe_summary(p, buf, sizeof(buf));
	assert_string_equal(buf, "uid 65534, no capabilities, no_new_privs, "
			    "seccomp filter, read-only root, 3 writable mounts, "
			    "loopback only, no engine socket");

	host_state(p);
	ward_selfprobe_summary(p, buf, sizeof(buf));
	assert_string_equal(buf, "uid 0, capabilities: 40 of 41 (all but "
			    "cap_sys_resource), new privileges allowed, no seccomp, "
			    "writable root, 0 writable mounts, interfaces up: lo eth0, "
			    "engine socket reachable: /run/docker.sock");
	free(p);
}

/* dockerd on a non-standard path, reachable; containerd, abstract. */
static struct ward_selfprobe_listener listeners[2] = {
	{.l = {.name = "/srv/x/api.sock", .has_vfs = true,
	       .who = {.engine = 0, .pid = 1234, .exe = "dockerd"}},
	 .reachable = 1},
	{.l = {.name = "@/containerd-shim/x.sock",
	       .who = {.engine = 1, .pid = 99, .exe = "containerd-shim"}},
	 .reachable = -1},
};

static void test_phrases(void **state)
{
	struct ward_selfprobe *p = calloc(1, sizeof(*p));
	char buf[1024];

	assert_non_null(p);
	sandbox_state(p);
	p->caps.bnd = 0x000001ffffffffffULL; /* an ordinary user on the host */
	ward_selfprobe_caps_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "none held, bounding set 41 of 41");
	p->caps.eff = p->caps.bnd;
	ward_selfprobe_caps_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "all 41");
	p->caps.eff = p->caps.prm = p->caps.amb = 1ULL << 10;
	ward_selfprobe_caps_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "cap_net_bind_service");
	p->caps.eff = 0;
	ward_selfprobe_caps_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "none effective, held: cap_net_bind_service");
	p->status_ok = false;
	ward_selfprobe_caps_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "unknown");

	p->ifaces[0].up = 0;
	ward_selfprobe_net_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "no interface up");
	p->ifaces_err = EPERM;
	ward_selfprobe_net_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "unknown");

	p->nsockets = 1;
	snprintf(p->sockets[0].path, sizeof(p->sockets[0].path), "/run/x.sock");
	p->sockets[0].err = ECONNREFUSED;
	ward_selfprobe_engine_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "engine socket present, not connectable: /run/x.sock");

	/* An engine's listener whose path leads to it here is reachable;
	 * one already among the well-known paths is named once. */
	p->nlisteners = 2;
	p->listeners = listeners;
	ward_selfprobe_engine_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "engine socket reachable: /srv/x/api.sock");
	p->nsockets = 0;
	listeners[0].reachable = 0;
	ward_selfprobe_engine_phrase(p, buf, sizeof(buf));
	assert_string_equal(buf, "no engine socket");
	free(p);
}

static json_object *get(json_object *o, const char *path)
{
	char key[64];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (!json_object_object_get_ex(o, key, &o))
			fail_msg("no key '%s'", key);
		path += n + (path[n] == '.');
	}
	return o;
}

static void test_json(void **state)
{
	struct ward_selfprobe *p = calloc(1, sizeof(*p));
	json_object *o, *back, *a;

	assert_non_null(p);
	sandbox_state(p);
	o = ward_selfprobe_json(p);
	assert_non_null(o);
	/* through text and back: what a consumer sees */
	back = json_tokener_parse(json_object_to_json_string(o));
	assert_non_null(back);
	assert_int_equal(json_object_get_int(get(back, "schema_version")), 2);
	assert_int_equal(json_object_get_int(get(back, "identity.uid.effective")), 65534);
	assert_int_equal(json_object_get_int(get(back, "identity.gid.fs")), 65534);
	assert_int_equal(json_object_array_length(get(back, "identity.groups")), 0);
	assert_string_equal(json_object_get_string(get(back, "capabilities.effective.mask")),
			    "0000000000000000");
	assert_int_equal(json_object_array_length(get(back, "capabilities.bounding.names")), 0);
	assert_int_equal(json_object_array_length(get(back, "capabilities.securebits.names")), 7);
	assert_true(json_object_get_boolean(get(back, "no_new_privs")));
	assert_int_equal(json_object_get_int(get(back, "seccomp.mode")), 2);
	assert_string_equal(json_object_get_string(get(back, "seccomp.mode_name")), "filter");
	assert_null(get(back, "landlock.abi"));
	assert_string_equal(json_object_get_string(get(back, "landlock.error")), "ENOSYS");
	assert_null(get(back, "landlock.restricted"));
	assert_true(json_object_get_boolean(get(back, "namespaces.user.private")));
	assert_string_equal(json_object_get_string(get(back, "namespaces.user.uid_map")),
			    "65534 65534 1");
	assert_false(json_object_get_boolean(get(back, "namespaces.pid.pid1_visible")));
	a = get(back, "namespaces.net.interfaces");
	assert_int_equal(json_object_array_length(a), 1);
	assert_string_equal(json_object_get_string(get(json_object_array_get_idx(a, 0), "name")),
			    "lo");
	assert_string_equal(json_object_get_string(get(back, "namespaces.uts.hostname")), "ward");
	assert_true(json_object_get_boolean(get(back, "filesystem.root_read_only")));
	assert_int_equal(json_object_array_length(get(back, "filesystem.rw_mounts")), 5);
	assert_int_equal(json_object_array_length(get(back, "filesystem.writable_mounts")), 3);
	assert_string_equal(json_object_get_string(get(back, "filesystem.write_etc.error")),
			    "EROFS");
	assert_int_equal(json_object_array_length(get(back, "engine_sockets.found")), 0);
	assert_int_equal(json_object_array_length(get(back, "engine_sockets.checked")), 6);
	assert_int_equal(json_object_array_length(get(back, "engine_sockets.listeners")), 0);
	assert_true(json_object_is_type(get(back, "engine_sockets.listeners_error"),
					json_type_null));
	assert_int_equal(json_object_array_length(get(back, "fds")), 0);
	assert_string_equal(json_object_get_string(get(back, "summary")),
			    "uid 65534, no capabilities, no_new_privs, seccomp filter, "
			    "read-only root, 3 writable mounts, loopback only, no engine socket");

	json_object_put(back);
	json_object_put(o);
	free(p);
}

static void test_text(void **state)
{
	struct ward_selfprobe *p = calloc(1, sizeof(*p));
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(p);
	assert_non_null(f);
	sandbox_state(p);
	ward_selfprobe_print(p, f);
	assert_int_equal(fclose(f), 0);
	static const char *const lines[] = {
		"\nuid: 65534 (real 65534, effective 65534, saved 65534, fs 65534)\n",
		"\ncapabilities: none\n",
		"\nno_new_privs: yes\n",
		"\nseccomp: filter (mode 2, 1 filter)\n",
		"\nlandlock_abi: unavailable (ENOSYS)\n",
		"\nns_user: 4026532170 private, uid_map 65534 65534 1\n",
		"\npid1_visible: no\n",
		"\nnetwork: loopback only\n",
		"\nroot_read_only: yes\n",
		"\nwritable_mounts: /dev/shm, /tmp, /run\n",
		"\nrw_mounts_denied: /proc\n",
		"\nrw_device_mounts: /dev/null\n",
		"\nwrite_root: refused (EROFS)\n",
		"\nengine: no engine socket\n",
		"\nfds: none above 2\n",
		"\nsummary: uid 65534, no capabilities,",
	};
	for (size_t i = 0; i < N_ELEMS(lines); i++)
		if (!strstr(text, lines[i]))
			fail_msg("no '%s' in:\n%s", lines[i], text);
	free(text);
	free(p);
}

/* The engine listeners, in JSON and in text. */
static void test_listeners(void **state)
{
	struct ward_selfprobe *p = calloc(1, sizeof(*p));
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_object *o, *back, *l;

	(void)state;
	assert_non_null(p);
	assert_non_null(f);
	sandbox_state(p);
	p->listeners = listeners;
	p->nlisteners = 2;
	listeners[0].reachable = 1;
	o = ward_selfprobe_json(p);
	back = json_tokener_parse(json_object_to_json_string(o));
	assert_non_null(back);
	assert_int_equal(json_object_array_length(get(back, "engine_sockets.listeners")), 2);
	l = json_object_array_get_idx(get(back, "engine_sockets.listeners"), 0);
	assert_string_equal(json_object_get_string(get(l, "path")), "/srv/x/api.sock");
	assert_int_equal(json_object_get_int(get(l, "pid")), 1234);
	assert_string_equal(json_object_get_string(get(l, "exe")), "dockerd");
	assert_string_equal(json_object_get_string(get(l, "engine")), "docker");
	assert_true(json_object_get_boolean(get(l, "reachable")));
	l = json_object_array_get_idx(get(back, "engine_sockets.listeners"), 1);
	assert_string_equal(json_object_get_string(get(l, "engine")), "containerd");
	assert_true(json_object_is_type(get(l, "reachable"), json_type_null));
	assert_string_equal(json_object_get_string(get(back, "summary")) +
			    strlen(json_object_get_string(get(back, "summary"))) -
			    strlen("engine socket reachable: /srv/x/api.sock"),
			    "engine socket reachable: /srv/x/api.sock");
	json_object_put(back);
	json_object_put(o);
	ward_selfprobe_print(p, f);
	assert_int_equal(fclose(f), 0);
	if (!strstr(text, "\nengine_listener: /srv/x/api.sock dockerd pid 1234 (docker) reachable\n") ||
	    !strstr(text, "\nengine_listener: @/containerd-shim/x.sock containerd-shim pid 99 (containerd)\n"))
		fail_msg("engine_listener lines missing in:\n%s", text);
	free(text);
	free(p);
}

/* ---- the real thing --------------------------------------------------------- */

static void test_gather_self(void **state)
{
	struct ward_selfprobe *p = calloc(1, sizeof(*p));
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct utsname u;
	bool seen = false;

	assert_non_null(p);
	assert_true(fd > 2);
	ward_selfprobe_gather(p);
	assert_true(p->status_ok);
	assert_int_equal(p->uid[0], getuid());
	assert_int_equal(p->uid[1], geteuid());
	assert_int_equal(p->gid[1], getegid());
	assert_int_equal(p->pid, getpid());
	assert_true(p->cap_last >= 36);
	assert_in_range(p->no_new_privs, 0, 1);
	assert_in_range(p->seccomp_mode, 0, 2);
	assert_true(p->landlock_abi >= 1 || p->landlock_err != 0);
	assert_int_equal(uname(&u), 0);
	assert_string_equal(p->hostname, u.nodename);
	for (int k = 0; k < WARD_SELFPROBE_NS_COUNT; k++)
		assert_true(p->ns[k].inode != 0);
	assert_int_equal(p->fds_err, 0);
	for (size_t i = 0; i < p->nfds; i++)
		if (p->fds[i].fd == fd && strcmp(p->fds[i].target, "/dev/null") == 0)
			seen = true;
	assert_true(seen);
	assert_int_equal(p->mounts_err, 0);
	assert_true(p->root_read_only == 0 || p->root_read_only == 1);
	/* the probe's own test files never remain */
	assert_true(p->write_root.created || p->write_root.err != 0);
	ward_selfprobe_free(p);
	close(fd);
	free(p);
}

static void test_main_usage(void **state)
{
	char *bad[] = {"--bogus", NULL};
	char *help[] = {"--help", NULL};

	assert_int_equal(ward_selfprobe_main(1, bad), 125);
	assert_int_equal(ward_selfprobe_main(1, help), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ids),
		cmocka_unit_test(test_parse_groups),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_uid_map_identity),
		cmocka_unit_test(test_mount_rw),
		cmocka_unit_test(test_securebits),
		cmocka_unit_test(test_group_name),
		cmocka_unit_test(test_docker_host),
		cmocka_unit_test(test_ns_initial),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_phrases),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_listeners),
		cmocka_unit_test(test_gather_self),
		cmocka_unit_test(test_main_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
