#!/bin/sh
# Soak test (issue 15): 1,000 sequential launches of ward's default, then
# 200 concurrent ones in batches, and a check that nothing grows.  Root.
#
#   bench/soak.sh [WARD]          (make -C bench soak; default: build/ward)
#
# Environment: SEQ (sequential launches, default 1000), CONC (concurrent
# launches, default 200), BATCH (how many run at once, default 50: with
# 2 cores, 50 sandboxes that each sleep 1 s overlap fully), KEEP=1.
#
# Before and after, it reads: the host's allocated file handles
# (/proc/sys/fs/file-nr) and this shell's open fds; MemAvailable and Slab
# (/proc/meminfo); zombies (ps state Z) and ward processes left; the
# mount count in /proc/self/mountinfo; the interface count (ip -o link).
# Launch time: median of the first 100 sequential launches against the
# last 100.  One verdict line per item; exit status 1 if any fails.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
W=${1:-$HERE/../build/ward}
SEQ=${SEQ:-1000} CONC=${CONC:-200} BATCH=${BATCH:-50}
[ "$(id -u)" = 0 ] || { echo "soak: run as root" >&2; exit 1; }
[ -x "$W" ] || { echo "soak: no ward at $W (make first, or give its path)" >&2; exit 1; }
W=$(cd "$(dirname "$W")" && pwd)/$(basename "$W")
TMP=$(mktemp -d /tmp/ward-soak.XXXXXX)
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then echo "soak: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT INT TERM

[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends busybox-static >/dev/null
R=$TMP/root
mkdir -p "$R/bin" "$R/proc" "$R/dev" "$R/tmp" "$R/run" "$R/sys" "$R/etc"
cp /bin/busybox "$R/bin/busybox"
chroot "$R" /bin/busybox --install -s /bin
cc -std=gnu11 -O2 -Wall -Wextra -Werror -static "$HERE/launch_time.c" -o "$TMP/launch_time"

snapshot() { # FILE
	{
		echo "handles $(cut -f1 /proc/sys/fs/file-nr)"
		echo "shellfds $(ls /proc/$$/fd | wc -l)"
		awk '/^MemAvailable:/ { print "memavail", $2 } /^Slab:/ { print "slab", $2 }' /proc/meminfo
		echo "zombies $(ps -eo stat= | grep -c '^Z' || true)"
		echo "wards $(ps -eo comm= | grep -c '^ward$' || true)"
		echo "mounts $(wc -l </proc/self/mountinfo)"
		echo "links $(ip -o link | wc -l)"
	} >"$1"
}
get() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# Warm the page cache and the allocator first, so "before" is steady.
for _ in 1 2 3 4 5 6 7 8 9 10; do "$W" run --rootfs "$R" -- /bin/true; done
sync; echo 2 >/proc/sys/vm/drop_caches 2>/dev/null || true
sleep 1
snapshot "$TMP/before"

echo "soak: $SEQ sequential launches of 'ward run --rootfs ROOT -- /bin/true'"
"$TMP/launch_time" -n "$SEQ" -w 0 -o "$TMP/seq.tsv" "ward|$W run --rootfs $R -- /bin/true" |
	sed -n '/^ward/p'

echo "soak: $CONC concurrent launches of '/bin/sleep 1', $BATCH at a time"
fails=0 i=0 peak=0
while [ $i -lt "$CONC" ]; do
	j=0
	while [ $j -lt "$BATCH" ] && [ $i -lt "$CONC" ]; do
		( "$W" run --rootfs "$R" -- /bin/sleep 1 >/dev/null 2>>"$TMP/conc.err" ||
			echo x >>"$TMP/conc.fail" ) &
		i=$((i + 1)) j=$((j + 1))
	done
	sleep 0.8
	n=$(ps -eo comm= | grep -c '^sleep$' || true)
	[ "$n" -le "$peak" ] || peak=$n
	wait
done
[ ! -s "$TMP/conc.fail" ] || fails=$(wc -l <"$TMP/conc.fail")
echo "soak: $fails of $CONC concurrent launches failed; at most $peak sandboxed sleeps seen running at once"
[ "$fails" = 0 ] || head -n 5 "$TMP/conc.err"

sleep 2; sync; echo 2 >/proc/sys/vm/drop_caches 2>/dev/null || true; sleep 1
snapshot "$TMP/after"

bad=0
verdict() { # ITEM OK(0|1) DETAIL
	if [ "$2" = 0 ]; then r=ok; else r=FAIL; bad=1; fi
	printf '%-34s %-4s %s\n' "$1" "$r" "$3"
}
delta() { echo $(($(get "$TMP/after" "$1") - $(get "$TMP/before" "$1"))); }
within() { [ "$1" -le "$2" ] && [ "$1" -ge "-$2" ] && echo 0 || echo 1; }

echo
d=$(delta handles); verdict "open file handles (host)" "$(within "$d" 64)" "before $(get "$TMP/before" handles), after $(get "$TMP/after" handles) (tolerance 64)"
d=$(delta shellfds); verdict "fds of the launching shell" "$(within "$d" 0)" "before $(get "$TMP/before" shellfds), after $(get "$TMP/after" shellfds)"
d=$(delta memavail); verdict "MemAvailable" "$(within "$d" 32768)" "drift $d kB (tolerance 32 MiB)"
d=$(delta slab); verdict "Slab" "$(within "$d" 16384)" "drift $d kB (tolerance 16 MiB)"
verdict "zombies" "$([ "$(get "$TMP/after" zombies)" -le "$(get "$TMP/before" zombies)" ] && echo 0 || echo 1)" "before $(get "$TMP/before" zombies), after $(get "$TMP/after" zombies)"
verdict "ward processes left" "$([ "$(get "$TMP/after" wards)" -le "$(get "$TMP/before" wards)" ] && echo 0 || echo 1)" "before $(get "$TMP/before" wards), after $(get "$TMP/after" wards)"
d=$(delta mounts); verdict "mounts (/proc/self/mountinfo)" "$(within "$d" 0)" "before $(get "$TMP/before" mounts), after $(get "$TMP/after" mounts)"
d=$(delta links); verdict "interfaces (ip -o link)" "$(within "$d" 0)" "before $(get "$TMP/before" links), after $(get "$TMP/after" links)"
verdict "concurrent launches" "$([ "$fails" = 0 ] && echo 0 || echo 1)" "$fails of $CONC failed"
# The raw file: round, position, label, ms.  Medians of the first and
# last 100 in launch order; flat means within 10 %.
first=$(awk '$1 < 100 { print $4 }' "$TMP/seq.tsv" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
last=$(awk -v n="$SEQ" '$1 >= n - 100 { print $4 }' "$TMP/seq.tsv" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
ok=$(awk -v a="$first" -v b="$last" 'BEGIN { print (b <= a * 1.10) ? 0 : 1 }')
verdict "launch time, first vs last 100" "$ok" "$(awk -v a="$first" -v b="$last" 'BEGIN { printf "median %.2f ms then %.2f ms (x%.2f; flat = within 10 %%)", a, b, b / a }')"
exit $bad
