/* ward probe, decoding and rendering: securebits names, the namespace
 * verdicts, the phrases, the one-line summary, the text report and the
 * JSON object (schema: the comment at the top of src/report/selfprobe.c).  Pure:
 * no syscalls; it reads a gathered struct ward_selfprobe. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <json-c/json.h>
#include <string.h>

#include "engine/dockersock.h"
#include "report/selfprobe.h"

static const char *const ns_names[WARD_SELFPROBE_NS_COUNT] = {
	"user", "mnt", "pid", "net", "uts", "ipc", "cgroup",
};

/* ---- decoding --------------------------------------------------------------- */

void ward_selfprobe_securebits_format(unsigned long bits, char *buf,
				      size_t len)
{
	static const char *const names[] = {
		"noroot", "noroot_locked", "no_setuid_fixup",
		"no_setuid_fixup_locked", "keep_caps", "keep_caps_locked",
		"no_cap_ambient_raise", "no_cap_ambient_raise_locked",
		"exec_restrict_file", "exec_restrict_file_locked",
		"exec_deny_interactive", "exec_deny_interactive_locked",
	};
	size_t o = 0;

	snprintf(buf, len, "none");
	for (unsigned b = 0; b < sizeof(bits) * 8 && o < len; b++) {
		char tmp[16];
		const char *name = tmp;
		int n;

		if (!(bits & (1UL << b)))
			continue;
		if (b < sizeof(names) / sizeof(names[0]))
			name = names[b];
		else
			snprintf(tmp, sizeof(tmp), "bit%u", b);
		n = snprintf(buf + o, len - o, "%s%s", o ? "," : "", name);
		if (n < 0)
			return;
		o += (size_t)n;
	}
}

int ward_selfprobe_ns_initial(enum ward_selfprobe_ns_kind kind,
			      unsigned long inode, bool fixed_mnt_net)
{
	/* include/linux/proc_ns.h; mnt and net: include/uapi/linux/nsfs.h */
	static const unsigned long fixed[WARD_SELFPROBE_NS_COUNT] = {
		[WARD_SELFPROBE_NS_USER] = 0xEFFFFFFDUL,
		[WARD_SELFPROBE_NS_MNT] = 0xEFFFFFF8UL,
		[WARD_SELFPROBE_NS_PID] = 0xEFFFFFFCUL,
		[WARD_SELFPROBE_NS_NET] = 0xEFFFFFF9UL,
		[WARD_SELFPROBE_NS_UTS] = 0xEFFFFFFEUL,
		[WARD_SELFPROBE_NS_IPC] = 0xEFFFFFFFUL,
		[WARD_SELFPROBE_NS_CGROUP] = 0xEFFFFFFBUL,
	};

	if (inode == 0 || (unsigned)kind >= WARD_SELFPROBE_NS_COUNT)
		return WARD_SELFPROBE_UNKNOWN;
	if (inode == fixed[kind])
		return 1;
	if ((kind == WARD_SELFPROBE_NS_MNT || kind == WARD_SELFPROBE_NS_NET) &&
	    !fixed_mnt_net)
		return WARD_SELFPROBE_UNKNOWN;
	return 0;
}

