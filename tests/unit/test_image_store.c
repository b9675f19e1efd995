/* The image cache (image/store.h) and ward_image_prepare (image/prepare.h):
 * where the cache is and what it refuses, its layout and modes, the source
 * index, two makers of one digest, the locks against rm and prune, and
 * the findings' ids against ward check --image's.
 *
 * ward_image_unpack is replaced (-Wl,--wrap, test_image_store.wrap) by
 * one that reads the image with ward_image_read and writes a small tree:
 * the cache is tested apart from the extraction. */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "under_valgrind.h"

#include "base/sha256.h"
#include "base/secret_shapes.h"
#include "image/findings.h"
#include "image/prepare.h"
#include "image/store.h"
#include "image/unpack.h"
#include "report/image_report.h"

#define PRIVKEY "-----BEGIN OPENSSH PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END OPENSSH PRIVATE KEY-----\n"

static char dir[64];      /* WARD_CACHE_DIR */
static char images[96];   /* its images/ */
static char archive_path[96];
static int unpacks;       /* calls of the unpacker */
static unsigned unpack_delay_ms;
static bool real_unpacker; /* call ward_image_unpack itself */

/* ---- the unpacker's stand-in ------------------------------------------------------------ */

int __wrap_ward_image_unpack(const char *path, struct ward_unpack_opts *o,
			     int dest_fd, struct ward_image **img,
			     char digest[WARD_IMAGE_DIGEST_LEN], struct ward_err *err);
int __real_ward_image_unpack(const char *path, struct ward_unpack_opts *o,
			     int dest_fd, struct ward_image **img,
			     char digest[WARD_IMAGE_DIGEST_LEN], struct ward_err *err);

int __wrap_ward_image_unpack(const char *path, struct ward_unpack_opts *o,
			     int dest_fd, struct ward_image **img,
			     char digest[WARD_IMAGE_DIGEST_LEN], struct ward_err *err)
{
	char hex[WARD_SHA256_HEX];
	int fd, r;

	unpacks++;
	if (real_unpacker)
		return __real_ward_image_unpack(path, o, dest_fd, img, digest, err);
	if ((r = ward_image_read(path, &(struct ward_image_opts){.tag = o->tag, .lim = o->lim},
				   img, err)) < 0)
		return r;
	ward_sha256_hex((*img)->config_json, (*img)->config_len, hex);
	snprintf(digest, WARD_IMAGE_DIGEST_LEN, "sha256:%s", hex);
	if (!o->ids.keep_owners) {
		o->ids.uid = 10001;
		o->ids.gid = 10001;
	}
	if (mkdirat(dest_fd, "bin", 0755) < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, errno, "mkdir");
	fd = openat(dest_fd, "bin/true", O_WRONLY | O_CREAT | O_EXCL, 0755);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, errno, "bin/true");
	close(fd);
	if (unpack_delay_ms)
		usleep(unpack_delay_ms * 1000);
	return 0;
}

/* ---- an image -------------------------------------------------------------------------------- */

static struct archive *tar_new(void)
{
	struct archive *a = archive_write_new();

	assert_non_null(a);
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	return a;
}

static void tar_entry(struct archive *a, const char *name, unsigned type,
		      const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0600);
	archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)len : 0);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (type == AE_IFREG && len)
		assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

/* A layer: NAME, CONTENT pairs, NULL; a NAME ending in "/" a directory. */
static void *layer(size_t *len, ...)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	struct archive *a = tar_new();
	const char *name;
	va_list ap;

	assert_non_null(buf);
	assert_int_equal(archive_write_open_memory(a, buf, cap, len), ARCHIVE_OK);
	va_start(ap, len);
	while ((name = va_arg(ap, const char *))) {
		const char *text = va_arg(ap, const char *);

		tar_entry(a, name, name[strlen(name) - 1] == '/' ? AE_IFDIR : AE_IFREG,
			  text, strlen(text));
	}
	va_end(ap);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return buf;
}

/* A docker save archive at @path: USER app in its /etc/passwd, a key in
 * /root/.ssh (visible), an .env added then deleted, the same path added twice, a secret ENV and a
 * build arg.  @tag names it. */
