/* Plan directives for secrets, and reading their files (parent):
 *
 *   secret NAME=SOURCE   /run/secrets/NAME from a host file, fd:N or env:VAR
 *   secret-env NAME      also NAME=VALUE in the environment (a risk: ward
 *                        check says so)
 *
 * A file is read here, when the plan is finished: reading it changes
 * nothing, and a bad one is refused by ward check too.  An fd:N or
 * env:VAR source is not touched (reading uses up a pipe, and the
 * variable is taken out of ward's environment): the plan holds the
 * stand-in "(not read)" until ward_launch_prepare reads it, for a launch
 * only (launch/prepare.c).  Either way the child is a copy of the parent
 * and needs no access to the host file, the fd or the variable.  The
 * bytes go into a mapping of their own that core dumps leave out
 * (MADV_DONTDUMP) and that is locked in memory where RLIMIT_MEMLOCK
 * allows, so they reach neither a core file nor swap. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "plan/builder.h"
#include "base/secret_shapes.h"
#include "plan/secret_spec.h"
#include "base/util.h"

/* ---- syntax (pure) ------------------------------------------------------ */

bool ward_secret_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > WARD_SECRET_NAME_MAX || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
		    name[i] != '.' && name[i] != '-')
			return false;
	return true;
}

/* fd:N, decimal.  1 and 2 are ward's own output; 0 (a pipe or a
 * here-string on stdin) is allowed. */
static int parse_fd(const char *name, const char *s, int *fd, struct ward_err *err)
{
	uint32_t v;

	if (!isdigit((unsigned char)*s) || ward_parse_u32(s, &v) < 0 || v > INT_MAX)
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "secret %s: fd:%s: expected fd:N with N a descriptor number",
				  name, s);
	if (v == 1 || v == 2)
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "secret %s: fd:%u is ward's own output; pass the secret on fd 0 or 3 and up",
				  name, v);
	*fd = (int)v;
	return 0;
}

int ward_secret_parse_spec(const char *spec, struct ward_secret_spec *out,
			   struct ward_err *err)
{
	const char *eq = strchr(spec, '='), *src;
	size_t n = eq ? (size_t)(eq - spec) : 0;

	memset(out, 0, sizeof(*out));
	if (!eq || n == 0 || n > WARD_SECRET_NAME_MAX)
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "secret %.64s: expected NAME=SOURCE (NAME of 1 to %d letters, digits, '_', '.', '-')",
				  spec, WARD_SECRET_NAME_MAX);
	memcpy(out->name, spec, n);
	if (!ward_secret_name_valid(out->name))
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "secret %s: the name must be 1 to %d letters, digits, '_', '.' or '-', not . or ..",
				  out->name, WARD_SECRET_NAME_MAX);
	src = eq + 1;
	if (!*src)
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "secret %s: no source (a file, fd:N or env:VAR)", out->name);
	if (strncmp(src, "fd:", 3) == 0) {
		out->source = WARD_SECRET_SRC_FD;
		return parse_fd(out->name, src + 3, &out->fd, err);
	}
	if (strlen(src) >= sizeof(out->arg))
		return ward_err_set(err, WARD_STEP_SECRETS, ENAMETOOLONG, "secret %s: source too long", out->name);
	strcpy(out->arg, strncmp(src, "env:", 4) == 0 ? src + 4 : src);
	out->source = strncmp(src, "env:", 4) == 0 ? WARD_SECRET_SRC_ENV
						    : WARD_SECRET_SRC_FILE;
	if (out->source == WARD_SECRET_SRC_ENV &&
	    !ward_env_name_valid(out->arg, strlen(out->arg)))
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "secret %s: env:%s: expected a variable name (letters, digits, _)",
				  out->name, out->arg);
	/* --secret NAME=VALUE by mistake: say so without echoing it. */
	if (out->source == WARD_SECRET_SRC_FILE && ward_secret_shape(out->arg, strlen(out->arg)))
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "secret %s: the source looks like the secret itself (%s); "
				  "give a file, fd:N or env:VAR, never the value",
				  out->name, ward_secret_shape(out->arg, strlen(out->arg)));
	return 0;
}

int ward_plan_check_secret(const char *value, struct ward_err *err)
{
	struct ward_secret_spec spec;

	return ward_secret_parse_spec(value, &spec, err);
}

