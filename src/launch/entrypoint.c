/* Entrypoint mode: ward as the ENTRYPOINT of a container, where the
 * kernel (or the engine's seccomp profile) refuses new namespaces.  ward
 * then applies what needs no namespace: no engine socket mounted in,
 * writable paths checked, secret-looking variables withheld, inherited
 * fds closed, rlimits, the bounding set, groups, ids, the other
 * capability sets, no_new_privs, Landlock and seccomp; and it stays as
 * the program's init.  What it cannot apply is listed on stderr. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/resource.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/caps.h"
#include "launch/confine.h"
#include "engine/dockersock.h"
#include "launch/entrypoint.h"
#include "launch/launch.h"
#include "base/log.h"
#include "launch/prepare.h"
#include "launch/secrets.h"
#include "launch/supervisor.h"
#include "launch/sync.h"
#include "base/sys.h"

extern char **environ;

/* The program's Landlock signal scope: not needed (ward is pid 1, or the
 * program is its own init), on, or missing ('landlock optional'). */
enum signal_scope { SCOPE_UNNEEDED, SCOPE_ON, SCOPE_MISSING };

static void list_layers(const struct ward_plan *plan,
			const struct ward_entrypoint_start *s, bool landlocked,
			enum signal_scope scope, const struct ward_entrypoint_env *env)
{
	if (plan->quiet) /* ward check reports the same layers */
		return;
	fprintf(stderr,
		"ward: entrypoint mode: not applied (no namespaces here): a private, read-only "
		"root; masked /proc; a minimal /dev; private pid, network, uts, ipc and cgroup "
		"namespaces\n");
	if (!s->privileged)
		fprintf(stderr,
			"ward: entrypoint mode: not applied (started as uid %u, not root): the bounding "
			"set stays %016llx as the engine gave it; no_new_privs keeps any exec from "
			"gaining it\n", s->uid, s->bounding);
	if (s->kept_groups[0])
		fprintf(stderr,
			"ward: entrypoint mode: not applied (started as uid %u, not root): supplementary "
			"groups %s stay; remove the user from them in the image's /etc/group\n",
			s->uid, s->kept_groups);
	if (!landlocked)
		fprintf(stderr, "ward: entrypoint mode: not applied: Landlock (the file system "
			"stays writable wherever the container allows)\n");
	if (scope == SCOPE_MISSING)
		fprintf(stderr, "ward: entrypoint mode: not applied: a Landlock signal scope "
			"(the program can kill ward, which is not pid 1)\n");
	fprintf(stderr,
		"ward: entrypoint mode: applied: uid %u gid %u, %s, capabilities: %s, "
		"no_new_privs, %s%s%s, fds closed, %s\n",
		s->uid, s->gid, s->privileged ? "groups cleared" : "groups as started",
		s->privileged ? "every set trimmed" :
			"permitted, effective, inheritable and ambient emptied",
		landlocked ? "Landlock (read-only except the writable paths), " : "",
		scope == SCOPE_ON ? "a Landlock signal scope (the program cannot signal ward), " : "",
		plan->seccomp_mode == WARD_SECCOMP_OFF ? "NO seccomp filter" : "seccomp filter",
		plan->own_init ? "the program as pid 1" : "ward as the program's init");
	if (env->nwithheld)
		fprintf(stderr,
			"ward: entrypoint mode: withheld %zu secret-looking variable(s) from the "
			"program: %s (pass one by name with env-pass NAME in the profile, or "
			"better, as a file)\n", env->nwithheld, env->withheld);
}

static int become_subreaper(struct ward_err *err)
{
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return ward_err_set(err, WARD_STEP_INIT, errno, "PR_SET_CHILD_SUBREAPER");
	return 0;
}

