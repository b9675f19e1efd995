/* Unit tests for the seccomp module: the policy parser (every error class
 * with its exact line:col), group expansion, the complement patterns, the
 * built-in policies (pfc text and the exported BPF, run through a small
 * classic-BPF interpreter), and real loads in forked children. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <seccomp.h>

#include "base/err.h"
#include "seccomp/seccomp.h"
#include "seccomp/groups.h"
#include "seccomp/policy.h"

#include "under_valgrind.h"

#define F "t.policy"
#define HDR "ward-seccomp 1\n"

/* ---- helpers ---------------------------------------------------------- */

static int parse(const char *text, struct ward_seccomp_policy **pol,
		 struct ward_err *err)
{
	return ward_seccomp_policy_parse(F, text, strlen(text), pol, err);
}

/* Parse @text, expect failure and @want as a substring of err.msg. */
static void expect_error(const char *text, size_t len, const char *want)
{
	struct ward_seccomp_policy *pol = NULL;
	struct ward_err err = {0};
	int r = ward_seccomp_policy_parse(F, text, len, &pol, &err);

	if (r != -EINVAL || !strstr(err.msg, want)) {
		print_error("policy:\n%.200s\nwant: %s\ngot (%d): %s\n", text,
			    want, r, err.msg);
		fail();
	}
	assert_null(pol);
	assert_int_equal(err.step, WARD_STEP_SECCOMP_BUILD);
	assert_int_equal(err.errnum, 0);
}

static struct ward_seccomp_policy *parse_ok(const char *text)
{
	struct ward_seccomp_policy *pol = NULL;
	struct ward_err err = {0};

	if (parse(text, &pol, &err) != 0) {
		print_error("unexpected error: %s\n", err.msg);
		fail();
	}
	return pol;
}

static int nr_of(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	assert_true(nr >= 0);
	return nr;
}

static const struct ward_seccomp_rule *rule(const struct ward_seccomp_policy *p,
					    const char *name)
{
	return ward_seccomp_policy_lookup(p, nr_of(name));
}

static char *read_fd(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf;

	assert_true(size >= 0);
	buf = calloc(1, (size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, (size_t)size, 0), size);
	return buf;
}

static char *pfc_of(enum ward_seccomp_mode mode)
{
	struct ward_err err = {0};
	int fd = memfd_create("pfc", MFD_CLOEXEC);
	char *text;

	assert_true(fd >= 0);
	assert_int_equal(ward_seccomp_export_pfc(mode, NULL, fd, &err), 0);
	text = read_fd(fd);
	close(fd);
	return text;
}

static struct sock_fprog build(enum ward_seccomp_mode mode)
{
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};

	if (ward_seccomp_build(mode, NULL, &prog, &err) != 0) {
		print_error("build: %s\n", err.msg);
		fail();
	}
	assert_true(prog.len > 0 && prog.len <= BPF_MAXINSNS);
	return prog;
}

#include "bpf_run.h"

/* ---- complement patterns ---------------------------------------------- */

static unsigned matches(const struct ward_seccomp_pattern *p, int n,
			uint32_t x)
{
	unsigned m = 0;

	for (int i = 0; i < n; i++)
		m += (x & p[i].mask) == p[i].value;
	return m;
}

static bool member(const uint32_t *v, size_t n, uint32_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Exactly one pattern matches every value outside the set, none inside. */
static void check_cover(const uint32_t *v, size_t n)
{
	struct ward_seccomp_pattern pat[32 * 8];
	int np = ward_seccomp_complement(v, n, pat, 32 * 8);

	assert_true(np >= 1 && (size_t)np <= (n ? 32 * n : 1));
	for (size_t i = 0; i < n; i++)
		for (int b = -1; b < 32; b++) {
			uint32_t x = b < 0 ? v[i] : v[i] ^ (1u << b);

			assert_int_equal(matches(pat, np, x),
					 member(v, n, x) ? 0 : 1);
			assert_int_equal(matches(pat, np, x + 1),
					 member(v, n, x + 1) ? 0 : 1);
		}
	for (int k = 0; k < 20000; k++) {
		uint32_t x = (uint32_t)random() ^ ((uint32_t)random() << 16);

		if (k & 1)
			x &= 0xffff;
		assert_int_equal(matches(pat, np, x), member(v, n, x) ? 0 : 1);
	}
}

static void test_complement(void **state)
{
	static const uint32_t fixed[][5] = {
		{0}, {0xffffffffu}, {0x5412, 0x541c}, {1, 2, 10, 16},
		{0, 8, 0x20000, 0x20008, 0xffffffffu},
	};
	static const size_t fixed_n[] = {1, 1, 2, 4, 5};
	struct ward_seccomp_pattern pat[64];
	uint32_t v[8], unsorted[2] = {5, 3};

	(void)state;
	srandom(1);
	check_cover(NULL, 0);
	for (size_t i = 0; i < 5; i++)
		check_cover(fixed[i], fixed_n[i]);
	for (int round = 0; round < 40; round++) {
		size_t n = 1 + (size_t)random() % 8, m = 0;

		for (size_t i = 0; i < n; i++) {
			uint32_t x = (uint32_t)random();

			x = round & 1 ? x & 0x3f : x;
			if (!member(v, m, x))
				v[m++] = x;
		}
		qsort(v, m, sizeof(v[0]), cmp_u32);
		check_cover(v, m);
	}
	assert_int_equal(ward_seccomp_complement(unsorted, 2, pat, 64),
			 -EINVAL);
	assert_int_equal(ward_seccomp_complement(fixed[3], 4, pat, 3),
			 -ENOSPC);
}

/* ---- groups ----------------------------------------------------------- */

/* Names this libseccomp (2.5.4) does not know yet; anything else that
 * does not resolve is a typo in the table. */
static const char *const too_new[] = {
	"getxattrat", "listxattrat", "removexattrat", "setxattrat", "mseal",
	NULL,
};

static int check_member(const char *name, void *data)
{
	(*(unsigned *)data)++;
	if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR)
		return 0;
	for (const char *const *t = too_new; *t; t++)
		if (strcmp(*t, name) == 0)
			return 0;
	print_error("unknown syscall '%s' in a group\n", name);
	return -1;
}

