/* Fuzz the rtnetlink reply decoder (ward_nl_reply_parse) on arbitrary
 * bytes, as if the kernel (or anything that got a message onto ward's
 * socket) had sent them.
 *
 * Input: the reply, decoded for request 0x1234 on port 4242 (the corpus
 * uses those), then again for sequence 0 and port 0 (libmnl's "any"),
 * which skips the sequence and port checks and reaches deeper.  The
 * bytes are an exact-size heap copy, so a read past them is an ASan
 * report.  Beyond not crashing, the decoder must return one of its
 * documented values, a complete answer must carry an errno in 0..4095,
 * and the kernel's text must be a terminated string.
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 tests/fuzz/fuzz_netlink_reply.c src/launch/netlink_msg.c -lmnl
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "launch/netlink.h"

#define FUZZ_NAME "fuzz_netlink_reply"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode(const void *buf, size_t len, uint32_t seq, uint32_t port)
{
	struct ward_nl_reply r;
	int got;

	memset(&r, 0x5a, sizeof(r));
	got = ward_nl_reply_parse(buf, len, seq, port, &r);
	if (got != 1 && got != 0 && got != -EBADMSG && got != -EPROTO &&
	    got != -ESRCH)
		abort();
	if (got == 1 && (r.error < 0 || r.error > 4095))
		abort();
	if (memchr(r.msg, '\0', sizeof(r.msg)) == NULL)
		abort();
	if (got != 1 && (r.error != 0 || r.msg[0]))
		abort(); /* nothing half-filled on a refusal */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	decode(buf, size, 0x1234, 4242);
	decode(buf, size, 0, 0);
	free(buf);
	return 0;
}

#include "replay.h"
