/* The image audit's rows (image_report.c) and --suggest
 * (image_suggest.c), from an image image/ has read. */
#ifndef WARD_REPORT_IMAGE_REPORT_H
#define WARD_REPORT_IMAGE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "image/image.h"
#include "report/report.h"

/* Add the image rows (image.*) to @r. */
void ward_image_report(const struct ward_image *img, struct ward_report *r);

/* A one-line description: "docker save archive wardtest/leaky:latest,
 * 5 layers". */
void ward_image_describe(const struct ward_image *img, char *buf, size_t len);

/* Print a ward profile for the image's program to @out (--suggest). */
void ward_image_suggest(const struct ward_image *img, const char *path,
			FILE *out);

/* Shared by the rows and --suggest (image_report.c). */

/* The masked, shortened history line that made layer @layer (at most
 * @len bytes with the NUL), or "" (image_report.c). */
void ward_image_layer_line(const struct ward_image *img, size_t layer, char *out,
			   size_t len);

/* The final tree's /etc/passwd or /etc/group (@path), NULL when absent. */
const struct ward_image_content *ward_image_userdb(const struct ward_image *img,
						  const char *path);

enum ward_image_who { WHO_ROOT, WHO_USER, WHO_UNKNOWN };

/* Who the image's USER is: its uid and (when known) gid, read in the
 * final tree's own /etc/passwd. */
enum ward_image_who ward_image_resolve_user(const struct ward_image *img,
					    uint32_t *uid, uint32_t *gid,
					    bool *gid_known);

/* Who the image's program runs as: the config's USER, or, when the
 * command (ENTRYPOINT + CMD) is `ward run ...` (any path whose last
 * component is ward), the user ward's arguments say it switches to: its
 * --user, else the user of its --profile (not read: uid unknown, never
 * root), else ward's default uid 10001.  by_ward rests on the
 * entrypoint's word: nothing proves the file is ward. */
struct ward_image_runner {
	enum ward_image_who who;
	uint32_t uid, gid;
	bool uid_known, gid_known;
	bool by_ward;
	const char *user;    /* USER, or ward's --user; NULL for none */
	const char *ward;    /* by_ward: the command's first word */
	const char *profile; /* by_ward: its --profile, NULL */
	const char *mode;    /* by_ward: its --mode, NULL */
};
void ward_image_runner(const struct ward_image *img, struct ward_image_runner *run);

/* The image.user row (image_user.c). */
void ward_image_row_user(const struct ward_image *img, struct ward_report *r);

/* The "image" object of --json: name, format, the user, sizes, the
 * layers with their digests, sizes and history lines (image_json.c). */
struct json_object *ward_image_json(const struct ward_image *img);

/* The report @r (and @plan, NULL for none) as JSON with the "image"
 * object.  Returns 0 or -1. */
int ward_image_print_json(const struct ward_image *img,
			  const struct ward_report *r,
			  const struct ward_plan *plan, FILE *out);

/* An exposed port spec ("80/tcp") below 1024. */
bool ward_image_port_privileged(const char *spec);

#endif
