#!/bin/bash
# Secrets at runtime (--secret NAME=FILE|fd:N|env:VAR), observed from
# inside: /run/secrets/NAME holds the value, mode 0400, owned by the
# program's uid, on a read-only tmpfs; the value is in no environment
# (the program's, /proc/1/environ, any host process's while it runs) and
# in no file of the rootfs or the host's temporary directories afterwards;
# env: sources are scrubbed; world-readable files, symlinks, FIFOs and
# oversized sources are refused (228); ward check names secret-looking
# --env values and secret-env.  As root, rootless (the test user), and in
# entrypoint mode (simulated: a private mount namespace with a tmpfs on
# /run/secrets).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns

# Sources live in their own directory, which the leak scans skip; the
# value is matched through a pattern file there (a grep with the value in
# its argv would find itself in /proc).
SRC=$(mktemp -d "${TMPDIR:-/tmp}/ward-secret-src.XXXXXX") || skip_all "mktemp failed"
tap_cleanup rm -rf "$SRC"
chmod 755 "$SRC"
VALUE="ward-s3cret-$RANDOM$RANDOM$RANDOM"
printf '%s' "$VALUE" >"$SRC/db"
chmod 600 "$SRC/db"
printf '%s\n' "$VALUE" >"$SRC/pattern"
fixture_dir MARK 777 || skip_all "cannot create a directory"

# leaks PATH...: the files under PATH... holding the value (FIFOs skipped).
leaks() {
	timeout 60 grep -rlsF -D skip --exclude-dir='ward-secret-src.*' -f "$SRC/pattern" "$@"
}

# with_value CMD...: CMD with WARD_T_DBVALUE=<the value> in its
# environment, kept off command lines (and so out of every diagnostic).
with_value() {
	export WARD_T_DBVALUE=$VALUE
	"$@"
	export -n WARD_T_DBVALUE
	unset WARD_T_DBVALUE
}

# ---- the file, seen from inside ------------------------------------------------

probe_in --secret db="$SRC/db" -- cat /run/secrets/db
expect_out "the program reads /run/secrets/db: the secret's content" "$VALUE"
probe_in --secret db="$SRC/db" -- stat /run/secrets/db
expect_out_match "/run/secrets/db: mode 0400, owned by the program's uid and gid (10001)" \
	'^type=reg mode=0400 uid=10001 gid=10001 '
probe_in --user 10001:10002 --secret db="$SRC/db" -- stat /run/secrets/db
expect_out_match "--user 10001:10002: the file is owned by 10001:10002" \
	'^type=reg mode=0400 uid=10001 gid=10002 '
probe_in --secret db="$SRC/db" -- write /run/secrets/db overwritten
expect_out "the program cannot write its secret (read-only mount: EROFS)" "errno=EROFS"
probe_in --secret db="$SRC/db" -- write /run/secrets/other x
expect_out "nor add a file next to it (EROFS)" "errno=EROFS"
probe_in --secret db="$SRC/db" -- mounts-full
expect_match "/run/secrets is a read-only, nosuid, nodev, noexec tmpfs of its own" \
	'^/run/secrets ro,nosuid,nodev,noexec[, ][^ ]* tmpfs ward-secrets ' "$OUT"
expect_eq "the source file is untouched" "$VALUE" "$(cat "$SRC/db")"

# ---- never in an environment -------------------------------------------------

probe_in --secret db="$SRC/db" -- env
if [ "$RC" = 0 ] && ! grep -qF "$VALUE" <<<"$OUT"; then
	ok "the secret is not in the program's environment"
else
	not_ok "the secret is not in the program's environment" "$(last_run)"
fi
probe_in --secret db="$SRC/db" -- cat /proc/1/environ
if ! grep -qF "$VALUE" <<<"$OUT$ERR"; then
	ok "the secret is not in /proc/1/environ (ward's init: ${OUT:0:40})"
else
	not_ok "the secret is not in /proc/1/environ" "$(last_run)"
fi

