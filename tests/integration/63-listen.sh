#!/bin/bash
# Privileged ports without root in the program: --listen (socket
# activation), LISTEN_FDS and NOTIFY_SOCKET passed through, and the
# profiles that use them.
#   - a python server that takes fd 3 (socket.socket(fileno=3)) serves the
#     host through a socket ward bound; LISTEN_FDS, LISTEN_FDNAMES and
#     LISTEN_PID (its own pid inside the sandbox) as sd_listen_fds(3) says;
#     a bare PORT serves IPv4 and IPv6;
#   - with --net loopback or none the program reaches nothing: a connection
#     accepted on the inherited socket (it belongs to the host's network)
#     dissolved with connect(AF_UNSPEC) and connected again, or sent with
#     MSG_FASTOPEN, gets EACCES from Landlock (with --net host, the control,
#     it connects), and so does a fresh connect; --tcp-connect PORT opens
#     that port again; /udp is refused;
#   - ward started with LISTEN_FDS (a harness, and systemd-socket-activate)
#     hands those sockets on first; with someone else's LISTEN_PID, not;
#   - NOTIFY_SOCKET: the program's messages reach the manager's socket
#     (a path, or an abstract name) from ward's pid, without MAINPID=;
#     redis --supervised systemd under the redis profile says READY=1;
#   - Debian's stock nginx config serves port 80 under the nginx profile
#     (root), and stops on SIGTERM; redis-server exactly as typed under
#     the redis profile answers PING and stops within 10 s of SIGTERM.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns

PROFILES=$top/profiles
ROOT=0
[ "$(id -u)" = 0 ] && ROOT=1

# ---- prerequisites ---------------------------------------------------------

need="curl nginx redis-server redis-cli python3"
have_all() {
	local c
	for c in $need; do
		command -v "$c" >/dev/null || return 1
	done
}
if ! have_all && [ "$ROOT" = 1 ]; then
	# As tests/integration/60-profiles.sh: Debian's packages.
	echo "# installing what is missing: nginx-light redis-server redis-tools python3 curl"
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends \
		nginx-light redis-server redis-tools python3 curl; } \
		>"$TAP_TMP/apt.log" 2>&1 || diag "$(tail -n 20 "$TAP_TMP/apt.log")"
fi
missing=""
for c in $need; do
	command -v "$c" >/dev/null || missing="$missing $c"
done
[ -z "$missing" ] || diag "programs missing:$missing (their tests are skipped)"
if ! command -v python3 >/dev/null || ! command -v curl >/dev/null; then
	skip_all "python3 and curl are needed (programs missing:$missing)"
fi

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# port_free PORT: nothing listens on PORT of the host (IPv4 or IPv6).
port_free() {
	python3 - "$1" <<'EOF'
import socket, sys
for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
    s = socket.socket(fam)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((addr, int(sys.argv[1])))
    except OSError:
        sys.exit(1)
    s.close()
EOF
}

HAVE_V6=0
python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null && HAVE_V6=1

# The python server: one connection on fd 3, answered with what it saw.
fixture_dir APP || skip_all "cannot create a directory"
cat >"$APP/fdserver.py" <<'EOF'
import os, socket, sys
env = os.environ
s = socket.socket(fileno=3)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1
line = "LISTEN_FDS=%s LISTEN_FDNAMES=%s pid_match=%s family=%s\n" % (
    env.get("LISTEN_FDS"), env.get("LISTEN_FDNAMES"),
    env.get("LISTEN_PID") == str(os.getpid()), s.family.name)
print(line, end="", flush=True)
for _ in range(n):
    c, _ = s.accept()
    c.recv(1024)
    c.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + line.encode())
    c.close()
EOF
# Serve on fd 3 and fd 4 (a socket ward was given, then ward's own).
cat >"$APP/two.py" <<'EOF'
import os, socket
env = os.environ
line = "LISTEN_FDS=%s LISTEN_FDNAMES=%s pid_match=%s\n" % (
    env.get("LISTEN_FDS"), env.get("LISTEN_FDNAMES"), env.get("LISTEN_PID") == str(os.getpid()))
print(line, end="", flush=True)
for fd in (3, 4):
    c, _ = socket.socket(fileno=fd).accept()
    c.recv(1024)
    c.sendall(b"HTTP/1.0 200 OK\r\n\r\nfd %d " % fd + line.encode())
    c.close()
