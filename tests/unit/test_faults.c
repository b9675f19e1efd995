/* Fault injection through the sys_* seam: every effectful call of a
 * launch fails (or lies) once, and the launch must fail closed.
 *
 * Each __wrap_sys_x records the call and then calls __real_sys_x, unless
 * the fault spec says "the Nth call of x whose description contains M
 * fails with errno E" (or "returns success without doing anything": the
 * lying libcap-ng of Debian 12), or "the first T matching calls fail" (a
 * transient error that must be retried, and within a bound).  The spec and the call log live in a
 * MAP_SHARED page, so the launcher, the sandbox's pid 1 and the program
 * all see and count the same spec (clone without CLONE_VM copies private
 * memory but keeps shared mappings shared).
 *
 * Every case runs ward_launch in a forked worker (the launch changes the
 * signal mask, and a worker that must have no children left is easiest
 * to check from its own process) and asserts:
 *   - ward_launch returned < 0, with err.step and err.errnum as expected;
 *   - the program did not run: it would have written /out/ran, a bind of
 *     a host directory;
 *   - no child is left: waitpid(-1, WNOHANG) fails with ECHILD (after a
 *     run that succeeded, the sandbox's init may still be exiting when
 *     ward_launch returns: it must be gone, and reaped here, within 2 s).
 * Cases with no fault (the baselines, clone3's ENOSYS fallback, and an
 * EAGAIN retried away) must instead launch and run the program.  A table row per case goes to
 * stdout.  The match strings mirror the mount data and flags in
 * rootfs.c and rootfs_special.c: when those change, the case fails with
 * "the fault was never reached", and WARD_FAULT_TRACE=1 prints the
 * baseline's call trace to pick new ones.  Needs root (CI runs as
 * root); otherwise the group setup fails with a message.
 *
 * The --net veth cases run their worker in a network namespace of its
 * own (it plays the host), and also assert that no "ward*" interface is
 * left there once ward_launch has returned.
 *
 * The --listen cases arm the fault before ward_launch_prepare, which
 * binds the socket (on a port found free at start): a failed socket,
 * bind or listen must stop the launch before clone, and a failed
 * Landlock layer (with --net loopback it denies every TCP connect) before
 * the program runs.
 *
 * The entrypoint cases run ward_entrypoint_run instead, in a process of
 * its own below the worker (ward not pid 1, as under docker run --init),
 * in a mount namespace with an empty /run (no engine socket of the
 * machine's to refuse); the program writes the marker in the temporary
 * directory itself, a writable path. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cap-ng.h>
#include <cmocka.h>

#include "base/explain.h"
#include "kernel/landlock.h"
#include "launch/launch.h"
#include "launch/prepare.h"
#include "base/openat2.h"
#include "plan/plan.h"
#include "base/sys.h"

#include "under_valgrind.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define LOG_MAX 2048
#define DESC_MAX 112
#define LAST (-1)          /* nth: the last matching call of the baseline */
#define ALWAYS (-1)        /* times: every matching call from the nth on */
#define WORKER_TIMEOUT 30  /* seconds */

/* ---- the shared fault state ---------------------------------------- */

struct fault_spec {
	char fn[32];     /* "" = inject nothing */
	char match[64];  /* substring of the call's description, "" = any */
	int nth;         /* 1-based count of matching calls */
	int times;       /* calls that fail from the nth on (0: one), or ALWAYS */
	int errnum;
	bool lie;        /* return 0 without calling the real function */
};

struct call_record {
	char fn[24];
	char desc[DESC_MAX];
};

struct fault_state {
	struct fault_spec spec;
	int seen;  /* matching calls so far */
	int fired; /* the fault was injected */
	int failed; /* calls failed (or lied) so far */
	int ncalls;
	struct call_record log[LOG_MAX];
};

static struct fault_state *fault;

enum verdict { REAL, FAIL, LIE };

static enum verdict decide(const char *fn, const char *desc)
{
	const struct fault_spec *s = &fault->spec;
	int n = __atomic_fetch_add(&fault->ncalls, 1, __ATOMIC_SEQ_CST);
	int seen, last;

	if (n < LOG_MAX) {
		snprintf(fault->log[n].fn, sizeof(fault->log[n].fn), "%s", fn);
		snprintf(fault->log[n].desc, sizeof(fault->log[n].desc), "%s", desc);
	}
	if (strcmp(s->fn, fn) != 0 || (s->match[0] && !strstr(desc, s->match)))
		return REAL;
	seen = __atomic_add_fetch(&fault->seen, 1, __ATOMIC_SEQ_CST);
	last = s->nth + (s->times > 0 ? s->times : 1) - 1;
	if (seen < s->nth || (s->times != ALWAYS && seen > last))
		return REAL;
	__atomic_store_n(&fault->fired, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&fault->failed, 1, __ATOMIC_SEQ_CST);
	return s->lie ? LIE : FAIL;
}

