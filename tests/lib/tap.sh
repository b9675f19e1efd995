# shellcheck shell=bash
# TAP helpers for ward's integration tests.  Source from a bash test script:
#
#	here=$(cd "$(dirname "$0")" && pwd)
#	. "$here/../lib/tap.sh"
#	probe_in -- id
#	expect_eq "default identity" "uid=65534/..." "$OUT"
#	tap_done
#
# Environment: WARD and PROBE (absolute paths of the binaries under test,
# set by run-integration.sh), WARD_TIMEOUT (seconds per launch, default 10),
# WARD_TEST_STRICT=1 (or CI set, or running as root) turns a missing
# prerequisite into a failure instead of a skip.
#
# The plan line (1..N) is printed at the end by tap_done, so a script that
# dies early has no plan and the runner counts that as a failure.

set -u

TAP_N=0
TAP_FAILED=0
TAP_CLEANUP=()
WARD_PREFIX=()
OUT=""
ERR=""
RC=0

: "${WARD:?WARD must name the ward binary under test}"
: "${PROBE:?PROBE must name the probe binary}"
WARD_TIMEOUT=${WARD_TIMEOUT:-10}
# For `env "$NO_LEAK_CHECK" strace ... "$WARD" ...`: LeakSanitizer (the
# sanitizer build) cannot run under ptrace; elsewhere a harmless variable.
NO_LEAK_CHECK=ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

TAP_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ward-test.XXXXXX") || exit 1
chmod 755 "$TAP_TMP"

# ---- cleanup ---------------------------------------------------------------

# tap_cleanup CMD...: run CMD at exit (last registered runs first).
tap_cleanup() {
	local q
	printf -v q '%q ' "$@"
	TAP_CLEANUP+=("$q")
}

