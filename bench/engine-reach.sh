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

# What a bind holding one socket costs (the engine-listener lookup): an
# empty directory, then one holding a live listener that is no engine.
dir=$(mktemp -d) sockdir=$(mktemp -d) empty=$(mktemp) one=$(mktemp)
python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); time.sleep(3600)' \
	"$sockdir/app.sock" &
lis=$!
trap 'kill "$lis" 2>/dev/null; rm -rf "$loop" "$host" "$dir" "$sockdir" "$empty" "$one"' EXIT
for _ in $(seq 50); do [ -S "$sockdir/app.sock" ] && break; sleep 0.05; done
for _ in $(seq "$N"); do
	us "$WARD" check --bind "$dir:/x" >>"$empty"
	us "$WARD" check --bind "$sockdir:/x" >>"$one"
done
e=$(median "$empty") o=$(median "$one")
echo "ward check --bind DIR (empty):      $e us"
echo "ward check --bind DIR (one socket): $o us  (+$((o - e)) us: sock_diag, the engines' descriptors)"