EOF
cat >"$APP/env.py" <<'EOF'
import os
print("LISTEN_FDS=%s NOTIFY_SOCKET=%s" % (os.environ.get("LISTEN_FDS"), os.environ.get("NOTIFY_SOCKET")))
EOF
# A sd_notify(3) sender, its message in argv[1] ("\n" for newlines).
cat >"$APP/notify.py" <<'EOF'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(sys.argv[1].replace("\\n", "\n").encode(), os.environ["NOTIFY_SOCKET"])
print("sent")
EOF
chmod -R a+rX "$APP"
APPBIND=(--bind "$APP:/srv/app")

# get URL: one GET, its body in GOT.
get() {
	GOT=$(curl -fsS -g -m 5 "$1" 2>&1)
}

# wait_bound PORT: until ward has bound 127.0.0.1:PORT (or ended), seen
# from /proc/net/tcp without connecting: a connection would be the
# program's to accept.  ward binds before the program runs, so a
# connection made after this queues until the program accepts it.
wait_bound() {
	local t=0 hex
	hex=$(printf '%04X' "$1")
	while [ $t -lt 100 ]; do
		grep -Eq "^ *[0-9]+: [0-9A-F]+:$hex [0-9A-F]+:0000 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null &&
			return 0
		kill -0 "$WARD_PID" 2>/dev/null || return 1
		sleep 0.1
		t=$((t + 1))
	done
	return 1
}

# ---- the plan --------------------------------------------------------------

for net in loopback none; do
	run_ward run --net "$net" --listen 53/udp -- /bin/true
	if [ "$RC" = 125 ] && grep -q "Landlock rules cover TCP only" <<<"$ERR"; then
		ok "--listen 53/udp with --net $net is refused (exit 125): Landlock does not cover UDP"
	else
		not_ok "--listen 53/udp with --net $net is refused" "$(last_run)"
	fi
done
run_ward check --listen 8080 --listen 0.0.0.0:81 --listen '[::]:81' -- /bin/true
expect_out_match "ward check: a bare port is [::]:PORT for IPv4 and IPv6, [::]:81 beside 0.0.0.0:81" \
	'^listen: +\[::\]:8080/tcp \(IPv4 and IPv6\), 0\.0\.0\.0:81/tcp, \[::\]:81/tcp, bound by ward'
expect_out_match "ward check: with --listen and --net loopback, every TCP connect is denied" \
	'^tcp connect: +none \(Landlock\)'
run_ward check --net host --listen 53/udp -- /bin/true
expect_out_match "ward check: /udp is accepted with --net host" '^listen: +\[::\]:53/udp'
run_ward run --net host --cap-keep NET_BIND_SERVICE -- /bin/true
if [ "$RC" = 125 ] && grep -q -- "--listen" <<<"$ERR"; then
	ok "--cap-keep NET_BIND_SERVICE with --net host is refused and points to --listen"
else
	not_ok "--cap-keep NET_BIND_SERVICE with --net host is refused and points to --listen" "$(last_run)"
fi

# ---- a python server on fd 3 -------------------------------------------------

PORT=$(free_port)
ward_bg "$TAP_TMP/py.out" run "${APPBIND[@]}" --listen "127.0.0.1:$PORT" -- \
	python3 /srv/app/fdserver.py
# sockets PID: how many sockets PID holds.
sockets() {
	find "/proc/$1/fd" -lname 'socket:*' 2>/dev/null | wc -l
}
if wait_bound "$PORT" && wait_for_line "$TAP_TMP/py.out" '^LISTEN_FDS=' 10; then
	INIT_PID=$(pgrep -P "$WARD_PID" | head -n 1)
	APP_PID=$(pgrep -P "$INIT_PID" | head -n 1)
	if [ -n "$APP_PID" ] && [ "$(sockets "$WARD_PID")" = 0 ] && [ "$(sockets "$INIT_PID")" = 0 ] &&
		[ "$(sockets "$APP_PID")" = 1 ]; then
		ok "the program holds the socket; ward (pid $WARD_PID) and its init (pid $INIT_PID) hold none"
	else
		not_ok "the program holds the socket; ward and its init hold none" \
			"sockets: ward $(sockets "$WARD_PID"), init $(sockets "$INIT_PID"), program ${APP_PID:-?} $(sockets "${APP_PID:-0}")"
	fi
	get "http://127.0.0.1:$PORT/"
	expect_eq "python on fd 3 (--net loopback) serves the host; LISTEN_FDS=1, its name, LISTEN_PID its own pid" \
		"LISTEN_FDS=1 LISTEN_FDNAMES=tcp-$PORT pid_match=True family=AF_INET" "$GOT"
