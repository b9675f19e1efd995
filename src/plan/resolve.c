/* Plan resolution: turn raw directive values into the immutable plan.
 * Host paths are canonicalised and their identity recorded; names are
 * looked up in the sandbox root's own /etc; every combination is checked
 * here, before anything is started. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/caps.h"
#include "base/cleanup.h"
#include "engine/dockersock.h"
#include "image/prepare.h"
#include "seccomp/cache.h"
#include "kernel/mountinfo.h"
#include "image/store.h"
#include "plan/builder.h"
#include "seccomp/seccomp.h"
#include "kernel/subid.h"
#include "kernel/userdb.h"
#include "base/util.h"

/* The default sandbox user: not the kernel's overflow id (65534, which
 * every unmapped file shows as inside a user namespace, so the whole root
 * would look like the program's own) and no account a distribution or an
 * image creates (system ids < 1000, first users from 1000); 10001 is what
 * Docker's hardening guides use. */
#define DEFAULT_ID 10001
#define OVERFLOW_ID 65534

/* One walk of the host's mount table under a rootfs or bound directory:
 * no kernel file system may come along (mountinfo.h), and for a
 * directory no engine socket (dockersock.h). */
struct beneath {
	struct ward_engine_sockets *es;
	const char *path;
	bool sockets;
};

static int check_mount_beneath(const char *mnt, const char *fstype, void *p,
			       struct ward_err *err)
{
	const struct beneath *c = p;
	int r = ward_mountinfo_refuse_forbidden(c->path, mnt, fstype, err);

	if (r < 0)
		return r;
	return c->sockets ? ward_dockersock_check_mount(c->es, mnt, err) : 0;
}

static int check_mounts_beneath(struct ward_engine_sockets *es,
				const char *path, bool sockets,
				struct ward_err *err)
{
	struct beneath c = {es, path, sockets};

	return ward_mountinfo_each_beneath(path, check_mount_beneath, &c, err);
}

/* A bind source or rootfs inside a proc or sysfs mounted anywhere (not
 * only at /proc or /sys). */
static int refuse_kernel_fs(const char *real, struct ward_err *err)
{
	_cleanup_close_ int fd = open(real, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno, "source %s", real);
	return ward_mountinfo_refuse_fs_of(fd, real, WARD_STEP_PLAN, err);
}

/* The root is an image's tree in ward's image cache.  It needs no look
 * for engine sockets: the unpacker writes no socket (and hard links only
 * to files of the tree), and the entry is the caller's own, 0700
 * (image/store.h), which no sandbox can write.  Nor for what is mounted
 * beneath it: its entries are bound alone (plan->rootfs_alone), so no
 * such mount comes into the sandbox. */
static bool is_image_cache_tree(const struct ward_plan_builder *b,
				const struct ward_plan *plan)
{
	return plan->image && plan->image->rootfs && b->rootfs &&
	       strcmp(b->rootfs, plan->image->rootfs) == 0;
}

/* A tree given with --rootfs (or a profile's rootfs): no engine socket in
 * it, at its known paths or anywhere, and nothing mounted beneath it that
 * would bring a kernel file system or a socket along. */
static int check_given_tree(const struct ward_plan *plan, const char *real,
			    struct ward_err *err)
{
	int r;

	if ((r = ward_dockersock_check_rootfs_itself(plan->engine_sockets, real,
						     err)) < 0)
		return r;
	if ((r = check_mounts_beneath(plan->engine_sockets, real, true, err)) < 0)
		return err->step == WARD_STEP_PLAN ?
		       ward_err_wrap(err, "--rootfs %s: ", real) : r;
	return ward_dockersock_walk(plan->engine_sockets, "--rootfs", real, err);
}

static int resolve_rootfs(const struct ward_plan_builder *b,
			  struct ward_plan *plan, struct ward_err *err)
{
	char real[PATH_MAX];
	struct stat st;
	int r;

