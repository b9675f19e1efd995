/* Docker/OCI seccomp profiles (JSON) into libseccomp rules.  The format,
 * the includes/excludes rules and every mapping choice are described in
 * seccomp/docker.h.  Parsing is pure (json-c and
 * libseccomp's static syscall tables); reading the file, uname and the
 * BPF export are the only effects, each in its own function. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <json-c/json.h>
#include "seccomp/libseccomp_dl.h"

#include "kernel/caps.h"
#include "base/cleanup.h"
#include "seccomp/docker.h"
#include "seccomp/docker_json.h"
#include "seccomp/build.h"
#include "seccomp/policy.h"

#define ERRNO_MAX 4094 /* the largest errno libseccomp accepts */

#if defined(__x86_64__) && !defined(__ILP32__)
#define NATIVE_GO "amd64"
#define NATIVE_SCMP "SCMP_ARCH_X86_64"
#elif defined(__aarch64__)
#define NATIVE_GO "arm64"
#define NATIVE_SCMP "SCMP_ARCH_AARCH64"
#elif defined(__s390x__)
#define NATIVE_GO "s390x"
#define NATIVE_SCMP "SCMP_ARCH_S390X"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_GO "ppc64le"
#define NATIVE_SCMP "SCMP_ARCH_PPC64LE"
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_GO "riscv64"
#define NATIVE_SCMP "SCMP_ARCH_RISCV64"
#else
#define NATIVE_GO "unknown"
#define NATIVE_SCMP "SCMP_ARCH_NATIVE"
#endif

/* Architecture names in "architectures" and "archMap" (the OCI runtime
 * spec's list); "arches" names are in docker_filter.c. */
static const char *const scmp_arches[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
	"SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
	"SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
	"SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
	"SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH",
	"SCMP_ARCH_SHEB", NULL,
};

