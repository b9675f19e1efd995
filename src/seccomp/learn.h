/* ward seccomp learn: run a program in the normal sandbox, but with a
 * filter that reports every syscall to the launcher instead of deciding
 * it (SECCOMP_RET_USER_NOTIF), and print the syscalls it made as a
 * profile fragment to review.
 *
 * The child loads the filter with SECCOMP_FILTER_FLAG_NEW_LISTENER and
 * passes the listener to the launcher over the sync socket (SCM_RIGHTS,
 * before execve).  The launcher answers every notification with
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE (Linux 5.5) after recording the
 * syscall number, so the program runs as if there were no filter: this
 * is a measuring run, not a confinement (slower, too: each syscall is a
 * round trip to the launcher).  Namespaces, capabilities, no_new_privs
 * and Landlock stay as the plan says. */
#ifndef WARD_SECCOMP_LEARN_H
#define WARD_SECCOMP_LEARN_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/filter.h>

#include "base/err.h"

/* OR-ed into the upper half of sendmsg's socket argument when the child
 * hands the listener over: the learn filter lets exactly that call
 * through unreported (see ward_sync_send_fd). */
#define WARD_LEARN_FD_TAG 0x5741524400000000ULL /* "WARD" */

#define WARD_LEARN_NR_MAX 1024 /* native syscall numbers recorded */
#define WARD_LEARN_FOREIGN_MAX 32

struct ward_seccomp_learned {
	uint64_t native[WARD_LEARN_NR_MAX / 64]; /* bit per syscall number */
	struct {
		uint32_t arch;   /* AUDIT_ARCH_* */
		int nr;
	} foreign[WARD_LEARN_FOREIGN_MAX]; /* 32-bit, x32, out of range */
	size_t nforeign;
	unsigned long calls;  /* notifications answered */
};

/* Record one syscall (pure; for the launcher and the tests). */
void ward_seccomp_learned_add(struct ward_seccomp_learned *l, uint32_t arch,
			      int nr);

/* The learn filter: every syscall notifies, on every arch, except the
 * tagged hand-over.  Parent side.  Errors: WARD_STEP_SECCOMP_BUILD. */
int ward_seccomp_learn_filter(struct sock_fprog *out, struct ward_err *err);

/* The profile fragment: a header that says to review it, then
 * seccomp-allow lines grouped by ward's syscall groups ("@group" when all
 * of a group was used), with the calls ward's default policy refuses
 * commented out.  @cmd names the program in the header. */
void ward_seccomp_learned_print(const struct ward_seccomp_learned *l,
				const char *cmd, FILE *out);

#endif
