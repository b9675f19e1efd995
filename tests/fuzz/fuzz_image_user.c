/* Fuzz the image's user lookup (ward_unpack_user) and the mode it
 * derives for a rootless tree (ward_unpack_mode_for) on arbitrary bytes:
 * an image's USER, etc/passwd and etc/group are the image author's.
 *
 * Input: the USER line ("SPEC\n", at most 255 bytes), then etc/passwd up
 * to a NUL byte, then etc/group.  Both files are exact-size heap copies
 * without a NUL, so a read past their length is an ASan report.  Beyond
 * not crashing: a lookup returns 0 or a negative errno with the error
 * set; on success the user is never root and never (uid_t)-1, and the
 * groups fit their array; every derived mode holds only owner bits and
 * the sticky bit, never more than the mode had for anybody.
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Isrc \
 *                 tests/fuzz/fuzz_image_user.c src/image/unpack_user.c \
 *                 src/kernel/userdb.c src/base/util.c src/base/err.c ...
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image/unpack_int.h"

#define FUZZ_NAME "fuzz_image_user"
#define SPEC_MAX 255

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *copy_of(const uint8_t *p, size_t len)
{
	char *c = malloc(len ? len : 1);

	if (c && len)
		memcpy(c, p, len);
	return c;
}

static void check_user(const char *spec, const char *passwd, size_t plen,
		       const char *group, size_t glen)
{
	gid_t groups[WARD_UNPACK_MAX_GROUPS];
	struct ward_err err = {0};
	size_t ngroups = SIZE_MAX;
	uid_t uid = 0;
	gid_t gid = 0;
	int r = ward_unpack_user(spec, passwd, plen, group, glen, &uid, &gid, groups,
				 WARD_UNPACK_MAX_GROUPS, &ngroups, &err);

	if (r > 0 || (r < 0 && !err.msg[0]))
		abort();
	if (r == 0 && (uid == 0 || uid == (uid_t)-1 || gid == (gid_t)-1 ||
		       ngroups > WARD_UNPACK_MAX_GROUPS))
		abort();
	for (size_t i = 0; r == 0 && i < ngroups; i++)
		if (groups[i] == (gid_t)-1)
			abort();
}

/* The derived mode from the input's first bytes as mode, owner, group. */
static void check_mode(const uint8_t *data, size_t size)
{
	static const gid_t groups[] = {20, 10001};
	uint32_t mode, any, got;

	if (size < 6)
		return;
	mode = ((uint32_t)data[0] << 8 | data[1]) & 07777;
	got = ward_unpack_mode_for(mode, data[2] % 4 ? 10001 : 0, data[3] % 4 ? 20 : 0,
				   10001, data[4] % 2 ? 10001 : 30, groups, data[5] % 3);
	any = ((mode >> 6) | (mode >> 3) | mode) & 7;
	if (got & ~(uint32_t)(0700 | S_ISVTX) || (((got & 0700) >> 6) & ~any) ||
	    (got & S_ISVTX) != (mode & S_ISVTX))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = {"root", "app", "0", "1000:1000", "app:staff",
					    "app:0", ":", NULL};
	const uint8_t *nl = memchr(data, '\n', size < SPEC_MAX ? size : SPEC_MAX);
	const uint8_t *rest, *nul;
	char spec[SPEC_MAX + 1] = "", *passwd, *group;
	size_t off = 0, plen, glen;

	check_mode(data, size);
	if (nl) {
		off = (size_t)(nl - data);
		memcpy(spec, data, off);
		spec[off] = '\0';
		off++;
	}
	rest = data + off;
	nul = memchr(rest, '\0', size - off);
	plen = nul ? (size_t)(nul - rest) : size - off;
	glen = nul ? size - off - plen - 1 : 0;
	passwd = copy_of(rest, plen);
	group = copy_of(nul ? nul + 1 : rest, glen);
	if (passwd && group) {
		check_user(spec, passwd, plen, group, glen);
		for (size_t i = 0; fixed[i]; i++)
			check_user(fixed[i], passwd, plen, group, glen);
		check_user(spec, NULL, 0, NULL, 0);
	}
	free(passwd);
	free(group);
	return 0;
}

#include "replay.h"
