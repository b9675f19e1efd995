/* The directive table: every `ward run` option and profile key, one row
 * each (see directives.h), with the checks and setters only a row uses.
 * A row says what the value is (scalar, list, flag, and a list's bound),
 * where it may be given, how its syntax is checked when it is applied
 * (so a profile reports it with its line), where it lands in the
 * builder, and its lines of `ward run --help`.  Resolution, which needs
 * the filesystem or every directive at once, is the resolvers' (resolve.c
 * and the files it calls). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "engine/dockersock.h"
#include "kernel/caps.h"
#include "kernel/landlock.h"
#include "plan/builder.h"
#include "plan/directives.h"
#include "plan/net_addr.h"
#include "seccomp/seccomp.h"
#include "base/suggest.h"
#include "base/util.h"

/* ---- checks: syntax of a value kept as text ------------------------------ */

static int check_writable(const char *value, struct ward_err *err)
{
	char norm[PATH_MAX];

	if (ward_path_normalize(value, norm, sizeof(norm)) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--writable %s: expected an absolute path without '..'",
				    value);
	if (strcmp(norm, "/") == 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--writable /: the whole root writable defeats the read-only root; name the directories");
	return 0;
}

static int check_ports(const char *value, struct ward_err *err)
{
	uint16_t ports[WARD_MAX_PORTS];
	size_t n;

	return ward_landlock_parse_ports(value, ports, WARD_MAX_PORTS, &n, err);
}

static int check_landlock(const char *value, struct ward_err *err)
{
	if (strcmp(value, "required") && strcmp(value, "optional"))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--landlock: expected required or optional, got '%s'",
				    value);
	return 0;
}

static int check_allow_socket(const char *value, struct ward_err *err)
{
	char norm[PATH_MAX];

	if (ward_path_normalize(value, norm, sizeof(norm)) < 0 || strcmp(norm, "/") == 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "allow-socket %s: expected the absolute path of a socket, without '..'",
				    value);
	return 0;
}

static int check_abstract_sockets(const char *value, struct ward_err *err)
{
	if (strcmp(value, "scoped") && strcmp(value, "host"))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "abstract-sockets: expected scoped or host, got '%s'",
				    value);
	return 0;
}

static int check_init_signals(const char *value, struct ward_err *err)
{
	if (strcmp(value, "child") && strcmp(value, "group"))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--init-signals: expected child or group, got '%s'", value);
	return 0;
}

static int check_env_pass(const char *value, struct ward_err *err)
{
	if (!ward_env_name_valid(value, strlen(value)))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--env-pass %s: expected a variable name (letters, digits, _)",
				    value);
	return 0;
}

static int check_stop_signal(const char *value, struct ward_err *err)
{
	if (ward_signal_parse(value) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--stop-signal %s: expected a signal name or number (SIGTERM, QUIT, 3, SIGRTMIN+3)",
				    value);
	return 0;
}

static int check_volume(const char *value, struct ward_err *err)
{
	char norm[PATH_MAX];

	if (ward_path_normalize(value, norm, sizeof(norm)) < 0 || strcmp(norm, "/") == 0 ||
	    ward_path_is_beneath(norm, "/proc") || ward_path_is_beneath(norm, "/dev"))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--volume %s: expected an absolute path without '..', outside /, /proc and /dev",
				    value);
	return 0;
}

static int check_accept_findings(const char *value, struct ward_err *err)
{
	size_t n = strlen(value);

	if (n == 0 || value[0] == ',' || value[n - 1] == ',' || strstr(value, ",,"))
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--accept-findings '%s': expected ID[,ID...] as ward check --image shows them",
				    value);
	return 0;
}

static int check_image_limit(const char *value, struct ward_err *err)
{
	struct ward_image_limits lim;

	ward_image_limits_default(&lim);
	return ward_image_limits_parse(value, &lim, err);
}

/* ---- setters: values stored parsed, or their own way --------------------- */

static int parse_yes_no(const char *key, const char *v, bool *out,
			const struct ward_origin *o, struct ward_err *err)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0) {
		*out = true;
		return 0;
	}
	if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0) {
		*out = false;
		return 0;
	}
	return ward_plan_usage_err(err, o, "--%s: expected yes or no, got '%s'", key, v);
}