int ward_plan_check_secret_env(const char *value, struct ward_err *err)
{
	if (!ward_secret_name_valid(value) ||
	    !ward_env_name_valid(value, strlen(value)))
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "secret-env %s: expected the name of a secret that is also a variable name (letters, digits, _)",
				  value);
	return 0;
}

static int put(char **list, char **where, size_t *n, const char *key,
	       const char *value, const struct ward_origin *o,
	       struct ward_err *err)
{
	char buf[512];

	if (*n >= WARD_MAX_SECRETS)
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "--%s: more than %d given", key, WARD_MAX_SECRETS);
	if (!(list[*n] = strdup(value)))
		return ward_err_set(err, WARD_STEP_SECRETS, ENOMEM, "strdup");
	if (o && o->file) {
		snprintf(buf, sizeof(buf), "%s:%u:%u: ", o->file, o->line, o->col);
		if (!(where[*n] = strdup(buf))) {
			free(list[*n]);
			return ward_err_set(err, WARD_STEP_SECRETS, ENOMEM, "strdup");
		}
	}
	(*n)++;
	return 0;
}

int ward_plan_set_secret(struct ward_plan_builder *b,
			 const struct ward_directive *d, const char *value,
			 const struct ward_origin *o, struct ward_err *err)
{
	if (strcmp(d->name, "secret") == 0)
		return put(b->secrets, b->where_secrets, &b->nsecrets, d->name,
			   value, o, err);
	return put(b->secret_env, b->where_secret_env, &b->nsecret_env, d->name,
		   value, o, err);
}

/* ---- the secret's memory ------------------------------------------------- */

const char *ward_secret_source_name(enum ward_secret_source source)
{
	switch (source) {
	case WARD_SECRET_SRC_FILE: return "file";
	case WARD_SECRET_SRC_FD: return "fd";
	case WARD_SECRET_SRC_ENV: return "env";
	}
	return "?";
}

const char *ward_secret_value(const struct ward_secret *s)
{
	return s->map + strlen(s->name) + 1;
}

/* Room for "NAME=" + @cap bytes + one more (to see an oversized source)
 * + NUL, out of core dumps.  Written "NAME=" already. */
static int map_secret(struct ward_secret *s, size_t cap, struct ward_err *err)
{
	size_t n = strlen(s->name), len;
	long page = sysconf(_SC_PAGESIZE);

	if (__builtin_add_overflow(n + 3, cap, &len))
		return ward_err_set(err, WARD_STEP_SECRETS, EOVERFLOW, "secret %s: size", s->name);
	len = (len + (size_t)page - 1) & ~((size_t)page - 1);
	s->map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "secret %s: mmap", s->name);
	}
	s->map_len = len;
	/* Not fatal where unsupported: the value is then only as exposed
	 * as the rest of ward's memory. */
	(void)madvise(s->map, len, MADV_DONTDUMP);
	memcpy(s->map, s->name, n);
	s->map[n] = '=';
	return 0;
}

static void unmap_value(struct ward_secret *s)
{
	if (s->map) {
		explicit_bzero(s->map, s->map_len);
		munmap(s->map, s->map_len);
	}
	s->map = NULL;
	s->map_len = 0;
	s->len = 0;
}

void ward_secret_release(struct ward_secret *s)
{
	unmap_value(s);
	free(s->origin);
	free(s->where);
	free(s->where_env);
	s->origin = s->where = s->where_env = NULL;
}

/* A new value for @s is built in @v, a copy of @s without a mapping (its
 * strings borrowed); @s keeps its old one until the new one is whole. */
static struct ward_secret without_value(const struct ward_secret *s)
{
	struct ward_secret v = *s;

	v.map = NULL;
	v.map_len = 0;
	v.len = 0;
	return v;
}

/* @v's value, made with result @r, becomes @s's; on failure @s keeps
 * its own and @v's is dropped. */
static int install(struct ward_secret *s, struct ward_secret *v, int r)
{
	if (r < 0) {
		unmap_value(v);
		return r;
	}
	unmap_value(s);
	s->map = v->map;
	s->map_len = v->map_len;
	s->len = v->len;
	return 0;
}

int ward_secret_seal(struct ward_secret *s, struct ward_err *err)
{
	size_t used = strlen(s->name) + 1 + s->len + 1;

	if (s->len == 0)
		return ward_err_set(err, WARD_STEP_SECRETS, 0, "secret %s: %s is empty", s->name, s->origin);
	s->map[used - 1] = '\0';
	(void)mlock(s->map, used);
	return 0;
}

