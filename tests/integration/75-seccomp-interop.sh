#!/bin/bash
# Seccomp interoperability: Docker/OCI JSON profiles (docker:FILE), checked
# syscall by syscall from inside a sandbox against what the JSON itself
# says; `ward seccomp show`; `ward seccomp learn`; a SIGSYS death named;
# refusals that name the file and the JSON path.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns
command -v python3 >/dev/null || skip_all "python3 is missing"
data=$(cd "$here/../data" && pwd)
docker_json=$data/docker-default-seccomp.json
podman_json=$data/containers-common-seccomp.json

# ---- the table ------------------------------------------------------------
# probe subcommand, the syscall's name in the JSON, and the arguments the
# probe passes (as the filter sees them: 64-bit registers).  The expected
# outcome is not written here: it is computed from each profile.
table='
read read 0xffffffffffffffff 0 0
write write 0xffffffffffffffff 0 0
getpid getpid 0 0 0
clone-plain clone 0x11 0 0
clone-newuser clone 0x10000011 0 0
clone-newns clone 0x20011 0 0
clone3 clone3 0 0 0
unshare-user unshare 0x10000000 0 0
unshare-net unshare 0x40000000 0 0
setns setns 0xffffffffffffffff 0 0
mount mount 0 0 0
umount2 umount2 0 0 0
pivot_root pivot_root 0 0 0
chroot-bogus chroot 0 0 0
open_tree open_tree 0xffffffffffffffff 0 0
fsopen fsopen 0 0 0
keyctl keyctl 0 0xfffffffffffffffd 0
add_key add_key 0 0 0
request_key request_key 0 0 0
bpf bpf 0 0 0
perf_event_open perf_event_open 0 0 0xffffffffffffffff
userfaultfd-user userfaultfd 0x80001 0 0
io_uring_setup io_uring_setup 0 0 0
ptrace ptrace 2 1 0
personality personality 0xffffffff 0 0
personality-rie personality 0x400000 0 0
mbind mbind 0 0 0
socket-inet socket 2 0x80001 0
socket-unix socket 1 0x80001 0
socket-vsock socket 40 0x80001 0
socket-alg socket 38 0x80005 0
socket-audit socket 16 0x80003 9
kexec_load kexec_load 0 1000 0
init_module init_module 0 0 0
reboot reboot 0 0 0x4321fedc
clock_settime clock_settime 0x7fffffff 0 0
settimeofday settimeofday 0 0 0
'
probes=$(awk 'NF { print $1 }' <<<"$table")

# What PROFILE says for each row, for the capabilities ward keeps (CAPS,
# comma-separated CAP_ names) on amd64 and this kernel: "allow", or the
# action ("errno=EPERM", "kill", ...).  Written from Docker's rules, not
# from ward's code: includes/excludes, the first unconditional rule
# decides, rules with the default action are skipped (runc), then the
# first rule whose conditions all match, else the default.
decide_py='
import errno, json, re, sys

prof = json.load(open(sys.argv[1]))
caps = set(c for c in sys.argv[2].split(",") if c)
kernel = tuple(int(x) for x in re.match(r"(\d+)\.(\d+)", sys.argv[3]).groups())

def ver(s):
    return tuple(int(x) for x in s.split("."))

def applies(r):
    inc, exc = r.get("includes") or {}, r.get("excludes") or {}
    if any(c in caps for c in exc.get("caps") or []): return False
    if "amd64" in (exc.get("arches") or []): return False
    if exc.get("minKernel") and kernel >= ver(exc["minKernel"]): return False
    if inc.get("arches") and "amd64" not in inc["arches"]: return False
    if any(c not in caps for c in inc.get("caps") or []): return False
    if inc.get("minKernel") and kernel < ver(inc["minKernel"]): return False
    return True

def action(a, ret, name):
    if a == "SCMP_ACT_ALLOW": return "allow"
    if a == "SCMP_ACT_ERRNO":
        n = ret if ret is not None else getattr(errno, name) if name else errno.EPERM
        return "errno=" + errno.errorcode[n]
    if a in ("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD"): return "kill"
    return a

