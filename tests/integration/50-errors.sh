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

tap_done
