/* probe: observe a sandbox from the inside.
 *
 * Built statically (it must not depend on the rootfs's libc) and copied or
 * bound into a sandbox by the integration tests, which parse its output.
 * One subcommand per invocation; the output is one line or a few lines of
 * `key=value` on stdout.  Exit status: 0 when the observation could be made
 * (a refused syscall or an EROFS write is an observation, not a failure),
 * 1 when it could not, 2 on bad usage.
 *
 * Safety rule: every syscall probe uses arguments that make the call fail
 * harmlessly (bogus paths, invalid magic, bad fds) or only affect the probe
 * itself, so that running the probe outside a sandbox, even as root, changes
 * nothing.  A seccomp filter answers before the kernel looks at the
 * arguments, so "EPERM" versus "EBADF/ENOENT/EINVAL" tells a filtered call
 * from an allowed one.
 *
 * Output of each subcommand (errno values are symbolic, e.g. errno=EROFS,
 * or the number when not in the table below):
 *   id               uid=R/E/S/F gid=R/E/S/F groups=G1,G2   (F = fs id)
 *   status           CapInh..CapAmb, NoNewPrivs, Seccomp, Seccomp_filters
 *                    lines from /proc/self/status, then securebits=0xN
 *   caps | nnp       the Cap* lines | nnp=N
 *   seccomp-mode     seccomp=N
 *   write PATH [D]   ok | errno=E   (open O_CREAT|O_TRUNC; writes D if given)
 *   read PATH        ok bytes=N [truncated] | errno=E   (stops at 1 MiB)
 *   cat PATH         the contents (up to 1 MiB)
 *   ls DIR           entries=a,b/,c@   (sorted; / dir, @ symlink, = socket)
 *   stat PATH        type=chr mode=0666 uid=N gid=N rdev=MAJ:MIN size=N
 *   syscall NAME     ret=N | errno=E   (see cmd_syscall for the names;
 *                    read, write, chroot-bogus, personality-rie, mbind,
 *                    userfaultfd-user, socket-vsock/-alg/-audit and
 *                    clone-newuser serve the seccomp interop table)
 *   fds              fds=0,1,2
 *   hostname | cwd   hostname=NAME | cwd=PATH
 *   netifs           lo:UP,LOOPBACK,RUNNING eth0:... | none
 *   env              the environment, one per line
 *   pid              pid=N ppid=N
 *   mounts           MOUNTPOINT OPTIONS, per line
 *   mounts-full      MOUNTPOINT OPTIONS FSTYPE SOURCE SUPEROPTIONS, per line
 *   limits           NAME=SOFT:HARD per line (ward's --rlimit names)
 *   exit N | kill-self SIG     exits N | dies of SIG ("survived" and exit 3
 *                    if the signal was ignored, e.g. as pid 1)
 *   zombies N        spawned=N   (N children exit, the probe exits unwaiting)
 *   zombie-check     zombies=N   (processes in state Z, after up to 2 s)
 *   zombie-test N    zombies=N   (orphans N zombies to pid 1, then checks)
 *   orphan-sleep S   sleeper=PID, from a child in its own session that
 *                    ignores SIGTERM/HUP/INT and sleeps S; the probe pauses
 *   wait-signal      ready, then signal=SIGxxx when one arrives
 *   connect-unix P   ok | errno=E
 *   connect-abstract NAME  ok | errno=E   (the abstract address "\0NAME")
 *   mksock P         ok   (a unix socket file nobody listens on)
 *   listen-unix P    listening, then waits to be killed (a stream socket
 *                    listening at P; accepts nothing)
 *   bind-tcp PORT    ok | errno=E   (127.0.0.1:PORT)
 *   connect-tcp PORT ok | errno=E   (127.0.0.1:PORT)
 *   sleep S */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_userfaultfd
#define SYS_userfaultfd 323
#endif
#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

#define READ_LIMIT (1024 * 1024) /* `read` stops counting here */

struct name_num {
	const char *name;
	int num;
};

#define E(x) {#x, x}
static const struct name_num errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY),
	E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(ERANGE), E(ENAMETOOLONG), E(ENOSYS), E(ENOTEMPTY), E(ELOOP),
	E(EOPNOTSUPP), E(EAFNOSUPPORT), E(EPFNOSUPPORT), E(EPROTONOSUPPORT),
	E(ESOCKTNOSUPPORT), E(EPROTOTYPE), E(ENOTSOCK), E(EADDRINUSE),
	E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH), E(ECONNREFUSED),
	E(ECONNRESET), E(ENOTCONN), E(ETIMEDOUT), E(EOVERFLOW), E(EDQUOT),
	E(ENOKEY), E(EKEYREJECTED), E(ENOMSG), E(ENODATA), E(ESTALE),
};
#undef E

#define S(x) {#x, x}
static const struct name_num signals[] = {
	S(SIGHUP), S(SIGINT), S(SIGQUIT), S(SIGILL), S(SIGTRAP), S(SIGABRT),
	S(SIGBUS), S(SIGFPE), S(SIGKILL), S(SIGUSR1), S(SIGSEGV), S(SIGUSR2),
	S(SIGPIPE), S(SIGALRM), S(SIGTERM), S(SIGCHLD), S(SIGCONT), S(SIGSTOP),
	S(SIGTSTP), S(SIGTTIN), S(SIGTTOU), S(SIGURG), S(SIGXCPU), S(SIGXFSZ),
	S(SIGVTALRM), S(SIGPROF), S(SIGWINCH), S(SIGIO), S(SIGPWR), S(SIGSYS),
};
#undef S

