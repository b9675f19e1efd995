/* The final tree of an image, from its layers' entries, as overlayfs
 * and `docker load` would build it (OCI image-spec, layer.md):
 *
 *   - a layer's whiteouts apply to the layers below it only: .wh.NAME
 *     hides NAME and everything beneath; .wh..wh..opq in D hides what
 *     lower layers put in D (D itself stays);
 *   - then its entries are added: an entry replaces the path; a
 *     non-directory replacing a directory hides the directory's
 *     children; a directory over a directory merges.
 *
 * Each path is a node in a tree (first child, next sibling, parent),
 * found through a small open-addressing table keyed by (parent, name),
 * so that hiding a subtree costs its size and no prefix scan is needed.
 * A hidden node never has a visible descendant (making a node visible
 * makes its ancestors visible), so hiding stops at hidden nodes.
 *
 * Secret-looking files are tracked as occurrences (layer, path, kind):
 * hiding or replacing the node that carries one records which layer
 * deleted or overwrote it.  Pure: no syscalls. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"

#define NONE UINT32_MAX
#define ROOT 0u

struct node {
	const char *name;      /* in a layer's arena, not NUL-terminated here */
	uint32_t parent, first_child, next_sibling;
	uint32_t name_len;
	int32_t layer;         /* the layer whose version this is, -1 implicit */
	int32_t content;       /* that layer's contents[] index, -1 */
	int32_t secret;        /* index in secrets[], -1 */
	uint32_t mode;
	uint64_t size;
	uint8_t type;
	bool visible;
};

struct ward_image_tree {
	const struct ward_image_layer_scan *const *layers;
	size_t nlayers;
	struct node *nodes;
	size_t nnodes, nodes_cap, max_nodes;
	uint32_t *slots;       /* node index + 1, 0 empty */
	size_t nslots;         /* a power of two */
	struct ward_image_secret *secrets;
	size_t nsecrets, secrets_cap;
};

/* ---- the table ------------------------------------------------------------------ */

static uint64_t hash(uint32_t parent, const char *name, size_t n)
{
	uint64_t h = 1469598103934665603ull ^ parent;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)name[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

static uint32_t find(const struct ward_image_tree *t, uint32_t parent,
		     const char *name, size_t n)
{
	size_t mask = t->nslots - 1, i = hash(parent, name, n) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t s = t->slots[i];
		const struct node *nd;

		if (s == 0)
			return NONE;
		nd = &t->nodes[s - 1];
		if (nd->parent == parent && nd->name_len == n &&
		    memcmp(nd->name, name, n) == 0)
			return s - 1;
	}
}

static void slot_put(uint32_t *slots, size_t nslots, const struct node *nd,
		     uint32_t idx)
{
	size_t mask = nslots - 1, i = hash(nd->parent, nd->name, nd->name_len) & mask;

	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = idx + 1;
}