static void write_image(const char *path, const char *tag)
{
	char config[1024], h0[WARD_SHA256_HEX], h1[WARD_SHA256_HEX], h2[WARD_SHA256_HEX];
	struct archive *a = tar_new();
	char manifest[256];
	size_t n0, n1, n2;
	void *l0 = layer(&n0, "etc/", "", "etc/passwd", "app:x:10001:10001::/app:/bin/sh\n",
			 "root/", "", "root/.ssh/", "", "root/.ssh/id_ed25519",
			 PRIVKEY, "app/", "", "app/.env", "X=1\n", NULL);
	void *l1 = layer(&n1, "root/.ssh/id_ed25519", PRIVKEY, NULL);
	void *l2 = layer(&n2, "app/.wh..env", "", NULL);

	ward_sha256_hex(l0, n0, h0);
	ward_sha256_hex(l1, n1, h1);
	ward_sha256_hex(l2, n2, h2);
	snprintf(config, sizeof(config),
		 "{\"config\":{\"User\":\"app\",\"Env\":[\"PATH=/bin\",\"DB_PASSWORD=hunter2\"]},"
		 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:%s\",\"sha256:%s\",\"sha256:%s\"]},"
		 "\"history\":[{\"created_by\":\"ADD base /\"},"
		 "{\"created_by\":\"|1 API_TOKEN=tok-SECRET /bin/sh -c make\"},"
		 "{\"created_by\":\"RUN rm /app/.env\"}]}", h0, h1, h2);
	snprintf(manifest, sizeof(manifest),
		 "[{\"Config\":\"config.json\",\"RepoTags\":[\"%s\"],\"Layers\":"
		 "[\"l0/layer.tar\",\"l1/layer.tar\",\"l2/layer.tar\"]}]", tag);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	tar_entry(a, "l0/layer.tar", AE_IFREG, l0, n0);
	tar_entry(a, "l1/layer.tar", AE_IFREG, l1, n1);
	tar_entry(a, "l2/layer.tar", AE_IFREG, l2, n2);
	tar_entry(a, "config.json", AE_IFREG, config, strlen(config));
	tar_entry(a, "manifest.json", AE_IFREG, manifest, strlen(manifest));
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	free(l0);
	free(l1);
	free(l2);
}

/* ---- fixture ---------------------------------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ward-image-store.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(images, sizeof(images), "%s/images", dir);
	snprintf(archive_path, sizeof(archive_path), "%s/app.tar", dir);
	write_image(archive_path, "app:1");
	setenv("WARD_CACHE_DIR", dir, 1);
	unpacks = 0;
	unpack_delay_ms = 0;
	real_unpacker = false;
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
	unsetenv("WARD_CACHE_DIR");
	return system(cmd) == 0 ? 0 : -1;
}

static struct ward_image_request request(void)
{
	return (struct ward_image_request){.path = archive_path};
}

static void prepare_ok(struct ward_image_prepared *p)
{
	struct ward_image_request req = request();
	struct ward_err err = {0};
	int r = ward_image_prepare(&req, p, &err);
	struct stat st;

	if (r < 0)
		fail_msg("prepare: %s", err.msg);
	/* the identity the plan holds the path to: the entry's own tree */
	assert_int_equal(stat(p->rootfs, &st), 0);
	assert_true(st.st_dev == p->rootfs_dev && st.st_ino == p->rootfs_ino);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static size_t count_prefix(const char *d, const char *prefix)
{
	char cmd[256], buf[16] = "";
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '^%s' || true", d, prefix);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	pclose(f);
	return (size_t)strtoul(buf, NULL, 10);
}

/* ---- tests ------------------------------------------------------------------------------------ */

static void test_sha256(void **state)
{
	char hex[WARD_SHA256_HEX];
	struct ward_sha256_sw s;
	unsigned char d[WARD_SHA256_LEN];
	char big[1000];

	(void)state;
	ward_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	ward_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ward_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* in pieces across block edges: the same digest */
	memset(big, 'a', sizeof(big));
	ward_sha256_sw_init(&s);
	for (size_t off = 0, step = 1; off < sizeof(big); off += step, step = step * 3 % 97 + 1)
		ward_sha256_sw_update(&s, big + off, off + step > sizeof(big) ? sizeof(big) - off : step);
	ward_sha256_sw_final(&s, d);
	ward_sha256_hex(big, sizeof(big), hex);
	for (int i = 0; i < WARD_SHA256_LEN; i++) {
		char two[3];

		snprintf(two, sizeof(two), "%02x", d[i]);
		assert_memory_equal(two, hex + 2 * i, 2);
	}
}

