#!/bin/bash
# Entrypoint mode asks the sockets in the mounts whether they are an
# engine's (launch/entrypoint_sockets.c): simulated with a private mount
# namespace where directories are bind-mounted as an engine would (-v),
# each holding one socket served by tests/lib/socket-server.py.  A Docker
# answer, an HTTP/2 SETTINGS frame and silence refuse; "hello", a datagram
# socket, a socket nobody listens on and an allow-socket one start.  The
# questions come from a child running as the program's uid (10001).
# tests/docker/30-entrypoint-sockets.sh does it in a real container.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/private-mountns.sh
. "$here/../lib/private-mountns.sh"
private_mountns_reexec "$0" "$@"
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

[ "$(id -u)" = 0 ] || skip_all "entrypoint mode starts as root"
[ -n "${WARD_TEST_IN_MOUNT_NS:-}" ] || skip_all "no private mount namespace (unshare -m)"
[ -x /usr/bin/python3 ] || skip_all "python3 is missing (package python3)"
mount -t tmpfs -o mode=755 ward-ep-test /run || skip_all "cannot mount a private /run"
unset DOCKER_HOST CONTAINER_HOST CONTAINERD_ADDRESS BUILDKIT_HOST
SERVER=$here/../lib/socket-server.py

fixture_dir SRC 755 || skip_all "cannot create a directory"
fixture_dir MNT 755 || skip_all "cannot create a directory"
mkdir -p "$MNT/host"

# serve MODE NAME: a server of MODE on $SRC/MODE/NAME (the host's side).
serve() {
	mkdir -p "$SRC/$1" && chmod 755 "$SRC/$1"
	/usr/bin/python3 "$SERVER" "$1" "$SRC/$1/$2" >"$TAP_TMP/$1.out" 2>&1 &
	SERVER_PID=$!
	disown "$SERVER_PID"
	tap_cleanup kill -KILL "$SERVER_PID"
	wait_for_line "$TAP_TMP/$1.out" '^listening' 10 ||
		not_ok "the $1 server starts" "$(cat "$TAP_TMP/$1.out")"
}

# hide / unhide: an empty tmpfs over $SRC while ward looks, so that only
# the mount at $MNT/host shows the sockets (where /tmp is a mount of its
# own, as a CI container's -v makes it, $SRC would be searched too).
hide() { mount -t tmpfs -o mode=755 ward-hidden "$SRC"; }
unhide() { umount "$SRC"; }

# launch_with MODE: ward in entrypoint mode with $SRC/MODE bound at
# $MNT/host, as docker run -v would.
launch_with() {
	mount --bind "$SRC/$1" "$MNT/host"
	hide
	run_ward run --mode entrypoint -- /bin/true
	unhide
	umount "$MNT/host"
}

run_ward run --mode entrypoint -- /bin/true
expect_rc "control: no socket in the mounts, it starts" 0

serve docker api.sock
launch_with docker
expect_rc "a socket answering /_ping as Docker does, under a non-engine name: refused" 201
expect_match "... naming it and the answer" \
	"the socket at $MNT/host/api.sock \([^ ]*/${SRC##*/}/docker/api.sock in the mount's source\) answered Docker's /_ping" "$ERR"

printf '%s\n' "ward-profile 1" "allow-engine-socket docker" >"$MNT/engine.profile"
chmod 644 "$MNT/engine.profile"
mount --bind "$SRC/docker" "$MNT/host"
hide
run_ward run --profile "$MNT/engine.profile" --mode entrypoint -- /bin/true
unhide
umount "$MNT/host"
expect_rc "... with 'allow-engine-socket docker': starts" 0
expect_match "... warning that it answers as a Docker API" \
	"WARNING: engine-socket: the socket at $MNT/host/api.sock answers as a Docker API" "$ERR"

serve grpc agent.sock
launch_with grpc
expect_rc "a socket answering the HTTP/2 preface with SETTINGS: refused" 201
expect_match "... as likely containerd, CRI-O or BuildKit" "likely containerd, CRI-O or BuildKit" "$ERR"

serve silent quiet.sock
launch_with silent
expect_rc "a socket that stays silent: refused" 201
expect_match "... saying ward cannot tell, and naming allow-socket" \
	"answered neither GET /_ping nor the HTTP/2 preface within 500 ms.*allow-socket $MNT/host/quiet.sock" "$ERR"

