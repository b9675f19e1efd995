/* ward seccomp learn: the notify-everything filter, the child's hand-over
 * of its listener, the launcher's answering loop and the fragment.  See
 * seccomp/learn.h for the protocol. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include "seccomp/libseccomp_dl.h"

#include "base/cleanup.h"
#include "base/explain.h"
#include "seccomp/learn.h"
#include "base/sys.h"
#include "seccomp/build.h"
#include "seccomp/groups.h"

#define BITS 64

/* ---- recording and the fragment (pure) --------------------------------- */

static bool has(const uint64_t *set, int nr)
{
	return nr >= 0 && nr < WARD_LEARN_NR_MAX &&
	       (set[nr / BITS] >> (nr % BITS)) & 1;
}

static void put(uint64_t *set, int nr)
{
	if (nr >= 0 && nr < WARD_LEARN_NR_MAX)
		set[nr / BITS] |= 1ULL << (nr % BITS);
}

void ward_seccomp_learned_add(struct ward_seccomp_learned *l, uint32_t arch,
			      int nr)
{
	l->calls++;
	/* x32 calls arrive as x86_64 with bit 30 set. */
	if (arch == AUDIT_ARCH_X86_64 && nr >= 0 && nr < WARD_LEARN_NR_MAX) {
		put(l->native, nr);
		return;
	}
	for (size_t i = 0; i < l->nforeign; i++)
		if (l->foreign[i].arch == arch && l->foreign[i].nr == nr)
			return;
	if (l->nforeign < WARD_LEARN_FOREIGN_MAX) {
		l->foreign[l->nforeign].arch = arch;
		l->foreign[l->nforeign].nr = nr;
		l->nforeign++;
	}
}

struct set_fill {
	uint64_t *set;
	int n; /* members that exist here */
};

static int fill_member(const char *name, void *data)
{
	struct set_fill *f = data;
	int nr = seccomp_syscall_resolve_name(name);

	if (nr >= 0 && !has(f->set, nr)) {
		put(f->set, nr);
		f->n++;
	}
	return 0;
}

/* The native syscalls of @g (nested groups expanded); the count. */
static int group_set(const struct ward_seccomp_group *g, uint64_t *set)
{
	struct set_fill f = {set, 0};

	memset(set, 0, WARD_LEARN_NR_MAX / 8);
	ward_seccomp_group_foreach(g, fill_member, &f);
	return f.n;
}

/* "seccomp-allow a b c" for the used, not yet printed members of @in,
 * wrapped; marks them printed. */
static void print_names(const uint64_t *used, const uint64_t *in,
			uint64_t *done, const char *prefix, FILE *out)
{
	size_t col = 0;

	for (int nr = 0; nr < WARD_LEARN_NR_MAX; nr++) {
		char *name;

		if (!has(used, nr) || !has(in, nr) || has(done, nr))
			continue;
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (col == 0 || col + strlen(name ? name : "?") > 72) {
			fprintf(out, "%s%sseccomp-allow", col ? "\n" : "", prefix);
			col = strlen(prefix) + 13;
		}
		fprintf(out, " %s", name ? name : "?");
		col += strlen(name ? name : "?") + 1;
		free(name);
		put(done, nr);
	}
	if (col)
		fputc('\n', out);
}

static int count_in(const uint64_t *used, const uint64_t *in,
		    const uint64_t *done)
{
	int n = 0;

	for (int nr = 0; nr < WARD_LEARN_NR_MAX; nr++)
		n += has(used, nr) && has(in, nr) && !(done && has(done, nr));
	return n;
}

