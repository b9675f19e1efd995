/* Secrets in an image's build history: the created_by lines of the
 * config keep every build arg a RUN saw ("|1 API_TOKEN=... /bin/sh -c
 * ..."), every ENV value and ARG default, and whatever token was typed
 * into a command.  Pure: finds the spans, masks them, never copies a
 * value anywhere else.
 *
 * The shapes, as the classic builder and BuildKit write them:
 *   |2 A=1 B=2 /bin/sh -c CMD          RUN |2 A=1 B=2 /bin/sh -c CMD
 *   /bin/sh -c #(nop)  ENV A=1 B="x y"  ENV A=1
 *   /bin/sh -c #(nop)  ARG A=default    ARG A=default
 * A build-arg value ends at the next space: the builder joins them with
 * spaces unquoted, so a value holding a space is masked up to it only. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "base/secret_shapes.h"

#define MAX_BUILD_ARGS 4096

/* ---- escaping ------------------------------------------------------------------ */

/* Append @piece (@n bytes) to @out at *o unless it would leave no room
 * for "..." and the NUL; returns false (after writing "...") when full. */
static bool put(char *out, size_t len, size_t *o, const char *piece, size_t n)
{
	if (*o + n + 4 > len) {
		if (*o + 4 <= len) {
			memcpy(out + *o, "...", 3);
			*o += 3;
		}
		return false;
	}
	memcpy(out + *o, piece, n);
	*o += n;
	return true;
}

static bool put_byte(char *out, size_t len, size_t *o, unsigned char c)
{
	char piece[5];
	size_t n;

	if (c >= 0x20 && c < 0x7f && c != '\\') {
		piece[0] = (char)c;
		n = 1;
	} else {
		n = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", c);
	}
	return put(out, len, o, piece, n);
}

void ward_image_escape(const char *in, char *out, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return;
	if (len < 4) {
		out[0] = '\0';
		return;
	}
	for (const unsigned char *p = (const unsigned char *)in; *p; p++)
		if (!put_byte(out, len, &o, *p))
			break;
	out[o] = '\0';
}

/* ---- scanning ------------------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void add_hit(struct ward_image_hit *hits, size_t max, size_t *n,
		    enum ward_image_hit_kind kind, bool secret,
		    const char *name, size_t name_len, size_t off, size_t len)
{
	struct ward_image_hit *h;
	char raw[64];

	if (*n >= max)
		return;
	h = &hits[(*n)++];
	h->kind = kind;
	h->secret = secret;
	if (name_len >= sizeof(raw))
		name_len = sizeof(raw) - 1;
	memcpy(raw, name, name_len);
	raw[name_len] = '\0';
	ward_image_escape(raw, h->name, sizeof(h->name));
	h->off = off;
	h->len = len;
}

/* A name up to "=", within the token starting at @p. */
static size_t name_len_at(const char *p)
{
	size_t n = 0;

	while (p[n] && p[n] != '=' && !is_space(p[n]) && p[n] != '"')
		n++;
	return p[n] == '=' ? n : 0;
}

static bool name_is_secret(const char *name, size_t n)
{
	char buf[256];

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return ward_secret_name_looks_secret(buf);
}

/* "|N NAME=VALUE ..." at @p: the build args. Returns where they end. */
static const char *scan_build_args(const char *line, const char *p,
				   struct ward_image_hit *hits, size_t max,
				   size_t *n)
{
	unsigned long count = 0;

	if (*p != '|' || p[1] < '0' || p[1] > '9')
		return p;
	p++;
	while (*p >= '0' && *p <= '9') {
		if (count < MAX_BUILD_ARGS)
			count = count * 10 + (unsigned long)(*p - '0');
		p++;
	}
	if (!is_space(*p))
		return p;
	p++;
	for (unsigned long i = 0; i < count && i < MAX_BUILD_ARGS; i++) {
		size_t nl = name_len_at(p), vl = 0;
		const char *v;

		if (nl == 0)
			break;
		v = p + nl + 1;
		while (v[vl] && !is_space(v[vl]))
			vl++;
		add_hit(hits, max, n, WARD_IMAGE_HIT_ARG,
			vl > 0 && name_is_secret(p, nl), p, nl,
			(size_t)(v - line), vl);
		p = v + vl;
		if (!is_space(*p))
			break;
		p++;
	}
	return p;
}

