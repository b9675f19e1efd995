/* seccomp_cost: what ward's seccomp filter costs, in isolation.
 *
 * Linked against ward's own objects (libward.a), so it measures the real
 * ward_seccomp_build / ward_seccomp_load.  As root or not.
 *
 *   seccomp_cost [-n N]
 *
 * 1. Build: ward_seccomp_build(default) -- policy parse + libseccomp
 *    rules + BPF export.  The first call in a fresh process (what every
 *    `ward run` pays, cold heap) and the median of the next N calls.
 *    The parse alone (ward_seccomp_policy_builtin) likewise.
 * 2. Load: seccomp(SECCOMP_SET_MODE_FILTER) of ward's program in a forked
 *    child with no_new_privs, median over N children; and of a plain
 *    linear allow list of 360 syscalls (the floor's filter) for scale.
 * 3. Per-syscall overhead in a child that has the filter: getppid
 *    (allowed, hot), open/read/close of /dev/null, and a denied syscall
 *    (acct, EPERM/ENOSYS by the filter): ns per call, best of 7
 *    children each, under: no filter; ward's default filter (what ward
 *    ships: its own tree of syscall-number ranges, src/seccomp/compact.c);
 *    the same policy exported as libseccomp's linear list
 *    (CTL_OPTIMIZE=1); and the floor's hand-made linear list. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "seccomp/seccomp.h"
#include "seccomp/build.h"
#include "seccomp/policy.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static struct sock_filter lin[400];
static struct sock_fprog linear = {.filter = lin};

/* The floor's filter: arch check, 360 compares in two blocks, ENOSYS. */
static void build_linear(void)
{
	unsigned i = 0, k = 0, n = 360;

	lin[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, arch));
	lin[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			AUDIT_ARCH_X86_64, 1, 0);
	lin[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_KILL_PROCESS);
	lin[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr));
	while (k < n) {
		unsigned m = n - k > 200 ? 200 : n - k, start = i;

		for (unsigned j = 0; j < m; j++, k++) {
			unsigned nr = k < 336 ? k : k + 88;

			if (nr == __NR_acct) /* keep one syscall denied */
				nr = 1000;
			lin[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					nr, (unsigned char)(start + m - i), 0);
			i++;
		}
		lin[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0);
		lin[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
				SECCOMP_RET_ALLOW);
	}
	lin[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_ERRNO | ENOSYS);
	linear.len = (unsigned short)i;
}

struct result {
	double load_us, getppid_ns, open_ns, denied_ns;
};

static double per_call_ns(int what, int iters)
{
	double t0 = now_us();
	char c;

	for (int i = 0; i < iters; i++) {
		if (what == 0) {
			syscall(SYS_getppid);
		} else if (what == 1) {
			int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

			if (read(fd, &c, 1) < 0)
				_exit(3);
			close(fd);
		} else {
			syscall(SYS_acct, NULL);
		}
	}
	return (now_us() - t0) * 1e3 / iters;
}

/* In a child: NNP, load @prog (unless NULL), time the loops (@loops:
 * 1 the allowed calls, 2 the denied one). */
static struct result in_child(const struct sock_fprog *prog, int loops)
{
	struct result r = {0};
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		double t0;

		close(p[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(2);
		t0 = now_us();
		if (prog && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
			_exit(2);
		r.load_us = now_us() - t0;
		if (loops & 1) {
			r.getppid_ns = per_call_ns(0, 200000);
			r.open_ns = per_call_ns(1, 50000);
		}
		if (loops & 2) /* not under a filter that would let acct run */
			r.denied_ns = per_call_ns(2, 200000);
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &r, sizeof(r)) != sizeof(r)) {
		fprintf(stderr, "seccomp_cost: child failed\n");
		exit(1);
	}
	close(p[0]);
	waitpid(pid, NULL, 0);
	return r;
}

/* ward's default policy with libseccomp's linear dispatch
 * (SCMP_FLTATR_CTL_OPTIMIZE=1) instead of ward's own program. */
static int build_ward_linear(struct sock_fprog *out, struct ward_err *err)
{
	struct ward_seccomp_policy *pol = NULL;
	scmp_filter_ctx ctx = NULL;
	uint32_t def;
	int r;

	r = ward_seccomp_policy_builtin(WARD_SECCOMP_DEFAULT, &pol, err);
	if (r < 0)
		return r;
	def = ward_seccomp_scmp_action(pol->def_action, pol->def_errnum);
	r = ward_seccomp_ctx_new(def, &ctx, err);
	if (r == 0)
		r = ward_seccomp_ctx_add_policy(ctx, def, pol, err);
	if (r == 0 && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 1)) < 0)
		ward_err_set(err, WARD_STEP_SECCOMP_BUILD, -r, "CTL_OPTIMIZE=1");
	if (r == 0)
		r = ward_seccomp_ctx_export(ctx, out, err);
	ward_seccomp_ctx_release(&ctx);
	ward_seccomp_policy_free(pol);
	return r;
}

static void row(const char *what, double none, const double *v, int k)
{
	printf("  %-32s %9.0f", what, none);
	for (int i = 0; i < k; i++)
		if (v[i] > 0)
			printf(" %7.0f (%4.2f)", v[i], v[i] / none);
		else
			printf(" %14s", "-");
	printf("\n");
}

