/* The image cache: images unpacked once, kept by their config's digest.
 *
 * Where (ward_image_store_path):
 *   $WARD_CACHE_DIR/images            when WARD_CACHE_DIR is set (absolute)
 *   /var/cache/ward/images            for root
 *   $XDG_CACHE_HOME/ward/images       for others, else ~/.cache/ward/images
 * Every directory on the way that ward creates is made 0700.  The images
 * directory itself must be a directory (not a symlink) owned by the
 * effective uid, with no group or other write bit (for root: no group or
 * other bit at all); anything else is refused.  It is opened once
 * (O_NOFOLLOW|O_DIRECTORY) and used only through that fd from then on.
 *
 * Layout, beneath it:
 *   <hex>[.u<UID>g<GID>]/   an entry, 0700.  <hex>: the config's sha256.
 *                           The suffix marks a rootless entry, whose
 *                           modes were derived for the user UID:GID
 *                           (image/unpack.h); root's entries keep the
 *                           image's owners and have none.
 *       rootfs/             the image's final tree
 *       config.json         the image config, the bytes whose digest names
 *                           the entry
 *       entry.json          schema 1: digest, name (the tag), source (the
 *                           path it was unpacked from), created, last_used
 *                           (seconds since the epoch), bytes and files of
 *                           the tree, user {spec, uid, gid}, findings
 *                           [{id, what, reachable}] of the audit
 *       lock                flock(2): shared while a sandbox runs the
 *                           entry, exclusive to remove it; each run also
 *                           sets its mtime (the "last used" ward image ls
 *                           shows), so a run never rewrites entry.json
 *   sources/<key>           a symlink to an entry's name.  <key>: the
 *                           sha256 of the source key, (st_dev, st_ino,
 *                           size, mtime ns, ctime ns) of the archive (of
 *                           an OCI directory's index.json), the --tag and
 *                           the --user given: a warm start finds its entry
 *                           from a few stats, without reading the archive
 *                           or loading libarchive
 *   tmp.<random>/           an entry being made (its lock held exclusive
 *                           by its maker); renamed to its name when
 *                           complete (RENAME_NOREPLACE: when another run
 *                           made the same entry first, theirs is used and
 *                           this one removed).  A crash leaves only
 *                           tmp.*, which prune removes.
 *
 * A warm start re-checks only what is cheap: the entry directory is the
 * caller's and 0700, rootfs/ is a directory of the caller's, the lock is
 * a regular file of the caller's, entry.json records the digest the
 * entry's name says and config.json has it.  An entry failing any of
 * these is treated as absent and replaced.
 *
 * Runs in the parent (ward run --image, ward image). */
#ifndef WARD_IMAGE_STORE_H
#define WARD_IMAGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "base/err.h"
#include "image/image.h"

/* "<64 hex>.u4294967295g4294967295" and a NUL, rounded. */
#define WARD_IMAGE_ENTRY_NAME 96
#define WARD_IMAGE_KEY_HEX 65
#define WARD_IMAGE_ENTRY_SCHEMA 1

struct ward_image_store {
	int dfd;            /* the images directory, O_DIRECTORY */
	char path[4096];    /* its path, for messages and rootfs paths */
};

/* The images directory for this caller in @buf.  Errors (WARD_STEP_IMAGE):
 * WARD_CACHE_DIR not absolute, no HOME for a caller who is not root, a
 * path too long. */
int ward_image_store_path(char *buf, size_t len, struct ward_err *err);

/* Give @err the image cache's hint (its errors speak of the cache, not
 * of archives); returns @r. */
int ward_image_store_hint(struct ward_err *err, int r);

/* True when a bind of @path would show the image cache (ward_image_store_
 * path), or something inside or above it: a program that could write it
 * could change a tree, or the findings, that later runs trust. */
bool ward_image_cache_exposed(const char *path);

/* Open the images directory into @s, making it (and the directories on
 * the way, 0700) when @create; -ENOENT when it is absent and !@create.
 * A directory of another uid, with group or other write (root: any group
 * or other bit), or a symlink is refused: -EPERM with @err saying what,
 * why and what to do. */
int ward_image_store_open(struct ward_image_store *s, bool create,
			  struct ward_err *err);

void ward_image_store_close(struct ward_image_store *s);

/* The source key of the image at @path (a tar, or an OCI directory whose
 * index.json is taken) with @tag and @user (NULL for none): the sha256,
 * in hex, of a text holding them.  Stats only.  Errors: the stat's. */
int ward_image_source_key(const char *path, const char *tag, const char *user,
			  char key[WARD_IMAGE_KEY_HEX], struct ward_err *err);

/* The entry's name for @digest ("sha256:<hex>"): "<hex>", or
 * "<hex>.u<uid>g<gid>" when @rootless.  -EINVAL for another digest. */
int ward_image_entry_name(const char *digest, bool rootless, uid_t uid,
			  gid_t gid, char name[WARD_IMAGE_ENTRY_NAME]);

/* True when @name is an entry's name (as ward_image_entry_name makes
 * them), with the digest it names in @digest. */
bool ward_image_entry_name_valid(const char *name,
				 char digest[WARD_IMAGE_DIGEST_LEN]);

/* The entry sources/@key points to, in @name: 0, or -ENOENT when there is
 * none or it does not name an entry. */
int ward_image_store_lookup(const struct ward_image_store *s, const char *key,
			    char name[WARD_IMAGE_ENTRY_NAME]);

/* Point sources/@key at the entry @name (a symlink made beside and
 * renamed over the old one).  0 or -errno with @err set. */
