/* The launch plan: one immutable, fully validated description of a launch.
 *
 * Built in the parent from directives (command-line options and profile
 * lines share one validator, ward_plan_apply), then finished by
 * ward_plan_finish, which resolves paths, users and capability names,
 * checks every option combination, runs the engine-socket guard and
 * builds the seccomp filter.  Finishing is pure: it reads the host and
 * changes nothing, so ward check, explain and seccomp show/export look at
 * the very plan a launch would run.  The effects of a launch (storing the
 * filter in its cache, reading fd: and env: secrets) are
 * ward_launch_prepare's (launch/prepare.h), called by a command that
 * launches, before clone.  After that nothing changes the plan; the
 * child reads it from its copy of the parent's memory. */
#ifndef WARD_PLAN_H
#define WARD_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/resource.h>
#include <linux/filter.h>

#include "base/err.h"
#include "engine/tcp_listeners.h"
#include "image/image.h"
#include "seccomp/seccomp.h"

struct ward_engine_sockets;
struct ward_seccomp_learned;
struct ward_image_prepared;

#define WARD_MAX_BINDS 64
#define WARD_MAX_TMPFS 16
#define WARD_MAX_RLIMITS 16
#define WARD_DEFAULT_RLIMITS 3 /* core, nproc, nofile */
#define WARD_DEFAULT_NPROC 4096
#define WARD_DEFAULT_NOFILE 65536
#define WARD_MAX_ENV 128
#define WARD_MAX_GROUPS 32
#define WARD_MAX_WRITABLE 32
#define WARD_MAX_ENV_PASS 32
#define WARD_MAX_ALLOW_SOCKETS 16
#define WARD_MAX_PORTS 64
#define WARD_MAX_SECRETS 32
#define WARD_SECRET_NAME_MAX 64
#define WARD_SECRET_MAX_BYTES (1u << 20) /* per secret */
#define WARD_SECRETS_DIR "/run/secrets"
#define WARD_MAX_LISTEN 16
#define WARD_MAX_VOLUMES 16
/* the size of each volume's tmpfs (its copy and what the program writes) */
#define WARD_VOLUME_SIZE "1g"
#define WARD_LISTEN_NAME_MAX 64

/* PATH when the program is given none. */
#define WARD_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

enum ward_net { WARD_NET_LOOPBACK = 0, WARD_NET_NONE, WARD_NET_HOST, WARD_NET_VETH };

/* --net veth: IPv4 only.  Addresses in network byte order; prefix 0 means
 * "not given" in the builder (the plan always holds a valid one). */
struct ward_veth {
	uint32_t host;    /* the host end's address */
	uint32_t sandbox; /* eth0's address; the default route goes via host */
	unsigned prefix;  /* 1-30, shared by both ends */
	bool derived;     /* taken from ward's pid, not given */
};

/* namespaces: the full sandbox.  entrypoint: no namespaces (inside a
 * container that forbids them): user, capabilities, no_new_privs,
 * seccomp, fds and pid 1 only.  auto: namespaces, falling back to
 * entrypoint only when a profile says 'fallback entrypoint'. */
enum ward_mode { WARD_MODE_AUTO = 0, WARD_MODE_NAMESPACES, WARD_MODE_ENTRYPOINT };
enum ward_groups { WARD_GROUPS_CLEAR = 0, WARD_GROUPS_KEEP, WARD_GROUPS_LIST };

/* A socket handed to the program (listen [ADDR:]PORT[/tcp|/udp], or one
 * that ward itself was given by systemd's socket activation): bound in
 * the caller's network namespace by ward_launch_prepare, given to the
 * program as fd 3 onwards with LISTEN_FDS, LISTEN_FDNAMES and LISTEN_PID
 * (sd_listen_fds(3)). */
struct ward_listen {
	int family;     /* AF_INET or AF_INET6; inherited: any */
	int type;       /* SOCK_STREAM or SOCK_DGRAM; inherited: any */
	int protocol;   /* IPPROTO_TCP, IPPROTO_UDP; inherited: as found */
	bool v6only;    /* AF_INET6: IPV6_V6ONLY (a bare PORT is dual-stack) */
	uint8_t addr[16]; /* network byte order: 4 bytes for AF_INET */
	uint16_t port;  /* host byte order */
	bool inherited; /* LISTEN_FDS of ward's own environment */
	char text[WARD_LISTEN_NAME_MAX + 24]; /* "0.0.0.0:80/tcp", "fd 3 (NAME)" */
	char name[WARD_LISTEN_NAME_MAX]; /* its entry of LISTEN_FDNAMES */
	int fd;         /* the socket once prepared, else -1 */
};

