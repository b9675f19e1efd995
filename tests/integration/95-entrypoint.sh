#!/bin/bash
# Entrypoint mode (no namespaces, as inside a container): ward drops the
# user, every capability set, sets no_new_privs and seccomp, closes fds,
# runs as the program's init, lists what it could not apply, and refuses
# to start when an engine socket is mounted in.  Simulated here with a
# private pid and mount namespace (ward as pid 1, sockets mounted in).
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
# --listen: bound in the container's network, the program's fd 3.
LPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_ward run --mode entrypoint --listen "127.0.0.1:$LPORT" -- "$PROBE" fds
expect_out "entrypoint: --listen, the socket is fd 3 and nothing else is inherited" "fds=0,1,2,3"
# shellcheck disable=SC2016 # for the sandbox's shell
run_ward run --mode entrypoint --listen "127.0.0.1:$LPORT" -- /bin/sh -c \
	'[ "$LISTEN_PID" = $$ ] && echo "$LISTEN_FDS $LISTEN_FDNAMES"'
expect_out "entrypoint: --listen, LISTEN_FDS, LISTEN_FDNAMES and LISTEN_PID the program's pid" \
	"1 tcp-$LPORT"

# Default limits: no core dumps; nproc left alone (without a user
# namespace of its own it would count the uid's processes everywhere).
host_nproc=$(awk '/^Max processes/ { print $3 ":" $4 }' /proc/self/limits | sed 's/unlimited/unlimited/g')
run_ward run --mode entrypoint -- "$PROBE" limits
expect_out_match "entrypoint: core=0:0 by default" '^core=0:0$'
expect_out_match "entrypoint: nproc left as it was ($host_nproc)" "^nproc=$host_nproc\$"

# ---- withheld variables, gone from ward too -------------------------------------
# ward stays the program's init: its own /proc/PID/environ must not hand
# the program what was withheld from it.

export API_TOKEN=ward-test-withheld-value
run_cmd setpriv "--reuid=10001" "--regid=10001" --clear-groups -- \
	"$WARD_U" run --mode entrypoint -- /bin/sh -c 'cat "/proc/$PPID/environ"'
if grep -q 'withheld 1 secret-looking' <<<"$ERR" && ! grep -q ward-test-withheld-value <<<"$OUT$ERR" &&
	grep -q "/proc/[0-9]*/environ: Permission denied" <<<"$ERR"; then
	ok "entrypoint, non-root start: the program cannot read ward's environment (not dumpable)"
else
	not_ok "entrypoint, non-root start: the program cannot read ward's environment" "$(last_run)"
fi
ward_bg "$SPOOL/bg.out" run --mode entrypoint --user 10001 -- "$PROBE" sleep 5
wait_for_line "$SPOOL/bg.out.err" 'withheld 1 secret-looking' 5
if tr '\0' '\n' <"/proc/$WARD_PID/environ" | grep -q ward-test-withheld-value; then
	not_ok "entrypoint: a withheld value is zeroed in ward's own memory" \
		"/proc/$WARD_PID/environ still holds it"
else
	ok "entrypoint: a withheld value is zeroed in ward's own memory (read from outside)"
fi
kill -TERM "$WARD_PID" 2>/dev/null
wait_bg "$WARD_PID" 5
unset API_TOKEN

# ---- ward as pid 1 ----------------------------------------------------------------

run_cmd unshare -pf --mount-proc "$WARD" run --mode entrypoint -- "$PROBE" exit 42
expect_rc "entrypoint as pid 1: the program's exit status" 42
run_cmd unshare -pf --mount-proc "$WARD" run --mode entrypoint -- "$PROBE" kill-self 15
expect_rc "entrypoint as pid 1: 128+N for a signal death" 143
run_cmd unshare -pf --mount-proc "$WARD" run --mode entrypoint -- /bin/sh -c \
	"\"$PROBE\" zombies 3; sleep 0.3; \"$PROBE\" zombie-check"
expect_out_match "entrypoint as pid 1: orphans are reaped" '^zombies=0$'
# As pid 1, the kernel drops SIGKILL and SIGSTOP sent to ward from inside
# its pid namespace: no signal scope is needed, and none is listed.
run_cmd unshare -pf --mount-proc "$WARD" run --mode entrypoint --user 10001 -- /bin/sh -c \
	'kill -KILL $PPID; kill -STOP $PPID; sleep 0.2; exit 7'
