/* The profile parser: lines → directives, with includes and diagnostics. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/errs.h"
#include "plan/builder.h"
#include "plan/directives.h"
#include "plan/profile.h"

#define VERSION_KEY "ward-profile"

struct include_frame {
	dev_t dev;
	ino_t ino;
};

struct ward_profile_parser {
	struct ward_plan_builder *b;
	FILE *diag;
	ward_profile_open_fn open_fn;
	void *open_ctx;
	int errors;
	unsigned depth;
	struct include_frame stack[WARD_PROFILE_MAX_DEPTH + 1];
};

/* One line being parsed, for diagnostics. */
struct line_ctx {
	const char *file;
	unsigned lineno;
	const char *text;
	size_t len;
};

/* The scalars one file has set, by row of the directive table, with
 * where: a file may set each once (again only to the same value), even
 * with an include in between. */
struct file_scalars {
	char *value[WARD_DIRECTIVES_MAX];
	unsigned line[WARD_DIRECTIVES_MAX];
	unsigned col[WARD_DIRECTIVES_MAX];
};

struct ward_profile_parser *ward_profile_parser_new(
	struct ward_plan_builder *b, FILE *diag, ward_profile_open_fn open_fn,
	void *open_ctx)
{
	struct ward_profile_parser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->b = b;
	p->diag = diag;
	p->open_fn = open_fn;
	p->open_ctx = open_ctx;
	return p;
}

void ward_profile_parser_free(struct ward_profile_parser *p)
{
	free(p);
}

int ward_profile_error_count(const struct ward_profile_parser *p)
{
	return p->errors;
}

/* The source line and a caret under @col, into @buf. */
static void format_source(const struct line_ctx *l, unsigned col, char *buf,
			  size_t cap)
{
	size_t shown = l->len > 200 ? 200 : l->len, o;

	if (shown && l->text[shown - 1] == '\r')
		shown--; /* CRLF files: do not echo the CR */
	o = (size_t)snprintf(buf, cap, "  %.*s\n  ", (int)shown, l->text);
	for (unsigned i = 1; i < col && i <= shown && o + 3 < cap; i++)
		buf[o++] = l->text[i - 1] == '\t' ? '\t' : ' ';
	snprintf(buf + o, cap - o, "^\n");
}

/* One diagnostic: "file:line:col: error: MSG", the source and caret,
 * and the hint if any; printed, or handed to the builder's collector
 * (which prints it in order with the other errors of the plan). */
static void report(struct ward_profile_parser *p, const struct line_ctx *l,
		   unsigned col, const char *msg, const char *hint)
{
	char source[WARD_ERRS_DETAIL_MAX];

	p->errors++;
	format_source(l, col, source, sizeof(source));
	if (p->b && p->b->errs) {
		ward_errs_add_source(p->b->errs, l->file, l->lineno, col, msg, source,
				     hint);
		return;
	}
	if (!p->diag || p->errors > WARD_PROFILE_MAX_ERRORS)
		return;
	fprintf(p->diag, "%s\n%s", msg, source);
	if (hint && *hint)
		fprintf(p->diag, "  hint: %s\n", hint);
}

