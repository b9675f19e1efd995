/* landlock.c: port lists and ABI masks (pure); real restrictions proven
 * from inside a forked child (what it can and cannot write, bind and
 * connect to); fault injection through the sys_landlock_* seam.
 *
 * The three wrappers (test_landlock.wrap) pass every call to the kernel
 * unless told otherwise:
 *   - k.fail_*: the Nth call of one wrapper (of one rule type for
 *     add_rule) fails with an errno;
 *   - k.abi: the VERSION query answers this instead of the kernel;
 *   - k.fake: no landlock syscall is made at all; the "ruleset" is an fd
 *     of /dev/null and rules are only recorded.  The fault cases use it,
 *     so they run under valgrind (which has no landlock syscalls) and
 *     never restrict the test process.
 * Real restrictions happen only in forked children, which report by
 * exit status (the number of failed checks, each named on stderr).
 *
 * The signal scope (confine.c's entrypoint pieces too): what is asked
 * for, refused below ABI 6 unless 'landlock optional', its faults, and
 * from inside, a program that cannot signal the init that forked it. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "launch/confine.h"
#include "base/err.h"
#include "kernel/landlock.h"
#include "plan/plan.h"
#include "base/sys.h"

#include "under_valgrind.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define NEEDS_LANDLOCK \
	"needs the landlock syscalls (restricts a forked child for real)"
#define MAX_RULES 128

/* Rights, spelled out here so the test does not share the module's
 * definitions. */
#define FS_EXECUTE (1ULL << 0)
#define FS_WRITE_FILE (1ULL << 1)
#define FS_READ_FILE (1ULL << 2)
#define FS_READ_DIR (1ULL << 3)
#define FS_IOCTL_DEV (1ULL << 15)
#define NET_BIND (1ULL << 0)
#define NET_CONNECT (1ULL << 1)
#define SCOPE_SIGNAL (1ULL << 1)

/* ---- the seam ------------------------------------------------------- */

enum fn { CREATE, ADD_RULE, RESTRICT };

struct rule_rec {
	int type;
	uint64_t access;
	uint64_t port;   /* net rules */
	mode_t mode;     /* path rules: fstat of parent_fd */
};

static struct {
	bool fake;
	int abi;         /* > 0: the VERSION query answers this */
	int fail_fn;     /* -1: none */
	int fail_type;   /* add_rule: 0 any, else the rule type */
	int fail_nth;
	int fail_errno;
	int seen;
	bool fired;
	int ncreate, nadd, nrestrict;
	size_t attr_size;
	uint64_t handled_fs, handled_net, scoped;
	size_t nrules;
	struct rule_rec rules[MAX_RULES];
} k;

static void k_reset(bool fake)
{
	memset(&k, 0, sizeof(k));
	k.fake = fake;
	k.fail_fn = -1;
}

static void k_fail(enum fn fn, int type, int nth, int errnum)
{
	k.fail_fn = (int)fn;
	k.fail_type = type;
	k.fail_nth = nth;
	k.fail_errno = errnum;
}

static bool inject(enum fn fn, int type)
{
	if (k.fail_fn != (int)fn || (k.fail_type && k.fail_type != type))
		return false;
	if (++k.seen != k.fail_nth)
		return false;
	k.fired = true;
	errno = k.fail_errno;
	return true;
}

int __real_sys_landlock_create_ruleset(const void *attr, size_t size,
				       uint32_t flags);
int __wrap_sys_landlock_create_ruleset(const void *attr, size_t size,
				       uint32_t flags);
int __real_sys_landlock_add_rule(int fd, int type, const void *attr,
				 uint32_t flags);
int __wrap_sys_landlock_add_rule(int fd, int type, const void *attr,
				 uint32_t flags);
int __real_sys_landlock_restrict_self(int fd, uint32_t flags);
int __wrap_sys_landlock_restrict_self(int fd, uint32_t flags);

int __wrap_sys_landlock_create_ruleset(const void *attr, size_t size,
				       uint32_t flags)
{
	uint64_t h[3] = {0, 0, 0};

	if (inject(CREATE, 0))
		return -1;
	if (!attr && k.abi > 0)
		return k.abi;
	if (!attr)
		return k.fake ? 7 : __real_sys_landlock_create_ruleset(attr, size, flags);
	k.ncreate++;
	k.attr_size = size;
	memcpy(h, attr, size < sizeof(h) ? size : sizeof(h));
	k.handled_fs = h[0];
	k.handled_net = h[1];
	k.scoped = h[2];
	if (k.fake)
		return open("/dev/null", O_RDONLY | O_CLOEXEC);
	return __real_sys_landlock_create_ruleset(attr, size, flags);
}

int __wrap_sys_landlock_add_rule(int fd, int type, const void *attr,
				 uint32_t flags)
{
	struct rule_rec rec = {.type = type};
	struct stat st;

	if (inject(ADD_RULE, type))
		return -1;
	k.nadd++;
	memcpy(&rec.access, attr, sizeof(rec.access));
	if (type == 1) {
		int32_t pfd;

		memcpy(&pfd, (const char *)attr + 8, sizeof(pfd));
		if (fstat(pfd, &st) < 0)
			return -1; /* EBADF: the module passed a bad fd */
		rec.mode = st.st_mode;
	} else {
		memcpy(&rec.port, (const char *)attr + 8, sizeof(rec.port));
	}
	if (k.nrules < MAX_RULES)
		k.rules[k.nrules++] = rec;
	if (k.fake)
		return fcntl(fd, F_GETFD) < 0 ? -1 : 0;
	return __real_sys_landlock_add_rule(fd, type, attr, flags);
}

