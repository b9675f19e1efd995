#!/bin/sh
# ward launch benchmark driver (see README.md).  Run as root.
#
#   ./run.sh            everything below but profile, and docs/BENCHMARKS.md
#   ./run.sh table      only the side-by-side table (as root, $PAYLOAD)
#   ./run.sh memory     only the memory figures
#   ./run.sh seccomp    filter build, load and per-syscall cost
#   ./run.sh rootless   the side-by-side table as uid 65534 (rootless mode)
#   ./run.sh diag       rows that isolate one cost each
#   ./run.sh profile    per-phase profile of ward's default launch (perf)
#
# Environment: RUNS (launches per row, default 200), WARD (an existing
# ward binary instead of building one), WARD_SRC (the source tree to build
# ward and seccomp_cost from, default this checkout), PAYLOAD (true | sh:
# the program is /bin/true or `/bin/sh -c exit`; `all` runs both),
# DOC (where `all` writes the report, default ../docs/BENCHMARKS.md;
# DOC= writes none), KEEP=1 (keep the temp dir).
# Everything is built in a temp dir and removed at the end.
set -eu
MODE=${1:-all}
HERE=$(cd "$(dirname "$0")" && pwd)

[ "$(id -u)" = 0 ] || { echo "bench: run as root (ward's default mode, bwrap --unshare-all)" >&2; exit 1; }

# crun 1.8 refuses a hybrid cgroup layout whose v2 part has controllers
# ("cgroups in hybrid mode not supported, drop all controllers from
# cgroupv2"), even with --cgroup-manager=disabled.  The whole run then
# happens in a private mount namespace with the v2 hierarchy unmounted;
# no other launcher here touches cgroupfs, and the host is left alone.
U2=/sys/fs/cgroup/unified
if [ -z "${WARD_BENCH_MNTNS:-}" ] && grep -q . "$U2/cgroup.controllers" 2>/dev/null &&
	[ "$MODE" != profile ]; then
	export WARD_BENCH_MNTNS=1
	# shellcheck disable=SC2016 # expanded by the inner sh
	exec unshare -m --propagation private sh -c \
		'umount -l "$1" && shift && exec "$@"' sh "$U2" "$0" "$@"
fi
RUNS=${RUNS:-200}
PAYLOAD=${PAYLOAD:-true}
DOC=${DOC-$HERE/../docs/BENCHMARKS.md}
TMP=$(mktemp -d /tmp/ward-bench.XXXXXX)
chmod 0755 "$TMP"   # the rootless rows run as 65534
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then echo "bench: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT INT TERM
# ward's filter cache for this run only (the rows that use it say so).
export WARD_CACHE_DIR=$TMP/cache

# --- peers from Debian -----------------------------------------------------
need=""
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || need="$need busybox-static"
command -v bwrap >/dev/null || need="$need bubblewrap"
command -v crun >/dev/null || need="$need crun"
command -v firejail >/dev/null || need="$need firejail"
command -v python3 >/dev/null || need="$need python3"
command -v unshare >/dev/null || need="$need util-linux"
if [ "$MODE" = profile ] && ! command -v perf >/dev/null; then need="$need linux-perf"; fi
if [ -n "$need" ]; then
	echo "bench: installing$need" >&2
	# shellcheck disable=SC2086 # a list of package names
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need >/dev/null
fi

# --- tools -------------------------------------------------------------------
make -s -C "$HERE" tools O="$TMP" WARD="${WARD:-}" ${WARD_SRC:+TOP="$WARD_SRC"} >&2
W=$TMP/ward F=$TMP/floor LT=$TMP/launch_time

# --- a busybox rootfs --------------------------------------------------------
R=$TMP/root
mkdir -p "$R/bin" "$R/proc" "$R/dev" "$R/tmp" "$R/run" "$R/sys" "$R/etc"
cp /bin/busybox "$R/bin/busybox"
chroot "$R" /bin/busybox --install -s /bin

