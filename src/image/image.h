/* ward check --image FILE: inspect a container image before trusting it.
 *
 * FILE is a `docker save` archive (manifest.json, a config, layer tars)
 * or an OCI image layout (index.json, blobs/sha256/), as a directory or
 * a tar; layers may be plain, gzip or zstd.  libarchive reads the tars
 * and the compression, json-c the manifest, index and config.
 *
 * The archive is untrusted.  Nothing is extracted and nothing is written:
 * every layer is streamed once from the archive and each entry is only
 * recorded (path, type, mode, size) or, for a few candidate files, read
 * (at most WARD_IMAGE_SECRET_READ bytes of a secret candidate, never
 * copied into the report).  Symlinks are never followed: in the final
 * tree they are entries like any other; in the outer archive a member
 * symlink (docker save writes them for repeated layers) is resolved by
 * name, one hop, and must stay inside the archive.  In an OCI directory
 * the blobs are opened with openat(O_NOFOLLOW) beneath the directory, by
 * validated hex digests only, never by a path taken from the JSON.  Every
 * size, count and depth is bounded (below); reaching a bound is an error
 * (WARD_STEP_IMAGE) that names the member and the bound.
 *
 * Runs in the parent (ward check), needs no privilege and makes no
 * change anywhere. */
#ifndef WARD_IMAGE_H
#define WARD_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "base/secret_shapes.h"

struct archive;
struct archive_entry;
struct json_object;

/* ---- bounds ----------------------------------------------------------------
 * Defaults of struct ward_image_limits; the unit tests lower them. */

/* Members of the outer archive (docker save: ~4 per layer). */
#define WARD_IMAGE_MAX_MEMBERS 100000u
/* Entries in one layer, and in all layers together (each is kept in
 * memory until the final tree is built: ~100 bytes apiece). */
#define WARD_IMAGE_MAX_LAYER_ENTRIES 1000000u
#define WARD_IMAGE_MAX_ENTRIES 2000000u
/* manifest.json, index.json, an OCI manifest or a config: the file's
 * size, and how deep its arrays and objects may nest. */
#define WARD_IMAGE_MAX_JSON (8u << 20)
#define WARD_IMAGE_MAX_JSON_DEPTH 64
/* What a decompression bomb costs is the time spent expanding it and
 * the bytes it makes ward read, whatever its ratio (a legitimate layer
 * holding a 70 MB file of zeros expands 700:1; a tar of zeros compressed
 * with gzip members of 64 MiB each, 1000:1, makes ward inflate at about
 * 0.5 GB/s on one core).  So the expanded bytes are bounded, not the
 * ratio: per layer (its tar stream), for all layers of the image
 * together (each distinct layer read once), and for the outer archive
 * (per pass; it may hold several images), and so is the wall-clock time
 * of the whole read.  The defaults pass real images of several GB (the
 * largest layers of CUDA and machine-learning images are a few GiB,
 * their images tens of GiB at most) and stop a bomb of tens of GB after
 * 8 GiB of one layer or 32 GiB in all; 10 minutes is several times what
 * expanding 32 GiB takes.  --image-limit
 * NAME=VALUE raises or lowers each (image/limits.c). */
#define WARD_IMAGE_MAX_LAYER_BYTES (8ull << 30)
#define WARD_IMAGE_MAX_IMAGE_BYTES (32ull << 30)
#define WARD_IMAGE_MAX_ARCHIVE_BYTES (64ull << 30)
#define WARD_IMAGE_MAX_MS (10ull * 60 * 1000)
/* A member or entry name, in bytes and in components. */
#define WARD_IMAGE_MAX_PATH 4096u
#define WARD_IMAGE_MAX_DEPTH 256u
/* The tar headers of one member or entry: its own 512-byte header and
 * the pax extended headers ('x', 'g') and GNU long names ('L', 'K')
 * before it, together.  Beyond 999,999 bytes libarchive drops a pax
 * record, and beyond 32 headers in a row it stops following them; Docker's
 * Go reader takes either (up to 1 MiB), so the name libarchive gives
 * would not be the file Docker extracts.  16 KiB holds a 4096-byte path
 * and link target with room to spare and is less than 33 headers. */
