#!/bin/bash
# ward as operators run it under systemd, on a machine whose pid 1 is not
# systemd: the example unit (examples/ward.service) passes `systemd-analyze
# verify`, and each hardening directive it uses, or tells operators to
# leave off, is reproduced with setpriv and unshare; a root launch that
# lacks the capabilities its maps need names the cause; KillMode=mixed
# gives the program one SIGTERM where control-group gives it three; the
# whole process tree stays in the caller's cgroup, so systemd's (or
# Docker's) limits apply to it.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns
[ "$(id -u)" = 0 ] || skip_all "the unit runs ward as root; run as root"
command -v setpriv >/dev/null || skip_all "setpriv is missing (package util-linux)"
command -v unshare >/dev/null || skip_all "unshare is missing (package util-linux)"

UNIT=$here/../../examples/ward.service

# ProtectHome= and PrivateTmp= below hide /root, /home and /tmp, where a
# checkout (and so the build) may live: ward and the probe run from a
# copy under /var/tmp, as an installed ward would run from /usr/local.
BIN=$(mktemp -d /var/tmp/ward-systemd.XXXXXX) || bail_out "mktemp under /var/tmp"
tap_cleanup rm -rf "$BIN"
chmod 755 "$BIN"
install -m 755 "$WARD" "$BIN/ward" && install -m 755 "$PROBE" "$BIN/probe" ||
	bail_out "copying ward and the probe to $BIN"
WARD=$BIN/ward
PROBE=$BIN/probe

# ---- capabilities and no_new_privs (CapabilityBoundingSet=, NoNewPrivileges=) ----

# The issue's reproduction: every capability gone from the bounding set
# (so from the effective set after exec), and no_new_privs.
run_cmd setpriv --no-new-privs --bounding-set -all "$WARD" run -- id
expect_rc "root without cap_setuid/cap_setgid: exit 205 (userns)" 205
expect_match "...the cause is named, with the unit directive to drop" \
	"^ward: userns: ward runs as root without cap_setgid,cap_setuid in its effective set \(nor in its bounding set\): .*: Operation not permitted
ward: hint: under systemd, drop CapabilityBoundingSet= from ward's unit" "$ERR"
expect_match "...and no_new_privs is said to be harmless" \
	"no_new_privs is set too \(NoNewPrivileges=yes\), which ward does not mind" "$ERR"
expect_no_match "...not the rootless hint's map error" "write /proc/[0-9]+/gid_map" "$ERR"

run_cmd setpriv --bounding-set -setgid "$WARD" run -- id
expect_rc "root without cap_setgid alone: exit 205" 205
expect_match "...names cap_setgid only" \
	"without cap_setgid in its effective set \(nor in its bounding set\)" "$ERR"
expect_no_match "...and says nothing of no_new_privs, which is not set" "no_new_privs" "$ERR"

# What the example unit keeps: NoNewPrivileges=yes and a bounding set of
# CAP_SETUID CAP_SETGID (ward needs nothing more for a default launch).
run_cmd setpriv --no-new-privs --bounding-set -all,+setuid,+setgid --inh-caps -all \
	"$WARD" run --bind "$PROBE:/probe" -- /probe id
expect_rc "NoNewPrivileges=yes + CapabilityBoundingSet=CAP_SETUID CAP_SETGID: runs" 0
expect_match "...as the sandbox user" "uid=10001" "$OUT"

# ---- mount-namespace directives, reproduced with unshare ----------------------

# in_unit_mounts SETUP: ward run ... -- /probe id after SETUP in a private
# mount namespace, as systemd sets up the unit's.
in_unit_mounts() {
	run_cmd unshare -m --propagation private sh -c "$1"' && exec "$@"' _ \
		"$WARD" run --bind "$PROBE:/probe" -- /probe id
}
in_unit_mounts 'mount -o remount,bind,ro / && mount -t tmpfs tmpfs /tmp &&
	mount -t tmpfs -o ro,mode=000 tmpfs /home && mount -t tmpfs -o ro,mode=000 tmpfs /root'
expect_rc "ProtectSystem=strict, PrivateTmp=yes, ProtectHome=yes: runs" 0
in_unit_mounts 'mount -o remount,bind,ro /sys/fs/cgroup'
expect_rc "ProtectControlGroups=yes: runs" 0
in_unit_mounts 'mount -t proc -o hidepid=invisible,subset=pid proc /proc'
expect_rc "ProtectProc=invisible, ProcSubset=pid: runs" 0
in_unit_mounts 'mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys'
expect_rc "ProtectKernelTunables=yes: refused, exit 209 (proc), as the unit says" 209
expect_match "...and the hint names the unit directives" \
	"^ward: hint: .*under systemd: no ProtectKernelTunables= or ProtectKernelLogs=" "$ERR"
