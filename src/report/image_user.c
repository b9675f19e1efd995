/* ward check --image: who the image's program runs as (the image.user
 * row, and the "user" of --json's "image" object).
 *
 * The config's USER says it, unless the command (ENTRYPOINT, then CMD)
 * is `ward run ...`: ward then switches to its --user (or the user its
 * --profile names, or its default user) before the program starts, and
 * never runs a program as root, whatever USER says.  That rests on the
 * entrypoint's word: the audit sees a file named ward, not what it
 * does, so the row says so. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/image_report.h"
#include "report/report_text.h"
#include "kernel/userdb.h"
#include "base/util.h"
#include "plan/cli.h"

/* ward's default user when no --user or profile names one (DEFAULT_ID
 * in plan/resolve.c). */
#define WARD_DEFAULT_UID 10001u

const struct ward_image_content *ward_image_userdb(const struct ward_image *img,
						  const char *path)
{
	struct ward_image_node_info info;

	if (!ward_image_tree_lookup(img->tree, path, &info) || !info.content ||
	    (info.content->kind != WARD_IMAGE_C_PASSWD &&
	     info.content->kind != WARD_IMAGE_C_GROUP))
		return NULL;
	return info.content;
}

/* USER or --user @user ("name", "uid", "name:group", "uid:gid"),
 * resolved in the final tree's /etc/passwd; empty is root. */
static enum ward_image_who resolve_spec(const struct ward_image *img,
					const char *user, uint32_t *uid,
					uint32_t *gid, bool *gid_known)
{
	const struct ward_image_content *pw = ward_image_userdb(img, "etc/passwd");
	char name[256], *colon;
	uid_t u;
	gid_t g;

	*gid_known = false;
	if (!user || !*user) {
		*uid = *gid = 0;
		*gid_known = true;
		return WHO_ROOT;
	}
	snprintf(name, sizeof(name), "%s", user);
	colon = strchr(name, ':');
	if (colon) {
		*colon++ = '\0';
		if (ward_parse_u32(colon, gid) == 0)
			*gid_known = true;
	}
	if (ward_parse_u32(name, uid) == 0)
		return *uid == 0 ? WHO_ROOT : WHO_USER;
	if (strcmp(name, "root") == 0) {
		*uid = 0;
		return WHO_ROOT;
	}
	if (!pw || ward_userdb_parse_passwd(pw->text, pw->len, name, &u, &g) < 0)
		return WHO_UNKNOWN;
	*uid = u;
	if (!*gid_known) {
		*gid = g;
		*gid_known = true;
	}
	return u == 0 ? WHO_ROOT : WHO_USER;
}

enum ward_image_who ward_image_resolve_user(const struct ward_image *img,
					    uint32_t *uid, uint32_t *gid,
					    bool *gid_known)
{
	return resolve_spec(img, img->meta.config.user, uid, gid, gid_known);
}

