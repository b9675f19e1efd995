/* Errors that teach: the edit distance and its suggestions
 * (base/suggest.c) and each source of them (options, directives,
 * capabilities, rlimits), the collector (base/errs.c), and a plan that
 * reports every mistake at once (ward_plan_from_argv). */
#define _GNU_SOURCE
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

#include "base/errs.h"
#include "base/suggest.h"
#include "kernel/caps.h"
#include "plan/directives.h"
#include "plan/plan.h"

#include "under_valgrind.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- edit distance and suggestions -------------------------------------- */

static void test_edit_distance(void **state)
{
	static const struct {
		const char *a, *b;
		unsigned d;
	} cases[] = {
		{"", "", 0}, {"abc", "abc", 0}, {"", "abc", 3}, {"abc", "", 3},
		{"kitten", "sitting", 3},
		{"nofiles", "nofile", 1},  /* a deletion */
		{"tcp-bnd", "tcp-bind", 1}, /* an insertion */
		{"ngnix", "nginx", 1},     /* two neighbours swapped */
		{"NET_ADMN", "net_admin", 1}, /* case does not count */
		{"cap-add", "cap-keep", 4},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		unsigned d = ward_edit_distance(cases[i].a, cases[i].b);

		if (d != cases[i].d)
			fail_msg("distance('%s', '%s') = %u, want %u", cases[i].a,
				 cases[i].b, d, cases[i].d);
		assert_int_equal(ward_edit_distance(cases[i].b, cases[i].a), d);
	}
}

static void test_edit_distance_long_words(void **state)
{
	char longer[WARD_SUGGEST_MAX + 2];

	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(ward_edit_distance(longer, "a"), WARD_SUGGEST_MAX + 1);
	assert_int_equal(ward_edit_distance("a", longer), WARD_SUGGEST_MAX + 1);
}

static const char *suggest(const char *word, const char *const *names)
{
	static struct ward_suggest sg;

	ward_suggest_init(&sg, word);
	ward_suggest_offer_all(&sg, names);
	return ward_suggest_best(&sg);
}

static void test_suggest_nearest(void **state)
{
	static const char *const names[] = {"bind", "tmpfs", "tcp-bind",
					    "tcp-connect", "cap-keep", "nginx",
					    "redis", NULL};

	assert_string_equal(suggest("bnid", names), "bind");
	assert_string_equal(suggest("tcp-bnd", names), "tcp-bind");
	assert_string_equal(suggest("ngnix", names), "nginx");
	/* Docker's --cap-add: no name is near, but one shares "cap-" */
	assert_string_equal(suggest("cap-add", names), "cap-keep");
	/* "tcp-" is shared by two: no guess */
	assert_null(suggest("tcp-listen", names));
	/* an exact name is not a suggestion, and far words get none */
	assert_null(suggest("bind", names));
	assert_null(suggest("postgres", names));
	assert_null(suggest("", names));
	/* a short word may be one edit away, no more */
	assert_null(suggest("xx", (const char *const[]){"ab", NULL}));
	assert_string_equal(suggest("ac", (const char *const[]){"ab", NULL}), "ab");
}

static void test_suggest_ties_keep_the_first(void **state)
{
	assert_string_equal(suggest("cat", (const char *const[]){"bat", "car", NULL}),
			    "bat");
	/* a closer one later still wins */
	assert_string_equal(suggest("nofiles",
				    (const char *const[]){"nofil", "nofile", NULL}),
			    "nofile");
}

/* ---- the suggestion sources ---------------------------------------------- */

static void test_directive_suggestions(void **state)
{
	assert_string_equal(ward_directive_suggest("cap-add", false), "cap-keep");
	assert_string_equal(ward_directive_suggest("tcp-bnd", false), "tcp-bind");
	assert_string_equal(ward_directive_suggest("profle", false), "profile");
	assert_string_equal(ward_directive_suggest("hlep", false), "help");
	/* a profile-only key is no option, and the command line's own
	 * --profile is no profile key */
	assert_null(ward_directive_suggest("falback", false));
	assert_string_equal(ward_directive_suggest("falback", true), "fallback");
	assert_null(ward_directive_suggest("profle", true));
	assert_string_equal(ward_directive_suggest("inclde", true), "include");
	/* every row takes part: each name one letter short finds itself */
	for (const struct ward_directive *d = ward_directives; d->name; d++) {
		char cut[64];
		const char *got;

		if (strlen(d->name) < 4 || d->scope == WARD_DIR_PROFILE_ONLY)
			continue;
		snprintf(cut, sizeof(cut), "%s", d->name + 1);
		got = ward_directive_suggest(cut, false);
		if (!got || (strcmp(got, d->name) != 0 &&
			     ward_edit_distance(cut, got) > 1))
			fail_msg("'%s' suggests %s, want %s", cut, got ? got : "nothing",
				 d->name);
	}
}

