/* Entrypoint mode: ward cannot see the host's processes from inside a
 * container, so a socket the engine mounted in (docker run -v DIR:/x with
 * an engine's socket somewhere beneath DIR) is judged by the mount and by
 * how it behaves.  Every socket file in the mounts (engine/socket_search.h)
 * is refused when its identity, its name here or its name in the mount's
 * source is an engine's (dockersock.h); one listed with allow-socket is
 * let through unasked; every other one is asked, by a child already
 * running as the program's uid and gid (so only what the program itself
 * could reach is asked), the two questions of engine/probe_reply.h, each
 * on a fresh connection with WARD_PROBE_TIMEOUT_MS to answer.  An engine's
 * answer refuses; silence refuses too (ward cannot tell).  A socket the
 * program cannot connect to (nobody listens, permissions, a datagram
 * socket) is not the program's to reach and passes.  Connecting may start
 * a socket-activated service. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/sys.h"
#include "engine/dockersock.h"
#include "engine/probe_reply.h"
#include "engine/socket_search.h"
#include "launch/entrypoint.h"

#define WARD_PROBE_TIMEOUT_MS 500

/* What the child found, one byte per socket. */
enum verdict {
	V_UNREACHABLE = 'U', /* connect failed: not the program's to reach */
	V_SILENT = 'S',
	V_OTHER = 'O',
	V_DOCKER = 'D',
	V_HTTP2 = 'H',
};

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static void deadline_in(struct timespec *t, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000;
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

/* Connect to @path, send @q, read until EOF, @want bytes, a full buffer
 * or the timeout.  The bytes read, or -1 when it could not connect. */
static ssize_t ask(const char *path, const void *q, size_t qlen, uint8_t *buf,
		   size_t want)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {0, WARD_PROBE_TIMEOUT_MS * 1000};
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timespec deadline;
	size_t got = 0;

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path));
	/* A full backlog blocks connect(2) on a unix socket; SO_SNDTIMEO
	 * bounds it (and the send). */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return errno == EAGAIN || errno == EINPROGRESS ? 0 : -1;
	if (send(fd, q, qlen, MSG_NOSIGNAL) != (ssize_t)qlen)
		return 0;
	deadline_in(&deadline, WARD_PROBE_TIMEOUT_MS);
	while (got < want) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long left = ms_left(&deadline);
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		n = recv(fd, buf + got, want - got, MSG_DONTWAIT);
		if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR)))
			break;
		if (n > 0)
			got += (size_t)n;
	}
	return (ssize_t)got;
}

static enum verdict judge(const char *path)
{
	uint8_t buf[WARD_PROBE_REPLY_MAX];
	enum ward_reply ping, h2;
	ssize_t n;

	n = ask(path, ward_probe_ping, ward_probe_ping_len, buf, sizeof(buf));
	if (n < 0)
		return V_UNREACHABLE;
	ping = ward_reply_ping((const char *)buf, (size_t)n);
	if (ping == WARD_REPLY_DOCKER)
		return V_DOCKER;
	n = ask(path, ward_probe_h2, ward_probe_h2_len, buf, 9);
	h2 = n < 0 ? WARD_REPLY_SILENT : ward_reply_h2(buf, (size_t)n);
	if (h2 == WARD_REPLY_HTTP2)
		return V_HTTP2;
	return ping == WARD_REPLY_SILENT && h2 == WARD_REPLY_SILENT ? V_SILENT : V_OTHER;
}

/* Does @v refuse the launch (the parent's verdict_error)? */
static bool refuses(char v, bool docker_allowed)
{
	return v == V_SILENT || v == V_HTTP2 || (v == V_DOCKER && !docker_allowed);
}

static bool docker_allowed(const struct ward_plan *plan);

/* Take the program's identity as far as reaching a socket goes: its
 * uid, gid and supplementary groups.  A program that keeps capabilities
 * may pass permission checks its uid alone would not (CAP_DAC_OVERRIDE):
 * then the asker stays root, so that nothing the program can reach is
 * judged unreachable and let through unasked. */
static int become_program(const struct ward_plan *plan, uid_t uid, gid_t gid)
{
	if (plan->caps_keep)
		return 0;
	if (plan->groups == WARD_GROUPS_LIST) {
		if (sys_setgroups(plan->ngroups, plan->group_list) < 0)
			return -1;
	} else if (plan->groups != WARD_GROUPS_KEEP && sys_setgroups(0, NULL) < 0) {
		return -1;
	}
	return sys_setresgid(gid, gid, gid) < 0 || sys_setresuid(uid, uid, uid) < 0 ? -1 : 0;
}

/* The child: become the program's user, ask each socket, write the
 * verdicts and exit.  After the first verdict that refuses the launch
 * the rest are not asked (written as unreachable): the parent stops
 * there. */
__attribute__((noreturn)) static void asker(const struct ward_plan *plan,
					    const struct ward_socket_search *s,
					    const bool *ask_it, uid_t uid, gid_t gid,
					    bool privileged, int out)
{
	bool allowed = docker_allowed(plan);
	pid_t parent = getppid();
	bool stop = false;

	if (privileged && become_program(plan, uid, gid) < 0)
		_exit(1);
	/* After the id change, which clears it; the parent may be gone by
	 * then, and then nothing is asked. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(1);
	for (size_t i = 0; i < s->nfound; i++) {
		char v = ask_it[i] && !stop ? (char)judge(s->found[i].path) : V_UNREACHABLE;

		stop |= refuses(v, allowed);
		if (write(out, &v, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

/* Read @n verdicts from @fd before the deadline; 0, or -ETIMEDOUT/-EIO. */
static int read_verdicts(int fd, char *v, size_t n, long ms)
{
	struct timespec deadline;
	size_t got = 0;

	deadline_in(&deadline, ms);
	while (got < n) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long left = ms_left(&deadline);
		ssize_t r;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return -EIO;
		/* non-blocking: a stopped asker cannot hold ward past the
		 * deadline */
		r = read(fd, v + got, n - got);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			return -EIO;
		if (r > 0)
			got += (size_t)r;
	}
	return 0;
}

