#!/bin/bash
# Engines known by who listens: a real, private dockerd (tests/lib/docker.sh,
# with its own containerd) listens on a random socket path that neither the
# path table nor the socket names know.  Refused, naming dockerd and its
# pid: a bind of the socket's directory, of its parent, of a hard link (alone
# and in a directory), of a symlink, of a /proc/self/root/... path, and a
# --rootfs holding a hard link; a bind of the containerd socket's directory
# under the exec root names containerd.  A harmless listener in the same
# tree can still be bound alone and is reached inside.  As the unprivileged
# test user, dockerd's socket made accessible to that user's group is found
# too (through SO_PEERCRED: the user cannot read dockerd's descriptors),
# and so is a listener in another network namespace, which sock_diag does
# not see.  A tree past the walk's bounds is refused while an engine runs.
# `ward probe` lists the listeners; `ward check` names one that a profile
# lets in.  The daemon is stopped at exit.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"
# shellcheck source=tests/lib/docker.sh
. "$here/../lib/docker.sh"

[ "$(id -u)" = 0 ] || skip_all "a private Docker engine needs root"
tap_require_userns
command -v python3 >/dev/null || skip_all "python3 is missing (package python3)"
unset DOCKER_HOST CONTAINER_HOST CONTAINERD_ADDRESS BUILDKIT_HOST


docker_start "srv/x$RANDOM/api-$RANDOM.sock" ||
	bail_out "the private Docker engine starts: $DOCKER_WHY"
