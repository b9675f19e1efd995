# shellcheck shell=bash
# Re-run the calling test script in a private mount namespace, so it can
# mount tmpfs over /run, /tmp and the like without touching the host.
# Source it, and call it, before tap.sh (whose temp directory would
# otherwise be made twice):
#
#	. "$here/../lib/private-mountns.sh"
#	private_mountns_reexec "$0" "$@"
#
# Only root can; elsewhere the script goes on in the host's namespace and
# WARD_TEST_IN_MOUNT_NS stays unset, which it checks to skip.
private_mountns_reexec() {
	local script=$1
	shift
	if [ -z "${WARD_TEST_IN_MOUNT_NS:-}" ] && [ "$(id -u)" = 0 ] &&
		unshare -m --propagation private true 2>/dev/null; then
		export WARD_TEST_IN_MOUNT_NS=1
		exec unshare -m --propagation private bash "$script" "$@"
	fi
}
