/* Engines known by who listens (listener.h): the engine processes, their
 * socket descriptors, sock_diag's listeners, and SO_PEERCRED. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/util.h"
#include "engine/dockersock.h"
#include "engine/listener.h"
#include "kernel/sockdiag.h"

/* Descriptors read of one process before ward gives up on it (treated
 * as unreadable: then SO_PEERCRED decides). */
#define MAX_FDS (1 << 20)

static const struct {
	const char *name;
	bool prefix; /* any name that starts with it */
	enum ward_engine engine;
} engine_exes[] = {
	{"dockerd", false, WARD_ENGINE_DOCKER},
	{"dockerd-rootles", true, WARD_ENGINE_DOCKER}, /* comm: 15 bytes */
	{"rootlesskit", false, WARD_ENGINE_DOCKER},
	{"containerd", false, WARD_ENGINE_CONTAINERD},
	{"containerd-shim", true, WARD_ENGINE_CONTAINERD},
	{"containerd-root", true, WARD_ENGINE_CONTAINERD},
	{"podman", false, WARD_ENGINE_PODMAN},
	{"conmon", false, WARD_ENGINE_PODMAN},
	{"crio", false, WARD_ENGINE_CRIO},
	{"conmonrs", false, WARD_ENGINE_CRIO},
	{"buildkitd", false, WARD_ENGINE_BUILDKIT},
};

int ward_engine_by_exe(const char *name)
{
	for (size_t i = 0; i < sizeof(engine_exes) / sizeof(engine_exes[0]); i++) {
		size_t n = strlen(engine_exes[i].name);

		if (engine_exes[i].prefix ? strncmp(name, engine_exes[i].name, n) == 0
					  : strcmp(name, engine_exes[i].name) == 0)
			return (int)engine_exes[i].engine;
	}
	return -1;
}

void ward_listener_exe_name(const char *target, char *buf, size_t len)
{
	const char *base = strrchr(target, '/');
	static const char deleted[] = " (deleted)";
	size_t n;

	base = base ? base + 1 : target;
	n = strlen(base);
	if (n >= sizeof(deleted) - 1 &&
	    strcmp(base + n - (sizeof(deleted) - 1), deleted) == 0)
		n -= sizeof(deleted) - 1;
	snprintf(buf, len, "%.*s", (int)n, base);
}

struct proc {
	pid_t pid;
	int engine;
	char exe[32];
	int fds;        /* 0: not read yet, 1: read, -errno: unreadable */
	uint32_t *socks; /* the socket inodes among its descriptors */
	size_t nsocks, cap;
};

struct ward_listener_finder {
	bool procs_read;
	struct proc *procs; /* the engine processes only */
	size_t nprocs;
	int diag;           /* 0: not asked yet, 1: asked, -errno: failed */
	struct ward_unix_listeners listeners;
};

struct ward_listener_finder *ward_listener_finder_new(void)
{
	return calloc(1, sizeof(struct ward_listener_finder));
}

void ward_listener_finder_free(struct ward_listener_finder *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nprocs; i++)
		free(f->procs[i].socks);
	free(f->procs);
	ward_unix_listeners_free(&f->listeners);
	free(f);
}

/* The executable's base name of @pid, or its comm where the link cannot
 * be read (another user's process: comm is world-readable). */
static int proc_name(pid_t pid, char *buf, size_t len)
{
	char path[64], target[PATH_MAX];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		ward_listener_exe_name(target, buf, len);
		return 0;
	}
	if (errno != EACCES && errno != EPERM)
		return -errno; /* ENOENT: a kernel thread, or gone */
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, target, sizeof(target) - 1)) <= 0)
		return -errno;
	n = (ssize_t)strcspn(target, "\n");
	if ((size_t)n >= len)
		n = (ssize_t)len - 1;
	memcpy(buf, target, (size_t)n);
	buf[n] = '\0';
	return 0;
}