static const char *errno_name(int e, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].num == e)
			return errnos[i].name;
	snprintf(buf, len, "%d", e);
	return buf;
}

static const char *signal_name(int s, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].num == s)
			return signals[i].name;
	snprintf(buf, len, "%d", s);
	return buf;
}

static void print_errno(int e)
{
	char buf[16];

	printf("errno=%s\n", errno_name(e, buf, sizeof(buf)));
}

static void print_ret(long r, int e)
{
	if (r < 0)
		print_errno(e);
	else
		printf("ret=%ld\n", r);
}

static int usage(void)
{
	fputs("usage: probe id|status|caps|nnp|seccomp-mode|write PATH [DATA]|"
	      "read PATH|cat PATH|ls DIR|stat PATH|syscall NAME|fds|hostname|netifs|cwd|env|"
	      "exit N|kill-self SIG|zombies N|zombie-check|zombie-test N|"
	      "orphan-sleep SECS|wait-signal|pid|mounts|mounts-full|"
	      "connect-unix PATH|mksock PATH|bind-tcp PORT|connect-tcp PORT|"
	      "reuse-fd FD PORT [fastopen]|limits|sleep SECS\n",
	      stderr);
	return 2;
}

static int parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 0);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_signal(const char *s)
{
	long v;

	if (parse_long(s, &v) == 0)
		return v > 0 && v < 65 ? (int)v : -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcmp(signals[i].name + 3, s) == 0)
			return signals[i].num;
	return -1;
}

/* ---- identity and credentials ------------------------------------------ */

static int cmd_id(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	gid_t groups[1024];

	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return 1;
	int fu = setfsuid((uid_t)-1);
	int fg = setfsgid((gid_t)-1);
	int n = getgroups(1024, groups);
	if (n < 0)
		return 1;
	printf("uid=%u/%u/%u/%d gid=%u/%u/%u/%d groups=", ru, eu, su, fu, rg,
	       eg, sg, fg);
	for (int i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", groups[i]);
	putchar('\n');
	return 0;
}

/* Print the /proc/self/status lines whose key is in @keys, in file order. */
static int print_status_keys(const char *const *keys)
{
	char line[512];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		print_errno(errno);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		for (const char *const *k = keys; *k; k++) {
			size_t l = strlen(*k);
			if (strncmp(line, *k, l) == 0 && line[l] == ':') {
				fputs(line, stdout);
				break;
			}
		}
	}
	fclose(f);
	return 0;
}

static int cmd_status(void)
{
	static const char *const keys[] = {
		"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs",
		"Seccomp", "Seccomp_filters", NULL};

	if (print_status_keys(keys))
		return 1;
	int sb = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	if (sb < 0)
		print_errno(errno);
	else
		printf("securebits=0x%x\n", sb);
	return 0;
}

static int cmd_caps(void)
{
	static const char *const keys[] = {"CapInh", "CapPrm", "CapEff",
					   "CapBnd", "CapAmb", NULL};
	return print_status_keys(keys);
}

static int cmd_nnp(void)
{
	int r = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);

	if (r < 0) {
		print_errno(errno);
		return 1;
	}
	printf("nnp=%d\n", r);
	return 0;
}

static int cmd_seccomp_mode(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		print_errno(errno);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Seccomp:", 8) == 0) {
			char *p = line + 8;
			while (*p == ' ' || *p == '\t')
				p++;
			p[strcspn(p, "\n")] = 0;
			printf("seccomp=%s\n", p);
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return 1;
}

/* ---- files --------------------------------------------------------------- */

