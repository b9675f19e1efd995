/* How many of ward's hashing threads (image/hash_pipe.c) this process
 * has now, from /proc/self/task: none must outlive the call that started
 * one.  Include after <cmocka.h>. */
#ifndef WARD_TEST_HASH_THREADS_H
#define WARD_TEST_HASH_THREADS_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "image/hash_pipe.h"

static int hash_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	char path[300], comm[32];
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		if (!(f = fopen(path, "re")))
			continue; /* gone meanwhile */
		if (fgets(comm, sizeof(comm), f) && strcmp(comm, WARD_HASH_THREAD "\n") == 0)
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

#endif
