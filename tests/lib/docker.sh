# shellcheck shell=bash
# A private Docker engine for the tests that need real containers.  Source
# after tap.sh.  The daemon has its own data root, exec root, pid file and
# unix socket in a temporary directory, no bridge and no iptables rules; it
# is stopped and its directory removed by tap.sh's exit trap.  Containers
# must run with --network none (or host): there is no bridge network.
#
#	docker_start [SOCKET] || bail_out "$DOCKER_WHY"   (SOCKET: a path
#	                      relative to DOCKER_DIR, default docker.sock)
#	dk run --rm --network none IMAGE ...        (dk = docker on that socket)
#	docker_import NAME DIR                      (an image from a directory)
#
# DOCKER_EXTRA_ARGS (an array), set before docker_start, adds options to
# the daemon's command line (e.g. -H tcp://127.0.0.1:PORT).

DOCKER_WHY=""
DOCKER_DIR=""
DOCKER_SOCK=""

# The client that came with the daemon (docker.io), else any on PATH.
_docker_client() {
	if [ -x /usr/bin/docker ]; then
		echo /usr/bin/docker
	else
		command -v docker
	fi
}

# dk ARGS...: the docker client talking to the private daemon only.
# DK is the same as an array, for run_cmd (which cannot run functions).
DK=()
dk() {
	"$(_docker_client)" -H "unix://$DOCKER_SOCK" "$@"
}

_docker_install() {
	command -v dockerd >/dev/null && return 0
	if [ "$(id -u)" != 0 ]; then
		DOCKER_WHY="dockerd is missing; run: apt-get install docker.io"
		return 1
	fi
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq docker.io; } >/dev/null 2>&1 || {
		DOCKER_WHY="apt-get install docker.io failed"
		return 1
	}
}

_docker_stop() {
	local pid i
	[ -n "$DOCKER_DIR" ] && [ -d "$DOCKER_DIR" ] || return 0
	dk ps -aq 2>/dev/null | xargs -r "$(_docker_client)" \
		-H "unix://$DOCKER_SOCK" rm -f >/dev/null 2>&1
	pid=$(cat "$DOCKER_DIR/dockerd.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	for i in $(seq 80); do
		[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
		sleep 0.25
	done
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	# Whatever the daemon left mounted under its directory.
	grep -o "$DOCKER_DIR[^ ]*" /proc/self/mounts 2>/dev/null | sort -r |
		xargs -r -n1 umount -l 2>/dev/null
	rm -rf "$DOCKER_DIR"
}

# docker_start [SOCKET]: install docker.io if needed and start the private
# daemon, listening on DOCKER_DIR/SOCKET (default docker.sock; its
# directories are created).  On failure DOCKER_WHY holds the reason and
# the end of the daemon's log.
docker_start() {
	local i
	[ "$(id -u)" = 0 ] || { DOCKER_WHY="a private dockerd needs root"; return 1; }
	_docker_install || return 1
	# A short path: the socket's name must fit in sun_path.
	DOCKER_DIR=$(mktemp -d /tmp/ward-dk.XXXXXX) || {
		DOCKER_WHY="mktemp failed"
		return 1
	}
	chmod 700 "$DOCKER_DIR"
	DOCKER_SOCK=$DOCKER_DIR/${1:-docker.sock}
	mkdir -p "$(dirname "$DOCKER_SOCK")"
	DK=("$(_docker_client)" -H "unix://$DOCKER_SOCK")
	tap_cleanup _docker_stop
	dockerd --data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" \
		--pidfile "$DOCKER_DIR/dockerd.pid" -H "unix://$DOCKER_SOCK" \
		--bridge=none --iptables=false --ip6tables=false --ip-masq=false \
		"${DOCKER_EXTRA_ARGS[@]}" >"$DOCKER_DIR/dockerd.log" 2>&1 </dev/null &
	for i in $(seq 120); do
		dk info >/dev/null 2>&1 && return 0
		kill -0 $! 2>/dev/null || break
		sleep 0.25
	done
	DOCKER_WHY="the private dockerd did not start; its log ends: $(tail -n 15 "$DOCKER_DIR/dockerd.log" | tr '\n' '|')"
	return 1
}

# docker_socket: the private daemon's socket path (to mount into a
# container, as operators do with /var/run/docker.sock).
docker_socket() {
	echo "$DOCKER_SOCK"
}

# docker_import NAME DIR: an image named NAME whose only layer is DIR.
docker_import() {
	tar -C "$2" --numeric-owner -cf - . | dk import - "$1" >/dev/null
}