#define WARD_IMAGE_MAX_HEADER (16u << 10)
/* config history entries, layers, and the entries of any other list
 * (Env, ExposedPorts, Volumes, Entrypoint, Cmd, RepoTags, manifests). */
#define WARD_IMAGE_MAX_HISTORY 1024u
#define WARD_IMAGE_MAX_LAYERS 256u
#define WARD_IMAGE_MAX_LIST 4096u
/* One JSON string (a created_by line, an Env entry). */
#define WARD_IMAGE_MAX_STRING (64u << 10)
/* Bytes read of a secret candidate; of /etc/passwd and /etc/group; of a
 * package database (dpkg status, apk installed; longer ones are counted
 * as far as read). */
#define WARD_IMAGE_SECRET_READ (64u << 10)
#define WARD_IMAGE_MAX_USERDB (256u << 10)
#define WARD_IMAGE_MAX_PKGDB (16u << 20)
/* OCI indexes pointing to indexes. */
#define WARD_IMAGE_MAX_NESTING 2u

struct ward_image_limits {
	size_t max_members;
	size_t max_layer_entries;
	size_t max_entries;
	size_t max_json;
	int max_json_depth;
	uint64_t max_layer_bytes;
	uint64_t max_image_bytes;
	uint64_t max_archive_bytes;
	uint64_t max_ms;       /* wall-clock time of one read */
	size_t max_path;
	size_t max_depth;
	size_t max_header;
	size_t max_history;
	size_t max_layers;
	size_t max_list;
	size_t max_string;
	size_t secret_read;
	size_t max_userdb;
	size_t max_pkgdb;
	/* Not a bound: when max_ms runs out (CLOCK_MONOTONIC, in ms), set
	 * by ward_image_limits_start; 0 for none. */
	uint64_t deadline_ms;
};

/* The defaults above. */
void ward_image_limits_default(struct ward_image_limits *lim);

/* ---- --image-limit (image/limits.c) ---------------------------------------- */

/* Apply "NAME=VALUE[,NAME=VALUE...]" to @lim: layer-size, image-size,
 * archive-size (bytes: 512M, 8G, 1T, or a plain number), layer-entries,
 * entries (a number), time (10m, 90s, 1h, 500ms; a plain number is
 * seconds).  Values are above 0.  Returns 0 or -EINVAL with @err set
 * (WARD_STEP_USAGE) naming the part that is wrong. */
int ward_image_limits_parse(const char *spec, struct ward_image_limits *lim,
			    struct ward_err *err);

/* "layer-size=8G": how an error names the bound @name of @lim, and the
 * option that raises it, into @buf. */
const char *ward_image_limit_name(const struct ward_image_limits *lim,
				  const char *name, char *buf, size_t len);

/* Start the clock of one read: deadline_ms = now + max_ms. */
void ward_image_limits_start(struct ward_image_limits *lim);

/* -ETIME with @err set ("@what: ... (--image-limit time=10m raises it)")
 * once the deadline has passed, else 0. */
int ward_image_check_deadline(const struct ward_image_limits *lim,
			      const char *what, struct ward_err *err);

/* ---- the whole audit (image.c, image_report.c) --------------------------- */

struct ward_image;

/* How to read an image: which one of an archive holding several
 * (@tag: "REPO:TAG" or an OCI ref name; NULL: the only one, and an error
 * listing the tags when there are more), within @lim (NULL: the
 * defaults). */
struct ward_image_opts {
	const char *tag;
	const struct ward_image_limits *lim;
};

/* Read the image at @path (a regular file: a tar; a directory: an OCI
 * layout) as @o says (NULL: the only image, the default limits).  The
 * clock of max_ms starts here.  Returns 0 with *out set, or -errno with
 * @err set (WARD_STEP_IMAGE): unreadable, unknown layout, malformed JSON
 * or tar, a hostile name, no image or several for the tag, a bound
 * reached. */
int ward_image_read(const char *path, const struct ward_image_opts *o,
		    struct ward_image **out, struct ward_err *err);

