#!/bin/bash
# The teaching demo: privilege reduction, one layer at a time.
#
#	tests/demo/demo.sh build/ward        (make demo)
#
# The observer is `ward probe`, which reports what the process running it
# can do.  It runs first as you started it, then under `ward run` with one
# more layer switched on at each stage.  Every value in the tables below
# is read from the probe's output; nothing is typed in by hand.  Each
# layer is also shown from the inside: a call it refuses, with its errno.
#
# ward has no option to turn off its user, mount, pid, uts, ipc and cgroup
# namespaces, the identity change, the capability drop, no_new_privs, the
# read-only root or the /proc masks: they all arrive together in stage B.
# The seccomp filter and the private network can be turned off, so they
# get stages of their own (C and D); then the masked /proc (E), resource
# limits (F), secrets (G), Landlock (H, in entrypoint mode, where it
# stands in for the read-only root; the "container" is a ward sandbox,
# since entrypoint mode on a host with a container engine's socket
# refuses to start) and the engine-socket guard (I).
#
# The commands run in a scratch directory holding a copy of ward, found
# through PATH, so that they read as you would type them and fit in 80
# columns.  Exits non-zero when any stage does not show what it should.
set -u

WARD=${1:-build/ward}
case $WARD in /*) ;; *) WARD=$PWD/$WARD ;; esac
if [ ! -x "$WARD" ]; then
	echo "demo: $WARD is not an executable (run make first)" >&2
	exit 2
fi

START=$(date +%s)
FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ward-demo.XXXXXX") || exit 1
LISTENER=""
cleanup() {
	[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
chmod 755 "$TMP"
cp "$WARD" "$TMP/ward" || exit 1
cd "$TMP" || exit 1
PATH=$TMP:$PATH

# ---- helpers -----------------------------------------------------------------

# field FILE KEY: the value of the "KEY: value" line of a probe report.
field() {
	sed -n "s/^$2: //p" "$1" | head -n 1
}

# wrap: the scratch directory as $PWD, indented by two and folded at 78
# columns, on spaces where it can.
wrap() {
	sed "s#$TMP#\$PWD#g" | fold -s -w 76 | sed 's/ *$//; s/^/  /'
}

# say TEXT: the command as typed (the scratch directory is its cwd).
say() {
	printf '$ %s\n' "$1"
}

# probe_as NAME CMD...: run CMD (which runs `ward probe`), keep its report
# in $NAME.txt, and show the command and the report's summary line.
probe_as() {
	local name=$1
	shift
	say "$*"
	if ! "$@" >"$name.txt" 2>"$name.err"; then
		echo "demo: FAILED: the probe did not run:" >&2
		cat "$name.err" >&2
		FAILED=1
		return 1
	fi
	field "$name.txt" summary | wrap
}

# inside NAME SHOWN CMD...: run CMD, shown as SHOWN; its output (stdout and
# stderr) is kept in $NAME.out, shown indented, and its exit status in RC.
inside() {
	local name=$1
	say "$2"
	shift 2
	"$@" >"$name.out" 2>&1 </dev/null
	RC=$?
	wrap <"$name.out"
}

# Values a row can show, each computed from one report.
v_uid() { field "$1" uid | cut -d' ' -f1; }
# "37 of 41 (all but cap_a,cap_b,...)" where a container withholds some:
# cut to keep the table in 80 columns
v_caps() {
	local c
	c=$(field "$1" capabilities)
	if [ ${#c} -gt 28 ]; then c="${c:0:25}..."; fi
	printf '%s\n' "$c"
}
v_nnp() { field "$1" no_new_privs; }
v_seccomp() { field "$1" seccomp | cut -d' ' -f1; }
v_rootw() { [ "$(field "$1" root_read_only)" = yes ] && echo no || echo yes; }
v_etc() { field "$1" write_etc | sed 's/ (created and removed a file)//'; }
v_userns() { field "$1" ns_user | sed 's/^[0-9]* //; s/,.*//'; }
v_netns() { field "$1" ns_net | sed 's/^[0-9]* //'; }
v_pid1() { field "$1" pid1_visible; }
v_host() { field "$1" hostname; }
# a long list of host interfaces (veths, bridges) is cut to fit 80 columns
v_net() {
	local n
	n=$(field "$1" network)
	if [ ${#n} -gt 28 ]; then n="${n:0:25}..."; fi
	printf '%s\n' "$n"
}
v_engine() { field "$1" engine | sed 's/^engine socket //; s/:.*//'; }
# inherited descriptors above 2: how many
v_fds() {
	local f
	f=$(field "$1" fds)
	case $f in "none above 2" | "") echo none ;; *) awk -F', ' '{print NF}' <<<"$f" ;; esac
}
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
	printf '  %-16s %s -> %s\n' "$1" "$("$2" "$3.txt")" "$("$2" "$4.txt")"
}

