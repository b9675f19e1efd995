/* The compact program for a ward policy (compact.c; private). */
#ifndef WARD_SECCOMP_COMPACT_H
#define WARD_SECCOMP_COMPACT_H

#include <linux/filter.h>

#include "base/err.h"
#include "seccomp/policy.h"

/* @pol as a tree of syscall-number ranges and a block of argument checks
 * per guarded allow: the same decisions as
 * ward_seccomp_policy_build_libseccomp, in far fewer instructions.
 * 0 with *@out on the heap; 1 when this policy is left to libseccomp
 * alone (another arch, a syscall number past 4095, two rules for one
 * syscall, a guard unknown to compact.c, more than 256 runs, a tree
 * not clearly shorter, or a kernel that does not report the actions);
 * -errno with @err set. */
int ward_seccomp_policy_compact(const struct ward_seccomp_policy *pol,
				struct sock_fprog *out, struct ward_err *err);

#endif