/* ---- sources ---------------------------------------------------------------- */

static int wait_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* Read @fd to EOF into the value area; more than the cap is an error. */
static int read_value(int fd, struct ward_secret *s, struct ward_err *err)
{
	char *dst = s->map + strlen(s->name) + 1;
	size_t cap = WARD_SECRET_MAX_BYTES + 1;

	for (s->len = 0; s->len < cap;) {
		ssize_t k = read(fd, dst + s->len, cap - s->len);

		if (k == 0)
			return 0;
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN && wait_readable(fd) == 0)
			continue;
		if (k < 0)
			return ward_err_set(err, WARD_STEP_SECRETS, errno, "secret %s: reading %s", s->name, s->origin);
		s->len += (size_t)k;
	}
	return ward_err_set(err, WARD_STEP_SECRETS, EFBIG, "secret %s: %s is larger than %u bytes", s->name,
			  s->origin, WARD_SECRET_MAX_BYTES);
}

/* Others must not read (or rewrite) what ward hands out as a secret. */
static int check_mode(const struct ward_secret *s, const char *path,
		      const struct stat *st, struct ward_err *err)
{
	if (st->st_mode & (S_IROTH | S_IWOTH)) {
		ward_err_set(err, WARD_STEP_SECRETS, EACCES,
			     "secret %s: %s is %s by every user (mode %04o), so ward refuses it",
			     s->name, path,
			     st->st_mode & S_IROTH ? "readable" : "writable",
			     (unsigned)(st->st_mode & 07777));
		if (strncmp(path, "fd:", 3) == 0)
			return ward_err_hint(err, "take the other users' access away from the file passed as %s (chmod 600 FILE)",
					     path);
		return ward_err_hint(err, "take the other users' access away: chmod 600 %s",
				     path);
	}
	if (S_ISREG(st->st_mode) && st->st_size > (off_t)WARD_SECRET_MAX_BYTES)
		return ward_err_set(err, WARD_STEP_SECRETS, EFBIG, "secret %s: %s is larger than %u bytes",
				  s->name, path, WARD_SECRET_MAX_BYTES);
	return 0;
}

int ward_secret_read_fd(struct ward_secret *s, int fd, const char *what,
			const struct stat *st, struct ward_err *err)
{
	struct ward_secret v = without_value(s);
	int r;

	if ((r = check_mode(s, what, st, err)) < 0)
		return r;
	if ((r = map_secret(&v, WARD_SECRET_MAX_BYTES, err)) == 0)
		r = read_value(fd, &v, err);
	return install(s, &v, r);
}

int ward_secret_set_value(struct ward_secret *s, const char *value, size_t len,
			  struct ward_err *err)
{
	struct ward_secret v = without_value(s);
	int r = map_secret(&v, len, err);

	if (r == 0) {
		memcpy(v.map + strlen(v.name) + 1, value, len);
		v.len = len;
	}
	return install(s, &v, r);
}

/* A secret read from a file inside the image being launched is part of
 * that image: whoever has the image has the secret. */
static void warn_inside_rootfs(const struct ward_secret *s, const char *path,
			       const char *rootfs)
{
	char real[PATH_MAX];

	if (rootfs && realpath(path, real) && ward_path_is_beneath(real, rootfs))
		fprintf(stderr,
			"ward: WARNING: secret %s: %s lies inside the rootfs %s: the secret is "
			"baked into the image; keep it outside the image and pass it with --secret\n",
			s->name, real, rootfs);
}

static int load_file(const struct ward_secret_spec *spec, const char *rootfs,
		     struct ward_secret *s, struct ward_err *err)
{
	_cleanup_close_ int fd = -1;
	struct stat lst, st;
	int r;

