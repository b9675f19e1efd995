#!/bin/bash
# ward explain lists every step of the plan; ward check scores the shipped
# profiles as safe, a profile that grants everything as unsafe, and the
# best configuration reaches the best score (0.0).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

PROFILES=$(cd "$here/../../profiles" && pwd)
fixture_dir WORK 755 || skip_all "cannot create a directory"

# ---- ward explain ----------------------------------------------------------

run_ward explain --bind /etc/hostname:/srv/name --tmpfs /scratch --rlimit nofile=64
for step in "validate every option" "new user, mount, pid, network" \
	"map sandbox uid 10001" "read-only, nosuid, nodev" "fresh /proc" \
	"build /dev with" "tmpfs on /tmp and /run" "private tmpfs on /scratch" \
	"bind /etc/hostname to /srv/name read-only" "refuse any bind that reaches" \
	"pivot_root" "bring up only lo" "set the hostname to ward" \
	"new session without a controlling terminal" "close every inherited" \
	"enter / and check" "apply resource limits: nofile=64, core=0, nproc=" "clear the capability bounding set" \
	"set supplementary groups" "drop every capability" "set no_new_privs" \
	"read every id, capability set" "ward's init as pid 1" \
	"load the seccomp filter last" "execute /bin/true"; do
	expect_out_match "explain lists: $step" "$step"
done
n=$(grep -c 'defends: ' <<<"$OUT")
steps=$(grep -cE '^ ?[0-9]+\. ' <<<"$OUT")
expect_eq "explain: every step says what it defends against" "$steps" "$n"

run_ward explain --net host --seccomp off-i-know --cap-keep CHOWN --init no -- /bin/sh
expect_out_match "explain follows the plan: host network" "share the host's network"
expect_out_match "explain follows the plan: no filter" "load NO syscall filter"
expect_out_match "explain follows the plan: kept capability" "keep only cap_chown"
expect_out_match "explain follows the plan: own init" "run the program itself as pid 1"
expect_out_match "explain follows the plan: the command" "execute /bin/sh"

# ---- ward check: shipped profiles --------------------------------------------

exposure() { sed -nE 's/^exposure: ([0-9.]+) of 10 \(([A-Z]+)\)$/\1 \2/p' <<<"$OUT"; }

for p in default strict demo; do
	run_ward check --profile "$PROFILES/$p.profile"
	expect_out_match "check --profile $p: SAFE" '^exposure: 0\.[0-9] of 10 \(SAFE\)$'
done
for p in nginx redis python-web node-web postgres; do
	run_ward check --profile "$PROFILES/$p.profile"
	expect_out_match "check --profile $p: at most OK (host network is its one risk)" \
		'^exposure: [0-2]\.[0-9] of 10 \((SAFE|OK)\)$'
done

# ---- a profile that grants everything ------------------------------------------

cat >"$WORK/bad.profile" <<'PROFILE'
ward-profile 1
net host
cap-keep SYS_ADMIN,DAC_OVERRIDE,SYS_PTRACE
seccomp off-i-know
allow-engine-socket docker
env API_TOKEN=not-a-real-token
PROFILE
chmod 644 "$WORK/bad.profile"
run_ward check --profile "$WORK/bad.profile" --bind "$WORK:/data:rw"
expect_out_match "a profile that grants everything: UNSAFE" '^exposure: 10\.0 of 10 \(UNSAFE\)$'
for id in caps.kept net seccomp writable env.secret engine-socket; do
	expect_out_match "the bad profile's risk is named: $id" "^$id +RISK "
done
if grep -q 'not-a-real-token' <<<"$OUT"; then
	not_ok "the secret's value is never printed" "$(last_run)"
else
	ok "the secret's value is never printed"
fi

# ---- the best configuration reaches 0.0 ---------------------------------------

mkdir -p "$WORK/img/bin" "$WORK/img/etc" && cp "$PROBE" "$WORK/img/bin/app"
printf 'root:x:0:0::/:/nonexistent\napp:x:10001:10001::/:/nonexistent\n' >"$WORK/img/etc/passwd"
printf 'root:x:0:\napp:x:10001:\n' >"$WORK/img/etc/group"
run_ward check --rootfs "$WORK/img" --user app --net none --seccomp strict \
	--rlimit nproc=16 --rlimit nofile=64
expect_out_match "the best configuration reaches 0.0 (SAFE)" '^exposure: 0\.0 of 10 \(SAFE\)$'

# ---- entrypoint mode and the fallback are named ------------------------------

run_ward check --mode entrypoint
expect_out_match "check --mode entrypoint: the missing namespaces are a risk" '^namespaces +RISK +3\.0 '
expect_out_match "check --mode entrypoint: Landlock keeps the file system read-only" '^landlock +ok '
printf 'ward-profile 1\nmode entrypoint\nlandlock optional\n' >"$TAP_TMP/ll.profile"
chmod 644 "$TAP_TMP/ll.profile"
run_ward check --profile "$TAP_TMP/ll.profile"
expect_out_match "check: 'landlock optional' is a risk" '^landlock +RISK '
printf 'ward-profile 1\nfallback entrypoint\n' >"$WORK/fb.profile"
chmod 644 "$WORK/fb.profile"
run_ward check --profile "$WORK/fb.profile"
expect_out_match "check: a profile's fallback entrypoint is a risk" '^fallback +RISK +1\.0 '

# ---- ward seccomp export: the filter, loadable by bwrap -----------------------------

"$WARD" seccomp export >"$WORK/default.bpf" 2>"$WORK/export.err"
RC=$?
size=$(stat -c %s "$WORK/default.bpf" 2>/dev/null || echo 0)
if [ "$RC" = 0 ] && [ "$size" -gt 0 ] && [ $((size % 8)) = 0 ]; then
	ok "seccomp export: raw BPF, $((size / 8)) instructions"
