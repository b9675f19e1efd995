/* Errors: one idiom, fail closed.
 *
 * Every fallible function returns 0 on success or a negative errno on
 * failure, after filling a struct ward_err with the step that failed, the
 * errno and a message that names the object (path, syscall, key).  On
 * success the struct is left untouched. */
#ifndef WARD_ERR_H
#define WARD_ERR_H

#include <stdarg.h>

/* The launch steps, in launch order.  Each has its own exit code and hint
 * (see explain.c); keep the order and the table in step.  Exit codes are
 * stable: a new step gets the next free code, wherever it sits here. */
enum ward_step {
	WARD_STEP_NONE = 0,
	WARD_STEP_USAGE,      /* command line */
	WARD_STEP_PROFILE,    /* profile file */
	WARD_STEP_PLAN,       /* validation of the whole launch */
	WARD_STEP_DOCKERSOCK, /* engine-socket guard */
	WARD_STEP_SECCOMP_BUILD,
	WARD_STEP_SYNC,       /* parent/child protocol */
	WARD_STEP_CLONE,      /* namespaces */
	WARD_STEP_USERNS,     /* setgroups/gid_map/uid_map */
	WARD_STEP_MOUNTS,     /* private /, staging, rootfs */
	WARD_STEP_BINDS,
	WARD_STEP_READONLY,   /* recursive read-only */
	WARD_STEP_PROC,
	WARD_STEP_DEV,
	WARD_STEP_TMPFS,
	WARD_STEP_SECRETS,    /* /run/secrets */
	WARD_STEP_PIVOT,
	WARD_STEP_NET,
	WARD_STEP_HOSTNAME,
	WARD_STEP_SESSION,
	WARD_STEP_FDS,
	WARD_STEP_WORKDIR,
	WARD_STEP_RLIMITS,
	WARD_STEP_GROUPS,
	WARD_STEP_IDS,
	WARD_STEP_CAPS,
	WARD_STEP_NNP,
	WARD_STEP_LANDLOCK,   /* filesystem and port rules */
	WARD_STEP_VERIFY,
	WARD_STEP_INIT,       /* pid-1 supervisor */
	WARD_STEP_SECCOMP,    /* filter load */
	WARD_STEP_EXEC,
	WARD_STEP_SUPERVISE,  /* outer supervision */
	WARD_STEP_IMAGE,      /* ward check --image: reading an image archive */
	WARD_STEP_LISTEN,     /* the sockets handed to the program (listen) */
	WARD_STEP_NOTIFY,     /* NOTIFY_SOCKET passed on to the program */
	WARD_STEP_IMAGE_AUDIT, /* ward run --image: findings not accepted */
	WARD_STEP_COUNT
};

#define WARD_ERR_MSG_MAX 512
#define WARD_ERR_HINT_MAX 256

struct ward_err {
	enum ward_step step;
	int errnum; /* positive errno, 0 when the error is not a syscall's */
	char msg[WARD_ERR_MSG_MAX];
	/* Advice for this error ("chmod 600 PATH", "did you mean ...?"),
	 * printed on its own "ward: hint: " line after the message; empty:
	 * the step's hint, if it has one (explain.c).  Parent-side only: the
	 * child's error records carry no hint. */
	char hint[WARD_ERR_HINT_MAX];
};

/* Fill @err (clearing any hint) and return -errnum (or -EINVAL when
 * errnum is 0). */
int ward_err_set(struct ward_err *err, enum ward_step step, int errnum,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Prepend context ("bind /srv: ") to an already filled error; returns
 * -err->errnum or -EINVAL. */
int ward_err_wrap(struct ward_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set @err's own hint; returns -err->errnum or -EINVAL, as
 * ward_err_wrap. */
int ward_err_hint(struct ward_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Format "ward: <step>: <msg>: <strerror>" into @buf. */
void ward_err_format(const struct ward_err *err, char *buf, size_t len);

#endif
