/* Entrypoint mode: ward as the ENTRYPOINT of a container, where the
 * kernel (or the engine's seccomp profile) refuses new namespaces.  ward
 * then applies what needs no namespace: no engine socket mounted in,
 * inherited fds closed, rlimits, the bounding set, groups, ids, the other
 * capability sets, no_new_privs and seccomp; and it stays as the
 * program's init.  What it cannot apply is listed on stderr at start. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/dockersock.h"
#include "ward/launch.h"
#include "ward/log.h"
#include "ward/supervisor.h"
#include "ward/sync.h"
#include "ward/sys.h"

static void list_layers(const struct ward_plan *plan)
{
	fprintf(stderr,
		"ward: entrypoint mode: not applied (no namespaces here): a private, read-only "
		"root; masked /proc; a minimal /dev; private pid, network, uts, ipc and cgroup "
		"namespaces\n"
		"ward: entrypoint mode: applied: uid %u gid %u, groups, every capability set, "
		"no_new_privs, %s, fds closed, %s\n",
		plan->uid, plan->gid,
		plan->seccomp_mode == WARD_SECCOMP_OFF ? "NO seccomp filter" : "seccomp filter",
		plan->own_init ? "the program as pid 1" : "ward as the program's init");
}

static int check_start(struct ward_err *err)
{
	if (geteuid() != 0)
		return ward_err_set(err, WARD_STEP_IDS, EPERM,
				    "entrypoint mode starts as root and drops to --user itself; start the container as root (leave USER unset)");
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return ward_err_set(err, WARD_STEP_INIT, errno, "PR_SET_CHILD_SUBREAPER");
	return 0;
}

/* Fork the program; 0 once it has executed, or its error. */
static int start_program(const struct ward_plan *plan, pid_t *app,
			 struct ward_err *err)
{
	int fds[2], r;
	sigset_t all;

	if ((r = ward_sync_pair(fds, err)) < 0)
		return r;
	/* Block every signal before the fork: the init reads them from a
	 * signalfd and must not lose a SIGCHLD. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	*app = fork();
	if (*app < 0) {
		close(fds[0]);
		close(fds[1]);
		return ward_err_set(err, WARD_STEP_INIT, errno, "fork");
	}
	if (*app == 0) {
		close(fds[0]);
		ward_child_run_program(plan, fds[1]);
	}
	close(fds[1]);
	r = ward_sync_wait_exec(fds[0], err);
	close(fds[0]);
	if (r < 0)
		while (waitpid(*app, NULL, 0) < 0 && errno == EINTR)
			;
	return r;
}

int ward_entrypoint_run(const struct ward_plan *plan, int *exit_code,
			struct ward_err *err)
{
	pid_t app;
	int r;

	if ((r = ward_dockersock_check_mounted(plan->engine_sockets, err)) < 0 ||
	    (r = check_start(err)) < 0)
		return r;
	list_layers(plan);
	if ((r = ward_child_close_fds_on_exec(err)) < 0 ||
	    (r = ward_child_enter_workdir(plan, err)) < 0 ||
	    (r = ward_child_set_rlimits(plan, err)) < 0 ||
	    (r = ward_child_drop_privileges(plan, err)) < 0)
		return r;
	if (plan->own_init)
		ward_child_run_program(plan, -1);
	if ((r = start_program(plan, &app, err)) < 0)
		return r;
	ward_log("exec", "%s started as pid %d", plan->argv[0], (int)app);
	(void)exit_code;
	/* The init keeps nothing it inherited either. */
	sys_close_range(3, UINT_MAX, 0);
	ward_init_run(app);
}
