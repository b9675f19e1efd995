/* Loading a filter: in the child, as the very last step before execve;
 * and what the kernel would take. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/sys.h"
#include "seccomp/build.h"
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

bool ward_seccomp_kernel_takes(const uint32_t *actions, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t a = actions[i];

		if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &a) != 0)
			return false;
	}
	return true;
}
