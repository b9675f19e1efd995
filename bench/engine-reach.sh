#!/bin/bash
# What finding engines on TCP costs a --net host plan: `ward check` with
# and without --net host, interleaved, the median of N runs each (check
# builds the plan, where the listeners are looked at, and starts nothing).
#
#	bench/engine-reach.sh [WARD] [N]      (defaults: build/ward, 200)
set -eu
WARD=${1:-build/ward}
N=${2:-200}
[ -x "$WARD" ] || { echo "usage: $0 [WARD] [N]: $WARD is not executable" >&2; exit 2; }
loop=$(mktemp) host=$(mktemp)
trap 'rm -f "$loop" "$host"' EXIT
us() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(((e - s) / 1000)); }
for _ in $(seq "$N"); do
	us "$WARD" check >>"$loop"
	us "$WARD" check --net host >>"$host"
done
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
l=$(median "$loop") h=$(median "$host")
echo "ward check (loopback):   $l us"
echo "ward check --net host:   $h us  (+$((h - l)) us: sock_diag, naming $(ls /proc | grep -c '^[0-9]') processes)"