serve hello app.sock
launch_with hello
expect_rc "a socket that answers something else: starts" 0

serve dgram log.sock
launch_with dgram
expect_rc "a datagram socket: not asked, starts" 0

mkdir -p "$SRC/stale"
/usr/bin/python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$SRC/stale/old.sock"
launch_with stale
expect_rc "a socket nobody listens on: starts" 0

mkdir -p "$SRC/named"
ln "$SRC/silent/quiet.sock" "$SRC/named/docker.sock"
launch_with named
expect_rc "a socket named docker.sock: refused by its name, unasked" 201
expect_match "... as a docker API socket" "a socket named docker.sock is a docker API socket" "$ERR"

printf '%s\n' "ward-profile 1" "allow-socket $MNT/host/quiet.sock" >"$MNT/allow.profile"
chmod 644 "$MNT/allow.profile"
mount --bind "$SRC/silent" "$MNT/host"
hide
run_ward run --profile "$MNT/allow.profile" --mode entrypoint -- /bin/true
unhide
umount "$MNT/host"
expect_rc "the silent socket listed with allow-socket: starts" 0
run_ward check --profile "$MNT/allow.profile" --mode entrypoint
expect_out_match "check: allow-socket is rated" "^allow-socket +RISK +0\.5 +$MNT/host/quiet.sock is let through"
run_ward run --allow-socket /x -- /bin/true
expect_rc "--allow-socket on the command line: refused (a profile's)" 125

# The questions come as the program's user: a socket only root may
# connect to is not asked (the program cannot reach it either).
chmod 600 "$SRC/docker/api.sock"
launch_with docker
expect_rc "the Docker-like socket, mode 0600 root's: the program cannot reach it, starts" 0
# ... but a program that keeps a capability may: then ward asks as root.
mount --bind "$SRC/docker" "$MNT/host"
hide
run_ward run --mode entrypoint --cap-keep DAC_OVERRIDE -- /bin/true
expect_rc "... with --cap-keep DAC_OVERRIDE the program could reach it: asked, refused" 201
# A socket of a group the program is given: asked as that group.
chgrp 4242 "$MNT/host/api.sock" && chmod 660 "$MNT/host/api.sock"
run_ward run --mode entrypoint --groups 4242 -- /bin/true
expect_rc "a Docker-like socket of group 4242, with --groups 4242: asked, refused" 201
run_ward run --mode entrypoint -- /bin/true
expect_rc "... without the group the program cannot reach it: starts" 0
unhide
umount "$MNT/host"
chgrp 0 "$SRC/docker/api.sock" && chmod 666 "$SRC/docker/api.sock"

# An engine on TCP in the container's network (docker run --network host
# shares the host's): a copy of python3 named dockerd, on a port the
# kernel picks, refuses unless tcp-connect leaves the port out.
fixture_dir BIN 755 || not_ok "a directory for the named listener"
cp /usr/bin/python3 "$BIN/dockerd"
"$BIN/dockerd" -c '
import os, socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print("listening", os.getpid(), s.getsockname()[1], flush=True)
time.sleep(600)' >"$TAP_TMP/tcp.out" 2>&1 &
disown $!
tap_cleanup kill -KILL $!
wait_for_line "$TAP_TMP/tcp.out" '^listening' 10 || not_ok "the TCP listener starts"
read -r _ TCP_PID TCP_PORT <"$TAP_TMP/tcp.out"
hide
run_ward run --mode entrypoint -- /bin/true
expect_rc "entrypoint mode, dockerd on 127.0.0.1:$TCP_PORT: refused" 201
expect_match "... naming it" "dockerd \(pid $TCP_PID\) listens on TCP 127\.0\.0\.1:$TCP_PORT.*in this container's network" "$ERR"
run_ward run --mode entrypoint --tcp-connect 443 -- /bin/true
expect_rc "... --tcp-connect 443 leaves it out: starts" 0
unhide
kill -KILL "$TCP_PID"

# A bound: more sockets than ward asks about refuses.
mkdir -p "$SRC/many"
for i in $(seq 65); do
	/usr/bin/python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$SRC/many/s$i.sock"
done
launch_with many
expect_rc "65 sockets in a mount: refused (the bound is 64)" 201
expect_match "... saying so" "more than 64 socket files in the mounts" "$ERR"

tap_done
