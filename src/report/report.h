/* Exposure reports (ward check): one row per question "what could the
 * program do if compromised?", each with a weight and a one-line fix,
 * and an overall exposure from 0.0 (nothing found) to 10.0. */
#ifndef WARD_REPORT_H
#define WARD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "plan/plan.h"

#define WARD_REPORT_MAX 128
#define WARD_REPORT_TEXT 256

struct ward_report_row {
	char id[40];       /* stable identifier, e.g. "caps.kept" */
	bool ok;           /* true: a protection in place, weight 0 */
	double weight;     /* exposure points when !ok */
	char what[WARD_REPORT_TEXT];
	char fix[WARD_REPORT_TEXT];
};

struct ward_report {
	struct ward_report_row rows[WARD_REPORT_MAX];
	size_t n;
	size_t dropped;    /* rows that did not fit */
	double exposure;   /* min(10, sum of weights), after finish */
	const char *verdict;
};

/* Add a row.  @fix may be NULL for rows that are ok. */
void ward_report_add(struct ward_report *r, const char *id, bool ok,
		     double weight, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Compute the exposure and the verdict: SAFE < 1.0 <= OK < 3.0 <= MEDIUM
 * < 6.0 <= EXPOSED < 8.5 <= UNSAFE. */
void ward_report_finish(struct ward_report *r);

/* The questions a plan answers (check.c). */
void ward_check_plan(const struct ward_plan *plan, struct ward_report *r);

/* The rootfs audit (audit.c): setuid/setgid files, world-writable
 * directories without the sticky bit, files that look like secrets,
 * tools the program may not need, the tree's size.  Bounded walk that
 * never follows symlinks.  Adds rows to @r. */
int ward_audit_rootfs(const char *root, struct ward_report *r,
		      struct ward_err *err);

/* ward explain: the plan's steps in order, each with what it defends
 * against (explain_plan.c). */
void ward_explain_plan(const struct ward_plan *plan, FILE *out);

/* Human-readable table. */
void ward_report_print(const struct ward_report *r, FILE *out);

/* JSON (schema version 1, documented in ward(1)). */
int ward_report_print_json(const struct ward_report *r,
			   const struct ward_plan *plan, FILE *out);

#endif
