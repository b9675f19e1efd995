/* ward reserve-id: reserve the default sandbox user's host id, once, the
 * way podman's and Docker's users get theirs: an entry in /etc/subuid and
 * /etc/subgid, written as shadow's tools write them (a FILE.lock taken
 * with O_EXCL, the new file beside the old one, renamed over it). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/explain.h"
#include "cmd/commands.h"
#include "kernel/subid.h"
#include "kernel/userdb.h"

struct subid_file {
	const char *path;
	char lock[64];
	bool locked;
	char *buf;
	size_t len;
	struct ward_subid entry; /* entry.line == 0: none */
};

static int fail(const char *what, const char *path, int e)
{
	fprintf(stderr, "ward: reserve-id: %s %s: %s\n", what, path, strerror(e));
	return 1;
}

static int lock_file(struct subid_file *f)
{
	char pid[24];
	int fd, n;

	snprintf(f->lock, sizeof(f->lock), "%s.lock", f->path);
	fd = open(f->lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		fprintf(stderr, "ward: reserve-id: locking %s: %s%s\n", f->path,
			strerror(errno), errno == EEXIST ?
			" (another tool is editing it; retry, or remove a stale lock)" : "");
		return 1;
	}
	n = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (write(fd, pid, (size_t)n) != n) {
		close(fd);
		unlink(f->lock);
		return fail("locking", f->path, EIO);
	}
	close(fd);
	f->locked = true;
	return 0;
}

static void unlock_file(struct subid_file *f)
{
	if (f->locked)
		unlink(f->lock);
	free(f->buf);
}

static int load_file(struct subid_file *f)
{
	_cleanup_close_ int fd = -1;
	unsigned bad = 0;
	int r;

	fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno != ENOENT)
		return fail("opening", f->path, errno);
	f->buf = NULL;
	f->len = 0;
	if (fd >= 0 && (r = ward_userdb_read_fd(fd, &f->buf, &f->len)) < 0)
		return fail("reading", f->path, -r);
	r = ward_subid_find(f->buf ? f->buf : "", f->len, WARD_SUBID_NAME,
			    &f->entry, &bad);
	if (r == -EINVAL || r == -EEXIST) {
		fprintf(stderr, "ward: reserve-id: %s:%u: %s; fix the file first\n",
			f->path, bad, r == -EINVAL ? "a line ward cannot read (NAME:START:COUNT, in decimal)" :
			"this range overlaps the " WARD_SUBID_NAME " entry");
		return 1;
	}
	if (r == -ENOENT)
		f->entry.line = 0;
	return 0;
}

/* A free id in both files that no account or group already has. */
static int pick_id(const struct subid_file *u, const struct subid_file *g,
		   uint32_t *id)
{
	uint32_t from = WARD_SUBID_BASE;

	for (;;) {
		int r = ward_subid_first_free(u->buf ? u->buf : "", u->len,
					      g->buf ? g->buf : "", g->len, from, id);

		if (r == -EINVAL) {
			fprintf(stderr, "ward: reserve-id: %s or %s holds a line ward cannot "
				"read (NAME:START:COUNT, in decimal), which could cover any id; "
				"fix it first\n", u->path, g->path);
			return 1;
		}
		if (r < 0) {
			fprintf(stderr, "ward: reserve-id: no free id between %u and %u "
				"in %s and %s\n", WARD_SUBID_BASE, WARD_SUBID_LIMIT - 1,
				u->path, g->path);
			return 1;
		}
		if (!getpwuid(*id) && !getgrgid(*id))
			return 0;
		from = *id + 1;
	}
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* FILE+ holds the old lines and the new one; renamed over FILE. */
static int append_entry(const struct subid_file *f, uint32_t id)
{
	char tmp[64], line[64];
	bool nl = f->len && f->buf[f->len - 1] != '\n';
	int fd, n;

	snprintf(tmp, sizeof(tmp), "%s+", f->path);
	n = snprintf(line, sizeof(line), "%s" WARD_SUBID_NAME ":%u:1\n", nl ? "\n" : "", id);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return fail("creating", tmp, errno);
	if (fchown(fd, 0, 0) < 0 || fchmod(fd, 0644) < 0 ||
	    write_all(fd, f->buf ? f->buf : "", f->len) < 0 ||
	    write_all(fd, line, (size_t)n) < 0 || fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlink(tmp);
		return fail("writing", tmp, e);
	}
	close(fd);
	if (rename(tmp, f->path) < 0) {
		int e = errno;

		unlink(tmp);
		return fail("renaming over", f->path, e);
	}
	return 0;
}

static int reserve(struct subid_file *u, struct subid_file *g)
{
	uint32_t id;
	int r;

	if ((r = load_file(u)) || (r = load_file(g)))
		return r;
	if (u->entry.line && g->entry.line) {
		printf("ward: reserve-id: already reserved: host uid %u, gid %u "
		       "(%s:%u, %s:%u)\n", u->entry.start, g->entry.start,
		       u->path, u->entry.line, g->path, g->entry.line);
		return 0;
	}
	if (u->entry.line || g->entry.line) {
		fprintf(stderr, "ward: reserve-id: only one of %s and %s has a "
			WARD_SUBID_NAME " entry; remove it and run 'ward reserve-id' again\n",
			u->path, g->path);
		return 1;
	}
	if ((r = pick_id(u, g, &id)) || (r = append_entry(u, id)) ||
	    (r = append_entry(g, id)))
		return r;
	printf("ward: reserve-id: host uid and gid %u reserved for the default "
	       "sandbox user (%s, %s)\n", id, u->path, g->path);
	return 0;
}

int ward_cmd_reserve_id(int argc, char **argv)
{
	struct subid_file u = {.path = WARD_SUBUID_FILE};
	struct subid_file g = {.path = WARD_SUBGID_FILE};
	int r;

	if (argc != 0) {
		fprintf(stderr, "ward: usage: ward reserve-id (takes no arguments)\n");
		return WARD_EXIT_USAGE;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "ward: reserve-id: needs root: it edits %s and %s "
			"(sudo ward reserve-id)\n", u.path, g.path);
		return 1;
	}
	umask(022);
	r = lock_file(&u);
	if (r == 0 && (r = lock_file(&g)) == 0)
		r = reserve(&u, &g);
	unlock_file(&g);
	unlock_file(&u);
	return r;
}
