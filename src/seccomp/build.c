/* The one place that chooses the filter: the built-in policy (or its
 * precompiled BPF), a ward policy file, or a Docker/OCI JSON profile,
 * with a profile's seccomp-* lines on top; bpf.c turns the result into
 * BPF. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "seccomp/libseccomp_dl.h"

#include "base/cleanup.h"
#include "seccomp/seccomp.h"
#include "seccomp/docker.h"
#include "base/sys.h"
#include "seccomp/build.h"
#include "seccomp/groups.h"
#include "seccomp/policy.h"

#define STEP WARD_STEP_SECCOMP_BUILD
/* The policy for a mode; *out stays NULL for WARD_SECCOMP_OFF. */
static int mode_policy(const struct ward_seccomp_source *src,
		       struct ward_seccomp_policy **out,
		       struct ward_err *err)
{
	*out = NULL;
	switch (src->mode) {
	case WARD_SECCOMP_OFF:
		return 0;
	case WARD_SECCOMP_FILE:
		if (!src->path)
			return ward_err_set(err, STEP, EINVAL,
					    "seccomp policy file not given");
		if (src->text)
			return ward_seccomp_policy_parse(src->path, src->text,
							 src->text_len, out, err);
		return ward_seccomp_policy_read(src->path, out, err);
	case WARD_SECCOMP_DEFAULT:
	case WARD_SECCOMP_STRICT:
		return ward_seccomp_policy_builtin(src->mode, out, err);
	case WARD_SECCOMP_DOCKER:
		break; /* not a ward policy: see build_docker */
	}
	return ward_err_set(err, STEP, EINVAL, "unknown seccomp mode %d",
			    (int)src->mode);
}

int ward_seccomp_build(enum ward_seccomp_mode mode, const char *policy_path,
		       struct sock_fprog *out, struct ward_err *err)
{
	return ward_seccomp_build_ex(mode, policy_path, NULL, false, out, err);
}

static int parse_overlay(const char *overlay, struct ward_seccomp_policy **out,
			 struct ward_err *err)
{
	*out = NULL;
	if (!overlay)
		return 0;
	return ward_seccomp_policy_parse("profile", overlay, strlen(overlay),
					 out, err);
}

/* A Docker profile, decided against the plan's capabilities and this
 * kernel, with the profile's additions merged in. */
static int resolve_docker(const struct ward_seccomp_source *src,
			  struct ward_seccomp_resolved *res,
			  struct ward_err *err)
{
	struct ward_docker_context ctx;
	int r;

	if (!src->path)
		return ward_err_set(err, STEP, EINVAL,
				    "Docker seccomp profile not given");
	r = ward_seccomp_docker_context(src->caps, &ctx, err);
	if (r == 0 && src->text)
		r = ward_seccomp_docker_parse(src->path, src->text, src->text_len,
					      &ctx, &res->docker, err);
	else if (r == 0)
		r = ward_seccomp_docker_read(src->path, &ctx, &res->docker, err);
	if (r == 0)
		r = parse_overlay(src->overlay, &res->over, err);
	if (r == 0 && res->over && src->log_only)
		ward_seccomp_policy_log_only(res->over);
	if (r == 0)
		r = ward_seccomp_docker_merge(res->docker, res->over,
					      src->log_only, err);
	if (r == 0 && src->verbose && res->docker->unknown_names)
		fprintf(stderr, "ward: seccomp: %s: %u syscall names unknown "
			"on this architecture or to this libseccomp were "
			"skipped, as Docker skips them (ward seccomp show "
			"lists them)\n", src->path, res->docker->unknown_names);
	return r;
}

int ward_seccomp_resolve(const struct ward_seccomp_source *src,
			 struct ward_seccomp_resolved *res,
			 struct ward_err *err)
{
	struct ward_seccomp_policy *over = NULL;
	int r;

