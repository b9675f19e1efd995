#!/bin/bash
# `ward probe --json` outside and inside sandboxes, as root and as the
# unprivileged test user, checked against what the other suites establish
# with the static probe (uid 10001, every capability set empty,
# no_new_privs, seccomp mode 2, read-only root, only lo up, no fds above
# 2, no engine socket) and against what this shell sees outside; then the
# teaching demo (tests/demo/demo.sh) end to end.
#
# Inside, ward probe is $WARD itself, bound read-only at /ward (the host
# root has its shared libraries).  --env ASAN_OPTIONS=detect_leaks=0: in
# `make sanitize` $WARD is an ASan build, and LeakSanitizer's exit-time
# check needs ptrace, which the seccomp filter refuses; it changes nothing
# for a normal build.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns
command -v python3 >/dev/null || skip_all "python3 is missing (package python3)"

run_ward probe
if [ "$RC" = 125 ] && grep -q "unknown command 'probe'" <<<"$ERR"; then
	skip_all "this ward has no 'probe' command (src/main.c does not call ward_selfprobe_main)"
fi

JSON=""
DEFAULT4='[10001,10001,10001,10001]'
SANDBOX_SUMMARY="uid 10001, no capabilities, no_new_privs, seccomp filter, read-only root, 3 writable mounts, loopback only, no engine socket"

# Python evaluates the checks; Debian's own interpreter when there is one
# (a pyenv shim costs half a second per start).
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# jpy EXPR...: each Python expression evaluated on the report in $JSON (as
# d), one result per line: strings raw, anything else as compact JSON.
jpy() {
	"$PY" -c '
import json, sys
try:
    d = json.loads(sys.stdin.read())
except Exception as e:
    d = None
for expr in sys.argv[1:]:
    try:
        v = eval(expr)
        v = v if isinstance(v, str) else json.dumps(v, sort_keys=True, separators=(",", ":"))
    except Exception as e:
        v = "ERROR: %r" % (e,)
    print(v.replace("\n", " "))
' "$@" <<<"$JSON"
}

# check DESC EXPR EXPECTED: queue a check of the current report;
# run_checks evaluates the queue in one Python run and prints the TAP lines.
C_DESC=()
C_EXPR=()
C_WANT=()
check() {
	C_DESC+=("$1")
	C_EXPR+=("$2")
	C_WANT+=("$3")
}
run_checks() {
	local got i
	mapfile -t got < <(jpy "${C_EXPR[@]}")
	for i in "${!C_DESC[@]}"; do
		expect_eq "${C_DESC[i]}" "${C_WANT[i]}" "${got[i]:-}"
	done
	C_DESC=()
	C_EXPR=()
	C_WANT=()
}

# use_report: the last launch's stdout becomes the report checked next
# (checks still queued run first, on the previous one).
use_report() {
	run_checks
	JSON=$OUT
}

# got_report DESC: the last launch exited 0 with a schema-1 JSON report.
got_report() {
	use_report
	if [ "$RC" = 0 ] && [ "$(jpy 'd["schema_version"]')" = 2 ]; then
		ok "$1: exit 0, a JSON report (schema_version 2)"
		return 0
	fi
	not_ok "$1: exit 0, a JSON report (schema_version 2)" "$(last_run)"
	return 1
}

# probe_inside BIN [WARD-OPTIONS...]: BIN run ... -- /ward probe --json,
# prefixed by WARD_PREFIX.
probe_inside() {
	local bin=$1
	shift
	run_cmd "${WARD_PREFIX[@]}" "$bin" run --env ASAN_OPTIONS=detect_leaks=0 \
		--bind "$bin:/ward" "$@" -- /ward probe --json
}

