/* Parent/child protocol over a SOCK_SEQPACKET socketpair.
 *
 *   sync 1. parent -> child: "go": the id maps are written
 *   sync 2. child  -> parent: "ready": privileges dropped (or an error
 *           record); the parent checks /proc/<pid>/status from outside
 *   sync 3. parent -> child: "go": the credentials are verified
 *   sync 4. child  -> parent: an error record, or nothing: the socket is
 *           close-on-exec, so a successful execve shows as EOF.
 *
 * Both ends are CLOEXEC; the pid-1 supervisor closes its copy so only the
 * program's exec can end the stream. */
#ifndef WARD_SYNC_H
#define WARD_SYNC_H

#include "ward/err.h"

/* Create the pair: fds[0] for the parent, fds[1] for the child. */
int ward_sync_pair(int fds[2], struct ward_err *err);

/* sync 1, parent side. */
int ward_sync_send_go(int fd, struct ward_err *err);

/* sync 1, child side: returns 0 on "go"; EOF, a short read or anything
 * else returns -EPIPE (the child must _exit). */
int ward_sync_wait_go(int fd);

/* sync 2, child side: privileges are dropped. */
int ward_sync_send_ready(int fd);

/* sync 2, parent side: 0 on "ready"; an error record fills @err. */
int ward_sync_wait_ready(int fd, struct ward_err *err);

/* sync 2 or 4, child side: send @err.  Best effort (the child exits next). */
void ward_sync_send_error(int fd, const struct ward_err *err);

/* sync 4, parent side: 0 on EOF (the program was executed); -errnum with
 * @err filled from the child's record; -EPROTO on a malformed record. */
int ward_sync_wait_exec(int fd, struct ward_err *err);

#endif
