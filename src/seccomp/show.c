/* `ward seccomp show`: the effective rules of a plan's filter, readable,
 * printed from ward's own representation of the policy (the parsed
 * policy or Docker profile after the profile's additions), never by
 * decompiling the BPF: what is listed is what was built from. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include "seccomp/libseccomp_dl.h"

#include "seccomp/seccomp.h"
#include "seccomp/docker.h"
#include "seccomp/build.h"
#include "seccomp/groups.h"
#include "seccomp/policy.h"

#define COMMENT_COL 48
/* The implicit "allow execve" is line 2 of the additions' text (see
 * ward_seccomp_overlay_text); the profile's own lines come after it. */
#define OVERLAY_FIRST_LINE 3

/* The first plain group (no nested groups, not ward's own) that lists
 * @name: where a reader looks the syscall up. */
static const char *leaf_group(const char *name)
{
	for (size_t i = 0; i < ward_seccomp_group_count(); i++) {
		const struct ward_seccomp_group *g = ward_seccomp_group_at(i);

		if (!ward_seccomp_group_plain(g))
			continue;
		for (const char *const *m = g->members; *m; m++)
			if (strcmp(*m, name) == 0)
				return g->name;
	}
	return NULL;
}

static void default_text(enum ward_seccomp_action a, int errnum, char *buf,
			 size_t len)
{
	ward_seccomp_docker_action_text(ward_seccomp_scmp_action(a, errnum),
					buf, len);
}

/* Where a rule came from: "@ward-default (@basic-io)", "profile". */
static void origin_text(const struct ward_seccomp_rule *r,
			const struct ward_seccomp_policy *over, char *buf,
			size_t len)
{
	const struct ward_seccomp_rule *o = over ?
		ward_seccomp_policy_lookup(over, r->nr) : NULL;
	const char *leaf = leaf_group(r->name);
	bool profile = o && o->line >= OVERLAY_FIRST_LINE;
	size_t n = 0;

	buf[0] = '\0';
	if (profile)
		n = (size_t)snprintf(buf, len, "profile%s", r->group[0] ? " " : "");
	if (r->group[0] && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%s", r->group);
	if (leaf && strcmp(leaf, r->group) != 0 && n < len)
		snprintf(buf + n, len - n, "%s(%s)", n ? " " : "", leaf);
}

static void print_rule(const struct ward_seccomp_rule *r,
		       const struct ward_seccomp_policy *over, FILE *out)
{
	char line[160], act[32], origin[96];
	const char *guard = NULL;

	default_text(r->action, r->errnum, act, sizeof(act));
	if (r->action == WARD_SECCOMP_ACT_ERRNO)
		snprintf(line, sizeof(line), "deny %s %s", r->name, act);
	else if (r->action == WARD_SECCOMP_ACT_ALLOW &&
		 (guard = ward_seccomp_guard_text(r->name)))
		snprintf(line, sizeof(line), "allow %s %s", r->name, guard);
	else
		snprintf(line, sizeof(line), "%s %s", act, r->name);
	origin_text(r, over, origin, sizeof(origin));
	if (origin[0])
		fprintf(out, "%-*s # %s\n", COMMENT_COL - 2, line, origin);
	else
		fprintf(out, "%s\n", line);
}

/* Allows first, then logs, refusals, kills: each in policy order. */
static void print_policy(const struct ward_seccomp_policy *pol,
			 const struct ward_seccomp_policy *over, FILE *out)
{
	static const enum ward_seccomp_action order[] = {
		WARD_SECCOMP_ACT_ALLOW, WARD_SECCOMP_ACT_LOG,
		WARD_SECCOMP_ACT_ERRNO, WARD_SECCOMP_ACT_KILL,
	};

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (size_t i = 0; i < pol->nrules; i++)
			if (pol->rules[i].action == order[k])
				print_rule(&pol->rules[i], over, out);
}

static const char *source_name(const struct ward_seccomp_source *src)
{
	switch (src->mode) {
	case WARD_SECCOMP_DEFAULT: return "ward's default policy (built in)";
	case WARD_SECCOMP_STRICT: return "ward's strict policy (built in)";
	case WARD_SECCOMP_FILE: return src->path;
	case WARD_SECCOMP_DOCKER: return src->path;
	case WARD_SECCOMP_OFF: break;
	}
	return "no filter";
}

int ward_seccomp_show(const struct ward_seccomp_source *src, FILE *out,
		      struct ward_err *err)
{
	struct ward_seccomp_resolved res;
	char def[32], line[48];
	int r;

	if (src->mode == WARD_SECCOMP_OFF) {
		fprintf(out, "# --seccomp off-i-know: no syscall filter, every "
			"syscall is allowed\n");
		return 0;
	}
	r = ward_seccomp_resolve(src, &res, err);
	if (r < 0)
		return r;
	if (src->log_only)
		fprintf(out, "# seccomp-log-only: every refusal is logged and "
			"let through\n");
	if (res.docker) {
		ward_seccomp_docker_print(res.docker, out);
		if (res.over)
			print_policy(res.over, res.over, out);
		ward_seccomp_docker_action_text(res.docker->def_action, def,
						sizeof(def));
	} else {
		fprintf(out, "# %s\n", source_name(src));
		print_policy(res.pol, res.over, out);
		default_text(res.pol->def_action, res.pol->def_errnum, def,
			     sizeof(def));
	}
	snprintf(line, sizeof(line), "default %s", def);
	fprintf(out, "%-*s # everything else; other architectures: kill\n",
		COMMENT_COL - 2, line);
	ward_seccomp_resolved_free(&res);
	return 0;
}