# expect DESC V REPORT WANTED: the stage must show WANTED, or the demo fails.
expect() {
	local got
	got=$("$2" "$3.txt")
	if [ "$got" != "$4" ]; then
		echo "demo: FAILED: $1: expected '$4', the probe says '$got'" >&2
		FAILED=1
	fi
}

# expect_out DESC NAME RC ERE: inside's run NAME exited RC and printed a
# line matching ERE.
expect_out() {
	if [ "$RC" != "$3" ] || ! grep -Eq -- "$4" "$2.out"; then
		echo "demo: FAILED: $1: expected exit $3 and a line matching '$4'," \
			"got exit $RC" >&2
		FAILED=1
	fi
}

stage() { printf '\n=== %s ===\n' "$1"; }

# In a rootless launch, supplementary groups cannot be dropped, and ward
# refuses to start rather than pretend; say so and keep them.
RUN=(ward run)
if [ "$(id -u)" != 0 ] && [ "$(id -G | wc -w)" -gt 1 ]; then
	echo "note: you have supplementary groups, which an unprivileged user cannot drop;"
	echo "      the sandboxes below keep them (--groups keep)."
	RUN+=(--groups keep)
fi
# `ward probe` inside the sandbox is this same binary, bound read-only.
IN=(--bind ward:/ward -- /ward probe)

# A stand-in for a container engine: a listening unix socket named
# docker.sock in a private directory, announced the way clients find
# Docker, through DOCKER_HOST.  Nothing ever talks to it.
mkdir -m 700 engine
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(8)
open(sys.argv[2], "w").write("ready\n")
time.sleep(120)' engine/docker.sock ready </dev/null >/dev/null 2>&1 &
LISTENER=$!
for _ in $(seq 50); do [ -s ready ] && break; sleep 0.1; done
if [ ! -S engine/docker.sock ]; then
	echo "demo: FAILED: could not start the stand-in engine socket (python3)" >&2
	exit 1
fi

echo "Every command runs in a scratch directory holding a copy of ward;"
echo "python3 -c '<...>' stands for a few lines of Python (tests/demo/demo.sh)."

# ---- A: no sandbox ------------------------------------------------------------

stage "A. the probe as you started it: no sandbox"
say 'DOCKER_HOST=unix://$PWD/engine/docker.sock ward probe'
DOCKER_HOST=unix://$TMP/engine/docker.sock ward probe >host.txt 2>host.err ||
	{ cat host.err >&2; FAILED=1; }
field host.txt summary | wrap

# ---- B: namespaces, identity, capabilities, no_new_privs, read-only root ------

stage "B. ward run, with seccomp off and the host's network"
echo "A new user namespace and uid 10001 (as root, a host id reserved for ward),"
echo "every capability set emptied, no_new_privs, a root built read-only from"
echo "the host's /usr and /etc, and no inherited descriptor."
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
row "fds above 2" v_fds host b
row "seccomp" v_seccomp host b
row "network" v_net host b
expect "stage B uid" v_uid b 10001
expect "stage B capabilities" v_caps b none
expect "stage B no_new_privs" v_nnp b yes
expect "stage B user namespace" v_userns b private
expect "stage B root writable" v_rootw b no
expect "stage B fds" v_fds b none
expect "stage B seccomp (still off)" v_seccomp b off
echo "From inside, without seccomp, the program may still make namespaces"
echo "of its own, the kernel's largest attack surface for an unprivileged user:"
inside b_unshare "ward run --seccomp off-i-know -- unshare --user id -u" \
	"${RUN[@]}" --seccomp off-i-know -- unshare --user id -u
