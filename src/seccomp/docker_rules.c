/* A parsed Docker seccomp profile: the profile's own seccomp-* lines on
 * top, the BPF build, and the readable listing for `ward seccomp show`. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <linux/seccomp.h>
#include "seccomp/libseccomp_dl.h"

#include "seccomp/docker.h"
#include "seccomp/build.h"
#include "seccomp/policy.h"

#define STEP WARD_STEP_SECCOMP_BUILD
#define COMMENT_COL 48 /* where show's "# $.syscalls[N]" starts */

void ward_seccomp_docker_action_text(uint32_t action, char *buf, size_t len)
{
	const char *name;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW: name = "allow"; break;
	case SECCOMP_RET_LOG: name = "log"; break;
	case SECCOMP_RET_TRAP: name = "trap"; break;
	case SECCOMP_RET_KILL_PROCESS: name = "kill"; break;
	case SECCOMP_RET_KILL_THREAD: name = "kill-thread"; break;
	case SECCOMP_RET_USER_NOTIF: name = "notify"; break;
	case SECCOMP_RET_TRACE: name = "trace"; break;
	case SECCOMP_RET_ERRNO:
		name = ward_seccomp_errno_name((int)(action & SECCOMP_RET_DATA));
		if (name)
			snprintf(buf, len, "errno=%s", name);
		else
			snprintf(buf, len, "errno=%u", action & SECCOMP_RET_DATA);
		return;
	default: name = "?"; break;
	}
	snprintf(buf, len, "%s", name);
}

/* Small values in decimal, flags and masks in hex. */
static int num_text(char *buf, size_t len, uint64_t v)
{
	return snprintf(buf, len, v < 4096 ? "%llu" : "0x%llx",
			(unsigned long long)v);
}

static size_t cond_text(const struct ward_docker_arg *a, char *buf, size_t len)
{
	static const char *const op_text[] = {
		[SCMP_CMP_NE] = "!=", [SCMP_CMP_LT] = "<", [SCMP_CMP_LE] = "<=",
		[SCMP_CMP_EQ] = "==", [SCMP_CMP_GE] = ">=", [SCMP_CMP_GT] = ">",
	};
	char v1[24], v2[24];

	num_text(v1, sizeof(v1), a->value);
	num_text(v2, sizeof(v2), a->value_two);
	if (a->op == SCMP_CMP_MASKED_EQ)
		return (size_t)snprintf(buf, len, "(arg%u & %s) == %s", a->index,
					v1, v2);
	if (a->op <= 0 || a->op > SCMP_CMP_GT)
		return (size_t)snprintf(buf, len, "arg%u ? %s", a->index, v1);
	return (size_t)snprintf(buf, len, "arg%u %s %s", a->index,
				op_text[a->op], v1);
}

/* "allow NAME", "deny NAME if COND && COND errno=E", "kill NAME". */
static void rule_text(const struct ward_docker_rule *r, char *buf, size_t len)
{
	char act[32];
	bool deny;
	size_t o;

	ward_seccomp_docker_action_text(r->action, act, sizeof(act));
	deny = strncmp(act, "errno=", 6) == 0;
	o = (size_t)snprintf(buf, len, "%s %s", deny ? "deny" : act, r->name);
	for (unsigned i = 0; i < r->nargs && o < len; i++) {
		o += (size_t)snprintf(buf + o, len - o, i ? " && " : " if ");
		if (o < len)
			o += cond_text(&r->args[i], buf + o, len - o);
	}
	if (deny && o < len)
		snprintf(buf + o, len - o, " %s", act);
}

void ward_seccomp_docker_print(const struct ward_docker_profile *p, FILE *out)
{
	char line[512];

	fprintf(out, "# Docker JSON profile %s\n", p->file);
	for (size_t i = 0; i < p->nrules; i++) {
		if (p->rules[i].action == p->def_action)
			continue; /* the default decides it anyway */
		rule_text(&p->rules[i], line, sizeof(line));
		fprintf(out, "%-*s # $.syscalls[%u]\n", COMMENT_COL - 2, line,
			p->rules[i].src);
	}
	for (size_t i = 0; i < p->nnotes; i++)
		fprintf(out, "# %s\n", p->notes[i]);
	if (p->unknown_names)
		fprintf(out, "# %u syscall name(s) in all unknown on this "
			"architecture or to this libseccomp: skipped\n",
			p->unknown_names);
}

/* ward executes the program after loading the filter: the filter must
 * let execve through, whatever its arguments. */
static int check_execve(const struct ward_docker_profile *p,
			const struct ward_seccomp_policy *over,
			struct ward_err *err)
{
	int nr = seccomp_syscall_resolve_name("execve");
	bool named = false;

	if (over && ward_seccomp_policy_lookup(over, nr))
		return 0; /* the policy parser refuses a denied execve */
	for (size_t i = 0; i < p->nrules; i++) {
		const struct ward_docker_rule *r = &p->rules[i];

		if (r->nr != nr)
			continue;
		named = true;
		if (r->nargs == 0 && (r->action == SCMP_ACT_ALLOW ||
				      r->action == SCMP_ACT_LOG))
			return 0;
	}
	if (!named && (p->def_action == SCMP_ACT_ALLOW ||
		       p->def_action == SCMP_ACT_LOG))
		return 0;
	return ward_err_set(err, STEP, 0, "%s: execve is not allowed "
			    "unconditionally: ward loads the filter right "
			    "before it executes the program", p->file);
}

