/* ward check --image --suggest: a ward profile for the image's program,
 * from what the audit read. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/image_report.h"
#include "report/report_text.h"
#include "base/secret_shapes.h"
#include "kernel/userdb.h"
#include "base/util.h"

/* ---- --suggest ------------------------------------------------------------------------ */

/* A value that can go on a profile line as it is: printable, no
 * comment, no blank at either end. */
static bool profile_safe(const char *s, bool allow_space)
{
	size_t n = strlen(s);

	if (n == 0 || n > 1024 || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '#' || (*p == ' ' && !allow_space))
			return false;
	return true;
}

/* An absolute path without a ".." component, ":" or anything odd. */
static bool path_safe(const char *s)
{
	if (s[0] != '/' || !profile_safe(s, false) || strchr(s, ':'))
		return false;
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += n;
		while (*p == '/')
			p++;
	}
	return true;
}

/* The image's first regular account (uid >= 1000, not nobody). */
static bool regular_account(const struct ward_image *img, char *name, size_t len,
			    uint32_t *uid, uint32_t *gid)
{
	const struct ward_image_content *pw = ward_image_userdb(img, "etc/passwd");
	const char *p, *end;

	if (!pw)
		return false;
	for (p = pw->text, end = pw->text + pw->len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[512], *f[7] = {0};

		if (l < sizeof(line)) {
			memcpy(line, p, l);
			line[l] = '\0';
			if (line[0] != '#' && ward_split_colon(line, f, 7) >= 4 &&
			    ward_parse_u32(f[2], uid) == 0 && ward_parse_u32(f[3], gid) == 0 &&
			    *uid >= 1000 && *uid != 65534 && *uid < 4294967294u &&
			    profile_safe(f[0], false)) {
				snprintf(name, len, "%s", f[0]);
				return true;
			}
		}
		p += l + 1;
	}
	return false;
}

static void suggest_user(const struct ward_image *img, FILE *out)
{
	const char *user = img->meta.config.user;
	uint32_t uid = 0, gid = 0;
	bool gid_known;
	enum ward_image_who w = ward_image_resolve_user(img, &uid, &gid, &gid_known);
	char name[64], esc[64];
	const struct ward_image_config *c = &img->meta.config;

	ward_image_escape(user ? user : "", esc, sizeof(esc));
	if (w == WHO_USER) {
		fprintf(out, "# USER %s of the image\nuser %" PRIu32 ":%" PRIu32 "\n", esc,
			uid, gid_known ? gid : uid);
		return;
	}
	if (regular_account(img, name, sizeof(name), &uid, &gid)) {
		fprintf(out, "# %s: the image's own non-root account (its config runs as %s)\n"
			     "user %" PRIu32 ":%" PRIu32 "\n",
			name, w == WHO_ROOT ? "root" : "an unknown user", uid, gid);
		return;
	}
	fprintf(out, "# The image has no non-root account: a uid of its own, which owns\n"
		     "# nothing in the image.  Give it the paths it writes, in the Dockerfile\n"
		     "# or on the host directories bound there:\n");
	for (size_t i = 0; i < c->nvolumes; i++)
		if (path_safe(c->volumes[i]))
			fprintf(out, "#   RUN chown -R 10001:10001 %s\n", c->volumes[i]);
	if (c->workdir && path_safe(c->workdir) && strcmp(c->workdir, "/") != 0)
		fprintf(out, "#   RUN chown -R 10001:10001 %s   (if it writes there)\n",
			c->workdir);
	fprintf(out, "user 10001:10001\n");
}

static void suggest_env(const struct ward_image_config *c, FILE *out)
{
	struct ward_text skipped = {0};

	for (size_t i = 0; i < c->nenv && i < 32; i++) {
		const char *kv = c->env[i], *eq = strchr(kv, '=');
		size_t off, n;
		const char *what;
		char name[64];

		if (!eq || eq == kv)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - kv), kv);
		if (ward_secret_name_looks_secret(kv) ||
		    ward_secret_token_find(eq + 1, strlen(eq + 1), &off, &n, &what)) {
			if (profile_safe(name, false))
				ward_text_add(&skipped, "%s%s", skipped.n ? ", " : "", name);
			continue;
		}
		if (profile_safe(kv, true) && !strchr(name, ' '))
			fprintf(out, "env %s\n", kv);
	}
	if (skipped.n)
		fprintf(out, "# secret-looking, left out (pass them at run time): %s\n",
			skipped.s);
}

