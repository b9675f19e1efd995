/* The libseccomp back end: a ward policy's rules (and the Docker rules,
 * docker_rules.c) turned into BPF in the parent.
 *
 * Three facts about libseccomp 2.5.4 shape this file (checked with
 * seccomp_export_pfc and by interpreting the exported BPF):
 *
 * 1. It keeps one action per syscall "shape".  When an unconditional
 *    allow and a conditional errno rule are both added for one syscall,
 *    in either order, the conditional rule is dropped without an error:
 *    "allow ioctl" + "ioctl(_, TIOCSTI) -> EPERM" exports as a bare
 *    "if ($syscall == 16) action ALLOW;".  So "allow everything except
 *    these values" is written here as disjoint conditional rules: the
 *    denied values with their errno, plus an allow for each masked
 *    pattern of the complement (ward_seccomp_complement).  One filter,
 *    no rule shadows another, and the interface stays one sock_fprog.
 *
 * 2. It compares all 64 bits of an argument.  The guarded arguments are
 *    int or unsigned int in the kernel, which ignores the upper half of
 *    the register; a rule on the full value can be bypassed by setting
 *    bit 32 (CVE-2019-10063, TIOCSTI in flatpak).  Every comparison here
 *    is a masked compare of the low 32 bits.
 *
 * 3. The filter holds only the native arch (seccomp_init).  For x86_64
 *    the exported BPF also sends syscall numbers >= 0x40000000 (x32) to
 *    the bad-arch action, which pfc output does not show; the unit test
 *    checks it in the BPF and by a real load. */
#define _GNU_SOURCE
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
#include <sys/syscall.h>
#include "seccomp/libseccomp_dl.h"

#include "base/cleanup.h"
#include "seccomp/seccomp.h"
#include "seccomp/docker.h"
#include "base/sys.h"
#include "seccomp/build.h"
#include "seccomp/compact.h"
#include "seccomp/groups.h"
#include "seccomp/policy.h"

#define STEP WARD_STEP_SECCOMP_BUILD

/* The most patterns a complement of a guard's value set can need. */
#define PATTERNS_MAX (32 * 8)

struct cond {
	unsigned arg;
	uint32_t mask;
	uint32_t value;
};

struct build {
	scmp_filter_ctx ctx;
	uint32_t def_action;
	const char *name; /* syscall being added, for messages */
	int nr;
	struct ward_err *err;
};

void ward_seccomp_ctx_release(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
	*ctx = NULL;
}

uint32_t ward_seccomp_scmp_action(enum ward_seccomp_action action, int errnum)
{
	switch (action) {
	case WARD_SECCOMP_ACT_ALLOW:
		return SCMP_ACT_ALLOW;
	case WARD_SECCOMP_ACT_LOG:
		return SCMP_ACT_LOG;
	case WARD_SECCOMP_ACT_ERRNO:
		return SCMP_ACT_ERRNO((uint16_t)errnum);
	case WARD_SECCOMP_ACT_KILL:
	case WARD_SECCOMP_ACT_NONE:
		break;
	}
	return SCMP_ACT_KILL_PROCESS;
}

/* Walk the binary trie of the values from the top bit down: every
 * subtree that holds none of them is one pattern (its prefix under a
 * mask of @depth top bits).  The patterns are disjoint, and there are at
 * most 32 per value. */
static void cover(const uint32_t *v, size_t n, unsigned depth,
		  uint32_t prefix, struct ward_seccomp_pattern *out,
		  size_t max, size_t *count)
{
	uint32_t bit;
	size_t k = 0;

	if (n == 0) {
		if (*count < max)
			out[*count] = (struct ward_seccomp_pattern){
				depth ? ~0u << (32 - depth) : 0, prefix};
		(*count)++;
		return;
	}
	if (depth == 32)
		return; /* prefix is one of the values */
	/* v[] is sorted and shares the top @depth bits, so the values
	 * with the next bit clear come first. */
	bit = 1u << (31 - depth);
	while (k < n && !(v[k] & bit))
		k++;
	cover(v, k, depth + 1, prefix, out, max, count);
	cover(v + k, n - k, depth + 1, prefix | bit, out, max, count);
}

