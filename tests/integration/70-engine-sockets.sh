#!/bin/bash
# The engine-socket guard against real listening sockets at the known
# paths, without touching the machine: the file re-executes itself in a
# private mount namespace (unshare -m) and mounts a tmpfs on /run there
# (/var/run is a symlink to /run on Debian), then creates
# /run/docker.sock, /run/containerd/containerd.sock and
# /run/podman/podman.sock as listening sockets.
#
# Every refusal must exit 201 with one "ward: engine-socket: " line (plus
# its hint) naming the socket, and start nothing: the command would create
# a marker in a read-write bind.  Covered: a direct bind, /var/run, a
# symlink, a hard link, the parent directory, /proc/self/root/...,
# /proc/PID/root/..., /proc/self/fd/N (an O_PATH descriptor ward inherits),
# a socket merely named docker.sock, --env DOCKER_HOST, DOCKER_HOST in
# ward's own environment, a --rootfs holding the socket (hard link at
# run/docker.sock; bind mount elsewhere in the tree), the containerd and
# podman sockets and an `engine-socket PATH` profile line.  A profile with
# `allow-engine-socket docker` lets the docker socket in, loudly; the same
# on the command line is refused.
here=$(cd "$(dirname "$0")" && pwd)

# ---- a private mount namespace with a private /run -------------------------
# Done before tap.sh so that its temporary directory lives in the private
# /run too; failures are reported once tap.sh is loaded.
NS_WHY=""
if [ -z "${WARD_ENGINE_TEST_NS:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		NS_WHY="mounting a private /run needs root"
	elif ! command -v unshare >/dev/null; then
		NS_WHY="unshare is missing (package util-linux)"
	elif ! unshare -m --propagation private true 2>/dev/null; then
		NS_WHY="unshare -m failed: no private mount namespace"
	else
		export WARD_ENGINE_TEST_NS=1
		exec unshare -m --propagation private bash "$0" "$@"
	fi
elif ! mount -t tmpfs -o mode=755,size=64m ward-engine-test /run; then
	NS_WHY="mount -t tmpfs tmpfs /run failed in the private namespace"
else
	mkdir -p /run/ward-test && chmod 755 /run/ward-test &&
		export TMPDIR=/run/ward-test || NS_WHY="cannot create /run/ward-test"
fi

# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

[ -z "$NS_WHY" ] || skip_all "$NS_WHY"
tap_require_userns
command -v python3 >/dev/null || skip_all "python3 is missing (package python3)"
if [ "$(findmnt -n -o FSTYPE --target /run/ward-test 2>/dev/null)" != tmpfs ]; then
	not_ok "the private /run is a tmpfs" "$(findmnt /run 2>&1)"
	tap_done
fi
unset DOCKER_HOST CONTAINER_HOST CONTAINERD_ADDRESS BUILDKIT_HOST

W=$TAP_TMP
DOCKER=/run/docker.sock
CONTAINERD=/run/containerd/containerd.sock
PODMAN=/run/podman/podman.sock
OTHER=$W/other/api.sock        # announced through DOCKER_HOST only
NAMED=$W/elsewhere/docker.sock # a docker.sock nobody knows about
EXTRA=$W/extra/extra.sock      # listed by an engine-socket profile line
PLAIN=$W/plain/app.sock        # an ordinary socket: must be allowed

# Listening sockets, mode 0666 (so the sandbox user could connect), held
# by one background python process until the file exits.
cat >"$W/listen.py" <<'EOF'
import os, socket, sys, time
held = []
for path in sys.argv[2:]:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(64)
    os.chmod(path, 0o666)
    held.append(s)
with open(sys.argv[1], "w") as f:
    f.write("ready\n")
while True:
    time.sleep(3600)
EOF
python3 "$W/listen.py" "$W/ready" "$DOCKER" "$CONTAINERD" "$PODMAN" \
	"$OTHER" "$NAMED" "$EXTRA" "$PLAIN" </dev/null >"$W/listen.log" 2>&1 &
LISTENER=$!
disown "$LISTENER" # no "Killed" notice at exit
tap_cleanup kill -KILL "$LISTENER"
if wait_for_line "$W/ready" '^ready$' 10 && [ -S "$DOCKER" ] && [ -S "$PODMAN" ] &&
	[ -S "$CONTAINERD" ] && [ -S /var/run/docker.sock ]; then
	ok "listening sockets at $DOCKER (/var/run/docker.sock), $CONTAINERD, $PODMAN"
else
	not_ok "listening sockets at the known paths" "$(cat "$W/listen.log")" \
		"$(ls -la /run /var/run 2>&1)"
	tap_done
fi

fixture_dir SPOOL 777 || skip_all "cannot create a directory"
MARKER=$SPOOL/marker
# shellcheck source=tests/lib/engine-verdicts.sh
. "$here/../lib/engine-verdicts.sh"


# A root-owned, 0644 profile in the private /run.
profile() {
	local path=$W/$1.profile
	shift
	printf '%s\n' "ward-profile 1" "$@" >"$path"
	chmod 644 "$path"
	printf '%s\n' "$path"
}

# ---- controls --------------------------------------------------------------

started "control: with the engine sockets live, a plain launch runs"
started "control: an ordinary listening socket can be bound" --bind "$PLAIN:/run/app.sock"
probe_in --bind "$PLAIN:/run/app.sock" -- connect-unix /run/app.sock
expect_out "control: ...and reached inside (connect-unix)" "ok"

# ---- the docker socket, by every road ----------------------------------------

# engine_re ENGINE PATH: the refusal of a bind of PATH, the socket of
# ENGINE, recognised by identity or by its name (checked first).
engine_re() {
	local base=${2##*/}
	printf '%s' "refusing bind of ${2//./\\.}: (it is the $1 API socket ${2//./\\.}|a socket named ${base//./\\.} is a $1 API socket);"
}
DOCKER_RE=$(engine_re docker "$DOCKER")
refused "bind of $DOCKER" "$DOCKER_RE" --bind "$DOCKER:/var/run/docker.sock"
refused "bind of /var/run/docker.sock" "$DOCKER_RE" --bind "/var/run/docker.sock:/x"

ln -s "$DOCKER" "$W/innocent-link"
refused "bind through a symlink" \
	"--bind $W/innocent-link:/x: $DOCKER_RE" --bind "$W/innocent-link:/x"

ln "$DOCKER" "$W/innocent-hardlink"
if [ "$(stat -c %i "$W/innocent-hardlink")" = "$(stat -c %i "$DOCKER")" ]; then
	refused "bind of a hard link (another name, same inode)" \
		"innocent-hardlink.*it is the docker API socket $DOCKER" \
		--bind "$W/innocent-hardlink:/x"
else
	not_ok "a hard link to $DOCKER could be made" "$(ls -li "$W" /run 2>&1)"
fi

refused "bind of the parent directory /run" \
	"refusing bind of /run: it contains the (docker|containerd|podman) API socket" \
	--bind "/run:/hostrun"
refused "bind of /run/containerd" \
	"refusing bind of /run/containerd: it contains the containerd API socket $CONTAINERD" \
	--bind "/run/containerd:/x"
refused "bind of /proc/self/root$DOCKER" "$DOCKER_RE" --bind "/proc/self/root$DOCKER:/x"
refused "bind of /proc/$LISTENER/root$DOCKER (another process's root)" "$DOCKER_RE" \
	--bind "/proc/$LISTENER/root$DOCKER:/x"

# /proc/self/fd/N: a shell cannot open a socket (open(2) gives ENXIO), so
# python opens it O_PATH, leaves the descriptor inheritable and executes
# ward with @FD@ in its arguments replaced by the number; in ward,
# /proc/self/fd/N is that descriptor.
PYFD='import os, sys
fd = os.open(sys.argv[1], os.O_PATH)
os.set_inheritable(fd, True)
args = [a.replace("@FD@", str(fd)) for a in sys.argv[2:]]
os.execv(args[0], args)'
WARD_PREFIX=(python3 -c "$PYFD" "$DOCKER")
refused "bind of /proc/self/fd/N (an inherited O_PATH descriptor)" "$DOCKER_RE" \
	--bind "/proc/self/fd/@FD@:/x"
WARD_PREFIX=()

refused "a socket merely named docker.sock, elsewhere" \
	"a socket named docker\\.sock is a docker API socket" --bind "$NAMED:/x"

# ---- the other engines -------------------------------------------------------

refused "bind of $CONTAINERD" "$(engine_re containerd "$CONTAINERD")" \
	--bind "$CONTAINERD:/x"
refused "bind of $PODMAN" "$(engine_re podman "$PODMAN")" --bind "$PODMAN:/x"

# ---- the environment ---------------------------------------------------------

refused "--env DOCKER_HOST=unix://$DOCKER" "refusing --env DOCKER_HOST" \
	--env "DOCKER_HOST=unix://$DOCKER"
refused "--env CONTAINER_HOST=unix://$PODMAN" "refusing --env CONTAINER_HOST" \
	--env "CONTAINER_HOST=unix://$PODMAN"

# DOCKER_HOST in ward's own environment makes that socket an engine's.
started "control: $OTHER (no engine name) can be bound" --bind "$OTHER:/x"
WARD_PREFIX=(env "DOCKER_HOST=unix://$OTHER")
refused "DOCKER_HOST in ward's environment names $OTHER" \
	"it is the docker API socket $OTHER" --bind "$OTHER:/x"
probe_in -- env
expect_no_match "DOCKER_HOST in ward's environment does not reach the program" \
	'^DOCKER_HOST=' "$OUT"
WARD_PREFIX=()

# ---- a root image holding the socket -----------------------------------------

TMPDIR=$W fixture_rootfs ROOT || skip_all "cannot build the busybox rootfs"
# shellcheck disable=SC2153 # ROOT is set by fixture_rootfs
if [ "$(stat -c %d "$ROOT")" != "$(stat -c %d "$DOCKER")" ]; then
	not_ok "the rootfs is on the same filesystem as $DOCKER (for a hard link)" \
		"$(df "$ROOT" /run 2>&1)"
fi
rootfs_refused() {
	local desc=$1 pattern=$2
	rm -f "$MARKER"
	run_ward run --rootfs "$ROOT" --bind "$SPOOL:/data:rw" -- /probe write /data/marker started
	if [ "$RC" = 201 ] && engine_error_line "$pattern"; then
		ok "$desc: exit 201, one 'ward: engine-socket:' line naming it"
	else
		not_ok "$desc: exit 201, one 'ward: engine-socket:' line naming it" \
			"expected exit 201 and one stderr line matching: $pattern" "$(last_run)"
	fi
	if [ ! -e "$MARKER" ]; then
		ok "$desc: nothing started"
	else
		not_ok "$desc: nothing started" "the command ran: $MARKER exists" "$(last_run)"
	fi
}

rm -f "$MARKER"
run_ward run --rootfs "$ROOT" --bind "$SPOOL:/data:rw" -- /probe write /data/marker started
if [ "$RC" = 0 ] && [ "$(cat "$MARKER" 2>/dev/null)" = started ]; then
	ok "control: the busybox rootfs runs the marker command"
else
	not_ok "control: the busybox rootfs runs the marker command" "$(last_run)"
fi

ln "$DOCKER" "$ROOT/run/docker.sock"
rootfs_refused "--rootfs with a hard link at run/docker.sock" \
	"refusing --rootfs holding $ROOT/run/docker\\.sock: (it is the docker API socket $DOCKER|a socket named docker\\.sock is a docker API socket);"
rm -f "$ROOT/run/docker.sock"

touch "$ROOT/home/app/engine"
if mount --bind "$DOCKER" "$ROOT/home/app/engine"; then
	rootfs_refused "--rootfs with $DOCKER bind-mounted at home/app/engine" \
		"$ROOT/home/app/engine.*docker API socket $DOCKER"
	umount "$ROOT/home/app/engine"
else
	not_ok "mount --bind $DOCKER into the rootfs"
fi

# ---- profiles ----------------------------------------------------------------

started "control: $EXTRA can be bound without a profile" --bind "$EXTRA:/x"
P_EXTRA=$(profile extra "engine-socket $EXTRA")
refused "an 'engine-socket $EXTRA' profile line" \
	"it is the engine-socket API socket $EXTRA" --profile "$P_EXTRA" --bind "$EXTRA:/x"

P_ALLOW=$(profile allow "# Docker-in-Docker, reviewed" "allow-engine-socket docker")
probe_in --profile "$P_ALLOW" --bind "$DOCKER:$DOCKER" -- connect-unix "$DOCKER"
expect_out "allow-engine-socket docker: the socket is reachable inside" "ok"
warnings=$(grep -c '^ward: WARNING: engine-socket: ' <<<"$ERR")
if [ "$warnings" = 1 ] && grep -Eq "^ward: WARNING: engine-socket: .*$DOCKER" <<<"$ERR"; then
	ok "allow-engine-socket docker: one 'ward: WARNING: engine-socket:' line naming $DOCKER"
else
	not_ok "allow-engine-socket docker: one 'ward: WARNING: engine-socket:' line naming $DOCKER" \
		"$(last_run)"
fi
refused "allow-engine-socket docker does not let containerd in" \
	"$(engine_re containerd "$CONTAINERD")" --profile "$P_ALLOW" --bind "$CONTAINERD:/x"

rm -f "$MARKER"
run_ward run --allow-engine-socket docker --bind "$PROBE:/probe" \
	--bind "$SPOOL:/spool:rw" --bind "$DOCKER:/x" -- /probe write /spool/marker started
if [ "$RC" = 125 ] && [ ! -e "$MARKER" ] &&
	grep -q 'allow-engine-socket is accepted only in a profile' <<<"$ERR"; then
	ok "--allow-engine-socket on the command line: exit 125, nothing started"
else
	not_ok "--allow-engine-socket on the command line: exit 125, nothing started" "$(last_run)"
fi

# A socket named as an engine's, deeper in a bound tree, with no engine
# process behind it (systemd may hold it for a socket-activated engine).
fixture_dir NAMED 755 || not_ok "a directory for a named socket"
mkdir -p "$NAMED/sub"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$NAMED/sub/docker.sock"
refused "a socket named docker.sock deeper in a bound directory" \
	"which holds [^ ]*/sub/docker.sock: a socket named docker.sock is a docker API socket" \
	--bind "$NAMED:/x"

tap_done