	/* lstat first: a device or FIFO is refused before it is opened. */
	if (lstat(spec->arg, &lst) < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "secret %s: %s", s->name, spec->arg);
	if (S_ISLNK(lst.st_mode))
		return ward_err_set(err, WARD_STEP_SECRETS, ELOOP, "secret %s: %s is a symlink; name the file itself",
				  s->name, spec->arg);
	if (!S_ISREG(lst.st_mode))
		return ward_err_set(err, WARD_STEP_SECRETS, EINVAL,
				  "secret %s: %s is not a regular file (pass a pipe as fd:N)",
				  s->name, spec->arg);
	fd = open(spec->arg, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "secret %s: open %s", s->name, spec->arg);
	if (fstat(fd, &st) < 0)
		return ward_err_set(err, WARD_STEP_SECRETS, errno, "secret %s: fstat %s", s->name, spec->arg);
	if (!S_ISREG(st.st_mode) || st.st_dev != lst.st_dev || st.st_ino != lst.st_ino)
		return ward_err_set(err, WARD_STEP_SECRETS, EAGAIN, "secret %s: %s changed while it was opened; refusing",
				  s->name, spec->arg);
	if ((r = ward_secret_read_fd(s, fd, spec->arg, &st, err)) < 0)
		return r;
	warn_inside_rootfs(s, spec->arg, rootfs);
	return 0;
}

/* fd:N and env:VAR until ward_launch_prepare reads them: what ward check
 * and explain see.  Reading them here would use up a pipe or scrub the
 * caller's environment for a run that may never happen. */
static const char standin[] = "(not read)";

int ward_secret_resolve(const struct ward_secret_spec *spec, const char *rootfs,
			struct ward_secret *out, struct ward_err *err)
{
	char origin[4200];
	int r;

	memset(out, 0, sizeof(*out));
	memcpy(out->name, spec->name, sizeof(out->name));
	out->source = spec->source;
	if (spec->source == WARD_SECRET_SRC_FD)
		snprintf(origin, sizeof(origin), "fd:%d", spec->fd);
	else
		snprintf(origin, sizeof(origin), "%s%s",
			 spec->source == WARD_SECRET_SRC_ENV ? "env:" : "", spec->arg);
	if (!(out->origin = strdup(origin)))
		return ward_err_set(err, WARD_STEP_SECRETS, ENOMEM, "strdup");
	r = spec->source == WARD_SECRET_SRC_FILE ?
	    load_file(spec, rootfs, out, err) :
	    ward_secret_set_value(out, standin, sizeof(standin) - 1, err);
	if (r == 0)
		r = ward_secret_seal(out, err);
	if (r < 0)
		ward_secret_release(out);
	return r;
}

/* ---- resolution ----------------------------------------------------------- */

static size_t name_len(const char *spec)
{
	return strcspn(spec, "=");
}

/* A secret named again later: the command line overrides a profile;
 * any other repetition is a mistake. */
static int overridden(const struct ward_plan_builder *b, size_t i, bool *skip,
		      struct ward_err *err)
{
	size_t n = name_len(b->secrets[i]);

	*skip = false;
	for (size_t j = i + 1; j < b->nsecrets; j++) {
		if (name_len(b->secrets[j]) != n || strncmp(b->secrets[i], b->secrets[j], n))
			continue;
		if (b->where_secrets[i] && !b->where_secrets[j]) {
			*skip = true;
			return 0;
		}
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "%ssecret %.*s given twice (first at %s)",
				    b->where_secrets[j] ? b->where_secrets[j] : "", (int)n,
				    b->secrets[i],
				    b->where_secrets[i] ? b->where_secrets[i] : "the command line");
	}
	return 0;
}

/* ward mounts its own tmpfs at /run/secrets: a bind or tmpfs there, above
 * it (a host directory at /run would receive the mount point) or below
 * it would be hidden or written to. */
static int check_conflicts(const struct ward_plan *plan, struct ward_err *err)
{
	const char *d = WARD_SECRETS_DIR;

	for (size_t i = 0; i < plan->nbinds; i++)
		if (ward_path_is_beneath(d, plan->binds[i].dst) ||
		    ward_path_is_beneath(plan->binds[i].dst, d))
			return ward_err_set(err, WARD_STEP_PLAN, 0,
					    "--bind to %s: %s is ward's own tmpfs for secrets; bind elsewhere",
					    plan->binds[i].dst, d);
	for (size_t i = 0; i < plan->ntmpfs; i++)
		if (ward_path_is_beneath(plan->tmpfs[i].dst, d))
			return ward_err_set(err, WARD_STEP_PLAN, 0,
					    "--tmpfs %s: %s is ward's own tmpfs for secrets",
					    plan->tmpfs[i].dst, d);
	return 0;
}