# sandbox_suite WHO BIN: the default sandbox, seen by ward probe.
sandbox_suite() {
	local who=$1 bin=$2 caps

	probe_inside "$bin"
	got_report "$who: inside" || return
	check "$who: inside: uid real/effective/saved/fs 10001" \
		'[d["identity"]["uid"][k] for k in ("real", "effective", "saved", "fs")]' "$DEFAULT4"
	check "$who: inside: gid 10001" \
		'[d["identity"]["gid"][k] for k in ("real", "effective", "saved", "fs")]' "$DEFAULT4"
	check "$who: inside: no supplementary groups" 'd["identity"]["groups"]' '[]'
	caps='[d["capabilities"][s]["mask"] for s in ("inheritable", "permitted", "effective", "bounding", "ambient")]'
	check "$who: inside: all five capability sets empty" "sorted(set($caps))" \
		'["0000000000000000"]'
	check "$who: inside: no capability names" \
		'sum(len(d["capabilities"][s]["names"]) for s in ("inheritable", "permitted", "effective", "bounding", "ambient"))' 0
	check "$who: inside: securebits NOROOT and NO_SETUID_FIXUP set and locked" \
		'all(n in d["capabilities"]["securebits"]["names"] for n in ("noroot", "noroot_locked", "no_setuid_fixup", "no_setuid_fixup_locked"))' true
	check "$who: inside: no_new_privs" 'd["no_new_privs"]' true
	check "$who: inside: seccomp mode 2 (filter), at least one filter" \
		'[d["seccomp"]["mode"], d["seccomp"]["mode_name"], d["seccomp"]["filters"] >= 1]' '[2,"filter",true]'
	check "$who: inside: every namespace private" \
		'sorted(k for k, v in d["namespaces"].items() if v["private"] is not True)' '[]'
	check "$who: inside: pid 1 not visible, hostname ward" \
		'[d["namespaces"]["pid"]["pid1_visible"], d["namespaces"]["uts"]["hostname"]]' '[false,"ward"]'
	check "$who: inside: only lo, and it is up" \
		'[[i["name"], i["up"]] for i in d["namespaces"]["net"]["interfaces"]]' '[["lo",true]]'
	check "$who: inside: read-only root" 'd["filesystem"]["root_read_only"]' true
	check "$who: inside: writable mounts: /dev/shm, /tmp, /run" \
		'sorted(d["filesystem"]["writable_mounts"])' '["/dev/shm","/run","/tmp"]'
	check "$who: inside: creating a file in / and in /etc fails with EROFS" \
		'[[w["created"], w["error"]] for w in (d["filesystem"]["write_root"], d["filesystem"]["write_etc"])]' \
		'[[false,"EROFS"],[false,"EROFS"]]'
	check "$who: inside: no fds above 2" 'd["fds"]' '[]'
	check "$who: inside: no engine socket" 'd["engine_sockets"]["found"]' '[]'
	check "$who: inside: no engine listener" \
		'[d["engine_sockets"]["listeners"], d["engine_sockets"]["listeners_error"]]' '[[],null]'
	check "$who: inside: summary" 'd["summary"]' "$SANDBOX_SUMMARY"
	run_checks
}

# ---- root, outside ---------------------------------------------------------

# This shell's own view, for comparison (awk and ward run with the same
# credentials, no file capabilities).
status_of_self() { awk -v k="$1:" '$1 == k {print $2}' /proc/self/status; }
HOST_IFACES=$(ls /sys/class/net 2>/dev/null | sort | tr '\n' ' ')

run_ward probe --json
got_report "root: outside"
check "root: outside: uid and gid as id(1) says" \
	'[d["identity"]["uid"]["effective"], d["identity"]["gid"]["effective"]]' \
	"[$(id -u),$(id -g)]"
check "root: outside: effective capabilities as /proc/self/status says" \
	'd["capabilities"]["effective"]["mask"]' "$(status_of_self CapEff)"
check "root: outside: bounding set as /proc/self/status says" \
	'd["capabilities"]["bounding"]["mask"]' "$(status_of_self CapBnd)"
check "root: outside: no_new_privs and seccomp as /proc/self/status says" \
	'[int(d["no_new_privs"]), d["seccomp"]["mode"]]' \
	"[$(status_of_self NoNewPrivs),$(status_of_self Seccomp)]"
check "root: outside: the pid namespace inode is this shell's" \
	'd["namespaces"]["pid"]["inode"]' "$(stat -L -c %i /proc/self/ns/pid)"
check "root: outside: the net namespace inode is this shell's" \
	'd["namespaces"]["net"]["inode"]' "$(stat -L -c %i /proc/self/ns/net)"
check "root: outside: the interfaces are /sys/class/net's" \
	'" ".join(sorted(i["name"] for i in d["namespaces"]["net"]["interfaces"])) + " "' \
	"$HOST_IFACES"
check "root: outside: the hostname" 'd["namespaces"]["uts"]["hostname"]' "$(hostname)"
check "root: outside: landlock: an ABI or an error, never a guess about confinement" \
	'[(d["landlock"]["abi"] or 0) >= 1 or d["landlock"]["error"] is not None, d["landlock"]["restricted"]]' \
	'[true,null]'
HOST_UP=$(jpy 'sorted(i["name"] for i in d["namespaces"]["net"]["interfaces"] if i["up"])')
run_checks