with_value run_cmd "$WARD" run --bind "$PROBE:/probe" \
	--secret db=env:WARD_T_DBVALUE -- /bin/sh -c '/probe cat /run/secrets/db; echo; /probe env'
if [ "$RC" = 0 ] && [ "$(head -n1 <<<"$OUT")" = "$VALUE" ] &&
	[ "$(grep -cF "$VALUE" <<<"$OUT")" = 1 ] && ! grep -q '^WARD_T_DBVALUE=' <<<"$OUT"; then
	ok "env:VAR: the file has the value; VAR is not in the program's environment"
else
	not_ok "env:VAR: the file has the value; VAR is not in the program's environment" "$(last_run)"
fi

# While the program runs, no process on the host shows the value in its
# environ or cmdline: ward zeroed the env: source in its own environment
# block, which /proc/PID/environ of ward (and of its clone, the sandbox's
# pid 1) reads.
with_value ward_bg "$TAP_TMP/bg" run --bind "$PROBE:/probe" --secret db=env:WARD_T_DBVALUE -- \
	/bin/sh -c '/probe cat /run/secrets/db >/dev/null && echo ready && /probe sleep 5'
if wait_for_line "$TAP_TMP/bg" '^ready$' 5; then
	found=$(grep -lsaF -f "$SRC/pattern" /proc/[0-9]*/environ /proc/[0-9]*/cmdline)
	# (no last_run in the diagnostic: it would print the value)
	if [ -z "$found" ]; then
		ok "while it runs: the value is in no process's /proc/PID/environ or cmdline"
	else
		not_ok "while it runs: the value is in no process's /proc/PID/environ or cmdline" \
			"found in: $found"
	fi
else
	not_ok "while it runs: the value is in no process's /proc/PID/environ" \
		"the sandbox did not start: $(cat "$TAP_TMP/bg" "$TAP_TMP/bg.err")"
fi
kill -TERM "$WARD_PID" 2>/dev/null
wait_bg "$WARD_PID" 10

# ---- fd:N ---------------------------------------------------------------------------

probe_in --secret db=fd:3 -- cat /run/secrets/db 3<"$SRC/db"
expect_out "fd:3 (a file): the program reads the value" "$VALUE"
probe_in --secret db=fd:3 -- fds 3<"$SRC/db"
expect_out "fd:3 is consumed: the program has only 0, 1, 2" "fds=0,1,2"
out=$(printf '%s' "$VALUE" | timeout 10 "$WARD" run --bind "$PROBE:/probe" --secret db=fd:0 -- \
	/probe cat /run/secrets/db 2>&1)
expect_eq "fd:0 from a pipe" "$VALUE" "$out"
out=$(timeout 10 "$WARD" run --bind "$PROBE:/probe" --secret db=fd:0 -- \
	/probe cat /run/secrets/db 2>&1 <<<"$VALUE")
expect_eq "fd:0 from a here-string" "$VALUE" "$out"

# ---- secret-env: only when asked, and named a risk ----------------------------------

probe_in --secret db="$SRC/db" --secret-env db -- env
expect_out_match "secret-env db: db=VALUE in the environment" "^db=$VALUE\$"
run_ward check --secret db="$SRC/db" --secret-env db
expect_out_match "check: secret-env is a RISK" '^secret\.env +RISK '
expect_out_match "check: the secret is listed (name and source kind)" \
	'^secret +ok +0\.0 +db from file, /run/secrets/db 0400'
expect_out_match "check's plan: a secret line, never the value" '^secret: +db from file -> /run/secrets/db \(0400\)'
expect_no_match "check never prints the value" "$VALUE" "$OUT"
run_ward explain --secret db="$SRC/db"
expect_out_match "explain: the secrets step" 'write 1 secret\(s\) \(db\).*/run/secrets'

# ---- refusals: nothing starts ---------------------------------------------------------

