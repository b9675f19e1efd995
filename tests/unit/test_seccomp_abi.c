/* No seccomp filter ward ships lets a 32-bit or x32 syscall through.
 *
 * An x86_64 kernel with IA-32 emulation runs `int 0x80` (and 32-bit
 * sysenter) syscalls from its i386 table and shows them to seccomp as
 * arch AUDIT_ARCH_I386; x32 syscalls arrive as AUDIT_ARCH_X86_64 with
 * __X32_SYSCALL_BIT (0x40000000) set in the number.  Neither number
 * means what the native allowlist meant: i386 nr 11 is execve, x86_64
 * nr 11 is munmap.  ward filters the native ABI only, with libseccomp's
 * bad-arch action set to SECCOMP_RET_KILL_PROCESS (seccomp.c,
 * set_attrs), which libseccomp also applies to the x32 numbers.
 *
 * A kernel without IA32_EMULATION cannot try `int 0x80` live, so every
 * filter is run here through the BPF interpreter (bpf_run.h): the
 * precompiled built-in programs linked into ward, the built-in policies
 * built at run time (plain, with profile additions, log-only), every
 * profile under profiles/ through the profile parser and
 * ward_plan_finish, every policy under profiles/seccomp/, the Docker
 * JSON profiles under tests/data/, and the programs the filter cache
 * hands back.  The directories are read at test time, so a new profile
 * is covered without editing this file.  For each filter, every i386
 * number and every x32 number (0 to 1023, the named calls below first)
 * must give SECCOMP_RET_KILL_PROCESS, while native read, write, execve
 * and exit_group give SECCOMP_RET_ALLOW: the control that makes the
 * test fail for a filter that kills everything.  The last case feeds
 * the checker hand-made filters that leak, so it cannot pass vacuously.
 *
 * Nothing here loads a filter, so it runs under valgrind too (see
 * group_setup). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <cmocka.h>
#include <seccomp.h>

#include "plan/builder.h"
#include "plan/plan.h"
#include "plan/profile.h"
#include "seccomp/seccomp.h"
#include "seccomp/cache.h"
#include "seccomp/learn.h"
#include "seccomp/build.h"

#include "bpf_run.h"
#include "under_valgrind.h"

#define X32_BIT 0x40000000u /* __X32_SYSCALL_BIT */
#define SWEEP_NR 1024       /* i386 ends at 450, x32 at 547 (Linux 6.18) */
#define FOREIGN SECCOMP_RET_KILL_PROCESS
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct call {
	const char *name;
	uint32_t nr;
};

/* i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
static const struct call i386_calls[] = {
	{"restart_syscall", 0}, {"exit", 1}, {"read", 3}, {"write", 4},
	{"open", 5}, {"execve", 11}, {"getpid", 20}, {"ioctl", 54},
	{"socketcall", 102}, {"clone", 120}, {"personality", 136},
	{"mmap2", 192}, {"exit_group", 252}, {"execveat", 358},
	{"socket", 359}, {"connect", 362},
};

/* x32 numbers without the x32 bit (syscall_64.tbl, common and x32
 * rows): read and write share the native numbers, execve does not. */
static const struct call x32_calls[] = {
	{"read", 0}, {"write", 1}, {"open", 2}, {"getpid", 39},
	{"socket", 41}, {"connect", 42}, {"clone", 56}, {"exit_group", 231},
	{"openat", 257}, {"ioctl", 514}, {"execve", 520}, {"execveat", 545},
};

/* Native calls every shipped filter allows (ward refuses a policy that
 * denies execve): the control, also tried as i386 and x32 numbers. */
static const struct call native_allowed[] = {
	{"read", __NR_read}, {"write", __NR_write}, {"execve", __NR_execve},
	{"exit_group", __NR_exit_group},
};

/* Argument sets: zeros, and socket(AF_INET, SOCK_STREAM, 0), which the
 * native guards allow. */
static const uint64_t arg_sets[][6] = {
	{0, 0, 0, 0, 0, 0},
	{AF_INET, SOCK_STREAM, 0, 0, 0, 0},
};

