#!/bin/bash
# The default seccomp policy, syscall by syscall; --seccomp modes; network
# namespaces; hostname; inherited fds; environment; working directory;
# resource limits.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns
host_hostname=$(uname -n)

# ---- default seccomp policy ----------------------------------------------------
# The probe gives each call harmless arguments that make an *allowed* call
# fail with something else (ENOENT, EBADF, EINVAL...), so EPERM here comes
# from the filter.

declare -A want=(
	[mount]=errno=EPERM [umount2]=errno=EPERM [pivot_root]=errno=EPERM
	[unshare-user]=errno=EPERM [unshare-net]=errno=EPERM
	[unshare-ns]=errno=EPERM [setns]=errno=EPERM
	[clone-newns]=errno=EPERM [clone3]=errno=ENOSYS
	[keyctl]=errno=EPERM [add_key]=errno=EPERM [request_key]=errno=EPERM
	[bpf]=errno=EPERM [perf_event_open]=errno=EPERM
	[userfaultfd]=errno=EPERM [io_uring_setup]=errno=EPERM
	[ptrace]=errno=EPERM [kexec_load]=errno=EPERM
	[init_module]=errno=EPERM [finit_module]=errno=EPERM
	[reboot]=errno=EPERM [swapon]=errno=EPERM [swapoff]=errno=EPERM
	[acct]=errno=EPERM [clock_settime]=errno=EPERM
	[settimeofday]=errno=EPERM
	[tiocsti]=errno=EPERM [tiocsti-hi]=errno=EPERM
	[fsopen]=errno=EPERM [open_tree]=errno=EPERM
	# allowed: the sandbox must still work
	[getpid]='ret=[0-9]+' [clone-plain]=ret=0 [socket-inet]=ret=0
	[socket-unix]=ret=0
)
order=(mount umount2 pivot_root fsopen open_tree unshare-user unshare-net
	unshare-ns setns clone-newns clone3 keyctl add_key request_key bpf
	perf_event_open userfaultfd io_uring_setup ptrace kexec_load
	init_module finit_module reboot swapon swapoff acct clock_settime
	settimeofday tiocsti tiocsti-hi socket-packet getpid clone-plain
	socket-inet socket-unix)

# One launch runs the probe for every call: "NAME RESULT" per line.
# shellcheck disable=SC2016 # expanded by the sandbox's shell
run_ward run --bind "$PROBE:/probe" -- /bin/sh -c \
	'for s in "$@"; do printf "%s " "$s"; /probe syscall "$s"; done' \
	sh "${order[@]}"
all=$OUT
expect_rc "seccomp default: the syscall sweep runs" 0
for s in "${order[@]}"; do
	got=$(sed -n "s/^$s //p" <<<"$all")
	if [ "$s" = socket-packet ]; then
		# refused, by the filter or the missing CAP_NET_RAW
		re='errno=[A-Z]+'
	else
		re=${want[$s]}
	fi
	if [[ $got =~ ^$re$ ]]; then
		ok "seccomp default: $s gives $got"
	else
		not_ok "seccomp default: $s" "expected: $re" "observed: ${got:-<nothing>}" \
			"reproduce: $WARD run --bind $PROBE:/probe -- /probe syscall $s"
	fi
done

# strict: an allowlist for static stdio programs (no files, no network),
# so /proc/self/status cannot be read; observe the calls instead.
probe_in --seccomp strict -- pid
expect_out_match "--seccomp strict: a static program runs" '^pid=[0-9]+ ppid=[0-9]+$'
probe_in --seccomp strict -- syscall mount
expect_out "--seccomp strict: mount refused" "errno=EPERM"
probe_in --seccomp strict -- syscall socket-inet
expect_out "--seccomp strict: sockets refused" "errno=EPERM"
probe_in --seccomp strict -- write /tmp/x
expect_out_match "--seccomp strict: no file opens" '^errno=(ENOSYS|EPERM)$'

probe_in --seccomp default -- seccomp-mode
expect_out "--seccomp default: filter mode" "seccomp=2"

probe_in --seccomp off-i-know -- seccomp-mode
expect_out "--seccomp off-i-know: no filter (Seccomp 0)" "seccomp=0"
probe_in --seccomp off-i-know -- nnp
expect_out "--seccomp off-i-know: NoNewPrivs still 1" "nnp=1"

# The built-in filters are compiled in: libseccomp is loaded only to build
# any other filter (here a policy file, with the filter cache off).
run_cmd env "$NO_LEAK_CHECK" strace -f -o "$TAP_TMP/builtin.trace" -e trace=open,openat \
	"$WARD" run --bind "$PROBE:/probe" -- /probe seccomp-mode
expect_out "built-in filter: loaded" "seccomp=2"
expect_match "built-in filter: traced" 'openat\(' "$(cat "$TAP_TMP/builtin.trace")"
expect_no_match "built-in filter: libseccomp is not loaded" 'libseccomp' \
	"$(cat "$TAP_TMP/builtin.trace")"
printf 'ward-seccomp 1\ndefault errno=EPERM\nallow @default @basic-io @file-system @io-event @signal @timer @sync @process\n' \
	>"$TAP_TMP/lazy.policy"
run_cmd env "$NO_LEAK_CHECK" WARD_CACHE_DIR=off strace -f -o "$TAP_TMP/policy.trace" -e trace=open,openat \
	"$WARD" run --bind "$PROBE:/probe" --seccomp "$TAP_TMP/lazy.policy" -- /probe seccomp-mode