int ward_seccomp_complement(const uint32_t *vals, size_t n,
			    struct ward_seccomp_pattern *out, size_t max)
{
	size_t count = 0;

	for (size_t i = 1; i < n; i++)
		if (vals[i - 1] >= vals[i])
			return -EINVAL;
	cover(vals, n, 0, 0, out, max, &count);
	return count > max ? -ENOSPC : (int)count;
}

/* One rule; all comparisons are masked compares of the low 32 bits. */
static int add(struct build *b, uint32_t action, const struct cond *c,
	       unsigned n)
{
	struct scmp_arg_cmp cmp[2] = {{0}};
	int r;

	/* libseccomp refuses a rule with the default action (EACCES);
	 * such a rule would change nothing anyway. */
	if (action == b->def_action)
		return 0;
	if (n > 2)
		return ward_err_set(b->err, STEP, EINVAL, "%s: %u conditions",
				    b->name, n);
	for (unsigned i = 0; i < n; i++)
		cmp[i] = (struct scmp_arg_cmp){c[i].arg, SCMP_CMP_MASKED_EQ,
					       c[i].mask, c[i].value};
	r = seccomp_rule_add_exact_array(b->ctx, action, b->nr, n, cmp);
	if (r < 0)
		return ward_err_set(b->err, STEP, -r,
				    "seccomp_rule_add(%s, %u conditions)",
				    b->name, n);
	return 0;
}

/* One rule: @action when (low32(arg) & mask) == value, and @pre holds
 * if given. */
static int add_masked(struct build *b, uint32_t action, const struct cond *pre,
		      unsigned arg, uint32_t mask, uint32_t value)
{
	struct cond c[2] = {{arg, mask, value}};

	if (pre) {
		c[1] = c[0];
		c[0] = *pre;
	}
	return add(b, action, c, pre ? 2 : 1);
}

/* @action when low32(arg) is one of @vals (and @pre holds, if given). */
static int add_in(struct build *b, uint32_t action, const struct cond *pre,
		  unsigned arg, const uint32_t *vals, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int r = add_masked(b, action, pre, arg, 0xffffffffu, vals[i]);

		if (r < 0)
			return r;
	}
	return 0;
}

/* @action when low32(arg) is none of @vals (sorted, unique). */
static int add_not_in(struct build *b, uint32_t action,
		      const struct cond *pre, unsigned arg,
		      const uint32_t *vals, size_t n)
{
	struct ward_seccomp_pattern pat[PATTERNS_MAX];
	int np = ward_seccomp_complement(vals, n, pat, PATTERNS_MAX);

	if (np < 0)
		return ward_err_set(b->err, STEP, -np, "%s: value set",
				    b->name);
	for (int i = 0; i < np; i++) {
		int r = add_masked(b, action, pre, arg, pat[i].mask, pat[i].value);

		if (r < 0)
			return r;
	}
	return 0;
}

/* clone and unshare: allowed without namespace flags, EPERM with any. */
static int guard_ns_flags(struct build *b, uint32_t flags)
{
	struct cond none = {0, flags, 0};
	int r = add(b, SCMP_ACT_ALLOW, &none, 1);

	for (uint32_t bit = 1; bit && r == 0; bit <<= 1) {
		struct cond set = {0, bit, bit};

		if (flags & bit)
			r = add(b, SCMP_ACT_ERRNO(EPERM), &set, 1);
	}
	return r;
}

static int guard_clone(struct build *b)
{
	return guard_ns_flags(b, WARD_CLONE_NS_FLAGS);
}

static int guard_unshare(struct build *b)
{
	return guard_ns_flags(b, WARD_CLONE_NS_FLAGS | CLONE_NEWTIME);
}