/* Keep the table at most half full. */
static int rehash(struct ward_image_tree *t)
{
	size_t n = t->nslots * 2;
	uint32_t *s;

	if (t->nnodes * 2 < t->nslots)
		return 0;
	s = calloc(n, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (size_t i = 1; i < t->nnodes; i++)
		slot_put(s, n, &t->nodes[i], (uint32_t)i);
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

static uint32_t new_node(struct ward_image_tree *t, uint32_t parent,
			 const char *name, size_t n)
{
	struct node *nd;

	if (t->nnodes >= t->max_nodes || n > UINT32_MAX)
		return NONE;
	if (t->nnodes == t->nodes_cap) {
		size_t cap = t->nodes_cap ? t->nodes_cap * 2 : 1024;
		struct node *p = realloc(t->nodes, cap * sizeof(*p));

		if (!p)
			return NONE;
		t->nodes = p;
		t->nodes_cap = cap;
	}
	nd = &t->nodes[t->nnodes];
	*nd = (struct node){
		.name = name, .name_len = (uint32_t)n, .parent = parent,
		.first_child = NONE, .next_sibling = t->nodes[parent].first_child,
		.layer = -1, .content = -1, .secret = -1,
		.mode = 0755, .type = WARD_IMAGE_EV_DIR,
	};
	t->nodes[parent].first_child = (uint32_t)t->nnodes;
	t->nnodes++;
	if (rehash(t) < 0) {
		t->nnodes--;
		t->nodes[parent].first_child = nd->next_sibling;
		return NONE;
	}
	slot_put(t->slots, t->nslots, nd, (uint32_t)(t->nnodes - 1));
	return (uint32_t)(t->nnodes - 1);
}

static void secret_fate(struct ward_image_tree *t, struct node *nd,
			enum ward_image_fate fate, size_t layer);

/* The node of @path; with @create, make the missing ones (and make
 * every ancestor visible, as a directory, at @layer). */
static uint32_t walk_path(struct ward_image_tree *t, const char *path,
			  bool create, int32_t layer)
{
	uint32_t cur = ROOT;

	while (*path) {
		size_t n = strcspn(path, "/");
		uint32_t next = find(t, cur, path, n);

		if (next == NONE) {
			if (!create)
				return NONE;
			next = new_node(t, cur, path, n);
			if (next == NONE)
				return NONE;
		}
		cur = next;
		path += n;
		if (*path == '/')
			path++;
		if (create && *path && (!t->nodes[cur].visible ||
					t->nodes[cur].type != WARD_IMAGE_EV_DIR)) {
			/* an ancestor the layer did not list (or listed as a
			 * file): a directory from now on */
			if (t->nodes[cur].visible)
				secret_fate(t, &t->nodes[cur], WARD_IMAGE_OVERWRITTEN,
					    (size_t)layer);
			t->nodes[cur].visible = true;
			t->nodes[cur].type = WARD_IMAGE_EV_DIR;
			t->nodes[cur].mode = 0755;
			t->nodes[cur].layer = layer;
			t->nodes[cur].content = -1;
		}
	}
	return cur;
}

/* ---- secrets ----------------------------------------------------------------------- */

static void secret_fate(struct ward_image_tree *t, struct node *nd,
			enum ward_image_fate fate, size_t layer)
{
	if (nd->secret < 0)
		return;
	t->secrets[nd->secret].fate = fate;
	t->secrets[nd->secret].fate_layer = layer;
	nd->secret = -1;
}

static int secret_add(struct ward_image_tree *t, struct node *nd, size_t layer,
		      const char *path, const struct ward_image_content *c)
{
	if (t->nsecrets == t->secrets_cap) {
		size_t cap = t->secrets_cap ? t->secrets_cap * 2 : 16;
		struct ward_image_secret *p = realloc(t->secrets, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		t->secrets = p;
		t->secrets_cap = cap;
	}
	t->secrets[t->nsecrets] = (struct ward_image_secret){
		.path = path, .layer = layer, .kind = c->secret, .shape = c->shape,
		.fate = WARD_IMAGE_VISIBLE,
	};
	nd->secret = (int32_t)t->nsecrets++;
	return 0;
}

/* ---- hiding ------------------------------------------------------------------------ */

/* Hide the visible descendants of @top (not @top itself). */
static void hide_children(struct ward_image_tree *t, uint32_t top, size_t layer)
{
	uint32_t cur = t->nodes[top].first_child;

	while (cur != NONE) {
		struct node *nd = &t->nodes[cur];
		bool descend = nd->visible && nd->first_child != NONE;

		if (nd->visible) {
			nd->visible = false;
			secret_fate(t, nd, WARD_IMAGE_DELETED, layer);
		}
		if (descend) {
			cur = nd->first_child;
			continue;
		}
		/* next sibling, or up until there is one */
		while (cur != top && t->nodes[cur].next_sibling == NONE)
			cur = t->nodes[cur].parent;
		if (cur == top)
			break;
		cur = t->nodes[cur].next_sibling;
	}
}

static void hide(struct ward_image_tree *t, uint32_t n, size_t layer)
{
	struct node *nd = &t->nodes[n];

	if (!nd->visible)
		return;
	nd->visible = false;
	secret_fate(t, nd, WARD_IMAGE_DELETED, layer);
	hide_children(t, n, layer);
}

/* ---- building ------------------------------------------------------------------------ */

static int apply_whiteouts(struct ward_image_tree *t,
			   const struct ward_image_layer_scan *s, size_t layer)
{
	for (size_t i = 0; i < s->nev; i++) {
		const struct ward_image_event *e = &s->ev[i];
		uint32_t n;

		if (e->type != WARD_IMAGE_EV_WHITEOUT && e->type != WARD_IMAGE_EV_OPAQUE)
			continue;
		n = walk_path(t, s->arena + e->path, false, (int32_t)layer);
		if (n == NONE)
			continue;
		if (e->type == WARD_IMAGE_EV_WHITEOUT)
			hide(t, n, layer);
		else if (t->nodes[n].visible)
			hide_children(t, n, layer);
	}
	return 0;
}

static int apply_entries(struct ward_image_tree *t,
			 const struct ward_image_layer_scan *s, size_t layer)
{
	for (size_t i = 0; i < s->nev; i++) {
		const struct ward_image_event *e = &s->ev[i];
		const char *path = s->arena + e->path;
		const struct ward_image_content *c =
			e->content >= 0 ? &s->contents[e->content] : NULL;
		struct node *nd;
		uint32_t n;

		if (e->type == WARD_IMAGE_EV_WHITEOUT || e->type == WARD_IMAGE_EV_OPAQUE)
			continue;
		n = walk_path(t, path, true, (int32_t)layer);
		if (n == NONE)
			return -ENOMEM;
		nd = &t->nodes[n];
		if (nd->visible) {
			secret_fate(t, nd, WARD_IMAGE_OVERWRITTEN, layer);
			if (nd->type == WARD_IMAGE_EV_DIR && e->type != WARD_IMAGE_EV_DIR)
				hide_children(t, n, layer);
		}
		nd->visible = true;
		nd->type = e->type;
		nd->mode = e->mode;
		nd->size = e->size;
		nd->layer = (int32_t)layer;
		nd->content = e->content;
		if (c && c->kind == WARD_IMAGE_C_SECRET &&
		    secret_add(t, nd, layer, path, c) < 0)
			return -ENOMEM;
	}
	return 0;
}

int ward_image_tree_build(const struct ward_image_layer_scan *const *layers,
			  size_t nlayers, const struct ward_image_limits *lim,
			  struct ward_image_tree **out, struct ward_err *err)
{
	struct ward_image_tree *t = calloc(1, sizeof(*t));
	int r = 0;

	if (!t)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "the final tree");
	t->layers = layers;
	t->nlayers = nlayers;
	/* every entry adds at most one node, its implicit parents
	 * at most the path's depth */
	t->max_nodes = lim->max_entries * 2 + 1;
	if (t->max_nodes > UINT32_MAX - 1)
		t->max_nodes = UINT32_MAX - 1;
	t->nslots = 1024;
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	t->nodes = malloc(1024 * sizeof(*t->nodes));
	if (!t->slots || !t->nodes) {
		ward_image_tree_free(t);
		return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM, "the final tree");
	}
	t->nodes_cap = 1024;
	t->nodes[ROOT] = (struct node){
		.name = "", .parent = NONE, .first_child = NONE,
		.next_sibling = NONE, .layer = -1, .content = -1, .secret = -1,
		.mode = 0755, .type = WARD_IMAGE_EV_DIR, .visible = true,
	};
	t->nnodes = 1;
	for (size_t l = 0; l < nlayers && r == 0; l++) {
		if ((r = apply_whiteouts(t, layers[l], l)) == 0)
			r = apply_entries(t, layers[l], l);
	}
	if (r < 0) {
		bool full = t->nnodes >= t->max_nodes;
		char opt[64];

		ward_image_tree_free(t);
		if (!full)
			return ward_err_set(err, WARD_STEP_IMAGE, ENOMEM,
					    "the final tree: out of memory");
		return ward_err_set(err, WARD_STEP_IMAGE, E2BIG,
				    "the final tree: more than %zu paths (twice the entries bound: %s raises it)",
				    lim->max_entries * 2,
				    ward_image_limit_name(lim, "entries", opt, sizeof(opt)));
	}
	*out = t;
	return 0;
}

void ward_image_tree_free(struct ward_image_tree *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->slots);
	free(t->secrets);
	free(t);
}