static uint32_t run(const struct sock_fprog *prog, uint32_t arch, uint32_t nr,
		    const uint64_t *args)
{
	struct seccomp_data d = {.nr = (int)nr, .arch = arch};

	memcpy(d.args, args, sizeof(d.args));
	return run_bpf(prog, &d);
}

/* One foreign call under every argument set; false with @why filled
 * when an action is not @want. */
static bool foreign_ok(const struct sock_fprog *prog, uint32_t arch,
		       uint32_t nr, const char *name, uint32_t want,
		       char *why, size_t len)
{
	const char *abi = arch == AUDIT_ARCH_I386 ? "i386" : "x32";

	for (size_t a = 0; a < N_ELEMS(arg_sets); a++) {
		uint32_t got = run(prog, arch, nr, arg_sets[a]);

		if (got != want) {
			snprintf(why, len, "%s %s (arch %#x nr %#x, arg0 "
				 "%llu): action %#x, want %#x", abi, name, arch,
				 nr, (unsigned long long)arg_sets[a][0], got,
				 want);
			return false;
		}
	}
	return true;
}

static bool named_ok(const struct sock_fprog *prog, uint32_t want, char *why,
		     size_t len)
{
	for (size_t i = 0; i < N_ELEMS(i386_calls); i++)
		if (!foreign_ok(prog, AUDIT_ARCH_I386, i386_calls[i].nr,
				i386_calls[i].name, want, why, len))
			return false;
	for (size_t i = 0; i < N_ELEMS(x32_calls); i++)
		if (!foreign_ok(prog, AUDIT_ARCH_X86_64,
				X32_BIT | x32_calls[i].nr, x32_calls[i].name,
				want, why, len))
			return false;
	/* What the filter allows natively, as the other ABIs' numbers. */
	for (size_t i = 0; i < N_ELEMS(native_allowed); i++) {
		const struct call *c = &native_allowed[i];

		if (!foreign_ok(prog, AUDIT_ARCH_I386, c->nr, "nr of native",
				want, why, len) ||
		    !foreign_ok(prog, AUDIT_ARCH_X86_64, X32_BIT | c->nr,
				"nr of native", want, why, len))
			return false;
	}
	return true;
}

static bool sweep_ok(const struct sock_fprog *prog, uint32_t want, char *why,
		     size_t len)
{
	for (uint32_t nr = 0; nr < SWEEP_NR; nr++)
		if (!foreign_ok(prog, AUDIT_ARCH_I386, nr, "call", want, why,
				len) ||
		    !foreign_ok(prog, AUDIT_ARCH_X86_64, X32_BIT | nr, "call",
				want, why, len))
			return false;
	return true;
}

static bool control_ok(const struct sock_fprog *prog, char *why, size_t len)
{
	for (size_t i = 0; i < N_ELEMS(native_allowed); i++) {
		const struct call *c = &native_allowed[i];
		uint32_t got = eval(prog, (int)c->nr, 0, 0, 0); /* x86_64 */

		if (got != SECCOMP_RET_ALLOW) {
			snprintf(why, len, "control: x86_64 %s (nr %u): action "
				 "%#x, want ALLOW %#x", c->name, c->nr, got,
				 SECCOMP_RET_ALLOW);
			return false;
		}
	}
	return true;
}

/* True when every i386 and x32 call gets the kill action and the native
 * controls are allowed; otherwise false, with the first miss in @why. */
static bool kills_foreign_abis(const struct sock_fprog *prog, char *why,
			       size_t len)
{
	if (prog->len == 0) {
		snprintf(why, len, "no filter at all");
		return false;
	}
	return control_ok(prog, why, len) &&
	       named_ok(prog, FOREIGN, why, len) &&
	       sweep_ok(prog, FOREIGN, why, len);
}

static void check_filter(const char *what, const struct sock_fprog *prog)
{
	char why[256];

	if (!kills_foreign_abis(prog, why, sizeof(why)))
		fail_msg("%s: %s", what, why);
	print_message("%s: %u instructions: i386 and x32 killed\n", what,
		      prog->len);
}