started() { [ -e "$MARK/ran" ]; }
refused() { # DESC ERE: exit 228, stderr matches, the program never ran
	if [ "$RC" = 228 ] && grep -Eq -- "$2" <<<"$ERR" && ! started; then
		ok "$1"
	else
		not_ok "$1" "$(last_run)"
	fi
	rm -f "$MARK/ran"
}
printf 'x' >"$SRC/open" && chmod 644 "$SRC/open"
probe_in --bind "$MARK:/mark:rw" --secret db="$SRC/open" -- write /mark/ran x
refused "a world-readable source is refused with its errno (228)" \
	"^ward: secrets: secret db: $SRC/open is readable by every user \\(mode 0644\\), so ward refuses it: Permission denied\$"
# The advice is the hint line, after the errno: the line with the errno
# must not read as if ward's own chmod had failed.
refused "a world-readable source: the hint line gives the chmod (228)" \
	"^ward: hint: take the other users' access away: chmod 600 $SRC/open\$"
if ! grep -q 'chmod.*Permission denied' <<<"$ERR"; then
	ok "a world-readable source: no chmod before the errno"
else
	not_ok "a world-readable source: no chmod before the errno" "$(last_run)"
fi
ln -s db "$SRC/link"
probe_in --bind "$MARK:/mark:rw" --secret db="$SRC/link" -- write /mark/ran x
refused "a symlink source is refused (228)" 'is a symlink; name the file itself'
mkfifo -m 600 "$SRC/fifo"
probe_in --bind "$MARK:/mark:rw" --secret db="$SRC/fifo" -- write /mark/ran x
refused "a FIFO by path is refused without blocking (228)" 'not a regular file \(pass a pipe as fd:N\)'
truncate -s 1048577 "$SRC/big" && chmod 600 "$SRC/big"
probe_in --bind "$MARK:/mark:rw" --secret db="$SRC/big" -- write /mark/ran x
refused "a source over 1 MiB is refused (228)" 'larger than 1048576 bytes'
probe_in --bind "$MARK:/mark:rw" --secret db="$SRC/missing" -- write /mark/ran x
refused "a missing source is refused (228)" "secret db: $SRC/missing: No such file"
probe_in --bind "$MARK:/mark:rw" --secret db=env:WARD_T_UNSET_VAR -- write /mark/ran x
refused "env:VAR not set is refused (228)" 'env:WARD_T_UNSET_VAR is not set'
probe_in --bind "$MARK:/mark:rw" --secret ../x="$SRC/db" -- write /mark/ran x
expect_rc "a name with '/' is bad usage (125)" 125
probe_in --secret db="$SRC/db" --bind "$MARK:/run/secrets" -- true
expect_rc "a bind onto /run/secrets is refused (125)" 125

# ---- in an image: a warning for a baked-in secret; no trace left in the tree ------------

fixture_rootfs ROOT || skip_all "cannot build a busybox rootfs"
printf 'baked-%s' "$RANDOM$RANDOM" >"$ROOT/etc/baked" && chmod 600 "$ROOT/etc/baked"
probe_root "$ROOT" --secret db="$ROOT/etc/baked" -- stat /run/secrets/db
if [ "$RC" = 0 ] && grep -q "^ward: WARNING: secret db: $ROOT/etc/baked lies inside the rootfs" <<<"$ERR"; then
	ok "a source inside the rootfs draws a warning (a secret baked into the image)"
else
	not_ok "a source inside the rootfs draws a warning" "$(last_run)"
fi
probe_root "$ROOT" --user app --secret db="$SRC/db" -- cat /run/secrets/db
expect_out "--rootfs, --user app: the program reads the value" "$VALUE"
probe_root "$ROOT" --user app --secret db="$SRC/db" -- /bin/sh -c \
	'cp /run/secrets/db /tmp/copy; cat /run/secrets/db > /run/copy; /probe stat /tmp/copy'
probe_root "$ROOT" --user app --secret db="$SRC/db" -- stat /run/secrets/db
expect_out_match "--rootfs, --user app: owned by app (10001)" '^type=reg mode=0400 uid=10001 gid=10001 '
found=$(leaks "$ROOT" "${TMPDIR:-/tmp}" /tmp /var/tmp /dev/shm)
expect_eq "afterwards the value is in no file of the rootfs, /tmp, /var/tmp or /dev/shm" "" "$found"