void ward_image_free(struct ward_image *img);

/* ---- metadata (image_meta.c): pure, fuzzed (tests/fuzz/fuzz_image_meta.c) */

enum ward_image_format {
	WARD_IMAGE_DOCKER_SAVE,
	WARD_IMAGE_OCI_DIR,
	WARD_IMAGE_OCI_TAR,
};

#define WARD_IMAGE_DIGEST_LEN 72 /* "sha256:" + 64 hex + NUL, rounded */

struct ward_image_history {
	char *created_by; /* as written: may hold secrets, never print raw */
	char *comment;
	bool empty_layer;
	long layer;       /* the layer it made, -1 for none */
};

struct ward_image_config {
	char *user;       /* NULL when the config sets none */
	char **env;
	size_t nenv;
	char **entrypoint;
	size_t nentrypoint;
	char **cmd;
	size_t ncmd;
	char **ports;     /* "8080/tcp" */
	size_t nports;
	char **volumes;
	size_t nvolumes;
	char *workdir;
	char *stop_signal; /* "SIGQUIT", "3", NULL */
	struct ward_image_history *history;
	size_t nhistory;
	char **diff_ids;  /* rootfs.diff_ids: "sha256:<hex>", one per layer */
	size_t ndiff_ids;
};

struct ward_image_layer_ref {
	char *member;     /* the archive member or "blobs/sha256/<hex>" */
	char digest[WARD_IMAGE_DIGEST_LEN]; /* "" when not known */
	long history;     /* the history entry that made it, -1 */
};

struct ward_image_meta {
	enum ward_image_format format;
	char *name;       /* the tag asked for or, without one, RepoTags[0]
			   * or the OCI ref name; NULL */
	size_t nimages;   /* images in the archive (one is read) */
	char *notice;     /* which platform of several was read, or NULL */
	char *config_member;
	struct ward_image_layer_ref *layers;
	size_t nlayers;
	struct ward_image_config config;
};

/* Parse @len bytes of JSON (not NUL-terminated) within @lim: at most
 * max_json bytes and max_json_depth levels, nothing but white space
 * after the value.  @what names the file in errors.  *out is a new
 * reference.  Returns 0 or -EINVAL/-EFBIG with @err set. */
int ward_image_json_parse(const char *buf, size_t len,
			  const struct ward_image_limits *lim, const char *what,
			  struct json_object **out, struct ward_err *err);

/* Normalise an archive member name: "./" prefixes, repeated and trailing
 * slashes and "." components go; ".." components and absolute names are
 * refused (-EINVAL); longer than @len or than
 * max_path (-ENAMETOOLONG), deeper than max_depth (-ELOOP).  "" (the
 * archive's root) is a valid result. */
int ward_image_member_name(const char *in, const struct ward_image_limits *lim,
			   char *out, size_t len);

/* Resolve the link target @target of the member @name lexically into
 * *out (heap): from the archive root when @from_root (hard links), else
 * from @name's directory.  ".." may not climb above the root (-EINVAL),
 * nor may a target be absolute; -ENAMETOOLONG past max_path. */
int ward_image_link_target(const char *name, const char *target,
			   bool from_root, const struct ward_image_limits *lim,
			   char **out);

/* "sha256:" followed by 64 lowercase hex digits. */
bool ward_image_digest_valid(const char *digest);

/* docker save's manifest.json: the Config and Layers (each a valid
 * member name) of the image one of whose RepoTags is @tag ("REPO:TAG";
 * Docker's defaults apply: "nginx" is "docker.io/library/nginx:latest"),
 * or of the only image when @tag is NULL.  Fills @m (format, name: the
 * tag matched or RepoTags[0], nimages, config_member, layers).  No image
 * with that tag is -ENOENT; several images without a tag, -EINVAL: both
 * list the archive's tags. */
int ward_image_parse_docker_manifest(const char *buf, size_t len,
				     const struct ward_image_limits *lim,
				     const char *tag, struct ward_image_meta *m,
				     struct ward_err *err);

