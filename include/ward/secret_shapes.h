/* What a secret looks like: variable names, file names and file contents.
 * Pure (no syscalls, no allocation); shared by the rootfs audit
 * (audit.c), the image audit (image*.c) and the plan check.  Nothing here
 * copies a secret anywhere: callers get a yes/no, a kind or a span. */
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

/* True when the variable name @name (or the NAME of "NAME=VALUE") holds
 * KEY, TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL, PRIVATE or AUTH,
 * case-insensitively.  NULL or "" is not secret. */
bool ward_secret_name_looks_secret(const char *name);

/* The kind of the file @name in a directory named @parent (its last
 * component only, "" at the top). */
enum ward_secret_kind ward_secret_file_kind(const char *parent,
					    const char *name);

/* Whether @len bytes of content at @buf confirm a candidate of @kind.
 * WARD_SECRET_BY_NAME is always confirmed, WARD_SECRET_NONE never. */
bool ward_secret_content(enum ward_secret_kind kind, const char *buf,
			 size_t len);

/* The first token-shaped span in @buf[len] ("ghp_...", "github_pat_...",
 * "xoxb-...", "AKIA" + 16, "glpat-...", an npm "_authToken=VALUE"'s
 * value): true with *off and *n set to the span to hide, and *what to a
 * description ("a GitHub token").  Private-key blocks are not spans; see
 * ward_secret_shape. */
bool ward_secret_token_find(const char *buf, size_t len, size_t *off,
			    size_t *n, const char **what);

/* What secret shape @buf[len] holds, for a report ("a private key", "a
 * GitHub token", ...), or NULL. */
const char *ward_secret_shape(const char *buf, size_t len);

#endif