/* veth, or veth:HOSTADDR/PREFIX,SANDBOXADDR. */
static int set_net_veth(struct ward_plan_builder *b, const char *v,
			const struct ward_origin *o, struct ward_err *err)
{
	struct ward_veth veth = {0};
	char why[128];

	if (v[4] == ':' && ward_veth_parse(v + 5, &veth, why, sizeof(why)) < 0)
		return ward_plan_usage_err(err, o, "--net %s: %s", v, why);
	b->net = WARD_NET_VETH;
	b->veth = veth;
	b->net_set = true;
	return 0;
}

static int set_net(struct ward_plan_builder *b, const struct ward_directive *d,
		   const char *v, const struct ward_origin *o, struct ward_err *err)
{
	if (strcmp(v, "loopback") == 0)
		b->net = WARD_NET_LOOPBACK;
	else if (strcmp(v, "none") == 0)
		b->net = WARD_NET_NONE;
	else if (strcmp(v, "host") == 0)
		b->net = WARD_NET_HOST;
	else if (strncmp(v, "veth", 4) == 0 && (v[4] == '\0' || v[4] == ':'))
		return set_net_veth(b, v, o, err);
	else
		return ward_plan_usage_err(err, o,
					   "--net: expected loopback, none, host or veth[:HOSTADDR/PREFIX,SANDBOXADDR], got '%s'",
					   v);
	b->net_set = true;
	return 0;
}

static int set_caps(struct ward_plan_builder *b, const struct ward_directive *d,
		    const char *v, const struct ward_origin *o, struct ward_err *err)
{
	uint64_t mask;
	size_t bad = 0;

	char near[64];
	int r;

	if (ward_caps_parse_list(v, &mask, &bad) < 0) {
		size_t n = strcspn(v + bad, ",");

		if (n == 0)
			return ward_plan_usage_err(err, o, "--cap-keep %s: an empty capability name",
						   v);
		r = ward_plan_usage_err(err, o, "--cap-keep: unknown capability '%.*s'",
					(int)n, v + bad);
		if (ward_caps_suggest(v + bad, near, sizeof(near)) == 0)
			ward_err_hint(err, "did you mean %s?", near);
		return r;
	}
	b->caps_keep = mask;
	return 0;
}

static int set_mode(struct ward_plan_builder *b, const struct ward_directive *d,
		    const char *v, const struct ward_origin *o, struct ward_err *err)
{
	if (strcmp(v, "auto") == 0)
		b->mode = WARD_MODE_AUTO;
	else if (strcmp(v, "namespaces") == 0)
		b->mode = WARD_MODE_NAMESPACES;
	else if (strcmp(v, "entrypoint") == 0)
		b->mode = WARD_MODE_ENTRYPOINT;
	else
		return ward_plan_usage_err(err, o,
					   "--mode: expected auto, namespaces or entrypoint, got '%s'", v);
	return 0;
}

static int set_init(struct ward_plan_builder *b, const struct ward_directive *d,
		    const char *v, const struct ward_origin *o, struct ward_err *err)
{
	b->init_set = true;
	return parse_yes_no(d->name, v, &b->init, o, err);
}

static int set_verbose(struct ward_plan_builder *b, const struct ward_directive *d,
		       const char *v, const struct ward_origin *o, struct ward_err *err)
{
	b->verbose++;
	return 0;
}

static int set_quiet(struct ward_plan_builder *b, const struct ward_directive *d,
		     const char *v, const struct ward_origin *o, struct ward_err *err)
{
	b->quiet = true;
	return 0;
}

/* Falling back to fewer layers is written down in a profile, never
 * implied (STYLE: a weakening fallback exists only behind a flag). */
static int set_fallback(struct ward_plan_builder *b, const struct ward_directive *d,
			const char *v, const struct ward_origin *o, struct ward_err *err)
{
	if (strcmp(v, "entrypoint") && strcmp(v, "none"))
		return ward_plan_usage_err(err, o, "fallback: expected entrypoint or none, got '%s'", v);
	b->fallback_entrypoint = strcmp(v, "entrypoint") == 0;
	return 0;
}

/* The one way to let an engine socket in: a profile line, loud. */
static int set_allow_engine(struct ward_plan_builder *b, const struct ward_directive *d,
			    const char *v, const struct ward_origin *o, struct ward_err *err)
{
	int e = ward_engine_from_name(v);

	if (e < 0)
		return ward_plan_usage_err(err, o,
					   "allow-engine-socket: unknown engine '%s' (docker, containerd, podman, crio, buildkit)",
					   v);
	b->allow_engines |= 1u << e;
	return 0;
}

