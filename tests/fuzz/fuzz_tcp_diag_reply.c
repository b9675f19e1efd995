/* Fuzz the reader of sock_diag's inet_diag answers
 * (ward_tcp_parse_diag): arbitrary bytes as one datagram, the first byte
 * choosing the room given.  The kernel writes these, but the reader must
 * not trust lengths it did not check.
 *
 * Checked beyond not crashing: it never reports more listeners than the
 * room or than the bytes could hold; results are 1, 0 or a negative
 * errno; every listener formats to a terminated string.
 *
 *   libFuzzer:  see tests/lib/run-fuzz.sh
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/tcp_listeners.h"

#define FUZZ_NAME "fuzz_tcp_diag_reply"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ward_tcp_listener out[64];
	static uint32_t aligned[16384];
	size_t n = 0, max;
	int r;

	if (size < 1 || size - 1 > sizeof(aligned))
		return 0;
	max = data[0] % 65;
	memcpy(aligned, data + 1, size - 1); /* netlink buffers are aligned */
	r = ward_tcp_parse_diag(aligned, size - 1, 7, out, max, &n);
	if (n > max || n * 88 > size || r > 1 || r < -4095)
		abort();
	for (size_t i = 0; i < n; i++) {
		char buf[64];

		ward_tcp_listener_format(&out[i], buf, sizeof(buf));
		if (!memchr(buf, '\0', sizeof(buf)))
			abort();
	}
	return 0;
}

#include "replay.h"
