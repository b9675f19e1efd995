/* A shorter program for a ward policy, with the same decisions.
 *
 * libseccomp's binary tree spends about two instructions per syscall
 * named: ward's default policy exports as 1012.  What the kernel pays to
 * load a filter (checking it, converting and compiling it, filling its
 * per-syscall action cache) grows with that length, and here it was the
 * largest single step of a launch (about 0.7 ms).
 *
 * Here the rules without conditions (an allow, an errno, a kill or a log
 * for a bare syscall) become a balanced tree of syscall-number ranges,
 * each leaf returning the action of one run of consecutive numbers: two
 * instructions per run, and ward's default has 80 runs.  The rest (the
 * guarded allows: clone, ioctl, socket, ...; argument checks are
 * libseccomp's business) is still compiled by libseccomp, with the same
 * default action and attributes, and its program follows the tree, which
 * jumps to it for those syscalls, for another arch, and for the x32
 * numbers (>= 0x40000000), so libseccomp decides all of those as before.
 *
 * The tree uses only ld, jge, ja and ret: the kernel's action cache
 * still finds every allowed syscall always allowed and skips the filter
 * for it at run time.  tests/unit/test_seccomp_compact.c interprets both
 * programs over every syscall number, arches and argument values and
 * requires the same answer everywhere. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "seccomp/build.h"
#include "seccomp/compact.h"

#define STEP WARD_STEP_SECCOMP_BUILD

/* A leaf that jumps to libseccomp's program instead of returning, and a
 * number no rule named yet: not values any action has
 * (ward_seccomp_scmp_action). */
#define TO_REST 0xffffffffu
#define UNSET 0xfffffffeu
/* The first x32 syscall number. */
#define X32_BASE 0x40000000u
/* Syscall numbers this file tabulates; a policy naming a larger one is
 * left to libseccomp alone. */
#define NR_LIMIT 4096
/* jge reaches at most 255 instructions ahead: a root whose left half
 * holds 128 runs (255 instructions) is the largest tree. */
#define RUNS_MAX 256
#define HEADER 4

struct run {
	uint32_t start; /* up to the next run's start */
	uint32_t action;
};

static bool guarded(const struct ward_seccomp_rule *r)
{
	return r->action == WARD_SECCOMP_ACT_ALLOW && ward_seccomp_guard_text(r->name);
}

/* The action of every syscall number below @limit, @rest with the
 * guarded rules alone, and *@named: the other rules that differ from the
 * default.  false: a number the table cannot hold. */
static bool tabulate(const struct ward_seccomp_policy *pol, uint32_t def,
		     uint32_t *act, uint32_t *limit, struct ward_seccomp_policy *rest,
		     size_t *named)
{
	*limit = 0;
	*named = 0;
	rest->nrules = 0;
	for (size_t i = 0; i < pol->nrules; i++) {
		int nr = pol->rules[i].nr;

		if (nr < 0 || nr >= NR_LIMIT)
			return false;
		if ((uint32_t)nr + 1 > *limit)
			*limit = (uint32_t)nr + 1;
	}
	for (uint32_t nr = 0; nr < *limit; nr++)
		act[nr] = UNSET;
	for (size_t i = 0; i < pol->nrules; i++) {
		const struct ward_seccomp_rule *r = &pol->rules[i];

		if (act[r->nr] != UNSET)
			return false; /* two rules for one syscall: libseccomp decides */
		if (guarded(r)) {
			act[r->nr] = TO_REST;
			rest->rules[rest->nrules++] = *r;
		} else {
			act[r->nr] = ward_seccomp_scmp_action(r->action, r->errnum);
			*named += act[r->nr] != def;
		}
	}
	for (uint32_t nr = 0; nr < *limit; nr++)
		if (act[nr] == UNSET)
			act[nr] = def;
	return true;
}

/* The runs of one action over all 2^32 numbers; 0 when there are more
 * than RUNS_MAX. */