else
	not_ok "seccomp export: raw BPF" "exit $RC, $size bytes: $(cat "$WORK/export.err")"
fi
if command -v bwrap >/dev/null; then
	for case in "mount errno=EPERM" "clone3 errno=ENOSYS" "getpid ret="; do
		set -- $case
		out=$(bwrap --ro-bind / / --dev /dev --proc /proc --seccomp 3 \
			-- "$PROBE" syscall "$1" 3<"$WORK/default.bpf" 2>&1)
		if [[ $out == "$2"* ]]; then
			ok "seccomp export: loaded by bwrap --seccomp, $1 gives $2"
		else
			not_ok "seccomp export: loaded by bwrap --seccomp, $1 gives $2" "got: $out"
		fi
	done
else
	not_ok "seccomp export: bwrap (package bubblewrap) to load the filter" "bwrap is missing"
fi
run_ward seccomp export --seccomp off-i-know
expect_rc "seccomp export with off-i-know: nothing to export (125)" 125

# ---- JSON ------------------------------------------------------------------------

run_ward check --json --profile "$WORK/bad.profile"
if [ "$RC" = 0 ] && PY_OUT=$(python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["schema"] == 2, d["schema"]
assert d["verdict"] == "UNSAFE" and d["exposure"] == 10.0
assert set(d["plan"]) >= {"rootless", "rootfs", "uid", "gid", "capabilities", "net", "seccomp"}
def severity(r):
    w = r["weight"]
    return ("none" if r["ok"] else "critical" if w >= 5 else "high" if w >= 2.5
            else "medium" if w >= 1 else "low")
for r in d["rows"]:
    assert set(r) == {"id", "ok", "weight", "finding", "fix", "finding_id", "severity",
                      "subject", "layer"}, r
    assert r["ok"] == (r["weight"] == 0.0) or r["ok"] is False
    assert r["severity"] == severity(r), r
    assert r["finding_id"] == r["id"] + (":" + r["subject"] if r["subject"] else ""), r
    assert r["layer"] is None, r
ids = [r["finding_id"] for r in d["rows"]]
assert len(ids) == len(set(ids)), ids
risks = {r["finding_id"]: r["severity"] for r in d["rows"] if not r["ok"]}
assert {"engine-socket:docker", "seccomp", "net", "env.secret:API_TOKEN"} <= set(risks), risks
assert risks["caps.kept:cap_sys_admin"] == "critical", risks
assert risks["caps.kept:cap_dac_override"] == "high", risks
assert risks["engine-socket:docker"] == "critical", risks
assert risks["net"] == "medium", risks
print("ok")' <<<"$OUT" 2>&1) && [ "$PY_OUT" = ok ]; then
	ok "check --json: schema 2, every row with a unique finding_id and its severity"
else
	not_ok "check --json: schema 2, every row with a unique finding_id and its severity" "$PY_OUT" "$(last_run)"
fi

# ---- CI: --fail-on and --max-exposure ---------------------------------------------
# The default profile has one low row (root: the host's /usr, 0.3); the
# bad profile has critical ones.  Without the flags the status stays 0.

run_ward check --profile "$PROFILES/default.profile" --fail-on medium
expect_rc "--fail-on medium: the default profile (one low row) passes, exit 0" 0
run_ward check --profile "$PROFILES/default.profile" --fail-on low
expect_rc "--fail-on low: the default profile's low row fails it, exit 3" 3
expect_match "--fail-on low: stderr names the finding" \
	'^ward: check: failed: 1 finding at or above low \(root\)$' "$ERR"
expect_match "--fail-on low: the report is printed all the same" '^exposure: 0\.3 of 10 \(SAFE\)$' "$OUT"
run_ward check --profile "$WORK/bad.profile" --fail-on=critical
expect_rc "--fail-on=critical: the bad profile fails, exit 3" 3
expect_match "--fail-on critical: names the critical findings" \
	'^ward: check: failed: 2 findings at or above critical \(caps\.kept:cap_sys_admin, engine-socket:docker' "$ERR"
run_ward check --profile "$WORK/bad.profile"
expect_rc "the bad profile without --fail-on: exit 0" 0
run_ward check --profile "$PROFILES/default.profile" --max-exposure 0.3
expect_rc "--max-exposure 0.3: exposure 0.3 does not exceed it, exit 0" 0
run_ward check --profile "$PROFILES/default.profile" --max-exposure 0.2
expect_rc "--max-exposure 0.2: exposure 0.3 exceeds it, exit 3" 3
expect_match "--max-exposure: stderr says by how much" \
	'^ward: check: failed: exposure 0\.3 above 0\.2$' "$ERR"
run_ward check --profile "$WORK/bad.profile" --max-exposure 9.9 --json
if [ "$RC" = 3 ] && python3 -c 'import json, sys; assert json.load(sys.stdin)["exposure"] == 10.0' <<<"$OUT"; then
	ok "--max-exposure with --json: the JSON on stdout, exit 3"
else
	not_ok "--max-exposure with --json: the JSON on stdout, exit 3" "$(last_run)"
fi
for bad in "--fail-on severe" "--fail-on none" "--fail-on" "--max-exposure 11" \
	"--max-exposure -1" "--max-exposure high" "--fail-on low --fail-on high"; do
	# shellcheck disable=SC2086
	run_ward check $bad
	expect_rc "check $bad: a usage error (125)" 125
done
run_ward exit-codes
expect_out_match "ward exit-codes lists 3 for ward check's gate" '^3 +check +ward check --fail-on/--max-exposure'

tap_done
