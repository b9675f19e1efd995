/* libseccomp, loaded on first use (see libseccomp_dl.h). */
#define _GNU_SOURCE
#define WARD_LIBSECCOMP_DL_IMPL
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "seccomp/libseccomp_dl.h"

struct fns {
	unsigned int (*api_get)(void);
	int (*attr_set)(scmp_filter_ctx, enum scmp_filter_attr, uint32_t);
	int (*export_bpf)(const scmp_filter_ctx, int);
	int (*export_pfc)(const scmp_filter_ctx, int);
	scmp_filter_ctx (*init)(uint32_t);
	void (*release)(scmp_filter_ctx);
	int (*rule_add_exact_array)(scmp_filter_ctx, uint32_t, int, unsigned int,
				    const struct scmp_arg_cmp *);
	int (*resolve_name)(const char *);
	char *(*resolve_num_arch)(uint32_t, int);
	const struct scmp_version *(*version)(void);
};

#ifdef WARD_STATIC
static const struct fns fns = {
	seccomp_api_get, seccomp_attr_set, seccomp_export_bpf,
	seccomp_export_pfc, seccomp_init, seccomp_release,
	seccomp_rule_add_exact_array,
	seccomp_syscall_resolve_name, seccomp_syscall_resolve_num_arch,
	seccomp_version,
};

static const struct fns *lib(void)
{
	return &fns;
}
#else
#include "base/dl.h"

#ifndef WARD_LIBSECCOMP_SONAME
#define WARD_LIBSECCOMP_SONAME "libseccomp.so.2"
#endif

static const struct ward_dl_sym symbols[] = {
	{"seccomp_api_get", offsetof(struct fns, api_get)},
	{"seccomp_attr_set", offsetof(struct fns, attr_set)},
	{"seccomp_export_bpf", offsetof(struct fns, export_bpf)},
	{"seccomp_export_pfc", offsetof(struct fns, export_pfc)},
	{"seccomp_init", offsetof(struct fns, init)},
	{"seccomp_release", offsetof(struct fns, release)},
	{"seccomp_rule_add_exact_array", offsetof(struct fns, rule_add_exact_array)},
	{"seccomp_syscall_resolve_name", offsetof(struct fns, resolve_name)},
	{"seccomp_syscall_resolve_num_arch", offsetof(struct fns, resolve_num_arch)},
	{"seccomp_version", offsetof(struct fns, version)},
};

static struct fns fns;

/* Load once; NULL (and the reason on stderr, once) when it cannot be. */
static const struct fns *lib(void)
{
	static int state; /* 0 not tried, 1 loaded, -1 failed */
	const char *why;

	if (state)
		return state > 0 ? &fns : NULL;
	state = -1;
	if (ward_dl_load(WARD_LIBSECCOMP_SONAME, symbols,
			 sizeof(symbols) / sizeof(symbols[0]), &fns, &why) < 0) {
		fprintf(stderr, "ward: seccomp: cannot load %s: %s (install libseccomp2 2.5 or later)\n",
			WARD_LIBSECCOMP_SONAME, why);
		return NULL;
	}
	state = 1;
	return &fns;
}
#endif

unsigned int ward_scmp_api_get(void)
{
	const struct fns *f = lib();

	return f ? f->api_get() : 0;
}

int ward_scmp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr,
		       uint32_t value)
{
	const struct fns *f = lib();

	return f ? f->attr_set(ctx, attr, value) : -ELIBACC;
}

int ward_scmp_export_bpf(const scmp_filter_ctx ctx, int fd)
{
	const struct fns *f = lib();

	return f ? f->export_bpf(ctx, fd) : -ELIBACC;
}

int ward_scmp_export_pfc(const scmp_filter_ctx ctx, int fd)
{
	const struct fns *f = lib();

	return f ? f->export_pfc(ctx, fd) : -ELIBACC;
}

scmp_filter_ctx ward_scmp_init(uint32_t def_action)
{
	const struct fns *f = lib();

	return f ? f->init(def_action) : NULL;
}

void ward_scmp_release(scmp_filter_ctx ctx)
{
	const struct fns *f = ctx ? lib() : NULL;

	if (f)
		f->release(ctx);
}

int ward_scmp_rule_add_exact_array(scmp_filter_ctx ctx, uint32_t action,
				   int syscall, unsigned int arg_cnt,
				   const struct scmp_arg_cmp *arg_array)
{
	const struct fns *f = lib();

	return f ? f->rule_add_exact_array(ctx, action, syscall, arg_cnt, arg_array)
		 : -ELIBACC;
}

int ward_scmp_syscall_resolve_name(const char *name)
{
	const struct fns *f = lib();

	return f ? f->resolve_name(name) : __NR_SCMP_ERROR;
}

char *ward_scmp_syscall_resolve_num_arch(uint32_t arch_token, int num)
{
	const struct fns *f = lib();

	return f ? f->resolve_num_arch(arch_token, num) : NULL;
}

const struct scmp_version *ward_scmp_version(void)
{
	static const struct scmp_version none = {0, 0, 0};
	const struct fns *f = lib();

	return f ? f->version() : &none;
}
