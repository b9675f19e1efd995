/* libseccomp, loaded on first use.
 *
 * ward's built-in filters are compiled into the binary (gen-seccomp), so
 * a launch with the default filter never calls libseccomp; linked
 * normally it would still be loaded and relocated at every start.  The
 * seccomp code calls it through the wrappers below (same signatures,
 * spelled as libseccomp documents them by the macros), which dlopen it on
 * the first call.  When it cannot be loaded each wrapper fails the way
 * libseccomp reports a failure (NULL, a negative errno, __NR_SCMP_ERROR),
 * so every caller's error path applies, and the reason is printed once.
 * The static build links libseccomp.a and calls it directly.  Include
 * instead of <seccomp.h>. */
#ifndef WARD_LIBSECCOMP_DL_H
#define WARD_LIBSECCOMP_DL_H

#include <seccomp.h>

unsigned int ward_scmp_api_get(void);
int ward_scmp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr,
		       uint32_t value);
int ward_scmp_export_bpf(const scmp_filter_ctx ctx, int fd);
int ward_scmp_export_pfc(const scmp_filter_ctx ctx, int fd);
scmp_filter_ctx ward_scmp_init(uint32_t def_action);
void ward_scmp_release(scmp_filter_ctx ctx);
int ward_scmp_rule_add_exact_array(scmp_filter_ctx ctx, uint32_t action,
				   int syscall, unsigned int arg_cnt,
				   const struct scmp_arg_cmp *arg_array);
int ward_scmp_syscall_resolve_name(const char *name);
char *ward_scmp_syscall_resolve_num_arch(uint32_t arch_token, int num);
const struct scmp_version *ward_scmp_version(void);

#ifndef WARD_LIBSECCOMP_DL_IMPL
#define seccomp_api_get ward_scmp_api_get
#define seccomp_attr_set ward_scmp_attr_set
#define seccomp_export_bpf ward_scmp_export_bpf
#define seccomp_export_pfc ward_scmp_export_pfc
#define seccomp_init ward_scmp_init
#define seccomp_release ward_scmp_release
#define seccomp_rule_add_exact_array ward_scmp_rule_add_exact_array
#define seccomp_syscall_resolve_name ward_scmp_syscall_resolve_name
#define seccomp_syscall_resolve_num_arch ward_scmp_syscall_resolve_num_arch
#define seccomp_version ward_scmp_version
#endif

#endif