expect_out "stage B: unshare without seccomp" b_unshare 0 '^65534$'

# ---- C: + seccomp ---------------------------------------------------------------

stage "C. + the default seccomp filter"
echo "Syscalls outside an allowlist now fail: mount, unshare, bpf, ptrace, ..."
probe_as c "${RUN[@]}" --net host "${IN[@]}"
row "seccomp" v_seccomp b c
expect "stage C seccomp" v_seccomp c filter
inside c_unshare "ward run -- unshare --user id -u" "${RUN[@]}" -- unshare --user id -u
expect_out "stage C: unshare refused by seccomp" c_unshare 1 \
	'unshare failed: Operation not permitted'
echo "  (EPERM from the filter: unshare(CLONE_NEWUSER) never reaches the kernel)"

# ---- D: + private network ---------------------------------------------------------

stage "D. + a private network namespace (ward's default: --net loopback)"
echo "This is plain \`ward run\`: every layer on."
probe_as d "${RUN[@]}" "${IN[@]}"
row "network" v_net c d
row "net namespace" v_netns c d
expect "stage D network" v_net d "loopback only"
expect "stage D seccomp" v_seccomp d filter
inside d_connect "ward run -- python3 -c '<connect to 1.1.1.1:53>'" "${RUN[@]}" -- python3 -c '
import errno, socket
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    print("connected")
except OSError as e:
    print("connect: %s (%s)" % (e.strerror, errno.errorcode[e.errno]))'
expect_out "stage D: no route out" d_connect 0 '^connect: .*\((ENETUNREACH|EHOSTUNREACH)\)$'

# ---- E: the masked /proc ------------------------------------------------------------

stage "E. a fresh /proc, with the kernel's secrets masked (part of B)"
echo "Kernel timers, keys and memory are hidden; /proc/sys is read-only."
inside e_host "wc -c </proc/timer_list   # outside" sh -c 'wc -c </proc/timer_list'
inside e_in "ward run -- sh -c 'wc -c </proc/timer_list; echo x >/proc/sys/vm/swappiness'" \
	"${RUN[@]}" -- sh -c 'wc -c </proc/timer_list; echo x >/proc/sys/vm/swappiness'
expect_out "stage E: /proc/timer_list masked" e_in 2 '^0$'
expect_out "stage E: /proc/sys read-only" e_in 2 'Read-only file system'

# ---- F: resource limits -------------------------------------------------------------

stage "F. resource limits"
echo "rlimits are set before the program starts (no core dumps by default);"
echo "memory and task limits belong to the cgroup ward starts in (systemd's"
echo "MemoryMax= and TasksMax=, Docker's --memory and --pids-limit)."
inside f_nofile "ward run --rlimit nofile=16 -- python3 -c '<open files until refused>'" \
	"${RUN[@]}" --rlimit nofile=16 -- python3 -c '
import errno
fs = []
try:
    while True:
        fs.append(open("/dev/null"))
except OSError as e:
    print("fds 0-%d open, the next: %s (%s)" % (len(fs) + 2, e.strerror,
                                               errno.errorcode[e.errno]))'
expect_out "stage F: nofile=16 refuses fd 16" f_nofile 0 '^fds 0-15 open, the next: .*\(EMFILE\)$'

# ---- G: secrets ------------------------------------------------------------------

stage "G. a secret, as a file only the program can read"
echo "ward reads db.pass (yours, mode 600) before the launch and puts it in"
echo "/run/secrets, owned by the program's uid, mode 0400, on a read-only"
echo "tmpfs; it is in neither the image nor the environment."
(umask 077 && echo "s3cret-demo-value" >db.pass)
G_SCRIPT='stat -c "%A %u %g %n" /run/secrets/db
    echo "cat: $(cat /run/secrets/db)"
    echo "in the environment: $(grep -c s3cret /proc/self/environ)"
    echo x >/run/secrets/db'
