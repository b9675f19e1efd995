/* Fuzz the sock_diag reply decoder (ward_sockdiag_parse) on arbitrary
 * bytes, as if the kernel (or anything that got a message onto ward's
 * netlink socket) had sent them.
 *
 * Input: one datagram of the reply to request 0x5eed (the corpus uses
 * that sequence), decoded into an empty list and then again into the
 * list the first pass left, as the next datagram of the same dump would
 * be.  The bytes are an exact-size heap copy, so a read past them is an
 * ASan report.  Beyond not crashing, the decoder must return one of its
 * documented values (a kernel errno only in -4095..-1), keep at most
 * WARD_SOCKDIAG_MAX entries, and leave every name a terminated string
 * within its buffer.
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Isrc \
 *                 tests/fuzz/fuzz_sockdiag_reply.c src/kernel/sockdiag.c
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sockdiag.h"

#define FUZZ_NAME "fuzz_sockdiag_reply"
#define SEQ 0x5eedu

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int got, const struct ward_unix_listeners *l)
{
	if (got != 1 && got != 0 && got != -ESRCH && got != -EBADMSG &&
	    got != -E2BIG && got != -ENOMEM && (got >= 0 || got < -4095))
		abort();
	if (l->n > WARD_SOCKDIAG_MAX || l->n > l->cap)
		abort();
	for (size_t i = 0; i < l->n; i++)
		if (memchr(l->v[i].name, '\0', sizeof(l->v[i].name)) == NULL)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ward_unix_listeners l = {0};
	void *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	check(ward_sockdiag_parse(buf, size, SEQ, &l), &l);
	check(ward_sockdiag_parse(buf, size, SEQ, &l), &l);
	ward_unix_listeners_free(&l);
	free(buf);
	return 0;
}

#include "replay.h"
