/* report.c and gate.c: the severity table, finding ids, and ward check's
 * gate (--fail-on, --max-exposure). */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "plan/cli.h"
#include "report/report.h"

static struct ward_report *new_report(void)
{
	struct ward_report *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	return r;
}

static const struct ward_report_row *add(struct ward_report *r, bool ok, double w)
{
	ward_report_add(r, "x", ok, w, "fix", "finding");
	return &r->rows[r->n - 1];
}

/* The documented table: none (ok), low < 1.0 <= medium < 2.5 <= high
 * < 5.0 <= critical. */
static void test_severity_table(void **state)
{
	struct ward_report *r = new_report();
	static const struct {
		bool ok;
		double weight;
		enum ward_severity want;
	} cases[] = {
		{true, 0.0, WARD_SEVERITY_NONE},
		{true, 3.0, WARD_SEVERITY_NONE},      /* an ok row weighs nothing */
		{false, 0.0, WARD_SEVERITY_LOW},      /* a risk not scored */
		{false, 0.2, WARD_SEVERITY_LOW},
		{false, 0.99, WARD_SEVERITY_LOW},
		{false, 1.0, WARD_SEVERITY_MEDIUM},
		{false, 2.0, WARD_SEVERITY_MEDIUM},
		{false, 2.49, WARD_SEVERITY_MEDIUM},
		{false, 2.5, WARD_SEVERITY_HIGH},
		{false, 3.0, WARD_SEVERITY_HIGH},
		{false, 4.99, WARD_SEVERITY_HIGH},
		{false, 5.0, WARD_SEVERITY_CRITICAL},  /* cap_sys_admin */
		{false, 10.0, WARD_SEVERITY_CRITICAL}, /* an engine socket */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ward_report_row *row = add(r, cases[i].ok, cases[i].weight);

		if (ward_severity_of(row) != cases[i].want)
			fail_msg("ok %d weight %.2f: %s, want %s", cases[i].ok,
				 cases[i].weight, ward_severity_name(ward_severity_of(row)),
				 ward_severity_name(cases[i].want));
	}
	free(r);
}

static void test_severity_names(void **state)
{
	static const char *const names[] = {"low", "medium", "high", "critical"};
	enum ward_severity s;

	for (int i = 0; i < 4; i++) {
		assert_int_equal(ward_severity_parse(names[i], &s), 0);
		assert_int_equal(s, WARD_SEVERITY_LOW + i);
		assert_string_equal(ward_severity_name(s), names[i]);
	}
	assert_string_equal(ward_severity_name(WARD_SEVERITY_NONE), "none");
	assert_string_equal(ward_severity_name((enum ward_severity)42), "unknown");
	assert_int_equal(ward_severity_parse("none", &s), -EINVAL);
	assert_int_equal(ward_severity_parse("High", &s), -EINVAL);
	assert_int_equal(ward_severity_parse("", &s), -EINVAL);
	assert_int_equal(ward_severity_parse("highest", &s), -EINVAL);
}

static void test_exposure_parse(void **state)
{
	double v = -1;

	assert_int_equal(ward_gate_parse_exposure("3", &v), 0);
	assert_true(v == 3.0);
	assert_int_equal(ward_gate_parse_exposure("2.5", &v), 0);
	assert_true(v == 2.5);
	assert_int_equal(ward_gate_parse_exposure("0", &v), 0);
	assert_int_equal(ward_gate_parse_exposure("10", &v), 0);
	assert_int_equal(ward_gate_parse_exposure("10.0", &v), 0);
	for (const char *const *bad = (const char *const[]){
		     "", "-1", "10.1", "11", "nan", "inf", "1e1", "0x3", " 3", "3 ",
		     "3.", ".5", "1.2.3", "+3", "three", NULL};
	     *bad; bad++)
		if (ward_gate_parse_exposure(*bad, &v) != -EINVAL)
			fail_msg("'%s' accepted", *bad);
}

/* One high row (3.0), one low (0.5), one ok: exposure 3.5. */
static struct ward_report *sample(void)
{
	struct ward_report *r = new_report();

	ward_report_add(r, "image.user", false, 3.0, "f", "root");
	ward_report_add(r, "image.tools", false, 0.5, "f", "a shell");
	ward_report_add(r, "image.setuid", true, 0, NULL, "none");
	ward_report_finish(r);
	return r;
}

static void test_gate(void **state)
{
	struct ward_report *r = sample();
	struct ward_gate g = {0};
	size_t n = 99;

	/* no gate: never fails */
	assert_false(ward_gate_fails(r, &g, &n));
	assert_int_equal(n, 0);
	g.fail_on_set = true;
	g.fail_on = WARD_SEVERITY_CRITICAL;
	assert_false(ward_gate_fails(r, &g, &n));
	g.fail_on = WARD_SEVERITY_HIGH;
	assert_true(ward_gate_fails(r, &g, &n));
	assert_int_equal(n, 1);
	g.fail_on = WARD_SEVERITY_MEDIUM;
	assert_true(ward_gate_fails(r, &g, &n));
	assert_int_equal(n, 1);
	g.fail_on = WARD_SEVERITY_LOW;
	assert_true(ward_gate_fails(r, &g, &n));
	assert_int_equal(n, 2);

	g = (struct ward_gate){.max_exposure_set = true, .max_exposure = 3.5};
	assert_false(ward_gate_fails(r, &g, &n)); /* exceeds, not reaches */
	g.max_exposure = 3.4;
	assert_true(ward_gate_fails(r, &g, &n));
	assert_int_equal(n, 0);
	g.max_exposure = 0;
	assert_true(ward_gate_fails(r, &g, &n));
	g.max_exposure = 10;
	assert_false(ward_gate_fails(r, &g, &n));
	free(r);
}