static int cmd_write(const char *path, const char *data)
{
	/* Without DATA the file is only opened (created/truncated), so that
	 * probing a special file (/proc/sysrq-trigger) never writes to it. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY,
		      0644);
	if (fd < 0) {
		print_errno(errno);
		return 0;
	}
	if (data) {
		size_t len = strlen(data), off = 0;
		while (off < len) {
			ssize_t w = write(fd, data + off, len - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				print_errno(errno);
				close(fd);
				return 0;
			}
			off += (size_t)w;
		}
	}
	if (close(fd) < 0) {
		print_errno(errno);
		return 0;
	}
	puts("ok");
	return 0;
}

static int cmd_read(const char *path)
{
	static char buf[65536];
	unsigned long total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		print_errno(errno);
		return 0;
	}
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			print_errno(errno);
			close(fd);
			return 0;
		}
		if (r == 0)
			break;
		total += (unsigned long)r;
		if (total >= READ_LIMIT) {
			printf("ok bytes=%lu truncated\n", total);
			close(fd);
			return 0;
		}
	}
	close(fd);
	printf("ok bytes=%lu\n", total);
	return 0;
}

static int cmd_cat(const char *path)
{
	char buf[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		print_errno(errno);
		return 1;
	}
	fflush(stdout);
	for (unsigned long total = 0; total < READ_LIMIT;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (write(1, buf, (size_t)r) != r)
			break;
		total += (unsigned long)r;
	}
	close(fd);
	return 0;
}

static char type_suffix(mode_t m)
{
	if (S_ISDIR(m))
		return '/';
	if (S_ISLNK(m))
		return '@';
	if (S_ISSOCK(m))
		return '=';
	if (S_ISFIFO(m))
		return '|';
	return 0;
}

static int filter_dots(const struct dirent *e)
{
	return strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
}

/* `entries=a,b/,c@` sorted by name; / marks a directory, @ a symlink,
 * = a socket, | a fifo (as ls -F does). */
static int cmd_ls(const char *path)
{
	struct dirent **list;
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int n;

	if (dfd < 0) {
		print_errno(errno);
		return 0;
	}
	n = scandir(path, &list, filter_dots, alphasort);
	if (n < 0) {
		print_errno(errno);
		close(dfd);
		return 0;
	}
	fputs("entries=", stdout);
	for (int i = 0; i < n; i++) {
		struct stat st;
		char suffix = 0;
		if (fstatat(dfd, list[i]->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			suffix = type_suffix(st.st_mode);
		printf("%s%s", i ? "," : "", list[i]->d_name);
		if (suffix)
			putchar(suffix);
		free(list[i]);
	}
	putchar('\n');
	free(list);
	close(dfd);
	return 0;
}

static int cmd_stat(const char *path)
{
	struct stat st;
	const char *type;

	if (lstat(path, &st) < 0) {
		print_errno(errno);
		return 0;
	}
	switch (st.st_mode & S_IFMT) {
	case S_IFREG: type = "reg"; break;
	case S_IFDIR: type = "dir"; break;
	case S_IFLNK: type = "lnk"; break;
	case S_IFCHR: type = "chr"; break;
	case S_IFBLK: type = "blk"; break;
	case S_IFIFO: type = "fifo"; break;
	case S_IFSOCK: type = "sock"; break;
	default: type = "?"; break;
	}
	printf("type=%s mode=%04o uid=%u gid=%u rdev=%u:%u size=%lld\n", type,
	       (unsigned)(st.st_mode & 07777), st.st_uid, st.st_gid,
	       major(st.st_rdev), minor(st.st_rdev), (long long)st.st_size);
	return 0;
}

static int cmd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0, self;
	int fds[4096];

	if (!d) {
		print_errno(errno);
		return 1;
	}
	self = dirfd(d);
	while ((e = readdir(d)) != NULL) {
		long v;
		if (parse_long(e->d_name, &v) < 0 || v == self)
			continue;
		if (n < 4096)
			fds[n++] = (int)v;
	}
	closedir(d);
	/* insertion sort: readdir order is not guaranteed */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];
			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	fputs("fds=", stdout);
	for (int i = 0; i < n; i++)
		printf("%s%d", i ? "," : "", fds[i]);
	putchar('\n');
	return 0;
}

static int cmd_mounts(int full)
{
	char line[8192];
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f) {
		print_errno(errno);
		return 1;
	}
	/* id parent major:minor root mountpoint options [optional...] - fstype
	 * source superoptions */
	while (fgets(line, sizeof(line), f)) {
		char *field[6] = {0}, *save = NULL, *tok = strtok_r(line, " \n", &save);
		int i = 0;
		for (; tok && i < 6; i++) {
			field[i] = tok;
			tok = strtok_r(NULL, " \n", &save);
		}
		if (i < 6)
			continue;
		if (!full) {
			printf("%s %s\n", field[4], field[5]);
			continue;
		}
		while (tok && strcmp(tok, "-") != 0)
			tok = strtok_r(NULL, " \n", &save);
		char *fstype = tok ? strtok_r(NULL, " \n", &save) : NULL;
		char *source = fstype ? strtok_r(NULL, " \n", &save) : NULL;
		char *super = source ? strtok_r(NULL, " \n", &save) : NULL;
		printf("%s %s %s %s %s\n", field[4], field[5],
		       fstype ? fstype : "?", source ? source : "?",
		       super ? super : "?");
	}
	fclose(f);
	return 0;
}

/* ---- syscalls ------------------------------------------------------------ */

static int sys_clone_flags(unsigned long flags)
{
	long r = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	int e = errno;
	if (r > 0) {
		waitpid((pid_t)r, NULL, 0);
		r = 0; /* the child pid is not interesting */
	}
	print_ret(r, e);
	return 0;
}

