#!/bin/bash
# ward as operators run it under systemd, on a machine whose pid 1 is not
# systemd: the example unit (examples/ward.service) passes `systemd-analyze
# verify`, and each hardening directive it uses, or tells operators to
# leave off, is reproduced with setpriv and unshare; a root launch that
# lacks the capabilities its maps need names the cause; KillMode=mixed
# gives the program one SIGTERM where control-group gives it three; the
# whole process tree stays in the caller's cgroup, so systemd's (or
# Docker's) limits apply to it.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns
[ "$(id -u)" = 0 ] || skip_all "the unit runs ward as root; run as root"
command -v setpriv >/dev/null || skip_all "setpriv is missing (package util-linux)"
command -v unshare >/dev/null || skip_all "unshare is missing (package util-linux)"

UNIT=$here/../../examples/ward.service

# ---- capabilities and no_new_privs (CapabilityBoundingSet=, NoNewPrivileges=) ----

# The issue's reproduction: every capability gone from the bounding set
# (so from the effective set after exec), and no_new_privs.
run_cmd setpriv --no-new-privs --bounding-set -all "$WARD" run -- id
expect_rc "root without cap_setuid/cap_setgid: exit 205 (userns)" 205
expect_match "...the cause is named, with the unit directive to drop" \
	"^ward: userns: ward runs as root without cap_setgid,cap_setuid in its effective set \(nor in its bounding set\): .*drop CapabilityBoundingSet= from ward's unit" "$ERR"
expect_match "...and no_new_privs is said to be harmless" \
	"no_new_privs is set too \(NoNewPrivileges=yes\), which ward does not mind" "$ERR"
expect_no_match "...not the rootless hint's map error" "write /proc/[0-9]+/gid_map" "$ERR"

run_cmd setpriv --bounding-set -setgid "$WARD" run -- id
expect_rc "root without cap_setgid alone: exit 205" 205
expect_match "...names cap_setgid only" \
	"without cap_setgid in its effective set \(nor in its bounding set\)" "$ERR"
expect_no_match "...and says nothing of no_new_privs, which is not set" "no_new_privs" "$ERR"

# What the example unit keeps: NoNewPrivileges=yes and a bounding set of
# CAP_SETUID CAP_SETGID (ward needs nothing more for a default launch).
run_cmd setpriv --no-new-privs --bounding-set -all,+setuid,+setgid --inh-caps -all \
	"$WARD" run --bind "$PROBE:/probe" -- /probe id
expect_rc "NoNewPrivileges=yes + CapabilityBoundingSet=CAP_SETUID CAP_SETGID: runs" 0
expect_match "...as the sandbox user" "uid=10001" "$OUT"

# ---- mount-namespace directives, reproduced with unshare ----------------------

# in_unit_mounts SETUP: ward run ... -- /probe id after SETUP in a private
# mount namespace, as systemd sets up the unit's.
in_unit_mounts() {
	run_cmd unshare -m --propagation private sh -c "$1"' && exec "$@"' _ \
		"$WARD" run --bind "$PROBE:/probe" -- /probe id
}
in_unit_mounts 'mount -o remount,bind,ro / && mount -t tmpfs tmpfs /tmp &&
	mount -t tmpfs -o ro,mode=000 tmpfs /home && mount -t tmpfs -o ro,mode=000 tmpfs /root'
expect_rc "ProtectSystem=strict, PrivateTmp=yes, ProtectHome=yes: runs" 0
in_unit_mounts 'mount -o remount,bind,ro /sys/fs/cgroup'
expect_rc "ProtectControlGroups=yes: runs" 0
in_unit_mounts 'mount -t proc -o hidepid=invisible,subset=pid proc /proc'
expect_rc "ProtectProc=invisible, ProcSubset=pid: runs" 0
in_unit_mounts 'mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys'
expect_rc "ProtectKernelTunables=yes: refused, exit 209 (proc), as the unit says" 209
in_unit_mounts 'mount --bind /dev/null /proc/kmsg'
expect_rc "ProtectKernelLogs=yes: refused, exit 209 (proc), as the unit says" 209

tap_done