/* argv[0] (the option at hand, @words long) is --NAME: its value. */
static const char *value_of(char **argv, int words, const char *name)
{
	size_t k = strlen(name);

	if (strncmp(argv[0], "--", 2) != 0 || strncmp(argv[0] + 2, name, k) != 0)
		return NULL;
	if (words == 1 && argv[0][k + 2] == '=')
		return argv[0] + k + 3;
	return words == 2 && argv[0][k + 2] == '\0' ? argv[1] : NULL;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* The options of `ward run` in @argv (@n words), read as ward reads
 * them: up to "--", the program, or a word ward would refuse. */
static void ward_options(char **argv, int n, struct ward_image_runner *run)
{
	int words;

	for (int i = 2; i < n && (words = ward_cli_option_words(n - i, argv + i)) > 0;
	     i += words) {
		const char *v;

		if ((v = value_of(argv + i, words, "user")))
			run->user = v;
		else if ((v = value_of(argv + i, words, "profile")))
			run->profile = v;
		else if ((v = value_of(argv + i, words, "mode")))
			run->mode = v;
	}
}

/* The command Docker runs: ENTRYPOINT followed by CMD, or CMD alone. */
static void ward_entrypoint(const struct ward_image_config *c,
			    struct ward_image_runner *run)
{
	char *argv[64];
	int n = 0;

	for (size_t i = 0; i < c->nentrypoint && n < 64; i++)
		argv[n++] = c->entrypoint[i];
	for (size_t i = 0; i < c->ncmd && n < 64; i++)
		argv[n++] = c->cmd[i];
	if (n < 2 || strcmp(base_name(argv[0]), "ward") != 0 ||
	    strcmp(argv[1], "run") != 0)
		return;
	run->by_ward = true;
	run->ward = argv[0];
	ward_options(argv, n, run);
}

void ward_image_runner(const struct ward_image *img, struct ward_image_runner *run)
{
	memset(run, 0, sizeof(*run));
	ward_entrypoint(&img->meta.config, run);
	if (!run->by_ward)
		run->user = img->meta.config.user;
	if (!run->by_ward || run->user) {
		run->who = resolve_spec(img, run->user, &run->uid, &run->gid,
					&run->gid_known);
		run->uid_known = run->who != WHO_UNKNOWN;
	} else if (run->profile) {
		run->who = WHO_USER; /* the profile's, never root: not read here */
	} else {
		run->who = WHO_USER;
		run->uid = run->gid = WARD_DEFAULT_UID;
		run->uid_known = run->gid_known = true;
	}
}

static const char user_fix[] =
	"add USER 10001 (a non-root uid) to the Dockerfile, or make ward the ENTRYPOINT: [\"ward\", \"run\", \"--mode\", \"entrypoint\", \"--user\", \"10001\", \"--\", ...]";

/* The row when `ward run` is the command. */
static void row_user_ward(const struct ward_image_runner *run, struct ward_report *r)
{
	char user[64], path[96], profile[96], mode[64] = "";
	struct ward_text t = {0};

	ward_image_escape(run->ward, path, sizeof(path));
	ward_image_escape(run->user ? run->user : "", user, sizeof(user));
	ward_image_escape(run->profile ? run->profile : "", profile, sizeof(profile));
	if (run->mode) {
		char m[48];

		ward_image_escape(run->mode, m, sizeof(m));
		snprintf(mode, sizeof(mode), " --mode %s", m);
	}
	ward_text_add(&t, "the command runs %s run%s", path, mode);
	if (run->who == WHO_USER && run->user)
		ward_text_add(&t, " --user %s: ward switches to uid %" PRIu32
			      " before the program starts", user, run->uid);
	else if (run->who == WHO_USER && run->profile)
		ward_text_add(&t, " --profile %s: ward switches to the user the profile names (not read here; ward never runs a program as root)",
			      profile);
	else if (run->who == WHO_USER)
		ward_text_add(&t, " without --user: ward switches to its default uid %" PRIu32,
			      run->uid);
	else if (run->who == WHO_ROOT)
		ward_text_add(&t, " --user %s: uid 0, which ward refuses: the program does not start",
			      user);
	else
		ward_text_add(&t, " --user %s: not in the image's /etc/passwd: ward refuses to start",
			      user);
	ward_text_add(&t, "; on the entrypoint's word: the audit cannot prove that %s is ward",
		      path);
	if (run->who == WHO_USER)
		ward_report_add(r, "image.user", true, 0, NULL, "%s", t.s);
	else
		ward_report_add(r, "image.user", false, 0.5,
				"give ward run --user a non-root uid, or a name in the image's /etc/passwd",
				"%s", t.s);
}

void ward_image_row_user(const struct ward_image *img, struct ward_report *r)
{
	struct ward_image_runner run;
	const char *user = img->meta.config.user;
	char esc[64];

	ward_image_runner(img, &run);
	if (run.by_ward) {
		row_user_ward(&run, r);
		return;
	}
	ward_image_escape(user ? user : "", esc, sizeof(esc));
	if (!user || !*user)
		ward_report_add(r, "image.user", false, 3.0, user_fix,
				"no USER in the config: the program runs as root (uid 0)");
	else if (run.who == WHO_ROOT)
		ward_report_add(r, "image.user", false, 3.0, user_fix,
				"USER %s is uid 0%s: the program runs as root", esc,
				strchr("0123456789", esc[0]) ? ""
							     : " in the image's /etc/passwd");
	else if (run.who == WHO_UNKNOWN)
		ward_report_add(r, "image.user", false, 0.5,
				"add the account to /etc/passwd, or give USER a numeric uid:gid",
				"USER %s is not in the image's /etc/passwd: its uid is unknown (docker run refuses to start it)",
				esc);
	else
		ward_report_add(r, "image.user", true, 0, NULL,
				"USER %s: runs as uid %" PRIu32 ", not root", esc, run.uid);
}