	if (!b->rootfs || strcmp(b->rootfs, "host") == 0)
		return 0;
	if (!realpath(b->rootfs, real))
		return ward_err_set(err, WARD_STEP_PLAN, errno, "--rootfs %s", b->rootfs);
	if (stat(real, &st) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno, "--rootfs %s", real);
	if (!S_ISDIR(st.st_mode))
		return ward_err_set(err, WARD_STEP_PLAN, ENOTDIR, "--rootfs %s", real);
	if (strcmp(real, "/") == 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"--rootfs /: the host's whole tree is not a root image; use --rootfs host");
	if ((r = refuse_kernel_fs(real, err)) < 0)
		return ward_err_wrap(err, "--rootfs %s: ", real);
	plan->rootfs_alone = is_image_cache_tree(b, plan);
	if (plan->rootfs_alone && (st.st_dev != plan->image->rootfs_dev ||
				   st.st_ino != plan->image->rootfs_ino))
		return ward_err_set(err, WARD_STEP_IMAGE, 0,
				    "the image cache's tree %s is not the one checked a moment ago "
				    "(something above it moved); run again, and keep the cache's "
				    "parent directories closed to others", real);
	if (!plan->rootfs_alone && (r = check_given_tree(plan, real, err)) < 0)
		return r;
	plan->rootfs = strdup(real);
	plan->rootfs_dev = st.st_dev;
	plan->rootfs_ino = st.st_ino;
	return plan->rootfs ? 0 : ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
}

/* Prefix an error of @key's value with where the value came from. */
static int wrap_where(const struct ward_plan_builder *b, const char *key, int r,
		      struct ward_err *err)
{
	return r < 0 ? ward_err_wrap(err, "%s", ward_plan_where(b, key, 0)) : r;
}

static const char *root_of(const struct ward_plan *plan)
{
	return plan->rootfs ? plan->rootfs : "/";
}

/* NAME or numeric id, looked up in the sandbox root's /etc/group. */
static int resolve_gid(const struct ward_plan *plan, const char *s,
		       gid_t *gid, struct ward_err *err)
{
	_cleanup_free_ char *buf = NULL;
	uint32_t v;
	size_t len = 0;
	int r;

	if (ward_parse_u32(s, &v) == 0) {
		if (v == UINT32_MAX)
			return ward_err_set(err, WARD_STEP_PLAN, 0, "group id %s is invalid", s);
		*gid = v;
		return 0;
	}
	r = ward_userdb_read(root_of(plan), "etc/group", &buf, &len);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_PLAN, -r, "group '%s': reading %s/etc/group", s,
				plan->rootfs ? plan->rootfs : "");
	r = ward_userdb_parse_group(buf, len, s, gid);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0, "group '%s' is not in %s/etc/group%s", s,
				plan->rootfs ? plan->rootfs : "",
				r == -EINVAL ? " (malformed entry)" : "");
	return 0;
}

static int resolve_user_name(struct ward_plan *plan, const char *name,
			     struct ward_err *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r;

	r = ward_userdb_read(root_of(plan), "etc/passwd", &buf, &len);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_PLAN, -r, "--user %s: reading %s/etc/passwd", name,
				plan->rootfs ? plan->rootfs : "");
	r = ward_userdb_parse_passwd(buf, len, name, &plan->uid, &plan->gid);
	if (r < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0, "--user %s: no such user in %s/etc/passwd%s",
				name, plan->rootfs ? plan->rootfs : "",
				r == -EINVAL ? " (malformed entry)" : "");
	return 0;
}

static int resolve_user(const struct ward_plan_builder *b,
			struct ward_plan *plan, struct ward_err *err)
{
	char spec[256];
	char *colon;
	uint32_t v;
	int r;

	plan->uid = DEFAULT_ID;
	plan->gid = DEFAULT_ID;
	if (!b->user)
		return 0;
	if (snprintf(spec, sizeof(spec), "%s", b->user) >= (int)sizeof(spec))
		return ward_err_set(err, WARD_STEP_PLAN, 0, "--user: value too long");
	colon = strchr(spec, ':');
	if (colon)
		*colon++ = '\0';
	if (ward_parse_u32(spec, &v) == 0) {
		plan->uid = v;
		plan->gid = v;
	} else if ((r = resolve_user_name(plan, spec, err)) < 0) {
		return r;
	}
	if (colon && (r = resolve_gid(plan, colon, &plan->gid, err)) < 0)
		return r;
	if (plan->uid == 0 || plan->gid == 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"--user %s: ward does not run programs as root (uid/gid 0)",
				b->user);
	if (plan->uid == UINT32_MAX || plan->gid == UINT32_MAX)
		return ward_err_set(err, WARD_STEP_PLAN, 0, "--user %s: invalid id", b->user);
	if (plan->uid == OVERFLOW_ID && !b->quiet)
		fprintf(stderr, "ward: notice: --user %s is the overflow id %u: inside a user "
				"namespace every file of an unmapped owner will look like the program's own\n",
			b->user, OVERFLOW_ID);
	return 0;
}

