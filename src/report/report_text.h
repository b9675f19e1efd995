/* What the rootfs audit and the image audit share: a bounded builder for
 * row texts, number formats, and the table of tools a compromised
 * program would like to find (shells, interpreters, package managers,
 * compilers, network tools). */
#ifndef WARD_REPORT_TEXT_H
#define WARD_REPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

struct ward_text {
	char s[WARD_REPORT_TEXT];
	size_t n;
};

/* Append; output beyond the buffer is cut, never overflowed. */
void ward_text_add(struct ward_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* 28544 -> "28,544" */
const char *ward_fmt_count(uint64_t n, char buf[32]);
/* 327155712 -> "312 MiB" */
const char *ward_fmt_size(uint64_t bytes, char buf[32]);

enum ward_tool_cat {
	WARD_TOOL_SHELL, WARD_TOOL_INTERP, WARD_TOOL_PKG, WARD_TOOL_CC,
	WARD_TOOL_NET, WARD_TOOL_CATS
};

#define WARD_TOOLS 45 /* entries of the table (report_text.c checks) */

/* The table entry @name (a file name in a bin directory) is, or -1.
 * Versioned names count: "python3.11", "pip3", "gcc-12". */
int ward_tool_index(const char *name);

/* The category of table entry @index (from ward_tool_index). */
enum ward_tool_cat ward_tool_category(int index);

/* The directories searched, relative to the root. */
extern const char *const ward_bin_dirs[];
extern const size_t ward_nbin_dirs;

/* "shell (sh, bash)<sep>network tool (curl)": per category at most three
 * names and "+N"; @found[i] is the name seen for table entry i ("" if
 * none), already escaped by the caller.  Returns the category count. */
unsigned ward_tools_describe(const char *const found[WARD_TOOLS],
			     const char *sep, struct ward_text *t);

#endif