static const struct {
	const char *name;
	int op;
	const char *text;
} ops[] = {
	{"SCMP_CMP_NE", SCMP_CMP_NE, "!="},
	{"SCMP_CMP_LT", SCMP_CMP_LT, "<"},
	{"SCMP_CMP_LE", SCMP_CMP_LE, "<="},
	{"SCMP_CMP_EQ", SCMP_CMP_EQ, "=="},
	{"SCMP_CMP_GE", SCMP_CMP_GE, ">="},
	{"SCMP_CMP_GT", SCMP_CMP_GT, ">"},
	{"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ, "&"},
};

/* ---- actions ----------------------------------------------------------- */

enum act_kind { ACT_PLAIN, ACT_ERRNO, ACT_TRACE, ACT_REFUSED };

static const struct {
	const char *name;
	enum act_kind kind;
	uint32_t action;
} actions[] = {
	{"SCMP_ACT_ALLOW", ACT_PLAIN, SCMP_ACT_ALLOW},
	{"SCMP_ACT_ERRNO", ACT_ERRNO, 0},
	/* A killed thread leaves a process in an undefined state: ward's
	 * kill is always the whole process. */
	{"SCMP_ACT_KILL", ACT_PLAIN, SCMP_ACT_KILL_PROCESS},
	{"SCMP_ACT_KILL_THREAD", ACT_PLAIN, SCMP_ACT_KILL_PROCESS},
	{"SCMP_ACT_KILL_PROCESS", ACT_PLAIN, SCMP_ACT_KILL_PROCESS},
	{"SCMP_ACT_TRAP", ACT_PLAIN, SCMP_ACT_TRAP},
	/* No tracer is ever attached by ward; without one the kernel
	 * answers ENOSYS, so say so in the filter itself. */
	{"SCMP_ACT_TRACE", ACT_TRACE, SCMP_ACT_ERRNO(ENOSYS)},
	{"SCMP_ACT_LOG", ACT_PLAIN, SCMP_ACT_LOG},
	{"SCMP_ACT_NOTIFY", ACT_REFUSED, 0},
};

/* The errno of an ERRNO action: the number, else the containers/common
 * name, else EPERM; both given must agree. */
static int action_errno(struct jp *j, json_object *o, const char *path,
			const char *num_key, const char *name_key, int *out)
{
	char sub[PATH_LEN], q[4 * QUOTE_MAX];
	json_object *name = NULL;
	uint64_t num = 0;
	bool given;
	int r, byname = 0;

	if ((r = ward_dj_uint_member(j, o, path, num_key, ERRNO_MAX, &given, &num)) < 0 ||
	    (r = ward_dj_member(j, o, path, name_key, json_type_string, &name)) < 0)
		return r;
	if (name) {
		ward_dj_subpath(sub, path, name_key);
		byname = ward_seccomp_errno_from_name(json_object_get_string(name));
		ward_dj_quote(q, sizeof(q), json_object_get_string(name));
		if (!byname)
			return ward_dj_fail(j, sub, "unknown errno name \"%s\"", q);
		if (given && (uint64_t)byname != num)
			return ward_dj_fail(j, sub, "\"%s\" is %d, but %s says %llu", q,
				    byname, num_key, (unsigned long long)num);
	}
	*out = given ? (int)num : byname ? byname : EPERM;
	return 0;
}

/* @o's action (@key) with its errno keys, into a libseccomp action. */
static int parse_action(struct jp *j, json_object *o, const char *path,
			const char *key, const char *num_key,
			const char *name_key, uint32_t *out)
{
	char sub[PATH_LEN], q[4 * QUOTE_MAX];
	json_object *v = NULL;
	const char *name;
	int r, e = 0;

	ward_dj_subpath(sub, path, key);
	if ((r = ward_dj_member(j, o, path, key, json_type_string, &v)) < 0)
		return r;
	if (!v)
		return ward_dj_fail(j, sub, "missing");
	name = json_object_get_string(v);
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(actions[i].name, name) != 0)
			continue;
		if (actions[i].kind == ACT_REFUSED)
			return ward_dj_fail(j, sub, "%s needs a supervisor listening for "
				    "notifications; ward has none", name);
		if ((r = action_errno(j, o, path, num_key, name_key, &e)) < 0)
			return r;
		if (actions[i].kind == ACT_PLAIN &&
		    (ward_dj_present(o, num_key) || ward_dj_present(o, name_key))) {
			ward_dj_subpath(sub, path, ward_dj_present(o, num_key) ? num_key : name_key);
			return ward_dj_fail(j, sub, "only SCMP_ACT_ERRNO and "
				    "SCMP_ACT_TRACE take an errno");
		}
		*out = actions[i].kind == ACT_ERRNO ? SCMP_ACT_ERRNO((uint16_t)e)
						    : actions[i].action;
		return 0;
	}
	ward_dj_quote(q, sizeof(q), name);
	return ward_dj_fail(j, sub, "unknown action \"%s\"", q);
}

/* ---- arguments --------------------------------------------------------- */

static const char *const arg_keys[] = {"index", "value", "valueTwo", "op",
				       NULL};

static int parse_op(struct jp *j, json_object *o, const char *path, int *out)
{
	char sub[PATH_LEN], q[4 * QUOTE_MAX];
	json_object *v = NULL;
	int r = ward_dj_member(j, o, path, "op", json_type_string, &v);

	ward_dj_subpath(sub, path, "op");
	if (r < 0)
		return r;
	if (!v)
		return ward_dj_fail(j, sub, "missing");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, json_object_get_string(v)) == 0) {
			*out = ops[i].op;
			return 0;
		}
	ward_dj_quote(q, sizeof(q), json_object_get_string(v));
	return ward_dj_fail(j, sub, "unknown operator \"%s\"", q);
}

static int parse_arg(struct jp *j, json_object *o, const char *path,
		     struct ward_docker_arg *a)
{
	char sub[PATH_LEN];
	uint64_t index = 0;
	bool given;
	int r;

