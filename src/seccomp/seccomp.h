/* Seccomp: policies built with libseccomp in the parent, loaded in the
 * child as the very last step before execve. */
#ifndef WARD_SECCOMP_H
#define WARD_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/filter.h>

#include "base/err.h"

/* Which filter a plan asks for. */
enum ward_seccomp_mode {
	WARD_SECCOMP_DEFAULT = 0,
	WARD_SECCOMP_STRICT,
	WARD_SECCOMP_FILE,  /* a ward seccomp policy file */
	WARD_SECCOMP_OFF,   /* off-i-know */
	WARD_SECCOMP_DOCKER, /* docker:PATH, a Docker/OCI JSON profile */
};

/* Build the BPF program for @mode (and @policy_path for
 * WARD_SECCOMP_FILE) into @out (heap memory, free with
 * ward_seccomp_free).  Always one filter: argument checks (ioctl
 * TIOCSTI, clone namespace flags, socket families) are encoded as
 * disjoint rules, see seccomp.c.  WARD_SECCOMP_OFF yields out->len == 0.
 * @out is written only on success.  Parent side; no effect beyond memory
 * and a memfd.  Errors: WARD_STEP_SECCOMP_BUILD (policy file errors are
 * "FILE:LINE:COL: error: MSG" lines, the first three in err->msg). */
int ward_seccomp_build(enum ward_seccomp_mode mode, const char *policy_path,
		       struct sock_fprog *out, struct ward_err *err);

/* The same, with a profile's additions: @overlay is policy-language text
 * ("ward-seccomp 1\nallow ...\ndeny ...") whose rules replace the base
 * policy's, and @log_only turns every refusal into SECCOMP_RET_LOG. */
int ward_seccomp_build_ex(enum ward_seccomp_mode mode, const char *policy_path,
			  const char *overlay, bool log_only,
			  struct sock_fprog *out, struct ward_err *err);

/* Where a plan's filter comes from. */
struct ward_seccomp_source {
	enum ward_seccomp_mode mode;
	const char *path;     /* WARD_SECCOMP_FILE and WARD_SECCOMP_DOCKER */
	const char *overlay;  /* the profile's seccomp-* lines as policy text
			       * (ward_seccomp_overlay_text), or NULL */
	bool log_only;        /* seccomp-log-only */
	uint64_t caps;        /* kept capabilities: Docker includes/excludes */
	bool verbose;         /* -v: say what a Docker profile skipped */
	const char *text;     /* the file's contents, already read (then
			       * @path only names it in messages), or NULL */
	size_t text_len;
};

/* The same as ward_seccomp_build_ex, for any source. */
int ward_seccomp_build_src(const struct ward_seccomp_source *src,
			   struct sock_fprog *out, struct ward_err *err);

/* The policy text for a profile's seccomp-* lines (@lines are "allow x",
 * "deny y errno=E", ...), heap memory; NULL when out of memory. */
char *ward_seccomp_overlay_text(char *const *lines, size_t n);

/* `ward seccomp show`: the effective rules of @src, readable, one per
 * line, groups expanded with the group named, the default action last.
 * Printed from ward's own representation (the parsed policy or Docker
 * profile), not decompiled from BPF.  Errors: as the build's. */
int ward_seccomp_show(const struct ward_seccomp_source *src, FILE *out,
		      struct ward_err *err);

/* Check one profile directive ("allow", "deny", "default" and its value)
 * in isolation; the message names the offending word. */
int ward_seccomp_check_directive(const char *verb, const char *value,
				 struct ward_err *err);

void ward_seccomp_free(struct sock_fprog *prog);

/* Load @prog into the calling thread with the raw seccomp() syscall
 * (child side, after no_new_privs: without it and without CAP_SYS_ADMIN
 * the kernel answers EACCES).  Flags 0: no TSYNC, so call it while
 * single-threaded.  A zero-length program is a no-op.  After it returns,
 * only what the policy allows works; every policy allows execve, the
 * built-in ones also write and exit_group (not send: strict denies
 * @network-io).  Errors: WARD_STEP_SECCOMP. */
int ward_seccomp_load(const struct sock_fprog *prog, struct ward_err *err);

/* Write libseccomp's pseudo filter code (readable BPF) for @mode to @fd,
 * for `ward check`-style output and tests.  Nothing is written for
 * WARD_SECCOMP_OFF.  Parent side.  Errors: WARD_STEP_SECCOMP_BUILD. */
int ward_seccomp_export_pfc(enum ward_seccomp_mode mode,
			    const char *policy_path, int fd,
			    struct ward_err *err);

/* A built-in policy compiled at build time (build/gen/seccomp_builtin.c,
 * linked into the ward binary only; the array ends with a
 * WARD_SECCOMP_OFF entry).  Weak: without it every filter is built at
 * run time. */
struct ward_seccomp_blob {
	enum ward_seccomp_mode mode;
	unsigned short len;
	const struct sock_filter *insns;
};
extern const struct ward_seccomp_blob ward_seccomp_builtin_blobs[]
	__attribute__((weak));

/* True when the plan's filter for @mode came from the precompiled blob
 * (for `ward check` and tests). */
bool ward_seccomp_is_precompiled(const struct sock_fprog *prog,
				 enum ward_seccomp_mode mode);

/* True when @name is a syscall libseccomp knows on the native arch. */
bool ward_seccomp_syscall_known(const char *name);

/* Print the named syscall groups with their descriptions. */
void ward_seccomp_print_groups(FILE *out);

#endif