bool ward_selfprobe_release_fixed_ns(const char *release)
{
	unsigned major = 0, minor = 0;

	if (sscanf(release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 18);
}

static const char *errno_name(int e, char *buf, size_t len)
{
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(buf, len, "errno %d", e);
	return buf;
}

static const char *yes_no(int v)
{
	return v < 0 ? "unknown" : v ? "yes" : "no";
}

static uint64_t full_mask(int cap_last)
{
	return cap_last >= 63 ? ~0ULL : (1ULL << (cap_last + 1)) - 1;
}

/* Append to @buf[len] at *o, never overflowing. */
static void put(char *buf, size_t len, size_t *o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t len, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*o >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *o, len - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o = *o + (size_t)n < len ? *o + (size_t)n : len;
}

void ward_selfprobe_caps_phrase(const struct ward_selfprobe *p, char *buf,
				size_t len)
{
	const struct ward_capsets *c = &p->caps;
	uint64_t full = full_mask(p->cap_last);
	uint64_t held = c->inh | c->prm | c->eff | c->amb;
	int total = p->cap_last + 1, n = __builtin_popcountll(c->eff & full);
	char names[2048];

	if (!p->status_ok) {
		snprintf(buf, len, "unknown");
	} else if (held == 0 && c->bnd == 0) {
		snprintf(buf, len, "none");
	} else if (held == 0) {
		snprintf(buf, len, "none held, bounding set %d of %d",
			 __builtin_popcountll(c->bnd & full), total);
	} else if ((c->eff & full) == full) {
		snprintf(buf, len, "all %d", total);
	} else if (2 * n > total) {
		ward_caps_format(full & ~c->eff, names, sizeof(names));
		snprintf(buf, len, "%d of %d (all but %s)", n, total, names);
	} else if (c->eff) {
		ward_caps_format(c->eff, names, sizeof(names));
		snprintf(buf, len, "%s", names);
	} else {
		ward_caps_format(held, names, sizeof(names));
		snprintf(buf, len, "none effective, held: %s", names);
	}
}

void ward_selfprobe_net_phrase(const struct ward_selfprobe *p, char *buf,
			       size_t len)
{
	size_t o = 0, up = 0, other = 0;

	if (p->ifaces_err) {
		snprintf(buf, len, "unknown");
		return;
	}
	for (size_t i = 0; i < p->nifaces; i++) {
		if (p->ifaces[i].up != 1)
			continue;
		up++;
		other += !p->ifaces[i].loopback;
	}
	if (up == 0) {
		snprintf(buf, len, "no interface up");
		return;
	}
	if (other == 0) {
		snprintf(buf, len, "loopback only");
		return;
	}
	put(buf, len, &o, "interfaces up:");
	for (size_t i = 0; i < p->nifaces; i++)
		if (p->ifaces[i].up == 1)
			put(buf, len, &o, " %s", p->ifaces[i].name);
}

/* A reachable engine listener not already among the well-known paths. */
static bool listener_counts(const struct ward_selfprobe *p, size_t i)
{
	if (p->listeners[i].reachable != 1)
		return false;
	for (size_t j = 0; j < p->nsockets; j++)
		if (strcmp(p->sockets[j].path, p->listeners[i].l.name) == 0)
			return false;
	return true;
}

void ward_selfprobe_engine_phrase(const struct ward_selfprobe *p, char *buf,
				  size_t len)
{
	size_t o = 0, reach = 0, listening = 0;

	for (size_t i = 0; i < p->nlisteners; i++)
		listening += listener_counts(p, i);
	if (p->nsockets == 0 && listening == 0) {
		snprintf(buf, len, "no engine socket");
		return;
	}
	for (size_t i = 0; i < p->nsockets; i++)
		reach += p->sockets[i].connectable;
	reach += listening;
	put(buf, len, &o, "%s:", reach ? "engine socket reachable" :
					 "engine socket present, not connectable");
	for (size_t i = 0; i < p->nsockets; i++)
		if (p->sockets[i].connectable == (reach > 0))
			put(buf, len, &o, " %s", p->sockets[i].path);
	for (size_t i = 0; i < p->nlisteners; i++)
		if (listener_counts(p, i))
			put(buf, len, &o, " %s", p->listeners[i].l.name);
}

static bool counts_as_writable(const struct ward_selfprobe_mount *m)
{
	return m->writable && m->kind != 'c' && m->kind != 'b';
}

size_t ward_selfprobe_writable_count(const struct ward_selfprobe *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nmounts; i++)
		n += counts_as_writable(&p->mounts[i]);
	return n;
}