static int sys_clone_plain(void)
{
	long r = syscall(SYS_clone, (unsigned long)SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	int e = errno;
	if (r > 0) {
		waitpid((pid_t)r, NULL, 0);
		r = 0; /* the child pid is not interesting */
	}
	print_ret(r, e);
	return 0;
}

static int sys_clone3(void)
{
	/* struct clone_args is 88 bytes (CLONE_ARGS_SIZE_VER2).  Zeroed it is
	 * a plain fork without exit signal, so handle the child. */
	uint64_t args[11];

	memset(args, 0, sizeof(args));
	long r = syscall(SYS_clone3, args, sizeof(args));
	if (r == 0)
		_exit(0);
	int e = errno;
	if (r > 0) {
		waitpid((pid_t)r, NULL, __WALL);
		r = 0;
	}
	print_ret(r, e);
	return 0;
}

static int sys_unshare(int flags)
{
	/* Only the probe process itself moves; it exits right after. */
	long r = unshare(flags);
	print_ret(r, errno);
	return 0;
}

static int sys_ptrace(void)
{
	long word = 0;
	long r = syscall(SYS_ptrace, PTRACE_PEEKDATA, 1, 0, &word);
	print_ret(r, errno);
	return 0;
}

static int sys_perf_event_open(void)
{
	/* struct perf_event_attr, PERF_ATTR_SIZE_VER0 = 64 bytes:
	 * type PERF_TYPE_SOFTWARE(1), size, config PERF_COUNT_SW_DUMMY(9). */
	struct {
		uint32_t type, size;
		uint64_t config;
		uint64_t rest[6];
	} attr;
	memset(&attr, 0, sizeof(attr));
	attr.type = 1;
	attr.size = sizeof(attr);
	attr.config = 9;
	long r = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	int e = errno;
	if (r >= 0)
		close((int)r);
	print_ret(r, e);
	return 0;
}

static int sys_bpf(void)
{
	/* BPF_MAP_CREATE with map_type 0 (UNSPEC): EINVAL when allowed. */
	uint32_t attr[32];

	memset(attr, 0, sizeof(attr));
	long r = syscall(SYS_bpf, 0, attr, sizeof(attr));
	int e = errno;
	if (r >= 0)
		close((int)r);
	print_ret(r, e);
	return 0;
}

static int sys_socket(int domain, int type, int proto)
{
	int fd = socket(domain, type | SOCK_CLOEXEC, proto);
	int e = errno;

	if (fd >= 0) {
		close(fd);
		fd = 0;
	}
	print_ret(fd, e);
	return 0;
}

static int sys_fd_returning(long r, int e)
{
	if (r >= 0) {
		close((int)r);
		r = 0;
	}
	print_ret(r, e);
	return 0;
}

static int cmd_syscall(const char *name)
{
	long r;
	const char *bogus = "/nonexistent-ward-probe/x";

	if (!strcmp(name, "getpid")) {
		r = syscall(SYS_getpid);
	} else if (!strcmp(name, "read") || !strcmp(name, "write")) {
		/* fd -1: EBADF when allowed */
		r = syscall(name[0] == 'r' ? SYS_read : SYS_write, -1, NULL, 0);
	} else if (!strcmp(name, "chroot-bogus")) {
		r = chroot(bogus); /* the path is looked up first: ENOENT */
	} else if (!strcmp(name, "personality-rie")) {
		/* READ_IMPLIES_EXEC: only the probe's own, which exits */
		r = syscall(SYS_personality, 0x0400000UL);
	} else if (!strcmp(name, "mbind")) {
		/* no range, MPOL_DEFAULT: 0 when allowed */
		r = syscall(SYS_mbind, 0, 0, 0, NULL, 0, 0);
	} else if (!strcmp(name, "userfaultfd-user")) {
		/* UFFD_USER_MODE_ONLY (1): allowed without privilege */
		r = syscall(SYS_userfaultfd, O_CLOEXEC | 1);
		return sys_fd_returning(r, errno);
	} else if (!strcmp(name, "socket-vsock")) {
		return sys_socket(40 /* AF_VSOCK */, SOCK_STREAM, 0);
	} else if (!strcmp(name, "socket-alg")) {
		return sys_socket(38 /* AF_ALG */, SOCK_SEQPACKET, 0);
	} else if (!strcmp(name, "socket-audit")) {
		return sys_socket(AF_NETLINK, SOCK_RAW, 9 /* NETLINK_AUDIT */);
	} else if (!strcmp(name, "mount")) {
		r = mount("none", bogus, "tmpfs", 0, NULL);
	} else if (!strcmp(name, "umount2") || !strcmp(name, "umount")) {
		r = umount2(bogus, 0);
	} else if (!strcmp(name, "pivot_root")) {
		r = syscall(SYS_pivot_root, bogus, bogus);
	} else if (!strcmp(name, "chroot")) {
		r = chroot("/");
	} else if (!strcmp(name, "unshare-user")) {
		return sys_unshare(CLONE_NEWUSER);
	} else if (!strcmp(name, "unshare-net")) {
		return sys_unshare(CLONE_NEWNET);
	} else if (!strcmp(name, "unshare-ns")) {
		return sys_unshare(CLONE_NEWNS);
	} else if (!strcmp(name, "clone-newns")) {
		return sys_clone_flags(CLONE_NEWNS);
	} else if (!strcmp(name, "clone-newuser")) {
		return sys_clone_flags(CLONE_NEWUSER);
	} else if (!strcmp(name, "clone-plain") || !strcmp(name, "fork")) {
		return sys_clone_plain();
	} else if (!strcmp(name, "clone3")) {
		return sys_clone3();
	} else if (!strcmp(name, "setns")) {
		r = setns(-1, 0);
	} else if (!strcmp(name, "keyctl")) {
		/* KEYCTL_GET_KEYRING_ID(KEY_SPEC_SESSION_KEYRING, create=0) */
		r = syscall(SYS_keyctl, 0, -3, 0);
	} else if (!strcmp(name, "add_key")) {
		/* unknown key type: ENODEV when allowed */
		r = syscall(SYS_add_key, "ward_probe_bogus", "d", NULL, 0, -2);
	} else if (!strcmp(name, "request_key")) {
		r = syscall(SYS_request_key, "ward_probe_bogus", "d", NULL, 0);
	} else if (!strcmp(name, "bpf")) {
		return sys_bpf();
	} else if (!strcmp(name, "perf_event_open")) {
		return sys_perf_event_open();
	} else if (!strcmp(name, "userfaultfd")) {
		r = syscall(SYS_userfaultfd, O_CLOEXEC);
		return sys_fd_returning(r, errno);
	} else if (!strcmp(name, "io_uring_setup")) {
		/* zero entries: EINVAL when allowed */
		uint32_t params[30];
		memset(params, 0, sizeof(params));
		r = syscall(SYS_io_uring_setup, 0, params);
		return sys_fd_returning(r, errno);
	} else if (!strcmp(name, "ptrace")) {
		return sys_ptrace();
	} else if (!strcmp(name, "kexec_load")) {
		/* too many segments and an unknown flag: EINVAL when allowed */
		r = syscall(SYS_kexec_load, 0, 1000, NULL, 0x8000UL);
	} else if (!strcmp(name, "init_module")) {
		r = syscall(SYS_init_module, NULL, 0, "");
	} else if (!strcmp(name, "finit_module")) {
		r = syscall(SYS_finit_module, -1, "", 0);
	} else if (!strcmp(name, "reboot")) {
		/* invalid magic: EINVAL when allowed */
		r = syscall(SYS_reboot, 0, 0, 0x4321fedc, NULL);
	} else if (!strcmp(name, "swapon")) {
		r = syscall(SYS_swapon, bogus, 0);
	} else if (!strcmp(name, "swapoff")) {
		r = syscall(SYS_swapoff, bogus);
	} else if (!strcmp(name, "acct")) {
		/* a bogus file, not NULL: acct(NULL) would switch off host
		 * process accounting if it were allowed */
		r = syscall(SYS_acct, bogus);
	} else if (!strcmp(name, "clock_settime")) {
		struct timespec ts = {0, 0};
		r = syscall(SYS_clock_settime, 0x7fffffff, &ts);
	} else if (!strcmp(name, "settimeofday")) {
		r = syscall(SYS_settimeofday, NULL, NULL); /* no-op if allowed */
	} else if (!strcmp(name, "personality")) {
		r = syscall(SYS_personality, 0xffffffffUL);
	} else if (!strcmp(name, "tiocsti")) {
		/* fd -1: EBADF when allowed, so nothing is ever injected */
		r = syscall(SYS_ioctl, -1, (unsigned long)TIOCSTI, "x");
	} else if (!strcmp(name, "tiocsti-hi")) {
		/* the kernel truncates cmd to 32 bits; a filter comparing all
		 * 64 bits misses this (the CVE-2017-5226 filter bug class) */
		r = syscall(SYS_ioctl, -1, (unsigned long)TIOCSTI | (1UL << 32),
			    "x");
	} else if (!strcmp(name, "tioclinux")) {
		r = syscall(SYS_ioctl, -1, (unsigned long)TIOCLINUX, "x");
	} else if (!strcmp(name, "socket-packet")) {
		return sys_socket(AF_PACKET, SOCK_RAW, 0);
	} else if (!strcmp(name, "socket-inet")) {
		return sys_socket(AF_INET, SOCK_STREAM, 0);
	} else if (!strcmp(name, "socket-inet6")) {
		return sys_socket(AF_INET6, SOCK_STREAM, 0);
	} else if (!strcmp(name, "socket-unix")) {
		return sys_socket(AF_UNIX, SOCK_STREAM, 0);
	} else if (!strcmp(name, "socket-netlink")) {
		return sys_socket(AF_NETLINK, SOCK_RAW, 0);
	} else if (!strcmp(name, "fsopen")) {
		r = syscall(SYS_fsopen, "ward_probe_bogus", 0);
		return sys_fd_returning(r, errno);
	} else if (!strcmp(name, "open_tree")) {
		r = syscall(SYS_open_tree, -1, bogus, 0);
		return sys_fd_returning(r, errno);
	} else if (!strcmp(name, "open_by_handle_at")) {
		r = syscall(SYS_open_by_handle_at, -1, NULL, 0);
	} else {
		fprintf(stderr, "probe: unknown syscall probe '%s'\n", name);
		return 2;
	}
	print_ret(r, errno);
	return 0;
}

/* ---- environment --------------------------------------------------------- */

static int cmd_hostname(void)
{
	struct utsname u;

	if (uname(&u) < 0)
		return 1;
	printf("hostname=%s\n", u.nodename);
	return 0;
}

static void print_flags(short fl)
{
	static const struct name_num flags[] = {
		{"UP", IFF_UP}, {"BROADCAST", IFF_BROADCAST},
		{"DEBUG", IFF_DEBUG}, {"LOOPBACK", IFF_LOOPBACK},
		{"POINTOPOINT", IFF_POINTOPOINT}, {"NOTRAILERS", IFF_NOTRAILERS},
		{"RUNNING", IFF_RUNNING}, {"NOARP", IFF_NOARP},
		{"PROMISC", IFF_PROMISC}, {"ALLMULTI", IFF_ALLMULTI},
		{"MASTER", IFF_MASTER}, {"SLAVE", IFF_SLAVE},
		{"MULTICAST", IFF_MULTICAST}, {"PORTSEL", IFF_PORTSEL},
		{"AUTOMEDIA", IFF_AUTOMEDIA}, {"DYNAMIC", IFF_DYNAMIC},
	};
	int first = 1;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (fl & flags[i].num) {
			printf("%s%s", first ? "" : ",", flags[i].name);
			first = 0;
		}
}

static void copy_name(char *dst, size_t size, const char *src)
{
	size_t l = strnlen(src, size - 1);

	memcpy(dst, src, l);
	dst[l] = 0;
}

/* Interface names from /proc/net/dev, for when netlink is unavailable. */
static int netifs_from_proc(char names[][IF_NAMESIZE + 1], int max)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/net/dev", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n < max) {
		char *colon = strchr(line, ':');
		if (!colon || strchr(line, '|'))
			continue;
		*colon = 0;
		char *p = line;
		while (*p == ' ')
			p++;
		copy_name(names[n++], IF_NAMESIZE + 1, p);
	}
	fclose(f);
	return n;
}

