/* Supervision, in tini's model but event-driven: every signal is blocked
 * and read from a signalfd; SIGCHLD means "reap now". */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch/notify.h"
#include "launch/supervisor.h"
#include "base/sys.h"

static const int forwarded[] = {
	SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
};

void ward_supervisor_forwarded(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

static int is_forwarded(int sig)
{
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		if (forwarded[i] == sig)
			return 1;
	return 0;
}

int ward_supervisor_stop_signal(int sig, int stop_signal)
{
	return sig == SIGTERM && stop_signal > 0 ? stop_signal : sig;
}

static int status_to_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* Reap everything that has exited; returns 1 when @app was among them.
 * *@alone: nothing is left to reap, so no other process runs in the
 * sandbox (every orphan is the init's child before its parent can be
 * reaped). */
static int reap(pid_t app, int *code, bool *alone)
{
	int found = 0;

	for (;;) {
		int status;
		pid_t p = waitpid(-1, &status, WNOHANG);

		if (p <= 0) {
			*alone = p < 0 && errno == ECHILD;
			return found;
		}
		if (p == app) {
			*code = status_to_code(status);
			found = 1;
		}
	}
}

/* The program is gone: tell the launcher its code at once when nothing
 * else runs in the sandbox, so `ward run` returns without waiting for the
 * kernel to tear the namespaces down; otherwise the init's own exit kills
 * the rest and the launcher reads the code from it. */
static __attribute__((noreturn)) void init_exit(int code, bool alone, int report_fd)
{
	if (alone && report_fd >= 0) {
		ssize_t n;

		do
			n = write(report_fd, &code, sizeof(code));
		while (n < 0 && errno == EINTR);
	}
	_exit(code);
}

/* To the program, or to its process group (init-signals group, as tini
 * -g): a group the program has not created yet gets it directly. */
static void forward_from_init(pid_t app, bool group, int sig)
{
	if (!group || kill(-app, sig) < 0)
		kill(app, sig);
}

void ward_init_run(pid_t app, bool group, int stop_signal, int report_fd)
{
	struct signalfd_siginfo si;
	sigset_t all;
	int sfd, code = 255;
	bool alone;

	sigfillset(&all);
	sfd = signalfd(-1, &all, SFD_CLOEXEC);
	if (sfd < 0)
		_exit(255);
	for (;;) {
		ssize_t n = read(sfd, &si, sizeof(si));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(si))
			_exit(255);
		if (si.ssi_signo == SIGCHLD) {
			if (reap(app, &code, &alone))
				init_exit(code, alone, report_fd);
		} else if (is_forwarded((int)si.ssi_signo)) {
			forward_from_init(app, group,
					  ward_supervisor_stop_signal((int)si.ssi_signo,
								      stop_signal));
		}
	}
}

static int forward(pid_t child, int pidfd, int sig)
{
	if (pidfd >= 0)
		return sys_pidfd_send_signal(pidfd, sig);
	return kill(child, sig);
}

enum event { EVENT_SIGNAL, EVENT_REPORT };

/* Wait for a signal or the init's report on @exitfd (when >= 0), passing
 * on NOTIFY_SOCKET messages meanwhile; an event or -errno. */
static int wait_event(int sfd, int exitfd, const struct ward_plan *plan)
{
	struct pollfd p[3] = {{.fd = sfd, .events = POLLIN},
			      {.fd = exitfd, .events = POLLIN},
			      {.fd = -1, .events = POLLIN}};

	if (plan && plan->notify_env)
		p[2].fd = plan->notify_in;
	for (;;) {
		if (poll(p, 3, -1) < 0)
			return errno == EINTR ? EVENT_SIGNAL : -errno;
		if (p[2].revents & POLLIN)
			ward_notify_forward(plan);
		if (p[1].revents)
			return EVENT_REPORT;
		if (p[0].revents)
			return EVENT_SIGNAL;
	}
}

/* The init's report: the program's code, or -1 when the init exited
 * without one (it then exits with the code itself). */
static int read_report(int exitfd)
{
	int code;
	ssize_t n;

	do
		n = read(exitfd, &code, sizeof(code));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(code) && code >= 0 && code <= 255 ? code : -1;
}

/* The program is pid 1 itself (--no-init): the launcher turns SIGTERM
 * into the stop signal; otherwise ward's init does. */
static int as_forwarded(const struct ward_plan *plan, int sig)
{
	if (!plan || !plan->own_init)
		return sig;
	return ward_supervisor_stop_signal(sig, plan->stop_signal);
}

int ward_supervise(pid_t child, int pidfd, int exitfd,
		   const struct ward_plan *plan, int *exit_code, struct ward_err *err)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int sfd, status, r;

	ward_supervisor_forwarded(&set);
	sigaddset(&set, SIGCHLD);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		return ward_err_set(err, WARD_STEP_SUPERVISE, errno, "signalfd");
	for (;;) {
		pid_t p = waitpid(child, &status, WNOHANG);

		if (p == child)
			break;
		if (p < 0 && errno != EINTR) {
			close(sfd);
			return ward_err_set(err, WARD_STEP_SUPERVISE, errno, "waitpid");
		}
		if ((r = wait_event(sfd, exitfd, plan)) < 0) {
			close(sfd);
			return ward_err_set(err, WARD_STEP_SUPERVISE, -r, "poll");
		}
		if (r == EVENT_REPORT) {
			if ((*exit_code = read_report(exitfd)) >= 0) {
				close(sfd);
				return 0;
			}
			exitfd = -1; /* no report: the init's own status follows */
			continue;
		}
		if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si) &&
		    si.ssi_signo != SIGCHLD)
			forward(child, pidfd, as_forwarded(plan, (int)si.ssi_signo));
	}
	close(sfd);
	*exit_code = status_to_code(status);
	return 0;
}
