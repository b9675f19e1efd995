/* listen [ADDR:]PORT[/tcp|/udp] (see listen.h): syntax when applied,
 * the plan's sockets and their network checks at resolution. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/builder.h"
#include "plan/listen.h"
#include "base/util.h"

/* ---- parsing ----------------------------------------------------------- */

static int why_err(char *why, size_t len, const char *msg)
{
	snprintf(why, len, "%s", msg);
	return -EINVAL;
}

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

/* "/tcp" or "/udp" at the end of @s, cut off; TCP when none. */
static int parse_proto(char *s, struct ward_listen *out)
{
	char *slash = strrchr(s, '/');

	out->type = SOCK_STREAM;
	out->protocol = IPPROTO_TCP;
	if (!slash)
		return 0;
	if (strcmp(slash, "/udp") == 0) {
		out->type = SOCK_DGRAM;
		out->protocol = IPPROTO_UDP;
	} else if (strcmp(slash, "/tcp") != 0) {
		return -EINVAL;
	}
	*slash = '\0';
	return 0;
}

/* ADDR:PORT or PORT, the protocol already cut off. */
static int parse_address(char *s, struct ward_listen *out, char *why, size_t len)
{
	char *colon;

	if (s[0] == '[') {
		char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return why_err(why, len, "expected [IPV6]:PORT");
		*close = '\0';
		out->family = AF_INET6;
		out->v6only = true;
		if (inet_pton(AF_INET6, s + 1, out->addr) != 1)
			return why_err(why, len, "not an IPv6 address");
		colon = close + 1;
	} else if ((colon = strchr(s, ':'))) {
		if (strchr(colon + 1, ':'))
			return why_err(why, len, "an IPv6 address goes in brackets: [::1]:PORT");
		*colon = '\0';
		out->family = AF_INET;
		if (inet_pton(AF_INET, s, out->addr) != 1)
			return why_err(why, len, "not an IPv4 address");
	} else {
		out->family = AF_INET6; /* [::]: both, as systemd binds PORT */
		out->v6only = false;
		colon = s - 1;
	}
	if (parse_port(colon + 1, &out->port) < 0)
		return why_err(why, len, "the port must be a number from 1 to 65535");
	return 0;
}

static void describe(struct ward_listen *l)
{
	char a[INET6_ADDRSTRLEN] = "";
	const char *proto = l->type == SOCK_DGRAM ? "udp" : "tcp";

	inet_ntop(l->family, l->addr, a, sizeof(a));
	snprintf(l->text, sizeof(l->text), l->family == AF_INET6 ? "[%s]:%u/%s" : "%s:%u/%s",
		 a, l->port, proto);
	snprintf(l->name, sizeof(l->name), "%s-%u", proto, l->port);
}

int ward_listen_parse(const char *text, struct ward_listen *out, char *why,
		      size_t whylen)
{
	char s[WARD_LISTEN_NAME_MAX];
	int r;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if (strlen(text) >= sizeof(s))
		return why_err(why, whylen, "too long");
	strcpy(s, text);
	if (parse_proto(s, out) < 0)
		return why_err(why, whylen, "the protocol is /tcp or /udp");
	if ((r = parse_address(s, out, why, whylen)) < 0)
		return r;
	describe(out);
	return 0;
}

void ward_listen_sockaddr(const struct ward_listen *l,
			  struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (l->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(l->port);
		memcpy(&in->sin_addr, l->addr, 4);
		*len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(l->port);
		memcpy(&in6->sin6_addr, l->addr, 16);
		*len = sizeof(*in6);
	}
}

/* ---- the directive ------------------------------------------------------- */

int ward_plan_check_listen(const char *value, struct ward_err *err)
{
	struct ward_listen l;
	char why[128];

	if (strcmp(value, "none") == 0)
		return 0;
	if (ward_listen_parse(value, &l, why, sizeof(why)) < 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--listen %s: %s ([ADDR:]PORT[/tcp|/udp], or none)",
				    value, why);
	return 0;
}

int ward_plan_check_listen_env(const char *value, struct ward_err *err)
{
	if (!ward_env_name_valid(value, strlen(value)) || strlen(value) > 64 ||
	    strncmp(value, "LISTEN_", 7) == 0)
		return ward_err_set(err, WARD_STEP_PLAN, 0,
				    "--listen-env %s: expected a variable name (letters, digits, _; "
				    "at most 64), not LISTEN_*", value);
	return 0;
}

