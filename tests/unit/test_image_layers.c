/* image_tree.c, image_layers.c, image_archive.c, image.c: the final tree
 * with whiteouts, and whole archives written here with libarchive.
 *
 *   whiteouts     .wh.NAME hides NAME and what is beneath it, for lower
 *                 layers only; .wh..wh..opq empties a directory; a file
 *                 over a directory hides its children; re-added paths
 *                 come back
 *   secrets       which layer added each one and which deleted or
 *                 overwrote it
 *   archives      a docker save tar (with a symlinked repeated layer, a
 *                 gzip layer, whiteouts), an OCI directory (a symlinked
 *                 blob refused), duplicates and hostile names refused;
 *                 an archive of two tags read with --tag, refused without
 *   bounds        each bound, lowered, gives its own error: members,
 *                 entries per layer and in all, JSON size, layer bytes,
 *                 path length, headers, layers
 *   expansion     a 70 MB file of zeros read; the bytes a layer and the
 *                 image expand to, the outer archive's, and the time of
 *                 the read bounded, each named as --image-limit takes it
 *   headers       tar written byte by byte: a pax header over libarchive's
 *                 record limit, GNU long names and a global header over
 *                 WARD_IMAGE_MAX_HEADER, 33 headers in a row and a
 *                 malformed record refused; a UTF-8 pax name read as is */
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
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "image/image.h"
#include "image/nettle_dl.h"
#include "report/image_report.h"

#define HEX_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HEX_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HEX_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define PRIVKEY "-----BEGIN OPENSSH PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END OPENSSH PRIVATE KEY-----\n"

static struct ward_image_limits lim;
static char dir[64];
static const struct ward_image_opts opts = {.lim = &lim};

static int setup(void **state)
{
	(void)state;
	ward_image_limits_default(&lim);
	snprintf(dir, sizeof(dir), "/tmp/ward-test-image.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* ---- the final tree, by hand -------------------------------------------------------- */

static void add(struct ward_image_layer_scan *s, const char *path,
		enum ward_image_ev type)
{
	assert_true(ward_image_layer_add(s, path, type, type == WARD_IMAGE_EV_DIR ? 0755 : 0644,
					 type == WARD_IMAGE_EV_FILE ? 10 : 0) >= 0);
}

/* A file whose content was read and found secret. */
static void add_secret(struct ward_image_layer_scan *s, const char *path)
{
	long ev = ward_image_layer_add(s, path, WARD_IMAGE_EV_FILE, 0600, 10);

	assert_true(ev >= 0);
	s->contents = realloc(s->contents, (s->ncontents + 1) * sizeof(*s->contents));
	assert_non_null(s->contents);
	s->contents[s->ncontents] = (struct ward_image_content){
		.kind = WARD_IMAGE_C_SECRET, .secret = WARD_SECRET_BY_NAME,
	};
	s->ev[ev].content = (int32_t)s->ncontents++;
}

static bool visible(const struct ward_image_tree *t, const char *path)
{
	return ward_image_tree_lookup(t, path, NULL);
}

static void count_visit(void *ctx, const char *path,
			const struct ward_image_node_info *info)
{
	(void)path;
	(void)info;
	(*(size_t *)ctx)++;
}

static void test_whiteouts(void **state)
{
	struct ward_image_layer_scan l[4] = {0};
	const struct ward_image_layer_scan *layers[5] = {&l[0], &l[1], &l[2], &l[3], &l[0]};
	struct ward_image_tree *t = NULL;
	struct ward_err err = {0};
	struct ward_image_node_info info;
	size_t n = 0;

	(void)state;
	/* layer 0: the base */
	add(&l[0], "app", WARD_IMAGE_EV_DIR);
	add_secret(&l[0], "app/.env");
	add(&l[0], "app/lib/x.py", WARD_IMAGE_EV_FILE); /* implicit app/lib */
	add(&l[0], "d", WARD_IMAGE_EV_DIR);
	add(&l[0], "d/x", WARD_IMAGE_EV_FILE);
	add(&l[0], "d/y", WARD_IMAGE_EV_FILE);
	add(&l[0], "f", WARD_IMAGE_EV_DIR);
	add(&l[0], "f/child", WARD_IMAGE_EV_FILE);
	add_secret(&l[0], "k/id_rsa");
	/* layer 1: deletes .env and the whole lib, makes d opaque and adds
	 * d/z (listed before the marker: order inside a layer does not
	 * matter), replaces the directory f by a file */
	add(&l[1], "d/z", WARD_IMAGE_EV_FILE);
	add(&l[1], "app/.env", WARD_IMAGE_EV_WHITEOUT);
	add(&l[1], "app/lib", WARD_IMAGE_EV_WHITEOUT);
	add(&l[1], "d", WARD_IMAGE_EV_OPAQUE);
	add(&l[1], "f", WARD_IMAGE_EV_FILE);
	add(&l[1], "nothing/here", WARD_IMAGE_EV_WHITEOUT);
	/* layer 2: overwrites k/id_rsa with a harmless file, brings back
	 * app/lib/new.py (app/lib again, without x.py) */
	add(&l[2], "k/id_rsa", WARD_IMAGE_EV_FILE);
	add(&l[2], "app/lib/new.py", WARD_IMAGE_EV_FILE);
	/* layer 3: a fresh .env */
	add_secret(&l[3], "app/.env");

	assert_int_equal(ward_image_tree_build(layers, 4, &lim, &t, &err), 0);
	assert_false(visible(t, "app/lib/x.py"));
	assert_true(visible(t, "app/lib/new.py"));
	assert_true(visible(t, "app/lib"));
	assert_true(visible(t, "d"));
	assert_false(visible(t, "d/x"));
	assert_false(visible(t, "d/y"));
	assert_true(visible(t, "d/z"));
	assert_true(ward_image_tree_lookup(t, "f", &info));
	assert_int_equal(info.type, WARD_IMAGE_EV_FILE);
	assert_int_equal(info.layer, 1);
	assert_false(visible(t, "f/child"));
	assert_true(ward_image_tree_lookup(t, "app/.env", &info));
	assert_int_equal(info.layer, 3);
	assert_non_null(info.content);
	{
		size_t ns;
		const struct ward_image_secret *s = ward_image_tree_secrets(t, &ns);

		assert_int_equal(ns, 3);
		assert_string_equal(s[0].path, "app/.env");
		assert_int_equal(s[0].layer, 0);
		assert_int_equal(s[0].fate, WARD_IMAGE_DELETED);
		assert_int_equal(s[0].fate_layer, 1);
		assert_string_equal(s[1].path, "k/id_rsa");
		assert_int_equal(s[1].fate, WARD_IMAGE_OVERWRITTEN);
		assert_int_equal(s[1].fate_layer, 2);
		assert_int_equal(s[2].layer, 3);
		assert_int_equal(s[2].fate, WARD_IMAGE_VISIBLE);
	}
	/* app, app/.env, app/lib, app/lib/new.py, d, d/z, f, k, k/id_rsa */
	ward_image_tree_walk(t, count_visit, &n);
	assert_int_equal(n, 9);
	ward_image_tree_free(t);

	/* the same scan shared by two layer indexes (docker save links
	 * repeated layers): layer 4 re-adds what layer 1 deleted */
	assert_int_equal(ward_image_tree_build(layers, 5, &lim, &t, &err), 0);
	assert_true(visible(t, "d/x"));
	assert_true(ward_image_tree_lookup(t, "app/.env", &info));
	assert_int_equal(info.layer, 4);
	ward_image_tree_free(t);
	for (int i = 0; i < 4; i++)
		ward_image_layer_scan_free(&l[i]);
}

static void test_tree_bound(void **state)
{
	struct ward_image_layer_scan l = {0};
	const struct ward_image_layer_scan *layers[1] = {&l};
	struct ward_image_tree *t = NULL;
	struct ward_err err = {0};

	(void)state;
	lim.max_entries = 2; /* at most 5 paths */
	add(&l, "a/b/c/d/e/f", WARD_IMAGE_EV_FILE);
	assert_int_equal(ward_image_tree_build(layers, 1, &lim, &t, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "more than 4 paths (twice the entries bound: --image-limit entries=2 raises it)"));
	ward_image_layer_scan_free(&l);
}

/* ---- archives -------------------------------------------------------------------------- */

static struct archive *tar_new(bool gzip)
{
	struct archive *a = archive_write_new();

	assert_non_null(a);
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	if (gzip)
		assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	return a;
}

static void tar_entry(struct archive *a, const char *name, unsigned type,
		      unsigned mode, const void *data, size_t len, const char *link)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, mode);
	archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)len : 0);
	if (link)
		archive_entry_set_symlink(e, link);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (type == AE_IFREG && len)
		assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