/* Started as a non-root user: nothing to switch, only sets to empty. */
static int drop_unprivileged(struct ward_err *err)
{
	int r;

	if ((r = ward_caps_trim(0, err)) < 0 ||
	    (r = ward_caps_verify_unprivileged(err)) < 0 ||
	    (r = ward_child_set_no_new_privs(err)) < 0)
		return r;
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

/* The program's copy of the plan: its ids and environment. */
static void program_plan(struct ward_plan *run, const struct ward_plan *plan,
			 const struct ward_entrypoint_start *s,
			 const struct ward_entrypoint_env *env)
{
	*run = *plan; /* shallow: borrows the plan's strings, never freed */
	/* Without a user namespace of its own, RLIMIT_NPROC counts every
	 * process of the uid in the container's namespace (often the host's):
	 * the default nproc could refuse this program for others' sake. */
	run->nrlimits = 0;
	for (size_t i = 0; i < plan->nrlimits; i++)
		if (!(plan->rlimits[i].by_default &&
		      plan->rlimits[i].resource == RLIMIT_NPROC))
			run->rlimits[run->nrlimits++] = plan->rlimits[i];
	run->uid = s->uid;
	run->gid = s->gid;
	memcpy(run->env, env->vars, sizeof(run->env));
	run->nenv = env->n;
}

static int prepare(const struct ward_plan *plan, struct ward_entrypoint_start *s,
		   struct ward_entrypoint_env *env, struct ward_err *err)
{
	int r;

	if ((r = ward_dockersock_check_mounted(plan->engine_sockets, err)) < 0 ||
	    (r = ward_entrypoint_check_start(plan, s, err)) < 0 ||
	    (r = ward_entrypoint_check_sockets(plan, s->uid, s->gid, s->privileged,
					       err)) < 0 ||
	    (r = ward_entrypoint_check_writable(plan, s->uid, s->gid, err)) < 0 ||
	    (r = ward_secrets_entrypoint_setup(plan, s->uid, s->gid, s->privileged,
					       err)) < 0 ||
	    (r = become_subreaper(err)) < 0)
		return r;
	if ((r = ward_entrypoint_env_build(plan, environ, s->uid, env, err)) < 0)
		return r;
	ward_entrypoint_env_scrub(env, environ);
	return 0;
}

/* Not pid 1 (docker run --init, tini): ward runs as the program's uid,
 * so the program could kill its init unless a Landlock layer of its own
 * scopes its signals.  As pid 1, the kernel drops SIGKILL and SIGSTOP
 * sent to ward from inside its pid namespace; with the program as its
 * own init there is no ward left to protect. */
static int plan_signal_scope(struct ward_plan *run, enum signal_scope *scope,
			     struct ward_err *err)
{
	int r;

	*scope = SCOPE_UNNEEDED;
	if (run->own_init || getpid() == 1)
		return 0;
	r = ward_confine_signal_scope_check(run, &run->landlock_scope_signal, err);
	if (r < 0)
		return r;
	*scope = run->landlock_scope_signal ? SCOPE_ON : SCOPE_MISSING;
	return 0;
}

static int harden(const struct ward_plan *run, const struct ward_entrypoint_start *s,
		  bool *landlocked, struct ward_err *err)
{
	int r;

	if ((r = ward_child_close_fds_on_exec(err)) < 0 ||
	    (r = ward_child_enter_workdir(run, err)) < 0 ||
	    (r = ward_child_set_rlimits(run, err)) < 0)
		return r;
	r = s->privileged ? ward_child_drop_privileges(run, err) : drop_unprivileged(err);
	if (r < 0)
		return r;
	return ward_confine_apply(run, true, landlocked, err);
}

int ward_entrypoint_run(const struct ward_plan *plan, int *exit_code,
			struct ward_err *err)
{
	static struct ward_entrypoint_env env; /* lives until exec or exit */
	struct ward_entrypoint_start start;
	struct ward_plan run;
	bool landlocked = false;
	enum signal_scope scope;
	pid_t app;
	int r;

	if ((r = ward_launch_check_prepared(plan, err)) < 0)
		return r;
	/* Not dumpable: a program of the same uid (a non-root start) can
	 * read neither ward's memory nor its /proc files; its own exec makes
	 * it dumpable again. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return ward_err_set(err, WARD_STEP_INIT, errno, "PR_SET_DUMPABLE 0");
	if ((r = prepare(plan, &start, &env, err)) < 0)
		return r;
	program_plan(&run, plan, &start, &env);
	/* The scope after ward's own Landlock layer: without Landlock at
	 * all, that one names the problem (or warns, 'landlock optional'). */
	if ((r = harden(&run, &start, &landlocked, err)) < 0 ||
	    (r = plan_signal_scope(&run, &scope, err)) < 0)
		return r;
	list_layers(plan, &start, landlocked, scope, &env);
	if (run.own_init)
		ward_child_run_program(&run, -1);
	if ((r = start_program(&run, &app, err)) < 0)
		return r;
	ward_secrets_wipe(plan, env.vars); /* the program has its copy */
	ward_log("exec", "%s started as pid %d", run.argv[0], (int)app);
	(void)exit_code;
	/* The init keeps nothing it inherited either. */
	sys_close_range(3, UINT_MAX, 0);
	ward_init_run(app, run.signal_group, run.stop_signal, -1);
}