static void test_groups(void **state)
{
	static const char *const required[] = {
		"@default", "@basic-io", "@file-system", "@network-io",
		"@process", "@signal", "@timer", "@ipc", "@privileged",
		"@mount", "@module", "@raw-io", "@reboot", "@swap", "@clock",
		"@debug", "@keyring", "@obsolete", "@cpu-emulation",
		"@ward-default", "@ward-deny", "@ward-strict", NULL,
	};

	(void)state;
	for (const char *const *r = required; *r; r++)
		assert_non_null(ward_seccomp_group_find(*r));
	assert_null(ward_seccomp_group_find("@nope"));
	assert_null(ward_seccomp_group_find("default"));
	assert_null(ward_seccomp_group_at(ward_seccomp_group_count()));
	for (size_t i = 0; i < ward_seccomp_group_count(); i++) {
		const struct ward_seccomp_group *g = ward_seccomp_group_at(i);
		unsigned n = 0;

		assert_int_equal(g->name[0], '@');
		assert_true(strlen(g->help) > 10);
		assert_null(strchr(g->help, '\n'));
		assert_ptr_equal(ward_seccomp_group_find(g->name), g);
		/* Resolves without cycles or dangling references. */
		assert_int_equal(ward_seccomp_group_foreach(g, check_member,
							    &n), 0);
		assert_true(n > 0);
	}
}

static void test_group_expansion(void **state)
{
	struct ward_seccomp_policy *p;

	(void)state;
	p = parse_ok(HDR "allow @default @privileged\n");
	/* Nested: @privileged includes @mount? no: @reboot, @clock... */
	assert_int_equal(rule(p, "reboot")->action, WARD_SECCOMP_ACT_ALLOW);
	assert_int_equal(rule(p, "settimeofday")->action,
			 WARD_SECCOMP_ACT_ALLOW);
	assert_int_equal(rule(p, "fchownat")->action, WARD_SECCOMP_ACT_ALLOW);
	assert_int_equal(rule(p, "getpid")->action, WARD_SECCOMP_ACT_ALLOW);
	assert_null(rule(p, "mount"));
	/* mmap2 is in @default but does not exist on x86_64: skipped. */
#ifdef __x86_64__
	assert_true(seccomp_syscall_resolve_name("mmap2") < 0);
#endif
	ward_seccomp_policy_free(p);
}

/* ---- parser: accepted input and semantics ----------------------------- */

static void test_parse_basics(void **state)
{
	struct ward_seccomp_policy *p;

	(void)state;
	p = parse_ok(HDR "allow execve\n");
	assert_int_equal(p->def_action, WARD_SECCOMP_ACT_ERRNO);
	assert_int_equal(p->def_errnum, ENOSYS);
	assert_int_equal(p->nrules, 1);
	assert_int_equal(rule(p, "execve")->line, 2);
	assert_int_equal(rule(p, "execve")->col, 7);
	ward_seccomp_policy_free(p);

	/* CRLF, tabs, comments everywhere, no final newline. */
	p = parse_ok("ward-seccomp 1 # v1\r\n\r\n  # comment\n"
		     "\tallow\texecve read#x\r\n"
		     "default errno=EACCES   # later\n"
		     "deny write");
	assert_int_equal(p->def_errnum, EACCES);
	assert_int_equal(rule(p, "read")->action, WARD_SECCOMP_ACT_ALLOW);
	assert_int_equal(rule(p, "write")->errnum, EPERM);
	assert_int_equal(rule(p, "write")->line, 6);
	ward_seccomp_policy_free(p);

	p = parse_ok(HDR "allow execve\ndefault errno\n");
	assert_int_equal(p->def_errnum, EPERM);
	ward_seccomp_policy_free(p);
	p = parse_ok(HDR "allow execve\ndefault kill\n");
	assert_int_equal(p->def_action, WARD_SECCOMP_ACT_KILL);
	ward_seccomp_policy_free(p);
	/* Audit mode: execve is allowed by the default action. */
	p = parse_ok(HDR "default log\n");
	assert_int_equal(p->def_action, WARD_SECCOMP_ACT_LOG);
	assert_int_equal(p->nrules, 0);
	ward_seccomp_policy_free(p);
}

