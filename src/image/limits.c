/* The bounds of an image read a user may change: --image-limit
 * NAME=VALUE[,NAME=VALUE...] (a directive of ward run, an option of ward
 * check --image), and the clock of one read.
 *
 * Each name is a row below; an error that reaches a bound names it the
 * way the option takes it ("layer-size=8G"), so the message says how to
 * raise it.  The parser is pure; the clock reads CLOCK_MONOTONIC. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "image/image.h"

void ward_image_limits_default(struct ward_image_limits *lim)
{
	*lim = (struct ward_image_limits){
		.max_members = WARD_IMAGE_MAX_MEMBERS,
		.max_layer_entries = WARD_IMAGE_MAX_LAYER_ENTRIES,
		.max_entries = WARD_IMAGE_MAX_ENTRIES,
		.max_json = WARD_IMAGE_MAX_JSON,
		.max_json_depth = WARD_IMAGE_MAX_JSON_DEPTH,
		.max_layer_bytes = WARD_IMAGE_MAX_LAYER_BYTES,
		.max_image_bytes = WARD_IMAGE_MAX_IMAGE_BYTES,
		.max_archive_bytes = WARD_IMAGE_MAX_ARCHIVE_BYTES,
		.max_ms = WARD_IMAGE_MAX_MS,
		.max_path = WARD_IMAGE_MAX_PATH,
		.max_depth = WARD_IMAGE_MAX_DEPTH,
		.max_header = WARD_IMAGE_MAX_HEADER,
		.max_history = WARD_IMAGE_MAX_HISTORY,
		.max_layers = WARD_IMAGE_MAX_LAYERS,
		.max_list = WARD_IMAGE_MAX_LIST,
		.max_string = WARD_IMAGE_MAX_STRING,
		.secret_read = WARD_IMAGE_SECRET_READ,
		.max_userdb = WARD_IMAGE_MAX_USERDB,
		.max_pkgdb = WARD_IMAGE_MAX_PKGDB,
	};
}

/* ---- --image-limit -------------------------------------------------------- */

enum kind { K_SIZE, K_COUNT, K_TIME };

static const struct row {
	const char *name;
	enum kind kind;
	size_t off;
} rows[] = {
	{"layer-size", K_SIZE, offsetof(struct ward_image_limits, max_layer_bytes)},
	{"image-size", K_SIZE, offsetof(struct ward_image_limits, max_image_bytes)},
	{"archive-size", K_SIZE, offsetof(struct ward_image_limits, max_archive_bytes)},
	{"layer-entries", K_COUNT, offsetof(struct ward_image_limits, max_layer_entries)},
	{"entries", K_COUNT, offsetof(struct ward_image_limits, max_entries)},
	{"time", K_TIME, offsetof(struct ward_image_limits, max_ms)},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static const struct row *find_row(const char *name, size_t len)
{
	for (size_t i = 0; i < NROWS; i++)
		if (strlen(rows[i].name) == len && memcmp(rows[i].name, name, len) == 0)
			return &rows[i];
	return NULL;
}

static uint64_t get(const struct ward_image_limits *lim, const struct row *r)
{
	const char *p = (const char *)lim + r->off;

	if (r->kind == K_COUNT)
		return *(const size_t *)(const void *)p;
	return *(const uint64_t *)(const void *)p;
}

static void put(struct ward_image_limits *lim, const struct row *r, uint64_t v)
{
	char *p = (char *)lim + r->off;

	if (r->kind == K_COUNT)
		*(size_t *)(void *)p = (size_t)v;
	else
		*(uint64_t *)(void *)p = v;
}

/* The multiplier of a unit suffix of @kind, 0 for an unknown one. */
static uint64_t unit(enum kind kind, const char *s)
{
	static const struct {
		enum kind kind;
		const char *suffix;
		uint64_t mul;
	} units[] = {
		{K_SIZE, "", 1}, {K_SIZE, "K", 1ull << 10}, {K_SIZE, "M", 1ull << 20},
		{K_SIZE, "G", 1ull << 30}, {K_SIZE, "T", 1ull << 40},
		{K_COUNT, "", 1},
		{K_TIME, "", 1000}, {K_TIME, "ms", 1}, {K_TIME, "s", 1000},
		{K_TIME, "m", 60 * 1000}, {K_TIME, "h", 3600 * 1000},
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].kind == kind && strcmp(units[i].suffix, s) == 0)
			return units[i].mul;
	return 0;
}