int __wrap_sys_landlock_restrict_self(int fd, uint32_t flags)
{
	if (inject(RESTRICT, 0))
		return -1;
	k.nrestrict++;
	if (k.fake)
		return fcntl(fd, F_GETFD) < 0 ? -1 : 0;
	return __real_sys_landlock_restrict_self(fd, flags);
}

/* ---- helpers --------------------------------------------------------- */

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Each returns 0 or the errno of the first failing call. */
static int try_create(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	if (write(fd, "x", 1) != 1) {
		int e = errno;

		close(fd);
		return e;
	}
	close(fd);
	return 0;
}

/* Open for writing as a shell's `>` does (O_TRUNC), then write. */
static int try_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	int e = 0;

	if (fd < 0)
		return errno;
	if (write(fd, "y", 1) != 1)
		e = errno;
	close(fd);
	return e;
}

static int try_read(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int e = 0;

	if (fd < 0)
		return errno;
	if (read(fd, buf, sizeof(buf)) < 0)
		e = errno;
	close(fd);
	return e;
}

static int errno_of(int r)
{
	return r < 0 ? errno : 0;
}

/* Run /bin/true: the exec right on "/" reaches programs. */
static int try_exec(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(errno == EACCES ? 126 : 127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : EACCES;
}

static struct sockaddr_in loopback(uint16_t port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};

	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sa;
}

