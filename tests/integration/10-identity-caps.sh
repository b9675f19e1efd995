#!/bin/bash
# Identity, capabilities, no_new_privs, seccomp mode and securebits, seen
# from inside the sandbox, as root and as an unprivileged user.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns

ZERO=0000000000000000
NOBODY="uid=65534/65534/65534/65534 gid=65534/65534/65534/65534 groups="
APP="uid=10001/10001/10001/10001 gid=10001/10001/10001/10001 groups="
# SECBIT_NOROOT(0) | _LOCKED(1) | SECBIT_NO_SETUID_FIXUP(2) | _LOCKED(3)
SECBITS_REQUIRED=0x0f
CAP_NET_BIND_SERVICE_MASK=0000000000000400

# status_field NAME: the value of NAME: in $OUT (probe status output).
status_field() {
	sed -n "s/^$1:[[:space:]]*//p" <<<"$OUT"
}

# caps_all WHO DESC VALUE: all five capability sets equal VALUE.
caps_all() {
	local set bad=""
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(status_field $set)" == "$3" ] || bad="$bad $set=$(status_field $set)"
	done
	if [ "$RC" = 0 ] && [ -z "$bad" ]; then
		ok "$1: $2"
	else
		not_ok "$1: $2" "expected every set = $3, wrong:${bad:- (exit status)}" "$(last_run)"
	fi
}

identity_suite() {
	local who=$1 root=$2

	probe_in -- id
	expect_out "$who: default uid/gid 65534, no supplementary groups" "$NOBODY"

	probe_in -- status
	caps_all "$who" "no capability in any set (CapBnd empty too)" "$ZERO"
	expect_eq "$who: NoNewPrivs is 1" "1" "$(status_field NoNewPrivs)"
	expect_eq "$who: seccomp filter mode (Seccomp 2)" "2" "$(status_field Seccomp)"
	local sb
	sb=$(sed -n 's/^securebits=//p' <<<"$OUT")
	if [[ $sb =~ ^0x[0-9a-f]+$ ]] &&
		[ $((sb & SECBITS_REQUIRED)) -eq $((SECBITS_REQUIRED)) ]; then
		ok "$who: securebits NOROOT and NO_SETUID_FIXUP set and locked ($sb)"
	else
		not_ok "$who: securebits NOROOT and NO_SETUID_FIXUP set and locked" \
			"expected bits $SECBITS_REQUIRED set, observed securebits=${sb:-?}" "$(last_run)"
	fi

	probe_root "$root" -- id
	expect_out "$who: busybox rootfs, default uid/gid 65534" "$NOBODY"

	probe_root "$root" --user 10001:10001 -- id
	expect_out "$who: --user 10001:10001 in the busybox rootfs" "$APP"

	probe_root "$root" --user app -- id
	expect_out "$who: --user app resolved from the rootfs's /etc/passwd" "$APP"

	probe_root "$root" --user 10001:10001 -- status
	caps_all "$who" "--user 10001: no capability in any set" "$ZERO"

	probe_in --cap-keep NET_BIND_SERVICE -- status
	caps_all "$who" "--cap-keep NET_BIND_SERVICE: every set is exactly 0x400" \
		"$CAP_NET_BIND_SERVICE_MASK"

	probe_in --cap-keep NET_BIND_SERVICE -- bind-tcp 80
	expect_out "$who: --cap-keep NET_BIND_SERVICE: bind 127.0.0.1:80 works" "ok"

	probe_in -- bind-tcp 80
	expect_out "$who: without caps, bind 127.0.0.1:80 is refused" "errno=EACCES"

	probe_in -- bind-tcp 8080
	expect_out "$who: without caps, bind 127.0.0.1:8080 works (loopback up)" "ok"
}

fixture_rootfs ROOTFS || skip_all "cannot build the busybox rootfs"

if [ "$(id -u)" = 0 ]; then
	identity_suite root "$ROOTFS"

	# Root's supplementary groups must not follow it into the sandbox
	# (default --groups clear).
	# shellcheck disable=SC2054 # setpriv takes a comma-separated list
	WARD_PREFIX=(setpriv --groups 4,100 --)
	probe_in -- id
	expect_out "root with groups 4,100: groups cleared inside" "$NOBODY"
	WARD_PREFIX=()

	# The same again as an unprivileged user.
	if fixture_test_user && fixture_user_bins; then
		fixture_user_prefix
		WARD=$WARD_U PROBE=$PROBE_U FIXTURE_PROBE=$PROBE_U
		identity_suite "user $WARD_TEST_UID" "$ROOTFS"
		WARD_PREFIX=()
	else
		skip "unprivileged identity tests" "${FIXTURE_WHY:-cannot copy the binaries}"
	fi
else
	identity_suite "user $(id -u)" "$ROOTFS"
	skip "root identity tests" "not running as root"
fi

tap_done