expect_out "policy file: loaded" "seccomp=2"
expect_match "policy file: libseccomp is loaded to build it" 'libseccomp\.so' \
	"$(cat "$TAP_TMP/policy.trace")"

# ---- network -------------------------------------------------------------------

probe_in -- netifs
expect_out_match "default --net loopback: only lo, UP" '^lo:UP,LOOPBACK(,RUNNING)?$'
probe_in --net loopback -- netifs
expect_out_match "--net loopback: only lo, UP" '^lo:UP,LOOPBACK(,RUNNING)?$'

probe_in --net none -- netifs
expect_out "--net none: lo present but down" "lo:LOOPBACK"

host_ifs=$("$PROBE" netifs | sed 's/:[^ ]*//g')
probe_in --net host -- netifs
expect_eq "--net host: the host's interfaces" "$host_ifs" "$(sed 's/:[^ ]*//g' <<<"$OUT")"

# ---- hostname ------------------------------------------------------------------

probe_in -- hostname
expect_out "default hostname is ward" "hostname=ward"
probe_in --hostname x -- hostname
expect_out "--hostname x" "hostname=x"
expect_eq "the host's hostname is untouched" "$host_hostname" "$(uname -n)"

# ---- inherited file descriptors ------------------------------------------------

exec 7</dev/null 8>"$TAP_TMP/fd8" 9>"$TAP_TMP/fd9"
probe_in -- fds
exec 7<&- 8>&- 9>&-
expect_out "fds 7, 8, 9 open in the caller: only 0,1,2 inside" "fds=0,1,2"

# ---- environment ---------------------------------------------------------------

WARD_PREFIX=(env WARD_TEST_CANARY=leaked TERM=xterm-ward LD_PRELOAD=)
probe_in -- env
names=$(cut -d= -f1 <<<"$OUT" | sort | paste -sd, -)
if [ "$RC" = 0 ] && [ "$names" = "HOME,PATH,TERM" ]; then
	ok "environment is only PATH, HOME, TERM"
else
	not_ok "environment is only PATH, HOME, TERM" "observed names: $names" "$(last_run)"
fi
probe_in --env FOO=bar --env EMPTY= -- env
names=$(cut -d= -f1 <<<"$OUT" | sort | paste -sd, -)
if [ "$RC" = 0 ] && [ "$names" = "EMPTY,FOO,HOME,PATH,TERM" ] &&
	grep -qx 'FOO=bar' <<<"$OUT" && grep -qx 'EMPTY=' <<<"$OUT"; then
	ok "--env FOO=bar --env EMPTY= adds exactly those"
else
	not_ok "--env FOO=bar --env EMPTY= adds exactly those" "observed names: $names" "$(last_run)"
fi
WARD_PREFIX=()

# ---- working directory ---------------------------------------------------------

cd "$TAP_TMP" || exit 1
probe_in -- cwd
cd / || exit 1
expect_out "cwd is / (not the caller's)" "cwd=/"
probe_in --workdir /tmp -- cwd
expect_out "--workdir /tmp" "cwd=/tmp"

# ---- resource limits -----------------------------------------------------------

probe_in --rlimit nofile=64:128 -- limits
expect_out_match "--rlimit nofile=64:128" '^nofile=64:128$'
probe_in --rlimit nofile=64:128 --rlimit core=0:0 -- limits
expect_out_match "--rlimit twice: nofile" '^nofile=64:128$'
expect_out_match "--rlimit twice: core" '^core=0:0$'

# Defaults a profile did not set: no core dumps, processes and open files
# capped (only ever lowered from what the launcher has).
lim_le() { # RESOURCE MAX: soft and hard of the last probe's limits <= MAX
	awk -F'[=:]' -v r="$1" -v m="$2" '$1 == r { f = ($2 != "unlimited" && $3 != "unlimited" && $2 + 0 <= m && $3 + 0 <= m) } END { exit !f }' <<<"$OUT"
}
probe_in -- limits
expect_out_match "default: core=0:0" '^core=0:0$'
expect_true "default: nproc at most 4096" "$(last_run)" lim_le nproc 4096
expect_true "default: nofile at most 65536" "$(last_run)" lim_le nofile 65536
probe_in --rlimit nproc=100:200 -- limits
expect_out_match "--rlimit nproc replaces the default" '^nproc=100:200$'
expect_out_match "--rlimit nproc: core still defaults to 0" '^core=0:0$'
# A fork bomb stops at the limit: dash gives up at its first failed fork.
run_ward run --rlimit nproc=20 -- /bin/sh -c \
	'i=0; while [ $i -lt 40 ]; do sleep 5 & i=$((i + 1)); echo $i; done'
last=$(tail -n 1 <<<"$OUT")
expect_true "--rlimit nproc=20: a fork loop stops before 20 processes ($last)" \
	"$(last_run)" test "${last:-99}" -lt 20
expect_match "--rlimit nproc=20: the shell says it cannot fork" 'Cannot fork' "$ERR"
if [ "$(id -u)" = 0 ] && fixture_test_user && fixture_user_bins; then
	fixture_user_prefix
	saved=("$WARD" "$PROBE")
	WARD=$WARD_U PROBE=$PROBE_U
	probe_in -- limits
	WARD=${saved[0]} PROBE=${saved[1]} WARD_PREFIX=()
	expect_out_match "rootless: the defaults apply too (core=0:0)" '^core=0:0$'
	expect_true "rootless: nofile at most 65536" "$(last_run)" lim_le nofile 65536
else
	skip "rootless default limits" "${FIXTURE_WHY:-not root, or cannot copy the binaries}"
fi

tap_done
