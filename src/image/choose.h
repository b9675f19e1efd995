/* Which image of an archive holding several (choose.c): pure, fed the
 * JSON meta.c parsed.  Private to image/. */
#ifndef WARD_IMAGE_CHOOSE_H
#define WARD_IMAGE_CHOOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

struct json_object;

/* Whether the tag @have (a RepoTags entry, an OCI ref name) is what
 * @want asks for: the same text, or the same reference once Docker's
 * defaults are filled in ("nginx" is "docker.io/library/nginx:latest"). */
bool ward_image_tag_matches(const char *want, const char *have);

/* docker save's manifest.json, @root an array of at least one image:
 * *idx the image one of whose RepoTags matches @tag, or the only image
 * when @tag is NULL; *name that tag (or the image's first), borrowed
 * from @root, NULL for none.  -ENOENT (no image has the tag) or -EINVAL
 * (several images and no tag, or a tag naming several), with @err
 * listing the archive's tags. */
int ward_image_choose_docker(struct json_object *root, const char *tag,
			     size_t *idx, const char **name,
			     struct ward_err *err);

/* An OCI index's manifests (@mans, an array): *entry the one to read
 * (an image manifest or a nested index), borrowed.  With @tag, among
 * those whose ref name matches it; without, there must be one name at
 * most.  Among several left, the linux/amd64 one (no variant, or v1 to
 * v3, in that order of preference), and *notice (heap) says so.
 * *nimages counts the image manifests listed.  -ENOENT (no entry has the
 * tag, or none is for linux/amd64: @err lists the platforms) or -EINVAL
 * (several names and no tag, nothing usable, or entries nothing tells
 * apart), -ENOMEM. */
int ward_image_choose_oci(struct json_object *mans, const char *tag,
			  struct json_object **entry, char **notice,
			  size_t *nimages, struct ward_err *err);

#endif
