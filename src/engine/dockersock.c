/* The engine-socket guard: identity of the host's engine sockets, and the
 * checks on bind sources, the rootfs and the environment. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/dockersock.h"
#include "base/sys.h"
#include "base/util.h"

static const char *const engine_names[WARD_ENGINE_COUNT] = {
	"docker", "containerd", "podman", "crio", "buildkit", "engine-socket",
};

static const struct {
	const char *path;
	enum ward_engine engine;
} known_sockets[] = {
	{"/run/docker.sock", WARD_ENGINE_DOCKER},
	{"/var/run/docker.sock", WARD_ENGINE_DOCKER},
	{"/run/docker/containerd/containerd.sock", WARD_ENGINE_CONTAINERD},
	{"/run/containerd/containerd.sock", WARD_ENGINE_CONTAINERD},
	{"/run/containerd/containerd.sock.ttrpc", WARD_ENGINE_CONTAINERD},
	{"/var/run/containerd/containerd.sock", WARD_ENGINE_CONTAINERD},
	{"/run/podman/podman.sock", WARD_ENGINE_PODMAN},
	{"/var/run/podman/podman.sock", WARD_ENGINE_PODMAN},
	{"/run/crio/crio.sock", WARD_ENGINE_CRIO},
	{"/var/run/crio/crio.sock", WARD_ENGINE_CRIO},
	{"/run/buildkit/buildkitd.sock", WARD_ENGINE_BUILDKIT},
};

/* Directories whose every socket belongs to an engine (shims, rootless
 * engines of any user): each entry, or the given paths below each entry. */
static const struct {
	const char *dir;
	const char *suffixes[4]; /* NULL-terminated; none: the entry itself */
	enum ward_engine engines[3];
} socket_dirs[] = {
	{"/run/containerd/s", {NULL}, {WARD_ENGINE_CONTAINERD}},
	{"/run/docker", {NULL}, {WARD_ENGINE_DOCKER}},
	{"/run/user",
	 {"docker.sock", "podman/podman.sock", "buildkit/buildkitd.sock", NULL},
	 {WARD_ENGINE_DOCKER, WARD_ENGINE_PODMAN, WARD_ENGINE_BUILDKIT}},
};

int ward_engine_from_name(const char *name)
{
	for (int i = 0; i < WARD_ENGINE_EXTRA; i++)
		if (strcmp(engine_names[i], name) == 0)
			return i;
	return -1;
}

const char *ward_engine_name(enum ward_engine e)
{
	return (unsigned)e < WARD_ENGINE_COUNT ? engine_names[e] : "engine";
}

static void overflow(struct ward_engine_sockets *out, const char *path,
		     const char *why)
{
	if (!out->overflow[0])
		snprintf(out->overflow, sizeof(out->overflow), "%.200s: %s", path, why);
}

/* Every ancestor directory of @real, nearest first; false when there are
 * more than WARD_ENGINE_PARENTS. */
static bool record_parents(struct ward_engine_socket *s, const char *real)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", real);
	s->nparents = 0;
	for (;;) {
		char *slash = strrchr(dir, '/');
		struct stat st;

		if (!slash)
			return true;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &st) == 0) {
			if (s->nparents == WARD_ENGINE_PARENTS)
				return false;
			s->parent_dev[s->nparents] = st.st_dev;
			s->parent_ino[s->nparents] = st.st_ino;
			s->nparents++;
		}
		if (strcmp(dir, "/") == 0)
			return true;
	}
}

void ward_dockersock_add(struct ward_engine_sockets *out, const char *path,
			 enum ward_engine engine)
{
	struct ward_engine_socket *s;
	char real[PATH_MAX];
	struct stat st;

	/* stat first: most known paths do not exist, and one stat is
	 * cheaper than realpath's readlink per component. */
	if (stat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	for (int i = 0; i < out->n; i++)
		if (out->s[i].dev == st.st_dev && out->s[i].ino == st.st_ino)
			return;
	if (out->n == WARD_MAX_ENGINE_SOCKETS) {
		overflow(out, path, "more engine sockets on this host than ward can guard (WARD_MAX_ENGINE_SOCKETS)");
		return;
	}
	if (!realpath(path, real)) {
		/* A component the caller cannot search: nor can its sandbox. */
		if (errno != EACCES)
			overflow(out, path, "its real path cannot be resolved");
		return;
	}
	s = &out->s[out->n];
	if ((size_t)snprintf(s->path, sizeof(s->path), "%s", real) >= sizeof(s->path))
		strcpy(s->path + sizeof(s->path) - 4, "...");
	s->engine = engine;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->pid = 0;
	if (!record_parents(s, real)) {
		overflow(out, real, "deeper than WARD_ENGINE_PARENTS directories");
		return;
	}
	out->n++;
}

/* Every socket DIR/<entry>/SUFFIX (or DIR/<entry>) of each suffix. */
static void scan_dir(struct ward_engine_sockets *out, const char *dir,
		     const char *const *suffixes, const enum ward_engine *engines)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];

	if (!d)
		return;
	while ((e = readdir(d)) && !out->overflow[0]) {
		if (e->d_name[0] == '.')
			continue;
		for (size_t i = 0; suffixes[i] || i == 0; i++) {
			const char *sfx = suffixes[i];

			if (snprintf(path, sizeof(path), "%s/%s%s%s", dir, e->d_name,
				     sfx ? "/" : "", sfx ? sfx : "") <
			    (int)sizeof(path))
				ward_dockersock_add(out, path, engines[i]);
			if (!sfx)
				break;
		}
	}
	closedir(d);
}

