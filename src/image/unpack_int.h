/* The unpacker's parts (unpack*.c): private to src/image. */
#ifndef WARD_IMAGE_UNPACK_INT_H
#define WARD_IMAGE_UNPACK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "base/err.h"
#include "image/image.h"
#include "image/unpack.h"

/* ---- the path index (unpack_index.c) ------------------------------------------
 * Paths of the tree as they are on disk (relative, no symlink in them),
 * each with what the image says of it. */

enum { UP_DIR = 1, UP_FILE, UP_SYMLINK };

/* Flags: of the per-layer index, what the layer made; of the whole
 * tree's, whether mtime is known. */
#define UP_MADE 1u      /* this layer wrote the path */
#define UP_ANCESTOR 2u  /* this layer wrote something beneath it */
#define UP_MTIME 4u

struct upath {
	uint64_t path;    /* offset in the arena */
	uint32_t uid, gid, mode;
	uint8_t type, flags;
	struct timespec mtime;
};

struct uindex {
	char *arena;
	size_t arena_len, arena_cap;
	struct upath *v;
	size_t n, cap;
	uint32_t *slots;  /* index + 1, 0: empty; a power of two */
	size_t nslots;
};

static inline const char *uindex_path(const struct uindex *ix, const struct upath *p)
{
	return ix->arena + p->path;
}

struct upath *uindex_find(const struct uindex *ix, const char *path);
/* The record of @path, made (zeroed) when absent; NULL: out of memory. */
struct upath *uindex_put(struct uindex *ix, const char *path);
void uindex_clear(struct uindex *ix);
void uindex_free(struct uindex *ix);

/* ---- the writer (unpack_write.c, unpack_fs.c) ------------------------------------- */

struct unpacker {
	int root;                 /* the tree */
	char *root_real;          /* its path, as /proc/self/fd tells it */
	size_t root_real_len;
	const struct ward_image_limits *lim;
	bool keep_owners;
	struct ward_err *err;
	struct uindex all;        /* every path written (stale ones included) */
	struct uindex layer;      /* what the current layer made */
	const char *what;         /* the layer, for errors */
	/* the last parent directory opened */
	char *pdir, *preal;
	int pfd;
	/* the regular file being written */
	int fd;
	uint64_t fsize, fend;
	uint32_t fuid, fgid, fmode;
	struct timespec fmtime;
	bool fmtime_set;
	/* free space: bytes that may still be written */
	uint64_t budget, since_check;
	uint64_t dropped;         /* devices, FIFOs, sockets */
	char *real, *real2, *lreal; /* max_path + 2 bytes each */
};

int unpacker_init(struct unpacker *u, int root, const struct ward_image_limits *lim,
		  bool keep_owners, struct ward_err *err);
void unpacker_free(struct unpacker *u);
extern const struct ward_image_sink unpacker_sink_ops;
/* The end of a layer: the per-layer index is emptied. */
int unpacker_layer_done(struct unpacker *u);

/* Record @real (a path on disk) as made by the current layer, with what
 * the image says of it (@mtime NULL: none). */
int unpack_record(struct unpacker *u, const char *real, uint8_t type, uint32_t uid,
		  uint32_t gid, uint32_t mode, const struct timespec *mtime);

/* unpack_fs.c: paths resolved beneath u->root (RESOLVE_IN_ROOT); errors
 * into u->err, naming u->what. */

/* Open the directory @dir ("" the root) of the tree (O_PATH), creating
 * what is missing (0700, recorded as root's 0755) when @create; its
 * path on disk into @real (max_path + 2 bytes). */
int unpack_open_dir(struct unpacker *u, const char *dir, bool create, char *real);
/* The parent of @path, opened (cached: do not close), and @path's last
 * component in *base; the path on disk of @path into @real. */
int unpack_parent(struct unpacker *u, const char *path, bool create,
		  const char **base, char *real);
void unpack_forget_parent(struct unpacker *u);
/* Remove @name beneath @dirfd, a directory with all it holds. */
int unpack_remove_all(struct unpacker *u, int dirfd, const char *name, unsigned depth);
/* Remove what is beneath the directory @dirfd (path on disk @real, a
 * buffer of max_path + 2 bytes) that the current layer did not make. */
int unpack_prune(struct unpacker *u, int dirfd, char *real, unsigned depth);
/* Refuse to write @bytes more when that would leave less than 5% of the
 * tree's file system free (-ENOSPC). */
int unpack_reserve(struct unpacker *u, const char *path, uint64_t bytes);
/* The path on disk of @fd, relative to the tree's root, into @real. */
int unpack_real_path(struct unpacker *u, int fd, char *real);
int unpack_fail(struct unpacker *u, int errnum, const char *path, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));
/* openat2(u->root, @path, @flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS
 * | @resolve): the fd or -errno. */
int unpack_in_root(struct unpacker *u, const char *path, int flags, uint64_t resolve);

/* ---- the program's user and the final modes (unpack_user.c) ----------------------- */

/* The user the image's program runs as: @spec ("NAME|UID[:GROUP|GID]")
 * looked up in @passwd and @group (passwd(5), group(5) text); root (0,
 * "root", unset) becomes ward's default 10001:10001.  Supplementary
 * groups (those listing the user's name) into @groups (at most @max),
 * their number into *ngroups. */
int ward_unpack_user(const char *spec, const char *passwd, size_t plen,
		     const char *group, size_t glen, uid_t *uid, gid_t *gid,
		     gid_t *groups, size_t max, size_t *ngroups,
		     struct ward_err *err);

/* What @uid (in @gid and @groups) may do with a file of @owner:@group
 * and @mode, as the owner bits of a mode (group and other 0; sticky
 * kept; setuid and setgid dropped). */
uint32_t ward_unpack_mode_for(uint32_t mode, uid_t owner, gid_t group, uid_t uid,
			      gid_t gid, const gid_t *groups, size_t ngroups);

#define WARD_UNPACK_DEFAULT_ID 10001u
#define WARD_UNPACK_MAX_GROUPS 64u

#endif
