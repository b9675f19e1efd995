/* The NOTIFY_SOCKET relay (see notify.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/sys.h"
#include "launch/notify.h"

#define DATAGRAM_MAX 4096

/* "/x" or "@x" into @sa; -EINVAL when it fits neither. */
static int address_of(const char *name, struct sockaddr_un *sa, socklen_t *len)
{
	size_t n = strlen(name);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if ((name[0] != '/' && name[0] != '@') || n < 2 || n >= sizeof(sa->sun_path))
		return -EINVAL;
	memcpy(sa->sun_path, name, n);
	if (name[0] == '@')
		sa->sun_path[0] = '\0'; /* abstract: no NUL at the end */
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (name[0] == '/'));
	return 0;
}

static int notify_err(struct ward_err *err, int e, const char *what, const char *arg)
{
	return ward_err_set(err, WARD_STEP_NOTIFY, e, "NOTIFY_SOCKET: %s%s", what, arg);
}

/* A private directory for the relay's socket, in the first of these
 * that takes one: $RUNTIME_DIRECTORY (systemd's RuntimeDirectory=), /run
 * for root or $XDG_RUNTIME_DIR, then /tmp (under ProtectSystem=strict
 * /run is read-only, and PrivateTmp= makes /tmp the unit's own). */
static int make_dir(const struct ward_plan *plan, char *dir, size_t len,
		    struct ward_err *err)
{
	const char *bases[] = {
		getenv("RUNTIME_DIRECTORY"),
		plan->rootless ? getenv("XDG_RUNTIME_DIR") : "/run",
		"/tmp",
	};
	int e = ENOENT;

	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		if (!bases[i] || bases[i][0] != '/' || strchr(bases[i], ':'))
			continue; /* RUNTIME_DIRECTORY may list several */
		if ((size_t)snprintf(dir, len, "%s/ward-notify.XXXXXX", bases[i]) >= len) {
			e = ENAMETOOLONG;
			continue;
		}
		if (mkdtemp(dir))
			return 0;
		e = errno;
	}
	return notify_err(err, e, "creating a private directory in $RUNTIME_DIRECTORY, ",
			  plan->rootless ? "$XDG_RUNTIME_DIR or /tmp" : "/run or /tmp");
}

/* The relay's socket, bound at @path.  Writable by all (0666, and no
 * chown: ward may lack CAP_CHOWN, as in a unit that bounds it to
 * CAP_SETUID CAP_SETGID): its 0700 directory keeps the host's users out,
 * and the program reaches it through its bind, not the directory. */
static int bind_relay(const struct ward_plan *plan, const char *path, int *out,
		      struct ward_err *err)
{
	_cleanup_close_ int fd = -1;
	struct sockaddr_un sa;
	socklen_t len;

	if (address_of(path, &sa, &len) < 0)
		return notify_err(err, ENAMETOOLONG, "relay path too long: ", path);
	fd = sys_socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || sys_bind(fd, &sa, len) < 0)
		return notify_err(err, errno, "binding the relay at ", path);
	if (chmod(path, 0666) < 0)
		return notify_err(err, errno, "chmod 0666 ", path);
	*out = TAKE_FD(fd);
	return 0;
}

/* The sandbox's read-only bind of the relay at WARD_NOTIFY_PATH. */
static int add_bind(struct ward_plan *plan, const char *path, struct ward_err *err)
{
	struct ward_bind *b = &plan->binds[plan->nbinds];
	struct stat st;

	if (plan->nbinds >= WARD_MAX_BINDS)
		return notify_err(err, E2BIG, "no bind left for the relay", "");
	if (lstat(path, &st) < 0)
		return notify_err(err, errno, "", path);
	memset(b, 0, sizeof(*b));
	b->src = strdup(path);
	b->dst = strdup(WARD_NOTIFY_PATH);
	b->dev = st.st_dev;
	b->ino = st.st_ino;
	b->type = S_IFSOCK;
	plan->nbinds++; /* freed with the plan, even half made */
	if (!b->src || !b->dst)
		return notify_err(err, ENOMEM, "strdup", "");
	return 0;
}

int ward_notify_prepare(struct ward_plan *plan, struct ward_err *err)
{
	const char *target = getenv("NOTIFY_SOCKET");
	char dir[PATH_MAX], path[PATH_MAX + 8];
	struct sockaddr_un sa;
	socklen_t len;
	int r;

	plan->notify_in = plan->notify_out = -1;
	if (!target || plan->mode == WARD_MODE_ENTRYPOINT)
		return 0;
	if (address_of(target, &sa, &len) < 0)
		return notify_err(err, EINVAL, "expected /PATH or @NAME, got ", target);
	if (!(plan->notify_target = strdup(target)))
		return notify_err(err, ENOMEM, "strdup", "");
	if ((r = make_dir(plan, dir, sizeof(dir), err)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/notify", dir);
	if (!(plan->notify_path = strdup(path))) {
		rmdir(dir);
		return notify_err(err, ENOMEM, "strdup", "");
	}
	if ((r = bind_relay(plan, path, &plan->notify_in, err)) < 0 ||
	    (r = add_bind(plan, path, err)) < 0) {
		ward_notify_unlink(plan);
		return r;
	}
	plan->notify_out = sys_socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (plan->notify_out < 0) {
		ward_notify_unlink(plan);
		return notify_err(err, errno, "socket", "");
	}
	if (!(plan->notify_env = strdup("NOTIFY_SOCKET=" WARD_NOTIFY_PATH)))
		return notify_err(err, ENOMEM, "strdup", "");
	return 0;
}

void ward_notify_unlink(const struct ward_plan *plan)
{
	char dir[PATH_MAX];

	if (!plan->notify_path)
		return;
	snprintf(dir, sizeof(dir), "%s", plan->notify_path);
	unlink(plan->notify_path);
	rmdir(dirname(dir));
}

void ward_notify_unlinkp(const struct ward_plan **plan)
{
	if (*plan)
		ward_notify_unlink(*plan);
}

/* @in without its MAINPID= lines, into @out; the length. */
static size_t without_mainpid(const char *in, size_t n, char *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n;) {
		const char *nl = memchr(in + i, '\n', n - i);
		size_t line = nl ? (size_t)(nl - (in + i)) + 1 : n - i;

		if (!(line >= 8 && memcmp(in + i, "MAINPID=", 8) == 0)) {
			memcpy(out + len, in + i, line);
			len += line;
		}
		i += line;
	}
	return len;
}

void ward_notify_forward(const struct ward_plan *plan)
{
	char in[DATAGRAM_MAX], out[DATAGRAM_MAX];
	struct sockaddr_un sa;
	socklen_t salen;

	if (!plan->notify_env || address_of(plan->notify_target, &sa, &salen) < 0)
		return;
	for (;;) {
		/* No control buffer: descriptors sent along are closed. */
		ssize_t n = recv(plan->notify_in, in, sizeof(in), MSG_DONTWAIT);
		size_t len;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		len = without_mainpid(in, (size_t)n, out);
		if (len && sendto(plan->notify_out, out, len, MSG_DONTWAIT | MSG_NOSIGNAL,
				  (struct sockaddr *)&sa, salen) < 0)
			fprintf(stderr, "ward: notify: passing a message on to %s: %s\n",
				plan->notify_target, strerror(errno));
	}
}