	if (!json_object_is_type(o, json_type_object))
		return ward_dj_fail(j, path, "expected an object, found %s",
			    ward_dj_type_name(json_object_get_type(o)));
	if ((r = ward_dj_check_keys(j, o, path, arg_keys)) < 0 ||
	    (r = ward_dj_uint_member(j, o, path, "index", WARD_DOCKER_ARGS_MAX - 1,
			     &given, &index)) < 0)
		return r;
	ward_dj_subpath(sub, path, "index");
	if (!given)
		return ward_dj_fail(j, sub, "missing");
	a->index = (unsigned)index;
	if ((r = parse_op(j, o, path, &a->op)) < 0 ||
	    (r = ward_dj_uint_member(j, o, path, "value", UINT64_MAX, &given,
			     &a->value)) < 0 ||
	    (r = ward_dj_uint_member(j, o, path, "valueTwo", UINT64_MAX, &given,
			     &a->value_two)) < 0)
		return r;
	/* libseccomp ignores valueTwo but for the masked compare: a
	 * nonzero one elsewhere is a mistake in the profile. */
	ward_dj_subpath(sub, path, "valueTwo");
	if (a->op != SCMP_CMP_MASKED_EQ && a->value_two != 0)
		return ward_dj_fail(j, sub, "only SCMP_CMP_MASKED_EQ uses valueTwo");
	return 0;
}

static int parse_args(struct jp *j, json_object *o, const char *path,
		      struct ward_docker_rule *rule)
{
	char sub[PATH_LEN], apath[PATH_LEN];
	json_object *arr = NULL;
	unsigned seen = 0;
	size_t n;
	int r = ward_dj_member(j, o, path, "args", json_type_array, &arr);

	if (r < 0 || !arr)
		return r;
	ward_dj_subpath(apath, path, "args");
	n = json_object_array_length(arr);
	if (n > WARD_DOCKER_ARGS_MAX)
		return ward_dj_fail(j, apath, "%zu conditions (at most %d)", n,
			    WARD_DOCKER_ARGS_MAX);
	for (size_t i = 0; i < n; i++) {
		struct ward_docker_arg *a = &rule->args[i];

		ward_dj_indexpath(sub, apath, i);
		if ((r = parse_arg(j, json_object_array_get_idx(arr, i), sub,
				   a)) < 0)
			return r;
		/* runc would OR such conditions, libseccomp cannot AND
		 * them: the profile's intent is unclear. */
		if (seen & (1u << a->index))
			return ward_dj_fail(j, sub, "a second condition on argument %u "
				    "(runc would OR them, libseccomp cannot "
				    "AND them): write one rule per condition",
				    a->index);
		seen |= 1u << a->index;
	}
	rule->nargs = (unsigned)n;
	return 0;
}

/* ---- syscall rules ----------------------------------------------------- */

static const char *const rule_keys[] = {"names", "name", "action", "errnoRet",
					"errno", "args", "includes",
					"excludes", NULL};

/* A syscall name as Docker writes them: lower case, digits, '_'. */
static bool name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= WARD_DOCKER_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* "names" (or the older single "name"): at least one. */
static int rule_names(struct jp *j, json_object *o, const char *path,
		      json_object **names, json_object **single)
{
	char sub[PATH_LEN], q[4 * QUOTE_MAX];
	const char *s;
	int r;

	if ((r = ward_dj_member(j, o, path, "names", json_type_array, names)) < 0 ||
	    (r = ward_dj_member(j, o, path, "name", json_type_string, single)) < 0)
		return r;
	if (*names && *single)
		return ward_dj_fail(j, path, "both \"name\" and \"names\" given");
	if (*single) {
		ward_dj_subpath(sub, path, "name");
		ward_dj_quote(q, sizeof(q), json_object_get_string(*single));
		return name_valid(json_object_get_string(*single)) ? 0 :
		       ward_dj_fail(j, sub, "not a syscall name: \"%s\"", q);
	}
	ward_dj_subpath(sub, path, "names");
	if (!*names || json_object_array_length(*names) == 0)
		return ward_dj_fail(j, path, "no syscall names");
	for (size_t i = 0; i < json_object_array_length(*names); i++) {
		if ((r = ward_dj_array_string(j, *names, i, sub, NULL, NULL, &s)) < 0)
			return r;
		if (!name_valid(s)) {
			char at[PATH_LEN];

			ward_dj_indexpath(at, sub, i);
			ward_dj_quote(q, sizeof(q), s);
			return ward_dj_fail(j, at, "not a syscall name: \"%s\"", q);
		}
	}
	return 0;
}

