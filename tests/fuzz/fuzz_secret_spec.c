/* Fuzz the secret spec parser ("NAME=SOURCE") on arbitrary bytes.
 *
 * Input: the spec (an embedded NUL just ends it).  Beyond not crashing,
 * the parser must return 0, -EINVAL or -ENAMETOOLONG, and on success: the name passes
 * ward_secret_name_valid and is exactly what precedes the first '=', a
 * file source is the rest of the spec, an fd is 0 or >= 3, an env source
 * names a variable.  Pure: nothing is opened or read.
 *
 *   libFuzzer:  clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *                 tests/fuzz/fuzz_secret_spec.c src/plan/secrets.c \
 *                 src/base/secret_shapes.c src/base/util.c src/base/err.c src/base/explain.c
 *   replay:     built with -DWARD_FUZZ_REPLAY (see replay.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "launch/secrets.h"

#define FUZZ_NAME "fuzz_secret_spec"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ok(const char *spec, const struct ward_secret_spec *s)
{
	const char *eq = strchr(spec, '=');
	const char *src = eq + 1;

	if (!eq || !ward_secret_name_valid(s->name) ||
	    strlen(s->name) != (size_t)(eq - spec) ||
	    strncmp(s->name, spec, strlen(s->name)) != 0)
		abort();
	switch (s->source) {
	case WARD_SECRET_SRC_FD:
		if (strncmp(src, "fd:", 3) != 0 || s->fd < 0 || s->fd == 1 || s->fd == 2)
			abort();
		break;
	case WARD_SECRET_SRC_ENV:
		if (strncmp(src, "env:", 4) != 0 || strcmp(s->arg, src + 4) != 0 ||
		    !*s->arg || isdigit((unsigned char)*s->arg))
			abort();
		break;
	case WARD_SECRET_SRC_FILE:
		if (strcmp(s->arg, src) != 0 || !*s->arg || strncmp(src, "fd:", 3) == 0)
			abort();
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ward_secret_spec s;
	struct ward_err err = {0};
	char *spec = malloc(size + 1);
	int r;

	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	r = ward_secret_parse_spec(spec, &s, &err);
	if (r != 0 && r != -EINVAL && r != -ENAMETOOLONG)
		abort();
	if (r == 0)
		check_ok(spec, &s);
	else if (err.step != WARD_STEP_SECRETS || !err.msg[0])
		abort();
	(void)ward_secret_name_valid(spec);
	free(spec);
	return 0;
}

#include "replay.h"