void ward_dockersock_scan(struct ward_engine_sockets *out, char *const *extra)
{
	const char *host = getenv("DOCKER_HOST");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char buf[PATH_MAX];

	out->n = 0;
	out->overflow[0] = '\0';
	out->walked = 0;
	out->finder = NULL;
	for (size_t i = 0; i < sizeof(known_sockets) / sizeof(known_sockets[0]); i++)
		ward_dockersock_add(out, known_sockets[i].path, known_sockets[i].engine);
	if (host && strncmp(host, "unix://", 7) == 0)
		ward_dockersock_add(out, host + 7, WARD_ENGINE_DOCKER);
	if (xdg && snprintf(buf, sizeof(buf), "%s/docker.sock", xdg) <
			   (int)sizeof(buf))
		ward_dockersock_add(out, buf, WARD_ENGINE_DOCKER);
	for (size_t i = 0; extra && extra[i]; i++)
		ward_dockersock_add(out, extra[i], WARD_ENGINE_EXTRA);
	for (size_t i = 0; i < sizeof(socket_dirs) / sizeof(socket_dirs[0]); i++)
		scan_dir(out, socket_dirs[i].dir, socket_dirs[i].suffixes,
			 socket_dirs[i].engines);
}

/* True when @st is socket @s, or a directory above it (*beneath set). */
static bool matches(const struct ward_engine_socket *s, const struct stat *st,
		    bool *beneath)
{
	*beneath = false;
	if (s->dev == st->st_dev && s->ino == st->st_ino)
		return true;
	if (!S_ISDIR(st->st_mode))
		return false;
	*beneath = true;
	for (int p = 0; p < s->nparents; p++)
		if (s->parent_dev[p] == st->st_dev && s->parent_ino[p] == st->st_ino)
			return true;
	return false;
}

bool ward_dockersock_reaches(const struct ward_engine_socket *s,
			     const struct stat *st)
{
	bool beneath;

	return matches(s, st, &beneath);
}

static bool allowed(const struct ward_engine_sockets *socks,
		    const struct ward_engine_socket *s)
{
	return socks->allowed & (1u << s->engine);
}

/* "the docker API socket /x", and for one found by its listener
 * " (dockerd, pid 5, listens on it)"; "/y/z, another name of ..." when
 * the walk found it at @at, another name. */
static const char *describe(const struct ward_engine_socket *s,
			    const char *at, char *buf, size_t len)
{
	int n = 0;

	if (at && strcmp(at, s->path) != 0)
		n = snprintf(buf, len, "%s, another name of ", at);
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "the %s API socket %s",
			      ward_engine_name(s->engine), s->path);
	if (s->pid > 0 && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%s, pid %d, listens on it)",
			 s->exe, (int)s->pid);
	return buf;
}

static int refuse(struct ward_err *err, const char *what, const char *path,
		  const struct ward_engine_socket *s, const char *at,
		  bool beneath)
{
	char desc[400];

	return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
			    "refusing %s %s: %s %s; whoever can talk to it controls the engine, i.e. is root on the host (a profile can opt in with 'allow-engine-socket %s')",
			    what, path, beneath ? "it contains" : "it is",
			    describe(s, at, desc, sizeof(desc)),
			    s->engine == WARD_ENGINE_EXTRA ? "<engine>"
						     : ward_engine_name(s->engine));
}

static void warn_allowed(const struct ward_engine_socket *s, const char *path,
			 const char *at, bool beneath)
{
	char desc[400];

	fprintf(stderr,
		"ward: WARNING: engine-socket: %s %s %s (allow-engine-socket %s): the program controls the engine, i.e. is root on the host\n",
		path, beneath ? "contains" : "is",
		describe(s, at, desc, sizeof(desc)), ward_engine_name(s->engine));
}

/* A socket whose own name is an engine's (a Docker-in-Docker daemon, a
 * rootless engine ward did not find) is refused by name as well. */
