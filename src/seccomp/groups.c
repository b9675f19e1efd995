/* Named syscall groups.
 *
 * The general-purpose groups follow systemd's sets (seccomp-util.c,
 * syscall_filter_sets[]) so that a name means what systemd users expect;
 * the @ward-* groups are what ward's built-in policies are made of.  The
 * membership lists are facts about Linux syscalls, cross-checked against
 * Docker's default profile (see /work/shared/data/README.md).
 *
 * Syscalls whose safety depends on their arguments (clone, clone3,
 * unshare, ioctl, socket, personality) appear here by name only; the
 * argument guards that apply whenever they are allowed live in seccomp.c. */
#include <errno.h>
#include <string.h>

#include "seccomp/groups.h"

#define MEMBERS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct ward_seccomp_group groups[] = {
	{"@default", "System calls every program needs (execve included: ward "
		"loads the filter before it executes the program)",
	 MEMBERS("arch_prctl", "brk", "cacheflush", "clock_getres",
		 "clock_getres_time64", "clock_gettime", "clock_gettime64",
		 "clock_nanosleep", "clock_nanosleep_time64", "execve", "exit",
		 "exit_group", "futex", "futex_time64", "futex_waitv",
		 "futex_wait", "futex_wake", "futex_requeue",
		 "get_robust_list", "get_thread_area", "getegid", "getegid32",
		 "geteuid", "geteuid32", "getgid", "getgid32", "getgroups",
		 "getgroups32", "getpgid", "getpgrp", "getpid", "getppid",
		 "getrandom", "getresgid", "getresgid32", "getresuid",
		 "getresuid32", "getrlimit", "getsid", "gettid",
		 "gettimeofday", "getuid", "getuid32", "membarrier", "mmap",
		 "mmap2", "mprotect", "munmap", "nanosleep", "pause",
		 "prlimit64", "restart_syscall", "riscv_flush_icache", "rseq",
		 "rt_sigreturn", "sched_getaffinity", "sched_yield",
		 "set_robust_list", "set_thread_area", "set_tid_address",
		 "set_tls", "sigreturn", "time", "ugetrlimit")},
	{"@basic-io", "Reading and writing already open file descriptors",
	 MEMBERS("_llseek", "close", "close_range", "dup", "dup2", "dup3",
		 "lseek", "pread64", "preadv", "preadv2", "pwrite64", "pwritev",
		 "pwritev2", "read", "readv", "write", "writev")},
	{"@file-system", "Opening, inspecting and changing files and directories",
	 MEMBERS("access", "cachestat", "chdir", "chmod", "close", "creat",
		 "faccessat", "faccessat2", "fallocate", "fchdir", "fchmod",
		 "fchmodat", "fchmodat2", "fcntl", "fcntl64", "fgetxattr",
		 "flistxattr", "fremovexattr", "fsetxattr", "fstat", "fstat64",
		 "fstatat64", "fstatfs", "fstatfs64", "ftruncate",
		 "ftruncate64", "futimesat", "getcwd", "getdents",
		 "getdents64", "getxattr", "getxattrat", "inotify_add_watch",
		 "inotify_init", "inotify_init1", "inotify_rm_watch",
		 "lgetxattr", "link", "linkat", "listxattr", "listxattrat",
		 "llistxattr", "lremovexattr", "lsetxattr", "lstat", "lstat64",
		 "mkdir", "mkdirat", "mknod", "mknodat", "mmap", "mmap2",
		 "munmap", "newfstatat", "oldfstat", "oldlstat", "oldstat",
		 "open", "openat", "openat2", "readlink", "readlinkat",
		 "removexattr", "removexattrat", "rename", "renameat",
		 "renameat2", "rmdir", "setxattr", "setxattrat", "stat",
		 "stat64", "statfs", "statfs64", "statx", "symlink",
		 "symlinkat", "truncate", "truncate64", "unlink", "unlinkat",
		 "utime", "utimensat", "utimensat_time64", "utimes")},
	{"@io-event", "Event loops: poll, select, epoll, eventfd",
	 MEMBERS("_newselect", "epoll_create", "epoll_create1", "epoll_ctl",
		 "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
		 "epoll_wait_old", "eventfd", "eventfd2", "poll", "ppoll",
		 "ppoll_time64", "pselect6", "pselect6_time64", "select")},
	{"@network-io", "Sockets (socket itself only for the families ward "
		"allows)",
	 MEMBERS("accept", "accept4", "bind", "connect", "getpeername",
		 "getsockname", "getsockopt", "listen", "recv", "recvfrom",
		 "recvmmsg", "recvmmsg_time64", "recvmsg", "send", "sendmmsg",
		 "sendmsg", "sendto", "setsockopt", "shutdown", "socket",
		 "socketcall", "socketpair")},
	{"@process", "Creating, executing, waiting for and signalling processes",
	 MEMBERS("capget", "clone", "clone3", "execve", "execveat", "fork",
		 "getrusage", "kill", "pidfd_getfd", "pidfd_open",
		 "pidfd_send_signal", "prctl", "rt_sigqueueinfo",
		 "rt_tgsigqueueinfo", "setns", "swapcontext", "tgkill",
		 "times", "tkill", "unshare", "vfork", "wait4", "waitid",
		 "waitpid")},
	{"@signal", "Signal handlers, masks and signalfd",
	 MEMBERS("rt_sigaction", "rt_sigpending", "rt_sigprocmask",
		 "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
		 "sigaction", "sigaltstack", "signal", "signalfd", "signalfd4",
		 "sigpending", "sigprocmask", "sigsuspend")},
	{"@timer", "Timers: alarm, itimers, POSIX timers, timerfd",
	 MEMBERS("alarm", "getitimer", "setitimer", "timer_create",
		 "timer_delete", "timer_getoverrun", "timer_gettime",
		 "timer_gettime64", "timer_settime", "timer_settime64",
		 "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
		 "timerfd_settime", "timerfd_settime64", "times")},
	{"@ipc", "Pipes, SysV IPC, POSIX message queues, cross-process memory",
	 MEMBERS("ipc", "memfd_create", "mq_getsetattr", "mq_notify",
		 "mq_open", "mq_timedreceive", "mq_timedreceive_time64",
		 "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "msgctl",
		 "msgget", "msgrcv", "msgsnd", "pipe", "pipe2",
		 "process_madvise", "process_vm_readv", "process_vm_writev",
		 "semctl", "semget", "semop", "semtimedop",
		 "semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget")},
	{"@aio", "Asynchronous I/O, io_uring included",
	 MEMBERS("io_cancel", "io_destroy", "io_getevents", "io_pgetevents",
		 "io_pgetevents_time64", "io_setup", "io_submit",
		 "io_uring_enter", "io_uring_register", "io_uring_setup")},
	{"@chown", "Changing file ownership",
	 MEMBERS("chown", "chown32", "fchown", "fchown32", "fchownat",
		 "lchown", "lchown32")},
	{"@credentials", "Querying the process's own credentials",
	 MEMBERS("capget", "getegid", "getegid32", "geteuid", "geteuid32",
		 "getgid", "getgid32", "getgroups", "getgroups32", "getresgid",
		 "getresgid32", "getresuid", "getresuid32", "getuid",
		 "getuid32")},
	{"@setuid", "Changing user and group ids",
	 MEMBERS("setgid", "setgid32", "setgroups", "setgroups32",
		 "setregid", "setregid32", "setresgid", "setresgid32",
		 "setresuid", "setresuid32", "setreuid", "setreuid32",
		 "setuid", "setuid32")},
	{"@memlock", "Locking memory into RAM",
	 MEMBERS("mlock", "mlock2", "mlockall", "munlock", "munlockall")},
	{"@resources", "Changing scheduling, priority, NUMA policy and limits",
	 MEMBERS("ioprio_set", "mbind", "migrate_pages", "move_pages",
		 "nice", "sched_setaffinity", "sched_setattr",
		 "sched_setparam", "sched_setscheduler", "set_mempolicy",
		 "set_mempolicy_home_node", "setpriority", "setrlimit")},
	{"@sync", "Synchronizing files and memory to storage",
	 MEMBERS("fdatasync", "fsync", "msync", "sync", "sync_file_range",
		 "sync_file_range2", "syncfs")},
	{"@sandbox", "Restricting oneself further: Landlock and seccomp",
	 MEMBERS("landlock_add_rule", "landlock_create_ruleset",
		 "landlock_restrict_self", "seccomp")},
	{"@keyring", "Kernel keyring access",
	 MEMBERS("add_key", "keyctl", "request_key")},
	{"@mount", "Mounting, unmounting and changing the root directory",
	 MEMBERS("chroot", "fsconfig", "fsmount", "fsopen", "fspick",
		 "mount", "mount_setattr", "move_mount", "open_tree",
		 "pivot_root", "umount", "umount2")},
	{"@module", "Loading and unloading kernel modules",
	 MEMBERS("delete_module", "finit_module", "init_module")},
	{"@raw-io", "Raw I/O port and PCI access",
	 MEMBERS("ioperm", "iopl", "pciconfig_iobase", "pciconfig_read",
		 "pciconfig_write", "s390_pci_mmio_read",
		 "s390_pci_mmio_write")},
	{"@reboot", "Rebooting and loading a new kernel",
	 MEMBERS("kexec_file_load", "kexec_load", "reboot")},
	{"@swap", "Enabling and disabling swap",
	 MEMBERS("swapoff", "swapon")},
	{"@clock", "Setting the system clock",
	 MEMBERS("adjtimex", "clock_adjtime", "clock_adjtime64",
		 "clock_settime", "clock_settime64", "settimeofday", "stime")},
	{"@debug", "Tracing, profiling and debugging other processes",
	 MEMBERS("lookup_dcookie", "perf_event_open", "pidfd_getfd",
		 "ptrace", "rtas", "s390_runtime_instr",
		 "sys_debug_setcontext")},
	{"@obsolete", "Unusual, obsolete or unimplemented system calls",
	 MEMBERS("_sysctl", "afs_syscall", "bdflush", "break",
		 "create_module", "ftime", "get_kernel_syms", "getpmsg", "gtty",
		 "idle", "lock", "mpx", "prof", "profil", "putpmsg",
		 "query_module", "security", "sgetmask", "ssetmask", "stime",
		 "stty", "sysfs", "tuxcall", "ulimit", "uselib", "ustat",
		 "vserver")},
	{"@cpu-emulation", "Emulating other CPU modes (vm86, LDT, endianness)",
	 MEMBERS("modify_ldt", "subpage_prot", "switch_endian", "vm86",
		 "vm86old")},
	{"@privileged", "System calls that need super-user capabilities",
	 MEMBERS("@chown", "@clock", "@module", "@raw-io", "@reboot", "@swap",
		 "_sysctl", "acct", "bpf", "capset", "chroot", "fanotify_init",
		 "fanotify_mark", "nfsservctl", "open_by_handle_at",
		 "pivot_root", "quotactl", "quotactl_fd", "setdomainname",
		 "setfsuid", "setfsuid32", "setgroups", "setgroups32",
		 "sethostname", "setresuid", "setresuid32", "setreuid",
		 "setreuid32", "setuid", "setuid32", "vhangup")},
	{"@system-service", "What a typical service needs (systemd's set)",
	 MEMBERS("@aio", "@basic-io", "@chown", "@default", "@file-system",
		 "@io-event", "@ipc", "@keyring", "@memlock", "@network-io",
		 "@process", "@resources", "@setuid", "@signal", "@sync",
		 "@timer", "capget", "capset", "copy_file_range", "fadvise64",
		 "fadvise64_64", "flock", "get_mempolicy", "getcpu",
		 "getpriority", "ioctl", "ioprio_get", "kcmp", "madvise",
		 "mremap", "name_to_handle_at", "oldolduname", "olduname",
		 "personality", "readahead", "readdir", "remap_file_pages",
		 "sched_get_priority_max", "sched_get_priority_min",
		 "sched_getattr", "sched_getparam", "sched_getscheduler",
		 "sched_rr_get_interval", "sched_rr_get_interval_time64",
		 "sched_yield", "sendfile", "sendfile64", "setfsgid",
		 "setfsgid32", "setfsuid", "setfsuid32", "setpgid", "setsid",
		 "splice", "sysinfo", "tee", "umask", "uname", "userfaultfd",
		 "vmsplice")},
	/* ward's default policy is "allow @ward-default, deny @ward-deny
	 * with EPERM": a deny always wins, so the namespace, keyring,
	 * io_uring and tracing calls that @system-service brings in are
	 * refused. */
	{"@ward-default", "ward's default allowlist: @system-service, "
		"self-sandboxing and a few memory calls Docker also allows",
	 MEMBERS("@system-service", "@sandbox", "arch_prctl", "mincore",
		 "memfd_secret", "pidfd_open", "pidfd_send_signal",
		 "pkey_alloc", "pkey_free", "pkey_mprotect", "process_mrelease",
		 "map_shadow_stack", "mseal")},
	{"@ward-deny", "Refused with EPERM by ward's built-in policies: "
		"mounts, namespaces, modules, keyrings, tracing, clocks, bpf, "
		"io_uring",
	 MEMBERS("@clock", "@debug", "@keyring", "@module", "@mount",
		 "@raw-io", "@reboot", "@swap", "acct", "bpf", "fanotify_init",
		 "get_mempolicy", "io_uring_enter", "io_uring_register",
		 "io_uring_setup", "kcmp", "mbind", "migrate_pages",
		 "move_pages", "name_to_handle_at", "nfsservctl",
		 "open_by_handle_at", "process_madvise", "process_vm_readv",
		 "process_vm_writev", "quotactl", "quotactl_fd",
		 "set_mempolicy", "set_mempolicy_home_node", "setdomainname",
		 "sethostname", "setns", "syslog", "unshare", "userfaultfd",
		 "vhangup")},
	{"@ward-strict", "ward's strict allowlist for static programs: "
		"stdio, memory, time, signals, no files, no network",
	 MEMBERS("arch_prctl", "brk", "clock_getres", "clock_gettime",
		 "clock_nanosleep", "close", "execve", "exit", "exit_group",
		 "fstat", "futex", "getegid", "geteuid", "getgid", "getpid",
		 "getppid", "getrandom", "gettid", "gettimeofday", "getuid",
		 "ioctl", "lseek", "madvise", "mmap", "mprotect", "mremap",
		 "munmap", "nanosleep", "newfstatat", "poll", "ppoll",
		 "prlimit64", "read", "readv", "restart_syscall",
		 "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rseq",
		 "sched_yield", "set_robust_list", "set_tid_address",
		 "sigaltstack", "time", "uname", "write", "writev")},
};

