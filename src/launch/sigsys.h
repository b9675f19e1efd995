#ifndef WARD_LAUNCH_SIGSYS_H
#define WARD_LAUNCH_SIGSYS_H

#include <stdbool.h>
#include <sys/types.h>

#include "plan/plan.h"

/* Naming the syscall behind a SIGSYS death (sigsys.c).  With
 * SECCOMP_RET_KILL_PROCESS the kernel writes an audit record (type 1326,
 * with pid, arch and syscall) to its log; the launcher reads /dev/kmsg
 * from before the program starts, when it may (root or CAP_SYSLOG, or
 * kernel.dmesg_restrict=0).  Parent side; every call is best effort. */
struct ward_sigsys_watch {
	int kmsg;           /* /dev/kmsg, positioned at its end, or -1 */
	pid_t pids[2];      /* the launcher's child and the program */
	bool active;        /* the plan has a filter that can kill */
	char comm[16];      /* the program's name as the kernel logs it */
};
#define WARD_SIGSYS_WATCH_INIT {-1, {0, 0}, false, ""}

/* Before clone: open /dev/kmsg at its end when the plan has a filter. */
void ward_sigsys_watch_start(struct ward_sigsys_watch *w,
			     const struct ward_plan *plan);

/* After sync 4 (the program was executed): note its pid, the only child
 * of the sandbox's init, or @child itself when the program is pid 1. */
void ward_sigsys_watch_exec(struct ward_sigsys_watch *w,
			    const struct ward_plan *plan, pid_t child);

/* After the program ended with @exit_code: when it is 128+SIGSYS, print
 * "ward: seccomp: the program was killed for calling NAME (NR), which
 * the filter denies" to stderr, or a hint when the log has no record. */
void ward_sigsys_watch_report(struct ward_sigsys_watch *w, int exit_code);

/* Close what start opened (a cleanup function: any path may call it). */
void ward_sigsys_watch_close(struct ward_sigsys_watch *w);

#endif