static void test_paths(void **state)
{
	char buf[4096];
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_image_store_path(buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, images);
	setenv("WARD_CACHE_DIR", "relative/dir", 1);
	assert_int_equal(ward_image_store_path(buf, sizeof(buf), &err), -EINVAL);
	assert_non_null(strstr(err.msg, "WARD_CACHE_DIR=relative/dir is not an absolute path"));
	unsetenv("WARD_CACHE_DIR");
	assert_int_equal(ward_image_store_path(buf, sizeof(buf), &err), 0);
	if (geteuid() == 0) {
		assert_string_equal(buf, "/var/cache/ward/images");
	} else {
		setenv("XDG_CACHE_HOME", "/x/cache", 1);
		assert_int_equal(ward_image_store_path(buf, sizeof(buf), &err), 0);
		assert_string_equal(buf, "/x/cache/ward/images");
		unsetenv("XDG_CACHE_HOME");
	}
}

static void test_names(void **state)
{
	char name[WARD_IMAGE_ENTRY_NAME], digest[WARD_IMAGE_DIGEST_LEN];
	const char *hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char d[80];

	(void)state;
	snprintf(d, sizeof(d), "sha256:%s", hex);
	assert_int_equal(ward_image_entry_name(d, false, 5, 6, name), 0);
	assert_string_equal(name, hex);
	assert_int_equal(ward_image_entry_name(d, true, 1000, 100, name), 0);
	assert_true(strcmp(name + 64, ".u1000g100") == 0);
	assert_true(ward_image_entry_name_valid(name, digest));
	assert_string_equal(digest, d);
	assert_int_equal(ward_image_entry_name("sha512:abc", false, 0, 0, name), -EINVAL);
	assert_false(ward_image_entry_name_valid("tmp.0123", NULL));
	assert_false(ward_image_entry_name_valid("sources", NULL));
	snprintf(name, sizeof(name), "%s.u1g", hex);
	assert_false(ward_image_entry_name_valid(name, NULL));
	snprintf(name, sizeof(name), "%s.u01g1", hex);
	assert_false(ward_image_entry_name_valid(name, NULL));
	snprintf(name, sizeof(name), "%s.u4294967296g1", hex);
	assert_false(ward_image_entry_name_valid(name, NULL));
	snprintf(name, sizeof(name), "%s/x", hex);
	assert_false(ward_image_entry_name_valid(name, NULL));
	snprintf(name, sizeof(name), "%.63sA", hex);
	assert_false(ward_image_entry_name_valid(name, NULL));
}

static void test_open_makes_private_dirs(void **state)
{
	struct ward_image_store s;
	struct ward_err err = {0};
	char deep[160];
	mode_t old = umask(0);

	(void)state;
	assert_int_equal(ward_image_store_open(&s, false, &err), -ENOENT);
	snprintf(deep, sizeof(deep), "%s/a/b", dir);
	setenv("WARD_CACHE_DIR", deep, 1);
	assert_int_equal(ward_image_store_open(&s, true, &err), 0);
	umask(old);
	ward_image_store_close(&s);
	snprintf(deep, sizeof(deep), "%s/a", dir);
	assert_int_equal(mode_of(deep), 0700);
	snprintf(deep, sizeof(deep), "%s/a/b/images", dir);
	assert_int_equal(mode_of(deep), 0700);
}

static void refused(const char *part)
{
	struct ward_image_store s;
	struct ward_err err = {0};

	assert_int_equal(ward_image_store_open(&s, true, &err) < 0, true);
	assert_int_equal(err.step, WARD_STEP_IMAGE);
	if (!strstr(err.msg, part))
		fail_msg("wanted \"%s\" in: %s", part, err.msg);
}