static void print_groups(const uint64_t *used, uint64_t *done, FILE *out)
{
	uint64_t in[WARD_LEARN_NR_MAX / BITS];

	for (size_t i = 0; i < ward_seccomp_group_count(); i++) {
		const struct ward_seccomp_group *g = ward_seccomp_group_at(i);
		int total, n;

		if (!ward_seccomp_group_plain(g))
			continue;
		total = group_set(g, in);
		n = count_in(used, in, done);
		if (n == 0)
			continue;
		if (total > 0 && count_in(used, in, NULL) == total) {
			fprintf(out, "# %s: every one of its %d\n"
				"seccomp-allow %s\n", g->name, total, g->name);
			for (int nr = 0; nr < WARD_LEARN_NR_MAX; nr++)
				if (has(in, nr))
					put(done, nr);
			continue;
		}
		fprintf(out, "# %s: %d of %d\n", g->name, n, total);
		print_names(used, in, done, "", out);
	}
}

void ward_seccomp_learned_print(const struct ward_seccomp_learned *l,
				const char *cmd, FILE *out)
{
	uint64_t done[WARD_LEARN_NR_MAX / BITS] = {0};
	uint64_t deny[WARD_LEARN_NR_MAX / BITS], all[WARD_LEARN_NR_MAX / BITS];
	int distinct = 0;

	memset(all, 0xff, sizeof(all));
	for (int nr = 0; nr < WARD_LEARN_NR_MAX; nr++)
		distinct += has(l->native, nr);
	fprintf(out,
		"# ward seccomp learn: the syscalls %s made in one run (%d "
		"distinct, %lu calls).\n"
		"# REVIEW BEFORE USE.  The list is only as complete as the run "
		"that produced\n"
		"# it: paths the program did not take (errors, other input, "
		"signals, updates)\n"
		"# are missing.  Syscalls ward itself made before it executed "
		"the program\n"
		"# are not listed.  Nothing was filtered during the run.  Put "
		"the lines in a\n"
		"# profile over a base policy (seccomp strict, or default).\n",
		cmd, distinct, l->calls);
	/* What ward refuses by default is not offered as an allow line:
	 * commented out, an operator must opt in on purpose. */
	group_set(ward_seccomp_group_find("@ward-deny"), deny);
	for (int nr = 0; nr < WARD_LEARN_NR_MAX; nr++)
		if (has(deny, nr) && has(l->native, nr))
			put(done, nr);
	print_groups(l->native, done, out);
	if (count_in(l->native, all, done)) {
		fprintf(out, "# in no group\n");
		print_names(l->native, all, done, "", out);
	}
	memset(done, 0, sizeof(done));
	if (count_in(l->native, deny, done)) {
		fprintf(out, "# used, but ward's policies refuse these "
			"(@ward-deny): allow one only if\n# the program "
			"cannot work without it\n");
		print_names(l->native, deny, done, "# ", out);
	}
	for (size_t i = 0; i < l->nforeign; i++)
		fprintf(out, "# another architecture's call (every ward filter "
			"kills it): arch 0x%x nr %d\n", l->foreign[i].arch,
			l->foreign[i].nr);
}

/* ---- the filter and the child's side ----------------------------------- */

int ward_seccomp_learn_filter(struct sock_fprog *out, struct ward_err *err)
{
	scmp_filter_ctx ctx __attribute__((cleanup(ward_seccomp_ctx_release))) = NULL;
	/* The tagged hand-over: the listener is not the launcher's yet,
	 * so a notification for it would never be answered. */
	struct scmp_arg_cmp tag = SCMP_A0_64(SCMP_CMP_MASKED_EQ,
					     0xffffffff00000000ULL,
					     WARD_LEARN_FD_TAG);
	int r;

	ctx = seccomp_init(SCMP_ACT_NOTIFY);
	if (!ctx)
		return ward_err_set(err, WARD_STEP_SECCOMP_BUILD, ENOMEM,
				    "seccomp_init");
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				  SCMP_ACT_NOTIFY)) < 0 ||
	    (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0 ||
	    (r = seccomp_rule_add_exact_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sendmsg),
					      1, &tag)) < 0)
		return ward_err_set(err, WARD_STEP_SECCOMP_BUILD, -r,
				    "the learn filter (libseccomp %u.%u)",
				    seccomp_version()->major,
				    seccomp_version()->minor);
	return ward_seccomp_ctx_export(ctx, out, err);
}