/* The host ids the sandbox user maps onto (see plan.h).  Entrypoint mode
 * has no user namespace and maps nothing. */
static int resolve_host_ids(struct ward_plan *plan, struct ward_err *err)
{
	int r;

	plan->host_uid = plan->rootless ? plan->caller_uid : plan->uid;
	plan->host_gid = plan->rootless ? plan->caller_gid : plan->gid;
	if (plan->rootless || plan->user_set || plan->mode == WARD_MODE_ENTRYPOINT)
		return 0;
	r = ward_subid_reserved(&plan->host_uid, &plan->host_gid, err);
	if (r < 0 && plan->fallback_entrypoint) {
		*err = (struct ward_err){0};
		plan->host_ids_pending = true;
		return 0;
	}
	return r;
}

static int resolve_group_list(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err)
{
	char list[1024];
	char *save = NULL, *tok;

	if (plan->rootless)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"--groups %s: a rootless launch can map only your own group; run as root to set groups",
				b->groups);
	if (snprintf(list, sizeof(list), "%s", b->groups) >= (int)sizeof(list))
		return ward_err_set(err, WARD_STEP_PLAN, 0, "--groups: value too long");
	plan->groups = WARD_GROUPS_LIST;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		gid_t g;
		int r;

		if (plan->ngroups == WARD_MAX_GROUPS)
			return ward_err_set(err, WARD_STEP_PLAN, 0, "--groups: more than %d groups",
					WARD_MAX_GROUPS);
		if ((r = resolve_gid(plan, tok, &g, err)) < 0)
			return r;
		if (g == 0)
			return ward_err_set(err, WARD_STEP_PLAN, 0, "--groups: group 0 is refused");
		plan->group_list[plan->ngroups++] = g;
	}
	return 0;
}

/* A rootless caller cannot drop its supplementary groups (setgroups is
 * denied in its user namespace): with --groups clear, refuse to start
 * while it has any besides its own. */
static int check_rootless_groups(const struct ward_plan *plan,
					struct ward_err *err)
{
	gid_t groups[256];
	char list[256] = "";
	size_t o = 0;
	int n = getgroups(256, groups);

	if (n < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno, "getgroups");
	for (int i = 0; i < n; i++) {
		if (groups[i] == plan->caller_gid)
			continue;
		if (o < sizeof(list))
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%u",
					      o ? "," : "", groups[i]);
	}
	if (o == 0)
		return 0;
	return ward_err_set(err, WARD_STEP_PLAN, 0,
			    "--groups clear: your supplementary groups (%s) cannot be dropped without privilege (setgroups is denied in a rootless user namespace) and would still grant host file access; run as root, or accept them with --groups keep",
			    list);
}

static int resolve_groups(const struct ward_plan_builder *b,
			  struct ward_plan *plan, struct ward_err *err)
{
	bool entrypoint = plan->mode == WARD_MODE_ENTRYPOINT;

	if (!b->groups || strcmp(b->groups, "clear") == 0) {
		plan->groups = WARD_GROUPS_CLEAR;
		/* Entrypoint mode started non-root keeps them, listed at start
		 * (entrypoint_start.c), and refuses only root's group. */
		return plan->rootless && !entrypoint ?
		       check_rootless_groups(plan, err) : 0;
	}
	if (strcmp(b->groups, "keep") == 0) {
		if (!plan->rootless)
			return ward_err_set(err, WARD_STEP_PLAN, 0,
					"--groups keep: as root the kept groups would be root's; use clear or a list");
		plan->groups = WARD_GROUPS_KEEP;
		return 0;
	}
	return resolve_group_list(b, plan, err);
}

static bool dst_forbidden(const char *dst)
{
	return strcmp(dst, "/") == 0 || ward_path_is_beneath(dst, "/proc") ||
	       ward_path_is_beneath(dst, "/dev");
}