default = action(prof["defaultAction"], prof.get("defaultErrnoRet"), prof.get("defaultErrno"))

def cmp(c, args):
    v, op = args[c["index"]], c["op"]
    a, b = c.get("value", 0), c.get("valueTwo", 0)
    return {"SCMP_CMP_EQ": v == a, "SCMP_CMP_NE": v != a, "SCMP_CMP_LT": v < a,
            "SCMP_CMP_LE": v <= a, "SCMP_CMP_GT": v > a, "SCMP_CMP_GE": v >= a,
            "SCMP_CMP_MASKED_EQ": (v & a) == b}[op]

def decide(name, args):
    rules = []
    for r in prof.get("syscalls") or []:
        names = r.get("names") or [r.get("name")]
        if name in names and applies(r):
            act = action(r["action"], r.get("errnoRet"), r.get("errno"))
            if act != default:
                rules.append((r.get("args") or [], act))
    for conds, act in rules:
        if not conds: return act
    for conds, act in rules:
        if all(cmp(c, args) for c in conds): return act
    return default

for line in sys.stdin:
    f = line.split()
    if f:
        print(f[0], decide(f[1], [int(x, 0) for x in f[2:]] + [0, 0, 0]))

'
expect() {
	python3 -c "$decide_py" "$1" "$2" "$(uname -r)" <<<"$table"
}

# One launch runs every probe: "PROBE RESULT" per line, ret=N normalised
# (pids and key serials differ from run to run).
sweep() {
	# shellcheck disable=SC2016 # expanded by the sandbox's shell
	run_ward run --bind "$PROBE:/probe" "$@" -- /bin/sh -c \
		'for s in "$@"; do printf "%s " "$s"; /probe syscall "$s" 2>&1; done' \
		sh $probes
	sed -E 's/ret=[0-9]+$/ret=N/' <<<"$OUT"
}

# check_profile LABEL JSON CAPS [WARD-OPTIONS...]
check_profile() {
	local label=$1 json=$2 caps=$3 got exp base p want
	shift 3
	got=$(sweep --seccomp "docker:$json" "$@")
	if [ "$RC" != 0 ]; then
		not_ok "$label: the sweep runs" "$(last_run)"
		return
	fi
	exp=$(expect "$json" "$caps")
	while read -r p want; do
		base=$(sed -n "s/^$p //p" <<<"$baseline")
		o=$(sed -n "s/^$p //p" <<<"$got")
		if [ "$want" = allow ] && [ "$o" = "$base" ]; then
			ok "$label: $p allowed, as the profile says ($o, as without a filter)"
		elif [ "$want" != allow ] && [ "$o" = "$want" ] && [ "$base" != "$want" ]; then
			ok "$label: $p denied, as the profile says ($o; without a filter: $base)"
		elif [ "$want" != allow ] && [ "$o" = "$want" ]; then
			ok "$label: $p gives $o, as the profile says (the kernel says the same when it is allowed)"
		else
			not_ok "$label: $p" "the profile says: $want" "observed: ${o:-<nothing>}" \
				"without a filter: $base" \
				"reproduce: $WARD run --seccomp docker:$json --bind $PROBE:/probe $* -- /probe syscall $p"
		fi
	done <<<"$exp"
}

# ---- Docker JSON profiles, syscall by syscall -----------------------------------

baseline=$(sweep --seccomp off-i-know)
expect_rc "baseline: the sweep runs without a filter" 0
check_profile "docker default" "$docker_json" ""
check_profile "containers/common default" "$podman_json" ""
# includes.caps: CAP_SYS_CHROOT brings chroot back in Docker's profile
check_profile "docker default, CAP_SYS_CHROOT kept" "$docker_json" CAP_SYS_CHROOT \
	--cap-keep SYS_CHROOT

probe_in --seccomp "docker:$docker_json" -- seccomp-mode
expect_out "docker:FILE loads a filter (Seccomp 2)" "seccomp=2"

# the profile's own seccomp-* lines on top of the JSON
probe_in --seccomp "docker:$docker_json" --seccomp-deny 'getpid errno=EACCES' -- syscall getpid
expect_out "docker:FILE with seccomp-deny on top: getpid gives EACCES" "errno=EACCES"