static int try_bind(uint16_t port)
{
	struct sockaddr_in sa = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int e;

	if (fd < 0)
		return errno;
	e = errno_of(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	close(fd);
	return e;
}

static int try_connect(uint16_t port)
{
	struct sockaddr_in sa = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int e;

	if (fd < 0)
		return errno;
	e = errno_of(connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
	close(fd);
	return e;
}

/* A listening socket on 127.0.0.1 at a port the kernel picks. */
static int listener(uint16_t *port)
{
	struct sockaddr_in sa = loopback(0);
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A port nothing listens on or is bound to, now: picked by the kernel,
 * then released.  Distinct from @avoid. */
static uint16_t free_port(uint16_t avoid)
{
	for (int i = 0; i < 16; i++) {
		uint16_t p;
		int fd = listener(&p);

		close(fd);
		if (p != avoid)
			return p;
	}
	fail_msg("no free port");
	return 0;
}

/* The checks a child makes; each failure is named on stderr. */
#define CHECK(bad, cond, ...)                                       \
	do {                                                        \
		if (!(cond)) {                                      \
			fprintf(stderr, "child: check failed: ");   \
			fprintf(stderr, __VA_ARGS__);               \
			fprintf(stderr, "\n");                      \
			(bad)++;                                    \
		}                                                   \
	} while (0)

static int apply_or_report(const struct ward_landlock *ll)
{
	struct ward_err err = {0};
	char buf[WARD_ERR_MSG_MAX + 64];

	if (ward_landlock_apply(ll, &err) == 0)
		return 0;
	ward_err_format(&err, buf, sizeof(buf));
	fprintf(stderr, "child: %s\n", buf);
	return -1;
}

typedef int (*child_fn)(void *arg);

/* Fork; the child sets no_new_privs, runs @fn and exits with the number
 * of failed checks.  Returns that number. */
static int run_child(child_fn fn, void *arg)
{
	int status = 0;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int bad;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(100);
		bad = fn(arg);
		fflush(stderr);
		_exit(bad > 99 ? 99 : bad);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status))
		fail_msg("child died: status %#x", status);
	return WEXITSTATUS(status);
}

static void skip_without_landlock(int need)
{
	int abi;

	SKIP_UNDER_VALGRIND(NEEDS_LANDLOCK);
	k_reset(false);
	abi = ward_landlock_abi();
	if (abi < need) {
		print_message("skipped: needs Landlock ABI %d, kernel has %d\n",
			      need, abi);
		skip();
	}
}

/* ---- fixture: a writable dir, another dir, a file in the other ------ */

struct dirs {
	char w[64];       /* writable */
	char o[64];       /* not writable */
	char file[96];    /* o/existing */
	char link[96];    /* o/link -> w */
	uint16_t p1, p2, p3;
	int l1, l2;
};

static int dirs_setup(void **state)
{
	struct dirs *d = calloc(1, sizeof(*d));
	int fd;

	if (!d)
		return -1;
	snprintf(d->w, sizeof(d->w), "/tmp/ward-ll-w.XXXXXX");
	snprintf(d->o, sizeof(d->o), "/tmp/ward-ll-o.XXXXXX");
	if (!mkdtemp(d->w) || !mkdtemp(d->o))
		return -1;
	snprintf(d->file, sizeof(d->file), "%s/existing", d->o);
	snprintf(d->link, sizeof(d->link), "%s/link", d->o);
	fd = open(d->file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "old", 3) != 3 || close(fd) < 0)
		return -1;
	if (symlink(d->w, d->link) < 0)
		return -1;
	d->l1 = d->l2 = -1;
	*state = d;
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

static int dirs_teardown(void **state)
{
	struct dirs *d = *state;

	if (d->l1 >= 0)
		close(d->l1);
	if (d->l2 >= 0)
		close(d->l2);
	nftw(d->w, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	nftw(d->o, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(d);
	return 0;
}

/* ---- pure: port lists ------------------------------------------------ */

struct ports_case {
	const char *list;
	size_t n;
	uint16_t ports[8];
};

static void test_parse_ports_good(void **state)
{
	static const struct ports_case cases[] = {
		{"none", 0, {0}},
		{"80", 1, {80}},
		{"80,443", 2, {80, 443}},
		{"1,65535", 2, {1, 65535}},
		{"8000-8003", 4, {8000, 8001, 8002, 8003}},
		{"5-5", 1, {5}},
		{"443,80", 2, {443, 80}},                 /* order kept */
		{"80,80", 1, {80}},                       /* duplicates once */
		{"8000-8002,8001,80,8000", 4, {8000, 8001, 8002, 80}},
		{"00080", 1, {80}},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint16_t ports[WARD_LANDLOCK_MAX_PORTS];
		struct ward_err err = {0};
		size_t n = 999;
		int r = ward_landlock_parse_ports(cases[i].list, ports,
						  WARD_LANDLOCK_MAX_PORTS, &n, &err);

		if (r != 0)
			fail_msg("parse_ports('%s') = %d: %s", cases[i].list, r,
				 err.msg);
		if (n != cases[i].n)
			fail_msg("parse_ports('%s'): %zu ports, want %zu",
				 cases[i].list, n, cases[i].n);
		for (size_t j = 0; j < n; j++)
			if (ports[j] != cases[i].ports[j])
				fail_msg("parse_ports('%s')[%zu] = %u, want %u",
					 cases[i].list, j, ports[j],
					 cases[i].ports[j]);
		assert_int_equal(err.step, WARD_STEP_NONE); /* untouched */
	}
}

struct bad_case {
	const char *list;
	const char *msg; /* a substring of err.msg */
};

static void test_parse_ports_bad(void **state)
{
	static const struct bad_case cases[] = {
		{"", "empty item"},
		{",", "empty item"},
		{"80,", "empty item"},
		{",80", "empty item"},
		{"80,,443", "empty item"},
		{"0", "0 is out of range 1..65535"},
		{"65536", "65536 is out of range"},
		{"99999999999", "out of range"},
		{"80,0-5", "0 is out of range"},
		{"a", "'a' is not a port"},
		{"80,http", "'http' is not a port"},
		{"8010-8000", "range 8010-8000 is backwards"},
		{"-80", "'-80' is not a port"},
		{"80-", "'80-' is not a port"},
		{"1-2-3", "'1-2-3' is not a port"},
		{" 80", "not a port"},
		{"80 ", "not a port"},
		{"+80", "not a port"},
		{"0x50", "not a port"},
		{"NONE", "not a port"},
		{"none,80", "'none' is not a port"},
		{"12345678901234567890", "not a port"},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint16_t ports[WARD_LANDLOCK_MAX_PORTS];
		struct ward_err err = {0};
		size_t n = 999;
		int r = ward_landlock_parse_ports(cases[i].list, ports,
						  WARD_LANDLOCK_MAX_PORTS, &n, &err);

		if (r != -EINVAL)
			fail_msg("parse_ports('%s') = %d, want -EINVAL",
				 cases[i].list, r);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("parse_ports('%s'): message '%s' lacks '%s'",
				 cases[i].list, err.msg, cases[i].msg);
		assert_int_equal(err.step, WARD_STEP_PLAN);
		assert_int_equal(n, 999); /* untouched on error */
	}
}

/* The cap counts distinct ports and is an error, never a silent cut. */
static void test_parse_ports_max(void **state)
{
	uint16_t ports[WARD_LANDLOCK_MAX_PORTS];
	struct ward_err err = {0};
	size_t n = 0;

	assert_int_equal(ward_landlock_parse_ports("1-64", ports, 64, &n, &err), 0);
	assert_int_equal(n, 64);
	assert_int_equal(ports[63], 64);
	assert_int_equal(ward_landlock_parse_ports("1-64,5,64,1-10", ports, 64,
						   &n, &err), 0);
	assert_int_equal(n, 64);
	n = 7;
	assert_int_equal(ward_landlock_parse_ports("1-65", ports, 64, &n, &err),
			 -E2BIG);
	assert_int_equal(n, 7);
	assert_int_equal(err.errnum, E2BIG);
	assert_non_null(strstr(err.msg, "more than 64 ports"));
	assert_int_equal(ward_landlock_parse_ports("1-65535", ports, 64, &n, &err),
			 -E2BIG);
	assert_int_equal(ward_landlock_parse_ports("1,2,3", ports, 3, &n, &err), 0);
	assert_int_equal(ward_landlock_parse_ports("1,2,3,4", ports, 3, &n, &err),
			 -E2BIG);
	assert_int_equal(ward_landlock_parse_ports("none", ports, 0, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(ward_landlock_parse_ports("1", ports, 0, &n, &err), -E2BIG);
}

/* ---- pure: ABI masks ------------------------------------------------- */

static void test_fs_handled(void **state)
{
	static const struct {
		int abi;
		uint64_t all, file;
	} cases[] = {
		{-1, 0, 0},
		{0, 0, 0},
		{1, 0x1fff, 0x7},       /* EXECUTE..MAKE_SYM */
		{2, 0x3fff, 0x7},       /* + REFER */
		{3, 0x7fff, 0x4007},    /* + TRUNCATE */
		{4, 0x7fff, 0x4007},    /* TCP only */
		{5, 0xffff, 0xc007},    /* + IOCTL_DEV */
		{6, 0xffff, 0xc007},    /* scopes only */
		{7, 0xffff, 0xc007},    /* audit flags only */
		{99, 0xffff, 0xc007},   /* future: what ward knows */
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint64_t all = ward_landlock_fs_handled(cases[i].abi);
		uint64_t file = ward_landlock_fs_file_rights(cases[i].abi);

		if (all != cases[i].all || file != cases[i].file)
			fail_msg("abi %d: handled %#llx file %#llx, want %#llx %#llx",
				 cases[i].abi, (unsigned long long)all,
				 (unsigned long long)file,
				 (unsigned long long)cases[i].all,
				 (unsigned long long)cases[i].file);
	}
}

/* The ABI reported is the kernel's (or 0 under valgrind, which answers
 * ENOSYS). */
static void test_abi(void **state)
{
	long raw = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U);
	int saved = errno;
	int abi;

	k_reset(false);
	abi = ward_landlock_abi();
	print_message("landlock ABI: %d\n", abi);
	if (raw < 0)
		assert_true(abi == 0 || abi == -saved);
	else
		assert_int_equal(abi, raw);
}

/* ---- fake kernel: what is asked for, and failures ------------------- */

static struct ward_landlock full_request(const struct dirs *d)
{
	struct ward_landlock ll = {
		.fs = true,
		.writable = {d->w, d->file},
		.nwritable = 2,
		.tcp_bind = true,
		.bind_ports = {8080},
		.nbind = 1,
		.tcp_connect = true,
		.connect_ports = {443, 8443},
		.nconnect = 2,
	};

	return ll;
}

/* Nothing to restrict: no syscall at all, err untouched. */
static void test_noop(void **state)
{
	struct ward_landlock ll = {0};
	struct ward_err err = {.step = WARD_STEP_NONE, .msg = "untouched"};

	k_reset(true);
	assert_int_equal(ward_landlock_apply(&ll, &err), 0);
	assert_int_equal(k.ncreate + k.nadd + k.nrestrict, 0);
	assert_string_equal(err.msg, "untouched");
}

/* The ruleset ward builds on ABI 7: the 16-byte attr, every fs right
 * handled, "/" read+exec, the directory every right, the file only file
 * rights, the devices read+write+ioctl, one rule per port. */
static void test_fake_rules(void **state)
{
	struct dirs *d = *state;
	struct ward_landlock ll = full_request(d);
	struct ward_err err = {0};
	int fds = count_fds();
	size_t ndev = 0;

	k_reset(true);
	assert_int_equal(ward_landlock_apply(&ll, &err), 0);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(k.ncreate, 1);
	assert_int_equal(k.nrestrict, 1);
	assert_int_equal(k.attr_size, 16);
	assert_true(k.handled_fs == ward_landlock_fs_handled(7));
	assert_true(k.handled_net == (NET_BIND | NET_CONNECT));
	assert_true(k.nrules >= 3 + 3);
	assert_int_equal(k.rules[0].type, 1);
	assert_true(S_ISDIR(k.rules[0].mode));
	assert_true(k.rules[0].access == (FS_EXECUTE | FS_READ_FILE | FS_READ_DIR));
	assert_true(S_ISDIR(k.rules[1].mode));
	assert_true(k.rules[1].access == ward_landlock_fs_handled(7));
	assert_true(S_ISREG(k.rules[2].mode));
	assert_true(k.rules[2].access == ward_landlock_fs_file_rights(7));
	for (size_t i = 3; i < k.nrules && k.rules[i].type == 1; i++, ndev++) {
		assert_true(S_ISCHR(k.rules[i].mode));
		assert_true(k.rules[i].access ==
			    (FS_READ_FILE | FS_WRITE_FILE | FS_IOCTL_DEV));
	}
	assert_true(ndev >= 1); /* /dev/null at least */
	assert_int_equal(k.nrules, 3 + ndev + 3);
	assert_int_equal(k.rules[3 + ndev].type, 2);
	assert_true(k.rules[3 + ndev].access == NET_BIND);
	assert_int_equal(k.rules[3 + ndev].port, 8080);
	assert_true(k.rules[4 + ndev].access == NET_CONNECT);
	assert_int_equal(k.rules[4 + ndev].port, 443);
	assert_int_equal(k.rules[5 + ndev].port, 8443);
}

/* Older ABIs: the 8-byte attr and fewer rights (2: no TRUNCATE); TCP
 * rules refused before any ruleset exists. */
static void test_fake_old_abi(void **state)
{
	struct dirs *d = *state;
	struct ward_landlock ll = {.fs = true, .writable = {d->file},
				   .nwritable = 1};
	struct ward_err err = {0};
	char buf[256];

	k_reset(true);
	k.abi = 2;
	assert_int_equal(ward_landlock_apply(&ll, &err), 0);
	assert_int_equal(k.attr_size, 8);
	assert_true(k.handled_fs == 0x3fff);
	assert_true(k.rules[1].access == (FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE));

	k_reset(true);
	k.abi = 3;
	ll.tcp_connect = true;
	assert_int_equal(ward_landlock_apply(&ll, &err), -EOPNOTSUPP);
	assert_int_equal(err.step, WARD_STEP_LANDLOCK);
	ward_err_format(&err, buf, sizeof(buf));
	assert_string_equal(buf, "ward: landlock: TCP port rules need Landlock ABI 4 "
			    "(Linux 6.7); this kernel has ABI 3: Operation not supported");
	assert_int_equal(k.ncreate + k.nadd + k.nrestrict, 0);
}

struct fault_case {
	enum fn fn;
	int type;        /* add_rule: 1 path, 2 port */
	int nth;
	int errnum;      /* injected */
	int want;        /* err.errnum expected */
	bool dir;        /* the message starts with "writable <dir>" */
	const char *msg; /* expected in err.msg (after that prefix) */
};

static void test_faults(void **state)
{
	static const struct fault_case cases[] = {
		{CREATE, 0, 1, ENOSYS, EOPNOTSUPP, false, "this kernel has no Landlock"},
		{CREATE, 0, 1, EOPNOTSUPP, EOPNOTSUPP, false,
		 "this kernel has no Landlock"},
		{CREATE, 0, 1, EPERM, EPERM, false, "landlock_create_ruleset(VERSION)"},
		{CREATE, 0, 2, ENOMEM, ENOMEM, false,
		 "landlock_create_ruleset (ABI 7, fs 0xffff, net 0x3)"},
		{ADD_RULE, 1, 1, EACCES, EACCES, false,
		 "read-only /: landlock_add_rule (access 0xd)"},
		{ADD_RULE, 1, 2, EINVAL, EINVAL, true,
		 ": landlock_add_rule (access 0xffff)"},
		{ADD_RULE, 1, 3, EINVAL, EINVAL, false,
		 "/existing: landlock_add_rule (access 0xc007)"},
		{ADD_RULE, 1, 4, EBADFD, EBADFD, false,
		 "device /dev/null: landlock_add_rule"},
		{ADD_RULE, 2, 1, ENOMEM, ENOMEM, false,
		 "tcp bind port 8080: landlock_add_rule"},
		{ADD_RULE, 2, 3, ENOMEM, ENOMEM, false,
		 "tcp connect port 8443: landlock_add_rule"},
		{RESTRICT, 0, 1, EPERM, EPERM, false, "landlock_restrict_self"},
	};
	struct dirs *d = *state;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const struct fault_case *c = &cases[i];
		struct ward_landlock ll = full_request(d);
		struct ward_err err = {0};
		char want[256];
		int fds = count_fds();
		int r;

		k_reset(true);
		k_fail(c->fn, c->type, c->nth, c->errnum);
		r = ward_landlock_apply(&ll, &err);
		snprintf(want, sizeof(want), "%s%s%s", c->dir ? "writable " : "",
			 c->dir ? d->w : "", c->msg);
		if (!k.fired)
			fail_msg("case %zu: the fault was never reached", i);
		if (r != -c->want || err.step != WARD_STEP_LANDLOCK ||
		    err.errnum != c->want || !strstr(err.msg, want))
			fail_msg("case %zu: r=%d step=%d errnum=%d msg='%s', want "
				 "%d, '%s'", i, r, err.step, err.errnum, err.msg,
				 -c->want, want);
		if (count_fds() != fds)
			fail_msg("case %zu: %d fds before, %d after", i, fds,
				 count_fds());
		if (c->fn != RESTRICT && k.nrestrict != 0)
			fail_msg("case %zu: restricted after a failure", i);
	}
}

/* Bad requests are refused before any syscall. */
static void test_bad_request(void **state)
{
	struct ward_landlock ll = {.fs = true, .writable = {NULL}, .nwritable = 1};
	struct ward_err err = {0};

	k_reset(true);
	assert_int_equal(ward_landlock_apply(&ll, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "writable path 0 is empty"));
	ll.writable[0] = "";
	assert_int_equal(ward_landlock_apply(&ll, &err), -EINVAL);
	ll.writable[0] = "/tmp";
	ll.nwritable = WARD_LANDLOCK_MAX_PATHS + 1;
	assert_int_equal(ward_landlock_apply(&ll, &err), -EINVAL);
	assert_int_equal(k.ncreate + k.nadd + k.nrestrict, 0);
}

/* ---- the signal scope, fake kernel -------------------------------- */

/* A layer that scopes signals and handles no access right: the 24-byte
 * attr (ABI 6), scoped = SIGNAL, no rule, one restrict_self. */
static void test_fake_scope(void **state)
{
	struct ward_err err = {0};
	int fds = count_fds();

	k_reset(true);
	assert_int_equal(ward_confine_signal_scope(&err), 0);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(k.ncreate, 1);
	assert_int_equal(k.attr_size, 24);
	assert_true(k.scoped == SCOPE_SIGNAL);
	assert_true(k.handled_fs == 0 && k.handled_net == 0);
	assert_int_equal(k.nadd, 0);
	assert_int_equal(k.nrestrict, 1);

	/* Below ABI 6: refused before any ruleset exists. */
	k_reset(true);
	k.abi = 5;
	assert_int_equal(ward_confine_signal_scope(&err), -EOPNOTSUPP);
	assert_int_equal(err.step, WARD_STEP_LANDLOCK);
	assert_string_equal(err.msg, "the signal scope needs Landlock ABI 6 "
			    "(Linux 6.12); this kernel has ABI 5");
	assert_int_equal(k.ncreate + k.nadd + k.nrestrict, 0);
}

/* Each landlock call of the scope layer fails in turn: an error naming
 * it, nothing restricted, no fd left open. */
static void test_scope_faults(void **state)
{
	static const struct fault_case cases[] = {
		{CREATE, 0, 1, EPERM, EPERM, false, "landlock_create_ruleset(VERSION)"},
		{CREATE, 0, 1, ENOSYS, EOPNOTSUPP, false, "this kernel has no Landlock"},
		{CREATE, 0, 2, ENOMEM, ENOMEM, false,
		 "landlock_create_ruleset (ABI 7, fs 0, net 0, signal scope)"},
		{RESTRICT, 0, 1, E2BIG, E2BIG, false, "landlock_restrict_self"},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const struct fault_case *c = &cases[i];
		struct ward_err err = {0};
		int fds = count_fds();
		int r;

		k_reset(true);
		k_fail(c->fn, c->type, c->nth, c->errnum);
		r = ward_confine_signal_scope(&err);
		if (!k.fired)
			fail_msg("case %zu: the fault was never reached", i);
		if (r != -c->want || err.step != WARD_STEP_LANDLOCK ||
		    err.errnum != c->want || !strstr(err.msg, c->msg))
			fail_msg("case %zu: r=%d step=%d errnum=%d msg='%s', want "
				 "%d, '%s'", i, r, err.step, err.errnum, err.msg,
				 -c->want, c->msg);
		if (count_fds() != fds)
			fail_msg("case %zu: %d fds before, %d after", i, fds,
				 count_fds());
		if (c->fn != RESTRICT && k.nrestrict != 0)
			fail_msg("case %zu: restricted after a failure", i);
	}
}

/* Whether entrypoint mode may go on without the scope: with ABI >= 6 it
 * is on; below, refused unless 'landlock optional' (then off, and
 * said on stderr), like the rest of Landlock. */
static void test_scope_check(void **state)
{
	static struct ward_plan plan; /* zeroed: landlock required */
	static const struct {
		int abi;          /* the VERSION answer; 0: ENOSYS */
		bool optional;
		int want_r;
		bool want_scope;
		const char *msg;
	} cases[] = {
		{7, false, 0, true, NULL},
		{6, false, 0, true, NULL},
		{5, false, -EOPNOTSUPP, false, "needs ABI 6 (Linux 6.12) and this "
		 "kernel has ABI 5: run ward as pid 1, or say 'landlock optional'"},
		{0, false, -EOPNOTSUPP, false, "this kernel has no Landlock:"},
		{5, true, 0, false, NULL},
		{0, true, 0, false, NULL},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct ward_err err = {0};
		bool scope = !cases[i].want_scope;
		int r;

		k_reset(true);
		if (cases[i].abi > 0)
			k.abi = cases[i].abi;
		else
			k_fail(CREATE, 0, 1, ENOSYS);
		plan.landlock_optional = cases[i].optional;
		r = ward_confine_signal_scope_check(&plan, &scope, &err);
		if (r != cases[i].want_r || scope != cases[i].want_scope)
			fail_msg("case %zu: r=%d scope=%d, want %d %d", i, r, scope,
				 cases[i].want_r, cases[i].want_scope);
		if (cases[i].msg && (err.step != WARD_STEP_LANDLOCK ||
				     !strstr(err.msg, cases[i].msg)))
			fail_msg("case %zu: step %d message '%s' lacks '%s'", i,
				 err.step, err.msg, cases[i].msg);
		assert_int_equal(k.ncreate + k.nadd + k.nrestrict, 0);
	}
}

/* ---- the real kernel, from inside a child ---------------------------- */

static int fs_child(void *arg)
{
	struct dirs *d = arg;
	struct ward_landlock ll = {.fs = true, .writable = {d->w}, .nwritable = 1};
	char sub[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
	int bad = 0, fds = count_fds();
	DIR *etc;

	k_reset(false);
	if (apply_or_report(&ll) < 0)
		return 1;
	CHECK(bad, count_fds() == fds, "fds %d before, %d after", fds, count_fds());
	CHECK(bad, try_create(d->w, "new") == 0, "create in the writable dir");
	CHECK(bad, try_create(d->o, "new") == EACCES, "create elsewhere: EACCES");
	CHECK(bad, try_write(d->file) == EACCES, "write an existing file elsewhere");
	CHECK(bad, errno_of(unlink(d->file)) == EACCES, "unlink elsewhere");
	if (ward_landlock_abi() >= 3)
		CHECK(bad, errno_of(truncate(d->file, 0)) == EACCES,
		      "truncate elsewhere (ABI >= 3)");
	snprintf(sub, sizeof(sub), "%s/sub", d->w);
	snprintf(a, sizeof(a), "%s/new", d->w);
	snprintf(b, sizeof(b), "%s/sub/new", d->w);
	CHECK(bad, errno_of(mkdir(sub, 0700)) == 0, "mkdir in the writable dir");
	CHECK(bad, errno_of(rename(a, b)) == 0, "rename within it (REFER)");
	CHECK(bad, errno_of(unlink(b)) == 0, "unlink within it");
	CHECK(bad, errno_of(rmdir(sub)) == 0, "rmdir within it");
	snprintf(sub, sizeof(sub), "%s/sub", d->o);
	CHECK(bad, errno_of(mkdir(sub, 0700)) == EACCES, "mkdir elsewhere");
	CHECK(bad, try_read("/etc/hostname") == 0, "read /etc/hostname");
	CHECK(bad, try_read(d->file) == 0, "read a file elsewhere");
	etc = opendir("/etc");
	CHECK(bad, etc != NULL, "list /etc");
	if (etc)
		closedir(etc);
	CHECK(bad, try_write("/dev/null") == 0, "write /dev/null");
	CHECK(bad, try_read("/dev/urandom") == 0, "read /dev/urandom");
	snprintf(sub, sizeof(sub), "ward-ll-escape.%d", (int)getpid());
	CHECK(bad, try_create("/tmp", sub) == EACCES, "create in /tmp");
	CHECK(bad, try_exec() == 0, "exec /bin/true");
	return bad;
}

static void test_real_fs(void **state)
{
	skip_without_landlock(1);
	assert_int_equal(run_child(fs_child, *state), 0);
}

/* A writable symlink is followed (images have /var/run -> /run); a
 * writable regular file gets file rights, which the kernel accepts. */
static int fs_file_child(void *arg)
{
	struct dirs *d = arg;
	struct ward_landlock ll = {.fs = true, .writable = {d->link, d->file},
				   .nwritable = 2};
	int bad = 0;

	k_reset(false);
	if (apply_or_report(&ll) < 0)
		return 1;
	CHECK(bad, try_create(d->link, "via-link") == 0, "create through the link");
	CHECK(bad, try_create(d->w, "direct") == 0, "create in the link's target");
	CHECK(bad, try_write(d->file) == 0, "write the writable file");
	CHECK(bad, try_create(d->o, "sibling") == EACCES, "create beside it");
	CHECK(bad, errno_of(unlink(d->file)) == EACCES, "unlink the file");
	return bad;
}

static void test_real_fs_file_and_link(void **state)
{
	skip_without_landlock(1);
	assert_int_equal(run_child(fs_file_child, *state), 0);
}

/* The ABI mask reaches the kernel: told ABI 2, ward leaves TRUNCATE
 * unhandled, so truncate(2) elsewhere still works while writes do not. */
static int old_abi_child(void *arg)
{
	struct dirs *d = arg;
	struct ward_landlock ll = {.fs = true, .writable = {d->w}, .nwritable = 1};
	struct stat st;
	int bad = 0;

	k_reset(false);
	k.abi = 2;
	if (apply_or_report(&ll) < 0)
		return 1;
	CHECK(bad, k.attr_size == 8, "attr size %zu, want 8", k.attr_size);
	CHECK(bad, try_write(d->file) == EACCES, "write elsewhere");
	CHECK(bad, errno_of(truncate(d->file, 1)) == 0, "truncate (unhandled)");
	CHECK(bad, stat(d->file, &st) == 0 && st.st_size == 1, "truncated");
	return bad;
}

static void test_real_old_abi(void **state)
{
	skip_without_landlock(3);
	assert_int_equal(run_child(old_abi_child, *state), 0);
}

/* A missing writable path fails before anything is restricted. */
static int missing_child(void *arg)
{
	static const char missing[] = "/nonexistent-ward-test/data";
	struct dirs *d = arg;
	struct ward_landlock ll = {.fs = true, .writable = {d->w, missing},
				   .nwritable = 2};
	struct ward_err err = {0};
	char buf[WARD_ERR_MSG_MAX + 64];
	int bad = 0, fds = count_fds(), r;

	k_reset(false);
	r = ward_landlock_apply(&ll, &err);
	ward_err_format(&err, buf, sizeof(buf));
	CHECK(bad, r == -ENOENT, "apply = %d, want -ENOENT", r);
	CHECK(bad, err.step == WARD_STEP_LANDLOCK, "step %d", err.step);
	CHECK(bad, strcmp(buf, "ward: landlock: writable /nonexistent-ward-test/data: "
			  "open: No such file or directory") == 0, "message '%s'", buf);
	CHECK(bad, count_fds() == fds, "fds %d before, %d after", fds, count_fds());
	CHECK(bad, k.nrestrict == 0, "restrict_self was called");
	CHECK(bad, try_create(d->o, "after") == 0, "still unrestricted");
	return bad;
}

static void test_real_missing_path(void **state)
{
	skip_without_landlock(1);
	assert_int_equal(run_child(missing_child, *state), 0);
}

static int bind_child(void *arg)
{
	struct dirs *d = arg;
	struct ward_landlock ll = {.tcp_bind = true, .bind_ports = {d->p1},
				   .nbind = 1};
	int bad = 0;

	k_reset(false);
	if (apply_or_report(&ll) < 0)
		return 1;
	CHECK(bad, try_bind(d->p1) == 0, "bind listed port %u", d->p1);
	CHECK(bad, try_bind(d->p2) == EACCES, "bind other port %u: EACCES", d->p2);
	CHECK(bad, try_connect(d->p3) == 0, "connect (unhandled) to %u", d->p3);
	CHECK(bad, try_create(d->o, "net-only") == 0, "fs left alone");
	return bad;
}

static void test_real_tcp_bind(void **state)
{
	struct dirs *d = *state;

	skip_without_landlock(4);
	d->l1 = listener(&d->p3);
	d->p1 = free_port(d->p3);
	d->p2 = free_port(d->p1);
	assert_int_equal(run_child(bind_child, d), 0);
}

static int connect_child(void *arg)
{
	struct dirs *d = arg;
	struct ward_landlock ll = {.tcp_connect = true, .connect_ports = {d->p1},
				   .nconnect = 1};
	int bad = 0;

	k_reset(false);
	if (apply_or_report(&ll) < 0)
		return 1;
	CHECK(bad, try_connect(d->p1) == 0, "connect to listed port %u", d->p1);
	CHECK(bad, try_connect(d->p2) == EACCES, "connect to port %u: EACCES",
	      d->p2);
	CHECK(bad, try_bind(d->p3) == 0, "bind (unhandled) port %u", d->p3);
	return bad;
}

static void test_real_tcp_connect(void **state)
{
	struct dirs *d = *state;

	skip_without_landlock(4);
	d->l1 = listener(&d->p1);
	d->l2 = listener(&d->p2);
	d->p3 = free_port(d->p1);
	assert_int_equal(run_child(connect_child, d), 0);
}

/* "none": nothing may be bound at all. */
static int bind_none_child(void *arg)
{
	struct dirs *d = arg;
	struct ward_landlock ll = {.tcp_bind = true};
	int bad = 0;

	k_reset(false);
	if (apply_or_report(&ll) < 0)
		return 1;
	CHECK(bad, try_bind(d->p1) == EACCES, "bind port %u: EACCES", d->p1);
	return bad;
}

static void test_real_tcp_bind_none(void **state)
{
	struct dirs *d = *state;

	skip_without_landlock(4);
	d->p1 = free_port(0);
	assert_int_equal(run_child(bind_none_child, d), 0);
}

/* The program: its own scope layer, then what it may signal.  Reports
 * its failed checks through @out, then waits for its init's SIGTERM. */
__attribute__((noreturn)) static void scoped_program(pid_t runner, int out)
{
	struct ward_err err = {0};
	char bad = 0;
	pid_t kid;
	int status = 0;

	if (ward_confine_signal_scope(&err) < 0) {
		fprintf(stderr, "program: %s\n", err.msg);
		_exit(90);
	}
	/* Signal 0: were the scope missing, nothing would happen either. */
	CHECK(bad, kill(getppid(), 0) < 0 && errno == EPERM,
	      "signal the init: EPERM, got %s", strerror(errno));
	CHECK(bad, kill(runner, 0) < 0 && errno == EPERM,
	      "signal the test runner: EPERM, got %s", strerror(errno));
	kid = fork();
	if (kid == 0) {
		pause();
		_exit(0);
	}
	CHECK(bad, kid > 0 && kill(kid, SIGTERM) == 0, "signal its own child");
	CHECK(bad, waitpid(kid, &status, 0) == kid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGTERM, "its child died of SIGTERM");
	if (write(out, &bad, 1) != 1)
		_exit(91);
	for (;;)
		pause();
}

/* The entrypoint shape: an init restricted by a layer of its own (the
 * file system, as ward), the program forked from it with the signal
 * scope on top.  The program cannot signal its init or anything else
 * outside, can signal its own child; the init can still signal the
 * program (forwarding). */
static int scope_child(void *arg)
{
	struct dirs *d = arg;
	struct ward_landlock ll = {.fs = true, .writable = {d->w}, .nwritable = 1};
	pid_t runner = getppid(), prog;
	int fds[2], status = 0, bad = 0;
	char prog_bad = 99;

	k_reset(false);
	if (apply_or_report(&ll) < 0 || pipe(fds) < 0)
		return 1;
	fflush(stderr);
	prog = fork();
	if (prog == 0)
		scoped_program(runner, fds[1]);
	close(fds[1]);
	CHECK(bad, prog > 0 && read(fds[0], &prog_bad, 1) == 1,
	      "the program reported");
	CHECK(bad, prog_bad == 0, "%d failed check(s) in the program", prog_bad);
	CHECK(bad, kill(prog, SIGTERM) == 0, "the init signals the program");
	CHECK(bad, waitpid(prog, &status, 0) == prog && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGTERM, "the program died of SIGTERM (status %#x)",
	      status);
	CHECK(bad, kill(runner, 0) == 0, "the init itself is not scoped");
	close(fds[0]);
	return bad;
}

static void test_real_signal_scope(void **state)
{
	skip_without_landlock(6);
	assert_int_equal(run_child(scope_child, *state), 0);
}

#define WITH_DIRS(t) \
	cmocka_unit_test_setup_teardown(t, dirs_setup, dirs_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ports_good),
		cmocka_unit_test(test_parse_ports_bad),
		cmocka_unit_test(test_parse_ports_max),
		cmocka_unit_test(test_fs_handled),
		cmocka_unit_test(test_abi),
		cmocka_unit_test(test_noop),
		WITH_DIRS(test_fake_rules),
		WITH_DIRS(test_fake_old_abi),
		WITH_DIRS(test_faults),
		cmocka_unit_test(test_bad_request),
		cmocka_unit_test(test_fake_scope),
		cmocka_unit_test(test_scope_faults),
		cmocka_unit_test(test_scope_check),
		WITH_DIRS(test_real_fs),
		WITH_DIRS(test_real_fs_file_and_link),
		WITH_DIRS(test_real_old_abi),
		WITH_DIRS(test_real_missing_path),
		WITH_DIRS(test_real_tcp_bind),
		WITH_DIRS(test_real_tcp_connect),
		WITH_DIRS(test_real_tcp_bind_none),
		WITH_DIRS(test_real_signal_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
