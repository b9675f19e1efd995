/* profile.c and profile_files.c: the profile parser on in-memory text.
 *
 * Includes are served by a stub opener from a small in-memory map of
 * files, each with a fake (dev, ino) identity, so cycles and the depth
 * limit are exercised without a filesystem.  Diagnostics are captured
 * through open_memstream and compared byte for byte: every error is
 *
 *   FILE:LINE:COL: error: MESSAGE
 *     SOURCE LINE
 *     CARET (a '^' under column COL)
 *
 * The last group goes through ward_cli_parse_run with --profile naming a
 * real temporary file (mode 0644, owned by the caller: root in CI) to
 * check that the command line overrides the profile. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "plan/cli.h"
#include "engine/dockersock.h"
#include "plan/plan.h"
#include "plan/builder.h"
#include "plan/profile.h"
#include "plan/profile_trust.h"

#include "under_valgrind.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define VERSION_MSG "the first directive must be 'ward-profile 1'"

static char *test_argv[] = {"/bin/true", NULL};

/* ---- the stub include opener ------------------------------------------ */

struct stub_file {
	const char *name; /* what an include line says */
	const char *path; /* what diagnostics call it */
	const char *text;
	size_t len;       /* 0: strlen(text) */
	dev_t dev;
	ino_t ino;
	int error;        /* non-zero: the opener fails with -error */
};

struct stub_fs {
	const struct stub_file *files;
	size_t n;
	/* What the parser asked for, in order. */
	char calls[16][128];
	size_t ncalls;
};

static const struct stub_file *stub_find(const struct stub_fs *fs,
					 const char *name)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->files[i].name, name) == 0)
			return &fs->files[i];
	return NULL;
}

static size_t stub_len(const struct stub_file *f)
{
	return f->len ? f->len : strlen(f->text);
}

static int stub_open(void *ctx, const char *name, const char *from_file,
		     char **path, char **buf, size_t *len, dev_t *dev,
		     ino_t *ino)
{
	struct stub_fs *fs = ctx;
	const struct stub_file *f = stub_find(fs, name);
	size_t n;

	if (fs->ncalls < N_ELEMS(fs->calls))
		snprintf(fs->calls[fs->ncalls++], sizeof(fs->calls[0]), "%s<-%s",
			 name, from_file ? from_file : "(null)");
	if (!f)
		return -ENOENT;
	if (f->error)
		return -f->error;
	n = stub_len(f);
	*buf = malloc(n + 1);
	*path = strdup(f->path);
	assert_non_null(*buf);
	assert_non_null(*path);
	memcpy(*buf, f->text, n);
	(*buf)[n] = '\0';
	*len = n;
	*dev = f->dev;
	*ino = f->ino;
	return 0;
}

/* One parse of the top file @top of @fs into a fresh builder. */
struct parsed {
	struct ward_plan_builder *b;
	struct stub_fs fs;
	char *diag;
	size_t diag_len;
	int errors;
};

static void parse_fs(struct parsed *r, const struct stub_file *files,
		     size_t n, const char *top)
{
	const struct stub_file *t;
	struct ward_profile_parser *p;
	FILE *f;

	memset(r, 0, sizeof(*r));
	r->fs.files = files;
	r->fs.n = n;
	t = stub_find(&r->fs, top);
	assert_non_null(t);
	r->b = ward_plan_builder_new();
	assert_non_null(r->b);
	f = open_memstream(&r->diag, &r->diag_len);
	assert_non_null(f);
	p = ward_profile_parser_new(r->b, f, stub_open, &r->fs);
	assert_non_null(p);
	r->errors = ward_profile_parse_top(p, t->path, t->text, stub_len(t),
					   t->dev, t->ino);
	assert_int_equal(r->errors, ward_profile_error_count(p));
	ward_profile_parser_free(p);
	assert_int_equal(fclose(f), 0);
}

/* A single in-memory file named t.profile, no includes available. */
static void parse_text(struct parsed *r, const char *text, size_t len)
{
	struct stub_file one = {"t", "t.profile", text, len, 7, 1, 0};

	/* parse_fs keeps a pointer to the array only during the parse */
	parse_fs(r, &one, 1, "t");
	r->fs.files = NULL;
	r->fs.n = 0;
}

static void parsed_free(struct parsed *r)
{
	ward_plan_builder_free(r->b);
	free(r->diag);
	r->b = NULL;
	r->diag = NULL;
}

static void expect_diag(const struct parsed *r, int errors, const char *diag)
{
	if (r->errors != errors || strcmp(r->diag, diag) != 0)
		fail_msg("expected %d error(s) and diagnostics:\n%s\n"
			 "got %d error(s) and:\n%s", errors, diag, r->errors,
			 r->diag);
}

static void expect_clean(const struct parsed *r)
{
	expect_diag(r, 0, "");
}

/* Parse @text and expect exactly @diag. */
static void check_text(const char *text, int errors, const char *diag)
{
	struct parsed r;

	parse_text(&r, text, 0);
	expect_diag(&r, errors, diag);
	parsed_free(&r);
}

/* Finish the builder of @r into a plan that must be valid.  On failure
 * @r is freed first, so that the failure is not followed by leak
 * reports.  Under valgrind, a case that gets here skips first
 * (NEEDS_SECCOMP_PLAN): the plan builds a seccomp filter. */
static struct ward_plan *finish_ok(struct parsed *r)
{
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	ward_plan_set_argv(r->b, test_argv);
	if (ward_plan_finish(r->b, &plan, &err) < 0) {
		parsed_free(r);
		fail_msg("plan refused: step %d: %s", err.step, err.msg);
	}
	assert_non_null(plan);
	return plan;
}

/* ---- well-formed profiles ---------------------------------------------- */

