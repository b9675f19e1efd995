/* image_meta.c, image_history.c, secret_shapes.c: the pure readers of an
 * image's metadata and the secret shapes, on hand-written inputs.
 *
 *   member names     normalised; "..", absolute, too long, too deep refused
 *   manifest.json    the image a tag names, RepoTags, Layers; hostile
 *                    names refused; several images without a tag, or
 *                    a tag none has, refused with the tags listed
 *   tags             Docker's defaults (docker.io/library/, :latest)
 *   OCI index        ref names chosen by tag, several refs without one
 *                    refused; linux/amd64 chosen among platforms (no
 *                    variant, v1..v3) with a notice, none is an error
 *                    listing them; attestations skipped, nesting
 *   OCI manifest     config and layer digests become blobs/sha256/<hex>
 *   config           User, Env, Entrypoint, Cmd, ExposedPorts, Volumes,
 *                    history with empty layers paired to layer indexes
 *   bounds           JSON size and depth, list and string lengths,
 *                    history entries, layers
 *   history          build args, ENV/ARG values, tokens: found and masked
 *   shapes           variable names, file names, contents */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "image/choose.h"
#include "image/image.h"
#include "base/secret_shapes.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEX64B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static struct ward_image_limits lim;

static int setup(void **state)
{
	(void)state;
	ward_image_limits_default(&lim);
	return 0;
}

/* ---- names and digests ---------------------------------------------------------- */

