/* Fuzz the seccomp cache entry parser on arbitrary bytes.
 *
 * Input: what follows a fixed recipe in a cache entry ("bpf COUNT SUM\n"
 * and the program).  Beyond not crashing, a program is taken only when
 * the entry is exactly recipe + header + COUNT instructions whose
 * checksum matches; it is then a copy of those bytes.  Pure: no file.
 *
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/cache.h"

#define FUZZ_NAME "fuzz_seccomp_cache"

static const char recipe[] = "ward-seccomp-cache 1\nmode 2\nsource 0\n\noverlay 0\n\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t rlen = sizeof(recipe) - 1;
	struct sock_fprog prog = {0, NULL};
	char *buf = malloc(rlen + size);
	const char *nl;

	if (!buf)
		return 0;
	memcpy(buf, recipe, rlen);
	memcpy(buf + rlen, data, size);
	if (ward_seccomp_cache_parse(buf, rlen + size, recipe, rlen, &prog) == 0) {
		size_t bytes = (size_t)prog.len * sizeof(struct sock_filter);

		nl = memchr(buf + rlen, '\n', size);
		if (!nl || prog.len == 0 || prog.len > BPF_MAXINSNS ||
		    (size_t)(buf + rlen + size - (nl + 1)) != bytes ||
		    memcmp(prog.filter, nl + 1, bytes) != 0)
			abort();
		free(prog.filter);
	}
	free(buf);
	return 0;
}

#include "replay.h"
