#!/bin/bash
# Real launches of one profile with ward itself under valgrind's memcheck:
# zero reports, and the restrictions seen from inside.
#
# valgrind 3.19 (Debian 12) cannot follow ward into the namespace launch:
# it rejects clone with namespace flags and implements neither seccomp(2),
# openat2(2), mount_setattr(2) nor landlock.  What it can run is entrypoint
# mode, the launch image authors get inside a container: user, groups,
# every capability set, no_new_privs, limits, fds, ward as the program's
# init, exit status.  The profile below turns off the two layers valgrind
# lacks (the seccomp filter, knowingly; Landlock, as optional) and sets
# no nofile limit (valgrind keeps that hard limit for itself), and the
# refusals when a layer cannot be applied are checked under memcheck too:
# the error paths free what they allocated.  The sanitizer build runs the
# full launches (make sanitize).
#
# Any memcheck error or definite/indirect leak makes valgrind exit 99 and
# print "==PID==" lines; each case checks both.  Simulated container: a
# private mount namespace with an empty /run (no engine socket).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/private-mountns.sh
. "$here/../lib/private-mountns.sh"
private_mountns_reexec "$0" "$@"
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

[ "$(id -u)" = 0 ] || skip_all "entrypoint mode starts as root"
[ -n "${WARD_TEST_IN_MOUNT_NS:-}" ] || skip_all "no private mount namespace (unshare -m)"
if ! command -v valgrind >/dev/null; then
	not_ok "valgrind is installed (apt-get install valgrind)"
	tap_done
fi
mount -t tmpfs -o mode=755 ward-vg-test /run || skip_all "cannot mount a private /run"
unset DOCKER_HOST CONTAINER_HOST CONTAINERD_ADDRESS BUILDKIT_HOST XDG_RUNTIME_DIR
fixture_user_bins || skip_all "cannot copy the probe to a readable directory"
PROBE=$PROBE_U

WARD_TIMEOUT=120
WARD_PREFIX=(valgrind -q --error-exitcode=99 --leak-check=full
	"--errors-for-leak-kinds=definite,indirect" --trace-children=no --vgdb=no)

PROFILE=$TAP_TMP/memcheck.profile
cat >"$PROFILE" <<'EOF'
ward-profile 1
mode entrypoint
user 65534:65534
groups clear
seccomp off-i-know
landlock optional
rlimit nproc=64
EOF

# expect_memcheck_clean NAME: the last run had no memcheck report.
expect_memcheck_clean() {
	if [ "$RC" != 99 ] && ! grep -Eq '^==[0-9]+==' <<<"$ERR"; then
		ok "memcheck: $1: no report"
	else
		not_ok "memcheck: $1: no report" "$(last_run)"
	fi
}

# ---- a launch of the profile, seen from inside --------------------------------

run_ward run --profile "$PROFILE" -- "$PROBE" status
expect_rc "launch: the program ran" 0
expect_memcheck_clean "launch"
expect_out_match "launch: no effective capability" '^CapEff:[[:space:]]+0000000000000000$'
expect_out_match "launch: empty permitted set" '^CapPrm:[[:space:]]+0000000000000000$'
expect_out_match "launch: empty inheritable set" '^CapInh:[[:space:]]+0000000000000000$'
expect_out_match "launch: empty bounding set" '^CapBnd:[[:space:]]+0000000000000000$'
expect_out_match "launch: empty ambient set" '^CapAmb:[[:space:]]+0000000000000000$'
expect_out_match "launch: no_new_privs" '^NoNewPrivs:[[:space:]]+1$'

run_ward run --profile "$PROFILE" -- "$PROBE" id
expect_out_match "launch: uid and gid 65534, groups cleared" '^uid=65534/65534/65534/65534 gid=65534/65534/65534/65534 groups=$'
expect_memcheck_clean "launch, id"

run_ward run --profile "$PROFILE" -- "$PROBE" limits
expect_out_match "launch: the profile's nproc=64" '^nproc=64:64$'
expect_out_match "launch: core=0:0 by default" '^core=0:0$'
expect_memcheck_clean "launch, limits"

exec 7</dev/null
run_ward run --profile "$PROFILE" -- "$PROBE" fds
exec 7<&-
expect_out "launch: no inherited fd above 2" "fds=0,1,2"
expect_memcheck_clean "launch, fds"

run_ward run --profile "$PROFILE" -- "$PROBE" exit 7
expect_rc "launch: the program's exit status is ward's" 7
expect_memcheck_clean "exit status"

run_ward run --profile "$PROFILE" -- "$PROBE" kill-self TERM
expect_rc "launch: a program killed by SIGTERM gives 128+15" 143
expect_memcheck_clean "killed program"

# ---- refusals: fail closed, and free what was allocated ------------------------

run_ward run --profile "$PROFILE" -- /nonexistent/program
expect_rc "refusal: a program that is not there" 127
expect_memcheck_clean "program not found"

cp "$PROFILE" "$TAP_TMP/unknown.profile"
echo "no-such-key yes" >>"$TAP_TMP/unknown.profile"
run_ward run --profile "$TAP_TMP/unknown.profile" -- "$PROBE" id
expect_rc "refusal: an unknown profile key" 125
expect_no_match "refusal: the program did not run" '^uid=' "$OUT"
expect_memcheck_clean "unknown profile key"

# The default filter: libseccomp cannot probe the kernel under valgrind,
# so the launch must stop at seccomp-build, never run unfiltered.
run_ward run --mode entrypoint --landlock optional -- "$PROBE" id
expect_rc "refusal: a filter that cannot be built stops the launch" 202
expect_match "refusal: the step is named" 'ward: seccomp-build: ' "$ERR"
expect_no_match "refusal: the program did not run" '^uid=' "$OUT"
expect_memcheck_clean "seccomp cannot be built"

# Landlock required (the default) where it is missing: refused.
run_ward run --mode entrypoint --seccomp off-i-know -- "$PROBE" id
expect_rc "refusal: Landlock required but missing" 227
expect_no_match "refusal: the program did not run" '^uid=' "$OUT"
expect_memcheck_clean "Landlock missing"

tap_done