static void test_parse_deny_wins(void **state)
{
	struct ward_seccomp_policy *p;

	(void)state;
	p = parse_ok(HDR "deny ptrace\nallow @default ptrace\n");
	assert_int_equal(rule(p, "ptrace")->action, WARD_SECCOMP_ACT_ERRNO);
	assert_int_equal(rule(p, "ptrace")->errnum, EPERM);
	assert_int_equal(rule(p, "ptrace")->line, 2);
	ward_seccomp_policy_free(p);

	p = parse_ok(HDR "allow @default @debug\n"
		     "deny ptrace errno=EACCES\n"
		     "deny errno=ENOENT perf_event_open\n"
		     "deny perf_event_open action=kill\n");
	assert_int_equal(rule(p, "ptrace")->errnum, EACCES);
	assert_int_equal(rule(p, "perf_event_open")->action,
			 WARD_SECCOMP_ACT_KILL);
	assert_int_equal(rule(p, "perf_event_open")->line, 5);
	assert_int_equal(rule(p, "lookup_dcookie")->action,
			 WARD_SECCOMP_ACT_ALLOW);
	ward_seccomp_policy_free(p);
}

/* ---- parser: every error class with its position ---------------------- */

static void test_parse_header_errors(void **state)
{
	(void)state;
	expect_error("", 0, F ":1:1: error: expected 'ward-seccomp 1'");
	expect_error("\n", 1, F ":1:1: error: expected 'ward-seccomp 1'");
	expect_error("# hi\n" HDR, 5 + strlen(HDR),
		     F ":1:1: error: expected 'ward-seccomp 1'");
	expect_error("  ward-policy 1\n", 16,
		     F ":1:3: error: expected 'ward-seccomp 1'");
	expect_error("ward-seccomp\n", 13,
		     F ":1:13: error: missing version after 'ward-seccomp'");
	expect_error("ward-seccomp 2\nallow nosuch\n", 28,
		     F ":1:14: error: unsupported policy version '2'");
	/* A wrong header stops reading: no errors from later lines. */
	expect_error("{ \"defaultAction\": 1 }\n", 23,
		     "error: expected 'ward-seccomp 1' on the first line");
	expect_error("ward-seccomp 1 x\nallow execve\n",
		     strlen("ward-seccomp 1 x\nallow execve\n"),
		     F ":1:16: error: unexpected 'x' after the version");
}

static void test_parse_directive_errors(void **state)
{
	(void)state;
#define E(text, want) expect_error(text, strlen(text), want)
	E(HDR "allow execve fooo\n", F ":2:14: error: unknown syscall 'fooo'");
	E(HDR "allow execve @nope\n",
	  F ":2:14: error: unknown syscall group '@nope'");
	E(HDR "allow execve\n  frobnicate read\n",
	  F ":3:3: error: unknown directive 'frobnicate'");
	E(HDR "allow execve\nALLOW read\n",
	  F ":3:1: error: unknown directive 'ALLOW'");
	E(HDR "allow execve\nallow\n",
	  F ":3:6: error: missing syscall names after 'allow'");
	E(HDR "allow execve\ndeny errno=EPERM\n",
	  F ":3:17: error: missing syscall names after 'deny'");
	E(HDR "allow execve read errno=EPERM\n",
	  F ":2:19: error: allow takes no options");
	E(HDR "allow execve\ndeny read errno=EWHAT\n",
	  F ":3:17: error: unknown errno name 'EWHAT'");
	E(HDR "allow execve\ndeny read errno=\n",
	  F ":3:17: error: unknown errno name ''");
	E(HDR "allow execve\ndeny read action=kill errno=EPERM\n",
	  F ":3:23: error: the deny action is given twice");
	E(HDR "allow execve\ndeny read action=explode\n",
	  F ":3:11: error: unknown option 'action=explode'");
	E(HDR "allow execve\ndefault\n",
	  F ":3:8: error: missing action after 'default'");
	E(HDR "allow execve\ndefault allow\n",
	  F ":3:9: error: 'default allow' is not supported");
	E(HDR "allow execve\ndefault maybe\n",
	  F ":3:9: error: unknown action 'maybe'");
	E(HDR "allow execve\ndefault errno=EBOGUS\n",
	  F ":3:15: error: unknown errno name 'EBOGUS'");
	E(HDR "allow execve\ndefault kill log\n",
	  F ":3:14: error: unexpected 'log' after the action");
	E(HDR "allow execve\ndefault enosys\n\ndefault kill\n",
	  F ":5:1: error: default action already set on line 3");
#ifdef __x86_64__
	E(HDR "allow execve mmap2\n",
	  F ":2:14: error: syscall 'mmap2' does not exist on this "
	    "architecture");
#endif
	/* Control bytes are escaped in messages. */
	E(HDR "allow execve \x1b[31mred\n",
	  F ":2:14: error: unknown syscall '\\x1b[31mred'");
#undef E
}

static void test_parse_execve_errors(void **state)
{
	(void)state;
	expect_error(HDR "allow read\n", strlen(HDR "allow read\n"),
		     F ":1:1: error: execve is not allowed");
	expect_error(HDR "allow @default\n\n  deny execve\n",
		     strlen(HDR "allow @default\n\n  deny execve\n"),
		     F ":4:8: error: execve cannot be denied");
	expect_error(HDR "deny @default\n", strlen(HDR "deny @default\n"),
		     F ":2:6: error: execve cannot be denied");
}

