/* image/unpack*.c: ward_image_unpack on images written here, one hostile
 * class at a time, each checked on the resulting tree (and on the host
 * paths it must not reach).
 *
 *   names        '..' and absolute members refused, nothing written
 *   symlinks     etc -> /etc then etc/passwd lands in the tree's etc;
 *                x -> ../../.. then x/file stays inside
 *   hard links   outside, not yet extracted, to a symlink: refused
 *   dropped      device nodes, FIFOs; setuid/setgid stripped; no xattr
 *   whiteouts    lower layers only; an opaque marker after this layer's
 *                own entries keeps them; a whiteout of a path made in
 *                the same layer keeps it
 *   replace      a later layer's file over a file, a directory, symlinks
 *                out of the tree and a hard link: replaced, never
 *                written through
 *   digests      a layer's diff_id, a blob's name, a config's name
 *   rootless     the modes derived for the program's user; the user
 *   mount points etc/hosts (a symlink in the image) made a file; volumes
 *   owners       keep_owners: the image's uid and gid (as root)
 *   bounds       --image-limit's layer-size, image-size and layer-entries,
 *                lowered: the unpack stops there, naming the bound, and
 *                writes nothing past it
 *   the root     the tree's own directory 0755 (root) or what USER may do
 *                with it (rootless), whatever mode it was made with */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
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
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <cmocka.h>

#include "hash_threads.h"
#include "under_valgrind.h"

#include "image/hash_pipe.h"
#include "image/image.h"
#include "image/nettle_dl.h"
#include "image/unpack.h"
#include "image/unpack_int.h"