static const struct {
	const char *name;
	enum ward_engine engine;
} engine_socket_names[] = {
	{"docker.sock", WARD_ENGINE_DOCKER},
	{"containerd.sock", WARD_ENGINE_CONTAINERD},
	{"containerd.sock.ttrpc", WARD_ENGINE_CONTAINERD},
	{"podman.sock", WARD_ENGINE_PODMAN},
	{"crio.sock", WARD_ENGINE_CRIO},
	{"buildkitd.sock", WARD_ENGINE_BUILDKIT},
};

int ward_engine_by_socket_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof(engine_socket_names) /
			       sizeof(engine_socket_names[0]); i++)
		if (strcmp(base, engine_socket_names[i].name) == 0)
			return (int)engine_socket_names[i].engine;
	return -1;
}

static int check_name(const struct ward_engine_sockets *socks,
		      const char *what, const char *path, const struct stat *st,
		      struct ward_err *err)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!S_ISSOCK(st->st_mode))
		return 0;
	for (size_t i = 0; i < sizeof(engine_socket_names) /
			       sizeof(engine_socket_names[0]); i++) {
		enum ward_engine e = engine_socket_names[i].engine;

		if (strcmp(base, engine_socket_names[i].name) != 0 ||
		    (socks->allowed & (1u << e)))
			continue;
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
				    "refusing %s %s: a socket named %s is a %s API socket; whoever can talk to it controls the engine, i.e. is root on the host (a profile can opt in with 'allow-engine-socket %s')",
				    what, path, base, ward_engine_name(e),
				    ward_engine_name(e));
	}
	return 0;
}

int ward_dockersock_check(const struct ward_engine_sockets *socks,
			  const char *what, const char *path,
			  const struct stat *st, struct ward_err *err)
{
	int r = check_name(socks, what, path, st, err);

	if (r < 0)
		return r;
	for (int i = 0; i < socks->n; i++) {
		const struct ward_engine_socket *s = &socks->s[i];
		bool beneath;

		if (matches(s, st, &beneath) && !allowed(socks, s))
			return refuse(err, what, path, s, NULL, beneath);
	}
	return 0;
}

void ward_dockersock_warn(const struct ward_engine_sockets *socks,
			  const char *path, const struct stat *st)
{
	for (int i = 0; i < socks->n; i++) {
		const struct ward_engine_socket *s = &socks->s[i];
		bool beneath;

		if (matches(s, st, &beneath) && allowed(socks, s))
			warn_allowed(s, path, NULL, beneath);
	}
}

static int index_of(const struct ward_engine_sockets *socks, dev_t dev,
		    ino_t ino)
{
	for (int i = 0; i < socks->n; i++)
		if (socks->s[i].dev == dev && socks->s[i].ino == ino)
			return i;
	return -1;
}

const struct ward_engine_socket *
ward_dockersock_find(const struct ward_engine_sockets *socks, dev_t dev,
		     ino_t ino)
{
	int i = index_of(socks, dev, ino);

	return i < 0 ? NULL : &socks->s[i];
}

const struct ward_engine_socket *
ward_dockersock_record(struct ward_engine_sockets *socks, const char *path,
		       const struct stat *st, const struct ward_listener *l)
{
	int i = index_of(socks, st->st_dev, st->st_ino);
	struct ward_engine_socket *s = i < 0 ? NULL : &socks->s[i];

	if (!s) {
		if (socks->n == WARD_MAX_ENGINE_SOCKETS) {
			overflow(socks, path, "more engine sockets than ward can guard (WARD_MAX_ENGINE_SOCKETS)");
			return NULL;
		}
		s = &socks->s[socks->n];
		if ((size_t)snprintf(s->path, sizeof(s->path), "%s", path) >=
		    sizeof(s->path))
			strcpy(s->path + sizeof(s->path) - 4, "...");
		s->engine = (enum ward_engine)l->engine;
		s->dev = st->st_dev;
		s->ino = st->st_ino;
		s->pid = 0;
		if (!record_parents(s, path)) {
			overflow(socks, path, "deeper than WARD_ENGINE_PARENTS directories");
			return NULL;
		}
		socks->n++;
	}
	if (!s->pid) {
		s->pid = l->pid;
		snprintf(s->exe, sizeof(s->exe), "%s", l->exe);
	}
	return s;
}

int ward_dockersock_refuse_socket(const struct ward_engine_sockets *socks,
				  const char *what, const char *top,
				  const char *at, const struct ward_engine_socket *s,
				  bool warned, struct ward_err *err)
{
	bool beneath = strcmp(at, top) != 0;

	if (!allowed(socks, s))
		return refuse(err, what, top, s, at, beneath);
	if (!warned)
		warn_allowed(s, top, at, beneath);
	return 0;
}

void ward_dockersock_done(struct ward_engine_sockets *socks)
{
	ward_listener_finder_free(socks->finder);
	socks->finder = NULL;
}
