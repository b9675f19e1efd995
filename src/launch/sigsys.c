/* Naming the syscall behind a SIGSYS death.  A SECCOMP_RET_KILL_PROCESS
 * makes the kernel log an audit record (type=1326 ... pid=N ... sig=31
 * arch=c000003e syscall=101 ...; through printk when no audit daemon
 * takes it, see kernel.seccomp.actions_logged).  Reading the syscall
 * back from /proc/<pid>/syscall after the death gives nothing (-1), and
 * SECCOMP_RET_TRAP would let the program catch the signal; the log is
 * the one witness.  Unprivileged callers usually cannot read it
 * (kernel.dmesg_restrict): they get a hint instead. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/audit.h>
#include "seccomp/libseccomp_dl.h"

#include "launch/sigsys.h"
#include "seccomp/learn.h"

#define AUDIT_SECCOMP_TYPE "type=1326 "
/* kauditd prints asynchronously: wait this long for the record. */
#define WAIT_STEPS 25
#define WAIT_STEP_NS (20 * 1000 * 1000)

void ward_sigsys_watch_start(struct ward_sigsys_watch *w,
			     const struct ward_plan *plan)
{
	*w = (struct ward_sigsys_watch)WARD_SIGSYS_WATCH_INIT;
	w->active = plan->seccomp_mode != WARD_SECCOMP_OFF &&
		    !plan->seccomp_learn;
	if (!w->active)
		return;
	/* Non-blocking: a read past the last record answers EAGAIN. */
	w->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->kmsg >= 0 && lseek(w->kmsg, 0, SEEK_END) < 0) {
		close(w->kmsg);
		w->kmsg = -1;
	}
}

/* The first pid in /proc/<pid>/task/<pid>/children, or 0. */
static pid_t first_child(pid_t pid)
{
	char path[64], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
		 (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (pid_t)strtol(buf, NULL, 10);
}

void ward_sigsys_watch_exec(struct ward_sigsys_watch *w,
			    const struct ward_plan *plan, pid_t child)
{
	const char *base = strrchr(plan->argv[0], '/');

	w->pids[0] = child;
	w->pids[1] = plan->own_init ? child : first_child(child);
	/* comm: the executed file's name, cut to 15 bytes by the kernel */
	snprintf(w->comm, sizeof(w->comm), "%s", base ? base + 1 : plan->argv[0]);
}

/* A program that dies at once can be reaped before its pid is read: then
 * a record counts when it names the program (comm="NAME") and a pid
 * above the sandbox's first one (pids only grow until they wrap). */
static bool same_program(const struct ward_sigsys_watch *w, const char *rec,
			 unsigned long pid)
{
	char pat[32];

	if (w->pids[1] > 0 || !w->comm[0] || pid <= (unsigned long)w->pids[0])
		return false;
	snprintf(pat, sizeof(pat), " comm=\"%s\" ", w->comm);
	return strstr(rec, pat) != NULL;
}

/* The unsigned number after " KEY=" in @rec, base @base; false if none. */
static bool field(const char *rec, const char *key, int base,
		  unsigned long *out)
{
	char pat[32];
	const char *p;
	char *end;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(rec, pat);
	if (!p)
		return false;
	p += strlen(pat);
	errno = 0;
	*out = strtoul(p, &end, base);
	return end != p && errno == 0;
}

/* A seccomp kill record of one of @w's pids: its arch and number. */
static bool match(const struct ward_sigsys_watch *w, const char *rec,
		  unsigned long *arch, unsigned long *nr)
{
	unsigned long pid, sig;

	if (!strstr(rec, AUDIT_SECCOMP_TYPE) || !field(rec, "pid", 10, &pid) ||
	    !field(rec, "sig", 10, &sig) || sig != SIGSYS ||
	    !field(rec, "arch", 16, arch) || !field(rec, "syscall", 10, nr))
		return false;
	for (size_t i = 0; i < 2; i++)
		if (w->pids[i] > 0 && pid == (unsigned long)w->pids[i])
			return true;
	return same_program(w, rec, pid);
}

/* Read the records logged since start; true when one matches. */
static bool scan(const struct ward_sigsys_watch *w, unsigned long *arch,
		 unsigned long *nr)
{
	char rec[2048];

	for (;;) {
		ssize_t n = read(w->kmsg, rec, sizeof(rec) - 1);

		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue; /* EPIPE: records overwritten; go on */
		if (n <= 0)
			return false;
		rec[n] = '\0';
		if (match(w, rec, arch, nr))
			return true;
	}
}

static void say(unsigned long arch, unsigned long nr)
{
	char *name = seccomp_syscall_resolve_num_arch((uint32_t)arch, (int)nr);

	if (arch == AUDIT_ARCH_X86_64 || arch == SCMP_ARCH_NATIVE)
		fprintf(stderr, "ward: seccomp: the program was killed for "
			"calling %s (%lu), which the filter denies\n",
			name ? name : "an unknown syscall", nr);
	else
		fprintf(stderr, "ward: seccomp: the program was killed for "
			"calling %s (%lu) of another architecture (audit arch "
			"0x%lx): ward's filters kill every non-native "
			"syscall\n", name ? name : "a syscall", nr, arch);
	free(name);
}

void ward_sigsys_watch_report(struct ward_sigsys_watch *w, int exit_code)
{
	const struct timespec step = {0, WAIT_STEP_NS};
	unsigned long arch = 0, nr = 0;
	bool found = false;

	if (!w->active || exit_code != 128 + SIGSYS)
		return;
	for (int i = 0; w->kmsg >= 0 && !found && i < WAIT_STEPS; i++) {
		found = scan(w, &arch, &nr);
		if (!found)
			nanosleep(&step, NULL);
	}
	/* 159 is also a plain exit status, and SIGSYS also comes from
	 * SECCOMP_RET_TRAP or kill(2): only the log record is proof. */
	if (found)
		say(arch, nr);
	else if (w->kmsg < 0)
		fprintf(stderr, "ward: seccomp: exit status 159 is 128+SIGSYS: "
			"if the filter killed the program, the kernel log that "
			"names the syscall is not readable here; ward seccomp "
			"learn shows which syscalls it uses\n");
	else
		fprintf(stderr, "ward: seccomp: exit status 159 is 128+SIGSYS, "
			"but the kernel log has no seccomp kill of the program "
			"(a trap action, kill -SYS, its own exit status, or a record "
			"the kernel's printk rate limit dropped)\n");
}

void ward_sigsys_watch_close(struct ward_sigsys_watch *w)
{
	if (w->kmsg >= 0)
		close(w->kmsg);
	w->kmsg = -1;
}