# firejail runs on the host's file system (Debian ships it with `chroot
# no` in /etc/firejail/firejail.config, and the run does not change host
# configuration): an empty private home, a private /dev and /tmp, the
# whole file system read-only, no network (a new netns with lo only), a
# new IPC namespace, hostname, no capabilities, no_new_privs, --noroot
# (a user namespace; firejail ignores it for root), no profile.  It runs
# the host's /bin/busybox, the same binary as ROOT/bin/busybox.
FJ="$(command -v firejail) --quiet --noprofile --private --private-dev --private-tmp --net=none --ipc-namespace --nonewprivs --caps.drop=all --noroot --read-only=/ --hostname=ward"

# set_payload NAME: P (the program inside ROOT), BARE (on the host), FJP
# (for firejail) and two crun bundles, without and with seccomp.
set_payload() {
	case $1 in
	true) P="/bin/true" BARE="$R/bin/busybox true" FJP="/bin/busybox true" ;;
	sh) P="/bin/sh -c exit" BARE="$R/bin/busybox sh -c exit" FJP="/bin/busybox sh -c exit" ;;
	*) echo "bench: PAYLOAD is true or sh" >&2; exit 2 ;;
	esac
	[ -s "$TMP/show.txt" ] || "$W" seccomp show >"$TMP/show.txt"
	for b in plain seccomp; do
		B=$TMP/crun-$1-$b
		mkdir -p "$B"
		# shellcheck disable=SC2046,SC2086 # $P is the program with its arguments
		python3 "$HERE/oci-config.py" "$R" 65534 65534 \
			$([ $b = seccomp ] && echo "--seccomp $TMP/show.txt") -- $P >"$B/config.json"
		chmod -R a+rX "$B"
	done
}

# The crun state directory per user (crun run removes the container when
# it exits, so one name per row is enough).
crun_state() {
	d=$TMP/crun-state-${RUNAS:-0}
	mkdir -p "$d"
	[ -z "${RUNAS:-}" ] || chown "$RUNAS:$RUNAS" "$d"
	echo "$d"
}

as_user() {
	if [ -n "${RUNAS:-}" ]; then
		setpriv --reuid "$RUNAS" --regid "$RUNAS" --clear-groups env "$@"
	else
		env "$@"
	fi
}

# row 'LABEL[>FLOOR]|CMD': run CMD once as the table's user; if it fails,
# the row stays in the table as "not run" with the launcher's first
# complaint instead of being dropped.
ROWS=$TMP/rows
row() {
	cmd=${1#*|}
	# shellcheck disable=SC2086 # a command line, split on spaces
	if as_user $cmd >/dev/null 2>"$TMP/row.err"; then
		echo "$1" >>"$ROWS"
	else
		why=$(grep -v '^$' "$TMP/row.err" | head -n 1 | tr -d '|' | cut -c1-90)
		echo "${1%%|*}|!fails here: ${why:-exit status not 0}" >>"$ROWS"
	fi
}

versions() {
	# shellcheck disable=SC1091
	echo "machine: $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME") (debian_version $(cat /etc/debian_version))"
	echo "versions: $("$W" version 2>/dev/null | head -n 1) ($(cat "$TMP/ward-variant")); $(bwrap --version); crun $(crun --version | awk 'NR==1 { print $3 }'); firejail $(firejail --version | awk 'NR==1 { print $3 }'); $(unshare --version); busybox $(busybox 2>&1 | awk 'NR==1 { print $2 }'); libseccomp $(dpkg-query -W -f '${Version}' libseccomp2); libcap-ng $(dpkg-query -W -f '${Version}' libcap-ng0); $(cc --version | head -n 1)"
}

