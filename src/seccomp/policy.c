/* ward seccomp policy files: a pure parser from memory into a
 * struct ward_seccomp_policy.  No syscalls: libseccomp is asked only for
 * syscall numbers (static tables).  The format is described in
 * seccomp_policy.h; the built-in policies at the end of this file are
 * written in it and go through the same parser. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seccomp/libseccomp_dl.h"

#include "base/err.h"
#include "seccomp/groups.h"
#include "seccomp/policy.h"

/* The longest token we look up; no syscall or group name comes close. */
#define NAME_MAX_LEN 64
#define RULE_NAME_SIZE sizeof(((struct ward_seccomp_rule *)0)->name)
/* Longest token quoted in a diagnostic. */
#define QUOTE_MAX 48

struct parser {
	const char *file;
	struct ward_seccomp_policy *pol;
	unsigned line;
	unsigned nerr;
	char msg[WARD_ERR_MSG_MAX];
	size_t msglen;
};

struct token {
	const char *s;
	size_t len;
	unsigned col; /* 1-based byte column */
};

/* What a line of names does to each syscall it names. */
struct verdict {
	struct parser *p;
	enum ward_seccomp_action action;
	int errnum;
	unsigned col;
	const char *group; /* the @group being expanded, or NULL */
};

static const struct {
	const char *name;
	int value;
} errno_names[] = {
	{"EPERM", EPERM}, {"ENOENT", ENOENT}, {"ESRCH", ESRCH},
	{"EINTR", EINTR}, {"EIO", EIO}, {"ENXIO", ENXIO}, {"E2BIG", E2BIG},
	{"ENOEXEC", ENOEXEC}, {"EBADF", EBADF}, {"ECHILD", ECHILD},
	{"EAGAIN", EAGAIN}, {"ENOMEM", ENOMEM}, {"EACCES", EACCES},
	{"EFAULT", EFAULT}, {"EBUSY", EBUSY}, {"EEXIST", EEXIST},
	{"EXDEV", EXDEV}, {"ENODEV", ENODEV}, {"ENOTDIR", ENOTDIR},
	{"EISDIR", EISDIR}, {"EINVAL", EINVAL}, {"ENFILE", ENFILE},
	{"EMFILE", EMFILE}, {"ENOTTY", ENOTTY}, {"ETXTBSY", ETXTBSY},
	{"EFBIG", EFBIG}, {"ENOSPC", ENOSPC}, {"ESPIPE", ESPIPE},
	{"EROFS", EROFS}, {"EMLINK", EMLINK}, {"EPIPE", EPIPE},
	{"EDOM", EDOM}, {"ERANGE", ERANGE}, {"ENOSYS", ENOSYS},
	{"ENOTSUP", ENOTSUP}, {"EOPNOTSUPP", EOPNOTSUPP},
	{"EAFNOSUPPORT", EAFNOSUPPORT},
	{"EPROTONOSUPPORT", EPROTONOSUPPORT}, {"ENOTSOCK", ENOTSOCK},
	{"EADDRNOTAVAIL", EADDRNOTAVAIL}, {"ENETUNREACH", ENETUNREACH},
	{"EHOSTUNREACH", EHOSTUNREACH}, {"ECONNREFUSED", ECONNREFUSED},
	{"ETIMEDOUT", ETIMEDOUT}, {"ECANCELED", ECANCELED},
};

const char *ward_seccomp_errno_name(int e)
{
	/* EOPNOTSUPP and ENOTSUP share a value: the first name wins. */
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]);
	     i++)
		if (errno_names[i].value == e)
			return errno_names[i].name;
	return NULL;
}

int ward_seccomp_errno_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]);
	     i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].value;
	return 0;
}

/* Quote untrusted bytes for a diagnostic: control bytes are escaped so a
 * policy file cannot write terminal escapes into ward's output. */
static void quote(char *dst, size_t size, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == QUOTE_MAX) {
			o += (size_t)snprintf(dst + o, size - o, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f)
			dst[o++] = (char)c;
		else
			o += (size_t)snprintf(dst + o, size - o, "\\x%02x", c);
	}
	dst[o] = '\0';
}