static void test_open_refuses(void **state)
{
	char other[128];

	(void)state;
	/* group-writable (for root, any group bit) */
	assert_int_equal(mkdir(images, 0700), 0);
	assert_int_equal(chmod(images, 0770), 0);
	refused("has mode 0770");
	if (geteuid() == 0) {
		assert_int_equal(chmod(images, 0750), 0);
		refused("root's cache must be closed to other users");
	}
	/* a symlink to a directory of the caller's */
	assert_int_equal(rmdir(images), 0);
	snprintf(other, sizeof(other), "%s/elsewhere", dir);
	assert_int_equal(mkdir(other, 0700), 0);
	assert_int_equal(symlink(other, images), 0);
	refused("is a symlink or not a directory");
	assert_int_equal(unlink(images), 0);
	/* another uid's (only root can make one) */
	if (geteuid() == 0) {
		assert_int_equal(mkdir(images, 0700), 0);
		assert_int_equal(chown(images, 12345, 12345), 0);
		refused("is owned by uid 12345, not by you");
	} else {
		print_message("    (another uid's cache: needs root to make one; checked as root)\n");
	}
}

static void test_source_key(void **state)
{
	char k0[WARD_IMAGE_KEY_HEX], k[WARD_IMAGE_KEY_HEX];
	struct ward_err err = {0};
	struct timespec ts[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = 1000000000}};
	int fd;

	(void)state;
	assert_int_equal(ward_image_source_key(archive_path, NULL, NULL, k0, &err), 0);
	assert_int_equal(ward_image_source_key(archive_path, NULL, NULL, k, &err), 0);
	assert_string_equal(k, k0);
	assert_int_equal(ward_image_source_key(archive_path, "app:1", NULL, k, &err), 0);
	assert_string_not_equal(k, k0);
	assert_int_equal(ward_image_source_key(archive_path, NULL, "10001", k, &err), 0);
	assert_string_not_equal(k, k0);
	/* ctime: a chmod */
	assert_int_equal(chmod(archive_path, 0600), 0);
	assert_int_equal(ward_image_source_key(archive_path, NULL, NULL, k, &err), 0);
	assert_string_not_equal(k, k0);
	memcpy(k0, k, sizeof(k));
	/* mtime */
	assert_int_equal(utimensat(AT_FDCWD, archive_path, ts, 0), 0);
	assert_int_equal(ward_image_source_key(archive_path, NULL, NULL, k, &err), 0);
	assert_string_not_equal(k, k0);
	memcpy(k0, k, sizeof(k));
	/* size */
	fd = open(archive_path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\0", 1), 1);
	close(fd);
	assert_int_equal(ward_image_source_key(archive_path, NULL, NULL, k, &err), 0);
	assert_string_not_equal(k, k0);
	assert_int_equal(ward_image_source_key("/nonexistent/x.tar", NULL, NULL, k, &err), -ENOENT);
}

/* Cold, then warm: the layout, the modes, the findings; the second start
 * does not call the unpacker. */
static void test_cold_then_warm(void **state)
{
	struct ward_image_prepared p, q;
	char path[512], entry[400];
	struct stat st;

	(void)state;
	prepare_ok(&p);
	assert_int_equal(unpacks, 1);
	assert_true(p.unpacked_now);
	assert_true(p.lock_fd >= 0);
	assert_true(ward_image_digest_valid(p.digest));
	assert_string_equal(p.name, "app:1");
	assert_string_equal(p.config.user, "app");
	snprintf(entry, sizeof(entry), "%s/%s", images, p.digest + 7);
	if (geteuid() != 0)
		strcat(entry, ".u10001g10001");
	snprintf(path, sizeof(path), "%s/rootfs", entry);
	assert_string_equal(p.rootfs, path);
	assert_int_equal(mode_of(images), 0700);
	assert_int_equal(mode_of(entry), 0700);
	assert_int_equal(lstat(entry, &st), 0);
	assert_int_equal(st.st_uid, geteuid());
	snprintf(path, sizeof(path), "%s/rootfs/bin/true", entry);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/config.json", entry);
	assert_int_equal(mode_of(path), 0600);
	snprintf(path, sizeof(path), "%s/entry.json", entry);
	assert_int_equal(mode_of(path), 0600);
	snprintf(path, sizeof(path), "%s/lock", entry);
	assert_int_equal(mode_of(path), 0600);
	snprintf(path, sizeof(path), "%s/sources", images);
	assert_int_equal(mode_of(path), 0700);
	assert_int_equal(count_prefix(path, ""), 1);
	assert_int_equal(count_prefix(images, "tmp."), 0);

	prepare_ok(&q);
	assert_int_equal(unpacks, 1);
	assert_false(q.unpacked_now);
	assert_string_equal(q.digest, p.digest);
	assert_string_equal(q.rootfs, p.rootfs);
	assert_string_equal(q.name, "app:1");
	assert_string_equal(q.config.user, "app");
	assert_int_equal(q.nfindings, p.nfindings);
	for (size_t i = 0; i < p.nfindings; i++) {
		assert_string_equal(q.findings[i].id, p.findings[i].id);
		assert_int_equal(q.findings[i].reachable, p.findings[i].reachable);
	}
	ward_image_prepared_free(&p);
	ward_image_prepared_free(&q);

	/* a new mtime is a new source: unpacked again, the same entry used */
	assert_int_equal(utimensat(AT_FDCWD, archive_path,
				   (struct timespec[]){{.tv_nsec = UTIME_OMIT},
						       {.tv_sec = 1000000000}}, 0), 0);
	prepare_ok(&p);
	assert_int_equal(unpacks, 2);
	assert_false(p.unpacked_now); /* the entry was there: ours removed */
	assert_int_equal(count_prefix(images, "tmp."), 0);
	snprintf(path, sizeof(path), "%s/sources", images);
	assert_int_equal(count_prefix(path, ""), 2);
	ward_image_prepared_free(&p);
}