inside g_secret "ward run --secret db=db.pass -- sh -c '$G_SCRIPT'" \
	"${RUN[@]}" --secret db=db.pass -- sh -c "$G_SCRIPT"
expect_out "stage G: mode 0400, the program's uid" g_secret 2 '^-r-------- 10001 10001 /run/secrets/db$'
expect_out "stage G: readable as the program" g_secret 2 '^cat: s3cret-demo-value$'
expect_out "stage G: not in the environment" g_secret 2 '^in the environment: 0$'
expect_out "stage G: not writable" g_secret 2 'Read-only file system|Permission denied'

# ---- H: Landlock -----------------------------------------------------------------

stage "H. Landlock (entrypoint mode, inside a container)"
echo "Where a container engine refuses namespaces, ward runs in entrypoint"
echo "mode, and Landlock makes every path read-only but the --writable ones."
echo "Here the container is a ward sandbox, and both directories are bound"
echo "read-write and open to everyone (mode 777): only Landlock refuses."
mkdir -m 777 rw ro
H_SCRIPT='echo x >/rw/file && echo written; echo x >/ro/file'
inside h_landlock "ward run --bind ward:/ward --bind rw:/rw:rw --bind ro:/ro:rw -- \\
    /ward run -q --mode entrypoint --writable /rw -- \\
    sh -c '$H_SCRIPT'" \
	"${RUN[@]}" --bind ward:/ward --bind rw:/rw:rw --bind ro:/ro:rw -- \
	/ward run -q --mode entrypoint --writable /rw -- sh -c "$H_SCRIPT"
expect_out "stage H: /rw writable" h_landlock 2 '^written$'
expect_out "stage H: /ro refused by Landlock" h_landlock 2 '/ro/file: Permission denied'
echo "  (EACCES from Landlock: the mount and the mode would allow it)"

# ---- I: the engine-socket guard ---------------------------------------------------

stage "I. binding a Docker socket into the sandbox"
echo "A container engine's socket inside a sandbox is root on the host:"
echo "ward refuses the bind before anything starts."
say "ward run --bind engine/docker.sock:/run/docker.sock \\
    ${IN[*]}"
"${RUN[@]}" --bind engine/docker.sock:/run/docker.sock "${IN[@]}" >i.txt 2>i.err
rc=$?
wrap <i.err
echo "  exit status: $rc"
printf '  %-16s %s -> %s\n' "engine socket" "$(v_engine host.txt)" "refused (exit $rc)"
if [ "$rc" != 201 ] || ! grep -q '^ward: engine-socket: ' i.err || [ -s i.txt ]; then
	echo "demo: FAILED: stage I: expected exit 201, a 'ward: engine-socket:' line and no probe output" >&2
	FAILED=1
fi
case $(field host.txt engine) in
"engine socket reachable:"*"$TMP/engine/docker.sock"*) ;;
*)
	echo "demo: FAILED: stage A should reach the stand-in socket" >&2
	FAILED=1
	;;
esac

# ---- the whole picture ----------------------------------------------------------

stage "before and after: no sandbox -> plain ward run"
row "uid" v_uid host d
row "capabilities" v_caps host d
row "no_new_privs" v_nnp host d
row "seccomp" v_seccomp host d
row "root writable" v_rootw host d
row "writable mounts" v_mounts host d
row "network" v_net host d
row "fds above 2" v_fds host d
printf '  %-16s %s -> %s\n' "engine socket" "$(v_engine host.txt)" "$(v_engine d.txt)"
echo
echo "The full reports: \`ward probe\` and"
echo "\`ward run --bind \"\$(command -v ward)\":/ward -- /ward probe\` (--json for JSON)."
echo "The demo took $(($(date +%s) - START)) s."

if [ "$FAILED" != 0 ]; then
	echo "demo: some stage did not show what it should (see FAILED above)" >&2
	exit 1
fi