/* The exposure is compared as printed (one decimal): 0.1 + 0.2 is
 * "0.3", which --max-exposure 0.3 passes. */
static void test_gate_rounding(void **state)
{
	struct ward_report *r = new_report();
	struct ward_gate g = {.max_exposure_set = true, .max_exposure = 0.3};
	size_t n;

	ward_report_add(r, "a", false, 0.1, "f", "a");
	ward_report_add(r, "b", false, 0.2, "f", "b");
	ward_report_finish(r);
	assert_true(r->exposure > 0.3); /* 0.30000000000000004 */
	assert_false(ward_gate_fails(r, &g, &n));
	free(r);
}

static void test_gate_explain(void **state)
{
	struct ward_report *r = sample();
	struct ward_gate g = {.fail_on_set = true, .fail_on = WARD_SEVERITY_LOW,
			      .max_exposure_set = true, .max_exposure = 1};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	ward_gate_explain(r, &g, f);
	g = (struct ward_gate){.fail_on_set = true, .fail_on = WARD_SEVERITY_CRITICAL};
	ward_gate_explain(r, &g, f); /* passes: prints nothing */
	fclose(f);
	assert_string_equal(buf, "ward: check: failed: 2 findings at or above low "
				 "(image.user, image.tools); exposure 3.5 above 1.0\n");
	free(buf);
	free(r);
}

static void test_finding_ids(void **state)
{
	struct ward_report *r = new_report();

	ward_report_add(r, "image.user", false, 3.0, "f", "root");
	ward_report_add(r, "image.secret-file", false, 3.0, "f", "a");
	ward_report_subject(r, 1, "/app/.env");
	ward_report_add(r, "image.secret-file", false, 2.0, "f", "b");
	ward_report_subject(r, 2, "/root/.ssh/id_rsa");
	ward_report_add(r, "image.secret-file", false, 2.0, "f", "same path again");
	ward_report_subject(r, 3, "/app/.env");
	ward_report_add(r, "caps.kept", false, 5.0, "f", "c");
	ward_report_subject(r, -1, "cap_sys_admin");
	ward_report_add(r, "image.user", true, 0, NULL, "again, no subject");
	ward_report_finish(r);
	assert_string_equal(r->rows[0].finding_id, "image.user");
	assert_int_equal(r->rows[0].layer, -1);
	assert_string_equal(r->rows[0].subject, "");
	assert_string_equal(r->rows[1].finding_id, "image.secret-file:/app/.env");
	assert_int_equal(r->rows[1].layer, 1);
	assert_string_equal(r->rows[2].finding_id, "image.secret-file:/root/.ssh/id_rsa");
	assert_string_equal(r->rows[3].finding_id, "image.secret-file:/app/.env#2");
	assert_string_equal(r->rows[4].finding_id, "caps.kept:cap_sys_admin");
	assert_string_equal(r->rows[5].finding_id, "image.user#2");
	/* finishing again gives the same ids */
	ward_report_finish(r);
	assert_string_equal(r->rows[3].finding_id, "image.secret-file:/app/.env#2");
	free(r);
}

/* A full report drops rows; a subject then names nothing. */
static void test_subject_when_full(void **state)
{
	struct ward_report *r = new_report();

	ward_report_subject(r, 1, "nothing yet");
	assert_int_equal(r->n, 0);
	for (int i = 0; i < WARD_REPORT_MAX; i++)
		ward_report_add(r, "x", false, 0, "f", "row %d", i);
	ward_report_subject(r, 7, "last");
	assert_string_equal(r->rows[WARD_REPORT_MAX - 1].subject, "last");
	ward_report_add(r, "y", false, 0, "f", "dropped");
	ward_report_subject(r, 8, "not the last kept row");
	assert_int_equal(r->dropped, 1);
	assert_string_equal(r->rows[WARD_REPORT_MAX - 1].subject, "last");
	assert_int_equal(r->rows[WARD_REPORT_MAX - 1].layer, 7);
	free(r);
}

/* ward check --image reads an ENTRYPOINT's `ward run` options as ward
 * would: how many words each takes, 0 where the options end. */
static void test_option_words(void **state)
{
	static const struct {
		const char *argv[3];
		int want;
	} cases[] = {
		{{"--user", "10001", NULL}, 2},
		{{"--user=10001", "x", NULL}, 1},
		{{"--mode", "entrypoint", NULL}, 2},
		{{"-v", "--user", NULL}, 1},
		{{"--no-init", "x", NULL}, 1},    /* an alias: "--init no" */
		{{"--no-init=x", NULL, NULL}, 0}, /* refused by ward */
		{{"--user", NULL, NULL}, 0},      /* a missing value */
		{{"--", "--user", NULL}, 0},
		{{"/app/server", "--user", NULL}, 0}, /* the program */
		{{"--username", "x", NULL}, 0},   /* unknown: ward refuses it */
		{{"-x", NULL, NULL}, 0},
		{{"", NULL, NULL}, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int argc = 0;

		while (argc < 3 && cases[i].argv[argc])
			argc++;
		if (ward_cli_option_words(argc, (char **)cases[i].argv) != cases[i].want)
			fail_msg("%s %s: %d words, want %d", cases[i].argv[0],
				 cases[i].argv[1] ? cases[i].argv[1] : "",
				 ward_cli_option_words(argc, (char **)cases[i].argv),
				 cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_severity_table),
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_exposure_parse),
		cmocka_unit_test(test_gate),
		cmocka_unit_test(test_gate_rounding),
		cmocka_unit_test(test_gate_explain),
		cmocka_unit_test(test_finding_ids),
		cmocka_unit_test(test_subject_when_full),
		cmocka_unit_test(test_option_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
