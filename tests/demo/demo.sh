#!/bin/bash
# The teaching demo: privilege reduction, one layer at a time.
#
#	tests/demo/demo.sh build/ward        (make demo)
#
# The observer is `ward probe`, which reports what the process running it
# can do.  It runs first as you started it, then under `ward run` with one
# more layer switched on at each stage.  Every value in the tables below
# is read from the probe's output; nothing is typed in by hand.
#
# ward has no option to turn off its user, mount, pid, uts, ipc and cgroup
# namespaces, the identity change, the capability drop, no_new_privs or
# the read-only root: they all arrive together in stage B.  The seccomp
# filter and the private network can be turned off, so they get stages of
# their own (C and D).  Stage E shows the engine-socket guard refusing a
# Docker-style socket.
#
# Exits non-zero when any stage does not show what it should.
set -u

WARD=${1:-build/ward}
case $WARD in /*) ;; *) WARD=$PWD/$WARD ;; esac
if [ ! -x "$WARD" ]; then
	echo "demo: $WARD is not an executable (run make first)" >&2
	exit 2
fi

FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ward-demo.XXXXXX") || exit 1
LISTENER=""
cleanup() {
	[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
chmod 755 "$TMP"

# ---- helpers -----------------------------------------------------------------

# field FILE KEY: the value of the "KEY: value" line of a probe report.
field() {
	sed -n "s/^$2: //p" "$1" | head -n 1
}

# probe_as NAME CMD...: run CMD (which runs `ward probe`), keep its report
# in $TMP/NAME.txt, and show the command and the report's summary line.
probe_as() {
	local name=$1
	shift
	printf '$ %s\n' "$*"
	if ! "$@" >"$TMP/$name.txt" 2>"$TMP/$name.err"; then
		echo "demo: FAILED: the probe did not run:" >&2
		cat "$TMP/$name.err" >&2
		FAILED=1
		return 1
	fi
	printf '  %s\n' "$(field "$TMP/$name.txt" summary)"
}

# Values a row can show, each computed from one report.
v_uid() { field "$1" uid | cut -d' ' -f1; }
v_caps() { field "$1" capabilities; }
v_nnp() { field "$1" no_new_privs; }
v_seccomp() { field "$1" seccomp | cut -d' ' -f1; }
v_rootw() { [ "$(field "$1" root_read_only)" = yes ] && echo no || echo yes; }
v_etc() { field "$1" write_etc | sed 's/ (created and removed a file)//'; }
v_userns() { field "$1" ns_user | sed 's/^[0-9]* //; s/,.*//'; }
v_netns() { field "$1" ns_net | sed 's/^[0-9]* //'; }
v_pid1() { field "$1" pid1_visible; }
v_host() { field "$1" hostname; }
v_net() { field "$1" network; }
v_engine() { field "$1" engine | sed 's/^engine socket //; s/:.*//'; }
# the count, and the mount points when there are few
v_mounts() {
	local n
	n=$(field "$1" writable_mounts_count)
	if [ "$n" -le 5 ] 2>/dev/null; then
		echo "$n ($(field "$1" writable_mounts))"
	else
		echo "$n"
	fi
}

# row LABEL V BEFORE AFTER: one "label  before -> after" line.
row() {
	printf '  %-16s %s -> %s\n' "$1" "$("$2" "$TMP/$3.txt")" "$("$2" "$TMP/$4.txt")"
}

# expect DESC V REPORT WANTED: the stage must show WANTED, or the demo fails.
expect() {
	local got
	got=$("$2" "$TMP/$3.txt")
	if [ "$got" != "$4" ]; then
		echo "demo: FAILED: $1: expected '$4', the probe says '$got'" >&2
		FAILED=1
	fi
}

stage() { printf '\n=== %s ===\n' "$1"; }

# In a rootless launch, supplementary groups cannot be dropped, and ward
# refuses to start rather than pretend; say so and keep them.
RUN=("$WARD" run)
if [ "$(id -u)" != 0 ] && [ "$(id -G | wc -w)" -gt 1 ]; then
	echo "note: you have supplementary groups, which an unprivileged user cannot drop;"
	echo "      the sandboxes below keep them (--groups keep)."
	RUN+=(--groups keep)
fi
# `ward probe` inside the sandbox is this same binary, bound read-only.
IN=(--bind "$WARD:/ward" -- /ward probe)

