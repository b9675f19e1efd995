#!/bin/bash
# A real dockerd also listening on TCP (-H tcp://127.0.0.1:PORT, a private
# daemon as tests/lib/docker.sh starts it): `ward run --net host` is
# refused, naming dockerd and its pid, unless --tcp-connect leaves that
# port out; --net loopback never looks.  The daemon is stopped at exit.
#
#	tests/lib/run-integration.sh build/ward-static build/probe tests/docker/20-engine-tcp.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/docker.sh
. "$here/../lib/docker.sh"

[ "$(id -u)" = 0 ] || skip_all "a private Docker engine needs root"
command -v python3 >/dev/null || skip_all "python3 is missing (package python3)"
# A free port on 127.0.0.1, chosen by the kernel.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DOCKER_EXTRA_ARGS=(-H "tcp://127.0.0.1:$PORT")
docker_start || bail_out "the private Docker engine starts: $DOCKER_WHY"
DOCKERD=$(cat "$DOCKER_DIR/dockerd.pid")
run_cmd curl -s --max-time 5 "http://127.0.0.1:$PORT/_ping"
expect_out "control: the engine answers /_ping on 127.0.0.1:$PORT" "OK"

run_ward run --net host -- /bin/true
expect_rc "--net host with dockerd on TCP: refused" 201
expect_match "... naming dockerd, its pid and the address" \
	"dockerd \(pid $DOCKERD\) listens on TCP 127\.0\.0\.1:$PORT, the docker engine's API" "$ERR"
run_ward run --net host --tcp-connect "$PORT" -- /bin/true
expect_rc "--tcp-connect $PORT lets it in: refused" 201
run_ward run --net host --tcp-connect 443 -- /bin/true
expect_rc "--tcp-connect 443 leaves $PORT out: starts" 0
run_ward run --bind "$PROBE:/probe" --net host --tcp-connect 443 -- /probe connect-tcp "$PORT"
expect_out "... and the program cannot connect to $PORT (Landlock)" "errno=EACCES"
run_ward check --net host --tcp-connect 443
expect_out_match "check: the engine on TCP rated out of reach" \
	"^engine\.tcp +ok .*docker engine.s API on TCP 127\.0\.0\.1:$PORT is out of reach"
run_ward run --net loopback -- /bin/true
expect_rc "--net loopback: its own network namespace, starts" 0

tap_done