#undef MEMBERS

const struct ward_seccomp_group *ward_seccomp_group_find(const char *name)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strcmp(groups[i].name, name) == 0)
			return &groups[i];
	return NULL;
}

bool ward_seccomp_group_plain(const struct ward_seccomp_group *group)
{
	if (strncmp(group->name, "@ward-", 6) == 0)
		return false;
	for (const char *const *m = group->members; *m; m++)
		if ((*m)[0] == '@')
			return false;
	return true;
}

size_t ward_seccomp_group_count(void)
{
	return sizeof(groups) / sizeof(groups[0]);
}

const struct ward_seccomp_group *ward_seccomp_group_at(size_t i)
{
	return i < ward_seccomp_group_count() ? &groups[i] : NULL;
}

static int foreach_depth(const struct ward_seccomp_group *group,
			 int (*fn)(const char *name, void *data), void *data,
			 unsigned depth)
{
	if (depth > WARD_SECCOMP_GROUP_DEPTH)
		return -ELOOP;
	for (const char *const *m = group->members; *m; m++) {
		int r;

		if ((*m)[0] == '@') {
			const struct ward_seccomp_group *sub;

			sub = ward_seccomp_group_find(*m);
			if (!sub)
				return -ENOENT;
			r = foreach_depth(sub, fn, data, depth + 1);
		} else {
			r = fn(*m, data);
		}
		if (r != 0)
			return r;
	}
	return 0;
}

int ward_seccomp_group_foreach(const struct ward_seccomp_group *group,
			       int (*fn)(const char *name, void *data),
			       void *data)
{
	return foreach_depth(group, fn, data, 1);
}