/* The choice made in an OCI index. */
struct ward_image_index {
	char digest[WARD_IMAGE_DIGEST_LEN]; /* of the manifest or index to read */
	bool nested;      /* it is an index: read it the same way */
	char *name;       /* its ref name (heap), or NULL */
	size_t nimages;   /* image manifests the index lists */
	char *notice;     /* heap: the platform read among several, or NULL */
};

/* An OCI index (index.json or a nested one): the entry whose ref name
 * ("org.opencontainers.image.ref.name", or containerd's
 * "io.containerd.image.name") matches @tag, or the only one (@tag NULL;
 * several ref names is -EINVAL, listing them); among several platforms,
 * linux/amd64 (no variant, or v1 to v3), said in ->notice; none for it
 * is -ENOENT listing the platforms.  Free with ward_image_index_free. */
int ward_image_parse_oci_index(const char *buf, size_t len,
			       const struct ward_image_limits *lim, const char *tag,
			       struct ward_image_index *out, struct ward_err *err);

void ward_image_index_free(struct ward_image_index *ix);

/* An OCI (or Docker v2) image manifest: config.digest and layers[]. */
int ward_image_parse_oci_manifest(const char *buf, size_t len,
				  const struct ward_image_limits *lim,
				  struct ward_image_meta *m,
				  struct ward_err *err);

/* An image config: User, Env, Entrypoint, Cmd, ExposedPorts, Volumes,
 * WorkingDir, history, rootfs.diff_ids. */
int ward_image_parse_config(const char *buf, size_t len,
			    const struct ward_image_limits *lim,
			    struct ward_image_config *c, struct ward_err *err);

/* Pair layers with the history entries that made them (the non-empty
 * ones, in order). */
void ward_image_link_history(struct ward_image_meta *m);

void ward_image_config_free(struct ward_image_config *c);
void ward_image_meta_free(struct ward_image_meta *m);

/* ---- secrets in the metadata (image_history.c): pure ------------------------ */

enum ward_image_hit_kind {
	WARD_IMAGE_HIT_ARG,   /* a build arg in "|N NAME=VALUE ..." */
	WARD_IMAGE_HIT_ENV,   /* ENV NAME=VALUE, ARG NAME=DEFAULT */
	WARD_IMAGE_HIT_TOKEN, /* a token shape anywhere */
};

struct ward_image_hit {
	enum ward_image_hit_kind kind;
	bool secret;      /* a secret-looking name with a value, or a token */
	char name[64];    /* the variable (escaped) or what the token is */
	size_t off, len;  /* the value's span in the line */
};

/* The build args, ENV/ARG assignments and token shapes of one history
 * line, at most @max of them, in line order.  Returns how many. */
size_t ward_image_history_scan(const char *line,
			       struct ward_image_hit *hits, size_t max);

/* Copy @in to @out (at most @len bytes with the NUL) with the value of
 * every secret hit replaced by "***", every byte outside printable ASCII
 * escaped as \xNN, cut with "..." when longer. */
void ward_image_mask(const char *in, char *out, size_t len);

/* Escape @in as ward_image_mask does, without masking. */
void ward_image_escape(const char *in, char *out, size_t len);

/* ---- layers (image_layers.c) --------------------------------------------------- */

enum ward_image_ev {
	WARD_IMAGE_EV_FILE,
	WARD_IMAGE_EV_DIR,
	WARD_IMAGE_EV_SYMLINK,
	WARD_IMAGE_EV_HARDLINK,
	WARD_IMAGE_EV_OTHER,    /* device, FIFO, socket */
	WARD_IMAGE_EV_WHITEOUT, /* path: what .wh.NAME deletes */
	WARD_IMAGE_EV_OPAQUE,   /* path: the directory made opaque */
};

/* What was read of one file. */
enum ward_image_content_kind {
	WARD_IMAGE_C_SECRET,
	WARD_IMAGE_C_PASSWD,
	WARD_IMAGE_C_GROUP,
	WARD_IMAGE_C_DPKG,
	WARD_IMAGE_C_APK,
};

