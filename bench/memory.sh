#!/bin/sh
# Resident memory of the launcher while it supervises, and of its pid-1
# init, measured while the sandboxed program sleeps.
#
#   bench/memory.sh WARD ROOT [FLOOR]
#
# For each launcher: start it with `/bin/sleep 3` in ROOT, wait until the
# program runs, then read /proc/PID/status (VmRSS, VmHWM, RssAnon) and
# /proc/PID/smaps_rollup (Pss, Pss_Anon, Private_*) of the launcher
# process and of the sandbox's pid 1.  kB throughout.
set -eu
WARD=$1 ROOT=$2 FLOOR=${3:-}

field() { awk -v k="$1:" '$1 == k { print $2; exit }' "$2" 2>/dev/null || echo "?"; }

row() { # LABEL PID
	s=/proc/$2/status r=/proc/$2/smaps_rollup
	priv=$(awk '$1 == "Private_Clean:" || $1 == "Private_Dirty:" { t += $2 } END { print t + 0 }' "$r" 2>/dev/null || echo "?")
	printf '%-40s %7s %7s %7s %7s %7s %7s\n' "$1" \
		"$(field VmRSS "$s")" "$(field VmHWM "$s")" "$(field RssAnon "$s")" \
		"$(field Pss "$r")" "$(field Pss_Anon "$r")" "$priv"
}

first_child() {
	awk '{ print $1 }' /proc/"$1"/task/"$1"/children 2>/dev/null
}

# Wait until the sandboxed sleep has been executed (its comm is "sleep").
wait_sleep() { # LAUNCHER_PID
	i=0
	while [ $i -lt 200 ]; do
		for p in $(first_child "$1") $(first_child "$(first_child "$1")" 2>/dev/null); do
			[ "$(cat /proc/"$p"/comm 2>/dev/null)" = sleep ] && return 0
		done
		i=$((i + 1)); sleep 0.01
	done
	echo "memory.sh: the program did not start" >&2
	return 1
}

measure() { # LABEL INIT(yes|no) CMD...
	label=$1 init=$2; shift 2
	"$@" >/dev/null 2>&1 &
	lp=$!
	wait_sleep $lp
	sleep 0.2
	row "$label: launcher" $lp
	if [ "$init" = yes ]; then
		row "$label: pid 1 (init)" "$(first_child $lp)"
	fi
	wait $lp || true
}

printf '%-40s %7s %7s %7s %7s %7s %7s\n' "process (kB)" VmRSS VmHWM RssAnon Pss PssAnon Private
measure "ward (default)" yes "$WARD" run --rootfs "$ROOT" -- /bin/sleep 3
measure "ward --seccomp off-i-know" yes "$WARD" run --seccomp off-i-know --rootfs "$ROOT" -- /bin/sleep 3
measure "ward --init no" no "$WARD" run --init no --rootfs "$ROOT" -- /bin/sleep 3
if [ -x "${WARD_STATIC:-}" ]; then
	measure "ward (make static)" yes "$WARD_STATIC" run --rootfs "$ROOT" -- /bin/sleep 3
fi
if command -v bwrap >/dev/null; then
	# bwrap: the setup process waits for its child; with --unshare-pid
	# that child is bwrap's own pid-1 reaper.
	measure "bwrap" yes bwrap --unshare-all --ro-bind "$ROOT" / --proc /proc \
		--dev /dev --tmpfs /tmp -- /bin/sleep 3
fi
if [ -n "$FLOOR" ]; then
	measure "floor (static)" yes "$FLOOR" "$ROOT" /bin/sleep 3
fi