/* A rule with the default action goes aside (see the header). */
static int push_rule(struct jp *j, const struct ward_docker_rule *rule)
{
	struct ward_docker_profile *p = j->p;
	int r = rule->action == p->def_action
		? ward_seccomp_docker_append(&p->defaulted, &p->ndefaulted, &p->defaulted_cap, rule)
		: ward_seccomp_docker_append(&p->rules, &p->nrules, &p->cap, rule);

	return r < 0 ? ward_err_set(j->err, STEP, ENOMEM, "%s", j->file) : 0;
}

/* A short list of a rule's names for notes: "a, b, c (+4)". */
static void names_text(json_object *names, json_object *single, char *buf,
		       size_t len)
{
	size_t n = names ? json_object_array_length(names) : 1, o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && i < 3 && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
				      json_object_get_string(names ?
					json_object_array_get_idx(names, i) :
					single));
	if (n > 3 && o < len)
		snprintf(buf + o, len - o, " (+%zu)", n - 3);
}

/* One rule per known name; unknown names are skipped and noted. */
static int add_names(struct jp *j, json_object *names, json_object *single,
		     struct ward_docker_rule *rule)
{
	size_t n = names ? json_object_array_length(names) : 1;
	char unknown[160] = "";
	size_t o = 0;
	unsigned skipped = 0;
	int r;

	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(
			names ? json_object_array_get_idx(names, i) : single);
		/* Negative: a pseudo number, this arch lacks it (socketcall
		 * on x86_64); __NR_SCMP_ERROR: libseccomp does not know it. */
		int nr = seccomp_syscall_resolve_name(s);

		if (nr < 0) {
			skipped++;
			if (o < sizeof(unknown))
				o += (size_t)snprintf(unknown + o, sizeof(unknown) - o,
						      "%s%s", o ? " " : "", s);
			continue;
		}
		rule->nr = nr;
		snprintf(rule->name, sizeof(rule->name), "%s", s);
		if ((r = push_rule(j, rule)) < 0)
			return r;
	}
	j->p->unknown_names += skipped;
	if (skipped)
		ward_dj_note(j->p, "$.syscalls[%u]: %u name(s) unknown on this "
		     "architecture, skipped as Docker does: %s%s", rule->src,
		     skipped, unknown, o >= sizeof(unknown) ? "..." : "");
	return 0;
}

static int parse_rule(struct jp *j, json_object *o, size_t idx)
{
	struct ward_docker_rule rule = {.src = (unsigned)idx};
	char path[PATH_LEN], why[96], names_buf[96], act[32];
	json_object *names = NULL, *single = NULL;
	struct filter inc, exc;
	int r;

	ward_dj_indexpath(path, "$.syscalls", idx);
	if (!json_object_is_type(o, json_type_object))
		return ward_dj_fail(j, path, "expected an object, found %s",
			    ward_dj_type_name(json_object_get_type(o)));
	/* Everything is checked before includes/excludes are decided: a
	 * mistake in a rule that does not apply here is still a mistake. */
	if ((r = ward_dj_check_keys(j, o, path, rule_keys)) < 0 ||
	    (r = rule_names(j, o, path, &names, &single)) < 0 ||
	    (r = parse_action(j, o, path, "action", "errnoRet", "errno",
			      &rule.action)) < 0 ||
	    (r = parse_args(j, o, path, &rule)) < 0 ||
	    (r = ward_dj_parse_filter(j, o, path, "includes", &inc)) < 0 ||
	    (r = ward_dj_parse_filter(j, o, path, "excludes", &exc)) < 0)
		return r;
	names_text(names, single, names_buf, sizeof(names_buf));
	if (!ward_dj_applies(j, &inc, &exc, why, sizeof(why))) {
		ward_dj_note(j->p, "$.syscalls[%zu] (%s) not applied: %s", idx,
		     names_buf, why);
		return 0;
	}
	/* libseccomp refuses a rule with the default action, and it
	 * would change nothing: runc skips it too (push_rule sets it
	 * aside). */
	if (rule.action == j->p->def_action) {
		ward_seccomp_docker_action_text(rule.action, act, sizeof(act));
		ward_dj_note(j->p, "$.syscalls[%zu] (%s): %s is the default action "
		     "already", idx, names_buf, act);
	}
	return add_names(j, names, single, &rule);
}