int ward_image_store_link_source(const struct ward_image_store *s,
				 const char *key, const char *name,
				 struct ward_err *err);

/* What a check of an entry read, so that its user need not read it
 * again: entry.json parsed (its digest is the entry's name's),
 * config.json's bytes (NUL-terminated; their digest is the entry's
 * name), and the identity of rootfs/ as the check found it. */
struct ward_image_entry_files {
	struct json_object *entry;
	char *config_json;
	size_t config_len;
	dev_t rootfs_dev;
	ino_t rootfs_ino;
};

void ward_image_entry_files_free(struct ward_image_entry_files *f);

/* entry.json of the entry open at @efd, parsed: a regular file of the
 * caller's, at most 1 MiB; NULL otherwise (json_object_put it). */
struct json_object *ward_image_entry_json_read(int efd);

/* Check the entry @name as a warm start does (above) and take a shared
 * lock on it: 0 with *lock_fd (O_CLOEXEC; the lock lasts while it is
 * open), *entry_fd (the entry's directory; may be NULL) and *files (what
 * the check read; may be NULL), -ENOENT when it is absent, fails a check
 * or was removed while this waited for its lock (@why, if not NULL, says
 * which: at most 128 bytes).  Touches the lock's mtime (the last use). */
int ward_image_store_use(const struct ward_image_store *s, const char *name,
			 int *lock_fd, int *entry_fd,
			 struct ward_image_entry_files *files, char *why);

/* The directory open at @efd is still the entry named @name (not moved
 * away by a remover, nor replaced by another maker). */
bool ward_image_store_still_named(const struct ward_image_store *s, const char *name,
				  int efd);

/* The warm checks alone, without a lock or a touch: 0 with *files (what
 * they read; may be NULL), or -ENOENT (@why as above). */
int ward_image_store_check(const struct ward_image_store *s, const char *name,
			   struct ward_image_entry_files *files, char *why);

/* ---- making an entry --------------------------------------------------------- */

struct ward_image_maker {
	char tmp[32];       /* "tmp.<16 hex>" */
	int fd;             /* the temporary entry, O_DIRECTORY */
	int rootfs_fd;      /* its rootfs/, empty */
	int lock_fd;        /* its lock, held exclusive */
};

/* Make tmp.<random>/ with rootfs/ and lock (locked exclusive) inside.
 * rootfs/ is 0755, as a root is: the entry's 0700 keeps others out, and
 * a root launch reads it through an fd with the sandbox's ids (launch/
 * rootfs.c), which the launcher's 0700 would shut out. */
int ward_image_store_begin(const struct ward_image_store *s,
			   struct ward_image_maker *m, struct ward_err *err);

/* Write @len bytes at @data to the file @name (0600) in the temporary
 * entry. */
int ward_image_store_write(struct ward_image_maker *m, const char *name,
			   const void *data, size_t len, struct ward_err *err);

/* Rename the temporary entry to @name.  When another run made @name
 * first and it passes the warm checks, that one is used and this one
 * removed (*won false); when it fails them, it is replaced (unless in
 * use: -EBUSY).  Either way the entry ends locked shared through
 * *lock_fd.  @m is done with (closed) whatever the result. */
int ward_image_store_commit(const struct ward_image_store *s,
			    struct ward_image_maker *m, const char *name,
			    int *lock_fd, bool *won, struct ward_err *err);

/* Remove the temporary entry (after a failure). */
void ward_image_store_abort(const struct ward_image_store *s,
			    struct ward_image_maker *m);

/* ---- listing and removing ----------------------------------------------------- */

struct ward_image_entry_info {
	char name[WARD_IMAGE_ENTRY_NAME];
	char digest[WARD_IMAGE_DIGEST_LEN];
	char *image;        /* the tag it was unpacked for, NULL */
	char *source;       /* the path it was unpacked from, NULL */
	uint64_t bytes, files;
	time_t created, last_used;
	bool in_use;        /* a run holds its lock */
	bool valid;         /* passes the warm checks */
};

/* Every entry (not tmp.*, not sources/), sorted by name.  *out is heap
 * memory: ward_image_entry_infos_free. */
int ward_image_store_list(const struct ward_image_store *s,
			  struct ward_image_entry_info **out, size_t *n,
			  struct ward_err *err);

void ward_image_entry_infos_free(struct ward_image_entry_info *v, size_t n);

/* Remove the entry @name and the sources pointing to it: -EBUSY (with
 * @err set) when a run holds it; *freed gets its bytes on disk. */
int ward_image_store_remove(const struct ward_image_store *s, const char *name,
			    uint64_t *freed, struct ward_err *err);

/* Remove the temporary entry or stale source @name (no lock held: a tmp.*
 * whose lock can be taken exclusive; a source pointing nowhere).  0,
 * -EBUSY (in use) or -errno. */
int ward_image_store_remove_stale(const struct ward_image_store *s,
				  const char *name, uint64_t *freed);

/* The names of the temporary entries (tmp.*), heap memory. */
int ward_image_store_list_tmp(const struct ward_image_store *s, char ***out,
			      size_t *n, struct ward_err *err);

/* Remove the sources that point to no entry.  Returns how many. */
size_t ward_image_store_prune_sources(const struct ward_image_store *s);

/* Remove the tree @name beneath @dfd without following a symlink
 * anywhere (a directory the caller cannot enter is made enterable
 * first).  *bytes, if not NULL, gets what its files took on disk.
 * 0 or -errno. */
int ward_image_remove_tree(int dfd, const char *name, uint64_t *bytes);

#endif