/* clone3 takes its flags in memory, where seccomp cannot look.  ENOSYS
 * makes glibc fall back to clone, whose flags are checked. */
static int guard_clone3(struct build *b)
{
	return add(b, SCMP_ACT_ERRNO(ENOSYS), NULL, 0);
}

/* ioctl: everything but TIOCSTI (typing into the terminal) and
 * TIOCLINUX (console selection paste), both input injection into a
 * terminal the sandbox may share with its caller (CVE-2017-5226). */
static int guard_ioctl(struct build *b)
{
	static const uint32_t tty_inject[] = {TIOCSTI, TIOCLINUX};
	int r;

	_Static_assert(TIOCSTI < TIOCLINUX, "add_not_in needs sorted values");
	r = add_in(b, SCMP_ACT_ERRNO(EPERM), NULL, 1, tty_inject, 2);
	if (r == 0)
		r = add_not_in(b, SCMP_ACT_ALLOW, NULL, 1, tty_inject, 2);
	return r;
}

/* socket: unix, IPv4, IPv6 and NETLINK_ROUTE only.  getaddrinfo works
 * without netlink (glibc assumes both address families), but
 * getifaddrs and if_nameindex need rtnetlink, which only reads the
 * sandbox's own network namespace without CAP_NET_ADMIN.  Raw packet,
 * bluetooth, vsock, AF_ALG and the other netlink families are kernel
 * attack surface a server does not need. */
static int guard_socket(struct build *b)
{
	static const uint32_t inet[] = {AF_UNIX, AF_INET, AF_INET6};
	static const uint32_t families[] = {AF_UNIX, AF_INET, AF_INET6,
					    AF_NETLINK};
	static const uint32_t route[] = {NETLINK_ROUTE};
	const struct cond netlink = {0, 0xffffffffu, AF_NETLINK};
	int r;

	r = add_in(b, SCMP_ACT_ALLOW, NULL, 0, inet, 3);
	if (r == 0)
		r = add_in(b, SCMP_ACT_ALLOW, &netlink, 2, route, 1);
	if (r == 0)
		r = add_not_in(b, SCMP_ACT_ERRNO(EAFNOSUPPORT), NULL, 0,
			       families, 4);
	if (r == 0)
		r = add_not_in(b, SCMP_ACT_ERRNO(EPROTONOSUPPORT), &netlink,
			       2, route, 1);
	return r;
}

/* personality: the values Docker allows (PER_LINUX, PER_LINUX32,
 * UNAME26 variants and the 0xffffffff query); READ_IMPLIES_EXEC and
 * ADDR_NO_RANDOMIZE would weaken the program's own hardening. */
static int guard_personality(struct build *b)
{
	static const uint32_t safe[] = {0x0, 0x8, 0x20000, 0x20008,
					0xffffffffu};
	int r = add_in(b, SCMP_ACT_ALLOW, NULL, 0, safe, 5);

	if (r == 0)
		r = add_not_in(b, SCMP_ACT_ERRNO(EPERM), NULL, 0, safe, 5);
	return r;
}

/* Syscalls whose allowed form is narrower than the bare name, with what
 * `ward seccomp show` says about them. */
static const struct {
	const char *name;
	int (*add)(struct build *b);
	const char *text;
} guards[] = {
	{"clone", guard_clone, "without namespace flags in arg0, else EPERM"},
	{"clone3", guard_clone3, "never: ENOSYS, so libc falls back to clone"},
	{"unshare", guard_unshare, "without namespace flags, else EPERM"},
	{"ioctl", guard_ioctl, "except TIOCSTI and TIOCLINUX (EPERM)"},
	{"socket", guard_socket, "for unix, inet, inet6 and netlink-route only"},
	{"personality", guard_personality,
	 "for Docker's values 0x0 0x8 0x20000 0x20008 0xffffffff, else EPERM"},
};

