/* The rootfs audit with explicit bounds: private to audit.c and its
 * tests (tests/unit/test_audit.c), which lower the bounds to reach them
 * without building a million files. */
#ifndef WARD_AUDIT_H
#define WARD_AUDIT_H

#include <stddef.h>

#include "base/err.h"
#include "report/report.h"

/* The bounds ward_audit_rootfs uses. */
#define WARD_AUDIT_MAX_ENTRIES 1000000
#define WARD_AUDIT_MAX_DEPTH 64

struct ward_audit_limits {
	size_t max_entries; /* entries looked at (lstat) before the walk stops */
	unsigned max_depth; /* directories deeper than this are not entered */
};

/* ward_audit_rootfs with @lim instead of the default bounds.  Runs in
 * the parent (ward check), makes no change to the tree.  Returns 0, or
 * -errno with @err set (step WARD_STEP_PLAN) when @root itself cannot be
 * opened as a directory; everything below @root that cannot be read is
 * counted in the rootfs.walk row instead. */
int ward_audit_rootfs_bounded(const char *root,
			      const struct ward_audit_limits *lim,
			      struct ward_report *r, struct ward_err *err);

#endif