static int add_proc(struct ward_listener_finder *f, pid_t pid, int engine,
		    const char *exe)
{
	struct proc *v = realloc(f->procs, (f->nprocs + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	f->procs = v;
	v = &f->procs[f->nprocs++];
	memset(v, 0, sizeof(*v));
	v->pid = pid;
	v->engine = engine;
	snprintf(v->exe, sizeof(v->exe), "%s", exe);
	return 0;
}

static int read_procs(struct ward_listener_finder *f)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int r = 0;

	if (!d)
		return -errno;
	f->procs_read = true;
	while (r == 0 && (e = readdir(d))) {
		char exe[32];
		uint32_t pid;
		int engine;

		if (!isdigit((unsigned char)e->d_name[0]) ||
		    ward_parse_u32(e->d_name, &pid) < 0 || pid > INT_MAX ||
		    proc_name((pid_t)pid, exe, sizeof(exe)) < 0)
			continue;
		if ((engine = ward_engine_by_exe(exe)) >= 0)
			r = add_proc(f, (pid_t)pid, engine, exe);
	}
	closedir(d);
	return r;
}

/* "socket:[12345]" → 12345. */
static bool socket_inode(const char *target, uint32_t *ino)
{
	char digits[16];
	size_t n;

	if (strncmp(target, "socket:[", 8) != 0)
		return false;
	n = strcspn(target + 8, "]");
	if (n == 0 || n >= sizeof(digits) || strcmp(target + 8 + n, "]") != 0)
		return false;
	memcpy(digits, target + 8, n);
	digits[n] = '\0';
	return ward_parse_u32(digits, ino) == 0;
}

static int push_socket(struct proc *p, uint32_t ino)
{
	if (p->nsocks == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		uint32_t *v = realloc(p->socks, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->socks = v;
		p->cap = cap;
	}
	p->socks[p->nsocks++] = ino;
	return 0;
}

static int read_fds(struct proc *p)
{
	char path[64], target[64];
	DIR *d;
	struct dirent *e;
	size_t seen = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)p->pid);
	if (!(d = opendir(path)))
		return errno == ENOENT ? 1 : -errno; /* gone: it holds nothing */
	while ((e = readdir(d))) {
		uint32_t ino;
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		if (++seen > MAX_FDS) {
			closedir(d);
			return -E2BIG;
		}
		n = readlinkat(dirfd(d), e->d_name, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (!socket_inode(target, &ino))
			continue;
		if (push_socket(p, ino) < 0) {
			closedir(d);
			return -ENOMEM;
		}
	}
	closedir(d);
	return 1;
}

/* The engine process holding socket @ino; NULL when none does, with
 * *blind set when some engine's descriptors could not be read. */
static const struct proc *holder(struct ward_listener_finder *f, uint32_t ino,
				 bool *blind)
{
	for (size_t i = 0; i < f->nprocs; i++) {
		struct proc *p = &f->procs[i];

		if (p->fds == 0)
			p->fds = read_fds(p);
		if (p->fds < 0) {
			*blind = true;
			continue;
		}
		for (size_t j = 0; j < p->nsocks; j++)
			if (p->socks[j] == ino)
				return p;
	}
	return NULL;
}

static void name_listener(struct ward_listener *out, pid_t pid, int engine,
			  const char *exe)
{
	out->engine = engine;
	out->pid = pid;
	snprintf(out->exe, sizeof(out->exe), "%s", exe);
}

int ward_listener_of_peer(int sock, struct ward_listener *out)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char exe[32];

	name_listener(out, 0, -1, "");
	/* pid 0: the listener is outside ward's pid namespace. */
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    cred.pid <= 0)
		return 0;
	out->pid = cred.pid;
	if (proc_name(cred.pid, exe, sizeof(exe)) < 0)
		return 0;
	name_listener(out, cred.pid, ward_engine_by_exe(exe), exe);
	return out->engine >= 0;
}

static int cannot_tell(struct ward_err *err, int errnum, const char *path,
		       const char *why)
{
	return ward_err_set(err, WARD_STEP_DOCKERSOCK, errnum,
			    "cannot tell who listens on %s (%s)", path, why);
}

/* Connect to the socket (through its descriptor: no path is resolved
 * again), send nothing, and ask who accepted: SO_PEERCRED names the
 * process that called listen(). */
