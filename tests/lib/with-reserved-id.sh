#!/bin/bash
# Run a command with the default sandbox user's host id reserved, as
# `make install` leaves a machine: `ward reserve-id` adds a "ward" entry
# to /etc/subuid and /etc/subgid when there is none, and the entry this
# script added is removed afterwards.  Unprivileged callers need no
# reservation (rootless launches map onto the caller's own ids).
#
#	tests/lib/with-reserved-id.sh WARD CMD [ARG...]
set -u
ward=$1
shift
added=0
if [ "$(id -u)" = 0 ] && ! grep -qs '^ward:' /etc/subuid; then
	"$ward" reserve-id || exit 1
	added=1
fi
"$@"
rc=$?
if [ "$added" = 1 ]; then
	sed -i '/^ward:/d' /etc/subuid /etc/subgid
fi
exit "$rc"
