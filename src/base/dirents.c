/* A directory's entries from getdents64 (see dirents.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "base/dirents.h"

void ward_dirents_open(struct ward_dirents *d, int fd, char *buf)
{
	*d = (struct ward_dirents){.fd = fd, .buf = buf};
}

static bool dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

const struct dirent64 *ward_dirents_next(struct ward_dirents *d)
{
	for (;;) {
		const struct dirent64 *e;

		if (d->off >= d->n) {
			d->n = getdents64(d->fd, d->buf, WARD_DIRENTS_BUF_SIZE);
			d->off = 0;
			if (d->n <= 0) {
				d->error = d->n < 0 ? errno : 0;
				d->n = 0;
				return NULL;
			}
		}
		e = (const struct dirent64 *)(d->buf + d->off);
		if (e->d_reclen < offsetof(struct dirent64, d_name) + 1 ||
		    e->d_reclen > d->n - d->off) {
			d->error = EIO;
			d->n = d->off = 0;
			return NULL;
		}
		d->off += e->d_reclen;
		if (!dot_or_dotdot(e->d_name))
			return e;
	}
}
