#!/bin/bash
# What --net host reaches besides TCP ports: the host's abstract unix
# sockets (the containerd-shim class, CVE-2020-15257) are scoped by
# Landlock unless a profile says 'abstract-sockets host'; and an engine's
# TCP listener (here a copy of python3 named dockerd) refuses --net host,
# and --net veth when not on loopback, unless tcp-connect leaves its port
# out or a profile allows the engine.  docker-proxy's listeners are no
# engine's.  (tests/docker/20-engine-tcp.sh does it with a real dockerd.)
#
# The "host" is a network namespace this test creates (abstract sockets
# live in the network namespace): ward runs there, so nothing touches the
# machine's own.  Root only.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (creates a network namespace)"
tap_require_userns
for tool in nsenter unshare; do
	command -v "$tool" >/dev/null || skip_all "$tool is missing"
done
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "$PY is missing (package python3)"
ABI=$("$PY" -c 'import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
print(max(libc.syscall(444, None, 0, 1), 0))')
[ "$ABI" -ge 6 ] || skip_all "Landlock ABI $ABI: the abstract-socket scope needs ABI 6 (Linux 6.12)"

unshare -n sleep 600 &
HOLDER=$!
disown "$HOLDER"
tap_cleanup kill -KILL "$HOLDER"
for _ in $(seq 100); do
	[ "$(readlink "/proc/$HOLDER/ns/net")" != "$(readlink /proc/self/ns/net)" ] && break
	sleep 0.02
done
[ "$(readlink "/proc/$HOLDER/ns/net")" != "$(readlink /proc/self/ns/net)" ] ||
	skip_all "unshare -n did not create a network namespace"
outer() { nsenter -t "$HOLDER" -n -- "$@"; }
outer ip link set lo up 2>/dev/null || true
WARD_PREFIX=(nsenter -t "$HOLDER" -n --)

# A listener on an abstract address named like a containerd shim's, in
# the "host" namespace, accepting every connection.
SHIM=/containerd-shim/moby/0123456789abcdef/shim.sock
nsenter -t "$HOLDER" -n -- "$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0" + sys.argv[1]); s.listen(64)
print("listening", flush=True)
time.sleep(600)' "$SHIM" >"$TAP_TMP/shim.out" 2>&1 &
SHIM_PID=$!
disown "$SHIM_PID"
tap_cleanup kill -KILL "$SHIM_PID"
wait_for_line "$TAP_TMP/shim.out" '^listening$' 10 ||
	not_ok "the shim-like listener started" "$(cat "$TAP_TMP/shim.out")"

outer "$PROBE" connect-abstract "$SHIM" >"$TAP_TMP/direct" 2>&1
expect_eq "control: outside ward, the shim-like socket answers" "ok" "$(cat "$TAP_TMP/direct")"
probe_in --net loopback -- connect-abstract "$SHIM"
expect_out "--net loopback: another namespace, no such abstract socket" "errno=ECONNREFUSED"
probe_in --net host -- connect-abstract "$SHIM"
expect_out "--net host: the host's abstract socket is EPERM (Landlock scope)" "errno=EPERM"
probe_in --net host --tcp-connect 80 -- connect-abstract "$SHIM"
expect_out "--net host with TCP rules: still EPERM" "errno=EPERM"

fixture_dir PDIR || not_ok "a profile directory"
printf '%s\n' "ward-profile 1" "abstract-sockets host" >"$PDIR/reach.profile"
chmod 644 "$PDIR/reach.profile"
probe_in --profile "$PDIR/reach.profile" --net host -- connect-abstract "$SHIM"
expect_out "--net host with 'abstract-sockets host': reachable, as the profile asks" "ok"

run_ward run --net host --abstract-sockets host -- /bin/true
expect_rc "--abstract-sockets on the command line: refused (a profile's weakening)" 125

run_ward check --net host
expect_out_match "check --net host: abstract sockets scoped" \
	'^abstract-sockets +ok +.*scoped'
run_ward check --profile "$PDIR/reach.profile" --net host
expect_out_match "check with 'abstract-sockets host': rated a risk" \
	'^abstract-sockets +RISK'
run_ward check --net loopback
expect_no_match "check --net loopback: no abstract-sockets row (own namespace)" \
	'^abstract-sockets' "$OUT"

# ---- an engine listening on TCP -----------------------------------------------

fixture_dir BIN || not_ok "a directory for the named listeners"
cp "$PY" "$BIN/dockerd" && cp "$PY" "$BIN/docker-proxy" ||
	not_ok "copies of python3 named dockerd and docker-proxy"
