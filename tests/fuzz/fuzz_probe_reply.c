/* Fuzz the readers of a socket's answers in entrypoint mode
 * (engine/probe_reply.h): arbitrary bytes as the answer to /_ping and to
 * the HTTP/2 preface.  A socket in a host mount is anyone's, so the
 * answers are hostile.
 *
 * Checked beyond not crashing: the verdicts are known values; no byte is
 * silent; an engine verdict needs the shape it names (a status line for
 * Docker, a nine-byte frame header for HTTP/2).
 *
 *   libFuzzer:  see tests/lib/run-fuzz.sh
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe_reply.h"

#define FUZZ_NAME "fuzz_probe_reply"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum ward_reply p = ward_reply_ping((const char *)data, size);
	enum ward_reply h = ward_reply_h2(data, size);

	if (p > WARD_REPLY_HTTP2 || p == WARD_REPLY_HTTP2 || h > WARD_REPLY_HTTP2 ||
	    h == WARD_REPLY_DOCKER)
		abort();
	if ((p == WARD_REPLY_SILENT || h == WARD_REPLY_SILENT) != (size == 0))
		abort();
	if (p == WARD_REPLY_DOCKER && (size < 16 || memcmp(data, "HTTP/1.", 7) != 0))
		abort();
	if (h == WARD_REPLY_HTTP2 && (size < 9 || data[3] != 4))
		abort();
	if (!*ward_reply_name(p) || !*ward_reply_name(h))
		abort();
	return 0;
}

#include "replay.h"