static void perr(struct parser *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(struct parser *p, unsigned col, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	int n;

	if (++p->nerr > WARD_SECCOMP_ERRORS_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (p->msglen >= sizeof(p->msg) - 1)
		return;
	n = snprintf(p->msg + p->msglen, sizeof(p->msg) - p->msglen,
		     "%s%s:%u:%u: error: %s", p->msglen ? "\n" : "", p->file,
		     p->line, col, text);
	if (n > 0)
		p->msglen += (size_t)n;
	if (p->msglen > sizeof(p->msg) - 1)
		p->msglen = sizeof(p->msg) - 1;
}

static bool tok_is(const struct token *t, const char *s)
{
	return t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

/* Copy a token into a C string; false when it is too long to be a name. */
static bool tok_copy(const struct token *t, size_t off, char *buf,
		     size_t size)
{
	if (t->len - off >= size)
		return false;
	memcpy(buf, t->s + off, t->len - off);
	buf[t->len - off] = '\0';
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Split a line into at most @max tokens; '#' ends the line. */
static size_t tokenize(const char *s, size_t len, struct token *toks,
		       size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		size_t start;

		while (i < len && is_space(s[i]))
			i++;
		if (i == len || s[i] == '#')
			break;
		start = i;
		while (i < len && !is_space(s[i]) && s[i] != '#')
			i++;
		toks[n].s = s + start;
		toks[n].len = i - start;
		toks[n].col = (unsigned)start + 1;
		n++;
	}
	return n;
}

/* The column just after the last token, for "missing ..." errors. */
static unsigned end_col(const struct token *t, size_t n)
{
	return t[n - 1].col + (unsigned)t[n - 1].len;
}

static unsigned slot_of(int nr)
{
	/* Fibonacci hashing into the power-of-two index. */
	return ((uint32_t)nr * 2654435761u) >> 21;
}

_Static_assert(sizeof(((struct ward_seccomp_policy *)0)->index) /
		       sizeof(uint16_t) == 1u << 11,
	       "slot_of() hashes into 2^11 slots");

/* Index of the rule for @nr in pol->rules, or -1. */
static long find_rule(const struct ward_seccomp_policy *pol, int nr)
{
	const size_t nslots = sizeof(pol->index) / sizeof(pol->index[0]);

	for (size_t i = slot_of(nr), k = 0; k < nslots;
	     i = (i + 1) % nslots, k++) {
		uint16_t v = pol->index[i];

		if (v == 0)
			return -1;
		if (pol->rules[v - 1].nr == nr)
			return v - 1;
	}
	return -1;
}

const struct ward_seccomp_rule *
ward_seccomp_policy_lookup(const struct ward_seccomp_policy *pol, int nr)
{
	long i = find_rule(pol, nr);

	return i < 0 ? NULL : &pol->rules[i];
}

static struct ward_seccomp_rule *rule_insert(struct ward_seccomp_policy *pol,
					     int nr)
{
	const size_t nslots = sizeof(pol->index) / sizeof(pol->index[0]);
	size_t i = slot_of(nr);

	if (pol->nrules == WARD_SECCOMP_RULES_MAX)
		return NULL;
	while (pol->index[i] != 0)
		i = (i + 1) % nslots;
	pol->rules[pol->nrules].nr = nr;
	pol->index[i] = (uint16_t)(pol->nrules + 1);
	return &pol->rules[pol->nrules++];
}

/* Record what a directive says about one syscall: a deny always wins
 * over an allow, a later deny replaces an earlier one. */
static void set_rule(struct verdict *v, int nr, const char *name)
{
	long i = find_rule(v->p->pol, nr);
	struct ward_seccomp_rule *r = i < 0 ? NULL : &v->p->pol->rules[i];

	if (r && v->action == WARD_SECCOMP_ACT_ALLOW)
		return;
	if (!r) {
		r = rule_insert(v->p->pol, nr);
		if (!r) {
			perr(v->p, v->col, "too many syscalls (limit %d)",
			     WARD_SECCOMP_RULES_MAX);
			return;
		}
		snprintf(r->name, sizeof(r->name), "%s", name);
	}
	r->action = v->action;
	r->errnum = v->errnum;
	r->line = v->p->line;
	r->col = v->col;
	snprintf(r->group, sizeof(r->group), "%s", v->group ? v->group : "");
}

/* A group member: names this libseccomp does not know, or that do not
 * exist on the native architecture, are skipped (see seccomp_groups.h). */
static int apply_member(const char *name, void *data)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr >= 0 && strlen(name) < RULE_NAME_SIZE)
		set_rule(data, nr, name);
	return 0;
}

/* Check one name or @group and, when @apply, record the verdict. */
static void apply_name(struct verdict *v, const struct token *t, bool apply)
{
	char name[NAME_MAX_LEN], q[4 * QUOTE_MAX];
	bool fits = tok_copy(t, 0, name, sizeof(name));
	int nr;

	quote(q, sizeof(q), t->s, t->len);
	if (t->s[0] == '@') {
		const struct ward_seccomp_group *g;

		g = fits ? ward_seccomp_group_find(name) : NULL;
		v->group = g ? g->name : NULL;
		if (!g)
			perr(v->p, t->col, "unknown syscall group '%s'", q);
		else if (apply &&
			 ward_seccomp_group_foreach(g, apply_member, v) < 0)
			perr(v->p, t->col, "group '%s' is broken", q);
		v->group = NULL;
		return;
	}
	nr = fits ? seccomp_syscall_resolve_name(name) : __NR_SCMP_ERROR;
	if (nr == __NR_SCMP_ERROR || t->len >= RULE_NAME_SIZE)
		perr(v->p, t->col, "unknown syscall '%s'", q);
	else if (nr < 0)
		perr(v->p, t->col,
		     "syscall '%s' does not exist on this architecture", q);
	else if (apply)
		set_rule(v, nr, name);
}

/* "errno=NAME" (with @off = 6) into an errno value, 0 when unknown. */
static int parse_errno(struct parser *p, const struct token *t)
{
	char name[NAME_MAX_LEN], q[4 * QUOTE_MAX];
	int e = 0;

	if (tok_copy(t, 6, name, sizeof(name)))
		e = ward_seccomp_errno_from_name(name);
	if (e == 0) {
		quote(q, sizeof(q), t->s + 6, t->len - 6);
		perr(p, t->col + 6, "unknown errno name '%s'", q);
	}
	return e;
}

static void do_default(struct parser *p, const struct token *t, size_t n)
{
	struct ward_seccomp_policy *pol = p->pol;
	char q[4 * QUOTE_MAX];

	if (n < 2) {
		perr(p, end_col(t, n), "missing action after 'default'");
		return;
	}
	if (n > 2) {
		quote(q, sizeof(q), t[2].s, t[2].len);
		perr(p, t[2].col, "unexpected '%s' after the action", q);
	}
	if (pol->def_line) {
		perr(p, t[0].col, "default action already set on line %u",
		     pol->def_line);
		return;
	}
	pol->def_line = p->line;
	pol->def_action = WARD_SECCOMP_ACT_ERRNO;
	if (tok_is(&t[1], "enosys")) {
		pol->def_errnum = ENOSYS;
	} else if (tok_is(&t[1], "errno")) {
		pol->def_errnum = EPERM;
	} else if (t[1].len >= 6 && memcmp(t[1].s, "errno=", 6) == 0) {
		pol->def_errnum = parse_errno(p, &t[1]);
	} else if (tok_is(&t[1], "kill")) {
		pol->def_action = WARD_SECCOMP_ACT_KILL;
	} else if (tok_is(&t[1], "log")) {
		pol->def_action = WARD_SECCOMP_ACT_LOG;
	} else if (tok_is(&t[1], "allow")) {
		perr(p, t[1].col, "'default allow' is not supported: a ward "
		     "policy is an allowlist (use 'default log' to audit)");
	} else {
		quote(q, sizeof(q), t[1].s, t[1].len);
		perr(p, t[1].col, "unknown action '%s' (expected errno, "
		     "errno=NAME, enosys, kill or log)", q);
	}
}

/* The one option of a deny line; false when it is malformed. */
static bool deny_option(struct parser *p, const struct token *t,
			struct verdict *v, bool *seen)
{
	char q[4 * QUOTE_MAX];

	if (*seen) {
		perr(p, t->col, "the deny action is given twice");
		return false;
	}
	*seen = true;
	if (t->len >= 6 && memcmp(t->s, "errno=", 6) == 0) {
		v->action = WARD_SECCOMP_ACT_ERRNO;
		v->errnum = parse_errno(p, t);
		return v->errnum != 0;
	}
	if (tok_is(t, "action=kill")) {
		v->action = WARD_SECCOMP_ACT_KILL;
		return true;
	}
	quote(q, sizeof(q), t->s, t->len);
	perr(p, t->col, "unknown option '%s' (expected errno=NAME or "
	     "action=kill)", q);
	return false;
}

static void do_names(struct parser *p, const struct token *t, size_t n,
		     bool deny)
{
	struct verdict v = {p, WARD_SECCOMP_ACT_ALLOW, 0, 0, NULL};
	bool seen = false, ok = true;
	size_t names = 0;

	if (deny) {
		v.action = WARD_SECCOMP_ACT_ERRNO;
		v.errnum = EPERM;
	}
	for (size_t i = 1; i < n; i++) {
		if (!memchr(t[i].s, '=', t[i].len)) {
			names++;
		} else if (!deny) {
			perr(p, t[i].col, "allow takes no options");
			ok = false;
		} else if (!deny_option(p, &t[i], &v, &seen)) {
			ok = false;
		}
	}
	if (names == 0)
		perr(p, end_col(t, n), "missing syscall names after '%s'",
		     deny ? "deny" : "allow");
	/* Names are checked even on a bad line, but applied only on a
	 * good one (the policy is refused anyway). */
	for (size_t i = 1; i < n; i++) {
		if (memchr(t[i].s, '=', t[i].len))
			continue;
		v.col = t[i].col;
		apply_name(&v, &t[i], ok);
	}
}

/* Line 1 must be "ward-seccomp 1"; false means stop reading. */
static bool parse_header(struct parser *p, const struct token *t, size_t n)
{
	char q[4 * QUOTE_MAX];

	if (n == 0 || !tok_is(&t[0], "ward-seccomp")) {
		perr(p, n ? t[0].col : 1, "expected 'ward-seccomp 1' on the "
		     "first line");
		return false;
	}
	if (n == 1) {
		perr(p, end_col(t, n), "missing version after 'ward-seccomp'");
		return false;
	}
	if (!tok_is(&t[1], "1")) {
		quote(q, sizeof(q), t[1].s, t[1].len);
		perr(p, t[1].col, "unsupported policy version '%s' (this ward "
		     "reads version 1)", q);
		return false;
	}
	if (n > 2) {
		quote(q, sizeof(q), t[2].s, t[2].len);
		perr(p, t[2].col, "unexpected '%s' after the version", q);
	}
	return true;
}

static void parse_line(struct parser *p, const struct token *t, size_t n)
{
	char q[4 * QUOTE_MAX];

	if (n == 0)
		return;
	if (tok_is(&t[0], "default")) {
		do_default(p, t, n);
	} else if (tok_is(&t[0], "allow")) {
		do_names(p, t, n, false);
	} else if (tok_is(&t[0], "deny")) {
		do_names(p, t, n, true);
	} else {
		quote(q, sizeof(q), t[0].s, t[0].len);
		perr(p, t[0].col, "unknown directive '%s' (expected default, "
		     "allow or deny)", q);
	}
}

/* ward executes the program after loading the filter, so a policy that
 * refuses execve could never start anything. */
static void check_execve(struct parser *p)
{
	const struct ward_seccomp_rule *r;

	r = ward_seccomp_policy_lookup(p->pol,
				       seccomp_syscall_resolve_name("execve"));
	if (r && r->action != WARD_SECCOMP_ACT_ALLOW) {
		p->line = r->line;
		perr(p, r->col, "execve cannot be denied: ward loads the "
		     "filter right before it executes the program");
	} else if (!r && p->pol->def_action != WARD_SECCOMP_ACT_LOG) {
		p->line = 1;
		perr(p, 1, "execve is not allowed (add 'allow execve' or "
		     "'allow @default'): ward loads the filter right before "
		     "it executes the program");
	}
}

/* Walk the lines; false when the header is wrong and reading stopped. */
static bool parse_lines(struct parser *p, const char *buf, size_t len,
			struct token *toks, size_t max)
{
	size_t pos = 0;

	for (p->line = 1; pos < len || p->line == 1; p->line++) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		size_t llen = end - pos, n = 0;
		const char *nul = memchr(buf + pos, '\0', llen);
		bool bad = true;

		if (llen > WARD_SECCOMP_LINE_MAX)
			perr(p, WARD_SECCOMP_LINE_MAX + 1, "line too long "
			     "(more than %d bytes)", WARD_SECCOMP_LINE_MAX);
		else if (nul)
			perr(p, (unsigned)(nul - (buf + pos)) + 1,
			     "NUL byte in line");
		else
			bad = false;
		if (!bad)
			n = tokenize(buf + pos, llen, toks, max);
		if (p->line == 1 && (bad || !parse_header(p, toks, n)))
			return false;
		if (p->line > 1 && !bad)
			parse_line(p, toks, n);
		pos = nl ? end + 1 : len;
	}
	return true;
}