/* Describe the call, then fail, lie or pass it on. */
#define INJECT(fn, call, ...)                                         \
	do {                                                          \
		char desc_[DESC_MAX];                                 \
		snprintf(desc_, sizeof(desc_), __VA_ARGS__);          \
		switch (decide(#fn, desc_)) {                         \
		case FAIL:                                            \
			errno = fault->spec.errnum;                   \
			return -1;                                    \
		case LIE:                                             \
			return 0;                                     \
		case REAL:                                            \
			break;                                        \
		}                                                     \
		return call;                                          \
	} while (0)

#define S(p) ((p) ? (const char *)(p) : "-")

#define WRAP_DECL(ret, name, params) \
	ret __real_##name params;    \
	ret __wrap_##name params;

WRAP_DECL(pid_t, sys_clone3, (struct clone_args *args, size_t size))
WRAP_DECL(int, sys_write_file_at, (int dirfd, const char *path,
				   const char *data, size_t len))
WRAP_DECL(int, sys_mount, (const char *src, const char *dst,
			   const char *fstype, unsigned long flags,
			   const void *data))
WRAP_DECL(int, sys_mount_setattr, (int dirfd, const char *path,
				   unsigned int flags, struct mount_attr *attr,
				   size_t size))
WRAP_DECL(int, sys_fsopen, (const char *fstype, unsigned int flags))
WRAP_DECL(int, sys_fsconfig, (int fd, unsigned int cmd, const char *key,
			      const void *value, int aux))
WRAP_DECL(int, sys_fsmount, (int fd, unsigned int flags, unsigned int attrs))
WRAP_DECL(int, sys_open_tree, (int dirfd, const char *path, unsigned int flags))
WRAP_DECL(int, sys_move_mount, (int from_dirfd, const char *from_path,
				int to_dirfd, const char *to_path,
				unsigned int flags))
WRAP_DECL(int, sys_pivot_root, (const char *new_root, const char *put_old))
WRAP_DECL(int, sys_umount2, (const char *target, int flags))
WRAP_DECL(int, sys_sethostname, (const char *name, size_t len))
WRAP_DECL(int, sys_setsid, (void))
WRAP_DECL(int, sys_seccomp_set_filter, (const struct sock_fprog *prog))
WRAP_DECL(int, sys_close_range, (unsigned int first, unsigned int last,
				 unsigned int flags))
WRAP_DECL(int, sys_setgroups, (size_t n, const gid_t *list))
WRAP_DECL(int, sys_setresgid, (gid_t r, gid_t e, gid_t s))
WRAP_DECL(int, sys_setresuid, (uid_t r, uid_t e, uid_t s))
WRAP_DECL(int, sys_prctl, (int option, unsigned long a2, unsigned long a3,
			   unsigned long a4, unsigned long a5))
WRAP_DECL(int, sys_setrlimit, (int resource, const struct rlimit *rl))
WRAP_DECL(int, sys_capng_apply, (int select))
WRAP_DECL(int, sys_openat2, (int dirfd, const char *path, struct open_how *how,
			     size_t size))
WRAP_DECL(int, sys_execve, (const char *path, char *const argv[],
			    char *const envp[]))
WRAP_DECL(int, sys_netlink_send, (int fd, const void *buf, size_t len))
WRAP_DECL(int, sys_ioctl, (int fd, unsigned long request, void *arg))
WRAP_DECL(int, sys_landlock_create_ruleset, (const void *attr, size_t size,
					     uint32_t flags))
WRAP_DECL(int, sys_landlock_restrict_self, (int fd, uint32_t flags))
WRAP_DECL(int, sys_socket, (int domain, int type, int protocol))
WRAP_DECL(int, sys_bind, (int fd, const void *addr, unsigned int len))
WRAP_DECL(int, sys_listen, (int fd, int backlog))

pid_t __wrap_sys_clone3(struct clone_args *args, size_t size)
{
	INJECT(sys_clone3, __real_sys_clone3(args, size), "flags=%#llx",
	       (unsigned long long)args->flags);
}

int __wrap_sys_write_file_at(int dirfd, const char *path, const char *data,
			     size_t len)
{
	INJECT(sys_write_file_at, __real_sys_write_file_at(dirfd, path, data, len),
	       "path=%s data=%.*s", path, (int)strcspn(data, "\n"), data);
}

int __wrap_sys_mount(const char *src, const char *dst, const char *fstype,
		     unsigned long flags, const void *data)
{
	INJECT(sys_mount, __real_sys_mount(src, dst, fstype, flags, data),
	       "src=%s fstype=%s flags=%#lx data=%s", S(src), S(fstype), flags,
	       S(data));
}

int __wrap_sys_fsopen(const char *fstype, unsigned int flags)
{
	INJECT(sys_fsopen, __real_sys_fsopen(fstype, flags), "fstype=%s", S(fstype));
}

int __wrap_sys_fsconfig(int fd, unsigned int cmd, const char *key,
			const void *value, int aux)
{
	INJECT(sys_fsconfig, __real_sys_fsconfig(fd, cmd, key, value, aux),
	       "cmd=%u key=%s value=%s", cmd, S(key),
	       cmd == FSCONFIG_SET_STRING ? S((const char *)value) : "");
}

int __wrap_sys_fsmount(int fd, unsigned int flags, unsigned int attrs)
{
	INJECT(sys_fsmount, __real_sys_fsmount(fd, flags, attrs), "attrs=%#x", attrs);
}

int __wrap_sys_open_tree(int dirfd, const char *path, unsigned int flags)
{
	INJECT(sys_open_tree, __real_sys_open_tree(dirfd, path, flags), "%s", "");
}

int __wrap_sys_move_mount(int from_dirfd, const char *from_path, int to_dirfd,
			  const char *to_path, unsigned int flags)
{
	INJECT(sys_move_mount,
	       __real_sys_move_mount(from_dirfd, from_path, to_dirfd, to_path, flags),
	       "%s", "");
}

int __wrap_sys_mount_setattr(int dirfd, const char *path, unsigned int flags,
			     struct mount_attr *attr, size_t size)
{
	INJECT(sys_mount_setattr,
	       __real_sys_mount_setattr(dirfd, path, flags, attr, size),
	       "set=%#llx recursive=%d", (unsigned long long)attr->attr_set,
	       !!(flags & AT_RECURSIVE));
}

int __wrap_sys_pivot_root(const char *new_root, const char *put_old)
{
	INJECT(sys_pivot_root, __real_sys_pivot_root(new_root, put_old),
	       "new=%s old=%s", new_root, put_old);
}

int __wrap_sys_umount2(const char *target, int flags)
{
	INJECT(sys_umount2, __real_sys_umount2(target, flags),
	       "target=%s flags=%d", target, flags);
}

int __wrap_sys_sethostname(const char *name, size_t len)
{
	INJECT(sys_sethostname, __real_sys_sethostname(name, len), "name=%.*s",
	       (int)len, name);
}

int __wrap_sys_setsid(void)
{
	INJECT(sys_setsid, __real_sys_setsid(), "%s", "");
}

int __wrap_sys_close_range(unsigned int first, unsigned int last,
			   unsigned int flags)
{
	INJECT(sys_close_range, __real_sys_close_range(first, last, flags),
	       "first=%u flags=%u", first, flags);
}

int __wrap_sys_seccomp_set_filter(const struct sock_fprog *prog)
{
	INJECT(sys_seccomp_set_filter, __real_sys_seccomp_set_filter(prog),
	       "len=%u", prog->len);
}

int __wrap_sys_setgroups(size_t n, const gid_t *list)
{
	INJECT(sys_setgroups, __real_sys_setgroups(n, list), "n=%zu", n);
}

int __wrap_sys_setresgid(gid_t r, gid_t e, gid_t s)
{
	INJECT(sys_setresgid, __real_sys_setresgid(r, e, s), "gid=%u", e);
}

int __wrap_sys_setresuid(uid_t r, uid_t e, uid_t s)
{
	INJECT(sys_setresuid, __real_sys_setresuid(r, e, s), "uid=%u", e);
}

static const char *prctl_name(int option)
{
	switch (option) {
	case PR_SET_PDEATHSIG:
		return "PR_SET_PDEATHSIG";
	case PR_SET_NO_NEW_PRIVS:
		return "PR_SET_NO_NEW_PRIVS";
	case PR_SET_SECUREBITS:
		return "PR_SET_SECUREBITS";
	case PR_SET_DUMPABLE:
		return "PR_SET_DUMPABLE";
	case PR_CAP_AMBIENT:
		return "PR_CAP_AMBIENT";
	case PR_SET_KEEPCAPS:
		return "PR_SET_KEEPCAPS";
	default:
		return "other";
	}
}

int __wrap_sys_prctl(int option, unsigned long a2, unsigned long a3,
		     unsigned long a4, unsigned long a5)
{
	INJECT(sys_prctl, __real_sys_prctl(option, a2, a3, a4, a5),
	       "option=%s a2=%#lx", prctl_name(option), a2);
}

int __wrap_sys_setrlimit(int resource, const struct rlimit *rl)
{
	INJECT(sys_setrlimit, __real_sys_setrlimit(resource, rl), "resource=%d",
	       resource);
}

static const char *capng_select_name(int select)
{
	switch (select) {
	case CAPNG_SELECT_CAPS:
		return "CAPS";
	case CAPNG_SELECT_BOUNDS:
		return "BOUNDS";
	case CAPNG_SELECT_BOTH:
		return "BOTH";
	case CAPNG_SELECT_AMBIENT:
		return "AMBIENT";
	case CAPNG_SELECT_ALL:
		return "ALL";
	default:
		return "other";
	}
}

int __wrap_sys_capng_apply(int select)
{
	INJECT(sys_capng_apply, __real_sys_capng_apply(select), "select=%s",
	       capng_select_name(select));
}

int __wrap_sys_openat2(int dirfd, const char *path, struct open_how *how,
		       size_t size)
{
	INJECT(sys_openat2, __real_sys_openat2(dirfd, path, how, size), "path=%s",
	       path);
}

int __wrap_sys_execve(const char *path, char *const argv[], char *const envp[])
{
	INJECT(sys_execve, __real_sys_execve(path, argv, envp), "path=%s", path);
}

static const char *rtm_name(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;

	if (len < sizeof(*nlh))
		return "short";
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK: return "RTM_NEWLINK";
	case RTM_DELLINK: return "RTM_DELLINK";
	case RTM_NEWADDR: return "RTM_NEWADDR";
	case RTM_NEWROUTE: return "RTM_NEWROUTE";
	default: return "other";
	}
}