# ---- rootless ------------------------------------------------------------------------------

if [ "$(id -u)" != 0 ]; then
	skip "rootless: the test user" "the rootless cases run when the suite starts as root"
elif fixture_test_user && fixture_user_bins; then
	install -m 600 -o "$WARD_TEST_UID" -g "$WARD_TEST_UID" "$SRC/db" "$SRC/user-db"
	saved_ward=$WARD
	WARD=$WARD_U
	fixture_user_prefix
	run_ward run --bind "$PROBE_U:/probe" --secret db="$SRC/user-db" -- /bin/sh -c \
		'/probe stat /run/secrets/db; /probe cat /run/secrets/db; echo; /probe write /run/secrets/db x; /probe env'
	if [ "$RC" = 0 ] && grep -q '^type=reg mode=0400 uid=10001 gid=10001 ' <<<"$OUT" &&
		[ "$(sed -n 2p <<<"$OUT")" = "$VALUE" ] && [ "$(sed -n 3p <<<"$OUT")" = errno=EROFS ] &&
		[ "$(grep -cF "$VALUE" <<<"$OUT")" = 1 ]; then
		ok "rootless: 0400, owned by the sandbox uid, the value, read-only, not in the environment"
	else
		not_ok "rootless: 0400, owned by the sandbox uid, the value, read-only" "$(last_run)"
	fi
	chmod 644 "$SRC/user-db"
	run_ward run --bind "$PROBE_U:/probe" --secret db="$SRC/user-db" -- /probe exit 0
	expect_rc "rootless: a world-readable source is refused too (228)" 228
	WARD_PREFIX=()
	WARD=$saved_ward
else
	not_ok "rootless: the unprivileged test user" "$FIXTURE_WHY"
fi

# ---- ward check: secret-looking --env, from the command line and a profile ------------------

run_ward check --env API_TOKEN=not-a-real-token-value
expect_out_match "check --env API_TOKEN=...: env.secret RISK" '^env\.secret +RISK +2\.0 +API_TOKEN looks like a secret'
expect_out_match "check --env API_TOKEN=...: the fix is --secret" 'fix: --secret API_TOKEN=FILE \(or fd:N, env:VAR\)'
expect_no_match "check never prints the --env value" 'not-a-real-token-value' "$OUT"
printf 'ward-profile 1\nenv API_TOKEN=not-a-real-token-value\n' >"$MARK/env.profile"
chmod 644 "$MARK/env.profile"
run_ward check --profile "$MARK/env.profile"
expect_out_match "check --profile with 'env API_TOKEN=...': env.secret RISK" '^env\.secret +RISK +2\.0 +API_TOKEN '
GH="ghp_$(printf 'a%.0s' {1..36})"
run_ward check --env CONFIG_VALUE="$GH"
expect_out_match "check: a token-shaped value under a plain name is a RISK" \
	'^env\.secret +RISK +2\.0 +CONFIG_VALUE holds what looks like a GitHub token'
expect_no_match "check never prints the token" "$GH" "$OUT"
run_ward check --env DB_PASS=hunter2-WARDTEST --env DATABASE_URL=postgres://app:s3cr3t-WARDTEST@db/app \
	--env REPO_URL=https://user@example.com/r.git --env COMPASS_DIR=/opt/compass
expect_out_match "check: DB_PASS is a RISK" '^env\.secret +RISK +2\.0 +DB_PASS looks like a secret in the environment'
expect_out_match "check: a URL with credentials is a RISK" \
	'^env\.secret +RISK +2\.0 +DATABASE_URL holds what looks like a URL with credentials in the environment'
expect_no_match "check: a URL without a password and COMPASS_DIR are not flagged" \
	'^env\.secret .*(REPO_URL|COMPASS_DIR)' "$OUT"
expect_no_match "check never prints the password or the URL's password" 'WARDTEST' "$OUT$ERR"
run_ward check --env LANG=C.UTF-8
expect_out_match "check: a plain --env is fine" '^env\.secret +ok '

# ---- entrypoint mode (no mount namespace): the container's /run/secrets tmpfs ----------------