# as a profile directive
printf 'ward-profile 1\nseccomp docker:%s\n' "$docker_json" >"$TAP_TMP/docker.profile"
probe_in --profile "$TAP_TMP/docker.profile" -- syscall mount
expect_out "profile directive 'seccomp docker:FILE': mount refused" "errno=EPERM"

run_ward check --seccomp "docker:$docker_json"
expect_match "ward check names the Docker JSON profile" \
	"Docker JSON profile $docker_json" "$OUT"

# ---- refusals name the file and the JSON path ----------------------------------

printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["execve"],"action":"SCMP_ACT_ALLOW"},{"names":["read"],"action":"SCMP_ACT_FOO"}]}\n' \
	>"$TAP_TMP/bad-action.json"
run_ward run --seccomp "docker:$TAP_TMP/bad-action.json" -- /bin/true
expect_rc "unknown action: exit 202 (seccomp-build)" 202
expect_match "unknown action: file and JSON path named" \
	"^ward: seccomp-build: $TAP_TMP/bad-action.json: \\\$\\.syscalls\\[1\\]\\.action: unknown action \"SCMP_ACT_FOO\"" "$ERR"
printf '{"defaultAction":"SCMP_ACT_ERRNO",\n "syscalls":[,]}\n' >"$TAP_TMP/syntax.json"
run_ward run --seccomp "docker:$TAP_TMP/syntax.json" -- /bin/true
expect_rc "JSON syntax error: exit 202" 202
expect_match "JSON syntax error: file, line and column" \
	"$TAP_TMP/syntax.json:2:14: JSON syntax error" "$ERR"
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["execve"],"action":"SCMP_ACT_ALLOW","excludes":{"caps":["CAP_NOPE"]}}]}\n' \
	>"$TAP_TMP/bad-cap.json"
run_ward run --seccomp "docker:$TAP_TMP/bad-cap.json" -- /bin/true
expect_match "unknown capability: JSON path named" \
	'\$\.syscalls\[0\]\.excludes\.caps\[0\]: unknown capability "CAP_NOPE"' "$ERR"
run_ward run --seccomp "docker:$TAP_TMP/missing.json" -- /bin/true
expect_rc "missing file: exit 125 (plan)" 125

# ---- ward seccomp show -----------------------------------------------------------

run_ward seccomp show
expect_match "show: ward's default lists read with its groups" \
	'^allow read +# @ward-default \(@basic-io\)$' "$OUT"
expect_match "show: a denial with its errno and group" \
	'^deny ptrace errno=EPERM +# @ward-deny \(@debug\)$' "$OUT"
expect_match "show: the default action last" '^default errno=ENOSYS ' "$(tail -n1 <<<"$OUT")"
run_ward seccomp show --seccomp strict --seccomp-allow @timer
expect_match "show: a profile's seccomp-allow @group expanded and marked" \
	'^allow timer_create +# profile @timer$' "$OUT"
run_ward seccomp show --seccomp "docker:$docker_json"
expect_match "show: Docker's clone rule with its mask" \
	'^allow clone if \(arg0 & 0x7e020000\) == 0 +# \$\.syscalls\[18\]$' "$OUT"
expect_match "show: Docker's rules left out, and why" \
	'^# \$\.syscalls\[16\] \(open_by_handle_at\) not applied: needs CAP_DAC_READ_SEARCH$' "$OUT"
expect_match "show: Docker's default" '^default errno=EPERM ' "$OUT"

# ---- the exported filter loads elsewhere ---------------------------------------

if command -v bwrap >/dev/null; then
	"$WARD" seccomp export --seccomp "docker:$docker_json" >"$TAP_TMP/docker.bpf" 2>/dev/null
	run_cmd bwrap --ro-bind / / --seccomp 9 9<"$TAP_TMP/docker.bpf" "$PROBE" syscall mount
	if [ "$RC" = 0 ] && [ "$OUT" = errno=EPERM ]; then
		ok "seccomp export of docker:FILE: bwrap --seccomp loads it (mount refused)"
	elif grep -q "bwrap:" <<<"$ERR" && ! grep -q seccomp <<<"$ERR"; then
		skip "seccomp export of docker:FILE under bwrap" "bwrap cannot run here: $ERR"
	else
		not_ok "seccomp export of docker:FILE under bwrap" "$(last_run)"
	fi
