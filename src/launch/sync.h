/* Parent/child protocol over a SOCK_SEQPACKET socketpair.
 *
 *   sync 1. parent -> child: "go": the id maps are written (and, for
 *           --net veth, the pair created with its end in the child's
 *           netns).  It carries the child's /proc/<pid>/status as the
 *           launcher opened it, so the child can check its credentials
 *           as the host sees them before it executes anything.
 *   sync 2. child  -> parent: "ready", one way (nobody waits for it):
 *           setup is complete and verified.  EOF without it is a sandbox
 *           that died during setup, not a program that was executed.
 *   (ward seccomp learn only, before sync 4: child -> parent: the
 *           seccomp listener, SCM_RIGHTS, or an error record)
 *   sync 4. child  -> parent: an error record, or nothing: the socket is
 *           close-on-exec, so a successful execve shows as EOF.
 *
 * No step waits for a reply after sync 1.  Both ends are CLOEXEC; the
 * pid-1 supervisor closes its copy so only the program's exec can end the
 * stream. */
#ifndef WARD_SYNC_H
#define WARD_SYNC_H

#include <stdint.h>

#include "base/err.h"

/* Create the pair: fds[0] for the parent, fds[1] for the child. */
int ward_sync_pair(int fds[2], struct ward_err *err);

/* sync 1, parent side: "go", with @passfd attached unless negative. */
int ward_sync_send_go(int fd, int passfd, struct ward_err *err);

/* sync 1, child side: returns 0 on "go", with *passfd the descriptor it
 * carried or -1 (@passfd may be NULL: one that came is closed).  EOF, a
 * short read or anything else returns -EPIPE (the child must _exit). */
int ward_sync_wait_go(int fd, int *passfd);

/* sync 2, child side: setup is complete (nothing waits for a reply). */
int ward_sync_send_ready(int fd);

/* sync 4, child side: send @err.  Best effort (the child exits next). */
void ward_sync_send_error(int fd, const struct ward_err *err);

/* sync 2, parent side: 0 on "ready"; an error record fills @err; EOF is
 * WARD_STEP_SYNC "the sandbox died during setup". */
int ward_sync_wait_ready(int fd, struct ward_err *err);

/* sync 4, parent side: 0 on EOF (the program was executed); -errnum with
 * @err filled from the child's record; -EPROTO on a malformed record. */
int ward_sync_wait_exec(int fd, struct ward_err *err);

/* ward seccomp learn, between sync 1 and 4: the child passes a
 * descriptor (the seccomp listener) with SCM_RIGHTS.  @tag is OR-ed into
 * the upper half of sendmsg's socket argument: the kernel reads it as an
 * int, a seccomp filter sees all 64 bits, so the learn filter can let
 * exactly this call through (a call blocked on a listener nobody holds
 * yet would never return).  Child side; returns 0 or -errno. */
int ward_sync_send_fd(int fd, int passfd, uint64_t tag);

/* Parent side: *passfd (close-on-exec) on success; an error record from
 * the child fills @err; EOF or a malformed record is WARD_STEP_SYNC. */
int ward_sync_recv_fd(int fd, int *passfd, struct ward_err *err);

#endif