static int cmd_netifs(void)
{
	char names[256][IF_NAMESIZE + 1];
	int n = 0;
	struct if_nameindex *ni = if_nameindex();

	if (ni) {
		for (struct if_nameindex *p = ni; p->if_name && n < 256; p++)
			copy_name(names[n++], IF_NAMESIZE + 1, p->if_name);
		if_freenameindex(ni);
	} else {
		n = netifs_from_proc(names, 256);
		if (n < 0) {
			print_errno(errno);
			return 1;
		}
	}
	if (n == 0) {
		puts("none");
		return 0;
	}
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (int i = 0; i < n; i++) {
		struct ifreq ifr;
		memset(&ifr, 0, sizeof(ifr));
		copy_name(ifr.ifr_name, IF_NAMESIZE, names[i]);
		printf("%s%s:", i ? " " : "", names[i]);
		if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
			char buf[16];
			printf("?%s", errno_name(errno, buf, sizeof(buf)));
			continue;
		}
		print_flags(ifr.ifr_flags);
	}
	putchar('\n');
	if (s >= 0)
		close(s);
	return 0;
}

static int cmd_cwd(void)
{
	char buf[4096];

	if (!getcwd(buf, sizeof(buf))) {
		print_errno(errno);
		return 1;
	}
	printf("cwd=%s\n", buf);
	return 0;
}

