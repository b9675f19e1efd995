/* plan/directives.c: the directive table against what documents it.
 *
 * ward-profile(5)'s DIRECTIVES section lists exactly the table's profile
 * keys; `ward run --help` names every command-line option but those the
 * table leaves to the man page (WARD_DIR_BOTH_UNLISTED); and the rows
 * themselves are well formed.  Run from the source tree
 * (the man page is found next to this file). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "plan/builder.h"
#include "plan/cli.h"
#include "plan/directives.h"

#define MAX_NAMES 128

struct names {
	char *name[MAX_NAMES];
	size_t n;
};

static void names_add(struct names *ns, const char *name, size_t len)
{
	assert_true(ns->n < MAX_NAMES);
	ns->name[ns->n] = strndup(name, len);
	assert_non_null(ns->name[ns->n]);
	ns->n++;
}

static bool names_has(const struct names *ns, const char *name)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->name[i], name) == 0)
			return true;
	return false;
}

static void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->name[i]);
	ns->n = 0;
}

static FILE *open_repo_file(const char *rel)
{
	const char *slash = strstr(__FILE__, "tests/unit/");
	char *path = NULL;
	FILE *f;

	assert_non_null(slash);
	assert_true(asprintf(&path, "%.*s%s", (int)(slash - __FILE__), __FILE__,
			     rel) > 0);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s (run from the source tree)", path, strerror(errno));
	free(path);
	return f;
}

/* ".BR cap\-keep " ..." or ".BI seccomp\-allow " ..." after .TP/.TQ:
 * the directive's name, with roff's "\-" read as "-". */
static void man_directive(const char *line, struct names *ns)
{
	char name[64];
	size_t n = 0;
	const char *p = strchr(line, ' ');

	assert_non_null(p);
	for (p++; *p && !isspace((unsigned char)*p) && *p != '"' &&
	     n + 1 < sizeof(name); p++) {
		if (p[0] == '\\' && p[1] == '-')
			p++;
		name[n++] = *p;
	}
	names_add(ns, name, n);
}

/* The names ward-profile(5) lists under DIRECTIVES. */
static void man_directives(struct names *ns)
{
	FILE *f = open_repo_file("man/ward-profile.5");
	char line[1024];
	bool in = false, tagged = false;

	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, ".SH ", 4) == 0) {
			in = strcmp(line, ".SH DIRECTIVES\n") == 0;
			continue;
		}
		if (!in)
			continue;
		if (tagged && strncmp(line, ".B", 2) == 0)
			man_directive(line, ns);
		tagged = strcmp(line, ".TP\n") == 0 || strcmp(line, ".TQ\n") == 0;
	}
	fclose(f);
	assert_true(ns->n > 0);
}

/* ward_cli_usage's text. */
static char *help_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	ward_cli_usage(f);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* "--NAME" as a whole option in @text (followed by a blank, ',' or the
 * end of the line). */
static bool help_names(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; (p = strstr(p, "--")); p += 2)
		if (strncmp(p + 2, name, n) == 0 && strchr(" ,\n", p[2 + n]))
			return true;
	return false;
}

static void test_man_lists_the_profile_keys(void **state)
{
	struct names man = {0};
	int missing = 0;

	man_directives(&man);
	for (const struct ward_directive *d = ward_directives; d->name; d++) {
		if (!ward_directive_in_plan(d) || names_has(&man, d->name))
			continue;
		fprintf(stderr, "ward-profile(5) lacks the directive '%s'\n", d->name);
		missing++;
	}
	for (size_t i = 0; i < man.n; i++) {
		const struct ward_directive *d = ward_directive_find(man.name[i]);

		if (d && ward_directive_in_plan(d))
			continue;
		fprintf(stderr, "ward-profile(5) lists '%s', which no profile takes\n",
			man.name[i]);
		missing++;
	}
	names_free(&man);
	assert_int_equal(missing, 0);
}

/* Every option of the command line is in --help, but for the profile
 * directives it takes unlisted (ward-profile(5) documents those). */
static void test_help_lists_the_options(void **state)
{
	char *help = help_text();
	int missing = 0;

	for (const struct ward_directive *d = ward_directives; d->name; d++) {
		bool listed = d->scope == WARD_DIR_BOTH || d->scope == WARD_DIR_CLI_ONLY;

		if (listed == help_names(help, d->name))
			continue;
		fprintf(stderr, "ward run --help %s --%s\n", listed ? "lacks" : "lists",
			d->name);
		missing++;
	}
	assert_int_equal(missing, 0);
	assert_int_equal(strncmp(help, "usage: ward run [OPTIONS] -- CMD [ARG...]\n", 42), 0);
	assert_non_null(strstr(help, "\nExit status: "));
	free(help);
}

