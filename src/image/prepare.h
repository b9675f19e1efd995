/* ward run --image: the image ready to be a root.
 *
 * Looks the image up in ward's cache (image/store.h), and unpacks it
 * there first when it is not (image/unpack.h).  The first unpack of a
 * digest also audits it; the findings are kept with the entry, so a warm
 * start reads neither the archive nor libarchive.  The entry stays
 * locked (shared) for as long as the returned lock fd is open, so
 * `ward image rm` and `prune` never remove a tree a sandbox uses. */
#ifndef WARD_IMAGE_PREPARE_H
#define WARD_IMAGE_PREPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"
#include "image/image.h"

/* A finding of the image audit the program could reach: a credential
 * in the final tree.  Its id is the one ward check --image shows
 * ("image.secret-file:/root/.ssh/id_rsa"); --accept-findings takes it. */
#define WARD_IMAGE_FINDING_ID 320
struct ward_image_finding {
	char id[WARD_IMAGE_FINDING_ID];
	char what[128];   /* "an SSH private key" */
	bool reachable;   /* in the final tree (history only: false) */
};

struct ward_image_request {
	const char *path;          /* --image FILE|DIR */
	const char *tag;           /* --tag, or NULL */
	const char *user;          /* --user as given, or NULL */
	const struct ward_image_limits *lim; /* NULL: the defaults */
};

struct ward_image_prepared {
	char digest[WARD_IMAGE_DIGEST_LEN]; /* the config's: "sha256:..." */
	char *name;            /* the tag chosen, or NULL */
	char *rootfs;          /* the cached tree (absolute path) */
	dev_t rootfs_dev;      /* ... as found through the checked entry: */
	ino_t rootfs_ino;      /* the path must still lead there */
	int lock_fd;           /* shared lock on the entry; keep it open */
	bool unpacked_now;     /* a cold start */
	/* the config, as the image gives it (image.h): User, Env,
	 * Entrypoint, Cmd, WorkingDir, Volumes, ExposedPorts, StopSignal */
	struct ward_image_config config;
	struct ward_image_finding *findings;
	size_t nfindings;
};

int ward_image_prepare(const struct ward_image_request *req,
		       struct ward_image_prepared *out, struct ward_err *err);

void ward_image_prepared_free(struct ward_image_prepared *p);

/* The finding that stands for those past the ones kept by name
 * ("...:more"): no --accept-findings can accept it. */
bool ward_image_finding_is_more(const struct ward_image_finding *f);

/* The findings of @p not accepted by @accept (ids, exact match) that
 * are reachable: what ward run --image refuses to start with.  Returns
 * how many there are; at most @max of them are stored in @out. */
size_t ward_image_refused(const struct ward_image_prepared *p,
			  char *const *accept, size_t naccept,
			  const struct ward_image_finding **out, size_t max);

#endif
