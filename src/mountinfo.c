/* The host's mount table: kernel file systems never enter a sandbox. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ward/cleanup.h"
#include "ward/mountinfo.h"
#include "ward/util.h"

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

/* Decode mountinfo's \ooo escapes (space, tab, newline, backslash). */
static int unescape(const char *in, size_t n, char *out, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = in[i];

		if (c == '\\' && i + 3 < n &&
		    in[i + 1] >= '0' && in[i + 1] <= '3' &&
		    in[i + 2] >= '0' && in[i + 2] <= '7' &&
		    in[i + 3] >= '0' && in[i + 3] <= '7') {
			c = (char)((in[i + 1] - '0') * 64 + (in[i + 2] - '0') * 8 +
				   (in[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= len)
			return -EINVAL;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* Field @k (0-based, space separated) of @line: start and length. */
static const char *field(const char *line, int k, size_t *n)
{
	const char *p = line;

	for (int i = 0; i < k; i++) {
		p = strchr(p, ' ');
		if (!p)
			return NULL;
		p++;
	}
	*n = strcspn(p, " \n");
	return p;
}

int ward_mountinfo_parse_line(const char *line, char *mnt, size_t mntlen,
			      char *fstype, size_t typelen)
{
	const char *sep = strstr(line, " - ");
	const char *f;
	size_t n;

	/* id parent major:minor root mountpoint options... - fstype ... */
	if (!sep || !(f = field(line, 4, &n)) || f > sep ||
	    unescape(f, n, mnt, mntlen) < 0)
		return -EINVAL;
	if (!(f = field(sep + 3, 0, &n)) || n == 0 ||
	    unescape(f, n, fstype, typelen) < 0)
		return -EINVAL;
	return 0;
}

int ward_mountinfo_each_beneath(const char *path, ward_mount_fn fn, void *ctx,
				struct ward_err *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[8192], mnt[PATH_MAX], type[64];
	int r;

	if (!f)
		return ward_err_set(err, WARD_STEP_PLAN, errno,
				    "reading /proc/self/mountinfo");
	while (fgets(line, sizeof(line), f)) {
		if (ward_mountinfo_parse_line(line, mnt, sizeof(mnt), type,
					      sizeof(type)) < 0 ||
		    !ward_path_is_beneath(mnt, path))
			continue;
		if ((r = fn(mnt, type, ctx, err)) < 0)
			return r;
	}
	return 0;
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
