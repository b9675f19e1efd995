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
# The default sandbox user (not the overflow id 65534) and --user 10001.
APP="uid=10001/10001/10001/10001 gid=10001/10001/10001/10001 groups="
DEFAULT=$APP
OVERFLOW="uid=65534/65534/65534/65534 gid=65534/65534/65534/65534 groups="
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
	expect_out "$who: default uid/gid 10001, no supplementary groups" "$DEFAULT"

	# Files of host root are not the program's own: they show as the
	# overflow id, which is not the program's uid.
	local prog_uid=${OUT#uid=}
	prog_uid=${prog_uid%%/*}
	probe_in -- stat /etc/passwd
	expect_out_match "$who: host root's /etc/passwd shows the overflow id 65534" \
		'^type=reg mode=0644 uid=65534 gid=65534 '
	expect_true "$who: host root's /etc/passwd is not owned by the program (uid $prog_uid)" \
		"the program's uid $prog_uid owns it: $OUT" \
		test "$(sed -n 's/.* uid=\([0-9]*\) .*/\1/p' <<<"$OUT")" != "$prog_uid"
	probe_root "$root" -- stat /bin/busybox
	expect_out_match "$who: busybox rootfs: root's files show the overflow id, not the program's" \
		"^type=reg mode=[0-7]+ uid=65534 gid=65534 "

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
	expect_out "$who: busybox rootfs, default uid/gid 10001" "$DEFAULT"

	probe_in --user 65534 -- id
	expect_out "$who: --user 65534 stays possible" "$OVERFLOW"
	expect_match "$who: --user 65534: a notice says files of unmapped owners look like its own" \
		"look like the program's own" "$ERR"

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

# The host id reserved for the default user ("ward" in /etc/subuid).
reserved_id() {
	sed -n "s/^ward:\([0-9]*\):[0-9]*$/\1/p" "/etc/sub$1" | head -n 1
}

# As root, the default user is the reserved host id, which no host account
# has: a process of the host's nobody cannot signal the sandbox, and files
# it writes belong to the reserved id.  An explicit --user keeps inside N
# = host N.
host_view_suite() {
	local root=$1 uid gid pids pid bad=""
	uid=$(reserved_id uid)
	gid=$(reserved_id gid)
	if [ -z "$uid" ] || [ -z "$gid" ]; then
		not_ok "root: /etc/subuid and /etc/subgid reserve an id for ward" \
			"no ward entry (the suite runs 'ward reserve-id')"
		return
	fi
	expect_true "root: the reserved id $uid:$gid is not the host's nobody" \
		"reserved $uid:$gid" test "$uid:$gid" != 65534:65534
	expect_true "root: the reserved id has no /etc/passwd or /etc/group entry" \
		"$(getent passwd "$uid") $(getent group "$gid")" \
		test -z "$(getent passwd "$uid")$(getent group "$gid")"

	ward_bg "$TAP_TMP/bg" run --bind "$PROBE:/probe" -- /probe sleep 20
	for _ in $(seq 100); do
		# the program: its command line, not ward's
		pids=$(pgrep -x -f '/probe sleep 20')
		[ -n "$pids" ] && break
		sleep 0.05
	done
	for pid in $pids; do
		grep -q "^Uid:[[:space:]]*$uid[[:space:]]" "/proc/$pid/status" &&
			grep -q "^Gid:[[:space:]]*$gid[[:space:]]" "/proc/$pid/status" ||
			bad="$bad $pid:$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$pid/status")"
	done
	expect_true "root: seen from the host, the program runs as $uid:$gid" \
		"pids: ${pids:-none}; not $uid:$gid:$bad" test -n "$pids" -a -z "$bad"
	bad=""
	for pid in $pids; do
		setpriv --reuid=65534 --regid=65534 --clear-groups -- kill -0 "$pid" 2>/dev/null &&
			bad="$bad nobody-signalled-$pid"
		setpriv --reuid=65534 --regid=65534 --clear-groups -- kill -KILL "$pid" 2>/dev/null &&
			bad="$bad nobody-killed-$pid"
	done
	if [ -n "$pids" ] && [ -z "$bad" ] && kill -0 "$WARD_PID" 2>/dev/null; then
		ok "root: the host's nobody cannot signal the sandboxed program (kill -0, kill -9: EPERM)"
	else
		not_ok "root: the host's nobody cannot signal the sandboxed program" \
			"pids: ${pids:-none}; wrong:${bad:- (ward gone)}" "$LAST_CMD"
	fi
	kill -KILL "$WARD_PID" 2>/dev/null
	wait "$WARD_PID" 2>/dev/null

	# Without the reservation (an empty /etc/subuid, in a private mount
	# namespace), the default user is refused with the one command that
	# fixes it; an explicit --user still runs.  A subuid file others can
	# write is no reservation either.
	local empty="$TAP_TMP/subuid-empty" open="$TAP_TMP/subuid-open"
	: >"$empty" && chmod 0644 "$empty"
	printf 'ward:%s:1\n' "$uid" >"$open" && chmod 0666 "$open"
	over_subuid() {
		run_cmd unshare -m --propagation private sh -c \
			'mount --bind "$1" /etc/subuid && shift && exec "$@"' sh "$@"
	}
	over_subuid "$empty" "$WARD" run --bind "$PROBE:/probe" -- /probe id
	expect_match "root: no ward entry in /etc/subuid: refused, naming 'ward reserve-id'" \
		"^ward: plan: no host id is reserved for the default sandbox user .*run 'ward reserve-id' as root once, or pass --user" "$ERR"
	expect_eq "root: no ward entry: exit 125, nothing ran" "125 " "$RC $OUT"
	over_subuid "$empty" "$WARD" run --user 10001 --bind "$PROBE:/probe" -- /probe id
	expect_out "root: no ward entry: an explicit --user still runs" "$APP"
	# A profile's 'fallback entrypoint' leaves the question to the launch:
	# where namespaces come, the missing reservation is still refused.
	printf 'ward-profile 1\nfallback entrypoint\n' >"$TAP_TMP/fallback.profile"
	over_subuid "$empty" "$WARD" run --profile "$TAP_TMP/fallback.profile" -- /usr/bin/id -u
	expect_match "root: no ward entry, 'fallback entrypoint': refused once namespaces come" \
		"^ward: userns: no host id is reserved for the default sandbox user" "$ERR"
	expect_eq "root: no ward entry, 'fallback entrypoint': nothing ran" "" "$OUT"
	over_subuid "$open" "$WARD" run --bind "$PROBE:/probe" -- /probe id
	expect_match "root: a world-writable /etc/subuid is refused" \
		"^ward: plan: /etc/subuid is not a regular file owned by root and writable by root only" "$ERR"

	# A read-write bind: the default user's files belong to the reserved
	# id; --user 10001's to host 10001.
	local d="$TAP_TMP/rw"
	mkdir -p "$d" && chmod 0777 "$d"
	probe_in --bind "$d:/data:rw" -- write /data/default
	probe_in --user 10001 --bind "$d:/data:rw" -- write /data/explicit
	expect_eq "root: the default user writes as host $uid, --user 10001 as host 10001" \
		"$uid 10001" "$(stat -c %u "$d/default" 2>&1) $(stat -c %u "$d/explicit" 2>&1)"
}

fixture_rootfs ROOTFS || skip_all "cannot build the busybox rootfs"

if [ "$(id -u)" = 0 ]; then
	identity_suite root "$ROOTFS"

	# Root's supplementary groups must not follow it into the sandbox
	# (default --groups clear).
	# shellcheck disable=SC2054 # setpriv takes a comma-separated list
	WARD_PREFIX=(setpriv --groups 4,100 --)
	probe_in -- id
	expect_out "root with groups 4,100: groups cleared inside" "$DEFAULT"
	WARD_PREFIX=()

	host_view_suite "$ROOTFS"

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