int ward_seccomp_policy_parse(const char *file, const char *buf, size_t len,
			      struct ward_seccomp_policy **out,
			      struct ward_err *err)
{
	/* A line of at most LINE_MAX bytes has at most LINE_MAX/2 + 1
	 * tokens, so tokenize() never truncates an accepted line. */
	const size_t max = WARD_SECCOMP_LINE_MAX / 2 + 1;
	struct parser p = {.file = file ? file : "<policy>"};
	struct token *toks = calloc(max, sizeof(*toks));
	bool complete;

	if (!buf) {
		buf = "";
		len = 0;
	}
	p.pol = calloc(1, sizeof(*p.pol));
	if (!toks || !p.pol) {
		free(toks);
		free(p.pol);
		return ward_err_set(err, WARD_STEP_SECCOMP_BUILD, ENOMEM,
				    "%s: policy", p.file);
	}
	complete = parse_lines(&p, buf, len, toks, max);
	free(toks);
	if (!p.pol->def_line) {
		p.pol->def_action = WARD_SECCOMP_ACT_ERRNO;
		p.pol->def_errnum = ENOSYS;
	}
	if (complete)
		check_execve(&p);
	if (p.nerr == 0) {
		*out = p.pol;
		return 0;
	}
	free(p.pol);
	if (p.nerr > WARD_SECCOMP_ERRORS_SHOWN)
		return ward_err_set(err, WARD_STEP_SECCOMP_BUILD, 0,
				    "%s\n(%u errors in all)", p.msg, p.nerr);
	return ward_err_set(err, WARD_STEP_SECCOMP_BUILD, 0, "%s", p.msg);
}