const struct ward_image_secret *
ward_image_tree_secrets(const struct ward_image_tree *t, size_t *n)
{
	*n = t->nsecrets;
	return t->secrets;
}

static void node_info(const struct ward_image_tree *t, const struct node *nd,
		      struct ward_image_node_info *info)
{
	info->layer = nd->layer < 0 ? 0 : (size_t)nd->layer;
	info->type = (enum ward_image_ev)nd->type;
	info->mode = nd->mode;
	info->size = nd->size;
	info->content = nd->layer >= 0 && nd->content >= 0 &&
				(size_t)nd->layer < t->nlayers
			? &t->layers[nd->layer]->contents[nd->content]
			: NULL;
}

bool ward_image_tree_lookup(const struct ward_image_tree *t, const char *path,
			    struct ward_image_node_info *info)
{
	uint32_t n = walk_path((struct ward_image_tree *)t, path, false, -1);

	if (n == NONE || !t->nodes[n].visible)
		return false;
	if (info)
		node_info(t, &t->nodes[n], info);
	return true;
}

void ward_image_tree_walk(const struct ward_image_tree *t,
			  void (*fn)(void *ctx, const char *path,
				     const struct ward_image_node_info *info),
			  void *ctx)
{
	char path[WARD_IMAGE_MAX_PATH + 2];
	size_t len = 0;
	uint32_t cur = t->nodes[ROOT].first_child;

	while (cur != NONE) {
		const struct node *nd = &t->nodes[cur];
		bool fits = len + (len ? 1 : 0) + nd->name_len < sizeof(path);
		bool descend = false;

		if (nd->visible && fits) {
			struct ward_image_node_info info;

			if (len)
				path[len++] = '/';
			memcpy(path + len, nd->name, nd->name_len);
			len += nd->name_len;
			path[len] = '\0';
			node_info(t, nd, &info);
			fn(ctx, path, &info);
			descend = nd->first_child != NONE;
			if (descend) {
				cur = nd->first_child;
				continue;
			}
			/* back to the parent's path */
			len -= nd->name_len;
			if (len)
				len--;
			path[len] = '\0';
		}
		while (cur != ROOT && t->nodes[cur].next_sibling == NONE) {
			cur = t->nodes[cur].parent;
			if (cur == ROOT)
				break;
			len -= t->nodes[cur].name_len;
			if (len)
				len--;
			path[len] = '\0';
		}
		if (cur == ROOT)
			break;
		cur = t->nodes[cur].next_sibling;
	}
}