/* Binds are recursive (MS_REC): a source above /proc or /sys, i.e. "/",
 * brings the host's procfs and sysfs along as submounts. */
static bool src_forbidden(const char *src)
{
	return ward_path_is_beneath(src, "/proc") ||
	       ward_path_is_beneath(src, "/sys") ||
	       ward_path_is_beneath("/proc", src) ||
	       ward_path_is_beneath("/sys", src) ||
	       strcmp(src, "/dev") == 0;
}

static int parse_bind(const char *spec, char *src, char *dst, bool *rw,
		      struct ward_err *err)
{
	char buf[PATH_MAX];
	char *f[3];
	int n;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return ward_err_set(err, WARD_STEP_PLAN, ENAMETOOLONG, "--bind %s", spec);
	n = ward_split_colon(buf, f, 3);
	if (n < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0, "--bind %s: expected SRC[:DST][:ro|rw]", spec);
	*rw = false;
	if (n >= 2 && (strcmp(f[n - 1], "ro") == 0 || strcmp(f[n - 1], "rw") == 0)) {
		*rw = strcmp(f[n - 1], "rw") == 0;
		n--;
	} else if (n == 3) {
		return ward_err_set(err, WARD_STEP_PLAN, 0, "--bind %s: mode must be ro or rw, got '%s'",
				spec, f[2]);
	}
	if (!*f[0] || (n == 2 && !*f[1]))
		return ward_err_set(err, WARD_STEP_PLAN, 0, "--bind %s: empty path", spec);
	strcpy(src, f[0]);
	strcpy(dst, n == 2 ? f[1] : "");
	return 0;
}

/* A bind source whose last component is a symlink is refused: where the
 * sandbox could write (a directory bound read-write before), it may have
 * been planted to expose a host path on the next launch (the flatpak
 * CVE-2024-42472 class).  The operator names the target instead.  Engine
 * sockets are checked first: their refusal is the louder one. */
static int refuse_symlink_source(const char *spec, const char *src,
				 const char *real, const struct stat *st,
				 struct ward_err *err)
{
	char last[PATH_MAX];
	size_t n = strlen(src);
	struct stat lst;

	/* "link/" would follow the link: look at "link". */
	while (n > 1 && src[n - 1] == '/')
		n--;
	snprintf(last, sizeof(last), "%.*s", (int)n, src);
	if (lstat(last, &lst) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno, "--bind %s: source %s", spec, src);
	if (S_ISLNK(lst.st_mode))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"--bind %s: source %s is a symlink (to %s); name the target itself",
				spec, src, real);
	/* Not a symlink now: then it is the object realpath and stat saw,
	 * or it was swapped between the lookups. */
	if (lst.st_dev != st->st_dev || lst.st_ino != st->st_ino)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"--bind %s: source %s changed while it was checked; refusing",
				spec, src);
	return 0;
}

static int resolve_bind(const char *spec, struct ward_engine_sockets *es,
			struct ward_bind *bind, struct ward_err *err)
{
	char src[PATH_MAX], dst[PATH_MAX], real[PATH_MAX], norm[PATH_MAX];
	struct stat st;
	int r;

	if ((r = parse_bind(spec, src, dst, &bind->rw, err)) < 0)
		return r;
	if (!realpath(src, real))
		return ward_err_set(err, WARD_STEP_PLAN, errno, "--bind %s: source %s", spec, src);
	if (stat(real, &st) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, errno, "--bind %s: source %s", spec, real);
	if (src_forbidden(real))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"--bind %s: binding the host's %s exposes other processes; refused",
				spec, real);
	/* A socket is asked who listens on it before a symlink to it is
	 * refused: the refusal then names the engine. */
	if ((r = refuse_kernel_fs(real, err)) < 0 ||
	    (r = ward_dockersock_check(es, "bind of", real, &st, err)) < 0 ||
	    (S_ISSOCK(st.st_mode) &&
	     (r = ward_dockersock_walk(es, "bind of", real, err)) < 0))
		return ward_err_wrap(err, "--bind %s: ", spec);
	ward_dockersock_warn(es, real, &st);
	if ((r = refuse_symlink_source(spec, src, real, &st, err)) < 0)
		return r;
	if (!*dst)
		strcpy(dst, real); /* SRC alone: the same place inside */
	if ((r = check_mounts_beneath(es, real, S_ISDIR(st.st_mode), err)) < 0)
		return ward_err_wrap(err, "--bind %s: ", spec);
	if (ward_path_normalize(dst, norm, sizeof(norm)) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"--bind %s: destination must be an absolute path without '..'",
				spec);
	if (dst_forbidden(norm))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"--bind %s: destination %s is reserved (/, /proc, /dev)",
				spec, norm);
	/* Last: the walk of a directory is what costs. */
	if (S_ISDIR(st.st_mode) &&
	    (r = ward_dockersock_walk(es, "bind of", real, err)) < 0)
		return ward_err_wrap(err, "--bind %s: ", spec);
	bind->src = strdup(real);
	bind->dst = strdup(norm);
	if (!bind->src || !bind->dst)
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
	bind->dev = st.st_dev;
	bind->ino = st.st_ino;
	bind->type = st.st_mode & S_IFMT;
	return 0;
}