if [ "$(id -u)" != 0 ] || ! unshare -m --propagation private true 2>/dev/null; then
	skip "entrypoint mode: secrets" "needs root and unshare -m"
elif ! fixture_user_bins; then
	not_ok "entrypoint mode: a probe the dropped user can run" "fixture_user_bins failed"
else
	unset DOCKER_HOST CONTAINER_HOST CONTAINERD_ADDRESS BUILDKIT_HOST
	# ep SETUP ARGS...: ward run --mode entrypoint ARGS in a private mount
	# namespace after SETUP (sh), with a private /run (no engine sockets).
	ep() {
		local setup="mount -t tmpfs -o mode=755 ward-t-run /run && $1 && exec \"\$@\""
		shift
		run_cmd unshare -m --propagation private \
			/bin/sh -c "$setup" sh "$WARD" run --mode entrypoint --user 10001 "$@"
	}
	with_tmpfs='mkdir /run/secrets && mount -t tmpfs -o mode=0700 ward-t-secrets /run/secrets'
	with_value ep "$with_tmpfs" --secret db="$SRC/db" --secret db2=env:WARD_T_DBVALUE -- /bin/sh -c \
		"$PROBE_U stat /run/secrets/db; $PROBE_U cat /run/secrets/db2; echo; $PROBE_U write /run/secrets/db x; $PROBE_U env"
	if [ "$RC" = 0 ] && grep -q '^type=reg mode=0400 uid=10001 gid=10001 ' <<<"$OUT" &&
		[ "$(sed -n 2p <<<"$OUT")" = "$VALUE" ] && [ "$(sed -n 3p <<<"$OUT")" = errno=EACCES ] &&
		[ "$(grep -cF "$VALUE" <<<"$OUT")" = 1 ] && ! grep -q '^WARD_T_DBVALUE=' <<<"$OUT"; then
		ok "entrypoint: /run/secrets tmpfs: 0400 files owned by the user, unwritable; env:VAR not passed on"
	else
		not_ok "entrypoint: /run/secrets tmpfs: 0400 files owned by the user" "$(last_run)"
	fi
	ep 'true' --secret db="$SRC/db" -- "$PROBE_U" exit 0
	if [ "$RC" = 228 ] && grep -q '/run/secrets does not exist.*docker run --tmpfs /run/secrets' <<<"$ERR"; then
		ok "entrypoint: no /run/secrets: refused, naming docker run --tmpfs (228)"
	else
		not_ok "entrypoint: no /run/secrets: refused, naming docker run --tmpfs (228)" "$(last_run)"
	fi
	ep 'mkdir /run/secrets && mount --bind /usr/share /run/secrets && mount -o remount,bind,ro /run/secrets' \
		--secret db="$SRC/db" -- "$PROBE_U" exit 0
	if [ "$RC" = 228 ] && grep -q '/run/secrets is not a tmpfs' <<<"$ERR"; then
		ok "entrypoint: /run/secrets on a disk file system: refused (228)"
	else
		not_ok "entrypoint: /run/secrets on a disk file system: refused (228)" "$(last_run)"
	fi
	ep "$with_tmpfs && touch /run/secrets/db" --secret db="$SRC/db" -- "$PROBE_U" exit 0
	if [ "$RC" = 228 ] && grep -q '/run/secrets/db exists already' <<<"$ERR"; then
		ok "entrypoint: an existing /run/secrets/NAME is not overwritten (228)"
	else
		not_ok "entrypoint: an existing /run/secrets/NAME is not overwritten (228)" "$(last_run)"
	fi
fi

# ---- ward check never reads fd: or env: sources ------------------------------------------

left=$(printf 'pipe-value\n' | { "$WARD" check --secret db=fd:0 >/dev/null 2>&1; cat; })
if [ "$left" = pipe-value ]; then
	ok "ward check --secret db=fd:0 leaves the pipe unread (nothing runs, nothing is used up)"
else
	not_ok "ward check --secret db=fd:0 leaves the pipe unread" "left: '$left'"
fi

tap_done
