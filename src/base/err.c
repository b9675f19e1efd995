/* Error records: fill, wrap, format. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/explain.h"

int ward_err_set(struct ward_err *err, enum ward_step step, int errnum,
		 const char *fmt, ...)
{
	va_list ap;

	err->step = step;
	err->errnum = errnum;
	err->hint[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return errnum > 0 ? -errnum : -EINVAL;
}

int ward_err_wrap(struct ward_err *err, const char *fmt, ...)
{
	char prefix[WARD_ERR_MSG_MAX];
	char old[WARD_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is fine: the message is for people. */
	size_t n = strnlen(prefix, sizeof(err->msg) - 1);
	memcpy(err->msg, prefix, n);
	snprintf(err->msg + n, sizeof(err->msg) - n, "%.*s",
		 (int)(sizeof(err->msg) - n - 1), old);
	return err->errnum > 0 ? -err->errnum : -EINVAL;
}

int ward_err_hint(struct ward_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
	return err->errnum > 0 ? -err->errnum : -EINVAL;
}

void ward_err_format(const struct ward_err *err, char *buf, size_t len)
{
	const char *step = ward_step_name(err->step);

	if (err->errnum > 0)
		snprintf(buf, len, "ward: %s: %s: %s", step, err->msg,
			 strerror(err->errnum));
	else
		snprintf(buf, len, "ward: %s: %s", step, err->msg);
}