static int scan_engines(const struct ward_plan_builder *b,
			struct ward_plan *plan, struct ward_err *err)
{
	/* Not zeroed: the table is 35 kB and entries past n are never read. */
	struct ward_engine_sockets *es = malloc(sizeof(*es));

	if (!es)
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "malloc");
	ward_dockersock_scan(es, b->engine_extra);
	es->allowed = b->allow_engines;
	plan->engine_sockets = es;
	if (es->overflow[0])
		return ward_err_set(err, WARD_STEP_DOCKERSOCK, 0,
				    "refusing to start: %s", es->overflow);
	return 0;
}

/* With namespaces, "writable PATH" is a read-write bind of the same path
 * of the root.  Resolved on the host, so it must stay inside the rootfs
 * (a symlink in the image pointing at a host path is refused). */
static int resolve_writable_bind(const struct ward_plan *plan, const char *path,
				 struct ward_bind *bind, struct ward_err *err)
{
	char spec[PATH_MAX * 2 + 8], real[PATH_MAX];
	const char *root = plan->rootfs ? plan->rootfs : "";

	if (snprintf(spec, sizeof(spec), "%s%s", root, path) >= PATH_MAX)
		return ward_err_set(err, WARD_STEP_PLAN, ENAMETOOLONG, "writable %s", path);
	if (!realpath(spec, real))
		return ward_err_set(err, WARD_STEP_PLAN, errno, "writable %s: %s", path, spec);
	if (plan->rootfs && !ward_path_is_beneath(real, plan->rootfs))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"writable %s: resolves to %s, outside the rootfs %s; refused",
				path, real, plan->rootfs);
	snprintf(spec, sizeof(spec), "%s:%s:rw", real, path);
	return resolve_bind(spec, plan->engine_sockets, bind, err);
}

static void drop_partial_bind(struct ward_bind *bind)
{
	free(bind->src);
	free(bind->dst);
	memset(bind, 0, sizeof(*bind));
}

/* Every bind, each error noted; the writable paths' binds only when the
 * root and the writable list resolved (@writable_ok). */
static void resolve_binds(const struct ward_plan_builder *b,
			  struct ward_plan *plan, bool writable_ok,
			  struct ward_err *err)
{
	struct ward_engine_sockets *es = plan->engine_sockets;
	bool namespaces = plan->mode != WARD_MODE_ENTRYPOINT;

