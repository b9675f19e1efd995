/* ward probe: the engine sockets this process can see.  The well-known
 * paths and $DOCKER_HOST's are stat'ed and connected to; then every unix
 * socket of this network namespace that an engine process listens on is
 * listed, found by the code the guard uses (engine/listener.h), and asked
 * whether its name still leads to it and answers a connect().  Nothing is
 * ever sent. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "engine/listener.h"
#include "report/selfprobe.h"

int ward_selfprobe_docker_host_path(const char *value, char *out, size_t len)
{
	static const char scheme[] = "unix://";

	if (strncmp(value, scheme, sizeof(scheme) - 1) != 0 ||
	    value[sizeof(scheme) - 1] != '/')
		return -EINVAL;
	if ((size_t)snprintf(out, len, "%s", value + sizeof(scheme) - 1) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* A non-blocking connect, closed at once.  Returns 0 when a listener is
 * there (connected, or its backlog is full), else the errno. */
static int try_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -1;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return 0;
	/* EAGAIN: a listener whose backlog is full; it is there. */
	return errno == EAGAIN || errno == EINPROGRESS ? 0 : errno;
}

static void check_socket(struct ward_selfprobe *p, const char *path)
{
	struct ward_selfprobe_socket *s;
	struct stat st;
	int r = stat(path, &st);

	if ((r < 0 && (errno == ENOENT || errno == ENOTDIR)) ||
	    p->nsockets == WARD_SELFPROBE_MAX_SOCKETS)
		return;
	s = &p->sockets[p->nsockets++];
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (r < 0 || !S_ISSOCK(st.st_mode)) {
		s->err = r < 0 ? errno : ENOTSOCK;
		return;
	}
	s->err = try_connect(path);
	s->connectable = s->err == 0;
}

static void gather_sockets(struct ward_selfprobe *p)
{
	const char *dh = getenv("DOCKER_HOST");

	for (size_t i = 0; ward_selfprobe_engine_paths[i]; i++)
		check_socket(p, ward_selfprobe_engine_paths[i]);
	if (!dh || ward_selfprobe_docker_host_path(dh, p->docker_host,
						   sizeof(p->docker_host)) < 0) {
		p->docker_host[0] = '\0';
		return;
	}
	for (size_t i = 0; ward_selfprobe_engine_paths[i]; i++)
		if (strcmp(p->docker_host, ward_selfprobe_engine_paths[i]) == 0)
			return;
	check_socket(p, p->docker_host);
}

/* The listener's name leads to its socket file here (not to another file
 * of that name, in another mount namespace) and a connect() works. */
static int reachable(const struct ward_engine_listener *l)
{
	struct stat st;

	if (!l->has_vfs || l->name[0] != '/')
		return WARD_SELFPROBE_UNKNOWN;
	if (stat(l->name, &st) < 0 || !S_ISSOCK(st.st_mode) ||
	    st.st_dev != l->dev || st.st_ino != l->ino)
		return 0;
	return try_connect(l->name) == 0;
}

static void gather_listeners(struct ward_selfprobe *p)
{
	struct ward_listener_finder *f = ward_listener_finder_new();
	struct ward_engine_listener *v = NULL;
	struct ward_err err = {0};
	int n = f ? ward_listener_engines(f, &v, &err) : -ENOMEM;

	ward_listener_finder_free(f);
	if (n < 0) {
		free(v);
		p->listeners_err = -n;
		return;
	}
	p->listeners = n ? calloc((size_t)n, sizeof(*p->listeners)) : NULL;
	if (n && !p->listeners) {
		free(v);
		p->listeners_err = ENOMEM;
		return;
	}
	for (int i = 0; i < n; i++) {
		p->listeners[i].l = v[i];
		p->listeners[i].reachable = reachable(&v[i]);
	}
	p->nlisteners = (size_t)n;
	free(v);
}

void ward_selfprobe_gather_engines(struct ward_selfprobe *p)
{
	gather_sockets(p);
	gather_listeners(p);
}
