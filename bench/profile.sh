#!/bin/sh
# Per-phase profile of one ward launch configuration, with uprobes on
# ward's own functions plus syscall tracepoints (perf, as root).
#
#   bench/profile.sh WARD ROOT [RUNS] [-- extra ward run options]
#
# Adds probes in the group "wardbench", records RUNS launches of
# `WARD run [opts] --rootfs ROOT -- /bin/true`, prints the phase table
# (phases.py) and removes the probes again, also on error or ^C.
set -eu
WARD=$1 ROOT=$2
RUNS=${3:-40}
shift 2; [ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d /tmp/ward-profile.XXXXXX)
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	perf probe -q -d 'wardbench:*' >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

command -v perf >/dev/null || { echo "profile.sh: perf not installed (apt-get install linux-perf)" >&2; exit 1; }
perf probe -q -d 'wardbench:*' >/dev/null 2>&1 || true
FUNCS="main ward_plan_finish ward_seccomp_build ward_seccomp_build_ex ward_seccomp_policy_parse
new_ctx export_bpf ward_launch ward_child_main ward_rootfs_setup
ward_rootfs_mount_proc ward_rootfs_mount_dev ward_caps_drop_bounding
ward_identity_apply ward_caps_trim ward_caps_verify run_program
ward_seccomp_load ward_supervise ward_plan_free"
perf probe -x "$WARD" -F >"$TMP/funcs" 2>/dev/null
for f in $FUNCS; do
	# The symbol, or its compiler clone (new_ctx.constprop.0).
	sym=$(grep -E "^$f(\.[a-z]+\.[0-9]+)?\$" "$TMP/funcs" | head -n1)
	if [ -n "$sym" ] && perf probe -q -x "$WARD" -a "wardbench:$f=$sym" 2>/dev/null; then
		perf probe -q -x "$WARD" -a "wardbench:${f}_ret=$sym%return" 2>/dev/null || true
	else
		echo "$f" >>"$TMP/missing"
	fi
done
EVENTS='syscalls:sys_enter_clone3,syscalls:sys_exit_clone3,syscalls:sys_enter_execve,syscalls:sys_exit_execve,syscalls:sys_enter_exit_group,syscalls:sys_enter_seccomp,syscalls:sys_exit_seccomp'
perf record -q -o "$TMP/perf.data" -e 'wardbench:*' -e "$EVENTS" -a -- \
	sh -c "i=0; while [ \$i -lt $RUNS ]; do \"$WARD\" run $* --rootfs \"$ROOT\" -- /bin/true || exit 1; i=\$((i+1)); done" \
	>/dev/null 2>"$TMP/record.err" || { cat "$TMP/record.err" >&2; exit 1; }
perf script -i "$TMP/perf.data" -F comm,pid,time,event 2>/dev/null |
	python3 "$HERE/phases.py" "$(basename "$WARD")"
[ -s "$TMP/missing" ] && echo "(no probe, inlined or not in this build: $(tr '\n' ' ' <"$TMP/missing"))"
exit 0