static size_t make_runs(const uint32_t *act, uint32_t limit, uint32_t def,
			struct run *runs)
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
	for (uint32_t nr = 0; nr < limit; nr++)
		ADD(nr, act[nr]);
	ADD(limit, def);
	ADD(X32_BASE, TO_REST);
#undef ADD
	return n;
}

static struct sock_filter insn(uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	return (struct sock_filter){code, jt, jf, k};
}

/* Runs [i, j] as a subtree at @pc (preorder: the test, the lower half,
 * the upper half); 2 (j - i) + 1 instructions.  @rest: where libseccomp's
 * program starts. */
static void emit(const struct run *runs, size_t i, size_t j, struct sock_filter *prog,
		 unsigned *pc, unsigned rest)
{
	size_t mid;

	if (i == j) {
		prog[*pc] = runs[i].action == TO_REST
			    ? insn(BPF_JMP | BPF_JA, 0, 0, rest - (*pc + 1))
			    : insn(BPF_RET | BPF_K, 0, 0, runs[i].action);
		(*pc)++;
		return;
	}
	mid = (i + j + 1) / 2;
	prog[(*pc)++] = insn(BPF_JMP | BPF_JGE | BPF_K, (uint8_t)(2 * (mid - i) - 1), 0,
			     runs[mid].start);
	emit(runs, i, mid - 1, prog, pc, rest);
	emit(runs, mid, j, prog, pc, rest);
}

/* The header and the tree, then @tail (libseccomp's program). */
static int assemble(const struct run *runs, size_t n, const struct sock_fprog *tail,
		    struct sock_fprog *out, struct ward_err *err)
{
	unsigned rest = HEADER + (unsigned)(2 * n - 1), pc = HEADER;
	struct sock_filter *prog;

	if (rest + tail->len > BPF_MAXINSNS)
		return 1;
	prog = calloc(rest + tail->len, sizeof(*prog));
	if (!prog)
		return ward_err_set(err, STEP, ENOMEM, "filter program");
	prog[0] = insn(BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
	prog[1] = insn(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
	prog[2] = insn(BPF_JMP | BPF_JA, 0, 0, rest - 3);
	prog[3] = insn(BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
	emit(runs, 0, n - 1, prog, &pc, rest);
	memcpy(prog + rest, tail->filter, tail->len * sizeof(*prog));
	out->filter = prog;
	out->len = (unsigned short)(rest + tail->len);
	return 0;
}

int ward_seccomp_policy_compact(const struct ward_seccomp_policy *pol,
				struct sock_fprog *out, struct ward_err *err)
{
#if defined(__x86_64__)
	uint32_t def = ward_seccomp_scmp_action(pol->def_action, pol->def_errnum);
	uint32_t *act = malloc(NR_LIMIT * sizeof(*act)), limit;
	struct ward_seccomp_policy *rest = malloc(sizeof(*rest));
	struct sock_fprog tail = {0, NULL};
	struct run runs[RUNS_MAX];
	size_t n = 0, named;
	int r = 1;

	/* libseccomp spends about two instructions per syscall named, the
	 * tree two per run: worth it when the runs are at most half as many
	 * (ward's default: 80 runs for 347 syscalls). */
	if (!act || !rest) {
		r = ward_err_set(err, STEP, ENOMEM, "filter program");
	} else if (tabulate(pol, def, act, &limit, rest, &named) &&
		   (n = make_runs(act, limit, def, runs)) > 0 && 2 * n <= named) {
		rest->def_action = pol->def_action;
		rest->def_errnum = pol->def_errnum;
		rest->def_line = pol->def_line;
		r = ward_seccomp_policy_build_libseccomp(rest, &tail, err);
		if (r == 0)
			r = assemble(runs, n, &tail, out, err);
		free(tail.filter);
	}
	free(act);
	free(rest);
	return r;
#else
	(void)pol;
	(void)out;
	(void)err;
	return 1;
#endif
}
