/* floor: ward's speed-of-light launcher (issue 15).
 *
 * The same steps as `ward run --rootfs ROOT -- CMD` with its defaults,
 * done with bare syscalls, no libraries beyond libc's syscall stubs (built
 * static, so no dynamic loader either), no path-safety walks (plain paths
 * relative to the new root instead of openat2 + /proc/self/fd), and no
 * checks beyond the return codes.  It is the measuring stick, not a
 * product: it trusts ROOT completely.  Keep it in step with ward's
 * default (src/launch/launch.c, src/launch/child.c, src/launch/rootfs.c, src/launch/rootfs_special.c):
 *
 *   parent: socketpair-free sync (a pipe), clone3 with new user, mount,
 *           pid, net, uts, ipc and cgroup namespaces, uid_map and gid_map
 *           (one line each: 65534 -> 65534), "go", wait.
 *   child:  PDEATHSIG, wait for go, close_range(3, ~0, CLOEXEC),
 *           open ROOT (O_PATH), setfsuid/gid 65534, / private, staging tmpfs + pivot_root,
 *           recursive bind of ROOT, mount_setattr(RDONLY|NOSUID|NODEV,
 *           AT_RECURSIVE), /proc + 10 masked paths + 5 read-only paths,
 *           /dev tmpfs with 6 device binds, devpts, /dev/shm, 5 symlinks,
 *           /dev read-only, tmpfs /tmp and /run, pivot_root(".", "."),
 *           umount2(MNT_DETACH), sethostname, lo up over rtnetlink,
 *           setsid, chdir /, bounding set cleared, setgroups(0),
 *           setresgid/setresuid 65534, capset(0), NNP, PDEATHSIG again,
 *           then (optionally) a pid-1 that starts the program with vfork
 *           (as ward's init does) and reaps; seccomp, execve.
 *           Run by an unprivileged user (rootless), the parent writes
 *           "deny" to setgroups before gid_map, and the child skips
 *           setgroups(0), as ward does.
 *   seccomp: a linear allow list of N syscalls (default 360, about as
 *           many as ward's default allows), default ENOSYS, built in the
 *           parent before clone with no library.
 *
 * usage: floor [--no-init] [--no-seccomp] [--no-proc-masks] [--fork]
 *              [--filter N] [--filter-insns N] ROOT CMD [ARG...]
 * --fork: pid 1 starts the program with fork instead of vfork (what the
 * floor and ward did before ward's init moved to vfork; --vfork is
 * accepted and is the default).
 * --filter N: N compares (default 360); --filter-insns N: as many
 * compares as fit a program of N instructions (to match the length of
 * ward's filter, which `ward run -v` prints).
 * Exit status: CMD's, or 120+ when a step fails (the step is printed). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/if.h>
#include <linux/mount.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ID 65534
#define CHK(x, what)                                                      \
	do {                                                              \
		if ((long)(x) < 0)                                        \
			die(what);                                        \
	} while (0)

static void die(const char *what)
{
	char buf[160];
	int n = snprintf(buf, sizeof(buf), "floor: %s: %s\n", what,
			 strerror(errno));

	if (write(2, buf, (size_t)n) < 0)
		_exit(121);
	_exit(120);
}

static int sys_mount_setattr(int dfd, const char *path, unsigned flags,
			     unsigned long long set)
{
	struct mount_attr a = {.attr_set = set};

	return (int)syscall(SYS_mount_setattr, dfd, path, flags, &a, sizeof(a));
}

static struct sock_filter filt[BPF_MAXINSNS];
static struct sock_fprog prog;

/* arch check, load nr, then N x (jeq nr -> allow) in blocks of at most
 * 200 compares (jt is 8 bits), each block followed by "ja next" and its
 * own RET ALLOW; finally RET ERRNO(ENOSYS). */
static void build_filter(unsigned n)
{
	unsigned i = 0, k = 0;

	if (n > 3900)
		n = 3900;

	filt[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				offsetof(struct seccomp_data, arch));
	filt[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
				AUDIT_ARCH_X86_64, 1, 0);
	filt[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
				SECCOMP_RET_KILL_PROCESS);
	filt[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				offsetof(struct seccomp_data, nr));
	while (k < n) {
		unsigned m = n - k > 200 ? 200 : n - k, start = i;

		for (unsigned j = 0; j < m; j++, k++) {
			unsigned nr = k < 336 ? k : k + 88;

			/* allow sits after the block's "ja": at start+m+1 */
			filt[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						nr, (unsigned char)(start + m + 1 - i - 1), 0);
			i++;
		}
		filt[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0);
		filt[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					SECCOMP_RET_ALLOW);
	}
	filt[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
				SECCOMP_RET_ERRNO | ENOSYS);
	prog.len = (unsigned short)i;
	prog.filter = filt;
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	CHK(fd, path);
	CHK(write(fd, s, strlen(s)), path);
	close(fd);
}