else
	skip "seccomp export of docker:FILE under bwrap" "bwrap is not installed"
fi

# ---- ward seccomp learn ----------------------------------------------------------

run_ward seccomp learn -- /bin/true
expect_rc "learn -- /bin/true: exits as the program" 0
expect_match "learn: the fragment says to review it" '^# REVIEW BEFORE USE' "$OUT"
expect_match "learn: execve listed" '^seccomp-allow .*\bexecve\b' "$OUT"
expect_match "learn: exit_group listed" '^seccomp-allow .*\bexit_group\b' "$OUT"
expect_match "learn: says nothing was filtered" 'every syscall of /bin/true is reported' "$ERR"
fragment=$OUT
# the fragment is profile syntax, and enough for this program
{ printf 'ward-profile 1\nseccomp strict\n'; printf '%s\n' "$fragment"; } >"$TAP_TMP/learned.profile"
run_ward run --profile "$TAP_TMP/learned.profile" -- /bin/true
expect_rc "learn: its fragment over 'seccomp strict' runs /bin/true" 0

run_ward seccomp learn --output "$TAP_TMP/frag" -- /bin/echo hello
if [ "$RC" = 0 ] && [ "$OUT" = hello ] && grep -q '^seccomp-allow .*\bwrite\b' "$TAP_TMP/frag"; then
	ok "learn --output FILE: the program's output apart, write listed in FILE"
else
	not_ok "learn --output FILE" "$(last_run)" "file: $(cat "$TAP_TMP/frag" 2>&1)"
fi
run_ward seccomp learn --bind "$PROBE:/probe" -- /probe syscall ptrace
expect_match "learn: a call ward's policies refuse is only offered commented out" \
	'^# seccomp-allow .*\bptrace\b' "$OUT"
expect_no_match "learn: ... never as an allow line" '^seccomp-allow .*\bptrace\b' "$OUT"
expect_match "learn: the program ran unfiltered (ptrace reached the kernel)" '^errno=ESRCH$' "$OUT"
run_ward seccomp learn --mode entrypoint -- /bin/true
expect_rc "learn --mode entrypoint: refused (no launcher to answer)" 125

# ---- a SIGSYS death is named -----------------------------------------------------

kmsg_readable() { dd if=/dev/kmsg of=/dev/null bs=8192 count=1 iflag=nonblock 2>/dev/null; }
sigsys_case() {
	local label=$1
	shift
	run_ward run --bind "$PROBE:/probe" "$@" -- /probe syscall ptrace
	expect_rc "$label: the program dies of SIGSYS (128+31)" 159
	if kmsg_readable; then
		expect_match "$label: ward names the syscall" \
			'^ward: seccomp: the program was killed for calling ptrace \(101\), which the filter denies$' "$ERR"
	else
		expect_match "$label: ward says how to find the syscall" \
			'128\+SIGSYS: if the filter killed.*ward seccomp learn' "$ERR"
	fi
}
sigsys_case "seccomp-deny ptrace action=kill" --seccomp-deny 'ptrace action=kill'
sigsys_case "... with the program as pid 1" --no-init --seccomp-deny 'ptrace action=kill'
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_KILL_PROCESS"}]}\n' \
	>"$TAP_TMP/kill.json"
sigsys_case "docker:FILE with SCMP_ACT_KILL_PROCESS" --seccomp "docker:$TAP_TMP/kill.json"
# a plain exit status of 159 is not blamed on the filter
probe_in -- exit 159
if kmsg_readable; then
	expect_match "exit 159 without a kill: ward says the log has none" \
		'no seccomp kill of the program' "$ERR"
else
	expect_rc "exit 159 without a kill: the status is passed on" 159
fi
expect_no_match "exit 159 without a kill: no syscall is named" 'killed for calling' "$ERR"