static void test_well_formed(void **state)
{
	struct parsed r;
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	parse_text(&r,
		   "# a header comment before the version line\n"
		   "\n"
		   "ward-profile 1\n"
		   "   # an indented comment\n"
		   "net host\n"
		   "hostname=web\n"
		   "\t tmpfs   /scratch:size=1M   \n"
		   "env A=1\n"
		   "env B=two words\n"
		   "verbose\n"
		   "\n",
		   0);
	expect_clean(&r);
	plan = finish_ok(&r);
	assert_int_equal(plan->net, WARD_NET_HOST);
	assert_string_equal(plan->hostname, "web");
	assert_int_equal(plan->ntmpfs, 1);
	assert_string_equal(plan->tmpfs[0].dst, "/scratch");
	assert_int_equal(plan->tmpfs[0].size, 1024 * 1024);
	assert_int_equal(plan->verbose, 1);
	{
		bool a = false, bb = false;

		for (size_t i = 0; i < plan->nenv; i++) {
			a |= strcmp(plan->env[i], "A=1") == 0;
			bb |= strcmp(plan->env[i], "B=two words") == 0;
		}
		assert_true(a);
		assert_true(bb);
	}
	ward_plan_free(plan);
	parsed_free(&r);
}

/* ---- the version line -------------------------------------------------- */

static void test_version_missing(void **state)
{
	check_text("net host\nhostname web\n", 1,
		   "t.profile:1:1: error: " VERSION_MSG "\n"
		   "  net host\n"
		   "  ^\n");
	/* Indented: the column is the directive's. */
	check_text("# comment\n   net host\n", 1,
		   "t.profile:2:4: error: " VERSION_MSG "\n"
		   "     net host\n"
		   "     ^\n");
}

static void test_version_wrong(void **state)
{
	check_text("ward-profile 2\nnet host\n", 1,
		   "t.profile:1:1: error: " VERSION_MSG "\n"
		   "  ward-profile 2\n"
		   "  ^\n");
	check_text("ward-profile 1 extra\n", 1,
		   "t.profile:1:1: error: " VERSION_MSG "\n"
		   "  ward-profile 1 extra\n"
		   "  ^\n");
	check_text("ward-profile 1\nnet host\nward-profile 1\n", 1,
		   "t.profile:3:1: error: 'ward-profile' may appear only once, first\n"
		   "  ward-profile 1\n"
		   "  ^\n");
	/* KEY=VALUE is the same directive. */
	check_text("ward-profile=1\n", 0, "");
}

static void test_empty_profile(void **state)
{
	struct parsed r;

	parse_text(&r, "", 0);
	expect_diag(&r, 1,
		    "t.profile:1:1: error: empty profile: " VERSION_MSG "\n"
		    "  \n"
		    "  ^\n");
	parsed_free(&r);
	/* Only comments and blank lines: reported at the last line. */
	check_text("# nothing\n\n", 1,
		   "t.profile:2:1: error: empty profile: " VERSION_MSG "\n"
		   "  \n"
		   "  ^\n");
}

/* ---- directive errors -------------------------------------------------- */

static void test_unknown_directive(void **state)
{
	check_text("ward-profile 1\nfrobnicate yes\n", 1,
		   "t.profile:2:1: error: unknown directive 'frobnicate'\n"
		   "  frobnicate yes\n"
		   "  ^\n");
	/* The caret keeps tabs so that it lines up under the source. */
	check_text("ward-profile 1\n\t  frobnicate\n", 1,
		   "t.profile:2:4: error: unknown directive 'frobnicate'\n"
		   "  \t  frobnicate\n"
		   "  \t  ^\n");
	/* A command-line-only word is not a directive. */
	check_text("ward-profile 1\nprofile other\n", 1,
		   "t.profile:2:1: error: unknown directive 'profile'\n"
		   "  profile other\n"
		   "  ^\n");
}

static void test_bad_directive_name(void **state)
{
	check_text("ward-profile 1\nNet host\n", 1,
		   "t.profile:2:1: error: unexpected character 'N' in a directive name\n"
		   "  Net host\n"
		   "  ^\n");
	check_text("ward-profile 1\nnet:host\n", 1,
		   "t.profile:2:4: error: unexpected character ':' in a directive name\n"
		   "  net:host\n"
		   "     ^\n");
}

static void test_bad_values(void **state)
{
	check_text("ward-profile 1\nnet bogus\n", 1,
		   "t.profile:2:5: error: --net: expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got 'bogus'\n"
		   "  net bogus\n"
		   "      ^\n");
	check_text("ward-profile 1\nnet=bogus\n", 1,
		   "t.profile:2:5: error: --net: expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got 'bogus'\n"
		   "  net=bogus\n"
		   "      ^\n");
	check_text("ward-profile 1\ncap-keep FOO\n", 1,
		   "t.profile:2:10: error: --cap-keep: unknown capability 'FOO'\n"
		   "  cap-keep FOO\n"
		   "           ^\n");
	/* Indentation moves the column with the value. */
	check_text("ward-profile 1\n  cap-keep    FOO\n", 1,
		   "t.profile:2:15: error: --cap-keep: unknown capability 'FOO'\n"
		   "    cap-keep    FOO\n"
		   "                ^\n");
	check_text("ward-profile 1\nrlimit nofile=abc\n", 1,
		   "t.profile:2:8: error: --rlimit nofile=abc: bad number\n"
		   "  rlimit nofile=abc\n"
		   "         ^\n");
	check_text("ward-profile 1\ninit maybe\n", 1,
		   "t.profile:2:6: error: --init: expected yes or no, got 'maybe'\n"
		   "  init maybe\n"
		   "       ^\n");
}

static void test_missing_values(void **state)
{
	/* The caret sits just past the directive name. */
	check_text("ward-profile 1\nnet\n", 1,
		   "t.profile:2:4: error: net needs a value\n"
		   "  net\n"
		   "     ^\n");
	check_text("ward-profile 1\ninclude\n", 1,
		   "t.profile:2:1: error: include needs a file name\n"
		   "  include\n"
		   "  ^\n");
}

/* A flag directive (verbose) takes no value: `verbose no` must not turn
 * narration on (the command line refuses --verbose=no too). */
static void test_flag_takes_no_value(void **state)
{
	check_text("ward-profile 1\nverbose no\n", 1,
		   "t.profile:2:9: error: verbose takes no value\n"
		   "  verbose no\n"
		   "          ^\n");
}

