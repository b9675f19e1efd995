/* passwd/group lookups inside a sandbox root. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "base/openat2.h"
#include "kernel/userdb.h"
#include "base/util.h"

#define USERDB_MAX (4u << 20)
#define USERDB_FIELDS 7

/* Split one line (without newline) into colon fields. */
static int split_line(const char *line, size_t n, char *copy, size_t cap,
		      char **fields)
{
	if (n >= cap)
		return -EINVAL;
	memcpy(copy, line, n);
	copy[n] = '\0';
	return ward_split_colon(copy, fields, USERDB_FIELDS);
}

/* Find the line whose first field is @name; fill fields. */
static int find_entry(const char *buf, size_t len, const char *name,
		      char *copy, size_t cap, char **fields, int min_fields)
{
	size_t name_len = strlen(name);
	const char *p = buf, *end = buf + len;

	if (name_len == 0)
		return -ENOENT;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n > name_len && p[name_len] == ':' &&
		    memcmp(p, name, name_len) == 0) {
			int k = split_line(p, n, copy, cap, fields);

			return k >= min_fields ? 0 : -EINVAL;
		}
		p += n + 1;
	}
	return -ENOENT;
}

int ward_userdb_parse_passwd(const char *buf, size_t len, const char *name,
			     uid_t *uid, gid_t *gid)
{
	char copy[1024];
	char *f[USERDB_FIELDS];
	uint32_t u, g;
	int r = find_entry(buf, len, name, copy, sizeof(copy), f, 4);

	if (r < 0)
		return r;
	if (ward_parse_u32(f[2], &u) < 0 || ward_parse_u32(f[3], &g) < 0 ||
	    u == UINT32_MAX || g == UINT32_MAX)
		return -EINVAL;
	*uid = u;
	*gid = g;
	return 0;
}

/* The home directory of the first entry with uid @uid. */
int ward_userdb_home(const char *buf, size_t len, uid_t uid, char *home,
		     size_t cap)
{
	const char *p = buf, *end = buf + len;
	char copy[1024];
	char *f[USERDB_FIELDS];
	uint32_t u;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (split_line(p, n, copy, sizeof(copy), f) >= 6 &&
		    ward_parse_u32(f[2], &u) == 0 && u == uid) {
			if (f[5][0] != '/' || strlen(f[5]) >= cap)
				return -EINVAL;
			strcpy(home, f[5]);
			return 0;
		}
		p += n + 1;
	}
	return -ENOENT;
}

int ward_userdb_parse_group(const char *buf, size_t len, const char *name,
			    gid_t *gid)
{
	char copy[4096];
	char *f[USERDB_FIELDS];
	uint32_t g;
	int r = find_entry(buf, len, name, copy, sizeof(copy), f, 3);

	if (r < 0)
		return r;
	if (ward_parse_u32(f[2], &g) < 0 || g == UINT32_MAX)
		return -EINVAL;
	*gid = g;
	return 0;
}

/* The first buffer: the file's size and the NUL, one page at least (a
 * /proc file says 0), never past the bound and its NUL. */
static size_t first_capacity(const struct stat *st)
{
	size_t cap = 4096;

	if (st->st_size > 0 && (uint64_t)st->st_size + 2 > cap)
		cap = (uint64_t)st->st_size + 2 > USERDB_MAX + 2 ? USERDB_MAX + 2
								 : (size_t)st->st_size + 2;
	return cap;
}

int ward_userdb_read_fd(int fd, char **out, size_t *len)
{
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t used = 0, cap;

	/* An image's /etc/passwd may be a FIFO or a device node: read
	 * regular files only. */
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	/* Sized by the file, not by the bound (a 4 MiB allocation per read
	 * was an mmap and munmap each time), grown if the file grows. */
	cap = first_capacity(&st);
	if (!(buf = malloc(cap)))
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (used + 2 > cap) { /* room for one more byte and the NUL */
			size_t want = cap > (USERDB_MAX + 2) / 2 ? USERDB_MAX + 2 : cap * 2;
			char *p;

			if (want <= cap)
				return -EFBIG;
			if (!(p = realloc(buf, want)))
				return -ENOMEM;
			buf = p;
			cap = want;
		}
		/* Up to one byte more than allowed tells "exactly 4 MiB"
		 * from "longer". */
		n = read(fd, buf + used, cap - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > USERDB_MAX)
			return -EFBIG;
	}
	buf[used] = '\0';
	*len = used;
	*out = TAKE_PTR(buf);
	return 0;
}

int ward_userdb_read(const char *root, const char *file, char **out,
		     size_t *len)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	_cleanup_close_ int rootfd = -1, fd = -1;

	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	fd = ward_openat2(rootfd, file, &how);
	if (fd < 0)
		return fd;
	return ward_userdb_read_fd(fd, out, len);
}
