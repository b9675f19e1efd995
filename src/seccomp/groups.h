/* Named syscall groups (private to the seccomp module and its tests).
 *
 * A group is a static, NULL-terminated list of syscall names; a member
 * that starts with '@' names another group.  The lists are multi-arch, in
 * the spirit of systemd's syscall_filter_sets[]: a name that does not
 * exist on the native architecture (mmap2 on x86_64) or that this
 * libseccomp does not know yet is skipped when a group is expanded.
 * Skipping is fail-closed for "allow"; for "deny" such a syscall still
 * gets the policy's default action, which is a denial unless the policy
 * says "default log". */
#ifndef WARD_SECCOMP_GROUPS_H
#define WARD_SECCOMP_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

/* Deepest nesting of '@' references in the table (checked by the tests). */
#define WARD_SECCOMP_GROUP_DEPTH 4

struct ward_seccomp_group {
	const char *name; /* "@basic-io" */
	const char *help; /* one line */
	const char *const *members;
};

/* The group called @name ("@basic-io", with the '@'), or NULL. */
const struct ward_seccomp_group *ward_seccomp_group_find(const char *name);

/* True for a plain group: no nested groups and not one of ward's own
 * policies (@ward-*), so a syscall found there is "where it belongs". */
bool ward_seccomp_group_plain(const struct ward_seccomp_group *group);

/* Number of groups and the i-th one, in display order. */
size_t ward_seccomp_group_count(void);
const struct ward_seccomp_group *ward_seccomp_group_at(size_t i);

/* Call @fn for every syscall name in @group, nested groups expanded
 * (a name may be reported more than once).  Stops at, and returns, the
 * first nonzero value @fn returns; returns -ELOOP when nesting exceeds
 * WARD_SECCOMP_GROUP_DEPTH and -ENOENT for a dangling '@' reference
 * (both are bugs in the static table, caught by the unit tests). */
int ward_seccomp_group_foreach(const struct ward_seccomp_group *group,
			       int (*fn)(const char *name, void *data),
			       void *data);

#endif
