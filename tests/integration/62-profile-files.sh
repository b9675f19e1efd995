#!/bin/bash
# Which files ward reads as profiles: only regular files (a FIFO would
# block the open forever, a device's open can have effects), named on the
# command line or included; and, when ward runs as root, a profile found
# by name only in directories root alone controls: not in a ./profiles,
# $XDG_CONFIG_HOME or ~/.config that another user can change (a symlink
# there to a root-owned profile, nginx's with the host's network, was
# loaded).  Nothing here starts a sandbox: `ward check` loads the
# profile, builds the plan and stops.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck shell=bash source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

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

# ---- root: the search path holds only what root alone controls -------------

# expect_err DESC ERE...: some stderr line matches each ERE.
expect_err() {
	local desc=$1 re
	shift
	for re in "$@"; do
		if ! grep -Eq -- "$re" <<<"$ERR"; then
			not_ok "$desc" "expected a stderr line matching: $re" "$(last_run)"
			return
		fi
	done
	ok "$desc"
}

# expect_loaded DESC HOSTNAME: ward check accepted the plan, whose
# hostname (set by the profile) is HOSTNAME, and skipped nothing.
expect_loaded() {
	if [ "$RC" = 0 ] && grep -Eq "^hostname: +$2\$" <<<"$OUT" &&
		! grep -q 'skipping' <<<"$ERR"; then
		ok "$1"
	else
		not_ok "$1" "expected exit 0, hostname $2, no skip notice" "$(last_run)"
	fi
}

