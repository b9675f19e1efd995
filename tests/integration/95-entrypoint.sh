#!/bin/bash
# Entrypoint mode (no namespaces, as inside a container): ward drops the
# user, every capability set, sets no_new_privs and seccomp, closes fds,
# runs as the program's init, lists what it could not apply, and refuses
# to start when an engine socket is mounted in.  Simulated here with a
# private pid and mount namespace (ward as pid 1, sockets mounted in).
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${WARD_EP_TEST_NS:-}" ] && [ "$(id -u)" = 0 ] &&
	unshare -m --propagation private true 2>/dev/null; then
	export WARD_EP_TEST_NS=1
	exec unshare -m --propagation private bash "$0" "$@"
fi
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

[ "$(id -u)" = 0 ] || skip_all "entrypoint mode starts as root"
[ -n "${WARD_EP_TEST_NS:-}" ] || skip_all "no private mount namespace (unshare -m)"
mount -t tmpfs -o mode=755 ward-ep-test /run || skip_all "cannot mount a private /run"
unset DOCKER_HOST CONTAINER_HOST CONTAINERD_ADDRESS BUILDKIT_HOST
fixture_dir SPOOL 777 || skip_all "cannot create a directory"
# The program runs as the dropped user: it needs a probe it can reach
# (the checkout may live in root's 0700 home).
fixture_user_bins || skip_all "cannot copy the probe to a readable directory"
PROBE=$PROBE_U

# ---- the layers, seen from inside -----------------------------------------------

run_ward run --mode entrypoint -- "$PROBE" status
expect_out_match "entrypoint: no capability in any set" '^CapEff:[[:space:]]+0000000000000000$'
expect_out_match "entrypoint: empty bounding set" '^CapBnd:[[:space:]]+0000000000000000$'
expect_out_match "entrypoint: empty ambient set" '^CapAmb:[[:space:]]+0000000000000000$'
expect_out_match "entrypoint: no_new_privs" '^NoNewPrivs:[[:space:]]+1$'
expect_out_match "entrypoint: seccomp filter" '^Seccomp:[[:space:]]+2$'
if grep -q 'entrypoint mode: not applied' <<<"$ERR" && grep -q 'entrypoint mode: applied' <<<"$ERR"; then
	ok "entrypoint: what was and was not applied is listed on stderr"
else
	not_ok "entrypoint: what was and was not applied is listed on stderr" "$(last_run)"
fi
run_ward run --mode entrypoint --user 10001:10001 -- "$PROBE" id
expect_out_match "entrypoint: --user 10001, groups cleared" '^uid=10001/10001/10001/10001 gid=10001/10001/10001/10001 groups=$'
run_ward run --mode entrypoint -- "$PROBE" syscall unshare-user
expect_out "entrypoint: unshare(CLONE_NEWUSER) is refused by the filter" "errno=EPERM"
run_ward run --mode entrypoint -- "$PROBE" syscall io_uring_setup
expect_out "entrypoint: io_uring_setup is refused by the filter" "errno=EPERM"
exec 7</dev/null
run_ward run --mode entrypoint -- "$PROBE" fds
exec 7<&-
expect_out "entrypoint: no inherited fd above 2" "fds=0,1,2"

# ---- ward as pid 1 ----------------------------------------------------------------

run_cmd unshare -pf --mount-proc "$WARD" run --mode entrypoint -- "$PROBE" exit 42
expect_rc "entrypoint as pid 1: the program's exit status" 42
run_cmd unshare -pf --mount-proc "$WARD" run --mode entrypoint -- "$PROBE" kill-self 15
expect_rc "entrypoint as pid 1: 128+N for a signal death" 143
run_cmd unshare -pf --mount-proc "$WARD" run --mode entrypoint -- /bin/sh -c \
	"\"$PROBE\" zombies 3; sleep 0.3; \"$PROBE\" zombie-check"
expect_out_match "entrypoint as pid 1: orphans are reaped" '^zombies=0$'

# ---- refusals -------------------------------------------------------------------------

python3 -c 'import socket,sys
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX); s.bind(p); s.listen()' \
	/run/docker.sock "$SPOOL/containerd.sock" &&
	chmod 666 /run/docker.sock "$SPOOL/containerd.sock" || not_ok "sockets created"
started() { [ -e "$SPOOL/ran" ]; }

run_ward run --mode entrypoint --user 10001 -- "$PROBE" write "$SPOOL/ran" started
if [ "$RC" = 201 ] && grep -q '^ward: engine-socket: refusing to start: the docker API socket /run/docker.sock' <<<"$ERR" && ! started; then
	ok "entrypoint: a docker socket at its known path: refused before the program runs (201)"
else
	not_ok "entrypoint: a docker socket at its known path: refused (201)" "$(last_run)"
fi
rm -f /run/docker.sock

touch "$SPOOL/innocent.sock" && mount --bind "$SPOOL/containerd.sock" "$SPOOL/innocent.sock"
run_ward run --mode entrypoint --user 10001 -- "$PROBE" write "$SPOOL/ran" started
if [ "$RC" = 201 ] && grep -q 'comes from .*containerd.sock' <<<"$ERR" && ! started; then
	ok "entrypoint: a renamed socket mount is refused by its source's name (201)"
else
	not_ok "entrypoint: a renamed socket mount is refused by its source's name (201)" "$(last_run)"
fi

printf 'ward-profile 1\nallow-engine-socket containerd\n' >"$SPOOL/ci.profile"
chmod 644 "$SPOOL/ci.profile"
run_ward run --profile "$SPOOL/ci.profile" --mode entrypoint -- "$PROBE" connect-unix "$SPOOL/innocent.sock"
# ECONNREFUSED: the socket was reached (nobody listens on it any more).
if [ "$RC" = 0 ] && [[ $OUT =~ ^(ok|errno=ECONNREFUSED)$ ]] &&
	grep -q '^ward: WARNING: engine-socket: ' <<<"$ERR"; then
	ok "entrypoint: the profile's allow-engine-socket lets it through ($OUT)"
else
	not_ok "entrypoint: the profile's allow-engine-socket lets it through" "$(last_run)"
fi
umount "$SPOOL/innocent.sock"

run_ward run --mode entrypoint --bind /etc:/x -- "$PROBE" exit 0
expect_rc "entrypoint: --bind needs a mount namespace: refused (125)" 125
run_ward run --mode entrypoint --net loopback -- "$PROBE" exit 0
expect_rc "entrypoint: --net loopback needs a network namespace: refused (125)" 125
run_ward run --fallback entrypoint -- "$PROBE" exit 0
expect_rc "fallback is accepted only in a profile (125)" 125
if fixture_test_user && fixture_user_bins; then
	run_cmd setpriv "--reuid=$WARD_TEST_UID" "--regid=$WARD_TEST_UID" --clear-groups \
		"$WARD_U" run --mode entrypoint -- "$PROBE_U" exit 0
	if [ "$RC" != 0 ] && grep -q 'starts as root' <<<"$ERR"; then
		ok "entrypoint: started as non-root, a clear refusal"
	else
		not_ok "entrypoint: started as non-root, a clear refusal" "$(last_run)"
	fi
else
	not_ok "entrypoint: the unprivileged test user" "$FIXTURE_WHY"
fi

tap_done
