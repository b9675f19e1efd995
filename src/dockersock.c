/* The engine-socket guard. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ward/dockersock.h"

static const char *const known_sockets[] = {
	"/run/docker.sock",
	"/var/run/docker.sock",
	"/run/containerd/containerd.sock",
	"/run/containerd/containerd.sock.ttrpc",
	"/var/run/containerd/containerd.sock",
	"/run/podman/podman.sock",
	"/var/run/podman/podman.sock",
	"/run/crio/crio.sock",
	"/var/run/crio/crio.sock",
	"/run/buildkit/buildkitd.sock",
	"/run/docker/containerd/containerd.sock",
	NULL,
};

static void record_parents(struct ward_engine_socket *s)
{
	char dir[sizeof(s->path)];

	snprintf(dir, sizeof(dir), "%s", s->path);
	s->nparents = 0;
	for (;;) {
		char *slash = strrchr(dir, '/');
		struct stat st;

		if (!slash || s->nparents == 16)
			return;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &st) == 0) {
			s->parent_dev[s->nparents] = st.st_dev;
			s->parent_ino[s->nparents] = st.st_ino;
			s->nparents++;
		}
		if (strcmp(dir, "/") == 0)
			return;
	}
}

static void add_socket(struct ward_engine_sockets *out, const char *path)
{
	struct ward_engine_socket *s;
	char real[PATH_MAX];
	struct stat st;

	if (out->n >= WARD_MAX_ENGINE_SOCKETS || !realpath(path, real))
		return;
	if (stat(real, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	for (int i = 0; i < out->n; i++)
		if (out->s[i].dev == st.st_dev && out->s[i].ino == st.st_ino)
			return;
	s = &out->s[out->n];
	if ((size_t)snprintf(s->path, sizeof(s->path), "%s", real) >=
	    sizeof(s->path))
		return;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	record_parents(s);
	out->n++;
}

void ward_dockersock_scan(struct ward_engine_sockets *out)
{
	const char *host = getenv("DOCKER_HOST");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char buf[512];

	out->n = 0;
	for (size_t i = 0; known_sockets[i]; i++)
		add_socket(out, known_sockets[i]);
	if (host && strncmp(host, "unix://", 7) == 0)
		add_socket(out, host + 7);
	if (xdg && snprintf(buf, sizeof(buf), "%s/docker.sock", xdg) <
			   (int)sizeof(buf))
		add_socket(out, buf);
}

int ward_dockersock_check(const struct ward_engine_sockets *socks,
			  const char *path, const struct stat *st,
			  struct ward_err *err)
{
	for (int i = 0; i < socks->n; i++) {
		const struct ward_engine_socket *s = &socks->s[i];

		if (s->dev == st->st_dev && s->ino == st->st_ino)
			return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
					    "refusing bind of %s: it is the container-engine socket %s, which gives root on the host",
					    path, s->path);
		if (!S_ISDIR(st->st_mode))
			continue;
		for (int p = 0; p < s->nparents; p++)
			if (s->parent_dev[p] == st->st_dev &&
			    s->parent_ino[p] == st->st_ino)
				return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
						    "refusing bind of %s: it contains the container-engine socket %s, which gives root on the host",
						    path, s->path);
	}
	return 0;
}
