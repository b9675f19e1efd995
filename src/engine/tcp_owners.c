/* The engine listeners of ward's network namespace (tcp_listeners.h):
 * the listening sockets from sock_diag (tcp_diag.c), else /proc/net/tcp{,6}, the owners of their listening sockets found
 * in one walk of /proc/PID/fd, and classified by executable. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "engine/dockersock.h"
#include "engine/listener.h"
#include "engine/tcp_listeners.h"

/* /proc/net/tcp lists every socket, established ones too: 150 bytes a
 * line, so this is some 400,000 sockets.  Larger: ward cannot tell. */
#define MAX_TABLE (64u << 20)

static int read_table(const char *path, char **text, size_t *len,
		      struct ward_err *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 1 << 16, used = 0;
	char *buf = NULL, *grown;
	ssize_t n;

	if (fd < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno, "%s", path);
	for (;;) {
		if (!buf || used == cap) {
			if (buf)
				cap *= 2;
			if (cap > MAX_TABLE || !(grown = realloc(buf, cap))) {
				free(buf);
				return ward_err_set(err, WARD_STEP_DOCKERSOCK, E2BIG,
						    "%s: larger than %u MiB", path, MAX_TABLE >> 20);
			}
			buf = grown;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno, "%s: read", path);
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	*text = buf;
	*len = used;
	return 0;
}

/* Append the listeners of @path; a missing tcp6 (no IPv6) is none. */
static int read_listeners(const char *path, bool v6, struct ward_tcp_listener *ls,
			  size_t *n, struct ward_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r;

	if (v6 && access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	if ((r = read_table(path, &text, &len, err)) < 0)
		return r;
	r = ward_tcp_parse_listeners(text, len, v6, ls, WARD_TCP_MAX_LISTENERS, n);
	if (r == -E2BIG)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, E2BIG,
				    "%s: more than %d listening sockets; ward checks all "
				    "of them or refuses", path, WARD_TCP_MAX_LISTENERS);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, -r,
				    "%s: a line in an unknown format; ward cannot tell "
				    "which engines listen on TCP", path);
	return 0;
}

/* The base name of /proc/PID/exe's target (without " (deleted)"), else
 * /proc/PID/comm; "" when neither is readable. */