void ward_selfprobe_summary(const struct ward_selfprobe *p, char *buf,
			    size_t len)
{
	static const char *const seccomp[] = {"no seccomp", "seccomp strict",
					      "seccomp filter"};
	char caps[1024], net[512], engine[512];
	size_t o = 0, nw = ward_selfprobe_writable_count(p);

	ward_selfprobe_caps_phrase(p, caps, sizeof(caps));
	ward_selfprobe_net_phrase(p, net, sizeof(net));
	ward_selfprobe_engine_phrase(p, engine, sizeof(engine));
	if (p->status_ok)
		put(buf, len, &o, "uid %" PRIu32 ", ", p->uid[1]);
	else
		put(buf, len, &o, "uid unknown, ");
	if (strcmp(caps, "none") == 0)
		put(buf, len, &o, "no capabilities, ");
	else
		put(buf, len, &o, "capabilities: %s, ", caps);
	put(buf, len, &o, "%s, %s, %s, %zu writable mount%s, %s, %s",
	    p->no_new_privs == 1 ? "no_new_privs" :
	    p->no_new_privs == 0 ? "new privileges allowed" : "no_new_privs unknown",
	    p->seccomp_mode >= 0 ? seccomp[p->seccomp_mode] : "seccomp unknown",
	    p->root_read_only == 1 ? "read-only root" :
	    p->root_read_only == 0 ? "writable root" : "root unknown",
	    nw, nw == 1 ? "" : "s", net, engine);
	if (p->nfds)
		put(buf, len, &o, ", %zu open fd%s above 2", p->nfds,
		    p->nfds == 1 ? "" : "s");
}

/* ---- text ----------------------------------------------------------------- */

static void print_ids(const struct ward_selfprobe *p, FILE *out)
{
	static const char *const what[2] = {"uid", "gid"};

	fprintf(out, "[identity]\n");
	for (int k = 0; k < 2; k++) {
		const uint32_t *v = k ? p->gid : p->uid;

		if (!p->status_ok) {
			fprintf(out, "%s: unknown\n", what[k]);
			continue;
		}
		fprintf(out, "%s: %" PRIu32 " (real %" PRIu32 ", effective %" PRIu32
			", saved %" PRIu32 ", fs %" PRIu32 ")\n",
			what[k], v[1], v[0], v[1], v[2], v[3]);
	}
	fprintf(out, "groups: %s", p->ngroups ? "" : "none");
	for (size_t i = 0; i < p->ngroups; i++)
		fprintf(out, "%s%" PRIu32 " (%s)", i ? ", " : "", p->groups[i],
			p->group_names[i][0] ? p->group_names[i] : "?");
	if (p->groups_total > p->ngroups)
		fprintf(out, " and %zu more", p->groups_total - p->ngroups);
	fputc('\n', out);
}

static void print_privileges(const struct ward_selfprobe *p, FILE *out)
{
	static const char *const sets[] = {"inheritable", "permitted",
					   "effective", "bounding", "ambient"};
	const uint64_t masks[] = {p->caps.inh, p->caps.prm, p->caps.eff,
				  p->caps.bnd, p->caps.amb};
	static const char *const seccomp[] = {"off", "strict", "filter"};
	char buf[2048], e[32];

	ward_selfprobe_caps_phrase(p, buf, sizeof(buf));
	fprintf(out, "[privileges]\ncapabilities: %s\n", buf);
	for (int i = 0; i < 5 && p->status_ok; i++) {
		ward_caps_format(masks[i], buf, sizeof(buf));
		fprintf(out, "cap_%s: %016" PRIx64 " %s\n", sets[i], masks[i], buf);
	}
	if (p->securebits >= 0) {
		ward_selfprobe_securebits_format((unsigned long)p->securebits,
						 buf, sizeof(buf));
		fprintf(out, "securebits: 0x%lx %s\n", p->securebits, buf);
	} else {
		fprintf(out, "securebits: unknown (%s)\n",
			errno_name(p->securebits_err, e, sizeof(e)));
	}
	fprintf(out, "no_new_privs: %s\n", yes_no(p->no_new_privs));
	if (p->seccomp_mode >= 0)
		fprintf(out, "seccomp: %s (mode %d, %d filter%s)\n",
			seccomp[p->seccomp_mode], p->seccomp_mode,
			p->seccomp_filters, p->seccomp_filters == 1 ? "" : "s");
	else
		fprintf(out, "seccomp: unknown\n");
	if (p->landlock_abi >= 0)
		fprintf(out, "landlock_abi: %d\n", p->landlock_abi);
	else
		fprintf(out, "landlock_abi: unavailable (%s)\n",
			errno_name(p->landlock_err, e, sizeof(e)));
	fprintf(out, "landlock_restricted: unknown (no kernel interface tells)\n");
}

