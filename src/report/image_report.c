/* ward check --image: the rows, and --suggest's profile.
 *
 * Rows (ids stable, see ward(1)): image.read, image.user,
 * image.secret-file, image.secret-env, image.secret-history,
 * image.setuid, image.world-writable, image.tools, image.packages,
 * image.size, image.ports, image.entrypoint.  Everything that comes from
 * the image is escaped before it reaches a row (names can hold terminal
 * escapes), and history lines go through ward_image_mask: a build arg or
 * ENV value with a secret-looking name, or a token, shows as "***".
 * No file content is ever shown. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/findings.h"
#include "report/image_report.h"
#include "report/report_text.h"
#include "base/secret_shapes.h"
#include "base/util.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ROWS 8     /* rows of one kind before a summary row */
#define EXAMPLES 5     /* paths named in one row */
#define SHOWN WARD_IMAGE_SUBJECT /* bytes of one escaped path or line */
#define BIG (500ull << 20)

/* "/" + the escaped path: the subject of a finding's id too. */
static void show_path(const char *path, char out[SHOWN])
{
	ward_image_path_subject(path, out);
}

/* "COPY file:9da8b292fde0...64 hex... in /app/.env" says more as
 * "COPY file:9da8b292fde0... in /app/.env": cut hex runs to 12 digits. */
static void shorten_hex(char *s)
{
	size_t o = 0;

	for (size_t i = 0; s[i];) {
		size_t n = strspn(s + i, "0123456789abcdef");

		if (n > 16) {
			memmove(s + o, s + i, 12);
			memcpy(s + o + 12, "...", 3);
			o += 15;
			i += n;
		} else if (n > 0) {
			memmove(s + o, s + i, n);
			o += n;
			i += n;
		} else {
			s[o++] = s[i++];
		}
	}
	s[o] = '\0';
}

void ward_image_layer_line(const struct ward_image *img, size_t layer, char *out,
			   size_t len)
{
	const struct ward_image_config *c = &img->meta.config;
	long h = layer < img->meta.nlayers ? img->meta.layers[layer].history : -1;
	const char *line;
	char tmp[1024];

	out[0] = '\0';
	if (h < 0 || (size_t)h >= c->nhistory)
		return;
	line = c->history[h].created_by;
	if (!line || !*line)
		line = c->history[h].comment;
	if (!line)
		return;
	/* the classic builder's prefix says nothing */
	if (strncmp(line, "/bin/sh -c #(nop) ", 18) == 0)
		line += 18;
	while (*line == ' ')
		line++;
	ward_image_mask(line, tmp, sizeof(tmp));
	shorten_hex(tmp);
	for (size_t n = strlen(tmp); n > 0 && tmp[n - 1] == ' '; n--)
		tmp[n - 1] = '\0';
	if (strlen(tmp) < len)
		memcpy(out, tmp, strlen(tmp) + 1);
	else if (len > 4)
		snprintf(out, len, "%.*s...", (int)(len - 4), tmp);
}

/* ---- secrets ------------------------------------------------------------------------- */

