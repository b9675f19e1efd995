/* A Docker profile's includes and excludes: which rules apply to this
 * machine (kept capabilities, arch, kernel version), as Docker decides. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <json-c/json.h>

#include "kernel/caps.h"
#include "seccomp/docker_json.h"

/* Architecture names in "arches": Docker compares Go's GOARCH, plus the
 * "x86"/"x32" spellings its own profile uses. */
static const char *const go_arches[] = {
	"386", "amd64", "arm", "arm64", "loong64", "mips", "mipsle", "mips64",
	"mips64le", "mips64n32", "mips64len32", "ppc", "ppc64", "ppc64le",
	"riscv64", "s390", "s390x", "sparc64", "x86", "x32", NULL,
};

/* ---- includes and excludes --------------------------------------------- */

static const char *const filter_keys[] = {"caps", "arches", "minKernel", NULL};


static int parse_kernel(struct jp *j, json_object *o, const char *path,
			struct filter *f)
{
	char sub[PATH_LEN], q[4 * QUOTE_MAX];
	json_object *v = NULL;
	const char *s;
	char *end;
	unsigned long maj, min;
	int r = ward_dj_member(j, o, path, "minKernel", json_type_string, &v);

	if (r < 0 || !v)
		return r;
	ward_dj_subpath(sub, path, "minKernel");
	s = json_object_get_string(v);
	ward_dj_quote(q, sizeof(q), s);
	errno = 0;
	maj = strtoul(s, &end, 10);
	if (end == s || *end != '.' || s[0] == '-' || s[0] == '+')
		return ward_dj_fail(j, sub, "expected \"MAJOR.MINOR\", found \"%s\"", q);
	s = end + 1;
	min = strtoul(s, &end, 10);
	if (end == s || *end || s[0] == '-' || s[0] == '+' || errno ||
	    maj > 1000 || min > 1000)
		return ward_dj_fail(j, sub, "expected \"MAJOR.MINOR\", found \"%s\"", q);
	f->has_kernel = true;
	f->major = (unsigned)maj;
	f->minor = (unsigned)min;
	return 0;
}

static int check_caps(struct jp *j, json_object *arr, const char *path)
{
	const char *name;
	char sub[PATH_LEN], q[4 * QUOTE_MAX];
	int r;

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		if ((r = ward_dj_array_string(j, arr, i, path, NULL, NULL, &name)) < 0)
			return r;
		/* Docker compares "CAP_X" strings exactly. */
		if (strncmp(name, "CAP_", 4) != 0 ||
		    ward_caps_from_name(name) < 0) {
			ward_dj_indexpath(sub, path, i);
			ward_dj_quote(q, sizeof(q), name);
			return ward_dj_fail(j, sub, "unknown capability \"%s\"", q);
		}
	}
	return 0;
}

static int check_arches(struct jp *j, json_object *arr, const char *path)
{
	const char *name;
	int r;

	for (size_t i = 0; i < json_object_array_length(arr); i++)
		if ((r = ward_dj_array_string(j, arr, i, path, go_arches,
				      "architecture", &name)) < 0)
			return r;
	return 0;
}

int ward_dj_parse_filter(struct jp *j, json_object *o, const char *path,
			const char *key, struct filter *f)
{
	char sub[PATH_LEN], fpath[PATH_LEN];
	json_object *v = NULL;
	int r = ward_dj_member(j, o, path, key, json_type_object, &v);

	*f = (struct filter){NULL, NULL, false, 0, 0};
	if (r < 0 || !v)
		return r;
	ward_dj_subpath(fpath, path, key);
	if ((r = ward_dj_check_keys(j, v, fpath, filter_keys)) < 0 ||
	    (r = ward_dj_member(j, v, fpath, "caps", json_type_array, &f->caps)) < 0 ||
	    (r = ward_dj_member(j, v, fpath, "arches", json_type_array, &f->arches)) < 0 ||
	    (r = parse_kernel(j, v, fpath, f)) < 0)
		return r;
	ward_dj_subpath(sub, fpath, "caps");
	if (f->caps && (r = check_caps(j, f->caps, sub)) < 0)
		return r;
	ward_dj_subpath(sub, fpath, "arches");
	if (f->arches && (r = check_arches(j, f->arches, sub)) < 0)
		return r;
	return 0;
}

static bool cap_kept(const struct jp *j, const char *name)
{
	int cap = ward_caps_from_name(name);

	return cap >= 0 && cap < 64 && (j->ctx->caps & (1ULL << cap));
}

static bool arch_listed(const struct jp *j, json_object *arr)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(
				   arr, i)), j->ctx->arch) == 0)
			return true;
	return false;
}

static bool kernel_at_least(const struct jp *j, const struct filter *f)
{
	return j->ctx->kernel_major > f->major ||
	       (j->ctx->kernel_major == f->major &&
		j->ctx->kernel_minor >= f->minor);
}

static bool why_not(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fill @why and answer "does not apply". */
static bool why_not(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return false;
}

static const char *cap_at(json_object *caps, size_t i)
{
	return json_object_get_string(json_object_array_get_idx(caps, i));
}

static size_t count(json_object *arr)
{
	return arr ? json_object_array_length(arr) : 0;
}

/* Docker's order: excludes first, then includes.  Returns true when the
 * rule applies; else @why says why not. */
bool ward_dj_applies(const struct jp *j, const struct filter *inc,
		    const struct filter *exc, char *why, size_t len)
{
	for (size_t i = 0; i < count(exc->caps); i++)
		if (cap_kept(j, cap_at(exc->caps, i)))
			return why_not(why, len, "left out while %s is kept",
				       cap_at(exc->caps, i));
	if (exc->arches && arch_listed(j, exc->arches))
		return why_not(why, len, "not for %s", j->ctx->arch);
	if (exc->has_kernel && kernel_at_least(j, exc))
		return why_not(why, len, "only before kernel %u.%u",
			       exc->major, exc->minor);
	if (inc->arches && !arch_listed(j, inc->arches))
		return why_not(why, len, "not for %s", j->ctx->arch);
	for (size_t i = 0; i < count(inc->caps); i++)
		if (!cap_kept(j, cap_at(inc->caps, i)))
			return why_not(why, len, "needs %s",
				       cap_at(inc->caps, i));
	if (inc->has_kernel && !kernel_at_least(j, inc))
		return why_not(why, len, "needs kernel %u.%u", inc->major,
			       inc->minor);
	return true;
}