static void test_parse_line_errors(void **state)
{
	size_t n = strlen(HDR) + 13 + 5000 + 1;
	char *text = malloc(n + 64);
	struct ward_seccomp_policy *p;

	(void)state;
	assert_non_null(text);
	/* Over-long line, even a comment: refused at column 4097. */
	sprintf(text, HDR "allow execve\n#");
	memset(text + strlen(text), 'x', 4999);
	strcpy(text + n - 1, "\n");
	expect_error(text, n, F ":3:4097: error: line too long (more than "
		     "4096 bytes)");
	/* Exactly 4096 bytes is fine. */
	sprintf(text, HDR "allow execve\n#");
	memset(text + strlen(text), 'x', 4095);
	strcpy(text + strlen(HDR) + 13 + 4096, "\n");
	p = parse_ok(text);
	ward_seccomp_policy_free(p);
	/* An over-long first line is a missing header. */
	memset(text, ' ', 5000);
	expect_error(text, 5000, F ":1:4097: error: line too long");
	free(text);

	expect_error(HDR "allow execve\nallow re\0ad\n",
		     sizeof(HDR "allow execve\nallow re\0ad\n") - 1,
		     F ":3:9: error: NUL byte in line");
	expect_error("ward-seccomp\0 1\n", 16, F ":1:13: error: NUL byte");
}

static void test_parse_many_errors(void **state)
{
	const char *text = HDR "allow execve\nbad1\nbad2\nbad3\nbad4\nbad5\n";
	struct ward_seccomp_policy *p = NULL;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(parse(text, &p, &err), -EINVAL);
	assert_null(p);
	assert_non_null(strstr(err.msg, F ":3:1: error: unknown directive "
			       "'bad1'"));
	assert_non_null(strstr(err.msg, "\n" F ":5:1: error: unknown "
			       "directive 'bad3'"));
	assert_null(strstr(err.msg, "bad4"));
	assert_non_null(strstr(err.msg, "(5 errors in all)"));
	/* Every error in one line is reported; nothing is applied. */
	assert_int_equal(parse(HDR "allow execve\ndeny nope1 read nope2 "
			       "errno=EX\n", &p, &err), -EINVAL);
	assert_non_null(strstr(err.msg, ":3:6: error: unknown syscall "
			       "'nope1'"));
	assert_non_null(strstr(err.msg, ":3:17: error: unknown syscall "
			       "'nope2'"));
	assert_non_null(strstr(err.msg, ":3:29: error: unknown errno"));
}

static void test_parse_null_file_name(void **state)
{
	struct ward_seccomp_policy *p = NULL;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_seccomp_policy_parse(NULL, "x", 1, &p, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "<policy>:1:1: error:"));
	assert_int_equal(ward_seccomp_policy_parse(NULL, NULL, 0, &p, &err),
			 -EINVAL);
}

static void test_errno_names(void **state)
{
	(void)state;
	assert_int_equal(ward_seccomp_errno_from_name("EPERM"), EPERM);
	assert_int_equal(ward_seccomp_errno_from_name("EAFNOSUPPORT"),
			 EAFNOSUPPORT);
	assert_int_equal(ward_seccomp_errno_from_name("eperm"), 0);
	assert_int_equal(ward_seccomp_errno_from_name("1"), 0);
	assert_true(ward_seccomp_syscall_known("read"));
	assert_false(ward_seccomp_syscall_known("nosuch"));
	assert_false(ward_seccomp_syscall_known(NULL));
#ifdef __x86_64__
	assert_false(ward_seccomp_syscall_known("mmap2"));
#endif
}

/* ---- the built-in policies -------------------------------------------- */

static void test_default_policy_rules(void **state)
{
	static const char *const eperm[] = {
		"mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
		"keyctl", "add_key", "request_key", "bpf", "perf_event_open",
		"userfaultfd", "io_uring_setup", "io_uring_enter",
		"io_uring_register", "ptrace", "process_vm_readv",
		"process_vm_writev", "kexec_load", "kexec_file_load",
		"init_module", "finit_module", "delete_module", "reboot",
		"swapon", "swapoff", "acct", "settimeofday", "clock_settime",
		"clock_adjtime", "adjtimex", "open_by_handle_at",
		"name_to_handle_at", "lookup_dcookie", "iopl", "ioperm",
		"quotactl", "nfsservctl", "vhangup", "syslog", "fsopen",
		"fsmount", "fsconfig", "fspick", "move_mount", "open_tree",
		"mount_setattr", NULL,
	};
	static const char *const allowed[] = {
		"execve", "execveat", "read", "write", "openat", "clone",
		"clone3", "ioctl", "socket", "personality", "fork", "futex",
		"landlock_create_ruleset", "seccomp", "prctl", "epoll_wait",
		"accept4", "arch_prctl", "rseq", "getrandom", NULL,
	};
	struct ward_seccomp_policy *p = NULL;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_seccomp_policy_builtin(WARD_SECCOMP_DEFAULT, &p,
						     &err), 0);
	assert_int_equal(p->def_action, WARD_SECCOMP_ACT_ERRNO);
	assert_int_equal(p->def_errnum, ENOSYS);
	for (const char *const *n = eperm; *n; n++) {
		const struct ward_seccomp_rule *r = rule(p, *n);

		assert_non_null(r);
		if (r->action != WARD_SECCOMP_ACT_ERRNO || r->errnum != EPERM)
			fail_msg("%s is not EPERM", *n);
	}
	for (const char *const *n = allowed; *n; n++)
		if (!rule(p, *n) || rule(p, *n)->action != WARD_SECCOMP_ACT_ALLOW)
			fail_msg("%s is not allowed", *n);
	assert_null(rule(p, "modify_ldt"));
	ward_seccomp_policy_free(p);
	assert_null(ward_seccomp_policy_builtin_text(WARD_SECCOMP_OFF));
	assert_int_equal(ward_seccomp_policy_builtin(WARD_SECCOMP_FILE, &p,
						     &err), -EINVAL);
}