static void bind_ro(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return;
		die(path);
	}
	CHK(sys_mount_setattr(AT_FDCWD, path, AT_RECURSIVE,
			      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				      MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC),
	    path);
}

static void mask(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode))
		CHK(mount("tmpfs", path, "tmpfs",
			  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "size=0,mode=0000"), path);
	else
		CHK(mount("/oldroot/dev/null", path, NULL, MS_BIND, NULL), path);
}

static void rootfs(int rootfd, int masks)
{
	static const char *const masked[] = {
		"proc/asound", "proc/acpi", "proc/interrupts", "proc/kcore",
		"proc/keys", "proc/latency_stats", "proc/timer_list",
		"proc/timer_stats", "proc/sched_debug", "proc/scsi", NULL,
	};
	static const char *const ro[] = {
		"proc/bus", "proc/fs", "proc/irq", "proc/sys",
		"proc/sysrq-trigger", NULL,
	};
	static const char *const devs[] = {
		"null", "zero", "full", "random", "urandom", "tty", NULL,
	};
	static const char *const links[][2] = {
		{"pts/ptmx", "dev/ptmx"}, {"/proc/self/fd", "dev/fd"},
		{"/proc/self/fd/0", "dev/stdin"}, {"/proc/self/fd/1", "dev/stdout"},
		{"/proc/self/fd/2", "dev/stderr"},
	};
	char src[4096];

	CHK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "private /");
	CHK(mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=0700,size=64k"), "staging");
	CHK(mkdir("/tmp/oldroot", 0700), "mkdir oldroot");
	CHK(mkdir("/tmp/newroot", 0755), "mkdir newroot");
	CHK(syscall(SYS_pivot_root, "/tmp", "/tmp/oldroot"), "pivot staging");
	CHK(chdir("/"), "chdir");
	/* Opened before the fsuid change, as ward does: ROOT's parents may
	 * not be searchable by 65534. */
	snprintf(src, sizeof(src), "/oldroot/proc/self/fd/%d", rootfd);
	CHK(mount(src, "/newroot", NULL, MS_BIND | MS_REC, NULL), "bind root");
	close(rootfd);
	CHK(chdir("/newroot"), "chdir newroot");
	CHK(sys_mount_setattr(AT_FDCWD, ".", AT_RECURSIVE,
			      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				      MOUNT_ATTR_NODEV), "read-only root");
	CHK(mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL),
	    "proc");
	for (int i = 0; masks && masked[i]; i++)
		mask(masked[i]);
	for (int i = 0; masks && ro[i]; i++)
		bind_ro(ro[i]);
	CHK(mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_NOEXEC,
		  "mode=0755,size=64k"), "dev");
	for (int i = 0; devs[i]; i++) {
		char dst[64];
		int fd;

		snprintf(dst, sizeof(dst), "dev/%s", devs[i]);
		snprintf(src, sizeof(src), "/oldroot/dev/%s", devs[i]);
		fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		CHK(fd, dst);
		close(fd);
		CHK(mount(src, dst, NULL, MS_BIND, NULL), dst);
	}
	CHK(mkdir("dev/pts", 0755), "mkdir pts");
	CHK(mkdir("dev/shm", 01777), "mkdir shm");
	CHK(mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620"), "devpts");
	CHK(mount("tmpfs", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=1777"), "shm");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		CHK(symlink(links[i][0], links[i][1]), links[i][1]);
	CHK(sys_mount_setattr(AT_FDCWD, "dev", 0,
			      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				      MOUNT_ATTR_NOEXEC), "ro dev");
	CHK(mount("tmpfs", "tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"),
	    "tmp");
	CHK(mount("tmpfs", "run", "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=0755,uid=65534,gid=65534"), "run");
	CHK(syscall(SYS_pivot_root, ".", "."), "pivot_root");
	CHK(umount2(".", MNT_DETACH), "detach old root");
	CHK(chdir("/"), "chdir /");
}

static void lo_up(void)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = {.nlmsg_len = sizeof(req), .nlmsg_type = RTM_NEWLINK,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = 1},
		.ifi = {.ifi_family = AF_UNSPEC, .ifi_index = 1,
			.ifi_flags = IFF_UP, .ifi_change = IFF_UP},
	};
	char buf[512];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct nlmsgerr *e;

	CHK(fd, "netlink");
	CHK(send(fd, &req, sizeof(req), 0), "netlink send");
	CHK(recv(fd, buf, sizeof(buf), 0), "netlink recv");
	e = NLMSG_DATA((struct nlmsghdr *)buf);
	if (((struct nlmsghdr *)buf)->nlmsg_type != NLMSG_ERROR || e->error) {
		errno = -e->error;
		die("lo up");
	}
	close(fd);
}

