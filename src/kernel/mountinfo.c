/* The host's mount table: kernel file systems never enter a sandbox. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

#include "base/cleanup.h"
#include "kernel/mountinfo.h"
#include "base/util.h"

static const char *const forbidden_types[] = {
	"proc", "sysfs", "devtmpfs", "debugfs", "tracefs", "securityfs",
	"cgroup", "cgroup2", "bpf", "configfs", "fusectl", "pstore",
	"efivarfs", "binfmt_misc", "autofs", "rpc_pipefs", "nsfs", NULL,
};

bool ward_mountinfo_fstype_forbidden(const char *fstype)
{
	for (size_t i = 0; forbidden_types[i]; i++)
		if (strcmp(fstype, forbidden_types[i]) == 0)
			return true;
	return false;
}

static const struct {
	unsigned long magic;
	const char *name;
} forbidden_magic[] = {
	{PROC_SUPER_MAGIC, "proc"}, {SYSFS_MAGIC, "sysfs"},
	{DEBUGFS_MAGIC, "debugfs"}, {TRACEFS_MAGIC, "tracefs"},
	{SECURITYFS_MAGIC, "securityfs"}, {CGROUP_SUPER_MAGIC, "cgroup"},
	{CGROUP2_SUPER_MAGIC, "cgroup2"}, {BPF_FS_MAGIC, "bpf"},
	{0x62656570, "configfs"}, {0x65735543, "fusectl"},
	{PSTOREFS_MAGIC, "pstore"}, {EFIVARFS_MAGIC, "efivarfs"},
	{BINFMTFS_MAGIC, "binfmt_misc"}, {AUTOFS_SUPER_MAGIC, "autofs"},
	{0x67596969, "rpc_pipefs"}, {NSFS_MAGIC, "nsfs"},
};

const char *ward_mountinfo_magic_forbidden(unsigned long f_type)
{
	for (size_t i = 0; i < sizeof(forbidden_magic) / sizeof(forbidden_magic[0]); i++)
		if (forbidden_magic[i].magic == (f_type & 0xffffffffUL))
			return forbidden_magic[i].name;
	return NULL;
}

int ward_mountinfo_refuse_fs_of(int fd, const char *what, enum ward_step step,
				struct ward_err *err)
{
	struct statfs sfs;
	const char *type;

	if (fstatfs(fd, &sfs) < 0)
		return ward_err_set(err, step, errno, "fstatfs %s", what);
	if (!(type = ward_mountinfo_magic_forbidden((unsigned long)sfs.f_type)))
		return 0;
	return ward_err_set(err, step, 0,
			    "%s is on a %s file system, which would expose the host's kernel or processes; refused",
			    what, type);
}

/* Decode mountinfo's \ooo escapes (space, tab, newline, backslash) in
 * place: the decoded text is never longer.  An escaped NUL, which the
 * kernel never writes, would cut the name short: -EINVAL. */
static int unescape(char *s)
{
	char *o = s;

	for (char *i = s; *i; i++) {
		if (i[0] == '\\' && i[1] >= '0' && i[1] <= '3' &&
		    i[2] >= '0' && i[2] <= '7' && i[3] >= '0' && i[3] <= '7') {
			*o = (char)((i[1] - '0') * 64 + (i[2] - '0') * 8 +
				    (i[3] - '0'));
			if (*o++ == '\0')
				return -EINVAL;
			i += 3;
		} else {
			*o++ = *i;
		}
	}
	*o = '\0';
	return 0;
}

/* Field @k (0-based, space separated) from @p on, or NULL; its length
 * in @n. */
static char *field(char *p, int k, size_t *n)
{
	for (int i = 0; i < k; i++) {
		p = strchr(p, ' ');
		if (!p)
			return NULL;
		p++;
	}
	*n = strcspn(p, " \n");
	return p;
}

int ward_mountinfo_parse(char *line, struct ward_mount_entry *m)
{
	/* id parent major:minor root mountpoint options... - fstype ... */
	char *sep = strstr(line, " - ");
	char *root, *mnt, *type;
	size_t rn, mn, tn;

	if (!sep || !(root = field(line, 3, &rn)) ||
	    !(mnt = field(line, 4, &mn)) || mnt + mn > sep ||
	    !(type = field(sep + 3, 0, &tn)) || rn == 0 || mn == 0 || tn == 0)
		return -EINVAL;
	root[rn] = mnt[mn] = type[tn] = '\0';
	if (unescape(root) < 0 || unescape(mnt) < 0 || unescape(type) < 0)
		return -EINVAL;
	*m = (struct ward_mount_entry){root, mnt, type};
	return 0;
}

int ward_mountinfo_parse_line(const char *line, char *mnt, size_t mntlen,
			      char *fstype, size_t typelen)
{
	_cleanup_free_ char *copy = strdup(line);
	struct ward_mount_entry m;

	if (!copy || ward_mountinfo_parse(copy, &m) < 0 ||
	    strlen(m.mnt) >= mntlen || strlen(m.fstype) >= typelen)
		return -EINVAL;
	strcpy(mnt, m.mnt);
	strcpy(fstype, m.fstype);
	return 0;
}

int ward_mountinfo_each_in(FILE *f, const char *what, ward_mountinfo_fn fn,
			   void *ctx, enum ward_step step, struct ward_err *err)
{
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	unsigned no = 0;
	int r;

	for (;;) {
		struct ward_mount_entry m;

		errno = 0;
		if (getline(&line, &cap, f) < 0)
			break;
		no++;
		/* A line ward cannot read could hide the very mount it looks
		 * for: refuse rather than skip it. */
		if (ward_mountinfo_parse(line, &m) < 0)
			return ward_err_set(err, step, 0,
					    "%s: line %u is not a mount entry", what, no);
		if ((r = fn(&m, ctx, err)) < 0)
			return r;
	}
	if (errno || ferror(f)) /* not the end: out of memory or a read error */
		return ward_err_set(err, step, errno ? errno : EIO, "reading %s", what);
	return 0;
}

int ward_mountinfo_each(ward_mountinfo_fn fn, void *ctx, enum ward_step step,
			struct ward_err *err)
{
	static const char path[] = "/proc/self/mountinfo";
	_cleanup_fclose_ FILE *f = fopen(path, "re");

	if (!f)
		return ward_err_set(err, step, errno, "reading %s", path);
	return ward_mountinfo_each_in(f, path, fn, ctx, step, err);
}

struct beneath {
	const char *path;
	ward_mount_fn fn;
	void *ctx;
};

static int call_if_beneath(const struct ward_mount_entry *m, void *p,
			   struct ward_err *err)
{
	const struct beneath *b = p;

	if (!ward_path_is_beneath(m->mnt, b->path))
		return 0;
	return b->fn(m->mnt, m->fstype, b->ctx, err);
}

int ward_mountinfo_each_beneath(const char *path, ward_mount_fn fn, void *ctx,
				struct ward_err *err)
{
	struct beneath b = {path, fn, ctx};

	return ward_mountinfo_each(call_if_beneath, &b, WARD_STEP_PLAN, err);
}

int ward_mountinfo_refuse_forbidden(const char *path, const char *mnt,
				    const char *fstype, struct ward_err *err)
{
	if (!ward_mountinfo_fstype_forbidden(fstype))
		return 0;
	return ward_err_set(err, WARD_STEP_PLAN, 0,
			    "%s holds a %s mount at %s, which would expose the host's kernel or processes; bind something narrower",
			    path, fstype, mnt);
}