/* A warm start costs well under a millisecond (measured: the mean of
 * 200, printed; bounded at 1 ms, not under valgrind). */
static void test_warm_time(void **state)
{
	struct ward_image_prepared p;
	struct timespec a, b;
	double us;

	(void)state;
	prepare_ok(&p);
	ward_image_prepared_free(&p);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 200; i++) {
		prepare_ok(&p);
		ward_image_prepared_free(&p);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	us = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 200 / 1e3;
	print_message("    warm ward_image_prepare: %.1f us on average\n", us);
	assert_int_equal(unpacks, 1);
	if (!getenv("WARD_UNDER_VALGRIND"))
		assert_true(us < 1000.0);
}

/* The ids run --image refuses with are those check --image shows. */
static void test_finding_ids_match_check(void **state)
{
	struct ward_image_prepared p;
	struct ward_image *img = NULL;
	struct ward_report *r = calloc(1, sizeof(*r));
	struct ward_err err = {0};
	const struct ward_image_finding *refused_list[8];
	char *accept[1];
	size_t matched = 0;

	(void)state;
	assert_non_null(r);
	prepare_ok(&p);
	assert_int_equal(ward_image_read(archive_path, NULL, &img, &err), 0);
	ward_image_report(img, r);
	ward_report_finish(r);
	for (size_t i = 0; i < r->n; i++) {
		bool found = false;

		if (r->rows[i].ok || strncmp(r->rows[i].id, "image.secret-", 13) != 0)
			continue;
		for (size_t k = 0; k < p.nfindings; k++)
			found |= strcmp(p.findings[k].id, r->rows[i].finding_id) == 0;
		if (!found)
			fail_msg("check's %s is not among the prepared findings",
				 r->rows[i].finding_id);
		matched++;
	}
	assert_int_equal(matched, p.nfindings);
	/* the key: in layer 0, again in layer 1 (visible: reachable); the
	 * .env deleted in layer 2; ENV and build arg never reachable */
	for (size_t k = 0; k < p.nfindings; k++) {
		const struct ward_image_finding *f = &p.findings[k];

		if (strcmp(f->id, "image.secret-file:/root/.ssh/id_ed25519#2") == 0)
			assert_true(f->reachable);
		else
			assert_false(f->reachable);
	}
	assert_int_equal(ward_image_refused(&p, NULL, 0, refused_list, 8), 1);
	assert_string_equal(refused_list[0]->id, "image.secret-file:/root/.ssh/id_ed25519#2");
	accept[0] = "image.secret-file:/root/.ssh/id_ed25519#2";
	assert_int_equal(ward_image_refused(&p, accept, 1, refused_list, 8), 0);
	accept[0] = "image.secret-file:/root/.ssh/id_ed25519";
	assert_int_equal(ward_image_refused(&p, accept, 1, refused_list, 8), 1);
	ward_image_free(img);
	free(r);
	ward_image_prepared_free(&p);
}

