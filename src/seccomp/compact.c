#define _GNU_SOURCE
/* A shorter program for a ward policy, with the same decisions.
 *
 * libseccomp's binary tree spends about two instructions per syscall
 * named, and expresses "allow these argument values, EPERM for the rest"
 * as rules for the complement (bpf.c says why): ward's default policy
 * exports as 1012 instructions, 570 of them for six guarded syscalls.
 * What the kernel pays to load a filter (checking it, converting and
 * compiling it, filling its per-syscall action cache) grows with that
 * length; for the default it was the largest step of a launch after the
 * namespaces.
 *
 * Here the program is, in order: the arch check (another arch is killed,
 * as libseccomp's ACT_BADARCH does); a balanced tree of syscall-number
 * ranges whose leaves return the action of one run of consecutive
 * numbers (two instructions per run: ward's default has 80 runs for 347
 * syscalls), x32 numbers killed but -1 (libseccomp's exception) given the
 * default; and for each guarded allow a short block of argument checks,
 * first match wins, with the guard's own action for the rest.  The tree
 * uses only ld, jge, ja and ret, so the kernel's action cache still finds
 * every plainly allowed syscall always allowed and skips the filter for
 * it at run time.
 *
 * The guards below state what bpf.c's guard_* functions state for
 * libseccomp; libseccomp's program stays the reference, and
 * tests/unit/test_seccomp_compact.c runs both through a BPF interpreter
 * for every syscall number below 1100, the x32 range, the 32-bit edges,
 * four arches and each guard's arguments on either side (upper bits set
 * too), requiring the same answer everywhere.  A policy with a guard
 * named there but not here, or for which the tree would not be clearly
 * shorter, and any policy where the kernel does not report the actions
 * the program returns (SECCOMP_GET_ACTION_AVAIL; valgrind lacks seccomp
 * altogether) is left to libseccomp, which refuses what it cannot build. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <unistd.h>

#include "seccomp/build.h"
#include "seccomp/compact.h"

#define STEP WARD_STEP_SECCOMP_BUILD

#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | (uint32_t)(e))
#define ALL 0xffffffffu

/* ---- the guards ------------------------------------------------------------ */

/* (low 32 bits of arg & mask) == value [and the same for a second arg]:
 * action. */
struct check {
	uint8_t arg, arg2;
	uint32_t mask, value, mask2, value2;
	bool two;
	uint32_t action;
};

#define IS(a, v, act) {(a), 0, ALL, (v), 0, 0, false, (act)}

static const struct check clone_checks[] = {
	{0, 0, WARD_CLONE_NS_FLAGS, 0, 0, 0, false, SECCOMP_RET_ALLOW},
};
static const struct check unshare_checks[] = {
	{0, 0, WARD_CLONE_NS_FLAGS | CLONE_NEWTIME, 0, 0, 0, false, SECCOMP_RET_ALLOW},
};
static const struct check ioctl_checks[] = {
	IS(1, TIOCSTI, RET_ERRNO(EPERM)),
	IS(1, TIOCLINUX, RET_ERRNO(EPERM)),
};
static const struct check socket_checks[] = {
	IS(0, AF_UNIX, SECCOMP_RET_ALLOW),
	IS(0, AF_INET, SECCOMP_RET_ALLOW),
	IS(0, AF_INET6, SECCOMP_RET_ALLOW),
	{0, 2, ALL, AF_NETLINK, ALL, NETLINK_ROUTE, true, SECCOMP_RET_ALLOW},
	IS(0, AF_NETLINK, RET_ERRNO(EPROTONOSUPPORT)),
};
static const struct check personality_checks[] = {
	IS(0, 0x0, SECCOMP_RET_ALLOW),
	IS(0, 0x8, SECCOMP_RET_ALLOW),
	IS(0, 0x20000, SECCOMP_RET_ALLOW),
	IS(0, 0x20008, SECCOMP_RET_ALLOW),
	IS(0, 0xffffffffu, SECCOMP_RET_ALLOW),
};

static const struct guard {
	const char *name; /* as in bpf.c's guards */
	const struct check *checks;
	size_t n;
	uint32_t otherwise;
} guards[] = {
	{"clone", clone_checks, 1, RET_ERRNO(EPERM)},
	{"clone3", NULL, 0, RET_ERRNO(ENOSYS)},
	{"unshare", unshare_checks, 1, RET_ERRNO(EPERM)},
	{"ioctl", ioctl_checks, 2, SECCOMP_RET_ALLOW},
	{"socket", socket_checks, 5, RET_ERRNO(EAFNOSUPPORT)},
	{"personality", personality_checks, 5, RET_ERRNO(EPERM)},
};