SOCK=$(docker_socket)
X=${SOCK%/*}
SRV=${X%/*}
DPID=$(cat "$DOCKER_DIR/dockerd.pid")
CSOCK=$DOCKER_DIR/exec/containerd/containerd.sock
CPID=$(pgrep -f -- "--config $DOCKER_DIR/exec/containerd/containerd.toml" | head -n 1)
if [ -S "$SOCK" ] && [ -S "$CSOCK" ] && [ -n "$DPID" ] && [ -n "$CPID" ]; then
	ok "a private dockerd (pid $DPID) on $SOCK, its containerd (pid $CPID) on $CSOCK"
else
	bail_out "dockerd's and containerd's sockets: $(find "$DOCKER_DIR/exec" "$SRV" -type s 2>&1)"
fi
chmod 755 "$DOCKER_DIR" "$SRV" "$X"

# A harmless listener in the same tree, held by a python process.
APP=$SRV/app/app.sock
W=$TAP_TMP
cat >"$W/listen.py" <<'EOF'
import os, socket, sys, time
os.makedirs(os.path.dirname(sys.argv[2]), exist_ok=True)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[2])
s.listen(64)
os.chmod(sys.argv[2], 0o666)
with open(sys.argv[1], "w") as f:
    f.write("ready\n")
while True:
    conn, _ = s.accept()
    conn.close()
EOF
python3 "$W/listen.py" "$W/ready" "$APP" </dev/null >"$W/listen.log" 2>&1 &
LISTENER=$!
disown "$LISTENER"
tap_cleanup kill -KILL "$LISTENER"
wait_for_line "$W/ready" '^ready$' 10 || bail_out "python listener: $(cat "$W/listen.log")"

fixture_dir SPOOL 777 || bail_out "cannot create a directory"
MARKER=$SPOOL/marker

# shellcheck source=tests/lib/engine-verdicts.sh
. "$here/../lib/engine-verdicts.sh"

re() { printf '%s' "${1//./\\.}"; }
BY_DOCKERD="the docker API socket [^ ]+ \\(dockerd, pid $DPID, listens on it\\)"

# ---- root ----------------------------------------------------------------------

refused "bind of the socket's directory" \
	"refusing bind of $(re "$X"): it contains $BY_DOCKERD" --bind "$X:/host"
refused "bind of its parent" \
	"refusing bind of $(re "$SRV"): it contains $BY_DOCKERD" --bind "$SRV:/host"
refused "bind of the socket itself" \
	"refusing bind of $(re "$SOCK"): it is $BY_DOCKERD" --bind "$SOCK:/x"

ln "$SOCK" "$W/e"
refused "bind of a hard link (another name, another directory)" \
	"refusing bind of $(re "$W/e"): it is $BY_DOCKERD" --bind "$W/e:/x"
mkdir "$W/hl" && ln "$SOCK" "$W/hl/innocent"
refused "bind of a directory holding a hard link" \
	"refusing bind of $(re "$W/hl"): it contains $BY_DOCKERD" --bind "$W/hl:/x"
ln -s "$SOCK" "$W/link"
refused "bind through a symlink" "$BY_DOCKERD" --bind "$W/link:/x"
refused "bind of /proc/self/root$X" \
	"refusing bind of $(re "$X"): it contains $BY_DOCKERD" --bind "/proc/self/root$X:/host"

TMPDIR=$W fixture_rootfs ROOT || bail_out "cannot build the busybox rootfs"
# shellcheck disable=SC2153 # ROOT is set by fixture_rootfs
ln "$SOCK" "$ROOT/home/app/innocent"
rm -f "$MARKER"
run_ward run --rootfs "$ROOT" --bind "$SPOOL:/data:rw" -- /probe write /data/marker started
if [ "$RC" = 201 ] && [ ! -e "$MARKER" ] &&
	grep -Eq "^ward: engine-socket: refusing --rootfs $(re "$ROOT"): it contains $BY_DOCKERD" <<<"$ERR"; then
	ok "--rootfs holding a hard link: refused (201), naming dockerd"
else
	not_ok "--rootfs holding a hard link: refused (201), naming dockerd" "$(last_run)"
fi
rm -f "$ROOT/home/app/innocent"

refused "bind of the containerd socket's directory under the exec root" \
	"it contains the containerd API socket [^ ]+ \\(containerd, pid $CPID, listens on it\\)" \
	--bind "${CSOCK%/*}:/x"

# sock_diag answers for ward's own network namespace only, and a rootless
# dockerd listens inside RootlessKit's: the probe, copied under the name
# dockerd, listens from a new network namespace (unshare -n), and is found
# by connecting to its socket and asking SO_PEERCRED.
mkdir -p "$W/fake" "$W/netns"
cp "$PROBE" "$W/fake/dockerd"
unshare -n "$W/fake/dockerd" listen-unix "$W/netns/api.sock" >"$W/fake.out" 2>&1 </dev/null &
FAKE=$!
disown "$FAKE"
tap_cleanup kill -KILL "$FAKE"
wait_for_line "$W/fake.out" '^listening$' 10 || bail_out "a listener in a new network namespace: $(cat "$W/fake.out")"
refused "a dockerd listening from another network namespace" \
	"refusing bind of $(re "$W/netns"): it contains the docker API socket [^ ]+ \\(dockerd, pid $FAKE, listens on it\\)" \
	--bind "$W/netns:/x"

started "a harmless listener in the same tree, bound alone" --bind "${APP%/*}:/app"
probe_in --bind "${APP%/*}:/app" -- connect-unix /app/app.sock
expect_out "...and reached inside (connect-unix)" "ok"

# A walk that reaches its bound cannot tell, and refuses (an engine runs).
python3 - "$W/deep" "$W/wide" <<'EOF'
import os, sys
d = sys.argv[1]
for _ in range(130):
    d = os.path.join(d, "d")
os.makedirs(d)
os.makedirs(sys.argv[2])
for i in range(100001):
    open(os.path.join(sys.argv[2], "f%d" % i), "w").close()
EOF
refused "a tree 130 directories deep, while an engine runs" \
	"refusing bind of $(re "$W/deep"): directories nest deeper than 128 beneath it while an engine runs; ward cannot tell" \
	--bind "$W/deep:/x"
refused "a directory of 100001 entries, while an engine runs" \
	"refusing bind of $(re "$W/wide"): more than 100000 entries beneath it while an engine runs \\(bind a smaller directory\\); ward cannot tell" \
	--bind "$W/wide:/x"
rm -rf "$W/deep" "$W/wide"

# ---- what ward probe and ward check report -------------------------------------

run_ward probe --json
if [ "$RC" = 0 ] && python3 -c '
import json, sys
p = json.loads(sys.stdin.read())
ls = p["engine_sockets"]["listeners"]
want = {(sys.argv[1], int(sys.argv[2]), "dockerd", "docker"),
        (sys.argv[3], int(sys.argv[4]), "containerd", "containerd")}
have = {(l["path"], l["pid"], l["exe"], l["engine"]) for l in ls}
sys.exit(0 if want <= have and p["schema_version"] == 2 else 1)' \
	"$SOCK" "$DPID" "$CSOCK" "$CPID" <<<"$OUT"; then
	ok "ward probe --json lists dockerd's and containerd's listeners"
else
	not_ok "ward probe --json lists dockerd's and containerd's listeners" "$(last_run)"
fi
run_ward probe
expect_match "ward probe names dockerd's socket" \
	"^engine_listener: $(re "$SOCK") dockerd pid $DPID \\(docker\\)" "$OUT"

run_ward check --bind "${APP%/*}:/app"
expect_match "ward check: a bound socket no engine listens on is an ok row" \
	"^engine-socket +ok .*1 socket file in the binds and root, none an engine's" "$OUT"

fixture_trusted_dir PD || bail_out "$FIXTURE_WHY"
printf '%s\n' "ward-profile 1" "allow-engine-socket docker" >"$PD/allow.profile"
chmod 644 "$PD/allow.profile"
run_ward check --profile "$PD/allow.profile" --bind "$X:/host"
expect_match "ward check: an allowed listener is a CRITICAL row naming dockerd" \
	"^engine-socket +RISK .*dockerd \\(pid $DPID\\) listens on $(re "$SOCK")" "$OUT"

# ---- rootless --------------------------------------------------------------------

fixture_test_user || bail_out "$FIXTURE_WHY"
fixture_user_bins || bail_out "cannot copy ward for the test user"
fixture_user_prefix
WARD_SAVED=$WARD
WARD=$WARD_U
chmod 777 "$SPOOL"
# Only the socket's mode keeps the user out: not reachable, so not refused.
started "rootless: a socket the user cannot connect to is passed over" --bind "$X:/host"
chgrp "$WARD_TEST_UID" "$SOCK" && chmod 660 "$SOCK"
refused "rootless: dockerd's socket, reachable through the user's group" \
	"refusing bind of $(re "$X"): it contains $BY_DOCKERD" --bind "$X:/host"
# An engine the user started itself (a rootless dockerd's shape: its own
# uid, a socket in a directory of its own, any name).
mkdir -p "$W/own" && chown "$WARD_TEST_UID:$WARD_TEST_UID" "$W/own"
cp "$PROBE" "$W/own/dockerd" && chmod 755 "$W/own/dockerd"
setpriv --reuid="$WARD_TEST_UID" --regid="$WARD_TEST_UID" --clear-groups -- \
	"$W/own/dockerd" listen-unix "$W/own/api.sock" >"$W/own.out" 2>&1 </dev/null &
OWN=$!
disown "$OWN"
tap_cleanup kill -KILL "$OWN"
wait_for_line "$W/own.out" '^listening$' 10 || bail_out "the user's own listener: $(cat "$W/own.out")"
refused "rootless: an engine the user started itself, under any name" \
	"refusing bind of $(re "$W/own"): it contains the docker API socket [^ ]+ \\(dockerd, pid $OWN, listens on it\\)" \
	--bind "$W/own:/x"
WARD=$WARD_SAVED
WARD_PREFIX=()

tap_done
