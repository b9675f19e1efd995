/* Parent/child protocol: fixed-size records over SOCK_SEQPACKET. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ward/sync.h"

#define SYNC_MAGIC_GO 0x77617264u   /* "ward" */
#define SYNC_MAGIC_ERR 0x65727221u  /* "err!" */
#define SYNC_MAGIC_READY 0x72647921u /* "rdy!" */

struct sync_record {
	uint32_t magic;
	int32_t step;
	int32_t errnum;
	char msg[WARD_ERR_MSG_MAX];
};

int ward_sync_pair(int fds[2], struct ward_err *err)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return ward_err_set(err, WARD_STEP_SYNC, errno, "socketpair");
	return 0;
}

static ssize_t recv_retry(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

int ward_sync_send_go(int fd, struct ward_err *err)
{
	struct sync_record rec = {.magic = SYNC_MAGIC_GO};
	ssize_t n;

	do
		n = send(fd, &rec, sizeof(rec), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(rec))
		return ward_err_set(err, WARD_STEP_SYNC, n < 0 ? errno : EPIPE,
				    "sending go to the child");
	return 0;
}

int ward_sync_wait_go(int fd)
{
	struct sync_record rec;
	ssize_t n = recv_retry(fd, &rec, sizeof(rec));

	if (n != (ssize_t)sizeof(rec) || rec.magic != SYNC_MAGIC_GO)
		return -EPIPE;
	return 0;
}

int ward_sync_send_ready(int fd)
{
	struct sync_record rec = {.magic = SYNC_MAGIC_READY};
	ssize_t n;

	do
		n = send(fd, &rec, sizeof(rec), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(rec) ? 0 : -EPIPE;
}

/* An error record from the child into @err. */
static int take_error(const struct sync_record *rec, struct ward_err *err)
{
	if (rec->magic != SYNC_MAGIC_ERR || rec->step <= WARD_STEP_NONE ||
	    rec->step >= WARD_STEP_COUNT)
		return ward_err_set(err, WARD_STEP_SYNC, EPROTO,
				    "malformed record from the child");
	err->step = (enum ward_step)rec->step;
	err->errnum = rec->errnum;
	memcpy(err->msg, rec->msg, sizeof(err->msg));
	err->msg[sizeof(err->msg) - 1] = '\0';
	return rec->errnum > 0 ? -rec->errnum : -EINVAL;
}

int ward_sync_wait_ready(int fd, struct ward_err *err)
{
	struct sync_record rec;
	ssize_t n = recv_retry(fd, &rec, sizeof(rec));

	if (n == (ssize_t)sizeof(rec) && rec.magic == SYNC_MAGIC_READY)
		return 0;
	if (n == (ssize_t)sizeof(rec))
		return take_error(&rec, err);
	return ward_err_set(err, WARD_STEP_SYNC, n < 0 ? errno : EPIPE,
			    "the sandbox died during setup");
}

void ward_sync_send_error(int fd, const struct ward_err *err)
{
	struct sync_record rec = {
		.magic = SYNC_MAGIC_ERR,
		.step = (int32_t)err->step,
		.errnum = err->errnum,
	};
	ssize_t n;

	memcpy(rec.msg, err->msg, sizeof(rec.msg));
	rec.msg[sizeof(rec.msg) - 1] = '\0';
	/* write(), not send(): after the seccomp filter is loaded (an exec
	 * failure) the strict policy allows write but not sendto. */
	do
		n = write(fd, &rec, sizeof(rec));
	while (n < 0 && errno == EINTR);
}

int ward_sync_wait_exec(int fd, struct ward_err *err)
{
	struct sync_record rec;
	ssize_t n = recv_retry(fd, &rec, sizeof(rec));

	if (n == 0)
		return 0;
	if (n < 0)
		return ward_err_set(err, WARD_STEP_SYNC, errno,
				    "reading the child's status");
	if (n != (ssize_t)sizeof(rec))
		return ward_err_set(err, WARD_STEP_SYNC, EPROTO,
				    "malformed record from the child");
	return take_error(&rec, err);
}
