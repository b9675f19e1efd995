/* Loading a filter: in the child, as the very last step before execve. */
#include <errno.h>
#include <linux/filter.h>

#include "base/sys.h"
#include "seccomp/seccomp.h"

int ward_seccomp_load(const struct sock_fprog *prog, struct ward_err *err)
{
	if (!prog || prog->len == 0)
		return 0;
	/* The raw syscall: no libseccomp state in the child, and flags 0
	 * (no TSYNC: the child is single-threaded; no SPEC_ALLOW: keep the
	 * kernel's speculative-store-bypass mitigation). */
	if (sys_seccomp_set_filter(prog) < 0) {
		int e = errno;

		return ward_err_set(err, WARD_STEP_SECCOMP, e,
				    "seccomp(SECCOMP_SET_MODE_FILTER, %u "
				    "instructions)%s", prog->len,
				    e == EACCES ? " without no_new_privs" : "");
	}
	return 0;
}