static char dir[64], image[128], tree[128];
static int tree_fd = -1;

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ward-test-unpack.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(image, sizeof(image), "%s/image.tar", dir);
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	assert_int_equal(mkdir(tree, 0700), 0);
	tree_fd = open(tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(tree_fd >= 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[320];

	(void)state;
	close(tree_fd);
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' && rm -rf '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* ---- images written here ----------------------------------------------------------------- */

/* One entry: f file (arg: content), d directory, l symlink (arg: target),
 * h hard link (arg: target), c character device, p FIFO, x a file with
 * a security.capability and a user xattr. */
struct ent {
	char kind;
	const char *name;
	unsigned mode;
	const char *arg;
	unsigned uid, gid;
};

#define END {0, NULL, 0, NULL, 0, 0}

static void *layer_tar(const struct ent *e, bool gzip, size_t *len)
{
	size_t cap = 4 << 20;
	char *buf = malloc(cap);
	struct archive *a = archive_write_new();

	assert_non_null(buf);
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	if (gzip)
		assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, buf, cap, len), ARCHIVE_OK);
	for (; e->kind; e++) {
		struct archive_entry *en = archive_entry_new();
		size_t n = e->kind == 'f' || e->kind == 'x' ? strlen(e->arg ? e->arg : "") : 0;

		archive_entry_set_pathname(en, e->name);
		archive_entry_set_perm(en, e->mode);
		archive_entry_set_uid(en, e->uid);
		archive_entry_set_gid(en, e->gid);
		archive_entry_set_mtime(en, 1000000000, 0);
		switch (e->kind) {
		case 'd': archive_entry_set_filetype(en, AE_IFDIR); break;
		case 'l':
			archive_entry_set_filetype(en, AE_IFLNK);
			archive_entry_set_symlink(en, e->arg);
			break;
		case 'h':
			archive_entry_set_filetype(en, AE_IFREG);
			archive_entry_set_hardlink(en, e->arg);
			break;
		case 'c':
			archive_entry_set_filetype(en, AE_IFCHR);
			archive_entry_set_rdev(en, makedev(1, 3));
			break;
		case 'p': archive_entry_set_filetype(en, AE_IFIFO); break;
		case 'x':
			archive_entry_xattr_add_entry(en, "security.capability", "\x01\x00\x00\x02", 4);
			archive_entry_xattr_add_entry(en, "user.ward", "x", 1);
			/* fall through */
		default: archive_entry_set_filetype(en, AE_IFREG); break;
		}
		archive_entry_set_size(en, (la_int64_t)n);
		assert_int_equal(archive_write_header(a, en), ARCHIVE_OK);
		if (n)
			assert_int_equal(archive_write_data(a, e->arg, n), (la_ssize_t)n);
		archive_entry_free(en);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return buf;
}

static void digest_of(const void *data, size_t len, char out[WARD_SHA256_TEXT])
{
	struct ward_err err = {0};
	struct ward_sha256 h;

	assert_int_equal(ward_nettle_load(&err), 0);
	ward_sha256_init(&h);
	ward_sha256_update(&h, data, len);
	ward_sha256_text(&h, out);
}

static void member(struct archive *a, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

/* How write_image() spoils the image. */
enum spoil { GOOD, BAD_DIFF_ID, BAD_BLOB_NAME, BAD_CONFIG_NAME };

/* A docker save archive at image: @layers (NULL-terminated arrays of
 * entries), layer 1 gzip'd, the config's "config" object @cfg (NULL:
 * {}), diff_ids computed; @spoil alters one thing.  With BAD_BLOB_NAME
 * the layers are blobs/sha256/<digest> members, the last one named by
 * another digest; with BAD_CONFIG_NAME the config is <digest>.json with
 * the wrong digest. */
static void write_image(const struct ent *const *layers, const char *cfg, enum spoil spoil)
{
	struct archive *a = archive_write_new();
	char config[8192], manifest[8192], names[16][128], d[WARD_SHA256_TEXT], cname[128];
	size_t n = 0, cl, ml;
	int off;

	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, image), ARCHIVE_OK);
	off = snprintf(config, sizeof(config), "{\"config\":%s,\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[",
		       cfg ? cfg : "{}");
	for (; layers[n]; n++) {
		size_t plain_len, stored_len;
		void *plain = layer_tar(layers[n], false, &plain_len);
		void *stored = n == 1 ? layer_tar(layers[n], true, &stored_len) : plain;

		if (n != 1)
			stored_len = plain_len;
		digest_of(plain, plain_len, d);
		if (spoil == BAD_DIFF_ID && !layers[n + 1])
			d[10] = d[10] == '0' ? '1' : '0';
		off += snprintf(config + off, sizeof(config) - (size_t)off, "%s\"%s\"", n ? "," : "", d);
		if (spoil == BAD_BLOB_NAME) {
			digest_of(stored, stored_len, d);
			if (!layers[n + 1])
				d[10] = d[10] == '0' ? '1' : '0';
			snprintf(names[n], sizeof(names[n]), "blobs/sha256/%s", d + 7);
		} else {
			snprintf(names[n], sizeof(names[n]), "l%zu/layer.tar", n);
		}
		member(a, names[n], stored, stored_len);
		if (stored != plain)
			free(stored);
		free(plain);
	}
	snprintf(config + off, sizeof(config) - (size_t)off, "]}}");
	cl = strlen(config);
	digest_of(config, cl, d);
	if (spoil == BAD_CONFIG_NAME)
		d[10] = d[10] == '0' ? '1' : '0';
	if (spoil == BAD_CONFIG_NAME)
		snprintf(cname, sizeof(cname), "%s.json", d + 7);
	else
		snprintf(cname, sizeof(cname), "config.json");
	member(a, cname, config, cl);
	off = snprintf(manifest, sizeof(manifest), "[{\"Config\":\"%s\",\"RepoTags\":[\"t:1\"],\"Layers\":[",
		       cname);
	for (size_t i = 0; i < n; i++)
		off += snprintf(manifest + off, sizeof(manifest) - (size_t)off, "%s\"%s\"",
				i ? "," : "", names[i]);
	snprintf(manifest + off, sizeof(manifest) - (size_t)off, "]}]");
	ml = strlen(manifest);
	member(a, "manifest.json", manifest, ml);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/* An empty tree again. */
static void fresh_tree(void)
{
	char cmd[320];

	close(tree_fd);
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' && rm -rf '%s'", tree, tree);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(mkdir(tree, 0700), 0);
	tree_fd = open(tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(tree_fd >= 0);
}

static int unpack(bool keep_owners, const char *user, struct ward_unpack_ids *ids,
		  struct ward_err *err)
{
	struct ward_unpack_opts o = {.ids = {.keep_owners = keep_owners, .user = user}};
	char digest[WARD_IMAGE_DIGEST_LEN];
	struct ward_image *img = NULL;
	int r;

	fresh_tree();
	r = ward_image_unpack(image, &o, tree_fd, &img, digest, err);
	assert_int_equal(hash_threads(), 0);

	if (r == 0) {
		assert_string_equal(digest, img->digest);
		assert_true(ward_image_digest_valid(digest));
	}
	if (ids)
		*ids = o.ids;
	ward_image_free(img);
	return r;
}

static void unpack_ok(bool keep_owners)
{
	struct ward_err err = {0};

	if (unpack(keep_owners, NULL, NULL, &err) != 0)
		fail_msg("%s", err.msg);
}

/* The content of the tree's @rel, or NULL when it is not a regular file. */
static char *tree_read(const char *rel)
{
	static char buf[4096];
	char path[512];
	struct stat st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static int tree_lstat(const char *rel, struct stat *st)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	return lstat(path, st);
}

static bool tree_has(const char *rel)
{
	struct stat st;

	return tree_lstat(rel, &st) == 0;
}

/* ---- names and symlinks ----------------------------------------------------------------------- */

static void test_hostile_names(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent dotdot[] = {{'d', "a/", 0755, NULL, 0, 0},
					     {'f', "a/../../evil", 0644, "x", 0, 0}, END};
	static const struct ent abs[] = {{'f', "/abs-evil", 0644, "x", 0, 0}, END};
	const struct ent *l1[] = {dotdot, NULL}, *l2[] = {abs, NULL};
	struct ward_err err = {0};
	char path[128];

	(void)state;
	write_image(l1, NULL, GOOD);
	assert_int_equal(unpack(true, NULL, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "has a '..' component"));
	snprintf(path, sizeof(path), "%s/evil", dir);
	assert_int_equal(access(path, F_OK), -1);
	write_image(l2, NULL, GOOD);
	assert_int_equal(unpack(true, NULL, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is absolute"));
	assert_int_equal(access("/abs-evil", F_OK), -1);
	assert_false(tree_has("abs-evil"));
}

/* The host's /etc/passwd, whole (heap; NULL if unreadable or over 1 MiB). */
static char *read_host_passwd(void)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap + 1);
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	ssize_t n = 0;

	while (buf && fd >= 0 && len < cap && (n = read(fd, buf + len, cap - len)) > 0)
		len += (size_t)n;
	if (fd >= 0)
		close(fd);
	if (!buf || fd < 0 || n < 0 || len >= cap) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static void test_symlinks_stay_inside(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent l0[] = {{'d', "usr/", 0755, NULL, 0, 0},
					{'l', "lib", 0777, "/usr/lib", 0, 0},
					{'l', "x", 0777, "../../..", 0, 0}, END};
	static const struct ent l1[] = {{'f', "lib/ward-unpack-test", 0644, "inside", 0, 0},
					{'f', "x/escaped", 0644, "inside", 0, 0}, END};
	static const struct ent l2[] = {{'l', "etc", 0777, "/etc", 0, 0}, END};
	static const struct ent l3[] = {{'f', "etc/passwd", 0644, "ward-unpack-canary:x:1:1::/:/bin/sh\n", 0, 0},
					END};
	const struct ent *layers[] = {l0, l1, NULL}, *loop[] = {l0, l2, l3, NULL};
	struct ward_err err = {0};
	char path[256], *text, *host_before, *host_after;
	struct stat st;

	(void)state;
	write_image(layers, NULL, GOOD);
	unpack_ok(true);
	/* lib -> /usr/lib is the tree's usr/lib: made there, written there */
	assert_int_equal(tree_lstat("lib", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_non_null(text = tree_read("usr/lib/ward-unpack-test"));
	assert_string_equal(text, "inside");
	assert_int_equal(access("/usr/lib/ward-unpack-test", F_OK), -1);
	/* x -> ../../.. is the tree's root */
	assert_int_equal(tree_lstat("x", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_non_null(text = tree_read("escaped"));
	assert_string_equal(text, "inside");
	snprintf(path, sizeof(path), "%s/escaped", dir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access("/escaped", F_OK), -1);
	/* etc -> /etc is the tree's etc, that is itself: a loop, refused;
	 * the host's /etc/passwd untouched */
	assert_non_null(host_before = read_host_passwd());
	write_image(loop, NULL, GOOD);
	assert_int_equal(unpack(true, NULL, NULL, &err), -ELOOP);
	if (!strstr(err.msg, "entry 'etc': a symlink loop"))
		fail_msg("%s", err.msg);
	assert_non_null(host_after = read_host_passwd());
	assert_null(strstr(host_after, "ward-unpack-canary:"));
	assert_string_equal(host_after, host_before);
	free(host_before);
	free(host_after);
}

/* ---- hard links ------------------------------------------------------------------------------------ */

static void test_hardlinks(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent good[] = {{'f', "a", 0644, "data", 0, 0},
					  {'h', "b", 0644, "a", 0, 0}, END};
	static const struct ent outside[] = {{'h', "b", 0644, "../../etc/passwd", 0, 0}, END};
	static const struct ent absolute[] = {{'h', "b", 0644, "/etc/passwd", 0, 0}, END};
	static const struct ent later[] = {{'h', "b", 0644, "a", 0, 0},
					   {'f', "a", 0644, "data", 0, 0}, END};
	static const struct ent to_link[] = {{'l', "a", 0777, "/etc/passwd", 0, 0},
					     {'h', "b", 0644, "a", 0, 0}, END};
	static const struct ent to_dir[] = {{'d', "a/", 0755, NULL, 0, 0},
					    {'h', "b", 0644, "a", 0, 0}, END};
	const struct ent *l_good[] = {good, NULL}, *l_out[] = {outside, NULL},
			 *l_later[] = {later, NULL}, *l_link[] = {to_link, NULL},
			 *l_dir[] = {to_dir, NULL}, *l_abs[] = {absolute, NULL};
	struct ward_err err = {0};
	struct stat sa, sb;

	(void)state;
	write_image(l_good, NULL, GOOD);
	unpack_ok(true);
	assert_int_equal(tree_lstat("a", &sa), 0);
	assert_int_equal(tree_lstat("b", &sb), 0);
	assert_int_equal(sa.st_ino, sb.st_ino);
	/* the error names the entry, and the target as the target */
	write_image(l_out, NULL, GOOD);
	assert_int_equal(unpack(true, NULL, NULL, &err), -EINVAL);
	if (!strstr(err.msg, "entry 'b': its hard link target '../../etc/passwd' has a '..' component"))
		fail_msg("%s", err.msg);
	write_image(l_abs, NULL, GOOD);
	assert_int_equal(unpack(true, NULL, NULL, &err), -EINVAL);
	if (!strstr(err.msg, "entry 'b': its hard link target '/etc/passwd' is absolute"))
		fail_msg("%s", err.msg);
	write_image(l_later, NULL, GOOD);
	assert_int_equal(unpack(true, NULL, NULL, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "not in the tree (yet): refused"));
	write_image(l_link, NULL, GOOD);
	assert_int_equal(unpack(true, NULL, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file: refused"));
	write_image(l_dir, NULL, GOOD);
	assert_int_equal(unpack(true, NULL, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file: refused"));
}

/* ---- what never reaches the disk --------------------------------------------------------------- */

static void test_dropped(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent l0[] = {{'c', "dev/null", 0666, NULL, 0, 0},
					{'p', "fifo", 0644, NULL, 0, 0},
					{'f', "suid", 04755, "x", 0, 0},
					{'f', "sgid", 02711, "x", 0, 0},
					{'d', "sticky/", 01777, NULL, 0, 0},
					{'x', "cap", 0755, "x", 0, 0}, END};
	const struct ent *layers[] = {l0, NULL};
	char path[256], value[16];
	struct stat st;

	(void)state;
	write_image(layers, NULL, GOOD);
	unpack_ok(true);
	assert_false(tree_has("dev/null"));
	assert_false(tree_has("fifo"));
	assert_int_equal(tree_lstat("suid", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(tree_lstat("sgid", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0711);
	assert_int_equal(tree_lstat("sticky", &st), 0);
	assert_int_equal(st.st_mode & 07777, 01777);
	snprintf(path, sizeof(path), "%s/cap", tree);
	assert_int_equal(lgetxattr(path, "security.capability", value, sizeof(value)), -1);
	assert_int_equal(errno, ENODATA);
	assert_int_equal(lgetxattr(path, "user.ward", value, sizeof(value)), -1);
	assert_non_null(tree_read("cap"));
}

/* ---- whiteouts ------------------------------------------------------------------------------------- */

static void test_whiteouts(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent l0[] = {{'d', "a/", 0755, NULL, 0, 0},
					{'f', "a/1", 0644, "lower", 0, 0},
					{'d', "a/sub/", 0755, NULL, 0, 0},
					{'f', "a/sub/2", 0644, "lower", 0, 0},
					{'d', "b/", 0755, NULL, 0, 0},
					{'f', "b/x", 0644, "lower", 0, 0},
					{'f', "c", 0644, "lower", 0, 0},
					{'d', "e/", 0755, NULL, 0, 0},
					{'f', "e/old", 0644, "lower", 0, 0}, END};
	static const struct ent l1[] = {{'f', "a/3", 0644, "upper", 0, 0},
					{'d', "a/sub/", 0755, NULL, 0, 0},
					{'f', "a/.wh..wh..opq", 0644, "", 0, 0},
					{'f', "d", 0644, "upper", 0, 0},
					{'f', ".wh.d", 0644, "", 0, 0},
					{'f', ".wh.c", 0644, "", 0, 0},
					{'f', "e/new", 0644, "upper", 0, 0},
					{'f', ".wh.e", 0644, "", 0, 0},
					{'f', ".wh.nothing", 0644, "", 0, 0}, END};
	static const struct ent l2[] = {{'f', "c", 0644, "again", 0, 0}, END};
	const struct ent *layers[] = {l0, l1, l2, NULL};

	(void)state;
	write_image(layers, NULL, GOOD);
	unpack_ok(true);
	/* opaque after this layer's own a/3: a/3 and a/sub (re-made) kept,
	 * the lower a/1 and a/sub/2 gone */
	assert_string_equal(tree_read("a/3"), "upper");
	assert_true(tree_has("a/sub"));
	assert_false(tree_has("a/1"));
	assert_false(tree_has("a/sub/2"));
	/* a whiteout of what the same layer made keeps it */
	assert_string_equal(tree_read("d"), "upper");
	/* a lower file deleted, then made again by a later layer */
	assert_string_equal(tree_read("c"), "again");
	/* a whiteout of a lower directory this layer wrote into: the lower
	 * content goes, this layer's stays */
	assert_false(tree_has("e/old"));
	assert_string_equal(tree_read("e/new"), "upper");
	assert_string_equal(tree_read("b/x"), "lower");
	assert_false(tree_has(".wh.c"));
	assert_false(tree_has("a/.wh..wh..opq"));
}

/* ---- a later layer's file over what is there ---------------------------------------------------------- */

static void test_replace(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent l0[] = {{'f', "f", 0644, "lower", 0, 0},
					{'d', "d/", 0755, NULL, 0, 0},
					{'f', "d/child", 0644, "lower", 0, 0},
					{'l', "s", 0777, "/etc/passwd", 0, 0},
					{'l', "rel", 0777, "../../../../../../etc/passwd", 0, 0},
					{'f', "h1", 0644, "linked", 0, 0},
					{'h', "h2", 0644, "h1", 0, 0}, END};
	static const struct ent l1[] = {{'f', "f", 0600, "upper f", 0, 0},
					{'f', "d", 0644, "upper d", 0, 0},
					{'f', "s", 0644, "ward-unpack-canary: s", 0, 0},
					{'f', "rel", 0644, "ward-unpack-canary: rel", 0, 0},
					{'f', "h2", 0644, "upper h2", 0, 0},
					{'f', "f", 0644, "again f", 0, 0}, END};
	const struct ent *layers[] = {l0, l1, NULL};
	char *host_before, *host_after;
	struct stat st;

	(void)state;
	assert_non_null(host_before = read_host_passwd());
	write_image(layers, NULL, GOOD);
	unpack_ok(true);
	/* each name is the later layer's regular file; nothing written
	 * through the symlinks it replaced, nor into the other hard link */
	assert_string_equal(tree_read("f"), "again f");
	assert_int_equal(tree_lstat("f", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_string_equal(tree_read("d"), "upper d");
	assert_false(tree_has("d/child"));
	assert_int_equal(tree_lstat("s", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(tree_read("s"), "ward-unpack-canary: s");
	assert_int_equal(tree_lstat("rel", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(tree_read("h2"), "upper h2");
	assert_string_equal(tree_read("h1"), "linked");
	assert_int_equal(tree_lstat("h1", &st), 0);
	assert_int_equal(st.st_nlink, 1);
	assert_non_null(host_after = read_host_passwd());
	assert_null(strstr(host_after, "ward-unpack-canary:"));
	assert_string_equal(host_after, host_before);
	free(host_before);
	free(host_after);
}

/* ---- digests ------------------------------------------------------------------------------------------ */

static void test_digests(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent l0[] = {{'f', "a", 0644, "base", 0, 0}, END};
	static const struct ent l1[] = {{'f', "b", 0644, "top", 0, 0}, END};
	const struct ent *layers[] = {l0, l1, NULL};
	struct ward_err err = {0};

	(void)state;
	write_image(layers, NULL, BAD_DIFF_ID);
	assert_int_equal(unpack(true, NULL, NULL, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "layer 1 (l1/layer.tar)"));
	assert_non_null(strstr(err.msg, "rootfs.diff_ids says sha256:"));
	write_image(layers, NULL, BAD_BLOB_NAME);
	assert_int_equal(unpack(true, NULL, NULL, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "layer 1 (blobs/sha256/"));
	assert_non_null(strstr(err.msg, "its name says sha256:"));
	write_image(layers, NULL, BAD_CONFIG_NAME);
	assert_int_equal(unpack(true, NULL, NULL, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, ".json: its sha256 is sha256:"));
	/* ward check --image refuses them too */
	write_image(layers, NULL, BAD_DIFF_ID);
	{
		struct ward_image *img = NULL;

		assert_int_equal(ward_image_read(image, NULL, &img, &err), -EBADMSG);
		assert_null(img);
	}
	write_image(layers, NULL, GOOD);
	unpack_ok(true);
	assert_string_equal(tree_read("b"), "top");
}

/* ---- rootless --------------------------------------------------------------------------------------------- */

static void test_mode_for(void **state)
{
	const gid_t shadow[] = {42};

	(void)state;
	/* a root-owned 0600 file: nothing for 10001 */
	assert_int_equal(ward_unpack_mode_for(0600, 0, 0, 10001, 10001, NULL, 0), 0000);
	/* root:shadow 0640 for a member of shadow: read */
	assert_int_equal(ward_unpack_mode_for(0640, 0, 42, 1000, 1000, shadow, 1), 0400);
	/* its own primary group too */
	assert_int_equal(ward_unpack_mode_for(0640, 0, 42, 1000, 42, NULL, 0), 0400);
	/* its own file */
	assert_int_equal(ward_unpack_mode_for(0600, 1000, 1000, 1000, 1000, NULL, 0), 0600);
	/* others' bits; the sticky bit stays, setuid does not */
	assert_int_equal(ward_unpack_mode_for(04755, 0, 0, 1000, 1000, NULL, 0), 0500);
	assert_int_equal(ward_unpack_mode_for(01777, 0, 0, 1000, 1000, NULL, 0), 01700);
	/* the owner class wins even when it gives less */
	assert_int_equal(ward_unpack_mode_for(0077, 1000, 1000, 1000, 1000, NULL, 0), 0000);
}

static void test_user(void **state)
{
	static const char passwd[] = "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n";
	static const char group[] = "root:x:0:\nshadow:x:42:app,other\napp:x:1000:\nstaff:x:50:other\n";
	struct ward_err err = {0};
	gid_t groups[8];
	size_t n = 0;
	uid_t uid;
	gid_t gid;

	(void)state;
	assert_int_equal(ward_unpack_user("app", passwd, strlen(passwd), group, strlen(group),
					  &uid, &gid, groups, 8, &n, &err), 0);
	assert_int_equal(uid, 1000);
	assert_int_equal(gid, 1000);
	assert_int_equal(n, 1);
	assert_int_equal(groups[0], 42);
	/* root, unset and 0 become ward's default user */
	assert_int_equal(ward_unpack_user("root", passwd, strlen(passwd), group, strlen(group),
					  &uid, &gid, groups, 8, &n, &err), 0);
	assert_int_equal(uid, 10001);
	assert_int_equal(gid, 10001);
	assert_int_equal(ward_unpack_user(NULL, passwd, strlen(passwd), group, strlen(group),
					  &uid, &gid, groups, 8, &n, &err), 0);
	assert_int_equal(uid, 10001);
	assert_int_equal(ward_unpack_user("0:0", passwd, strlen(passwd), group, strlen(group),
					  &uid, &gid, groups, 8, &n, &err), 0);
	assert_int_equal(uid, 10001);
	/* a numeric uid with a group name; supplementary groups by its name */
	assert_int_equal(ward_unpack_user("1000:staff", passwd, strlen(passwd), group,
					  strlen(group), &uid, &gid, groups, 8, &n, &err), 0);
	assert_int_equal(uid, 1000);
	assert_int_equal(gid, 50);
	assert_int_equal(n, 1);
	assert_int_equal(ward_unpack_user("nobody-here", passwd, strlen(passwd), group,
					  strlen(group), &uid, &gid, groups, 8, &n, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not in the image's etc/passwd"));
}

static void test_rootless_tree(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent l0[] = {
		{'d', "etc/", 0755, NULL, 0, 0},
		{'f', "etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n", 0, 0},
		{'f', "etc/group", 0644, "root:x:0:\nshadow:x:42:app\napp:x:1000:\n", 0, 0},
		{'f', "etc/shadow", 0600, "root:*:1::::::\n", 0, 0},
		{'f', "etc/gshadow", 0640, "x", 0, 42},
		{'d', "app/", 0750, NULL, 1000, 1000},
		{'f', "app/own", 0600, "x", 1000, 1000},
		{'d', "root/", 0700, NULL, 0, 0}, END};
	const struct ent *layers[] = {l0, NULL};
	struct ward_unpack_ids ids;
	struct ward_err err = {0};
	struct stat st;

	(void)state;
	write_image(layers, "{\"User\":\"app\"}", GOOD);
	if (unpack(false, NULL, &ids, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(ids.uid, 1000);
	assert_int_equal(ids.gid, 1000);
	assert_int_equal(tree_lstat("etc/shadow", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0000);
	assert_int_equal(tree_lstat("etc/gshadow", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0400);
	assert_int_equal(tree_lstat("app/own", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(tree_lstat("app", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(st.st_mtime, 1000000000);
	assert_int_equal(tree_lstat("root", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0000);
	assert_int_equal(tree_lstat("etc", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0500);
	/* every file is the caller's */
	assert_int_equal(st.st_uid, getuid());
}

/* ---- mount points -------------------------------------------------------------------------------------- */

static void test_mount_points(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent l0[] = {{'d', "etc/", 0755, NULL, 0, 0},
					{'l', "etc/hosts", 0777, "/etc/passwd", 0, 0},
					{'d', "etc/hostname/", 0755, NULL, 0, 0},
					{'f', "etc/passwd", 0644, "root:x:0:0::/:/bin/sh\n", 0, 0},
					{'d', "srv/", 0755, NULL, 0, 0},
					{'l', "data", 0777, "/srv/data", 0, 0},
					{'f', "file", 0644, "x", 0, 0}, END};
	const struct ent *layers[] = {l0, NULL};
	struct ward_err err = {0};
	struct stat st;

	(void)state;
	write_image(layers, "{\"Volumes\":{\"/data\":{},\"/var/lib/db\":{}}}", GOOD);
	unpack_ok(true);
	assert_int_equal(tree_lstat("etc/hosts", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 0);
	assert_string_equal(tree_read("etc/passwd"), "root:x:0:0::/:/bin/sh\n");
	assert_int_equal(tree_lstat("etc/hostname", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(tree_lstat("etc/resolv.conf", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	/* /data is a symlink to /srv/data: followed inside the tree */
	assert_int_equal(tree_lstat("data", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(tree_lstat("srv/data", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(tree_lstat("var/lib/db", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0755);
	/* a volume that is a file in the image */
	write_image(layers, "{\"Volumes\":{\"/file\":{}}}", GOOD);
	assert_int_equal(unpack(true, NULL, NULL, &err), -ENOTDIR);
	assert_non_null(strstr(err.msg, "volume '/file' is not a directory in the image"));
}

/* ---- owners ------------------------------------------------------------------------------------------------ */

static void test_keep_owners(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent l0[] = {{'d', "app/", 0750, NULL, 1000, 1001},
					{'f', "app/f", 0640, "x", 1000, 1001},
					{'l', "app/l", 0777, "f", 1002, 1003}, END};
	const struct ent *layers[] = {l0, NULL};
	struct stat st;

	(void)state;
	if (geteuid() != 0) {
		print_message("keep_owners: skipped, chown needs root (uid %u)\n", geteuid());
		skip();
	}
	write_image(layers, NULL, GOOD);
	unpack_ok(true);
	assert_int_equal(tree_lstat("app", &st), 0);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(st.st_gid, 1001);
	assert_int_equal(st.st_mode & 07777, 0750);
	assert_int_equal(tree_lstat("app/f", &st), 0);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(st.st_mtime, 1000000000);
	assert_int_equal(tree_lstat("app/l", &st), 0);
	assert_int_equal(st.st_uid, 1002);
	assert_int_equal(st.st_gid, 1003);
}

/* ---- bounds ---------------------------------------------------------------------------------- */

/* Unpack with @lim; the error's message, which must name @bound. */
static void unpack_over(const struct ward_image_limits *lim, int want, const char *bound)
{
	struct ward_unpack_opts o = {.lim = lim};
	char digest[WARD_IMAGE_DIGEST_LEN];
	struct ward_image *img = NULL;
	struct ward_err err = {0};

	fresh_tree();
	assert_int_equal(ward_image_unpack(image, &o, tree_fd, &img, digest, &err), want);
	assert_null(img);
	if (!strstr(err.msg, bound))
		fail_msg("'%s' does not name %s", err.msg, bound);
}

static void test_bounds(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static char k4[4001];
	const struct ent l0[] = {{'f', "a", 0644, k4, 0, 0}, {'f', "b", 0644, k4, 0, 0},
				 {'f', "c", 0644, k4, 0, 0}, END};
	const struct ent l1[] = {{'f', "d", 0644, k4, 0, 0}, {'f', "e", 0644, k4, 0, 0}, END};
	const struct ent *one[] = {l0, NULL}, *two[] = {l1, l1, NULL};
	struct ward_image_limits lim;

	(void)state;
	memset(k4, 'z', sizeof(k4) - 1);
	/* a layer of three 4000-byte files (about 14 KiB of tar) within 12K:
	 * the third one's header declares more than is left */
	write_image(one, NULL, GOOD);
	ward_image_limits_default(&lim);
	lim.max_layer_bytes = 12 << 10;
	unpack_over(&lim, -EFBIG, "entry 'c' declares 4000 bytes, more than the layer may still "
		    "expand to (--image-limit layer-size=12K raises it)");
	assert_true(tree_has("b"));
	assert_false(tree_has("c"));
	/* raised to what the layer holds, it is unpacked */
	lim.max_layer_bytes = 64 << 10;
	fresh_tree();
	unpack_ok(false);
	assert_true(tree_has("c"));
	/* two layers of about 10 KiB each (the second one gzip'd) within 16K
	 * for the image: the second one stops */
	write_image(two, NULL, GOOD);
	ward_image_limits_default(&lim);
	lim.max_image_bytes = 16 << 10;
	unpack_over(&lim, -EFBIG, "(--image-limit image-size=16K raises it)");
	/* entries: three in a layer of at most two */
	write_image(one, NULL, GOOD);
	ward_image_limits_default(&lim);
	lim.max_layer_entries = 2;
	unpack_over(&lim, -E2BIG, "(--image-limit layer-entries=2 raises it)");
	assert_false(tree_has("c"));
}

/* ---- the tree's root ---------------------------------------------------------------------------------------- */

/* The directory the tree is written to was made 0700 (the cache makes it
 * so); a sandbox whose ids are not the caller's must still enter it. */
static void test_root_mode(void **state)
{
	SKIP_UNDER_VALGRIND(NEEDS_OPENAT2 " (the unpacker resolves every entry with RESOLVE_IN_ROOT)");
	static const struct ent l0[] = {{'d', "etc/", 0755, NULL, 0, 0},
					{'f', "etc/passwd", 0644, "app:x:1000:1000::/:/bin/sh\n", 0, 0},
					END};
	const struct ent *layers[] = {l0, NULL};
	struct ward_err err = {0};
	struct stat st;

	(void)state;
	write_image(layers, "{\"User\":\"app\"}", GOOD);
	unpack_ok(true);
	assert_int_equal(fstat(tree_fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	if (unpack(false, NULL, NULL, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(fstat(tree_fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hostile_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_stay_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hardlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whiteouts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digests, setup, teardown),
		cmocka_unit_test(test_mode_for),
		cmocka_unit_test(test_user),
		cmocka_unit_test_setup_teardown(test_rootless_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mount_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_owners, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_mode, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