int __wrap_sys_ioctl(int fd, unsigned long request, void *arg)
{
	INJECT(sys_ioctl, __real_sys_ioctl(fd, request, arg), "%s",
	       request == SIOCSIFFLAGS ? "SIOCSIFFLAGS" :
	       request == SIOCGIFFLAGS ? "SIOCGIFFLAGS" : "other");
}

int __wrap_sys_netlink_send(int fd, const void *buf, size_t len)
{
	INJECT(sys_netlink_send, __real_sys_netlink_send(fd, buf, len),
	       "%s flags=%#x", rtm_name(buf, len),
	       len >= sizeof(struct nlmsghdr) ? ((const struct nlmsghdr *)buf)->nlmsg_flags : 0);
}

/* size=0 flags=0x1: the version query; 16: a file-system or port
 * layer; 24: the signal scope. */
int __wrap_sys_landlock_create_ruleset(const void *attr, size_t size,
				       uint32_t flags)
{
	INJECT(sys_landlock_create_ruleset,
	       __real_sys_landlock_create_ruleset(attr, size, flags),
	       "size=%zu flags=%#x", size, flags);
}

int __wrap_sys_landlock_restrict_self(int fd, uint32_t flags)
{
	INJECT(sys_landlock_restrict_self, __real_sys_landlock_restrict_self(fd, flags),
	       "%s", "");
}

int __wrap_sys_socket(int domain, int type, int protocol)
{
	INJECT(sys_socket, __real_sys_socket(domain, type, protocol), "domain=%d", domain);
}

int __wrap_sys_bind(int fd, const void *addr, unsigned int len)
{
	INJECT(sys_bind, __real_sys_bind(fd, addr, len), "len=%u", len);
}

int __wrap_sys_listen(int fd, int backlog)
{
	INJECT(sys_listen, __real_sys_listen(fd, backlog), "%s", "");
}

/* ---- the cases ------------------------------------------------------ */

enum variant {
	V_DEFAULT,  /* pid-1 init, uid 65534, no capabilities */
	V_NO_INIT,  /* --init no: the program is pid 1 */
	V_CAPS,     /* --cap-keep net_bind_service (ambient must be raised) */
	V_USER,     /* --user 10001:10001 (not the overflow id 65534) */
	V_VETH,     /* --net veth, the worker in a network namespace of its own */
	V_ENTRYPOINT, /* --mode entrypoint --user 10001, ward not pid 1 */
	V_LISTEN,   /* --listen 127.0.0.1:PORT, prepared after arming */
};