	for (size_t i = 0; i < b->nbinds; i++) {
		struct ward_bind *bind = &plan->binds[plan->nbinds];
		int r = resolve_bind(b->binds[i], es, bind, err);

		if (r == 0) {
			plan->nbinds++;
			continue;
		}
		ward_plan_note(b, ward_err_wrap(err, "%s", ward_plan_where(b, "bind", i)), err);
		drop_partial_bind(bind);
	}
	for (size_t i = 0; namespaces && writable_ok && i < plan->nwritable; i++) {
		struct ward_bind *bind = &plan->binds[plan->nbinds];
		int r;

		if (plan->nbinds == WARD_MAX_BINDS) {
			ward_plan_note(b, ward_err_set(err, WARD_STEP_PLAN, 0,
						       "writable: more than %d binds in all",
						       WARD_MAX_BINDS), err);
			break;
		}
		r = resolve_writable_bind(plan, plan->writable[i], bind, err);
		if (r == 0) {
			plan->nbinds++;
			continue;
		}
		ward_plan_note(b, r, err);
		drop_partial_bind(bind);
	}
	for (size_t i = 0; i < plan->nbinds; i++) {
		if (!plan->binds[i].rw)
			continue;
		if (ward_seccomp_cache_exposed(plan->binds[i].src))
			ward_plan_note(b, ward_err_set(err, WARD_STEP_PLAN, 0,
						       "a read-write bind of %s would let the program write ward's seccomp filter cache, which later launches trust; bind it read-only, or move the cache with WARD_CACHE_DIR (WARD_CACHE_DIR=off: no cache)",
						       plan->binds[i].src), err);
		if (ward_image_cache_exposed(plan->binds[i].src))
			ward_plan_note(b, ward_err_set(err, WARD_STEP_PLAN, 0,
						       "a read-write bind of %s would let the program write ward's image cache, whose trees and audit findings later runs trust; bind it read-only, or move the cache with WARD_CACHE_DIR",
						       plan->binds[i].src), err);
	}
}

static int resolve_one_tmpfs(const struct ward_plan_builder *b, size_t i,
			     struct ward_tmpfs *t, struct ward_err *err)
{
	char buf[PATH_MAX], norm[PATH_MAX];
	char *f[2];
	int n;

	if (snprintf(buf, sizeof(buf), "%s", b->tmpfs[i]) >= (int)sizeof(buf))
		return ward_err_set(err, WARD_STEP_PLAN, ENAMETOOLONG, "%s--tmpfs",
				    ward_plan_where(b, "tmpfs", i));
	n = ward_split_colon(buf, f, 2);
	if (n < 0 || ward_path_normalize(f[0], norm, sizeof(norm)) < 0 ||
	    dst_forbidden(norm))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				"%s--tmpfs %s: expected an absolute DST[:size=N] outside /, /proc, /dev",
				ward_plan_where(b, "tmpfs", i), b->tmpfs[i]);
	if (n == 2 && (strncmp(f[1], "size=", 5) != 0 ||
		       ward_parse_size(f[1] + 5, &t->size) < 0))
		return ward_err_set(err, WARD_STEP_PLAN, 0, "%s--tmpfs %s: bad size '%s'",
				ward_plan_where(b, "tmpfs", i), b->tmpfs[i], f[1]);
	t->dst = strdup(norm);
	return t->dst ? 0 : ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
}

static void resolve_tmpfs(const struct ward_plan_builder *b,
			  struct ward_plan *plan, struct ward_err *err)
{
	for (size_t i = 0; i < b->ntmpfs; i++) {
		struct ward_tmpfs *t = &plan->tmpfs[plan->ntmpfs];

		*t = (struct ward_tmpfs){0};
		if (ward_plan_note(b, resolve_one_tmpfs(b, i, t, err), err) == 0)
			plan->ntmpfs++;
	}
}


/* One mount per destination, so none is hidden beneath another: a later
 * bind replaces an earlier one, a later tmpfs an earlier one, and a bind
 * replaces a tmpfs (a profile's private tmpfs, a host directory bound
 * over it to persist).  Lists add up across profiles and options, so
 * this is the override, as the mount order used to make it. */
static void drop_bind(struct ward_plan *plan, size_t i)
{
	free(plan->binds[i].src);
	free(plan->binds[i].dst);
	memmove(&plan->binds[i], &plan->binds[i + 1],
		(plan->nbinds - i - 1) * sizeof(plan->binds[0]));
	plan->nbinds--;
}

static void drop_tmpfs(struct ward_plan *plan, size_t i)
{
	free(plan->tmpfs[i].dst);
	memmove(&plan->tmpfs[i], &plan->tmpfs[i + 1],
		(plan->ntmpfs - i - 1) * sizeof(plan->tmpfs[0]));
	plan->ntmpfs--;
}

static bool bound_at(const struct ward_plan *plan, const char *dst, size_t from)
{
	for (size_t j = from; j < plan->nbinds; j++)
		if (strcmp(plan->binds[j].dst, dst) == 0)
			return true;
	return false;
}