	*res = (struct ward_seccomp_resolved){NULL, NULL, NULL};
	if (src->mode == WARD_SECCOMP_DOCKER)
		r = resolve_docker(src, res, err);
	else
		r = mode_policy(src, &res->pol, err);
	/* The additions are kept beside the merged policy: show marks the
	 * rules they decided. */
	if (r == 0 && res->pol && src->overlay) {
		r = parse_overlay(src->overlay, &over, err);
		if (r == 0 && ward_seccomp_policy_overlay(res->pol, over) < 0)
			r = ward_err_set(err, STEP, ENOSPC,
					 "profile seccomp additions");
		res->over = over;
	}
	if (r == 0 && res->pol && src->log_only)
		ward_seccomp_policy_log_only(res->pol);
	if (r < 0)
		ward_seccomp_resolved_free(res);
	return r;
}

void ward_seccomp_resolved_free(struct ward_seccomp_resolved *res)
{
	ward_seccomp_policy_free(res->pol);
	ward_seccomp_policy_free(res->over);
	ward_seccomp_docker_free(res->docker);
	*res = (struct ward_seccomp_resolved){NULL, NULL, NULL};
}

/* The actions the built-in policies use must exist in this kernel for
 * the precompiled programs to mean what they say. */
static bool kernel_has_actions(void)
{
	static const uint32_t actions[] = {
		SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ERRNO, SECCOMP_RET_ALLOW,
	};

	return ward_seccomp_kernel_takes(actions, sizeof(actions) / sizeof(actions[0]));
}

static const struct ward_seccomp_blob *find_blob(enum ward_seccomp_mode mode)
{
	if (!ward_seccomp_builtin_blobs)
		return NULL;
	for (const struct ward_seccomp_blob *b = ward_seccomp_builtin_blobs;
	     b->mode != WARD_SECCOMP_OFF; b++)
		if (b->mode == mode)
			return b;
	return NULL;
}

/* The precompiled programs live in read-only memory; a plan points at
 * them (nothing writes to a plan's program) and ward_seccomp_free leaves
 * them alone.  A copy would fault in two fresh heap pages per launch. */
static bool is_builtin(const struct sock_filter *insns)
{
	for (const struct ward_seccomp_blob *b = ward_seccomp_builtin_blobs;
	     b && b->mode != WARD_SECCOMP_OFF; b++)
		if (insns == b->insns)
			return true;
	return false;
}

/* 1 when @out points at the precompiled program, 0 when there is none
 * for @mode (or the kernel lacks an action). */
static int use_precompiled(enum ward_seccomp_mode mode, struct sock_fprog *out)
{
	const struct ward_seccomp_blob *b = find_blob(mode);

	if (!b || !kernel_has_actions())
		return 0;
	out->filter = (struct sock_filter *)b->insns; /* read-only: see is_builtin */
	out->len = b->len;
	return 1;
}

bool ward_seccomp_is_precompiled(const struct sock_fprog *prog,
				 enum ward_seccomp_mode mode)
{
	const struct ward_seccomp_blob *b = find_blob(mode);

	return b && prog->len == b->len &&
	       memcmp(prog->filter, b->insns,
		      (size_t)b->len * sizeof(struct sock_filter)) == 0;
}

int ward_seccomp_build_ex(enum ward_seccomp_mode mode, const char *policy_path,
			  const char *overlay, bool log_only,
			  struct sock_fprog *out, struct ward_err *err)
{
	const struct ward_seccomp_source src = {
		.mode = mode, .path = policy_path, .overlay = overlay,
		.log_only = log_only,
	};

	return ward_seccomp_build_src(&src, out, err);
}

int ward_seccomp_build_src(const struct ward_seccomp_source *src,
			   struct sock_fprog *out, struct ward_err *err)
{
	if (ward_seccomp_use_precompiled(src, out))
		return 0;
	return ward_seccomp_build_fresh(src, out, err);
}

