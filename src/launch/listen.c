/* The program's sockets, from bind to execve (see listen.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/sys.h"
#include "launch/listen.h"
#include "plan/listen.h"

#define FIRST_FD 3 /* SD_LISTEN_FDS_START */

/* ---- the launcher: bind ---------------------------------------------------- */

static int sockopt_int(int fd, int level, int name, int value, const char *what,
		       const struct ward_listen *l, struct ward_err *err)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
		return ward_err_set(err, WARD_STEP_LISTEN, errno, "listen %s: %s",
				    l->text, what);
	return 0;
}

static int open_one(struct ward_listen *l, struct ward_err *err)
{
	_cleanup_close_ int fd = -1;
	struct sockaddr_storage ss;
	socklen_t len;
	int r;

	fd = sys_socket(l->family, l->type | SOCK_CLOEXEC, l->protocol);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_LISTEN, errno, "listen %s: socket", l->text);
	if (l->type == SOCK_STREAM &&
	    (r = sockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR", l, err)) < 0)
		return r;
	if (l->family == AF_INET6 &&
	    (r = sockopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, l->v6only, "IPV6_V6ONLY", l, err)) < 0)
		return r;
	ward_listen_sockaddr(l, &ss, &len);
	if (sys_bind(fd, &ss, len) < 0)
		return ward_err_set(err, WARD_STEP_LISTEN, errno,
				    "listen %s: bind in the caller's network", l->text);
	if (l->type == SOCK_STREAM && sys_listen(fd, SOMAXCONN) < 0)
		return ward_err_set(err, WARD_STEP_LISTEN, errno, "listen %s: listen", l->text);
	l->fd = TAKE_FD(fd);
	return 0;
}

/* ---- the launcher: sockets ward was given -------------------------------------- */

static int parse_count(const char *s, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return (errno || end == s || *end || *out < 0 || *out > max) ? -EINVAL : 0;
}

/* The @i-th name of LISTEN_FDNAMES ("unknown" when missing, as systemd
 * says of an unnamed socket). */
static void nth_name(const char *names, size_t i, char *out, size_t len)
{
	const char *p = names;

	for (size_t k = 0; p && k < i; k++)
		if ((p = strchr(p, ':')))
			p++;
	if (!p || !*p || *p == ':') {
		snprintf(out, len, "unknown");
		return;
	}
	snprintf(out, len, "%.*s", (int)strcspn(p, ":"), p);
}

static int getsockopt_int(int fd, int name, int *out)
{
	socklen_t len = sizeof(*out);

	return getsockopt(fd, SOL_SOCKET, name, out, &len);
}

static int adopt_one(int fd, const char *names, size_t i, struct ward_listen *l,
		     struct ward_err *err)
{
	char name[WARD_LISTEN_NAME_MAX];
	struct stat st;

	memset(l, 0, sizeof(*l));
	l->fd = -1;
	l->inherited = true;
	nth_name(names, i, name, sizeof(name));
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->text, sizeof(l->text), "fd %d (%s)", fd, name);
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return ward_err_set(err, WARD_STEP_LISTEN, errno ? errno : ENOTSOCK,
				    "LISTEN_FDS: %s is not an open socket", l->text);
	if (getsockopt_int(fd, SO_DOMAIN, &l->family) < 0 ||
	    getsockopt_int(fd, SO_TYPE, &l->type) < 0 ||
	    getsockopt_int(fd, SO_PROTOCOL, &l->protocol) < 0)
		return ward_err_set(err, WARD_STEP_LISTEN, errno,
				    "LISTEN_FDS: %s: reading its family and type", l->text);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return ward_err_set(err, WARD_STEP_LISTEN, errno, "LISTEN_FDS: %s: CLOEXEC",
				    l->text);
	l->fd = fd;
	return 0;
}

static void forget_activation(void)
{
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDNAMES");
}

/* LISTEN_FDS for ward's pid: fds 3.. go first, before the plan's own. */
static int adopt_inherited(struct ward_plan *plan, struct ward_err *err)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	const char *names = getenv("LISTEN_FDNAMES");
	long n, owner;
	int r;

	if (!fds)
		return 0;
	if (!pid || parse_count(pid, INT_MAX, &owner) < 0 || owner != getpid()) {
		forget_activation(); /* meant for another process */
		return 0;
	}
	if (parse_count(fds, (long)(WARD_MAX_LISTEN - plan->nlisten), &n) < 0)
		return ward_err_set(err, WARD_STEP_LISTEN, EINVAL,
				    "LISTEN_FDS=%s: expected a count of at most %zu sockets",
				    fds, WARD_MAX_LISTEN - plan->nlisten);
	memmove(&plan->listen[n], &plan->listen[0], plan->nlisten * sizeof(plan->listen[0]));
	plan->nlisten += (size_t)n;
	for (long i = 0; i < n; i++)
		plan->listen[i].fd = -1;
	for (long i = 0; i < n; i++)
		if ((r = adopt_one(FIRST_FD + (int)i, names, (size_t)i, &plan->listen[i], err)) < 0)
			return r;
	forget_activation();
	return ward_listen_confine(plan, err);
}

