/* Fuzz the profile parser: arbitrary bytes as a profile, with includes
 * served from memory (no filesystem).
 *
 * Input: up to 8 sections separated by a line "%%" ("\n%%\n").  Section
 * 0 is the top file ("top.profile"); the stub opener answers includes:
 *
 *   "0".."7", "fN"         section N (0 = the top file again: a cycle)
 *   "default.profile", "default"   section 1 (the shipped profiles'
 *                          include, so their texts make good seeds)
 *   "self"                 section 1 under the top file's identity (a
 *                          hard link: a cycle by identity, not by name)
 *   "eacces"               fails with EACCES
 *   anything else          ENOENT (include? NAME.local is fine)
 *
 * A section N that does not exist is ENOENT too.  Section N has
 * identity (dev 1, ino 100 + N) and the path "sN.profile".
 *
 * Checked beyond not crashing: the error count the parser returns is the
 * builder's, no error is reported without a diagnostic and vice versa;
 * the diagnostics are exactly min(errors, WARD_PROFILE_MAX_ERRORS)
 * triples of "PATH:LINE:COL: error: MESSAGE", "  SOURCE" and "  ...^"
 * (each followed by at most one "  hint: ADVICE" line), where PATH is a section's, LINE is within that section and COL is
 * within 1..WARD_PROFILE_MAX_LINE+1; allow-engine-socket never sets a
 * bit outside the known engines.
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 tests/fuzz/fuzz_profile.c <every src file but main.c> \
 *                 -lcap-ng -lseccomp -lmnl
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/dockersock.h"
#include "plan/plan.h"
#include "plan/builder.h"
#include "plan/profile.h"

#define FUZZ_NAME "fuzz_profile"
#define MAX_SECTIONS 8
#define MAX_INPUT (256u * 1024)
#define SEP "\n%%\n"
#define SEP_LEN 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct section {
	const char *text;
	size_t len;
	unsigned lines; /* how many lines the parser will number */
	char path[16];
};

struct fuzz_fs {
	struct section s[MAX_SECTIONS];
	size_t n;
};

static const char *memmem_sep(const char *p, size_t len)
{
	return memmem(p, len, SEP, SEP_LEN);
}

/* The parser numbers a line for every '\n' and one more for trailing
 * bytes after the last one; an empty file is reported at line 1. */
static unsigned count_lines(const char *t, size_t len)
{
	unsigned n = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(t + pos, '\n', len - pos);

		n++;
		if (!nl)
			break;
		pos = (size_t)(nl - t) + 1;
	}
	return n ? n : 1;
}

static void split(struct fuzz_fs *fs, const char *data, size_t size)
{
	size_t pos = 0;

	fs->n = 0;
	while (fs->n < MAX_SECTIONS) {
		struct section *s = &fs->s[fs->n];
		const char *sep = fs->n + 1 < MAX_SECTIONS ?
				  memmem_sep(data + pos, size - pos) : NULL;

		s->text = data + pos;
		s->len = sep ? (size_t)(sep - (data + pos)) : size - pos;
		s->lines = count_lines(s->text, s->len);
		snprintf(s->path, sizeof(s->path), "s%zu.profile", fs->n);
		fs->n++;
		if (!sep)
			break;
		pos = (size_t)(sep - data) + SEP_LEN;
	}
}

static int section_of(const char *name)
{
	if (name[0] >= '0' && name[0] <= '7' && name[1] == '\0')
		return name[0] - '0';
	if (name[0] == 'f' && name[1] >= '0' && name[1] <= '7' && name[2] == '\0')
		return name[1] - '0';
	if (strcmp(name, "default.profile") == 0 || strcmp(name, "default") == 0)
		return 1;
	return -1;
}

static int fuzz_open(void *ctx, const char *name, const char *from_file,
		     char **path, char **buf, size_t *len, dev_t *dev,
		     ino_t *ino)
{
	const struct fuzz_fs *fs = ctx;
	const struct section *s;
	int i = section_of(name);
	bool alias = false;

	if (!name || !from_file)
		abort();
	if (strcmp(name, "eacces") == 0)
		return -EACCES;
	if (strcmp(name, "self") == 0) {
		i = 1;
		alias = true;
	}
	if (i < 0 || (size_t)i >= fs->n)
		return -ENOENT;
	s = &fs->s[i];
	*buf = malloc(s->len + 1);
	*path = strdup(s->path);
	if (!*buf || !*path) {
		free(*buf);
		free(*path);
		return -ENOMEM;
	}
	memcpy(*buf, s->text, s->len);
	(*buf)[s->len] = '\0';
	*len = s->len;
	*dev = 1;
	*ino = alias ? 100 : (ino_t)(100 + i);
	return 0;
}