bool ward_seccomp_use_precompiled(const struct ward_seccomp_source *src,
				  struct sock_fprog *out)
{
	return !src->overlay && !src->log_only &&
	       use_precompiled(src->mode, out) == 1;
}

int ward_seccomp_build_fresh(const struct ward_seccomp_source *src,
			     struct sock_fprog *out, struct ward_err *err)
{
	struct ward_seccomp_resolved res;
	struct sock_fprog prog = {0, NULL};
	int r = ward_seccomp_resolve(src, &res, err);

	if (r == 0 && res.pol)
		r = ward_seccomp_policy_build(res.pol, &prog, err);
	else if (r == 0 && res.docker)
		r = ward_seccomp_docker_build(res.docker, res.over, &prog, err);
	ward_seccomp_resolved_free(&res);
	if (r == 0)
		*out = prog;
	return r;
}

char *ward_seccomp_overlay_text(char *const *lines, size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	/* The base policy decides execve (and ward refuses one that denies
	 * it); the additions must not turn it off either. */
	fputs("ward-seccomp 1\nallow execve\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int ward_seccomp_check_directive(const char *verb, const char *value,
				 struct ward_err *err)
{
	struct ward_seccomp_policy *pol = NULL;
	char text[WARD_SECCOMP_LINE_MAX + 64];
	const char *msg;
	int r;

	if (snprintf(text, sizeof(text), "ward-seccomp 1\nallow execve\n%s %s\n",
		     verb, value) >= (int)sizeof(text))
		return ward_err_set(err, STEP, 0, "value too long");
	r = ward_seccomp_policy_parse("-", text, strlen(text), &pol, err);
	ward_seccomp_policy_free(pol);
	if (r == 0)
		return 0;
	/* Keep only the message: the line and column are the profile's. */
	msg = strstr(err->msg, "error: ");
	if (msg) {
		char copy[WARD_ERR_MSG_MAX];
		size_t n = strcspn(msg + 7, "\n");

		snprintf(copy, sizeof(copy), "%.*s", (int)n, msg + 7);
		snprintf(err->msg, sizeof(err->msg), "%s", copy);
	}
	return r;
}

int ward_seccomp_export_pfc(enum ward_seccomp_mode mode,
			    const char *policy_path, int fd,
			    struct ward_err *err)
{
	const struct ward_seccomp_source src = {.mode = mode, .path = policy_path};
	struct ward_seccomp_policy *pol = NULL;
	int r = mode_policy(&src, &pol, err);

	if (r == 0 && pol)
		r = ward_seccomp_policy_export_pfc(pol, fd, err);
	ward_seccomp_policy_free(pol);
	return r;
}

bool ward_seccomp_syscall_known(const char *name)
{
	return name && seccomp_syscall_resolve_name(name) >= 0;
}

void ward_seccomp_print_groups(FILE *out)
{
	for (size_t i = 0; i < ward_seccomp_group_count(); i++) {
		const struct ward_seccomp_group *g = ward_seccomp_group_at(i);
		size_t col = 4;

		fprintf(out, "%s\n    # %s\n   ", g->name, g->help);
		for (const char *const *m = g->members; *m; m++) {
			if (col + strlen(*m) + 1 > 76) {
				fputs("\n   ", out);
				col = 4;
			}
			fprintf(out, " %s", *m);
			col += strlen(*m) + 1;
		}
		fputs("\n\n", out);
	}
	fputs("Allowing clone, clone3, unshare, ioctl, socket or personality "
	      "allows only their\nsafe forms: no namespace flags, clone3 "
	      "returns ENOSYS, no TIOCSTI/TIOCLINUX,\nunix/inet/inet6/"
	      "rtnetlink sockets, Docker's personality values.\n", out);
}

#define STEP WARD_STEP_SECCOMP_BUILD
void ward_seccomp_free(struct sock_fprog *prog)
{
	if (!prog)
		return;
	if (!is_builtin(prog->filter))
		free(prog->filter);
	prog->filter = NULL;
	prog->len = 0;
}
