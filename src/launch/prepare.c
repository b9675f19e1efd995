/* The effects of a launch, in one place, before clone: see
 * launch/prepare.h.  The plan (plan/) only reads; what uses something up
 * or leaves a trace is here: the filter cache's directory and entry, an
 * fd: secret's pipe, an env: secret's variable. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "launch/listen.h"
#include "launch/notify.h"
#include "launch/etc_files.h"
#include "launch/prepare.h"
#include "seccomp/cache.h"

extern char **environ;

static int secret_err(struct ward_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int secret_err(struct ward_err *err, int errnum, const char *fmt, ...)
{
	char msg[WARD_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ward_err_set(err, WARD_STEP_SECRETS, errnum, "%s", msg);
}

/* ---- fd:N ------------------------------------------------------------------ */

/* The descriptor is consumed: closed, so that nothing started later
 * inherits it; stdin is pointed at /dev/null instead, so that fd 0
 * never gets reused for something else. */
static int consume_fd(int fd, struct ward_secret *s, struct ward_err *err)
{
	_cleanup_close_ int null = -1;

	if (fd != 0)
		return close(fd) < 0 && errno != EINTR ?
		       secret_err(err, errno, "secret %s: close fd %d", s->name, fd) : 0;
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0)
		return secret_err(err, errno, "secret %s: pointing stdin at /dev/null", s->name);
	return 0;
}

static int load_fd(const struct ward_secret_spec *spec, struct ward_secret *s,
		   struct ward_err *err)
{
	char path[64], link[PATH_MAX];
	struct stat st;
	ssize_t n;
	int r;

	if (fstat(spec->fd, &st) < 0)
		return secret_err(err, errno, "secret %s: fd:%d is not open (given twice?)",
				  s->name, spec->fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", spec->fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0)
		link[n] = '\0';
	else
		snprintf(link, sizeof(link), "fd %d", spec->fd);
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		return secret_err(err, EINVAL,
				  "secret %s: fd:%d is %s; give a pipe or a regular file",
				  s->name, spec->fd,
				  S_ISCHR(st.st_mode) ? "a terminal or device" :
				  S_ISSOCK(st.st_mode) ? "a socket" : "neither a pipe nor a file");
	if ((r = ward_secret_read_fd(s, spec->fd, link, &st, err)) < 0)
		return r;
	return consume_fd(spec->fd, s, err);
}

/* ---- env:VAR ----------------------------------------------------------------- */

/* Take VAR out of ward's environment, and zero its bytes where they
 * were: /proc/PID/environ of ward (and of its clone, the sandbox's pid
 * 1) reads that very memory. */
static void scrub_env(const char *var)
{
	size_t n = strlen(var), k = 0;
	char *seen[16];

	for (char **e = environ; e && *e && k < 16; e++)
		if (strncmp(*e, var, n) == 0 && (*e)[n] == '=')
			seen[k++] = *e;
	unsetenv(var);
	for (size_t i = 0; i < k; i++)
		explicit_bzero(seen[i], strlen(seen[i]));
}

static int load_env(const struct ward_secret_spec *spec, struct ward_secret *s,
		    struct ward_err *err)
{
	const char *v = getenv(spec->arg);
	size_t len;
	int r;

	if (!v)
		return secret_err(err, ENOENT, "secret %s: env:%s is not set (given twice?)",
				  s->name, spec->arg);
	len = strlen(v);
	if (len > WARD_SECRET_MAX_BYTES)
		return secret_err(err, EFBIG, "secret %s: env:%s is larger than %u bytes",
				  s->name, spec->arg, WARD_SECRET_MAX_BYTES);
	if ((r = ward_secret_set_value(s, v, len, err)) < 0)
		return r;
	scrub_env(spec->arg);
	return 0;
}

/* ---- secrets ------------------------------------------------------------------ */

/* @s's stand-in replaced by the value of its fd: or env: source. */
static int read_source(const struct ward_secret_spec *spec, struct ward_secret *s,
		       struct ward_err *err)
{
	int r = spec->source == WARD_SECRET_SRC_FD ? load_fd(spec, s, err)
						   : load_env(spec, s, err);