/* An entry failing a warm check is absent: made again. */
/* The audit calls an Env entry secret exactly when ward run would
 * withhold it (ward_secret_env_looks_secret), a value that is a private
 * key included; an empty value holds nothing. */
static void test_env_secret_as_run_withholds(void **state)
{
	const char *what;

	(void)state;
	assert_true(ward_image_env_secret("DB_PASSWORD=hunter2", &what));
	assert_null(what);
	assert_true(ward_image_env_secret("SSH_KEY=-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n"
					  "-----END OPENSSH PRIVATE KEY-----\n", &what));
	assert_non_null(what);
	assert_false(ward_image_env_secret("DB_PASSWORD=", &what));
	assert_false(ward_image_env_secret("PATH=/usr/bin:/bin", &what));
	assert_true(ward_secret_env_looks_secret("SSH_KEY=-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n"
						 "-----END OPENSSH PRIVATE KEY-----\n"));
}

static void test_warm_checks(void **state)
{
	struct ward_image_prepared p;
	char entry[400], path[512];
	FILE *f;

	(void)state;
	prepare_ok(&p);
	snprintf(entry, sizeof(entry), "%s", p.rootfs);
	*strrchr(entry, '/') = '\0';
	ward_image_prepared_free(&p);

	assert_int_equal(chmod(entry, 0755), 0);
	prepare_ok(&p);
	assert_int_equal(unpacks, 2);
	assert_true(p.unpacked_now);
	assert_int_equal(mode_of(entry), 0700);
	ward_image_prepared_free(&p);

	snprintf(path, sizeof(path), "%s/entry.json", entry);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"schema\":1,\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\",\"findings\":[]}", f);
	fclose(f);
	prepare_ok(&p);
	assert_int_equal(unpacks, 3);
	assert_true(p.unpacked_now);
	assert_true(p.nfindings > 0);
	ward_image_prepared_free(&p);

	snprintf(path, sizeof(path), "%s/config.json", entry);
	f = fopen(path, "a");
	assert_non_null(f);
	fputs(" ", f);
	fclose(f);
	prepare_ok(&p);
	assert_int_equal(unpacks, 4);
	assert_true(p.unpacked_now);
	ward_image_prepared_free(&p);
	assert_int_equal(count_prefix(images, "tmp."), 0);
}

/* Two first runs of one image at once: one entry, no tmp.* left. */
static void test_concurrent_makers(void **state)
{
	pid_t pid[2];
	int won = 0;

	(void)state;
	unpack_delay_ms = 200;
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0) {
			struct ward_image_prepared p;
			struct ward_image_request req = request();
			struct ward_err err = {0};

			if (ward_image_prepare(&req, &p, &err) < 0) {
				fprintf(stderr, "%s\n", err.msg);
				_exit(2);
			}
			_exit(p.unpacked_now ? 1 : 0);
		}
	}
	for (int i = 0; i < 2; i++) {
		int status;

		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) < 2);
		won += WEXITSTATUS(status);
	}
	assert_int_equal(won, 1);
	assert_int_equal(count_prefix(images, "tmp."), 0);
	assert_int_equal(count_prefix(images, "[0-9a-f]"), 1);
}

/* The maker's own race, by hand: the second commit of one name uses the
 * first's entry. */