void ward_seccomp_policy_free(struct ward_seccomp_policy *policy)
{
	free(policy);
}

/* The built-in policies, in the policy language itself. */
static const char default_text[] =
	"ward-seccomp 1\n"
	"# ward's default policy: an allowlist in the spirit of Docker's\n"
	"# default profile.  Anything not listed returns ENOSYS, so libc\n"
	"# treats new or unknown syscalls as absent and falls back (clone3\n"
	"# to clone).  What is known and refused returns EPERM.\n"
	"default enosys\n"
	"allow @ward-default\n"
	"deny @ward-deny errno=EPERM\n";

static const char strict_text[] =
	"ward-seccomp 1\n"
	"# ward's strict policy, for static programs that read stdin and\n"
	"# write stdout.  ENOSYS for the unlisted (libc fallbacks still\n"
	"# work), EPERM for the dangerous and for the network.\n"
	"default enosys\n"
	"allow @ward-strict\n"
	"deny @ward-deny @network-io errno=EPERM\n";

const char *ward_seccomp_policy_builtin_text(enum ward_seccomp_mode mode)
{
	switch (mode) {
	case WARD_SECCOMP_DEFAULT:
		return default_text;
	case WARD_SECCOMP_STRICT:
		return strict_text;
	case WARD_SECCOMP_FILE:
	case WARD_SECCOMP_OFF:
	case WARD_SECCOMP_DOCKER:
		break;
	}
	return NULL;
}