static void test_seccomp_directives(void **state)
{
	check_text("ward-profile 1\nseccomp-allow frobnicate\n", 1,
		   "t.profile:2:15: error: seccomp-allow: unknown syscall 'frobnicate'\n"
		   "  seccomp-allow frobnicate\n"
		   "                ^\n");
	check_text("ward-profile 1\nseccomp-deny execve\n", 1,
		   "t.profile:2:14: error: seccomp-deny: execve cannot be denied: ward loads the filter right before it executes the program\n"
		   "  seccomp-deny execve\n"
		   "               ^\n");
	/* Well-formed additions are accepted. */
	check_text("ward-profile 1\n"
		   "seccomp-deny chmod errno=EACCES\n"
		   "seccomp-allow @process\n"
		   "seccomp-log-only no\n",
		   0, "");
}

/* ---- includes ----------------------------------------------------------- */

static void test_include_found(void **state)
{
	static const struct stub_file files[] = {
		{"top", "/p/top.profile",
		 "ward-profile 1\ninclude base\nhostname top\n", 0, 7, 1, 0},
		{"base", "/p/base.profile",
		 "ward-profile 1\nnet host\ntmpfs /scratch\n", 0, 7, 2, 0},
	};
	struct parsed r;
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	parse_fs(&r, files, N_ELEMS(files), "top");
	expect_clean(&r);
	/* The opener was asked for the name as written, from the
	 * including file's path. */
	assert_int_equal(r.fs.ncalls, 1);
	assert_string_equal(r.fs.calls[0], "base<-/p/top.profile");
	plan = finish_ok(&r);
	assert_int_equal(plan->net, WARD_NET_HOST);
	assert_string_equal(plan->hostname, "top");
	assert_int_equal(plan->ntmpfs, 1);
	ward_plan_free(plan);
	parsed_free(&r);
}

static void test_include_missing(void **state)
{
	static const struct stub_file files[] = {
		{"top", "top.profile",
		 "ward-profile 1\ninclude nothere\ninclude? site.local\n", 0, 7, 1,
		 0},
	};
	struct parsed r;

	parse_fs(&r, files, N_ELEMS(files), "top");
	/* include: an error at the name; include?: fine. */
	expect_diag(&r, 1,
		    "top.profile:2:9: error: cannot include 'nothere': No such file or directory\n"
		    "  include nothere\n"
		    "          ^\n");
	assert_int_equal(r.fs.ncalls, 2);
	assert_string_equal(r.fs.calls[1], "site.local<-top.profile");
	parsed_free(&r);
}

/* include? forgives only a missing file, not one that cannot be read. */
static void test_include_unreadable(void **state)
{
	static const struct stub_file files[] = {
		{"top", "top.profile",
		 "ward-profile 1\ninclude? secret\n", 0, 7, 1, 0},
		{"secret", "secret.profile", "", 0, 7, 2, EACCES},
	};
	struct parsed r;

	parse_fs(&r, files, N_ELEMS(files), "top");
	expect_diag(&r, 1,
		    "top.profile:2:10: error: cannot include 'secret': Permission denied\n"
		    "  include? secret\n"
		    "           ^\n");
	parsed_free(&r);
}

static void test_include_cycle(void **state)
{
	static const struct stub_file ab[] = {
		{"a", "a.profile", "ward-profile 1\ninclude b\n", 0, 7, 1, 0},
		{"b", "b.profile", "ward-profile 1\nnet host\ninclude a\n", 0, 7, 2,
		 0},
	};
	static const struct stub_file self[] = {
		{"a", "a.profile", "ward-profile 1\n# me again\ninclude a\n", 0, 7,
		 1, 0},
	};
	/* Another name for the same file (a hard link): caught by identity. */
	static const struct stub_file alias[] = {
		{"a", "a.profile", "ward-profile 1\ninclude alias\n", 0, 7, 1, 0},
		{"alias", "alias.profile", "ward-profile 1\ninclude x\n", 0, 7, 1,
		 0},
	};
	struct parsed r;

	parse_fs(&r, ab, N_ELEMS(ab), "a");
	expect_diag(&r, 1,
		    "b.profile:3:9: error: include cycle: 'a.profile' includes itself\n"
		    "  include a\n"
		    "          ^\n");
	parsed_free(&r);

	parse_fs(&r, self, N_ELEMS(self), "a");
	expect_diag(&r, 1,
		    "a.profile:3:9: error: include cycle: 'a.profile' includes itself\n"
		    "  include a\n"
		    "          ^\n");
	parsed_free(&r);

	parse_fs(&r, alias, N_ELEMS(alias), "a");
	expect_diag(&r, 1,
		    "a.profile:2:9: error: include cycle: 'alias.profile' includes itself\n"
		    "  include alias\n"
		    "          ^\n");
	parsed_free(&r);
}

/* The same file included twice side by side is not a cycle. */
static void test_include_diamond(void **state)
{
	static const struct stub_file files[] = {
		{"top", "top.profile",
		 "ward-profile 1\ninclude left\ninclude right\n", 0, 7, 1, 0},
		{"left", "left.profile", "ward-profile 1\ninclude common\n", 0, 7, 2,
		 0},
		{"right", "right.profile", "ward-profile 1\ninclude common\n", 0, 7,
		 3, 0},
		{"common", "common.profile", "ward-profile 1\nhostname c\n", 0, 7, 4,
		 0},
	};
	struct parsed r;

	parse_fs(&r, files, N_ELEMS(files), "top");
	expect_clean(&r);
	assert_int_equal(r.fs.ncalls, 4);
	parsed_free(&r);
}

/* f0 includes f1 includes ... f(n-1); f0 is the top file. */
static void chain(struct stub_file *files, char names[][24], char paths[][32],
		  char texts[][64], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], 24, "f%zu", i);
		snprintf(paths[i], 32, "f%zu.profile", i);
		if (i + 1 < n)
			snprintf(texts[i], 64, "ward-profile 1\ninclude f%zu\n", i + 1);
		else
			snprintf(texts[i], 64, "ward-profile 1\nhostname deep\n");
		files[i] = (struct stub_file){names[i], paths[i], texts[i], 0, 9,
					      (ino_t)(100 + i), 0};
	}
}

