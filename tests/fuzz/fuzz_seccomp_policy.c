/* Fuzz the seccomp policy parser from memory and, for inputs it accepts,
 * the libseccomp rule building (no filter is loaded).
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 tests/fuzz/fuzz_seccomp_policy.c src/seccomp*.c \
 *                 src/err.c src/explain.c -lseccomp
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h), it runs
 *               every file named on the command line or found in a named
 *               directory (tests/fuzz/corpus/fuzz_seccomp_policy/). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ward/err.h"
#include "ward/seccomp.h"
#include "../../src/seccomp_policy.h"

#define FUZZ_NAME "fuzz_seccomp_policy"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ward_seccomp_policy *pol = NULL;
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};

	if (ward_seccomp_policy_parse("fuzz", (const char *)data, size, &pol,
				      &err) != 0) {
		/* A refusal must say where. */
		if (!strstr(err.msg, "fuzz:") || err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (pol->def_action == WARD_SECCOMP_ACT_NONE)
		abort();
	if (ward_seccomp_policy_build(pol, &prog, &err) == 0) {
		if (prog.len == 0 || prog.len > BPF_MAXINSNS)
			abort();
		ward_seccomp_free(&prog);
	}
	ward_seccomp_policy_free(pol);
	return 0;
}

#include "replay.h"