static int rootless;	/* started by an unprivileged user */

static void drop_privileges(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0}};

	for (int c = 0; prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0; c++)
		;
	if (!rootless)
		CHK(setgroups(0, NULL), "setgroups");
	CHK(setresgid(ID, ID, ID), "setresgid");
	CHK(setresuid(ID, ID, ID), "setresuid");
	CHK(syscall(SYS_capset, &h, d), "capset");
	CHK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "nnp");
	CHK(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "pdeathsig");
}

static void run(char **argv, int seccomp)
{
	if (seccomp)
		CHK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog),
		    "seccomp");
	execve(argv[0], argv, (char *[]){"PATH=/usr/bin:/bin", NULL});
	die(argv[0]);
}

static int code(int st);

/* pid 1: start the program and reap.  Its own function, with its inputs
 * in statics, so nothing vfork's child touches lives in main's frame. */
static char **prog_argv;
static int prog_seccomp;

__attribute__((noinline, noreturn)) static void pid1(int use_vfork)
{
	pid_t pid = use_vfork ? vfork() : fork();
	int st;

	CHK(pid, "fork");
	if (pid == 0)
		run(prog_argv, prog_seccomp);
	for (;;) {
		pid_t w = wait(&st);

		if (w == pid)
			_exit(code(st));
		if (w < 0 && errno != EINTR)
			_exit(123);
	}
}

static int code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	int init = 1, seccomp = 1, masks = 1, use_vfork = 1, p[2], st, rootfd;
	unsigned nfilter = 360;
	struct clone_args ca = {
		.flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET |
			 CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP,
		.exit_signal = SIGCHLD,
	};
	char path[64];
	pid_t pid;
	char c;

	while (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
		if (strcmp(argv[1], "--no-init") == 0)
			init = 0;
		else if (strcmp(argv[1], "--no-seccomp") == 0)
			seccomp = 0;
		else if (strcmp(argv[1], "--no-proc-masks") == 0)
			masks = 0;
		else if (strcmp(argv[1], "--vfork") == 0)
			use_vfork = 1;
		else if (strcmp(argv[1], "--fork") == 0)
			use_vfork = 0;
		else if (strcmp(argv[1], "--filter") == 0 && argc > 2)
			nfilter = (unsigned)atoi((++argv)[1]), argc--;
		else if (strcmp(argv[1], "--filter-insns") == 0 && argc > 2) {
			unsigned want = (unsigned)atoi((++argv)[1]);

			argc--;
			/* 4 + n + 2 per block of 200 + 1 */
			for (nfilter = want; nfilter > 0 &&
			     5 + nfilter + 2 * ((nfilter + 199) / 200) > want;)
				nfilter--;
		}
		else
			break;
		argv++, argc--;
	}
	if (argc < 3) {
		fputs("usage: floor [--no-init] [--no-seccomp] [--no-proc-masks] "
		      "[--fork] [--filter N] [--filter-insns N] ROOT CMD [ARG...]\n",
		      stderr);
		return 2;
	}
	build_filter(nfilter);
	rootless = geteuid() != 0;
	CHK(pipe2(p, O_CLOEXEC), "pipe");
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	CHK(pid, "clone3");
	if (pid == 0) {
		close(p[1]);
		CHK(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "pdeathsig");
		if (read(p[0], &c, 1) != 1)
			_exit(122);
		close(p[0]);
		CHK(syscall(SYS_close_range, 3, ~0U, 4 /* CLOEXEC */), "close_range");
		rootfd = open(argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
		CHK(rootfd, argv[1]);
		setfsgid(ID);
		setfsuid(ID);
		rootfs(rootfd, masks);
		CHK(sethostname("ward", 4), "sethostname");
		lo_up();
		CHK(setsid(), "setsid");
		CHK(chdir("/"), "chdir");
		drop_privileges();
		if (!init)
			run(argv + 2, seccomp);
		/* With --vfork: the program's process only loads the filter and
		 * executes, which is vfork-safe, and it copies no page tables. */
		prog_argv = argv + 2;
		prog_seccomp = seccomp;
		pid1(use_vfork);
	}
	close(p[0]);
	if (rootless) {
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		write_file(path, "deny");
	}
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	write_file(path, "65534 65534 1\n");
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	write_file(path, "65534 65534 1\n");
	CHK(write(p[1], "g", 1), "go");
	close(p[1]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return code(st);
}
