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

/* The final tree's /etc/passwd or /etc/group (@path), NULL when absent. */
const struct ward_image_content *ward_image_userdb(const struct ward_image *img,
						  const char *path);

enum ward_image_who { WHO_ROOT, WHO_USER, WHO_UNKNOWN };

/* Who the image's USER is: its uid and (when known) gid, read in the
 * final tree's own /etc/passwd. */
enum ward_image_who ward_image_resolve_user(const struct ward_image *img,
					    uint32_t *uid, uint32_t *gid,
					    bool *gid_known);

/* An exposed port spec ("80/tcp") below 1024. */
bool ward_image_port_privileged(const char *spec);

#endif