# listen NAME ADDR PORT: a process whose executable is NAME listens there.
listen() {
	nsenter -t "$HOLDER" -n -- "$BIN/$1" -c '
import os, socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(8)
print("listening", os.getpid(), flush=True)
time.sleep(600)' "$2" "$3" >"$TAP_TMP/$1-$3.out" 2>&1 &
	LISTEN_PID=$!
	disown "$LISTEN_PID"
	tap_cleanup kill -KILL "$LISTEN_PID"
	wait_for_line "$TAP_TMP/$1-$3.out" '^listening [0-9]+$' 10 ||
		not_ok "$1 listens on $2:$3" "$(cat "$TAP_TMP/$1-$3.out")"
	LISTENER=$(awk '{ print $2 }' "$TAP_TMP/$1-$3.out")
	[ "$LISTENER" = "$LISTEN_PID" ] || not_ok "$1 runs as the pid started" \
		"started $LISTEN_PID, listening $LISTENER"
}

listen docker-proxy 0.0.0.0 2376
DPROXY=$LISTENER
run_ward run --net host -- /bin/true
expect_rc "docker-proxy on 0.0.0.0:2376 (a published port): --net host starts" 0

listen dockerd 127.0.0.1 2375
DOCKERD=$LISTENER
run_ward run --net host -- /bin/true
expect_rc "dockerd on 127.0.0.1:2375: --net host is refused" 201
expect_match "... naming dockerd, its pid and the address" \
	"dockerd \(pid $DOCKERD\) listens on TCP 127\.0\.0\.1:2375, the docker engine's API" "$ERR"
run_ward run --net host --tcp-connect 2375 -- /bin/true
expect_rc "--tcp-connect 2375 lets the port in: refused" 201
run_ward run --net host --tcp-connect 443,8000-8010 -- /bin/true
expect_rc "--tcp-connect 443,8000-8010 leaves 2375 out: starts" 0
probe_in --net host --tcp-connect 443 -- connect-tcp 2375
expect_out "... and the program cannot connect to 2375 (Landlock)" "errno=EACCES"
run_ward check --net host --tcp-connect 443
expect_out_match "check: the engine on TCP rated out of reach" \
	'^engine\.tcp +ok .*docker engine.s API on TCP 127\.0\.0\.1:2375 is out of reach'
printf '%s\n' "ward-profile 1" "allow-engine-socket docker" >"$PDIR/allow.profile"
chmod 644 "$PDIR/allow.profile"
run_ward run --profile "$PDIR/allow.profile" --net host -- /bin/true
expect_rc "allow-engine-socket docker: starts" 0
expect_match "... with a warning" "warning: dockerd \(pid $DOCKERD\) listens on TCP 127\.0\.0\.1:2375" "$ERR"
run_ward check --profile "$PDIR/allow.profile" --net host
expect_out_match "check: the allowed engine on TCP is CRITICAL" '^engine\.tcp +RISK +10\.0 +CRITICAL'
run_ward run --net veth -- /bin/true
expect_rc "--net veth: 127.0.0.1:2375 is out of its reach: starts" 0
run_ward run --net loopback -- /bin/true
expect_rc "--net loopback: not looked at, starts" 0

# Rootless: the root dockerd's descriptors are not readable, so its
# listener on 2375, Docker's API port, is taken for Docker's by its port
# (so would root's docker-proxy on 2376 be: it goes first).
kill -KILL "$DPROXY"
if fixture_test_user && fixture_user_bins; then
	WARD_PREFIX=(nsenter -t "$HOLDER" -n -- setpriv "--reuid=$WARD_TEST_UID"
		"--regid=$WARD_TEST_UID" --clear-groups --)
	WARD_SAVED=$WARD
	WARD=$WARD_U
	run_ward run --net host -- /bin/true
	expect_rc "rootless --net host, a root dockerd on 127.0.0.1:2375: refused" 201
	expect_match "... by its port, the owner hidden" \
		"a process ward cannot see \(2375 is Docker's API port\) listens on TCP 127\.0\.0\.1:2375" "$ERR"
	WARD=$WARD_SAVED
	WARD_PREFIX=(nsenter -t "$HOLDER" -n --)
else
	skip "rootless: a root dockerd found by its port" "$FIXTURE_WHY"
fi

listen dockerd 0.0.0.0 2377
run_ward run --net veth -- /bin/true
expect_rc "dockerd on 0.0.0.0:2377: --net veth is refused" 201
expect_match "... naming veth" "could reach with --net veth" "$ERR"

tap_done