in_unit_mounts 'mount --bind /dev/null /proc/kmsg'
expect_rc "ProtectKernelLogs=yes: refused, exit 209 (proc), as the unit says" 209

in_unit_mounts 'mkdir -p /tmp/.ward-dev && mount -t tmpfs -o mode=755,nosuid tmpfs /tmp/.ward-dev &&
	for d in null zero full random urandom tty; do touch /tmp/.ward-dev/$d &&
		mount --bind /dev/$d /tmp/.ward-dev/$d || exit 1; done &&
	mkdir /tmp/.ward-dev/shm /tmp/.ward-dev/pts && mount --move /tmp/.ward-dev /dev &&
	mount -o remount,bind,noexec,nosuid /dev'
expect_rc "PrivateDevices=yes (a /dev of pseudo-devices only): runs" 0

# ---- the unit itself ------------------------------------------------------------

if [ ! -f "$UNIT" ]; then
	not_ok "examples/ward.service exists"
elif ! command -v systemd-analyze >/dev/null; then
	not_ok "systemd-analyze verify examples/ward.service" \
		"systemd-analyze is missing (package systemd; make deps installs it)"
else
	# verify checks that ExecStart='s program exists: this ward, and a
	# stand-in for myapp.
	mkdir -p "$TAP_TMP/units"
	sed "s#^ExecStart=/usr/local/bin/ward #ExecStart=$WARD #; s#/usr/local/bin/myapp#/bin/true#" \
		"$UNIT" >"$TAP_TMP/units/myapp.service"
	run_cmd systemd-analyze verify "$TAP_TMP/units/myapp.service"
	expect_rc "systemd-analyze verify examples/ward.service: exit 0" 0
	expect_eq "...with nothing to say (no unknown or misspelt key)" "" "$ERR$OUT"
fi
# active_directive KEY: the unit's KEY=... line, not a comment.
active_directive() { grep -E "^$1=" "$UNIT"; }
expect_eq "the unit stops with KillMode=mixed" "KillMode=mixed" "$(active_directive KillMode)"
expect_eq "the unit keeps the bounding set ward needs" \
	"CapabilityBoundingSet=CAP_SETUID CAP_SETGID" "$(active_directive CapabilityBoundingSet)"
for key in MemoryMax TasksMax CPUQuota NoNewPrivileges ProtectSystem PrivateTmp; do
	expect_match "the unit sets $key=" "^$key=." "$(active_directive "$key")"
done
for key in RestrictNamespaces PrivateUsers ProtectKernelTunables ProtectKernelLogs \
	ProtectHostname SystemCallFilter MemoryDenyWriteExecute User DynamicUser; do
	expect_eq "the unit leaves $key= off" "" "$(active_directive "$key")"
	expect_match "...and says why" "$key=" "$(grep -E "^#   ([A-Za-z]+=, )?$key=" "$UNIT")"
done

# ---- stopping: KillMode=mixed vs control-group -----------------------------------

# A program that counts its SIGTERMs and leaves 2 s after the first.
COUNTER='
import signal, sys, time
n = 0
def on_term(sig, frame):
    global n
    n += 1
    print("SIGTERM %d" % n, flush=True)
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
while n == 0:
    time.sleep(0.05)
time.sleep(2)
sys.exit(0)'

# tree PID: the pids of ward's init and of the program, from the host.
tree() {
	local init prog t=0
	while [ $t -lt 50 ]; do
		init=$(pgrep -P "$1" | head -n 1)
		prog=${init:+$(pgrep -P "$init" | head -n 1)}
		if [ -n "$prog" ]; then
			echo "$init $prog"
			return 0
		fi
		sleep 0.1
		t=$((t + 1))
	done
	return 1
}

ward_bg "$TAP_TMP/mixed" run -- python3 -c "$COUNTER"
if wait_for_line "$TAP_TMP/mixed" '^ready$' 10; then
	kill -TERM "$WARD_PID" # KillMode=mixed: the main process only
	wait_bg "$WARD_PID" 10
	expect_rc "KillMode=mixed (SIGTERM to ward): the program exits 0" 0
	expect_eq "...after exactly one SIGTERM" "SIGTERM 1" "$(grep SIGTERM "$TAP_TMP/mixed")"
else
	not_ok "KillMode=mixed: the program started" "$(cat "$TAP_TMP/mixed.err")"
fi