/* ---- conflicts --------------------------------------------------------- */

static int by_nr(const void *a, const void *b)
{
	const struct ward_docker_rule *x = *(const struct ward_docker_rule *const *)a;
	const struct ward_docker_rule *y = *(const struct ward_docker_rule *const *)b;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x < y ? -1 : x > y; /* keep the profile's order */
}

/* A rule that has no effect: noted for show, not refused (the profile
 * means the same under runc and crun). */
static void shadowed(struct jp *j, const struct ward_docker_rule *un,
		     const struct ward_docker_rule *r)
{
	char a[32], b[32];

	ward_seccomp_docker_action_text(un->action, a, sizeof(a));
	ward_seccomp_docker_action_text(r->action, b, sizeof(b));
	ward_dj_note(j->p, "$.syscalls[%u]: %s %s%s has no effect: $.syscalls[%u] "
	     "gives it %s unconditionally%s", r->src, r->name, b,
	     r->nargs ? " with conditions" : "", un->src, a,
	     r->action == un->action ? "" : " (the first unconditional rule "
	     "decides, in libseccomp as under runc and crun)");
}

/* The rules of one syscall, sorted.  libseccomp's semantics, made
 * visible: the first unconditional rule decides the syscall alone; later
 * unconditional rules and every conditional one are dropped (libseccomp
 * would drop them silently). */
static void settle(struct jp *j, struct ward_docker_rule **rs, size_t n)
{
	struct ward_docker_rule *un = NULL;

	for (size_t i = 0; i < n && !un; i++)
		if (rs[i]->nargs == 0)
			un = rs[i];
	for (size_t i = 0; un && i < n; i++) {
		if (rs[i] == un)
			continue;
		if (rs[i]->nargs || rs[i]->action != un->action)
			shadowed(j, un, rs[i]);
		rs[i]->nr = -1; /* dropped */
	}
}

static void compact(struct ward_docker_profile *p)
{
	size_t o = 0;

	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].nr >= 0)
			p->rules[o++] = p->rules[i];
	p->nrules = o;
}

static int settle_all(struct jp *j)
{
	struct ward_docker_profile *p = j->p;
	_cleanup_free_ struct ward_docker_rule **rs = NULL;

	if (p->nrules == 0)
		return 0;
	rs = calloc(p->nrules, sizeof(*rs));
	if (!rs)
		return ward_err_set(j->err, STEP, ENOMEM, "%s", j->file);
	for (size_t i = 0; i < p->nrules; i++)
		rs[i] = &p->rules[i];
	qsort(rs, p->nrules, sizeof(*rs), by_nr);
	for (size_t i = 0, k; i < p->nrules; i = k) {
		for (k = i + 1; k < p->nrules && rs[k]->nr == rs[i]->nr; k++)
			;
		settle(j, rs + i, k - i);
	}
	compact(p);
	return 0;
}

/* ---- the top level ----------------------------------------------------- */

static const char *const top_keys[] = {
	"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures",
	"archMap", "syscalls", "flags", "listenerPath", "listenerMetadata",
	NULL,
};
static const char *const archmap_keys[] = {"architecture",
					   "subArchitectures", NULL};

/* archMap entries: names checked; the native entry's sub-architectures
 * are noted as not added. */