/* The cheapest filter there is: one instruction, allow everything.  What
 * any filter costs a syscall on this kernel, whatever its rules. */
static const struct sock_filter allow_all_insn[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
static const struct sock_fprog allow_all = {1, (struct sock_filter *)allow_all_insn};

int main(int argc, char **argv)
{
	int n = 50, opt;
	struct sock_fprog prog = {0}, wlin = {0};
	struct ward_err err = {0};
	struct ward_seccomp_policy *pol = NULL;
	double first_build, first_parse, *t;
	struct result none, any, ward, wlin_r, lin_r;

	while ((opt = getopt(argc, argv, "n:")) != -1)
		if (opt == 'n')
			n = atoi(optarg);
	if (n < 3)
		n = 3;
	t = calloc((size_t)n, sizeof(*t));
	build_linear();

	double t0 = now_us();
	if (ward_seccomp_build(WARD_SECCOMP_DEFAULT, NULL, &prog, &err) < 0) {
		fprintf(stderr, "seccomp_cost: build: %s\n", err.msg);
		return 1;
	}
	first_build = now_us() - t0;
	t0 = now_us();
	if (ward_seccomp_policy_builtin(WARD_SECCOMP_DEFAULT, &pol, &err) < 0)
		return 1;
	first_parse = now_us() - t0;
	ward_seccomp_policy_free(pol);

	for (int i = 0; i < n; i++) {
		struct sock_fprog p2 = {0};

		t0 = now_us();
		ward_seccomp_build(WARD_SECCOMP_DEFAULT, NULL, &p2, &err);
		t[i] = now_us() - t0;
		ward_seccomp_free(&p2);
	}
	if (build_ward_linear(&wlin, &err) < 0) {
		fprintf(stderr, "seccomp_cost: linear build: %s\n", err.msg);
		return 1;
	}
	printf("ward default filter (what ward ships): %u BPF instructions; the same "
	       "policy as a linear list: %u; the floor's linear list: %u\n\n",
	       prog.len, wlin.len, linear.len);
	printf("build (parent side, per launch)          first call   median of %d warm\n", n);
	printf("  ward_seccomp_build(default)           %9.0f us   %9.0f us\n",
	       first_build, median(t, n));
	for (int i = 0; i < n; i++) {
		t0 = now_us();
		ward_seccomp_policy_builtin(WARD_SECCOMP_DEFAULT, &pol, &err);
		t[i] = now_us() - t0;
		ward_seccomp_policy_free(pol);
	}
	printf("  of which the policy parse             %9.0f us   %9.0f us\n\n",
	       first_parse, median(t, n));

	for (int i = 0; i < n; i++)
		t[i] = in_child(&prog, 0).load_us;
	printf("load in a child (seccomp(2), median of %d)\n", n);
	printf("  ward's filter (what ward ships)        %9.0f us\n", median(t, n));
	for (int i = 0; i < n; i++)
		t[i] = in_child(&wlin, 0).load_us;
	printf("  ward's policy, linear                  %9.0f us\n", median(t, n));
	for (int i = 0; i < n; i++)
		t[i] = in_child(&linear, 0).load_us;
	printf("  linear 360-syscall list                %9.0f us\n\n", median(t, n));

	/* Best of 11 children, interleaved, for each configuration. */
	none.getppid_ns = none.open_ns = none.denied_ns = 1e18;
	ward = wlin_r = lin_r = any = none;
	for (int i = 0; i < 11; i++) {
		struct result *dst[5] = {&none, &any, &ward, &wlin_r, &lin_r};
		const struct sock_fprog *src[5] = {NULL, &allow_all, &prog, &wlin,
						   &linear};

		for (int k = 0; k < 5; k++) {
			struct result r = in_child(src[k], k == 1 ? 1 : 3);

			if (r.getppid_ns < dst[k]->getppid_ns)
				dst[k]->getppid_ns = r.getppid_ns;
			if (r.open_ns < dst[k]->open_ns)
				dst[k]->open_ns = r.open_ns;
			if (r.denied_ns < dst[k]->denied_ns)
				dst[k]->denied_ns = r.denied_ns;
		}
	}
	if (any.denied_ns >= 1e18)
		any.denied_ns = 0;
	printf("per-syscall cost (ns per call, best of 11; x no filter)\n"
	       "  %-32s %9s %14s %14s %14s %14s\n", "", "no filter",
	       "allow-all (x)", "ward tree", "ward linear", "floor linear");
	row("getppid (allowed)", none.getppid_ns,
	    (double[]){any.getppid_ns, ward.getppid_ns, wlin_r.getppid_ns,
		       lin_r.getppid_ns}, 4);
	row("open+read+close /dev/null", none.open_ns,
	    (double[]){any.open_ns, ward.open_ns, wlin_r.open_ns, lin_r.open_ns}, 4);
	row("acct(NULL) (denied)", none.denied_ns,
	    (double[]){any.denied_ns, ward.denied_ns, wlin_r.denied_ns,
		       lin_r.denied_ns}, 4);
	printf("  (allow-all: a one-instruction filter that allows everything, the\n"
	       "  least any filter costs here; ward's allowed calls take the kernel's\n"
	       "  action cache and cost the same)\n");
	ward_seccomp_free(&wlin);
	ward_seccomp_free(&prog);
	free(t);
	return 0;
}