static const char *ns_word(const struct ward_selfprobe_ns *ns)
{
	if (ns->is_private == 1)
		return "private";
	if (ns->is_private == 0)
		return ns->initial == 1 ? "initial (the host's)" : "not private";
	return "unknown";
}

static void print_ns(const struct ward_selfprobe *p, FILE *out)
{
	char net[512];

	fprintf(out, "[namespaces]\n");
	for (int k = 0; k < WARD_SELFPROBE_NS_COUNT; k++) {
		fprintf(out, "ns_%s: %lu %s", ns_names[k], p->ns[k].inode,
			ns_word(&p->ns[k]));
		if (k == WARD_SELFPROBE_NS_USER)
			fprintf(out, ", uid_map %s", p->uid_map[0] ? p->uid_map : "?");
		fputc('\n', out);
	}
	fprintf(out, "pid: %ld\npid1_visible: %s\nhostname: %s\ninterfaces: ",
		p->pid, yes_no(p->pid1_visible), p->hostname);
	for (size_t i = 0; i < p->nifaces; i++)
		fprintf(out, "%s%s %s", i ? ", " : "", p->ifaces[i].name,
			p->ifaces[i].up == 1 ? "up" :
			p->ifaces[i].up == 0 ? "down" : "unknown");
	fprintf(out, "%s\n", p->nifaces ? "" : p->ifaces_err ? "unknown" : "none");
	ward_selfprobe_net_phrase(p, net, sizeof(net));
	fprintf(out, "network: %s\n", net);
}

/* One line listing the mounts for which @want(m) holds. */
static void print_mount_list(const struct ward_selfprobe *p, FILE *out,
			     const char *key, int want)
{
	size_t n = 0;

	fprintf(out, "%s: ", key);
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct ward_selfprobe_mount *m = &p->mounts[i];
		int cls = counts_as_writable(m) ? 0 : m->writable ? 2 : 1;

		if (cls == want)
			fprintf(out, "%s%s", n++ ? ", " : "", m->path);
	}
	fprintf(out, "%s\n", n ? "" : "none");
}

static void print_write(FILE *out, const char *key,
			const struct ward_selfprobe_write *w)
{
	char e[32];

	if (w->created)
		fprintf(out, "%s: allowed (created and removed a file)\n", key);
	else
		fprintf(out, "%s: refused (%s)\n", key, errno_name(w->err, e, sizeof(e)));
}

static void print_fs(const struct ward_selfprobe *p, FILE *out)
{
	char e[32];

	fprintf(out, "[filesystem]\nroot_read_only: %s\n", yes_no(p->root_read_only));
	if (p->mounts_err)
		fprintf(out, "mounts: unknown (%s)\n",
			errno_name(p->mounts_err, e, sizeof(e)));
	fprintf(out, "writable_mounts_count: %zu\n", ward_selfprobe_writable_count(p));
	print_mount_list(p, out, "writable_mounts", 0);
	print_mount_list(p, out, "rw_mounts_denied", 1);
	print_mount_list(p, out, "rw_device_mounts", 2);
	print_write(out, "write_root", &p->write_root);
	print_write(out, "write_etc", &p->write_etc);
}

