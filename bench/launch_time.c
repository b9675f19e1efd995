/* launch_time: wall-clock launch cost of several commands, interleaved.
 *
 * usage: launch_time [-n RUNS] [-w WARMUP] [-s SEED] [-o RAW.tsv]
 *                    [-b LABEL[=HEADER]] [-u LABEL[=HEADER]] [-U UID:GID]
 *                    [-m TABLE.md] SPEC...
 * SPEC is "LABEL|ARG0 ARG1 ..." (arguments split on spaces, no quoting),
 * optionally "LABEL>FLOOR_LABEL|..." to name the row's floor reference.
 * Leading NAME=VALUE words are added to that command's environment.
 * "LABEL|!REASON" is a row that is not run; the table says REASON.
 *
 * Each round runs every command once, in a freshly shuffled order, so
 * drift (frequency, page cache, other load) affects all of them equally.
 * One launch = clock_gettime(MONOTONIC), posix_spawn (vfork-style),
 * waitpid, clock_gettime.  stdout goes to /dev/null, stderr is kept.  A
 * nonzero exit makes the tool fail (a benchmark of a failing launch is
 * worthless).  Prints a table: label, median, p90, min, max (ms), and the
 * ratio of the median to two reference rows (-b, default "bwrap"; -u,
 * default "unshare"; HEADER names the column) and to the row's floor,
 * and the peak RSS: the median over the launches of wait4's ru_maxrss,
 * the largest peak of any process in the launched tree that was reaped
 * inside it (the launcher itself, its helpers, the sandbox's init and
 * the program).  -m appends the same table in Markdown to TABLE.md;
 * -o writes every launch: round, position, label, ms, peak RSS (kB).
 * -U drops to UID:GID (no supplementary groups) before the first launch,
 * to time unprivileged (rootless) launches without a setpriv exec in
 * each measurement. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_CMDS 32
#define MAX_ARGS 64

struct cmd {
	char *label, *floor;
	char *argv[MAX_ARGS];
	char **envp;
	const char *skip;	/* not run, for this reason */
	double *t, *rss;	/* ms; KiB */
	double med, p90, min, max, rss_med;
};

static struct cmd cmds[MAX_CMDS];
static int ncmds;
static const char *bl_label, *ul_label;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void parse_spec(char *spec)
{
	struct cmd *c = &cmds[ncmds++];
	char *bar = strchr(spec, '|'), *gt, *tok, *save = NULL;
	int n = 0;

	if (ncmds > MAX_CMDS || !bar) {
		fprintf(stderr, "launch_time: bad spec '%s'\n", spec);
		exit(2);
	}
	*bar = '\0';
	c->label = spec;
	if ((gt = strchr(spec, '>'))) {
		*gt = '\0';
		c->floor = gt + 1;
	}
	size_t nenv = 0, nextra = 0;
	char *extra[MAX_ARGS];

	while (environ[nenv])
		nenv++;
	if (bar[1] == '!') {
		c->skip = bar + 2;
		return;
	}
	for (tok = strtok_r(bar + 1, " ", &save); tok && n < MAX_ARGS - 1;
	     tok = strtok_r(NULL, " ", &save)) {
		if (n == 0 && strchr(tok, '=') && tok[0] != '/' && nextra < MAX_ARGS)
			extra[nextra++] = tok;
		else
			c->argv[n++] = tok;
	}
	c->argv[n] = NULL;
	c->envp = calloc(nenv + nextra + 1, sizeof(char *));
	if (!c->envp)
		exit(1);
	memcpy(c->envp, extra, nextra * sizeof(char *));
	memcpy(c->envp + nextra, environ, nenv * sizeof(char *));
	if (n == 0) {
		fprintf(stderr, "launch_time: empty command for %s\n", c->label);
		exit(2);
	}
}

static double run_once(struct cmd *c, double *rss_kib)
{
	struct rusage ru;
	posix_spawn_file_actions_t fa;
	double t0, t1;
	pid_t pid;
	int st, r;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t0 = now_ms();
	r = posix_spawn(&pid, c->argv[0], &fa, NULL, c->argv, c->envp);
	if (r != 0) {
		fprintf(stderr, "launch_time: %s: spawn %s: %s\n", c->label,
			c->argv[0], strerror(r));
		exit(1);
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("wait4");
			exit(1);
		}
	t1 = now_ms();
	posix_spawn_file_actions_destroy(&fa);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "launch_time: %s: exited with status 0x%x\n",
			c->label, st);
		exit(1);
	}
	*rss_kib = (double)ru.ru_maxrss;
	return t1 - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile on sorted data. */
static double pct(const double *v, int n, double p)
{
	int k = (int)(p / 100.0 * n + 0.999999) - 1;

	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return v[k];
}

