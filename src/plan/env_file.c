/* --env-file FILE: see env_file.h.  The format is Docker's
 * (docker run --env-file), so that one file serves both. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "plan/env_file.h"

static int line_err(struct ward_err *err, const char *path, unsigned line,
		    const char *what)
{
	return ward_err_set(err, WARD_STEP_PLAN, 0, "--env-file %s:%u: %s", path,
			    line, what);
}

/* One line, without its newline: skip, pass on, or refuse. */
static int one_line(const char *path, unsigned lineno, const char *s, size_t n,
		    ward_env_file_lookup_fn lookup, ward_env_file_put_fn put,
		    void *ctx, struct ward_err *err)
{
	char kv[WARD_ENV_FILE_LINE_MAX];
	const char *eq, *value;
	size_t name_len;

	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f')) {
		s++;
		n--;
	}
	if (n == 0 || *s == '#')
		return 0;
	if (memchr(s, '\0', n))
		return line_err(err, path, lineno, "a NUL byte");
	eq = memchr(s, '=', n);
	name_len = eq ? (size_t)(eq - s) : n;
	if (!ward_env_name_valid(s, name_len))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--env-file %s:%u: '%.*s': expected NAME=VALUE or NAME, with NAME of letters, digits, _",
				    path, lineno, (int)(name_len > 64 ? 64 : name_len), s);
	if (eq) {
		if (n >= sizeof(kv))
			return line_err(err, path, lineno, "line too long");
		memcpy(kv, s, n);
		kv[n] = '\0';
		return put(ctx, kv, lineno, err);
	}
	memcpy(kv, s, n);
	kv[n] = '\0';
	value = lookup(kv);
	if (!value) /* Docker passes nothing for an unset name */
		return 0;
	if (n + 1 + strlen(value) >= sizeof(kv))
		return line_err(err, path, lineno, "the caller's value is too long");
	kv[n] = '=';
	strcpy(kv + n + 1, value);
	return put(ctx, kv, lineno, err);
}

int ward_env_file_parse(const char *path, const char *buf, size_t len,
			ward_env_file_lookup_fn lookup, ward_env_file_put_fn put,
			void *ctx, struct ward_err *err)
{
	unsigned lineno = 0;
	size_t at = 0;
	int r;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		at = 3;
	while (at < len) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;

		lineno++;
		if (n && buf[at + n - 1] == '\r') /* CRLF, as Docker reads it */
			n--;
		if (n >= WARD_ENV_FILE_LINE_MAX)
			return line_err(err, path, lineno, "line too long");
		if ((r = one_line(path, lineno, buf + at, n, lookup, put, ctx, err)) < 0)
			return r;
		at = nl ? (size_t)(nl - buf) + 1 : len;
	}
	return 0;
}
