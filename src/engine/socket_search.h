/* Entrypoint mode: the socket files in what the engine mounted into the
 * container (docker run -v DIR:/x), found by a bounded walk that follows
 * no symlink and crosses into no other mount.  Walked: every mount but
 * the root itself (the image), /proc, /sys and what lies beneath them,
 * and the engine's own /dev, /dev/shm, /dev/pts and /dev/mqueue (a mount
 * beneath them, such as -v /run:/dev/x, is walked).  Parent side. */
#ifndef WARD_ENGINE_SOCKET_SEARCH_H
#define WARD_ENGINE_SOCKET_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "base/err.h"

/* Beyond either bound the search refuses: it cannot tell. */
#define WARD_SOCKET_SEARCH_MAX_ENTRIES 200000
#define WARD_SOCKET_SEARCH_MAX_DEPTH 32
#define WARD_SOCKET_SEARCH_MAX_FOUND 64

struct ward_found_socket {
	char path[512];   /* where it is here */
	char source[512]; /* its path in the mount's source filesystem */
	struct stat st;
};

struct ward_socket_search {
	struct ward_found_socket found[WARD_SOCKET_SEARCH_MAX_FOUND];
	size_t nfound;
	size_t entries;   /* directory entries looked at */
	size_t mounts;    /* mounts walked */
};

/* Pure: is the mount at @mnt, of type @fstype, walked? */
bool ward_socket_search_walks(const char *mnt, const char *fstype);

/* Walk the mounts of /proc/self/mountinfo into @s (zero it first).
 * Errors (WARD_STEP_DOCKERSOCK): a bound reached, a path too long, a
 * directory that cannot be read (as root; a non-root start passes over
 * what it cannot open: the program, that same user, cannot either). */
int ward_socket_search(struct ward_socket_search *s, struct ward_err *err);

#endif