static void row_secret_files(const struct ward_image *img, struct ward_report *r)
{
	size_t n;
	const struct ward_image_secret *s = ward_image_tree_secrets(img->tree, &n);

	for (size_t i = 0; i < n && i < MAX_ROWS; i++) {
		char path[SHOWN], line[72];
		struct ward_text t = {0};
		bool visible = s[i].fate == WARD_IMAGE_VISIBLE;

		show_path(s[i].path, path);
		ward_image_layer_line(img, s[i].layer, line, sizeof(line));
		ward_text_add(&t, "%s (%s%s%s) added in layer %zu", path,
			 ward_image_secret_kind_name(s[i].kind), s[i].shape ? ", holds " : "",
			 s[i].shape ? s[i].shape : "", s[i].layer);
		if (line[0])
			ward_text_add(&t, " by \"%s\"", line);
		if (visible)
			ward_text_add(&t, "; still in the final tree");
		else
			ward_text_add(&t, "; %s in layer %zu but still readable in layer %zu of the image",
				 s[i].fate == WARD_IMAGE_DELETED ? "deleted" : "overwritten",
				 s[i].fate_layer, s[i].layer);
		ward_report_add(r, "image.secret-file", false, visible ? 3.0 : 2.0,
				visible ? "remove it from the image and pass it at run time (a bind of a 0400 file, or a build secret: RUN --mount=type=secret), then rotate it"
					: "a later layer does not remove it: rebuild without it (multi-stage build, or RUN --mount=type=secret), then rotate it",
				"%s", t.s);
		ward_report_subject(r, (long)s[i].layer, "%s", path);
	}
	if (n > MAX_ROWS) {
		ward_report_add(r, "image.secret-file", false, 0.0,
				"see the rows above",
				"%zu more secret-looking files in the layers", n - MAX_ROWS);
		ward_report_subject(r, -1, "more");
	}
	if (n == 0)
		ward_report_add(r, "image.secret-file", true, 0, NULL,
				"no secret-looking file in any layer (.env, SSH and PEM private keys, registry, git, cloud and kube credentials)");
}

static void row_secret_env(const struct ward_image *img, struct ward_report *r)
{
	const struct ward_image_config *c = &img->meta.config;
	size_t rows = 0, more = 0;

	for (size_t i = 0; i < c->nenv; i++) {
		const char *what = NULL;
		char name[64];

		if (!ward_image_env_secret(c->env[i], &what))
			continue;
		if (rows == MAX_ROWS) {
			more++;
			continue;
		}
		ward_image_env_subject(c->env[i], name);
		ward_report_add(r, "image.secret-env", false, 2.0,
				"remove the ENV line and pass the value at run time (ward --env, docker run -e, or a secret file); rotate it",
				"ENV %s=*** is in the image config%s%s: every container and docker inspect see it",
				name, what ? ", holds " : "", what ? what : "");
		ward_report_subject(r, -1, "%s", name);
		rows++;
	}
	if (more) {
		ward_report_add(r, "image.secret-env", false, 0.0, "see the rows above",
				"%zu more secret-looking variables in the config", more);
		ward_report_subject(r, -1, "more");
	}
	if (!rows)
		ward_report_add(r, "image.secret-env", true, 0, NULL,
				"no secret-looking variable in the config's Env");
}

static void row_secret_history(const struct ward_image *img, struct ward_report *r)
{
	const struct ward_image_config *c = &img->meta.config;
	struct ward_image_hist_group g[MAX_ROWS];
	size_t more = 0, ng = ward_image_history_groups(c, g, MAX_ROWS, &more);

	for (size_t i = 0; i < ng; i++) {
		char subject[WARD_REPORT_TEXT];
		const char *lay = g[i].layers[0] ? g[i].layers : "";
		long first_layer = g[i].first_layer;

		if (g[i].kind == WARD_IMAGE_HIT_ARG)
			ward_report_add(r, "image.secret-history", false, 2.5,
					"build args are recorded in the image's history: use a build secret (RUN --mount=type=secret) and rotate the value",
					"build arg %s=*** recorded in history %s%s%s%s", g[i].name,
					g[i].where, *lay ? " (layers " : "", lay, *lay ? ")" : "");
		else if (g[i].kind == WARD_IMAGE_HIT_ENV)
			ward_report_add(r, "image.secret-history", false, 1.0,
					"remove the ENV/ARG default from the Dockerfile and rotate the value",
					"%s=*** set by ENV or ARG in history %s", g[i].name,
					g[i].where);
		else
			ward_report_add(r, "image.secret-history", false, 2.5,
					"a token was typed into a build step: rebuild without it and rotate it",
					"%s in the build command of history %s%s%s%s", g[i].name,
					g[i].where, *lay ? " (layers " : "", lay, *lay ? ")" : "");
		ward_image_hist_subject(&g[i], subject, sizeof(subject));
		ward_report_subject(r, first_layer, "%s", subject);
	}
	if (more) {
		ward_report_add(r, "image.secret-history", false, 0.0, "see the rows above",
				"%zu more secret-looking values in the history", more);
		ward_report_subject(r, -1, "more");
	}
	if (!ng)
		ward_report_add(r, "image.secret-history", true, 0, NULL,
				"no secret-looking build arg, ENV value or token in the build history");
}

