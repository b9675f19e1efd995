/* The image audit's finding ids: see image/findings.h.  Pure. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "base/secret_shapes.h"
#include "image/findings.h"

void ward_finding_id(char *out, size_t len, const char *id, const char *subject,
		     unsigned seen)
{
	int n = snprintf(out, len, "%s%s%s", id, subject[0] ? ":" : "", subject);

	if (seen > 1 && n >= 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, "#%u", seen);
}

void ward_image_path_subject(const char *path, char out[WARD_IMAGE_SUBJECT])
{
	char p[WARD_IMAGE_MAX_PATH + 2];

	snprintf(p, sizeof(p), "/%s", path);
	ward_image_escape(p, out, WARD_IMAGE_SUBJECT);
}

const char *ward_image_secret_kind_name(enum ward_secret_kind k)
{
	switch (k) {
	case WARD_SECRET_BY_NAME: return "secret by its name";
	case WARD_SECRET_PRIVKEY: return "private key";
	case WARD_SECRET_TOKEN: return "registry credentials";
	case WARD_SECRET_GITCRED: return "git credentials";
	case WARD_SECRET_DOCKER: return "registry auth";
	case WARD_SECRET_KUBE: return "kubeconfig credentials";
	case WARD_SECRET_NONE: break;
	}
	return "secret";
}

void ward_image_env_subject(const char *kv, char out[64])
{
	const char *eq = strchr(kv, '=');
	char raw[64];

	snprintf(raw, sizeof(raw), "%.*s", eq ? (int)(eq - kv) : (int)strlen(kv), kv);
	ward_image_escape(raw, out, 64);
}

bool ward_image_env_secret(const char *kv, const char **what)
{
	const char *eq = strchr(kv, '=');

	*what = NULL;
	/* an empty value holds nothing; else what ward run withholds */
	if (!eq || !eq[1] || !ward_secret_env_looks_secret(kv))
		return false;
	*what = ward_secret_shape(eq + 1, strlen(eq + 1)); /* NULL: the name says it */
	return true;
}

static void group_add(struct ward_image_hist_group *g, size_t *ng, size_t max,
		      const struct ward_image_hit *h, size_t hist, long layer,
		      size_t *more)
{
	size_t i;

	for (i = 0; i < *ng; i++)
		if (g[i].kind == h->kind && strcmp(g[i].name, h->name) == 0)
			break;
	if (i == *ng) {
		if (*ng == max) {
			(*more)++;
			return;
		}
		memset(&g[i], 0, sizeof(g[i]));
		g[i].kind = h->kind;
		snprintf(g[i].name, sizeof(g[i].name), "%s", h->name);
		g[i].first = hist;
		g[i].first_layer = layer;
		(*ng)++;
	}
	if (g[i].nwhere++ < 6) {
		size_t l = strlen(g[i].where);

		snprintf(g[i].where + l, sizeof(g[i].where) - l, "%s%zu",
			 l ? ", " : "", hist);
		if (layer >= 0) {
			l = strlen(g[i].layers);
			snprintf(g[i].layers + l, sizeof(g[i].layers) - l, "%s%ld",
				 l ? ", " : "", layer);
		}
	} else if (g[i].nwhere == 7) {
		size_t l = strlen(g[i].where);

		snprintf(g[i].where + l, sizeof(g[i].where) - l, ", ...");
	}
}

size_t ward_image_history_groups(const struct ward_image_config *c,
				 struct ward_image_hist_group *g, size_t max,
				 size_t *more)
{
	struct ward_image_hit hits[32];
	size_t ng = 0;

	*more = 0;
	for (size_t h = 0; h < c->nhistory; h++) {
		const char *line = c->history[h].created_by;
		size_t n;

		if (!line)
			continue;
		n = ward_image_history_scan(line, hits, sizeof(hits) / sizeof(hits[0]));
		for (size_t i = 0; i < n; i++)
			if (hits[i].secret)
				group_add(g, &ng, max, &hits[i], h,
					  c->history[h].layer, more);
	}
	return ng;
}

void ward_image_hist_subject(const struct ward_image_hist_group *g, char *out,
			     size_t len)
{
	if (g->kind == WARD_IMAGE_HIT_TOKEN)
		snprintf(out, len, "token:history-%zu", g->first);
	else
		snprintf(out, len, "%s:%s", g->kind == WARD_IMAGE_HIT_ARG ? "arg" : "env",
			 g->name);
}