static void tar_file(struct archive *a, const char *name, const char *text)
{
	tar_entry(a, name, AE_IFREG, 0644, text, strlen(text), NULL);
}

/* A layer tar in memory (heap, *len bytes): pairs NAME, CONTENT, then
 * NULL; a NAME ending in "/" is a directory, a CONTENT "mode:4755" a
 * one-byte file with that mode. */
static void *layer(bool gzip, size_t *len, ...)
{
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	struct archive *a = tar_new(gzip);
	va_list ap;
	const char *name;

	assert_non_null(buf);
	assert_int_equal(archive_write_open_memory(a, buf, cap, len), ARCHIVE_OK);
	va_start(ap, len);
	while ((name = va_arg(ap, const char *))) {
		const char *text = va_arg(ap, const char *);

		if (name[strlen(name) - 1] == '/')
			tar_entry(a, name, AE_IFDIR, 0755, NULL, 0, NULL);
		else if (strncmp(text, "mode:", 5) == 0)
			tar_entry(a, name, AE_IFREG, (unsigned)strtoul(text + 5, NULL, 8),
				  "x", 1, NULL);
		else
			tar_file(a, name, text);
	}
	va_end(ap);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return buf;
}

static const char config_json[] =
	"{\"config\":{\"User\":\"\",\"ExposedPorts\":{\"80/tcp\":{}}},"
	"\"history\":[{\"created_by\":\"ADD base /\"},"
	"{\"created_by\":\"|1 API_TOKEN=tok-SECRET /bin/sh -c make\"},"
	"{\"created_by\":\"RUN rm -rf /root\"},{\"created_by\":\"RUN true\"}]}";

/* A docker save archive at @path: layer 0 (base, with a key), layer 1
 * (gzip: a setuid shell, an .env), layer 2 (whiteouts), layer 3 a
 * symlink to layer 0's member.  @extra, if set, adds members. */