/* The text between 'filter for syscall "NAME"' and the next syscall. */
static char *pfc_block(const char *pfc, const char *name)
{
	char key[96];
	const char *start, *end;

	snprintf(key, sizeof(key), "filter for syscall \"%s\"", name);
	start = strstr(pfc, key);
	if (!start) {
		fail_msg("no pfc block for %s", name);
		return strdup(""); /* not reached: fail_msg longjmps */
	}
	end = strstr(start + 1, "filter for syscall");
	if (!end)
		end = start + strlen(start);
	return strndup(start, (size_t)(end - start));
}

static void assert_block_has(const char *pfc, const char *name,
			     const char *want)
{
	char *block = pfc_block(pfc, name);

	if (!strstr(block, want))
		fail_msg("pfc for %s lacks '%s':\n%.600s", name, want, block);
	free(block);
}

/* In the block for @name, the line after @cond is @action. */
static void assert_cond_action(const char *pfc, const char *name,
			       const char *cond, const char *action)
{
	char *block = pfc_block(pfc, name);
	const char *c = strstr(block, cond), *next;

	if (!c)
		fail_msg("pfc for %s lacks '%s'", name, cond);
	next = strchr(c, '\n');
	assert_non_null(next);
	next += strspn(next, " \n");
	if (strncmp(next, action, strlen(action)) != 0)
		fail_msg("pfc for %s: '%s' is followed by '%.40s'", name, cond,
			 next);
	free(block);
}

static void test_default_policy_pfc(void **state)
{
	char *pfc;
	const char *arch;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	pfc = pfc_of(WARD_SECCOMP_DEFAULT);
	/* Only the native arch; anything else kills the process. */
	arch = strstr(pfc, "# filter for arch");
	assert_non_null(arch);
	assert_null(strstr(arch + 1, "# filter for arch"));
	assert_non_null(strstr(pfc, "# invalid architecture action\n"
			       "action KILL_PROCESS;"));
	assert_non_null(strstr(pfc, "# default action\n  action ERRNO(38);"));
	assert_block_has(pfc, "mount", "action ERRNO(1);");
	assert_block_has(pfc, "keyctl", "action ERRNO(1);");
	/* clone3's guard is ENOSYS, the default: no rule at all. */
	assert_null(strstr(pfc, "syscall \"clone3\""));
	assert_block_has(pfc, "read", "action ALLOW;");
	/* ioctl: TIOCSTI (0x5412 = 21522) and TIOCLINUX (0x541c = 21532)
	 * compared on the low 32 bits only, plus allow patterns. */
	assert_block_has(pfc, "ioctl", "if ($a1.hi32 & 0x00000000 == 0)");
	assert_cond_action(pfc, "ioctl", "if ($a1.lo32 & 0xffffffff == 21522)",
			   "action ERRNO(1);");
	assert_cond_action(pfc, "ioctl", "if ($a1.lo32 & 0xffffffff == 21532)",
			   "action ERRNO(1);");
	assert_block_has(pfc, "ioctl", "action ALLOW;");
	assert_cond_action(pfc, "clone", "if ($a0.lo32 & 0x7e020000 == 0)",
			   "action ALLOW;");
	assert_cond_action(pfc, "clone", "if ($a0.lo32 & 0x10000000 == "
			   "268435456)", "action ERRNO(1);");
	assert_block_has(pfc, "socket", "action ERRNO(97);");
	assert_block_has(pfc, "socket", "action ERRNO(93);");
	assert_block_has(pfc, "personality", "== 131080)");
	free(pfc);
}

static void test_default_policy_bpf(void **state)
{
	struct sock_fprog prog;
	struct seccomp_data d = {.nr = __NR_getpid, .arch = AUDIT_ARCH_I386};
	const uint32_t ns = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
			    CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
			    CLONE_NEWCGROUP;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	prog = build(WARD_SECCOMP_DEFAULT);
	srandom(2);
	assert_int_equal(run_bpf(&prog, &d), SECCOMP_RET_KILL_PROCESS);
	/* x32 numbers on the x86_64 arch: the bad-arch action. */
	assert_int_equal(eval(&prog, 0x40000000 | __NR_getpid, 0, 0, 0),
			 SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(eval(&prog, __NR_getpid, 0, 0, 0),
			 SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_mount, 0, 0, 0), RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_clone3, 0, 0, 0), RET_ERRNO(ENOSYS));
	assert_int_equal(eval(&prog, 1000, 0, 0, 0), RET_ERRNO(ENOSYS));
	for (int k = 0; k < 50000; k++) {
		uint64_t hi = k % 3 ? (uint64_t)random() << 32 : 0;
		uint32_t lo = (uint32_t)random();
		uint32_t cmd = k & 1 ? 0x5400 | (lo & 0x3f) : lo;
		uint32_t want;

		want = cmd == TIOCSTI || cmd == TIOCLINUX ? RET_ERRNO(EPERM)
							  : SECCOMP_RET_ALLOW;
		assert_int_equal(eval(&prog, __NR_ioctl, 0, hi | cmd, 0), want);
		want = lo & ns ? RET_ERRNO(EPERM) : SECCOMP_RET_ALLOW;
		assert_int_equal(eval(&prog, __NR_clone, hi | lo, 0, 0), want);
		lo = k & 1 ? lo & 0x3f : lo;
		if (lo == AF_UNIX || lo == AF_INET || lo == AF_INET6)
			want = SECCOMP_RET_ALLOW;
		else if (lo == AF_NETLINK)
			want = (uint32_t)k % 4 == 0 ? SECCOMP_RET_ALLOW
						     : RET_ERRNO(EPROTONOSUPPORT);
		else
			want = RET_ERRNO(EAFNOSUPPORT);
		assert_int_equal(eval(&prog, __NR_socket, hi | lo, SOCK_RAW,
				      (uint32_t)k % 4 == 0 ? 0 : 1 + lo % 30),
				 want);
	}
	for (uint32_t v = 0; v < 0x30000; v += 4)
		assert_int_equal(eval(&prog, __NR_personality, v, 0, 0),
				 v == 0 || v == 8 || v == 0x20000 ||
				 v == 0x20008 ? SECCOMP_RET_ALLOW
					      : RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_personality, 0xffffffffu, 0, 0),
			 SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_personality, READ_IMPLIES_EXEC, 0,
			      0), RET_ERRNO(EPERM));
	ward_seccomp_free(&prog);
	assert_null(prog.filter);
	assert_int_equal(prog.len, 0);
}

