/* -v narration. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "base/log.h"

static int log_verbose;
static struct timespec log_start;

void ward_log_init(int verbose)
{
	log_verbose = verbose;
	clock_gettime(CLOCK_MONOTONIC, &log_start);
}

void ward_log(const char *step, const char *fmt, ...)
{
	struct timespec now;
	char msg[512];
	double ms;
	va_list ap;

	if (!log_verbose)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - log_start.tv_sec) * 1e3 +
	     (double)(now.tv_nsec - log_start.tv_nsec) / 1e6;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "ward: [%8.3f ms] %s: %s\n", ms, step, msg);
}