static void write_docker(const char *path, const char *manifest,
			 void (*extra)(struct archive *))
{
	struct archive *a = tar_new(false);
	size_t l0n, l1n, l2n;
	void *l0 = layer(false, &l0n, "etc/", "", "etc/passwd",
			 "root:x:0:0::/root:/bin/sh\napp:x:10001:10001::/app:/bin/sh\n",
			 "root/", "", "root/.ssh/id_ed25519", PRIVKEY, "tmp/", "", NULL);
	void *l1 = layer(true, &l1n, "bin/", "", "bin/sh", "mode:4755", "app/.env",
			 "X=1\n", "var/lib/dpkg/status",
			 "Package: a\nStatus: install ok installed\n\nPackage: b\nStatus: install ok installed\n",
			 NULL);
	void *l2 = layer(false, &l2n, "root/.wh..wh..opq", "", "app/.wh..env", "", NULL);

	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	tar_entry(a, "l0/layer.tar", AE_IFREG, 0644, l0, l0n, NULL);
	tar_entry(a, "l1/layer.tar", AE_IFREG, 0644, l1, l1n, NULL);
	tar_entry(a, "l2/layer.tar", AE_IFREG, 0644, l2, l2n, NULL);
	tar_entry(a, "l3/layer.tar", AE_IFLNK, 0777, NULL, 0, "../l0/layer.tar");
	if (extra)
		extra(a);
	tar_file(a, "config.json", config_json);
	tar_file(a, "manifest.json", manifest ? manifest :
		 "[{\"Config\":\"config.json\",\"RepoTags\":[\"t:1\"],\"Layers\":"
		 "[\"l0/layer.tar\",\"l1/layer.tar\",\"l2/layer.tar\",\"l3/layer.tar\"]}]");
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	free(l0);
	free(l1);
	free(l2);
}

static bool has_row(const struct ward_report *r, const char *id, bool ok,
		    const char *part)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].id, id) == 0 && r->rows[i].ok == ok &&
		    strstr(r->rows[i].what, part))
			return true;
	return false;
}

static void test_docker_archive(void **state)
{
	char path[128];
	struct ward_image *img = NULL;
	struct ward_err err = {0};
	struct ward_report *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	snprintf(path, sizeof(path), "%s/img.tar", dir);
	write_docker(path, NULL, NULL);
	assert_int_equal(ward_image_read(path, &opts, &img, &err), 0);
	assert_int_equal(img->meta.nlayers, 4);
	assert_int_equal(img->nscans, 3); /* l3 is l0 */
	assert_ptr_equal(img->by_layer[3], img->by_layer[0]);
	assert_string_equal(img->meta.name, "t:1");
	ward_image_report(img, r);
	ward_report_finish(r);
	assert_true(has_row(r, "image.user", false, "no USER"));
	/* layer 0's key: hidden by layer 2's opaque /root, back in layer 3 */
	assert_true(has_row(r, "image.secret-file", false,
			    "/root/.ssh/id_ed25519 (secret by its name, holds a private key) added in layer 0 by \"ADD base /\"; deleted in layer 2"));
	assert_true(has_row(r, "image.secret-file", false, "/root/.ssh/id_ed25519 (secret by its name, holds a private key) added in layer 3"));
	assert_true(has_row(r, "image.secret-file", false,
			    "/app/.env (secret by its name) added in layer 1 by \"|1 API_TOKEN=*** /bin/sh -c make\"; deleted in layer 2"));
	assert_true(has_row(r, "image.secret-history", false, "build arg API_TOKEN=*** recorded in history 1 (layers 1)"));
	assert_true(has_row(r, "image.setuid", false, "/bin/sh"));
	assert_true(has_row(r, "image.tools", false, "shell (sh)"));
	assert_true(has_row(r, "image.packages", false, "2 packages installed (dpkg)"));
	assert_true(has_row(r, "image.ports", false, "80/tcp"));
	assert_true(has_row(r, "image.secret-env", true, "no secret"));
	for (size_t i = 0; i < r->n; i++) {
		assert_null(strstr(r->rows[i].what, "tok-SECRET"));
		assert_null(strstr(r->rows[i].what, "SECRETKEYMATERIAL"));
	}
	assert_true(r->exposure >= 6.0);
	ward_image_free(img);
	free(r);
}

static int read_err(const char *path, struct ward_err *err)
{
	struct ward_image *img = NULL;
	int r = ward_image_read(path, &opts, &img, err);

	ward_image_free(img);
	return r;
}

static void extra_dup(struct archive *a)
{
	tar_file(a, "./config.json", "{}");
}

static void extra_dotdot(struct archive *a)
{
	tar_file(a, "x/../../evil", "x");
}