/* @text: digits and a unit of @kind; above 0, no overflow. */
static int parse_value(enum kind kind, const char *text, uint64_t *out)
{
	uint64_t n = 0, mul;
	const char *p = text;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++)
		if (__builtin_mul_overflow(n, 10, &n) ||
		    __builtin_add_overflow(n, (uint64_t)(*p - '0'), &n))
			return -ERANGE;
	if (!(mul = unit(kind, p)) || n == 0)
		return -EINVAL;
	if (__builtin_mul_overflow(n, mul, out) ||
	    (kind == K_COUNT && *out > SIZE_MAX))
		return -ERANGE;
	return 0;
}

static const char *syntax(enum kind kind)
{
	switch (kind) {
	case K_SIZE:
		return "a size above 0: bytes, or with K, M, G or T (8G)";
	case K_COUNT:
		return "a number above 0";
	case K_TIME:
		return "a duration above 0: ms, s, m or h (10m); a plain number is seconds";
	}
	return "";
}

/* One "NAME=VALUE" of @len bytes at @item. */
static int parse_item(const char *item, size_t len, struct ward_image_limits *lim,
		      struct ward_err *err)
{
	const char *eq = memchr(item, '=', len);
	const struct row *r = eq ? find_row(item, (size_t)(eq - item)) : NULL;
	char value[32];
	uint64_t v;
	int e;

	if (!r)
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "--image-limit %.*s: expected NAME=VALUE, NAME one of layer-size, image-size, archive-size, layer-entries, entries, time",
				    (int)len, item);
	if (len - (size_t)(eq + 1 - item) >= sizeof(value))
		return ward_err_set(err, WARD_STEP_USAGE, 0, "--image-limit %.*s: value too long",
				    (int)len, item);
	snprintf(value, sizeof(value), "%.*s", (int)(len - (size_t)(eq + 1 - item)), eq + 1);
	if ((e = parse_value(r->kind, value, &v)) < 0)
		return ward_err_set(err, WARD_STEP_USAGE, 0, "--image-limit %.*s: %s",
				    (int)len, item,
				    e == -ERANGE ? "too large" : syntax(r->kind));
	put(lim, r, v);
	return 0;
}

int ward_image_limits_parse(const char *spec, struct ward_image_limits *lim,
			    struct ward_err *err)
{
	struct ward_image_limits next = *lim;
	const char *p = spec;
	int r;

	for (;;) {
		size_t n = strcspn(p, ",");

		if (n == 0)
			return ward_err_set(err, WARD_STEP_USAGE, 0,
					    "--image-limit %s: an empty NAME=VALUE", spec);
		if ((r = parse_item(p, n, &next, err)) < 0)
			return r;
		if (!p[n])
			break;
		p += n + 1;
	}
	*lim = next;
	return 0;
}

/* @v in the largest unit that divides it. */
static void format_value(enum kind kind, uint64_t v, char *buf, size_t len)
{
	static const char sizes[] = "KMGT";
	static const struct {
		uint64_t ms;
		const char *suffix;
	} times[] = {{3600 * 1000, "h"}, {60 * 1000, "m"}, {1000, "s"}, {1, "ms"}};

	if (kind == K_SIZE) {
		int u = -1;

		while (u < 3 && v && v % 1024 == 0) {
			v /= 1024;
			u++;
		}
		snprintf(buf, len, "%" PRIu64 "%.*s", v, u >= 0 ? 1 : 0,
			 u >= 0 ? &sizes[u] : "");
		return;
	}
	if (kind == K_TIME) {
		for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
			if (v % times[i].ms == 0) {
				snprintf(buf, len, "%" PRIu64 "%s", v / times[i].ms,
					 times[i].suffix);
				return;
			}
	}
	snprintf(buf, len, "%" PRIu64, v);
}

const char *ward_image_limit_name(const struct ward_image_limits *lim,
				  const char *name, char *buf, size_t len)
{
	const struct row *r = find_row(name, strlen(name));
	char value[32];

	if (!r) {
		snprintf(buf, len, "%s", name);
		return buf;
	}
	format_value(r->kind, get(lim, r), value, sizeof(value));
	snprintf(buf, len, "--image-limit %s=%s", name, value);
	return buf;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void ward_image_limits_start(struct ward_image_limits *lim)
{
	uint64_t now = now_ms();

	if (__builtin_add_overflow(now, lim->max_ms, &lim->deadline_ms))
		lim->deadline_ms = UINT64_MAX;
}

int ward_image_check_deadline(const struct ward_image_limits *lim,
			      const char *what, struct ward_err *err)
{
	char name[64];

	if (!lim->deadline_ms || now_ms() < lim->deadline_ms)
		return 0;
	return ward_err_set(err, WARD_STEP_IMAGE, ETIME,
			    "%s: still reading when the time allowed ran out (%s raises it)",
			    what, ward_image_limit_name(lim, "time", name, sizeof(name)));
}