/* ---- where the shipped files are ------------------------------------ */

/* @rel under the source tree (__FILE__ is tests/unit/... relative to the
 * root, or absolute); the tree must be there. */
static void repo_path(char *buf, size_t len, const char *rel)
{
	const char *slash = strstr(__FILE__, "tests/unit/");

	assert_non_null(slash);
	assert_true(snprintf(buf, len, "%.*s%s", (int)(slash - __FILE__),
			     __FILE__, rel) < (int)len);
	if (access(buf, F_OK) != 0)
		fail_msg("%s: %s (run from the source tree)", buf,
			 strerror(errno));
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && strcmp(name + n - s, suffix) == 0;
}

/* The paths of the files in @dir (under the tree) named *@suffix,
 * sorted; returns their count (at least one is asserted). */
static size_t list_files(const char *dir, const char *suffix, char ***out)
{
	char path[PATH_MAX];
	struct dirent **ents = NULL;
	char **paths;
	size_t n = 0;
	int count;

	repo_path(path, sizeof(path), dir);
	count = scandir(path, &ents, NULL, alphasort);
	assert_true(count >= 0);
	paths = calloc((size_t)count + 1, sizeof(*paths));
	assert_non_null(paths);
	for (int i = 0; i < count; i++) {
		if (has_suffix(ents[i]->d_name, suffix))
			assert_true(asprintf(&paths[n++], "%s/%s", path,
					     ents[i]->d_name) > 0);
		free(ents[i]);
	}
	free(ents);
	if (n == 0)
		fail_msg("%s: no *%s files", path, suffix);
	*out = paths;
	return n;
}

static void free_list(char **paths)
{
	for (char **p = paths; *p; p++)
		free(*p);
	free(paths);
}

/* ---- fixtures ------------------------------------------------------- */

/* valgrind does not implement seccomp(2): libseccomp's probe then finds
 * API level 1 and refuses SCMP_ACT_KILL_PROCESS as the bad-arch action
 * (and SCMP_ACT_NOTIFY for learn), so no filter builds.  This test
 * loads none: under valgrind it tells libseccomp the level of a kernel
 * with both (5, Linux 5.0).  The level decides which actions and flags
 * libseccomp accepts, not the BPF it emits. */
static int group_setup(void **state)
{
	(void)state;
	/* Plans must neither read nor write a real cache. */
	if (setenv("WARD_CACHE_DIR", "off", 1) < 0)
		return -1;
	if (under_valgrind() && seccomp_api_get() < 5 && seccomp_api_set(5) < 0)
		return -1;
	return 0;
}

/* ---- the filters ---------------------------------------------------- */

/* The programs generated at build time (src/tools/gen_seccomp.c) that a
 * launch with the default or strict policy loads. */
static void test_precompiled(void **state)
{
	bool seen_default = false, seen_strict = false;

	(void)state;
	assert_non_null(ward_seccomp_builtin_blobs);
	for (const struct ward_seccomp_blob *b = ward_seccomp_builtin_blobs;
	     b->mode != WARD_SECCOMP_OFF; b++) {
		const struct sock_fprog prog = {
			b->len, (struct sock_filter *)b->insns};
		char what[64];

		snprintf(what, sizeof(what), "precompiled mode %d",
			 (int)b->mode);
		check_filter(what, &prog);
		seen_default |= b->mode == WARD_SECCOMP_DEFAULT;
		seen_strict |= b->mode == WARD_SECCOMP_STRICT;
	}
	assert_true(seen_default && seen_strict);
}

static void check_fresh(const char *what, const struct ward_seccomp_source *src)
{
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};

	if (ward_seccomp_build_fresh(src, &prog, &err) < 0)
		fail_msg("%s: %s", what, err.msg);
	check_filter(what, &prog);
	/* A built-in policy as it is: the precompiled program, byte for
	 * byte.  Not under valgrind: there the kernel's actions cannot be
	 * asked, so ward leaves the policy to libseccomp (compact.h), whose
	 * program decides the same (test_seccomp_compact) but is longer. */
	if ((src->mode == WARD_SECCOMP_DEFAULT ||
	     src->mode == WARD_SECCOMP_STRICT) && !src->overlay &&
	    !src->log_only && !under_valgrind())
		assert_true(ward_seccomp_is_precompiled(&prog, src->mode));
	ward_seccomp_free(&prog);
}