else
	not_ok "python on fd 3 serves the host" "$(cat "$TAP_TMP/py.out.err")"
fi
wait_bg "$WARD_PID" 10
expect_rc "ward exits with the server's status" 0

# A bare port: [::]:PORT, IPv4 and IPv6 on one socket.
PORT=$(free_port)
n=1
[ "$HAVE_V6" = 1 ] && n=2
ward_bg "$TAP_TMP/py6.out" run "${APPBIND[@]}" --listen "$PORT" -- \
	python3 /srv/app/fdserver.py "$n"
if wait_bound "$PORT"; then
	get "http://127.0.0.1:$PORT/"
	expect_eq "--listen PORT: reached over IPv4 on one AF_INET6 socket" \
		"LISTEN_FDS=1 LISTEN_FDNAMES=tcp-$PORT pid_match=True family=AF_INET6" "$GOT"
	if [ "$HAVE_V6" = 1 ]; then
		get "http://[::1]:$PORT/"
		expect_eq "--listen PORT: and over IPv6" \
			"LISTEN_FDS=1 LISTEN_FDNAMES=tcp-$PORT pid_match=True family=AF_INET6" "$GOT"
	else
		skip "--listen PORT over IPv6" "the host has no IPv6 loopback"
	fi
else
	not_ok "python on a dual-stack fd 3 serves the host" "$(cat "$TAP_TMP/py6.out.err")"
fi
wait_bg "$WARD_PID" 10

# A port in use: exit 230, the program never runs.
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)' \
	>"$TAP_TMP/busy" &
BUSY=$!
tap_cleanup kill "$BUSY"
wait_for_line "$TAP_TMP/busy" '^[0-9]+$' 10
run_ward run --listen "127.0.0.1:$(cat "$TAP_TMP/busy")" -- /bin/sh -c 'echo ran'
if [ "$RC" = 230 ] && [ -z "$OUT" ] && grep -q "Address already in use" <<<"$ERR"; then
	ok "--listen on a port in use: exit 230 (listen), the program does not run"
else
	not_ok "--listen on a port in use: exit 230, the program does not run" "$(last_run)"
fi
kill "$BUSY" 2>/dev/null

# ---- the inherited socket cannot reach anything ----------------------------------

# A host listener for the reuse attempts.
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(64); print(s.getsockname()[1], flush=True); time.sleep(120)' \
	>"$TAP_TMP/target" &
TARGET=$!
tap_cleanup kill "$TARGET"
wait_for_line "$TAP_TMP/target" '^[0-9]+$' 10
TPORT=$(cat "$TAP_TMP/target")

