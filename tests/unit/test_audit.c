/* audit.c: the rootfs audit on planted trees.
 *
 * Each case builds a tree under a fresh temporary directory:
 *
 *   outside/real.pem          a private key outside the tree (symlink target)
 *   root/                     the audited tree
 *     bin/sh                  a copy of busybox (a shell)
 *     bin/python3 -> /usr/bin/python3   dangling: a symlink counts by name
 *     bin/pipewire            not pip
 *     bin/evil -> /etc/shadow never followed, never read
 *     usr/bin/su              mode 04755
 *     srv/drop/               mode 0777, no sticky bit
 *     srv/open.txt            mode 0666
 *     tmp/                    mode 1777 (fine)
 *     app/.env                a secret by name
 *     app/leak.pem -> ../../outside/real.pem, app/abs.pem -> /abs path of it
 *     app/id_rsa -> /etc/shadow  (a symlink, not a secret file)
 *     app/secret.key          a FIFO (must neither hang nor count)
 *     home/app/.ssh/id_ed25519   an OpenSSH private key
 *     etc/ssl/key.pem         a certificate, no private key: not a secret
 *     root/.npmrc             an _authToken line
 *     root/.docker/config.json   "auths": {} only: not a secret
 *     empty/.env              zero bytes: nothing to leak
 *     loop/a -> b, loop/b -> a, loop/self -> ., loop/up -> ..
 *     deep/d/d/.../d/su       70 levels; a setuid file the walk must not reach
 *     etc/passwd              root, toor (uid 0), app (10001), nobody
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "report/report.h"
#include "report/audit.h"

#define SECRET_ENV "API_TOKEN=hunter2-env-content"
#define SECRET_KEY "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ-KEYMATERIAL"
#define SECRET_NPM "npm_SECRETNPMTOKEN0123456789"
#define SECRET_OUT "OUTSIDEKEYMATERIAL"
#define DEEP_LEVELS 70

struct tree {
	char top[64];       /* the temporary directory */
	char root[96];      /* top/root: the audited tree */
	int rootfd;
	struct ward_report *r;
};

