/* ward run --image: an image read once and written out as a directory
 * tree, with the audit of ward check --image made on the same pass.
 *
 * The same reader as ward_image_read (image.h), plus:
 *  - every blob's sha256 checked as it streams (OCI layers and configs
 *    against their descriptors' digests; docker save's blobs/sha256
 *    members against their names), every uncompressed layer's against
 *    the config's rootfs.diff_ids (docker save's legacy <id>/layer.tar
 *    members carry no digest of their own), and the config's digest
 *    computed from the bytes read: it names the image in the cache;
 *  - every entry written beneath @dest_fd, its path resolved inside the
 *    tree (openat2 RESOLVE_IN_ROOT: a symlink extracted earlier leads
 *    where it leads in the image, never out of it), whiteouts and opaque
 *    directories applied through a path index of what each layer made;
 *    device nodes, FIFOs and sockets dropped, setuid/setgid stripped,
 *    xattrs (security.capability among them) dropped, hard links only to
 *    a regular file already extracted in the tree.
 *
 * Ownership (struct ward_unpack_ids):
 *  - keep_owners (a root caller): the image's uids, gids and modes;
 *  - otherwise (rootless): every file is the caller's, so each one's mode
 *    becomes what the user the program runs as (the image's USER, or
 *    the @user given; root becomes ward's default user) could do with
 *    the original owner, group and mode: a root-owned 0600 /etc/shadow
 *    ends up 0000.  Directories are written 0700 and get their final
 *    mode when everything is extracted.
 * The tree's own directory (@dest_fd) ends up root's 0755 (rootless: as
 * above, for root's 0755), whatever mode it was made with, so that a
 * sandbox not running as the caller can enter it. */
#ifndef WARD_IMAGE_UNPACK_H
#define WARD_IMAGE_UNPACK_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/err.h"
#include "image/image.h"

struct ward_unpack_ids {
	bool keep_owners;
	const char *user;  /* rootless: "NAME|UID[:GROUP|GID]", NULL: USER */
	uid_t uid;         /* out: the user the modes were derived for */
	gid_t gid;
};

/* Which image of an archive holding several (docker save of many tags,
 * an OCI index of several refs): @tag "REPO:TAG" or a ref name; NULL
 * picks the only one and is an error, listing the tags, when there are
 * more. */
struct ward_unpack_opts {
	const char *tag;
	const struct ward_image_limits *lim; /* NULL: the defaults */
	struct ward_unpack_ids ids;
};

/* Read the image at @path, verify it, write its final tree beneath
 * @dest_fd (an empty directory) and return the audit data in *img (as
 * ward_image_read gives it) and the config's digest in @digest.  Any
 * error leaves @dest_fd's contents for the caller to remove. */
int ward_image_unpack(const char *path, struct ward_unpack_opts *o,
		      int dest_fd, struct ward_image **img,
		      char digest[WARD_IMAGE_DIGEST_LEN], struct ward_err *err);

#endif