# reuse WHO EXPECTED WARD-OPTIONS... -- HOW: the probe accepts one
# connection on fd 3 and reuses it to reach the host listener.
reuse() {
	local who=$1 want=$2 port
	shift 2
	local opts=()
	while [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	shift
	port=$(free_port)
	ward_bg "$TAP_TMP/reuse.out" run --bind "$PROBE:/probe" "${opts[@]}" \
		--listen "127.0.0.1:$port" -- /probe reuse-fd 3 "$TPORT" "$@"
	if ! wait_bound "$port"; then
		not_ok "$who" "ward never bound the port" "$(cat "$TAP_TMP/reuse.out.err")"
		return
	fi
	python3 -c 'import socket,sys; c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5); c.recv(1)' "$port" 2>/dev/null
	wait_bg "$WARD_PID" 10
	OUT=$(cat "$TAP_TMP/reuse.out")
	ERR=$(cat "$TAP_TMP/reuse.out.err")
	if [ "$RC" = 0 ] && [ "$OUT" = "$want" ]; then
		ok "$who"
	else
		not_ok "$who" "expected: $want" "$(last_run)"
	fi
}

reuse "control, --net host: an accepted connection, dissolved with connect(AF_UNSPEC), connects to a host port" \
	"unspec=ok connect=ok" --net host --
for net in loopback none; do
	reuse "--net $net: the same reuse is denied by Landlock (EACCES)" \
		"unspec=ok connect=errno=EACCES" --net "$net" --
	reuse "--net $net: and so is sendto(MSG_FASTOPEN) on it" \
		"unspec=ok connect=errno=EACCES" --net "$net" -- fastopen
done
reuse "--net loopback --tcp-connect $TPORT: the port the rule names is reachable again" \
	"unspec=ok connect=ok" --tcp-connect "$TPORT" --
probe_in --listen "127.0.0.1:$(free_port)" -- connect-tcp "$TPORT"
expect_out "--listen with --net loopback: a fresh connect(2) gets EACCES (Landlock), not ECONNREFUSED" \
	"errno=EACCES"
kill "$TARGET" 2>/dev/null

# ---- LISTEN_FDS given to ward ------------------------------------------------

# activate PORT FDNAME WARD-ARGS...: exec ward with fd 3 listening on
# 127.0.0.1:PORT, LISTEN_FDS=1 and LISTEN_PID=its own pid (or, with
# WRONG_PID set, another).
cat >"$APP/activate.py" <<'EOF'
import os, socket, sys
port, name = int(sys.argv[1]), sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(16)
if s.fileno() != 3:
    os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.environ.update(LISTEN_FDS="1", LISTEN_FDNAMES=name,
                  LISTEN_PID=str(os.getpid() + (1 if os.environ.get("WRONG_PID") else 0)))
os.execv(sys.argv[3], sys.argv[3:])
EOF
P1=$(free_port)
P2=$(free_port)
printf -v LAST_CMD '%q ' python3 "$APP/activate.py" "$P1" web "$WARD" run "${APPBIND[@]}" \
	--listen "127.0.0.1:$P2" -- python3 /srv/app/two.py
python3 "$APP/activate.py" "$P1" web "$WARD" run "${APPBIND[@]}" --listen "127.0.0.1:$P2" -- \
	python3 /srv/app/two.py >"$TAP_TMP/act.out" 2>"$TAP_TMP/act.out.err" </dev/null &
WARD_PID=$!
tap_cleanup kill -KILL "$WARD_PID"
if wait_bound "$P2"; then
	get "http://127.0.0.1:$P1/"
	expect_eq "LISTEN_FDS given to ward: its socket is the program's fd 3, named as given" \
		"fd 3 LISTEN_FDS=2 LISTEN_FDNAMES=web:tcp-$P2 pid_match=True" "$GOT"
	get "http://127.0.0.1:$P2/"
	expect_eq "LISTEN_FDS given to ward: ward's own --listen follows as fd 4" \
		"fd 4 LISTEN_FDS=2 LISTEN_FDNAMES=web:tcp-$P2 pid_match=True" "$GOT"
else
	not_ok "LISTEN_FDS given to ward are handed on" "$(cat "$TAP_TMP/act.out.err")"
fi
wait_bg "$WARD_PID" 10

P1=$(free_port)
WRONG_PID=1 run_cmd python3 "$APP/activate.py" "$P1" web "$WARD" run "${APPBIND[@]}" -- \
	python3 /srv/app/env.py
expect_out "LISTEN_FDS for another pid: not handed on" "LISTEN_FDS=None NOTIFY_SOCKET=None"

if command -v systemd-socket-activate >/dev/null; then
	P1=$(free_port)
	printf -v LAST_CMD '%q ' systemd-socket-activate -l "127.0.0.1:$P1" --fdname=sock \
		"$WARD" run "${APPBIND[@]}" -- python3 /srv/app/fdserver.py
	systemd-socket-activate -l "127.0.0.1:$P1" --fdname=sock "$WARD" run "${APPBIND[@]}" -- \
		python3 /srv/app/fdserver.py >"$TAP_TMP/ssa.out" 2>"$TAP_TMP/ssa.out.err" </dev/null &
	WARD_PID=$!
	tap_cleanup kill -KILL "$WARD_PID"
	sleep 0.3
	get "http://127.0.0.1:$P1/"
	expect_eq "under systemd-socket-activate: the program serves on the socket ward was given" \
		"LISTEN_FDS=1 LISTEN_FDNAMES=sock pid_match=True family=AF_INET" "$GOT"
	wait_bg "$WARD_PID" 10
else
	skip "ward under systemd-socket-activate" "systemd-socket-activate is missing (package systemd)"
fi

# ---- NOTIFY_SOCKET ---------------------------------------------------------------

# The manager's end: prints each datagram (newlines as |) with the
# sender's pid, until READY=1.
cat >"$TAP_TMP/manager.py" <<'EOF'
import os, socket, struct, sys
name = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + name[1:] if name.startswith("@") else name)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.settimeout(20)
print("bound", flush=True)
while True:
    msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
    pid = [struct.unpack("iII", d)[0] for l, t, d in anc if t == socket.SCM_CREDENTIALS]
    print("%s from %s" % (msg.decode().replace("\n", "|"), pid[0] if pid else "?"), flush=True)
    if b"READY=1" in msg:
        break