#define NR_BITS 4096 /* syscall numbers tracked in a bitmap */

static bool decided(const struct ward_docker_profile *p, const uint64_t *set,
		    int nr)
{
	if (nr < NR_BITS)
		return (set[nr / 64] >> (nr % 64)) & 1;
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].nr == nr)
			return true;
	return false;
}

/* The default changes: what the JSON gave the old default by name keeps
 * it, where no other rule names the syscall (with conditions, the cases
 * they leave open go to the new default). */
static int restore_defaulted(struct ward_docker_profile *p,
			     const struct ward_seccomp_policy *over,
			     struct ward_err *err)
{
	uint64_t set[NR_BITS / 64] = {0};

	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].nr < NR_BITS)
			set[p->rules[i].nr / 64] |= 1ULL << (p->rules[i].nr % 64);
	for (size_t i = 0; i < p->ndefaulted; i++) {
		const struct ward_docker_rule *d = &p->defaulted[i];

		if ((over && ward_seccomp_policy_lookup(over, d->nr)) ||
		    decided(p, set, d->nr))
			continue;
		if (ward_seccomp_docker_push(p, d) < 0)
			return ward_err_set(err, STEP, ENOMEM, "%s", p->file);
	}
	return 0;
}

int ward_seccomp_docker_merge(struct ward_docker_profile *p,
			      const struct ward_seccomp_policy *over,
			      bool log_only, struct ward_err *err)
{
	size_t o = 0;
	int r;

	for (size_t i = 0; i < p->nrules; i++) {
		const struct ward_docker_rule *rule = &p->rules[i];

		if (over && ward_seccomp_policy_lookup(over, rule->nr))
			continue; /* the profile's word is final */
		p->rules[o++] = *rule;
	}
	p->nrules = o;
	if (over && over->def_line &&
	    ward_seccomp_scmp_action(over->def_action, over->def_errnum) !=
		    p->def_action) {
		if ((r = restore_defaulted(p, over, err)) < 0)
			return r;
		p->def_action = ward_seccomp_scmp_action(over->def_action,
							 over->def_errnum);
	}
	/* Log-only: every refusal is logged and let through instead. */
	for (size_t i = 0; log_only && i < p->nrules; i++)
		if (p->rules[i].action != SCMP_ACT_ALLOW)
			p->rules[i].action = SCMP_ACT_LOG;
	if (log_only && p->def_action != SCMP_ACT_ALLOW)
		p->def_action = SCMP_ACT_LOG;
	return check_execve(p, over, err);
}

static int add_docker_rule(scmp_filter_ctx ctx,
			   const struct ward_docker_profile *p,
			   const struct ward_docker_rule *r,
			   struct ward_err *err)
{
	struct scmp_arg_cmp cmp[WARD_DOCKER_ARGS_MAX];
	int rc;

	for (unsigned i = 0; i < r->nargs; i++)
		cmp[i] = (struct scmp_arg_cmp){r->args[i].index,
					       (enum scmp_compare)r->args[i].op,
					       r->args[i].value,
					       r->args[i].value_two};
	rc = seccomp_rule_add_exact_array(ctx, r->action, r->nr, r->nargs, cmp);
	if (rc < 0)
		return ward_err_set(err, STEP, -rc, "%s: $.syscalls[%u]: %s: "
				    "libseccomp refused the rule (two rules "
				    "with the same conditions and different "
				    "actions?)", p->file, r->src, r->name);
	return 0;
}

int ward_seccomp_docker_build(const struct ward_docker_profile *p,
			      const struct ward_seccomp_policy *over,
			      struct sock_fprog *out, struct ward_err *err)
{
	scmp_filter_ctx ctx __attribute__((cleanup(ward_seccomp_ctx_release))) = NULL;
	int r = ward_seccomp_ctx_new(p->def_action, &ctx, err);

	for (size_t i = 0; r == 0 && i < p->nrules; i++)
		if (p->rules[i].action != p->def_action)
			r = add_docker_rule(ctx, p, &p->rules[i], err);
	if (r == 0 && over)
		r = ward_seccomp_ctx_add_policy(ctx, p->def_action, over, err);
	if (r == 0)
		r = ward_seccomp_ctx_export(ctx, out, err);
	return r;
}

/* Growing a profile's rule lists (the reader and the merge). */
int ward_seccomp_docker_append(struct ward_docker_rule **arr, size_t *n,
			       size_t *cap, const struct ward_docker_rule *rule)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 64;
		struct ward_docker_rule *grown = reallocarray(*arr, c,
							      sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		*arr = grown;
		*cap = c;
	}
	(*arr)[(*n)++] = *rule;
	return 0;
}

int ward_seccomp_docker_push(struct ward_docker_profile *p,
			     const struct ward_docker_rule *rule)
{
	return ward_seccomp_docker_append(&p->rules, &p->nrules, &p->cap, rule);
}
