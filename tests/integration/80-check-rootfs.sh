#!/bin/bash
# ward check --rootfs DIR: the image audit (src/report/audit.c) through the real
# binary, in text and in JSON.  Nothing is launched.
#
# A planted tree: a setuid file, a world-writable directory and file, an
# .env, an OpenSSH private key, a key.pem that holds only a certificate
# (not a secret), a symlink bin/evil -> /etc/shadow and symlinks to a
# private key outside the tree (never followed), a symlink loop, a FIFO
# named like a key (must not hang the walk), busybox as bin/sh, a
# 70-level directory chain with a setuid file at the bottom (beyond the
# 64-level bound: reported, not an error), and an /etc/passwd with a
# second uid-0 account.  Then: a tmpfs mounted inside the tree is not
# crossed (root only, in a private mount namespace), an unreadable
# directory is counted, not fatal (as an unprivileged user), a missing
# root is an error, and a 30,000-file tree is audited in under 2 seconds.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

command -v python3 >/dev/null || skip_all "python3 is missing (package python3)"

SECRET_ENV=hunter2-env-content
SECRET_KEY=KEYMATERIALb3BlbnNzaC1rZXktdjE
SECRET_OUT=OUTSIDEKEYMATERIAL

# ---- the planted tree -----------------------------------------------------
fixture_dir T || skip_all "cannot create a directory under ${TMPDIR:-/tmp}"
R=$T/root
mkdir -p "$R"/{bin,usr/bin,srv/drop,tmp,app,home/app/.ssh,etc/ssl,loop,outside-ref} "$T/outside"
chmod 755 "$R"
if [ -x /bin/busybox ]; then
	cp /bin/busybox "$R/bin/sh"
else
	cp /bin/true "$R/bin/sh"
fi
printf '#!/bin/sh\n' >"$R/usr/bin/su" && chmod 4755 "$R/usr/bin/su"
chmod 0777 "$R/srv/drop"
echo hello >"$R/srv/open.txt" && chmod 0666 "$R/srv/open.txt"
chmod 1777 "$R/tmp"
echo "API_TOKEN=$SECRET_ENV" >"$R/app/.env"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n' \
	"$SECRET_KEY" >"$R/home/app/.ssh/id_ed25519"
printf -- '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n' \
	>"$R/etc/ssl/key.pem"
printf -- '-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n' \
	"$SECRET_OUT" >"$T/outside/real.pem"
ln -s /etc/shadow "$R/bin/evil"
ln -s /etc/shadow "$R/app/id_rsa"
ln -s ../../outside/real.pem "$R/app/leak.pem"
ln -s "$T/outside/real.pem" "$R/app/abs.pem"
ln -s "$T/outside" "$R/outside-ref/dir"
mkfifo "$R/app/secret.key"
ln -s b "$R/loop/a"
ln -s a "$R/loop/b"
ln -s . "$R/loop/self"
ln -s .. "$R/loop/up"
python3 - "$R/deep" <<'EOF'
import os, sys
p = sys.argv[1]
os.makedirs(os.path.join(p, *["d"] * 69))
leaf = os.path.join(p, *["d"] * 69, "su")
open(leaf, "w").write("#!/bin/sh\n")
os.chmod(leaf, 0o4755)
EOF
cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
toor:x:0:0:backdoor:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
app:x:10001:10001:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF

# row ID: the table line of row ID in $OUT
row() {
	grep -E "^$1 " <<<"$OUT"
}

# ---- text ---------------------------------------------------------------------
run_ward check --rootfs "$R"
expect_rc "check --rootfs exits 0 on a risky tree" 0
expect_match "setuid: 1 file, weight 1.5; the one 70 levels down is out of reach" \
	'^rootfs\.setuid +RISK +1\.5 +1 setuid/setgid file: /usr/bin/su$' \
	"$(row rootfs.setuid)"
expect_match "world-writable: the directory and the file, weight 1.5" \
	'^rootfs\.world-writable +RISK +1\.5 +1 world-writable directory without the sticky bit: /srv/drop; 1 world-writable file: /srv/open\.txt$' \
	"$(row rootfs.world-writable)"
expect_match "secrets: .env and id_ed25519, weight 3.0" \
	'^rootfs\.secrets +RISK +3\.0 +2 files that look like secrets: ' \
	"$(row rootfs.secrets)"
s=$(row rootfs.secrets)
if grep -q '/app/\.env' <<<"$s" && grep -q '/home/app/\.ssh/id_ed25519' <<<"$s" &&
	! grep -Eq 'key\.pem|leak\.pem|abs\.pem|id_rsa|secret\.key' <<<"$s"; then
	ok "secrets: key.pem without a private key, symlinks and the FIFO do not count"
else
	not_ok "secrets: key.pem without a private key, symlinks and the FIFO do not count" "$s"