# Inherited descriptors: seen outside, closed by ward inside.
run_cmd bash -c 'exec 7</etc/hostname; exec "$@"' _ "$WARD" probe --json
use_report
check "root: outside: an inherited fd 7 is listed with its target" \
	'[f for f in d["fds"] if f["fd"] == 7]' '[{"fd":7,"target":"/etc/hostname"}]'
run_cmd bash -c 'exec 7</etc/hostname; exec "$@"' _ "$WARD" run \
	--env ASAN_OPTIONS=detect_leaks=0 --bind "$WARD:/ward" -- /ward probe --json
use_report
check "root: inside: the inherited fd 7 is gone" 'd["fds"]' '[]'
run_checks

# The text report ends with the summary line.
run_ward run --env ASAN_OPTIONS=detect_leaks=0 --bind "$WARD:/ward" -- /ward probe
expect_eq "root: inside: the text report's last line is the summary" \
	"summary: $SANDBOX_SUMMARY" "$(tail -n 1 <<<"$OUT")"

run_ward probe --bogus
expect_rc "ward probe --bogus: exit 125" 125

# ---- engine sockets ----------------------------------------------------------

fixture_dir SOCKDIR 755 || skip_all "cannot create a directory"
LIVE=$SOCKDIR/live.sock
DEAD=$SOCKDIR/dead.sock
python3 -c '
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(8); os.chmod(sys.argv[1], 0o666)
open(sys.argv[2], "w").write("ready\n")
time.sleep(120)' "$LIVE" "$SOCKDIR/ready" </dev/null >/dev/null 2>&1 &
LISTENER=$!
disown "$LISTENER"
tap_cleanup kill -KILL "$LISTENER"
run_cmd "$PROBE" mksock "$DEAD"
if wait_for_line "$SOCKDIR/ready" '^ready$' 10 && [ -S "$DEAD" ]; then
	ok "a listening socket and a dead one"
else
	not_ok "a listening socket and a dead one" "$(ls -la "$SOCKDIR")"
fi

run_cmd env "DOCKER_HOST=unix://$LIVE" "$WARD" probe --json
use_report
check "outside: DOCKER_HOST's socket is checked" \
	'd["engine_sockets"]["checked"][-1]' "$LIVE"
check "outside: ...and reported connectable" \
	'[s for s in d["engine_sockets"]["found"] if s["path"] == "'"$LIVE"'"]' \
	"[{\"connectable\":true,\"error\":null,\"path\":\"$LIVE\"}]"
check "outside: ...and named in the summary" \
	'"engine socket reachable: '"$LIVE"'" in d["summary"]' true
run_cmd env "DOCKER_HOST=unix://$DEAD" "$WARD" probe --json
use_report
check "outside: a socket nobody listens on: not connectable, ECONNREFUSED" \
	'[[s["connectable"], s["error"]] for s in d["engine_sockets"]["found"] if s["path"] == "'"$DEAD"'"]' \
	'[[false,"ECONNREFUSED"]]'

# An ordinary socket bound in at /run/docker.sock (the guard looks at the
# source, which is no engine's): the probe finds it from the inside.
probe_inside "$WARD" --bind "$LIVE:/run/docker.sock"
use_report
check "inside: a socket at /run/docker.sock is found and connectable" \
	'd["engine_sockets"]["found"]' '[{"connectable":true,"error":null,"path":"/run/docker.sock"}]'
run_checks

# ---- root, inside -------------------------------------------------------------

sandbox_suite root "$WARD"

probe_inside "$WARD" --seccomp off-i-know
use_report
check "root: --seccomp off-i-know: seccomp mode 0" \
	'[d["seccomp"]["mode"], d["seccomp"]["mode_name"]]' '[0,"off"]'
probe_inside "$WARD" --net host
use_report
check "root: --net host: the host's interfaces are up inside" \
	'sorted(i["name"] for i in d["namespaces"]["net"]["interfaces"] if i["up"])' "$HOST_UP"
check "root: --net host: the net namespace is the host's" \
	'd["namespaces"]["net"]["inode"]' "$(stat -L -c %i /proc/self/ns/net)"
probe_inside "$WARD" --cap-keep NET_BIND_SERVICE
use_report
check "root: --cap-keep NET_BIND_SERVICE: exactly that, in every set" \
	'sorted(set(tuple(d["capabilities"][s]["names"]) for s in ("inheritable", "permitted", "effective", "bounding", "ambient")))' \
	'[["cap_net_bind_service"]]'
check "root: --cap-keep NET_BIND_SERVICE: the summary names it" \
	'd["summary"].split(", ")[1]' 'capabilities: cap_net_bind_service'