static void print_listeners(const struct ward_selfprobe *p, FILE *out)
{
	char e[32];

	if (p->listeners_err)
		fprintf(out, "engine_listeners: unknown (%s)\n",
			errno_name(p->listeners_err, e, sizeof(e)));
	for (size_t i = 0; i < p->nlisteners; i++) {
		const struct ward_selfprobe_listener *l = &p->listeners[i];

		fprintf(out, "engine_listener: %s %s pid %d (%s)%s\n", l->l.name,
			l->l.who.exe, (int)l->l.who.pid,
			ward_engine_name((enum ward_engine)l->l.who.engine),
			l->reachable == 1 ? " reachable" :
			l->reachable == 0 ? " not reachable" : "");
	}
}

static void print_rest(const struct ward_selfprobe *p, FILE *out)
{
	char e[32], buf[4096];

	fprintf(out, "[engine sockets]\n");
	ward_selfprobe_engine_phrase(p, buf, sizeof(buf));
	fprintf(out, "engine: %s\n", buf);
	for (size_t i = 0; i < p->nsockets; i++)
		fprintf(out, "engine_socket: %s %s%s%s\n", p->sockets[i].path,
			p->sockets[i].connectable ? "connectable" : "not connectable",
			p->sockets[i].connectable ? "" : " ",
			p->sockets[i].connectable ? "" :
			errno_name(p->sockets[i].err, e, sizeof(e)));
	print_listeners(p, out);
	fprintf(out, "[fds]\nfds: ");
	if (p->fds_err)
		fprintf(out, "unknown (%s)", errno_name(p->fds_err, e, sizeof(e)));
	else if (!p->nfds)
		fprintf(out, "none above 2");
	for (size_t i = 0; i < p->nfds; i++)
		fprintf(out, "%s%d -> %s", i ? ", " : "", p->fds[i].fd,
			p->fds[i].target);
	ward_selfprobe_summary(p, buf, sizeof(buf));
	fprintf(out, "\nsummary: %s\n", buf);
}

void ward_selfprobe_print(const struct ward_selfprobe *p, FILE *out)
{
	print_ids(p, out);
	print_privileges(p, out);
	print_ns(p, out);
	print_fs(p, out);
	print_rest(p, out);
}

/* ---- JSON ----------------------------------------------------------------- */