static int cmd_env(void)
{
	extern char **environ;

	for (char **e = environ; e && *e; e++)
		puts(*e);
	return 0;
}

static int cmd_pid(void)
{
	printf("pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
	return 0;
}

static int cmd_limits(void)
{
	/* /proc/self/limits names → ward's --rlimit names */
	static const struct {
		const char *proc, *name;
	} map[] = {
		{"Max cpu time", "cpu"}, {"Max file size", "fsize"},
		{"Max data size", "data"}, {"Max stack size", "stack"},
		{"Max core file size", "core"}, {"Max resident set", "rss"},
		{"Max processes", "nproc"}, {"Max open files", "nofile"},
		{"Max locked memory", "memlock"}, {"Max address space", "as"},
		{"Max file locks", "locks"}, {"Max pending signals", "sigpending"},
		{"Max msgqueue size", "msgqueue"}, {"Max nice priority", "nice"},
		{"Max realtime priority", "rtprio"},
		{"Max realtime timeout", "rttime"},
	};
	char line[256];
	FILE *f = fopen("/proc/self/limits", "re");

	if (!f) {
		print_errno(errno);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			size_t l = strlen(map[i].proc);
			char soft[32], hard[32];
			if (strncmp(line, map[i].proc, l) || line[l] != ' ')
				continue;
			if (sscanf(line + l, " %31s %31s", soft, hard) == 2)
				printf("%s=%s:%s\n", map[i].name, soft, hard);
			break;
		}
	}
	fclose(f);
	return 0;
}

/* ---- network ------------------------------------------------------------- */

static int cmd_connect_unix(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 2;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		print_errno(errno);
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		print_errno(errno);
	else
		puts("ok");
	close(fd);
	return 0;
}

/* connect(2) to the abstract unix address NAME (no file: the address is
 * a NUL byte and NAME, of exactly that length). */
static int cmd_connect_abstract(const char *name)
{
	struct sockaddr_un sa;
	size_t len = strlen(name);
	int fd;

	if (len + 1 > sizeof(sa.sun_path))
		return 2;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		print_errno(errno);
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path + 1, name, len);
	if (connect(fd, (struct sockaddr *)&sa,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len)) < 0)
		print_errno(errno);
	else
		puts("ok");
	close(fd);
	return 0;
}

/* Create a unix socket file at PATH (bound, then closed: nobody listens,
 * so a later connect gives ECONNREFUSED rather than ENOENT). */
static int cmd_mksock(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 2;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		print_errno(errno);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		print_errno(errno);
		close(fd);
		return 1;
	}
	close(fd);
	puts("ok");
	return 0;
}

static int cmd_listen_unix(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 2;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 16) < 0) {
		print_errno(errno);
		return 1;
	}
	puts("listening");
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_bind_tcp(const char *port_s)
{
	long port;
	struct sockaddr_in sa;
	int one = 1;

	if (parse_long(port_s, &port) < 0 || port < 0 || port > 65535)
		return 2;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		print_errno(errno);
		return 0;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0)
		print_errno(errno);
	else
		puts("ok");
	close(fd);
	return 0;
}

/* connect(2) to 127.0.0.1:PORT: "ok", or the errno (ECONNREFUSED means
 * the kernel let the connection attempt through). */
static int cmd_connect_tcp(const char *port_s)
{
	long port;
	struct sockaddr_in sa;

	if (parse_long(port_s, &port) < 0 || port < 1 || port > 65535)
		return 2;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		print_errno(errno);
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		print_errno(errno);
	else
		puts("ok");
	close(fd);
	return 0;
}