const char *ward_seccomp_guard_text(const char *name)
{
	for (size_t i = 0; i < sizeof(guards) / sizeof(guards[0]); i++)
		if (strcmp(guards[i].name, name) == 0)
			return guards[i].text;
	return NULL;
}

static int add_rule(struct build *b, const struct ward_seccomp_rule *rule)
{
	b->name = rule->name;
	b->nr = rule->nr;
	if (rule->action == WARD_SECCOMP_ACT_ALLOW)
		for (size_t i = 0; i < sizeof(guards) / sizeof(guards[0]); i++)
			if (strcmp(guards[i].name, rule->name) == 0)
				return guards[i].add(b);
	return add(b, ward_seccomp_scmp_action(rule->action, rule->errnum), NULL,
		   0);
}

static int set_attrs(scmp_filter_ctx ctx, struct ward_err *err)
{
	static const struct {
		enum scmp_filter_attr attr;
		uint32_t value;
		const char *what;
	} attrs[] = {
		/* Another arch's syscall numbers mean something else. */
		{SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS, "ACT_BADARCH"},
		/* ward sets no_new_privs itself and verifies it. */
		{SCMP_FLTATR_CTL_NNP, 0, "CTL_NNP"},
		/* A binary tree of syscalls instead of a linear list. */
		{SCMP_FLTATR_CTL_OPTIMIZE, 2, "CTL_OPTIMIZE"},
	};

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		int r = seccomp_attr_set(ctx, attrs[i].attr, attrs[i].value);

		/* EINVAL here usually means no SECCOMP_RET_KILL_PROCESS
		 * (kernel < 4.14): refuse rather than kill one thread. */
		if (r < 0)
			return ward_err_set(err, STEP, -r,
					    "seccomp_attr_set(%s)",
					    attrs[i].what);
	}
	return 0;
}

int ward_seccomp_ctx_new(uint32_t def_action, scmp_filter_ctx *out,
			 struct ward_err *err)
{
	__attribute__((cleanup(ward_seccomp_ctx_release))) scmp_filter_ctx ctx = NULL;
	int r;

	ctx = seccomp_init(def_action);
	if (!ctx)
		return ward_err_set(err, STEP, 0, "seccomp_init(%#x) failed: out "
				    "of memory, or an action libseccomp refuses",
				    def_action);
	r = set_attrs(ctx, err);
	if (r < 0)
		return r;
	*out = TAKE_PTR(ctx);
	return 0;
}

int ward_seccomp_ctx_add_policy(scmp_filter_ctx ctx, uint32_t def_action,
				const struct ward_seccomp_policy *pol,
				struct ward_err *err)
{
	struct build b = {.ctx = ctx, .def_action = def_action, .err = err};

	for (size_t i = 0; i < pol->nrules; i++) {
		int r = add_rule(&b, &pol->rules[i]);

		if (r < 0)
			return r;
	}
	return 0;
}

static int new_ctx(const struct ward_seccomp_policy *pol,
		   scmp_filter_ctx *out, struct ward_err *err)
{
	__attribute__((cleanup(ward_seccomp_ctx_release))) scmp_filter_ctx ctx = NULL;
	uint32_t def = ward_seccomp_scmp_action(pol->def_action,
						pol->def_errnum);
	int r = ward_seccomp_ctx_new(def, &ctx, err);

	if (r == 0)
		r = ward_seccomp_ctx_add_policy(ctx, def, pol, err);
	if (r < 0)
		return r;
	*out = TAKE_PTR(ctx);
	return 0;
}