static int by_connect(int fd, const char *path, struct ward_listener *out,
		      struct ward_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
						    SOCK_CLOEXEC, 0);

	if (s < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, errno, "socket(AF_UNIX)");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d", fd);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return ward_listener_of_peer(s, out);
	switch (errno) {
	case ECONNREFUSED: /* nobody listens: a stale file */
	case EPROTOTYPE:   /* a datagram socket: no engine serves one */
	case ENOENT:
		return 0;
	case EACCES:
	case EPERM:
		/* The caller's sandbox runs as the caller, with no more
		 * access; as root, the sandbox user may have more. */
		if (geteuid() != 0)
			return 0;
		return cannot_tell(err, errno, path, "root may not connect to it");
	case EAGAIN:
		return cannot_tell(err, 0, path, "its backlog is full");
	default:
		return cannot_tell(err, errno, path, "connect failed");
	}
}

static int ensure_procs(struct ward_listener_finder *f, struct ward_err *err)
{
	int r;

	if (f->procs_read)
		return 0;
	if ((r = read_procs(f)) < 0)
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, -r,
				    "reading /proc to find the engine processes");
	return 0;
}

/* sock_diag, once: a failure only means falling back to SO_PEERCRED. */
static bool ensure_diag(struct ward_listener_finder *f)
{
	struct ward_err ignored = {0};

	if (f->diag == 0)
		f->diag = ward_sockdiag_unix_listeners(&f->listeners, &ignored) < 0 ?
			  -1 : 1;
	return f->diag > 0;
}

int ward_listener_identify(struct ward_listener_finder *f, int fd,
			   const struct stat *st, const char *path,
			   struct ward_listener *out, struct ward_err *err)
{
	bool matched = false, blind = false;
	int r;

	name_listener(out, 0, -1, "");
	if ((r = ensure_procs(f, err)) < 0)
		return r;
	if (f->nprocs == 0)
		return 0; /* no engine runs where ward can see */
	for (size_t i = 0; ensure_diag(f) && i < f->listeners.n; i++) {
		const struct ward_unix_listener *l = &f->listeners.v[i];
		const struct proc *p;

		if (!l->has_vfs || l->vfs_dev != st->st_dev || l->vfs_ino != st->st_ino)
			continue;
		matched = true;
		if ((p = holder(f, l->ino, &blind))) {
			name_listener(out, p->pid, p->engine, p->exe);
			return 1;
		}
	}
	/* Found, held by no engine ward could read: no engine's. */
	if (matched && !blind)
		return 0;
	return by_connect(fd, path, out, err);
}

int ward_listener_engines_running(struct ward_listener_finder *f,
				  struct ward_err *err)
{
	int r = ensure_procs(f, err);

	return r < 0 ? r : (int)f->nprocs;
}

int ward_listener_engines(struct ward_listener_finder *f,
			  struct ward_engine_listener **out, struct ward_err *err)
{
	size_t n = 0;
	int r;

	*out = NULL;
	if ((r = ensure_procs(f, err)) < 0)
		return r;
	if (f->nprocs == 0)
		return 0;
	if (!ensure_diag(f))
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, EPROTONOSUPPORT,
				    "sock_diag: listing the unix sockets that listen");
	for (size_t i = 0; i < f->listeners.n; i++) {
		const struct ward_unix_listener *l = &f->listeners.v[i];
		bool blind = false;
		const struct proc *p = holder(f, l->ino, &blind);
		struct ward_engine_listener *v, *e;

		if (!p)
			continue;
		if (!(v = realloc(*out, (n + 1) * sizeof(*v))))
			return ward_err_set(err, WARD_STEP_DOCKERSOCK, ENOMEM, "realloc");
		*out = v;
		e = &v[n++];
		snprintf(e->name, sizeof(e->name), "%s", l->name);
		e->has_vfs = l->has_vfs;
		e->dev = l->vfs_dev;
		e->ino = l->vfs_ino;
		name_listener(&e->who, p->pid, p->engine, p->exe);
	}
	return (int)n;
}