static void suggest_command(const struct ward_image_config *c, FILE *out)
{
	char **parts[2] = {c->entrypoint, c->cmd};
	size_t nparts[2] = {c->nentrypoint, c->ncmd};

	fprintf(out, "#   ward run --profile THIS-FILE --rootfs DIR --");
	for (size_t p = 0; p < 2; p++)
		for (size_t i = 0; i < nparts[p] && i < 16; i++) {
			char m[128];

			ward_image_mask(parts[p][i], m, sizeof(m));
			fprintf(out, " '%s'", m);
		}
	fputc('\n', out);
}

void ward_image_suggest(const struct ward_image *img, const char *path, FILE *out)
{
	const struct ward_image_config *c = &img->meta.config;
	char desc[WARD_REPORT_TEXT], esc[160];
	bool low = false;

	for (size_t i = 0; i < c->nports; i++)
		low |= ward_image_port_privileged(c->ports[i]);
	ward_image_describe(img, desc, sizeof(desc));
	ward_image_escape(path, esc, sizeof(esc));
	fprintf(out, "ward-profile 1\n"
		     "# Suggested by: ward check --image %s --suggest\n"
		     "# for the %s.\n"
		     "# Review it: ward read the image's metadata and file list, and ran nothing.\n"
		     "#\n"
		     "# The image's tree is the root, read-only; extract it first, e.g.\n"
		     "#   mkdir DIR && docker export \"$(docker create IMAGE)\" | tar -C DIR -x\n"
		     "# then:\n",
		esc, desc);
	suggest_command(c, out);
	fprintf(out, "groups clear\n");
	suggest_user(img, out);
	if (c->nports) {
		fprintf(out, "# it listens (EXPOSE):");
		for (size_t i = 0; i < c->nports && i < 16; i++)
			if (profile_safe(c->ports[i], false))
				fprintf(out, " %s", c->ports[i]);
		fprintf(out, "; the host's network lets clients reach it\n"
			     "# (net loopback keeps it to itself)\nnet host\n");
	} else {
		fprintf(out, "net loopback\n");
	}
	/* ward refuses network capabilities with net host: that network
	 * belongs to the host's user namespace, where a sandbox's
	 * capability means nothing */
	if (low)
		fprintf(out, "# A port below 1024 is exposed.  No capability helps on the host's\n"
			     "# network: make the program listen on a port >= 1024 (or lower\n"
			     "# net.ipv4.ip_unprivileged_port_start).  With net loopback instead,\n"
			     "# binding it needs this one capability:\n"
			     "#   cap-keep net_bind_service\n");
	else
		fprintf(out, "# no capability: no port below 1024 is exposed\n");
	fprintf(out, "seccomp default\n"
		     "# writable: private tmpfs over the read-only root\n"
		     "tmpfs /tmp\n");
	for (size_t i = 0; i < c->nvolumes; i++) {
		char v[64];

		if (path_safe(c->volumes[i]) && strcmp(c->volumes[i], "/tmp") != 0) {
			fprintf(out, "# VOLUME %s: empty and private here; bind HOSTDIR:%s:rw to keep its data\n"
				     "tmpfs %s\n",
				c->volumes[i], c->volumes[i], c->volumes[i]);
		} else if (strcmp(c->volumes[i], "/tmp") != 0) {
			ward_image_escape(c->volumes[i], v, sizeof(v));
			fprintf(out, "# VOLUME %s: an unusual name, left out\n", v);
		}
	}
	if (c->workdir && path_safe(c->workdir))
		fprintf(out, "workdir %s\n", c->workdir);
	suggest_env(c, out);
	fprintf(out, "init yes\n");
}
