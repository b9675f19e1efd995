/* Many errors at once: a bounded collector for the plan's errors.
 *
 * Checking a plan does not stop at the first mistake: the profile
 * parser, the command line and every resolver add what they find, and
 * the command prints them all, in order of origin (the command line's
 * first, in the order given, then by file, line and column), and exits
 * with the first one's code.  A plan with any error is never run. */
#ifndef WARD_ERRS_H
#define WARD_ERRS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define WARD_ERRS_MAX 20        /* kept; more are counted */
#define WARD_ERRS_FILE_MAX 256
#define WARD_ERRS_DETAIL_MAX 512

struct ward_errs_item {
	struct ward_err err;
	/* The origin: "" (the command line, or none known) or a file with
	 * its line and column. */
	char file[WARD_ERRS_FILE_MAX];
	unsigned line, col;
	/* A profile diagnostic: msg is "FILE:LINE:COL: error: ..." as a
	 * compiler prints it, and detail the source line and caret. */
	bool source;
	char detail[WARD_ERRS_DETAIL_MAX];
	unsigned seq; /* order of arrival: ties keep it */
};

struct ward_errs {
	struct ward_errs_item item[WARD_ERRS_MAX];
	size_t n;
	size_t dropped; /* errors beyond WARD_ERRS_MAX */
	unsigned seq;
};

void ward_errs_init(struct ward_errs *e);

/* Add a copy of @err.  Its origin is read from a leading
 * "FILE:LINE:COL: " of its message (how the plan prefixes a profile
 * line's value); none means the command line.  Returns the item, or NULL
 * when the collector is full (the error is counted). */
struct ward_errs_item *ward_errs_add(struct ward_errs *e, const struct ward_err *err);

/* Add a profile diagnostic at @file:@line:@col: @msg is the whole
 * "FILE:LINE:COL: error: ..." line, @detail the source and caret (may
 * be NULL), @hint advice or NULL. */
void ward_errs_add_source(struct ward_errs *e, const char *file, unsigned line,
			  unsigned col, const char *msg, const char *detail,
			  const char *hint);

/* How many were found, kept or not. */
size_t ward_errs_count(const struct ward_errs *e);

/* Sort by origin (see above); stable. */
void ward_errs_sort(struct ward_errs *e);

/* The first error (after ward_errs_sort), or NULL when there is none. */
const struct ward_err *ward_errs_first(const struct ward_errs *e);

/* Split a leading "FILE:LINE:COL: " off @msg: the file into @file, and
 * the position.  Returns the length of the prefix, 0 when there is none
 * (a FILE starting with '-' is an option, not a file). */
size_t ward_errs_origin(const char *msg, char *file, size_t cap,
			unsigned *line, unsigned *col);

#endif