#define NGUARDS (sizeof(guards) / sizeof(guards[0]))

/* The guard of an allow rule, NULL for a bare rule; *@unknown when bpf.c
 * guards it and this file does not. */
static const struct guard *guard_of(const struct ward_seccomp_rule *r, bool *unknown)
{
	if (r->action != WARD_SECCOMP_ACT_ALLOW || !ward_seccomp_guard_text(r->name))
		return NULL;
	for (size_t i = 0; i < NGUARDS; i++)
		if (strcmp(guards[i].name, r->name) == 0)
			return &guards[i];
	*unknown = true;
	return NULL;
}

static unsigned check_len(const struct check *c)
{
	unsigned one = 2 + (c->mask != ALL);

	return one + (c->two ? 2 + (c->mask2 != ALL) : 0) + 1;
}

static unsigned guard_len(const struct guard *g)
{
	unsigned n = 1;

	for (size_t i = 0; i < g->n; i++)
		n += check_len(&g->checks[i]);
	return n;
}

/* ---- the tree ------------------------------------------------------------ */

/* Leaves that are not a return: a jump to guard i's block (GUARD + i),
 * and a number no rule named yet.  No action has these values
 * (ward_seccomp_scmp_action). */
#define GUARD 0xfffffff0u
#define UNSET 0xffffffffu
/* The first x32 syscall number; -1 is not one for libseccomp. */
#define X32_BASE 0x40000000u
/* Syscall numbers tabulated; a policy naming a larger one is left to
 * libseccomp. */
#define NR_LIMIT 4096
/* jge reaches at most 255 instructions ahead: a root whose lower half
 * holds 128 runs (255 instructions) is the largest tree. */
#define RUNS_MAX 256
#define HEADER 4

struct run {
	uint32_t start; /* up to the next run's start */
	uint32_t action;
};

struct table {
	uint32_t act[NR_LIMIT];
	uint32_t limit;  /* past the largest number named */
	size_t named;    /* bare rules that differ from the default */
	bool used[NGUARDS];
};

/* false: a policy this file leaves to libseccomp. */
static bool tabulate(const struct ward_seccomp_policy *pol, uint32_t def,
		     struct table *t)
{
	bool unknown = false;

	memset(t->used, 0, sizeof(t->used));
	t->limit = 0;
	t->named = 0;
	for (size_t i = 0; i < pol->nrules; i++) {
		int nr = pol->rules[i].nr;

		if (nr < 0 || nr >= NR_LIMIT)
			return false;
		if ((uint32_t)nr + 1 > t->limit)
			t->limit = (uint32_t)nr + 1;
	}
	for (uint32_t nr = 0; nr < t->limit; nr++)
		t->act[nr] = UNSET;
	for (size_t i = 0; i < pol->nrules; i++) {
		const struct ward_seccomp_rule *r = &pol->rules[i];
		const struct guard *g = guard_of(r, &unknown);

		if (unknown || t->act[r->nr] != UNSET)
			return false; /* two rules for one syscall: libseccomp decides */
		if (g) {
			t->act[r->nr] = GUARD + (uint32_t)(g - guards);
			t->used[g - guards] = true;
		} else {
			t->act[r->nr] = ward_seccomp_scmp_action(r->action, r->errnum);
			t->named += t->act[r->nr] != def;
		}
	}
	for (uint32_t nr = 0; nr < t->limit; nr++)
		if (t->act[nr] == UNSET)
			t->act[nr] = def;
	return true;
}

/* The runs of one action over all 2^32 numbers; 0 when there are more
 * than RUNS_MAX. */
static size_t make_runs(const struct table *t, uint32_t def, struct run *runs)
{
	size_t n = 0;

#define ADD(s, a)                                                         \
	do {                                                              \
		if (n == 0 || runs[n - 1].action != (a)) {                \
			if (n == RUNS_MAX)                                \
				return 0;                                 \
			runs[n++] = (struct run){(s), (a)};               \
		}                                                         \
	} while (0)
	for (uint32_t nr = 0; nr < t->limit; nr++)
		ADD(nr, t->act[nr]);
	ADD(t->limit, def);
	ADD(X32_BASE, SECCOMP_RET_KILL_PROCESS);
	ADD(0xffffffffu, def);
#undef ADD
	return n;
}

/* ---- emitting ------------------------------------------------------------ */

struct out {
	struct sock_filter *prog;
	unsigned pc;
	unsigned guard_at[NGUARDS]; /* where each guard's block starts */
};

static void put(struct out *o, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	o->prog[o->pc++] = (struct sock_filter){code, jt, jf, k};
}

/* Runs [i, j] as a subtree (preorder: the test, the lower half, the
 * upper half): 2 (j - i) + 1 instructions. */