/* The built-in policies built by libseccomp at run time, as a launch
 * does when the kernel lacks an action or a profile adds rules; the
 * additions include a default action that is not an errno. */
static void test_builtin_built_at_run_time(void **state)
{
	static const char *const overlays[] = {
		NULL,
		"ward-seccomp 1\nallow execve\n"
		"allow ptrace socket personality\n",
		"ward-seccomp 1\nallow execve\ndefault log\n",
	};
	const size_t n = N_ELEMS(overlays);

	(void)state;
	/* each mode, each overlay, with and without log-only */
	for (size_t k = 0; k < 2 * n * 2; k++) {
		struct ward_seccomp_source src = {
			.mode = k / (n * 2) ? WARD_SECCOMP_STRICT
					    : WARD_SECCOMP_DEFAULT,
			.overlay = overlays[k / 2 % n],
			.log_only = k % 2,
		};
		char what[96];

		snprintf(what, sizeof(what), "built-in mode %d, additions "
			 "%zu, log-only %d", (int)src.mode, k / 2 % n,
			 (int)src.log_only);
		check_fresh(what, &src);
	}
}

/* Leave out @b's binds: a host path a profile binds (nginx's
 * /var/www/html) may be missing where nginx is not installed, and the
 * binds do not change the filter. */
static void drop_binds(struct ward_plan_builder *b)
{
	for (size_t i = 0; i < b->nbinds; i++) {
		free(b->binds[i]);
		free(b->where_binds[i]);
		b->binds[i] = b->where_binds[i] = NULL;
	}
	b->nbinds = 0;
}

/* The plan of the profile @path, finished (with its binds left out when
 * a bind source is missing here, said on stderr). */
static struct ward_plan *plan_of_profile(const char *path, bool without_binds)
{
	static char *argv[] = {"/bin/true", NULL};
	struct ward_plan_builder *b = ward_plan_builder_new();
	struct ward_plan *plan = NULL;
	struct ward_err err = {0};

