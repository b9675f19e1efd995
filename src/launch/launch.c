/* The parent side of a launch: clone, maps, sync, supervise. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "launch/launch.h"
#include "base/log.h"
#include "seccomp/seccomp.h"
#include "launch/learn.h"
#include "launch/listen.h"
#include "launch/notify.h"
#include "launch/net.h"
#include "launch/prepare.h"
#include "launch/secrets.h"
#include "launch/sigsys.h"
#include "launch/supervisor.h"
#include "launch/sync.h"
#include "base/sys.h"
#include "launch/userns.h"
#include "launch/verify.h"

static pid_t clone_sandbox(const struct ward_plan *plan, int *pidfd,
			   struct ward_err *err)
{
	struct clone_args args = {
		.flags = (unsigned long long)plan->clone_flags | CLONE_PIDFD,
		.pidfd = (unsigned long long)(uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid = sys_clone3(&args, sizeof(args));

	if (pid < 0 && errno == ENOSYS)
		pid = sys_clone_legacy((unsigned long)plan->clone_flags | CLONE_PIDFD,
				       pidfd);
	if (pid < 0)
		return ward_err_set(err, WARD_STEP_CLONE, errno,
				    "clone3 with new user, mount, pid, uts, ipc, cgroup%s namespaces",
				    plan->net == WARD_NET_HOST ? "" : ", net");
	return pid;
}

/* The kernel refused the namespaces.  Fall back to entrypoint mode only
 * where a profile said 'fallback entrypoint'; otherwise say what was
 * refused and how to allow the fallback. */
static int fall_back(const struct ward_plan *plan, int r, int *exit_code,
		     struct ward_err *err)
{
	int e = -r;

	if (e != EPERM && e != EINVAL && e != ENOSPC && e != EUSERS)
		return r;
	if (plan->mode == WARD_MODE_AUTO && plan->fallback_entrypoint) {
		ward_notify_unlink(plan); /* NOTIFY_SOCKET reaches the program as it is */
		if (!plan->quiet)
			fprintf(stderr, "ward: namespaces: refused here (%s); the profile allows "
				"'fallback entrypoint': continuing with fewer layers\n",
				strerror(e));
		return ward_entrypoint_run(plan, exit_code, err);
	}
	if (plan->mode == WARD_MODE_AUTO) {
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n,
			 " (where namespaces are refused, as inside a container: "
			 "--mode entrypoint, or 'fallback entrypoint' in the profile)");
	}
	return r;
}

static void kill_and_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* After a setup failure: the child has reported and exits by itself. */
static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int ward_launch(const struct ward_plan *plan, int *exit_code,
		struct ward_err *err)
{
	_cleanup_close_ int pidfd = -1;
	_cleanup_close_ int status = -1;
	_cleanup_close_ int exitfd = -1; /* the init's report (supervisor.h) */
	/* Runs at every return below, once the program is gone (the
	 * sandbox's init may still be exiting after its report). */
	__attribute__((cleanup(ward_net_parent_cleanup))) struct ward_net_parent net = {0};
	__attribute__((cleanup(ward_sigsys_watch_close))) struct ward_sigsys_watch sigsys =
		WARD_SIGSYS_WATCH_INIT;
	/* The relay's host path, whatever happens (unlinked at sync 2 too). */
	__attribute__((cleanup(ward_notify_unlinkp))) const struct ward_plan *relay __attribute__((unused)) = plan;
	int fds[2], exitp[2] = {-1, -1}, r;
	sigset_t block;
	pid_t pid;

	if ((r = ward_launch_check_prepared(plan, err)) < 0)
		return r;
	if (plan->mode == WARD_MODE_ENTRYPOINT)
		return ward_entrypoint_run(plan, exit_code, err);
	if ((r = ward_userns_check_root_caps(plan, err)) < 0 ||
	    (r = ward_sync_pair(fds, err)) < 0)
		return r;
	/* the init's report: only ward_supervise reads it */
	if (!plan->own_init && !plan->seccomp_learn && pipe2(exitp, O_CLOEXEC) < 0) {
		close(fds[0]);
		close(fds[1]);
		return ward_err_set(err, WARD_STEP_SYNC, errno, "pipe2 for the init's report");
	}
	exitfd = exitp[0];
	/* Blocked before clone: nothing sent during setup is lost, it is
	 * forwarded once supervision starts. */
	ward_supervisor_forwarded(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, NULL);
	ward_sigsys_watch_start(&sigsys, plan); /* the kernel log, from now on */
	pid = clone_sandbox(plan, &pidfd, err);
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		close(exitp[1]);
		return fall_back(plan, pid, exit_code, err);
	}
	if (pid == 0) {
		close(fds[0]);
		close(exitfd);
		ward_child_main(plan, fds[1], exitp[1]);
	}
	close(fds[1]);
	if (exitp[1] >= 0)
		close(exitp[1]);
	ward_secrets_wipe(plan, NULL); /* the child has its own copy now */
	ward_listen_close(plan); /* the sandbox has them now */
	ward_log("namespaces", "sandbox is pid %d", (int)pid);
	/* sync 1: maps, the veth pair (its sandbox end must exist before the
	 * child configures it), then go with the launcher's view of the
	 * child's status (verify.h). */
	if ((r = ward_userns_parent_setup(pid, plan, err)) < 0 ||
	    (r = ward_net_parent_setup(pid, plan, &net, err)) < 0 ||
	    (r = ward_verify_open_status(pid, &status, err)) < 0 ||
	    (r = ward_sync_send_go(fds[0], status, err)) < 0) {
		close(fds[0]);
		kill_and_reap(pid);
		return r;
	}
	close(status);
	status = -1;
	/* sync 2: the child has set up and verified everything (it did not
	 * wait for this read). */
	if ((r = ward_sync_wait_ready(fds[0], err)) < 0) {
		close(fds[0]);
		kill_and_reap(pid);
		return r;
	}
	ward_log("verify", "the sandbox is set up; credentials checked as the launcher sees them");
	ward_notify_unlink(plan); /* the sandbox has the relay mounted */
	if (plan->seccomp_learn) /* ward seccomp learn: the listener, sync 4 */
		return ward_seccomp_learn_supervise(plan, pid, pidfd, fds[0],
						    exit_code, err);
	/* sync 4: EOF means the program was executed. */
	r = ward_sync_wait_exec(fds[0], err);
	close(fds[0]);
	if (r < 0) {
		if (err->step == WARD_STEP_EXEC || err->step == WARD_STEP_SECCOMP)
			reap(pid);
		else
			kill_and_reap(pid);
		return r;
	}
	ward_log("exec", "%s started", plan->argv[0]);
	ward_sigsys_watch_exec(&sigsys, plan, pid);
	r = ward_supervise(pid, pidfd, exitfd, plan, exit_code, err);
	if (r == 0)
		ward_sigsys_watch_report(&sigsys, *exit_code);
	return r;
}