	return r < 0 ? r : ward_secret_seal(s, err);
}

int ward_secret_load(const struct ward_secret_spec *spec, const char *rootfs,
		     struct ward_secret *out, struct ward_err *err)
{
	int r = ward_secret_resolve(spec, rootfs, out, err);

	if (r < 0 || spec->source == WARD_SECRET_SRC_FILE)
		return r;
	if ((r = read_source(spec, out, err)) < 0)
		ward_secret_release(out);
	return r;
}

/* The secret-env entry of env[] that holds @s's "NAME=VALUE", or NULL. */
static char **env_entry(struct ward_plan *plan, const struct ward_secret *s)
{
	for (size_t i = plan->nenv - plan->nenv_secret; s->env && i < plan->nenv; i++)
		if (plan->env[i] == s->map)
			return &plan->env[i];
	return NULL;
}

/* One fd: or env: secret of the plan, its source given again as it was
 * written ("NAME=fd:N", "NAME=env:VAR"). */
static int read_planned(struct ward_plan *plan, struct ward_secret *s,
			struct ward_err *err)
{
	char text[WARD_SECRET_NAME_MAX + 2 + sizeof(((struct ward_secret_spec *)0)->arg)];
	char **entry = env_entry(plan, s);
	struct ward_secret_spec spec;
	int r;

	snprintf(text, sizeof(text), "%s=%s", s->name, s->origin);
	r = ward_secret_parse_spec(text, &spec, err);
	if (r == 0)
		r = read_source(&spec, s, err);
	if (entry)
		*entry = s->map; /* the value moved to a mapping of its own */
	return r < 0 ? ward_err_wrap(err, "%s", s->where ? s->where : "") : 0;
}

/* What the plan checks for a file's value (plan/secrets.c), in the order
 * of the secret-env lines. */
static int check_env_values(const struct ward_plan *plan, struct ward_err *err)
{
	for (size_t i = plan->nenv - plan->nenv_secret; i < plan->nenv; i++)
		for (size_t j = 0; j < plan->nsecrets; j++) {
			const struct ward_secret *s = &plan->secrets[j];

			if (s->map != plan->env[i] || s->source == WARD_SECRET_SRC_FILE ||
			    !memchr(ward_secret_value(s), '\0', s->len))
				continue;
			return ward_err_set(err, WARD_STEP_SECRETS, EINVAL,
					    "%ssecret-env %s: the value holds a NUL byte and cannot be a variable",
					    s->where_env ? s->where_env : "", s->name);
		}
	return 0;
}

/* ---- the filter ------------------------------------------------------------------ */

static void store_filter(struct ward_plan *plan)
{
	if (plan->seccomp_cache != WARD_SECCOMP_CACHE_MISS)
		return;
	plan->seccomp_cache = (int)ward_seccomp_cache_store(plan->seccomp_recipe,
							    plan->seccomp_recipe_len,
							    &plan->seccomp_prog);
	free(plan->seccomp_recipe);
	plan->seccomp_recipe = NULL;
}

/* ---- the order --------------------------------------------------------------------- */

int ward_launch_prepare(struct ward_plan *plan, struct ward_err *err)
{
	int r;

	if (plan->prepared)
		return ward_err_set(err, WARD_STEP_PLAN, EALREADY,
				    "the plan was prepared already (an fd: secret is read once)");
	/* The cache first: it never stops a launch; a secret may. */
	store_filter(plan);
	for (size_t i = 0; i < plan->nsecrets; i++)
		if (plan->secrets[i].source != WARD_SECRET_SRC_FILE &&
		    (r = read_planned(plan, &plan->secrets[i], err)) < 0)
			return r;
	if ((r = check_env_values(plan, err)) < 0 ||
	    (r = ward_listen_prepare(plan, err)) < 0 ||
	    (r = ward_notify_prepare(plan, err)) < 0 ||
	    (r = ward_etc_read_host(plan, err)) < 0)
		return r;
	plan->prepared = true;
	return 0;
}

int ward_launch_check_prepared(const struct ward_plan *plan,
			       struct ward_err *err)
{
	if (plan->prepared)
		return 0;
	return ward_err_set(err, WARD_STEP_PLAN, EINVAL,
			    "the plan was not prepared for a launch (ward_launch_prepare): "
			    "its fd: and env: secrets are not read");
}
