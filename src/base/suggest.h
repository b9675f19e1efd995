/* "Did you mean": the nearest known name to a mistyped one.
 *
 * Pure.  A suggestion source feeds candidates one by one into a struct
 * ward_suggest; the best one close enough wins (ties: the first given).
 * "Close enough" is an edit distance (insert, delete, substitute, or
 * swap two neighbours) of at most a third of the word's length, at
 * least 1 and at most 3, compared without case.  Failing that, the one
 * candidate that shares the word's first dash-separated part ("cap-" of
 * "cap-add" finds "cap-keep", Docker's --cap-add being ward's
 * --cap-keep); none when several share it. */
#ifndef WARD_SUGGEST_H
#define WARD_SUGGEST_H

#include <stddef.h>

#define WARD_SUGGEST_MAX 64 /* longer words and names are not compared */

/* Optimal-string-alignment distance between @a and @b, ignoring case;
 * WARD_SUGGEST_MAX + 1 when either is longer than WARD_SUGGEST_MAX. */
unsigned ward_edit_distance(const char *a, const char *b);

struct ward_suggest {
	const char *word;  /* what was typed */
	const char *best;  /* the nearest candidate so far, or NULL */
	unsigned distance; /* best's distance */
	const char *family; /* a candidate sharing the first part of the word */
	unsigned nfamily;   /* how many do */
};

void ward_suggest_init(struct ward_suggest *s, const char *word);

/* Offer @candidate (it must outlive @s).  An exact match is not a
 * suggestion: the caller knew it already. */
void ward_suggest_offer(struct ward_suggest *s, const char *candidate);

/* Offer every string of a NULL-terminated array. */
void ward_suggest_offer_all(struct ward_suggest *s, const char *const *names);

/* The suggestion, or NULL when nothing is close enough. */
const char *ward_suggest_best(const struct ward_suggest *s);

#endif
