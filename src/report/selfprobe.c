/* ward probe: observe what the calling process can do.
 *
 * This file gathers (the /proc reads, prctl, stat, connect) and holds the
 * pure parsers; src/report/selfprobe_json.c renders the result as text or JSON.
 *
 * JSON output (`ward probe --json`), schema version 2 (version 1 without
 * engine_sockets.listeners and listeners_error).  Keys are stable; a
 * later version may add keys but will not rename or retype these.
 * null means "could not be observed" (the matching *error* key, where
 * there is one, names the errno, e.g. "EACCES").
 *
 *   schema_version      2
 *   identity
 *     uid, gid          {real, effective, saved, fs}: numbers (null if
 *                       /proc/self/status was unreadable)
 *     groups            [{gid, name}]: supplementary groups; name from
 *                       /etc/group (read directly, no NSS), null if absent
 *     groups_truncated  bool: more than 256 groups, the rest left out
 *   capabilities
 *     last_cap          highest capability number the kernel knows
 *     inheritable, permitted, effective, bounding, ambient
 *                       {mask: "16 hex digits", names: ["cap_chown", ...]}
 *     securebits        {value: number|null, names: ["noroot", ...],
 *                        error: string|null}
 *   no_new_privs        bool|null
 *   seccomp             {mode: 0|1|2|null, mode_name: "off"|"strict"|
 *                        "filter"|null, filters: number|null}
 *   landlock            {abi: number|null, error: string|null,
 *                        restricted: null}   (always null: a process
 *                        cannot ask the kernel whether it is confined)
 *   namespaces          user, mnt, pid, net, uts, ipc, cgroup: each
 *                       {inode: number|null, initial: bool|null,
 *                        private: bool|null}, plus
 *     user.uid_map      string: the map's lines joined by "; "
 *     pid.pid, pid.pid1_visible      number, bool (/proc/1 exists)
 *     net.interfaces    [{name, index, up: bool|null, loopback: bool}]
 *     net.error         string|null: if_nameindex failed
 *     uts.hostname      string
 *   filesystem
 *     root_read_only    bool|null: statvfs("/") has ST_RDONLY
 *     rw_mounts         [{path, fstype, kind: "dir"|"file"|"chr"|"blk"|
 *                        "sock"|"fifo"|"link"|"unknown", writable: bool}]:
 *                       every mount whose per-mount and superblock
 *                       options lack "ro"; writable = faccessat(W_OK,
 *                       AT_EACCESS) on its mount point succeeded
 *     writable_mounts   [path]: the rw_mounts that are writable and not
 *                       device nodes (a bound /dev/null stores nothing)
 *     mounts_error      string|null
 *     write_root, write_etc   {created: bool, error: string|null}: an
 *                       O_CREAT|O_EXCL of a unique name (unlinked at once)
 *   engine_sockets
 *     checked           [path]: the well-known paths, then $DOCKER_HOST's
 *     found             [{path, connectable: bool, error: string|null}]:
 *                       the checked paths that exist (or cannot be
 *                       stat'ed: error says why); nothing is ever sent
 *     listeners         [{path, pid, exe, engine, reachable: bool|null}]:
 *                       every unix socket of this network namespace that
 *                       an engine process (dockerd, containerd, ...)
 *                       listens on, as far as this process can see
 *                       (src/engine/listener.h); path is the address it
 *                       was bound with ('@' starts an abstract one);
 *                       reachable: that path leads to the socket here and
 *                       a connect() works (null for an abstract one)
 *     listeners_error   string|null: /proc or sock_diag could not be read
 *   fds                 [{fd, target}]: open descriptors above 2
 *   fds_error           string|null
 *   summary             the one-line summary of the text output
 *
 * Rules for namespaces.X.private: user: the uid_map is not the identity
 * map "0 0 4294967295"; the others: the namespace is not the kernel's
 * initial one, told by its fixed inode number (user, pid, uts, ipc and
 * cgroup since Linux 3.8 or 4.6; mnt and net since 6.18, and null on
 * older kernels). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/explain.h"
#include "kernel/mountinfo.h"
#include "report/selfprobe.h"

/* Debian 12's <linux/landlock.h> stops at ABI 2; only this is needed. */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

#define TEXT_MAX (1024 * 1024)

const char *const ward_selfprobe_engine_paths[] = {
	"/run/docker.sock",
	"/var/run/docker.sock",
	"/run/containerd/containerd.sock",
	"/run/podman/podman.sock",
	"/run/crio/crio.sock",
	"/run/buildkit/buildkitd.sock",
	NULL,
};

