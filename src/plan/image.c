/* ward run --image: the image prepared (image/prepare.h), its audit's
 * findings refused unless accepted, and its config under the command
 * line and the profiles, as Docker applies it (image_config.c); the
 * stop signal and the volumes, image or not. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "image/prepare.h"
#include "plan/builder.h"
#include "plan/image_config.h"

/* Room left in env[] for PATH, HOME, TERM and the command line's. */
#define IMAGE_ENV_MAX (WARD_MAX_ENV / 2)
#define MAX_ACCEPTED 128


static int refuse_without_image(const struct ward_plan_builder *b,
				struct ward_err *err)
{
	if (b->tag)
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "%s--tag %s: names an image of an archive; give --image FILE too",
				    ward_plan_where(b, "tag", 0), b->tag);
	if (b->entrypoint)
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "%s--entrypoint %s: replaces an image's entrypoint; without --image the program is the command after --",
				    ward_plan_where(b, "entrypoint", 0), b->entrypoint);
	return 0;
}

#ifndef WARD_STATIC /* the helpers of the image path, which the static build leaves out */
static char *dry_argv[] = {"/bin/true", NULL};

/* The accepted ids: every accept-findings value split at its commas,
 * into @ids (pointers into @buf). */
static size_t accepted_ids(const struct ward_plan_builder *b, char *buf,
			   size_t len, char **ids, size_t max)
{
	size_t n = 0, used = 0;

	for (size_t i = 0; i < b->naccept_findings; i++) {
		size_t k = strlen(b->accept_findings[i]);
		char *save = NULL, *tok;

		if (used + k + 1 > len)
			break;
		memcpy(buf + used, b->accept_findings[i], k + 1);
		for (tok = strtok_r(buf + used, ",", &save); tok && n < max;
		     tok = strtok_r(NULL, ",", &save))
			ids[n++] = tok;
		used += k + 1;
	}
	return n;
}

/* The first @shown of @n refused findings, and the line that accepts
 * them (the "more" finding cannot be). */
static void print_refused(const struct ward_image_finding **out, size_t shown, size_t n)
{
	bool more = false;
	size_t listed = 0;

	fprintf(stderr, "ward: image-audit: the image holds %zu finding%s the program could read:\n",
		n, n == 1 ? "" : "s");
	for (size_t i = 0; i < shown; i++)
		fprintf(stderr, "ward: image-audit: %s: %s\n", out[i]->id, out[i]->what);
	if (shown < n)
		fprintf(stderr, "ward: image-audit: and %zu more (ward check --image lists them)\n",
			n - shown);
	for (size_t i = 0; i < shown; i++) {
		if (ward_image_finding_is_more(out[i])) {
			more = true;
			continue;
		}
		fprintf(stderr, "%s%s", listed++ ? "," : "ward: image-audit: to start anyway: --accept-findings ",
			out[i]->id);
	}
	if (listed)
		fputc('\n', stderr);
	if (more || shown < n)
		fprintf(stderr, "ward: image-audit: too many findings to accept one by one: remove the secrets from the image\n");
}

/* Findings the program could reach and nobody accepted refuse the
 * launch, before anything runs; those of the history only are told. */
static int gate(const struct ward_plan_builder *b, struct ward_plan *plan,
		struct ward_err *err)
{
	const struct ward_image_prepared *p = plan->image;
	const struct ward_image_finding *out[MAX_ACCEPTED];
	char buf[WARD_MAX_ACCEPT * 1024], *ids[MAX_ACCEPTED];
	size_t nids = accepted_ids(b, buf, sizeof(buf), ids, MAX_ACCEPTED);
	size_t n = ward_image_refused(p, ids, nids, out, MAX_ACCEPTED), history = 0;

	for (size_t i = 0; i < p->nfindings; i++)
		history += !p->findings[i].reachable;
	plan->image_refused = n;
	if (history && !b->quiet && !b->dry)
		fprintf(stderr, "ward: notice: the image audit found %zu credential%s in the image's history only (deleted later, or build arguments): the program cannot read them; ward check --image %s lists them\n",
			history, history == 1 ? "" : "s", b->image);
	if (n == 0 || b->dry)
		return 0;
	print_refused(out, n < MAX_ACCEPTED ? n : MAX_ACCEPTED, n);
	return ward_err_set(err, WARD_STEP_IMAGE_AUDIT, 0,
			    "refusing to start %s: %zu finding%s of its audit (above) the program could read",
			    b->image, n, n == 1 ? "" : "s");
}

