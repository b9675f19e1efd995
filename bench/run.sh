#!/bin/sh
# ward launch benchmark driver (see README.md).  Run as root.
#
#   ./run.sh            side-by-side table, memory, diagnostic rows
#   ./run.sh table      only the side-by-side table
#   ./run.sh memory     only the memory figures
#   ./run.sh seccomp    filter build, load and per-syscall cost
#   ./run.sh rootless   the launchers as uid 65534 (rootless mode)
#   ./run.sh diag       rows that isolate one cost each
#   ./run.sh profile    per-phase profile of ward's default launch (perf)
#
# Environment: RUNS (launches per row, default 200), WARD (an existing
# ward binary instead of building one), PAYLOAD (true | sh: the program is
# /bin/true or `/bin/sh -c exit`), KEEP=1 (keep the temp dir).
# Everything is built in a temp dir and removed at the end.
set -eu
MODE=${1:-all}
RUNS=${RUNS:-200}
PAYLOAD=${PAYLOAD:-true}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d /tmp/ward-bench.XXXXXX)
chmod 0755 "$TMP"   # the rootless rows run as 65534
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then echo "bench: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT INT TERM

[ "$(id -u)" = 0 ] || { echo "bench: run as root (ward's default mode, bwrap --unshare-all)" >&2; exit 1; }

# --- peers from Debian -----------------------------------------------------
need=""
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || need="$need busybox-static"
command -v bwrap >/dev/null || need="$need bubblewrap"
command -v unshare >/dev/null || need="$need util-linux"
if [ "$MODE" = profile ] && ! command -v perf >/dev/null; then need="$need linux-perf"; fi
if [ -n "$need" ]; then
	echo "bench: installing$need" >&2
	# shellcheck disable=SC2086 # a list of package names
	apt-get install -y -q $need >/dev/null
fi

# --- tools -------------------------------------------------------------------
make -s -C "$HERE" tools O="$TMP" WARD="${WARD:-}" >&2
W=$TMP/ward F=$TMP/floor LT=$TMP/launch_time

# --- a busybox rootfs --------------------------------------------------------
R=$TMP/root
mkdir -p "$R/bin" "$R/proc" "$R/dev" "$R/tmp" "$R/run" "$R/sys" "$R/etc"
cp /bin/busybox "$R/bin/busybox"
chroot "$R" /bin/busybox --install -s /bin
case $PAYLOAD in
true) P="/bin/true" BARE="$R/bin/busybox true" ;;
sh) P="/bin/sh -c exit" BARE="$R/bin/busybox sh -c exit" ;;
*) echo "bench: PAYLOAD is true or sh" >&2; exit 2 ;;
esac

machine() {
	# shellcheck disable=SC1091
	echo "machine: $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")"
	echo "versions: $(bwrap --version), $(unshare --version), busybox $(busybox 2>&1 | awk 'NR==1 { print $2 }'), ward: $(cat "$TMP/ward-variant")"
	echo "payload: $P; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

table() {
	echo "== launch time: $RUNS interleaved launches per row =="
	machine
	$LT -n "$RUNS" -w 10 -b bwrap -u "unshare -Urmpfn=unshare" \
		"bare exec|$BARE" \
		"unshare -Urmpfn|/usr/bin/unshare -Urmpfn --mount-proc $BARE" \
		"bwrap|$(command -v bwrap) --unshare-all --ro-bind $R / --proc /proc --dev /dev --tmpfs /tmp -- $P" \
		"floor>floor|$F $R $P" \
		"floor --no-init>floor --no-init|$F --no-init $R $P" \
		"floor --no-seccomp>floor --no-seccomp|$F --no-seccomp $R $P" \
		"ward>floor|$W run --rootfs $R -- $P" \
		"ward --init no>floor --no-init|$W run --init no --rootfs $R -- $P" \
		"ward --seccomp off-i-know>floor --no-seccomp|$W run --seccomp off-i-know --rootfs $R -- $P"
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
}

# The same launchers as an unprivileged user (65534), rootless mode.  The
# floor is left out: it is written for root's id maps.
rootless() {
	n=$((RUNS / 2)); [ $n -ge 20 ] || n=20
	echo "== rootless (uid 65534): $n interleaved launches per row =="
	$LT -n "$n" -w 5 -U 65534:65534 -b bwrap -u "unshare -Urmpfn=unshare" \
		"bare exec|$BARE" \
		"unshare -Urmpfn|/usr/bin/unshare -Urmpfn --mount-proc $BARE" \
		"bwrap|$(command -v bwrap) --unshare-all --ro-bind $R / --proc /proc --dev /dev --tmpfs /tmp -- $P" \
		"ward|$W run --rootfs $R -- $P" \
		"ward --init no|$W run --init no --rootfs $R -- $P" \
		"ward --seccomp off-i-know|$W run --seccomp off-i-know --rootfs $R -- $P"
	echo
}

# Rows that isolate one cost each (fewer launches).
diag() {
	n=$((RUNS / 2)); [ $n -ge 20 ] || n=20
	# shellcheck disable=SC2086 # $P is the payload with its arguments
	INSNS=$($W run -v --rootfs "$R" -- $P 2>&1 | sed -n 's/.*seccomp \([0-9]*\) instructions.*/\1/p')
	echo "== diagnostic rows: $n interleaved launches per row =="
	INSNS=${INSNS:-369}
	echo "ward's default filter: $INSNS BPF instructions; the floor's: 369 (a linear list of 360 syscalls)"
	$LT -n "$n" -w 5 -b "ward" -u "ward version=ward ver" \
		"ward version|$W version" \
		"floor --no-seccomp>floor --no-seccomp|$F --no-seccomp $R $P" \
		"floor --no-proc-masks>floor|$F --no-proc-masks $R $P" \
		"floor>floor|$F $R $P" \
		"floor, ward-sized filter>floor|$F --filter-insns $INSNS $R $P" \
		"floor --vfork>floor|$F --vfork $R $P" \
		"ward>floor|$W run --rootfs $R -- $P" \
		"ward, malloc mxfast=0>floor|GLIBC_TUNABLES=glibc.malloc.mxfast=0 $W run --rootfs $R -- $P" \
		"ward --net none>floor|$W run --net none --rootfs $R -- $P" \
		"ward --seccomp off-i-know>floor --no-seccomp|$W run --seccomp off-i-know --rootfs $R -- $P"
	echo "(x ward: to ward's default launch; x ward ver: to 'ward version', i.e. exec + ld.so + libc init + exit)"
	echo
}

seccomp() {
	echo "== seccomp cost in isolation (bench/seccomp_cost.c, ward's own objects) =="
	if [ -x "$TMP/seccomp_cost" ]; then "$TMP/seccomp_cost" -n 50; else echo "(not built)"; fi
	echo
}

memory() {
	echo "== resident memory while the program sleeps =="
	"$HERE/memory.sh" "$W" "$R" "$F"
	echo
}

profile() {
	echo "== per-phase profile of ward's default launch =="
	machine
	"$HERE/profile.sh" "$W" "$R" "$((RUNS / 5 > 20 ? RUNS / 5 : 20))"
	echo
}

case $MODE in
all) table; memory; seccomp; rootless; diag ;;
seccomp) seccomp ;;
rootless) rootless ;;
table) table ;;
memory) memory ;;
diag) diag ;;
profile) profile ;;
*) echo "usage: run.sh [all|table|memory|seccomp|rootless|diag|profile]" >&2; exit 2 ;;
esac
