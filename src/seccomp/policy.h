/* ward seccomp policies (private to the seccomp module and its tests).
 *
 * A policy is a pure description: a default action plus one action per
 * syscall.  ward_seccomp_policy_parse turns policy text into one without
 * any syscall or libseccomp filter state (it only asks libseccomp's
 * static tables for syscall numbers), so it can be unit tested and
 * fuzzed; seccomp.c turns a policy into BPF.
 *
 * Policy file format (version 1), one directive per line, '#' starts a
 * comment anywhere, lines longer than 4096 bytes are refused:
 *
 *	ward-seccomp 1                   (must be the first line)
 *	default errno|errno=NAME|enosys|kill|log   (at most once; enosys)
 *	allow NAME|@group ...
 *	deny NAME|@group ... [errno=NAME|action=kill]   (errno=EPERM)
 *
 * Resolution: a deny always wins over an allow, whatever the order, and a
 * later deny replaces an earlier one.  Allowing clone, clone3, unshare,
 * ioctl, socket or personality allows only their safe uses (see the
 * guards in seccomp.c).  execve must be allowed: ward loads the filter
 * right before it executes the program.  Every error is reported as
 * FILE:LINE:COL: error: MESSAGE; all are collected, the first few go into
 * err->msg and the policy is refused. */
#ifndef WARD_SECCOMP_POLICY_H
#define WARD_SECCOMP_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "seccomp/seccomp.h"

#define WARD_SECCOMP_LINE_MAX 4096
#define WARD_SECCOMP_FILE_MAX (1024 * 1024)
/* Errors quoted in err->msg; the rest are counted. */
#define WARD_SECCOMP_ERRORS_SHOWN 3
/* Distinct syscalls a policy can name (x86_64 has fewer than 500). */
#define WARD_SECCOMP_RULES_MAX 1024

enum ward_seccomp_action {
	WARD_SECCOMP_ACT_NONE = 0, /* not named: the default action */
	WARD_SECCOMP_ACT_ALLOW,
	WARD_SECCOMP_ACT_ERRNO,
	WARD_SECCOMP_ACT_KILL,     /* kill the whole process */
	WARD_SECCOMP_ACT_LOG,      /* allow and log (audit mode) */
};

struct ward_seccomp_rule {
	int nr;                 /* native syscall number */
	enum ward_seccomp_action action;
	int errnum;             /* WARD_SECCOMP_ACT_ERRNO */
	unsigned line, col;     /* the directive that decided it */
	char name[32];
	char group[32];         /* the @group named there, or "" */
};

struct ward_seccomp_policy {
	enum ward_seccomp_action def_action;
	int def_errnum;
	unsigned def_line;      /* 0: not given, ENOSYS */
	struct ward_seccomp_rule rules[WARD_SECCOMP_RULES_MAX];
	size_t nrules;
	/* Open-addressing index from syscall number to rules[] + 1. */
	uint16_t index[2 * WARD_SECCOMP_RULES_MAX];
};

/* Parse @len bytes at @buf (need not be NUL-terminated) named @file in
 * diagnostics.  On success *out owns a new policy.  Pure: no syscalls
 * besides malloc.  Errors: -EINVAL with WARD_STEP_SECCOMP_BUILD and the
 * first WARD_SECCOMP_ERRORS_SHOWN diagnostics in err->msg; -ENOMEM. */
int ward_seccomp_policy_parse(const char *file, const char *buf, size_t len,
			      struct ward_seccomp_policy **out,
			      struct ward_err *err);

/* Read and parse the policy file at @path (a regular file of at most
 * WARD_SECCOMP_FILE_MAX bytes). */
int ward_seccomp_policy_read(const char *path,
			     struct ward_seccomp_policy **out,
			     struct ward_err *err);

/* The built-in policy for WARD_SECCOMP_DEFAULT or WARD_SECCOMP_STRICT,
 * or its source text (NULL for other modes). */
int ward_seccomp_policy_builtin(enum ward_seccomp_mode mode,
				struct ward_seccomp_policy **out,
				struct ward_err *err);
const char *ward_seccomp_policy_builtin_text(enum ward_seccomp_mode mode);

void ward_seccomp_policy_free(struct ward_seccomp_policy *policy);

/* Profile additions: every rule of @over replaces @base's rule for the
 * same syscall (the profile's word is final, in both directions), and
 * @over's default action, when it has one, replaces @base's.  Returns 0
 * or -ENOSPC. */
int ward_seccomp_policy_overlay(struct ward_seccomp_policy *base,
				const struct ward_seccomp_policy *over);

/* Log-only mode, for writing a profile: every action that is not an
 * allow becomes SECCOMP_RET_LOG (the call proceeds, the kernel logs it). */
void ward_seccomp_policy_log_only(struct ward_seccomp_policy *pol);

/* The rule for syscall @nr, or NULL when the policy does not name it. */
const struct ward_seccomp_rule *
ward_seccomp_policy_lookup(const struct ward_seccomp_policy *policy, int nr);

/* Errno value for a name such as "EPERM", or 0 when unknown. */
int ward_seccomp_errno_from_name(const char *name);

/* The name of errno @e ("EPERM"), or NULL when not in the table. */
const char *ward_seccomp_errno_name(int e);

/* Build BPF (bpf.c): the compact program (compact.h) where it applies,
 * else libseccomp's. */
int ward_seccomp_policy_build(const struct ward_seccomp_policy *policy,
			      struct sock_fprog *out, struct ward_err *err);
/* libseccomp's program alone, as exported. */
int ward_seccomp_policy_build_libseccomp(const struct ward_seccomp_policy *policy,
					 struct sock_fprog *out, struct ward_err *err);

/* Write libseccomp's pseudo filter code for @policy to @fd (tests,
 * debugging). */
int ward_seccomp_policy_export_pfc(const struct ward_seccomp_policy *policy,
				   int fd, struct ward_err *err);

/* The complement of a set of 32-bit values as disjoint masked patterns:
 * x is outside @vals exactly when (x & mask) == value for one pattern.
 * @vals must be sorted and unique.  Returns the number of patterns (at
 * most 32 * n, or 1 when n == 0), or -ENOSPC when @max is too small. */
struct ward_seccomp_pattern {
	uint32_t mask;
	uint32_t value;
};
int ward_seccomp_complement(const uint32_t *vals, size_t n,
			    struct ward_seccomp_pattern *out, size_t max);

#endif