static void kv(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *jint(int64_t v)
{
	return json_object_new_int64(v);
}

static json_object *jbool(bool v)
{
	return json_object_new_boolean(v);
}

static json_object *j_err(int e)
{
	char buf[32];

	return e ? jstr(errno_name(e, buf, sizeof(buf))) : NULL;
}

static json_object *j_tri(int v)
{
	return v < 0 ? NULL : jbool(v);
}

/* A JSON array of the comma-separated @list ("none" is the empty list). */
static json_object *j_names(const char *list)
{
	json_object *a = json_object_new_array();

	if (strcmp(list, "none") == 0)
		return a;
	for (const char *s = list; *s;) {
		size_t n = strcspn(s, ",");

		json_object_array_add(a, json_object_new_string_len(s, (int)n));
		s += n + (s[n] == ',');
	}
	return a;
}

static json_object *j_ids(const struct ward_selfprobe *p, const uint32_t *v)
{
	static const char *const keys[] = {"real", "effective", "saved", "fs"};
	json_object *o = json_object_new_object();

	for (int i = 0; i < 4; i++)
		kv(o, keys[i], p->status_ok ? jint(v[i]) : NULL);
	return o;
}

static json_object *j_identity(const struct ward_selfprobe *p)
{
	json_object *o = json_object_new_object(), *g = json_object_new_array();

	kv(o, "uid", j_ids(p, p->uid));
	kv(o, "gid", j_ids(p, p->gid));
	for (size_t i = 0; i < p->ngroups; i++) {
		json_object *e = json_object_new_object();

		kv(e, "gid", jint(p->groups[i]));
		kv(e, "name", p->group_names[i][0] ? jstr(p->group_names[i]) : NULL);
		json_object_array_add(g, e);
	}
	kv(o, "groups", g);
	kv(o, "groups_truncated", jbool(p->groups_total > p->ngroups));
	return o;
}

static json_object *j_capset(uint64_t mask)
{
	json_object *o = json_object_new_object();
	char buf[2048];

	snprintf(buf, sizeof(buf), "%016" PRIx64, mask);
	kv(o, "mask", jstr(buf));
	ward_caps_format(mask, buf, sizeof(buf));
	kv(o, "names", j_names(buf));
	return o;
}

static json_object *j_caps(const struct ward_selfprobe *p)
{
	json_object *o = json_object_new_object(), *sb = json_object_new_object();
	char buf[512];

	kv(o, "last_cap", jint(p->cap_last));
	kv(o, "inheritable", j_capset(p->caps.inh));
	kv(o, "permitted", j_capset(p->caps.prm));
	kv(o, "effective", j_capset(p->caps.eff));
	kv(o, "bounding", j_capset(p->caps.bnd));
	kv(o, "ambient", j_capset(p->caps.amb));
	ward_selfprobe_securebits_format(p->securebits < 0 ? 0 :
					 (unsigned long)p->securebits,
					 buf, sizeof(buf));
	kv(sb, "value", p->securebits < 0 ? NULL : jint(p->securebits));
	kv(sb, "names", j_names(buf));
	kv(sb, "error", j_err(p->securebits_err));
	kv(o, "securebits", sb);
	return o;
}

static void j_status(const struct ward_selfprobe *p, json_object *root)
{
	static const char *const modes[] = {"off", "strict", "filter"};
	json_object *sc = json_object_new_object(), *ll = json_object_new_object();
	int m = p->seccomp_mode;

	kv(root, "no_new_privs", j_tri(p->no_new_privs));
	kv(sc, "mode", m < 0 ? NULL : jint(m));
	kv(sc, "mode_name", m < 0 ? NULL : jstr(modes[m]));
	kv(sc, "filters", p->seccomp_filters < 0 ? NULL : jint(p->seccomp_filters));
	kv(root, "seccomp", sc);
	kv(ll, "abi", p->landlock_abi < 0 ? NULL : jint(p->landlock_abi));
	kv(ll, "error", j_err(p->landlock_err));
	kv(ll, "restricted", NULL); /* no kernel interface tells */
	kv(root, "landlock", ll);
}

static json_object *j_ifaces(const struct ward_selfprobe *p)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < p->nifaces; i++) {
		const struct ward_selfprobe_iface *f = &p->ifaces[i];
		json_object *e = json_object_new_object();

		kv(e, "name", jstr(f->name));
		kv(e, "index", jint(f->index));
		kv(e, "up", j_tri(f->up));
		kv(e, "loopback", jbool(f->loopback));
		json_object_array_add(a, e);
	}
	return a;
}

static json_object *j_namespaces(const struct ward_selfprobe *p)
{
	json_object *o = json_object_new_object();

	for (int k = 0; k < WARD_SELFPROBE_NS_COUNT; k++) {
		const struct ward_selfprobe_ns *ns = &p->ns[k];
		json_object *e = json_object_new_object();

		kv(e, "inode", ns->inode ? jint((int64_t)ns->inode) : NULL);
		kv(e, "initial", j_tri(ns->initial));
		kv(e, "private", j_tri(ns->is_private));
		if (k == WARD_SELFPROBE_NS_USER)
			kv(e, "uid_map", jstr(p->uid_map));
		if (k == WARD_SELFPROBE_NS_PID) {
			kv(e, "pid", jint(p->pid));
			kv(e, "pid1_visible", j_tri(p->pid1_visible));
		}
		if (k == WARD_SELFPROBE_NS_NET) {
			kv(e, "interfaces", j_ifaces(p));
			kv(e, "error", j_err(p->ifaces_err));
		}
		if (k == WARD_SELFPROBE_NS_UTS)
			kv(e, "hostname", jstr(p->hostname));
		kv(o, ns_names[k], e);
	}
	return o;
}

static const char *kind_name(char kind)
{
	static const char kinds[] = "dfcbspl";
	static const char *const names[] = {"dir", "file", "chr", "blk",
					    "sock", "fifo", "link"};
	const char *k = kind ? strchr(kinds, kind) : NULL;

	return k ? names[k - kinds] : "unknown";
}