fi
expect_match "tools: a shell (busybox as sh), weight 0.2" \
	'^rootfs\.tools +RISK +0\.2 +shell \(sh\)$' "$(row rootfs.tools)"
expect_match "user: toor has uid 0, weight 2.0; app listed" \
	'^rootfs\.user +RISK +2\.0 +uid 0 besides root: toor; non-system users: app \(10001\)$' \
	"$(row rootfs.user)"
expect_match "size: an ok row" '^rootfs\.size +ok +0\.0 +[0-9.]+ (bytes|KiB|MiB) in [0-9,]+ files$' \
	"$(row rootfs.size)"
expect_match "walk: the deep chain is reported, not an error" \
	'^rootfs\.walk +RISK +0\.0 +walked [0-9,]+ entries in [0-9,]+ directories \(/proc, /sys, /dev not walked\); 1 directory deeper than 64 levels not entered$' \
	"$(row rootfs.walk)"
expect_match "a fix under the setuid row" '^ +fix: remove the setuid bit \(chmod u-s\)' "$OUT"
expect_match "the exposure line" '^exposure: [0-9]+\.[0-9] of 10 \((SAFE|OK|MEDIUM|EXPOSED|UNSAFE)\)$' "$OUT"
expect_no_match "no secret content in the table" "$SECRET_ENV|$SECRET_KEY|$SECRET_OUT" "$OUT$ERR"

# ---- JSON -----------------------------------------------------------------------
run_ward check --rootfs "$R" --json
expect_rc "check --rootfs --json exits 0" 0
printf '%s\n' "$OUT" >"$T/report.json"
py=$(python3 - "$T/report.json" "$R" <<'EOF' 2>&1
import json, sys
doc = json.load(open(sys.argv[1]))
root = sys.argv[2]
errs = []
def want(cond, what):
    if not cond:
        errs.append(what)
want(doc.get("schema") == 2, "schema is 2")
want(isinstance(doc.get("plan"), dict) and doc["plan"].get("rootfs") == root,
     "plan.rootfs is the tree")
rows = doc.get("rows", [])
for r in rows:
    want(set(r) == {"id", "ok", "weight", "finding", "fix", "finding_id", "severity",
                    "subject", "layer"}, "row keys: %r" % sorted(r))
    if r["id"].startswith("rootfs."):
        want(r["finding_id"] == r["id"] and r["subject"] is None and r["layer"] is None,
             "a rootfs row's finding id is its row id: %r" % r)
sev = {r["id"]: r["severity"] for r in rows}
for i, s in (("rootfs.setuid", "medium"), ("rootfs.world-writable", "medium"),
             ("rootfs.secrets", "high"), ("rootfs.tools", "low"), ("rootfs.user", "medium"),
             ("rootfs.size", "none"), ("rootfs.walk", "low")):
    want(sev.get(i) == s, "%s is %s, got %r" % (i, s, sev.get(i)))
ids = [r["id"] for r in rows]
by = {r["id"]: r for r in rows}
for i in ("rootfs.setuid", "rootfs.world-writable", "rootfs.secrets",
          "rootfs.tools", "rootfs.user", "rootfs.size", "rootfs.walk"):
    want(ids.count(i) == 1, "one row %s" % i)
expect = {
    "rootfs.setuid": (False, 1.5), "rootfs.world-writable": (False, 1.5),
    "rootfs.secrets": (False, 3.0), "rootfs.tools": (False, 0.2),
    "rootfs.user": (False, 2.0), "rootfs.size": (True, 0.0),
    "rootfs.walk": (False, 0.0),
}
for i, (ok, w) in expect.items():
    r = by.get(i, {})
    want(r.get("ok") is ok and abs(r.get("weight", -1) - w) < 1e-9,
         "%s ok=%s weight=%s, got %r" % (i, ok, w, r))
    if not ok and w > 0:
        want(r.get("fix"), "%s has a fix" % i)
want(by["rootfs.secrets"]["fix"].startswith("remove it from the image"),
     "secrets fix")
want("/usr/bin/su" in by["rootfs.setuid"]["finding"], "setuid names /usr/bin/su")
total = min(10.0, sum(r["weight"] for r in rows))
want(abs(doc.get("exposure", -1) - total) < 1e-6,
     "exposure %r is the sum %r" % (doc.get("exposure"), total))
v = doc.get("verdict")
e = doc.get("exposure", 0)
want(v == ("SAFE" if e < 1 else "OK" if e < 3 else "MEDIUM" if e < 6
           else "EXPOSED" if e < 8.5 else "UNSAFE"), "verdict %r for %r" % (v, e))
print("\n".join(errs) if errs else "ok")
EOF
)
expect_eq "JSON: schema 2, plan, one row per id with its ok/weight/fix/severity, exposure and verdict" ok "$py"
expect_no_match "no secret content in the JSON" "$SECRET_ENV|$SECRET_KEY|$SECRET_OUT" "$OUT"

