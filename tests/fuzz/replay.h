/* Corpus replay for the fuzz targets, so CI runs them without libFuzzer.
 *
 * Include after defining LLVMFuzzerTestOneInput and FUZZ_NAME.  Built
 * with -DWARD_FUZZ_REPLAY, the target gets a main() that runs every file
 * named on the command line, and every regular file of each named
 * directory, then prints "<name>: replayed N inputs".  A crash is the
 * failure signal, as under libFuzzer; an unreadable input exits 1. */
#ifndef WARD_FUZZ_REPLAY_H
#define WARD_FUZZ_REPLAY_H

#ifdef WARD_FUZZ_REPLAY
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rbe");
	uint8_t *buf = NULL;
	long size = -1;
	int r = -1;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	/* An exact-size heap copy: ASan sees any read past the input. */
	if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc(size ? (size_t)size : 1)) != NULL &&
	    fread(buf, 1, (size_t)size, f) == (size_t)size) {
		LLVMFuzzerTestOneInput(buf, (size_t)size);
		r = 0;
	} else {
		fprintf(stderr, "%s: read failed\n", path);
	}
	free(buf);
	fclose(f);
	return r;
}

static int replay_dir(const char *dir, unsigned *count)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort), r = 0;

	if (n < 0) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			r |= replay_file(path);
			(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int r = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			r |= replay_dir(argv[i], &count);
		} else {
			r |= replay_file(argv[i]);
			count++;
		}
	}
	printf("%s: replayed %u inputs\n", FUZZ_NAME, count);
	return r ? 1 : 0;
}
#endif

#endif