/* ---- pure helpers --------------------------------------------------------- */

/* The text after "KEY:" on a line of @text that starts with KEY. */
static const char *status_value(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p;) {
		if (strncmp(p, key, n) == 0 && p[n] == ':')
			return p + n + 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* Skip blanks, then one decimal number that fits 32 bits. */
static int next_u32(const char **pp, uint32_t *out)
{
	const char *p = *pp;
	char *end;
	unsigned long long v;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	*pp = end;
	return 0;
}

static bool at_line_end(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\n' || *p == '\0';
}

int ward_selfprobe_parse_ids(const char *status, const char *key,
			     uint32_t out[4])
{
	const char *p = status_value(status, key);

	if (!p)
		return -EINVAL;
	for (int i = 0; i < 4; i++)
		if (next_u32(&p, &out[i]) < 0)
			return -EINVAL;
	return at_line_end(p) ? 0 : -EINVAL;
}

int ward_selfprobe_parse_groups(const char *status, uint32_t *out,
				size_t max, size_t *total)
{
	const char *p = status_value(status, "Groups");
	uint32_t g;

	*total = 0;
	if (!p)
		return -EINVAL;
	while (!at_line_end(p)) {
		if (next_u32(&p, &g) < 0)
			return -EINVAL;
		if (*total < max)
			out[*total] = g;
		(*total)++;
	}
	return 0;
}

int ward_selfprobe_parse_long(const char *status, const char *key, long *out)
{
	const char *p = status_value(status, key);
	char *end;

	if (!p)
		return -ENOENT;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	*out = strtol(p, &end, 10);
	if (errno || !at_line_end(end))
		return -EINVAL;
	return 0;
}

int ward_selfprobe_uid_map_identity(const char *text)
{
	const char *p = text;
	int lines = 0, identity = 0;
	uint32_t in, out, count;

	while (*p) {
		if (next_u32(&p, &in) < 0 || next_u32(&p, &out) < 0 ||
		    next_u32(&p, &count) < 0 || !at_line_end(p))
			return -EINVAL;
		lines++;
		identity = in == 0 && out == 0 && count == UINT32_MAX;
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	if (lines == 0)
		return -EINVAL;
	return lines == 1 && identity;
}

/* Whether the comma-separated option list @opts[n] holds "ro". */
static bool opts_have_ro(const char *opts, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k = i;

		while (k < n && opts[k] != ',')
			k++;
		if (k - i == 2 && strncmp(opts + i, "ro", 2) == 0)
			return true;
		i = k + 1;
	}
	return false;
}

/* Start and length of space-separated field @k of @s. */
static const char *nth_field(const char *s, int k, size_t *n)
{
	for (int i = 0; i < k && s; i++) {
		s = strchr(s, ' ');
		if (s)
			s++;
	}
	if (!s)
		return NULL;
	*n = strcspn(s, " \n");
	return s;
}

int ward_selfprobe_mount_rw(const char *line, char *mnt, size_t mntlen,
			    char *fstype, size_t typelen, bool *rw)
{
	/* id parent maj:min root mountpoint OPTIONS ... - fstype src SUPER */
	const char *sep = strstr(line, " - ");
	const char *opts, *super;
	size_t on, sn;

	if (!sep || ward_mountinfo_parse_line(line, mnt, mntlen, fstype,
					      typelen) < 0)
		return -EINVAL;
	opts = nth_field(line, 5, &on);
	super = nth_field(sep + 3, 2, &sn);
	if (!opts || opts > sep || !super)
		return -EINVAL;
	*rw = !opts_have_ro(opts, on) && !opts_have_ro(super, sn);
	return 0;
}

int ward_selfprobe_group_name(const char *text, uint32_t gid, char *name,
			      size_t len)
{
	for (const char *p = text; p && *p;) {
		const char *end = p + strcspn(p, "\n");
		const char *c1 = memchr(p, ':', (size_t)(end - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		const char *q = c2 ? c2 + 1 : NULL;
		uint32_t g;

		if (c1 && c2 && c1 > p && next_u32(&q, &g) == 0 && *q == ':' &&
		    g == gid && (size_t)(c1 - p) < len) {
			memcpy(name, p, (size_t)(c1 - p));
			name[c1 - p] = '\0';
			return 0;
		}
		p = *end ? end + 1 : NULL;
	}
	return -ENOENT;
}

/* ---- gathering ------------------------------------------------------------ */

/* The whole of a (small, /proc) file, NUL-terminated; NULL with errno. */
static char *read_text(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 4096;
	ssize_t n;

	if (fd < 0 || !(buf = malloc(cap)))
		return NULL;
	for (;;) {
		if (len + 1 == cap) {
			char *nb = cap >= TEXT_MAX ? NULL : realloc(buf, cap * 2);

			if (!nb) {
				errno = EFBIG;
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return TAKE_PTR(buf);
}

static int cmp_fd(const void *a, const void *b)
{
	const struct ward_selfprobe_fd *x = a, *y = b;

	return (x->fd > y->fd) - (x->fd < y->fd);
}

static int add_fd(struct ward_selfprobe *p, size_t *cap, int fd,
		  const char *target)
{
	if (p->nfds == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *n = reallocarray(p->fds, ncap, sizeof(*p->fds));

		if (!n)
			return -ENOMEM;
		p->fds = n;
		*cap = ncap;
	}
	p->fds[p->nfds].fd = fd;
	p->fds[p->nfds].target = strdup(target);
	if (!p->fds[p->nfds].target)
		return -ENOMEM;
	p->nfds++;
	return 0;
}

/* Descriptors above 2, first, before the probe opens any of its own. */
static void gather_fds(struct ward_selfprobe *p)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t cap = 0;

	if (!d) {
		p->fds_err = errno;
		return;
	}
	while ((e = readdir(d))) {
		char target[PATH_MAX];
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		ssize_t n;

		if (*end || end == e->d_name || fd <= 2 || fd == dirfd(d))
			continue;
		n = readlinkat(dirfd(d), e->d_name, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		if (add_fd(p, &cap, (int)fd, n < 0 ? "?" : target) < 0) {
			p->fds_err = ENOMEM;
			break;
		}
	}
	closedir(d);
	if (p->nfds)
		qsort(p->fds, p->nfds, sizeof(*p->fds), cmp_fd);
}

static int last_cap(void)
{
	_cleanup_free_ char *t = read_text("/proc/sys/kernel/cap_last_cap");
	int c = 0;

	if (t && sscanf(t, "%d", &c) == 1 && c > 0 && c < 64)
		return c;
	c = 0;
	while (c < 63 && prctl(PR_CAPBSET_READ, c + 1, 0, 0, 0) >= 0)
		c++;
	return c;
}

static void name_groups(struct ward_selfprobe *p)
{
	_cleanup_free_ char *group = read_text("/etc/group");
	size_t n = p->ngroups;

	for (size_t i = 0; i < n; i++)
		if (!group || ward_selfprobe_group_name(group, p->groups[i],
							p->group_names[i],
							WARD_SELFPROBE_NAME) < 0)
			p->group_names[i][0] = '\0';
}

static void gather_status(struct ward_selfprobe *p)
{
	_cleanup_free_ char *s = read_text("/proc/self/status");
	long v;

	p->status_ok = s && ward_selfprobe_parse_ids(s, "Uid", p->uid) == 0 &&
		       ward_selfprobe_parse_ids(s, "Gid", p->gid) == 0 &&
		       ward_selfprobe_parse_groups(s, p->groups,
						   WARD_SELFPROBE_MAX_GROUPS,
						   &p->groups_total) == 0 &&
		       ward_caps_parse_status(s, &p->caps) == 0;
	if (!p->status_ok) {
		memset(&p->caps, 0, sizeof(p->caps));
		p->groups_total = 0;
		return;
	}
	p->ngroups = p->groups_total < WARD_SELFPROBE_MAX_GROUPS ?
		     p->groups_total : WARD_SELFPROBE_MAX_GROUPS;
	name_groups(p);
	if (ward_selfprobe_parse_long(s, "NoNewPrivs", &v) == 0)
		p->no_new_privs = v != 0;
	if (ward_selfprobe_parse_long(s, "Seccomp", &v) == 0 && v >= 0 && v <= 2)
		p->seccomp_mode = (int)v;
	if (ward_selfprobe_parse_long(s, "Seccomp_filters", &v) == 0 &&
	    v >= 0 && v < INT_MAX)
		p->seccomp_filters = (int)v;
}

static void gather_privileges(struct ward_selfprobe *p)
{
	long r;

	gather_status(p);
	p->cap_last = last_cap();
	p->securebits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	p->securebits_err = p->securebits < 0 ? errno : 0;
	r = syscall(SYS_landlock_create_ruleset, NULL, 0,
		    LANDLOCK_CREATE_RULESET_VERSION);
	p->landlock_abi = r < 0 ? -1 : (int)r;
	p->landlock_err = r < 0 ? errno : 0;
}

/* "65534 65534 1" per line, blanks collapsed, lines joined by "; ". */
static void compact_map(const char *text, char *out, size_t len)
{
	const char *sep = "";
	size_t o = 0;

	out[0] = '\0';
	for (const char *c = text; *c && o < len;) {
		size_t n;
		int w;

		c += strspn(c, " \t");
		if (*c == '\n') {
			sep = o ? "; " : "";
			c++;
			continue;
		}
		n = strcspn(c, " \t\n");
		w = snprintf(out + o, len - o, "%s%.*s", sep, (int)n, c);
		if (w < 0)
			return;
		o += (size_t)w;
		c += n;
		sep = " ";
	}
}

static void gather_ns(struct ward_selfprobe *p)
{
	static const char *const names[WARD_SELFPROBE_NS_COUNT] = {
		"user", "mnt", "pid", "net", "uts", "ipc", "cgroup",
	};
	_cleanup_free_ char *map = read_text("/proc/self/uid_map");
	struct utsname u;
	bool fixed = uname(&u) == 0 && ward_selfprobe_release_fixed_ns(u.release);

	p->uid_map_identity = map ? ward_selfprobe_uid_map_identity(map) : -1;
	if (p->uid_map_identity < 0)
		p->uid_map_identity = WARD_SELFPROBE_UNKNOWN;
	if (map)
		compact_map(map, p->uid_map, sizeof(p->uid_map));
	for (int k = 0; k < WARD_SELFPROBE_NS_COUNT; k++) {
		struct ward_selfprobe_ns *ns = &p->ns[k];
		char path[64];
		struct stat st;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", names[k]);
		ns->inode = stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
		ns->initial = ward_selfprobe_ns_initial(k, ns->inode, fixed);
		ns->is_private = ns->initial < 0 ? WARD_SELFPROBE_UNKNOWN : !ns->initial;
	}
	if (p->uid_map_identity >= 0)
		p->ns[WARD_SELFPROBE_NS_USER].is_private = !p->uid_map_identity;
	p->pid = (long)getpid();
	p->pid1_visible = access("/proc/1", F_OK) == 0;
	if (uname(&u) == 0)
		snprintf(p->hostname, sizeof(p->hostname), "%s", u.nodename);
}

static void gather_ifaces(struct ward_selfprobe *p)
{
	struct if_nameindex *ni = if_nameindex();
	_cleanup_close_ int s = -1;

	if (!ni) {
		p->ifaces_err = errno;
		return;
	}
	/* SIOCGIFFLAGS works on any socket of this network namespace. */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (struct if_nameindex *i = ni;
	     i->if_name && p->nifaces < WARD_SELFPROBE_MAX_IFACES; i++) {
		struct ward_selfprobe_iface *f = &p->ifaces[p->nifaces++];
		struct ifreq ifr;

		snprintf(f->name, sizeof(f->name), "%s", i->if_name);
		f->index = i->if_index;
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
			f->up = WARD_SELFPROBE_UNKNOWN;
			continue;
		}
		f->up = (ifr.ifr_flags & IFF_UP) != 0;
		f->loopback = (ifr.ifr_flags & IFF_LOOPBACK) != 0;
	}
	if_freenameindex(ni);
}

static char mode_kind(mode_t m)
{
	return S_ISDIR(m) ? 'd' : S_ISREG(m) ? 'f' : S_ISCHR(m) ? 'c' :
	       S_ISBLK(m) ? 'b' : S_ISSOCK(m) ? 's' : S_ISFIFO(m) ? 'p' :
	       S_ISLNK(m) ? 'l' : '?';
}

static int add_mount(struct ward_selfprobe *p, size_t *cap, const char *mnt,
		     const char *fstype)
{
	struct ward_selfprobe_mount *m;
	struct stat st;
	bool automount = strcmp(fstype, "autofs") == 0;

	if (p->nmounts == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *n = reallocarray(p->mounts, ncap, sizeof(*p->mounts));

		if (!n)
			return -ENOMEM;
		p->mounts = n;
		*cap = ncap;
	}
	m = &p->mounts[p->nmounts];
	memset(m, 0, sizeof(*m));
	if (!(m->path = strdup(mnt)))
		return -ENOMEM;
	snprintf(m->fstype, sizeof(m->fstype), "%s", fstype);
	/* Never trigger an automount: that would change the mount table. */
	m->kind = automount || fstatat(AT_FDCWD, mnt, &st,
				       AT_NO_AUTOMOUNT | AT_SYMLINK_NOFOLLOW) < 0 ?
		  '?' : mode_kind(st.st_mode);
	m->writable = !automount && faccessat(AT_FDCWD, mnt, W_OK, AT_EACCESS) == 0;
	p->nmounts++;
	return 0;
}

static void gather_mounts(struct ward_selfprobe *p)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	size_t linecap = 0, cap = 0;
	char mnt[PATH_MAX], type[32];
	bool rw;

	if (!f) {
		p->mounts_err = errno;
		return;
	}
	while (getline(&line, &linecap, f) > 0) {
		if (ward_selfprobe_mount_rw(line, mnt, sizeof(mnt), type,
					    sizeof(type), &rw) < 0 || !rw)
			continue;
		if (add_mount(p, &cap, mnt, type) < 0) {
			p->mounts_err = ENOMEM;
			return;
		}
	}
}

/* Try to create a file of a unique name in @dir; remove it if it was. */
static void try_write(const char *dir, struct ward_selfprobe_write *w)
{
	char path[PATH_MAX];
	unsigned long r = 0;
	int fd;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (unsigned long)time(NULL) ^ (unsigned long)clock();
	snprintf(path, sizeof(path), "%s/.ward-probe-%ld-%lx",
		 strcmp(dir, "/") == 0 ? "" : dir, (long)getpid(), r);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	w->created = fd >= 0;
	w->err = fd < 0 ? errno : 0;
	if (fd < 0)
		return;
	close(fd);
	if (unlink(path) < 0)
		fprintf(stderr, "ward: probe: could not remove %s: %s\n", path,
			strerror(errno));
}

static void gather_fs(struct ward_selfprobe *p)
{
	struct statvfs sv;

	p->root_read_only = statvfs("/", &sv) < 0 ? WARD_SELFPROBE_UNKNOWN :
			    (sv.f_flag & ST_RDONLY) != 0;
	gather_mounts(p);
	try_write("/", &p->write_root);
	try_write("/etc", &p->write_etc);
}

void ward_selfprobe_gather(struct ward_selfprobe *p)
{
	memset(p, 0, sizeof(*p));
	p->no_new_privs = p->seccomp_mode = p->seccomp_filters =
		WARD_SELFPROBE_UNKNOWN;
	gather_fds(p);
	gather_privileges(p);
	gather_ns(p);
	gather_ifaces(p);
	gather_fs(p);
	ward_selfprobe_gather_engines(p);
}

void ward_selfprobe_free(struct ward_selfprobe *p)
{
	for (size_t i = 0; i < p->nmounts; i++)
		free(p->mounts[i].path);
	for (size_t i = 0; i < p->nfds; i++)
		free(p->fds[i].target);
	free(p->mounts);
	free(p->fds);
	free(p->listeners);
	p->mounts = NULL;
	p->fds = NULL;
	p->listeners = NULL;
	p->nmounts = p->nfds = p->nlisteners = 0;
}

static void usage(FILE *out)
{
	fputs("usage: ward probe [--json]\n"
	      "Report what this process can do: ids, capabilities, no_new_privs,\n"
	      "seccomp, namespaces, writable mounts, engine sockets, open fds,\n"
	      "Landlock.  Run it inside a sandbox to see the sandbox, e.g.\n"
	      "  ward run --bind \"$(command -v ward):/ward\" -- /ward probe\n", out);
}

int ward_selfprobe_main(int argc, char **argv)
{
	struct ward_selfprobe *p;
	bool json = false;
	int code = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "ward: usage: probe: unknown argument '%s'\n", argv[i]);
			usage(stderr);
			return WARD_EXIT_USAGE;
		}
	}
	if (!(p = malloc(sizeof(*p)))) {
		fprintf(stderr, "ward: probe: out of memory\n");
		return 1;
	}
	ward_selfprobe_gather(p);
	if (json) {
		struct json_object *o = ward_selfprobe_json(p);
		const char *s = o ? json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;

		if (!s || printf("%s\n", s) < 0)
			code = 1;
		json_object_put(o);
	} else {
		ward_selfprobe_print(p, stdout);
	}
	ward_selfprobe_free(p);
	free(p);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ward: probe: writing the report: %s\n", strerror(errno));
		code = 1;
	}
	return code;
}
