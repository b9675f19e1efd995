/* Fuzz the seccomp policy parser from memory and, for inputs it accepts,
 * the libseccomp rule building (no filter is loaded).  Each accepted
 * input is built a second time the way a profile's seccomp-* lines are:
 * as additions over ward's default or strict policy (the middle byte
 * picks which, and whether seccomp-log-only is set), through
 * ward_seccomp_build_src, as a launch would.
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 tests/fuzz/fuzz_seccomp_policy.c src/seccomp*.c \
 *                 src/base/err.c src/base/explain.c -lseccomp
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h), it runs
 *               every file named on the command line or found in a named
 *               directory (tests/fuzz/corpus/fuzz_seccomp_policy/). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "seccomp/seccomp.h"
#include "seccomp/policy.h"

#define FUZZ_NAME "fuzz_seccomp_policy"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as the additions of a profile over a built-in policy. */
static void build_as_overlay(const uint8_t *data, size_t size)
{
	const uint8_t pick = data[size / 2];
	char *text = malloc(size + 1);
	struct ward_seccomp_source src = {
		.mode = pick & 1 ? WARD_SECCOMP_STRICT : WARD_SECCOMP_DEFAULT,
		.overlay = text,
		.log_only = pick & 2,
	};
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ward_seccomp_build_src(&src, &prog, &err) == 0) {
		if (prog.len == 0 || prog.len > BPF_MAXINSNS)
			abort();
		ward_seccomp_free(&prog);
	} else if (!strstr(err.msg, "profile")) {
		/* Parsed once already: only the merge or the build can
		 * refuse now, and it says what. */
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	free(text);
}

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
	/* Accepted input is never empty, and has no NUL where parsing
	 * stops (a NUL would end the additions' text early). */
	if (!memchr(data, '\0', size))
		build_as_overlay(data, size);
	return 0;
}

#include "replay.h"