static double median(const double *v, int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static struct cmd *find(const char *label)
{
	for (int i = 0; label && i < ncmds; i++)
		if (strcmp(cmds[i].label, label) == 0 && !cmds[i].skip)
			return &cmds[i];
	return NULL;
}

static void ratio(FILE *f, const char *fmt, const struct cmd *c,
		  const struct cmd *ref)
{
	char buf[16] = "-";

	if (ref)
		snprintf(buf, sizeof(buf), "%.2f", c->med / ref->med);
	fprintf(f, fmt, buf);
}

static void markdown(FILE *f, const char *bh, const char *uh)
{
	fprintf(f, "| command | median | p90 | min–max | %s | %s | x floor | peak RSS (MiB) |\n"
		"|---|--:|--:|--:|--:|--:|--:|--:|\n", bh, uh);
	for (int i = 0; i < ncmds; i++) {
		struct cmd *c = &cmds[i];

		if (c->skip) {
			fprintf(f, "| %s | not run: %s | | | | | | |\n", c->label,
				c->skip);
			continue;
		}
		fprintf(f, "| %s | %.2f | %.2f | %.2f–%.2f |", c->label, c->med,
			c->p90, c->min, c->max);
		ratio(f, " %s |", c, find(bl_label));
		ratio(f, " %s |", c, find(ul_label));
		ratio(f, " %s |", c, find(c->floor));
		fprintf(f, " %.1f |\n", c->rss_med / 1024);
	}
}

int main(int argc, char **argv)
{
	int runs = 200, warm = 10, opt, order[MAX_CMDS];
	unsigned seed = 1;
	const char *raw = NULL;
	char *bl = "bwrap", *ul = "unshare";
	const char *md = NULL;
	FILE *rf = NULL;

	while ((opt = getopt(argc, argv, "n:w:s:o:b:u:U:m:")) != -1) {
		switch (opt) {
		case 'n': runs = atoi(optarg); break;
		case 'w': warm = atoi(optarg); break;
		case 's': seed = (unsigned)atoi(optarg); break;
		case 'o': raw = optarg; break;
		case 'b': bl = optarg; break;
		case 'u': ul = optarg; break;
		case 'm': md = optarg; break;
		case 'U': {
			unsigned uid, gid;

			if (sscanf(optarg, "%u:%u", &uid, &gid) != 2 ||
			    setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
			    setresuid(uid, uid, uid) < 0) {
				perror("launch_time: -U");
				return 1;
			}
			break;
		}
		default:
			fprintf(stderr, "usage: launch_time [-n RUNS] [-w WARMUP] "
				"[-s SEED] [-o RAW.tsv] [-b LABEL] [-u LABEL] [-U UID:GID] [-m MD] "
				"'LABEL[>FLOOR]|CMD ARG...' ...\n");
			return 2;
		}
	}
	if (runs < 1 || optind >= argc) {
		fprintf(stderr, "launch_time: need RUNS >= 1 and at least one command\n");
		return 2;
	}
	for (int i = optind; i < argc; i++)
		parse_spec(argv[i]);
	for (int i = 0; i < ncmds; i++) {
		cmds[i].t = calloc((size_t)runs, sizeof(double));
		cmds[i].rss = calloc((size_t)runs, sizeof(double));
		if (!cmds[i].t || !cmds[i].rss)
			return 1;
		order[i] = i;
	}
	srand(seed);
	if (raw && !(rf = fopen(raw, "w"))) {
		perror(raw);
		return 1;
	}
	for (int w = 0; w < warm; w++)
		for (int i = 0; i < ncmds; i++)
			if (!cmds[i].skip)
				run_once(&cmds[i], &cmds[i].rss[0]);
	for (int r = 0; r < runs; r++) {
		for (int i = ncmds - 1; i > 0; i--) {
			int j = rand() % (i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		for (int i = 0; i < ncmds; i++) {
			struct cmd *c = &cmds[order[i]];

			if (c->skip)
				continue;
			c->t[r] = run_once(c, &c->rss[r]);
			if (rf)
				fprintf(rf, "%d\t%d\t%s\t%.4f\t%.0f\n", r, i, c->label,
					c->t[r], c->rss[r]);
		}
	}
	if (rf)
		fclose(rf);
	for (int i = 0; i < ncmds; i++) {
		struct cmd *c = &cmds[i];

		if (c->skip)
			continue;
		qsort(c->t, (size_t)runs, sizeof(double), cmp_double);
		qsort(c->rss, (size_t)runs, sizeof(double), cmp_double);
		c->rss_med = median(c->rss, runs);
		c->med = median(c->t, runs);
		c->p90 = pct(c->t, runs, 90);
		c->min = c->t[0];
		c->max = c->t[runs - 1];
	}
	char bh[16] = "x ", uh[16] = "x ";
	char *eq;

	if ((eq = strchr(bl, '='))) {
		*eq = '\0';
		snprintf(bh + 2, sizeof(bh) - 2, "%s", eq + 1);
	} else {
		snprintf(bh + 2, sizeof(bh) - 2, "%s", bl);
	}
	if ((eq = strchr(ul, '='))) {
		*eq = '\0';
		snprintf(uh + 2, sizeof(uh) - 2, "%s", eq + 1);
	} else {
		snprintf(uh + 2, sizeof(uh) - 2, "%s", ul);
	}
	bl_label = bl;
	ul_label = ul;
	printf("%d interleaved launches each (%d warm-up rounds discarded), times in ms\n\n",
	       runs, warm);
	printf("%-28s %8s %8s %8s %8s %9.9s %9.9s %9s %7s\n", "command", "median",
	       "p90", "min", "max", bh, uh, "x floor", "RSS MiB");
	for (int i = 0; i < ncmds; i++) {
		struct cmd *c = &cmds[i];

		if (c->skip) {
			printf("%-28s not run: %s\n", c->label, c->skip);
			continue;
		}
		printf("%-28s %8.3f %8.3f %8.3f %8.3f", c->label, c->med, c->p90,
		       c->min, c->max);
		ratio(stdout, " %9s", c, find(bl));
		ratio(stdout, " %9s", c, find(ul));
		ratio(stdout, " %9s", c, find(c->floor));
		printf(" %7.1f\n", c->rss_med / 1024);
	}
	if (md) {
		FILE *f = fopen(md, "a");

		if (!f) {
			perror(md);
			return 1;
		}
		markdown(f, bh, uh);
		if (fclose(f) != 0) {
			perror(md);
			return 1;
		}
	}
	return 0;
}