static int read_full(int fd, void *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = pread(fd, (char *)buf + done, size - done,
				  (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* libseccomp 2.5 exports only to a file descriptor: go through a memfd
 * and keep the program in memory for the child. */
int ward_seccomp_ctx_export(scmp_filter_ctx ctx, struct sock_fprog *out,
			    struct ward_err *err)
{
	_cleanup_close_ int fd = memfd_create("ward-seccomp", MFD_CLOEXEC);
	_cleanup_free_ struct sock_filter *insns = NULL;
	struct stat st;
	size_t n;
	int r;

	if (fd < 0)
		return ward_err_set(err, STEP, errno, "memfd_create");
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return ward_err_set(err, STEP, -r, "seccomp_export_bpf");
	if (fstat(fd, &st) < 0)
		return ward_err_set(err, STEP, errno, "fstat(memfd)");
	n = (size_t)st.st_size / sizeof(struct sock_filter);
	if (st.st_size <= 0 || (size_t)st.st_size % sizeof(*insns))
		return ward_err_set(err, STEP, EIO, "seccomp_export_bpf wrote "
				    "%lld bytes", (long long)st.st_size);
	if (n > BPF_MAXINSNS)
		return ward_err_set(err, STEP, E2BIG, "the filter has %zu "
				    "instructions, the kernel takes %d", n,
				    BPF_MAXINSNS);
	insns = malloc((size_t)st.st_size);
	if (!insns)
		return ward_err_set(err, STEP, ENOMEM, "filter program");
	r = read_full(fd, insns, (size_t)st.st_size);
	if (r < 0)
		return ward_err_set(err, STEP, -r, "read(memfd)");
	out->len = (unsigned short)n;
	out->filter = TAKE_PTR(insns);
	return 0;
}

int ward_seccomp_policy_build_libseccomp(const struct ward_seccomp_policy *policy,
					 struct sock_fprog *out, struct ward_err *err)
{
	__attribute__((cleanup(ward_seccomp_ctx_release))) scmp_filter_ctx ctx = NULL;
	int r = new_ctx(policy, &ctx, err);

	if (r < 0)
		return r;
	return ward_seccomp_ctx_export(ctx, out, err);
}

int ward_seccomp_policy_build(const struct ward_seccomp_policy *policy,
			      struct sock_fprog *out, struct ward_err *err)
{
	int r = ward_seccomp_policy_compact(policy, out, err);

	return r == 1 ? ward_seccomp_policy_build_libseccomp(policy, out, err) : r;
}

int ward_seccomp_policy_export_pfc(const struct ward_seccomp_policy *policy,
				   int fd, struct ward_err *err)
{
	__attribute__((cleanup(ward_seccomp_ctx_release))) scmp_filter_ctx ctx = NULL;
	int r = new_ctx(policy, &ctx, err);

	if (r < 0)
		return r;
	r = seccomp_export_pfc(ctx, fd);
	if (r < 0)
		return ward_err_set(err, STEP, -r, "seccomp_export_pfc");
	return 0;
}

int ward_seccomp_read_file(const char *path, size_t max, const char *what,
			   char **out, size_t *len, struct ward_err *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	int r;

	/* O_NONBLOCK: a FIFO must not hang the launch before the check. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return ward_err_set(err, STEP, errno, "%s %s", what, path);
	if (fstat(fd, &st) < 0)
		return ward_err_set(err, STEP, errno, "fstat %s", path);
	if (!S_ISREG(st.st_mode))
		return ward_err_set(err, STEP, EINVAL, "%s %s: not a regular "
				    "file", what, path);
	if ((uint64_t)st.st_size > max)
		return ward_err_set(err, STEP, EFBIG, "%s %s: larger than %zu "
				    "bytes", what, path, max);
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return ward_err_set(err, STEP, ENOMEM, "%s %s", what, path);
	r = read_full(fd, buf, (size_t)st.st_size);
	if (r < 0)
		return ward_err_set(err, STEP, -r, "read %s", path);
	buf[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	*out = TAKE_PTR(buf);
	return 0;
}

int ward_seccomp_policy_read(const char *path,
			     struct ward_seccomp_policy **out,
			     struct ward_err *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r = ward_seccomp_read_file(path, WARD_SECCOMP_FILE_MAX,
				       "seccomp policy", &buf, &len, err);

	if (r < 0)
		return r;
	return ward_seccomp_policy_parse(path, buf, len, out, err);
}