if [ "$RC" = 7 ] && ! grep -q 'signal scope' <<<"$ERR"; then
	ok "entrypoint as pid 1: the program's SIGKILL and SIGSTOP to ward have no effect; exit status 7 reported"
else
	not_ok "entrypoint as pid 1: the program cannot stop ward" "$(last_run)"
fi

# ---- ward not pid 1 (docker run --init, tini) -------------------------------------
# ward runs as the program's uid; the program's own Landlock layer scoping
# signals (ABI 6) keeps it from killing its init.  A shell plays the init
# here: pid 1, ward its child, the program ward's.

scope_prog='kill -KILL $PPID 2>&1; echo kill=$?; kill -STOP $PPID 2>&1; echo stop=$?
sleep 10 & kill $!; wait $!; echo child=$?; exit 7'
run_cmd unshare -pf --mount-proc /bin/sh -c \
	'"$1" run --mode entrypoint --user 10001 -- /bin/sh -c "$2"; echo "ward=$?"' \
	sh "$WARD" "$scope_prog"
if grep -q '^kill=1$' <<<"$OUT" && grep -q '^stop=1$' <<<"$OUT" &&
	[ "$(grep -c 'Operation not permitted' <<<"$OUT")" = 2 ] && grep -q '^ward=7$' <<<"$OUT"; then
	ok "entrypoint, ward not pid 1: the program's kill -KILL and -STOP of ward fail (EPERM); ward reports exit 7"
else
	not_ok "entrypoint, ward not pid 1: the program cannot kill ward" "$(last_run)"
fi
expect_out_match "entrypoint, ward not pid 1: the program still signals its own child (sleep & kill \$!)" '^child=143$'
if grep -q 'entrypoint mode: applied: .*a Landlock signal scope (the program cannot signal ward)' <<<"$ERR"; then
	ok "entrypoint, ward not pid 1: the signal scope is listed as applied"
else
	not_ok "entrypoint, ward not pid 1: the signal scope is listed as applied" "$(last_run)"
fi

# ---- refusals -------------------------------------------------------------------------

mkdir -p "$SPOOL/src"
python3 -c 'import socket,sys
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX); s.bind(p); s.listen()' \
	/run/docker.sock "$SPOOL/src/containerd.sock" &&
	chmod 666 /run/docker.sock "$SPOOL/src/containerd.sock" || not_ok "sockets created"
started() { [ -e "$SPOOL/ran" ]; }

run_ward run --mode entrypoint --user 10001 -- "$PROBE" write "$SPOOL/ran" started
if [ "$RC" = 201 ] && grep -q '^ward: engine-socket: refusing to start: the docker API socket /run/docker.sock' <<<"$ERR" && ! started; then
	ok "entrypoint: a docker socket at its known path: refused before the program runs (201)"
else
	not_ok "entrypoint: a docker socket at its known path: refused (201)" "$(last_run)"
fi
rm -f /run/docker.sock

# The engine's side of each socket mount lives in $SPOOL/src, hidden
# under an empty tmpfs once the mounts are made: where /tmp is a mount of
# its own (a CI container's -v), entrypoint mode would find the sources
# themselves there too.
touch "$SPOOL/innocent.sock" && mount --bind "$SPOOL/src/containerd.sock" "$SPOOL/innocent.sock"
mount -t tmpfs -o mode=755 ward-hidden "$SPOOL/src" || not_ok "the sources hidden"
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

# A socket mounted where ward cannot look (a 0700 directory of another
# user, ward without CAP_DAC_OVERRIDE, as under --cap-drop ALL): refused,
# since ward cannot rule it out.
mkdir -m 700 "$SPOOL/priv" && touch "$SPOOL/priv/x.sock" && umount "$SPOOL/src" &&
	mount --bind "$SPOOL/src/containerd.sock" "$SPOOL/priv/x.sock" &&
	mount -t tmpfs -o mode=755 ward-hidden "$SPOOL/src" &&
	chown 10002:10002 "$SPOOL/priv" || not_ok "socket mounted in a private directory"