static void test_cap_suggestions(void **state)
{
	char near[64];

	assert_int_equal(ward_caps_suggest("NET_ADMN", near, sizeof(near)), 0);
	assert_string_equal(near, "NET_ADMIN");
	assert_int_equal(ward_caps_suggest("CAP_NET_BIND_SERVIC", near, sizeof(near)), 0);
	assert_string_equal(near, "NET_BIND_SERVICE");
	/* only the name up to a comma is compared */
	assert_int_equal(ward_caps_suggest("chwn,NET_RAW", near, sizeof(near)), 0);
	assert_string_equal(near, "CHOWN");
	assert_int_equal(ward_caps_suggest("TOTALLY_UNLIKE", near, sizeof(near)), -ENOENT);
}

/* An option applied from the command line: its error's hint. */
static void apply_hint(const char *key, const char *value, int want_r,
		       const char *want_hint)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_err err = {0};

	assert_non_null(b);
	assert_int_equal(ward_plan_apply(b, key, value, NULL, &err), want_r);
	if (strcmp(err.hint, want_hint) != 0)
		fail_msg("--%s %s: hint '%s', want '%s' (msg: %s)", key, value ? value : "",
			 err.hint, want_hint, err.msg);
	ward_plan_builder_free(b);
}

static void test_apply_hints(void **state)
{
	apply_hint("rlimit", "nofiles=64", -EINVAL, "did you mean nofile?");
	apply_hint("rlimit", "RLIMIT_NPROCS=64", -EINVAL, "did you mean nproc?");
	apply_hint("rlimit", "whatever=64", -EINVAL, "");
	apply_hint("cap-keep", "NET_RAW,SYS_ADMN", -EINVAL, "did you mean SYS_ADMIN?");
	apply_hint("cap-add", "NET_RAW", -EINVAL, "did you mean --cap-keep?");
}

/* ---- the collector --------------------------------------------------------- */

static void test_origin_prefix(void **state)
{
	char file[64];
	unsigned line = 0, col = 0;

	assert_int_equal(ward_errs_origin("/etc/p.profile:12:7: --bind x: source",
					  file, sizeof(file), &line, &col),
			 strlen("/etc/p.profile:12:7: "));
	assert_string_equal(file, "/etc/p.profile");
	assert_int_equal(line, 12);
	assert_int_equal(col, 7);
	/* a file name may hold a colon */
	assert_true(ward_errs_origin("a:b.profile:3:1: error: x", file, sizeof(file),
				     &line, &col) > 0);
	assert_string_equal(file, "a:b.profile");
	/* the command line's messages have no origin */
	assert_int_equal(ward_errs_origin("--bind /a:1:2: source", file, sizeof(file),
					  &line, &col), 0);
	assert_int_equal(ward_errs_origin("secret db: /x: y", file, sizeof(file),
					  &line, &col), 0);
	assert_int_equal(ward_errs_origin("f:x:1: y", file, sizeof(file), &line, &col), 0);
	assert_int_equal(ward_errs_origin("no origin", file, sizeof(file), &line, &col), 0);
}

static void add(struct ward_errs *e, enum ward_step step, int errnum, const char *msg)
{
	struct ward_err err = {0};

	ward_err_set(&err, step, errnum, "%s", msg);
	ward_errs_add(e, &err);
}

static void test_collector_order(void **state)
{
	struct ward_errs *e = malloc(sizeof(*e));

	assert_non_null(e);
	ward_errs_init(e);
	assert_null(ward_errs_first(e));
	add(e, WARD_STEP_PLAN, ENOENT, "b.profile:9:1: late");
	add(e, WARD_STEP_PLAN, 0, "a.profile:7:3: second");
	add(e, WARD_STEP_USAGE, 0, "--net: first from the command line");
	add(e, WARD_STEP_PLAN, 0, "a.profile:7:1: first of line 7");
	ward_errs_add_source(e, "a.profile", 2, 5, "a.profile:2:5: error: x",
			     "  x\n      ^\n", "did you mean y?");
	add(e, WARD_STEP_USAGE, 0, "--user: second from the command line");
	ward_errs_sort(e);
	assert_int_equal(ward_errs_count(e), 6);
	assert_string_equal(e->item[0].err.msg, "--net: first from the command line");
	assert_string_equal(e->item[1].err.msg, "--user: second from the command line");
	assert_string_equal(e->item[2].err.msg, "a.profile:2:5: error: x");
	assert_true(e->item[2].source);
	assert_int_equal(e->item[2].err.step, WARD_STEP_PROFILE);
	assert_string_equal(e->item[2].err.hint, "did you mean y?");
	assert_string_equal(e->item[3].err.msg, "a.profile:7:1: first of line 7");
	assert_string_equal(e->item[4].err.msg, "a.profile:7:3: second");
	assert_string_equal(e->item[5].err.msg, "b.profile:9:1: late");
	assert_int_equal(e->item[5].err.errnum, ENOENT);
	assert_ptr_equal(ward_errs_first(e), &e->item[0].err);
	free(e);
}