static void test_member_names(void **state)
{
	char out[64];
	struct ward_image_limits small;

	(void)state;
	assert_int_equal(ward_image_member_name("./a//b/./c/", &lim, out, sizeof(out)), 0);
	assert_string_equal(out, "a/b/c");
	assert_int_equal(ward_image_member_name("manifest.json", &lim, out, sizeof(out)), 0);
	assert_string_equal(out, "manifest.json");
	assert_int_equal(ward_image_member_name("./", &lim, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(ward_image_member_name("../x", &lim, out, sizeof(out)), -EINVAL);
	assert_int_equal(ward_image_member_name("a/../b", &lim, out, sizeof(out)), -EINVAL);
	assert_int_equal(ward_image_member_name("a/..", &lim, out, sizeof(out)), -EINVAL);
	assert_int_equal(ward_image_member_name("/etc/passwd", &lim, out, sizeof(out)), -EINVAL);
	/* a name that only looks like ".." is a name */
	assert_int_equal(ward_image_member_name("a/..b/...", &lim, out, sizeof(out)), 0);
	assert_string_equal(out, "a/..b/...");
	assert_int_equal(ward_image_member_name("aaaaaaaaaa/bbbbbbbbbb", &lim, out, 16),
			 -ENAMETOOLONG);
	small = lim;
	small.max_depth = 3;
	assert_int_equal(ward_image_member_name("a/b/c", &small, out, sizeof(out)), 0);
	assert_int_equal(ward_image_member_name("a/b/c/d", &small, out, sizeof(out)), -ELOOP);
	small.max_path = 4;
	assert_int_equal(ward_image_member_name("abcde", &small, out, sizeof(out)), -ENAMETOOLONG);
}

static void test_digests(void **state)
{
	(void)state;
	assert_true(ward_image_digest_valid("sha256:" HEX64));
	assert_false(ward_image_digest_valid("sha256:" HEX64 "0"));
	assert_false(ward_image_digest_valid("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
	assert_false(ward_image_digest_valid("sha512:" HEX64));
	assert_false(ward_image_digest_valid("sha256:../../../../etc/passwd"));
	assert_false(ward_image_digest_valid(NULL));
}

/* ---- JSON ------------------------------------------------------------------------- */

static int parse(const char *json, struct ward_err *err)
{
	struct json_object *o = NULL;
	int r = ward_image_json_parse(json, strlen(json), &lim, "test.json", &o, err);

	if (r == 0)
		json_object_put(o);
	return r;
}

static void test_json_bounds(void **state)
{
	struct ward_err err = {0};
	char deep[200];

	(void)state;
	assert_int_equal(parse("{\"a\": [1, 2]}\n", &err), 0);
	assert_int_equal(parse("{\"a\": 1} x", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "malformed JSON"));
	assert_int_equal(parse("{\"a\": 1} {}", &err), -EINVAL);
	assert_int_equal(parse("{\"a\": [1, 2", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "ends before the value"));
	assert_int_equal(parse("", &err), -EINVAL);
	memset(deep, '[', 100);
	memset(deep + 100, ']', 99);
	deep[199] = '\0';
	deep[99] = '1';
	lim.max_json_depth = 16;
	assert_int_equal(parse(deep, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "WARD_IMAGE_MAX_JSON_DEPTH"));
	lim.max_json = 8;
	assert_int_equal(parse("{\"abcdef\": 1}", &err), -EFBIG);
	assert_non_null(strstr(err.msg, "WARD_IMAGE_MAX_JSON"));
	assert_int_equal(err.step, WARD_STEP_IMAGE);
}

/* ---- docker save ------------------------------------------------------------------- */

static int docker_tag(const char *json, const char *tag, struct ward_image_meta *m,
		      struct ward_err *err)
{
	memset(m, 0, sizeof(*m));
	return ward_image_parse_docker_manifest(json, strlen(json), &lim, tag, m, err);
}

static int docker(const char *json, struct ward_image_meta *m, struct ward_err *err)
{
	return docker_tag(json, NULL, m, err);
}

static void test_docker_manifest(void **state)
{
	struct ward_image_meta m;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(docker_tag("[{\"Config\":\"" HEX64 ".json\",\"RepoTags\":[\"app:1\"],"
				    "\"Layers\":[\"./aa/layer.tar\",\"bb/layer.tar\"]},"
				    "{\"Config\":\"x.json\",\"Layers\":[]}]", "app:1", &m, &err), 0);
	assert_int_equal(m.format, WARD_IMAGE_DOCKER_SAVE);
	assert_string_equal(m.config_member, HEX64 ".json");
	assert_string_equal(m.name, "app:1");
	assert_int_equal(m.nimages, 2);
	assert_int_equal(m.nlayers, 2);
	assert_string_equal(m.layers[0].member, "aa/layer.tar");
	assert_int_equal(m.layers[1].history, -1);
	ward_image_meta_free(&m);

	assert_int_equal(docker("[{\"Config\":\"../c.json\",\"Layers\":[]}]", &m, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "Config '../c.json' is not a plain name"));
	ward_image_meta_free(&m);
	assert_int_equal(docker("[{\"Config\":\"c.json\",\"Layers\":[\"/etc/x\"]}]", &m, &err),
			 -EINVAL);
	ward_image_meta_free(&m);
	assert_int_equal(docker("[{\"Config\":\"c.json\",\"Layers\":[7]}]", &m, &err), -EINVAL);
	ward_image_meta_free(&m);
	assert_int_equal(docker("[{\"Layers\":[]}]", &m, &err), -EINVAL);
	ward_image_meta_free(&m);
	assert_int_equal(docker("[]", &m, &err), -EINVAL);
	ward_image_meta_free(&m);
	assert_int_equal(docker("{\"Config\":\"c\"}", &m, &err), -EINVAL);
	ward_image_meta_free(&m);
	lim.max_layers = 1;
	assert_int_equal(docker("[{\"Config\":\"c.json\",\"Layers\":[\"a\",\"b\"]}]", &m, &err),
			 -E2BIG);
	assert_non_null(strstr(err.msg, "WARD_IMAGE_MAX_LAYERS"));
	ward_image_meta_free(&m);
}

/* ---- OCI --------------------------------------------------------------------------- */

static void test_oci_index(void **state)
{
	static const char idx[] =
		"{\"schemaVersion\":2,\"manifests\":["
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" HEX64B "\","
		" \"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" HEX64B "\","
		" \"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"},"
		" \"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}},"
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" HEX64 "\","
		" \"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"},"
		" \"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}";
	static const char nested[] =
		"{\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
		"\"digest\":\"sha256:" HEX64 "\"}]}";
	static const char bad[] = "{\"manifests\":[{\"digest\":\"sha256:../x\"}]}";
	struct ward_image_index ix;
	struct ward_err err = {0};

	(void)state;
	/* arm64, an attestation, amd64 named v1: one name, two platforms */
	assert_int_equal(ward_image_parse_oci_index(idx, strlen(idx), &lim, NULL, &ix, &err), 0);
	assert_string_equal(ix.digest, "sha256:" HEX64);
	assert_false(ix.nested);
	assert_string_equal(ix.name, "v1");
	assert_int_equal(ix.nimages, 2);
	assert_string_equal(ix.notice, "the index lists 2 platforms (linux/arm64, linux/amd64): linux/amd64 was read");
	ward_image_index_free(&ix);
	assert_int_equal(ward_image_parse_oci_index(nested, strlen(nested), &lim, NULL, &ix,
						    &err), 0);
	assert_true(ix.nested);
	assert_null(ix.name);
	assert_null(ix.notice);
	ward_image_index_free(&ix);
	assert_int_equal(ward_image_parse_oci_index(bad, strlen(bad), &lim, NULL, &ix, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "not a sha256 digest"));
	assert_null(ix.name);
	assert_int_equal(ward_image_parse_oci_index("{\"manifests\":[]}", 16, &lim, NULL, &ix,
						    &err), -EINVAL);
}

/* ---- choosing the image: tags, refs, platforms --------------------------------- */

static void test_tag_matches(void **state)
{
	(void)state;
	assert_true(ward_image_tag_matches("app:1", "app:1"));
	assert_true(ward_image_tag_matches("nginx", "nginx:latest"));
	assert_true(ward_image_tag_matches("nginx:latest", "docker.io/library/nginx:latest"));
	assert_true(ward_image_tag_matches("docker.io/nginx", "nginx:latest"));
	assert_true(ward_image_tag_matches("me/app:2", "docker.io/me/app:2"));
	assert_true(ward_image_tag_matches("latest", "latest")); /* an OCI ref name */
	assert_true(ward_image_tag_matches("localhost:5000/app", "localhost:5000/app:latest"));
	assert_false(ward_image_tag_matches("app:1", "app:2"));
	assert_false(ward_image_tag_matches("app", "app:1"));
	assert_false(ward_image_tag_matches("other/app:1", "app:1"));
	assert_false(ward_image_tag_matches("quay.io/app:1", "app:1"));
	assert_false(ward_image_tag_matches("", ""));
	assert_false(ward_image_tag_matches("app", NULL));
}

/* docker save of several images: --tag picks one, none is an error
 * listing the tags */
static void test_docker_tags(void **state)
{
	static const char two[] =
		"[{\"Config\":\"a.json\",\"RepoTags\":[\"wardtest/a:1\",\"wardtest/a:latest\"],\"Layers\":[\"a/layer.tar\"]},"
		"{\"Config\":\"b.json\",\"RepoTags\":[\"wardtest/b:2\"],\"Layers\":[\"b/layer.tar\"]},"
		"{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[]}]";
	static const char same[] =
		"[{\"Config\":\"a.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[]},"
		"{\"Config\":\"b.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[]}]";
	struct ward_image_meta m;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(docker(two, &m, &err), -EINVAL);
	assert_string_equal(err.msg, "manifest.json: 3 images (wardtest/a:1, wardtest/a:latest, wardtest/b:2, (an untagged image)): choose one with --tag REPO:TAG");
	ward_image_meta_free(&m);
	assert_int_equal(docker_tag(two, "wardtest/b:2", &m, &err), 0);
	assert_string_equal(m.config_member, "b.json");
	assert_string_equal(m.name, "wardtest/b:2");
	assert_int_equal(m.nimages, 3);
	assert_string_equal(m.layers[0].member, "b/layer.tar");
	ward_image_meta_free(&m);
	/* Docker's defaults: wardtest/a is wardtest/a:latest */
	assert_int_equal(docker_tag(two, "docker.io/wardtest/a", &m, &err), 0);
	assert_string_equal(m.config_member, "a.json");
	assert_string_equal(m.name, "wardtest/a:latest");
	ward_image_meta_free(&m);
	assert_int_equal(docker_tag(two, "wardtest/c:1", &m, &err), -ENOENT);
	assert_string_equal(err.msg, "manifest.json: no image tagged 'wardtest/c:1' (the archive has wardtest/a:1, wardtest/a:latest, wardtest/b:2, (an untagged image))");
	ward_image_meta_free(&m);
	assert_int_equal(docker_tag(same, "x:1", &m, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'x:1' names 2 images"));
	ward_image_meta_free(&m);
	/* one image: a tag must still be its own */
	assert_int_equal(docker_tag("[{\"Config\":\"a.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[]}]",
				    "x:2", &m, &err), -ENOENT);
	ward_image_meta_free(&m);
	assert_int_equal(docker("[{\"Config\":\"a.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[]}]",
				&m, &err), 0);
	assert_string_equal(m.name, "x:1");
	ward_image_meta_free(&m);
}

#define MAN(hex, extra) \
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" hex "\"" extra "}"
#define REF(name) ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" name "\"}"
#define PLAT(os, arch, variant) ",\"platform\":{\"os\":\"" os "\",\"architecture\":\"" arch "\"" variant "}"
#define HEXC "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define HEXD "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"

static int oci(const char *json, const char *tag, struct ward_image_index *ix,
	       struct ward_err *err)
{
	return ward_image_parse_oci_index(json, strlen(json), &lim, tag, ix, err);
}

/* An OCI layout of two refs (skopeo copy ... oci:DIR:REF, twice). */
static void test_oci_refs(void **state)
{
	static const char two[] = "{\"manifests\":[" MAN(HEX64, REF("img1")) "," MAN(HEX64B, REF("img2")) "]}";
	static const char containerd[] =
		"{\"manifests\":[" MAN(HEX64, ",\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/app:1\","
				      "\"org.opencontainers.image.ref.name\":\"1\"}") ","
		MAN(HEX64B, ",\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/app:2\","
			    "\"org.opencontainers.image.ref.name\":\"2\"}") "]}";
	struct ward_image_index ix;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(oci(two, NULL, &ix, &err), -EINVAL);
	assert_string_equal(err.msg, "OCI index: several images (img1, img2): choose one with --tag NAME");
	assert_int_equal(oci(two, "img2", &ix, &err), 0);
	assert_string_equal(ix.digest, "sha256:" HEX64B);
	assert_string_equal(ix.name, "img2");
	assert_null(ix.notice);
	assert_int_equal(ix.nimages, 2);
	ward_image_index_free(&ix);
	assert_int_equal(oci(two, "img3", &ix, &err), -ENOENT);
	assert_string_equal(err.msg, "OCI index: no image tagged 'img3' (it has img1, img2)");
	/* containerd's full name or the short ref name */
	assert_int_equal(oci(containerd, "app:2", &ix, &err), 0);
	assert_string_equal(ix.digest, "sha256:" HEX64B);
	assert_string_equal(ix.name, "docker.io/library/app:2");
	ward_image_index_free(&ix);
	assert_int_equal(oci(containerd, "1", &ix, &err), 0);
	assert_string_equal(ix.digest, "sha256:" HEX64);
	ward_image_index_free(&ix);
	assert_int_equal(oci(containerd, NULL, &ix, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "(docker.io/library/app:1, docker.io/library/app:2)"));
	/* a tag asked of an index that names nothing */
	assert_int_equal(oci("{\"manifests\":[" MAN(HEX64, "") "]}", "img1", &ix, &err), -ENOENT);
	assert_string_equal(err.msg, "OCI index: no image tagged 'img1' (it has no ref name at all)");
}

/* A multi-platform index: linux/amd64, said in a notice; none is an
 * error listing the platforms. */
static void test_oci_platforms(void **state)
{
	static const char four[] = "{\"manifests\":["
		MAN(HEX64, PLAT("linux", "arm64", ",\"variant\":\"v8\"")) ","
		MAN(HEX64B, PLAT("linux", "amd64", ",\"variant\":\"v3\"")) ","
		MAN(HEXC, PLAT("linux", "amd64", "")) ","
		MAN(HEXD, PLAT("linux", "s390x", "")) "]}";
	static const char v2v3[] = "{\"manifests\":["
		MAN(HEX64, PLAT("linux", "amd64", ",\"variant\":\"v3\"")) ","
		MAN(HEX64B, PLAT("linux", "amd64", ",\"variant\":\"v2\"")) "]}";
	static const char none[] = "{\"manifests\":["
		MAN(HEX64, PLAT("linux", "arm64", "")) ","
		MAN(HEX64B, PLAT("linux", "amd64", ",\"variant\":\"v4\"")) ","
		MAN(HEXC, PLAT("windows", "amd64", "")) "]}";
	static const char bare[] = "{\"manifests\":[" MAN(HEX64, "") "," MAN(HEX64B, "") "]}";
	static const char one[] = "{\"manifests\":[" MAN(HEX64, PLAT("linux", "arm64", "")) "]}";
	struct ward_image_index ix;
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(oci(four, NULL, &ix, &err), 0);
	assert_string_equal(ix.digest, "sha256:" HEXC);
	assert_string_equal(ix.notice, "the index lists 4 platforms (linux/arm64/v8, linux/amd64/v3, linux/amd64, linux/s390x): linux/amd64 was read");
	assert_int_equal(ix.nimages, 4);
	ward_image_index_free(&ix);
	assert_int_equal(oci(v2v3, NULL, &ix, &err), 0);
	assert_string_equal(ix.digest, "sha256:" HEX64B);
	assert_non_null(strstr(ix.notice, ": linux/amd64/v2 was read"));
	ward_image_index_free(&ix);
	assert_int_equal(oci(none, NULL, &ix, &err), -ENOENT);
	assert_string_equal(err.msg, "OCI index: no linux/amd64 image among its platforms (linux/arm64, linux/amd64/v4, windows/amd64): ward runs linux/amd64 programs");
	assert_int_equal(oci(bare, NULL, &ix, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "2 images, and neither a ref name nor a platform tells them apart"));
	/* a single entry is read whatever its platform */
	assert_int_equal(oci(one, NULL, &ix, &err), 0);
	assert_null(ix.notice);
	ward_image_index_free(&ix);
}

static void test_oci_manifest(void **state)
{
	static const char man[] =
		"{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" HEX64 "\"},"
		"\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
		"\"digest\":\"sha256:" HEX64B "\"},{\"digest\":\"sha256:" HEX64 "\"}]}";
	struct ward_image_meta m = {0};
	struct ward_err err = {0};

	(void)state;
	assert_int_equal(ward_image_parse_oci_manifest(man, strlen(man), &lim, &m, &err), 0);
	assert_string_equal(m.config_member, "blobs/sha256/" HEX64);
	assert_int_equal(m.nlayers, 2);
	assert_string_equal(m.layers[0].member, "blobs/sha256/" HEX64B);
	assert_string_equal(m.layers[0].digest, "sha256:" HEX64B);
	ward_image_meta_free(&m);
	assert_int_equal(ward_image_parse_oci_manifest("{\"config\":{\"digest\":\"md5:x\"},\"layers\":[]}",
						       40, &lim, &m, &err), -EINVAL);
	ward_image_meta_free(&m);
}

/* ---- config ------------------------------------------------------------------------- */

static const char config_json[] =
	"{\"architecture\":\"amd64\",\"config\":{\"User\":\"app\","
	"\"Env\":[\"PATH=/usr/bin\",\"DB_PASSWORD=hunter2\"],"
	"\"Entrypoint\":[\"/app/server\"],\"Cmd\":[\"--port\",\"8080\"],"
	"\"ExposedPorts\":{\"8080/tcp\":{}},\"Volumes\":{\"/data\":{}},"
	"\"WorkingDir\":\"/app\"},"
	"\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\"]},"
	"\"history\":[{\"created_by\":\"ADD rootfs.tar /\"},"
	"{\"created_by\":\"ARG X\",\"empty_layer\":true},"
	"{\"created_by\":\"COPY .env /app/\"},"
	"{\"created_by\":\"ENV A=1\",\"empty_layer\":true},"
	"{\"created_by\":\"RUN rm /app/.env\"}]}";

static void test_config(void **state)
{
	struct ward_image_meta m = {0};
	struct ward_err err = {0};
	struct ward_image_config *c = &m.config;

	(void)state;
	assert_int_equal(ward_image_parse_config(config_json, strlen(config_json), &lim, c, &err), 0);
	assert_string_equal(c->user, "app");
	assert_int_equal(c->nenv, 2);
	assert_string_equal(c->env[1], "DB_PASSWORD=hunter2");
	assert_int_equal(c->nentrypoint, 1);
	assert_int_equal(c->ncmd, 2);
	assert_int_equal(c->nports, 1);
	assert_string_equal(c->ports[0], "8080/tcp");
	assert_string_equal(c->volumes[0], "/data");
	assert_string_equal(c->workdir, "/app");
	assert_int_equal(c->nhistory, 5);
	assert_int_equal(c->ndiff_ids, 3);
	assert_string_equal(c->diff_ids[2], "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc");
	assert_true(c->history[1].empty_layer);
	/* pair three layers with the non-empty history entries 0, 2, 4 */
	m.layers = calloc(3, sizeof(*m.layers));
	assert_non_null(m.layers);
	m.nlayers = 3;
	ward_image_link_history(&m);
	assert_int_equal(m.layers[0].history, 0);
	assert_int_equal(m.layers[1].history, 2);
	assert_int_equal(m.layers[2].history, 4);
	assert_int_equal(c->history[3].layer, -1);
	assert_int_equal(c->history[4].layer, 2);
	ward_image_meta_free(&m);
}

static int config(const char *json, struct ward_err *err)
{
	struct ward_image_config c = {0};
	int r = ward_image_parse_config(json, strlen(json), &lim, &c, err);

	ward_image_config_free(&c);
	return r;
}

static void test_config_bounds(void **state)
{
	struct ward_err err = {0};
	static const char nul[] = "{\"config\":{\"User\":\"a\\u0000b\"}}";

	(void)state;
	assert_int_equal(config("{}", &err), 0);
	assert_int_equal(config("{\"config\":null,\"history\":null}", &err), 0);
	assert_int_equal(config("{\"config\":{\"Env\":[1]}}", &err), -EINVAL);
	assert_int_equal(config("{\"config\":{\"Env\":\"A=1\"}}", &err), -EINVAL);
	assert_int_equal(config("{\"history\":[{\"empty_layer\":\"yes\"}]}", &err), -EINVAL);
	assert_int_equal(config(nul, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "NUL"));
	lim.max_list = 2;
	assert_int_equal(config("{\"config\":{\"Env\":[\"A=1\",\"B=2\",\"C=3\"]}}", &err), -E2BIG);
	assert_non_null(strstr(err.msg, "WARD_IMAGE_MAX_LIST"));
	assert_int_equal(config("{\"config\":{\"ExposedPorts\":{\"1/tcp\":{},\"2/tcp\":{},\"3/tcp\":{}}}}",
				&err), -E2BIG);
	lim.max_history = 1;
	assert_int_equal(config("{\"history\":[{},{}]}", &err), -E2BIG);
	assert_non_null(strstr(err.msg, "WARD_IMAGE_MAX_HISTORY"));
	lim.max_string = 4;
	assert_int_equal(config("{\"config\":{\"User\":\"abcdef\"}}", &err), -EFBIG);
	assert_non_null(strstr(err.msg, "WARD_IMAGE_MAX_STRING"));
}

/* ---- history ---------------------------------------------------------------------------- */

static void masked(const char *in, const char *want)
{
	char out[512];

	ward_image_mask(in, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_history_scan(void **state)
{
	struct ward_image_hit h[16];
	const char *classic = "|2 API_TOKEN=tok-123 VERSION=1.2 /bin/sh -c echo \"$API_TOKEN\"";
	size_t n;

	(void)state;
	n = ward_image_history_scan(classic, h, 16);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].kind, WARD_IMAGE_HIT_ARG);
	assert_true(h[0].secret);
	assert_string_equal(h[0].name, "API_TOKEN");
	assert_memory_equal(classic + h[0].off, "tok-123", h[0].len);
	assert_false(h[1].secret);
	masked(classic, "|2 API_TOKEN=*** VERSION=1.2 /bin/sh -c echo \"$API_TOKEN\"");
	/* BuildKit */
	masked("RUN |1 NPM_TOKEN=npm_abc /bin/sh -c npm ci",
	       "RUN |1 NPM_TOKEN=*** /bin/sh -c npm ci");
	/* ENV, quoted values, the old "ENV NAME VALUE", ARG defaults */
	masked("/bin/sh -c #(nop)  ENV DB_PASSWORD=pw FOO=bar",
	       "/bin/sh -c #(nop)  ENV DB_PASSWORD=*** FOO=bar");
	masked("ENV SECRET_KEY=\"a b c\" X=1", "ENV SECRET_KEY=*** X=1");
	masked("/bin/sh -c #(nop)  ENV API_KEY some long value", "/bin/sh -c #(nop)  ENV API_KEY ***");
	masked("ARG GITHUB_TOKEN=default", "ARG GITHUB_TOKEN=***");
	masked("ARG GITHUB_TOKEN", "ARG GITHUB_TOKEN");
	/* an empty value is no secret */
	n = ward_image_history_scan("|1 API_TOKEN= /bin/sh -c true", h, 16);
	assert_int_equal(n, 1);
	assert_false(h[0].secret);
	/* tokens anywhere */
	masked("RUN curl -H 'Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ0123' https://x",
	       "RUN curl -H 'Authorization: token ***' https://x");
	masked("RUN aws configure set aws_access_key_id AKIAABCDEFGHIJKLMNOP",
	       "RUN aws configure set aws_access_key_id ***");
	masked("|1 GH=ghp_0123456789abcdefghijABCDEFGHIJ0123 /bin/sh -c x",
	       "|1 GH=*** /bin/sh -c x");
	masked("RUN echo AKIAabc notakey", "RUN echo AKIAabc notakey");
	/* the shapes of secret_shapes.c: a name ending in _PASS, a URL's
	 * password, a JWT, Google and OpenAI-style keys; look-alikes kept */
	masked("/bin/sh -c #(nop)  ENV DB_PASS=pw COMPASS_DIR=/opt",
	       "/bin/sh -c #(nop)  ENV DB_PASS=*** COMPASS_DIR=/opt");
	masked("RUN |1 MYSQL_PWD=pw /bin/sh -c make", "RUN |1 MYSQL_PWD=*** /bin/sh -c make");
	masked("RUN git clone https://ci:t0ken@git.example.com/o/r.git && psql postgres://db/app",
	       "RUN git clone https://ci:***@git.example.com/o/r.git && psql postgres://db/app");
	masked("RUN curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln' x",
	       "RUN curl -H 'Authorization: Bearer ***' x");
	masked("RUN curl 'https://maps.example.com/?key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'",
	       "RUN curl 'https://maps.example.com/?key=***'");
	masked("RUN OPENAI_API=sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l pip install sk-learn",
	       "RUN OPENAI_API=*** pip install sk-learn");
	n = ward_image_history_scan("RUN git clone https://ci:t0ken@git.example.com/r", h, 16);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].kind, WARD_IMAGE_HIT_TOKEN);
	assert_string_equal(h[0].name, "a URL with credentials");
	masked("RUN git clone https://ci@git.example.com/r", "RUN git clone https://ci@git.example.com/r");
	/* escapes, and a cut */
	masked("COPY \x1b[31m /", "COPY \\x1b[31m /");
	{
		char out[12];

		ward_image_mask("RUN 0123456789abcdef", out, sizeof(out));
		assert_string_equal(out, "RUN 0123...");
	}
	/* hostile counts do not overflow */
	n = ward_image_history_scan("|99999999999999999999 A=1", h, 16);
	assert_true(n <= 16);
}

static void test_history_many_hits(void **state)
{
	/* more assignments than any fixed table: the last one is still masked */
	char line[4096], out[8192];
	size_t o = 0;

	(void)state;
	o += (size_t)snprintf(line + o, sizeof(line) - o, "ENV");
	for (int i = 0; i < 200; i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, " V%d=x", i);
	snprintf(line + o, sizeof(line) - o, " LAST_PASSWORD=hunter2");
	ward_image_mask(line, out, sizeof(out));
	assert_null(strstr(out, "hunter2"));
	assert_non_null(strstr(out, "LAST_PASSWORD=***"));
}

/* ---- shapes ---------------------------------------------------------------------------- */

static void test_shapes(void **state)
{
	size_t off, n;
	const char *what;
	static const char npmrc[] = "//registry.npmjs.org/:_authToken=npm_SECRET123\n";

	(void)state;
	assert_true(ward_secret_name_looks_secret("DB_PASSWORD"));
	assert_true(ward_secret_name_looks_secret("api_key"));
	assert_true(ward_secret_name_looks_secret("NPM_TOKEN=abc"));
	assert_true(ward_secret_name_looks_secret("AWS_SECRET_ACCESS_KEY"));
	assert_false(ward_secret_name_looks_secret("PATH"));
	assert_false(ward_secret_name_looks_secret("PATH=/my_token/bin"));
	assert_true(ward_secret_name_looks_secret("DB_PASS"));
	assert_false(ward_secret_name_looks_secret("BYPASS_CACHE"));
	assert_false(ward_secret_name_looks_secret(""));
	assert_false(ward_secret_name_looks_secret(NULL));

	assert_int_equal(ward_secret_file_kind("app", ".env"), WARD_SECRET_BY_NAME);
	assert_int_equal(ward_secret_file_kind(".ssh", "id_ed25519"), WARD_SECRET_BY_NAME);
	assert_int_equal(ward_secret_file_kind(".aws", "credentials"), WARD_SECRET_BY_NAME);
	assert_int_equal(ward_secret_file_kind("x", "credentials"), WARD_SECRET_NONE);
	assert_int_equal(ward_secret_file_kind(".kube", "config"), WARD_SECRET_KUBE);
	assert_int_equal(ward_secret_file_kind("etc", "kubeconfig"), WARD_SECRET_KUBE);
	assert_int_equal(ward_secret_file_kind(".docker", "config.json"), WARD_SECRET_DOCKER);
	assert_int_equal(ward_secret_file_kind("ssl", "server.key"), WARD_SECRET_PRIVKEY);
	assert_int_equal(ward_secret_file_kind("", ".git-credentials"), WARD_SECRET_GITCRED);
	assert_int_equal(ward_secret_file_kind("", ".npmrc"), WARD_SECRET_TOKEN);
	assert_int_equal(ward_secret_file_kind("", "README"), WARD_SECRET_NONE);

	assert_true(ward_secret_content(WARD_SECRET_PRIVKEY,
					"-----BEGIN EC PRIVATE KEY-----\nx\n", 33));
	assert_false(ward_secret_content(WARD_SECRET_PRIVKEY,
					 "-----BEGIN CERTIFICATE-----\n", 28));
	assert_true(ward_secret_content(WARD_SECRET_KUBE, "users:\n- user:\n    token: abc\n", 30));
	assert_false(ward_secret_content(WARD_SECRET_KUBE, "clusters: []\n", 13));
	assert_true(ward_secret_content(WARD_SECRET_GITCRED, "https://u:p@github.com\n", 23));
	assert_false(ward_secret_content(WARD_SECRET_DOCKER, "{\"auths\": {}}", 13));

	assert_string_equal(ward_secret_shape("-----BEGIN OPENSSH PRIVATE KEY-----\n", 36),
			    "a private key");
	assert_string_equal(ward_secret_shape("x=github_pat_11ABCDEFG0123456789abcdef_xyz", 42),
			    "a GitHub token");
	assert_string_equal(ward_secret_shape("SLACK=xoxb-1234567890-abcdef", 28), "a Slack token");
	assert_string_equal(ward_secret_shape("glpat-abcdefghij0123456789", 26), "a GitLab token");
	assert_null(ward_secret_shape("xoxb-1", 6));
	assert_null(ward_secret_shape("myghp_0123456789abcdefghij0123", 30));
	assert_true(ward_secret_token_find(npmrc, strlen(npmrc), &off, &n, &what));
	assert_string_equal(what, "an npm token");
	assert_memory_equal(npmrc + off, "npm_SECRET123", n);
	assert_false(ward_secret_token_find("_authToken=", 11, &off, &n, &what));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_member_names, setup),
		cmocka_unit_test_setup(test_digests, setup),
		cmocka_unit_test_setup(test_json_bounds, setup),
		cmocka_unit_test_setup(test_docker_manifest, setup),
		cmocka_unit_test_setup(test_oci_index, setup),
		cmocka_unit_test_setup(test_tag_matches, setup),
		cmocka_unit_test_setup(test_docker_tags, setup),
		cmocka_unit_test_setup(test_oci_refs, setup),
		cmocka_unit_test_setup(test_oci_platforms, setup),
		cmocka_unit_test_setup(test_oci_manifest, setup),
		cmocka_unit_test_setup(test_config, setup),
		cmocka_unit_test_setup(test_config_bounds, setup),
		cmocka_unit_test_setup(test_history_scan, setup),
		cmocka_unit_test_setup(test_history_many_hits, setup),
		cmocka_unit_test_setup(test_shapes, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