struct ward_image_content {
	enum ward_image_content_kind kind;
	enum ward_secret_kind secret;  /* C_SECRET */
	const char *shape;             /* C_SECRET: "a private key", or NULL */
	uint64_t count;                /* C_DPKG, C_APK: packages */
	bool partial;                  /* read only up to a bound */
	char *text;                    /* C_PASSWD, C_GROUP: NUL-terminated */
	size_t len;
};

struct ward_image_event {
	uint32_t path;     /* offset of the NUL-terminated path in the arena */
	uint8_t type;      /* enum ward_image_ev */
	uint32_t mode;     /* permission bits with setuid, setgid, sticky */
	uint64_t size;
	int32_t content;   /* index in contents[], -1 */
};

/* One layer's entries, in archive order. */
struct ward_image_layer_scan {
	char *arena;
	size_t arena_len, arena_cap;
	struct ward_image_event *ev;
	size_t nev, ev_cap;
	struct ward_image_content *contents;
	size_t ncontents, contents_cap;
	uint64_t bytes;        /* regular files' sizes */
	uint64_t files;
	uint64_t stream_bytes; /* the uncompressed tar stream */
	uint64_t raw_bytes;    /* as stored in the archive */
};

/* Read every entry of the layer open in @a (a tar, any supported
 * compression) into @out.  @what names the layer in errors ("layer 3
 * (abc/layer.tar)").  *total counts entries across layers against
 * max_entries, *total_bytes their expanded bytes against
 * max_image_bytes (this layer's are added).  Returns 0 or -errno with
 * @err set. */
int ward_image_scan_layer(struct archive *a, const char *what,
			  const struct ward_image_limits *lim, size_t *total,
			  uint64_t *total_bytes,
			  struct ward_image_layer_scan *out,
			  struct ward_err *err);

/* Where the scanner hands every entry besides recording it (the
 * unpacker writes the tree with it).  For each entry, in archive order:
 * entry() (@path normalised; for WARD_IMAGE_EV_WHITEOUT what it deletes,
 * for WARD_IMAGE_EV_OPAQUE the directory; @link a hard link's target,
 * normalised from the layer's root), then for a regular file data() for
 * each block of its content (@off its offset: a sparse file has holes)
 * and done().  Each returns 0 or -errno with @err set, which stops the
 * scan. */
struct ward_image_sink {
	int (*entry)(void *ctx, const char *path, enum ward_image_ev type,
		     struct archive_entry *e, const char *link,
		     struct ward_err *err);
	int (*data)(void *ctx, uint64_t off, const void *buf, size_t len,
		    struct ward_err *err);
	int (*done)(void *ctx, struct ward_err *err);
	void *ctx;
};

/* ward_image_scan_layer(), each entry also handed to @sink (NULL: none). */
int ward_image_scan_layer_to(struct archive *a, const char *what,
			     const struct ward_image_limits *lim, size_t *total,
			     uint64_t *total_bytes,
			     struct ward_image_layer_scan *out,
			     const struct ward_image_sink *sink,
			     struct ward_err *err);

/* Record an entry by hand (the unit tests; the scanner uses it too).
 * @path is normalised already.  Returns the event's index or -ENOMEM. */
long ward_image_layer_add(struct ward_image_layer_scan *s, const char *path,
			  enum ward_image_ev type, uint32_t mode, uint64_t size);

void ward_image_layer_scan_free(struct ward_image_layer_scan *s);

/* Check a libarchive stream against the deadline and a byte bound:
 * @bound is max_layer_bytes (a layer) or max_archive_bytes (the outer
 * archive).  Returns 0, -EFBIG or -ETIME. */
int ward_image_check_stream(struct archive *a, const char *what,
			    const struct ward_image_limits *lim, uint64_t bound,
			    struct ward_err *err);

/* Enable the tar format and the gzip and zstd filters (built-in code
 * only: never an external program) on @a. */
int ward_image_archive_setup(struct archive *a, struct ward_err *err);

/* After archive_read_next_header() on @a gave @r (ARCHIVE_OK or
 * ARCHIVE_WARN) and @e: the headers it read (from
 * archive_read_header_position() to the data) fill at most max_header
 * bytes, and a warning is only one that a name could not be converted
 * to the locale (its bytes are kept).  @what and @noun ("entry",
 * "member") name it in errors.  Returns 0, -EFBIG or -EINVAL. */
