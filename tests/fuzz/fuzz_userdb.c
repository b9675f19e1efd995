/* Fuzz the passwd(5)/group(5) and subuid(5) parsers on arbitrary bytes.
 *
 * Input: an optional name line ("NAME\n", at most 64 bytes), then the
 * database.  Every input is also searched for a few fixed names.  The
 * database is an exact-size heap copy without a NUL, so a read past its
 * length is an ASan report.  Beyond not crashing, the parsers must return
 * one of their documented values, never hand out (uid_t)-1, and only
 * report a name that does start a line.
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 tests/fuzz/fuzz_userdb.c src/kernel/userdb.c src/kernel/subid.c src/base/util.c \
 *                 src/base/sys.c -lcap-ng
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/subid.h"
#include "kernel/userdb.h"

#define FUZZ_NAME "fuzz_userdb"
#define NAME_MAX_LEN 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Oracle: some line of @buf starts with "@name:". */
static bool has_entry(const char *buf, size_t len, const char *name)
{
	size_t n = strlen(name);

	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t linelen = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		if (linelen > n && memcmp(buf + pos, name, n) == 0 &&
		    buf[pos + n] == ':')
			return true;
		pos += linelen + 1;
	}
	return false;
}

static void check_ret(int r, const char *buf, size_t len, const char *name)
{
	if (r != 0 && r != -ENOENT && r != -EINVAL)
		abort();
	/* Found or malformed: there is such a line.  Absent: there is none. */
	if ((r != -ENOENT) != has_entry(buf, len, name) && *name)
		abort();
	if (!*name && r != -ENOENT)
		abort();
}

static void lookup(const char *buf, size_t len, const char *name)
{
	uid_t uid = 0;
	gid_t gid = 0, ggid = 0;
	int r;

	r = ward_userdb_parse_passwd(buf, len, name, &uid, &gid);
	check_ret(r, buf, len, name);
	if (r == 0 && (uid == (uid_t)-1 || gid == (gid_t)-1))
		abort();
	r = ward_userdb_parse_group(buf, len, name, &ggid);
	check_ret(r, buf, len, name);
	if (r == 0 && ggid == (gid_t)-1)
		abort();
}

/* subuid(5): a found entry is a valid range; the first free id is at or
 * above where the search began and below the limit. */
static void subid(const char *buf, size_t len, const char *name)
{
	struct ward_subid s;
	unsigned bad = 0;
	uint32_t id;
	int r = ward_subid_find(buf, len, *name ? name : WARD_SUBID_NAME, &s, &bad);

	if (r != 0 && r != -ENOENT && r != -EINVAL && r != -EEXIST)
		abort();
	if (r == 0 && (s.count == 0 || s.start > UINT32_MAX - 1 - s.count || !s.line))
		abort();
	if ((r == -EINVAL || r == -EEXIST) && bad == 0)
		abort();
	r = ward_subid_first_free(buf, len, buf, len, WARD_SUBID_BASE, &id);
	if (r == 0 && (id < WARD_SUBID_BASE || id >= WARD_SUBID_LIMIT))
		abort();
	if (r != 0 && r != -ENOSPC && r != -EINVAL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = {"root", "app", "nobody", "a", NULL};
	const uint8_t *nl = memchr(data, '\n', size < NAME_MAX_LEN ? size : NAME_MAX_LEN);
	char name[NAME_MAX_LEN + 1] = "";
	size_t off = 0, len;
	char *buf;

	if (nl) {
		off = (size_t)(nl - data);
		memcpy(name, data, off);
		name[off] = '\0'; /* an embedded NUL just shortens the name */
		off++;
	}
	len = size - off;
	buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + off, len);
	lookup(buf, len, name);
	subid(buf, len, name);
	for (size_t i = 0; fixed[i]; i++)
		lookup(buf, len, fixed[i]);
	free(buf);
	return 0;
}

#include "replay.h"
