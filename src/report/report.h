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

#define WARD_REPORT_ID 40
#define WARD_FINDING_ID (WARD_REPORT_ID + WARD_REPORT_TEXT + 8)

/* How bad a row is, from its weight alone (one table, ward(1) lists it;
 * the thresholds never move within a JSON schema version):
 *   none      an ok row: a protection in place
 *   low       a risk of weight < 1.0 (0 too: a risk not scored, such as
 *             "8 more secret-looking files" or an incomplete walk)
 *   medium    1.0 <= weight < 2.5
 *   high      2.5 <= weight < 5.0
 *   critical  5.0 <= weight
 * The order is the enum's: --fail-on SEVERITY fails on every row at or
 * above it. */
enum ward_severity {
	WARD_SEVERITY_NONE,
	WARD_SEVERITY_LOW,
	WARD_SEVERITY_MEDIUM,
	WARD_SEVERITY_HIGH,
	WARD_SEVERITY_CRITICAL,
};

struct ward_report_row {
	char id[WARD_REPORT_ID]; /* stable identifier, e.g. "caps.kept" */
	bool ok;           /* true: a protection in place, weight 0 */
	double weight;     /* exposure points when !ok */
	char what[WARD_REPORT_TEXT];
	char fix[WARD_REPORT_TEXT];
	/* What the row is about when rows of one id can repeat: a path
	 * ("/app/.env"), a name ("DB_PASSWORD", "cap_sys_admin"); "" for
	 * none.  Printable ASCII only (image names are escaped first). */
	char subject[WARD_REPORT_TEXT];
	long layer;        /* the image layer a finding came from, -1 */
	/* "ID" or "ID:SUBJECT", unique within the report ("#2", "#3" are
	 * appended to repeats); set by ward_report_finish. */
	char finding_id[WARD_FINDING_ID];
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

/* Name the subject (and the layer, -1 for none) of the row added last;
 * nothing when no row was added (the report was full). */
void ward_report_subject(struct ward_report *r, long layer, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Compute the exposure, the verdict (SAFE < 1.0 <= OK < 3.0 <= MEDIUM
 * < 6.0 <= EXPOSED < 8.5 <= UNSAFE) and every row's finding id. */
void ward_report_finish(struct ward_report *r);

/* The severity of @row (the table above), its name ("none", "low",
 * "medium", "high", "critical"), and the severity a name gives: 0, or
 * -EINVAL for another name ("none" included: it is not a threshold). */
enum ward_severity ward_severity_of(const struct ward_report_row *row);
const char *ward_severity_name(enum ward_severity s);
int ward_severity_parse(const char *name, enum ward_severity *out);

/* ward check --fail-on / --max-exposure: when the report fails the gate. */
struct ward_gate {
	bool fail_on_set;
	enum ward_severity fail_on;  /* a row at or above it fails */
	bool max_exposure_set;
	double max_exposure;         /* an exposure above it fails */
};

/* Parse --max-exposure's value: a number from 0 to 10 ("3", "2.5").
 * Returns 0 or -EINVAL. */
int ward_gate_parse_exposure(const char *text, double *out);

/* Whether the finished report @r fails @g; the rows that do are counted
 * in *nrows (the exposure alone may fail it with none). */
bool ward_gate_fails(const struct ward_report *r, const struct ward_gate *g,
		     size_t *nrows);

/* One line on @out saying why @r fails @g (ward check prints it on
 * standard error before exiting WARD_EXIT_CHECK_FAILED). */
void ward_gate_explain(const struct ward_report *r, const struct ward_gate *g,
		       FILE *out);

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

/* JSON (schema version WARD_REPORT_SCHEMA, documented in ward(1)).
 * ward_report_json builds the object (NULL when out of memory) for a
 * caller that adds keys (the image audit's "image"); ward_report_write
 * prints it and drops the reference. */
#define WARD_REPORT_SCHEMA 2
struct json_object;
struct json_object *ward_report_json(const struct ward_report *r,
				     const struct ward_plan *plan);
int ward_report_write_json(struct json_object *root, FILE *out);
int ward_report_print_json(const struct ward_report *r,
			   const struct ward_plan *plan, FILE *out);

#endif
