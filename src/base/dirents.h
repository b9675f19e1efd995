/* A directory's entries straight from getdents64 into the caller's
 * buffer: with d_type, a walk that looks for a few kinds of file needs no
 * stat for the others, and no DIR (fdopendir's fstat, two fcntl and a
 * 32 kB allocation per directory). */
#ifndef WARD_BASE_DIRENTS_H
#define WARD_BASE_DIRENTS_H

#include <dirent.h>
#include <stddef.h>
#include <sys/types.h>

#define WARD_DIRENTS_BUF_SIZE 32768

struct ward_dirents {
	int fd;       /* the open directory (not closed here) */
	char *buf;    /* WARD_DIRENTS_BUF_SIZE bytes, the caller's */
	ssize_t n, off;
	int error;    /* after the last entry: 0, or why the listing stopped */
};

/* Start listing the directory open at @fd into @buf. */
void ward_dirents_open(struct ward_dirents *d, int fd, char *buf);

/* The next entry but "." and "..", or NULL at the end or on an error
 * (d->error: getdents64's errno, or EIO for a malformed record). */
const struct dirent64 *ward_dirents_next(struct ward_dirents *d);

#endif
