/* Cases that cannot run under valgrind (make valgrind).
 *
 * valgrind 3.19 implements neither seccomp(2) (syscall 317) nor
 * openat2(2) (437): inside it both fail with ENOSYS.  So under valgrind
 *   - no seccomp filter can be loaded;
 *   - no filter can be built either: libseccomp probes its API level with
 *     seccomp(2), gets level 1, and then refuses KILL_PROCESS for
 *     ACT_BADARCH (so ward_plan_finish fails too, whenever the plan has a
 *     filter);
 *   - ward_userdb_read and everything else that opens files with
 *     openat2(RESOLVE_IN_ROOT) fails.
 *
 * tests/lib/run-valgrind.sh sets WARD_UNDER_VALGRIND=1.  A case that needs
 * one of these calls SKIP_UNDER_VALGRIND(why) first thing: under valgrind
 * it prints "skipped under valgrind: WHY" and leaves through cmocka's
 * skip(), which cmocka reports as SKIPPED and the runner lists with the
 * reason.  Call it before allocating anything: skip() longjmps out of the
 * case.  Include after <cmocka.h>. */
#ifndef WARD_TEST_UNDER_VALGRIND_H
#define WARD_TEST_UNDER_VALGRIND_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NEEDS_SECCOMP_BUILD \
	"needs seccomp(2): builds a filter (libseccomp's API-level probe)"
#define NEEDS_SECCOMP_PLAN \
	"needs seccomp(2): ward_plan_finish builds the filter (libseccomp's API-level probe)"
#define NEEDS_SECCOMP_LOAD "needs seccomp(2): loads a filter"
#define NEEDS_OPENAT2 "needs openat2"
#define NEEDS_SANDBOX \
	"launches real sandboxes: needs seccomp(2) and openat2"

static inline bool under_valgrind(void)
{
	const char *v = getenv("WARD_UNDER_VALGRIND");

	return v && *v && strcmp(v, "0") != 0;
}

#define SKIP_UNDER_VALGRIND(why)                                         \
	do {                                                             \
		if (under_valgrind()) {                                  \
			print_message("skipped under valgrind: %s\n", why); \
			skip();                                          \
		}                                                        \
	} while (0)

#endif