machine() {
	versions
	echo "payload: $P; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# table [root|rootless] [PAYLOAD] [RUNS]: the side-by-side table, also
# appended in Markdown to $TMP/report.md.
table() {
	who=${1:-root} pl=${2:-$PAYLOAD} n=${3:-$RUNS}
	RUNAS=""
	[ "$who" = root ] || RUNAS=65534
	set_payload "$pl"
	CS=$(crun_state)
	CRUN="$(command -v crun) --cgroup-manager=disabled --root $CS run --bundle $TMP/crun-$pl"
	BW="$(command -v bwrap) --unshare-all --ro-bind $R / --proc /proc --dev /dev --tmpfs /tmp --"
	: >"$ROWS"
	row "bare exec>floor|$BARE"
	row "unshare -Urmpfn>floor|/usr/bin/unshare -Urmpfn --mount-proc $BARE"
	row "floor|$F $R $P"
	row "floor --no-init|$F --no-init $R $P"
	row "floor --no-seccomp|$F --no-seccomp $R $P"
	row "bwrap>floor|$BW $P"
	row "crun>floor|$CRUN-plain wardbench-crun"
	row "crun + seccomp>floor|$CRUN-seccomp wardbench-crun-sc"
	row "firejail>floor|$FJ $FJP"
	row "firejail --seccomp>floor|$FJ --seccomp $FJP"
	row "ward>floor|$W run --rootfs $R -- $P"
	row "ward --init no>floor --no-init|$W run --init no --rootfs $R -- $P"
	# make static: no dynamic loader (lo up by ioctl; no veth, no image audit)
	if [ -x "$TMP/ward-static" ]; then
		row "ward (make static)>floor|$TMP/ward-static run --rootfs $R -- $P"
		row "ward (make static) --init no>floor --no-init|$TMP/ward-static run --init no --rootfs $R -- $P"
	fi
	row "ward --seccomp off-i-know>floor --no-seccomp|$W run --seccomp off-i-know --rootfs $R -- $P"
	set --
	while IFS= read -r l; do set -- "$@" "$l"; done <"$ROWS"
	who_t=root
	[ -z "$RUNAS" ] || who_t="uid $RUNAS (rootless)"
	title="as $who_t, payload \`$P\`: $n interleaved launches per row (ms)"
	echo "== launch time $title =="
	machine
	printf '\n### Launch time %s\n\n' "$title" >>"$TMP/report.md"
	rm -f "$TMP/md-$who-$pl"
	: >"$TMP/md-$who-$pl"
	: >"$TMP/raw-$who-$pl.tsv"
	[ -z "$RUNAS" ] || chown "$RUNAS" "$TMP/md-$who-$pl" "$TMP/raw-$who-$pl.tsv"
	$LT -n "$n" -w 5 ${RUNAS:+-U $RUNAS:$RUNAS} -b ward -u "unshare -Urmpfn=unshare" \
		-m "$TMP/md-$who-$pl" -o "$TMP/raw-$who-$pl.tsv" "$@"
	cat "$TMP/md-$who-$pl" >>"$TMP/report.md"
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '\nLoad average after this table: %s.\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$TMP/report.md"
	echo
	RUNAS=""
}

rootless() {
	n=$((RUNS / 2)); [ $n -ge 20 ] || n=20
	table rootless "$PAYLOAD" "$n"
}

# Rows that isolate one cost each (fewer launches).
diag() {
	n=$((RUNS / 2)); [ $n -ge 20 ] || n=20
	set_payload "$PAYLOAD"
	# shellcheck disable=SC2086 # $P is the payload with its arguments
	INSNS=$($W run -v --rootfs "$R" -- $P 2>&1 | sed -n 's/.*seccomp \([0-9]*\) instructions.*/\1/p')
	echo "== diagnostic rows: $n interleaved launches per row =="
	INSNS=${INSNS:-369}
	POLICY=$HERE/../profiles/seccomp/example.policy
	$W run --seccomp "$POLICY" --rootfs "$R" -- $P >/dev/null 2>&1 || true # fill the cache
	echo "ward's default filter: $INSNS BPF instructions; the floor's: 369 (a linear list of 360 syscalls)"
	echo "FILE: profiles/seccomp/example.policy, built by libseccomp at launch unless the filter cache has it"
	$LT -n "$n" -w 5 -b "ward" -u "ward version=ward ver" \
		"ward version|$W version" \
		"floor --no-seccomp>floor --no-seccomp|$F --no-seccomp $R $P" \
		"floor --no-proc-masks>floor|$F --no-proc-masks $R $P" \
		"floor>floor|$F $R $P" \
		"floor, ward-sized filter>floor|$F --filter-insns $INSNS $R $P" \
		"floor --fork>floor|$F --fork $R $P" \
		"ward>floor|$W run --rootfs $R -- $P" \
		"ward, malloc mxfast=0>floor|GLIBC_TUNABLES=glibc.malloc.mxfast=0 $W run --rootfs $R -- $P" \
		"ward --net none>floor|$W run --net none --rootfs $R -- $P" \
		"ward --seccomp FILE (filter cache)>floor|$W run --seccomp $POLICY --rootfs $R -- $P" \
		"ward --seccomp FILE, no cache>floor|WARD_CACHE_DIR=off $W run --seccomp $POLICY --rootfs $R -- $P" \
		"ward --seccomp off-i-know>floor --no-seccomp|$W run --seccomp off-i-know --rootfs $R -- $P"
	echo "(x ward: to ward's default launch; x ward ver: to 'ward version', i.e. exec + ld.so + libc init + exit)"
	echo
}

seccomp() {
	echo "== seccomp cost in isolation (bench/seccomp_cost.c, ward's own objects) =="
	if [ -x "$TMP/seccomp_cost" ]; then "$TMP/seccomp_cost" -n 50 | tee "$TMP/seccomp.txt"; else echo "(not built)"; fi
	echo
}

memory() {
	echo "== resident memory while the program sleeps =="
	WARD_STATIC=$TMP/ward-static "$HERE/memory.sh" "$W" "$R" "$F" | tee "$TMP/memory.txt"
	echo
}

profile() {
	set_payload "$PAYLOAD"
	echo "== per-phase profile of ward's default launch =="
	machine
	"$HERE/profile.sh" "$W" "$R" "$((RUNS / 5 > 20 ? RUNS / 5 : 20))"
	echo
}

# The median of ROW in the Markdown table FILE.
med() { awk -F' [|] ' -v r="$2" '$1 == "| " r { print $2; exit }' "$1"; }

# One line per target of issue 15, from the root /bin/true table, the
# seccomp cost and the memory figures: for ward and for the static build.
targets() {
	t=$TMP/md-root-true
	[ -s "$t" ] || return 0
	# getppid's row: no filter, allow-all (x), ward's tree (x), ...
	g=$(awk '$1 == "getppid" { print "default filter " $6 " ns " $7 "; a one-instruction allow-all filter " $4 " ns " $5 "; no filter " $3 " ns"; exit }' "$TMP/seccomp.txt" 2>/dev/null)
	mem() { awk -v r="$1" 'index($0, r) == 1 { print $(NF - 5) " kB VmRSS, " $(NF - 2) " kB Pss"; exit }' "$TMP/memory.txt" 2>/dev/null; }
	awk -v w="$(med "$t" ward)" -v f="$(med "$t" floor)" \
		-v wn="$(med "$t" 'ward --init no')" -v fn="$(med "$t" 'floor --no-init')" \
		-v s="$(med "$t" 'ward (make static)')" -v sn="$(med "$t" 'ward (make static) --init no')" \
		-v u="$(med "$t" 'unshare -Urmpfn')" -v b="$(med "$t" bwrap)" -v g="${g:-?}" \
		-v md="$(mem 'ward (default): launcher')" -v ms="$(mem 'ward (make static): launcher')" \
		-v mf="$(mem 'floor (static): launcher')" 'BEGIN {
		printf "| target | ward | ward (make static) | floor beside it |\n|---|---|---|---|\n"
		printf "| default within 10 %% of the floor with init | %.2f ms = %.2fx | %.2f ms = %.2fx | floor %.2f ms |\n", w, w / f, s, s / f, f
		printf "| about 0.8x bwrap (bwrap %.2f ms) | %.2fx | %.2fx | floor %.2fx |\n", b, w / b, s / b, f / b
		printf "| --init no within 10 %% of the floor without init | %.2f ms = %.2fx | %.2f ms = %.2fx | floor --no-init %.2f ms |\n", wn, wn / fn, sn, sn / fn, fn
		printf "| both <= 1.3x unshare -Urmpfn (%.2f ms) | %.2fx, %.2fx | %.2fx, %.2fx | floor %.2fx, %.2fx |\n", u, w / u, wn / u, s / u, sn / u, f / u, fn / u
		printf "| seccomp cost on getppid <= 3 %% | %s | the same filter | |\n", g
		printf "| supervising process <= 1 MiB | %s | %s | %s |\n", md, ms, mf
	}'
}