tap_run_cleanup() {
	local i
	for ((i = ${#TAP_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${TAP_CLEANUP[i]}" >/dev/null 2>&1 || true
	done
	TAP_CLEANUP=()
	rm -rf "$TAP_TMP" 2>/dev/null || true
}
trap tap_run_cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- TAP output ------------------------------------------------------------

# tap_strict: true when a missing prerequisite must fail the suite.
tap_strict() {
	[ "$(id -u)" = 0 ] || [ -n "${CI:-}" ] || [ "${WARD_TEST_STRICT:-0}" = 1 ]
}

diag() {
	local line
	while IFS= read -r line; do
		printf '#   %s\n' "$line"
	done <<<"$*"
}

ok() {
	TAP_N=$((TAP_N + 1))
	printf 'ok %d - %s\n' "$TAP_N" "$1"
}

# not_ok DESC [DIAGNOSTIC...]
not_ok() {
	local desc=$1
	shift
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$TAP_N" "$desc"
	local d
	for d in "$@"; do
		diag "$d"
	done
}

# skip DESC REASON: a skip with its reason, or a failure in strict mode.
skip() {
	if tap_strict; then
		not_ok "$1" "missing prerequisite: $2"
	else
		TAP_N=$((TAP_N + 1))
		printf 'ok %d - %s # SKIP %s\n' "$TAP_N" "$1" "$2"
	fi
}

# skip_all REASON: nothing in this file can run.
skip_all() {
	if tap_strict; then
		not_ok "prerequisites" "missing prerequisite: $1"
		tap_done
	fi
	printf '1..0 # SKIP %s\n' "$1"
	exit 77
}

# bail_out REASON: the setup failed and nothing more in this file can
# run: one failed test naming it, then the end of the file.
bail_out() {
	not_ok "setup: $1"
	tap_done
}

# bail DESC WHY: a step the rest of the file needs failed (a tool that
# cannot be installed, an image that cannot be made): a failure named DESC,
# never a skip, then the end of the file.
bail() {
	not_ok "$1" "$2"
	tap_done
}

# need_pkg COMMAND PACKAGE: install PACKAGE (as root, from Debian) when
# COMMAND is missing; bail when that fails.
need_pkg() {
	command -v "$1" >/dev/null && return 0
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "$2"; } >/dev/null 2>&1 ||
		bail "$2 is installed" "apt-get install $2 failed"
}

# plan N: announce N tests up front (optional; tap_done prints the plan at
# the end otherwise, and reports a mismatch).
TAP_PLANNED=""
plan() {
	TAP_PLANNED=$1
	printf '1..%d\n' "$1"
}

tap_done() {
	if [ -z "$TAP_PLANNED" ]; then
		printf '1..%d\n' "$TAP_N"
	elif [ "$TAP_PLANNED" != "$TAP_N" ]; then
		printf '# planned %s tests, ran %s\n' "$TAP_PLANNED" "$TAP_N"
		exit 1
	fi
	[ "$TAP_FAILED" -eq 0 ] && exit 0
	exit 1
}

# The last launch, for diagnostics.
last_run() {
	printf 'command: %s\nexit status: %s\nstdout: %s\nstderr: %s' \
		"${LAST_CMD:-}" "$RC" "${OUT:-<empty>}" "${ERR:-<empty>}"
}

# ---- assertions ------------------------------------------------------------
# Each prints one TAP line.  The *_ok variants also require the last launch
# to have exited 0.

# expect_eq DESC EXPECTED ACTUAL
expect_eq() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $2" "observed: $3" "$(last_run)"
	fi
}

# expect_match DESC ERE ACTUAL: some line of ACTUAL matches ERE.
expect_match() {
	if grep -Eq -- "$2" <<<"$3"; then
		ok "$1"
	else
		not_ok "$1" "expected a line matching: $2" "observed: $3" "$(last_run)"
	fi
}

# expect_no_match DESC ERE ACTUAL: no line of ACTUAL matches ERE.
expect_no_match() {
	if ! grep -Eq -- "$2" <<<"$3"; then
		ok "$1"
	else
		not_ok "$1" "expected no line matching: $2" "observed: $3" "$(last_run)"
	fi
}

# expect_rc DESC EXPECTED: the last launch's exit status.
expect_rc() {
	if [ "$RC" == "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "expected exit status: $2" "$(last_run)"
	fi
}

# expect_out DESC EXPECTED: the last launch exited 0 with exactly EXPECTED.
expect_out() {
	if [ "$RC" == 0 ] && [ "$OUT" == "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "expected exit 0 and stdout: $2" "$(last_run)"
	fi
}

# expect_out_match DESC ERE: the last launch exited 0 and a stdout line
# matches ERE.
expect_out_match() {
	if [ "$RC" == 0 ] && grep -Eq -- "$2" <<<"$OUT"; then
		ok "$1"
	else
		not_ok "$1" "expected exit 0 and a stdout line matching: $2" "$(last_run)"
	fi
}

# expect_true DESC DIAG CMD...: CMD succeeds.
expect_true() {
	local desc=$1 d=$2
	shift 2
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc" "$d"
	fi
}

# ---- launching -------------------------------------------------------------

# run_cmd CMD...: run with a timeout, stdin from /dev/null; sets OUT, ERR,
# RC.  A timeout shows as RC=124 (or 137 if the command ignored SIGTERM).
run_cmd() {
	printf -v LAST_CMD '%q ' "$@"
	timeout -k 3 "$WARD_TIMEOUT" "$@" >"$TAP_TMP/.out" 2>"$TAP_TMP/.err" </dev/null
	RC=$?
	OUT=$(cat "$TAP_TMP/.out")
	ERR=$(cat "$TAP_TMP/.err")
	if [ "$RC" = 124 ]; then
		ERR="$ERR
(timed out after ${WARD_TIMEOUT}s)"
	fi
	return 0
}

# run_ward ARGS...: "$WARD" ARGS, prefixed by WARD_PREFIX (e.g. setpriv to
# run as the unprivileged test user).
run_ward() {
	run_cmd "${WARD_PREFIX[@]}" "$WARD" "$@"
}

# probe_in [WARD-OPTIONS...] -- PROBE-ARGS...: run the probe as /probe in a
# host-synthesised root (bound read-only).
probe_in() {
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	run_ward run --bind "$PROBE:/probe" "${opts[@]}" -- /probe "$@"
}

# probe_root ROOTFS [WARD-OPTIONS...] -- PROBE-ARGS...: run /probe from a
# rootfs tree that contains it (see fixture_rootfs).
probe_root() {
	local root=$1 opts=()
	shift
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	run_ward run --rootfs "$root" "${opts[@]}" -- /probe "$@"
}

# ward_bg OUTFILE ARGS...: start "$WARD" ARGS in the background, stdout to
# OUTFILE, stderr to OUTFILE.err; sets WARD_PID.  Killed at exit if still
# running.
ward_bg() {
	local out=$1
	shift
	printf -v LAST_CMD '%q ' "${WARD_PREFIX[@]}" "$WARD" "$@"
	"${WARD_PREFIX[@]}" "$WARD" "$@" >"$out" 2>"$out.err" </dev/null &
	WARD_PID=$!
	tap_cleanup kill -KILL "$WARD_PID"
}

# wait_bg PID SECS: wait for a background child; sets RC (the child's exit
# status, or 124 after SIGKILLing it on timeout).
wait_bg() {
	local pid=$1 secs=$2 wd
	(
		t=0
		while [ $t -lt $((secs * 10)) ] && kill -0 "$pid" 2>/dev/null; do
			sleep 0.1
			t=$((t + 1))
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null && exit 1
		exit 0
	) &
	wd=$!
	wait "$pid" 2>/dev/null
	RC=$?
	wait "$wd" || RC=124
}

# wait_for_line FILE ERE SECS: poll until a line of FILE matches.
wait_for_line() {
	local file=$1 re=$2 secs=$3 t=0
	while [ $t -lt $((secs * 20)) ]; do
		grep -Eq -- "$re" "$file" 2>/dev/null && return 0
		sleep 0.05
		t=$((t + 1))
	done
	return 1
}

# ---- prerequisites ---------------------------------------------------------

# tap_require_userns: user namespaces must work for the caller (STYLE §5:
# skip, exit 77, when unavailable; fail in strict mode).
tap_require_userns() {
	if ! unshare --user --map-root-user true 2>/dev/null; then
		skip_all "user namespaces are not available to $(id -un)"
	fi
}

[ -x "$WARD" ] || skip_all "ward binary $WARD is missing (run make)"
[ -x "$PROBE" ] || skip_all "probe binary $PROBE is missing (run make)"
cd / || exit 1
