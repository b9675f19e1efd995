/* ward seccomp learn, the launcher's side: the child hands the
 * listener over, the launcher answers every notification (see
 * seccomp/learn.h for the protocol). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include "seccomp/libseccomp_dl.h"
#include "base/cleanup.h"
#include "base/explain.h"
#include "base/sys.h"
#include "launch/learn.h"
#include "launch/supervisor.h"
#include "launch/sync.h"


int ward_seccomp_learn_load(const struct sock_fprog *prog, int syncfd,
			    struct ward_err *err)
{
	long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);

	if (listener < 0)
		return ward_err_set(err, WARD_STEP_SECCOMP, errno,
				    "seccomp(SECCOMP_FILTER_FLAG_NEW_LISTENER)");
	/* From here on every other syscall waits for the launcher. */
	if (ward_sync_send_fd(syncfd, (int)listener, WARD_LEARN_FD_TAG) < 0)
		_exit(ward_step_exit_code(WARD_STEP_SYNC));
	return 0; /* the listener is close-on-exec */
}

/* ---- the launcher's side ----------------------------------------------- */

/* Receive one notification, record it, let the call proceed.  ENOENT:
 * the caller died meanwhile, nothing to answer. */
static void answer(int listener, struct ward_seccomp_learned *l)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req)); /* the kernel wants it zeroed */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return;
	ward_seccomp_learned_add(l, req.data.arch, req.data.nr);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* Fails only with ENOENT, when the caller died meanwhile. */
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void reap_child(pid_t pid, bool kill_first)
{
	if (kill_first)
		kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Until the program has been executed: its execve itself waits for an
 * answer, so notifications are served while sync 4 is awaited. */
static int wait_exec(int syncfd, int listener, struct ward_seccomp_learned *l,
		     struct ward_err *err)
{
	for (;;) {
		struct pollfd p[2] = {{syncfd, POLLIN, 0}, {listener, POLLIN, 0}};

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return ward_err_set(err, WARD_STEP_SUPERVISE, errno,
					    "poll");
		}
		if (p[1].revents & POLLIN)
			answer(listener, l);
		if (p[0].revents)
			return ward_sync_wait_exec(syncfd, err);
	}
}

static void drain_signals(int sfd, pid_t pid, int pidfd, bool *chld)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			*chld = true;
		else if (pidfd >= 0)
			sys_pidfd_send_signal(pidfd, (int)si.ssi_signo);
		else
			kill(pid, (int)si.ssi_signo);
	}
}

static int status_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
}

/* Answer and forward until @pid exits. */
static int serve(pid_t pid, int pidfd, int listener,
		 struct ward_seccomp_learned *l, int *exit_code,
		 struct ward_err *err)
{
	_cleanup_close_ int sfd = -1;
	sigset_t set;
	int status;

	ward_supervisor_forwarded(&set);
	sigaddset(&set, SIGCHLD);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		return ward_err_set(err, WARD_STEP_SUPERVISE, errno, "signalfd");
	for (;;) {
		struct pollfd p[2] = {{sfd, POLLIN, 0}, {listener, POLLIN, 0}};
		bool chld = false;
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return ward_err_set(err, WARD_STEP_SUPERVISE, errno,
					    "waitpid");
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return ward_err_set(err, WARD_STEP_SUPERVISE, errno,
					    "poll");
		if (p[1].revents & POLLIN)
			answer(listener, l);
		/* No task uses the filter any more: stop polling it. */
		if (p[1].revents & (POLLHUP | POLLERR | POLLNVAL))
			listener = -1;
		if (p[0].revents & POLLIN)
			drain_signals(sfd, pid, pidfd, &chld);
	}
	*exit_code = status_code(status);
	return 0;
}

int ward_seccomp_learn_supervise(const struct ward_plan *plan, pid_t pid,
				 int pidfd, int syncfd, int *exit_code,
				 struct ward_err *err)
{
	_cleanup_close_ int owned = syncfd;
	_cleanup_close_ int listener = -1;
	int r = ward_sync_recv_fd(owned, &listener, err);

	if (r == 0)
		r = wait_exec(owned, listener, plan->seccomp_learn, err);
	if (r < 0) {
		/* A child that reported its own failure exits by itself. */
		reap_child(pid, err->step != WARD_STEP_EXEC &&
					err->step != WARD_STEP_SECCOMP);
		return r;
	}
	return serve(pid, pidfd, listener, plan->seccomp_learn, exit_code, err);
}