/* ---- the final tree ---------------------------------------------------------------- */

struct examples {
	uint64_t n;
	char path[EXAMPLES][SHOWN];
};

static void example_add(struct examples *e, const char *path)
{
	if (e->n < EXAMPLES)
		show_path(path, e->path[e->n]);
	e->n++;
}

static void text_examples(struct ward_text *t, const struct examples *e)
{
	uint64_t kept = e->n < EXAMPLES ? e->n : EXAMPLES, shown = 0;

	for (uint64_t i = 0; i < kept; i++) {
		if (t->n + strlen(e->path[i]) + 8 >= sizeof(t->s))
			break;
		ward_text_add(t, "%s%s", i ? ", " : ": ", e->path[i]);
		shown++;
	}
	if (shown < e->n)
		ward_text_add(t, shown ? ", ..." : ": ...");
}

struct final {
	struct examples setuid, ww_dirs, ww_files;
	bool setuid_shell;
	uint64_t files, bytes;
	char tool[WARD_TOOLS][64]; /* the shortest name found per tool */
};

static bool in_bin_dir(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return false;
	for (size_t i = 0; i < ward_nbin_dirs; i++) {
		size_t k = strlen(ward_bin_dirs[i]);

		if ((size_t)(slash - path) == k && strncmp(path, ward_bin_dirs[i], k) == 0) {
			*base = slash + 1;
			return true;
		}
	}
	return false;
}

static void visit(void *ctx, const char *path,
		  const struct ward_image_node_info *info)
{
	struct final *f = ctx;
	bool file = info->type == WARD_IMAGE_EV_FILE ||
		    info->type == WARD_IMAGE_EV_HARDLINK;
	const char *base = strrchr(path, '/');
	int ti = -1;

	base = base ? base + 1 : path;
	if (info->type == WARD_IMAGE_EV_DIR) {
		if ((info->mode & 0002) && !(info->mode & 01000))
			example_add(&f->ww_dirs, path);
		return;
	}
	if (file) {
		f->files++;
		f->bytes += info->size;
		if (info->mode & 06000) {
			example_add(&f->setuid, path);
			ti = ward_tool_index(base);
			if (ti >= 0 && ward_tool_category(ti) == WARD_TOOL_SHELL)
				f->setuid_shell = true;
		}
		if (info->mode & 0002)
			example_add(&f->ww_files, path);
	}
	if ((file || info->type == WARD_IMAGE_EV_SYMLINK) && in_bin_dir(path, &base) &&
	    (ti = ward_tool_index(base)) >= 0) {
		size_t cur = strlen(f->tool[ti]), n = strlen(base);

		if (n < sizeof(f->tool[ti]) &&
		    (cur == 0 || n < cur || (n == cur && strcmp(base, f->tool[ti]) < 0)))
			memcpy(f->tool[ti], base, n + 1);
	}
}

static void row_setuid(const struct final *f, struct ward_report *r)
{
	struct ward_text t = {0};
	char a[32];

	if (f->setuid.n == 0) {
		ward_report_add(r, "image.setuid", true, 0, NULL,
				"no setuid or setgid file in the final tree");
		return;
	}
	ward_text_add(&t, "%s setuid/setgid file%s%s", ward_fmt_count(f->setuid.n, a),
		 f->setuid.n == 1 ? "" : "s", f->setuid_shell ? ", a shell among them" : "");
	text_examples(&t, &f->setuid);
	ward_report_add(r, "image.setuid", false, f->setuid_shell ? 2.5 : 1.5,
			"remove the setuid bit (chmod u-s) or the file; ward's no_new_privs neutralises them at run time, but the image should not carry them",
			"%s", t.s);
}