EOF

# notify WHO NAME WARD-ARGS...: run ward with NOTIFY_SOCKET=NAME; the
# manager's lines go to MGR.
notify() {
	local who=$1 name=$2
	shift 2
	python3 "$TAP_TMP/manager.py" "$name" >"$TAP_TMP/mgr.out" 2>&1 &
	MGR_PID=$!
	wait_for_line "$TAP_TMP/mgr.out" '^bound' 10
	printf -v LAST_CMD '%q ' "$WARD" "$@"
	LAST_CMD="NOTIFY_SOCKET=$name $LAST_CMD"
	NOTIFY_SOCKET=$name "$WARD" "$@" >"$TAP_TMP/n.out" 2>"$TAP_TMP/n.out.err" </dev/null &
	WARD_PID=$!
	tap_cleanup kill -KILL "$WARD_PID"
	wait "$MGR_PID"
	MGR=$(cat "$TAP_TMP/mgr.out")
}

before=$(ls -d /run/ward-notify.* /tmp/ward-notify.* "${XDG_RUNTIME_DIR:-/nonexistent}"/ward-notify.* 2>/dev/null)
notify "path" "$TAP_TMP/notify" run "${APPBIND[@]}" -- python3 /srv/app/notify.py 'STATUS=up\nMAINPID=2\nREADY=1'
wait_bg "$WARD_PID" 10
expect_eq "NOTIFY_SOCKET (a path): the program's message arrives from ward's pid, without MAINPID=" \
	"bound
STATUS=up|READY=1 from $WARD_PID" "$MGR"
notify "abstract" "@ward-test-notify-$$" run "${APPBIND[@]}" -- python3 /srv/app/notify.py 'READY=1'
wait_bg "$WARD_PID" 10
expect_eq "NOTIFY_SOCKET (an abstract name, --net loopback): relayed the same way" \
	"bound
READY=1 from $WARD_PID" "$MGR"
if [ "$ROOT" = 1 ] && command -v setpriv >/dev/null; then
	# The example unit's NoNewPrivileges= and CapabilityBoundingSet=CAP_SETUID
	# CAP_SETGID: no CAP_CHOWN, no CAP_DAC_OVERRIDE.
	python3 "$TAP_TMP/manager.py" "$TAP_TMP/notify-b2" >"$TAP_TMP/mgr.out" 2>&1 &
	MGR_PID=$!
	wait_for_line "$TAP_TMP/mgr.out" '^bound' 10
	NOTIFY_SOCKET=$TAP_TMP/notify-b2 run_cmd setpriv --no-new-privs --bounding-set -all,+setuid,+setgid \
		"$WARD" run "${APPBIND[@]}" -- python3 /srv/app/notify.py 'READY=1'
	wait "$MGR_PID"
	if [ "$RC" = 0 ] && grep -q '^READY=1 from [0-9]' "$TAP_TMP/mgr.out"; then
		ok "NOTIFY_SOCKET relayed with the example unit's bounding set (CAP_SETUID CAP_SETGID) and no_new_privs"
	else
		not_ok "NOTIFY_SOCKET relayed with the example unit's bounding set" "$(cat "$TAP_TMP/mgr.out")" "$(last_run)"
	fi
else
	skip "NOTIFY_SOCKET with the example unit's bounding set" "needs root and setpriv"
fi
after=$(ls -d /run/ward-notify.* /tmp/ward-notify.* "${XDG_RUNTIME_DIR:-/nonexistent}"/ward-notify.* 2>/dev/null)
expect_eq "the relay's host directories are gone afterwards" "$before" "$after"
NOTIFY_SOCKET=relative run_ward run -- /bin/sh -c 'echo ran'
if [ "$RC" = 231 ] && [ -z "$OUT" ]; then
	ok "a NOTIFY_SOCKET ward cannot relay stops the launch (exit 231)"
else
	not_ok "a NOTIFY_SOCKET ward cannot relay stops the launch (exit 231)" "$(last_run)"
fi
run_ward run "${APPBIND[@]}" -- python3 /srv/app/env.py
expect_out "without NOTIFY_SOCKET, the program gets none" "LISTEN_FDS=None NOTIFY_SOCKET=None"

# ---- redis, as typed -------------------------------------------------------------

