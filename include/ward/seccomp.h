/* Seccomp: policies built with libseccomp in the parent, loaded in the
 * child as the very last step before execve. */
#ifndef WARD_SECCOMP_H
#define WARD_SECCOMP_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/filter.h>

#include "ward/err.h"
#include "ward/plan.h"

/* Build the BPF program for @mode (and @policy_path for
 * WARD_SECCOMP_FILE) into @out (heap memory, free with
 * ward_seccomp_free).  WARD_SECCOMP_OFF yields out->len == 0.
 * Parent side; no effect beyond memory and a memfd.
 * Errors: WARD_STEP_SECCOMP_BUILD (unknown syscall or group names carry
 * file:line:col in the message). */
int ward_seccomp_build(enum ward_seccomp_mode mode, const char *policy_path,
		       struct sock_fprog *out, struct ward_err *err);

void ward_seccomp_free(struct sock_fprog *prog);

/* Load @prog into the calling thread (child side, after no_new_privs).
 * A zero-length program is a no-op.  Errors: WARD_STEP_SECCOMP. */
int ward_seccomp_load(const struct sock_fprog *prog, struct ward_err *err);

/* True when @name is a syscall libseccomp knows on the native arch. */
bool ward_seccomp_syscall_known(const char *name);

/* Print the named syscall groups with their descriptions. */
void ward_seccomp_print_groups(FILE *out);

#endif