static void one_mount_per_destination(struct ward_plan *plan)
{
	for (size_t i = 0; i < plan->nbinds;)
		if (bound_at(plan, plan->binds[i].dst, i + 1))
			drop_bind(plan, i);
		else
			i++;
	for (size_t i = 0; i < plan->ntmpfs;) {
		bool later = false;

		for (size_t j = i + 1; j < plan->ntmpfs && !later; j++)
			later = strcmp(plan->tmpfs[i].dst, plan->tmpfs[j].dst) == 0;
		if (later || bound_at(plan, plan->tmpfs[i].dst, 0))
			drop_tmpfs(plan, i);
		else
			i++;
	}
}

/* The resolvers in dependency order.  Each error is noted and the
 * independent checks go on, so that one run reports every mistake; a
 * check that rests on a failed one is skipped rather than piling up
 * noise (no user lookup in a root that is not there).  Only running out
 * of memory stops at once. */
static void resolve_all(struct ward_plan_builder *b, struct ward_plan *plan,
			struct ward_err *err)
{
	bool root_ok, user_ok, confine_ok;

	bool image_ok;

	ward_plan_resolve_mode(b, plan); /* first: groups and binds depend on it */
	/* The image next: it gives the root, the command and defaults. */
	image_ok = ward_plan_note(b, ward_plan_resolve_image(b, plan, err), err) == 0;
	if (!image_ok && b->image)
		return; /* no root, no command: nothing else would make sense */
	if (!b->argv || !b->argv[0])
		ward_plan_note(b, ward_err_set(err, WARD_STEP_USAGE, 0,
					       "no command given: ward run [OPTIONS] -- CMD [ARG...]"),
			       err);
	plan->argv = b->argv;
	if (ward_plan_note(b, scan_engines(b, plan, err), err) < 0 && !plan->engine_sockets)
		return;
	root_ok = ward_plan_note(b, wrap_where(b, "rootfs", resolve_rootfs(b, plan, err),
					       err), err) == 0;
	user_ok = root_ok && ward_plan_note(b, wrap_where(b, "user",
							  resolve_user(b, plan, err), err),
					    err) == 0;
	if (root_ok)
		ward_plan_note(b, wrap_where(b, "groups", resolve_groups(b, plan, err), err),
			       err);
	confine_ok = ward_plan_note(b, ward_plan_resolve_confine(b, plan, err), err) == 0;
	resolve_binds(b, plan, root_ok && confine_ok, err);
	ward_dockersock_done(plan->engine_sockets); /* the walks are over */
	resolve_tmpfs(b, plan, err);
	one_mount_per_destination(plan);
	ward_plan_note(b, ward_plan_resolve_volumes(b, plan, err), err);
	ward_plan_resolve_rlimits(b, plan, err);
	ward_plan_resolve_env(b, plan, err);
	ward_plan_resolve_misc(b, plan, err);
	if (confine_ok) /* the network from misc, tcp-connect from confine */
		ward_plan_note(b, ward_plan_resolve_engine_tcp(b, plan, err), err);
	if (confine_ok) /* the same: a socket's rules depend on both */
		ward_plan_note(b, ward_plan_resolve_listen(b, plan, err), err);
	if (user_ok)
		ward_plan_note(b, resolve_host_ids(plan, err), err);
	ward_plan_note(b, ward_plan_resolve_secrets(b, plan, err), err);
}

int ward_plan_resolve(struct ward_plan_builder *b, struct ward_plan *plan,
		      struct ward_err *err)
{
	struct ward_errs *own = NULL, *errs = b->errs;
	size_t before;
	int r = 0;

	plan->caller_uid = geteuid();
	plan->caller_gid = getegid();
	plan->rootless = plan->caller_uid != 0;
	if (!errs) {
		if (!(own = malloc(sizeof(*own))))
			return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "malloc");
		ward_errs_init(own);
		b->errs = errs = own;
	}
	before = ward_errs_count(errs);
	resolve_all(b, plan, err);
	if (ward_errs_count(errs) > before) {
		ward_errs_sort(errs);
		*err = *ward_errs_first(errs);
		r = err->errnum > 0 ? -err->errnum : -EINVAL;
	}
	if (own) {
		b->errs = NULL;
		free(own);
	}
	return r;
}