static void row_world_writable(const struct final *f, struct ward_report *r)
{
	struct ward_text t = {0};
	char a[32];

	if (f->ww_dirs.n == 0 && f->ww_files.n == 0) {
		ward_report_add(r, "image.world-writable", true, 0, NULL,
				"no world-writable directory without the sticky bit, no world-writable file");
		return;
	}
	if (f->ww_dirs.n) {
		ward_text_add(&t, "%s world-writable director%s without the sticky bit",
			 ward_fmt_count(f->ww_dirs.n, a), f->ww_dirs.n == 1 ? "y" : "ies");
		text_examples(&t, &f->ww_dirs);
	}
	if (f->ww_files.n) {
		ward_text_add(&t, "%s%s world-writable file%s", t.n ? "; " : "",
			 ward_fmt_count(f->ww_files.n, a), f->ww_files.n == 1 ? "" : "s");
		text_examples(&t, &f->ww_files);
	}
	ward_report_add(r, "image.world-writable", false,
			(f->ww_dirs.n ? 1.0 : 0.0) + (f->ww_files.n ? 0.5 : 0.0),
			"chmod o-w them; a directory every user shares needs the sticky bit (chmod +t), as /tmp has",
			"%s", t.s);
}

static void row_tools(const struct final *f, struct ward_report *r)
{
	struct ward_text t = {0};
	unsigned ncat = 0;

	char esc[WARD_TOOLS][64];
	const char *found[WARD_TOOLS];

	for (size_t i = 0; i < WARD_TOOLS; i++) {
		esc[i][0] = '\0';
		if (f->tool[i][0])
			ward_image_escape(f->tool[i], esc[i], sizeof(esc[i]));
		found[i] = esc[i];
	}
	ncat = ward_tools_describe(found, "; ", &t);
	if (!ncat) {
		ward_report_add(r, "image.tools", true, 0, NULL,
				"no shell, interpreter, package manager, compiler or network tool in the bin directories");
		return;
	}
	ward_report_add(r, "image.tools", false, ncat * 0.2 > 1.0 ? 1.0 : ncat * 0.2,
			"a distroless/scratch image keeps only what the program needs: an attacker then has no shell, curl or package manager",
			"%s", t.s);
}

static void row_packages(const struct ward_image *img, struct ward_report *r)
{
	static const struct {
		const char *path, *name;
	} dbs[] = {{"var/lib/dpkg/status", "dpkg"}, {"lib/apk/db/installed", "apk"}};
	struct ward_text t = {0};
	uint64_t total = 0;
	char a[32];

	for (size_t i = 0; i < N_ELEMS(dbs); i++) {
		struct ward_image_node_info info;
		const struct ward_image_content *c;

		if (!ward_image_tree_lookup(img->tree, dbs[i].path, &info))
			continue;
		c = info.content;
		if (!c || (c->kind != WARD_IMAGE_C_DPKG && c->kind != WARD_IMAGE_C_APK)) {
			ward_text_add(&t, "%s%s database present", t.n ? "; " : "", dbs[i].name);
			continue;
		}
		ward_text_add(&t, "%s%s%s packages installed (%s)", t.n ? "; " : "",
			 c->partial ? "at least " : "", ward_fmt_count(c->count, a), dbs[i].name);
		total += c->count;
	}
	if (!t.n) {
		ward_report_add(r, "image.packages", true, 0, NULL,
				"no package database (dpkg status, apk installed) in the final tree");
		return;
	}
	ward_report_add(r, "image.packages", total == 0, total >= 100 ? 0.5 : 0.2,
			"fewer packages, fewer vulnerabilities to patch: a distroless or scratch base keeps only the program's runtime",
			"%s", t.s);
}