static int set_text(char **slot, const char *value, struct ward_err *err)
{
	if (*slot || !value || !*value)
		return 0;
	*slot = strdup(value);
	return *slot ? 0 : ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
}

static int apply_user(struct ward_plan_builder *b, struct ward_plan *plan,
		      const struct ward_image_config *c, struct ward_err *err)
{
	if (b->user)
		return 0;
	if (!ward_plan_image_user_is_default(c->user)) {
		plan->image_user = true;
		return set_text(&b->user, c->user, err);
	}
	if (!b->quiet && !b->dry)
		fprintf(stderr, "ward: notice: the image's USER is %s%s: it runs as ward's default user 10001:10001 (ward never runs root; --user chooses another)\n",
			c->user && *c->user ? c->user : "not set",
			c->user && *c->user ? " (root)" : " (root by default)");
	return 0;
}

static int apply_argv(struct ward_plan_builder *b, struct ward_plan *plan,
		      const struct ward_image_config *c, struct ward_err *err)
{
	int r;

	/* The builder's strings go with it: argv keeps a copy. */
	if (b->entrypoint && !(plan->image_entrypoint = strdup(b->entrypoint)))
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
	r = ward_plan_image_argv(c, plan->image_entrypoint, b->argv, &plan->image_argv,
				 err);

	if (r < 0 && b->dry && err->errnum != ENOMEM) {
		b->argv = dry_argv;
		return 0;
	}
	if (r < 0)
		return r;
	b->argv = plan->image_argv;
	return 0;
}

static int apply_env(struct ward_plan_builder *b, struct ward_plan *plan,
		     const struct ward_image_config *c, struct ward_err *err)
{
	char withheld[256];

	b->nimage_env = ward_plan_image_env(c, b->env_pass, b->nenv_pass, b->image_env,
					    IMAGE_ENV_MAX, withheld, sizeof(withheld));
	if (!*withheld)
		return 0;
	if (!(plan->image_withheld = strdup(withheld)))
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
	if (!b->quiet && !b->dry)
		fprintf(stderr, "ward: notice: the image's Env withheld, secret-looking: %s (--env-pass NAME passes one; --secret hands a secret over as a file)\n",
			withheld);
	return 0;
}

/* The config, under what the command line and the profiles set. */
static int apply_config(struct ward_plan_builder *b, struct ward_plan *plan,
			struct ward_err *err)
{
	const struct ward_image_config *c = &plan->image->config;
	int r;

	if ((r = set_text(&b->rootfs, plan->image->rootfs, err)) < 0 ||
	    (r = apply_user(b, plan, c, err)) < 0 ||
	    (r = set_text(&b->workdir, c->workdir, err)) < 0 ||
	    (r = apply_argv(b, plan, c, err)) < 0 ||
	    (r = apply_env(b, plan, c, err)) < 0)
		return r;
	if (!b->stop_signal && c->stop_signal && *c->stop_signal) {
		if (ward_signal_parse(c->stop_signal) < 0)
			return ward_err_set(err, WARD_STEP_PLAN, 0,
					    "the image's StopSignal %s is not a signal; give --stop-signal SIG",
					    c->stop_signal);
		return set_text(&b->stop_signal, c->stop_signal, err);
	}
	return 0;
}

static int check_combination(const struct ward_plan_builder *b,
			     const struct ward_plan *plan, struct ward_err *err)
{
	if (b->rootfs)
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "%s--rootfs %s and --image %s both name the root: give one",
				    ward_plan_where(b, "rootfs", 0), b->rootfs, b->image);
	if (plan->mode == WARD_MODE_ENTRYPOINT)
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "--image %s needs namespaces: --mode entrypoint runs in the container's own root",
				    b->image);
	return 0;
}

#endif /* !WARD_STATIC */

#ifdef WARD_STATIC
int ward_plan_resolve_image(struct ward_plan_builder *b, struct ward_plan *plan,
			    struct ward_err *err)
{
	if (!b->image)
		return refuse_without_image(b, err);
	return ward_err_set(err, WARD_STEP_USAGE, 0,
			    "--image %s: this static build runs no images; use the regular ward",
			    b->image);
}

