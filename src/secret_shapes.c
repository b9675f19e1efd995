/* What looks like a secret: variable names, file names, file contents
 * (see secret_shapes.h).  Pure: no syscalls, no allocation, nothing
 * copied out of the buffers looked at. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "ward/secret_shapes.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- variable names ------------------------------------------------------- */

bool ward_secret_name_looks_secret(const char *name)
{
	static const char *const words[] = {
		"KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL",
		"PRIVATE", "AUTH",
	};
	size_t n;

	if (!name)
		return false;
	n = strcspn(name, "=");
	for (size_t w = 0; w < N_ELEMS(words); w++) {
		size_t k = strlen(words[w]);

		for (size_t i = 0; i + k <= n; i++)
			if (strncasecmp(name + i, words[w], k) == 0)
				return true;
	}
	return false;
}

/* ---- file names ------------------------------------------------------------- */

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcmp(s + n - k, suffix) == 0;
}

enum ward_secret_kind ward_secret_file_kind(const char *parent,
					    const char *name)
{
	static const char *const by_name[] = {
		".env", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
		"id_ecdsa_sk", "id_ed25519_sk",
	};
	static const char *const token[] = {".npmrc", ".pypirc", ".netrc"};

	for (size_t i = 0; i < N_ELEMS(by_name); i++)
		if (strcmp(name, by_name[i]) == 0)
			return WARD_SECRET_BY_NAME;
	for (size_t i = 0; i < N_ELEMS(token); i++)
		if (strcmp(name, token[i]) == 0)
			return WARD_SECRET_TOKEN;
	if (strcmp(name, ".git-credentials") == 0)
		return WARD_SECRET_GITCRED;
	if (strcmp(parent, ".aws") == 0 && strcmp(name, "credentials") == 0)
		return WARD_SECRET_BY_NAME;
	if (strcmp(parent, ".docker") == 0 && strcmp(name, "config.json") == 0)
		return WARD_SECRET_DOCKER;
	if ((strcmp(parent, ".kube") == 0 && strcmp(name, "config") == 0) ||
	    strcmp(name, "kubeconfig") == 0)
		return WARD_SECRET_KUBE;
	if (has_suffix(name, ".pem") || has_suffix(name, ".key"))
		return WARD_SECRET_PRIVKEY;
	/* PKCS#12 is binary (no PEM header to look for) and exists to
	 * carry a private key with its certificate. */
	if (has_suffix(name, ".p12") || has_suffix(name, ".pfx"))
		return WARD_SECRET_BY_NAME;
	return WARD_SECRET_NONE;
}

/* ---- contents ----------------------------------------------------------------- */

/* The end of the line holding @p. */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

/* "-----BEGIN ... PRIVATE KEY-----" on one line. */
static bool has_private_key(const char *buf, size_t len)
{
	static const char begin[] = "-----BEGIN ", tail[] = "PRIVATE KEY-----";
	const char *p = buf, *end = buf + len;

	while ((p = memmem(p, (size_t)(end - p), begin, sizeof(begin) - 1))) {
		const char *eol = line_end(p, end);

		if (memmem(p, (size_t)(eol - p), tail, sizeof(tail) - 1))
			return true;
		p = eol;
	}
	return false;
}

static bool has_word_nocase(const char *buf, size_t len, const char *word)
{
	size_t k = strlen(word);

	for (size_t i = 0; i + k <= len; i++)
		if (strncasecmp(buf + i, word, k) == 0)
			return true;
	return false;
}

/* A line "scheme://user:secret@host". */
static bool has_url_credentials(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while ((p = memmem(p, (size_t)(end - p), "://", 3))) {
		const char *eol = line_end(p, end);

		if (memchr(p, '@', (size_t)(eol - p)))
			return true;
		p = eol;
	}
	return false;
}

bool ward_secret_content(enum ward_secret_kind kind, const char *buf,
			 size_t len)
{
	switch (kind) {
	case WARD_SECRET_PRIVKEY:
		return has_private_key(buf, len);
	case WARD_SECRET_TOKEN:
		return has_word_nocase(buf, len, "token") ||
		       has_word_nocase(buf, len, "password") ||
		       has_word_nocase(buf, len, "_auth");
	case WARD_SECRET_GITCRED:
		return has_url_credentials(buf, len);
	case WARD_SECRET_DOCKER:
		/* "auth" (not "auths", the map that holds them) */
		return memmem(buf, len, "\"auth\"", 6) ||
		       memmem(buf, len, "\"identitytoken\"", 15);
	case WARD_SECRET_KUBE:
		return memmem(buf, len, "client-key-data:", 16) ||
		       memmem(buf, len, "token:", 6) ||
		       memmem(buf, len, "password:", 9) ||
		       has_private_key(buf, len);
	case WARD_SECRET_NONE:
	case WARD_SECRET_BY_NAME:
		break;
	}
	return kind == WARD_SECRET_BY_NAME;
}