static void emit_tree(struct out *o, const struct run *runs, size_t i, size_t j)
{
	size_t mid;

	if (i == j) {
		uint32_t a = runs[i].action;

		if (a >= GUARD && a < GUARD + NGUARDS)
			put(o, BPF_JMP | BPF_JA, 0, 0, o->guard_at[a - GUARD] - (o->pc + 1));
		else
			put(o, BPF_RET | BPF_K, 0, 0, a);
		return;
	}
	mid = (i + j + 1) / 2;
	put(o, BPF_JMP | BPF_JGE | BPF_K, (uint8_t)(2 * (mid - i) - 1), 0, runs[mid].start);
	emit_tree(o, runs, i, mid - 1);
	emit_tree(o, runs, mid, j);
}

static uint32_t arg_low(unsigned arg)
{
	/* x86_64 is little-endian: the low half comes first */
	return (uint32_t)(offsetof(struct seccomp_data, args) + 8 * arg);
}

/* One comparison; @miss: instructions from its end to the next check. */
static void emit_compare(struct out *o, unsigned arg, uint32_t mask, uint32_t value,
			 unsigned miss)
{
	put(o, BPF_LD | BPF_W | BPF_ABS, 0, 0, arg_low(arg));
	if (mask != ALL)
		put(o, BPF_ALU | BPF_AND | BPF_K, 0, 0, mask);
	put(o, BPF_JMP | BPF_JEQ | BPF_K, 0, (uint8_t)miss, value);
}

static void emit_guard(struct out *o, const struct guard *g)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct check *c = &g->checks[i];
		unsigned second = c->two ? 2 + (c->mask2 != ALL) : 0;

		emit_compare(o, c->arg, c->mask, c->value, second + 1);
		if (c->two)
			emit_compare(o, c->arg2, c->mask2, c->value2, 1);
		put(o, BPF_RET | BPF_K, 0, 0, c->action);
	}
	put(o, BPF_RET | BPF_K, 0, 0, g->otherwise);
}

static int assemble(const struct table *t, const struct run *runs, size_t n,
		    struct sock_fprog *out, struct ward_err *err)
{
	struct out o = {0};
	unsigned len = HEADER + (unsigned)(2 * n - 1);

	for (size_t g = 0; g < NGUARDS; g++)
		if (t->used[g]) {
			o.guard_at[g] = len;
			len += guard_len(&guards[g]);
		}
	/* libseccomp: about two per bare rule named, and more for guards */
	if (len > 2 * t->named + 10 || len > BPF_MAXINSNS)
		return 1;
	if (!(o.prog = calloc(len, sizeof(*o.prog))))
		return ward_err_set(err, STEP, ENOMEM, "filter program");
	put(&o, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
	put(&o, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
	put(&o, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
	put(&o, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
	emit_tree(&o, runs, 0, n - 1);
	for (size_t g = 0; g < NGUARDS; g++)
		if (t->used[g])
			emit_guard(&o, &guards[g]);
	out->filter = o.prog;
	out->len = (unsigned short)o.pc;
	return 0;
}

/* The kernel takes every action the program may return (as libseccomp
 * checks before it builds): else libseccomp decides, and refuses. */
static bool kernel_takes(const struct ward_seccomp_policy *pol)
{
	uint32_t actions[4] = {SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ERRNO,
			       SECCOMP_RET_ALLOW, SECCOMP_RET_ALLOW};

	if (pol->def_action == WARD_SECCOMP_ACT_LOG)
		actions[3] = SECCOMP_RET_LOG;
	for (size_t i = 0; i < pol->nrules; i++)
		if (pol->rules[i].action == WARD_SECCOMP_ACT_LOG)
			actions[3] = SECCOMP_RET_LOG;
	return ward_seccomp_kernel_takes(actions, sizeof(actions) / sizeof(actions[0]));
}

int ward_seccomp_policy_compact(const struct ward_seccomp_policy *pol,
				struct sock_fprog *out, struct ward_err *err)
{
#if defined(__x86_64__)
	uint32_t def = ward_seccomp_scmp_action(pol->def_action, pol->def_errnum);
	struct table *t = malloc(sizeof(*t));
	struct run runs[RUNS_MAX];
	size_t n;
	int r = 1;

	if (!t)
		return ward_err_set(err, STEP, ENOMEM, "filter program");
	if (kernel_takes(pol) && tabulate(pol, def, t) && (n = make_runs(t, def, runs)) > 0)
		r = assemble(t, runs, n, out, err);
	free(t);
	return r;
#else
	(void)pol;
	(void)out;
	(void)err;
	return 1;
#endif
}