static void process_name(int procfd, const char *pid, char *buf, size_t len)
{
	char path[300], target[4096];
	ssize_t n;
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/exe", pid);
	n = readlinkat(procfd, path, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		ward_listener_exe_name(target, buf, len);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	if (!(f = fopen(path, "re")))
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* "socket:[N]" → N, else 0. */
static unsigned long socket_inode(const char *link)
{
	unsigned long v = 0;
	char end = 0;

	if (sscanf(link, "socket:[%lu%c", &v, &end) != 2 || end != ']')
		return 0;
	return v;
}

struct owners {
	struct ward_tcp_listener *ls;
	size_t n;
	pid_t *pid;                /* per listener: its engine owner, or 0 */
	int *engine;               /* per listener */
	char (*exe)[32];
};

/* Record the listeners among the descriptors of process @pid (its
 * engine @engine, or -1, and its name @name). */
static void scan_fds(int procfd, const char *pid, int engine, const char *name,
		     struct owners *o)
{
	char path[300], link[64];
	_cleanup_close_ int fdfd = -1;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/fd", pid);
	if ((fdfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return; /* not ours to see, or gone */
	if (!(d = fdopendir(fdfd)))
		return;
	fdfd = -1;
	while ((e = readdir(d))) {
		ssize_t n = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		unsigned long ino;

		if (n <= 0)
			continue;
		link[n] = '\0';
		if (!(ino = socket_inode(link)))
			continue;
		for (size_t i = 0; i < o->n; i++) {
			/* pid > 0: an engine holds it already */
			if (o->ls[i].inode != ino || o->pid[i] > 0)
				continue;
			o->engine[i] = engine;
			o->pid[i] = engine >= 0 ? (pid_t)strtol(pid, NULL, 10) : -1;
			snprintf(o->exe[i], sizeof(o->exe[i]), "%s", name);
		}
	}
	closedir(d);
}

/* Pass 1 (@engines true) reads only the descriptors of engine processes,
 * named first: one readlink per process.  Pass 2 reads every other
 * process's, to tell a listener on Docker's ports held by a visible
 * non-engine from one whose owner is hidden. */
static void scan_process(int procfd, const char *pid, struct owners *o, bool engines)
{
	char name[32];
	int engine;

	process_name(procfd, pid, name, sizeof(name));
	engine = ward_tcp_engine_by_exe(name);
	if (engines == (engine >= 0))
		scan_fds(procfd, pid, engine, name, o);
}

static int walk_processes(struct owners *o, bool engines, struct ward_err *err)
{
	_cleanup_close_ int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	DIR *d;

	if (procfd < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno, "/proc");
	if (!(d = opendir("/proc")))
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno, "/proc");
	while ((e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' &&
		    strspn(e->d_name, "0123456789") == strlen(e->d_name))
			scan_process(procfd, e->d_name, o, engines);
	closedir(d);
	return 0;
}

/* A listener on Docker's ports that no engine was seen to hold. */
static bool needs_owner(const struct owners *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->pid[i] == 0 && ward_tcp_engine_by_port(o->ls[i].port) >= 0)
			return true;
	return false;
}

/* The engine listeners among @o: by owner, or by port where no owner
 * was seen. */
static int collect(const struct owners *o, struct ward_tcp_engine *out,
		   size_t max, size_t *n, struct ward_err *err)
{
	char where[64];

	for (size_t i = 0; i < o->n; i++) {
		int engine = o->pid[i] ? o->engine[i] : ward_tcp_engine_by_port(o->ls[i].port);

		if (engine < 0)
			continue;
		if (*n >= max) {
			ward_tcp_listener_format(&o->ls[i], where, sizeof(where));
			return ward_err_set(err, WARD_STEP_DOCKERSOCK, E2BIG,
					    "more than %zu engine listeners on TCP (%s ...)",
					    max, where);
		}
		out[*n] = (struct ward_tcp_engine){.l = o->ls[i], .engine = engine,
						   .pid = o->pid[i] > 0 ? o->pid[i] : 0};
		snprintf(out[*n].exe, sizeof(out[*n].exe), "%s", o->pid[i] ? o->exe[i] : "");
		(*n)++;
	}
	return 0;
}

int ward_tcp_engine_listeners(struct ward_tcp_engine *out, size_t max,
			      size_t *n, struct ward_err *err)
{
	_cleanup_free_ struct ward_tcp_listener *ls = NULL;
	_cleanup_free_ pid_t *pid = NULL;
	_cleanup_free_ int *engine = NULL;
	_cleanup_free_ char (*exe)[32] = NULL;
	struct owners o = {0};
	size_t nls = 0;
	int r;

	*n = 0;
	if (!(ls = calloc(WARD_TCP_MAX_LISTENERS, sizeof(*ls))))
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, ENOMEM, "calloc");
	r = ward_tcp_diag_listeners(ls, WARD_TCP_MAX_LISTENERS, &nls);
	if (r == -E2BIG)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, E2BIG,
				    "more than %d listening TCP sockets; ward checks all of them or refuses",
				    WARD_TCP_MAX_LISTENERS);
	if (r < 0) {
		ward_log("engine", "sock_diag: %s; reading /proc/net/tcp instead",
			 strerror(-r));
		nls = 0;
		if ((r = read_listeners("/proc/net/tcp", false, ls, &nls, err)) < 0 ||
		    (r = read_listeners("/proc/net/tcp6", true, ls, &nls, err)) < 0)
			return r;
	}
	if (nls == 0)
		return 0;
	pid = calloc(nls, sizeof(*pid));
	engine = calloc(nls, sizeof(*engine));
	exe = calloc(nls, sizeof(*exe));
	if (!pid || !engine || !exe)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, ENOMEM, "calloc");
	o = (struct owners){.ls = ls, .n = nls, .pid = pid, .engine = engine, .exe = exe};
	if ((r = walk_processes(&o, true, err)) < 0 ||
	    (needs_owner(&o) && (r = walk_processes(&o, false, err)) < 0))
		return r;
	return collect(&o, out, max, n, err);
}