/* "ENV A=1 B="x y"" or "ARG A=1" (or the old "ENV A value") at @p. */
static void scan_assignments(const char *line, const char *p,
			     struct ward_image_hit *hits, size_t max, size_t *n)
{
	while (*p) {
		size_t nl, vl = 0;
		const char *v;

		while (is_space(*p))
			p++;
		if (!*p)
			break;
		nl = name_len_at(p);
		if (nl == 0) {
			/* ENV NAME VALUE: the value is the rest of the line */
			size_t k = 0;

			while (p[k] && !is_space(p[k]))
				k++;
			v = p + k;
			while (is_space(*v))
				v++;
			if (k > 0 && *v)
				add_hit(hits, max, n, WARD_IMAGE_HIT_ENV,
					name_is_secret(p, k), p, k,
					(size_t)(v - line), strlen(v));
			break;
		}
		v = p + nl + 1;
		if (*v == '"') {
			vl = 1;
			while (v[vl] && v[vl] != '"') {
				if (v[vl] == '\\' && v[vl + 1])
					vl++;
				vl++;
			}
			if (v[vl] == '"')
				vl++;
		} else {
			while (v[vl] && !is_space(v[vl]))
				vl++;
		}
		add_hit(hits, max, n, WARD_IMAGE_HIT_ENV,
			vl > 0 && !(vl == 2 && v[0] == '"') && name_is_secret(p, nl),
			p, nl, (size_t)(v - line), vl);
		p = v + vl;
	}
}

static bool overlaps_secret(const struct ward_image_hit *hits, size_t n,
			    size_t off, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (hits[i].secret && off < hits[i].off + hits[i].len &&
		    hits[i].off < off + len)
			return true;
	return false;
}

size_t ward_image_history_scan(const char *line, struct ward_image_hit *hits,
			       size_t max)
{
	const char *p = line, *nop;
	size_t n = 0, len = strlen(line), from = 0, off, k;
	const char *what;

	while (is_space(*p))
		p++;
	if (strncmp(p, "RUN ", 4) == 0)
		p += 4;
	p = scan_build_args(line, p, hits, max, &n);
	/* the classic builder's "/bin/sh -c #(nop)  ENV ...", BuildKit's
	 * "ENV ..."; searched after the build args, which may have taken
	 * the marker as a value: each span is reported once */
	nop = strstr(p, "#(nop)");
	p = nop ? nop + 6 : line;
	while (is_space(*p))
		p++;
	if (strncmp(p, "ENV ", 4) == 0 || strncmp(p, "ARG ", 4) == 0)
		scan_assignments(line, p + 4, hits, max, &n);
	while (from < len && ward_secret_token_find(line + from, len - from, &off,
						    &k, &what)) {
		if (!overlaps_secret(hits, n, from + off, k))
			add_hit(hits, max, &n, WARD_IMAGE_HIT_TOKEN, true, what,
				strlen(what), from + off, k);
		from += off + k;
	}
	/* line order, for the masking */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && hits[j].off < hits[j - 1].off; j--) {
			struct ward_image_hit t = hits[j];

			hits[j] = hits[j - 1];
			hits[j - 1] = t;
		}
	return n;
}

void ward_image_mask(const char *in, char *out, size_t len)
{
	size_t inlen = strlen(in), max = inlen + inlen / 8 + 4, n, o = 0, h = 0;
	/* a build arg or an assignment spans at least two bytes of the
	 * line, a token seven ("a://:p@h", one URL's host the next one's
	 * scheme): room for every hit, so none goes unmasked */
	struct ward_image_hit *hits = calloc(max, sizeof(*hits));

	if (len < 4) {
		if (len)
			out[0] = '\0';
		free(hits);
		return;
	}
	if (!hits) {
		snprintf(out, len, "(not shown)");
		return;
	}
	n = ward_image_history_scan(in, hits, max);
	for (size_t i = 0; i < inlen;) {
		while (h < n && (!hits[h].secret || hits[h].len == 0 ||
				 hits[h].off + hits[h].len <= i))
			h++;
		if (h < n && hits[h].off <= i) {
			if (!put(out, len, &o, "***", 3))
				break;
			i = hits[h].off + hits[h].len;
			h++;
			continue;
		}
		if (!put_byte(out, len, &o, (unsigned char)in[i]))
			break;
		i++;
	}
	out[o] = '\0';
	free(hits);
}