static void test_strict_policy(void **state)
{
	struct sock_fprog prog;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	prog = build(WARD_SECCOMP_STRICT);
	assert_int_equal(eval(&prog, __NR_read, 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_execve, 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_exit_group, 0, 0, 0),
			 SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_ioctl, 0, TIOCSTI, 0),
			 RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_socket, AF_INET, 0, 0),
			 RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_connect, 0, 0, 0), RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_mount, 0, 0, 0), RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_openat, 0, 0, 0), RET_ERRNO(ENOSYS));
	assert_int_equal(eval(&prog, __NR_clone, 0, 0, 0), RET_ERRNO(ENOSYS));
	ward_seccomp_free(&prog);
}

static void test_guards_in_policy_files(void **state)
{
	const char *text = HDR "default errno\nallow execve ioctl clone "
			   "socket\ndeny personality errno=EACCES\n";
	struct ward_seccomp_policy *p;
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	p = parse_ok(text);
	assert_int_equal(ward_seccomp_policy_build(p, &prog, &err), 0);
	/* Guard deny rules equal to the default action are folded in. */
	assert_int_equal(eval(&prog, __NR_ioctl, 0, TIOCSTI, 0),
			 RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_ioctl, 0, FIONREAD, 0),
			 SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_clone, CLONE_NEWUSER, 0, 0),
			 RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_socket, AF_PACKET, 0, 0),
			 RET_ERRNO(EAFNOSUPPORT));
	assert_int_equal(eval(&prog, __NR_personality, 0, 0, 0),
			 RET_ERRNO(EACCES));
	assert_int_equal(eval(&prog, __NR_read, 0, 0, 0), RET_ERRNO(EPERM));
	ward_seccomp_free(&prog);
	ward_seccomp_policy_free(p);

	p = parse_ok(HDR "default kill\nallow execve\ndeny ioctl errno=ENOTTY\n");
	assert_int_equal(ward_seccomp_policy_build(p, &prog, &err), 0);
	assert_int_equal(eval(&prog, __NR_ioctl, 0, FIONREAD, 0),
			 RET_ERRNO(ENOTTY));
	assert_int_equal(eval(&prog, __NR_read, 0, 0, 0),
			 SECCOMP_RET_KILL_PROCESS);
	ward_seccomp_free(&prog);
	ward_seccomp_policy_free(p);
}

/* ---- modes, files, printing ------------------------------------------- */

