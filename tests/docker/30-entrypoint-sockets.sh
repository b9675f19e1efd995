#!/bin/bash
# ward as the ENTRYPOINT of a real container, on a private engine
# (tests/lib/docker.sh), with host directories mounted in as operators do:
# one holding that very engine's socket under a non-engine name (a hard
# link, made reachable by the program's user as a docker-group member's
# would be) is refused, from the socket's answer to GET /_ping; one holding
# a harmless socket that answers something else starts; a silent one is
# refused unless the profile lists it with allow-socket.
#
#	tests/lib/run-integration.sh build/ward-static build/probe tests/docker/30-entrypoint-sockets.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"
# shellcheck source=tests/lib/docker.sh
. "$here/../lib/docker.sh"

[ "$(id -u)" = 0 ] || skip_all "a private Docker engine needs root"
[ -x /usr/bin/python3 ] || skip_all "python3 is missing (package python3)"
phdrs=$(readelf -lW "$WARD" 2>&1) || skip_all "readelf cannot read $WARD: $phdrs"
if grep -q '^ *INTERP ' <<<"$phdrs"; then
	skip_all "$WARD is not a static binary: run this file with build/ward-static"
fi
docker_start || bail_out "the private Docker engine starts: $DOCKER_WHY"

fixture_dir CTX 755 || bail_out "no temp dir"
base=$CTX/base
mkdir -p "$base"/{bin,etc,tmp,usr/local/bin,etc/ward}
cp /bin/busybox "$base/bin/busybox"
for t in sh true; do ln -s busybox "$base/bin/$t"; done
cp "$WARD" "$base/usr/local/bin/ward"
cp "$PROBE" "$base/usr/local/bin/probe"
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'app:x:10001:10001:app:/:/bin/sh' >"$base/etc/passwd"
printf '%s\n' 'root:x:0:' 'app:x:10001:' >"$base/etc/group"
printf '%s\n' "ward-profile 1" "mode entrypoint" "user app" >"$base/etc/ward/app.profile"
printf '%s\n' "ward-profile 1" "mode entrypoint" "user app" "allow-socket /host/quiet.sock" \
	>"$base/etc/ward/allow.profile"
chmod 644 "$base"/etc/ward/*.profile
chmod 1777 "$base/tmp"
docker_import ward-t-sockets "$base" || bail_out "docker import failed"

# drun PROFILE DIR: the image with DIR mounted at /host, ward as entrypoint.
drun() {
	run_cmd "${DK[@]}" run --rm --network none -v "$2:/host" \
		--entrypoint /usr/local/bin/ward ward-t-sockets \
		run --profile "/etc/ward/$1.profile" -- /usr/local/bin/probe id
}

# The engine's own socket, hard-linked under a name no engine uses.
fixture_dir ENGINE 755 || bail_out "no temp dir"
ln "$(docker_socket)" "$ENGINE/api.sock" || bail_out "hard link of the engine's socket"
chmod 666 "$ENGINE/api.sock"
run_cmd curl -s --max-time 5 --unix-socket "$ENGINE/api.sock" http://x/_ping
expect_out "control: the link answers /_ping" "OK"
drun app "$ENGINE"
expect_rc "-v DIR:/host, DIR holding the engine's socket as api.sock: refused" 201
expect_match "... from its answer to /_ping" \
	"the socket at /host/api.sock \([^ ]*/${ENGINE##*/}/api.sock in the mount's source\) answered Docker's /_ping" "$ERR"

fixture_dir HARMLESS 755 || bail_out "no temp dir"
/usr/bin/python3 "$here/../lib/socket-server.py" hello "$HARMLESS/app.sock" >"$TAP_TMP/hello.out" 2>&1 &
disown $!
tap_cleanup kill -KILL $!
wait_for_line "$TAP_TMP/hello.out" '^listening' 10 || not_ok "the harmless server starts"
drun app "$HARMLESS"
expect_rc "-v DIR:/host, DIR holding a socket that answers something else: starts" 0
expect_out_match "... and the program runs as app" '^uid=10001/'

fixture_dir QUIET 755 || bail_out "no temp dir"
/usr/bin/python3 "$here/../lib/socket-server.py" silent "$QUIET/quiet.sock" >"$TAP_TMP/quiet.out" 2>&1 &
disown $!
tap_cleanup kill -KILL $!
wait_for_line "$TAP_TMP/quiet.out" '^listening' 10 || not_ok "the silent server starts"
drun app "$QUIET"
expect_rc "-v DIR:/host, DIR holding a silent socket: refused" 201
drun allow "$QUIET"
expect_rc "... listed with allow-socket in the profile: starts" 0

tap_done
