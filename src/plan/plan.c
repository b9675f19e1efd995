/* The launch plan: directives in, one validated immutable plan out.
 *
 * Command-line options and profile lines are the same directives and go
 * through ward_plan_apply, so both are checked by one validator.  Values
 * that need the filesystem (paths, user names) are resolved in
 * ward_plan_finish, after every directive is known. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/dockersock.h"
#include "plan/builder.h"
#include "plan/directives.h"
#include "plan/plan.h"
#include "seccomp/seccomp.h"

static void free_strv(char **v, size_t n);

struct ward_plan_builder *ward_plan_builder_new(void)
{
	return calloc(1, sizeof(struct ward_plan_builder));
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
}

/* Where a text row lands in @b: its value (a scalar's char *, a list's
 * first), a list's count and its origins. */
static char **texts_of(const struct ward_plan_builder *b,
		       const struct ward_directive *d)
{
	return (char **)((char *)b + d->field);
}

static size_t *count_of(const struct ward_plan_builder *b,
			const struct ward_directive *d)
{
	return (size_t *)((char *)b + d->count);
}

static char **origins_of(const struct ward_plan_builder *b,
			 const struct ward_directive *d)
{
	return (char **)((char *)b + d->where);
}

/* Remember where a value came from; list items use their index. */
static void record_where(struct ward_plan_builder *b,
			 const struct ward_directive *d,
			 const struct ward_origin *o)
{
	char buf[512];
	char **slot = NULL;

	if (d->kind == WARD_DIR_SCALAR)
		slot = &b->where_scalar[ward_directive_index(d)];
	else if (d->where_kept)
		slot = &origins_of(b, d)[*count_of(b, d) - 1];
	if (!slot)
		return;
	free(*slot);
	*slot = NULL;
	if (o && o->file) {
		snprintf(buf, sizeof(buf), "%s:%u:%u: ", o->file, o->line, o->col);
		*slot = strdup(buf);
	}
}

/* Within one profile file a scalar may be set once (or twice to the same
 * value); across files the later line wins, so an including profile, or
 * a .local file included at its end, overrides what it includes.  The
 * command line overrides everything. */
static int check_redefinition(struct ward_plan_builder *b,
			      const struct ward_directive *d, const char *value,
			      const struct ward_origin *o, struct ward_err *err)
{
	size_t i = ward_directive_index(d);
	const char *w;
	size_t wl, fl;

	if (d->kind != WARD_DIR_SCALAR || !o || !o->file)
		return 0;
	w = b->where_scalar[i] ? b->where_scalar[i] : "";
	wl = strlen(w);
	fl = strlen(o->file);
	if (b->profile_value[i] && strcmp(b->profile_value[i], value) != 0 &&
	    wl > fl && strncmp(w, o->file, fl) == 0 && w[fl] == ':')
		/* where strings end in ": " */
		return ward_plan_usage_err(err, o, "'%s' redefined as '%s' in the same file (first set to '%s' at %.*s)",
					   d->name, value, b->profile_value[i],
					   (int)(wl >= 2 ? wl - 2 : wl), w);
	free(b->profile_value[i]);
	b->profile_value[i] = strdup(value);
	return b->profile_value[i] ? 0 : ward_err_set(err, WARD_STEP_PROFILE, ENOMEM, "strdup");
}

/* The text rows' values (the setters' own are freed by their owners). */
static void free_texts(struct ward_plan_builder *b)
{
	for (const struct ward_directive *d = ward_directives; d->name; d++) {
		if (d->set || !ward_directive_in_plan(d))
			continue;
		if (d->kind == WARD_DIR_LIST)
			free_strv(texts_of(b, d), *count_of(b, d));
		else
			free(*texts_of(b, d));
		if (d->where_kept)
			free_strv(origins_of(b, d), *count_of(b, d));
	}
}

void ward_plan_builder_free(struct ward_plan_builder *b)
{
	if (!b)
		return;
	free_strv(b->where_scalar, WARD_DIRECTIVES_MAX);
	free_strv(b->profile_value, WARD_DIRECTIVES_MAX);
	free_texts(b);
	free_strv(b->seccomp_lines, b->nseccomp_lines);
	ward_plan_free_confine(b, NULL);
	ward_plan_free_secrets(b, NULL);
	ward_plan_free_listen(b);
	free(b);
}

void ward_plan_builder_collect(struct ward_plan_builder *b, struct ward_errs *errs)
{
	b->errs = errs;
}

void ward_plan_set_argv(struct ward_plan_builder *b, char **argv)
{
	b->argv = argv;
}

/* A row without a setter: its text replaces the scalar or joins the list. */
static int store_text(struct ward_plan_builder *b, const struct ward_directive *d,
		      const char *value, const struct ward_origin *o,
		      struct ward_err *err)
{
	bool list = d->kind == WARD_DIR_LIST;
	char *copy;

	if (list && *count_of(b, d) >= d->max)
		return ward_plan_usage_err(err, o, "--%s: more than %zu given",
					   d->name, d->max);
	if (!(copy = strdup(value)))
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "strdup");
	if (list) {
		texts_of(b, d)[(*count_of(b, d))++] = copy;
	} else {
		free(*texts_of(b, d));
		*texts_of(b, d) = copy;
	}
	return 0;
}

bool ward_plan_key_known(const char *key, bool *takes_value)
{
	const struct ward_directive *d = ward_directive_find(key);

	if (!d || !ward_directive_in_plan(d))
		return false;
	*takes_value = d->kind != WARD_DIR_FLAG;
	return true;
}

/* The row of @key, and its value present or absent as the row wants. */
static int check_arity(const char *key, const char *v, const struct ward_origin *o,
		       const struct ward_directive **out, struct ward_err *err)
{
	const struct ward_directive *d = ward_directive_find(key);
	bool profile = o && o->file, takes;

	if (!d || !ward_directive_in_plan(d)) {
		const char *near = ward_directive_suggest(key, profile);
		int r = ward_plan_usage_err(err, o, profile ? "unknown directive '%s'"
							    : "unknown option '--%s'", key);

		if (near)
			ward_err_hint(err, "did you mean %s%s?", profile ? "" : "--", near);
		return r;
	}
	takes = d->kind != WARD_DIR_FLAG;
	if (takes && (!v || !*v))
		return ward_plan_usage_err(err, o, "%s%s needs a value", profile ? "" : "--",
					   key);
	if (!takes && v)
		return ward_plan_usage_err(err, o, "%s%s takes no value", profile ? "" : "--",
					   key);
	if (!profile && d->scope == WARD_DIR_PROFILE_ONLY)
		return ward_plan_usage_err(err, o,
					   "%s is accepted only in a profile, where it is written down and reviewed",
					   key);
	*out = d;
	return 0;
}

int ward_plan_apply(struct ward_plan_builder *b, const char *key,
		    const char *v, const struct ward_origin *o,
		    struct ward_err *err)
{
	const struct ward_directive *d = NULL;
	int r;

	if ((r = check_arity(key, v, o, &d, err)) < 0)
		return r;
	if (d->check && d->check(v, err) < 0) {
		char hint[WARD_ERR_HINT_MAX];

		memcpy(hint, err->hint, sizeof(hint));
		r = ward_plan_usage_err(err, o, "%s", err->msg);
		memcpy(err->hint, hint, sizeof(hint));
		return r;
	}
	if ((r = check_redefinition(b, d, v, o, err)) < 0)
		return r;
	r = d->set ? d->set(b, d, v, o, err) : store_text(b, d, v, o, err);
	if (r < 0)
		return r;
	record_where(b, d, o);
	return 0;
}
