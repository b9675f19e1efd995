/* The syscall seam.  Effectful code calls the kernel through these thin
 * wrappers so that tests can inject failures with -Wl,--wrap=sys_x.
 * Each returns what the syscall returns (-1 with errno set on failure). */
#ifndef WARD_SYS_H
#define WARD_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/resource.h>

struct clone_args;
struct open_how;
struct sock_fprog;
struct mount_attr;

pid_t sys_clone3(struct clone_args *args, size_t size);
pid_t sys_clone_legacy(unsigned long flags, int *pidfd);
int sys_pidfd_send_signal(int pidfd, int sig);
int sys_pivot_root(const char *new_root, const char *put_old);
int sys_mount(const char *src, const char *dst, const char *fstype,
	      unsigned long flags, const void *data);
int sys_umount2(const char *target, int flags);
int sys_mount_setattr(int dirfd, const char *path, unsigned int flags,
		      struct mount_attr *attr, size_t size);
int sys_open_tree(int dirfd, const char *path, unsigned int flags);
int sys_move_mount(int from_dirfd, const char *from_path, int to_dirfd,
		   const char *to_path, unsigned int flags);
int sys_fsopen(const char *fstype, unsigned int flags);
int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value,
		 int aux);
int sys_fsmount(int fd, unsigned int flags, unsigned int attr_flags);
int sys_openat2(int dirfd, const char *path, struct open_how *how,
		size_t size);
int sys_close_range(unsigned int first, unsigned int last, unsigned int flags);
/* seccomp(SECCOMP_SET_MODE_FILTER, 0, prog): no TSYNC, no SPEC_ALLOW. */
int sys_seccomp_set_filter(const struct sock_fprog *prog);
int sys_sethostname(const char *name, size_t len);
int sys_setgroups(size_t n, const gid_t *list);
int sys_setresgid(gid_t r, gid_t e, gid_t s);
int sys_setresuid(uid_t r, uid_t e, uid_t s);
int sys_prctl(int option, unsigned long a2, unsigned long a3,
	      unsigned long a4, unsigned long a5);
int sys_setrlimit(int resource, const struct rlimit *rl);
int sys_execve(const char *path, char *const argv[], char *const envp[]);
int sys_setsid(void);
int sys_capng_apply(int select);

/* Landlock (attr structs are passed opaque: ward defines its own, newer
 * than Debian 12's <linux/landlock.h>). */
int sys_landlock_create_ruleset(const void *attr, size_t size,
				uint32_t flags);
int sys_landlock_add_rule(int ruleset_fd, int rule_type, const void *attr,
			  uint32_t flags);
int sys_landlock_restrict_self(int ruleset_fd, uint32_t flags);

/* Sockets ward binds for the program (listen). */
int sys_socket(int domain, int type, int protocol);
int sys_bind(int fd, const void *addr, unsigned int len);
int sys_listen(int fd, int backlog);

/* Write @len bytes of @data to @dirfd/@path with one write(2) (the
 * user-namespace map files need exactly one write).  Returns 0 or -1. */
int sys_write_file_at(int dirfd, const char *path, const char *data,
		      size_t len);

/* ioctl(2) with a pointer argument (lo's flags: launch/net_lo.c). */
int sys_ioctl(int fd, unsigned long request, void *arg);

/* Send one netlink message of @len bytes to the kernel (port 0) on the
 * netlink socket @fd.  Returns 0 or -1 (EMSGSIZE for a short send). */
int sys_netlink_send(int fd, const void *buf, size_t len);

#endif