static void write_at(int dfd, const char *path, const char *text, mode_t mode)
{
	int fd = openat(dfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void mkdir_at(int dfd, const char *path, mode_t mode)
{
	assert_int_equal(mkdirat(dfd, path, 0700), 0);
	assert_int_equal(fchmodat(dfd, path, mode, 0), 0);
}

static void symlink_at(int dfd, const char *target, const char *path)
{
	assert_int_equal(symlinkat(target, dfd, path), 0);
}

/* Copy busybox (or, without it, this test binary: any executable will
 * do, the audit goes by name) to @dfd/@path. */
static void copy_exe(int dfd, const char *path)
{
	int in = open("/bin/busybox", O_RDONLY | O_CLOEXEC);
	int out;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	assert_true(in >= 0);
	out = openat(dfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	assert_true(out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	assert_int_equal(n, 0);
	close(in);
	close(out);
}

/* @levels nested directories named @name under @dfd/@first, a file
 * @leaf with @mode at the bottom. */
static void chain_at(int dfd, const char *first, const char *name, int levels,
		     const char *leaf, mode_t mode)
{
	int cur;

	mkdir_at(dfd, first, 0755);
	cur = openat(dfd, first, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(cur >= 0);
	for (int i = 1; i < levels; i++) {
		int next;

		mkdir_at(cur, name, 0755);
		next = openat(cur, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		assert_true(next >= 0);
		close(cur);
		cur = next;
	}
	write_at(cur, leaf, "#!/bin/sh\n", mode);
	close(cur);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->r = calloc(1, sizeof(*t->r));
	assert_non_null(t->r);
	snprintf(t->top, sizeof(t->top), "/tmp/ward-audit.XXXXXX");
	assert_non_null(mkdtemp(t->top));
	snprintf(t->root, sizeof(t->root), "%s/root", t->top);
	assert_int_equal(mkdir(t->root, 0755), 0);
	t->rootfd = open(t->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(t->rootfd >= 0);
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	char cmd[128];

	close(t->rootfd);
	/* rm copes with paths longer than PATH_MAX; nftw does not */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->top);
	assert_int_equal(system(cmd), 0);
	free(t->r);
	free(t);
	return 0;
}

static void plant(struct tree *t)
{
	int d = t->rootfd;
	char outside[128], abs_target[192];
	int top;

	/* a private key outside the tree, reachable only through symlinks */
	snprintf(outside, sizeof(outside), "%s/outside", t->top);
	assert_int_equal(mkdir(outside, 0755), 0);
	top = open(outside, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(top >= 0);
	write_at(top, "real.pem", "-----BEGIN PRIVATE KEY-----\n" SECRET_OUT
		 "\n-----END PRIVATE KEY-----\n", 0644);
	close(top);
	snprintf(abs_target, sizeof(abs_target), "%s/real.pem", outside);

	mkdir_at(d, "bin", 0755);
	copy_exe(d, "bin/sh");
	symlink_at(d, "/usr/bin/python3", "bin/python3");
	write_at(d, "bin/pipewire", "#!/bin/sh\n", 0755);
	symlink_at(d, "/etc/shadow", "bin/evil");

	mkdir_at(d, "usr", 0755);
	mkdir_at(d, "usr/bin", 0755);
	write_at(d, "usr/bin/su", "#!/bin/sh\n", 04755);

	mkdir_at(d, "srv", 0755);
	mkdir_at(d, "srv/drop", 0777);
	write_at(d, "srv/open.txt", "hello\n", 0666);
	mkdir_at(d, "tmp", 01777);

	mkdir_at(d, "app", 0755);
	write_at(d, "app/.env", SECRET_ENV "\n", 0600);
	symlink_at(d, "../../outside/real.pem", "app/leak.pem");
	symlink_at(d, abs_target, "app/abs.pem");
	symlink_at(d, "/etc/shadow", "app/id_rsa");
	assert_int_equal(mkfifoat(d, "app/secret.key", 0644), 0);

	mkdir_at(d, "home", 0755);
	mkdir_at(d, "home/app", 0755);
	mkdir_at(d, "home/app/.ssh", 0700);
	write_at(d, "home/app/.ssh/id_ed25519",
		 "-----BEGIN OPENSSH PRIVATE KEY-----\n" SECRET_KEY
		 "\n-----END OPENSSH PRIVATE KEY-----\n", 0600);

	mkdir_at(d, "etc", 0755);
	mkdir_at(d, "etc/ssl", 0755);
	write_at(d, "etc/ssl/key.pem",
		 "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n",
		 0644);
	write_at(d, "etc/passwd",
		 "root:x:0:0:root:/root:/bin/sh\n"
		 "toor:x:0:0:backdoor:/root:/bin/sh\n"
		 "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
		 "app:x:10001:10001:app:/home/app:/bin/sh\n"
		 "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
		 0644);

	mkdir_at(d, "root", 0700);
	write_at(d, "root/.npmrc",
		 "registry=https://registry.npmjs.org/\n"
		 "//registry.npmjs.org/:_authToken=" SECRET_NPM "\n", 0600);
	mkdir_at(d, "root/.docker", 0700);
	write_at(d, "root/.docker/config.json", "{\n\t\"auths\": {}\n}\n", 0600);

	mkdir_at(d, "empty", 0755);
	write_at(d, "empty/.env", "", 0600);

	mkdir_at(d, "loop", 0755);
	symlink_at(d, "b", "loop/a");
	symlink_at(d, "a", "loop/b");
	symlink_at(d, ".", "loop/self");
	symlink_at(d, "..", "loop/up");

	/* deep/ is level 1, its 69 descendants levels 2..70: the setuid
	 * file at the bottom lies beyond the 64-level bound */
	chain_at(d, "deep", "d", DEEP_LEVELS, "su", 04755);
}

static const struct ward_report_row *row(const struct ward_report *r,
					 const char *id)
{
	const struct ward_report_row *found = NULL;

	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->rows[i].id, id) != 0)
			continue;
		if (found)
			fail_msg("row %s appears twice", id);
		found = &r->rows[i];
	}
	if (!found)
		fail_msg("no row %s", id);
	return found;
}

#define assert_row(r, id, want_ok, want_weight)                           \
	do {                                                              \
		const struct ward_report_row *row_ = row(r, id);          \
		if (row_->ok != (want_ok) ||                              \
		    row_->weight < (want_weight) - 1e-9 ||                \
		    row_->weight > (want_weight) + 1e-9)                  \
			fail_msg("%s: ok=%d weight=%.2f (want ok=%d weight=%.2f): %s", \
				 id, row_->ok, row_->weight, (want_ok),   \
				 (double)(want_weight), row_->what);      \
	} while (0)

static void assert_finding(const struct ward_report *r, const char *id,
			   const char *needle)
{
	const struct ward_report_row *x = row(r, id);

	if (!strstr(x->what, needle))
		fail_msg("%s: '%s' not in: %s", id, needle, x->what);
}

static void assert_not_finding(const struct ward_report *r, const char *id,
			       const char *needle)
{
	const struct ward_report_row *x = row(r, id);

	if (strstr(x->what, needle))
		fail_msg("%s: '%s' must not be in: %s", id, needle, x->what);
}

static void assert_nowhere(const struct ward_report *r, const char *needle)
{
	for (size_t i = 0; i < r->n; i++)
		if (strstr(r->rows[i].what, needle) || strstr(r->rows[i].fix, needle))
			fail_msg("'%s' leaked into row %s: %s", needle,
				 r->rows[i].id, r->rows[i].what);
}

static void test_planted_tree(void **state)
{
	struct tree *t = *state;
	struct ward_err err = {0};
	struct ward_report *r = t->r;

	plant(t);
	assert_int_equal(ward_audit_rootfs(t->root, r, &err), 0);
	assert_int_equal(err.step, WARD_STEP_NONE);
	for (size_t i = 0; i < r->n; i++)
		print_message("  %-22s %-4s %4.1f  %s\n", r->rows[i].id,
			      r->rows[i].ok ? "ok" : "RISK", r->rows[i].weight,
			      r->rows[i].what);
	assert_int_equal(r->n, 7);
	assert_int_equal(r->dropped, 0);

	/* one setuid file: usr/bin/su; deep/.../su is out of reach */
	assert_row(r, "rootfs.setuid", false, 1.5);
	assert_finding(r, "rootfs.setuid", "1 setuid/setgid file: /usr/bin/su");
	assert_not_finding(r, "rootfs.setuid", "/deep");

	assert_row(r, "rootfs.world-writable", false, 1.5);
	assert_finding(r, "rootfs.world-writable",
		       "1 world-writable directory without the sticky bit: /srv/drop");
	assert_finding(r, "rootfs.world-writable", "1 world-writable file: /srv/open.txt");
	assert_not_finding(r, "rootfs.world-writable", "/tmp");

	/* .env, id_ed25519, .npmrc; not key.pem, the symlinks, the FIFO,
	 * the empty .env or the docker config without auth */
	assert_row(r, "rootfs.secrets", false, 3.0);
	assert_finding(r, "rootfs.secrets", "3 files that look like secrets");
	assert_finding(r, "rootfs.secrets", "/app/.env");
	assert_finding(r, "rootfs.secrets", "/home/app/.ssh/id_ed25519");
	assert_finding(r, "rootfs.secrets", "/root/.npmrc");
	assert_not_finding(r, "rootfs.secrets", "key.pem");
	assert_not_finding(r, "rootfs.secrets", "leak.pem");
	assert_not_finding(r, "rootfs.secrets", "abs.pem");
	assert_not_finding(r, "rootfs.secrets", "id_rsa");
	assert_not_finding(r, "rootfs.secrets", "secret.key");
	assert_not_finding(r, "rootfs.secrets", "/empty");
	assert_not_finding(r, "rootfs.secrets", "config.json");

	/* shell (sh) and interpreter (python3, a symlink); pipewire is
	 * not pip, evil is nothing */
	assert_row(r, "rootfs.tools", false, 0.4);
	assert_finding(r, "rootfs.tools", "shell (sh)");
	assert_finding(r, "rootfs.tools", "interpreter (python3)");
	assert_not_finding(r, "rootfs.tools", "package manager");
	assert_not_finding(r, "rootfs.tools", "pipewire");

	assert_row(r, "rootfs.user", false, 2.0);
	assert_finding(r, "rootfs.user", "uid 0 besides root: toor");
	assert_finding(r, "rootfs.user", "app (10001)");
	assert_not_finding(r, "rootfs.user", "nobody");
	assert_not_finding(r, "rootfs.user", "daemon");

	assert_row(r, "rootfs.size", true, 0.0);
	assert_finding(r, "rootfs.size", " files");

	/* the deep chain is reported, not an error */
	assert_row(r, "rootfs.walk", false, 0.0);
	assert_finding(r, "rootfs.walk", "1 directory deeper than 64 levels not entered");
	assert_not_finding(r, "rootfs.walk", "unreadable");
	assert_not_finding(r, "rootfs.walk", "cut");

	assert_nowhere(r, "hunter2");
	assert_nowhere(r, "KEYMATERIAL");
	assert_nowhere(r, "SECRETNPM");
	assert_nowhere(r, SECRET_OUT);

	ward_report_finish(r);
	/* 1.5 + 1.5 + 3.0 + 0.4 + 2.0 */
	assert_true(r->exposure > 8.4 - 1e-9 && r->exposure < 8.4 + 1e-9);
}

/* A bound on entries stops the walk with a row saying so. */
static void test_entry_bound(void **state)
{
	struct tree *t = *state;
	struct ward_audit_limits lim = {.max_entries = 10, .max_depth = 64};
	struct ward_err err = {0};

	plant(t);
	assert_int_equal(ward_audit_rootfs_bounded(t->root, &lim, t->r, &err), 0);
	assert_row(t->r, "rootfs.walk", false, 0.0);
	assert_finding(t->r, "rootfs.walk", "walk cut after 10 entries");
	assert_finding(t->r, "rootfs.size", "at least ");
}

/* The depth bound in its own right: a chain of 5 under max_depth 3. */
static void test_depth_bound(void **state)
{
	struct tree *t = *state;
	struct ward_audit_limits lim = {.max_entries = 1000, .max_depth = 3};
	struct ward_err err = {0};

	chain_at(t->rootfd, "a", "b", 3, "su", 04755);   /* a/b/b/su: found */
	chain_at(t->rootfd, "x", "y", 5, "su", 04755);   /* x/y/y/y/y/su: not */
	assert_int_equal(ward_audit_rootfs_bounded(t->root, &lim, t->r, &err), 0);
	assert_row(t->r, "rootfs.setuid", false, 1.5);
	assert_finding(t->r, "rootfs.setuid", "1 setuid/setgid file: /a/b/b/su");
	assert_finding(t->r, "rootfs.walk",
		       "1 directory deeper than 3 levels not entered");
}

/* An empty tree: every row is there, and ok. */
static void test_empty_tree(void **state)
{
	struct tree *t = *state;
	struct ward_err err = {0};

	assert_int_equal(ward_audit_rootfs(t->root, t->r, &err), 0);
	assert_int_equal(t->r->n, 7);
	for (size_t i = 0; i < t->r->n; i++)
		if (!t->r->rows[i].ok)
			fail_msg("%s not ok: %s", t->r->rows[i].id, t->r->rows[i].what);
	assert_finding(t->r, "rootfs.user", "no /etc/passwd");
	assert_finding(t->r, "rootfs.size", "0 bytes in 0 files");
	assert_finding(t->r, "rootfs.walk", "walked 0 entries");
	ward_report_finish(t->r);
	assert_true(t->r->exposure == 0.0);
	assert_string_equal(t->r->verdict, "SAFE");
}

/* The root itself: missing, not a directory: fatal, step plan. */
static void test_bad_root(void **state)
{
	struct tree *t = *state;
	struct ward_err err = {0};
	char path[160];

	snprintf(path, sizeof(path), "%s/missing", t->top);
	assert_int_equal(ward_audit_rootfs(path, t->r, &err), -ENOENT);
	assert_int_equal(err.step, WARD_STEP_PLAN);
	assert_int_equal(err.errnum, ENOENT);
	assert_non_null(strstr(err.msg, path));
	assert_int_equal(t->r->n, 0);

	write_at(t->rootfd, "file", "x", 0644);
	snprintf(path, sizeof(path), "%s/file", t->root);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ward_audit_rootfs(path, t->r, &err), -ENOTDIR);
	assert_int_equal(err.step, WARD_STEP_PLAN);
	assert_int_equal(t->r->n, 0);
}

/* Hostile names are escaped; paths longer than PATH_MAX still walk and
 * show cut; a world-writable root is found. */
static void test_names(void **state)
{
	struct tree *t = *state;
	struct ward_err err = {0};
	char longname[251];
	const struct ward_report_row *x;

	write_at(t->rootfd, "red\x1b[31mALERT\n\xc2\x9b", "x", 04755);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	/* 20 x 251 bytes: about 5 KiB of path, beyond PATH_MAX */
	chain_at(t->rootfd, "long", longname, 20, "setgid", 02755);
	assert_int_equal(fchmod(t->rootfd, 0777), 0);
	assert_int_equal(ward_audit_rootfs(t->root, t->r, &err), 0);

	x = row(t->r, "rootfs.setuid");
	assert_false(x->ok);
	assert_finding(t->r, "rootfs.setuid", "2 setuid/setgid files");
	assert_finding(t->r, "rootfs.setuid", "red\\x1b[31mALERT\\x0a\\xc2\\x9b");
	for (const char *p = x->what; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	assert_finding(t->r, "rootfs.world-writable", "without the sticky bit: /");
	assert_row(t->r, "rootfs.walk", true, 0.0);
}

/* Secret patterns one by one: what counts and what does not. */
static void test_secret_patterns(void **state)
{
	struct tree *t = *state;
	struct ward_err err = {0};
	int d = t->rootfd;
	char big[8192];

	mkdir_at(d, "y", 0755);   /* counted */
	mkdir_at(d, "n", 0755);   /* not counted */
	write_at(d, "y/server.key", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n", 0600);
	write_at(d, "y/ec.pem", "junk\n-----BEGIN EC PRIVATE KEY-----\nAAAA\n", 0600);
	write_at(d, "y/.pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEI\n", 0600);
	write_at(d, "y/.netrc", "machine example.com login me password pw\n", 0600);
	write_at(d, "y/.git-credentials", "https://me:ghp_abc@github.com\n", 0600);
	write_at(d, "y/cert.p12", "\x30\x82\x01", 0600);
	mkdir_at(d, "y/.aws", 0700);
	write_at(d, "y/.aws/credentials", "[default]\naws_access_key_id = AKIA\n", 0600);
	mkdir_at(d, "y/.docker", 0700);
	write_at(d, "y/.docker/config.json",
		 "{\"auths\": {\"r.io\": {\"auth\": \"dXNlcjpwYXNz\"}}}", 0600);

	write_at(d, "n/cert.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n", 0600);
	write_at(d, "n/pub.key", "-----BEGIN PUBLIC KEY-----\nAAAA\n", 0600);
	/* the header past the first 4 KiB is not looked for */
	memset(big, 'x', sizeof(big));
	memcpy(big + 5000, "\n-----BEGIN PRIVATE KEY-----\n", 29);
	big[sizeof(big) - 1] = '\0';
	write_at(d, "n/late.pem", big, 0600);
	write_at(d, "n/.npmrc", "registry=https://registry.npmjs.org/\n", 0600);
	write_at(d, "n/.git-credentials", "https://github.com\n", 0600);
	write_at(d, "n/credentials", "[default]\naws_access_key_id = AKIA\n", 0600);
	mkdir_at(d, "n/.docker", 0700);
	write_at(d, "n/.docker/config.json", "{\"credsStore\": \"pass\"}", 0600);
	write_at(d, "n/id_rsa.pub", "ssh-ed25519 AAAA me\n", 0644);
	write_at(d, "n/.envrc", "export A=1\n", 0644);

	assert_int_equal(ward_audit_rootfs(t->root, t->r, &err), 0);
	assert_finding(t->r, "rootfs.secrets", "8 files that look like secrets");
	assert_not_finding(t->r, "rootfs.secrets", "/n/");
	assert_row(t->r, "rootfs.secrets", false, 3.0);
	assert_row(t->r, "rootfs.walk", true, 0.0);
}

/* Tool categories add 0.2 each, up to 1.0; a merged-/usr /bin symlink
 * is resolved inside the tree (where openat2 exists). */
static void test_tools(void **state)
{
	struct tree *t = *state;
	struct ward_err err = {0};
	int d = t->rootfd;
	static const char *const names[] = {
		"bash", "perl", "apt-get", "pip3.11", "gcc-12", "make",
		"curl", "wget", "nc", "python3.11", "phpize",
	};

	mkdir_at(d, "usr", 0755);
	mkdir_at(d, "usr/bin", 0755);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char p[64];

		snprintf(p, sizeof(p), "usr/bin/%s", names[i]);
		write_at(d, p, "#!/bin/sh\n", 0755);
	}
	symlink_at(d, "usr/bin", "bin");
	assert_int_equal(ward_audit_rootfs(t->root, t->r, &err), 0);
	assert_row(t->r, "rootfs.tools", false, 1.0);
	assert_finding(t->r, "rootfs.tools",
		       "shell (bash), interpreter (python3.11, perl), package manager (apt-get, pip3.11), compiler (gcc-12, make), network tool (curl, wget, nc)");
	assert_not_finding(t->r, "rootfs.tools", "phpize");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_planted_tree, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_entry_bound, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_depth_bound, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_empty_tree, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_bad_root, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_names, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_secret_patterns, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_tools, tree_setup, tree_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