int ward_listen_prepare(struct ward_plan *plan, struct ward_err *err)
{
	int r;

	if ((r = adopt_inherited(plan, err)) < 0)
		return r;
	for (size_t i = 0; i < plan->nlisten; i++)
		if (!plan->listen[i].inherited && (r = open_one(&plan->listen[i], err)) < 0)
			return r;
	return 0;
}

void ward_listen_close(const struct ward_plan *plan)
{
	for (size_t i = 0; i < plan->nlisten; i++)
		if (plan->listen[i].fd >= 0)
			close(plan->listen[i].fd);
}

/* ---- the child -------------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

void ward_listen_close_others(const struct ward_plan *plan, int syncfd, int exitfd)
{
	int keep[WARD_MAX_LISTEN + 2];
	size_t n = 0;
	unsigned from = FIRST_FD;

	keep[n++] = syncfd;
	if (exitfd >= 0)
		keep[n++] = exitfd;
	for (size_t i = 0; i < plan->nlisten; i++)
		keep[n++] = plan->listen[i].fd;
	qsort(keep, n, sizeof(keep[0]), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)from)
			continue;
		if ((unsigned)keep[i] > from)
			sys_close_range(from, (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	sys_close_range(from, UINT_MAX, 0);
}

/* fd 3.. hold the sockets, nothing else of ward's in that range. */
static int move_sockets(const struct ward_plan *plan, int *syncfd, struct ward_err *err)
{
	int end = FIRST_FD + (int)plan->nlisten, tmp[WARD_MAX_LISTEN];

	if (*syncfd >= FIRST_FD && *syncfd < end) {
		int moved = fcntl(*syncfd, F_DUPFD_CLOEXEC, end);

		if (moved < 0)
			return ward_err_set(err, WARD_STEP_LISTEN, errno, "moving the sync socket");
		close(*syncfd);
		*syncfd = moved;
	}
	for (size_t i = 0; i < plan->nlisten; i++)
		if ((tmp[i] = fcntl(plan->listen[i].fd, F_DUPFD_CLOEXEC, end)) < 0)
			return ward_err_set(err, WARD_STEP_LISTEN, errno, "duplicating %s",
					    plan->listen[i].text);
	for (size_t i = 0; i < plan->nlisten; i++) {
		/* dup2 leaves the new descriptor without CLOEXEC */
		if (dup2(tmp[i], FIRST_FD + (int)i) < 0)
			return ward_err_set(err, WARD_STEP_LISTEN, errno, "%s to fd %d",
					    plan->listen[i].text, FIRST_FD + (int)i);
		close(tmp[i]);
	}
	return 0;
}

static bool named(const char *var, const char *name)
{
	size_t n = strlen(name);

	return strncmp(var, name, n) == 0 && var[n] == '=';
}

static bool activation_var(const struct ward_plan *plan, const char *v)
{
	return named(v, "LISTEN_FDS") || named(v, "LISTEN_PID") ||
	       named(v, "LISTEN_FDNAMES") || (plan->listen_env && named(v, plan->listen_env)) ||
	       (plan->notify_env && named(v, "NOTIFY_SOCKET"));
}

/* listen-env NAME: "NAME=3;4;", the list nginx reads from NGINX. */
static void list_fds(const struct ward_plan *plan, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s=", plan->listen_env);

	for (size_t i = 0; i < plan->nlisten && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%d;", FIRST_FD + (int)i);
}

int ward_listen_hand_over(const struct ward_plan *plan, char *const *env,
			  int *syncfd, struct ward_listen_env *out,
			  struct ward_err *err)
{
	size_t n = 0, len;
	int r;

	for (size_t i = 0; env[i] && n < WARD_MAX_ENV; i++)
		if (!activation_var(plan, env[i]))
			out->vars[n++] = env[i];
	if (plan->notify_env)
		out->vars[n++] = plan->notify_env;
	out->vars[n] = NULL;
	if (!plan->nlisten)
		return 0;
	if ((r = move_sockets(plan, syncfd, err)) < 0)
		return r;
	snprintf(out->fds, sizeof(out->fds), "LISTEN_FDS=%zu", plan->nlisten);
	snprintf(out->pid, sizeof(out->pid), "LISTEN_PID=%d", (int)getpid());
	len = (size_t)snprintf(out->names, sizeof(out->names), "LISTEN_FDNAMES=");
	for (size_t i = 0; i < plan->nlisten && len < sizeof(out->names); i++)
		len += (size_t)snprintf(out->names + len, sizeof(out->names) - len, "%s%s",
					i ? ":" : "", plan->listen[i].name);
	out->vars[n++] = out->fds;
	out->vars[n++] = out->names;
	out->vars[n++] = out->pid;
	if (plan->listen_env && strlen(plan->listen_env) < WARD_MAX_ENV_NAME) {
		list_fds(plan, out->listed, sizeof(out->listed));
		out->vars[n++] = out->listed;
	}
	out->vars[n] = NULL;
	return 0;
}