static void row_size(const struct ward_image *img, const struct final *f,
		     struct ward_report *r)
{
	size_t n = img->meta.nlayers, top[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
	uint64_t total = 0;
	struct ward_text t = {0};
	char a[32], b[32], c[32];

	for (size_t i = 0; i < n; i++) {
		uint64_t bytes = img->by_layer[i]->bytes;

		total += bytes;
		for (size_t k = 0; k < 3; k++) {
			if (top[k] == SIZE_MAX || bytes > img->by_layer[top[k]]->bytes) {
				memmove(&top[k + 1], &top[k], (2 - k) * sizeof(top[0]));
				top[k] = i;
				break;
			}
		}
	}
	ward_text_add(&t, "%s in %zu layer%s; final tree %s in %s files",
		 ward_fmt_size(total, a), n, n == 1 ? "" : "s", ward_fmt_size(f->bytes, b),
		 ward_fmt_count(f->files, c));
	if (total > f->bytes)
		ward_text_add(&t, " (%s more only in lower layers)",
			 ward_fmt_size(total - f->bytes, a));
	for (size_t k = 0; k < 3 && top[k] != SIZE_MAX && n > 1; k++) {
		char line[32];

		ward_image_layer_line(img, top[k], line, sizeof(line));
		ward_text_add(&t, "%s layer %zu %s%s%s%s", k ? "," : "; largest:", top[k],
			 ward_fmt_size(img->by_layer[top[k]]->bytes, a), line[0] ? " \"" : "",
			 line, line[0] ? "\"" : "");
	}
	ward_report_add(r, "image.size", total <= BIG, 0.5,
			"a smaller image exposes less: keep only what the program needs (multi-stage build, distroless base)",
			"%s", t.s);
}

/* ---- ports and entrypoint ------------------------------------------------------------ */

bool ward_image_port_privileged(const char *spec)
{
	uint32_t port;
	char buf[16];

	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(spec, "/"), spec);
	return ward_parse_u32(buf, &port) == 0 && port < 1024;
}

static void row_ports(const struct ward_image *img, struct ward_report *r)
{
	const struct ward_image_config *c = &img->meta.config;
	struct ward_text t = {0};
	bool low = false;

	if (c->nports == 0) {
		ward_report_add(r, "image.ports", true, 0, NULL, "no port exposed");
		return;
	}
	ward_text_add(&t, "exposes ");
	for (size_t i = 0; i < c->nports; i++) {
		char esc[32];

		if (i == 8) {
			ward_text_add(&t, ", +%zu", c->nports - i);
			break;
		}
		ward_image_escape(c->ports[i], esc, sizeof(esc));
		ward_text_add(&t, "%s%s", i ? ", " : "", esc);
		low |= ward_image_port_privileged(c->ports[i]);
	}
	if (low)
		ward_report_add(r, "image.ports", false, 0.3,
				"listen on a port >= 1024 (8080) and map it; otherwise keep only cap_net_bind_service",
				"%s: a port below 1024 needs root or cap_net_bind_service", t.s);
	else
		ward_report_add(r, "image.ports", true, 0, NULL,
				"%s: no capability needed to bind", t.s);
}