static void test_archive_refusals(void **state)
{
	char path[128];
	struct ward_err err = {0};

	(void)state;
	snprintf(path, sizeof(path), "%s/img.tar", dir);
	write_docker(path, NULL, extra_dup);
	assert_int_equal(read_err(path, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "appears twice"));
	write_docker(path, NULL, extra_dotdot);
	assert_int_equal(read_err(path, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "has a '..' component: refused"));
	write_docker(path, "[{\"Config\":\"config.json\",\"Layers\":[\"nope/layer.tar\"]}]", NULL);
	assert_int_equal(read_err(path, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no member 'nope/layer.tar'"));
	write_docker(path, "[{\"Config\":\"l3/layer.tar\",\"Layers\":[]}]", NULL);
	assert_int_equal(read_err(path, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "image config: malformed JSON"));
	assert_int_equal(read_err(dir, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "without index.json"));
	assert_int_equal(err.step, WARD_STEP_IMAGE);
}

/* docker save of two tags: --tag picks one (threaded through
 * ward_image_read), none is an error that lists them. */
static void test_docker_two_tags(void **state)
{
	char path[128];
	struct ward_image *img = NULL;
	struct ward_err err = {0};
	struct ward_image_opts o = {.tag = "t:2", .lim = &lim};

	(void)state;
	snprintf(path, sizeof(path), "%s/img.tar", dir);
	write_docker(path, "[{\"Config\":\"config.json\",\"RepoTags\":[\"t:1\"],\"Layers\":[\"l0/layer.tar\"]},"
			   "{\"Config\":\"config.json\",\"RepoTags\":[\"t:2\"],"
			   "\"Layers\":[\"l0/layer.tar\",\"l1/layer.tar\"]}]", NULL);
	assert_int_equal(read_err(path, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "img.tar: manifest.json: 2 images (t:1, t:2): choose one with --tag REPO:TAG"));
	if (ward_image_read(path, &o, &img, &err) != 0)
		fail_msg("%s", err.msg);
	assert_string_equal(img->meta.name, "t:2");
	assert_int_equal(img->meta.nlayers, 2);
	assert_int_equal(img->meta.nimages, 2);
	ward_image_free(img);
	o.tag = "t:3";
	assert_int_equal(ward_image_read(path, &o, &img, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no image tagged 't:3' (the archive has t:1, t:2)"));
}

/* A zero-byte layer is an empty layer. */
static void test_empty_layer(void **state)
{
	char path[128];
	struct archive *a = tar_new(false);
	struct ward_image *img = NULL;
	struct ward_err err = {0};

	(void)state;
	snprintf(path, sizeof(path), "%s/empty.tar", dir);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	tar_entry(a, "l0/layer.tar", AE_IFREG, 0644, NULL, 0, NULL);
	tar_file(a, "c.json", "{\"config\":{\"User\":\"1000:1000\"}}");
	tar_file(a, "manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"l0/layer.tar\"]}]");
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	assert_int_equal(ward_image_read(path, &opts, &img, &err), 0);
	assert_int_equal(img->meta.nlayers, 1);
	assert_int_equal(img->entries, 0);
	ward_image_free(img);
}

/* Each bound, lowered, trips with its own message. */
static void bound(const char *path, size_t off, size_t value, int want,
		  const char *name)
{
	struct ward_err err = {0};
	struct ward_image_limits saved = lim;

	if (off == offsetof(struct ward_image_limits, max_image_bytes) ||
	    off == offsetof(struct ward_image_limits, max_layer_bytes))
		*(uint64_t *)((char *)&lim + off) = value;
	else
		*(size_t *)((char *)&lim + off) = value;
	assert_int_equal(read_err(path, &err), want);
	if (!strstr(err.msg, name))
		fail_msg("bound %s: got '%s'", name, err.msg);
	lim = saved;
}

static void test_bounds(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/img.tar", dir);
	write_docker(path, NULL, NULL);
	bound(path, offsetof(struct ward_image_limits, max_members), 3, -E2BIG,
	      "WARD_IMAGE_MAX_MEMBERS");
	bound(path, offsetof(struct ward_image_limits, max_layer_entries), 2, -E2BIG,
	      "more than 2 entries in this layer (--image-limit layer-entries=2 raises it)");
	bound(path, offsetof(struct ward_image_limits, max_entries), 7, -E2BIG,
	      "more than 7 entries in all layers together (--image-limit entries=7 raises it)");
	bound(path, offsetof(struct ward_image_limits, max_json), 64, -EFBIG,
	      "WARD_IMAGE_MAX_JSON");
	bound(path, offsetof(struct ward_image_limits, max_layer_bytes), 1000, -EFBIG,
	      "more than 1000 bytes expanded from this layer (--image-limit layer-size=1000 raises it)");
	bound(path, offsetof(struct ward_image_limits, max_image_bytes), 1000, -EFBIG,
	      "(--image-limit image-size=1000 raises it)");
	bound(path, offsetof(struct ward_image_limits, max_path), 12, -ENAMETOOLONG,
	      "WARD_IMAGE_MAX_PATH");
	bound(path, offsetof(struct ward_image_limits, max_header), 511, -EFBIG,
	      "member 'l0/layer.tar': its tar headers fill 512 bytes, more than 511 (WARD_IMAGE_MAX_HEADER)");
	bound(path, offsetof(struct ward_image_limits, max_layers), 3, -E2BIG,
	      "WARD_IMAGE_MAX_LAYERS");
	bound(path, offsetof(struct ward_image_limits, max_history), 2, -E2BIG,
	      "WARD_IMAGE_MAX_HISTORY");
}

/* A docker save archive at @path whose @n layers (gzip) each hold one
 * file of @size zero bytes. */
static void write_zeros(const char *path, int n, size_t size)
{
	size_t ln = 0, cap = (size >> 9) + (1 << 16);
	char *zeros = calloc(1, size), *buf = malloc(cap);
	struct archive *o = tar_new(false);
	char manifest[256] = "[{\"Config\":\"config.json\",\"Layers\":[";

	assert_non_null(zeros);
	assert_non_null(buf);
	assert_int_equal(archive_write_open_filename(o, path), ARCHIVE_OK);
	for (int i = 0; i < n; i++) {
		struct archive *a = tar_new(true);
		char name[32];

		assert_int_equal(archive_write_open_memory(a, buf, cap, &ln), ARCHIVE_OK);
		tar_entry(a, "zeros", AE_IFREG, 0644, zeros, size, NULL);
		assert_int_equal(archive_write_close(a), ARCHIVE_OK);
		archive_write_free(a);
		snprintf(name, sizeof(name), "l%d/layer.tar", i);
		tar_entry(o, name, AE_IFREG, 0644, buf, ln, NULL);
		snprintf(manifest + strlen(manifest), sizeof(manifest) - strlen(manifest),
			 "%s\"%s\"", i ? "," : "", name);
	}
	strcat(manifest, "]}]");
	tar_file(o, "config.json", "{}");
	tar_file(o, "manifest.json", manifest);
	assert_int_equal(archive_write_close(o), ARCHIVE_OK);
	archive_write_free(o);
	free(zeros);
	free(buf);
}

/* What a bomb costs is bounded, not its ratio: a 70 MB file of zeros
 * (about 1000:1 in gzip) is read; the layer's and the image's expanded
 * bytes and the time are bounded, each error naming the option that
 * raises the bound. */
static void test_expanded(void **state)
{
	char path[128], want[256], name[64];
	struct ward_err err = {0};
	struct ward_image *img = NULL;
	uint64_t s0, all;

	(void)state;
	snprintf(path, sizeof(path), "%s/zeros.tar", dir);
	write_zeros(path, 1, 70u * 1000 * 1000);
	if (ward_image_read(path, &opts, &img, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(img->expanded, img->scans[0].stream_bytes);
	assert_true(img->expanded > 70u * 1000 * 1000);
	ward_image_free(img);
	/* an entry declaring more than the layer may still expand to */
	lim.max_layer_bytes = 64u << 20;
	assert_int_equal(read_err(path, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "layer 0 (l0/layer.tar): entry 'zeros' declares 70000000 bytes, more than the layer may still expand to (--image-limit layer-size=64M raises it)"));
	ward_image_limits_default(&lim);
	/* the time of the whole read */
	lim.max_ms = 1;
	assert_int_equal(read_err(path, &err), -ETIME);
	assert_non_null(strstr(err.msg, ": still reading when the time allowed ran out (--image-limit time=1ms raises it)"));
	ward_image_limits_default(&lim);

	/* two layers of 1 MiB: 2 MiB and their tar headers in all */
	write_zeros(path, 2, 1u << 20);
	if (ward_image_read(path, &opts, &img, &err) != 0)
		fail_msg("%s", err.msg);
	s0 = img->scans[0].stream_bytes;
	all = img->expanded;
	assert_int_equal(all, s0 + img->scans[1].stream_bytes);
	ward_image_free(img);
	/* layer 1's entry declares more than is left after layer 0 */
	lim.max_image_bytes = s0 + (1u << 20);
	assert_int_equal(read_err(path, &err), -EFBIG);
	snprintf(want, sizeof(want), "layer 1 (l1/layer.tar): entry 'zeros' declares 1048576 bytes, more than the image may still expand to (%s raises it)",
		 ward_image_limit_name(&lim, "image-size", name, sizeof(name)));
	if (!strstr(err.msg, want))
		fail_msg("got '%s'", err.msg);
	/* the stream goes one byte over */
	lim.max_image_bytes = all - 1;
	assert_int_equal(read_err(path, &err), -EFBIG);
	snprintf(want, sizeof(want), "layer 1 (l1/layer.tar): more than %llu bytes expanded from the image's layers together (--image-limit image-size=%llu raises it)",
		 (unsigned long long)(all - 1), (unsigned long long)(all - 1));
	if (!strstr(err.msg, want))
		fail_msg("got '%s'", err.msg);
	/* the outer archive, compressed or not, has its own bound */
	ward_image_limits_default(&lim);
	lim.max_archive_bytes = 4096;
	assert_int_equal(read_err(path, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "bytes expanded from the archive in one pass (--image-limit archive-size=4K raises it)"));
}

static void expect_limits(const char *spec, int want, const char *msg)
{
	struct ward_err err = {0};

	ward_image_limits_default(&lim);
	assert_int_equal(ward_image_limits_parse(spec, &lim, &err), want);
	if (msg && !strstr(err.msg, msg))
		fail_msg("%s: got '%s'", spec, err.msg);
	if (want)
		assert_int_equal(err.step, WARD_STEP_USAGE);
}

/* --image-limit NAME=VALUE,...: sizes, counts, durations; an error
 * leaves the limits as they were. */
static void test_limits_parse(void **state)
{
	struct ward_image_limits def;
	char name[64];

	(void)state;
	ward_image_limits_default(&def);
	assert_int_equal(def.max_layer_bytes, 8ull << 30);
	assert_int_equal(def.max_image_bytes, 32ull << 30);
	assert_int_equal(def.max_ms, 600000);
	expect_limits("layer-size=16G,image-size=1T,archive-size=512M", 0, NULL);
	assert_int_equal(lim.max_layer_bytes, 16ull << 30);
	assert_int_equal(lim.max_image_bytes, 1ull << 40);
	assert_int_equal(lim.max_archive_bytes, 512ull << 20);
	expect_limits("layer-entries=5,entries=7,time=90s", 0, NULL);
	assert_int_equal(lim.max_layer_entries, 5);
	assert_int_equal(lim.max_entries, 7);
	assert_int_equal(lim.max_ms, 90000);
	expect_limits("time=10m", 0, NULL);
	assert_int_equal(lim.max_ms, 600000);
	expect_limits("time=2h,layer-size=100", 0, NULL);
	assert_int_equal(lim.max_ms, 7200000);
	assert_int_equal(lim.max_layer_bytes, 100);
	expect_limits("time=250ms", 0, NULL);
	assert_int_equal(lim.max_ms, 250);
	expect_limits("time=30", 0, NULL);
	assert_int_equal(lim.max_ms, 30000);
	expect_limits("layer-size=8X", -EINVAL, "--image-limit layer-size=8X: a size above 0");
	expect_limits("layer-size=0", -EINVAL, "a size above 0");
	expect_limits("layer-size=", -EINVAL, "a size above 0");
	expect_limits("time=5d", -EINVAL, "a duration above 0");
	expect_limits("entries=1M", -EINVAL, "a number above 0");
	expect_limits("ratio=500", -EINVAL, "expected NAME=VALUE, NAME one of layer-size,");
	expect_limits("layer-size", -EINVAL, "expected NAME=VALUE");
	expect_limits("time=1m,", -EINVAL, "an empty NAME=VALUE");
	expect_limits("layer-size=99999999999999999999", -EINVAL, "too large");
	expect_limits("image-size=16777216T", -EINVAL, "too large");
	/* a failure changes nothing */
	ward_image_limits_default(&lim);
	assert_true(ward_image_limits_parse("time=1m,layer-size=x", &lim, &(struct ward_err){0}) < 0);
	assert_int_equal(lim.max_ms, 600000);
	/* how errors name a bound */
	assert_string_equal(ward_image_limit_name(&def, "layer-size", name, sizeof(name)),
			    "--image-limit layer-size=8G");
	assert_string_equal(ward_image_limit_name(&def, "time", name, sizeof(name)),
			    "--image-limit time=10m");
	assert_string_equal(ward_image_limit_name(&def, "entries", name, sizeof(name)),
			    "--image-limit entries=2000000");
	ward_image_limits_default(&lim);
}

/* ---- tar headers libarchive's writer will not write ------------------------------ */

struct raw {
	char *buf;
	size_t len;
};

/* Append one member: a 512-byte ustar header (@type '0', '1', 'x', 'g',
 * 'L', ...) and @len bytes of data, padded to 512. */
static void raw_member(struct raw *r, const char *name, char type,
		       const void *data, size_t len)
{
	size_t padded = (len + 511) & ~(size_t)511;
	unsigned sum = 0;
	char *h;

	r->buf = realloc(r->buf, r->len + 512 + padded);
	assert_non_null(r->buf);
	h = r->buf + r->len;
	memset(h, 0, 512 + padded);
	snprintf(h, 100, "%s", name);
	snprintf(h + 100, 8, "%07o", 0644);
	snprintf(h + 108, 8, "%07o", 0);
	snprintf(h + 116, 8, "%07o", 0);
	snprintf(h + 124, 12, "%011zo", len);
	snprintf(h + 136, 12, "%011o", 0);
	h[156] = type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
	if (len)
		memcpy(h + 512, data, len);
	r->len += 512 + padded;
}

/* A pax record "LEN key=value\n" (LEN counts itself) of @vlen value
 * bytes, appended to @out at *olen. */
static void pax_record(char *out, size_t *olen, const char *key,
		       const char *value, size_t vlen)
{
	size_t body = 1 + strlen(key) + 1 + vlen + 1, n = body + 1;
	int digits;

	while ((size_t)snprintf(NULL, 0, "%zu", n) + body != n)
		n++;
	digits = sprintf(out + *olen, "%zu ", n);
	*olen += (size_t)digits;
	*olen += (size_t)sprintf(out + *olen, "%s=", key);
	memcpy(out + *olen, value, vlen);
	*olen += vlen;
	out[(*olen)++] = '\n';
}

static void raw_end(struct raw *r)
{
	static const char zeros[1024];

	r->buf = realloc(r->buf, r->len + sizeof(zeros));
	assert_non_null(r->buf);
	memcpy(r->buf + r->len, zeros, sizeof(zeros));
	r->len += sizeof(zeros);
}

#define PASSWD_APP(uid) "root:x:0:0::/root:/bin/sh\napp:x:" uid ":" uid "::/app:/bin/sh\n"

/* A docker save archive at @path for "User": "app": layer 0 has an
 * /etc/passwd where app is uid 1000, layer 1 is @raw. */
static void write_raw_docker(const char *path, const struct raw *raw)
{
	struct archive *a = tar_new(false);
	size_t l0n;
	void *l0 = layer(false, &l0n, "etc/passwd", PASSWD_APP("1000"), NULL);

	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	tar_entry(a, "l0/layer.tar", AE_IFREG, 0644, l0, l0n, NULL);
	tar_entry(a, "l1/layer.tar", AE_IFREG, 0644, raw->buf, raw->len, NULL);
	tar_file(a, "config.json", "{\"config\":{\"User\":\"app\"}}");
	tar_file(a, "manifest.json",
		 "[{\"Config\":\"config.json\",\"Layers\":[\"l0/layer.tar\",\"l1/layer.tar\"]}]");
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	free(l0);
}

/* A pax header of 1,000,100 bytes: a comment record over libarchive's
 * 999,999-byte limit, then path=etc/passwd over the ustar name
 * harmless.txt.  libarchive drops the header with a warning; Docker's Go
 * reader takes it and writes an /etc/passwd where app is uid 0. */
static void test_pax_over_libarchive_limit(void **state)
{
	char path[128];
	size_t cap = 1100000, plen = 0;
	char *pax = malloc(cap), *fill = malloc(cap);
	struct raw raw = {0};
	struct ward_err err = {0};

	(void)state;
	assert_non_null(pax);
	assert_non_null(fill);
	memset(fill, 'x', cap);
	pax_record(pax, &plen, "comment", fill, 1000064);
	pax_record(pax, &plen, "path", "etc/passwd", strlen("etc/passwd"));
	assert_int_equal(plen, 1000100);
	raw_member(&raw, "PaxHeaders/harmless.txt", 'x', pax, plen);
	raw_member(&raw, "harmless.txt", '0', PASSWD_APP("0"), strlen(PASSWD_APP("0")));
	raw_end(&raw);
	snprintf(path, sizeof(path), "%s/img.tar", dir);
	write_raw_docker(path, &raw);
	assert_int_equal(read_err(path, &err), -EFBIG);
	if (!strstr(err.msg, "layer 1 (l1/layer.tar): entry 'harmless.txt': its tar headers fill 1001472 bytes, more than 16384 (WARD_IMAGE_MAX_HEADER)"))
		fail_msg("got '%s'", err.msg);
	assert_int_equal(err.step, WARD_STEP_IMAGE);
	free(raw.buf);
	free(pax);
	free(fill);
}

/* @raw, as layer 1, is refused with @want and a message holding @part. */
static void refused(struct raw *raw, int want, const char *part)
{
	char path[128];
	struct ward_err err = {0};

	raw_end(raw);
	snprintf(path, sizeof(path), "%s/img.tar", dir);
	write_raw_docker(path, raw);
	assert_int_equal(read_err(path, &err), want);
	if (!strstr(err.msg, part))
		fail_msg("want '%s', got '%s'", part, err.msg);
	free(raw->buf);
	*raw = (struct raw){0};
}

/* Every extended header counts toward the bound, and every warning
 * libarchive gives about a header is an error. */
static void test_header_refusals(void **state)
{
	static const char app0[] = PASSWD_APP("0");
	char *big = malloc(20000);
	struct raw raw = {0};

	(void)state;
	assert_non_null(big);
	memset(big, 'a', 20000);
	big[19999] = '\0';
	/* a GNU long name, and a long link name, of 20000 bytes */
	raw_member(&raw, "././@LongLink", 'L', big, 20000);
	raw_member(&raw, "x", '0', "x", 1);
	refused(&raw, -EFBIG, "layer 1 (l1/layer.tar): entry 'aaaa");
	raw_member(&raw, "././@LongLink", 'K', big, 20000);
	raw_member(&raw, "lnk", '1', NULL, 0);
	refused(&raw, -EFBIG, "entry 'lnk': its tar headers fill 21504 bytes");
	/* a global pax header of 20000 bytes before an entry */
	{
		char g[20100];
		size_t gl = 0;

		pax_record(g, &gl, "comment", big, 19900);
		raw_member(&raw, "pax_global_header", 'g', g, gl);
		raw_member(&raw, "harmless.txt", '0', app0, strlen(app0));
		refused(&raw, -EFBIG, "entry 'harmless.txt': its tar headers fill 20992 bytes");
	}
	/* 33 headers in a row: libarchive stops following them at 32 */
	for (int i = 0; i < 32; i++)
		raw_member(&raw, "PaxHeaders/x", 'x', NULL, 0);
	raw_member(&raw, "harmless.txt", '0', app0, strlen(app0));
	refused(&raw, -EFBIG, "(WARD_IMAGE_MAX_HEADER)");
	/* a malformed record: libarchive ignores the header and warns */
	raw_member(&raw, "PaxHeaders/harmless.txt", 'x', "+20 path=etc/passwd\n", 20);
	raw_member(&raw, "harmless.txt", '0', app0, strlen(app0));
	refused(&raw, -EINVAL, "layer 1 (l1/layer.tar): entry 'harmless.txt': libarchive could not read its headers whole (Ignoring malformed pax extended attributes)");
	free(big);
}

/* A name that is not ASCII, in a pax header, read with libarchive in the
 * C locale (ward never calls setlocale): a warning that it could not be
 * converted, and the name's own bytes, as Docker writes them. */
static void test_pax_utf8_name(void **state)
{
	static const char name[] = "usr/share/ca-certificates/NetLock_Arany_=Class_Gold=_F\xc5\x91tan\xc3\xbas\xc3\xadtv\xc3\xa1ny.crt";
	char path[128], pax[256];
	size_t plen = 0;
	struct raw raw = {0};
	struct ward_image *img = NULL;
	struct ward_err err = {0};
	struct ward_image_node_info info;

	(void)state;
	pax_record(pax, &plen, "path", name, strlen(name));
	raw_member(&raw, "PaxHeaders/cert", 'x', pax, plen);
	raw_member(&raw, "usr/share/ca-certificates/NetLock.crt", '0', "x", 1);
	plen = 0;
	pax_record(pax, &plen, "path", "app/cl\xc3\xa9/.env", strlen("app/cl\xc3\xa9/.env"));
	raw_member(&raw, "PaxHeaders/env", 'x', pax, plen);
	raw_member(&raw, "app/cle/.env", '0', "API_KEY=x\n", 10);
	raw_end(&raw);
	snprintf(path, sizeof(path), "%s/img.tar", dir);
	write_raw_docker(path, &raw);
	if (ward_image_read(path, &opts, &img, &err) != 0)
		fail_msg("%s", err.msg);
	assert_true(ward_image_tree_lookup(img->tree, name, &info));
	assert_int_equal(info.layer, 1);
	assert_true(ward_image_tree_lookup(img->tree, "app/cl\xc3\xa9/.env", &info));
	assert_false(ward_image_tree_lookup(img->tree, "app/cle/.env", NULL));
	ward_image_free(img);
	free(raw.buf);
}

/* ---- an OCI directory --------------------------------------------------------------------- */

static void write_file(const char *rel, const void *data, size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* "sha256:<hex>" of @len bytes at @data. */
static void digest_of(const void *data, size_t len, char out[WARD_SHA256_TEXT])
{
	struct ward_err err = {0};
	struct ward_sha256 h;

	assert_int_equal(ward_nettle_load(&err), 0);
	ward_sha256_init(&h);
	ward_sha256_update(&h, data, len);
	ward_sha256_text(&h, out);
}

/* Write @data as blobs/sha256/<its digest>; the digest into @out. */
static void write_blob(const void *data, size_t len, char out[WARD_SHA256_TEXT])
{
	char rel[128];

	digest_of(data, len, out);
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", out + 7);
	write_file(rel, data, len);
}

static void test_oci_dir(void **state)
{
	char path[256], manifest[512], index[512], dl[WARD_SHA256_TEXT],
	     dc[WARD_SHA256_TEXT], dm[WARD_SHA256_TEXT];
	static const char config[] = "{\"config\":{\"User\":\"10001\"}}";
	size_t ln = 0;
	void *l = layer(true, &ln, "app/", "", "app/server", "x", NULL);
	struct ward_image *img = NULL;
	struct ward_err err = {0};

	(void)state;
	snprintf(path, sizeof(path), "%s/blobs", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/blobs/sha256", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_blob(l, ln, dl);
	write_blob(config, strlen(config), dc);
	snprintf(manifest, sizeof(manifest),
		 "{\"schemaVersion\":2,\"config\":{\"digest\":\"%s\"},"
		 "\"layers\":[{\"digest\":\"%s\"}]}", dc, dl);
	write_blob(manifest, strlen(manifest), dm);
	snprintf(index, sizeof(index),
		 "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
		 "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\","
		 "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v2\"}}]}", dm);
	write_file("index.json", index, strlen(index));
	free(l);
	assert_int_equal(ward_image_read(dir, &opts, &img, &err), 0);
	assert_int_equal(img->meta.format, WARD_IMAGE_OCI_DIR);
	assert_string_equal(img->meta.name, "v2");
	assert_string_equal(img->digest, dc);
	assert_true(ward_image_tree_lookup(img->tree, "app/server", NULL));
	ward_image_free(img);
	/* a blob that is a symlink is not followed */
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, dl + 7);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(read_err(dir, &err), -ELOOP);
	assert_non_null(strstr(err.msg, "a symlink: not followed"));
}

/* ---- digests: what ward check --image refuses ------------------------------------------- */

static void test_oci_digests(void **state)
{
	char path[256], manifest[512], index[512], dl[WARD_SHA256_TEXT],
	     dc[WARD_SHA256_TEXT], dm[WARD_SHA256_TEXT], other[WARD_SHA256_TEXT];
	static const char config[] = "{\"config\":{\"User\":\"10001\"}}";
	size_t ln = 0;
	void *l = layer(true, &ln, "app/", "", "app/server", "x", NULL);
	struct ward_err err = {0};
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/blobs", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/blobs/sha256", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_blob(l, ln, dl);
	write_blob(config, strlen(config), dc);
	snprintf(manifest, sizeof(manifest),
		 "{\"schemaVersion\":2,\"config\":{\"digest\":\"%s\"},"
		 "\"layers\":[{\"digest\":\"%s\"}]}", dc, dl);
	write_blob(manifest, strlen(manifest), dm);
	snprintf(index, sizeof(index),
		 "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"%s\"}]}", dm);
	write_file("index.json", index, strlen(index));
	/* the layer blob altered: one byte appended */
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, dl + 7);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\0", 1), 1);
	close(fd);
	digest_of(l, ln, other);
	assert_int_equal(read_err(dir, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "layer 0 ("));
	assert_non_null(strstr(err.msg, dl));
	/* the config altered */
	write_blob(l, ln, dl);
	snprintf(path, sizeof(path), "blobs/sha256/%s", dc + 7);
	write_file(path, "{}", 2);
	assert_int_equal(read_err(dir, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, dc));
	/* the manifest altered */
	write_file(path, config, strlen(config));
	snprintf(path, sizeof(path), "blobs/sha256/%s", dm + 7);
	write_file(path, manifest, strlen(manifest) - 1);
	assert_int_equal(read_err(dir, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, dm));
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whiteouts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_docker_archive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_archive_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_docker_two_tags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_layer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expanded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pax_over_libarchive_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pax_utf8_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oci_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oci_digests, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