static void diag_hint(struct ward_profile_parser *p, const struct line_ctx *l,
		      unsigned col, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void diag_hint(struct ward_profile_parser *p, const struct line_ctx *l,
		      unsigned col, const char *hint, const char *fmt, ...)
{
	char msg[WARD_ERR_MSG_MAX];
	va_list ap;
	int o = snprintf(msg, sizeof(msg), "%s:%u:%u: error: ", l->file, l->lineno, col);

	va_start(ap, fmt);
	if (o > 0 && (size_t)o < sizeof(msg))
		vsnprintf(msg + o, sizeof(msg) - (size_t)o, fmt, ap);
	va_end(ap);
	report(p, l, col, msg, hint);
}

#define diag(p, l, col, ...) diag_hint(p, l, col, NULL, __VA_ARGS__)

/* An error already formatted by the plan validator (it carries
 * "file:line:col: error:" itself). */
static void diag_plan(struct ward_profile_parser *p, const struct line_ctx *l,
		      unsigned col, const struct ward_err *err)
{
	report(p, l, col, err->msg, err->hint);
}

static int parse_include(struct ward_profile_parser *p,
			 const struct line_ctx *l, const char *name,
			 bool optional, unsigned col);

static bool key_char(char c)
{
	return islower((unsigned char)c) || isdigit((unsigned char)c) ||
	       c == '-' || c == '?';
}

/* Split "key value" / "key=value" in place.  Returns the value's column
 * (1-based; 0 when there is no value), or -(column) of a character that
 * cannot follow a directive name. */
static int split_directive(char *line, char **key, char **value)
{
	char *p = line;

	*key = p;
	while (*p && key_char(*p))
		p++;
	*value = p;
	if (*p == '\0')
		return 0;
	if (*p != '=' && !isspace((unsigned char)*p))
		return -(int)(p - line) - 1;
	*p++ = '\0';
	while (isspace((unsigned char)*p))
		p++;
	*value = p;
	return *p ? (int)(p - line) + 1 : 0;
}

static void parse_directive(struct ward_profile_parser *p,
			    const struct line_ctx *l, char *text,
			    unsigned indent, bool *seen_version,
			    struct file_scalars *fs)
{
	struct ward_err err = {0};
	char *key, *value;
	int split = split_directive(text, &key, &value);
	unsigned vcol = split > 0 ? (unsigned)split + indent : 0;
	struct ward_origin o = {l->file, l->lineno,
				vcol ? vcol : indent + 1 + (unsigned)strlen(key)};
	const struct ward_directive *d;
	size_t si;

	if (split < 0) {
		diag(p, l, (unsigned)-split + indent,
		     "unexpected character '%c' in a directive name", *value);
		return;
	}
	if (!*seen_version) {
		if (strcmp(key, VERSION_KEY) != 0 || strcmp(value, "1") != 0)
			diag(p, l, indent + 1,
			     "the first directive must be '" VERSION_KEY " 1'");
		*seen_version = true;
		return;
	}
	if (strcmp(key, VERSION_KEY) == 0) {
		diag(p, l, indent + 1, "'" VERSION_KEY "' may appear only once, first");
		return;
	}
	if (strcmp(key, "include") == 0 || strcmp(key, "include?") == 0) {
		if (!vcol)
			diag(p, l, indent + 1, "%s needs a file name", key);
		else
			parse_include(p, l, value, key[7] == '?', vcol);
		return;
	}
	d = ward_directive_find(key);
	if (!d || !ward_directive_in_plan(d)) {
		const char *near = ward_directive_suggest(key, true);
		char hint[128];

		snprintf(hint, sizeof(hint), "did you mean %s?", near ? near : "");
		diag_hint(p, l, indent + 1, near ? hint : NULL, "unknown directive '%s'", key);
		return;
	}
	si = ward_directive_index(d);
	if (d->kind == WARD_DIR_SCALAR && vcol && fs->value[si] &&
	    strcmp(fs->value[si], value) != 0) {
		diag(p, l, vcol,
		     "'%s' redefined as '%s' in the same file (first set to '%s' at %s:%u:%u)",
		     key, value, fs->value[si], l->file, fs->line[si], fs->col[si]);
		return;
	}
	if (ward_plan_apply(p->b, key, vcol ? value : NULL, &o, &err) < 0) {
		diag_plan(p, l, o.col, &err);
		return;
	}
	if (d->kind == WARD_DIR_SCALAR && vcol && !fs->value[si]) {
		fs->value[si] = strdup(value);
		fs->line[si] = l->lineno;
		fs->col[si] = vcol;
	}
}

static void parse_line(struct ward_profile_parser *p, const struct line_ctx *l,
		       bool *seen_version, struct file_scalars *fs)
{
	char buf[WARD_PROFILE_MAX_LINE + 1];
	size_t len = l->len, start = 0;

	if (len > WARD_PROFILE_MAX_LINE) {
		diag(p, l, WARD_PROFILE_MAX_LINE + 1, "line longer than %d bytes",
		     WARD_PROFILE_MAX_LINE);
		return;
	}
	if (memchr(l->text, '\0', len)) {
		diag(p, l, 1, "NUL byte in line");
		return;
	}
	while (start < len && isspace((unsigned char)l->text[start]))
		start++;
	while (len > start && isspace((unsigned char)l->text[len - 1]))
		len--;
	if (start == len || l->text[start] == '#')
		return;
	memcpy(buf, l->text + start, len - start);
	buf[len - start] = '\0';
	parse_directive(p, l, buf, (unsigned)start, seen_version, fs);
}

int ward_profile_parse_buffer(struct ward_profile_parser *p, const char *file,
			      const char *buf, size_t len)
{
	struct line_ctx l = {.file = file};
	struct file_scalars fs = {0};
	bool seen_version = false;
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		l.lineno++;
		l.text = buf + pos;
		l.len = n;
		parse_line(p, &l, &seen_version, &fs);
		pos += n + 1;
	}
	for (size_t i = 0; i < WARD_DIRECTIVES_MAX; i++)
		free(fs.value[i]);
	if (!seen_version) {
		l.lineno = l.lineno ? l.lineno : 1;
		l.text = "";
		l.len = 0;
		diag(p, &l, 1, "empty profile: the first directive must be '"
			       VERSION_KEY " 1'");
	}
	return p->errors;
}

