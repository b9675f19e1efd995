/* Engine listeners on TCP (see tcp_listeners.h): /proc/net/tcp{,6}
 * parsed, their owners found through /proc/PID/fd and classified. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "engine/dockersock.h"
#include "engine/listener.h"
#include "engine/tcp_listeners.h"

#define TCP_LISTEN 0x0A /* include/net/tcp_states.h: TCP_LISTEN */
#define MAX_TOKENS 10   /* sl local rem st tx:rx tr:when retr uid timeout inode */

/* ---- pure: one line of /proc/net/tcp -------------------------------------- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Exactly @len hex digits (1..16) into *@v. */
static int parse_hex(const char *s, size_t len, uint64_t *v)
{
	*v = 0;
	if (len == 0 || len > 16)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -EINVAL;
		*v = *v << 4 | (uint64_t)d;
	}
	return 0;
}

/* Exactly @len decimal digits (1..20, no overflow) into *@v. */
static int parse_dec(const char *s, size_t len, uint64_t *v)
{
	*v = 0;
	if (len == 0 || len > 20)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    __builtin_mul_overflow(*v, 10, v) ||
		    __builtin_add_overflow(*v, (uint64_t)(s[i] - '0'), v))
			return -EINVAL;
	}
	return 0;
}

struct token {
	const char *s;
	size_t len;
};

/* Split @line (@len bytes) at blanks into at most MAX_TOKENS tokens;
 * the count, more counting as MAX_TOKENS. */
static size_t tokenize(const char *line, size_t len, struct token *t)
{
	size_t n = 0, i = 0;

	while (i < len && n < MAX_TOKENS) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			break;
		t[n].s = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		t[n].len = (size_t)(line + i - t[n].s);
		n++;
	}
	return n;
}

/* "0100007F:0CFF" (IPv4) or 32 hex digits and a port (IPv6).  The kernel
 * prints each 32-bit word of the address as the number it is in memory,
 * so copying the number back to memory restores network order. */
static int parse_endpoint(const struct token *t, bool v6,
			  struct ward_tcp_listener *l)
{
	size_t alen = v6 ? 32 : 8;
	uint64_t v;

	if (t->len != alen + 5 || t->s[alen] != ':' ||
	    parse_hex(t->s + alen + 1, 4, &v) < 0)
		return -EINVAL;
	l->port = (uint16_t)v;
	memset(l->addr, 0, sizeof(l->addr));
	for (size_t w = 0; w < alen / 8; w++) {
		uint32_t word;

		if (parse_hex(t->s + 8 * w, 8, &v) < 0)
			return -EINVAL;
		word = (uint32_t)v;
		memcpy(l->addr + 4 * w, &word, 4);
	}
	l->v6 = v6;
	return 0;
}

/* One socket line: 1 and *@l when it listens, 0 when it does not,
 * -EINVAL when it is no socket line. */
static int parse_line(const char *line, size_t len, bool v6,
		      struct ward_tcp_listener *l)
{
	struct token t[MAX_TOKENS];
	uint64_t st, uid, inode;

	if (tokenize(line, len, t) < MAX_TOKENS ||
	    t[0].len < 2 || t[0].s[t[0].len - 1] != ':' ||
	    parse_endpoint(&t[1], v6, l) < 0 ||
	    t[3].len != 2 || parse_hex(t[3].s, 2, &st) < 0 ||
	    parse_dec(t[7].s, t[7].len, &uid) < 0 || uid > UINT32_MAX ||
	    parse_dec(t[9].s, t[9].len, &inode) < 0)
		return -EINVAL;
	if (st != TCP_LISTEN)
		return 0;
	l->uid = (uid_t)uid;
	l->inode = (unsigned long)inode;
	return 1;
}

static bool is_header(const char *line, size_t len)
{
	return memmem(line, len, "local_address", 13) != NULL;
}

static bool blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)line[i]))
			return false;
	return true;
}

/* One line of the file (the first: the header): 0 or -errno. */
static int take_line(const char *line, size_t len, bool first, bool v6,
		     struct ward_tcp_listener *out, size_t max, size_t *n)
{
	struct ward_tcp_listener l;
	int r;

	if (first)
		return is_header(line, len) ? 0 : -EINVAL;
	if (blank(line, len))
		return 0;
	if ((r = parse_line(line, len, v6, &l)) <= 0)
		return r;
	if (*n >= max)
		return -E2BIG;
	out[(*n)++] = l;
	return 0;
}

int ward_tcp_parse_listeners(const char *text, size_t len, bool v6,
			     struct ward_tcp_listener *out, size_t max,
			     size_t *n)
{
	size_t start = 0;
	bool first = true;

	if (len == 0)
		return -EINVAL; /* not even the header */
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		int r = take_line(text + start, end - start, first, v6, out, max, n);

		if (r < 0)
			return r;
		first = false;
		start = end + 1;
	}
	return 0;
}

bool ward_tcp_listener_loopback(const struct ward_tcp_listener *l)
{
	static const uint8_t v6_loop[16] = {[15] = 1};
	static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};

	if (!l->v6)
		return l->addr[0] == 127;
	if (memcmp(l->addr, v6_loop, 16) == 0)
		return true;
	return memcmp(l->addr, mapped, 12) == 0 && l->addr[12] == 127;
}

void ward_tcp_listener_format(const struct ward_tcp_listener *l, char *buf,
			      size_t len)
{
	char a[64] = "";
	size_t used = 0;

	if (!l->v6) {
		snprintf(buf, len, "%u.%u.%u.%u:%u", l->addr[0], l->addr[1],
			 l->addr[2], l->addr[3], (unsigned)l->port);
		return;
	}
	/* Plain groups, no "::" shortening, except the two common cases. */
	if (memcmp(l->addr, (uint8_t[16]){0}, 16) == 0) {
		snprintf(buf, len, "[::]:%u", (unsigned)l->port);
		return;
	}
	for (int g = 0; g < 8; g++)
		used += (size_t)snprintf(a + used, sizeof(a) - used, "%s%x", g ? ":" : "",
					 (unsigned)(l->addr[2 * g] << 8 | l->addr[2 * g + 1]));
	snprintf(buf, len, "[%s]:%u", a, (unsigned)l->port);
}

int ward_tcp_engine_by_exe(const char *name)
{
	/* They listen for containers' published ports, not for the API. */
	if (strcmp(name, "docker-proxy") == 0 || strcmp(name, "rootlesskit") == 0)
		return -1;
	return ward_engine_by_exe(name);
}

int ward_tcp_engine_by_port(uint16_t port)
{
	return port == 2375 || port == 2376 ? (int)WARD_ENGINE_DOCKER : -1;
}