# docs/BENCHMARKS.md from what this run measured.
write_doc() {
	[ -n "$DOC" ] || return 0
	mkdir -p "$(dirname "$DOC")"
	# The section bench/image.sh writes stays as it is.
	sed -n '/^<!-- begin bench\/image.sh -->$/,/^<!-- end bench\/image.sh -->$/p' \
		"$DOC" >"$TMP/image-section.md" 2>/dev/null || true
	{
		echo "# ward benchmarks"
		echo
		echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); rerun it rather than edit this file. Method and rows: bench/README.md."
		echo
		echo "## Machine and versions"
		echo
		versions | sed 's/^/- /; s/; /\n- /g'
		echo
		echo "All rows of one table are interleaved in one run: every round runs each command once, in a fresh random order, so load and drift hit them alike. Times are wall clock from posix_spawn to wait4, in ms. \`x floor\` divides by the floor row that does the same work (\`floor\` for the peers). Peak RSS is the median of wait4's \`ru_maxrss\`: the largest peak of any process in the launched tree (launcher, helpers, init, program); the bare exec row is the baseline (an exec records the pages the spawned child shared with the harness). Rows that cannot run in this setup say why."
		echo
		echo "The peers: bwrap \`--unshare-all --ro-bind ROOT / --proc /proc --dev /dev --tmpfs /tmp\` (no seccomp); crun with cgroups disabled and an OCI config made by bench/oci-config.py (the same namespaces, id map, read-only root, /proc masks, /dev, /tmp, /run as ward, no capabilities, no_new_privs), without and with a seccomp filter made from \`ward seccomp show\`; firejail \`$(echo "$FJ" | cut -d' ' -f2-)\` on the host's read-only file system (firejail's chroot is disabled in Debian's configuration), without and with \`--seccomp\`."
		echo
		echo "## Targets (issue 15), as root, /bin/true"
		echo
		targets
		cat "$TMP/report.md"
		echo
		echo "## Seccomp cost (bench/seccomp_cost.c)"
		echo
		sed 's/^/    /' "$TMP/seccomp.txt" 2>/dev/null || echo "    (not built)"
		echo
		echo "## Memory while the program sleeps (kB; bench/memory.sh)"
		echo
		sed 's/^/    /' "$TMP/memory.txt"
		if [ -s "$TMP/image-section.md" ]; then echo; cat "$TMP/image-section.md"; fi
	} >"$DOC"
	echo "bench: wrote $DOC"
}

case $MODE in
all)
	table root true "$RUNS"
	n=$((RUNS / 2)); [ $n -ge 20 ] || n=20
	table root sh "$n"
	table rootless true "$n"
	table rootless sh "$n"
	memory; seccomp; diag
	write_doc ;;
seccomp) seccomp ;;
rootless) rootless ;;
table) table root "$PAYLOAD" "$RUNS" ;;
memory) set_payload "$PAYLOAD"; memory ;;
diag) diag ;;
profile) profile ;;
*) echo "usage: run.sh [all|table|memory|seccomp|rootless|diag|profile]" >&2; exit 2 ;;
esac