int ward_profile_parse_top(struct ward_profile_parser *p, const char *file,
			   const char *buf, size_t len, dev_t dev, ino_t ino)
{
	p->stack[0].dev = dev;
	p->stack[0].ino = ino;
	p->depth = 1;
	ward_profile_parse_buffer(p, file, buf, len);
	p->depth = 0;
	return p->errors;
}

static bool on_stack(const struct ward_profile_parser *p, dev_t dev, ino_t ino)
{
	for (unsigned i = 0; i < p->depth; i++)
		if (p->stack[i].dev == dev && p->stack[i].ino == ino)
			return true;
	return false;
}

static int parse_include(struct ward_profile_parser *p,
			 const struct line_ctx *l, const char *name,
			 bool optional, unsigned col)
{
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	dev_t dev = 0;
	ino_t ino = 0;
	int r;

	if (!p->open_fn) {
		diag(p, l, col, "includes are not available here");
		return -EINVAL;
	}
	if (p->depth >= WARD_PROFILE_MAX_DEPTH) {
		diag(p, l, col, "includes nested deeper than %d", WARD_PROFILE_MAX_DEPTH);
		return -ELOOP;
	}
	r = p->open_fn(p->open_ctx, name, l->file, &path, &buf, &len, &dev, &ino);
	if (r == -ENOENT && optional) {
		free(path);
		return 0;
	}
	if (r < 0 && path) {
		diag(p, l, col, "cannot include '%s': %s", name, path);
		free(path);
		return r;
	}
	if (r == -EPERM) {
		diag(p, l, col, "cannot include '%s': as root, a profile must be owned by root and not writable by group or others",
		     name);
		return r;
	}
	if (r == -EINVAL) {
		diag(p, l, col, "cannot include '%s': not a regular file, or a name with '..'",
		     name);
		return r;
	}
	if (r < 0) {
		diag(p, l, col, "cannot include '%s': %s", name, strerror(-r));
		return r;
	}
	if (on_stack(p, dev, ino)) {
		diag(p, l, col, "include cycle: '%s' includes itself", path);
	} else {
		p->stack[p->depth].dev = dev;
		p->stack[p->depth].ino = ino;
		p->depth++;
		ward_profile_parse_buffer(p, path, buf, len);
		p->depth--;
	}
	free(path);
	free(buf);
	return 0;
}
