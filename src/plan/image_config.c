/* The image's config under the command line: argv, user, environment
 * (image_config.h).  Pure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret_shapes.h"
#include "base/util.h"
#include "plan/image_config.h"

static size_t count_words(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

int ward_plan_image_argv(const struct ward_image_config *c,
			 const char *entrypoint, char *const *cmd,
			 char ***out, struct ward_err *err)
{
	size_t nentry = entrypoint ? (*entrypoint ? 1 : 0) : c->nentrypoint;
	size_t ncmd = cmd ? count_words(cmd) : entrypoint ? 0 : c->ncmd;
	size_t n = 0;
	char **argv;

	*out = NULL;
	if (nentry + ncmd == 0)
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "the image has no %s to run: give a command after --: ward run --image FILE -- CMD [ARG...]",
				    entrypoint ? "entrypoint (--entrypoint '' cleared it) and no command"
					       : "Entrypoint and no Cmd");
	argv = calloc(nentry + ncmd + 1, sizeof(*argv));
	if (!argv)
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "calloc");
	if (entrypoint && *entrypoint)
		argv[n++] = (char *)entrypoint;
	for (size_t i = 0; !entrypoint && i < nentry; i++)
		argv[n++] = c->entrypoint[i];
	for (size_t i = 0; i < ncmd; i++)
		argv[n++] = cmd ? cmd[i] : c->cmd[i];
	*out = argv;
	return 0;
}

void ward_plan_image_argv_free(char **argv)
{
	free(argv); /* the strings are borrowed */
}

bool ward_plan_image_user_is_default(const char *user)
{
	size_t n;
	uint32_t v;
	char uid[64];

	if (!user || !*user)
		return true;
	n = strcspn(user, ":");
	if (n >= sizeof(uid))
		return false;
	memcpy(uid, user, n);
	uid[n] = '\0';
	return strcmp(uid, "root") == 0 || (ward_parse_u32(uid, &v) == 0 && v == 0);
}

static bool passed(const char *kv, char *const *pass, size_t npass)
{
	size_t n = strcspn(kv, "=");

	for (size_t i = 0; i < npass; i++)
		if (strlen(pass[i]) == n && strncmp(pass[i], kv, n) == 0)
			return true;
	return false;
}

static void add_name(char *list, size_t len, const char *kv)
{
	size_t used = strlen(list), n = strcspn(kv, "=");

	if (len < 8 || used + 4 >= len)
		return;
	if (used + n + 2 + 4 >= len) { /* no room left: say so once */
		if (used < 3 || strcmp(list + used - 3, "..."))
			strcpy(list + used, used ? ",..." : "...");
		return;
	}
	if (used)
		list[used++] = ',';
	memcpy(list + used, kv, n);
	list[used + n] = '\0';
}

size_t ward_plan_image_env(const struct ward_image_config *c,
			   char *const *pass, size_t npass,
			   const char **keep, size_t max,
			   char *withheld, size_t wlen)
{
	size_t kept = 0;

	if (wlen)
		*withheld = '\0';
	for (size_t i = 0; i < c->nenv && kept < max; i++) {
		const char *kv = c->env[i];
		const char *eq = strchr(kv, '=');

		if (!eq || !ward_env_name_valid(kv, (size_t)(eq - kv)))
			continue;
		if (ward_secret_env_looks_secret(kv) && !passed(kv, pass, npass)) {
			add_name(withheld, wlen, kv);
			continue;
		}
		keep[kept++] = kv;
	}
	return kept;
}
