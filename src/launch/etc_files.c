/* /etc/hosts, /etc/hostname and /etc/resolv.conf for the sandbox
 * (etc_files.h). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/util.h"
#include "kernel/userdb.h"
#include "launch/etc_files.h"
#include "launch/mounts.h"

#define STAGED "/etc-files"
#define RO_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | \
		  MOUNT_ATTR_NOEXEC)

static void append(char *buf, size_t len, const char *a, const char *b)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s%s", a, b);
}

void ward_etc_hosts(const struct ward_plan *plan, char *buf, size_t len)
{
	char addr[INET_ADDRSTRLEN] = "127.0.1.1";

	if (!len)
		return;
	*buf = '\0';
	if (plan->net == WARD_NET_VETH)
		inet_ntop(AF_INET, &plan->veth.sandbox, addr, sizeof(addr));
	append(buf, len, "127.0.0.1\tlocalhost\n",
	       "::1\tlocalhost ip6-localhost ip6-loopback\n");
	append(buf, len, addr, "\t");
	append(buf, len, plan->hostname ? plan->hostname : "ward", "\n");
}

/* "nameserver 127.0.0.53", "nameserver ::1": on the host's loopback. */
static bool loopback_nameserver(const char *line, size_t n)
{
	char addr[64];
	size_t k = strlen("nameserver");
	struct in6_addr a6;
	struct in_addr a4;

	if (n <= k || strncmp(line, "nameserver", k) || (line[k] != ' ' && line[k] != '\t'))
		return false;
	line += k;
	n -= k;
	while (n && (*line == ' ' || *line == '\t'))
		line++, n--;
	k = 0;
	while (k < n && k < sizeof(addr) - 1 && line[k] != ' ' && line[k] != '\t' &&
	       line[k] != '%' && line[k] != '\r')
		k++;
	memcpy(addr, line, k);
	addr[k] = '\0';
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, addr, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

void ward_etc_resolv(const struct ward_plan *plan, const char *host,
		     char *buf, size_t len)
{
	size_t used = 0, dropped = 0;

	if (!len)
		return;
	*buf = '\0';
	if (plan->net == WARD_NET_NONE || plan->net == WARD_NET_LOOPBACK) {
		snprintf(buf, len, "# ward: --net %s: the sandbox reaches no network, so no nameserver\n",
			 plan->net == WARD_NET_NONE ? "none" : "loopback");
		return;
	}
	for (const char *p = host ? host : ""; *p;) {
		size_t n = strcspn(p, "\n");
		bool drop = plan->net == WARD_NET_VETH && loopback_nameserver(p, n);

		if (drop)
			dropped++;
		else if (used + n + 1 < len) {
			memcpy(buf + used, p, n);
			buf[used + n] = '\n';
			used += n + 1;
			buf[used] = '\0';
		}
		p += n + (p[n] == '\n');
	}
	if (dropped)
		append(buf, len, "# ward: the host's nameservers on its loopback are left out: "
		       "the sandbox cannot reach them", "\n");
}

int ward_etc_read_host(struct ward_plan *plan, struct ward_err *err)
{
	_cleanup_close_ int fd = -1;
	char *buf = NULL;
	size_t n = 0;
	int r;

	if (!plan->rootfs || (plan->net != WARD_NET_HOST && plan->net != WARD_NET_VETH))
		return 0;
	fd = open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno != ENOENT)
		return ward_err_set(err, WARD_STEP_NET, errno, "reading the host's /etc/resolv.conf");
	if (fd >= 0 && (r = ward_userdb_read_fd(fd, &buf, &n)) < 0)
		return ward_err_set(err, WARD_STEP_NET, -r, "reading the host's /etc/resolv.conf");
	if (!buf && !(buf = strdup("")))
		return ward_err_set(err, WARD_STEP_NET, ENOMEM, "strdup");
	if (n > WARD_RESOLV_MAX)
		buf[WARD_RESOLV_MAX] = '\0';
	plan->resolv_conf = buf;
	return 0;
}

/* ---- the child ------------------------------------------------------------ */