run_checks

# ---- the unprivileged test user -------------------------------------------------

if ! fixture_test_user; then
	skip "the unprivileged user: outside and inside" "$FIXTURE_WHY"
elif ! fixture_user_bins; then
	not_ok "copy ward and the probe where $WARD_TEST_USER can run them"
else
	fixture_user_prefix
	run_cmd "${WARD_PREFIX[@]}" "$WARD_U" probe --json
	got_report "$WARD_TEST_USER: outside"
	check "$WARD_TEST_USER: outside: uid $WARD_TEST_UID, no groups" \
		'[d["identity"]["uid"]["effective"], d["identity"]["groups"]]' "[$WARD_TEST_UID,[]]"
	check "$WARD_TEST_USER: outside: no effective capability" \
		'd["capabilities"]["effective"]["names"]' '[]'
	check "$WARD_TEST_USER: outside: creating a file in /etc is refused" \
		'[d["filesystem"]["write_etc"]["created"], d["filesystem"]["write_etc"]["error"]]' \
		'[false,"EACCES"]'
	run_checks
	sandbox_suite "$WARD_TEST_USER" "$WARD_U"
	WARD_PREFIX=()
fi

# ---- the demo -------------------------------------------------------------------

if ldd "$WARD" 2>/dev/null | grep -q libasan; then
	# Not a missing prerequisite: the demo is for people, and its
	# sandboxes run the probe without the ASAN_OPTIONS above.  The plain
	# build's integration run covers it.
	ok "the demo # SKIP sanitizer build: LeakSanitizer cannot run under the sandbox's seccomp filter"
else
	WARD_TIMEOUT=60 run_cmd "$here/../demo/demo.sh" "$WARD"
	expect_rc "the demo exits 0" 0
	for re in \
		'^=== A\. ' \
		'^  uid +[0-9]+ -> 10001$' \
		'^  capabilities +.+ -> none$' \
		'^  no_new_privs +no -> yes$' \
		'^  user namespace +.+ -> private$' \
		'^  root writable +yes -> no$' \
		'^  write in /etc +.+ -> refused \(EROFS\)$' \
		'^  writable mounts +[0-9]+.* -> 3 \(/dev/shm, /tmp, /run\)$' \
		'^  fds above 2 +([0-9]+|none) -> none$' \
		'^  seccomp +off -> filter$' \
		'^\$ ward run --seccomp off-i-know -- unshare --user id -u$' \
		'^\$ ward run -- unshare --user id -u$' \
		'^  unshare: unshare failed: Operation not permitted$' \
		'^  network +.+ -> loopback only$' \
		'^  net namespace +.+ -> private$' \
		'^  connect: Network is unreachable \(ENETUNREACH\)$' \
		'^=== E\. a fresh /proc' \
		"^\\\$ ward run -- sh -c 'wc -c </proc/timer_list; echo x >/proc/sys/vm/swappiness'\$" \
		'^  0$' \
		'^  sh: 1: cannot create /proc/sys/vm/swappiness: Read-only file system$' \
		'^=== F\. resource limits' \
		'^  fds 0-15 open, the next: Too many open files \(EMFILE\)$' \
		'^=== G\. a secret' \
		'^  -r-------- 10001 10001 /run/secrets/db$' \
		'^  cat: s3cret-demo-value$' \
		'^  in the environment: 0$' \
		'^  sh: 4: cannot create /run/secrets/db: Read-only file system$' \
		'^=== H\. Landlock' \
		'^  written$' \
		'^  sh: 1: cannot create /ro/file: Permission denied$' \
		'^  ward: engine-socket: --bind engine/docker\.sock:/run/docker\.sock: refusing$' \
		'^  exit status: 201$' \
		'^  engine socket +reachable -> refused \(exit 201\)$' \
		'^  engine socket +reachable -> no engine socket$' \
		'^The demo took [0-9]+ s\.$'; do
		expect_match "the demo shows: $re" "$re" "$OUT"
	done
	expect_eq "the demo fits in 80 columns" "" "$(awk 'length > 80' <<<"$OUT")"
	expect_no_match "the demo shows no scratch or build path" \
		"ward-demo\.|$(dirname "$WARD")" "$OUT"
	expect_eq "the demo's fd row stays to the end (before and after)" 2 \
		"$(grep -c '^  fds above 2 ' <<<"$OUT")"
	expect_no_match "the demo reports no failed stage" 'FAILED' "$OUT
$ERR"
fi

tap_done