/* An inherited socket FD reused to reach 127.0.0.1:PORT of the network
 * it belongs to.  A listening socket cannot connect (EINVAL), but the
 * connections it accepts can: the first one is accepted, dissolved with
 * connect(AF_UNSPEC), then connected again with connect(2) or (HOW
 * "fastopen") sendto(MSG_FASTOPEN).  Prints "unspec=RESULT
 * connect=RESULT", each "ok" or the errno. */
static int cmd_reuse_fd(const char *fd_s, const char *port_s, const char *how)
{
	int listening = 0;
	socklen_t ll = sizeof(listening);

	struct sockaddr_storage ss;
	struct sockaddr sa_unspec = {.sa_family = AF_UNSPEC};
	socklen_t len = sizeof(ss);
	long fd, port;
	int u, c, ue = 0, ce = 0;
	char b1[16], b2[16];

	if (parse_long(fd_s, &fd) < 0 || parse_long(port_s, &port) < 0 ||
	    port < 1 || port > 65535)
		return 2;
	if (getsockopt((int)fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ll) == 0 &&
	    listening && (fd = accept((int)fd, NULL, NULL)) < 0) {
		print_errno(errno);
		return 0;
	}
	if (getsockname((int)fd, (struct sockaddr *)&ss, &len) < 0) {
		print_errno(errno);
		return 0;
	}
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_port = htons((uint16_t)port);
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6->sin6_addr);
		len = sizeof(*in6);
	}
	u = connect((int)fd, &sa_unspec, sizeof(sa_unspec));
	if (u < 0)
		ue = errno;
	if (how && strcmp(how, "fastopen") == 0)
		c = (int)sendto((int)fd, "x", 1, MSG_FASTOPEN | MSG_NOSIGNAL,
				(struct sockaddr *)&ss, len);
	else
		c = connect((int)fd, (struct sockaddr *)&ss, len);
	if (c < 0)
		ce = errno;
	printf("unspec=%s%s connect=%s%s\n", u < 0 ? "errno=" : "ok",
	       u < 0 ? errno_name(ue, b1, sizeof(b1)) : "", c < 0 ? "errno=" : "ok",
	       c < 0 ? errno_name(ce, b2, sizeof(b2)) : "");
	return 0;
}

/* ---- processes and signals ----------------------------------------------- */

static int cmd_kill_self(const char *sig_s)
{
	int sig = parse_signal(sig_s);
	sigset_t set;

	if (sig < 0)
		return 2;
	fflush(stdout);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* Still alive: the signal was ignored (e.g. the probe is pid 1 of its
	 * namespace, which the kernel protects from its own signals). */
	printf("survived signal=%d\n", sig);
	return 3;
}

static int spawn_zombies(long n)
{
	fflush(stdout);
	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		if (p < 0) {
			print_errno(errno);
			return 1;
		}
		if (p == 0)
			_exit(0);
	}
	return 0;
}

/* Count processes in state Z (other than ourselves), waiting up to @ms for
 * the count to drop to zero. */
static int count_zombies(int ms)
{
	int n = 0;

	for (int waited = 0;; waited += 50) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		n = 0;
		if (!d)
			return -1;
		while ((e = readdir(d)) != NULL) {
			char path[300], buf[512];
			long pid;
			if (parse_long(e->d_name, &pid) < 0 || pid == getpid())
				continue;
			snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			ssize_t r = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (r <= 0)
				continue;
			buf[r] = 0;
			char *rp = strrchr(buf, ')'); /* comm may hold spaces */
			if (rp && rp[1] == ' ' && rp[2] == 'Z')
				n++;
		}
		closedir(d);
		if (n == 0 || waited >= ms)
			return n;
		usleep(50 * 1000);
	}
}

static int cmd_zombies(const char *n_s)
{
	long n;

	if (parse_long(n_s, &n) < 0 || n < 0 || n > 1000)
		return 2;
	/* let the children die, then exit without waiting for them: they are
	 * re-parented to the namespace's pid 1, which must reap them */
	if (spawn_zombies(n))
		return 1;
	usleep(100 * 1000);
	printf("spawned=%ld\n", n);
	return 0;
}

static int cmd_zombie_check(void)
{
	int n = count_zombies(2000);

	if (n < 0) {
		print_errno(errno);
		return 1;
	}
	printf("zombies=%d\n", n);
	return 0;
}

/* Self-contained variant: a child spawns N short-lived grandchildren and
 * exits, so the grandchildren become orphan zombies for pid 1; then count. */