int ward_seccomp_policy_builtin(enum ward_seccomp_mode mode,
				struct ward_seccomp_policy **out,
				struct ward_err *err)
{
	const char *text = ward_seccomp_policy_builtin_text(mode);

	if (!text)
		return ward_err_set(err, WARD_STEP_SECCOMP_BUILD, EINVAL,
				    "no built-in seccomp policy for mode %d",
				    (int)mode);
	return ward_seccomp_policy_parse(mode == WARD_SECCOMP_DEFAULT
						 ? "<builtin default>"
						 : "<builtin strict>",
					 text, strlen(text), out, err);
}

int ward_seccomp_policy_overlay(struct ward_seccomp_policy *base,
				const struct ward_seccomp_policy *over)
{
	for (size_t i = 0; i < over->nrules; i++) {
		const struct ward_seccomp_rule *o = &over->rules[i];
		long k = find_rule(base, o->nr);
		struct ward_seccomp_rule *r = k < 0 ? rule_insert(base, o->nr)
						    : &base->rules[k];

		if (!r)
			return -ENOSPC;
		*r = *o;
	}
	if (over->def_line) {
		base->def_action = over->def_action;
		base->def_errnum = over->def_errnum;
		base->def_line = over->def_line;
	}
	return 0;
}

void ward_seccomp_policy_log_only(struct ward_seccomp_policy *pol)
{
	for (size_t i = 0; i < pol->nrules; i++)
		if (pol->rules[i].action != WARD_SECCOMP_ACT_ALLOW)
			pol->rules[i].action = WARD_SECCOMP_ACT_LOG;
	pol->def_action = WARD_SECCOMP_ACT_LOG;
}