run_cmd setpriv --bounding-set -dac_override,-dac_read_search \
	"$WARD" run --mode entrypoint --user 10001 -- "$PROBE" write "$SPOOL/ran" started
if [ "$RC" = 201 ] && grep -q "cannot look at the mount at $SPOOL/priv/x.sock" <<<"$ERR" && ! started; then
	ok "entrypoint: a mount ward cannot stat is refused, not skipped (201)"
else
	not_ok "entrypoint: a mount ward cannot stat is refused, not skipped (201)" "$(last_run)"
fi
# Started as a non-root user, ward passes over what that user cannot
# reach: the program, the same user without capabilities, cannot either.
run_cmd setpriv --reuid=10001 --regid=10001 --clear-groups -- \
	"$WARD_U" run --mode entrypoint -- "$PROBE" connect-unix "$SPOOL/priv/x.sock"
if [ "$RC" = 0 ] && [ "$OUT" = "errno=EACCES" ]; then
	ok "entrypoint, non-root start: a mount that user cannot reach is passed over; the program cannot reach it"
else
	not_ok "entrypoint, non-root start: a mount that user cannot reach is passed over" "$(last_run)"
fi
umount "$SPOOL/priv/x.sock"
umount "$SPOOL/src" && rm -rf "$SPOOL/src"

run_ward run --mode entrypoint --bind /etc:/x -- "$PROBE" exit 0
expect_rc "entrypoint: --bind needs a mount namespace: refused (125)" 125
run_ward run --mode entrypoint --net loopback -- "$PROBE" exit 0
expect_rc "entrypoint: --net loopback needs a network namespace: refused (125)" 125
run_ward run --fallback entrypoint -- "$PROBE" exit 0
expect_rc "fallback is accepted only in a profile (125)" 125
# ---- started as a non-root user (USER in the image, docker run --user) --------------

if fixture_test_user && fixture_user_bins; then
	as_user=(setpriv "--reuid=$WARD_TEST_UID" "--regid=$WARD_TEST_UID" --clear-groups)
	run_cmd "${as_user[@]}" "$WARD_U" run --mode entrypoint -- /bin/sh -c \
		"\"$PROBE_U\" id; \"$PROBE_U\" status"
	if [ "$RC" = 0 ] && grep -q '^uid=2345/2345/2345/2345 gid=2345/2345/2345/2345 groups=$' <<<"$OUT" &&
		grep -Eq '^CapPrm:[[:space:]]+0+$' <<<"$OUT" && grep -Eq '^CapInh:[[:space:]]+0+$' <<<"$OUT" &&
		grep -Eq '^CapAmb:[[:space:]]+0+$' <<<"$OUT" && grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<<"$OUT" &&
		grep -Eq '^Seccomp:[[:space:]]+2$' <<<"$OUT" &&
		grep -q 'not applied (started as uid 2345, not root): the bounding set' <<<"$ERR"; then
		ok "entrypoint started as non-root: same user, empty sets, NNP, filter; the bounding set listed as not applied"
	else
		not_ok "entrypoint started as non-root: works with what it can apply" "$(last_run)"
	fi
	run_cmd "${as_user[@]}" "$WARD_U" run --mode entrypoint --user 3000 -- "$PROBE_U" exit 0
	if [ "$RC" = 220 ] && grep -q 'switching to 3000:3000 needs a root start' <<<"$ERR"; then
		ok "entrypoint started as non-root: another --user is refused, saying why (220)"
	else
		not_ok "entrypoint started as non-root: another --user is refused" "$(last_run)"
	fi
else
	not_ok "entrypoint: the unprivileged test user" "$FIXTURE_WHY"
fi

# ---- root without the capabilities a drop needs (docker run --cap-drop ALL) ---------

run_cmd setpriv --inh-caps=-all --bounding-set=-setuid,-setpcap -- \
	"$WARD" run --mode entrypoint --user 10001 -- "$PROBE" write "$SPOOL/ran" started
if [ "$RC" = 221 ] && grep -q 'without CAP_SETUID, CAP_SETPCAP' <<<"$ERR" &&
	grep -q -- '--cap-add SETUID --cap-add SETPCAP' <<<"$ERR" && ! started; then
	ok "entrypoint as root without SETUID/SETPCAP: names them and the --cap-add flags (221)"
