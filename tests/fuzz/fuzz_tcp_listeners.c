/* Fuzz the /proc/net/tcp and tcp6 reader: arbitrary text through
 * ward_tcp_parse_listeners, the first byte choosing IPv4 or IPv6 and the
 * second the room given.
 *
 * Checked beyond not crashing: it never reports more listeners than the
 * room or than there are lines; on success every listener formats to a
 * terminated string, and the IPv4 ones leave the last 12 address bytes 0.
 *
 *   libFuzzer:  see tests/lib/run-fuzz.sh
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/tcp_listeners.h"

#define FUZZ_NAME "fuzz_tcp_listeners"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ward_tcp_listener out[64];
	static const uint8_t zero[12];
	size_t n = 0, max, lines = 1;
	bool v6;
	int r;

	if (size < 2)
		return 0;
	v6 = data[0] & 1;
	max = data[1] % 65;
	data += 2;
	size -= 2;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	r = ward_tcp_parse_listeners((const char *)data, size, v6, out, max, &n);
	if (n > max || n > lines)
		abort();
	if (r < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char buf[64];

		ward_tcp_listener_format(&out[i], buf, sizeof(buf));
		if (!memchr(buf, '\0', sizeof(buf)) || out[i].v6 != v6)
			abort();
		if (!v6 && memcmp(out[i].addr + 4, zero, 12) != 0)
			abort();
	}
	return 0;
}

#include "replay.h"