static void test_include_depth(void **state)
{
	struct stub_file files[WARD_PROFILE_MAX_DEPTH + 2];
	char names[WARD_PROFILE_MAX_DEPTH + 2][24];
	char paths[WARD_PROFILE_MAX_DEPTH + 2][32];
	char texts[WARD_PROFILE_MAX_DEPTH + 2][64];
	struct parsed r;
	char want[256];

	assert_int_equal(WARD_PROFILE_MAX_DEPTH, 8);
	/* 8 files deep (the top file and 7 nested includes): fine. */
	chain(files, names, paths, texts, WARD_PROFILE_MAX_DEPTH);
	parse_fs(&r, files, WARD_PROFILE_MAX_DEPTH, "f0");
	expect_clean(&r);
	assert_string_equal(r.b->hostname, "deep");
	parsed_free(&r);

	/* 9 nested includes (10 files): refused where the 9th file would be
	 * included, in the 8th. */
	chain(files, names, paths, texts, WARD_PROFILE_MAX_DEPTH + 2);
	parse_fs(&r, files, WARD_PROFILE_MAX_DEPTH + 2, "f0");
	snprintf(want, sizeof(want),
		 "f7.profile:2:9: error: includes nested deeper than 8\n"
		 "  include f8\n"
		 "          ^\n");
	expect_diag(&r, 1, want);
	assert_null(r.b->hostname);
	/* f8 was never opened. */
	assert_int_equal(r.fs.ncalls, 7);
	parsed_free(&r);
}

static void test_no_opener(void **state)
{
	static const char text[] = "ward-profile 1\ninclude x\n";
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_profile_parser *p;
	char *diag = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&diag, &len);

	assert_non_null(b);
	assert_non_null(f);
	p = ward_profile_parser_new(b, f, NULL, NULL);
	assert_non_null(p);
	assert_int_equal(ward_profile_parse_buffer(p, "t.profile", text,
						   sizeof(text) - 1), 1);
	ward_profile_parser_free(p);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(diag,
			    "t.profile:2:9: error: includes are not available here\n"
			    "  include x\n"
			    "          ^\n");
	free(diag);
	ward_plan_builder_free(b);
}

/* ---- bytes -------------------------------------------------------------- */

static void test_long_line(void **state)
{
	size_t n = 15 + WARD_PROFILE_MAX_LINE + 1 + 9;
	char *text = malloc(n + 1), *want = malloc(600);
	struct parsed r;
	int w;

	assert_non_null(text);
	assert_non_null(want);
	/* Exactly 4096 bytes: fine. */
	memcpy(text, "ward-profile 1\n", 15);
	text[15] = '#';
	memset(text + 16, 'x', WARD_PROFILE_MAX_LINE - 1);
	memcpy(text + 15 + WARD_PROFILE_MAX_LINE, "\nnet host\n", 10);
	parse_text(&r, text, 15 + WARD_PROFILE_MAX_LINE + 10);
	expect_clean(&r);
	parsed_free(&r);

	/* 4097 bytes: refused at column 4097; the source is shown cut to
	 * 200 bytes with the caret just past it. */
	memset(text + 16, 'x', WARD_PROFILE_MAX_LINE);
	memcpy(text + 16 + WARD_PROFILE_MAX_LINE, "\nnet bogus", 10);
	parse_text(&r, text, 16 + WARD_PROFILE_MAX_LINE + 10);
	w = snprintf(want, 600,
		     "t.profile:2:4097: error: line longer than 4096 bytes\n"
		     "  #%.199s\n"
		     "  %200s^\n"
		     "t.profile:3:5: error: --net: expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got 'bogus'\n"
		     "  net bogus\n"
		     "      ^\n",
		     text + 16, "");
	assert_true(w > 0 && w < 600);
	/* and parsing went on: the next line's error is there too */
	expect_diag(&r, 2, want);
	parsed_free(&r);
	free(text);
	free(want);
}

static void test_nul_byte(void **state)
{
	static const char text[] = "ward-profile 1\nnet\0host\nhostname h\n";
	struct parsed r;

	parse_text(&r, text, sizeof(text) - 1);
	/* The line is shown up to the NUL. */
	expect_diag(&r, 1,
		    "t.profile:2:1: error: NUL byte in line\n"
		    "  net\n"
		    "  ^\n");
	/* The line was not applied; the next one was. */
	assert_false(r.b->net_set);
	assert_string_equal(r.b->hostname, "h");
	parsed_free(&r);
}

/* CRLF line endings parse as LF ones. */
static void test_crlf(void **state)
{
	struct parsed r;
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	parse_text(&r, "ward-profile 1\r\n# comment\r\nnet host\r\nhostname=web\r\n"
		       "tmpfs /scratch:size=1M\r\n\r\n", 0);
	expect_clean(&r);
	plan = finish_ok(&r);
	assert_int_equal(plan->net, WARD_NET_HOST);
	assert_string_equal(plan->hostname, "web");
	assert_int_equal(plan->tmpfs[0].size, 1024 * 1024);
	ward_plan_free(plan);
	parsed_free(&r);
}

/* An error in a CRLF file points at the same place as in an LF one. */
static void test_crlf_error(void **state)
{
	struct parsed r;
	char *nl;

	parse_text(&r, "ward-profile 1\r\nnet bogus\r\n", 0);
	assert_int_equal(r.errors, 1);
	nl = strchr(r.diag, '\n');
	assert_non_null(nl);
	assert_int_equal(strncmp(r.diag,
				 "t.profile:2:5: error: --net: expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got 'bogus'\n",
				 (size_t)(nl - r.diag) + 1), 0);
	/* the source line (a trailing CR is tolerated) and the caret */
	assert_true(strcmp(nl + 1, "  net bogus\n      ^\n") == 0 ||
		    strcmp(nl + 1, "  net bogus\r\n      ^\n") == 0);
	parsed_free(&r);
}

/* ---- redefinitions ------------------------------------------------------ */

