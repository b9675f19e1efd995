/* ward probe: what can this process do?
 *
 * Observes the calling process, inside a sandbox or not, and reports its
 * ids, capabilities, securebits, no_new_privs, seccomp mode, namespaces,
 * file-system writability, reachable container-engine sockets, inherited
 * descriptors and the Landlock ABI, as `key: value` text or as one JSON
 * object (schema version 2, documented at the top of src/report/selfprobe.c).
 *
 * It changes nothing: the only side effects are one O_CREAT|O_EXCL file
 * in / and one in /etc, unlinked at once when they were created, and a
 * connect() to each engine socket found, and to each socket file an engine
 * process listens on, closed without a byte sent. */
#ifndef WARD_SELFPROBE_H
#define WARD_SELFPROBE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/listener.h"
#include "kernel/caps.h"

struct json_object;

#define WARD_SELFPROBE_SCHEMA 2
#define WARD_SELFPROBE_MAX_GROUPS 256
#define WARD_SELFPROBE_MAX_IFACES 64
#define WARD_SELFPROBE_MAX_SOCKETS 8
#define WARD_SELFPROBE_NAME 64

/* Tri-state answers: -1 when the process cannot tell. */
#define WARD_SELFPROBE_UNKNOWN (-1)

enum ward_selfprobe_ns_kind {
	WARD_SELFPROBE_NS_USER = 0,
	WARD_SELFPROBE_NS_MNT,
	WARD_SELFPROBE_NS_PID,
	WARD_SELFPROBE_NS_NET,
	WARD_SELFPROBE_NS_UTS,
	WARD_SELFPROBE_NS_IPC,
	WARD_SELFPROBE_NS_CGROUP,
	WARD_SELFPROBE_NS_COUNT
};

struct ward_selfprobe_ns {
	unsigned long inode; /* 0: /proc/self/ns/X unreadable */
	int initial;         /* the kernel's initial namespace: 1, 0, -1 */
	int is_private;      /* 1, 0, -1 (rules in src/report/selfprobe.c) */
};

struct ward_selfprobe_iface {
	char name[IF_NAMESIZE + 1];
	unsigned index;
	int up;       /* IFF_UP: 1, 0, -1 when SIOCGIFFLAGS failed */
	bool loopback;
};

/* A mount whose per-mount and superblock options both lack "ro". */
struct ward_selfprobe_mount {
	char *path;
	char fstype[32];
	char kind;     /* 'd' directory, 'f' file, 'c'/'b' device, 's', 'l', 'p', '?' */
	bool writable; /* faccessat(W_OK, AT_EACCESS) succeeded for this process */
};

struct ward_selfprobe_write {
	bool created; /* O_CREAT|O_EXCL succeeded (and the file was unlinked) */
	int err;      /* errno of the refusal, 0 when created */
};

struct ward_selfprobe_socket {
	char path[108];
	bool connectable; /* connect() succeeded or the backlog was full */
	int err;          /* why not: ENOTSOCK, ECONNREFUSED, EACCES, ... */
};

/* A unix socket an engine process listens on (engine/listener.h). */
struct ward_selfprobe_listener {
	struct ward_engine_listener l;
	int reachable; /* its name leads to it and connect() works: 1, 0,
			* -1 when not asked (an abstract name) */
};

struct ward_selfprobe_fd {
	int fd;
	char *target; /* readlink of /proc/self/fd/N */
};

struct ward_selfprobe {
	/* /proc/self/status */
	bool status_ok;
	uint32_t uid[4], gid[4]; /* real, effective, saved, fs */
	uint32_t groups[WARD_SELFPROBE_MAX_GROUPS];
	char group_names[WARD_SELFPROBE_MAX_GROUPS][WARD_SELFPROBE_NAME];
	size_t ngroups, groups_total; /* total > n: list truncated */
	struct ward_capsets caps;
	int cap_last;        /* highest capability number the kernel knows */
	int no_new_privs;    /* 1, 0, -1 */
	int seccomp_mode;    /* 0 off, 1 strict, 2 filter, -1 */
	int seccomp_filters; /* -1 when the kernel does not say */
	long securebits;     /* -1: prctl failed with securebits_err */
	int securebits_err;
	int landlock_abi;    /* -1: landlock_create_ruleset failed with landlock_err */
	int landlock_err;

	struct ward_selfprobe_ns ns[WARD_SELFPROBE_NS_COUNT];
	char uid_map[256];   /* lines joined by "; ", blanks collapsed */
	int uid_map_identity;
	long pid;
	int pid1_visible;
	struct ward_selfprobe_iface ifaces[WARD_SELFPROBE_MAX_IFACES];
	size_t nifaces;
	int ifaces_err;
	char hostname[65];

	int root_read_only;
	struct ward_selfprobe_mount *mounts;
	size_t nmounts;
	int mounts_err;
	struct ward_selfprobe_write write_root, write_etc;