int ward_image_check_header(struct archive *a, int r, struct archive_entry *e,
			    const char *what, const char *noun,
			    const struct ward_image_limits *lim,
			    struct ward_err *err);

/* An entry's name, hard link and symlink target: libarchive's UTF-8
 * form, else its bytes as stored (a name that is not valid in the
 * locale), NULL when unset. */
const char *ward_image_entry_path(struct archive_entry *e);
const char *ward_image_entry_hardlink(struct archive_entry *e);
const char *ward_image_entry_symlink(struct archive_entry *e);

/* ---- the archive (image_archive.c) -------------------------------------------------
 * A tar (docker save, OCI tar; read with libarchive, possibly
 * compressed) or an OCI directory (openat beneath it).  A tar is read
 * in passes: the first lists and checks every member name, the next ones
 * read the JSON members asked for and then stream the layers, each
 * once, in the order they appear. */

struct ward_image_source;

int ward_image_source_open(const char *path, const struct ward_image_limits *lim,
			   struct ward_image_source **out, struct ward_err *err);

void ward_image_source_free(struct ward_image_source *src);

bool ward_image_source_is_dir(const struct ward_image_source *src);

/* Whether the member @name (normalised) exists, as a regular file or a
 * link to one. */
bool ward_image_source_has(const struct ward_image_source *src,
			   const char *name);

/* The member that @name stands for, once its symlink (if any) is
 * resolved, into @out (max_path + 1 bytes). */
int ward_image_source_canonical(const struct ward_image_source *src,
				const char *name, char *out,
				struct ward_err *err);

/* Read the member @name (at most max_json bytes) into heap memory. */
int ward_image_source_read(struct ward_image_source *src, const char *name,
			   char **buf, size_t *len, struct ward_err *err);

/* ward_image_source_read(), and the sha256 of what was read into
 * @digest (NULL: not wanted).  A member named blobs/sha256/<hex> (OCI,
 * newer docker save) or <hex>.json (an older docker save's config) must
 * have that digest (-EBADMSG).  @lim: the source's limits. */
int ward_image_source_read_digest(struct ward_image_source *src,
				  const struct ward_image_limits *lim,
				  const char *name, char **buf, size_t *len,
				  char digest[WARD_IMAGE_DIGEST_LEN],
				  struct ward_err *err);

/* A layer to stream: its member (canonical), how errors name it
 * ("IMAGE: layer 3 (abc/layer.tar)"), and the sha256 its uncompressed tar
 * must have (the config's rootfs.diff_ids entry; NULL: not checked). */
struct ward_image_layer_want {
	const char *member;
	const char *what;
	const char *diff_id;
};

/* Stream the members @want[0..n) (distinct) as layers: for each, @fn
 * gets its index and a libarchive tar reader open on its uncompressed
 * data.  The member's bytes and the uncompressed stream are hashed as
 * they pass (the rest of each is read once @fn returns): a member named
 * blobs/sha256/<hex> must have that digest, the stream its diff_id
 * (-EBADMSG, naming the layer and both digests). */
typedef int (*ward_image_layer_fn)(void *ctx, size_t idx, struct archive *a,
				   struct ward_err *err);
int ward_image_source_layers(struct ward_image_source *src,
			     const struct ward_image_layer_want *want, size_t n,
			     ward_image_layer_fn fn, void *ctx,
			     struct ward_err *err);

/* ---- one layer's streams (stream.c) ---------------------------------------------
 * The member's bytes (from the outer tar or a blob file) go through a
 * first libarchive reader (raw format, gzip or zstd filter: the
 * decompressor) and its output through a second (tar format, no filter):
 * both streams are hashed on the way and the bounds are checked on the
 * decompressor. */

/* The member's bytes, in order: returns their number, 0 at the end, or
 * -errno with @err set. */
struct ward_image_raw {
	long (*read)(void *ctx, const void **buf, struct ward_err *err);
	void *ctx;
};

