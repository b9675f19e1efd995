/* Filter building shared by the seccomp modules (private): seccomp.c
 * owns the libseccomp context; seccomp_docker.c adds its rules to one. */
#ifndef WARD_SECCOMP_BUILD_H
#define WARD_SECCOMP_BUILD_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include "seccomp/libseccomp_dl.h"

#include "base/err.h"
#include "seccomp/seccomp.h"
#include "seccomp/docker.h"
#include "seccomp/policy.h"

/* A source resolved into ward's own representation: either a ward
 * policy with its additions applied (pol), or a Docker profile (docker),
 * already merged with its additions; over holds the additions (or NULL):
 * the Docker build adds them, show marks them. */
struct ward_seccomp_resolved {
	struct ward_seccomp_policy *pol;
	struct ward_docker_profile *docker;
	struct ward_seccomp_policy *over;
};

/* Read, parse and merge @src (nothing for WARD_SECCOMP_OFF).  Parent
 * side; reads files.  Errors: WARD_STEP_SECCOMP_BUILD. */
int ward_seccomp_resolve(const struct ward_seccomp_source *src,
			 struct ward_seccomp_resolved *res,
			 struct ward_err *err);
void ward_seccomp_resolved_free(struct ward_seccomp_resolved *res);

/* Append @rule to @p's rules (seccomp_docker.c).  Returns 0 or -ENOMEM. */
/* Append @rule to the array *@arr of *@n (capacity *@cap), growing it.
 * Returns 0 or -ENOMEM (docker_rules.c). */
int ward_seccomp_docker_append(struct ward_docker_rule **arr, size_t *n,
			       size_t *cap, const struct ward_docker_rule *rule);
int ward_seccomp_docker_push(struct ward_docker_profile *p,
			     const struct ward_docker_rule *rule);

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* The namespace flags the clone and unshare guards refuse (unshare adds
 * CLONE_NEWTIME; in clone() bit 7 belongs to the exit signal).  Both
 * programs use them: bpf.c for libseccomp, compact.c for ward's own. */
#define WARD_CLONE_NS_FLAGS                                                \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |       \
	 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

/* The kernel offers every one of the @n seccomp return actions
 * (SECCOMP_GET_ACTION_AVAIL; false under valgrind, which lacks
 * seccomp(2)): a program returning only those means what it says. */
bool ward_seccomp_kernel_takes(const uint32_t *actions, size_t n);

/* The libseccomp action for a ward policy action. */
uint32_t ward_seccomp_scmp_action(enum ward_seccomp_action action, int errnum);

/* A native-arch context with @def_action and ward's attributes (bad
 * arch kills the process, no NNP bit, binary-tree dispatch). */
int ward_seccomp_ctx_new(uint32_t def_action, scmp_filter_ctx *out,
			 struct ward_err *err);

/* Add every rule of @pol (argument guards included) to @ctx, whose
 * default action is @def_action. */
int ward_seccomp_ctx_add_policy(scmp_filter_ctx ctx, uint32_t def_action,
				const struct ward_seccomp_policy *pol,
				struct ward_err *err);

/* Export @ctx as BPF into heap memory. */
int ward_seccomp_ctx_export(scmp_filter_ctx ctx, struct sock_fprog *out,
			    struct ward_err *err);

void ward_seccomp_ctx_release(scmp_filter_ctx *ctx);

/* @out points at the precompiled program for @src when there is one
 * (a built-in mode without additions; read-only memory). */
bool ward_seccomp_use_precompiled(const struct ward_seccomp_source *src,
				  struct sock_fprog *out);

/* Build @src with libseccomp, ignoring precompiled programs. */
int ward_seccomp_build_fresh(const struct ward_seccomp_source *src,
			     struct sock_fprog *out, struct ward_err *err);

/* Read @size bytes of the regular file behind @fd (at most @max), with
 * the checks every policy file gets; *out is NUL-terminated heap memory.
 * @what names the file kind in messages ("seccomp policy"). */
int ward_seccomp_read_file(const char *path, size_t max, const char *what,
			   char **out, size_t *len, struct ward_err *err);

/* What a guarded syscall's "allow" really allows (clone: "no namespace
 * flags"), or NULL for a syscall without a guard. */
const char *ward_seccomp_guard_text(const char *name);

#endif
