/* What looks like a secret: variable names, file names, file contents
 * (see secret_shapes.h).  Pure: no syscalls, no allocation, nothing
 * copied out of the buffers looked at. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/secret_shapes.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- variable names ------------------------------------------------------- */

enum name_match {
	NAME_HOLDS, /* a component of the name is or ends with the word */
	NAME_ENDS,  /* the name ends with it */
};

struct name_shape {
	const char *word;
	enum name_match match;
	const char *label;
};

/* A name's components are its parts between underscores.  A word counts
 * where a component is the word, ends with it (APIKEY, DBPASSWORD) or is
 * its plural (SECRETS, CREDENTIALS); not where it only begins one
 * (KEYBOARD, TOKENIZERS_PARALLELISM, GIT_AUTHOR_NAME).  _PASS and _PWD
 * count only at the end of a name: DB_PASS, SMTP_PASS, MYSQL_PWD; not PWD
 * and OLDPWD (the shell's directories), COMPASS_DIR, BYPASS_CACHE, nor
 * PGPASS (libpq's password variable is PGPASSWORD, which PASSWORD
 * catches; PGPASSFILE names a file).  A name ending in _FILE names a file
 * that holds the value, as Docker's secrets convention has it
 * (POSTGRES_PASSWORD_FILE=/run/secrets/db, PASSWD_FILE=/etc/passwd): its
 * value is judged by its shape only. */
static const struct name_shape name_shapes[] = {
	{"KEY", NAME_HOLDS, "a name holding KEY"},
	{"TOKEN", NAME_HOLDS, "a name holding TOKEN"},
	{"SECRET", NAME_HOLDS, "a name holding SECRET"},
	{"PASSWORD", NAME_HOLDS, "a name holding PASSWORD"},
	{"PASSWD", NAME_HOLDS, "a name holding PASSWD"},
	{"CREDENTIAL", NAME_HOLDS, "a name holding CREDENTIAL"},
	{"PRIVATE", NAME_HOLDS, "a name holding PRIVATE"},
	{"AUTH", NAME_HOLDS, "a name holding AUTH"},
	{"_PASS", NAME_ENDS, "a name ending in _PASS"},
	{"_PWD", NAME_ENDS, "a name ending in _PWD"},
};

static bool ends_with_word(const char *c, size_t n, const char *w, size_t k)
{
	return n >= k && strncasecmp(c + n - k, w, k) == 0;
}

/* Component @c[n] is @w, ends with it, or is @w + "S". */
static bool component_has(const char *c, size_t n, const char *w)
{
	size_t k = strlen(w);

	if (ends_with_word(c, n, w, k))
		return true;
	return n == k + 1 && (c[k] == 'S' || c[k] == 's') &&
	       strncasecmp(c, w, k) == 0;
}

static bool name_has(const char *name, size_t n, const struct name_shape *s)
{
	size_t k = strlen(s->word);

	if (s->match == NAME_ENDS)
		return ends_with_word(name, n, s->word, k);
	for (size_t i = 0; i < n;) {
		size_t len = strcspn(name + i, "_=");

		if (len > n - i)
			len = n - i;
		if (component_has(name + i, len, s->word))
			return true;
		i += len + 1;
	}
	return false;
}

static bool names_a_file(const char *name, size_t n)
{
	return ends_with_word(name, n, "_FILE", 5);
}

const char *ward_secret_name_shape(const char *name)
{
	size_t n;

	if (!name)
		return NULL;
	n = strcspn(name, "=");
	if (names_a_file(name, n))
		return NULL;
	for (size_t i = 0; i < N_ELEMS(name_shapes); i++)
		if (name_has(name, n, &name_shapes[i]))
			return name_shapes[i].label;
	return NULL;
}

bool ward_secret_name_looks_secret(const char *name)
{
	return ward_secret_name_shape(name) != NULL;
}

