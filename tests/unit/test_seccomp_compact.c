#define _GNU_SOURCE
/* The compact program of a ward policy (src/seccomp/compact.c) decides
 * every syscall as libseccomp's program of the same policy does: both are
 * run through the BPF interpreter (bpf_run.h) for every syscall number
 * below 1100, the x32 range, the edges of the 32-bit space, four arches,
 * and, for the guarded syscalls, argument values on either side of each
 * guard (the upper 32 bits set too).  And it is shorter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/syscall.h>

#include "seccomp/compact.h"
#include "seccomp/libseccomp_dl.h"
#include "seccomp/policy.h"
#include "seccomp/seccomp.h"

#include "bpf_run.h"
#include "under_valgrind.h"

static const uint32_t arches[] = {
	AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, 0,
};

static const int guarded_nrs[] = {
	SYS_clone, SYS_clone3, SYS_unshare, SYS_ioctl, SYS_socket, SYS_personality,
};

/* Either side of every guard: namespace flags, TIOCSTI/TIOCLINUX, socket
 * families and netlink protocols, Docker's personality values; with and
 * without bits above 31. */
static const uint64_t arg_values[] = {
	0, 1, 2, 3, 8, 9, 10, 11, 15, 16, 17, 38, 44, 0xff, 0x100,
	0x20000, 0x20008, 0x20001, 0xffffffff, 0xfffffffe,
	0x5412, 0x541c, 0x5413, 0x541b, 0x100005412ULL, 0x10000541cULL,
	CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
	CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWUSER | CLONE_NEWNS,
	CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD,
	0x100000000ULL, 0x100000010ULL, 0x1ffffffffULL, 1ULL << 63,
	0x8000000000000001ULL, 0xffffffffffffffffULL,
};

static uint64_t next_random(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15ULL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

struct pair {
	struct sock_fprog full, compact;
	unsigned checked;
};

static void same(struct pair *p, const struct seccomp_data *d)
{
	uint32_t want = run_bpf(&p->full, d), got = run_bpf(&p->compact, d);

	if (want != got)
		fail_msg("arch %#x nr %#x args %#llx %#llx %#llx: libseccomp %#x, compact %#x",
			 d->arch, d->nr, (unsigned long long)d->args[0],
			 (unsigned long long)d->args[1], (unsigned long long)d->args[2],
			 want, got);
	p->checked++;
}

static void every_number(struct pair *p, uint32_t arch)
{
	static const uint32_t edges[] = {
		0x3fffffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};
	struct seccomp_data d = {.arch = arch};

	for (uint32_t nr = 0; nr < 1100; nr++) {
		d.nr = (int)nr;
		same(p, &d);
		d.nr = (int)(0x40000000u + nr); /* x32 */
		same(p, &d);
	}
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		d.nr = (int)edges[i];
		same(p, &d);
	}
}

static void every_guard(struct pair *p, uint32_t arch)
{
	const size_t nv = sizeof(arg_values) / sizeof(arg_values[0]);
	struct seccomp_data d = {.arch = arch};

	for (size_t g = 0; g < sizeof(guarded_nrs) / sizeof(guarded_nrs[0]); g++) {
		d.nr = guarded_nrs[g];
		for (size_t a = 0; a < 3; a++)
			for (size_t i = 0; i < nv; i++) {
				memset(d.args, 0, sizeof(d.args));
				d.args[a] = arg_values[i];
				same(p, &d);
			}
		for (unsigned bit = 0; bit < 64; bit++) /* each flag alone */
			for (size_t a = 0; a < 3; a++) {
				memset(d.args, 0, sizeof(d.args));
				d.args[a] = 1ULL << bit;
				same(p, &d);
			}
		for (unsigned k = 0; k < 300; k++) { /* and noise, the same each run */
			for (size_t a = 0; a < 3; a++)
				d.args[a] = next_random();
			same(p, &d);
		}
		for (size_t i = 0; i < nv; i++) /* socket(family, type, protocol) */
			for (size_t j = 0; j < nv; j++) {
				memset(d.args, 0, sizeof(d.args));
				d.args[0] = arg_values[i];
				d.args[2] = arg_values[j];
				same(p, &d);
			}
	}
}

/* Compact where it is shorter (@compact: expected so, or not, or -1:
 * either), and then deciding alike; else ward_seccomp_policy_build gives
 * libseccomp's program. */
