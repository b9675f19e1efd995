/* The directive table: one row per `ward run` option and profile key
 * (directives.c).  The command-line parser (cli.c), `ward run --help`,
 * the profile parser (profile.c) and ward_plan_apply (plan.c) all read
 * it; tests/unit/test_directives.c holds it against ward-profile(5).
 *
 * A new directive is a row here and its resolver (resolve.c, misc.c,
 * confine.c or secrets.c), plus the builder field the row lands in and
 * its line in man/ward-profile.5.  Private to plan/. */
#ifndef WARD_PLAN_DIRECTIVES_H
#define WARD_PLAN_DIRECTIVES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "plan/plan.h"

/* Room for the rows (directives.c checks the table fits): the builder
 * keeps a scalar's origin by its row. */
#define WARD_DIRECTIVES_MAX 48

enum ward_dir_kind {
	/* One value.  Within one profile file it may be set once (again
	 * only to the same value); a later file, then the command line,
	 * replaces it. */
	WARD_DIR_SCALAR,
	/* One value; the last one given counts and none conflicts. */
	WARD_DIR_LAST,
	/* Values accumulate, at most .max of them. */
	WARD_DIR_LIST,
	/* No value. */
	WARD_DIR_FLAG,
};

enum ward_dir_scope {
	/* A profile key and a `ward run` option, listed by --help. */
	WARD_DIR_BOTH,
	/* The same, but left out of --help: a profile's directive, which
	 * ward-profile(5) documents. */
	WARD_DIR_BOTH_UNLISTED,
	/* Written down in a profile, refused on the command line. */
	WARD_DIR_PROFILE_ONLY,
	/* A `ward run` option only, not a plan directive. */
	WARD_DIR_CLI_ONLY,
};

struct ward_plan_builder;
struct ward_directive;

/* Syntax of a value, checked before it is stored: no filesystem, no
 * state.  0, or -errno with @err's message (ward_plan_apply adds the
 * origin). */
typedef int (*ward_dir_check_fn)(const char *value, struct ward_err *err);

/* Store a value the row's own way: parsed once, here (net, mode,
 * cap-keep, ...), or into a list of its own.  Its errors are final: a
 * setter names the origin itself (ward_plan_usage_err).  @value is NULL
 * for a flag. */
typedef int (*ward_dir_set_fn)(struct ward_plan_builder *b,
			       const struct ward_directive *d, const char *value,
			       const struct ward_origin *o, struct ward_err *err);

struct ward_directive {
	const char *name;          /* "--NAME" and the profile key NAME */
	enum ward_dir_kind kind;
	enum ward_dir_scope scope;
	ward_dir_check_fn check;   /* NULL: any value */
	/* Where the value lands: with no setter, the text itself at .field
	 * (char * for a scalar, char *[] with its size_t at .count for a
	 * list, and the origins at .where when .where_kept). */
	ward_dir_set_fn set;
	size_t field;
	size_t count;
	size_t where;
	bool where_kept;
	size_t max;                /* a list's bound: more is an error */
	const char *help;          /* its lines of `ward run --help`, exactly */
	char short_name;           /* a flag's one-letter spelling: -v */
	/* A command-line spelling of another directive: "--no-init" is
	 * "--init no". */
	const char *alias_of;
	const char *alias_value;
};

/* The rows, in `ward run --help` order, ending with a row whose name is
 * NULL. */
extern const struct ward_directive ward_directives[];

/* The row named @name (exactly), or NULL. */
const struct ward_directive *ward_directive_find(const char *name);

/* The directive name nearest to the mistyped @word, or NULL: among the
 * profile keys (@profile) or the `ward run` options.  Every row takes
 * part, so a new directive is suggested without more code. */
const char *ward_directive_suggest(const char *word, bool profile);

/* The row whose short option is @c ('v'), or NULL. */
const struct ward_directive *ward_directive_find_short(char c);

/* The row's index in ward_directives (below WARD_DIRECTIVES_MAX). */
size_t ward_directive_index(const struct ward_directive *d);

/* True when ward_plan_apply takes @d (every row but the command line's
 * own: --profile and aliases). */
bool ward_directive_in_plan(const struct ward_directive *d);

/* An error naming the origin: "file:line:col: error: MSG" and
 * WARD_STEP_PROFILE for a profile line, MSG and WARD_STEP_USAGE for the
 * command line (plan.c). */
int ward_plan_usage_err(struct ward_err *err, const struct ward_origin *o,
			const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Checks and setters the rows name that live beside their resolvers. */
int ward_plan_check_hostname(const char *value, struct ward_err *err);
int ward_plan_check_rlimit(const char *value, struct ward_err *err);
int ward_plan_check_env(const char *value, struct ward_err *err);
int ward_plan_check_secret(const char *value, struct ward_err *err);
int ward_plan_check_secret_env(const char *value, struct ward_err *err);
int ward_plan_check_listen(const char *value, struct ward_err *err);
int ward_plan_check_listen_env(const char *value, struct ward_err *err);
int ward_plan_set_listen(struct ward_plan_builder *b,
			 const struct ward_directive *d, const char *value,
			 const struct ward_origin *o, struct ward_err *err);
int ward_plan_set_secret(struct ward_plan_builder *b,
			 const struct ward_directive *d, const char *value,
			 const struct ward_origin *o, struct ward_err *err);

#endif