	assert_non_null(b);
	if (ward_profile_load(b, path, stderr, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	ward_plan_set_argv(b, argv);
	if (without_binds)
		drop_binds(b);
	if (ward_plan_finish(b, &plan, &err) < 0) {
		ward_plan_builder_free(b);
		if (!without_binds && err.errnum == ENOENT && strstr(err.msg, "--bind ")) {
			fprintf(stderr, "%s: %s: its binds left out (they do not change the filter)\n",
				path, err.msg);
			return plan_of_profile(path, true);
		}
		fail_msg("%s: plan refused: %s", path, err.msg);
	}
	ward_plan_builder_free(b);
	return plan;
}

/* Every shipped profile as a launch sees it: parsed with its includes,
 * finished into a plan, whose program is the one the child loads. */
static void test_shipped_profiles(void **state)
{
	char **paths = NULL;
	size_t n;

	(void)state;
	n = list_files("profiles", ".profile", &paths);
	assert_true(n >= 2); /* default and strict at least */
	for (size_t i = 0; i < n; i++) {
		struct ward_plan *plan = plan_of_profile(paths[i], false);

		check_filter(paths[i], &plan->seccomp_prog);
		ward_plan_free(plan);
	}
	free_list(paths);
}

/* The policy files shipped under profiles/seccomp/ (--seccomp PATH). */
static void test_shipped_policies(void **state)
{
	char **paths = NULL;
	size_t n;

	(void)state;
	n = list_files("profiles/seccomp", ".policy", &paths);
	for (size_t i = 0; i < n; i++) {
		struct ward_seccomp_source src = {.mode = WARD_SECCOMP_FILE,
						  .path = paths[i]};

		check_fresh(paths[i], &src);
	}
	free_list(paths);
}

/* Docker's and containers/common's JSON profiles (--seccomp docker:PATH),
 * whose archMap lists x86 and x32: ward adds neither.  Without
 * capabilities and with all of them, which changes the rules. */
static void test_docker_profiles(void **state)
{
	const uint64_t all_caps = (1ULL << (CAP_LAST_CAP + 1)) - 1;
	char **paths = NULL;
	size_t n;

	(void)state;
	n = list_files("tests/data", "-seccomp.json", &paths);
	for (size_t i = 0; i < n; i++)
		for (int caps = 0; caps < 2; caps++) {
			struct ward_seccomp_source src = {
				.mode = WARD_SECCOMP_DOCKER, .path = paths[i],
				.caps = caps ? all_caps : 0};
			char what[PATH_MAX + 32];

			snprintf(what, sizeof(what), "%s%s", paths[i],
				 caps ? " (all capabilities)" : "");
			check_fresh(what, &src);
		}
	free_list(paths);
}

/* A private cache directory for test_cached, removed even when the
 * case fails. */
static int cache_setup(void **state)
{
	char *dir = strdup("/tmp/ward-abi-cache.XXXXXX");

	if (!dir || !mkdtemp(dir) || setenv("WARD_CACHE_DIR", dir, 1) < 0) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

static bool is_dot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

static int cache_teardown(void **state)
{
	char *dir = *state, sub[PATH_MAX];
	struct dirent *e;
	bool ok = true;
	DIR *d;

	snprintf(sub, sizeof(sub), "%s/seccomp", dir);
	d = opendir(sub);
	while (d && (e = readdir(d)))
		if (!is_dot(e->d_name))
			ok &= unlinkat(dirfd(d), e->d_name, 0) == 0;
	if (d) {
		closedir(d);
		ok &= rmdir(sub) == 0;
	}
	ok &= rmdir(dir) == 0;
	ok &= setenv("WARD_CACHE_DIR", "off", 1) == 0;
	free(dir);
	return ok ? 0 : -1;
}

/* Built through the cache: the first build stores the program, the
 * second reads it back from the file, and that is what is checked. */
static void check_cached(const char *what,
			 const struct ward_seccomp_source *src)
{
	struct sock_fprog stored = {0, NULL}, hit = {0, NULL};
	enum ward_seccomp_cache_use use;
	struct ward_err err = {0};

	if (ward_seccomp_build_cached(src, &stored, &use, &err) < 0)
		fail_msg("%s: %s", what, err.msg);
	assert_int_equal(use, WARD_SECCOMP_CACHE_STORED);
	assert_int_equal(ward_seccomp_build_cached(src, &hit, &use, &err), 0);
	assert_int_equal(use, WARD_SECCOMP_CACHE_HIT);
	check_filter(what, &hit);
	ward_seccomp_free(&stored);
	ward_seccomp_free(&hit);
}

static void test_cached(void **state)
{
	char policy[PATH_MAX], docker[PATH_MAX];
	struct ward_seccomp_source srcs[] = {
		{.mode = WARD_SECCOMP_FILE, .path = policy},
		{.mode = WARD_SECCOMP_DOCKER, .path = docker},
		{.mode = WARD_SECCOMP_DEFAULT,
		 .overlay = "ward-seccomp 1\nallow execve\nallow ptrace\n"},
		{.mode = WARD_SECCOMP_STRICT, .log_only = true},
	};

	(void)state;
	repo_path(policy, sizeof(policy), "profiles/seccomp/example.policy");
	repo_path(docker, sizeof(docker),
		  "tests/data/docker-default-seccomp.json");
	for (size_t i = 0; i < N_ELEMS(srcs); i++) {
		char what[PATH_MAX + 32];

		snprintf(what, sizeof(what), "cached mode %d %s",
			 (int)srcs[i].mode, srcs[i].path ? srcs[i].path : "");
		check_cached(what, &srcs[i]);
	}
}

/* ward seccomp learn is a measuring run, not a confinement: its filter
 * reports every call, foreign ones included (the launcher lists them),
 * and lets only the tagged listener hand-over through, natively. */
static void test_learn_reports_foreign_calls(void **state)
{
	const uint64_t tagged[6] = {WARD_LEARN_FD_TAG | 3, 0, 0, 0, 0, 0};
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};
	char why[256];

	(void)state;
	assert_int_equal(ward_seccomp_learn_filter(&prog, &err), 0);
	assert_int_equal(run(&prog, AUDIT_ARCH_X86_64, __NR_sendmsg, tagged),
			 SECCOMP_RET_ALLOW);
	/* sendmsg: i386 370, x32 518 */
	assert_int_equal(run(&prog, AUDIT_ARCH_I386, 370, tagged),
			 SECCOMP_RET_USER_NOTIF);
	assert_int_equal(run(&prog, AUDIT_ARCH_X86_64, X32_BIT | 518, tagged),
			 SECCOMP_RET_USER_NOTIF);
	if (!named_ok(&prog, SECCOMP_RET_USER_NOTIF, why, sizeof(why)) ||
	    !sweep_ok(&prog, SECCOMP_RET_USER_NOTIF, why, sizeof(why)))
		fail_msg("learn filter: %s", why);
	ward_seccomp_free(&prog);
}

/* ---- the checker is not vacuous ------------------------------------- */

#define LD_ARCH BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
			 offsetof(struct seccomp_data, arch))
#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
		       offsetof(struct seccomp_data, nr))