/* Where a directive came from, for file:line:col diagnostics. */
struct ward_origin {
	const char *file; /* NULL: the command line */
	unsigned line;
	unsigned col;
};

struct ward_bind {
	char *src;      /* canonical host path (realpath) */
	char *dst;      /* absolute, normalised path inside the sandbox */
	bool rw;
	dev_t dev;      /* identity of src at plan time */
	ino_t ino;
	mode_t type;    /* S_IFDIR, S_IFREG, ... */
};

struct ward_tmpfs {
	char *dst;
	uint64_t size; /* bytes, 0 = kernel default */
};

struct ward_rlimit {
	int resource;
	struct rlimit value;
	bool by_default; /* one of ward's defaults, not the profile's */
};

enum ward_secret_source {
	WARD_SECRET_SRC_FILE = 0, /* a host file, read by path at plan time */
	WARD_SECRET_SRC_FD,       /* fd:N, read to EOF, then closed (prepare) */
	WARD_SECRET_SRC_ENV,      /* env:VAR, taken out of ward's environment
				   * (prepare) */
};

/* One secret, read in the parent: a file when the plan is finished, an
 * fd:N or env:VAR source by ward_launch_prepare (until then the value is
 * the stand-in "(not read)").  Its bytes live in a mapping of their own
 * (MADV_DONTDUMP, mlocked where allowed) laid out as "NAME=VALUE\0", so
 * a secret-env entry of env[] can point into it.  Never printed, never
 * logged (plan/secrets.c, launch/secrets.c). */
struct ward_secret {
	char name[WARD_SECRET_NAME_MAX + 1];
	enum ward_secret_source source;
	char *origin;   /* "PATH", "fd:N" or "env:VAR": for messages */
	char *map;      /* "NAME=VALUE\0", or NULL once released */
	size_t map_len; /* of the mapping */
	size_t len;     /* of VALUE (it may hold any byte) */
	bool env;       /* secret-env: NAME=VALUE also in the environment */
	/* "file:line:col: " of its secret and secret-env directives, or
	 * NULL (the command line): for ward_launch_prepare's messages */
	char *where;
	char *where_env;
};

struct ward_plan {
	/* who launches */
	bool rootless;
	uid_t caller_uid;
	gid_t caller_gid;

	/* what runs */
	char **argv;
	char *env[WARD_MAX_ENV + 1];
	size_t nenv;
	char *workdir;
	bool own_init; /* the program is its own pid 1 */
	bool signal_group; /* the init signals the program's process group */
	/* what the program gets when ward gets SIGTERM (--stop-signal, the
	 * image's StopSignal; SIGTERM when neither) */
	int stop_signal;

	/* ward run --image (image.c): the prepared image, its cache entry
	 * locked until ward_plan_free; argv is image_argv (Entrypoint + Cmd
	 * as resolved).  NULL without an image. */
	struct ward_image_prepared *image;
	char **image_argv;
	char *image_entrypoint; /* --entrypoint, image_argv[0]'s own copy */
	char *image_withheld; /* the image's Env names withheld, or NULL */
	bool image_user; /* the user is the image's USER (not --user) */
	size_t image_refused; /* findings that refuse a run (explain shows them) */

	/* identity */
	uid_t uid;
	gid_t gid;
	/* namespace mode: the host ids uid and gid map onto (idmap.h): the
	 * caller's own (rootless), the same ids (--user), or the id reserved
	 * in /etc/subuid and /etc/subgid (root, default user; subid.h).
	 * host_ids_pending: that reservation is missing, which only a launch
	 * that gets its namespaces reports (a profile's fallback may never
	 * need it). */
	uid_t host_uid;
	gid_t host_gid;
	bool host_ids_pending;
	enum ward_groups groups;
	gid_t group_list[WARD_MAX_GROUPS];
	size_t ngroups;
	uint64_t caps_keep; /* bit per capability */

