#!/bin/bash
# Which files ward reads as profiles: only regular files (a FIFO would
# block the open forever, a device's open can have effects), named on the
# command line or included.  Nothing here starts a sandbox: `ward check`
# loads the profile, builds the plan and stops.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck shell=bash source=tests/lib/tap.sh
. "$here/../lib/tap.sh"

# A hang must fail the test, not stall the suite.
WARD_TIMEOUT=5

# expect_refused DESC ERE: ward exited 125 (not a timeout) and said ERE
# on stderr.
expect_refused() {
	if [ "$RC" = 125 ] && grep -Eq -- "$2" <<<"$ERR"; then
		ok "$1"
	else
		not_ok "$1" "expected exit status 125 and stderr matching: $2" "$(last_run)"
	fi
}

# ---- not a regular file ----------------------------------------------------

F=$TAP_TMP/files
mkdir -p "$F"
mkfifo "$F/p.profile"
printf 'ward-profile 1\ninclude p.profile\n' >"$F/top.profile"
printf 'ward-profile 1\ninclude /dev/null\n' >"$F/dev.profile"

run_ward check --profile "$F/p.profile"
expect_refused "a FIFO as --profile is refused at once, with its name" \
	"^ward: profile: $F/p.profile is a FIFO, not a regular file\$"
run_ward check --profile "$F/top.profile"
expect_refused "a FIFO as an include target is refused at once, at the include line" \
	"^$F/top.profile:2:9: error: cannot include 'p.profile': $F/p.profile is a FIFO, not a regular file\$"
run_ward check --profile /dev/null
expect_refused "a character device (/dev/null) as --profile is refused" \
	'^ward: profile: /dev/null is a character device, not a regular file$'
run_ward check --profile "$F/dev.profile"
expect_refused "a character device as an include target is refused at the include line" \
	"^$F/dev.profile:2:9: error: cannot include '/dev/null': /dev/null is a character device, not a regular file\$"
# An explicit path through a symlink stays legal.
printf 'ward-profile 1\nhostname via-link\n' >"$F/real.profile"
ln -s real.profile "$F/link.profile"
run_ward check --profile "$F/link.profile"
expect_out_match "a profile named through a symlink on the command line is read" \
	'^ward: check: the plan is valid; nothing was started$'

tap_done