int ward_image_stream_layer(const struct ward_image_limits *lim,
			    const struct ward_image_layer_want *want,
			    const struct ward_image_raw *raw, size_t idx,
			    ward_image_layer_fn fn, void *ctx,
			    struct ward_err *err);

/* Whether @name is blobs/sha256/<64 hex> or <64 hex>.json: the digest it
 * names into @digest. */
bool ward_image_digest_of_name(const char *name,
			       char digest[WARD_IMAGE_DIGEST_LEN]);

/* ---- a read image (image.c), for image_report.c and the tests ------------------- */

struct ward_image_tree;

struct ward_image {
	char *path;
	struct ward_image_limits lim;
	struct ward_image_meta meta;
	struct ward_image_layer_scan *scans; /* one per distinct layer member */
	size_t nscans;
	const struct ward_image_layer_scan **by_layer; /* meta.nlayers */
	struct ward_image_tree *tree;
	char *tag;       /* the --tag asked for, or NULL */
	size_t entries;  /* in all layers */
	uint64_t expanded; /* bytes of all layers' tar streams */
	char digest[WARD_IMAGE_DIGEST_LEN]; /* the config's sha256 */
	/* The config's bytes as read (their sha256 is @digest): the image
	 * cache keeps them (image/store.h). */
	char *config_json;
	size_t config_len;
};

/* What ward_image_read_with() does besides reading: with @layer set, the
 * layers are streamed in layer order (a layer listed twice, twice), each
 * entry handed to the sink layer() gives for it, and every layer must
 * have its rootfs.diff_ids entry. */
struct ward_image_reader {
	int (*layer)(void *ctx, const struct ward_image *img, size_t layer,
		     const struct ward_image_sink **sink, struct ward_err *err);
	int (*layer_done)(void *ctx, size_t layer, struct ward_err *err);
	void *ctx;
};

/* ward_image_read() with @rd (NULL: none). */
int ward_image_read_with(const char *path, const struct ward_image_opts *o,
			 const struct ward_image_reader *rd,
			 struct ward_image **out, struct ward_err *err);

/* ---- the final tree (image_tree.c): pure ---------------------------------------- */

enum ward_image_fate {
	WARD_IMAGE_VISIBLE,
	WARD_IMAGE_DELETED,     /* a whiteout (of it or a parent) */
	WARD_IMAGE_OVERWRITTEN, /* a later layer wrote the same path */
};

/* A secret-looking file as some layer added it. */
struct ward_image_secret {
	const char *path;  /* in that layer's arena, no leading "/" */
	size_t layer;
	enum ward_secret_kind kind;
	const char *shape;
	enum ward_image_fate fate;
	size_t fate_layer; /* the layer that deleted or overwrote it */
};

/* A path of the final tree. */
struct ward_image_node_info {
	size_t layer;      /* the layer whose version is visible */
	enum ward_image_ev type;
	uint32_t mode;
	uint64_t size;
	const struct ward_image_content *content; /* NULL if none was read */
};

/* Apply the layers in order (@layers[0] is the base; entries may be
 * shared between indexes): whiteouts and opaque directories of a layer
 * hide what the layers below it put there, then its entries are added.
 * Returns 0 or -ENOMEM/-E2BIG with @err set. */
int ward_image_tree_build(const struct ward_image_layer_scan *const *layers,
			  size_t nlayers, const struct ward_image_limits *lim,
			  struct ward_image_tree **out, struct ward_err *err);

void ward_image_tree_free(struct ward_image_tree *t);

/* The secret-looking files added by any layer, in layer order. */
const struct ward_image_secret *
ward_image_tree_secrets(const struct ward_image_tree *t, size_t *n);

/* Look @path (normalised) up in the final tree.  False when it is absent
 * or hidden. */
bool ward_image_tree_lookup(const struct ward_image_tree *t, const char *path,
			    struct ward_image_node_info *info);

/* Call @fn for every visible path of the final tree (without a leading
 * "/"), parents before children. */
void ward_image_tree_walk(const struct ward_image_tree *t,
			  void (*fn)(void *ctx, const char *path,
				     const struct ward_image_node_info *info),
			  void *ctx);

#endif