static int ask_all(const struct ward_plan *plan, const struct ward_socket_search *s,
		   const bool *ask_it, uid_t uid, gid_t gid, bool privileged, char *v,
		   struct ward_err *err)
{
	int fds[2], status = 0, r;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno, "pipe2");
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno, "fork");
	}
	if (pid == 0) {
		close(fds[0]);
		asker(plan, s, ask_it, uid, gid, privileged, fds[1]);
	}
	close(fds[1]);
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
		close(fds[0]);
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno, "fcntl O_NONBLOCK");
	}
	r = read_verdicts(fds[0], v, s->nfound,
			  (long)s->nfound * (2 * WARD_PROBE_TIMEOUT_MS + 200) + 1000);
	close(fds[0]);
	if (r < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, r < 0 ? -r : EIO,
				    "refusing to start: the sockets in the mounts could not all be asked whether they are an engine's (as uid %u)",
				    uid);
	return 0;
}

static bool listed(const struct ward_plan *plan, const struct ward_found_socket *f)
{
	struct stat st;

	for (size_t i = 0; i < plan->nallow_sockets; i++)
		if (stat(plan->allow_sockets[i], &st) == 0 && S_ISSOCK(st.st_mode) &&
		    st.st_dev == f->st.st_dev && st.st_ino == f->st.st_ino)
			return true;
	return false;
}

/* Known by identity or name, here or in the source: refused (or warned
 * about, when the profile allows that engine).  0: ask it. */
static int known(const struct ward_engine_sockets *es, const struct ward_found_socket *f,
		 struct ward_err *err)
{
	char what[700];

	if (ward_dockersock_check(es, "to start: a socket is in the mounts at", f->path,
				  &f->st, err) < 0)
		return -EPERM;
	snprintf(what, sizeof(what), "to start: the socket at %.512s comes from", f->path);
	if (ward_dockersock_check(es, what, f->source, &f->st, err) < 0)
		return -EPERM;
	ward_dockersock_warn(es, f->path, &f->st);
	return 0;
}

static bool docker_allowed(const struct ward_plan *plan)
{
	return plan->engine_sockets->allowed &
	       (1u << WARD_ENGINE_DOCKER | 1u << WARD_ENGINE_PODMAN);
}

static int verdict_error(const struct ward_plan *plan, const struct ward_found_socket *f,
			 char v, struct ward_err *err)
{
	if (v == V_SILENT)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
				    "refusing to start: the socket at %s (%s in the mount's source) answered neither GET /_ping nor the HTTP/2 preface within %d ms, so ward cannot tell whether it is a container engine's; remove the mount, or if it is known to be harmless, list it with 'allow-socket %s' in a profile",
				    f->path, f->source, WARD_PROBE_TIMEOUT_MS, f->path);
	if (v == V_DOCKER && docker_allowed(plan)) {
		fprintf(stderr, "ward: WARNING: engine-socket: the socket at %s answers as a Docker API (allow-engine-socket): the program controls the engine, i.e. is root on the host\n",
			f->path);
		return 0;
	}
	return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
			    "refusing to start: the socket at %s (%s in the mount's source) answered %s: %s, i.e. root on the host; remove the mount%s",
			    f->path, f->source,
			    ward_reply_name(v == V_DOCKER ? WARD_REPLY_DOCKER : WARD_REPLY_HTTP2),
			    v == V_DOCKER ? "a Docker or podman API" :
			    "likely containerd, CRI-O or BuildKit",
			    v == V_DOCKER ? " (or opt in with 'allow-engine-socket docker' in a profile)" :
			    " (a known harmless gRPC agent, such as SPIRE's, may be listed with 'allow-socket PATH' in a profile)");
}

int ward_entrypoint_check_sockets(const struct ward_plan *plan, uid_t uid, gid_t gid,
				  bool privileged, struct ward_err *err)
{
	_cleanup_free_ struct ward_socket_search *s = calloc(1, sizeof(*s));
	bool ask_it[WARD_SOCKET_SEARCH_MAX_FOUND] = {0};
	char v[WARD_SOCKET_SEARCH_MAX_FOUND];
	size_t nask = 0;
	int r;

	if (!s)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, ENOMEM, "calloc");
	if ((r = ward_socket_search(s, err)) < 0)
		return r;
	for (size_t i = 0; i < s->nfound; i++) {
		if ((r = known(plan->engine_sockets, &s->found[i], err)) < 0)
			return r;
		ask_it[i] = !listed(plan, &s->found[i]);
		nask += ask_it[i];
	}
	ward_log("sockets", "%zu mount(s), %zu entries, %zu socket(s), %zu to ask",
		 s->mounts, s->entries, s->nfound, nask);
	if (!nask)
		return 0;
	if ((r = ask_all(plan, s, ask_it, uid, gid, privileged, v, err)) < 0)
		return r;
	for (size_t i = 0; i < s->nfound; i++) {
		ward_log("sockets", "%s: %c", s->found[i].path, v[i]);
		if ((refuses(v[i], docker_allowed(plan)) || v[i] == V_DOCKER) &&
		    (r = verdict_error(plan, &s->found[i], v[i], err)) < 0)
			return r;
	}
	return 0;
}
