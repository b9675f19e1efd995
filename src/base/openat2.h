/* openat2(2) with the retry its scoped lookups ask for. */
#ifndef WARD_OPENAT2_H
#define WARD_OPENAT2_H

struct open_how;

/* Tries of one lookup before its EAGAIN is reported (src/base/openat2.c says
 * why this many). */
#define WARD_OPENAT2_TRIES 16

/* openat2(@dirfd, @path, @how) through the sys_ seam, tried again while
 * it fails with EAGAIN, at most WARD_OPENAT2_TRIES times in all.  Returns
 * the fd or -errno: -EAGAIN when every try lost the race, -ENOSYS where
 * the kernel (or valgrind) lacks openat2.  Runs in the parent or the
 * child; errno is left as the last try set it. */
int ward_openat2(int dirfd, const char *path, struct open_how *how);

#endif
