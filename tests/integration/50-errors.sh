#!/bin/bash
# ward's own failures: bad usage and bad plans exit 125 with one "ward: "
# line on stderr, and nothing is started.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns

fixture_dir SPOOL 777 || skip_all "cannot create a directory"
MARKER=$SPOOL/marker

# one_error_line: $ERR is a single "ward: " error line, optionally followed
# by one "ward: hint: " line (explain.c prints a hint after every error).
one_error_line() {
	local first rest
	first=${ERR%%$'\n'*}
	rest=${ERR#"$first"}
	rest=${rest#$'\n'}
	[[ $first == "ward: "* ]] && [[ $first != "ward: hint: "* ]] || return 1
	[ -z "$rest" ] && return 0
	[[ $rest == "ward: hint: "* ]] && [[ $rest != *$'\n'* ]]
}

# refused DESC WARD-OPTIONS...: `ward run OPTIONS -- probe write marker`
# must exit 125 with one "ward: " error line on stderr (plus its hint), and
# the marker must not appear.  Sets ERR for further checks.
refused() {
	local desc=$1
	shift
	rm -f "$MARKER"
	run_ward run --bind "$PROBE:/probe" --bind "$SPOOL:/spool:rw" "$@" \
		-- /probe write /spool/marker started
	if [ "$RC" = 125 ] && one_error_line; then
		ok "$desc: exit 125, one 'ward: ' error line"
	else
		not_ok "$desc: exit 125, one 'ward: ' error line" \
			"expected exit 125 and one stderr line 'ward: ...' (plus an optional 'ward: hint: ...')" \
			"$(last_run)"
	fi
	if [ ! -e "$MARKER" ]; then
		ok "$desc: nothing started"
	else
		not_ok "$desc: nothing started" "the command ran: $MARKER exists" "$(last_run)"
	fi
}

# Control: the marker command itself works, so its absence means something.
rm -f "$MARKER"
run_ward run --bind "$PROBE:/probe" --bind "$SPOOL:/spool:rw" \
	-- /probe write /spool/marker started
if [ "$RC" = 0 ] && [ "$(cat "$MARKER" 2>/dev/null)" = started ]; then
	ok "control: a valid launch creates the marker"
else
	not_ok "control: a valid launch creates the marker" "$(last_run)"
fi

refused "unknown flag --no-such-flag" --no-such-flag
refused "--net with a bad value" --net bogus
refused "--seccomp /nonexistent" --seccomp /nonexistent
refused "--user nosuchuser" --user nosuchuser
refused "--user with a uid out of range" --user 4294967296
refused "--cap-keep NOT_A_CAP" --cap-keep NOT_A_CAP
refused "--cap-keep with one bad name in a list" --cap-keep NET_BIND_SERVICE,BOGUS
refused "--rlimit with an unknown resource" --rlimit nosuchlimit=1
refused "--rlimit with a non-number" --rlimit nofile=abc
refused "--rlimit soft above hard" --rlimit nofile=128:64
refused "--groups with a bad value" --groups bogus,stuff
refused "--init with a bad value" --init maybe
refused "--tmpfs with a relative destination" --tmpfs scratch
refused "--bind with a relative destination" --bind "$SPOOL:relative/dst"

missing=/nonexistent-ward-src-$$
refused "--bind of a missing source" --bind "$missing:/x"
expect_match "--bind of a missing source: the message names the path" \
	"$missing" "$ERR"

# Kernel file systems never come in through a bind, however deep they
# are mounted beneath it, and however long the mount table's line for
# them is (spaces are written there as \040: 3000 of them make a line of
# more than 12 KiB).
if [ "$(id -u)" = 0 ] && fixture_dir KDIR; then
	long=$KDIR/long
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
		long+=/$(printf '%250s' '')
	done
	if mkdir -p "$KDIR/short/k" "$long" &&
		mount -t proc proc "$KDIR/short/k" && tap_cleanup umount -l "$KDIR/short/k" &&
		mount -t proc proc "$long" && tap_cleanup umount -l "$long"; then
		refused "--bind of a directory holding a proc mount" --bind "$KDIR/short:/k"
		expect_match "--bind holding a proc mount: the message names the mount" \
			"holds a proc mount at $KDIR/short/k" "$ERR"
		refused "--bind holding a proc mount with a 12 KiB mountinfo line" \
			--bind "$KDIR/long:/k"
		expect_match "--bind holding a proc mount with a long line: named" \
			"holds a proc mount at $KDIR/long/ " "$ERR"
		refused "--bind of a directory inside a proc mounted elsewhere" \
			--bind "$KDIR/short/k/1:/k"
		expect_match "--bind inside a proc mount: the file system is named" \
			"$KDIR/short/k/1 is on a proc file system" "$ERR"
		refused "--rootfs inside a proc mounted elsewhere" --rootfs "$KDIR/short/k/1"
		expect_match "--rootfs inside a proc mount: the file system is named" \
			"$KDIR/short/k/1 is on a proc file system" "$ERR"
	else
		not_ok "mounting proc beneath a test directory" "mkdir or mount failed"
	fi
else
	skip "kernel file systems beneath a bind" "needs root to mount proc"
fi

# No command at all.
run_ward run --bind "$PROBE:/probe"
if [ "$RC" = 125 ] && [[ $ERR == "ward: "* ]]; then
	ok "no command: exit 125 with a 'ward: ' message"
else
	not_ok "no command: exit 125 with a 'ward: ' message" "$(last_run)"
fi

run_ward no-such-subcommand
expect_rc "unknown subcommand: exit 125" 125
run_ward chek
expect_match "an unknown command suggests the nearest one" \
	'^ward: hint: did you mean ward check\?$' "$ERR"

# ---- every plan error at once, in file and line order ------------------------------
# A profile with five mistakes, found by the parser (rlimit, directive)
# and by resolution (bind source, user, tmpfs), in an order that is not
# the lines' order: one run reports all five, by line, and nothing starts.
five=$SPOOL/five.profile
cat >"$five" <<'EOF_PROFILE'
ward-profile 1
# five mistakes
bind /nonexistent-ward-five:/five
rlimit nofiles=64
user nosuchuser-ward-five
tcp-bnd 8080
tmpfs relative
EOF_PROFILE
rm -f "$MARKER"
run_ward run --bind "$PROBE:/probe" --bind "$SPOOL:/spool:rw" --profile "$five" \
	-- /probe write /spool/marker started
expect_rc "a profile with five mistakes: exit 125" 125
expect_true "a profile with five mistakes: nothing started" "$MARKER exists" \
	test ! -e "$MARKER"
lines=$(grep -oE "^(ward: plan: )?$five:[0-9]+:" <<<"$ERR" | grep -oE ':[0-9]+:$' | tr -d ':' | tr '\n' ' ')
expect_eq "a profile with five mistakes: all five reported in one run, in line order" \
	"3 4 5 6 7 " "$lines"
expect_match "... each saying what is wrong (bind)" "$five:3:6: --bind /nonexistent-ward-five:/five: source /nonexistent-ward-five: No such file or directory" "$ERR"
expect_match "... each saying what is wrong (user)" "$five:5:6: --user nosuchuser-ward-five: no such user" "$ERR"
expect_match "... and the count" '^ward: plan: 5 errors; nothing was started$' "$ERR"
# The command line's errors come first.
run_ward run --profile "$five" --hostname 'bad!' -- /bin/true
expect_match "the command line's error is listed before the profile's" \
	"^ward: usage: --hostname bad!: only letters" "$(head -1 <<<"$ERR")"
expect_match "... and counted with them" '^ward: usage: 6 errors; nothing was started$' "$ERR"
# Where one error makes a later check meaningless, it is skipped.
run_ward run --rootfs /nonexistent-ward-root --user nosuchuser -- /bin/true
expect_match "a missing --rootfs is reported" '^ward: plan: --rootfs /nonexistent-ward-root: No such file' "$ERR"
expect_no_match "... and the user is not looked up in a root that is not there" 'nosuchuser' "$ERR"

# ---- did you mean -------------------------------------------------------------------
run_ward run --cap-add NET_RAW -- /bin/true
expect_match "--cap-add: did you mean --cap-keep" '^ward: hint: did you mean --cap-keep\?' "$ERR"
run_ward run --rlimit nofiles=64 -- /bin/true
expect_match "--rlimit nofiles: did you mean nofile" '^ward: hint: did you mean nofile\?$' "$ERR"
run_ward run --cap-keep NET_BIND_SERVIC -- /bin/true
expect_match "--cap-keep NET_BIND_SERVIC: did you mean NET_BIND_SERVICE" \
	'^ward: hint: did you mean NET_BIND_SERVICE\?$' "$ERR"
run_ward run --tcp-bnd 80 -- /bin/true
expect_match "--tcp-bnd: did you mean --tcp-bind" '^ward: hint: did you mean --tcp-bind\?' "$ERR"
expect_match "a profile's unknown directive: did you mean, under the caret" \
	'^  hint: did you mean tcp-bind\?$' "$(cd "$SPOOL" && "$WARD" run --profile "$five" -- /bin/true 2>&1)"
# Profile names: the names found in the search path (./profiles here).
run_cmd env -C "$here/../.." "$WARD" run --profile ngnix -- /bin/true
expect_match "--profile ngnix: did you mean nginx" '^ward: hint: did you mean nginx\?' "$ERR"

# ---- hints: specific or none --------------------------------------------------------
run_ward run --net host --cap-keep NET_BIND_SERVICE -- /bin/true
expect_match "--net host --cap-keep NET_BIND_SERVICE: the hint says what to do instead (--listen)" \
	'^ward: hint: for a port below 1024, let ward bind it and hand it over: --listen' "$ERR"
run_ward run --tmpfs scratch -- /bin/true
expect_no_match "a plan error without advice has no generic hint" '^ward: hint:' "$ERR"
run_ward run --no-such-flag -- /bin/true
expect_no_match "no hint names a manual that does not exist" 'ward-run\(1\)' "$ERR"

# ---- help ---------------------------------------------------------------------------
run_ward -h
expect_out_match "ward -h: the usage, on stdout" '^usage: ward run '
run_ward seccomp --help
expect_out_match "ward seccomp --help: the seccomp commands" '^ +ward seccomp learn '
expect_no_match "... and only those" 'ward run ' "$OUT"
run_ward check --help
expect_out_match "ward check --help: its own --json" '^  --json '
expect_out_match "ward check --help: its own --image" '^  --image FILE '
expect_out_match "ward check --help: its own --suggest" '^  --suggest '
run_cmd env -C "$SPOOL" HOME="$SPOOL" XDG_CONFIG_HOME="$SPOOL" "$WARD" profiles
if grep -q '^  used ' <<<"$OUT"; then
	skip "ward profiles says when it finds none" "a profile directory is installed on this machine"
else
	expect_out_match "ward profiles says when it finds none" '^  none found in the search path above$'
fi

# ---- port lists add up --------------------------------------------------------------
run_ward run --bind "$PROBE:/probe" --tcp-bind 18080 --tcp-bind 18081 -- /bin/sh -c \
	'/probe bind-tcp 18080; /probe bind-tcp 18081; /probe bind-tcp 18082'
expect_out "--tcp-bind 18080 --tcp-bind 18081: both bind, 18082 is EACCES (Landlock)" \
	"$(printf 'ok\nok\nerrno=EACCES')"
ports=$SPOOL/ports.profile
printf 'ward-profile 1\ntcp-bind 18080\n' >"$ports"
run_ward run --bind "$PROBE:/probe" --profile "$ports" --tcp-bind 18081 -- /bin/sh -c \
	'/probe bind-tcp 18080; /probe bind-tcp 18081'
expect_out "--tcp-bind on the command line replaces the profile's" \
	"$(printf 'errno=EACCES\nok')"

# The exit-code table.
run_ward exit-codes
if [ "$RC" = 0 ] && grep -Eq '(^|[[:space:]])125([[:space:]]|$)' <<<"$OUT" &&
	grep -Eq '(^|[[:space:]])126([[:space:]]|$)' <<<"$OUT" &&
	grep -Eq '(^|[[:space:]])127([[:space:]]|$)' <<<"$OUT" &&
	grep -Eq '(^|[[:space:]])2[0-9][0-9]([[:space:]]|$)' <<<"$OUT"; then
	ok "ward exit-codes lists 125, 126, 127 and the 2xx setup codes"
else
	not_ok "ward exit-codes lists 125, 126, 127 and the 2xx setup codes" "$(last_run)"
fi
codes=$(awk 'NR > 3 { print $1 }' <<<"$OUT")
expect_eq "ward exit-codes: sorted by code" "$(sort -n <<<"$codes")" "$codes"

tap_done