# ---- the filter cache -------------------------------------------------------
# A policy file is built once and then served from WARD_CACHE_DIR; the
# filter the program runs under is the same either way, and a tampered
# entry, a shared directory or an edited policy mean a fresh build.
cache=$TAP_TMP/cache
policy=$TAP_TMP/no-net.policy
printf 'ward-seccomp 1\ndefault errno=EPERM\nallow @default @basic-io @file-system @io-event @signal @timer @sync @process\n' >"$policy"
cached_probe() {
	local WARD_PREFIX=(env "WARD_CACHE_DIR=$cache")
	probe_in -v --seccomp "$policy" -- syscall "$1"
}
cached_probe socket-inet
expect_out "cache, first launch: socket(AF_INET) denied by the policy" "errno=EPERM"
expect_match "cache, first launch: built and stored" 'built, stored in the filter cache' "$ERR"
cached_probe socket-inet
expect_out "cache, second launch: socket(AF_INET) still denied" "errno=EPERM"
expect_match "cache, second launch: the filter came from the cache" 'from the filter cache' "$ERR"
cached_probe getpid
expect_out_match "cache, second launch: allowed calls still work" '^ret=[0-9]+$'
entry=$(ls "$cache"/seccomp/*.bpf)
perms=$(stat -c '%a %u' "$cache/seccomp" "$entry" | tr '\n' ' ')
expect_eq "cache: the directory is 0700 and the entry 0600, both root's" "700 0 600 0 " "$perms"
# Flip one byte of the program (the last instruction): rebuilt, not used.
size=$(stat -c %s "$entry")
printf '\377' | dd of="$entry" bs=1 seek=$((size - 1)) conv=notrunc status=none
cached_probe socket-inet
expect_out "cache, tampered entry: socket(AF_INET) still denied" "errno=EPERM"
expect_match "cache, tampered entry: rebuilt and stored again" 'built, stored in the filter cache' "$ERR"
chmod 0770 "$cache/seccomp"
cached_probe socket-inet
expect_out "cache, group-writable directory: still denied" "errno=EPERM"
expect_match "cache, group-writable directory: not used" 'filter cache is off or not usable' "$ERR"
chmod 0700 "$cache/seccomp"
echo 'allow @network-io' >>"$policy"
cached_probe socket-inet
expect_out "cache, edited policy: the new policy applies (socket allowed)" "ret=0"
expect_match "cache, edited policy: rebuilt" 'built, stored in the filter cache' "$ERR"
# No sandbox may write the cache: a read-write bind that holds it is
# refused before anything starts; read-only is fine.
WARD_PREFIX=(env "WARD_CACHE_DIR=$cache")
run_ward run --bind "$cache:/c:rw" -- /bin/true
expect_rc "cache: a read-write bind of the cache directory is refused" 125
expect_match "cache: the refusal says why" "would let the program write ward's seccomp filter cache" "$ERR"
run_ward run --bind "$TAP_TMP:/t:rw" -- /bin/true
expect_rc "cache: a read-write bind of a directory holding it is refused" 125
run_ward run --bind "$cache:/c" -- /bin/true
expect_rc "cache: a read-only bind of it is allowed" 0
WARD_PREFIX=()
# Rootless callers get no cache unless they name one.
if [ "$(id -u)" = 0 ] && fixture_test_user && fixture_user_bins; then
	fixture_user_prefix
	WARD_PREFIX=(env -u WARD_CACHE_DIR "${WARD_PREFIX[@]}")
	saved=("$WARD" "$PROBE")
	WARD=$WARD_U PROBE=$PROBE_U
	probe_in -v --seccomp "$policy" -- syscall getpid
	WARD=${saved[0]} PROBE=${saved[1]} WARD_PREFIX=()
	expect_out_match "cache, rootless: the launch works" '^ret=[0-9]+$'
	expect_match "cache, rootless: no cache by default" 'filter cache is off or not usable' "$ERR"
else
	skip "cache, rootless default" "${FIXTURE_WHY:-not root, or cannot copy the binaries}"
fi

tap_done