static int parse_archmap(struct jp *j, json_object *arr)
{
	char path[PATH_LEN], sub[PATH_LEN];
	json_object *a, *subs;
	const char *name;
	int r;

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		ward_dj_indexpath(path, "$.archMap", i);
		if (!json_object_is_type(e, json_type_object))
			return ward_dj_fail(j, path, "expected an object");
		if ((r = ward_dj_check_keys(j, e, path, archmap_keys)) < 0 ||
		    (r = ward_dj_member(j, e, path, "architecture", json_type_string,
				&a)) < 0 ||
		    (r = ward_dj_member(j, e, path, "subArchitectures",
				json_type_array, &subs)) < 0)
			return r;
		ward_dj_subpath(sub, path, "architecture");
		if (!a)
			return ward_dj_fail(j, sub, "missing");
		if (!ward_dj_in_list(scmp_arches, json_object_get_string(a)))
			return ward_dj_fail(j, sub, "unknown architecture");
		ward_dj_subpath(sub, path, "subArchitectures");
		for (size_t k = 0; subs && k < json_object_array_length(subs); k++)
			if ((r = ward_dj_array_string(j, subs, k, sub, scmp_arches,
					      "architecture", &name)) < 0)
				return r;
		if (subs && json_object_array_length(subs) &&
		    strcmp(json_object_get_string(a), NATIVE_SCMP) == 0)
			ward_dj_note(j->p, "%s: its sub-architectures are not added: "
			     "ward filters the native arch only, a 32-bit or "
			     "x32 syscall kills the process", path);
	}
	return 0;
}

static int parse_arches(struct jp *j, json_object *top)
{
	json_object *list = NULL, *map = NULL;
	const char *name;
	int r;

	if ((r = ward_dj_member(j, top, "$", "architectures", json_type_array,
			&list)) < 0 ||
	    (r = ward_dj_member(j, top, "$", "archMap", json_type_array, &map)) < 0)
		return r;
	if (list && map && json_object_array_length(list) &&
	    json_object_array_length(map))
		return ward_dj_fail(j, "$", "both \"architectures\" and \"archMap\" "
			    "given (Docker refuses that too)");
	for (size_t i = 0; list && i < json_object_array_length(list); i++)
		if ((r = ward_dj_array_string(j, list, i, "$.architectures",
				      scmp_arches, "architecture", &name)) < 0)
			return r;
	if (list && json_object_array_length(list) > 1)
		ward_dj_note(j->p, "$.architectures: only the native arch is "
		     "filtered; other arches' syscalls kill the process");
	return map ? parse_archmap(j, map) : 0;
}

/* flags: TSYNC means nothing for ward's single-threaded child; the
 * others would change what the filter does beyond its rules. */
