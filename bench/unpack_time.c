/* Time ward's image unpacker and image cache, from libward.a.
 *
 *	unpack_time IMAGE DEST [rootless]
 *		one ward_image_unpack of IMAGE into the empty directory DEST
 *		(as root: the image's owners kept; rootless: the modes
 *		derived for the image's user, as a rootless cache has them)
 *	unpack_time -p IMAGE
 *		one ward_image_prepare of IMAGE: what `ward run --image`
 *		does before its launch (WARD_CACHE_DIR names the cache: an
 *		empty one is a cold start, digests, unpack and audit; a
 *		filled one a warm start, the cached entry looked up, checked
 *		and locked)
 *
 * Prints the seconds it took (wall clock).  Built by bench/Makefile (and
 * image-unpack.sh) against libward.a. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "image/prepare.h"
#include "image/unpack.h"

static double since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static int prepare(const char *path)
{
	struct ward_image_request req = {.path = path};
	struct ward_image_prepared p;
	struct ward_err err = {0};
	struct timespec a;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (ward_image_prepare(&req, &p, &err) < 0) {
		fprintf(stderr, "ward: image: %s\n", err.msg);
		return 1;
	}
	printf("%.3f\n", since(&a));
	ward_image_prepared_free(&p);
	return 0;
}

static int unpack(const char *path, const char *dest, bool rootless)
{
	struct ward_unpack_opts o = {0};
	char digest[WARD_IMAGE_DIGEST_LEN];
	struct ward_image *img = NULL;
	struct ward_err err = {0};
	struct timespec a;
	int fd;

	o.ids.keep_owners = !rootless;
	fd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror(dest);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (ward_image_unpack(path, &o, fd, &img, digest, &err) < 0) {
		fprintf(stderr, "ward: image: %s\n", err.msg);
		return 1;
	}
	printf("%.3f\n", since(&a));
	ward_image_free(img);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "-p") == 0)
		return prepare(argv[2]);
	if (argc == 3 || (argc == 4 && strcmp(argv[3], "rootless") == 0))
		return unpack(argv[1], argv[2], argc == 4);
	fprintf(stderr, "usage: unpack_time IMAGE DEST [rootless] | unpack_time -p IMAGE\n");
	return 2;
}