/* Parse "PATH:LINE:COL: error: " at @line; false when malformed. */
static bool check_error_line(const struct fuzz_fs *fs, const char *line,
			     size_t len)
{
	static const char tag[] = ": error: ";
	const struct section *s = NULL;
	unsigned long lineno, col;
	const char *p;
	char *end;

	for (size_t i = 0; i < fs->n && !s; i++) {
		size_t pl = strlen(fs->s[i].path);

		if (len > pl && memcmp(line, fs->s[i].path, pl) == 0 &&
		    line[pl] == ':')
			s = &fs->s[i];
	}
	if (!s)
		return false;
	p = line + strlen(s->path) + 1;
	lineno = strtoul(p, &end, 10);
	if (end == p || *end != ':' || lineno < 1 || lineno > s->lines)
		return false;
	p = end + 1;
	col = strtoul(p, &end, 10);
	if (end == p || col < 1 || col > WARD_PROFILE_MAX_LINE + 1)
		return false;
	return (size_t)(line + len - end) >= sizeof(tag) - 1 &&
	       memcmp(end, tag, sizeof(tag) - 1) == 0;
}

/* The diagnostics: exactly @expect triples. */
static void check_diag(const struct fuzz_fs *fs, const char *diag,
		       size_t len, int expect)
{
	const char *p = diag, *end = diag + len;
	int triples = 0;

	while (p < end) {
		const char *l[3];
		size_t n[3];

		for (int i = 0; i < 3; i++) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			if (!nl)
				abort(); /* every diagnostic line ends in \n */
			l[i] = p;
			n[i] = (size_t)(nl - p);
			p = nl + 1;
		}
		if (!check_error_line(fs, l[0], n[0]))
			abort();
		if (n[1] < 2 || memcmp(l[1], "  ", 2) != 0)
			abort();
		if (n[2] < 3 || memcmp(l[2], "  ", 2) != 0 || l[2][n[2] - 1] != '^')
			abort();
		for (size_t i = 2; i + 1 < n[2]; i++)
			if (l[2][i] != ' ' && l[2][i] != '\t')
				abort();
		/* advice, when there is some: one "  hint: " line */
		if (p < end && (size_t)(end - p) > 8 && memcmp(p, "  hint: ", 8) == 0) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			if (!nl || nl == p + 8)
				abort();
			p = nl + 1;
		}
		triples++;
	}
	if (triples != expect)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ward_plan_builder *b;
	struct ward_profile_parser *p;
	struct fuzz_fs fs;
	char *diag = NULL;
	size_t diag_len = 0;
	FILE *f;
	int errors;

	if (size > MAX_INPUT)
		return 0;
	split(&fs, (const char *)data, size);
	b = ward_plan_builder_new();
	f = open_memstream(&diag, &diag_len);
	if (!b || !f)
		abort();
	p = ward_profile_parser_new(b, f, fuzz_open, &fs);
	if (!p)
		abort();
	errors = ward_profile_parse_top(p, fs.s[0].path, fs.s[0].text,
					fs.s[0].len, 1, 100);
	if (errors != ward_profile_error_count(p) || errors < 0)
		abort();
	ward_profile_parser_free(p);
	if (fclose(f) != 0)
		abort();
	if ((errors == 0) != (diag_len == 0))
		abort();
	check_diag(&fs, diag, diag_len,
		   errors < WARD_PROFILE_MAX_ERRORS ? errors : WARD_PROFILE_MAX_ERRORS);
	if (b->allow_engines & ~((1u << WARD_ENGINE_EXTRA) - 1))
		abort();
	if (b->nbinds > WARD_MAX_BINDS || b->ntmpfs > WARD_MAX_TMPFS ||
	    b->nenv > WARD_MAX_ENV || b->nrlimits > WARD_MAX_RLIMITS ||
	    b->nengine_extra > 16 || b->nseccomp_lines > 64)
		abort();
	free(diag);
	ward_plan_builder_free(b);
	return 0;
}

#include "replay.h"