static int parse_flags(struct jp *j, json_object *top)
{
	json_object *arr = NULL;
	char path[PATH_LEN], q[4 * QUOTE_MAX];
	const char *name;
	int r = ward_dj_member(j, top, "$", "flags", json_type_array, &arr);

	for (size_t i = 0; r == 0 && arr && i < json_object_array_length(arr); i++) {
		if ((r = ward_dj_array_string(j, arr, i, "$.flags", NULL, NULL, &name)) < 0)
			return r;
		ward_dj_indexpath(path, "$.flags", i);
		ward_dj_quote(q, sizeof(q), name);
		if (strcmp(name, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
			continue;
		if (strcmp(name, "SECCOMP_FILTER_FLAG_LOG") == 0 ||
		    strcmp(name, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0 ||
		    strcmp(name, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
			return ward_dj_fail(j, path, "%s is not supported (ward loads "
				    "its filters without flags; for logging "
				    "use SCMP_ACT_LOG or seccomp-log-only)", q);
		return ward_dj_fail(j, path, "unknown flag \"%s\"", q);
	}
	return r;
}

static int parse_listener(struct jp *j, json_object *top)
{
	static const char *const keys[] = {"listenerPath", "listenerMetadata"};
	json_object *v = NULL;
	char path[PATH_LEN];
	int r;

	for (size_t i = 0; i < 2; i++) {
		if ((r = ward_dj_member(j, top, "$", keys[i], json_type_string, &v)) < 0)
			return r;
		ward_dj_subpath(path, "$", keys[i]);
		if (v && json_object_get_string_len(v) > 0)
			return ward_dj_fail(j, path, "a seccomp agent is not supported");
	}
	return 0;
}

static int parse_top(struct jp *j, json_object *top)
{
	json_object *calls = NULL;
	int r;

	if (!json_object_is_type(top, json_type_object))
		return ward_dj_fail(j, "$", "expected an object, found %s",
			    ward_dj_type_name(json_object_get_type(top)));
	if ((r = ward_dj_check_keys(j, top, "$", top_keys)) < 0 ||
	    (r = parse_action(j, top, "$", "defaultAction", "defaultErrnoRet",
			      "defaultErrno", &j->p->def_action)) < 0 ||
	    (r = parse_arches(j, top)) < 0 || (r = parse_flags(j, top)) < 0 ||
	    (r = parse_listener(j, top)) < 0 ||
	    (r = ward_dj_member(j, top, "$", "syscalls", json_type_array, &calls)) < 0)
		return r;
	for (size_t i = 0; calls && i < json_object_array_length(calls); i++)
		if ((r = parse_rule(j, json_object_array_get_idx(calls, i), i)) < 0)
			return r;
	return settle_all(j);
}

/* Line and column of byte @off, for syntax errors. */
static void line_col(const char *buf, size_t off, unsigned *line,
		     unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static int parse_json(struct jp *j, const char *buf, size_t len,
		      json_object **out)
{
	struct json_tokener *tok;
	enum json_tokener_error e;
	json_object *root;
	unsigned line, col;
	size_t end;

	if (len > WARD_DOCKER_FILE_MAX)
		return ward_err_set(j->err, STEP, EFBIG, "%s: larger than %d bytes",
				    j->file, WARD_DOCKER_FILE_MAX);
	tok = json_tokener_new_ex(WARD_DOCKER_DEPTH);
	if (!tok)
		return ward_err_set(j->err, STEP, ENOMEM, "%s", j->file);
	/* Strict: no comments, single quotes or trailing commas, valid
	 * UTF-8 only. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
				    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e == json_tokener_continue)
		e = json_tokener_error_parse_eof;
	while (root && end < len && buf[end] && strchr(" \t\r\n", buf[end]))
		end++;
	if (root && e == json_tokener_success && end == len) {
		*out = root;
		return 0;
	}
	json_object_put(root);
	line_col(buf, end < len ? end : len, &line, &col);
	return ward_err_set(j->err, STEP, 0, "%s:%u:%u: JSON syntax error: %s",
			    j->file, line, col,
			    e == json_tokener_success ? "data after the end"
						      : json_tokener_error_desc(e));
}

int ward_seccomp_docker_parse(const char *file, const char *buf, size_t len,
			      const struct ward_docker_context *ctx,
			      struct ward_docker_profile **out,
			      struct ward_err *err)
{
	struct jp j = {.file = file ? file : "<json>", .ctx = ctx, .err = err};
	json_object *root = NULL;
	int r;

	j.p = calloc(1, sizeof(*j.p));
	if (!j.p || !(j.p->file = strdup(j.file))) {
		free(j.p);
		return ward_err_set(err, STEP, ENOMEM, "%s", j.file);
	}
	r = parse_json(&j, buf ? buf : "", buf ? len : 0, &root);
	if (r == 0)
		r = parse_top(&j, root);
	json_object_put(root);
	if (r < 0) {
		ward_seccomp_docker_free(j.p);
		return r;
	}
	*out = j.p;
	return 0;
}

int ward_seccomp_docker_read(const char *path,
			     const struct ward_docker_context *ctx,
			     struct ward_docker_profile **out,
			     struct ward_err *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r = ward_seccomp_read_file(path, WARD_DOCKER_FILE_MAX,
				       "Docker seccomp profile", &buf, &len, err);

	if (r < 0)
		return r;
	return ward_seccomp_docker_parse(path, buf, len, ctx, out, err);
}

int ward_seccomp_docker_context(uint64_t caps, struct ward_docker_context *ctx,
				struct ward_err *err)
{
	struct utsname u;

	if (uname(&u) < 0)
		return ward_err_set(err, STEP, errno, "uname");
	if (sscanf(u.release, "%u.%u", &ctx->kernel_major,
		   &ctx->kernel_minor) != 2)
		return ward_err_set(err, STEP, EINVAL, "kernel release \"%.64s\"",
				    u.release);
	ctx->caps = caps;
	ctx->arch = NATIVE_GO;
	return 0;
}

void ward_seccomp_docker_free(struct ward_docker_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	free(p->rules);
	free(p->defaulted);
	free(p->file);
	free(p);
}