static json_object *j_write(const struct ward_selfprobe_write *w)
{
	json_object *o = json_object_new_object();

	kv(o, "created", jbool(w->created));
	kv(o, "error", j_err(w->err));
	return o;
}

static json_object *j_fs(const struct ward_selfprobe *p)
{
	json_object *o = json_object_new_object();
	json_object *rw = json_object_new_array(), *wr = json_object_new_array();

	kv(o, "root_read_only", j_tri(p->root_read_only));
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct ward_selfprobe_mount *m = &p->mounts[i];
		json_object *e = json_object_new_object();

		kv(e, "path", jstr(m->path));
		kv(e, "fstype", jstr(m->fstype));
		kv(e, "kind", jstr(kind_name(m->kind)));
		kv(e, "writable", jbool(m->writable));
		json_object_array_add(rw, e);
		if (counts_as_writable(m))
			json_object_array_add(wr, jstr(m->path));
	}
	kv(o, "rw_mounts", rw);
	kv(o, "writable_mounts", wr);
	kv(o, "mounts_error", j_err(p->mounts_err));
	kv(o, "write_root", j_write(&p->write_root));
	kv(o, "write_etc", j_write(&p->write_etc));
	return o;
}

static json_object *j_listeners(const struct ward_selfprobe *p)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < p->nlisteners; i++) {
		const struct ward_selfprobe_listener *l = &p->listeners[i];
		json_object *e = json_object_new_object();

		kv(e, "path", jstr(l->l.name));
		kv(e, "pid", jint(l->l.who.pid));
		kv(e, "exe", jstr(l->l.who.exe));
		kv(e, "engine", jstr(ward_engine_name((enum ward_engine)l->l.who.engine)));
		kv(e, "reachable", l->reachable < 0 ? NULL : jbool(l->reachable == 1));
		json_object_array_add(a, e);
	}
	return a;
}

static json_object *j_engine(const struct ward_selfprobe *p)
{
	json_object *o = json_object_new_object();
	json_object *checked = json_object_new_array();
	json_object *found = json_object_new_array();

	for (size_t i = 0; ward_selfprobe_engine_paths[i]; i++)
		json_object_array_add(checked, jstr(ward_selfprobe_engine_paths[i]));
	if (p->docker_host[0])
		json_object_array_add(checked, jstr(p->docker_host));
	for (size_t i = 0; i < p->nsockets; i++) {
		json_object *e = json_object_new_object();

		kv(e, "path", jstr(p->sockets[i].path));
		kv(e, "connectable", jbool(p->sockets[i].connectable));
		kv(e, "error", j_err(p->sockets[i].err));
		json_object_array_add(found, e);
	}
	kv(o, "checked", checked);
	kv(o, "found", found);
	kv(o, "listeners", j_listeners(p));
	kv(o, "listeners_error", j_err(p->listeners_err));
	return o;
}

static json_object *j_fds(const struct ward_selfprobe *p)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < p->nfds; i++) {
		json_object *e = json_object_new_object();

		kv(e, "fd", jint(p->fds[i].fd));
		kv(e, "target", jstr(p->fds[i].target));
		json_object_array_add(a, e);
	}
	return a;
}

struct json_object *ward_selfprobe_json(const struct ward_selfprobe *p)
{
	json_object *o = json_object_new_object();
	char summary[4096];

	if (!o)
		return NULL;
	kv(o, "schema_version", jint(WARD_SELFPROBE_SCHEMA));
	kv(o, "identity", j_identity(p));
	kv(o, "capabilities", j_caps(p));
	j_status(p, o);
	kv(o, "namespaces", j_namespaces(p));
	kv(o, "filesystem", j_fs(p));
	kv(o, "engine_sockets", j_engine(p));
	kv(o, "fds", j_fds(p));
	kv(o, "fds_error", j_err(p->fds_err));
	ward_selfprobe_summary(p, summary, sizeof(summary));
	kv(o, "summary", jstr(summary));
	return o;
}
