/* The sockets handed to the program (socket activation, sd_listen_fds(3)):
 * bound or adopted by the launcher before clone, kept through the
 * sandbox's setup, moved to fd 3 onwards in the program's process right
 * before execve, and closed everywhere else (the launcher after clone,
 * ward's init at its start). */
#ifndef WARD_LAUNCH_LISTEN_H
#define WARD_LAUNCH_LISTEN_H

#include <stdbool.h>

#include "base/err.h"
#include "plan/plan.h"

#define WARD_MAX_ENV_NAME 128

/* Parent, in ward_launch_prepare, first: adopt the sockets ward itself
 * was given (LISTEN_FDS and LISTEN_FDNAMES, when LISTEN_PID is ward's
 * pid; the three variables are then taken out of ward's environment),
 * placed before the plan's own; then bind each listen directive's socket
 * in the caller's network namespace (SO_REUSEADDR and listen(SOMAXCONN)
 * for TCP, IPV6_V6ONLY as the plan says), CLOEXEC.  Every socket is left
 * in plan->listen[].fd.  0, or -errno with @err set (WARD_STEP_LISTEN;
 * WARD_STEP_PLAN for an inherited socket --net none or loopback cannot
 * confine): then nothing may be launched. */
int ward_listen_prepare(struct ward_plan *plan, struct ward_err *err);

/* Parent, once the sandbox has its copies: close the launcher's. */
void ward_listen_close(const struct ward_plan *plan);

/* Child, first thing after clone: close every descriptor above stderr
 * but @syncfd, @exitfd (when >= 0) and the plan's sockets. */
void ward_listen_close_others(const struct ward_plan *plan, int syncfd, int exitfd);

/* The program's environment with the socket-activation variables. */
struct ward_listen_env {
	char *vars[WARD_MAX_ENV + 6]; /* NULL-terminated */
	char listed[WARD_MAX_ENV_NAME + 4 * WARD_MAX_LISTEN + 2]; /* listen-env */
	char fds[32];
	char pid[32];
	char names[16 + WARD_MAX_LISTEN * WARD_LISTEN_NAME_MAX];
};

/* The program's process, right before execve: move the plan's sockets
 * to fd 3, 4, ... (without CLOEXEC), moving *@syncfd out of their way
 * when it is there, and build @out from @env: @env without any
 * LISTEN_FDS, LISTEN_PID or LISTEN_FDNAMES it held (nor the listen-env
 * variable), plus, when there are sockets, LISTEN_FDS=N, LISTEN_FDNAMES,
 * LISTEN_PID=getpid() (the program's pid as it sees it, inside its pid
 * namespace) and the listen-env variable ("3;4;"); and the relay's
 * NOTIFY_SOCKET (launch/notify.h) in place of any other.  0 or -errno
 * with @err set (WARD_STEP_LISTEN). */
int ward_listen_hand_over(const struct ward_plan *plan, char *const *env,
			  int *syncfd, struct ward_listen_env *out,
			  struct ward_err *err);

#endif