	/* filesystem */
	char *rootfs; /* NULL: synthesised from the host */
	dev_t rootfs_dev; /* identity of rootfs at plan time */
	ino_t rootfs_ino;
	/* rootfs is an image's tree in ward's cache: its entries are bound
	 * alone, without what may be mounted beneath them (resolve.c) */
	bool rootfs_alone;
	struct ward_engine_sockets *engine_sockets; /* found at plan time */
	struct ward_bind binds[WARD_MAX_BINDS];
	size_t nbinds;
	struct ward_tmpfs tmpfs[WARD_MAX_TMPFS];
	size_t ntmpfs;
	/* volumes (the image's, then --volume): a private tmpfs at each,
	 * filled with a copy of the root's content there, owned by the
	 * program's user (launch/volumes.c), of at most WARD_VOLUME_SIZE */
	char *volumes[WARD_MAX_VOLUMES];
	size_t nvolumes;

	/* namespaces */
	enum ward_mode mode;
	bool fallback_entrypoint; /* auto: a profile allows the fallback */
	int clone_flags;
	enum ward_net net;
	struct ward_veth veth; /* WARD_NET_VETH */
	char *hostname;
	/* the host's /etc/resolv.conf, read by ward_launch_prepare for a
	 * root image with --net host or veth (launch/etc_files.h), or NULL */
	char *resolv_conf;
	/* sockets the program inherits (inherited ones first, in the order
	 * ward got them, then the listen directives'); fd -1 until
	 * ward_launch_prepare binds or adopts them.  listen_connect_denied:
	 * with --net none or loopback, no tcp-connect rule was given, so
	 * ward denies every TCP connect with Landlock (the sockets belong to
	 * the caller's network and could be reused to connect out). */
	struct ward_listen listen[WARD_MAX_LISTEN];
	size_t nlisten;
	bool listen_connect_denied;
	/* listen-env NAME: also NAME=3;4;... (the list nginx reads from
	 * NGINX), or NULL */
	char *listen_env;
	/* NOTIFY_SOCKET of ward's own environment (systemd Type=notify),
	 * relayed by the launcher in namespace mode (launch/notify.h), set
	 * up by ward_launch_prepare: notify_env is then the program's
	 * "NOTIFY_SOCKET=PATH" (else NULL), notify_in the relay's socket
	 * (bound at notify_path, a private host directory's, which
	 * binds[] mounts into the sandbox) and notify_out the socket
	 * datagrams go out on to notify_target, ward's NOTIFY_SOCKET. */
	char *notify_env;
	char *notify_target;
	char *notify_path;
	int notify_in, notify_out;

	/* limits and filters */
	/* the profile's, then the defaults it did not set (plan_misc.c) */
	struct ward_rlimit rlimits[WARD_MAX_RLIMITS + WARD_DEFAULT_RLIMITS];
	size_t nrlimits;
	enum ward_seccomp_mode seccomp_mode;
	char *seccomp_path;
	bool seccomp_log_only;
	struct sock_fprog seccomp_prog; /* built when the plan is finished */
	int seccomp_cache; /* enum ward_seccomp_cache_use: where it came from */
	/* WARD_SECCOMP_CACHE_MISS: the recipe ward_launch_prepare stores
	 * seccomp_prog under (heap memory), else NULL */
	char *seccomp_recipe;
	size_t seccomp_recipe_len;
	/* ward seccomp learn: seccomp_prog reports every syscall to the
	 * launcher, which records it here (owned by the command). */
	struct ward_seccomp_learned *seccomp_learn;

	/* Landlock: writable paths (entrypoint mode: every other path is
	 * read-only; namespace mode: each becomes a read-write bind of the
	 * same path of the root) and TCP port rules (every mode). */
	char *writable[WARD_MAX_WRITABLE];
	size_t nwritable;
	bool tcp_bind_set, tcp_connect_set;
	uint16_t tcp_bind[WARD_MAX_PORTS];
	size_t ntcp_bind;
	uint16_t tcp_connect[WARD_MAX_PORTS];
	size_t ntcp_connect;
	bool landlock_optional; /* continue without Landlock, loudly */
	/* --net host and veth: whether the host's TCP listeners were looked
	 * at for engines (engine/tcp_listeners.h), and the engine listeners
	 * the program could reach but that were let through: tcp-connect
	 * leaves their port out, or allow-engine-socket names the engine
	 * (any other refuses the plan).  For ward check. */
	bool engine_tcp_scanned;
	struct ward_tcp_engine engine_tcp[WARD_TCP_MAX_ENGINES];
	size_t nengine_tcp;
	/* abstract-sockets host: where the network namespace is (or may be)
	 * the host's (--net host, entrypoint mode), leave the host's
	 * abstract unix sockets reachable instead of scoping them
	 * (launch/confine.h). */
	bool abstract_sockets_host;
	/* entrypoint mode: sockets in the mounts let through unasked
	 * (allow-socket PATH; launch/entrypoint_sockets.c) */
	char *allow_sockets[WARD_MAX_ALLOW_SOCKETS];
	size_t nallow_sockets;
	/* entrypoint mode, set at run time on the program's copy of the
	 * plan when ward stays its init without being pid 1: the program
	 * gets a Landlock layer of its own scoping signals (child.c). */
	bool landlock_scope_signal;

