/* What a secret looks like: variable names, file names and file contents.
 * Pure (no syscalls, no allocation); one table of name shapes and one of
 * value shapes, shared by the rootfs audit (audit.c), the image audit
 * (image*.c), the plan check (check.c, plan_secrets.c) and entrypoint
 * mode's environment (entrypoint_env.c).  Nothing here copies a secret
 * anywhere: callers get a yes/no, a label, a kind or a span. */
#ifndef WARD_SECRET_SHAPES_H
#define WARD_SECRET_SHAPES_H

#include <stdbool.h>
#include <stddef.h>

/* Why a file's name makes it a candidate, and what its content must show
 * to count. */
enum ward_secret_kind {
	WARD_SECRET_NONE,
	WARD_SECRET_BY_NAME, /* the name alone says it: .env, id_rsa, .aws/credentials */
	WARD_SECRET_PRIVKEY, /* *.pem, *.key: a PEM private-key header */
	WARD_SECRET_TOKEN,   /* .npmrc, .pypirc, .netrc: a token/password line */
	WARD_SECRET_GITCRED, /* .git-credentials: a URL with credentials */
	WARD_SECRET_DOCKER,  /* .docker/config.json: an inline "auth" */
	WARD_SECRET_KUBE,    /* .kube/config, kubeconfig: a client key or token */
};

/* What the variable name @name (or the NAME of "NAME=VALUE") looks
 * like, case-insensitively: the label of the first name shape it has
 * ("a name holding KEY", "a name ending in _PASS"), or NULL.  The name
 * shapes: KEY, TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL, PRIVATE or
 * AUTH anywhere in it; or a name ending in _PASS or _PWD (DB_PASS,
 * MYSQL_PWD; not PWD, OLDPWD, COMPASS_DIR, BYPASS_CACHE or PGPASS).
 * NULL or "" is not secret. */
const char *ward_secret_name_shape(const char *name);

/* ward_secret_name_shape(@name) != NULL. */
bool ward_secret_name_looks_secret(const char *name);

/* True when the variable "NAME=VALUE" @kv looks like a secret by its
 * name (ward_secret_name_shape) or by its value (ward_secret_shape).
 * The value is only looked at. */
bool ward_secret_env_looks_secret(const char *kv);

/* The kind of the file @name in a directory named @parent (its last
 * component only, "" at the top). */
enum ward_secret_kind ward_secret_file_kind(const char *parent,
					    const char *name);

/* Whether @len bytes of content at @buf confirm a candidate of @kind.
 * WARD_SECRET_BY_NAME is always confirmed, WARD_SECRET_NONE never. */
bool ward_secret_content(enum ward_secret_kind kind, const char *buf,
			 size_t len);

/* The first token-shaped span in @buf[len] ("ghp_...", "github_pat_...",
 * "xoxb-...", "AKIA" + 16, "glpat-...", "AIza" + 35, "sk-..." of 32 or
 * more mixed-case letters and digits, a JWT "eyJ...", the password of a
 * URL "scheme://user:PASSWORD@host", an npm "_authToken=VALUE"'s value):
 * true with *off and *n set to the span to hide, and *what to the
 * shape's label ("a GitHub token").  When two shapes start at the same
 * byte, the first of that list wins.  Private-key blocks are not spans;
 * see ward_secret_shape. */
bool ward_secret_token_find(const char *buf, size_t len, size_t *off,
			    size_t *n, const char **what);

/* What secret shape @buf[len] holds, for a report ("a private key", "a
 * GitHub token", ...), or NULL. */
const char *ward_secret_shape(const char *buf, size_t len);

#endif
