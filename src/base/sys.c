/* The syscall seam: thin wrappers, one translation unit, no logic. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <cap-ng.h>

#include "base/sys.h"

pid_t sys_clone3(struct clone_args *args, size_t size)
{
	return (pid_t)syscall(SYS_clone3, args, size);
}

pid_t sys_clone_legacy(unsigned long flags, int *pidfd)
{
	/* x86_64 argument order: flags, stack, parent_tid, child_tid, tls.
	 * With CLONE_PIDFD the pidfd is written to parent_tid. */
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, pidfd, NULL, 0);
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int sys_socket(int domain, int type, int protocol)
{
	return socket(domain, type, protocol);
}

int sys_bind(int fd, const void *addr, unsigned int len)
{
	return bind(fd, (const struct sockaddr *)addr, (socklen_t)len);
}

int sys_listen(int fd, int backlog)
{
	return listen(fd, backlog);
}

int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

int sys_mount(const char *src, const char *dst, const char *fstype,
	      unsigned long flags, const void *data)
{
	return mount(src, dst, fstype, flags, data);
}

int sys_umount2(const char *target, int flags)
{
	return umount2(target, flags);
}

int sys_mount_setattr(int dirfd, const char *path, unsigned int flags,
		      struct mount_attr *attr, size_t size)
{
	return (int)syscall(SYS_mount_setattr, dirfd, path, flags, attr, size);
}

int sys_open_tree(int dirfd, const char *path, unsigned int flags)
{
	return (int)syscall(SYS_open_tree, dirfd, path, flags);
}

int sys_move_mount(int from_dirfd, const char *from_path, int to_dirfd,
		   const char *to_path, unsigned int flags)
{
	return (int)syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd,
			    to_path, flags);
}

int sys_fsopen(const char *fstype, unsigned int flags)
{
	return (int)syscall(SYS_fsopen, fstype, flags);
}

int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value,
		 int aux)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

int sys_fsmount(int fd, unsigned int flags, unsigned int attr_flags)
{
	return (int)syscall(SYS_fsmount, fd, flags, attr_flags);
}

int sys_openat2(int dirfd, const char *path, struct open_how *how,
		size_t size)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, size);
}

int sys_close_range(unsigned int first, unsigned int last, unsigned int flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}

int sys_seccomp_set_filter(const struct sock_fprog *prog)
{
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog);
}

int sys_sethostname(const char *name, size_t len)
{
	return sethostname(name, len);
}

int sys_setgroups(size_t n, const gid_t *list)
{
	return setgroups(n, list);
}

int sys_setresgid(gid_t r, gid_t e, gid_t s)
{
	return setresgid(r, e, s);
}

int sys_setresuid(uid_t r, uid_t e, uid_t s)
{
	return setresuid(r, e, s);
}

int sys_prctl(int option, unsigned long a2, unsigned long a3,
	      unsigned long a4, unsigned long a5)
{
	return prctl(option, a2, a3, a4, a5);
}

int sys_setrlimit(int resource, const struct rlimit *rl)
{
	return setrlimit((__rlimit_resource_t)resource, rl);
}

int sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return execve(path, argv, envp);
}

int sys_setsid(void)
{
	return setsid() < 0 ? -1 : 0;
}

int sys_capng_apply(int select)
{
	return capng_apply((capng_select_t)select);
}

int sys_landlock_create_ruleset(const void *attr, size_t size,
				uint32_t flags)
{
	return (int)syscall(SYS_landlock_create_ruleset, attr, size, flags);
}

int sys_landlock_add_rule(int ruleset_fd, int rule_type, const void *attr,
			  uint32_t flags)
{
	return (int)syscall(SYS_landlock_add_rule, ruleset_fd, rule_type, attr,
			    flags);
}

int sys_landlock_restrict_self(int ruleset_fd, uint32_t flags)
{
	return (int)syscall(SYS_landlock_restrict_self, ruleset_fd, flags);
}

int sys_write_file_at(int dirfd, const char *path, const char *data,
		      size_t len)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	n = write(fd, data, len);
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int sys_ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg);
}

int sys_netlink_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	ssize_t n = sendto(fd, buf, len, 0, (const struct sockaddr *)&kernel,
			   sizeof(kernel));

	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}
