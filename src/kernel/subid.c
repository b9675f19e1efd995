/* The "ward" entry of /etc/subuid and /etc/subgid: parsing (pure) and
 * reading (subid.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "kernel/subid.h"
#include "kernel/userdb.h"
#include "base/util.h"

#define SUBID_LINE_MAX 256

/* One parsed line: owner name (not NUL-terminated) and range. */
struct subid_line {
	const char *name;
	size_t name_len;
	uint32_t start, count;
};

/* "NAME:START:COUNT": false when malformed or when the range would pass
 * the largest valid id (4294967294). */
static bool parse_line(const char *p, size_t n, struct subid_line *out)
{
	char copy[SUBID_LINE_MAX];
	char *f[4];

	if (n == 0 || n >= sizeof(copy))
		return false;
	memcpy(copy, p, n);
	copy[n] = '\0';
	if (ward_split_colon(copy, f, 4) != 3 || !*f[0])
		return false;
	if (ward_parse_u32(f[1], &out->start) < 0 ||
	    ward_parse_u32(f[2], &out->count) < 0 || out->count == 0 ||
	    out->start > UINT32_MAX - 1 - out->count)
		return false;
	out->name = p;
	out->name_len = strlen(f[0]);
	return true;
}

static bool covers(const struct subid_line *l, uint32_t id)
{
	return id >= l->start && id - l->start < l->count;
}

static bool overlaps(const struct subid_line *a, const struct ward_subid *b)
{
	return a->start < b->start + b->count && b->start < a->start + a->count;
}

static bool skip_line(const char *p, size_t n)
{
	return n == 0 || p[0] == '#';
}

/* Call @fn on each line; stop at its first non-zero return. */
static int each_line(const char *buf, size_t len,
		     int (*fn)(const char *p, size_t n, unsigned no, void *ctx),
		     void *ctx)
{
	const char *p = buf, *end = buf + len;
	unsigned no = 0;
	int r;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		no++;
		if (!skip_line(p, n) && (r = fn(p, n, no, ctx)) != 0)
			return r;
		p += n + 1;
	}
	return 0;
}

struct find_ctx {
	const char *name;
	struct ward_subid *out;
	unsigned *bad_line;
};

static bool named(const char *p, size_t n, const char *name)
{
	size_t k = strlen(name);

	return n > k && p[k] == ':' && memcmp(p, name, k) == 0;
}

static int find_entry(const char *p, size_t n, unsigned no, void *v)
{
	struct find_ctx *c = v;
	struct subid_line l;

	if (!named(p, n, c->name))
		return 0;
	if (!parse_line(p, n, &l)) {
		*c->bad_line = no;
		return -EINVAL;
	}
	c->out->start = l.start;
	c->out->count = l.count;
	c->out->line = no;
	return 1;
}

static int find_overlap(const char *p, size_t n, unsigned no, void *v)
{
	struct find_ctx *c = v;
	struct subid_line l;

	if (no == c->out->line)
		return 0;
	/* A line ward cannot read may still be one newuidmap reads (it takes
	 * hex and octal too): it could cover the id, so it is no less a
	 * refusal than an overlap. */
	if (!parse_line(p, n, &l)) {
		*c->bad_line = no;
		return -EINVAL;
	}
	if (!overlaps(&l, c->out))
		return 0;
	*c->bad_line = no;
	return -EEXIST;
}

int ward_subid_find(const char *buf, size_t len, const char *name,
		    struct ward_subid *out, unsigned *bad_line)
{
	struct find_ctx c = {name, out, bad_line};
	int r;

	out->line = 0;
	r = each_line(buf, len, find_entry, &c);
	if (r < 0)
		return r;
	if (r == 0)
		return -ENOENT;
	r = each_line(buf, len, find_overlap, &c);
	return r < 0 ? r : 0;
}

struct free_ctx {
	uint32_t id;
	bool moved;
};

/* Move the candidate past a range that covers it. */
static int step_past(const char *p, size_t n, unsigned no, void *v)
{
	struct free_ctx *c = v;
	struct subid_line l;

	if (!parse_line(p, n, &l))
		return -EINVAL; /* it could cover the candidate */
	if (!covers(&l, c->id))
		return 0;
	c->id = l.start + l.count;
	c->moved = true;
	return 0;
}

int ward_subid_first_free(const char *a, size_t alen, const char *b,
			  size_t blen, uint32_t from, uint32_t *id)
{
	struct free_ctx c = {from, true};

	/* Each pass moves the candidate up past every range covering it;
	 * a pass that moves nothing found a free id. */
	while (c.moved) {
		c.moved = false;
		if (each_line(a, alen, step_past, &c) < 0 ||
		    each_line(b, blen, step_past, &c) < 0)
			return -EINVAL;
		if (c.id >= WARD_SUBID_LIMIT || c.id < from)
			return -ENOSPC;
	}
	*id = c.id;
	return 0;
}

/* The file must be what root wrote: a regular file owned by root that
 * no one else can change, or anyone could choose the mapping. */
static int read_trusted(const char *path, char **buf, size_t *len,
			struct ward_err *err)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022))
		return ward_err_set(err, WARD_STEP_PLAN, EPERM,
				    "%s is not a regular file owned by root and writable by root only; "
				    "fix its owner and mode (chown root: %s; chmod 644 %s)",
				    path, path, path);
	r = ward_userdb_read_fd(fd, buf, len);
	return r;
}

/* Ids that other parties own by convention. */
static bool usable(uint32_t id)
{
	return id != 0 && (id < 61184 || id > 65535);
}

static int reserved_one(const char *path, uint32_t *id, struct ward_err *err)
{
	_cleanup_free_ char *buf = NULL;
	struct ward_subid s;
	unsigned bad = 0;
	size_t len = 0;
	int r;

	r = read_trusted(path, &buf, &len, err);
	if (r == -ENOENT)
		r = 0, len = 0;
	if (r < 0)
		return err->step ? r : ward_err_set(err, WARD_STEP_PLAN, -r,
						    "reading %s", path);
	r = ward_subid_find(buf ? buf : "", len, WARD_SUBID_NAME, &s, &bad);
	if (r == -ENOENT)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "no host id is reserved for the default sandbox user "
				    "(no \"" WARD_SUBID_NAME "\" entry in %s); run 'ward reserve-id' "
				    "as root once, or pass --user",
				    path);
	if (r == -EINVAL)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "%s:%u: a line ward cannot read (NAME:START:COUNT, in decimal): "
				    "it may be the " WARD_SUBID_NAME " entry or cover it; fix or remove it",
				    path, bad);
	if (r == -EEXIST)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "%s:%u: this range overlaps the " WARD_SUBID_NAME
				    " entry on line %u: the id is not reserved for ward alone; "
				    "remove one of them", path, bad, s.line);
	if (!usable(s.start))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "%s:%u: %u is root, nobody or in systemd's dynamic-user range "
				    "(61184-65535); remove the line and run 'ward reserve-id'",
				    path, s.line, s.start);
	*id = s.start;
	return 0;
}

int ward_subid_reserved(uint32_t *uid, uint32_t *gid, struct ward_err *err)
{
	int r = reserved_one(WARD_SUBUID_FILE, uid, err);

	return r < 0 ? r : reserved_one(WARD_SUBGID_FILE, gid, err);
}