static void test_collector_is_bounded(void **state)
{
	struct ward_errs *e = malloc(sizeof(*e));
	char msg[64];

	assert_non_null(e);
	ward_errs_init(e);
	for (int i = 0; i < WARD_ERRS_MAX + 5; i++) {
		snprintf(msg, sizeof(msg), "p:%d:1: error %d", i + 1, i);
		add(e, WARD_STEP_PLAN, 0, msg);
	}
	assert_int_equal(e->n, WARD_ERRS_MAX);
	assert_int_equal(e->dropped, 5);
	assert_int_equal(ward_errs_count(e), WARD_ERRS_MAX + 5);
	free(e);
}

/* ---- a plan with many mistakes ------------------------------------------- */

struct plan_run {
	struct ward_errs errs;
	char path[64];
};

static int write_profile(char *path, size_t cap, const char *text)
{
	int fd;

	snprintf(path, cap, "/tmp/ward-test-errors-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* ward run ARGS... -- /bin/true through ward_plan_from_argv. */
static int from_argv(struct ward_errs *errs, ...)
{
	char *argv[32];
	int argc = 0, r;
	struct ward_plan *plan = NULL;
	va_list ap;

	va_start(ap, errs);
	while (argc < 29 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc++] = "--";
	argv[argc++] = "/bin/true";
	argv[argc] = NULL;
	r = ward_plan_from_argv(argc, argv, WARD_PLAN_RUN, &plan, NULL, errs);
	ward_plan_free(plan);
	return r;
}

static bool has(const struct ward_errs *e, size_t i, const char *part)
{
	return i < e->n && strstr(e->item[i].err.msg, part);
}

static void test_every_mistake_at_once(void **state)
{
	struct plan_run *t;
	char line[128];

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	t = malloc(sizeof(*t));
	assert_non_null(t);
	assert_int_equal(write_profile(t->path, sizeof(t->path),
				       "ward-profile 1\n"
				       "bind /nonexistent-ward-test-a:/a\n"
				       "rlimit nofiles=64\n"
				       "user nosuchuser-ward-test\n"
				       "tcp-bnd 8080\n"
				       "tmpfs relative\n"), 0);
	assert_int_equal(from_argv(&t->errs, "--profile", t->path, "--hostname", "bad_name!",
				   "--workdir", "relative", NULL), -EINVAL); /* the first's */
	unlink(t->path);
	assert_int_equal(ward_errs_count(&t->errs), 7);
	/* the command line's first, in the order given */
	assert_true(has(&t->errs, 0, "--hostname bad_name!"));
	assert_true(has(&t->errs, 1, "--workdir relative"));
	/* then the profile's, by line, whatever found them */
	for (size_t i = 2; i < 7; i++) {
		snprintf(line, sizeof(line), "%s:%zu:", t->path, i);
		if (!has(&t->errs, i, line))
			fail_msg("error %zu is not line %zu: %s", i, i, t->errs.item[i].err.msg);
	}
	assert_true(has(&t->errs, 2, "source /nonexistent-ward-test-a"));
	assert_true(has(&t->errs, 3, "unknown limit 'nofiles'"));
	assert_string_equal(t->errs.item[3].err.hint, "did you mean nofile?");
	assert_true(has(&t->errs, 4, "no such user"));
	assert_true(has(&t->errs, 5, "unknown directive 'tcp-bnd'"));
	assert_string_equal(t->errs.item[5].err.hint, "did you mean tcp-bind?");
	assert_true(has(&t->errs, 6, "--tmpfs relative"));
	free(t);
}

/* A missing --rootfs makes the user lookup meaningless: it is skipped. */
static void test_dependent_checks_skipped(void **state)
{
	struct plan_run *t;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	t = malloc(sizeof(*t));
	assert_non_null(t);
	assert_int_equal(from_argv(&t->errs, "--rootfs", "/nonexistent-ward-root",
				   "--user", "nosuchuser", "--groups", "nosuchgroup",
				   "--tmpfs", "relative", NULL), -ENOENT);
	assert_int_equal(ward_errs_count(&t->errs), 2);
	assert_true(has(&t->errs, 0, "--rootfs /nonexistent-ward-root"));
	assert_true(has(&t->errs, 1, "--tmpfs relative"));
	free(t);
}

/* A valid plan collects nothing. */
static void test_valid_plan_collects_nothing(void **state)
{
	struct plan_run *t;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	t = malloc(sizeof(*t));
	assert_non_null(t);
	assert_int_equal(from_argv(&t->errs, "--hostname", "ok", NULL), 0);
	assert_int_equal(ward_errs_count(&t->errs), 0);
	free(t);
}

/* ---- repeated port lists ----------------------------------------------------- */

static struct ward_plan *ports_plan(const char *profile_text, struct ward_errs *errs, ...)
{
	char path[64], *argv[16];
	struct ward_plan *plan = NULL;
	int argc = 0;
	va_list ap;

	if (profile_text) {
		assert_int_equal(write_profile(path, sizeof(path), profile_text), 0);
		argv[argc++] = "--profile";
		argv[argc++] = path;
	}
	va_start(ap, errs);
	while (argc < 13 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	if (ward_plan_from_argv(argc, argv, WARD_PLAN_DRY, &plan, NULL, errs) < 0)
		plan = NULL;
	if (profile_text)
		unlink(path);
	return plan;
}

static void assert_ports(const uint16_t *got, size_t n, const uint16_t *want, size_t wn)
{
	assert_int_equal(n, wn);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void test_tcp_ports_add_up(void **state)
{
	struct ward_errs *errs;
	struct ward_plan *p;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	errs = malloc(sizeof(*errs));
	assert_non_null(errs);
	/* the command line's add up */
	p = ports_plan(NULL, errs, "--tcp-bind", "80", "--tcp-bind", "81,90-91",
		       "--tcp-connect", "443", "--tcp-connect=53", NULL);
	assert_non_null(p);
	assert_ports(p->tcp_bind, p->ntcp_bind, (uint16_t[]){80, 81, 90, 91}, 4);
	assert_ports(p->tcp_connect, p->ntcp_connect, (uint16_t[]){443, 53}, 2);
	ward_plan_free(p);
	/* so do a profile's lines */
	p = ports_plan("ward-profile 1\ntcp-bind 1\ntcp-bind 2\n", errs, NULL);
	assert_non_null(p);
	assert_ports(p->tcp_bind, p->ntcp_bind, (uint16_t[]){1, 2}, 2);
	ward_plan_free(p);
	/* and the command line replaces the profile's */
	p = ports_plan("ward-profile 1\ntcp-bind 1\ntcp-bind 2\n", errs,
		       "--tcp-bind", "8080", "--tcp-bind", "8081", NULL);
	assert_non_null(p);
	assert_ports(p->tcp_bind, p->ntcp_bind, (uint16_t[]){8080, 8081}, 2);
	ward_plan_free(p);
	p = ports_plan("ward-profile 1\ntcp-bind 1\n", errs, "--tcp-bind", "none", NULL);
	assert_non_null(p);
	assert_true(p->tcp_bind_set);
	assert_int_equal(p->ntcp_bind, 0);
	ward_plan_free(p);
	/* none beside ports contradicts itself */
	assert_null(ports_plan(NULL, errs, "--tcp-bind", "none", "--tcp-bind", "80", NULL));
	assert_int_equal(ward_errs_count(errs), 1);
	assert_non_null(strstr(errs->item[0].err.msg, "none means no port at all"));
	free(errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_edit_distance_long_words),
		cmocka_unit_test(test_suggest_nearest),
		cmocka_unit_test(test_suggest_ties_keep_the_first),
		cmocka_unit_test(test_directive_suggestions),
		cmocka_unit_test(test_cap_suggestions),
		cmocka_unit_test(test_apply_hints),
		cmocka_unit_test(test_origin_prefix),
		cmocka_unit_test(test_collector_order),
		cmocka_unit_test(test_collector_is_bounded),
		cmocka_unit_test(test_every_mistake_at_once),
		cmocka_unit_test(test_dependent_checks_skipped),
		cmocka_unit_test(test_valid_plan_collects_nothing),
		cmocka_unit_test(test_tcp_ports_add_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