static void test_mode_off(void **state)
{
	struct sock_fprog prog = {7, (struct sock_filter *)&prog};
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_seccomp_build(WARD_SECCOMP_OFF, NULL, &prog,
					    &err), 0);
	assert_int_equal(prog.len, 0);
	assert_null(prog.filter);
	assert_int_equal(ward_seccomp_load(&prog, &err), 0);
	assert_int_equal(ward_seccomp_load(NULL, &err), 0);
	assert_int_equal(err.step, WARD_STEP_NONE);
	ward_seccomp_free(&prog);
	ward_seccomp_free(NULL);
	assert_int_equal(ward_seccomp_build((enum ward_seccomp_mode)42, NULL,
					    &prog, &err), -EINVAL);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void test_mode_file(void **state)
{
	char dir[] = "/tmp/ward-seccomp-test.XXXXXX", path[128];
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.policy", dir);
	write_file(path, HDR "allow @default @basic-io\n");
	assert_int_equal(ward_seccomp_build(WARD_SECCOMP_FILE, path, &prog,
					    &err), 0);
	assert_int_equal(eval(&prog, __NR_write, 1, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_openat, 1, 0, 0),
			 RET_ERRNO(ENOSYS));
	ward_seccomp_free(&prog);

	write_file(path, HDR "allow @default\nallow nosuch\n");
	assert_int_equal(ward_seccomp_build(WARD_SECCOMP_FILE, path, &prog,
					    &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_SECCOMP_BUILD);
	assert_non_null(strstr(err.msg, "p.policy:3:7: error: unknown "
			       "syscall 'nosuch'"));
	assert_int_equal(ward_seccomp_build(WARD_SECCOMP_FILE, dir, &prog,
					    &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(ward_seccomp_build(WARD_SECCOMP_FILE, NULL, &prog,
					    &err), -EINVAL);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(ward_seccomp_build(WARD_SECCOMP_FILE, path, &prog,
					    &err), -ENOENT);
	assert_int_equal(err.errnum, ENOENT);
	assert_non_null(strstr(err.msg, path));
	assert_int_equal(prog.len, 0);
	assert_int_equal(rmdir(dir), 0);
}

/* The example policies shipped in profiles/seccomp parse and build. */
static void test_example_profiles(void **state)
{
	static const char *const names[] = {"default.policy", "strict.policy",
					    "example.policy", NULL};
	char path[512], root[400];
	const char *slash;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	/* __FILE__ is tests/unit/test_seccomp.c relative to the root. */
	slash = strstr(__FILE__, "tests/unit/");
	assert_non_null(slash);
	snprintf(root, sizeof(root), "%.*s", (int)(slash - __FILE__),
		 __FILE__);
	snprintf(path, sizeof(path), "%sprofiles/seccomp", root);
	if (access(path, F_OK) != 0)
		skip(); /* not run from the source tree */
	for (const char *const *n = names; *n; n++) {
		struct sock_fprog prog = {0, NULL};
		struct ward_err err = {0};

		snprintf(path, sizeof(path), "%sprofiles/seccomp/%s", root, *n);
		if (ward_seccomp_build(WARD_SECCOMP_FILE, path, &prog, &err))
			fail_msg("%s: %s", path, err.msg);
		ward_seccomp_free(&prog);
	}
}

static void test_print_groups(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	ward_seccomp_print_groups(f);
	assert_int_equal(fclose(f), 0);
	for (size_t i = 0; i < ward_seccomp_group_count(); i++) {
		const struct ward_seccomp_group *g = ward_seccomp_group_at(i);
		char line[256];

		snprintf(line, sizeof(line), "%s\n    # %s\n", g->name, g->help);
		assert_non_null(strstr(buf, line));
	}
	assert_non_null(strstr(buf, " execve "));
	free(buf);
}

/* ---- real loads in forked children ------------------------------------ */

static int try_fork(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(3);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 3 ? 0 : -1;
}

static int try_getpid(void)
{
	return syscall(__NR_getpid) == getpid() && getpid() > 0 ? 0 : -1;
}

/* An x32 syscall number: the filter kills the whole process. */
static int try_x32(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		syscall(0x40000000 | __NR_getpid);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return errno;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS ? 0 : -1;
}

/* ward's tail: execve of a dynamic program and a shell must work. */
static int try_exec_shell(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "test \"$(echo hi | cat)\" = hi "
		      "&& exit 7", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 7 ? 0 : -1;
}

/* A raw syscall (nr, args) or a function; want is an errno, 0 for
 * success. */
struct check {
	const char *name;
	long nr;
	long a[3];
	int (*fn)(void);
	int want;
};

static char tty_byte = 'x';
static uint64_t clone3_args[11] = {CLONE_NEWUSER, 0, 0, 0, SIGCHLD};
static char uring_params[120];

#define SYS(name, nr, a0, a1, a2, want) {name, nr, {a0, a1, a2}, NULL, want}
#define FN(name, fn, want) {name, 0, {0, 0, 0}, fn, want}
#define P(x) ((long)(x))

static const struct check default_checks[] = {
	SYS("mount", __NR_mount, P("none"), P("/mnt"), P("tmpfs"), EPERM),
	SYS("umount2", __NR_umount2, P("/"), MNT_DETACH, 0, EPERM),
	SYS("unshare(NEWUSER)", __NR_unshare, CLONE_NEWUSER, 0, 0, EPERM),
	SYS("clone3(NEWUSER)", __NR_clone3, P(clone3_args),
	    sizeof(clone3_args), 0, ENOSYS),
	SYS("clone(NEWNS)", __NR_clone, CLONE_NEWNS | SIGCHLD, 0, 0, EPERM),
	FN("fork", try_fork, 0),
	SYS("ioctl(TIOCSTI)", __NR_ioctl, 0, TIOCSTI, P(&tty_byte), EPERM),
	/* CVE-2019-10063: the kernel ignores the upper half of cmd. */
	SYS("ioctl(1<<32|TIOCSTI)", __NR_ioctl, 0, P((1UL << 32) | TIOCSTI),
	    P(&tty_byte), EPERM),
	SYS("ioctl(TIOCLINUX)", __NR_ioctl, 0, TIOCLINUX, P(&tty_byte), EPERM),
	SYS("ioctl(-1, FIONREAD)", __NR_ioctl, -1, FIONREAD, P(&tty_byte),
	    EBADF),
	FN("getpid", try_getpid, 0),
	SYS("socket(AF_PACKET)", __NR_socket, AF_PACKET, SOCK_RAW, 0,
	    EAFNOSUPPORT),
	SYS("socket(AF_INET)", __NR_socket, AF_INET, SOCK_STREAM, 0, 0),
	SYS("socket(AF_UNIX)", __NR_socket, AF_UNIX, SOCK_STREAM, 0, 0),
	SYS("socket(AF_NETLINK, ROUTE)", __NR_socket, AF_NETLINK, SOCK_RAW,
	    NETLINK_ROUTE, 0),
	SYS("socket(AF_NETLINK, AUDIT)", __NR_socket, AF_NETLINK, SOCK_RAW,
	    NETLINK_AUDIT, EPROTONOSUPPORT),
	/* KEYCTL_GET_KEYRING_ID of KEY_SPEC_SESSION_KEYRING */
	SYS("keyctl", __NR_keyctl, 0, -3, 0, EPERM),
	SYS("io_uring_setup", __NR_io_uring_setup, 1, P(uring_params), 0,
	    EPERM),
	SYS("ptrace(TRACEME)", __NR_ptrace, 0, 0, 0, EPERM),
	SYS("bpf", __NR_bpf, 0, 0, 0, EPERM),
	SYS("personality(READ_IMPLIES_EXEC)", __NR_personality,
	    READ_IMPLIES_EXEC, 0, 0, EPERM),
	SYS("personality(query)", __NR_personality, 0xffffffffL, 0, 0, 0),
	SYS("syscall 1000", 1000, 0, 0, 0, ENOSYS),
	FN("x32 getpid", try_x32, 0),
	FN("execve /bin/sh", try_exec_shell, 0),
};

#define NCHECKS (sizeof(default_checks) / sizeof(default_checks[0]))

static int run_check(const struct check *c)
{
	long r;

	if (c->fn)
		return c->fn();
	r = syscall(c->nr, c->a[0], c->a[1], c->a[2], 0L, 0L, 0L);
	if (r == 0 && (c->nr == __NR_clone || c->nr == __NR_clone3))
		_exit(0); /* a forked copy must never run on */
	if (r >= 0 && c->nr == __NR_socket)
		close((int)r);
	return r < 0 ? errno : 0;
}

/* Child: no_new_privs, load, run every check, send the errnos. */
static void child_run(const struct sock_fprog *prog, int fd)
{
	struct ward_err err = {0};
	int got[NCHECKS];

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		_exit(10);
	if (ward_seccomp_load(prog, &err) != 0)
		_exit(11);
	for (size_t i = 0; i < NCHECKS; i++)
		got[i] = run_check(&default_checks[i]);
	if (write(fd, got, sizeof(got)) != (ssize_t)sizeof(got))
		_exit(12);
	/* _exit: no atexit handlers (LeakSanitizer would need ptrace). */
	_exit(0);
}

static void test_load_default(void **state)
{
	struct sock_fprog prog;
	int got[NCHECKS], fds[2], status;
	unsigned bad = 0;
	pid_t pid;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_LOAD);
	prog = build(WARD_SECCOMP_DEFAULT);
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		child_run(&prog, fds[1]);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], got, sizeof(got)), sizeof(got));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (size_t i = 0; i < NCHECKS; i++) {
		if (got[i] == default_checks[i].want)
			continue;
		print_error("%s: got %d (%s), want %d\n",
			    default_checks[i].name, got[i],
			    got[i] > 0 ? strerror(got[i]) : "-",
			    default_checks[i].want);
		bad++;
	}
	assert_int_equal(bad, 0);
	ward_seccomp_free(&prog);
}