struct fault_case {
	const char *label;
	const char *fn;    /* NULL: no fault */
	const char *match;
	int nth;
	int errnum;
	bool lie;
	enum variant variant;
	enum ward_step step; /* WARD_STEP_NONE: the launch must succeed */
	int want_errnum;     /* err.errnum expected */
	int times;           /* matching calls that fail (0: one), or ALWAYS */
	int want_failed;     /* calls failed in all (0: not checked) */
	const char *want_msg; /* in err.msg (NULL: not checked) */
};

#define OK(label, v) {label, NULL, "", 0, 0, false, v, WARD_STEP_NONE, 0, 0, 0, NULL}
#define FAULT(label, fn, match, nth, e, step) \
	{label, #fn, match, nth, e, false, V_DEFAULT, step, e, 0, 0, NULL}
#define FAULT_V(label, fn, match, nth, e, v, step) \
	{label, #fn, match, nth, e, false, v, step, e, 0, 0, NULL}
#define LIE_V(label, fn, match, v) \
	{label, #fn, match, 1, 0, true, v, WARD_STEP_VERIFY, 0, 0, 0, NULL}
/* The first @times matching calls fail, and exactly @failed must have
 * been made (and failed) when the launch ends. */
#define REPEAT(label, fn, match, times, e, failed, step, msg) \
	{label, #fn, match, 1, e, false, V_DEFAULT, step,   \
	 (step) == WARD_STEP_NONE ? 0 : e, times, failed, msg}

static const struct fault_case cases[] = {
	OK("baseline", V_DEFAULT),
	OK("baseline_no_init", V_NO_INIT),
	OK("baseline_caps", V_CAPS),
	OK("baseline_user", V_USER),
	OK("baseline_veth", V_VETH),
	/* parent side */
	FAULT("clone3", sys_clone3, "", 1, EPERM, WARD_STEP_CLONE),
	{"clone3_enosys_falls_back", "sys_clone3", "", 1, ENOSYS, false,
	 V_DEFAULT, WARD_STEP_NONE, 0, 0, 0, NULL},
	FAULT("gid_map", sys_write_file_at, "path=gid_map", 1, EPERM,
	      WARD_STEP_USERNS),
	FAULT("uid_map", sys_write_file_at, "path=uid_map", 1, EINVAL,
	      WARD_STEP_USERNS),
	/* child, before "go": reported once "go" arrives, with its step */
	FAULT("pdeathsig_first", sys_prctl, "PR_SET_PDEATHSIG", 1, EINVAL,
	      WARD_STEP_INIT),
	/* child: file descriptors and mounts */
	FAULT("close_range", sys_close_range, "flags=4", 1, EINVAL, WARD_STEP_FDS),
	FAULT("mount_private", sys_mount, "flags=0x44000", 1, EPERM,
	      WARD_STEP_MOUNTS),
	FAULT("mount_staging", sys_mount, "data=mode=0700", 1, ENOMEM,
	      WARD_STEP_MOUNTS),
	FAULT("pivot_staging", sys_pivot_root, "", 1, EINVAL, WARD_STEP_MOUNTS),
	FAULT("mount_root_tmpfs", sys_mount, "data=mode=0755,size=1m", 1, ENOSPC,
	      WARD_STEP_MOUNTS),
	FAULT("openat2_first", sys_openat2, "", 1, EACCES, WARD_STEP_MOUNTS),
	/* A lookup inside the root (here the bind's destination) gets
	 * EAGAIN whenever anything on the host mounts or renames during the
	 * walk: tried again, WARD_OPENAT2_TRIES times at most, then refused
	 * with the path. */
	REPEAT("openat2_eagain_retried", sys_openat2, "path=out", 3, EAGAIN, 3,
	       WARD_STEP_NONE, NULL),
	REPEAT("openat2_eagain_always", sys_openat2, "path=out", ALWAYS, EAGAIN,
	       WARD_OPENAT2_TRIES, WARD_STEP_BINDS, "resolving /out"),
	FAULT("bind_host_usr", sys_mount, "src=/oldroot/usr ", 1, EACCES,
	      WARD_STEP_MOUNTS),
	FAULT("readonly_root", sys_mount_setattr, "set=0x7 recursive=1", 1, EPERM,
	      WARD_STEP_READONLY),
	FAULT("mount_proc", sys_fsopen, "fstype=proc", 1, EPERM, WARD_STEP_PROC),
	FAULT("mount_proc_attach", sys_move_mount, "", 1, EPERM, WARD_STEP_PROC),
	FAULT("mask_proc_file", sys_mount, "src=/oldroot/dev/null ", 1, EPERM,
	      WARD_STEP_PROC),
	FAULT("readonly_proc_sys", sys_mount_setattr, "set=0xf", 1, EPERM,
	      WARD_STEP_PROC),
	FAULT("mount_dev", sys_fsconfig, "key=size value=64k", 1, ENOMEM,
	      WARD_STEP_DEV),
	FAULT("dev_node_zero", sys_mount, "src=/oldroot/dev/zero ", 1, EACCES,
	      WARD_STEP_DEV),
	FAULT("mount_devpts", sys_mount, "fstype=devpts", 1, EPERM, WARD_STEP_DEV),
	FAULT("readonly_dev", sys_mount_setattr, "set=0xb", 1, EPERM,
	      WARD_STEP_DEV),
	FAULT("mount_tmp", sys_mount, "flags=0x6 data=mode=1777", 1, ENOMEM,
	      WARD_STEP_TMPFS),
	FAULT("mount_run", sys_mount, "data=mode=0755,uid=", 1, ENOMEM,
	      WARD_STEP_TMPFS),
	FAULT("bind_out", sys_move_mount, "", LAST, EACCES, WARD_STEP_BINDS),
	FAULT("bind_out_clone", sys_open_tree, "", LAST, EACCES, WARD_STEP_BINDS),
	FAULT("bind_out_setattr", sys_mount_setattr, "set=0x6", 1, EPERM,
	      WARD_STEP_BINDS),
	FAULT("pivot_root", sys_pivot_root, "", 2, EINVAL, WARD_STEP_PIVOT),
	FAULT("umount_old_root", sys_umount2, "", 1, EBUSY, WARD_STEP_PIVOT),
	/* child: the rest of the privileged setup */
	FAULT("sethostname", sys_sethostname, "", 1, EPERM, WARD_STEP_HOSTNAME),
	FAULT("lo_up", sys_ioctl, "SIOCSIFFLAGS", 1, EPERM, WARD_STEP_NET),
	FAULT("lo_flags", sys_ioctl, "SIOCGIFFLAGS", 1, ENODEV, WARD_STEP_NET),
	FAULT("setsid", sys_setsid, "", 1, EPERM, WARD_STEP_SESSION),
	FAULT("setrlimit", sys_setrlimit, "", 1, EPERM, WARD_STEP_RLIMITS),
	/* child: dropping privileges */
	FAULT("capng_bounds", sys_capng_apply, "select=BOUNDS", 1, EPERM,
	      WARD_STEP_CAPS),
	FAULT("securebits", sys_prctl, "PR_SET_SECUREBITS", 1, EPERM,
	      WARD_STEP_CAPS),
	FAULT("setgroups", sys_setgroups, "", 1, EPERM, WARD_STEP_GROUPS),
	FAULT("setresgid", sys_setresgid, "", 1, EINVAL, WARD_STEP_IDS),
	FAULT("setresuid", sys_setresuid, "", 1, EINVAL, WARD_STEP_IDS),
	FAULT("capng_caps", sys_capng_apply, "select=CAPS", 1, EPERM,
	      WARD_STEP_CAPS),
	FAULT("capng_ambient", sys_capng_apply, "select=AMBIENT", 1, EPERM,
	      WARD_STEP_CAPS),
	FAULT("no_new_privs", sys_prctl, "PR_SET_NO_NEW_PRIVS", 1, EINVAL,
	      WARD_STEP_NNP),
	FAULT("pdeathsig_rearm", sys_prctl, "PR_SET_PDEATHSIG", 2, EINVAL,
	      WARD_STEP_INIT),
	FAULT("seccomp_load", sys_seccomp_set_filter, "", 1, EINVAL,
	      WARD_STEP_SECCOMP),
	FAULT_V("seccomp_load_no_init", sys_seccomp_set_filter, "", 1, ENOMEM,
		V_NO_INIT, WARD_STEP_SECCOMP),
	FAULT("execve", sys_execve, "", 1, EACCES, WARD_STEP_EXEC),
	FAULT_V("execve_no_init", sys_execve, "", 1, ENOENT, V_NO_INIT,
		WARD_STEP_EXEC),
	FAULT_V("execve_caps", sys_execve, "", 1, ENOEXEC, V_CAPS,
		WARD_STEP_EXEC),
	/* --net veth: the parent's requests (the pair, the host end's
	 * address and link), then the child's (lo, eth0, the route); the
	 * host end must be gone whichever fails */
	FAULT_V("veth_create", sys_netlink_send, "RTM_NEWLINK flags=0x605", 1,
		EPERM, V_VETH, WARD_STEP_NET),
	FAULT_V("veth_host_addr", sys_netlink_send, "RTM_NEWADDR", 1, EADDRINUSE,
		V_VETH, WARD_STEP_NET),
	FAULT_V("veth_host_up", sys_netlink_send, "RTM_NEWLINK flags=0x5", 1, EBUSY,
		V_VETH, WARD_STEP_NET),
	FAULT_V("veth_lo_up", sys_ioctl, "SIOCSIFFLAGS", 1, EPERM, V_VETH,
		WARD_STEP_NET),
	FAULT_V("veth_eth0_addr", sys_netlink_send, "RTM_NEWADDR", 2, EACCES,
		V_VETH, WARD_STEP_NET),
	FAULT_V("veth_eth0_up", sys_netlink_send, "RTM_NEWLINK flags=0x5", 2, ENOBUFS,
		V_VETH, WARD_STEP_NET),
	FAULT_V("veth_route", sys_netlink_send, "RTM_NEWROUTE", 1, ENETUNREACH,
		V_VETH, WARD_STEP_NET),
	/* the kernel state is read back: a call that "succeeds" without
	 * effect is caught before the program runs */
	LIE_V("lie_capng_bounds", sys_capng_apply, "select=BOUNDS", V_DEFAULT),
	LIE_V("lie_capng_caps", sys_capng_apply, "select=CAPS", V_DEFAULT),
	LIE_V("lie_capng_ambient", sys_capng_apply, "select=AMBIENT", V_CAPS),
	LIE_V("lie_no_new_privs", sys_prctl, "PR_SET_NO_NEW_PRIVS", V_DEFAULT),
	LIE_V("lie_setresuid", sys_setresuid, "", V_USER),
	LIE_V("lie_setresgid", sys_setresgid, "", V_USER),
	/* lo's flags are read back: an ioctl that "succeeds" without effect */
	{"lie_lo_up", "sys_ioctl", "SIOCSIFFLAGS", 1, 0, true, V_DEFAULT, WARD_STEP_NET,
	 EIO, 0, 0, "lo is not up after SIOCSIFFLAGS"},
	/* entrypoint mode: ward's own Landlock layer, then the program's
	 * signal scope, made in the program's process after the fork */
	OK("baseline_entrypoint", V_ENTRYPOINT),
	FAULT_V("ep_landlock_restrict", sys_landlock_restrict_self, "", 1, EPERM,
		V_ENTRYPOINT, WARD_STEP_LANDLOCK),
	FAULT_V("ep_scope_create", sys_landlock_create_ruleset, "size=24", 1, ENOMEM,
		V_ENTRYPOINT, WARD_STEP_LANDLOCK),
	FAULT_V("ep_scope_restrict", sys_landlock_restrict_self, "", 2, EPERM,
		V_ENTRYPOINT, WARD_STEP_LANDLOCK),
	FAULT_V("ep_seccomp_load", sys_seccomp_set_filter, "", 1, EINVAL,
		V_ENTRYPOINT, WARD_STEP_SECCOMP),
	/* --listen: the socket is made before clone, the connect rule
	 * (Landlock) before the program runs */
	OK("baseline_listen", V_LISTEN),
	FAULT_V("listen_socket", sys_socket, "", 1, EMFILE, V_LISTEN, WARD_STEP_LISTEN),
	FAULT_V("listen_bind", sys_bind, "", 1, EADDRINUSE, V_LISTEN, WARD_STEP_LISTEN),
	FAULT_V("listen_listen", sys_listen, "", 1, ENOBUFS, V_LISTEN, WARD_STEP_LISTEN),
	FAULT_V("listen_landlock", sys_landlock_restrict_self, "", 1, EPERM, V_LISTEN,
		WARD_STEP_LANDLOCK),
};

/* ---- one launch in a worker ---------------------------------------- */

/* A TCP port of 127.0.0.1 that is free now (the kernel's pick). */
static int free_port(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

struct outcome {
	int rc;
	int exit_code;
	struct ward_err err;
	bool ran;       /* the marker file exists */
	bool leftover;  /* a child was still there */
	int leftover_ifs; /* "ward*" interfaces still there */
	int fired;
	int failed;
	char setup_error[WARD_ERR_MSG_MAX + 16];
};

static char outdir[64];
static char marker[96];
static char ep_command[128]; /* entrypoint: echo ran > MARKER */
static char listen_spec[32];  /* 127.0.0.1:PORT, a port free at start */
static int baseline_calls = -1; /* calls logged by the baseline */
static struct call_record *baseline_log;

static const struct {
	const char *key, *value;
} variant_directives[][2] = {
	[V_DEFAULT] = {{NULL, NULL}},
	[V_NO_INIT] = {{"init", "no"}, {NULL, NULL}},
	[V_CAPS] = {{"cap-keep", "net_bind_service"}, {NULL, NULL}},
	[V_USER] = {{"user", "10001:10001"}, {NULL, NULL}},
	[V_VETH] = {{"net", "veth"}, {NULL, NULL}},
	[V_ENTRYPOINT] = {{"mode", "entrypoint"}, {"user", "10001:10001"}},
	[V_LISTEN] = {{"listen", listen_spec}, {NULL, NULL}},
};

static char *program[] = {
	"/bin/sh", "-c", "echo ran > /out/ran", NULL,
};
static char *ep_program[] = {
	"/bin/sh", "-c", ep_command, NULL,
};

static struct ward_plan *make_plan(enum variant v, struct ward_err *err)
{
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_plan *plan = NULL;
	char bind[128];
	int r;

	if (!b)
		return NULL;
	snprintf(bind, sizeof(bind), "%s:/out:rw", outdir);
	/* entrypoint mode has no mount namespace: the directory itself */
	r = v == V_ENTRYPOINT ? ward_plan_apply(b, "writable", outdir, NULL, err)
			      : ward_plan_apply(b, "bind", bind, NULL, err);
	if (r == 0)
		r = ward_plan_apply(b, "rlimit", "nofile=512", NULL, err);
	for (size_t i = 0; r == 0 && i < N_ELEMS(variant_directives[v]) &&
			   variant_directives[v][i].key; i++)
		r = ward_plan_apply(b, variant_directives[v][i].key,
				    variant_directives[v][i].value, NULL, err);
	ward_plan_set_argv(b, v == V_ENTRYPOINT ? ep_program : program);
	if (r == 0)
		r = ward_plan_finish(b, &plan, err);
	ward_plan_builder_free(b);
	/* What ward run does next: a launch refuses an unprepared plan.
	 * --listen: the worker prepares it once the fault is armed. */
	if (r == 0 && v != V_LISTEN && (r = ward_launch_prepare(plan, err)) < 0) {
		ward_plan_free(plan);
		plan = NULL;
	}
	return r == 0 ? plan : NULL;
}

/* Interfaces named like a veth's host end, in the worker's netns. */
static int count_ward_ifs(void)
{
	struct if_nameindex *ni = if_nameindex(), *p;
	int n = 0;

	if (!ni)
		return -1;
	for (p = ni; p->if_name; p++)
		n += strncmp(p->if_name, "ward", 4) == 0;
	if_freenameindex(ni);
	return n;
}

/* Entrypoint mode's surroundings: an empty /run (the machine's engine
 * sockets would be refused), no engine address in the environment, and
 * the worker as subreaper, so that a program ward left behind is the
 * worker's to find. */
static int entrypoint_setup(char *why, size_t len)
{
	static const char *const engine_vars[] = {
		"DOCKER_HOST", "CONTAINER_HOST", "CONTAINERD_ADDRESS", "BUILDKIT_HOST",
	};

	/* syscall(2), not sys_mount: the seam is not armed yet. */
	if (unshare(CLONE_NEWNS) < 0 ||
	    syscall(SYS_mount, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    syscall(SYS_mount, "ward-faults", "/run", "tmpfs", 0, "mode=0755") < 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		snprintf(why, len, "entrypoint setup: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < N_ELEMS(engine_vars); i++)
		unsetenv(engine_vars[i]);
	return 0;
}

struct ep_record {
	int rc;
	struct ward_err err;
};

/* ward_entrypoint_run in a process of its own (so not pid 1): it returns
 * only on a failure, sent here; otherwise it ends as the program's init
 * and exits with the program's status. */
static int launch_entrypoint(const struct ward_plan *plan, int *exit_code,
			     struct ward_err *err)
{
	struct ep_record rec = {0};
	int fds[2], status = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		return ward_err_set(err, WARD_STEP_NONE, errno, "test: pipe2 or fork");
	if (pid == 0) {
		close(fds[0]);
		rec.rc = ward_entrypoint_run(plan, exit_code, &rec.err);
		_exit(write(fds[1], &rec, sizeof(rec)) == (ssize_t)sizeof(rec) ? 0 : 3);
	}
	close(fds[1]);
	n = read(fds[0], &rec, sizeof(rec));
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	if (n == (ssize_t)sizeof(rec)) {
		*err = rec.err;
		return rec.rc;
	}
	*exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

/* A child of the worker still there 2 s after the launch returned (the
 * sandbox's init, which reports the program's code before it exits,
 * ends by itself at once). */
static bool child_left(void)
{
	for (int i = 0; i < 2000; i++) {
		pid_t p = waitpid(-1, NULL, WNOHANG);

		if (p < 0 && errno == ECHILD)
			return false;
		if (p == 0)
			usleep(1000);
	}
	return true;
}

__attribute__((noreturn)) static void worker(const struct fault_case *c,
					     int nth, int out)
{
	struct outcome o = {0};
	struct ward_plan *plan;

	alarm(WORKER_TIMEOUT);
	/* The veth's host end goes into a throwaway namespace, never the
	 * machine's own. */
	if (c->variant == V_VETH && unshare(CLONE_NEWNET) < 0) {
		snprintf(o.setup_error, sizeof(o.setup_error), "unshare(CLONE_NEWNET): %s",
			 strerror(errno));
		goto report;
	}
	if (c->variant == V_ENTRYPOINT &&
	    entrypoint_setup(o.setup_error, sizeof(o.setup_error)) < 0)
		goto report;
	plan = make_plan(c->variant, &o.err);
	if (!plan) {
		snprintf(o.setup_error, sizeof(o.setup_error), "plan: %s", o.err.msg);
		goto report;
	}
	memset(&o.err, 0, sizeof(o.err));
	/* Armed only now: building the plan must not count. */
	memset(&fault->spec, 0, sizeof(fault->spec));
	if (c->fn) {
		snprintf(fault->spec.fn, sizeof(fault->spec.fn), "%s", c->fn);
		snprintf(fault->spec.match, sizeof(fault->spec.match), "%s",
			 c->match);
		fault->spec.nth = nth;
		fault->spec.times = c->times;
		fault->spec.errnum = c->errnum;
		fault->spec.lie = c->lie;
	}
	fault->seen = fault->fired = fault->failed = fault->ncalls = 0;
	o.rc = c->variant == V_LISTEN ? ward_launch_prepare(plan, &o.err) : 0;
	if (o.rc == 0)
		o.rc = c->variant == V_ENTRYPOINT
		       ? launch_entrypoint(plan, &o.exit_code, &o.err)
		       : ward_launch(plan, &o.exit_code, &o.err);
	o.fired = fault->fired;
	o.failed = fault->failed;
	o.ran = access(marker, F_OK) == 0;
	/* A failed launch has reaped its child before it returns. */
	o.leftover = o.rc == 0 ? child_left()
			       : !(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	o.leftover_ifs = c->variant == V_VETH ? count_ward_ifs() : 0;
	ward_plan_free(plan);
report:
	if (write(out, &o, sizeof(o)) != (ssize_t)sizeof(o))
		_exit(3);
	_exit(0);
}

static void run_case(const struct fault_case *c, int nth, struct outcome *o)
{
	int fds[2], status;
	pid_t pid;

	unlink(marker);
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		worker(c, nth, fds[1]);
	}
	close(fds[1]);
	memset(o, 0, sizeof(*o));
	if (read(fds[0], o, sizeof(*o)) != (ssize_t)sizeof(*o))
		snprintf(o->setup_error, sizeof(o->setup_error),
			 "worker died without a report (timeout %ds?)",
			 WORKER_TIMEOUT);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(marker);
}

/* ---- reporting ------------------------------------------------------- */

static void print_row(const struct fault_case *c, int nth,
		      const struct outcome *o, const char *verdict)
{
	char call[96], result[256];

	if (!c->fn)
		snprintf(call, sizeof(call), "(none)");
	else if (c->times == ALWAYS)
		snprintf(call, sizeof(call), "%s%s%s%s #%d on", c->fn,
			 c->match[0] ? " [" : "", c->match, c->match[0] ? "]" : "",
			 nth);
	else if (c->times > 1)
		snprintf(call, sizeof(call), "%s%s%s%s #%d-%d", c->fn,
			 c->match[0] ? " [" : "", c->match, c->match[0] ? "]" : "",
			 nth, nth + c->times - 1);
	else
		snprintf(call, sizeof(call), "%s%s%s%s #%d", c->fn,
			 c->match[0] ? " [" : "", c->match, c->match[0] ? "]" : "",
			 nth);
	if (o->setup_error[0])
		snprintf(result, sizeof(result), "%.200s", o->setup_error);
	else if (o->rc < 0)
		snprintf(result, sizeof(result), "rc=%d step=%s errno=%d ran=%d left=%d ifs=%d",
			 o->rc, ward_step_name(o->err.step), o->err.errnum, o->ran,
			 o->leftover, o->leftover_ifs);
	else
		snprintf(result, sizeof(result), "rc=0 exit=%d ran=%d left=%d ifs=%d",
			 o->exit_code, o->ran, o->leftover, o->leftover_ifs);
	if (c->times)
		snprintf(result + strlen(result), sizeof(result) - strlen(result),
			 " failed=%d", o->failed);
	printf("| %-4s | %-24s | %-12s | %-52s | %-9s | %s\n", verdict, c->label,
	       c->step == WARD_STEP_NONE ? "(success)" : ward_step_name(c->step),
	       call, c->lie ? "lie: rc 0" : c->fn ? strerrorname_np(c->errnum) : "-",
	       result);
	fflush(stdout);
}

/* The index of the last matching call in the baseline trace. */
static int last_matching(const struct fault_case *c)
{
	int n = 0;

	for (int i = 0; i < baseline_calls && i < LOG_MAX; i++)
		if (strcmp(baseline_log[i].fn, c->fn) == 0 &&
		    (!c->match[0] || strstr(baseline_log[i].desc, c->match)))
			n++;
	return n;
}

static void save_baseline(void)
{
	baseline_calls = fault->ncalls;
	baseline_log = malloc(sizeof(fault->log));
	assert_non_null(baseline_log);
	memcpy(baseline_log, fault->log, sizeof(fault->log));
	if (getenv("WARD_FAULT_TRACE"))
		for (int i = 0; i < baseline_calls && i < LOG_MAX; i++)
			printf("  trace %3d %-18s %s\n", i + 1, baseline_log[i].fn,
			       baseline_log[i].desc);
}

/* The repeated faults: how many calls failed, and what the error says. */
static bool counts_and_message_ok(const struct fault_case *c,
				  const struct outcome *o)
{
	return (!c->want_failed || o->failed == c->want_failed) &&
	       (!c->want_msg || strstr(o->err.msg, c->want_msg));
}

static void test_fault_case(void **state)
{
	const struct fault_case *c = *state;
	struct outcome o;
	int nth = c->nth;
	bool ok;

	SKIP_UNDER_VALGRIND(NEEDS_SANDBOX);
	/* Not pid 1, entrypoint mode needs the signal scope. */
	if (c->variant == V_ENTRYPOINT &&
	    ward_landlock_abi() < WARD_LANDLOCK_ABI_SCOPE) {
		print_message("skipped: entrypoint mode not as pid 1 needs Landlock "
			      "ABI %d, the kernel has %d\n", WARD_LANDLOCK_ABI_SCOPE,
			      ward_landlock_abi());
		skip();
	}
	if (nth == LAST) {
		if (baseline_calls < 0)
			fail_msg("%s needs the baseline's trace", c->label);
		nth = last_matching(c);
		assert_true(nth > 0);
	}
	run_case(c, nth, &o);
	if (c->fn == NULL && c->variant == V_DEFAULT)
		save_baseline();
	if (c->step == WARD_STEP_NONE)
		ok = !o.setup_error[0] && o.rc == 0 && o.exit_code == 0 && o.ran &&
		     !o.leftover && o.leftover_ifs == 0;
	else
		ok = !o.setup_error[0] && o.rc < 0 && o.fired &&
		     o.err.step == c->step && o.err.errnum == c->want_errnum &&
		     !o.ran && !o.leftover && o.leftover_ifs == 0;
	ok = ok && counts_and_message_ok(c, &o);
	print_row(c, nth, &o, ok ? "ok" : "FAIL");
	if (o.setup_error[0])
		fail_msg("%s: %s", c->label, o.setup_error);
	if (c->fn && !o.fired)
		fail_msg("%s: the fault was never reached", c->label);
	if (c->step == WARD_STEP_NONE) {
		if (o.rc < 0)
			fail_msg("%s: launch failed: %s: %s", c->label,
				 ward_step_name(o.err.step), o.err.msg);
		assert_int_equal(o.exit_code, 0);
		assert_true(o.ran);
	} else {
		if (o.rc >= 0)
			fail_msg("%s: the launch succeeded (exit %d, program %s)",
				 c->label, o.exit_code, o.ran ? "ran" : "did not run");
		if (o.err.step != c->step)
			fail_msg("%s: step %s, want %s (%s)", c->label,
				 ward_step_name(o.err.step), ward_step_name(c->step),
				 o.err.msg);
		if (o.err.errnum != c->want_errnum)
			fail_msg("%s: errnum %d, want %d (%s)", c->label,
				 o.err.errnum, c->want_errnum, o.err.msg);
		assert_int_equal(o.rc, o.err.errnum > 0 ? -o.err.errnum : -EINVAL);
		if (o.ran)
			fail_msg("%s: the program ran", c->label);
	}
	if (c->want_failed && o.failed != c->want_failed)
		fail_msg("%s: %d calls failed, want %d", c->label, o.failed,
			 c->want_failed);
	if (c->want_msg && !strstr(o.err.msg, c->want_msg))
		fail_msg("%s: message '%s' does not name '%s'", c->label, o.err.msg,
			 c->want_msg);
	if (o.leftover)
		fail_msg("%s: a child process was left behind", c->label);
	if (o.leftover_ifs != 0)
		fail_msg("%s: %d ward* interface(s) left behind", c->label, o.leftover_ifs);
}

static int group_setup(void **state)
{
	if (geteuid() != 0) {
		fprintf(stderr, "test_faults: FAILED: needs root (it launches real "
				"sandboxes with new namespaces; CI runs as root)\n");
		return -1;
	}
	fault = mmap(NULL, sizeof(*fault), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(fault != MAP_FAILED);
	strcpy(outdir, "/tmp/ward-faults-XXXXXX");
	assert_non_null(mkdtemp(outdir));
	/* The program runs as an unprivileged uid. */
	assert_int_equal(chmod(outdir, 0777), 0);
	snprintf(marker, sizeof(marker), "%s/ran", outdir);
	snprintf(ep_command, sizeof(ep_command), "echo ran > %s", marker);
	snprintf(listen_spec, sizeof(listen_spec), "127.0.0.1:%d", free_port());
	printf("| %-4s | %-24s | %-12s | %-52s | %-9s | %s\n", "", "case",
	       "want step", "injected call [match] #nth", "errno", "result");
	return 0;
}

static int group_teardown(void **state)
{
	unlink(marker);
	rmdir(outdir);
	free(baseline_log);
	if (fault)
		munmap(fault, sizeof(*fault));
	return 0;
}

int main(void)
{
	struct CMUnitTest tests[N_ELEMS(cases)];

	for (size_t i = 0; i < N_ELEMS(cases); i++)
		tests[i] = (struct CMUnitTest){
			.name = cases[i].label,
			.test_func = test_fault_case,
			.initial_state = (void *)&cases[i],
		};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
