/* Time one ward_image_unpack of IMAGE into the empty directory DEST.
 *
 *	unpack_time IMAGE DEST [rootless]
 *
 * Prints the seconds it took (wall clock).  Built by image-unpack.sh
 * against build/libward.a. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "image/unpack.h"

int main(int argc, char **argv)
{
	struct ward_unpack_opts o = {0};
	char digest[WARD_IMAGE_DIGEST_LEN];
	struct ward_image *img = NULL;
	struct ward_err err = {0};
	struct timespec a, b;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: unpack_time IMAGE DEST [rootless]\n");
		return 2;
	}
	o.ids.keep_owners = !(argc > 3 && strcmp(argv[3], "rootless") == 0);
	fd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (ward_image_unpack(argv[1], &o, fd, &img, digest, &err) < 0) {
		fprintf(stderr, "ward: image: %s\n", err.msg);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.3f\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	ward_image_free(img);
	close(fd);
	return 0;
}
