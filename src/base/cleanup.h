/* Scope-bound cleanup.  Always initialise: = NULL / = -1. */
#ifndef WARD_CLEANUP_H
#define WARD_CLEANUP_H

#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>
#include <errno.h>

static inline void ward_freep(void *p)
{
	free(*(void **)p);
}

static inline void ward_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void ward_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define _cleanup_free_ __attribute__((cleanup(ward_freep)))
#define _cleanup_close_ __attribute__((cleanup(ward_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(ward_fclosep)))

static inline int ward_take_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}
#define TAKE_FD(fd) ward_take_fd(&(fd))

static inline void *ward_take_ptr(void *pp)
{
	void **p = pp;
	void *r = *p;
	*p = NULL;
	return r;
}
#define TAKE_PTR(p) ward_take_ptr(&(p))

#endif