bool ward_secret_env_looks_secret(const char *kv)
{
	const char *eq;

	if (!kv)
		return false;
	if (ward_secret_name_looks_secret(kv))
		return true;
	eq = strchr(kv, '=');
	return eq && ward_secret_shape(eq + 1, strlen(eq + 1)) != NULL;
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

/* ---- value shapes ------------------------------------------------------------- */

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

enum value_match {
	VALUE_PREFIX,       /* prefix + a body in the token alphabet */
	VALUE_JWT,          /* "eyJ" header "." payload "." signature */
	VALUE_NPM,          /* the VALUE of "_authToken=VALUE" */
	VALUE_URL_PASSWORD, /* the PASSWORD of "scheme://user:PASSWORD@host" */
};

/* One value shape; its label names it in messages ("holds what looks
 * like a GitHub token"). */
struct value_shape {
	enum value_match match;
	const char *prefix; /* what it starts with (not VALUE_URL_PASSWORD) */
	const char *extra;  /* allowed in the body besides alphanumerics */
	size_t min_body;    /* shortest body that counts */
	size_t exact_body;  /* 0, or the body's exact length */
	bool upper_digits;  /* body is [0-9A-Z] only */
	bool random;        /* body looks generated: see looks_random */
	const char *label;
};

/* When two shapes start at the same byte, the earlier row wins: a
 * GitHub token given as a URL's password is "a GitHub token". */
static const struct value_shape value_shapes[] = {
	{VALUE_PREFIX, "github_pat_", "_", 20, 0, false, false, "a GitHub token"},
	{VALUE_PREFIX, "ghp_", NULL, 20, 0, false, false, "a GitHub token"},
	{VALUE_PREFIX, "gho_", NULL, 20, 0, false, false, "a GitHub token"},
	{VALUE_PREFIX, "ghs_", NULL, 20, 0, false, false, "a GitHub token"},
	{VALUE_PREFIX, "ghu_", NULL, 20, 0, false, false, "a GitHub token"},
	{VALUE_PREFIX, "glpat-", "_-", 20, 0, false, false, "a GitLab token"},
	{VALUE_PREFIX, "xoxb-", "-", 10, 0, false, false, "a Slack token"},
	{VALUE_PREFIX, "xoxa-", "-", 10, 0, false, false, "a Slack token"},
	{VALUE_PREFIX, "xoxp-", "-", 10, 0, false, false, "a Slack token"},
	{VALUE_PREFIX, "xoxr-", "-", 10, 0, false, false, "a Slack token"},
	{VALUE_PREFIX, "xoxs-", "-", 10, 0, false, false, "a Slack token"},
	{VALUE_PREFIX, "AKIA", NULL, 16, 16, true, false, "an AWS access key id"},
	/* Google API keys: AIza and 35 of [0-9A-Za-z_-] */
	{VALUE_PREFIX, "AIza", "_-", 35, 35, false, false, "a Google API key"},
	/* OpenAI-style keys: sk-<48>, sk-proj-..., sk-svcacct-... */
	{VALUE_PREFIX, "sk-", "_-", 32, 0, false, true, "an OpenAI-style API key"},
	{VALUE_JWT, "eyJ", NULL, 0, 0, false, false, "a JWT"},
	{VALUE_NPM, "_authToken", NULL, 0, 0, false, false, "an npm token"},
	{VALUE_URL_PASSWORD, NULL, NULL, 0, 0, false, false, "a URL with credentials"},
};

static bool body_upper_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(isdigit((unsigned char)p[i]) || isupper((unsigned char)p[i])))
			return false;
	return true;
}

/* A generated key, not a name that happens to start like one
 * ("sk-learn-...", "sk-lang-model-v2"): an upper-case letter, a
 * lower-case letter and a digit, and a run of RANDOM_RUN alphanumerics
 * without a '-' or '_' (words joined by dashes are shorter). */
#define RANDOM_RUN 20

static bool looks_random(const char *p, size_t n)
{
	bool upper = false, lower = false, digit = false;
	size_t run = 0, longest = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		upper |= isupper(c) != 0;
		lower |= islower(c) != 0;
		digit |= isdigit(c) != 0;
		run = isalnum(c) ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return upper && lower && digit && longest >= RANDOM_RUN;
}

/* A row that can turn a long body down (an exact length, a random
 * look) starts only where its alphabet does not go on from before
 * ("sk-" in "x-sk-..." is not one): the next place it may start is past
 * the run looked at, so the scan stays linear ("sk-sk-sk-..."). */
static bool starts_here(const struct value_shape *s, const char *buf,
			const char *p)
{
	if (!at_boundary(buf, p))
		return false;
	if (!(s->exact_body || s->random) || p == buf || !s->extra)
		return true;
	return !p[-1] || !strchr(s->extra, p[-1]);
}

/* A prefix row at @p, with its whole length in *n. */
static bool prefix_at(const struct value_shape *s, const char *buf,
		      const char *p, const char *end, size_t *n)
{
	size_t k = strlen(s->prefix), body;

	if (!starts_here(s, buf, p))
		return false;
	body = token_run(p + k, end, s->extra);
	if (body < s->min_body || (s->exact_body && body != s->exact_body))
		return false;
	if (s->upper_digits && !body_upper_digits(p + k, body))
		return false;
	if (s->random && !looks_random(p + k, body))
		return false;
	*n = k + body;
	return true;
}

