/* Which directories root takes profiles from by name (see
 * ward/profile_trust.h): the walk from / and the search path. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "plan/profile_trust.h"

#ifndef WARD_SHAREDIR
#define WARD_SHAREDIR "/usr/local/share/ward"
#endif

bool ward_profile_owner_trusted(const struct stat *st, const char *path,
				char *why, size_t len)
{
	if (st->st_uid != 0)
		snprintf(why, len, "%s is owned by uid %u", path,
			 (unsigned)st->st_uid);
	else if (st->st_mode & S_IWOTH)
		snprintf(why, len, "%s is writable by others", path);
	else if (st->st_mode & S_IWGRP)
		snprintf(why, len, "%s is writable by its group", path);
	else
		return true;
	return false;
}

/* The next component of *@p into @comp, skipping empty ones and ".".
 * Returns 1, 0 at the end, or -ENAMETOOLONG. */
static int next_component(const char **p, char comp[NAME_MAX + 1])
{
	for (;;) {
		const char *s = *p;
		size_t n;

		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		*p = s + n;
		if (n == 0)
			return 0;
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(comp, s, n);
		comp[n] = '\0';
		if (strcmp(comp, ".") != 0)
			return 1;
	}
}

/* @shown + "/" + @comp, for messages. */
static void append_shown(char *shown, size_t len, const char *comp)
{
	size_t used = strlen(shown);

	snprintf(shown + used, len - used, "%s%s",
		 used && shown[used - 1] == '/' ? "" : "/", comp);
}

int ward_profile_walk_at(int startfd, const char *start, const char *rel,
			 int *dirfd, char *why, size_t len)
{
	_cleanup_close_ int cur = fcntl(startfd, F_DUPFD_CLOEXEC, 0);
	char shown[PATH_MAX], comp[NAME_MAX + 1];
	struct stat st;
	int r;

	snprintf(shown, sizeof(shown), "%s", start);
	if (cur < 0 || fstat(cur, &st) < 0)
		return -errno;
	if (!ward_profile_owner_trusted(&st, shown, why, len))
		return -EPERM;
	while ((r = next_component(&rel, comp)) > 0) {
		_cleanup_close_ int fd = openat(cur, comp,
						O_PATH | O_NOFOLLOW | O_CLOEXEC);

		append_shown(shown, sizeof(shown), comp);
		if (fd < 0 || fstat(fd, &st) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode)) {
			snprintf(why, len, "%s is a symlink", shown);
			return -EPERM;
		}
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		if (!ward_profile_owner_trusted(&st, shown, why, len))
			return -EPERM;
		close(cur);
		cur = TAKE_FD(fd);
	}
	if (r < 0)
		return r;
	*dirfd = TAKE_FD(cur);
	return 0;
}

/* An entry's name; a name too long to hold is left empty (the entry is
 * then absent). */
static void set_name(struct ward_profile_dir *d, const char *a, const char *b)
{
	if (snprintf(d->name, sizeof(d->name), "%s%s", a, b) >=
	    (int)sizeof(d->name))
		d->name[0] = '\0';
	memcpy(d->shown, d->name, sizeof(d->shown));
}

/* The entries' names, and their absolute forms for people (the working
 * directory's entry has none when getcwd fails). */
static void fill_names(struct ward_profile_search *s)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	struct ward_profile_dir *d = s->dir;
	char cwd[PATH_MAX];

	set_name(&d[0], "profiles", "");
	d[0].shown[0] = '\0';
	if (getcwd(cwd, sizeof(cwd)) && cwd[0] == '/' &&
	    snprintf(d[0].shown, sizeof(d[0].shown), "%s%sprofiles", cwd,
		     strcmp(cwd, "/") == 0 ? "" : "/") >= (int)sizeof(d[0].shown))
		d[0].shown[0] = '\0';
	s->n = 1;
	if (xdg && *xdg == '/')
		set_name(&d[s->n++], xdg, "/ward/profiles");
	else if (home && *home == '/')
		set_name(&d[s->n++], home, "/.config/ward/profiles");
	set_name(&d[s->n++], "/etc/ward/profiles", "");
	set_name(&d[s->n++], WARD_SHAREDIR, "/profiles");
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Root: walk the entry from /.  A directory that is there but fails the
 * walk is skipped with the reason; whether it is there at all is asked
 * by path only to choose between "absent" and "skipped" (that answer is
 * for people, never for trust). */
static void walk_entry(struct ward_profile_dir *d, int rootfd)
{
	int r;

	if (!d->shown[0]) {
		/* getcwd failed: nothing to walk. */
		memcpy(d->shown, d->name, sizeof(d->shown));
		snprintf(d->why, sizeof(d->why),
			 "the working directory has no absolute path");
		d->state = is_dir(d->name) ? WARD_PROFILE_DIR_SKIPPED
					   : WARD_PROFILE_DIR_ABSENT;
		return;
	}
	r = rootfd < 0 ? -EBADF
		       : ward_profile_walk_at(rootfd, "/", d->shown + 1, &d->fd,
					      d->why, sizeof(d->why));
	if (r == 0)
		d->state = WARD_PROFILE_DIR_USED;
	else if (r == -ENOENT || r == -ENOTDIR || !is_dir(d->shown))
		d->state = WARD_PROFILE_DIR_ABSENT;
	else
		d->state = WARD_PROFILE_DIR_SKIPPED;
	if (r < 0 && r != -EPERM) {
		char why[sizeof(d->why)];

		snprintf(why, sizeof(why), "%s: %s", d->shown, strerror(-r));
		memcpy(d->why, why, sizeof(d->why));
	}
}

struct ward_profile_search *ward_profile_search_new(bool trust)
{
	struct ward_profile_search *s = calloc(1, sizeof(*s));
	_cleanup_close_ int rootfd = -1;

	if (!s)
		return NULL;
	s->trust = trust;
	fill_names(s);
	if (trust)
		rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (int i = 0; i < s->n; i++) {
		struct ward_profile_dir *d = &s->dir[i];

		d->fd = -1;
		if (!d->name[0]) {
			d->state = WARD_PROFILE_DIR_ABSENT;
			continue;
		}
		if (trust) {
			walk_entry(d, rootfd);
			continue;
		}
		if (!d->shown[0])
			memcpy(d->shown, d->name, sizeof(d->shown));
		d->state = is_dir(d->name) ? WARD_PROFILE_DIR_USED
					   : WARD_PROFILE_DIR_ABSENT;
	}
	return s;
}

void ward_profile_search_free(struct ward_profile_search *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++)
		if (s->dir[i].fd >= 0)
			close(s->dir[i].fd);
	free(s);
}
