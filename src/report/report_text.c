/* Shared by the rootfs audit and the image audit (see report_text.h). */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/report_text.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

void ward_text_add(struct ward_text *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (t->n >= sizeof(t->s) - 1)
		return;
	va_start(ap, fmt);
	k = vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	t->n += (size_t)k;
	if (t->n > sizeof(t->s) - 1)
		t->n = sizeof(t->s) - 1;
}

const char *ward_fmt_count(uint64_t n, char buf[32])
{
	char digits[24];
	int nd = snprintf(digits, sizeof(digits), "%" PRIu64, n);
	size_t o = 0;

	for (int i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *ward_fmt_size(uint64_t bytes, char buf[32])
{
	static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024.0 && u + 1 < N_ELEMS(unit)) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, 32, "%" PRIu64 " bytes", bytes);
	else
		snprintf(buf, 32, v < 10.0 ? "%.1f %s" : "%.0f %s", v, unit[u]);
	return buf;
}

static const char *const cat_name[WARD_TOOL_CATS] = {
	"shell", "interpreter", "package manager", "compiler", "network tool",
};

/* @versioned: the name may carry a version ("python3.11", "gcc-12"). */
static const struct tool {
	const char *name;
	enum ward_tool_cat cat;
	bool versioned;
} tools[] = {
	{"sh", WARD_TOOL_SHELL, false},      {"bash", WARD_TOOL_SHELL, false},
	{"dash", WARD_TOOL_SHELL, false},    {"ash", WARD_TOOL_SHELL, false},
	{"zsh", WARD_TOOL_SHELL, false},     {"ksh", WARD_TOOL_SHELL, false},
	{"busybox", WARD_TOOL_SHELL, false},
	{"python", WARD_TOOL_INTERP, true},  {"perl", WARD_TOOL_INTERP, true},
	{"ruby", WARD_TOOL_INTERP, true},    {"node", WARD_TOOL_INTERP, false},
	{"nodejs", WARD_TOOL_INTERP, false}, {"php", WARD_TOOL_INTERP, true},
	{"lua", WARD_TOOL_INTERP, true},
	{"apt", WARD_TOOL_PKG, false},       {"apt-get", WARD_TOOL_PKG, false},
	{"dpkg", WARD_TOOL_PKG, false},      {"apk", WARD_TOOL_PKG, false},
	{"rpm", WARD_TOOL_PKG, false},       {"yum", WARD_TOOL_PKG, false},
	{"dnf", WARD_TOOL_PKG, false},       {"microdnf", WARD_TOOL_PKG, false},
	{"pip", WARD_TOOL_PKG, true},        {"npm", WARD_TOOL_PKG, false},
	{"gcc", WARD_TOOL_CC, true},         {"cc", WARD_TOOL_CC, false},
	{"c++", WARD_TOOL_CC, false},        {"g++", WARD_TOOL_CC, true},
	{"clang", WARD_TOOL_CC, true},       {"tcc", WARD_TOOL_CC, false},
	{"make", WARD_TOOL_CC, false},       {"go", WARD_TOOL_CC, false},
	{"rustc", WARD_TOOL_CC, false},
	{"curl", WARD_TOOL_NET, false},      {"wget", WARD_TOOL_NET, false},
	{"nc", WARD_TOOL_NET, false},        {"netcat", WARD_TOOL_NET, false},
	{"ncat", WARD_TOOL_NET, false},      {"socat", WARD_TOOL_NET, false},
	{"ssh", WARD_TOOL_NET, false},       {"scp", WARD_TOOL_NET, false},
	{"telnet", WARD_TOOL_NET, false},    {"ftp", WARD_TOOL_NET, false},
	{"nmap", WARD_TOOL_NET, false},      {"tcpdump", WARD_TOOL_NET, false},
};
_Static_assert(N_ELEMS(tools) == WARD_TOOLS, "WARD_TOOLS is the table's size");

const char *const ward_bin_dirs[] = {
	"bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "usr/local/sbin",
};
const size_t ward_nbin_dirs = N_ELEMS(ward_bin_dirs);

int ward_tool_index(const char *name)
{
	for (size_t i = 0; i < N_ELEMS(tools); i++) {
		size_t k = strlen(tools[i].name);

		if (strncmp(name, tools[i].name, k) != 0)
			continue;
		if (name[k] == '\0' ||
		    (tools[i].versioned &&
		     strspn(name + k, "0123456789.-") == strlen(name + k)))
			return (int)i;
	}
	return -1;
}

enum ward_tool_cat ward_tool_category(int index)
{
	return tools[index].cat;
}

unsigned ward_tools_describe(const char *const found[WARD_TOOLS],
			     const char *sep, struct ward_text *t)
{
	unsigned ncat = 0;

	for (int c = 0; c < WARD_TOOL_CATS; c++) {
		unsigned shown = 0, more = 0;

		for (size_t i = 0; i < N_ELEMS(tools); i++) {
			if (tools[i].cat != (enum ward_tool_cat)c || !found[i][0])
				continue;
			if (shown == 3) {
				more++;
				continue;
			}
			if (shown)
				ward_text_add(t, ", %s", found[i]);
			else
				ward_text_add(t, "%s%s (%s", ncat ? sep : "", cat_name[c],
					      found[i]);
			shown++;
		}
		if (!shown)
			continue;
		if (more)
			ward_text_add(t, ", +%u", more);
		ward_text_add(t, ")");
		ncat++;
	}
	return ncat;
}