static void check_policy_text(const char *name, const char *text, int compact)
{
	struct ward_seccomp_policy *pol = NULL;
	struct ward_err err = {0};
	struct pair p = {{0, NULL}, {0, NULL}, 0};
	int r;

	if (ward_seccomp_policy_parse(name, text, strlen(text), &pol, &err) < 0)
		fail_msg("%s: %s", name, err.msg);
	assert_int_equal(ward_seccomp_policy_build_libseccomp(pol, &p.full, &err), 0);
	r = ward_seccomp_policy_compact(pol, &p.compact, &err);
	assert_true(r == 0 || r == 1);
	if (compact >= 0)
		assert_int_equal(r, compact ? 0 : 1);
	if (r == 1) {
		assert_int_equal(ward_seccomp_policy_build(pol, &p.compact, &err), 0);
		assert_int_equal(p.compact.len, p.full.len);
		assert_memory_equal(p.compact.filter, p.full.filter,
				    p.full.len * sizeof(struct sock_filter));
		print_message("# %s: libseccomp's %u instructions (not shorter as a tree)\n",
			      name, p.full.len);
	} else {
		for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
			every_number(&p, arches[i]);
			every_guard(&p, arches[i]);
		}
		print_message("# %s: %u instructions (libseccomp: %u), %u inputs decided alike\n",
			      name, p.compact.len, p.full.len, p.checked);
		assert_true(p.compact.len < p.full.len);
	}
	ward_seccomp_policy_free(pol);
	free(p.full.filter);
	free(p.compact.filter);
}

/* libseccomp refuses to build under valgrind (its API-level probe of
 * seccomp(2)). */
static void test_builtin_default(void **state)
{
	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	check_policy_text("default", ward_seccomp_policy_builtin_text(WARD_SECCOMP_DEFAULT), 1);
}

static void test_builtin_strict(void **state)
{
	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	check_policy_text("strict", ward_seccomp_policy_builtin_text(WARD_SECCOMP_STRICT), 1);
}

/* Other defaults and actions: errno, kill and log rules, a kill default,
 * guarded syscalls denied outright. */
static void test_other_shapes(void **state)
{
	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	check_policy_text("errno-default",
			  "ward-seccomp 1\ndefault errno=EPERM\n"
			  "allow @default @basic-io @file-system @io-event @network-io\n"
			  "allow @signal @timer @sync uname ioctl socket\n"
			  "deny fork vfork clone clone3 errno=EPERM\n"
			  "deny ptrace process_vm_readv process_vm_writev action=kill\n", -1);
	check_policy_text("kill-default",
			  "ward-seccomp 1\ndefault kill\nallow @ward-default\n"
			  "deny @ward-deny errno=EPERM\ndeny personality unshare errno=ENOSYS\n", 1);
	check_policy_text("log-default",
			  "ward-seccomp 1\ndefault log\nallow @ward-strict\n"
			  "deny @ward-deny errno=EPERM\n", -1);
}

/* A policy of more runs than the tree takes is left to libseccomp, and
 * ward_seccomp_policy_build still gives a program for it. */
static void test_too_many_runs_falls_back(void **state)
{
	struct ward_seccomp_policy *pol = NULL;
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	f = open_memstream(&text, &size);
	assert_non_null(f);
	fputs("ward-seccomp 1\ndefault enosys\nallow execve\n", f);
	for (int nr = 0; nr < 440; nr += 2) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (name && nr != SYS_execve)
			fprintf(f, "allow %s\n", name);
		free(name);
	}
	fclose(f);
	assert_int_equal(ward_seccomp_policy_parse("alternating", text, size, &pol, &err), 0);
	assert_int_equal(ward_seccomp_policy_compact(pol, &prog, &err), 1);
	assert_null(prog.filter);
	assert_int_equal(ward_seccomp_policy_build(pol, &prog, &err), 0);
	assert_true(prog.len > 0);
	free(prog.filter);
	ward_seccomp_policy_free(pol);
	free(text);
}

int main(void)
{
	(void)eval; /* bpf_run.h's shorthand, not needed here */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_default),
		cmocka_unit_test(test_builtin_strict),
		cmocka_unit_test(test_other_shapes),
		cmocka_unit_test(test_too_many_runs_falls_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