/* A JWT: base64url parts joined by dots, the header a JSON object
 * ("eyJ" is base64 for '{"'), at least three parts (JWE has five, all
 * hidden).  A header of under 10 characters (7 bytes of JSON, shorter
 * than '{"alg":') is not one; an unsigned token (empty third part)
 * proves nothing and is not one either. */
#define JWT_HEADER_MIN 10

static bool base64url_byte(char c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

static bool jwt_at(const char *buf, const char *p, const char *end, size_t *n)
{
	const char *q = p;
	int part = 0;

	if (p > buf && (base64url_byte(p[-1]) || p[-1] == '.'))
		return false;
	for (;; part++) {
		size_t k;

		if (part > 0 && (q + 1 >= end || *q != '.' || !base64url_byte(q[1])))
			break;
		if (part > 0)
			q++;
		k = token_run(q, end, "-_");
		if (part == 0 && k < JWT_HEADER_MIN)
			return false;
		q += k;
	}
	if (part < 3)
		return false;
	*n = (size_t)(q - p);
	return true;
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

/* A byte of a URL's user or password (RFC 3986 userinfo, loosely): not
 * a space, a control byte, a quote or a delimiter of the authority.
 * ':' is allowed; the caller decides where it counts. */
static bool userinfo_byte(char c)
{
	return c > 0x20 && c < 0x7f && !strchr("/?#@[]\"'<>\\`{}|^", c);
}

/* The longest user looked back over: bounds the walk from each ':'. */
#define URL_USER_MAX 256

/* "scheme://user:PASSWORD@host" with @p at the password's first byte:
 * the ':' before @p is the first in the userinfo, "://" and a scheme
 * precede the user (which may be empty), and the password (maybe with
 * ':' or '@' in it: the last '@' ends it) is followed by an '@' and a
 * host before any '/', '?', '#' or space.  "https://user@host",
 * "postgres://host/db" and "https://host:8080/" have no password.
 * Each walk stops at a '/', so the scan stays linear. */
static bool url_password_at(const char *buf, const char *p, const char *end,
			    size_t *n)
{
	const char *u = p - 1, *q = p, *at = NULL;

	if (p == buf || p[-1] != ':')
		return false;
	while (u > buf && (size_t)(p - 1 - u) < URL_USER_MAX &&
	       userinfo_byte(u[-1]) && u[-1] != ':')
		u--;
	if (u - buf < 4 || memcmp(u - 3, "://", 3) != 0 || !is_alnum(u[-4]))
		return false;
	for (; q < end && (userinfo_byte(*q) || *q == '@'); q++)
		if (*q == '@')
			at = q;
	if (!at || at == p || at + 1 >= end ||
	    !(is_alnum(at[1]) || at[1] == '['))
		return false;
	*n = (size_t)(at - p);
	return true;
}

/* The row @s at @p: the span from @p + *voff, *n bytes. */
static bool value_at(const struct value_shape *s, const char *buf,
		     const char *p, const char *end, size_t *voff, size_t *n)
{
	*voff = 0;
	if (s->match == VALUE_URL_PASSWORD)
		return url_password_at(buf, p, end, n);
	if (*p != s->prefix[0] || (size_t)(end - p) < strlen(s->prefix) ||
	    memcmp(p, s->prefix, strlen(s->prefix)) != 0)
		return false;
	switch (s->match) {
	case VALUE_PREFIX:
		return prefix_at(s, buf, p, end, n);
	case VALUE_JWT:
		return jwt_at(buf, p, end, n);
	case VALUE_NPM:
		return npm_token_at(p, end, voff, n);
	case VALUE_URL_PASSWORD:
		break;
	}
	return false;
}

bool ward_secret_token_find(const char *buf, size_t len, size_t *off,
			    size_t *n, const char **what)
{
	const char *end = buf + len;

	for (const char *p = buf; p < end; p++)
		for (size_t i = 0; i < N_ELEMS(value_shapes); i++) {
			size_t voff, k;

			if (!value_at(&value_shapes[i], buf, p, end, &voff, &k))
				continue;
			*off = (size_t)(p - buf) + voff;
			*n = k;
			*what = value_shapes[i].label;
			return true;
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