static void clear_listen(struct ward_plan_builder *b)
{
	for (size_t i = 0; i < b->nlisten; i++)
		free(b->listen[i]);
	b->nlisten = 0;
}

/* Repeated, the values add up; the command line's first one replaces a
 * profile's list (as a scalar option replaces a profile's value), and
 * "none" empties it. */
int ward_plan_set_listen(struct ward_plan_builder *b,
			 const struct ward_directive *d, const char *v,
			 const struct ward_origin *o, struct ward_err *err)
{
	bool cli = !o || !o->file;

	if ((cli && !b->listen_cli) || strcmp(v, "none") == 0)
		clear_listen(b);
	b->listen_cli |= cli;
	if (strcmp(v, "none") == 0)
		return 0;
	if (b->nlisten >= d->max)
		return ward_plan_usage_err(err, o, "--listen: more than %zu given", d->max);
	if (!(b->listen[b->nlisten] = strdup(v)))
		return ward_err_set(err, WARD_STEP_USAGE, ENOMEM, "strdup");
	b->nlisten++;
	return 0;
}

void ward_plan_free_listen(struct ward_plan_builder *b)
{
	clear_listen(b);
}

/* ---- resolution ------------------------------------------------------------ */

static bool same_socket(const struct ward_listen *a, const struct ward_listen *b)
{
	return a->family == b->family && a->type == b->type && a->port == b->port &&
	       memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

int ward_listen_confine(struct ward_plan *plan, struct ward_err *err)
{
	if (!plan->nlisten || (plan->net != WARD_NET_NONE && plan->net != WARD_NET_LOOPBACK))
		return 0;
	for (size_t i = 0; i < plan->nlisten; i++) {
		const struct ward_listen *l = &plan->listen[i];
		bool tcp = (l->family == AF_INET || l->family == AF_INET6) &&
			   l->type == SOCK_STREAM && l->protocol == IPPROTO_TCP;
		bool local_stream = l->family == AF_UNIX &&
				    (l->type == SOCK_STREAM || l->type == SOCK_SEQPACKET);

		if (!tcp && !local_stream) {
			ward_err_set(err, WARD_STEP_PLAN, 0,
				     "listen %s: with --net %s the program must reach nothing, "
				     "but a socket of the caller's network other than TCP could "
				     "send anywhere: Landlock rules cover TCP only",
				     l->text, plan->net == WARD_NET_NONE ? "none" : "loopback");
			return ward_err_hint(err, "give such a socket with --net host or veth");
		}
	}
	if (!plan->tcp_connect_set) {
		plan->tcp_connect_set = true;
		plan->ntcp_connect = 0;
		plan->listen_connect_denied = true;
	}
	return 0;
}

int ward_plan_resolve_listen(const struct ward_plan_builder *b,
			     struct ward_plan *plan, struct ward_err *err)
{
	char why[128];

	for (size_t i = 0; i < b->nlisten; i++) {
		struct ward_listen *l = &plan->listen[plan->nlisten];

		if (ward_listen_parse(b->listen[i], l, why, sizeof(why)) < 0)
			return ward_err_set(err, WARD_STEP_PLAN, 0, "--listen %s: %s",
					    b->listen[i], why);
		for (size_t j = 0; j < plan->nlisten; j++)
			if (same_socket(l, &plan->listen[j]))
				return ward_err_set(err, WARD_STEP_PLAN, 0,
						    "--listen %s: given twice", l->text);
		plan->nlisten++;
	}
	if (b->listen_env && !(plan->listen_env = strdup(b->listen_env)))
		return ward_err_set(err, WARD_STEP_PLAN, ENOMEM, "strdup");
	return ward_listen_confine(plan, err);
}

void ward_listen_format_all(const struct ward_plan *plan, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < plan->nlisten && n < len; i++) {
		const struct ward_listen *l = &plan->listen[i];

		n += (size_t)snprintf(buf + n, len - n, "%s%s%s%s", i ? ", " : "",
				      l->inherited ? "inherited " : "", l->text,
				      l->family == AF_INET6 && !l->v6only && !l->inherited ?
				      " (IPv4 and IPv6)" : "");
	}
}