static const char *basename_of(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static bool is_init(const char *name)
{
	static const char *const inits[] = {
		"tini", "tini-static", "dumb-init", "catatonit", "docker-init",
		"s6-svscan", "init", "runsvdir", "supervisord", "s6-overlay-suexec",
	};

	for (size_t i = 0; i < N_ELEMS(inits); i++)
		if (strcmp(name, inits[i]) == 0)
			return true;
	return false;
}

/* "ENTRYPOINT [a, b] CMD [c]", masked and escaped. */
static void describe_command(const struct ward_image_config *c, struct ward_text *t)
{
	const struct {
		const char *label;
		char **v;
		size_t n;
	} parts[] = {{"ENTRYPOINT", c->entrypoint, c->nentrypoint},
		     {"CMD", c->cmd, c->ncmd}};

	for (size_t p = 0; p < N_ELEMS(parts); p++) {
		if (!parts[p].n)
			continue;
		ward_text_add(t, "%s%s [", t->n ? " " : "", parts[p].label);
		for (size_t i = 0; i < parts[p].n && i < 6; i++) {
			char m[48];

			ward_image_mask(parts[p].v[i], m, sizeof(m));
			ward_text_add(t, "%s\"%s\"", i ? ", " : "", m);
		}
		ward_text_add(t, parts[p].n > 6 ? ", ...]" : "]");
	}
}

static void row_entrypoint(const struct ward_image *img, struct ward_report *r)
{
	const struct ward_image_config *c = &img->meta.config;
	const char *first = c->nentrypoint ? c->entrypoint[0] : c->ncmd ? c->cmd[0] : NULL;
	struct ward_text t = {0};
	char esc[64];

	describe_command(c, &t);
	if (!first) {
		ward_report_add(r, "image.entrypoint", false, 0.3,
				"ENTRYPOINT [\"ward\", \"run\", \"--mode\", \"entrypoint\", \"--\", \"/app/server\"]",
				"no ENTRYPOINT or CMD: whatever docker run is given runs as pid 1");
		return;
	}
	ward_image_escape(basename_of(first), esc, sizeof(esc));
	if (strcmp(basename_of(first), "ward") == 0)
		ward_report_add(r, "image.entrypoint", true, 0, NULL,
				"%s: ward is the entrypoint", t.s);
	else if (is_init(basename_of(first)))
		ward_report_add(r, "image.entrypoint", true, 0, NULL,
				"%s: %s is the init (reaps, forwards signals); ward is not the entrypoint",
				t.s, esc);
	else
		ward_report_add(r, "image.entrypoint", false, 0.3,
				"ENTRYPOINT [\"ward\", \"run\", \"--mode\", \"entrypoint\", \"--user\", \"10001\", \"--\", ...]: drops privileges, reaps and forwards signals",
				"%s: %s runs as pid 1 with no init and nothing dropping privileges%s",
				t.s, esc,
				c->nentrypoint >= 2 && strcmp(c->entrypoint[1], "-c") == 0
					? " (shell form: signals stop at the shell)" : "");
}

/* ---- all rows ------------------------------------------------------------------------ */

void ward_image_describe(const struct ward_image *img, char *buf, size_t len)
{
	static const char *const fmt[] = {
		[WARD_IMAGE_DOCKER_SAVE] = "docker save archive",
		[WARD_IMAGE_OCI_DIR] = "OCI layout directory",
		[WARD_IMAGE_OCI_TAR] = "OCI layout archive",
	};
	char name[96], a[32], more[64] = "";

	ward_image_escape(img->meta.name ? img->meta.name : "(unnamed)", name,
			  sizeof(name));
	if (img->meta.nimages > 1)
		snprintf(more, sizeof(more), "; one of the %zu images of the archive",
			 img->meta.nimages);
	snprintf(buf, len, "%s %s: %zu layer%s, %s entries%s", fmt[img->meta.format],
		 name, img->meta.nlayers, img->meta.nlayers == 1 ? "" : "s",
		 ward_fmt_count(img->entries, a), more);
}

void ward_image_report(const struct ward_image *img, struct ward_report *r)
{
	struct final *f = calloc(1, sizeof(*f));
	char desc[WARD_REPORT_TEXT];

	ward_image_describe(img, desc, sizeof(desc));
	ward_report_add(r, "image.read", true, 0, NULL, "%s", desc);
	ward_image_row_user(img, r);
	row_secret_files(img, r);
	row_secret_env(img, r);
	row_secret_history(img, r);
	if (!f) {
		ward_report_add(r, "image.setuid", false, 0, "retry with more memory",
				"the final tree was not checked: out of memory");
	} else {
		ward_image_tree_walk(img->tree, visit, f);
		row_setuid(f, r);
		row_world_writable(f, r);
		row_tools(f, r);
	}
	row_packages(img, r);
	if (f)
		row_size(img, f, r);
	row_ports(img, r);
	row_entrypoint(img, r);
	free(f);
}