static void test_redefinition_same_file(void **state)
{
	check_text("ward-profile 1\nhostname a\nhostname b\n", 1,
		   "t.profile:3:10: error: 'hostname' redefined as 'b' in the same file (first set to 'a' at t.profile:2:10)\n"
		   "  hostname b\n"
		   "           ^\n");
	/* The same value twice is fine. */
	check_text("ward-profile 1\nnet host\nnet host\n", 0, "");
	/* List keys append. */
	check_text("ward-profile 1\nenv A=1\nenv A=2\ntmpfs /a\ntmpfs /b\n", 0, "");
}

/* The rule is per file: an include between the two lines does not make
 * the second one legal. */
static void test_redefinition_same_file_around_include(void **state)
{
	static const struct stub_file files[] = {
		{"top", "top.profile",
		 "ward-profile 1\nhostname a\ninclude mid\nhostname c\n", 0, 7, 1, 0},
		{"mid", "mid.profile", "ward-profile 1\nhostname b\n", 0, 7, 2, 0},
	};
	struct parsed r;

	parse_fs(&r, files, N_ELEMS(files), "top");
	assert_int_equal(r.errors, 1);
	if (!strstr(r.diag, "top.profile:4:10: error: 'hostname' redefined as 'c' in the same file"))
		fail_msg("expected a redefinition error at top.profile:4:10, got:\n%s",
			 r.diag);
	parsed_free(&r);
}

static void test_redefinition_across_files(void **state)
{
	/* The including file overrides what it includes... */
	static const struct stub_file over[] = {
		{"top", "top.profile",
		 "ward-profile 1\ninclude base\nnet host\nhostname top\n", 0, 7, 1,
		 0},
		{"base", "base.profile",
		 "ward-profile 1\nnet loopback\nhostname base\n", 0, 7, 2, 0},
	};
	/* ...and a .local included at the end overrides the file. */
	static const struct stub_file local[] = {
		{"top", "top.profile",
		 "ward-profile 1\nnet host\nhostname top\ninclude? top.local\n", 0, 7,
		 1, 0},
		{"top.local", "top.local",
		 "ward-profile 1\nnet none\n", 0, 7, 2, 0},
	};
	struct parsed r;
	struct ward_plan *plan;

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	parse_fs(&r, over, N_ELEMS(over), "top");
	expect_clean(&r);
	plan = finish_ok(&r);
	assert_int_equal(plan->net, WARD_NET_HOST);
	assert_string_equal(plan->hostname, "top");
	ward_plan_free(plan);
	parsed_free(&r);

	parse_fs(&r, local, N_ELEMS(local), "top");
	expect_clean(&r);
	plan = finish_ok(&r);
	assert_int_equal(plan->net, WARD_NET_NONE);
	assert_string_equal(plan->hostname, "top");
	ward_plan_free(plan);
	parsed_free(&r);
}

/* ---- engine sockets ----------------------------------------------------- */

static void test_allow_engine_socket(void **state)
{
	struct ward_plan_builder *b;
	struct ward_err err = {0};
	struct parsed r;

	parse_text(&r, "ward-profile 1\nallow-engine-socket docker\n", 0);
	expect_clean(&r);
	assert_int_equal(r.b->allow_engines, 1u << WARD_ENGINE_DOCKER);
	parsed_free(&r);

	check_text("ward-profile 1\nallow-engine-socket lxd\n", 1,
		   "t.profile:2:21: error: allow-engine-socket: unknown engine 'lxd' (docker, containerd, podman, crio, buildkit)\n"
		   "  allow-engine-socket lxd\n"
		   "                      ^\n");

	/* Never from the command line, by either road. */
	b = ward_plan_builder_new();
	assert_non_null(b);
	assert_int_equal(ward_plan_apply(b, "allow-engine-socket", "docker", NULL,
					 &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_USAGE);
	assert_non_null(strstr(err.msg, "only in a profile"));
	assert_int_equal(b->allow_engines, 0);
	ward_plan_builder_free(b);
	{
		char *argv[] = {"--allow-engine-socket", "docker", "--", "/bin/true",
				NULL};

		b = ward_plan_builder_new();
		memset(&err, 0, sizeof(err));
		assert_int_equal(ward_cli_parse_run(4, argv, b, &err), -EINVAL);
		assert_int_equal(err.step, WARD_STEP_USAGE);
		assert_non_null(strstr(err.msg, "only in a profile"));
		assert_int_equal(b->allow_engines, 0);
		ward_plan_builder_free(b);
	}
}

/* ---- all errors are collected ------------------------------------------ */

static void test_errors_collected(void **state)
{
	check_text("ward-profile 1\n"
		   "net bogus\n"
		   "hostname ok\n"
		   "frobnicate\n"
		   "cap-keep FOO\n",
		   3,
		   "t.profile:2:5: error: --net: expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got 'bogus'\n"
		   "  net bogus\n"
		   "      ^\n"
		   "t.profile:4:1: error: unknown directive 'frobnicate'\n"
		   "  frobnicate\n"
		   "  ^\n"
		   "t.profile:5:10: error: --cap-keep: unknown capability 'FOO'\n"
		   "  cap-keep FOO\n"
		   "           ^\n");
}

/* Errors in an included file are reported with that file's name, and
 * count with the includer's. */
static void test_errors_across_includes(void **state)
{
	static const struct stub_file files[] = {
		{"top", "top.profile",
		 "ward-profile 1\ninclude bad\nnet bogus\n", 0, 7, 1, 0},
		{"bad", "/etc/ward/profiles/bad.profile",
		 "ward-profile 1\nfrobnicate\n", 0, 7, 2, 0},
	};
	struct parsed r;

	parse_fs(&r, files, N_ELEMS(files), "top");
	expect_diag(&r, 2,
		    "/etc/ward/profiles/bad.profile:2:1: error: unknown directive 'frobnicate'\n"
		    "  frobnicate\n"
		    "  ^\n"
		    "top.profile:3:5: error: --net: expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got 'bogus'\n"
		    "  net bogus\n"
		    "      ^\n");
	parsed_free(&r);
}

/* Past WARD_PROFILE_MAX_ERRORS the errors are counted but not printed. */
static void test_error_cap(void **state)
{
	char text[1024];
	size_t n = 0;
	struct parsed r;
	size_t lines = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "ward-profile 1\n");
	for (int i = 0; i < WARD_PROFILE_MAX_ERRORS + 5; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "bogus%d\n", i);
	assert_true(n < sizeof(text));
	parse_text(&r, text, n);
	assert_int_equal(r.errors, WARD_PROFILE_MAX_ERRORS + 5);
	for (const char *p = r.diag; (p = strstr(p, ": error: ")); p++)
		lines++;
	assert_int_equal(lines, WARD_PROFILE_MAX_ERRORS);
	assert_non_null(strstr(r.diag, "t.profile:21:1: error: unknown directive 'bogus19'\n"));
	assert_null(strstr(r.diag, "bogus20"));
	parsed_free(&r);
}