ward_bg "$TAP_TMP/cgroup" run -- python3 -c "$COUNTER"
if wait_for_line "$TAP_TMP/cgroup" '^ready$' 10 && pids=$(tree "$WARD_PID"); then
	# KillMode=control-group: every process of the unit, one by one so
	# that no two signals merge.
	for p in ${pids#* } ${pids% *} "$WARD_PID"; do
		kill -TERM "$p"
		sleep 0.3
	done
	wait_bg "$WARD_PID" 10
	expect_eq "KillMode=control-group (SIGTERM to every process): the program gets three" \
		"SIGTERM 3" "$(grep SIGTERM "$TAP_TMP/cgroup" | tail -n 1)"
else
	not_ok "KillMode=control-group: the program started" "$(cat "$TAP_TMP/cgroup.err")"
fi

# ---- resource limits: the whole tree stays in the caller's cgroup ---------------

# The machine's cgroups: v1 controllers (pids among them) and a cgroup2
# hierarchy, possibly empty (/sys/fs/cgroup/unified) or at /sys/fs/cgroup.
CG=ward-test.$$
CG_PIDS=/sys/fs/cgroup/pids
CG_V2=""
for d in /sys/fs/cgroup/unified /sys/fs/cgroup; do
	[ -f "$d/cgroup.procs" ] && [ "$(stat -f -c %T "$d")" = cgroup2fs ] && CG_V2=$d && break
done
[ -f "$CG_PIDS/cgroup.procs" ] || CG_PIDS=""
[ -n "$CG_V2" ] && [ -f "$CG_V2/pids.max" ] && [ -z "$CG_PIDS" ] && CG_PIDS=$CG_V2
cg_made=()
for d in ${CG_PIDS:+"$CG_PIDS"} ${CG_V2:+"$CG_V2"}; do
	[ -d "$d/$CG" ] && continue
	if mkdir "$d/$CG"; then
		cg_made+=("$d/$CG")
		tap_cleanup rmdir "$d/$CG"
	fi
done
# in_cgroup.sh: move itself into the test's cgroups, then exec "$@" (as
# systemd starts a unit's main process in the unit's cgroup).
{
	echo '#!/bin/sh'
	echo "for d in ${cg_made[*]}; do echo \$\$ >\"\$d/cgroup.procs\" || exit 1; done"
	echo 'exec "$@"'
} >"$TAP_TMP/in_cgroup.sh"
chmod 755 "$TAP_TMP/in_cgroup.sh"

# cgroup_of PID: its /proc/PID/cgroup lines for the test's hierarchies.
cgroup_of() { grep -E ":/$CG\$" "/proc/$1/cgroup" | sort | tr '\n' ' '; }

if [ ${#cg_made[@]} = 0 ]; then
	not_ok "a cgroup for the test under ${CG_PIDS:-no pids hierarchy} ${CG_V2:-and no cgroup2}"
else
	WARD_PREFIX=("$TAP_TMP/in_cgroup.sh")
	ward_bg "$TAP_TMP/tree" run -- python3 -c "$COUNTER"
	WARD_PREFIX=()
	if wait_for_line "$TAP_TMP/tree" '^ready$' 10 && pids=$(tree "$WARD_PID"); then
		want=$(cgroup_of "$WARD_PID")
		expect_eq "ward is in the test's cgroup in every hierarchy made" \
			"${#cg_made[@]}" "$(wc -w <<<"$want")"
		expect_eq "ward's init is in the same cgroups as ward" "$want" "$(cgroup_of "${pids% *}")"
		expect_eq "the program is in the same cgroups as ward" "$want" "$(cgroup_of "${pids#* }")"
		kill -TERM "$WARD_PID"
		wait_bg "$WARD_PID" 10
	else
		not_ok "ward started in the test's cgroup" "$(cat "$TAP_TMP/tree.err")"
	fi
	# TasksMax= is the cgroup's pids.max: the program's forks hit it.
	if [ -n "$CG_PIDS" ] && [ -d "$CG_PIDS/$CG" ]; then
		echo 12 >"$CG_PIDS/$CG/pids.max"
		FORKER='
import errno, os, time
n = 0
try:
    for _ in range(40):
        if os.fork() == 0:
            time.sleep(3)
            os._exit(0)
        n += 1
    print("40 forks")
except OSError as e:
    print("fork %d refused: %s" % (n + 1, errno.errorcode[e.errno]))'
		run_cmd "$TAP_TMP/in_cgroup.sh" "$WARD" run -- python3 -c "$FORKER"
		expect_match "pids.max 12 (TasksMax=12) holds inside the sandbox: a fork fails with EAGAIN" \
			"^fork [0-9]+ refused: EAGAIN$" "$OUT"
	else
		skip "pids.max holds inside the sandbox" "no pids controller here"
	fi
fi

run_ward check
expect_match "ward check: memory and task limits are not visible to it (a row)" \
	"^cgroup-limits +ok +0\.0 +memory and task limits are not visible to ward" "$OUT"
expect_match "...with the unit's directives" "MemoryMax=, TasksMax=, CPUQuota= in the unit" "$OUT"
run_ward check --fail-on low
expect_no_match "...a row that does not fail --fail-on low" "^cgroup-limits .*RISK" "$OUT"
run_ward check --mode entrypoint
expect_match "...and Docker's flags in entrypoint mode" "docker run --memory=512m --pids-limit=64" "$OUT"

# ---- --env-file and --quiet, as a unit's ExecStart= uses them ------------------

fixture_dir ENVD 755 || skip_all "cannot create a directory"
cat >"$ENVD/app.env" <<'EOF'
# Docker's format: comments, blank lines, values as written
  PLAIN=1

SPACED=  two spaces  
QUOTED="kept"
HASH=a#b
FROM_CALLER
NOT_SET_ANYWHERE_XYZ
API_TOKEN=not-a-real-one
OVERRIDDEN=from-file
EOF
run_cmd env FROM_CALLER=passed "$WARD" run --env-file "$ENVD/app.env" --env OVERRIDDEN=from-env \
	--bind "$PROBE:/probe" -- /probe env
expect_rc "--env-file: the program runs" 0
for kv in "PLAIN=1" "SPACED=  two spaces  " 'QUOTED="kept"' "HASH=a#b" \
	"FROM_CALLER=passed" "API_TOKEN=not-a-real-one" "OVERRIDDEN=from-env"; do
	expect_eq "--env-file: $kv" "$kv" "$(grep -Fx -- "$kv" <<<"$OUT")"
done
expect_no_match "--env-file: a bare NAME the caller lacks is not passed" "NOT_SET_ANYWHERE_XYZ" "$OUT"
expect_no_match "--env-file: comments are not variables" "^#|comment" "$OUT"

run_ward check --env-file "$ENVD/app.env"
expect_match "ward check flags a secret-looking name from --env-file" \
	"^env.secret +RISK .*API_TOKEN looks like a secret" "$OUT"

printf 'GOOD=1\nBAD NAME=2\n' >"$ENVD/bad.env"
run_ward run --env-file "$ENVD/bad.env" -- true
expect_rc "--env-file with a bad name: exit 125" 125
expect_match "...the error names the file and line" \
	"^ward: plan: --env-file $ENVD/bad.env:2: 'BAD NAME': expected NAME=VALUE or NAME" "$ERR"
run_ward run --env-file "$ENVD/missing.env" -- true
expect_rc "--env-file of a missing file: exit 125" 125
expect_match "...named, with its errno" "--env-file $ENVD/missing.env: No such file" "$ERR"

printf 'ward-profile 1\nenv-file %s\nquiet\n' "$ENVD/app.env" >"$ENVD/app.profile"
run_cmd env FROM_CALLER=p "$WARD" run --profile "$ENVD/app.profile" --bind "$PROBE:/probe" -- /probe env
expect_eq "env-file and quiet as profile lines" "PLAIN=1" "$(grep -Fx PLAIN=1 <<<"$OUT")"

# --quiet: the notices on every start go, errors stay.
run_ward run --user 65534 -- true
expect_match "without --quiet: the overflow-id notice" "^ward: notice: --user 65534" "$ERR"
run_ward run --quiet --user 65534 -- true
expect_rc "--quiet --user 65534: runs" 0
expect_eq "--quiet: no notice" "" "$ERR"
# Entrypoint mode, inside a ward sandbox as its container (on the host, a
# reachable container-engine socket would make it refuse to start).
printf 'ward-profile 1\nquiet\n' >"$ENVD/quiet.profile"
in_container() {
	run_ward run --bind "$WARD:/ward" --bind "$ENVD/quiet.profile:/quiet.profile" -- /ward run "$@"
}
in_container --mode entrypoint -- true
expect_match "without --quiet: entrypoint mode reports its layers" "^ward: entrypoint mode: applied: " "$ERR"
in_container -q --mode entrypoint -- true
expect_rc "-q: entrypoint mode runs" 0
expect_eq "-q: entrypoint mode says nothing" "" "$ERR"
in_container --profile /quiet.profile --mode entrypoint -- true
expect_eq "quiet in a profile: the same" "" "$ERR"
run_ward run --quiet --bind /nonexistent-ward-src:/x -- true
expect_rc "--quiet: an error still fails the launch (exit 125)" 125
expect_match "...and is still printed" "^ward: " "$ERR"

tap_done