#define RET(a) BPF_STMT(BPF_RET | BPF_K, (a))

static bool verdict(struct sock_filter *insns, unsigned short len, char *why,
		    size_t wlen)
{
	const struct sock_fprog prog = {len, insns};

	why[0] = '\0';
	return kills_foreign_abis(&prog, why, wlen);
}

static void test_checker_catches_leaks(void **state)
{
	struct sock_filter allow_all[] = {RET(SECCOMP_RET_ALLOW)};
	struct sock_filter kill_all[] = {RET(SECCOMP_RET_KILL_PROCESS)};
	/* Checks the arch but not the x32 bit. */
	struct sock_filter arch_only[] = {
		LD_ARCH,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 1),
		RET(SECCOMP_RET_ALLOW),
		RET(SECCOMP_RET_KILL_PROCESS),
	};
	/* Kills i386 with the wrong action (one thread only). */
	struct sock_filter kill_thread[] = {
		LD_ARCH,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		RET(SECCOMP_RET_KILL_THREAD),
		LD_NR,
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 0, 1),
		RET(SECCOMP_RET_KILL_PROCESS),
		RET(SECCOMP_RET_ALLOW),
	};
	/* What libseccomp emits, in short. */
	struct sock_filter right[] = {
		LD_ARCH,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		RET(SECCOMP_RET_KILL_PROCESS),
		LD_NR,
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 0, 1),
		RET(SECCOMP_RET_KILL_PROCESS),
		RET(SECCOMP_RET_ALLOW),
	};
	char why[256];

	(void)state;
	assert_false(verdict(allow_all, N_ELEMS(allow_all), why, sizeof(why)));
	assert_non_null(strstr(why, "i386 restart_syscall"));
	assert_false(verdict(kill_all, N_ELEMS(kill_all), why, sizeof(why)));
	assert_non_null(strstr(why, "control: x86_64 read"));
	assert_false(verdict(arch_only, N_ELEMS(arch_only), why, sizeof(why)));
	assert_non_null(strstr(why, "x32 read"));
	assert_false(verdict(kill_thread, N_ELEMS(kill_thread), why,
			     sizeof(why)));
	assert_non_null(strstr(why, "i386 restart_syscall"));
	assert_true(verdict(right, N_ELEMS(right), why, sizeof(why)));
	assert_string_equal(why, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precompiled),
		cmocka_unit_test(test_builtin_built_at_run_time),
		cmocka_unit_test(test_shipped_profiles),
		cmocka_unit_test(test_shipped_policies),
		cmocka_unit_test(test_docker_profiles),
		cmocka_unit_test_setup_teardown(test_cached, cache_setup,
						cache_teardown),
		cmocka_unit_test(test_learn_reports_foreign_calls),
		cmocka_unit_test(test_checker_catches_leaks),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
