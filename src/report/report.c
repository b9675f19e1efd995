/* Exposure reports: rows, the overall exposure, text and JSON output. */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "image/findings.h"
#include "kernel/caps.h"
#include "report/report.h"

void ward_report_add(struct ward_report *r, const char *id, bool ok,
		     double weight, const char *fix, const char *fmt, ...)
{
	struct ward_report_row *row;
	va_list ap;

	if (r->n == WARD_REPORT_MAX) {
		r->dropped++;
		return;
	}
	row = &r->rows[r->n++];
	snprintf(row->id, sizeof(row->id), "%s", id);
	row->ok = ok;
	row->weight = ok ? 0.0 : weight;
	snprintf(row->fix, sizeof(row->fix), "%s", fix ? fix : "");
	row->subject[0] = '\0';
	row->layer = -1;
	row->finding_id[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(row->what, sizeof(row->what), fmt, ap);
	va_end(ap);
}

void ward_report_subject(struct ward_report *r, long layer, const char *fmt, ...)
{
	struct ward_report_row *row;
	va_list ap;

	if (r->n == 0 || r->dropped)
		return;
	row = &r->rows[r->n - 1];
	row->layer = layer;
	va_start(ap, fmt);
	vsnprintf(row->subject, sizeof(row->subject), fmt, ap);
	va_end(ap);
}

/* "ID" or "ID:SUBJECT"; the n-th repeat of one gets "#n". */
static void set_finding_ids(struct ward_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct ward_report_row *row = &r->rows[i];
		unsigned seen = 1;

		for (size_t k = 0; k < i; k++)
			if (strcmp(r->rows[k].id, row->id) == 0 &&
			    strcmp(r->rows[k].subject, row->subject) == 0)
				seen++;
		ward_finding_id(row->finding_id, sizeof(row->finding_id), row->id,
				row->subject, seen);
	}
}

void ward_report_finish(struct ward_report *r)
{
	double sum = 0;

	set_finding_ids(r);
	for (size_t i = 0; i < r->n; i++)
		sum += r->rows[i].weight;
	r->exposure = sum > 10.0 ? 10.0 : sum;
	r->verdict = r->exposure < 1.0 ? "SAFE" :
		     r->exposure < 3.0 ? "OK" :
		     r->exposure < 6.0 ? "MEDIUM" :
		     r->exposure < 8.5 ? "EXPOSED" : "UNSAFE";
}

void ward_report_print(const struct ward_report *r, FILE *out)
{
	fprintf(out, "%-22s %-4s %6s  %s\n", "CHECK", "", "WEIGHT", "FINDING");
	for (size_t i = 0; i < r->n; i++) {
		const struct ward_report_row *row = &r->rows[i];

		fprintf(out, "%-22s %-4s %6.1f  %s\n", row->id,
			row->ok ? "ok" : "RISK", row->weight, row->what);
		if (!row->ok && row->fix[0])
			fprintf(out, "%-22s %-4s %6s  fix: %s\n", "", "", "", row->fix);
	}
	if (r->dropped)
		fprintf(out, "(%zu more rows not shown)\n", r->dropped);
	fprintf(out, "\nexposure: %.1f of 10 (%s)\n", r->exposure, r->verdict);
}

static json_object *row_json(const struct ward_report_row *row)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(row->id));
	json_object_object_add(o, "ok", json_object_new_boolean(row->ok));
	json_object_object_add(o, "weight", json_object_new_double(row->weight));
	json_object_object_add(o, "finding", json_object_new_string(row->what));
	json_object_object_add(o, "fix", json_object_new_string(row->fix));
	/* schema 2 */
	json_object_object_add(o, "finding_id", json_object_new_string(row->finding_id));
	json_object_object_add(o, "severity", json_object_new_string(
		ward_severity_name(ward_severity_of(row))));
	json_object_object_add(o, "subject", row->subject[0]
			       ? json_object_new_string(row->subject) : NULL);
	json_object_object_add(o, "layer", row->layer >= 0
			       ? json_object_new_int64(row->layer) : NULL);
	return o;
}

static json_object *plan_json(const struct ward_plan *plan)
{
	json_object *o = json_object_new_object();
	char caps[1024];

	ward_caps_format(plan->caps_keep, caps, sizeof(caps));
	json_object_object_add(o, "rootless", json_object_new_boolean(plan->rootless));
	json_object_object_add(o, "rootfs",
			       plan->rootfs ? json_object_new_string(plan->rootfs)
					    : json_object_new_string("host"));
	json_object_object_add(o, "uid", json_object_new_int64(plan->uid));
	json_object_object_add(o, "gid", json_object_new_int64(plan->gid));
	json_object_object_add(o, "capabilities", json_object_new_string(caps));
	json_object_object_add(o, "net", json_object_new_string(
		plan->net == WARD_NET_HOST ? "host" :
		plan->net == WARD_NET_NONE ? "none" :
		plan->net == WARD_NET_VETH ? "veth" : "loopback"));
	json_object_object_add(o, "seccomp", json_object_new_string(
		plan->seccomp_mode == WARD_SECCOMP_DEFAULT ? "default" :
		plan->seccomp_mode == WARD_SECCOMP_STRICT ? "strict" :
		plan->seccomp_mode == WARD_SECCOMP_FILE ? "file" :
		plan->seccomp_mode == WARD_SECCOMP_DOCKER ? "docker" : "off"));
	return o;
}

json_object *ward_report_json(const struct ward_report *r,
			      const struct ward_plan *plan)
{
	json_object *root = json_object_new_object();
	json_object *rows = json_object_new_array();

	if (!root || !rows) {
		json_object_put(root);
		json_object_put(rows);
		return NULL;
	}
	for (size_t i = 0; i < r->n; i++)
		json_object_array_add(rows, row_json(&r->rows[i]));
	json_object_object_add(root, "schema", json_object_new_int(WARD_REPORT_SCHEMA));
	json_object_object_add(root, "exposure", json_object_new_double(r->exposure));
	json_object_object_add(root, "verdict", json_object_new_string(r->verdict));
	if (plan)
		json_object_object_add(root, "plan", plan_json(plan));
	json_object_object_add(root, "rows", rows);
	return root;
}

int ward_report_write_json(json_object *root, FILE *out)
{
	int rc;

	if (!root)
		return -1;
	rc = fprintf(out, "%s\n", json_object_to_json_string_ext(
			  root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return rc < 0 ? -1 : 0;
}

int ward_report_print_json(const struct ward_report *r,
			   const struct ward_plan *plan, FILE *out)
{
	return ward_report_write_json(ward_report_json(r, plan), out);
}