/* Each help entry is whole lines, starting with its own option. */
static void test_help_lines_name_their_row(void **state)
{
	for (const struct ward_directive *d = ward_directives; d->name; d++) {
		size_t n;

		if (!d->help)
			continue;
		n = strlen(d->help);
		assert_true(n > 1 && d->help[n - 1] == '\n');
		assert_int_equal(strncmp(d->help, "  -", 3), 0);
		if (!help_names(d->help, d->name))
			fail_msg("the help of --%s does not name it: %s", d->name, d->help);
		assert_true(d->scope == WARD_DIR_BOTH || d->scope == WARD_DIR_CLI_ONLY);
	}
}

static void test_rows_are_well_formed(void **state)
{
	size_t rows = 0;

	for (const struct ward_directive *d = ward_directives; d->name; d++, rows++) {
		const struct ward_directive *e;

		assert_ptr_equal(ward_directive_find(d->name), d);
		assert_int_equal(ward_directive_index(d), rows);
		if (d->kind == WARD_DIR_LIST)
			assert_true(d->max > 0);
		if (d->kind != WARD_DIR_LIST)
			assert_false(d->where_kept);
		if (d->short_name)
			assert_ptr_equal(ward_directive_find_short(d->short_name), d);
		if (!d->alias_of)
			continue;
		/* an alias: a command-line flag standing for a real directive */
		assert_int_equal(d->kind, WARD_DIR_FLAG);
		assert_int_equal(d->scope, WARD_DIR_CLI_ONLY);
		e = ward_directive_find(d->alias_of);
		assert_non_null(e);
		assert_true(ward_directive_in_plan(e) && e->kind != WARD_DIR_FLAG);
	}
	assert_true(rows <= WARD_DIRECTIVES_MAX);
	assert_null(ward_directive_find("--bind"));
	assert_null(ward_directive_find(""));
	assert_null(ward_directive_find_short('x'));
}

/* Rows stored as text land on a field of their own: a row that forgot
 * its field would share rootfs's offset 0. */
static void test_text_rows_land_apart(void **state)
{
	for (const struct ward_directive *d = ward_directives; d->name; d++) {
		if (d->set || !ward_directive_in_plan(d))
			continue;
		assert_true(d->kind == WARD_DIR_SCALAR || d->kind == WARD_DIR_LIST);
		for (const struct ward_directive *e = d + 1; e->name; e++)
			if (!e->set && ward_directive_in_plan(e) && e->field == d->field)
				fail_msg("%s and %s land on one field", d->name, e->name);
	}
}

/* ward_plan_key_known, the profile parser's test, is the table's. */
static void test_key_known_is_the_table(void **state)
{
	bool takes = false;

	for (const struct ward_directive *d = ward_directives; d->name; d++) {
		assert_int_equal(ward_plan_key_known(d->name, &takes),
				 ward_directive_in_plan(d));
		if (ward_directive_in_plan(d))
			assert_int_equal(takes, d->kind != WARD_DIR_FLAG);
	}
	assert_false(ward_plan_key_known("profile", &takes));
	assert_false(ward_plan_key_known("no-init", &takes));
}

/* A profile-only row is refused on the command line and taken from a
 * profile; the command line's own rows are no profile directives. */
static void test_scope_on_the_command_line(void **state)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_origin o = {"t.profile", 2, 10};
	struct ward_err err = {0};

	assert_non_null(b);
	for (const struct ward_directive *d = ward_directives; d->name; d++) {
		if (d->scope != WARD_DIR_PROFILE_ONLY)
			continue;
		assert_int_equal(ward_plan_apply(b, d->name, "x", NULL, &err), -EINVAL);
		assert_int_equal(err.step, WARD_STEP_USAGE);
		assert_non_null(strstr(err.msg, "accepted only in a profile"));
	}
	assert_int_equal(ward_plan_apply(b, "fallback", "entrypoint", &o, &err), 0);
	assert_int_equal(ward_plan_apply(b, "profile", "x", &o, &err), -EINVAL);
	assert_string_equal(err.msg, "t.profile:2:10: error: unknown directive 'profile'");
	ward_plan_builder_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_man_lists_the_profile_keys),
		cmocka_unit_test(test_help_lists_the_options),
		cmocka_unit_test(test_help_lines_name_their_row),
		cmocka_unit_test(test_rows_are_well_formed),
		cmocka_unit_test(test_text_rows_land_apart),
		cmocka_unit_test(test_key_known_is_the_table),
		cmocka_unit_test(test_scope_on_the_command_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
