/* The child: every setup step in launch order, failing closed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <linux/close_range.h>
#include <unistd.h>

#include "kernel/caps.h"
#include "base/explain.h"
#include "launch/identity.h"
#include "launch/confine.h"
#include "launch/launch.h"
#include "base/log.h"
#include "launch/net.h"
#include "launch/rootfs.h"
#include "seccomp/seccomp.h"
#include "launch/learn.h"
#include "launch/listen.h"
#include "launch/secrets.h"
#include "launch/supervisor.h"
#include "launch/sync.h"
#include "base/sys.h"
#include "launch/verify.h"

__attribute__((noreturn)) static void fail(int syncfd, const struct ward_err *err)
{
	char line[WARD_ERR_MSG_MAX + 256];

	if (syncfd < 0) { /* entrypoint mode, the program as pid 1: no launcher */
		ward_err_format(err, line, sizeof(line));
		fprintf(stderr, "%s\n", line);
		_exit(ward_err_exit_code(err));
	}
	ward_sync_send_error(syncfd, err);
	_exit(ward_err_exit_code(err));
}

static int set_hostname(const struct ward_plan *plan, struct ward_err *err)
{
	if (sys_sethostname(plan->hostname, strlen(plan->hostname)) < 0)
		return ward_err_set(err, WARD_STEP_HOSTNAME, errno, "sethostname %s",
				    plan->hostname);
	return 0;
}

/* No controlling terminal: the program cannot push input into the
 * caller's terminal (TIOCSTI, CVE-2017-5226 class). */
static int new_session(struct ward_err *err)
{
	if (sys_setsid() < 0)
		return ward_err_set(err, WARD_STEP_SESSION, errno, "setsid");
	return 0;
}

/* Everything ward inherited above stderr is closed at exec. */
int ward_child_close_fds_on_exec(struct ward_err *err)
{
	if (sys_close_range(3, UINT_MAX, CLOSE_RANGE_CLOEXEC) < 0)
		return ward_err_set(err, WARD_STEP_FDS, errno,
				    "close_range(3, ~0, CLOEXEC)");
	return 0;
}

/* chdir, then check the kernel agrees the cwd is inside the new root
 * (a leaked host directory shows as "(unreachable)": CVE-2024-21626). */
int ward_child_enter_workdir(const struct ward_plan *plan, struct ward_err *err)
{
	char cwd[PATH_MAX];

	if (chdir(plan->workdir) < 0)
		return ward_err_set(err, WARD_STEP_WORKDIR, errno, "chdir %s",
				    plan->workdir);
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
		return ward_err_set(err, WARD_STEP_WORKDIR, errno ? errno : EXDEV,
				    "working directory is outside the sandbox root");
	return 0;
}

int ward_child_set_rlimits(const struct ward_plan *plan, struct ward_err *err)
{
	for (size_t i = 0; i < plan->nrlimits; i++)
		if (sys_setrlimit(plan->rlimits[i].resource,
				  &plan->rlimits[i].value) < 0)
			return ward_err_set(err, WARD_STEP_RLIMITS, errno,
					    "setrlimit(%d)", plan->rlimits[i].resource);
	return 0;
}

