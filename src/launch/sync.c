/* Parent/child protocol: fixed-size records over SOCK_SEQPACKET. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch/sync.h"

#define SYNC_MAGIC_GO 0x77617264u   /* "ward" */
#define SYNC_MAGIC_ERR 0x65727221u  /* "err!" */
#define SYNC_MAGIC_FD 0x66642121u    /* "fd!!" */
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

/* A control buffer for one descriptor. */
union rights {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

/* Point @msg at @rec, and at @passfd in @u unless it is negative. */
static void record_msg(struct msghdr *msg, struct iovec *iov,
		       struct sync_record *rec, union rights *u, int passfd)
{
	struct cmsghdr *c;

	*iov = (struct iovec){rec, sizeof(*rec)};
	*msg = (struct msghdr){.msg_iov = iov, .msg_iovlen = 1};
	if (passfd < 0)
		return;
	memset(u->buf, 0, sizeof(u->buf));
	msg->msg_control = u->buf;
	msg->msg_controllen = sizeof(u->buf);
	c = CMSG_FIRSTHDR(msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &passfd, sizeof(int));
}

/* sendmsg with an optional descriptor.  The raw syscall: @tag goes into
 * the upper half of the socket argument, which libc's int would drop. */
static int send_record(int fd, struct sync_record *rec, int passfd,
		       uint64_t tag)
{
	union rights u;
	struct iovec iov;
	struct msghdr msg;
	long n;

	record_msg(&msg, &iov, rec, &u, passfd);
	do
		n = syscall(SYS_sendmsg, (unsigned long)(unsigned)fd | tag, &msg,
			    MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (long)sizeof(*rec) ? 0 : n < 0 ? -errno : -EPIPE;
}

/* The descriptor carried by @msg, if any. */
static int take_fd(struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		int fd;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len != CMSG_LEN(sizeof(int)))
			continue;
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
		return fd;
	}
	return -1;
}

/* recvmsg of one record; *passfd is the descriptor it carried or -1
 * (then any descriptor that came along is closed). */
static ssize_t recv_record(int fd, struct sync_record *rec, int *passfd)
{
	union rights u;
	struct iovec iov;
	struct msghdr msg;
	ssize_t n;
	int got;

	record_msg(&msg, &iov, rec, &u, 0);
	do
		n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	got = n > 0 ? take_fd(&msg) : -1;
	if (got >= 0 && (!passfd || (msg.msg_flags & MSG_CTRUNC))) {
		close(got);
		got = -1;
	}
	if (passfd)
		*passfd = got;
	return n;
}

int ward_sync_send_go(int fd, int passfd, struct ward_err *err)
{
	struct sync_record rec = {.magic = SYNC_MAGIC_GO};
	int r = send_record(fd, &rec, passfd, 0);

	if (r < 0)
		return ward_err_set(err, WARD_STEP_SYNC, -r, "sending go to the child");
	return 0;
}

int ward_sync_wait_go(int fd, int *passfd)
{
	struct sync_record rec;
	ssize_t n = recv_record(fd, &rec, passfd);

	if (n != (ssize_t)sizeof(rec) || rec.magic != SYNC_MAGIC_GO) {
		if (passfd && *passfd >= 0)
			close(*passfd);
		if (passfd)
			*passfd = -1;
		return -EPIPE;
	}
	return 0;
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
	err->hint[0] = '\0';
	memcpy(err->msg, rec->msg, sizeof(err->msg));
	err->msg[sizeof(err->msg) - 1] = '\0';
	return rec->errnum > 0 ? -rec->errnum : -EINVAL;
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

int ward_sync_send_ready(int fd)
{
	struct sync_record rec = {.magic = SYNC_MAGIC_READY};

	return send_record(fd, &rec, -1, 0) < 0 ? -EPIPE : 0;
}

int ward_sync_wait_ready(int fd, struct ward_err *err)
{
	struct sync_record rec;
	ssize_t n = recv_retry(fd, &rec, sizeof(rec));

	if (n == (ssize_t)sizeof(rec) && rec.magic == SYNC_MAGIC_READY)
		return 0;
	if (n == (ssize_t)sizeof(rec))
		return take_error(&rec, err);
	if (n > 0)
		return ward_err_set(err, WARD_STEP_SYNC, EPROTO,
				    "malformed record from the child");
	return ward_err_set(err, WARD_STEP_SYNC, n < 0 ? errno : EPIPE,
			    "the sandbox died during setup");
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

int ward_sync_send_fd(int fd, int passfd, uint64_t tag)
{
	struct sync_record rec = {.magic = SYNC_MAGIC_FD};

	return send_record(fd, &rec, passfd, tag) < 0 ? -EPIPE : 0;
}

int ward_sync_recv_fd(int fd, int *passfd, struct ward_err *err)
{
	struct sync_record rec;
	int got;
	ssize_t n = recv_record(fd, &rec, &got);

	if (n == (ssize_t)sizeof(rec) && rec.magic == SYNC_MAGIC_FD && got >= 0) {
		*passfd = got;
		return 0;
	}
	if (got >= 0)
		close(got);
	if (n == (ssize_t)sizeof(rec) && rec.magic == SYNC_MAGIC_ERR)
		return take_error(&rec, err);
	return ward_err_set(err, WARD_STEP_SYNC, n < 0 ? errno : EPROTO,
			    n == 0 ? "the sandbox ended before handing over "
				     "its seccomp listener"
				   : "expected the seccomp listener from the child");
}
