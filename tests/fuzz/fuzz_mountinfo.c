/* Fuzz the mount table reader: arbitrary text as /proc/self/mountinfo
 * through ward_mountinfo_each_in (in-place parsing, octal escapes, lines
 * of any length).  Mount point names are chosen by whoever mounts (FUSE
 * lets unprivileged users), so the reader sees hostile names.
 *
 * Checked beyond not crashing: every entry handed on has a non-empty
 * root, mount point and type, shorter than its line; a refusal names
 * the line; the walk never hands on more entries than there are lines.
 *
 *   libFuzzer:  see tests/lib/run-fuzz.sh
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "kernel/mountinfo.h"

#define FUZZ_NAME "fuzz_mountinfo"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct count {
	size_t entries, size;
};

static int check_entry(const struct ward_mount_entry *m, void *p,
		       struct ward_err *err)
{
	struct count *c = p;

	(void)err;
	if (!*m->root || !*m->mnt || !*m->fstype || strlen(m->mnt) >= c->size ||
	    strlen(m->root) >= c->size || strlen(m->fstype) >= c->size)
		abort();
	c->entries++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct count c = {0, size};
	struct ward_err err = {0};
	size_t lines = 1;
	FILE *f;
	int r;

	if (size == 0)
		return 0; /* fmemopen refuses a zero-size buffer */
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	r = ward_mountinfo_each_in(f, "fuzz", check_entry, &c, WARD_STEP_PLAN, &err);
	if (r < 0 && !strstr(err.msg, "fuzz: line "))
		abort();
	if (c.entries > lines)
		abort();
	fclose(f);
	return 0;
}

#include "replay.h"