else
	not_ok "entrypoint as root without SETUID/SETPCAP: a clear message" "$(last_run)"
fi

# ---- environment: secret-looking names withheld -------------------------------------

run_cmd env API_TOKEN=t0ken-value DB_PASSWORD=pw PLAIN=kept "$WARD" run --mode entrypoint \
	--user 10001 -- "$PROBE" env
if grep -q '^PLAIN=kept$' <<<"$OUT" && ! grep -q 'API_TOKEN\|DB_PASSWORD\|t0ken' <<<"$OUT" &&
	grep -q 'withheld 2 secret-looking variable(s) from the program: API_TOKEN, DB_PASSWORD' <<<"$ERR" &&
	! grep -q 't0ken-value' <<<"$ERR"; then
	ok "entrypoint: secret-looking variables withheld and named (never their values)"
else
	not_ok "entrypoint: secret-looking variables withheld" "$(last_run)"
fi
# Shapes by name (*_PASS) and by value (a URL with credentials), as the
# program sees its environment; look-alikes reach it.
run_cmd env -i PATH="$PATH" DB_PASS=hunter2-WARDTEST DATABASE_URL=postgres://app:s3cr3t-WARDTEST@db/app \
	COMPASS_DIR=/opt/compass REPO_URL=https://user@example.com/r.git PLAIN=kept \
	"$WARD" run --mode entrypoint --user 10001 -- "$PROBE" env
if grep -q '^PLAIN=kept$' <<<"$OUT" && grep -q '^COMPASS_DIR=/opt/compass$' <<<"$OUT" &&
	grep -q '^REPO_URL=https://user@example.com/r.git$' <<<"$OUT" &&
	! grep -q 'DB_PASS\|DATABASE_URL\|WARDTEST' <<<"$OUT" &&
	grep -q 'withheld 2 secret-looking variable(s) from the program: DB_PASS, DATABASE_URL ' <<<"$ERR" &&
	! grep -q 'WARDTEST' <<<"$ERR"; then
	ok "entrypoint: DB_PASS and a URL with credentials withheld (never their values); look-alikes kept"
else
	not_ok "entrypoint: DB_PASS and a URL with credentials withheld" "$(last_run)"
fi
printf 'ward-profile 1\nenv-pass API_TOKEN\n' >"$SPOOL/pass.profile"
chmod 644 "$SPOOL/pass.profile"
run_cmd env API_TOKEN=t0ken-value "$WARD" run --profile "$SPOOL/pass.profile" --mode entrypoint \
	--user 10001 -- "$PROBE" env
expect_out_match "entrypoint: env-pass NAME lets that one through" '^API_TOKEN=t0ken-value$'
run_cmd env HOME=/root "$WARD" run --mode entrypoint --user nobody -- "$PROBE" env
expect_out_match "entrypoint: HOME is the user's, from /etc/passwd" "^HOME=$(getent passwd nobody | cut -d: -f6)\$"

# ---- Landlock: read-only except the writable paths -----------------------------------

fixture_dir WDIR 755 && chown 10001:10001 "$WDIR" || not_ok "writable directory created"
fixture_dir ODIR 777 || not_ok "other directory created"
run_ward run --mode entrypoint --user 10001 --writable "$WDIR" -- /bin/sh -c \
	"\"$PROBE\" write $WDIR/f data; \"$PROBE\" write $ODIR/f data; \"$PROBE\" write /dev/null data"
if [ "$(sed -n 1p <<<"$OUT")" = ok ] && [ "$(sed -n 2p <<<"$OUT")" = errno=EACCES ] &&
	[ "$(sed -n 3p <<<"$OUT")" = ok ] && [ ! -e "$ODIR/f" ]; then
	ok "entrypoint: Landlock: a writable path takes writes, a world-writable other one does not (EACCES), /dev/null does"
else
	not_ok "entrypoint: Landlock read-only except the writable paths" "$(last_run)"
fi
chmod 755 "$ODIR"
run_ward run --mode entrypoint --user 10001 --writable "$ODIR" -- "$PROBE" exit 0
if [ "$RC" = 217 ] && grep -q "writable $ODIR: owned by 0:0 with mode 0755, not writable by uid 10001" <<<"$ERR" &&
	grep -q "RUN chown 10001:10001 $ODIR" <<<"$ERR"; then
	ok "entrypoint: a writable path the user cannot write: owner, mode and the chown line (217)"