	/* entrypoint mode: the environment ward was given reaches the
	 * program, except secret-looking names not listed here */
	char *env_pass[WARD_MAX_ENV_PASS];
	size_t nenv_pass;
	bool user_set; /* --user given (entrypoint: else the current user) */

	/* secrets: files on a read-only tmpfs at /run/secrets; the last
	 * nenv_secret entries of env[] point into secrets[].map (secret-env) */
	struct ward_secret secrets[WARD_MAX_SECRETS];
	size_t nsecrets;
	size_t nenv_secret;

	/* image-limit NAME=VALUE,...: the bounds of reading an image
	 * (image/image.h), the defaults where none is given */
	struct ward_image_limits image_limits;

	int verbose;
	bool quiet; /* --quiet: no notices (errors and WARNINGs stay) */

	/* ward_launch_prepare has run (launch/prepare.h): the fd: and env:
	 * secrets hold their values and a fresh filter is in the cache.  A
	 * launch refuses a plan without it. */
	bool prepared;
};

/* The builder: holds raw values until ward_plan_finish. */
struct ward_plan_builder;

struct ward_plan_builder *ward_plan_builder_new(void);
void ward_plan_builder_free(struct ward_plan_builder *b);

/* Collect every error into @errs (base/errs.h) from here on: profile
 * diagnostics, command-line options, resolution.  @errs must outlive
 * @b's use. */
struct ward_errs;
void ward_plan_builder_collect(struct ward_plan_builder *b, struct ward_errs *errs);

/* Apply one directive ("bind", "/srv:/srv:rw").  Used for both command-line
 * options and profile lines.  Scalar keys replace earlier values, list keys
 * (bind, tmpfs, env, rlimit) append.  Returns 0 or -errno with @err set
 * (step WARD_STEP_USAGE, or WARD_STEP_PROFILE when @origin names a file). */
int ward_plan_apply(struct ward_plan_builder *b, const char *key,
		    const char *value, const struct ward_origin *origin,
		    struct ward_err *err);

/* True when @key is a known directive; @takes_value tells whether it needs
 * a value. */
bool ward_plan_key_known(const char *key, bool *takes_value);

/* Set the command to run (argv is borrowed, not copied). */
void ward_plan_set_argv(struct ward_plan_builder *b, char **argv);

/* Resolve and validate everything; on success *out owns a new plan.
 * Pure: it stats, resolves, opens and reads host paths (the root's /etc,
 * policy files, secret files, the filter cache) and mutates nothing: no
 * file or directory is created or written, no fd: or env: secret source
 * is read, the environment stays as it is.  A launch then needs
 * ward_launch_prepare. */
int ward_plan_finish(struct ward_plan_builder *b, struct ward_plan **out,
		     struct ward_err *err);

void ward_plan_free(struct ward_plan *plan);

/* What a command does with its plan: run it, only look at it (check,
 * explain, seccomp export/show: a command stands in when none is given),
 * or run it to learn its syscalls. */
enum ward_plan_use { WARD_PLAN_RUN, WARD_PLAN_DRY, WARD_PLAN_LEARN };

/* `run` options and command in @argv to a finished plan (*out).  With
 * @seccomp_overlay, also the profile's seccomp-* lines as policy text
 * (NULL when none).  Returns 0, 1 when --help was printed (nothing in
 * *out), or -errno of the first error with every error in @errs, sorted
 * (the command prints them all). */
int ward_plan_from_argv(int argc, char **argv, enum ward_plan_use use,
			struct ward_plan **out, char **seccomp_overlay,
			struct ward_errs *errs);

/* "nofile=64" or "nofile=64:128" ("unlimited" spelled out), and the
 * name of a resource (misc.c). */
void ward_rlimit_format(const struct ward_rlimit *l, char *buf, size_t len);
const char *ward_rlimit_name(int resource);

/* A readable summary of @plan, one layer a line (plan_print.c). */
void ward_plan_print(const struct ward_plan *plan, FILE *out);

#endif