/* ---- token shapes ------------------------------------------------------------- */

static bool is_alnum(char c)
{
	return isalnum((unsigned char)c) != 0;
}

/* How many bytes from @p (up to @end) are in the token alphabet:
 * alphanumerics plus @extra. */
static size_t token_run(const char *p, const char *end, const char *extra)
{
	size_t n = 0;

	while (p + n < end && (is_alnum(p[n]) || (extra && p[n] &&
						    strchr(extra, p[n]))))
		n++;
	return n;
}

/* A token starts at a word boundary, not inside a longer identifier. */
static bool at_boundary(const char *buf, const char *p)
{
	return p == buf || !(is_alnum(p[-1]) || p[-1] == '_');
}

struct shape {
	const char *prefix;
	const char *extra;  /* allowed in the body besides alphanumerics */
	size_t min_body;    /* shortest body that counts */
	size_t exact_body;  /* 0, or the body's exact length */
	bool upper_digits;  /* body is [0-9A-Z] only */
	const char *what;
};

static const struct shape shapes[] = {
	{"github_pat_", "_", 20, 0, false, "a GitHub token"},
	{"ghp_", NULL, 20, 0, false, "a GitHub token"},
	{"gho_", NULL, 20, 0, false, "a GitHub token"},
	{"ghs_", NULL, 20, 0, false, "a GitHub token"},
	{"ghu_", NULL, 20, 0, false, "a GitHub token"},
	{"glpat-", "_-", 20, 0, false, "a GitLab token"},
	{"xoxb-", "-", 10, 0, false, "a Slack token"},
	{"xoxa-", "-", 10, 0, false, "a Slack token"},
	{"xoxp-", "-", 10, 0, false, "a Slack token"},
	{"xoxr-", "-", 10, 0, false, "a Slack token"},
	{"xoxs-", "-", 10, 0, false, "a Slack token"},
	{"AKIA", NULL, 16, 16, true, "an AWS access key id"},
};

static bool body_upper_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(isdigit((unsigned char)p[i]) || isupper((unsigned char)p[i])))
			return false;
	return true;
}

/* The shape starting at @p, with its whole length in *n. */
static const struct shape *shape_at(const char *buf, const char *p,
				    const char *end, size_t *n)
{
	for (size_t i = 0; i < N_ELEMS(shapes); i++) {
		const struct shape *s = &shapes[i];
		size_t k = strlen(s->prefix), body;

		if ((size_t)(end - p) < k || memcmp(p, s->prefix, k) != 0 ||
		    !at_boundary(buf, p))
			continue;
		body = token_run(p + k, end, s->extra);
		if (body < s->min_body)
			continue;
		if (s->exact_body && body != s->exact_body)
			continue;
		if (s->upper_digits && !body_upper_digits(p + k, body))
			continue;
		*n = k + body;
		return s;
	}
	return NULL;
}

/* npm: "_authToken=VALUE" (also "//registry/:_authToken=VALUE"); the
 * span is the value. */
static bool npm_token_at(const char *p, const char *end, size_t *voff,
			 size_t *n)
{
	static const char key[] = "_authToken";
	const char *v;
	size_t k = sizeof(key) - 1, len = 0;

	if ((size_t)(end - p) <= k || memcmp(p, key, k) != 0)
		return false;
	v = p + k;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	if (v >= end || *v != '=')
		return false;
	v++;
	while (v < end && (*v == ' ' || *v == '\t' || *v == '"'))
		v++;
	while (v + len < end && v[len] != '\n' && v[len] != '\r' &&
	       v[len] != '"' && v[len] != ' ' && v[len] != '\t')
		len++;
	if (len == 0)
		return false;
	*voff = (size_t)(v - p);
	*n = len;
	return true;
}

bool ward_secret_token_find(const char *buf, size_t len, size_t *off,
			    size_t *n, const char **what)
{
	const char *end = buf + len;

	for (const char *p = buf; p < end; p++) {
		const struct shape *s;
		size_t k, voff;

		/* every prefix starts with one of these bytes */
		if (*p != 'g' && *p != 'x' && *p != 'A' && *p != '_')
			continue;
		if ((s = shape_at(buf, p, end, &k))) {
			*off = (size_t)(p - buf);
			*n = k;
			*what = s->what;
			return true;
		}
		if (*p == '_' && npm_token_at(p, end, &voff, &k)) {
			*off = (size_t)(p - buf) + voff;
			*n = k;
			*what = "an npm token";
			return true;
		}
	}
	return false;
}

const char *ward_secret_shape(const char *buf, size_t len)
{
	size_t off, n;
	const char *what = NULL;

	if (has_private_key(buf, len))
		return "a private key";
	if (ward_secret_token_find(buf, len, &off, &n, &what))
		return what;
	return NULL;
}
