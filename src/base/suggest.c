/* "Did you mean": edit distance and the nearest candidate. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/suggest.h"

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
	unsigned m = a < b ? a : b;

	return m < c ? m : c;
}

static bool same(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

unsigned ward_edit_distance(const char *a, const char *b)
{
	/* Three rows of the dynamic-programming table: i-2, i-1, i. */
	unsigned rows[3][WARD_SUGGEST_MAX + 1];
	size_t la = strlen(a), lb = strlen(b);

	if (la > WARD_SUGGEST_MAX || lb > WARD_SUGGEST_MAX)
		return WARD_SUGGEST_MAX + 1;
	for (size_t j = 0; j <= lb; j++)
		rows[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned *two = rows[(i + 1) % 3], *prev = rows[(i + 2) % 3];
		unsigned *cur = rows[i % 3];

		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = same(a[i - 1], b[j - 1]) ? 0 : 1;

			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) &&
			    same(a[i - 2], b[j - 1]) && two[j - 2] + 1 < cur[j])
				cur[j] = two[j - 2] + 1; /* a swap of neighbours */
		}
	}
	return rows[la % 3][lb];
}

void ward_suggest_init(struct ward_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->distance = WARD_SUGGEST_MAX + 1;
	s->family = NULL;
	s->nfamily = 0;
}

/* "cap-" of "cap-add": a first part of at least three letters and its
 * dash; 0 when the word has none. */
static size_t first_part(const char *word)
{
	const char *dash = strchr(word, '-');

	return dash && dash - word >= 3 ? (size_t)(dash - word) + 1 : 0;
}

/* A third of the word, at least 1, at most 3: "nofiles" (7) may be 2
 * away, "ngnix" (5) 1 (a swap of neighbours counts 1). */
static unsigned allowed(const char *word)
{
	size_t n = strlen(word) / 3;

	return n < 1 ? 1 : n > 3 ? 3 : (unsigned)n;
}

void ward_suggest_offer(struct ward_suggest *s, const char *candidate)
{
	unsigned d;

	if (!candidate || !s->word || !*s->word)
		return;
	d = ward_edit_distance(s->word, candidate);
	if (d && first_part(s->word) &&
	    strncasecmp(s->word, candidate, first_part(s->word)) == 0 &&
	    (!s->family || strcmp(s->family, candidate) != 0)) {
		s->family = candidate;
		s->nfamily++;
	}
	if (d == 0 || d > allowed(s->word) || d >= s->distance)
		return;
	s->best = candidate;
	s->distance = d;
}

void ward_suggest_offer_all(struct ward_suggest *s, const char *const *names)
{
	for (size_t i = 0; names && names[i]; i++)
		ward_suggest_offer(s, names[i]);
}

const char *ward_suggest_best(const struct ward_suggest *s)
{
	if (s->best)
		return s->best;
	return s->nfamily == 1 ? s->family : NULL;
}