int ward_child_set_no_new_privs(struct ward_err *err)
{
	if (sys_prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return ward_err_set(err, WARD_STEP_NNP, errno, "PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "PR_GET_NO_NEW_PRIVS does not report 1");
	return 0;
}

/* The uid change cleared the parent-death signal; set it again and make
 * sure the launcher did not die in between (its end of the sync socket
 * would then be closed). */
static int rearm_parent_death(int syncfd, struct ward_err *err)
{
	char c;

	if (sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return ward_err_set(err, WARD_STEP_INIT, errno, "PR_SET_PDEATHSIG");
	if (recv(syncfd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
		return ward_err_set(err, WARD_STEP_INIT, EPIPE, "the launcher is gone");
	return 0;
}

static int setup_privileged(const struct ward_plan *plan, struct ward_err *err)
{
	int r;

	if ((r = ward_child_close_fds_on_exec(err)) < 0 ||
	    (r = ward_rootfs_setup(plan, err)) < 0 ||
	    (r = ward_secrets_child_setup(plan, err)) < 0)
		return r;
	ward_log("mounts", "root %s read-only, /proc /dev /tmp /run, %zu bind(s)",
		 plan->rootfs ? plan->rootfs : "(host)", plan->nbinds);
	if ((r = set_hostname(plan, err)) < 0 ||
	    (r = ward_net_child_setup(plan, err)) < 0 ||
	    (r = new_session(err)) < 0 ||
	    (r = ward_child_enter_workdir(plan, err)) < 0 ||
	    (r = ward_child_set_rlimits(plan, err)) < 0)
		return r;
	ward_log("net", "%s", plan->net == WARD_NET_HOST ? "host network" :
		 plan->net == WARD_NET_NONE ? "new netns, nothing up" :
		 plan->net == WARD_NET_VETH ? "new netns, lo and eth0 up, default route via the host end" :
		 "new netns, lo up");
	return 0;
}

int ward_child_drop_privileges(const struct ward_plan *plan, struct ward_err *err)
{
	int r;

	if ((r = ward_caps_drop_bounding(plan->caps_keep, err)) < 0 ||
	    (r = ward_identity_apply(plan, err)) < 0 ||
	    (r = ward_caps_trim(plan->caps_keep, err)) < 0 ||
	    (r = ward_caps_verify(plan->caps_keep, err)) < 0 ||
	    (r = ward_child_set_no_new_privs(err)) < 0)
		return r;
	ward_log("identity", "uid %u gid %u, capabilities verified, no_new_privs",
		 plan->uid, plan->gid);
	return 0;
}

/* Search PATH from the program's environment, inside the new root. */
static int exec_program(const struct ward_plan *plan, char *const *env,
			struct ward_err *err)
{
	const char *name = plan->argv[0], *path = "/usr/bin:/bin";
	char buf[PATH_MAX];
	int saved = ENOENT;

	if (strchr(name, '/')) {
		sys_execve(name, plan->argv, env);
		return ward_err_set(err, WARD_STEP_EXEC, errno, "%s", name);
	}
	for (size_t i = 0; env[i]; i++)
		if (strncmp(env[i], "PATH=", 5) == 0)
			path = env[i] + 5;
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n > 0 && snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path,
				      name) < (int)sizeof(buf)) {
			sys_execve(buf, plan->argv, env);
			if (errno != ENOENT && errno != ENOTDIR)
				saved = errno;
		}
		path += n + (path[n] == ':');
	}
	return ward_err_set(err, WARD_STEP_EXEC, saved,
			    "%s (searched PATH inside the sandbox)", name);
}

void ward_child_run_program(const struct ward_plan *plan, int syncfd)
{
	struct ward_listen_env env;
	struct ward_err err = {0};
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* init-signals group: the program leads a process group of its own,
	 * which the init signals as a whole. */
	if (plan->signal_group && !plan->own_init && setpgid(0, 0) < 0) {
		ward_err_set(&err, WARD_STEP_INIT, errno, "setpgid");
		fail(syncfd, &err);
	}
	/* The program's own Landlock layer, so that it cannot signal the
	 * init that forked it (entrypoint mode, ward not pid 1); after the
	 * fork, or ward would share it, and before seccomp, which may deny
	 * the landlock syscalls.  no_new_privs is set already. */
	if (plan->landlock_scope_signal && ward_confine_signal_scope(&err) < 0)
		fail(syncfd, &err);
	/* The sockets to fd 3 onwards and LISTEN_PID, this process's pid as
	 * the program will see it (execve keeps it). */
	if (ward_listen_hand_over(plan, plan->env, &syncfd, &env, &err) < 0)
		fail(syncfd, &err);
	/* Last, right before execve: nothing ward does after this point
	 * needs more than the program itself may do. */
	if (plan->seccomp_mode != WARD_SECCOMP_OFF && plan->seccomp_prog.len == 0) {
		ward_err_set(&err, WARD_STEP_SECCOMP, EINVAL,
			     "empty filter for a mode that needs one");
		fail(syncfd, &err);
	}
	if ((plan->seccomp_learn
	     ? ward_seccomp_learn_load(&plan->seccomp_prog, syncfd, &err)
	     : ward_seccomp_load(&plan->seccomp_prog, &err)) < 0)
		fail(syncfd, &err);
	exec_program(plan, env.vars, &err);
	fail(syncfd, &err);
}

void ward_child_main(const struct ward_plan *plan, int syncfd, int exitfd)
{
	struct ward_err err = {0};
	sigset_t all;
	pid_t app;
	int pdeath = 0, outside = -1, report;
	bool landlocked;

	if (sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		pdeath = errno;
	/* Inherited descriptors are closed before anything reads the image:
	 * a symlink to /proc/self/fd/N must find nothing (CVE-2019-5736
	 * class).  The CLOEXEC pass in setup stays as a second layer. */
	ward_listen_close_others(plan, syncfd, exitfd); /* the program's sockets stay */
	/* sync 1: wait until the parent has written the id maps.  A failure
	 * before this point is reported after it: the parent reads error
	 * records only once it has sent "go". */
	if (ward_sync_wait_go(syncfd, &outside) < 0)
		_exit(ward_step_exit_code(WARD_STEP_SYNC));
	if (pdeath) {
		ward_err_set(&err, WARD_STEP_INIT, pdeath, "PR_SET_PDEATHSIG");
		fail(syncfd, &err);
	}
	if (setup_privileged(plan, &err) < 0 || ward_child_drop_privileges(plan, &err) < 0 ||
	    ward_confine_apply(plan, false, &landlocked, &err) < 0 ||
	    ward_verify_from_outside(outside, plan, &err) < 0 ||
	    rearm_parent_death(syncfd, &err) < 0)
		fail(syncfd, &err);
	close(outside);
	if (ward_sync_send_ready(syncfd) < 0) /* sync 2, one way */
		_exit(ward_step_exit_code(WARD_STEP_SYNC));
	if (plan->own_init)
		ward_child_run_program(plan, syncfd);
	/* pid 1 takes every signal through its signalfd; block them before
	 * the fork so no SIGCHLD can be lost. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* vfork: the program starts without copying the init's memory; the
	 * child only unblocks signals, loads the filter and executes (or
	 * reports and _exits), and the init waits meanwhile. */
	app = vfork();
	if (app < 0) {
		ward_err_set(&err, WARD_STEP_INIT, errno, "fork");
		fail(syncfd, &err);
	}
	if (app == 0)
		ward_child_run_program(plan, syncfd);
	/* sync 4 is the program's: pid 1 must not hold the socket open, or
	 * the launcher waits in sync 4 until the program exits, forwarding
	 * no signal meanwhile.  close() first: close_range may fail.  The
	 * init keeps the exit pipe alone, as fd 3. */
	close(syncfd);
	report = exitfd < 0 || exitfd == 3 ? exitfd : dup3(exitfd, 3, O_CLOEXEC);
	sys_close_range(report >= 0 ? 4 : 3, UINT_MAX, 0); /* -1: the launcher waits instead */
	ward_init_run(app, plan->signal_group, plan->stop_signal, report);
}
