/* Pure helpers: numbers, sizes, paths. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int ward_parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end = NULL;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || v > UINT32_MAX)
		return -ERANGE;
	if (*end != '\0')
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int ward_parse_size(const char *s, uint64_t *out)
{
	unsigned long long v, mult = 1;
	char *end = NULL;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': mult = 1ULL << 10; end++; break;
	case 'm': case 'M': mult = 1ULL << 20; end++; break;
	case 'g': case 'G': mult = 1ULL << 30; end++; break;
	default: return -EINVAL;
	}
	if (*end != '\0')
		return -EINVAL;
	if (__builtin_mul_overflow(v, mult, &v))
		return -ERANGE;
	*out = v;
	return 0;
}

int ward_path_normalize(const char *in, char *out, size_t len)
{
	size_t o = 0;
	const char *p = in;

	if (!in || in[0] != '/' || len < 2)
		return -EINVAL;
	while (*p) {
		const char *start;
		size_t n;

		while (*p == '/')
			p++;
		start = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - start);
		if (n == 0 || (n == 1 && start[0] == '.'))
			continue;
		if (n == 2 && start[0] == '.' && start[1] == '.')
			return -EINVAL;
		if (o + 1 + n + 1 > len)
			return -ENAMETOOLONG;
		out[o++] = '/';
		memcpy(out + o, start, n);
		o += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

bool ward_path_is_beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* @path with its longest existing prefix resolved (realpath), the rest
 * appended as written: a directory that may not exist yet, spelled as
 * the kernel will see it once it does.  false when nothing resolves. */
static bool resolve_existing(const char *path, char *out)
{
	char head[PATH_MAX], real[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(head))
		return false;
	memcpy(head, path, n + 1);
	for (;;) {
		char *slash;

		if (realpath(*head ? head : "/", real))
			break;
		if (errno != ENOENT || !(slash = strrchr(head, '/')))
			return false;
		*slash = '\0';
	}
	if (snprintf(out, PATH_MAX, "%s%s", strcmp(real, "/") ? real : "",
		     path + strlen(head)) >= PATH_MAX)
		return false;
	if (!*out)
		strcpy(out, "/");
	return true;
}

bool ward_path_overlaps_dir(const char *path, const char *dir)
{
	char real[PATH_MAX];

	/* Unresolvable: compare both spellings rather than none. */
	if (!resolve_existing(dir, real))
		snprintf(real, sizeof(real), "%s", dir);
	return ward_path_is_beneath(real, path) || ward_path_is_beneath(path, real) ||
	       ward_path_is_beneath(dir, path) || ward_path_is_beneath(path, dir);
}

int ward_split_colon(char *buf, char **fields, int max)
{
	int n = 0;
	char *p = buf;

	fields[n++] = p;
	for (; *p; p++) {
		if (*p != ':')
			continue;
		if (n == max)
			return -EINVAL;
		*p = '\0';
		fields[n++] = p + 1;
	}
	return n;
}

bool ward_env_name_valid(const char *s, size_t n)
{
	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static const struct {
	const char *name;
	int sig;
} signal_names[] = {
	{"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"ILL", SIGILL},
	{"TRAP", SIGTRAP}, {"ABRT", SIGABRT}, {"IOT", SIGIOT}, {"BUS", SIGBUS},
	{"FPE", SIGFPE}, {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
	{"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
	{"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},
	{"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
	{"URG", SIGURG}, {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
	{"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
	{"IO", SIGIO}, {"POLL", SIGPOLL}, {"PWR", SIGPWR}, {"SYS", SIGSYS},
};

/* "RTMIN+N" and "RTMAX-N" (N may be absent). */
static int parse_rt(const char *s)
{
	bool min = strncmp(s, "RTMIN", 5) == 0;
	uint32_t n = 0;
	int sig;

	if (!min && strncmp(s, "RTMAX", 5) != 0)
		return -EINVAL;
	s += 5;
	if (*s && (*s != (min ? '+' : '-') || ward_parse_u32(s + 1, &n) < 0))
		return -EINVAL;
	if (n > (uint32_t)(SIGRTMAX - SIGRTMIN))
		return -EINVAL;
	sig = min ? SIGRTMIN + (int)n : SIGRTMAX - (int)n;
	return sig;
}

int ward_signal_parse(const char *s)
{
	char up[16];
	size_t i;
	uint32_t n;

	if (!s || !*s)
		return -EINVAL;
	if (ward_parse_u32(s, &n) == 0)
		return n >= 1 && n <= (uint32_t)SIGRTMAX ? (int)n : -EINVAL;
	for (i = 0; s[i] && i < sizeof(up) - 1; i++)
		up[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
	if (s[i])
		return -EINVAL;
	up[i] = '\0';
	s = strncmp(up, "SIG", 3) == 0 ? up + 3 : up;
	for (i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
		if (strcmp(s, signal_names[i].name) == 0)
			return signal_names[i].sig;
	return parse_rt(s);
}

void ward_signal_name(int sig, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
		if (signal_names[i].sig == sig) {
			snprintf(buf, len, "SIG%s", signal_names[i].name);
			return;
		}
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, len, "signal %d", sig);
}