# A stand-in for a container engine: a listening unix socket named
# docker.sock in a private directory, announced the way clients find
# Docker, through DOCKER_HOST.  Nothing ever talks to it.
SOCK=$TMP/engine/docker.sock
mkdir -m 700 "$TMP/engine"
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(8)
open(sys.argv[2], "w").write("ready\n")
time.sleep(120)' "$SOCK" "$TMP/ready" </dev/null >/dev/null 2>&1 &
LISTENER=$!
for _ in $(seq 50); do [ -s "$TMP/ready" ] && break; sleep 0.1; done
if [ ! -S "$SOCK" ]; then
	echo "demo: FAILED: could not start the stand-in engine socket (python3)" >&2
	exit 1
fi

# ---- A: no sandbox ------------------------------------------------------------

stage "A. the probe as you started it: no sandbox"
probe_as host env DOCKER_HOST="unix://$SOCK" "$WARD" probe
unset DOCKER_HOST

# ---- B: namespaces, identity, capabilities, no_new_privs, read-only root ------

stage "B. ward run, with seccomp off and the host's network"
echo "A new user namespace and uid 10001 (as root, a host id reserved for ward),"
echo "every capability set emptied, no_new_privs, and a root built read-only"
echo "from the host's /usr and /etc."
probe_as b "${RUN[@]}" --seccomp off-i-know --net host "${IN[@]}"
row "uid" v_uid host b
row "capabilities" v_caps host b
row "no_new_privs" v_nnp host b
row "user namespace" v_userns host b
row "pid 1 visible" v_pid1 host b
row "hostname" v_host host b
row "root writable" v_rootw host b
row "write in /etc" v_etc host b
row "writable mounts" v_mounts host b
row "seccomp" v_seccomp host b
row "network" v_net host b
expect "stage B uid" v_uid b 10001
expect "stage B capabilities" v_caps b none
expect "stage B no_new_privs" v_nnp b yes
expect "stage B user namespace" v_userns b private
expect "stage B root writable" v_rootw b no
expect "stage B seccomp (still off)" v_seccomp b off

# ---- C: + seccomp ---------------------------------------------------------------

stage "C. + the default seccomp filter"
echo "Syscalls outside an allowlist now fail: mount, unshare, bpf, ptrace, ..."
probe_as c "${RUN[@]}" --net host "${IN[@]}"
row "seccomp" v_seccomp b c
expect "stage C seccomp" v_seccomp c filter

# ---- D: + private network ---------------------------------------------------------

stage "D. + a private network namespace (ward's default: --net loopback)"
echo "This is plain \`ward run\`: every layer on."
probe_as d "${RUN[@]}" "${IN[@]}"
row "network" v_net c d
row "net namespace" v_netns c d
expect "stage D network" v_net d "loopback only"
expect "stage D seccomp" v_seccomp d filter

# ---- E: the engine-socket guard ---------------------------------------------------

stage "E. binding a Docker socket into the sandbox"
echo "A container engine's socket inside a sandbox is root on the host:"
echo "ward refuses the bind before anything starts."
printf '$ %s\n' "${RUN[*]} --bind $SOCK:/run/docker.sock ${IN[*]}"
"${RUN[@]}" --bind "$SOCK:/run/docker.sock" "${IN[@]}" >"$TMP/e.txt" 2>"$TMP/e.err"
rc=$?
sed 's/^/  /' "$TMP/e.err"
echo "  exit status: $rc"
printf '  %-16s %s -> %s\n' "engine socket" "$(v_engine "$TMP/host.txt")" \
	"refused (exit $rc)"
if [ "$rc" != 201 ] || ! grep -q '^ward: engine-socket: ' "$TMP/e.err" ||
	[ -s "$TMP/e.txt" ]; then
	echo "demo: FAILED: stage E: expected exit 201, a 'ward: engine-socket:' line and no probe output" >&2
	FAILED=1
fi
case $(field "$TMP/host.txt" engine) in
"engine socket reachable:"*"$SOCK"*) ;;
*)
	echo "demo: FAILED: stage A should reach the stand-in socket $SOCK" >&2
	FAILED=1
	;;
esac

# ---- the whole picture ----------------------------------------------------------

stage "before and after"
printf '  no sandbox: %s\n' "$(field "$TMP/host.txt" summary)"
printf '  ward run:   %s\n' "$(field "$TMP/d.txt" summary)"
echo
echo "The full reports: \`$WARD probe\` and"
echo "\`$WARD run --bind $WARD:/ward -- /ward probe\` (add --json for JSON)."

if [ "$FAILED" != 0 ]; then
	echo "demo: some stage did not show what it should (see FAILED above)" >&2
	exit 1
fi
