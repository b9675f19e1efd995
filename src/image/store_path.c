/* Where the image cache lives (store.h); apart from the store itself so
 * that the static build, which runs no images, still refuses a sandbox
 * that could write the cache the regular ward trusts. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "image/store.h"

/* Every error of the cache's own gets this hint rather than the image
 * step's (which speaks of archives). */
int ward_image_store_hint(struct ward_err *err, int r)
{
	ward_err_hint(err, "the image cache (ward-image(1)) must be your own directory, closed to others");
	return r;
}

/* ---- where ------------------------------------------------------------------------- */

static int base_dir(char *buf, size_t len, struct ward_err *err)
{
	const char *env = getenv("WARD_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (env) {
		if (env[0] != '/')
			return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, EINVAL,
					    "image cache: WARD_CACHE_DIR=%s is not an absolute path; images need a cache: set it to one, or unset it",
					    env));
		n = snprintf(buf, len, "%s", env);
	} else if (geteuid() == 0) {
		n = snprintf(buf, len, "/var/cache/ward");
	} else if (xdg && xdg[0] == '/') {
		n = snprintf(buf, len, "%s/ward", xdg);
	} else {
		struct passwd *pw = (!home || home[0] != '/') ? getpwuid(geteuid()) : NULL;

		if (pw && pw->pw_dir && pw->pw_dir[0] == '/')
			home = pw->pw_dir;
		if (!home || home[0] != '/')
			return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
					    "image cache: no home directory for uid %u; set WARD_CACHE_DIR or XDG_CACHE_HOME to an absolute path",
					    (unsigned)geteuid()));
		n = snprintf(buf, len, "%s/.cache/ward", home);
	}
	if (n < 0 || (size_t)n >= len)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, ENAMETOOLONG,
				    "image cache: the cache directory's path is too long"));
	return 0;
}

int ward_image_store_path(char *buf, size_t len, struct ward_err *err)
{
	char base[PATH_MAX];
	int r = base_dir(base, sizeof(base), err);

	if (r < 0)
		return r;
	/* strip trailing slashes: "/" + "images" reads better than "//images" */
	for (size_t n = strlen(base); n > 1 && base[n - 1] == '/'; n--)
		base[n - 1] = '\0';
	if ((size_t)snprintf(buf, len, "%s%simages", base,
			     strcmp(base, "/") ? "/" : "") >= len)
		return ward_image_store_hint(err, ward_err_set(err, WARD_STEP_IMAGE, ENAMETOOLONG,
				    "image cache: the cache directory's path is too long"));
	return 0;
}

bool ward_image_cache_exposed(const char *path)
{
	char dir[PATH_MAX];
	struct ward_err err = {0};

	return ward_image_store_path(dir, sizeof(dir), &err) == 0 &&
	       ward_path_overlaps_dir(path, dir);
}