/* ---- the command line over a real profile file ------------------------- */

struct tmp_profiles {
	char dir[64];
	char top[96];
	char inc[96];
	char fifo[96];
};

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

static int profiles_setup(void **state)
{
	struct tmp_profiles *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	strcpy(t->dir, "/tmp/ward-test-profile-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->top, sizeof(t->top), "%s/app.profile", t->dir);
	snprintf(t->inc, sizeof(t->inc), "%s/base.profile", t->dir);
	snprintf(t->fifo, sizeof(t->fifo), "%s/fifo.profile", t->dir);
	write_file(t->inc, "ward-profile 1\nhostname base\nbind /usr/lib:/b\n",
		   0644);
	write_file(t->top,
		   "ward-profile 1\n"
		   "include base.profile\n"
		   "net loopback\n"
		   "bind /usr/share:/a\n"
		   "tmpfs /scratch\n",
		   0644);
	*state = t;
	return 0;
}

static int profiles_teardown(void **state)
{
	struct tmp_profiles *t = *state;

	alarm(0);
	unlink(t->top);
	unlink(t->inc);
	unlink(t->fifo);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* The plan borrows argv (ward_plan_set_argv does not copy it), so it
 * lives in static storage until the next call. */
static int cli(struct ward_plan_builder *b, struct ward_err *err, ...)
{
	static char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	return ward_cli_parse_run(argc, argv, b, err);
}

static void test_cli_overrides_profile(void **state)
{
	struct tmp_profiles *t = *state;
	struct ward_plan_builder *b;
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_PLAN);
	b = ward_plan_builder_new();
	assert_non_null(b);
	if (cli(b, &err, "--net", "host", "--profile", t->top, "--bind",
		"/usr/include:/c", "--hostname=cli", "--", "/bin/true", NULL) < 0) {
		ward_plan_builder_free(b);
		fail_msg("cli refused: step %d: %s", err.step, err.msg);
	}
	if (ward_plan_finish(b, &plan, &err) < 0) {
		ward_plan_builder_free(b);
		fail_msg("plan refused: step %d: %s", err.step, err.msg);
	}
	/* Scalars: the command line wins, wherever it was written. */
	assert_int_equal(plan->net, WARD_NET_HOST);
	assert_string_equal(plan->hostname, "cli");
	/* Lists accumulate: the profile's (include first), then the
	 * command line's. */
	assert_int_equal(plan->nbinds, 3);
	assert_string_equal(plan->binds[0].dst, "/b");
	assert_string_equal(plan->binds[1].dst, "/a");
	assert_string_equal(plan->binds[2].dst, "/c");
	assert_int_equal(plan->ntmpfs, 1);
	assert_string_equal(plan->argv[0], "/bin/true");
	ward_plan_free(plan);
	ward_plan_builder_free(b);

	/* Without command-line overrides the profile's values stand. */
	b = ward_plan_builder_new();
	assert_int_equal(cli(b, &err, "--profile", t->top, "/bin/true", NULL), 0);
	assert_int_equal(ward_plan_finish(b, &plan, &err), 0);
	assert_int_equal(plan->net, WARD_NET_LOOPBACK);
	assert_string_equal(plan->hostname, "base");
	assert_int_equal(plan->nbinds, 2);
	ward_plan_free(plan);
	ward_plan_builder_free(b);

	/* --profile twice is refused. */
	b = ward_plan_builder_new();
	assert_int_equal(cli(b, &err, "--profile", t->top, "--profile", t->inc,
			     "/bin/true", NULL), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_USAGE);
	ward_plan_builder_free(b);
}

/* Run @fn with stderr captured into a malloc'd string. */
static char *capture_stderr(int (*fn)(void *), void *arg, int *ret)
{
	char path[] = "/tmp/ward-test-stderr-XXXXXX";
	int fd = mkstemp(path), saved;
	char *buf = calloc(1, 8192);

	assert_true(fd >= 0);
	assert_non_null(buf);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	*ret = fn(arg);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	assert_true(pread(fd, buf, 8191, 0) >= 0);
	close(fd);
	unlink(path);
	return buf;
}

struct cli_call {
	const char *profile;
	struct ward_err err;
};

static int run_cli_profile(void *arg)
{
	struct cli_call *c = arg;
	struct ward_plan_builder *b = ward_plan_builder_new();
	int r = cli(b, &c->err, "--profile", c->profile, "/bin/true", NULL);

	ward_plan_builder_free(b);
	return r;
}

/* A profile with errors refuses the launch and prints them all. */
static void test_cli_profile_errors(void **state)
{
	struct tmp_profiles *t = *state;
	struct cli_call c = {.profile = t->top};
	char want[512], *out;
	int r;

	write_file(t->top, "ward-profile 1\nnet bogus\nfrobnicate\n", 0644);
	out = capture_stderr(run_cli_profile, &c, &r);
	assert_int_equal(r, -EINVAL);
	assert_int_equal(c.err.step, WARD_STEP_PROFILE);
	snprintf(want, sizeof(want), "%s: 2 errors; nothing was started", t->top);
	assert_string_equal(c.err.msg, want);
	snprintf(want, sizeof(want),
		 "%s:2:5: error: --net: expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got 'bogus'\n"
		 "  net bogus\n"
		 "      ^\n"
		 "%s:3:1: error: unknown directive 'frobnicate'\n"
		 "  frobnicate\n"
		 "  ^\n",
		 t->top, t->top);
	assert_string_equal(out, want);
	free(out);
}

/* As root, a profile anyone but root could write is refused. */
static void test_cli_profile_trust(void **state)
{
	struct tmp_profiles *t = *state;
	struct cli_call c = {.profile = t->top};
	char *out;
	int r;

	assert_int_equal(chmod(t->top, 0664), 0);
	out = capture_stderr(run_cli_profile, &c, &r);
	free(out);
	if (geteuid() == 0) {
		assert_int_equal(r, -EPERM);
		assert_int_equal(c.err.step, WARD_STEP_PROFILE);
		assert_non_null(strstr(c.err.msg, "must be owned by root"));
		/* An included file is held to the same rule. */
		assert_int_equal(chmod(t->top, 0644), 0);
		assert_int_equal(chmod(t->inc, 0666), 0);
		memset(&c.err, 0, sizeof(c.err));
		out = capture_stderr(run_cli_profile, &c, &r);
		assert_int_equal(r, -EINVAL);
		assert_int_equal(c.err.step, WARD_STEP_PROFILE);
		assert_non_null(strstr(out, "cannot include 'base.profile': as root, a profile must be owned by root"));
		free(out);
		/* Owned by another user. */
		assert_int_equal(chmod(t->inc, 0644), 0);
		assert_int_equal(chown(t->top, 65534, 65534), 0);
		memset(&c.err, 0, sizeof(c.err));
		out = capture_stderr(run_cli_profile, &c, &r);
		free(out);
		assert_int_equal(r, -EPERM);
		assert_int_equal(chown(t->top, 0, 0), 0);
	} else {
		/* The rule is root's: another caller's own files are fine. */
		assert_int_equal(r, 0);
	}
}

/* A profile that is not a regular file is refused before it is opened
 * for reading: a FIFO would block that open forever (the alarm makes a
 * regression fail instead of hang), a device's open can have effects. */
static void test_cli_profile_not_regular(void **state)
{
	struct tmp_profiles *t = *state;
	struct cli_call c = {.profile = t->fifo};
	char want[512], *out;
	int r;

	assert_int_equal(mkfifo(t->fifo, 0644), 0);
	alarm(10);
	out = capture_stderr(run_cli_profile, &c, &r);
	free(out);
	assert_int_equal(r, -EINVAL);
	assert_int_equal(c.err.step, WARD_STEP_PROFILE);
	snprintf(want, sizeof(want), "%s is a FIFO, not a regular file", t->fifo);
	assert_string_equal(c.err.msg, want);

	/* Through an include: the including file's line says so. */
	write_file(t->top, "ward-profile 1\ninclude fifo.profile\n", 0644);
	c.profile = t->top;
	memset(&c.err, 0, sizeof(c.err));
	out = capture_stderr(run_cli_profile, &c, &r);
	alarm(0);
	assert_int_equal(r, -EINVAL);
	snprintf(want, sizeof(want),
		 "%s:2:9: error: cannot include 'fifo.profile': %s is a FIFO, not a regular file\n"
		 "  include fifo.profile\n"
		 "          ^\n",
		 t->top, t->fifo);
	assert_string_equal(out, want);
	free(out);

	/* A character device. */
	c.profile = "/dev/null";
	memset(&c.err, 0, sizeof(c.err));
	out = capture_stderr(run_cli_profile, &c, &r);
	free(out);
	assert_int_equal(r, -EINVAL);
	assert_string_equal(c.err.msg,
			    "/dev/null is a character device, not a regular file");
}

/* ---- root's trusted places --------------------------------------------- */

static void test_owner_trusted(void **state)
{
	struct stat st = {.st_uid = 0, .st_mode = S_IFDIR | 0755};
	char why[128] = "";

	assert_true(ward_profile_owner_trusted(&st, "/etc", why, sizeof(why)));
	assert_string_equal(why, "");
	st.st_mode = S_IFDIR | 01777;
	assert_false(ward_profile_owner_trusted(&st, "/tmp", why, sizeof(why)));
	assert_string_equal(why, "/tmp is writable by others");
	st.st_mode = S_IFDIR | 0775;
	assert_false(ward_profile_owner_trusted(&st, "/srv/p", why, sizeof(why)));
	assert_string_equal(why, "/srv/p is writable by its group");
	st.st_mode = S_IFREG | 0644;
	st.st_uid = 1000;
	assert_false(ward_profile_owner_trusted(&st, "/home/u", why, sizeof(why)));
	assert_string_equal(why, "/home/u is owned by uid 1000");
	/* Read and execute bits for group and others are fine. */
	st.st_uid = 0;
	st.st_mode = S_IFREG | 0555;
	assert_true(ward_profile_owner_trusted(&st, "/x", why, sizeof(why)));
}

struct walk_tree {
	char dir[64];
	char path[160];
	int fd;
};

static const char *tree_path(struct walk_tree *t, const char *rel)
{
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, rel);
	return t->path;
}