/* A static program runs under the strict policy (busybox-static is a
 * build dependency; skipped when it is missing). */
static void test_load_strict_static(void **state)
{
	static const char busybox[] = "/bin/busybox";
	struct sock_fprog prog;
	struct ward_err err = {0};
	int fds[2], status;
	char out[64] = {0};
	pid_t pid;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_LOAD);
	if (access(busybox, X_OK) != 0)
		skip();
	prog = build(WARD_SECCOMP_STRICT);
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (dup2(fds[1], 1) != 1 ||
		    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
		    ward_seccomp_load(&prog, &err) != 0)
			_exit(11);
		execl(busybox, "echo", "strict-ok", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	assert_true(read(fds[0], out, sizeof(out) - 1) > 0);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(out, "strict-ok\n");
	ward_seccomp_free(&prog);
}

static void test_load_errors(void **state)
{
	/* A jump past the end: the kernel's checker refuses it. */
	struct sock_filter bad[] = {
		BPF_JUMP(BPF_JMP | BPF_JA, 5, 0, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {2, bad};
	struct ward_err err = {0};
	int status;
	pid_t pid;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_LOAD);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int r;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			_exit(10);
		r = ward_seccomp_load(&prog, &err);
		_exit(r == -EINVAL && err.step == WARD_STEP_SECCOMP &&
			      err.errnum == EINVAL &&
			      strstr(err.msg, "2 instructions") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complement),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_group_expansion),
		cmocka_unit_test(test_parse_basics),
		cmocka_unit_test(test_parse_deny_wins),
		cmocka_unit_test(test_parse_header_errors),
		cmocka_unit_test(test_parse_directive_errors),
		cmocka_unit_test(test_parse_execve_errors),
		cmocka_unit_test(test_parse_line_errors),
		cmocka_unit_test(test_parse_many_errors),
		cmocka_unit_test(test_parse_null_file_name),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_default_policy_rules),
		cmocka_unit_test(test_default_policy_pfc),
		cmocka_unit_test(test_default_policy_bpf),
		cmocka_unit_test(test_strict_policy),
		cmocka_unit_test(test_guards_in_policy_files),
		cmocka_unit_test(test_mode_off),
		cmocka_unit_test(test_mode_file),
		cmocka_unit_test(test_example_profiles),
		cmocka_unit_test(test_print_groups),
		cmocka_unit_test(test_load_default),
		cmocka_unit_test(test_load_strict_static),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