# redis-server without arguments listens on 6379 of the host (the
# profile's net host); another port only when 6379 is taken.
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
RPORT=6379
REDIS=(redis-server)
if ! port_free 6379; then
	RPORT=$(free_port)
	REDIS=(redis-server --port "$RPORT")
	diag "port 6379 is in use on this host: redis-server --port $RPORT instead"
fi
ward_bg "$TAP_TMP/redis.out" run --profile "$PROFILES/redis.profile" -- "${REDIS[@]}"
t=0
until redis-cli -p "$RPORT" ping >/dev/null 2>&1 || [ $t -ge 100 ]; do
	sleep 0.1
	t=$((t + 1))
done
run_cmd redis-cli -p "$RPORT" ping
expect_out "redis: ward run --profile redis -- ${REDIS[*]}: PING" "PONG"
kill -TERM "$WARD_PID"
wait_bg "$WARD_PID" 10
if [ "$RC" = 0 ] && grep -q "DB saved on disk" "$TAP_TMP/redis.out"; then
	ok "redis: SIGTERM to ward: the final save lands in /var/lib/redis and ward exits 0 within 10 s"
else
	not_ok "redis: SIGTERM to ward: saved and exited 0 within 10 s" "exit status: $RC" \
		"$(tail -n 5 "$TAP_TMP/redis.out")"
fi

RPORT=$(free_port)
notify "redis" "$TAP_TMP/notify-redis" run --profile "$PROFILES/redis.profile" -- \
	redis-server --supervised systemd --port "$RPORT" --bind 127.0.0.1
if grep -Eq "^READY=1\|? from $WARD_PID\$" <<<"$MGR"; then
	ok "redis --supervised systemd (Debian's Type=notify unit): READY=1 reaches the manager from ward's pid"
else
	not_ok "redis --supervised systemd: READY=1 reaches the manager" "$MGR" \
		"$(tail -n 5 "$TAP_TMP/n.out" "$TAP_TMP/n.out.err")"
fi
kill -TERM "$WARD_PID"
wait_bg "$WARD_PID" 10
expect_rc "redis --supervised systemd: SIGTERM to ward, exit 0" 0
else
	skip "redis under the redis profile" "redis-server or redis-cli is missing and could not be installed"
fi

# ---- nginx with Debian's own configuration, on port 80 ------------------------------

why=""
if [ "$ROOT" != 1 ]; then
	why="binding port 80 needs a root caller"
elif ! command -v nginx >/dev/null; then
	why="nginx is missing and could not be installed"
elif ! port_free 80; then
	why="port 80 of this host is in use"
fi
if [ -n "$why" ]; then
	skip "nginx profile: Debian's stock config on port 80" "$why"
	tap_done
fi
changed=$(dpkg -V nginx-common 2>/dev/null | grep -E '/etc/nginx/(nginx\.conf|sites-available/default)$')
[ -z "$changed" ] || diag "the host's nginx config differs from Debian's: $changed"
ward_bg "$TAP_TMP/nginx.out" run --profile "$PROFILES/nginx.profile" -- nginx -g 'daemon off;'
if wait_bound 80; then
	get "http://127.0.0.1/"
	expect_match "nginx profile, stock config: GET http://127.0.0.1/ (port 80) returns Debian's page" \
		'<title>Welcome to nginx!</title>' "$GOT"
	if [ "$HAVE_V6" = 1 ]; then
		get "http://[::1]/"
		expect_match "nginx profile, stock config: and over IPv6 ([::]:80)" \
			'<title>Welcome to nginx!</title>' "$GOT"
	else
		skip "nginx over IPv6" "the host has no IPv6 loopback"
	fi
	master=$(pgrep -P "$(pgrep -P "$WARD_PID" | head -n 1)" | head -n 1)
	if [ -n "$master" ] && [ "$(awk '/^Uid:/ {print $2}' "/proc/$master/status")" != 0 ] &&
		[ "$(awk '/^CapEff:/ {print $2}' "/proc/$master/status")" = 0000000000000000 ]; then
		ok "nginx's master process runs without root and without capabilities"
	else
		not_ok "nginx's master process runs without root and without capabilities" \
			"$(grep -E '^(Uid|CapEff)' "/proc/$master/status" 2>&1)"
	fi
else
	not_ok "nginx profile, stock config: serves port 80" "$(tail -n 10 "$TAP_TMP/nginx.out.err")"
fi
kill -TERM "$WARD_PID"
wait_bg "$WARD_PID" 10
expect_rc "nginx: SIGTERM to ward: ward exits 0 within 10 s" 0

tap_done