/* T/a/b, T/a/f (a file), T/a/l -> b; T opened O_PATH. */
static int walk_setup(void **state)
{
	struct walk_tree *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	strcpy(t->dir, "/tmp/ward-test-walk-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	assert_int_equal(chmod(t->dir, 0755), 0);
	assert_int_equal(mkdir(tree_path(t, "a"), 0755), 0);
	assert_int_equal(mkdir(tree_path(t, "a/b"), 0755), 0);
	write_file(tree_path(t, "a/f"), "", 0644);
	assert_int_equal(symlink("b", tree_path(t, "a/l")), 0);
	t->fd = open(t->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(t->fd >= 0);
	*state = t;
	return 0;
}

static int walk_teardown(void **state)
{
	struct walk_tree *t = *state;

	close(t->fd);
	unlink(tree_path(t, "a/l"));
	unlink(tree_path(t, "a/f"));
	rmdir(tree_path(t, "a/b"));
	rmdir(tree_path(t, "a"));
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Walk @rel below the tree and expect @want, and @why when it fails. */
static void expect_walk(struct walk_tree *t, const char *rel, int want,
			const char *why)
{
	char got[WARD_PROFILE_WHY_MAX] = "";
	int fd = -1, r = ward_profile_walk_at(t->fd, "T", rel, &fd, got, sizeof(got));

	if (r != want || (why && strcmp(got, why) != 0))
		fail_msg("walk '%s': expected %d (%s), got %d (%s)", rel, want,
			 why ? why : "", r, got);
	if (r == 0) {
		struct stat st, want_st;

		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(stat(tree_path(t, rel), &want_st), 0);
		assert_true(st.st_ino == want_st.st_ino);
		close(fd);
	} else {
		assert_int_equal(fd, -1);
	}
}

/* The walk from a directory fd down, as root checks the search path. */
static void test_walk_trust(void **state)
{
	struct walk_tree *t = *state;
	char why[64];

	if (geteuid() != 0) {
		/* Another caller's own directories are not root's. */
		snprintf(why, sizeof(why), "T is owned by uid %u", (unsigned)geteuid());
		expect_walk(t, "a/b", -EPERM, why);
		return;
	}
	expect_walk(t, "a/b", 0, NULL);
	expect_walk(t, "./a//b/", 0, NULL);
	expect_walk(t, "", 0, NULL);
	expect_walk(t, "a/missing", -ENOENT, NULL);
	expect_walk(t, "a/f", -ENOTDIR, NULL);
	expect_walk(t, "a/l", -EPERM, "T/a/l is a symlink");
	assert_int_equal(chmod(tree_path(t, "a"), 0775), 0);
	expect_walk(t, "a/b", -EPERM, "T/a is writable by its group");
	/* Even when the walk ends at the untrusted directory itself. */
	expect_walk(t, "a", -EPERM, "T/a is writable by its group");
	assert_int_equal(chmod(tree_path(t, "a"), 01757), 0);
	expect_walk(t, "a/b", -EPERM, "T/a is writable by others");
	assert_int_equal(chmod(tree_path(t, "a"), 0755), 0);
	assert_int_equal(chown(tree_path(t, "a/b"), 2345, 2345), 0);
	expect_walk(t, "a/b", -EPERM, "T/a/b is owned by uid 2345");
	expect_walk(t, "a", 0, NULL);
	assert_int_equal(chmod(t->dir, 0775), 0);
	expect_walk(t, "a", -EPERM, "T is writable by its group");
}

/* As root, ./profiles is used only if every directory from / down is
 * root's alone; skipped, it is reported once.  Other callers use it. */
static void test_search_path_cwd(void **state)
{
	struct walk_tree *t = *state;
	char name[64], path[256], cwd[PATH_MAX], want[PATH_MAX + 64], *out;
	struct cli_call c = {.profile = name};
	int here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), r;

	assert_true(here >= 0);
	snprintf(name, sizeof(name), "ward-unit-%d", (int)getpid());
	assert_int_equal(mkdir(tree_path(t, "profiles"), 0755), 0);
	snprintf(path, sizeof(path), "%s/profiles/%s.profile", t->dir, name);
	write_file(path, "ward-profile 1\nhostname from-cwd\n", 0644);
	/* Untrusted whatever /tmp is: a directory on the way is group-writable. */
	assert_int_equal(chmod(t->dir, 0775), 0);
	assert_int_equal(chdir(t->dir), 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	out = capture_stderr(run_cli_profile, &c, &r);
	assert_int_equal(fchdir(here), 0);
	close(here);
	unlink(path);
	rmdir(tree_path(t, "profiles"));
	if (geteuid() == 0) {
		assert_int_equal(r, -ENOENT);
		snprintf(want, sizeof(want), "ward: profiles: skipping %s/profiles: ", cwd);
		if (strncmp(out, want, strlen(want)) != 0 ||
		    strchr(out, '\n') != out + strlen(out) - 1)
			fail_msg("expected one line starting '%s', got '%s'", want, out);
	} else {
		assert_int_equal(r, 0);
		assert_string_equal(out, "");
	}
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_version_missing),
		cmocka_unit_test(test_version_wrong),
		cmocka_unit_test(test_empty_profile),
		cmocka_unit_test(test_unknown_directive),
		cmocka_unit_test(test_bad_directive_name),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_missing_values),
		cmocka_unit_test(test_flag_takes_no_value),
		cmocka_unit_test(test_seccomp_directives),
		cmocka_unit_test(test_include_found),
		cmocka_unit_test(test_include_missing),
		cmocka_unit_test(test_include_unreadable),
		cmocka_unit_test(test_include_cycle),
		cmocka_unit_test(test_include_diamond),
		cmocka_unit_test(test_include_depth),
		cmocka_unit_test(test_no_opener),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_crlf_error),
		cmocka_unit_test(test_redefinition_same_file),
		cmocka_unit_test(test_redefinition_same_file_around_include),
		cmocka_unit_test(test_redefinition_across_files),
		cmocka_unit_test(test_allow_engine_socket),
		cmocka_unit_test(test_errors_collected),
		cmocka_unit_test(test_errors_across_includes),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test_setup_teardown(test_cli_overrides_profile,
						profiles_setup, profiles_teardown),
		cmocka_unit_test_setup_teardown(test_cli_profile_errors,
						profiles_setup, profiles_teardown),
		cmocka_unit_test_setup_teardown(test_cli_profile_trust,
						profiles_setup, profiles_teardown),
		cmocka_unit_test_setup_teardown(test_cli_profile_not_regular,
						profiles_setup, profiles_teardown),
		cmocka_unit_test(test_owner_trusted),
		cmocka_unit_test_setup_teardown(test_walk_trust, walk_setup,
						walk_teardown),
		cmocka_unit_test_setup_teardown(test_search_path_cwd, walk_setup,
						walk_teardown),
	};

	return cmocka_run_group_tests_name("profile", tests, NULL, NULL);
}