else
	not_ok "entrypoint: the writable-path ownership check" "$(last_run)"
fi
run_ward run --mode entrypoint --user 10001 --tcp-bind 18080 -- /bin/sh -c \
	"\"$PROBE\" bind-tcp 18080; \"$PROBE\" bind-tcp 18081"
if [ "$OUT" = "$(printf 'ok\nerrno=EACCES')" ]; then
	ok "entrypoint: Landlock --tcp-bind: the listed port binds, another is EACCES"
else
	not_ok "entrypoint: Landlock --tcp-bind" "$(last_run)"
fi

# ---- a simulated Docker start: what the engine cannot fault-inject --------------------
# A filter already loaded (ward's own default, exported, loaded by bwrap),
# Docker's 14 capabilities as the bounding set; and a kernel "without
# Landlock" (the pre-loaded filter answers ENOSYS to landlock_*).

docker_caps=-all,+chown,+dac_override,+fowner,+fsetid,+kill,+setgid,+setuid,+setpcap
docker_caps=$docker_caps,+net_bind_service,+net_raw,+sys_chroot,+mknod,+audit_write,+setfcap
if command -v bwrap >/dev/null; then
	"$WARD" seccomp export >"$SPOOL/docker-like.bpf"
	"$WARD" seccomp export --seccomp-deny 'landlock_create_ruleset errno=ENOSYS' >"$SPOOL/no-landlock.bpf"
	# LeakSanitizer (sanitizer builds) needs ptrace, which the filter
	# denies: leak checks stay with the other tests.
	in_docker_like() { # FILTER ARGS...
		local f=$1
		shift
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 run_cmd unshare -pf --mount-proc bwrap --dev-bind / / --cap-add ALL --seccomp 9 \
			setpriv "--bounding-set=$docker_caps" --inh-caps=-all -- "$@" 9<"$f"
	}
	in_docker_like "$SPOOL/docker-like.bpf" "$WARD" run --mode entrypoint --user 10001 -- "$PROBE" status
	if [ "$RC" = 0 ] && grep -Eq '^CapBnd:[[:space:]]+0+$' <<<"$OUT" &&
		grep -Eq '^Seccomp_filters:[[:space:]]+2$' <<<"$OUT" && grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<<"$OUT"; then
		ok "docker-like start (filter loaded, 14 caps bounding): every set empty, ward's filter stacked"
	else
		not_ok "docker-like start: every set empty, filters stacked" "$(last_run)"
	fi
	in_docker_like "$SPOOL/no-landlock.bpf" "$WARD" run --mode entrypoint --user 10001 -- \
		"$PROBE" write "$SPOOL/ran" started
	if [ "$RC" = 227 ] && grep -q "^ward: landlock: the plan needs Landlock" <<<"$ERR" && ! started; then
		ok "no Landlock in the kernel: refused before the program runs (227), naming 'landlock optional'"
	else
		not_ok "no Landlock in the kernel: refused" "$(last_run)"
	fi
	printf 'ward-profile 1\nlandlock optional\n' >"$SPOOL/ll-optional.profile"
	chmod 644 "$SPOOL/ll-optional.profile"
	in_docker_like "$SPOOL/no-landlock.bpf" "$WARD" run --profile "$SPOOL/ll-optional.profile" \
		--mode entrypoint --user 10001 -- "$PROBE" write "$SPOOL/ran" started
	if [ "$RC" = 0 ] && started && grep -q "continuing without it, as the profile's 'landlock optional' allows" <<<"$ERR" &&
		grep -q 'not applied: Landlock' <<<"$ERR" &&
		grep -q 'not applied: a Landlock signal scope (the program can kill ward, which is not pid 1)' <<<"$ERR"; then
		ok "no Landlock with 'landlock optional': runs, saying so and listing Landlock and the signal scope as not applied"
	else
		not_ok "no Landlock with 'landlock optional': runs, saying so" "$(last_run)"
	fi
	rm -f "$SPOOL/ran"
else
	not_ok "bwrap (package bubblewrap) for the docker-like start"
fi

tap_done