static void test_commit_race(void **state)
{
	struct ward_image_store s;
	struct ward_image_maker m1, m2;
	struct ward_err err = {0};
	char name[WARD_IMAGE_ENTRY_NAME], json[160];
	const char *config = "{}";
	int l1 = -1, l2 = -1;
	bool won1, won2;

	(void)state;
	ward_sha256_hex(config, 2, name);
	snprintf(json, sizeof(json), "{\"schema\":1,\"digest\":\"sha256:%s\",\"findings\":[]}", name);
	assert_int_equal(ward_image_store_open(&s, true, &err), 0);
	assert_int_equal(ward_image_store_begin(&s, &m1, &err), 0);
	assert_int_equal(ward_image_store_begin(&s, &m2, &err), 0);
	assert_string_not_equal(m1.tmp, m2.tmp);
	assert_int_equal(ward_image_store_write(&m1, "entry.json", json, strlen(json), &err), 0);
	assert_int_equal(ward_image_store_write(&m2, "entry.json", json, strlen(json), &err), 0);
	assert_int_equal(ward_image_store_write(&m1, "config.json", config, 2, &err), 0);
	assert_int_equal(ward_image_store_write(&m2, "config.json", config, 2, &err), 0);
	assert_int_equal(count_prefix(images, "tmp."), 2);
	assert_int_equal(ward_image_store_commit(&s, &m1, name, &l1, &won1, &err), 0);
	assert_int_equal(ward_image_store_commit(&s, &m2, name, &l2, &won2, &err), 0);
	assert_true(won1);
	assert_false(won2);
	assert_true(l1 >= 0 && l2 >= 0);
	assert_int_equal(count_prefix(images, "tmp."), 0);
	assert_int_equal(ward_image_store_check(&s, name, NULL, NULL), 0);
	close(l1);
	close(l2);
	ward_image_store_close(&s);
}

/* rm refuses an entry a run holds, prune's tmp removal skips a maker's. */
static void test_locks(void **state)
{
	struct ward_image_prepared p;
	struct ward_image_store s;
	struct ward_image_maker m;
	struct ward_image_entry_info *v = NULL;
	struct ward_err err = {0};
	char name[WARD_IMAGE_ENTRY_NAME], path[256];
	uint64_t freed = 0;
	size_t n = 0;

	(void)state;
	prepare_ok(&p);
	snprintf(name, sizeof(name), "%s", p.rootfs + strlen(images) + 1);
	*strchr(name, '/') = '\0';
	assert_int_equal(ward_image_store_open(&s, false, &err), 0);
	assert_int_equal(ward_image_store_list(&s, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].name, name);
	assert_true(v[0].in_use);
	assert_true(v[0].valid);
	assert_string_equal(v[0].image, "app:1");
	assert_int_equal(v[0].files, 2); /* the final tree's: passwd and the key (the .env is deleted) */
	ward_image_entry_infos_free(v, n);

	assert_int_equal(ward_image_store_remove(&s, name, &freed, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "in use by a running sandbox"));
	assert_int_equal(ward_image_store_check(&s, name, NULL, NULL), 0);

	/* a maker at work: its tmp.* is skipped */
	assert_int_equal(ward_image_store_begin(&s, &m, &err), 0);
	assert_int_equal(ward_image_store_remove_stale(&s, m.tmp, &freed), -EBUSY);
	snprintf(path, sizeof(path), "%s/%s", images, m.tmp);
	assert_int_equal(access(path, F_OK), 0);
	close(m.lock_fd); /* the maker died */
	m.lock_fd = -1;
	assert_int_equal(ward_image_store_remove_stale(&s, m.tmp, &freed), 0);
	assert_int_equal(access(path, F_OK), -1);
	close(m.fd);
	close(m.rootfs_fd);

	/* the run ends: rm takes it, and the source with it */
	ward_image_prepared_free(&p);
	assert_int_equal(ward_image_store_remove(&s, name, &freed, &err), 0);
	assert_true(freed > 0);
	snprintf(path, sizeof(path), "%s/%s", images, name);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/sources", images);
	assert_int_equal(count_prefix(path, ""), 0);
	assert_int_equal(count_prefix(images, "tmp."), 0);
	ward_image_store_close(&s);
}

/* With the real unpacker: the tree it writes is the entry's, the digest
 * it computes names it, and the next start uses it. */
static void test_real_unpacker(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	struct ward_image_prepared p, q;
	char path[512], hex[WARD_SHA256_HEX];
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	real_unpacker = true;
	prepare_ok(&p);
	assert_true(p.unpacked_now);
	snprintf(path, sizeof(path), "%s/root/.ssh/id_ed25519", p.rootfs);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	snprintf(path, sizeof(path), "%s/app/.env", p.rootfs);
	assert_int_equal(lstat(path, &st), -1); /* the whiteout applied */
	snprintf(path, sizeof(path), "%s", p.rootfs);
	strcpy(strrchr(path, '/'), "/config.json");
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(getdelim(&buf, &len, '\0', f) > 0);
	fclose(f);
	ward_sha256_hex(buf, strlen(buf), hex);
	free(buf);
	assert_string_equal(hex, p.digest + 7);
	assert_int_equal(ward_image_refused(&p, NULL, 0, NULL, 0), 1);
	prepare_ok(&q);
	assert_false(q.unpacked_now);
	assert_int_equal(unpacks, 1);
	assert_string_equal(q.rootfs, p.rootfs);
	ward_image_prepared_free(&p);
	ward_image_prepared_free(&q);
}