static int set_seccomp_log_only(struct ward_plan_builder *b,
				const struct ward_directive *d, const char *v,
				const struct ward_origin *o, struct ward_err *err)
{
	return parse_yes_no(d->name, v, &b->seccomp_log_only, o, err);
}

/* seccomp-allow NAME|@group..., seccomp-deny ... [errno=E|action=kill],
 * seccomp-default ACTION: additions to the base policy, one list for the
 * three, checked one by one so errors point at their line. */
static int set_seccomp_line(struct ward_plan_builder *b,
			    const struct ward_directive *d, const char *v,
			    const struct ward_origin *o, struct ward_err *err)
{
	const char *verb = d->name + strlen("seccomp-");
	char line[WARD_ERR_MSG_MAX];

	if (ward_seccomp_check_directive(verb, v, err) < 0)
		return ward_plan_usage_err(err, o, "seccomp-%s: %s", verb, err->msg);
	if ((size_t)snprintf(line, sizeof(line), "%s %s", verb, v) >= sizeof(line))
		return ward_plan_usage_err(err, o, "seccomp-%s: value too long", verb);
	if (b->nseccomp_lines >= d->max)
		return ward_plan_usage_err(err, o, "--seccomp-*: more than %zu given", d->max);
	if (!(b->seccomp_lines[b->nseccomp_lines] = strdup(line)))
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "strdup");
	b->nseccomp_lines++;
	return 0;
}

/* tcp-bind and tcp-connect: every value given adds its ports, as --bind
 * adds binds, except that the command line's first value drops what the
 * profiles gave (the command line overrides a profile).  "none" (no port
 * at all) beside a port list is a contradiction. */
static int set_ports(struct ward_plan_builder *b, const struct ward_directive *d,
		     const char *v, const struct ward_origin *o, struct ward_err *err)
{
	char **text = (char **)((char *)b + d->field);
	bool *cli = d->field == offsetof(struct ward_plan_builder, tcp_bind) ? &b->tcp_bind_cli : &b->tcp_connect_cli;
	bool from_cli = !o || !o->file;
	char *joined;

	if (from_cli && !*cli) {
		free(*text);
		*text = NULL;
		*cli = true;
	}
	if (!*text) {
		*text = strdup(v);
		return *text ? 0 : ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "strdup");
	}
	if (strcmp(*text, "none") == 0 || strcmp(v, "none") == 0)
		return ward_plan_usage_err(err, o, "--%s %s: given with --%s %s before; none means no port at all",
					   d->name, v, d->name, *text);
	if (asprintf(&joined, "%s,%s", *text, v) < 0)
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "asprintf");
	free(*text);
	*text = joined;
	return 0;
}

/* image-limit: each value changes the limits it names, over the
 * defaults and the values before it (checked already). */
static int set_image_limit(struct ward_plan_builder *b,
			   const struct ward_directive *d, const char *v,
			   const struct ward_origin *o, struct ward_err *err)
{
	if (!b->image_limits_set)
		ward_image_limits_default(&b->image_limits);
	b->image_limits_set = true;
	return ward_image_limits_parse(v, &b->image_limits, err);
}

/* writable and env-pass: a list whose overflow names no line. */
static int append_unplaced(struct ward_plan_builder *b,
			   const struct ward_directive *d, const char *v,
			   const struct ward_origin *o, struct ward_err *err)
{
	char **list = (char **)((char *)b + d->field);
	size_t *n = (size_t *)((char *)b + d->count);

	if (*n >= d->max)
		return ward_err_set(err, WARD_STEP_USAGE, 0,
				    "--%s: more than %zu given", d->name, d->max);
	if (!(list[*n] = strdup(v)))
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "strdup");
	(*n)++;
	return 0;
}

/* ---- the table ------------------------------------------------------------ */

#define AT(f) offsetof(struct ward_plan_builder, f)
#define SLOTS(f) (sizeof(((struct ward_plan_builder *)0)->f) / sizeof(char *))
/* A scalar's text lands in field f. */
#define TEXT(f) .field = AT(f)
/* A list's texts land in array f, counted by n, at most m of them. */
#define LIST_UPTO(f, n, m) .field = AT(f), .count = AT(n), .max = (m)
#define LIST(f, n) LIST_UPTO(f, n, SLOTS(f))
/* Each one's origin is kept in array w, for messages at resolution. */
#define WHERE(w) .where = AT(w), .where_kept = true
/* seccomp-allow, -deny and -default share one list. */
#define SECCOMP_LINES LIST_UPTO(seccomp_lines, nseccomp_lines, WARD_MAX_SECCOMP_LINES)