root_tests() {
	local T N=ward-trust-$$ U=$WARD_TEST_UID
	fixture_trusted_dir T || {
		not_ok "a directory only root controls, under /run" "$FIXTURE_WHY"
		return
	}
	# What a user would link to: a root-owned profile outside the search
	# path that shares the host's network.
	mkdir "$T/sys"
	printf 'ward-profile 1\nnet host\nhostname linked-target\n' >"$T/sys/hostnet.profile"
	# A directory another user owns (root's cwd, or what XDG_CONFIG_HOME
	# or HOME name): profiles there are symlinks to it.
	mkdir -p "$T/att/profiles" "$T/att/cfg/ward/profiles" "$T/att/.config/ward/profiles"
	for l in "profiles/strict" "profiles/$N" "profiles/inc-$N" \
		"cfg/ward/profiles/xdg-$N" ".config/ward/profiles/home-$N"; do
		ln -s "$T/sys/hostnet.profile" "$T/att/$l.profile"
	done
	chown -R "$U:$U" "$T/att"
	cd "$T/att" || return

	run_ward check --profile "$N"
	expect_err "root, cwd owned by uid $U: ./profiles/$N.profile (a symlink) is skipped, with a notice, and the lookup fails" \
		"^ward: profiles: skipping $T/att/profiles: $T/att is owned by uid $U\$" \
		"^ward: profile: profile '$N': No such file or directory"
	run_ward check --profile strict
	if grep -q 'linked-target' <<<"$OUT" || ! grep -q "^ward: profiles: skipping $T/att/profiles: " <<<"$ERR" ||
		{ [ "$RC" != 0 ] && ! grep -q "^ward: profile: profile 'strict': No such file or directory" <<<"$ERR"; }; then
		not_ok "root: --profile strict from that cwd does not load the symlink; the installed strict or a clear error" "$(last_run)"
	else
		ok "root: --profile strict from that cwd does not load the symlink; the installed strict or a clear error"
	fi
	run_cmd env "XDG_CONFIG_HOME=$T/att/cfg" "$WARD" check --profile "xdg-$N"
	expect_err "root: \$XDG_CONFIG_HOME in a directory of uid $U is skipped (sudo -E keeps it)" \
		"^ward: profiles: skipping $T/att/cfg/ward/profiles: $T/att is owned by uid $U\$" \
		"^ward: profile: profile 'xdg-$N': No such file or directory"
	run_cmd env -u XDG_CONFIG_HOME "HOME=$T/att" "$WARD" check --profile "home-$N"
	expect_err "root: ~/.config in a home of uid $U is skipped" \
		"^ward: profiles: skipping $T/att/.config/ward/profiles: $T/att is owned by uid $U\$" \
		"^ward: profile: profile 'home-$N': No such file or directory"

	# Root's own directories, 0755 all the way from /.
	mkdir -p "$T/good/profiles"
	printf 'ward-profile 1\nhostname trusted-%s\n' "$$" >"$T/good/profiles/$N.profile"
	cd "$T/good" || return
	run_ward check --profile "$N"
	expect_loaded "root: a profile in a ./profiles owned by root, 0755 all the way from /, is loaded" "trusted-$$"
	ln -s "$N.profile" "$T/good/profiles/link-$N.profile"
	run_ward check --profile "link-$N"
	expect_err "root: a symlink found by name, even in a trusted directory, is refused" \
		"^ward: profile: profiles/link-$N.profile is a symlink: as root, a profile found by name must not be one"

	# A directory on the way writable by its group, or by others.
	for d in gw:775:"writable by its group" ww:1777:"writable by others"; do
		mkdir -p "$T/${d%%:*}/profiles"
		cp "$T/good/profiles/$N.profile" "$T/${d%%:*}/profiles/"
		chmod "$(cut -d: -f2 <<<"$d")" "$T/${d%%:*}"
		cd "$T/${d%%:*}" || return
		run_ward check --profile "$N"
		expect_err "root: ./profiles below a directory ${d##*:} is skipped" \
			"^ward: profiles: skipping $T/${d%%:*}/profiles: $T/${d%%:*} is ${d##*:}\$" \
			"^ward: profile: profile '$N': No such file or directory"
	done

	# Includes by name from a trusted profile: next to it (relative to
	# its directory), then the trusted search path only.
	printf 'ward-profile 1\ninclude base-%s\n' "$N" >"$T/good/profiles/top-$N.profile"
	printf 'ward-profile 1\nhostname base-%s\n' "$$" >"$T/good/profiles/base-$N.profile"
	cd "$T/good" || return
	run_ward check --profile "top-$N"
	expect_loaded "root: a trusted profile includes a file next to it by name" "base-$$"
	printf 'ward-profile 1\ninclude inc-%s\n' "$N" >"$T/good/profiles/inc-top-$N.profile"
	cd "$T/att" || return
	run_ward check --profile "$T/good/profiles/inc-top-$N.profile"
	expect_err "root: an include is not taken from an untrusted ./profiles either" \
		"^ward: profiles: skipping $T/att/profiles: $T/att is owned by uid $U\$" \
		"^$T/good/profiles/inc-top-$N.profile:2:9: error: cannot include 'inc-$N': No such file or directory\$"
	mkdir -m 775 "$T/good/profiles/sub"
	cp "$T/good/profiles/base-$N.profile" "$T/good/profiles/sub/"
	printf 'ward-profile 1\ninclude sub/base-%s\n' "$N" >"$T/good/profiles/sub-top-$N.profile"
	cd "$T/good" || return
	run_ward check --profile "sub-top-$N"
	expect_err "root: an include below a group-writable directory of a trusted one is refused" \
		"^profiles/sub-top-$N.profile:2:9: error: cannot include 'sub/base-$N': profiles/sub is writable by its group"

	# ward profiles: the search path, what was skipped and why, and the
	# file each name loads.
	mkdir -p "$T/xdg/ward/profiles"
	cp "$T/good/profiles/$N.profile" "$T/xdg/ward/profiles/"
	ln -s "$N.profile" "$T/xdg/ward/profiles/link-$N.profile"
	cd "$T/gw" || return
	run_cmd env "XDG_CONFIG_HOME=$T/xdg" "$WARD" profiles
	local want=("^search path:\$"
		"^  skipped  $T/gw/profiles: $T/gw is writable by its group\$"
		"^  used     $T/xdg/ward/profiles\$"
		"^  (used|absent)  +/etc/ward/profiles\$"
		"^profiles:\$"
		"^  $N +$T/xdg/ward/profiles/$N.profile\$"
		"^  link-$N +refused: $T/xdg/ward/profiles/link-$N.profile is a symlink")
	local re missing=""
	for re in "${want[@]}"; do
		grep -Eq -- "$re" <<<"$OUT" || missing="$missing
$re"
	done
	if [ "$RC" = 0 ] && [ -z "$missing" ] && [ -z "$ERR" ]; then
		ok "root: ward profiles shows the search path, the skipped entry and why, and where each profile comes from"
	else
		not_ok "root: ward profiles shows the search path, the skipped entry and why, and where each profile comes from" \
			"missing lines:$missing" "$(last_run)"
	fi

	# Other callers keep their search path as it was.
	if fixture_test_user && fixture_user_bins; then
		cd "$T/att" || return
		run_cmd setpriv "--reuid=$U" "--regid=$U" --clear-groups -- \
			env WARD_CACHE_DIR=off "$WARD_U" check --profile "$N"
		expect_loaded "uid $U: its own ./profiles (a symlink there) is used as before" linked-target
	else
		not_ok "uid $U: its own ./profiles is used as before" "${FIXTURE_WHY:-cannot copy the binaries}"
	fi
	cd / || return
}

if [ "$(id -u)" = 0 ]; then
	root_tests
else
	skip "root's profile search path: trusted directories only" "needs root"
fi

tap_done