static int write_file(int dirfd, const char *name, const char *text,
		      struct ward_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL |
						     O_NOFOLLOW | O_CLOEXEC, 0644);
	size_t n = strlen(text), done = 0;

	if (fd < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "writing /etc/%s", name);
	while (done < n) {
		ssize_t w = write(fd, text + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return ward_err_set(err, WARD_STEP_MOUNTS, w < 0 ? errno : EIO,
					    "writing /etc/%s", name);
		done += (size_t)w;
	}
	return 0;
}

static int stage_files(const struct ward_plan *plan, struct ward_err *err)
{
	static const char *const opts[] = {"mode", "0755", "size", "256k", NULL};
	_cleanup_close_ int mnt = -1, dir = -1, dst = -1;
	size_t len = WARD_RESOLV_MAX + 512;
	_cleanup_free_ char *text = malloc(len);
	int r;

	if (!text)
		return ward_err_set(err, WARD_STEP_MOUNTS, ENOMEM, "malloc");
	if (mkdir(STAGED, 0755) < 0 ||
	    (dst = open(STAGED, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "staging " STAGED);
	mnt = ward_mnt_new_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
			      WARD_STEP_MOUNTS, "/etc files", err);
	if (mnt < 0)
		return mnt;
	if ((dir = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "the /etc files' tmpfs");
	ward_etc_hosts(plan, text, len);
	if ((r = write_file(dir, "hosts", text, err)) < 0)
		return r;
	snprintf(text, len, "%s\n", plan->hostname ? plan->hostname : "ward");
	if ((r = write_file(dir, "hostname", text, err)) < 0)
		return r;
	ward_etc_resolv(plan, plan->resolv_conf, text, len);
	if ((r = write_file(dir, "resolv.conf", text, err)) < 0 ||
	    (r = ward_mnt_setattr(mnt, RO_ATTRS, false, WARD_STEP_MOUNTS,
				  "the /etc files' tmpfs", err)) < 0)
		return r;
	return ward_mnt_attach(mnt, dst, WARD_STEP_MOUNTS, STAGED, err);
}

/* A bind or tmpfs of the operator's at @path, or above it: theirs. */
static bool operator_mount(const struct ward_plan *plan, const char *path)
{
	for (size_t i = 0; i < plan->nbinds; i++)
		if (ward_path_is_beneath(path, plan->binds[i].dst))
			return true;
	for (size_t i = 0; i < plan->ntmpfs; i++)
		if (ward_path_is_beneath(path, plan->tmpfs[i].dst))
			return true;
	return false;
}

static int bind_one(int rootfd, const struct ward_plan *plan, const char *name,
		    struct ward_err *err)
{
	char path[64], from[64];
	_cleanup_close_ int dst = -1, src = -1, tree = -1;
	struct stat st;

	snprintf(path, sizeof(path), "/etc/%s", name);
	if (operator_mount(plan, path))
		return 0;
	dst = ward_mnt_open(rootfd, path);
	/* Missing, or a symlink on the way: the root has no file to cover. */
	if (dst == -ENOENT || dst == -ELOOP || dst == -ENOTDIR)
		return 0;
	if (dst < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, -dst, "resolving %s", path);
	if (fstat(dst, &st) < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "%s", path);
	if (!S_ISREG(st.st_mode))
		return 0;
	snprintf(from, sizeof(from), STAGED "/%s", name);
	src = open(from, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (src < 0)
		return ward_err_set(err, WARD_STEP_MOUNTS, errno, "%s", from);
	tree = ward_mnt_clone(src, RO_ATTRS, WARD_STEP_MOUNTS, path, err);
	if (tree < 0)
		return tree;
	return ward_mnt_attach(tree, dst, WARD_STEP_MOUNTS, path, err);
}

int ward_etc_files_mount(int rootfd, const struct ward_plan *plan,
			 struct ward_err *err)
{
	static const char *const names[] = {"hosts", "hostname", "resolv.conf", NULL};
	int r;

	if (!plan->rootfs)
		return 0;
	if ((r = stage_files(plan, err)) < 0)
		return r;
	for (size_t i = 0; names[i]; i++)
		if ((r = bind_one(rootfd, plan, names[i], err)) < 0)
			return r;
	return 0;
}
