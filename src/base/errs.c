/* Many errors at once: collect, order, pick the first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errs.h"

void ward_errs_init(struct ward_errs *e)
{
	e->n = 0;
	e->dropped = 0;
	e->seq = 0;
}

static bool digits(const char *s, size_t n, unsigned *out)
{
	unsigned long v = 0;

	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = (unsigned)v;
	return true;
}

size_t ward_errs_origin(const char *msg, char *file, size_t cap,
			unsigned *line, unsigned *col)
{
	const char *end = strstr(msg, ": ");
	const char *c2, *c1;

	if (!end || msg[0] == '-' || end == msg)
		return 0;
	/* FILE:LINE:COL, read from the right: FILE may hold colons */
	for (c2 = end - 1; c2 > msg && *c2 != ':'; c2--)
		;
	if (c2 <= msg)
		return 0;
	for (c1 = c2 - 1; c1 > msg && *c1 != ':'; c1--)
		;
	if (c1 <= msg || !digits(c1 + 1, (size_t)(c2 - c1 - 1), line) ||
	    !digits(c2 + 1, (size_t)(end - c2 - 1), col) ||
	    (size_t)(c1 - msg) >= cap)
		return 0;
	memcpy(file, msg, (size_t)(c1 - msg));
	file[c1 - msg] = '\0';
	return (size_t)(end - msg) + 2;
}

static struct ward_errs_item *take_slot(struct ward_errs *e)
{
	struct ward_errs_item *it;

	if (e->n == WARD_ERRS_MAX) {
		e->dropped++;
		return NULL;
	}
	it = &e->item[e->n++];
	memset(it, 0, sizeof(*it));
	it->seq = e->seq++;
	return it;
}

struct ward_errs_item *ward_errs_add(struct ward_errs *e, const struct ward_err *err)
{
	struct ward_errs_item *it = take_slot(e);

	if (!it)
		return NULL;
	it->err = *err;
	if (!ward_errs_origin(err->msg, it->file, sizeof(it->file), &it->line,
			      &it->col))
		it->file[0] = '\0';
	return it;
}

void ward_errs_add_source(struct ward_errs *e, const char *file, unsigned line,
			  unsigned col, const char *msg, const char *detail,
			  const char *hint)
{
	struct ward_errs_item *it = take_slot(e);

	if (!it)
		return;
	it->err.step = WARD_STEP_PROFILE;
	snprintf(it->err.msg, sizeof(it->err.msg), "%s", msg);
	snprintf(it->err.hint, sizeof(it->err.hint), "%s", hint ? hint : "");
	snprintf(it->file, sizeof(it->file), "%s", file);
	it->line = line;
	it->col = col;
	it->source = true;
	snprintf(it->detail, sizeof(it->detail), "%s", detail ? detail : "");
}

size_t ward_errs_count(const struct ward_errs *e)
{
	return e->n + e->dropped;
}

static int by_origin(const void *pa, const void *pb)
{
	const struct ward_errs_item *a = pa, *b = pb;
	int c;

	/* the command line ("") first */
	if (!*a->file != !*b->file)
		return *a->file ? 1 : -1;
	if ((c = strcmp(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void ward_errs_sort(struct ward_errs *e)
{
	qsort(e->item, e->n, sizeof(e->item[0]), by_origin);
}

const struct ward_err *ward_errs_first(const struct ward_errs *e)
{
	return e->n ? &e->item[0].err : NULL;
}