const struct ward_directive ward_directives[] = {
	{"profile", WARD_DIR_SCALAR, WARD_DIR_CLI_ONLY, /* cli.c applies it first */
	 .help = "  --profile NAME|PATH        apply a profile first (see ward profiles)\n"},
	{"rootfs", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(rootfs),
	 .help = "  --rootfs DIR|host          root image directory, or a root built from\n"
		 "                             the host's /usr /etc /bin /sbin /lib* (default)\n"},
	{"user", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(user),
	 .help = "  --user UID[:GID]|NAME      run as this user (default 10001:10001)\n"},
	{"groups", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(groups),
	 .help = "  --groups clear|keep|LIST   supplementary groups (default clear)\n"},
	{"bind", WARD_DIR_LIST, WARD_DIR_BOTH, LIST(binds, nbinds), WHERE(where_binds),
	 .help = "  --bind SRC[:DST][:ro|rw]   bind a host path (read-only unless :rw)\n"},
	{"tmpfs", WARD_DIR_LIST, WARD_DIR_BOTH, LIST(tmpfs, ntmpfs), WHERE(where_tmpfs),
	 .help = "  --tmpfs DST[:size=N]       a private writable tmpfs\n"},
	{"hostname", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(hostname),
	 .check = ward_plan_check_hostname,
	 .help = "  --hostname NAME            hostname inside (default ward)\n"},
	{"net", WARD_DIR_SCALAR, WARD_DIR_BOTH, .set = set_net,
	 .help = "  --net loopback|none|host   network (default loopback: new netns, lo up)\n"
		 "  --net veth[:HOST/PREFIX,SANDBOX]\n"
		 "                             new netns reached through a veth pair (root;\n"
		 "                             IPv4; default 10.200.x.y/30 from ward's pid)\n"},
	{"cap-keep", WARD_DIR_SCALAR, WARD_DIR_BOTH, .set = set_caps,
	 .help = "  --cap-keep CAP[,CAP...]    capabilities to keep (default none)\n"},
	{"seccomp", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(seccomp),
	 .help = "  --seccomp default|strict|PATH|docker:FILE|off-i-know\n"
		 "                             PATH: a ward policy; docker:FILE: a\n"
		 "                             Docker/OCI JSON profile\n"},
	{"rlimit", WARD_DIR_LIST, WARD_DIR_BOTH, LIST(rlimits, nrlimits), WHERE(where_rlimits),
	 .check = ward_plan_check_rlimit,
	 .help = "  --rlimit NAME=SOFT[:HARD]  resource limit (nofile, nproc, as, core, ...)\n"},
	/* Three slots stay free for PATH, HOME and TERM. */
	{"env", WARD_DIR_LIST, WARD_DIR_BOTH, LIST_UPTO(env, nenv, SLOTS(env) - 3),
	 WHERE(where_env), .check = ward_plan_check_env,
	 .help = "  --env NAME=VALUE           add to the (otherwise minimal) environment\n"},
	{"workdir", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(workdir),
	 .help = "  --workdir DIR              working directory inside (default /)\n"},
	{"init", WARD_DIR_SCALAR, WARD_DIR_BOTH, .set = set_init,
	 .help = "  --init yes|no, --no-init   ward's pid-1 init (default yes); no: the\n"
		 "                             program is pid 1 itself (exec in place)\n"},
	/* tini's and Docker's spelling; --no-init=VALUE is no option */
	{"no-init", WARD_DIR_FLAG, WARD_DIR_CLI_ONLY, .alias_of = "init", .alias_value = "no"},
	{"init-signals", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(init_signals),
	 .check = check_init_signals,
	 .help = "  --init-signals child|group forward signals to the program or its group\n"},
	{"mode", WARD_DIR_SCALAR, WARD_DIR_BOTH, .set = set_mode,
	 .help = "  --mode auto|namespaces|entrypoint\n"
		 "                             entrypoint: no namespaces (inside a container)\n"},
	{"writable", WARD_DIR_LIST, WARD_DIR_BOTH, LIST(writable, nwritable),
	 .check = check_writable, .set = append_unplaced,
	 .help = "  --writable PATH            keep PATH of the root writable (entrypoint:\n"
		 "                             Landlock makes every other path read-only)\n"},
	{"listen", WARD_DIR_LIST, WARD_DIR_BOTH, .max = WARD_MAX_LISTEN,
	 .check = ward_plan_check_listen, .set = ward_plan_set_listen,
	 .help = "  --listen [ADDR:]PORT[/tcp|/udp]\n"
		 "                             ward binds it in the caller's network and\n"
		 "                             hands it over as fd 3.. (LISTEN_FDS); PORT\n"
		 "                             alone: [::]:PORT, IPv4 and IPv6; none: clear\n"},
	{"listen-env", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(listen_env),
	 .check = ward_plan_check_listen_env,
	 .help = "  --listen-env NAME          also NAME=3;4;... for the sockets (nginx: NGINX)\n"},
	/* Port lists add up, but the command line's replace a profile's. */
	{"tcp-bind", WARD_DIR_LIST, WARD_DIR_BOTH, TEXT(tcp_bind), .max = WARD_MAX_PORTS,
	 .check = check_ports, .set = set_ports,
	 .help = "  --tcp-bind PORTS           bind only these TCP ports (80,8000-8010|none)\n"},
	{"tcp-connect", WARD_DIR_LIST, WARD_DIR_BOTH, TEXT(tcp_connect), .max = WARD_MAX_PORTS,
	 .check = check_ports, .set = set_ports,
	 .help = "  --tcp-connect PORTS        connect only to these TCP ports\n"},
	{"landlock", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(landlock), .check = check_landlock,
	 .help = "  --landlock required|optional   without Landlock: refuse (default) or warn\n"},
	{"env-pass", WARD_DIR_LIST, WARD_DIR_BOTH, LIST(env_pass, nenv_pass),
	 .check = check_env_pass, .set = append_unplaced,
	 .help = "  --env-pass NAME            entrypoint: pass this secret-looking variable\n"},
	{"secret", WARD_DIR_LIST, WARD_DIR_BOTH, LIST(secrets, nsecrets),
	 .check = ward_plan_check_secret, .set = ward_plan_set_secret,
	 .help = "  --secret NAME=FILE|fd:N|env:VAR\n"
		 "                             /run/secrets/NAME, 0400, on a read-only tmpfs;\n"
		 "                             read before launch, never in the image or env\n"},
	{"secret-env", WARD_DIR_LIST, WARD_DIR_BOTH, LIST(secret_env, nsecret_env),
	 .check = ward_plan_check_secret_env, .set = ward_plan_set_secret,
	 .help = "  --secret-env NAME          also export that secret as NAME (a risk)\n"},
	{"image", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(image),
	 .help = "  --image FILE|DIR           run an image (docker save, OCI layout): its\n"
		 "                             tree, user, env, entrypoint, cmd, workdir\n"},
	{"tag", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(tag),
	 .help = "  --tag REPO:TAG             the image of an archive holding several\n"},
	{"entrypoint", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(entrypoint),
	 .help = "  --entrypoint CMD           replace the image's entrypoint, clear its cmd\n"},
	{"accept-findings", WARD_DIR_LIST, WARD_DIR_BOTH,
	 LIST(accept_findings, naccept_findings), .check = check_accept_findings,
	 .help = "  --accept-findings ID[,ID...]\n"
		 "                             start although the image audit found these\n"},
	{"stop-signal", WARD_DIR_SCALAR, WARD_DIR_BOTH, TEXT(stop_signal),
	 .check = check_stop_signal,
	 .help = "  --stop-signal SIG          what the program gets when ward gets SIGTERM\n"},
	{"volume", WARD_DIR_LIST, WARD_DIR_BOTH, LIST(volumes, nvolumes), WHERE(where_volumes),
	 .check = check_volume,
	 .help = "  --volume PATH              a private writable tmpfs at PATH, filled\n"
		 "                             with a copy of the root's PATH\n"},
	{"verbose", WARD_DIR_FLAG, WARD_DIR_BOTH, .set = set_verbose, .short_name = 'v',
	 .help = "  -v, --verbose              narrate each step with timings\n"},
	{"quiet", WARD_DIR_FLAG, WARD_DIR_BOTH, .set = set_quiet, .short_name = 'q',
	 .help = "  -q, --quiet                no notices on start (errors and WARNINGs stay)\n"},
	{"env-file", WARD_DIR_LIST, WARD_DIR_BOTH, LIST(env_files, nenv_files),
	 WHERE(where_env_files),
	 .help = "  --env-file FILE            NAME=VALUE lines, Docker's format (--env wins)\n"},
	{"image-limit", WARD_DIR_LIST, WARD_DIR_BOTH, .max = 64,
	 .check = check_image_limit, .set = set_image_limit,
	 .help = "  --image-limit NAME=VALUE[,NAME=VALUE]\n"
		 "                             bounds of reading an image: layer-size=8G,\n"
		 "                             image-size=32G, archive-size=64G,\n"
		 "                             layer-entries=1000000, entries=2000000, time=10m\n"},
	{"seccomp-allow", WARD_DIR_LIST, WARD_DIR_BOTH_UNLISTED, SECCOMP_LINES,
	 .set = set_seccomp_line},
	{"seccomp-deny", WARD_DIR_LIST, WARD_DIR_BOTH_UNLISTED, SECCOMP_LINES,
	 .set = set_seccomp_line},
	{"seccomp-default", WARD_DIR_LIST, WARD_DIR_BOTH_UNLISTED, SECCOMP_LINES,
	 .set = set_seccomp_line},
	{"seccomp-log-only", WARD_DIR_LAST, WARD_DIR_BOTH_UNLISTED,
	 .set = set_seccomp_log_only},
	/* engine_extra ends with a NULL */
	{"engine-socket", WARD_DIR_LIST, WARD_DIR_BOTH_UNLISTED,
	 LIST_UPTO(engine_extra, nengine_extra, SLOTS(engine_extra) - 1)},
	/* Weakenings, only ever written down in a profile. */
	{"fallback", WARD_DIR_SCALAR, WARD_DIR_PROFILE_ONLY, .set = set_fallback},
	{"allow-socket", WARD_DIR_LIST, WARD_DIR_PROFILE_ONLY, LIST(allow_sockets, nallow_sockets),
	 .check = check_allow_socket, .set = append_unplaced},
	{"abstract-sockets", WARD_DIR_SCALAR, WARD_DIR_PROFILE_ONLY, TEXT(abstract_sockets),
	 .check = check_abstract_sockets},
	{"allow-engine-socket", WARD_DIR_LIST, WARD_DIR_PROFILE_ONLY, .max = WARD_ENGINE_EXTRA,
	 .set = set_allow_engine}, /* a set of engines */
	{.name = NULL},
};