# ---- CI: the gate on a tree ---------------------------------------------------------
# The tree's worst rows are high (rootfs.secrets, 3.0); no row is critical.
run_ward check --rootfs "$R" --fail-on critical
expect_rc "--rootfs --fail-on critical: no critical row, exit 0" 0
run_ward check --rootfs "$R" --fail-on high
expect_rc "--rootfs --fail-on high: the secrets row fails it, exit 3" 3
expect_match "--rootfs --fail-on high: stderr names rootfs.secrets" \
	'^ward: check: failed: 1 finding at or above high \(rootfs\.secrets\)$' "$ERR"
run_ward check --rootfs "$R" --max-exposure 10
expect_rc "--rootfs --max-exposure 10: never exceeded, exit 0" 0
run_ward check --rootfs "$R" --max-exposure 5 --json
if [ "$RC" = 3 ] && python3 -c 'import json, sys; assert json.load(sys.stdin)["exposure"] > 5' <<<"$OUT"; then
	ok "--rootfs --max-exposure 5 --json: exposure above 5, JSON on stdout, exit 3"
else
	not_ok "--rootfs --max-exposure 5 --json: exposure above 5, JSON on stdout, exit 3" "$(last_run)"
fi

# ---- hostile names stay printable -------------------------------------------------
fixture_dir H
printf '#!/bin/sh\n' >"$H/$(printf 'red\033[31mALERT')" && chmod 4755 "$H"/red*
run_ward check --rootfs "$H"
expect_match "a file name with an escape sequence is shown escaped" \
	'^rootfs\.setuid +RISK +1\.5 +1 setuid/setgid file: /red\\x1b\[31mALERT$' "$(row rootfs.setuid)"
run_ward check --rootfs "$H" --json
expect_true "the JSON stays valid with a hostile name" "$OUT" \
	python3 -c 'import json,sys; json.loads(sys.argv[1])' "$OUT"

# ---- mount points are not crossed -------------------------------------------------
if [ "$(id -u)" != 0 ] || ! unshare -m --propagation private true 2>/dev/null; then
	skip "a tmpfs inside the tree is not crossed" "needs root and unshare -m"
else
	fixture_dir M
	mkdir "$M/mnt"
	run_cmd unshare -m --propagation private sh -c '
		mount -t tmpfs -o mode=755 ward-audit-test "$1/mnt" || exit 99
		printf "#!/bin/sh\n" >"$1/mnt/su" && chmod 4755 "$1/mnt/su"
		exec "$2" check --rootfs "$1"' sh "$M" "$WARD"
	expect_match "a tmpfs inside the tree is not crossed" \
		'^rootfs\.setuid +ok .*no setuid or setgid file$' "$(row rootfs.setuid)"
	expect_match "the walk row counts the mount point" \
		'^rootfs\.walk +ok .*; 1 mount point not crossed$' "$(row rootfs.walk)"
fi

# ---- an unreadable directory is counted, not fatal ---------------------------------
if fixture_test_user; then
	fixture_user_bins || not_ok "copy ward for the test user"
	fixture_dir U
	mkdir -p "$U/locked/inner" && chmod 700 "$U/locked"
	run_cmd setpriv "--reuid=$WARD_TEST_UID" "--regid=$WARD_TEST_UID" --clear-groups -- \
		"$WARD_U" check --rootfs "$U"
	expect_rc "an unreadable directory is not fatal" 0
	expect_match "the walk row names it" \
		'^rootfs\.walk +RISK +0\.0 .*1 unreadable: /locked \(Permission denied\)$' "$(row rootfs.walk)"
else
	skip "an unreadable directory is not fatal" "$FIXTURE_WHY"
	skip "the walk row names it" "$FIXTURE_WHY"
fi

# ---- a missing root is an error ------------------------------------------------------
run_ward check --rootfs "$T/missing"
expect_rc "a missing --rootfs is refused" 125
expect_match "one line names it" "^ward: plan: --rootfs $T/missing: No such file or directory$" "$ERR"

# ---- speed: 30,000 files in under 2 seconds -------------------------------------------
fixture_dir B
python3 - "$B" <<'EOF'
import os, sys
b = sys.argv[1]
for i in range(300):
    d = os.path.join(b, "usr", "lib", "pkg%03d" % i, "sub")
    os.makedirs(d)
    for j in range(100):
        with open(os.path.join(d if j % 2 else os.path.dirname(d), "f%03d.py" % j), "w") as f:
            f.write("x = %d\n" % j)
EOF
t0=$(date +%s%N)
run_ward check --rootfs "$B"
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
expect_match "a 30,000-file tree: every entry walked" \
	'^rootfs\.walk +ok +0\.0 +walked 30,[0-9]{3} entries' "$(row rootfs.walk)"
# Speed is measured in bench/, not asserted here.
diag "a 30,000-file tree took ${ms} ms"

tap_done
