/* Fuzz the Docker/OCI seccomp JSON reader from memory and, for inputs it
 * accepts, the merge with a profile's additions and the libseccomp build
 * (no filter is loaded).
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 -I/usr/include/json-c tests/fuzz/fuzz_seccomp_docker.c \
 *                 src/seccomp*.c src/kernel/caps.c src/base/err.c src/base/explain.c \
 *                 -lseccomp -ljson-c -lcap-ng
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h), it runs
 *               every file named on the command line or found in a named
 *               directory (tests/fuzz/corpus/fuzz_seccomp_docker/). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "seccomp/seccomp.h"
#include "seccomp/docker.h"
#include "seccomp/policy.h"

#define FUZZ_NAME "fuzz_seccomp_docker"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first byte picks the context, so includes/excludes are decided
 * both ways: caps none or all, kernel old or new. */
static struct ward_docker_context context_of(const uint8_t *data, size_t size)
{
	struct ward_docker_context c = {0, 6, 1, "amd64"};

	if (size && (data[0] & 1))
		c.caps = ~0ULL;
	if (size && (data[0] & 2))
		c.kernel_major = 3;
	return c;
}

/* Every line of show's listing, into a buffer nobody reads. */
static void print_all(const struct ward_docker_profile *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	ward_seccomp_docker_print(p, f);
	fclose(f);
	free(text);
}

/* The profile's additions merged over the JSON, picked by the middle
 * byte: none, rules only, or a new default (which restores what the JSON
 * gave the old default by name). */
static struct ward_seccomp_policy *overlay_of(const uint8_t *data,
					      size_t size)
{
	static const char *const texts[] = {
		NULL,
		"ward-seccomp 1\nallow execve\nallow clone\ndeny ptrace\n",
		"ward-seccomp 1\ndefault errno=EPERM\nallow execve\n",
		"ward-seccomp 1\ndefault log\nallow execve\ndeny ptrace\n",
	};
	const char *text = texts[data[size / 2] & 3];
	struct ward_seccomp_policy *over = NULL;
	struct ward_err err = {0};

	if (text && ward_seccomp_policy_parse("profile", text, strlen(text),
					      &over, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	return over;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ward_docker_context c = context_of(data, size);
	struct ward_docker_profile *p = NULL;
	struct ward_seccomp_policy *over;
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};

	if (ward_seccomp_docker_parse("fuzz", (const char *)data, size, &c, &p,
				      &err) != 0) {
		/* A refusal must say where. */
		if (strncmp(err.msg, "fuzz", 4) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].nr < 0 || p->rules[i].nargs > WARD_DOCKER_ARGS_MAX)
			abort();
	print_all(p);
	/* Accepted input is never empty: data[0] and data[size / 2] exist. */
	over = overlay_of(data, size);
	if (ward_seccomp_docker_merge(p, over, data[0] & 4, &err) == 0 &&
	    ward_seccomp_docker_build(p, over, &prog, &err) == 0) {
		if (prog.len == 0 || prog.len > BPF_MAXINSNS)
			abort();
		ward_seccomp_free(&prog);
	}
	ward_seccomp_policy_free(over);
	ward_seccomp_docker_free(p);
	return 0;
}

#include "replay.h"
