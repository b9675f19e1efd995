/* Severities and ward check's gate (--fail-on, --max-exposure). */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static const char *const severity_names[] = {
	[WARD_SEVERITY_NONE] = "none",
	[WARD_SEVERITY_LOW] = "low",
	[WARD_SEVERITY_MEDIUM] = "medium",
	[WARD_SEVERITY_HIGH] = "high",
	[WARD_SEVERITY_CRITICAL] = "critical",
};

enum ward_severity ward_severity_of(const struct ward_report_row *row)
{
	if (row->ok)
		return WARD_SEVERITY_NONE;
	if (row->weight >= 5.0)
		return WARD_SEVERITY_CRITICAL;
	if (row->weight >= 2.5)
		return WARD_SEVERITY_HIGH;
	if (row->weight >= 1.0)
		return WARD_SEVERITY_MEDIUM;
	return WARD_SEVERITY_LOW;
}

const char *ward_severity_name(enum ward_severity s)
{
	if ((unsigned)s > WARD_SEVERITY_CRITICAL)
		return "unknown";
	return severity_names[s];
}

int ward_severity_parse(const char *name, enum ward_severity *out)
{
	for (int s = WARD_SEVERITY_LOW; s <= WARD_SEVERITY_CRITICAL; s++) {
		if (strcmp(name, severity_names[s]) == 0) {
			*out = (enum ward_severity)s;
			return 0;
		}
	}
	return -EINVAL;
}

int ward_gate_parse_exposure(const char *text, double *out)
{
	size_t len = strlen(text);
	char *end = NULL;
	double v;

	/* digits with at most one point between them: no sign, exponent,
	 * "inf" or "nan" */
	if (!len || strspn(text, "0123456789.") != len || text[0] == '.' ||
	    text[len - 1] == '.' || strchr(text, '.') != strrchr(text, '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(text, &end);
	if (errno || *end || !isfinite(v) || v < 0.0 || v > 10.0)
		return -EINVAL;
	*out = v;
	return 0;
}

static bool row_fails(const struct ward_report_row *row, const struct ward_gate *g)
{
	enum ward_severity s = ward_severity_of(row);

	return g->fail_on_set && s != WARD_SEVERITY_NONE && s >= g->fail_on;
}

/* The exposure is printed with one decimal: compare what is printed, so
 * that "exposure: 3.0" never fails --max-exposure 3 through rounding. */
static long tenths(double v)
{
	return (long)(v * 10.0 + 0.5);
}

static bool exposure_fails(const struct ward_report *r, const struct ward_gate *g)
{
	return g->max_exposure_set && tenths(r->exposure) > tenths(g->max_exposure);
}

bool ward_gate_fails(const struct ward_report *r, const struct ward_gate *g,
		     size_t *nrows)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += row_fails(&r->rows[i], g);
	*nrows = n;
	return n > 0 || exposure_fails(r, g);
}

void ward_gate_explain(const struct ward_report *r, const struct ward_gate *g,
		       FILE *out)
{
	size_t n = 0, shown = 0;

	if (!ward_gate_fails(r, g, &n))
		return;
	fprintf(out, "ward: check: failed:");
	if (n) {
		fprintf(out, " %zu finding%s at or above %s (", n, n == 1 ? "" : "s",
			ward_severity_name(g->fail_on));
		for (size_t i = 0; i < r->n && shown < 5; i++) {
			if (!row_fails(&r->rows[i], g))
				continue;
			fprintf(out, "%s%s", shown ? ", " : "", r->rows[i].finding_id);
			shown++;
		}
		fprintf(out, "%s)", n > shown ? ", ..." : "");
	}
	if (exposure_fails(r, g))
		fprintf(out, "%s exposure %.1f above %.1f", n ? ";" : "", r->exposure,
			g->max_exposure);
	fputc('\n', out);
}
