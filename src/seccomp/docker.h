/* Docker/OCI seccomp profiles (JSON), as `docker run --security-opt
 * seccomp=FILE` reads them, turned into rules for libseccomp.
 *
 * Read with json-c (strict mode, UTF-8 checked, nesting and size capped).
 * Every key is known or refused (fail closed), except "comment", which
 * is ignored wherever it appears.  The includes/excludes of each rule are
 * decided here, against a context (the capabilities the plan keeps, the
 * native architecture, the running kernel), the way Docker decides them
 * against the container's bounding set:
 *   excludes.caps: any listed capability kept -> rule left out
 *   includes.caps: every listed capability kept, or the rule is left out
 *   arches: Docker's (Go's) names, "amd64" on x86_64
 *   minKernel "X.Y": includes needs kernel >= X.Y, excludes skips then.
 * Syscall names that libseccomp or the native architecture does not know
 * are skipped and counted, as Docker skips them.
 *
 * Mapping choices (documented in ward-profile(5)):
 *   SCMP_ACT_KILL, _KILL_THREAD, _KILL_PROCESS -> kill the whole process
 *   SCMP_ACT_TRACE -> errno ENOSYS: ward attaches no tracer, and with
 *                     none the kernel answers ENOSYS for TRACE anyway
 *   SCMP_ACT_NOTIFY, listenerPath, flags LOG/SPEC_ALLOW -> refused
 *   SCMP_ACT_ERRNO -> errnoRet, else the "errno" name (containers/common),
 *                     else EPERM (runc's rule); the default action uses
 *                     defaultErrnoRet / defaultErrno the same way
 *   architectures, archMap -> checked, but only the native arch is in the
 *                     filter: a 32-bit or x32 syscall kills the process
 *   a rule whose action is the default action is skipped, as runc does.
 * Several rules for one syscall mean what libseccomp makes of them (and
 * so runc and crun): the first unconditional rule decides alone, later
 * unconditional and all conditional rules have no effect; ward drops
 * them and says so in `ward seccomp show` (containers/common's default
 * allows setns in its big list and denies it again further down: the
 * allow wins, there as here).  Refused as ambiguous: two conditions on
 * one argument in a rule (runc would OR them, libseccomp cannot AND
 * them).  Every error names the file and the JSON path:
 *   "profile.json: $.syscalls[12].action: unknown action \"SCMP_ACT_FOO\"" */
#ifndef WARD_SECCOMP_DOCKER_H
#define WARD_SECCOMP_DOCKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/filter.h>

#include "base/err.h"

#define WARD_DOCKER_FILE_MAX (4 * 1024 * 1024)
#define WARD_DOCKER_DEPTH 16      /* JSON nesting; Docker's files use 5 */
#define WARD_DOCKER_ARGS_MAX 6    /* syscall arguments */
#define WARD_DOCKER_NAME_MAX 40   /* longest syscall name kept */

struct ward_seccomp_policy;

/* What includes/excludes are decided against. */
struct ward_docker_context {
	uint64_t caps;          /* capabilities the plan keeps */
	unsigned kernel_major;  /* the running kernel, "6.18" */
	unsigned kernel_minor;
	const char *arch;       /* Docker's name of the native arch */
};

struct ward_docker_arg {
	unsigned index;
	int op;                 /* enum scmp_compare */
	uint64_t value;         /* MASKED_EQ: the mask */
	uint64_t value_two;     /* MASKED_EQ: the value after masking */
};

struct ward_docker_rule {
	int nr;                 /* native syscall number */
	char name[WARD_DOCKER_NAME_MAX];
	uint32_t action;        /* libseccomp action, SCMP_ACT_* */
	unsigned nargs;
	struct ward_docker_arg args[WARD_DOCKER_ARGS_MAX];
	unsigned src;           /* index in $.syscalls, for messages */
};

struct ward_docker_profile {
	char *file;             /* as given, for messages */
	uint32_t def_action;
	struct ward_docker_rule *rules;
	size_t nrules, cap;
	/* Rules whose action is the default action: without effect while
	 * it is (skipped, as runc skips them), brought back by merge when a
	 * seccomp-default line changes the default. */
	struct ward_docker_rule *defaulted;
	size_t ndefaulted, defaulted_cap;
	/* What was left out, for `ward seccomp show` and -v: one line
	 * each ("$.syscalls[16] not applied: needs CAP_DAC_READ_SEARCH"). */
	char **notes;
	size_t nnotes;
	unsigned unknown_names; /* names skipped: unknown on this arch */
};

/* The context of this process: @caps, uname's release, the native
 * arch.  Errors: WARD_STEP_SECCOMP_BUILD (uname, unparsable release). */
int ward_seccomp_docker_context(uint64_t caps, struct ward_docker_context *ctx,
				struct ward_err *err);

/* Parse @len bytes at @buf, named @file in messages, deciding every
 * includes/excludes against @ctx.  Pure: no syscalls besides malloc (it
 * asks libseccomp's static tables for syscall numbers).  On success *out
 * owns a new profile.  Errors: -EINVAL with WARD_STEP_SECCOMP_BUILD and
 * "FILE: $.PATH: message" (or "FILE:LINE:COL: JSON syntax error: ..."),
 * -ENOMEM. */
int ward_seccomp_docker_parse(const char *file, const char *buf, size_t len,
			      const struct ward_docker_context *ctx,
			      struct ward_docker_profile **out,
			      struct ward_err *err);

/* Read @path (a regular file of at most WARD_DOCKER_FILE_MAX bytes) and
 * parse it.  Parent side. */
int ward_seccomp_docker_read(const char *path,
			     const struct ward_docker_context *ctx,
			     struct ward_docker_profile **out,
			     struct ward_err *err);

void ward_seccomp_docker_free(struct ward_docker_profile *p);

/* A profile's seccomp-* lines on top: every syscall @over names loses
 * its Docker rules and gets @over's (ward's argument guards included);
 * @over's default action, when given, replaces the profile's for what the
 * JSON leaves to it (a syscall the JSON gives its default action by name
 * keeps that action, unless another rule decides it).  Then
 * @log_only turns every refusal into SECCOMP_RET_LOG.  Errors: execve not
 * allowed unconditionally (ward executes the program after loading the
 * filter), -ENOMEM. */
int ward_seccomp_docker_merge(struct ward_docker_profile *p,
			      const struct ward_seccomp_policy *over,
			      bool log_only, struct ward_err *err);

/* Build the BPF program (native arch only).  Errors: libseccomp refusing
 * a rule, named by its JSON path. */
int ward_seccomp_docker_build(const struct ward_docker_profile *p,
			      const struct ward_seccomp_policy *over,
			      struct sock_fprog *out, struct ward_err *err);

/* The rules, readable, one per line ("allow socket if arg0 < 38",
 * "deny clone3 errno=ENOSYS"), then the notes as comments.  The default
 * action is the caller's to print (after any seccomp-* additions). */
void ward_seccomp_docker_print(const struct ward_docker_profile *p,
			       FILE *out);

/* "errno=EPERM", "kill", "allow", ... for a libseccomp action. */
void ward_seccomp_docker_action_text(uint32_t action, char *buf, size_t len);

#endif