#define ROWS (sizeof(ward_directives) / sizeof(ward_directives[0]) - 1)
_Static_assert(ROWS <= WARD_DIRECTIVES_MAX, "the table outgrew WARD_DIRECTIVES_MAX");
_Static_assert(SLOTS(where_binds) == SLOTS(binds) && SLOTS(where_tmpfs) == SLOTS(tmpfs) &&
	       SLOTS(where_rlimits) == SLOTS(rlimits) && SLOTS(where_env) == SLOTS(env) &&
	       SLOTS(where_env_files) == SLOTS(env_files) &&
	       SLOTS(where_volumes) == SLOTS(volumes),
	       "a list's origins have one slot per value");

const struct ward_directive *ward_directive_find(const char *name)
{
	for (size_t i = 0; i < ROWS; i++)
		if (strcmp(ward_directives[i].name, name) == 0)
			return &ward_directives[i];
	return NULL;
}

const struct ward_directive *ward_directive_find_short(char c)
{
	for (size_t i = 0; c && i < ROWS; i++)
		if (ward_directives[i].short_name == c)
			return &ward_directives[i];
	return NULL;
}

size_t ward_directive_index(const struct ward_directive *d)
{
	return (size_t)(d - ward_directives);
}

bool ward_directive_in_plan(const struct ward_directive *d)
{
	return d->scope != WARD_DIR_CLI_ONLY;
}

const char *ward_directive_suggest(const char *word, bool profile)
{
	struct ward_suggest sg;

	ward_suggest_init(&sg, word);
	for (size_t i = 0; i < ROWS; i++) {
		const struct ward_directive *d = &ward_directives[i];

		if (profile ? !ward_directive_in_plan(d) :
			      d->scope == WARD_DIR_PROFILE_ONLY)
			continue;
		ward_suggest_offer(&sg, d->name);
	}
	if (profile) {
		ward_suggest_offer(&sg, "include");
		ward_suggest_offer(&sg, "include?");
	} else {
		ward_suggest_offer(&sg, "help");
	}
	return ward_suggest_best(&sg);
}