/* A start waits out an exclusive holder of the lock (a maker between
 * its rename and its shared lock, ward image ls looking) and uses the
 * entry; one that waited out a remover finds it gone. */
static void test_use_waits_for_the_lock(void **state)
{
	struct ward_image_prepared p;
	struct ward_image_store s;
	struct ward_err err = {0};
	struct ward_image_entry_files files = {0};
	char name[WARD_IMAGE_ENTRY_NAME], lock[512], hex[WARD_SHA256_HEX], p_rootfs[512];
	struct stat st;
	int lfd = -1, efd = -1, fd;
	pid_t pid;

	(void)state;
	prepare_ok(&p);
	snprintf(name, sizeof(name), "%s", p.rootfs + strlen(images) + 1);
	*strchr(name, '/') = '\0';
	snprintf(lock, sizeof(lock), "%s/%s/lock", images, name);
	snprintf(p_rootfs, sizeof(p_rootfs), "%s/%s/rootfs", images, name);
	ward_image_prepared_free(&p);
	assert_int_equal(ward_image_store_open(&s, false, &err), 0);

	fd = open(lock, O_RDONLY);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(200 * 1000);
		_exit(0); /* the lock goes with the child's copy of fd */
	}
	close(fd);
	assert_int_equal(ward_image_store_use(&s, name, &lfd, &efd, &files, NULL), 0);
	assert_true(lfd >= 0 && efd >= 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	close(lfd);
	close(efd);
	/* what the check read comes back: entry.json parsed, with the
	 * digest of the name; the bytes whose digest it checked; the tree */
	assert_non_null(files.entry);
	assert_non_null(strstr(json_object_to_json_string(files.entry), name));
	assert_int_equal(stat(p_rootfs, &st), 0);
	assert_true(files.rootfs_dev == st.st_dev && files.rootfs_ino == st.st_ino);
	ward_sha256_hex(files.config_json, files.config_len, hex);
	assert_int_equal(strncmp(hex, name, 64), 0);
	ward_image_entry_files_free(&files);
	assert_null(files.config_json);
	assert_null(files.entry);

	/* a remover: the lock exclusive while the entry leaves its name */
	fd = open(lock, O_RDONLY);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char tmp[512], dst[512];

		usleep(200 * 1000);
		snprintf(tmp, sizeof(tmp), "%s/%s", images, name);
		snprintf(dst, sizeof(dst), "%s/tmp.0000000000000000", images);
		_exit(rename(tmp, dst) == 0 ? 0 : 1);
	}
	close(fd);
	assert_int_equal(ward_image_store_use(&s, name, &lfd, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	ward_image_store_close(&s);
}

/* A tree with directories the owner cannot enter is removed too, and a
 * symlink in it is removed, not followed. */
static void test_remove_tree(void **state)
{
	char path[256], outside[128];
	uint64_t bytes = 0;
	int fd;

	(void)state;
	snprintf(outside, sizeof(outside), "%s/outside", dir);
	fd = open(outside, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/t", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/t/locked", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/t/locked/link", dir);
	assert_int_equal(symlink(outside, path), 0);
	snprintf(path, sizeof(path), "%s/t/locked", dir);
	assert_int_equal(chmod(path, 0), 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_int_equal(ward_image_remove_tree(fd, "t", &bytes), 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/t", dir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(outside, F_OK), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sha256),
		T(test_paths),
		T(test_names),
		T(test_open_makes_private_dirs),
		T(test_open_refuses),
		T(test_source_key),
		T(test_cold_then_warm),
		T(test_warm_time),
		T(test_finding_ids_match_check),
		T(test_env_secret_as_run_withholds),
		T(test_warm_checks),
		T(test_concurrent_makers),
		T(test_commit_race),
		T(test_locks),
		T(test_real_unpacker),
		T(test_use_waits_for_the_lock),
		T(test_remove_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
