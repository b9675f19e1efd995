/* Which directories root takes profiles from by name.
 *
 * A profile decides what a sandbox may do.  When ward runs as root, a
 * profile found by name in the search path must therefore come from a
 * place only root controls: every directory from / down to the search-path
 * entry owned by root and writable by neither group nor others (the rule
 * sudo applies to sudoers), none of them a symlink.  Each directory is
 * opened with O_PATH|O_NOFOLLOW relative to its parent's fd and checked
 * with fstat, so what is checked is what is used: the profile is then
 * opened relative to the last directory's fd.  An entry that fails is
 * skipped, with its reason.  Other callers search as before. */
#ifndef WARD_PROFILE_TRUST_H
#define WARD_PROFILE_TRUST_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define WARD_PROFILE_SEARCH_MAX 4
#define WARD_PROFILE_WHY_MAX (PATH_MAX + 64)

/* True when @st, the directory or file at @path, is owned by root and
 * writable by neither group nor others.  Otherwise false, with @why
 * saying which ("PATH is owned by uid N", "PATH is writable by others",
 * "PATH is writable by its group").  Pure. */
bool ward_profile_owner_trusted(const struct stat *st, const char *path,
				char *why, size_t len);

/* Walk @rel ('/'-separated, relative) down from the directory @startfd,
 * which people know as @start ("/" for the root).  @startfd itself and
 * every component are checked with ward_profile_owner_trusted; each
 * component is opened with O_PATH|O_NOFOLLOW relative to the one before.
 * On success *dirfd is an O_PATH fd of the last directory.  Returns 0;
 * -ENOENT or -ENOTDIR when a component is missing or not a directory;
 * -EPERM with @why naming the first component that is a symlink or not
 * trusted; another -errno.  @startfd is borrowed. */
int ward_profile_walk_at(int startfd, const char *start, const char *rel,
			 int *dirfd, char *why, size_t len);

enum ward_profile_dir_state {
	WARD_PROFILE_DIR_USED,    /* searched */
	WARD_PROFILE_DIR_ABSENT,  /* not there */
	WARD_PROFILE_DIR_SKIPPED, /* there, but not trusted (root only) */
};

/* One search-path entry. */
struct ward_profile_dir {
	char name[PATH_MAX];  /* as searched: "profiles", "/etc/ward/profiles" */
	char shown[PATH_MAX]; /* absolute, for people */
	enum ward_profile_dir_state state;
	int fd;               /* trusted directory (root): O_PATH fd; else -1 */
	char why[WARD_PROFILE_WHY_MAX]; /* skipped: why */
	bool noticed;         /* the skip was reported */
};

struct ward_profile_search {
	bool trust; /* ward runs as root: only trusted entries are searched */
	int n;
	struct ward_profile_dir dir[WARD_PROFILE_SEARCH_MAX];
};

/* The search path, in order: ./profiles, $XDG_CONFIG_HOME/ward/profiles
 * (or ~/.config/ward/profiles), /etc/ward/profiles, the installed share
 * directory.  With @trust (root), each entry is walked from / and kept
 * only if trusted; otherwise an entry is USED when it is a directory now
 * (the lookups try every entry by path, as they always did).  Returns a
 * heap object, or NULL when memory ran out. */
struct ward_profile_search *ward_profile_search_new(bool trust);
void ward_profile_search_free(struct ward_profile_search *s);

#endif