	char docker_host[108]; /* the unix path of $DOCKER_HOST, or "" */
	struct ward_selfprobe_socket sockets[WARD_SELFPROBE_MAX_SOCKETS];
	size_t nsockets;
	struct ward_selfprobe_listener *listeners;
	size_t nlisteners;
	int listeners_err;

	struct ward_selfprobe_fd *fds;
	size_t nfds;
	int fds_err;
};

/* `ward probe [--json]`: @argv holds the arguments after "probe".
 * Prints the report on stdout.  Returns the exit code: 0, 125 on bad
 * usage, 1 when stdout could not be written. */
int ward_selfprobe_main(int argc, char **argv);

/* Observe the calling process into @p (zeroed first).  Never fails as a
 * whole: what cannot be read is left unknown and named by its errno. */
void ward_selfprobe_gather(struct ward_selfprobe *p);
void ward_selfprobe_free(struct ward_selfprobe *p);

/* The engine sockets: the well-known paths and $DOCKER_HOST's, and the
 * sockets engine processes listen on (src/report/selfprobe_engine.c). */
void ward_selfprobe_gather_engines(struct ward_selfprobe *p);

/* The well-known engine socket paths, NULL-terminated. */
extern const char *const ward_selfprobe_engine_paths[];

/* ---- pure helpers (no syscalls) ---------------------------------------- */

/* The four numbers of the "Uid:" or "Gid:" line (@key without the colon)
 * of a /proc/<pid>/status text.  Returns 0 or -EINVAL. */
int ward_selfprobe_parse_ids(const char *status, const char *key,
			     uint32_t out[4]);

/* The "Groups:" line: stores at most @max gids, sets *total to how many
 * the line holds.  Returns 0 or -EINVAL. */
int ward_selfprobe_parse_groups(const char *status, uint32_t *out,
				size_t max, size_t *total);

/* A decimal field such as "NoNewPrivs:" or "Seccomp_filters:" (@key
 * without the colon).  Returns 0, -ENOENT when absent, -EINVAL. */
int ward_selfprobe_parse_long(const char *status, const char *key,
			      long *out);

/* A /proc/<pid>/uid_map text: 1 when it is the initial namespace's
 * identity map "0 0 4294967295", 0 for any other map, -EINVAL when it
 * cannot be parsed. */
int ward_selfprobe_uid_map_identity(const char *text);

/* One /proc/self/mountinfo line: its mount point, file system type and
 * whether it is writable by its options (neither the per-mount options
 * nor the superblock options contain "ro").  Returns 0 or -EINVAL. */
int ward_selfprobe_mount_rw(const char *line, char *mnt, size_t mntlen,
			    char *fstype, size_t typelen, bool *rw);

/* "noroot,noroot_locked,..." for a securebits value ("none" for 0;
 * unknown bits as "bitN"). */
void ward_selfprobe_securebits_format(unsigned long bits, char *buf,
				      size_t len);

/* The name of group @gid in group(5)-format @text.  Returns 0, -ENOENT. */
int ward_selfprobe_group_name(const char *text, uint32_t gid, char *name,
			      size_t len);

/* The path of a "unix:///path" DOCKER_HOST value.  Returns 0, -EINVAL
 * (another scheme) or -ENAMETOOLONG. */
int ward_selfprobe_docker_host_path(const char *value, char *out,
				    size_t len);

/* Whether @inode is the kernel's initial namespace of @kind: the initial
 * user, pid, uts, ipc and cgroup namespaces have had fixed inode numbers
 * since Linux 3.8 (cgroup: 4.6); the initial mnt and net ones since 6.18
 * (@fixed_mnt_net: the kernel is that recent).  Returns 1, 0 or -1. */
int ward_selfprobe_ns_initial(enum ward_selfprobe_ns_kind kind,
			      unsigned long inode, bool fixed_mnt_net);

/* True when a uname(2) release ("6.18.44-...") is Linux 6.18 or later. */
bool ward_selfprobe_release_fixed_ns(const char *release);

/* Short phrases, shared by the text report, the summary and the demo. */
void ward_selfprobe_caps_phrase(const struct ward_selfprobe *p, char *buf,
				size_t len);
void ward_selfprobe_net_phrase(const struct ward_selfprobe *p, char *buf,
			       size_t len);
void ward_selfprobe_engine_phrase(const struct ward_selfprobe *p, char *buf,
				  size_t len);
/* Mounts writable by this process that hold data (device nodes left out). */
size_t ward_selfprobe_writable_count(const struct ward_selfprobe *p);

/* The one-line summary, e.g. "uid 65534, no capabilities, no_new_privs,
 * seccomp filter, read-only root, 3 writable mounts, loopback only, no
 * engine socket". */
void ward_selfprobe_summary(const struct ward_selfprobe *p, char *buf,
			    size_t len);

/* The text report and the JSON object (caller puts the reference). */
void ward_selfprobe_print(const struct ward_selfprobe *p, FILE *out);
struct json_object *ward_selfprobe_json(const struct ward_selfprobe *p);

#endif