void ward_plan_free_image(struct ward_plan *plan)
{
}
#else
int ward_plan_resolve_image(struct ward_plan_builder *b, struct ward_plan *plan,
			    struct ward_err *err)
{
	struct ward_image_request req;
	int r;

	if (!b->image)
		return refuse_without_image(b, err);
	if ((r = check_combination(b, plan, err)) < 0)
		return r;
	req = (struct ward_image_request){
		.path = b->image, .tag = b->tag, .user = b->user,
		.lim = b->image_limits_set ? &b->image_limits : NULL,
	};
	if (!(plan->image = calloc(1, sizeof(*plan->image))))
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "calloc");
	plan->image->lock_fd = -1;
	if ((r = ward_image_prepare(&req, plan->image, err)) < 0) {
		free(plan->image);
		plan->image = NULL;
		return ward_err_wrap(err, "%s", ward_plan_where(b, "image", 0));
	}
	if ((r = gate(b, plan, err)) < 0)
		return r;
	return apply_config(b, plan, err);
}

void ward_plan_free_image(struct ward_plan *plan)
{
	if (plan->image) {
		ward_image_prepared_free(plan->image);
		free(plan->image);
		plan->image = NULL;
	}
	ward_plan_image_argv_free(plan->image_argv);
	plan->image_argv = NULL;
	free(plan->image_entrypoint);
	plan->image_entrypoint = NULL;
}
#endif

static bool mounted_at(const struct ward_plan *plan, const char *dst)
{
	/* ward's own private tmpfs there already */
	if (strcmp(dst, "/tmp") == 0 || strcmp(dst, "/run") == 0)
		return true;
	for (size_t i = 0; i < plan->nbinds; i++)
		if (strcmp(plan->binds[i].dst, dst) == 0)
			return true;
	for (size_t i = 0; i < plan->ntmpfs; i++)
		if (strcmp(plan->tmpfs[i].dst, dst) == 0)
			return true;
	for (size_t i = 0; i < plan->nvolumes; i++)
		if (strcmp(plan->volumes[i], dst) == 0)
			return true;
	return false;
}

/* One volume: a bind or tmpfs at the same place replaces it (the
 * operator's own mount), a second one is the same volume. */
static int add_volume(struct ward_plan *plan, const char *path, const char *whose,
		      struct ward_err *err)
{
	char norm[PATH_MAX];

	if (ward_path_normalize(path, norm, sizeof(norm)) < 0 || strcmp(norm, "/") == 0 ||
	    ward_path_is_beneath(norm, "/proc") || ward_path_is_beneath(norm, "/dev"))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "%s %s: a volume must be an absolute path without '..', outside /, /proc and /dev",
				    whose, path);
	if (mounted_at(plan, norm))
		return 0;
	if (plan->nvolumes == WARD_MAX_VOLUMES)
		return ward_err_set(err, WARD_STEP_PLAN, 0, "%s %s: more than %d volumes",
				    whose, path, WARD_MAX_VOLUMES);
	if (!(plan->volumes[plan->nvolumes] = strdup(norm)))
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
	plan->nvolumes++;
	return 0;
}

int ward_plan_resolve_volumes(const struct ward_plan_builder *b,
			      struct ward_plan *plan, struct ward_err *err)
{
	const struct ward_image_config *c = plan->image ? &plan->image->config : NULL;
	char whose[PATH_MAX + 32];
	int r;

	plan->stop_signal = b->stop_signal ? ward_signal_parse(b->stop_signal) : SIGTERM;
	if (plan->stop_signal < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0, "%s--stop-signal %s: not a signal",
				    ward_plan_where(b, "stop-signal", 0), b->stop_signal);
	if ((b->nvolumes || (c && c->nvolumes)) && plan->mode == WARD_MODE_ENTRYPOINT)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--volume: entrypoint mode mounts nothing; give the container a volume instead");
	for (size_t i = 0; c && i < c->nvolumes; i++)
		if ((r = add_volume(plan, c->volumes[i], "the image's volume", err)) < 0)
			return r;
	for (size_t i = 0; i < b->nvolumes; i++) {
		snprintf(whose, sizeof(whose), "%s--volume", ward_plan_where(b, "volume", i));
		if ((r = add_volume(plan, b->volumes[i], whose, err)) < 0)
			return r;
	}
	return 0;
}