/* "file:line:col: " of a directive, kept for the messages of
 * ward_launch_prepare (NULL: the command line). */
static int keep_where(char **slot, const char *where, struct ward_err *err)
{
	if (!where || !*where || *slot)
		return 0;
	*slot = strdup(where);
	return *slot ? 0 : ward_err_set(err, WARD_STEP_SECRETS, ENOMEM, "strdup");
}

static int load_all(const struct ward_plan_builder *b, struct ward_plan *plan,
		    struct ward_err *err)
{
	struct ward_secret_spec spec;
	struct ward_secret *s;
	bool skip;
	int r;

	for (size_t i = 0; i < b->nsecrets; i++) {
		if ((r = overridden(b, i, &skip, err)) < 0)
			return r;
		if (skip)
			continue;
		s = &plan->secrets[plan->nsecrets];
		if ((r = ward_secret_parse_spec(b->secrets[i], &spec, err)) < 0 ||
		    (r = ward_secret_resolve(&spec, plan->rootfs, s, err)) < 0)
			return ward_err_wrap(err, "%s", b->where_secrets[i] ? b->where_secrets[i] : "");
		plan->nsecrets++;
		if ((r = keep_where(&s->where, b->where_secrets[i], err)) < 0)
			return r;
	}
	return 0;
}

static struct ward_secret *find(struct ward_plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->nsecrets; i++)
		if (strcmp(plan->secrets[i].name, name) == 0)
			return &plan->secrets[i];
	return NULL;
}

/* secret-env NAME: env[] gets a pointer to the mapping's "NAME=VALUE". */
static int export_one(struct ward_plan *plan, const char *name, const char *where,
		      struct ward_err *err)
{
	struct ward_secret *s = find(plan, name);
	size_t n = strlen(name);
	int r;

	if (!s)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "%ssecret-env %s: no secret of that name (secret %s=SOURCE)",
				    where, name, name);
	if (s->env)
		return 0;
	/* an fd: or env: value is checked when it is read (prepare.c) */
	if (memchr(ward_secret_value(s), '\0', s->len))
		return ward_err_set(err, WARD_STEP_SECRETS, EINVAL,
				    "%ssecret-env %s: the value holds a NUL byte and cannot be a variable",
				    where, name);
	for (size_t i = 0; i < plan->nenv; i++)
		if (strncmp(plan->env[i], name, n) == 0 && plan->env[i][n] == '=')
			return ward_err_set(err, WARD_STEP_PLAN, 0,
					    "%ssecret-env %s: --env %s is given too", where, name, name);
	if (plan->nenv == WARD_MAX_ENV)
		return ward_err_set(err, WARD_STEP_PLAN, 0, "%ssecret-env %s: too many variables",
				    where, name);
	if ((r = keep_where(&s->where_env, where, err)) < 0)
		return r;
	s->env = true;
	plan->env[plan->nenv++] = s->map;
	plan->env[plan->nenv] = NULL;
	plan->nenv_secret++;
	return 0;
}

int ward_plan_resolve_secrets(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err)
{
	int r;

	if (b->nsecrets && (r = check_conflicts(plan, err)) < 0)
		return r;
	if ((r = load_all(b, plan, err)) < 0)
		return r;
	for (size_t i = 0; i < b->nsecret_env; i++)
		if ((r = export_one(plan, b->secret_env[i],
				    b->where_secret_env[i] ? b->where_secret_env[i] : "",
				    err)) < 0)
			return r;
	return 0;
}

static void free_list(char **v, char **where, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i]);
		free(where[i]);
	}
}

void ward_plan_free_secrets(struct ward_plan_builder *b, struct ward_plan *plan)
{
	if (b) {
		free_list(b->secrets, b->where_secrets, b->nsecrets);
		free_list(b->secret_env, b->where_secret_env, b->nsecret_env);
		b->nsecrets = b->nsecret_env = 0;
	}
	if (!plan)
		return;
	/* env[]'s secret entries point into the mappings: not free()d. */
	plan->nenv -= plan->nenv_secret;
	for (size_t i = 0; i < plan->nenv_secret; i++)
		plan->env[plan->nenv + i] = NULL;
	plan->nenv_secret = 0;
	for (size_t i = 0; i < plan->nsecrets; i++)
		ward_secret_release(&plan->secrets[i]);
	plan->nsecrets = 0;
}