static int cmd_zombie_test(const char *n_s)
{
	long n;
	pid_t c;

	if (parse_long(n_s, &n) < 0 || n < 0 || n > 1000)
		return 2;
	fflush(stdout);
	c = fork();
	if (c < 0)
		return 1;
	if (c == 0) {
		if (spawn_zombies(n))
			_exit(1);
		usleep(100 * 1000);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return cmd_zombie_check();
}

static int cmd_orphan_sleep(const char *secs_s)
{
	long secs;
	pid_t c;

	if (parse_long(secs_s, &secs) < 0 || secs < 0)
		return 2;
	fflush(stdout);
	c = fork();
	if (c < 0)
		return 1;
	if (c == 0) {
		/* Escape the process group and ignore the polite signals: only
		 * the end of the pid namespace (or SIGKILL) can stop it. */
		setsid();
		signal(SIGHUP, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		prctl(PR_SET_NAME, "ward-sleeper", 0, 0, 0);
		printf("sleeper=%d\n", (int)getpid());
		fflush(stdout);
		struct timespec ts = {secs, 0};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	for (;;)
		pause();
}

static int cmd_wait_signal(void)
{
	static const int wanted[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT,
				     SIGUSR1, SIGUSR2, SIGWINCH};
	sigset_t all, set;
	siginfo_t si;
	char buf[16];

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		sigaddset(&set, wanted[i]);
	puts("ready");
	fflush(stdout);
	for (;;) {
		int s = sigwaitinfo(&set, &si);
		if (s < 0) {
			if (errno == EINTR)
				continue;
			print_errno(errno);
			return 1;
		}
		printf("signal=%s\n", signal_name(s, buf, sizeof(buf)));
		return 0;
	}
}

static int cmd_sleep(const char *secs_s)
{
	long secs;

	if (parse_long(secs_s, &secs) < 0 || secs < 0)
		return 2;
	sleep((unsigned)secs);
	return 0;
}

/* ---- dispatch ------------------------------------------------------------ */

static int cmd_exit(const char *n_s)
{
	long n;

	if (parse_long(n_s, &n) < 0)
		return usage();
	fflush(stdout);
	_exit((int)n);
}

static int cmd_reuse_fd_argv(char **a)
{
	return cmd_reuse_fd(a[0], a[1], a[2]);
}

static int cmd_write_argv(char **a)
{
	return cmd_write(a[0], a[1]);
}

#define ARG0(fn) static int fn##_argv(char **a) { (void)a; return fn(); }
#define ARG1(fn) static int fn##_argv(char **a) { return fn(a[0]); }
ARG0(cmd_id) ARG0(cmd_status) ARG0(cmd_caps) ARG0(cmd_nnp)
ARG0(cmd_seccomp_mode) ARG0(cmd_fds) ARG0(cmd_hostname) ARG0(cmd_netifs)
ARG0(cmd_cwd) ARG0(cmd_env) ARG0(cmd_pid) ARG0(cmd_limits)
ARG0(cmd_zombie_check) ARG0(cmd_wait_signal)
ARG1(cmd_read) ARG1(cmd_cat) ARG1(cmd_ls) ARG1(cmd_stat) ARG1(cmd_syscall)
ARG1(cmd_exit) ARG1(cmd_kill_self) ARG1(cmd_zombies) ARG1(cmd_zombie_test)
ARG1(cmd_orphan_sleep) ARG1(cmd_connect_unix) ARG1(cmd_bind_tcp)
ARG1(cmd_connect_tcp) ARG1(cmd_connect_abstract)
ARG1(cmd_mksock) ARG1(cmd_listen_unix)
ARG1(cmd_sleep)
#undef ARG0
#undef ARG1

static int cmd_mounts_argv(char **a)
{
	(void)a;
	return cmd_mounts(0);
}

static int cmd_mounts_full_argv(char **a)
{
	(void)a;
	return cmd_mounts(1);
}

static const struct {
	const char *name;
	int nargs; /* required arguments */
	int (*fn)(char **args);
} commands[] = {
	{"id", 0, cmd_id_argv},
	{"status", 0, cmd_status_argv},
	{"caps", 0, cmd_caps_argv},
	{"nnp", 0, cmd_nnp_argv},
	{"seccomp-mode", 0, cmd_seccomp_mode_argv},
	{"write", 1, cmd_write_argv},
	{"read", 1, cmd_read_argv},
	{"cat", 1, cmd_cat_argv},
	{"ls", 1, cmd_ls_argv},
	{"stat", 1, cmd_stat_argv},
	{"syscall", 1, cmd_syscall_argv},
	{"seccomp-try", 1, cmd_syscall_argv},
	{"fds", 0, cmd_fds_argv},
	{"hostname", 0, cmd_hostname_argv},
	{"netifs", 0, cmd_netifs_argv},
	{"cwd", 0, cmd_cwd_argv},
	{"env", 0, cmd_env_argv},
	{"pid", 0, cmd_pid_argv},
	{"mounts", 0, cmd_mounts_argv},
	{"mounts-full", 0, cmd_mounts_full_argv},
	{"limits", 0, cmd_limits_argv},
	{"exit", 1, cmd_exit_argv},
	{"kill-self", 1, cmd_kill_self_argv},
	{"zombies", 1, cmd_zombies_argv},
	{"zombie-check", 0, cmd_zombie_check_argv},
	{"zombie-test", 1, cmd_zombie_test_argv},
	{"orphan-sleep", 1, cmd_orphan_sleep_argv},
	{"wait-signal", 0, cmd_wait_signal_argv},
	{"connect-unix", 1, cmd_connect_unix_argv},
	{"connect-abstract", 1, cmd_connect_abstract_argv},
	{"bind-tcp", 1, cmd_bind_tcp_argv},
	{"connect-tcp", 1, cmd_connect_tcp_argv},
	{"mksock", 1, cmd_mksock_argv},
	{"reuse-fd", 2, cmd_reuse_fd_argv},
	{"listen-unix", 1, cmd_listen_unix_argv},
	{"sleep", 1, cmd_sleep_argv},
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (argc - 2 < commands[i].nargs)
			return usage();
		return commands[i].fn(argv + 2);
	}
	return usage();
}
