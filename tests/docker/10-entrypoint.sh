#!/bin/bash
# ward as the ENTRYPOINT of real Docker containers, on a private engine
# (tests/lib/docker.sh).  The image is made here: busybox, the static ward
# (make static), the static probe and an /etc/passwd with an app user,
# imported with `docker import`; images are built FROM it.  Everything is
# observed from inside the container by the probe.
#
#	tests/lib/run-integration.sh build/ward-static build/probe tests/docker/10-entrypoint.sh
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"
# shellcheck source=tests/lib/docker.sh
. "$here/../lib/docker.sh"

[ "$(id -u)" = 0 ] || skip_all "a private Docker engine needs root"
# A static binary, PIE or not, has no program interpreter (ldd cannot
# tell: it answers "statically linked", exit 0, for a static PIE).
phdrs=$(readelf -lW "$WARD" 2>&1) || skip_all "readelf cannot read $WARD: $phdrs"
if grep -q '^ *INTERP ' <<<"$phdrs"; then
	skip_all "$WARD is not a static binary: run this file with build/ward-static"
fi
docker_start || bail_out "the private Docker engine starts: $DOCKER_WHY"

# ---- the base image ------------------------------------------------------------------

fixture_dir CTX 755 || bail_out "no temp dir"
base=$CTX/base
mkdir -p "$base"/{bin,etc,tmp,data,scratch,usr/local/bin,home/app}
cp /bin/busybox "$base/bin/busybox"
for t in sh id cat ls sleep mkdir chown test env echo kill true grep; do
	ln -s busybox "$base/bin/$t"
done
cp "$WARD" "$base/usr/local/bin/ward"
cp "$PROBE" "$base/usr/local/bin/probe"
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'app:x:10001:10001:app:/home/app:/bin/sh' \
	'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$base/etc/passwd"
printf '%s\n' 'root:x:0:' 'wheel:x:10:app' 'app:x:10001:' 'nogroup:x:65534:' >"$base/etc/group"
chmod 1777 "$base/tmp" "$base/scratch"
chown 10001:10001 "$base/data" "$base/home/app"
docker_import ward-t-base "$base" || bail_out "docker import failed"

cat >"$CTX/app.profile" <<'EOF'
ward-profile 1
mode entrypoint
user app
writable /data
writable /tmp
tcp-bind 8080
EOF
cat >"$CTX/Dockerfile.root" <<'EOF'
FROM ward-t-base
COPY app.profile /etc/ward/app.profile
ENTRYPOINT ["/usr/local/bin/ward", "run", "--profile", "/etc/ward/app.profile", "--"]
CMD ["/usr/local/bin/probe", "status"]
EOF
sed -e 's/^user app$//' "$CTX/app.profile" >"$CTX/user.profile"
cat >"$CTX/Dockerfile.user" <<'EOF'
FROM ward-t-base
COPY user.profile /etc/ward/app.profile
USER 10001
ENTRYPOINT ["/usr/local/bin/ward", "run", "--profile", "/etc/ward/app.profile", "--"]
EOF
build() { dk build -q --network none -f "$CTX/$1" -t "$2" "$CTX" >/dev/null 2>"$CTX/build.err"; }
build Dockerfile.root ward-t-root || bail_out "docker build: $(cat "$CTX/build.err")"
build Dockerfile.user ward-t-user || bail_out "docker build: $(cat "$CTX/build.err")"

drun() { run_cmd "${DK[@]}" run --rm --network none "$@"; }

# ---- an image that starts as root, plain docker run ------------------------------------

drun ward-t-root /bin/sh -c 'probe id; probe status; probe fds; probe pid'
if [ "$RC" = 0 ] && grep -q '^uid=10001/10001/10001/10001 gid=10001/10001/10001/10001 groups=$' <<<"$OUT"; then
	ok "root image, plain docker run: the app runs as app (10001), groups cleared (wheel dropped)"
else
	not_ok "root image: the app runs as app, groups cleared" "$(last_run)"
fi
for set in CapInh CapPrm CapEff CapBnd CapAmb; do
	expect_out_match "root image: $set empty" "^$set:[[:space:]]+0+\$"
done
expect_out_match "root image: no_new_privs" '^NoNewPrivs:[[:space:]]+1$'
expect_out_match "root image: ward's filter stacked on Docker's (2 filters)" '^Seccomp_filters:[[:space:]]+2$'
expect_out_match "root image: no inherited fd above 2" '^fds=0,1,2$'
expect_out_match "root image: ward is pid 1, the app its child" '^pid=[0-9]+ ppid=1$'
if grep -q 'entrypoint mode: not applied' <<<"$ERR" && grep -q 'entrypoint mode: applied' <<<"$ERR"; then
	ok "root image: what was and was not applied is listed on stderr"
else
	not_ok "root image: layers listed on stderr" "$(last_run)"
fi

for sc in io_uring_setup keyctl bpf unshare-user; do
	drun ward-t-root probe syscall "$sc"
	expect_out "root image: $sc denied by the filter" "errno=EPERM"
done

drun ward-t-root /bin/sh -c 'probe write /data/f ok; probe write /scratch/f no; probe write /tmp/f ok; probe write /dev/null ok'
if [ "$OUT" = "$(printf 'ok\nerrno=EACCES\nok\nok')" ]; then
	ok "root image: Landlock: /data and /tmp writable, the world-writable /scratch not (EACCES), /dev/null fine"
else
	not_ok "root image: Landlock read-only except the writable paths" "$(last_run)"
fi
drun ward-t-root /bin/sh -c 'probe bind-tcp 8080; probe bind-tcp 9090'
if [ "$OUT" = "$(printf 'ok\nerrno=EACCES')" ]; then
	ok "root image: Landlock tcp-bind 8080: 8080 binds, 9090 is EACCES"
else
	not_ok "root image: Landlock tcp-bind" "$(last_run)"
fi

# (the engine does not keep the order of -e variables)
drun -e API_TOKEN=s3cr3t-value -e DB_PASSWORD=pw -e PLAIN=kept ward-t-root probe env
if grep -q '^PLAIN=kept$' <<<"$OUT" && ! grep -q 's3cr3t\|API_TOKEN\|DB_PASSWORD' <<<"$OUT" &&
	grep -Eq 'withheld 2 secret-looking variable\(s\) from the program: (API_TOKEN, DB_PASSWORD|DB_PASSWORD, API_TOKEN) ' <<<"$ERR" &&
	! grep -q 's3cr3t-value' <<<"$ERR"; then
	ok "root image: secret-looking variables withheld and named on stderr, values never shown"
else
	not_ok "root image: secret-looking variables withheld" "$(last_run)"
fi
expect_out_match "root image: HOME is app's" '^HOME=/home/app$'

# ---- pid 1: exit codes, signals, zombies ----------------------------------------------

drun ward-t-root probe exit 42
expect_rc "root image: the container's exit code is the app's (42)" 42
drun ward-t-root probe kill-self 9
expect_rc "root image: an app killed by SIGKILL gives 137" 137
drun ward-t-root /bin/sh -c 'probe zombies 3; sleep 0.3; probe zombie-check'
expect_out_match "root image: orphaned zombies are reaped by ward as pid 1" '^zombies=0$'

# docker run --init: tini is pid 1 and ward its child, running as the
# app's uid.  The app's own Landlock layer scopes its signals: it cannot
# kill or stop ward, yet still signals its own child.
drun --init ward-t-root /bin/sh -c 'echo ppid=$PPID
kill -KILL $PPID 2>&1; echo kill=$?; kill -STOP $PPID 2>&1; echo stop=$?
sleep 10 & kill $!; wait $!; echo child=$?; exit 7'
if [ "$RC" = 7 ] && grep -q '^ppid=[0-9]*$' <<<"$OUT" && ! grep -q '^ppid=1$' <<<"$OUT" &&
	grep -q '^kill=1$' <<<"$OUT" && grep -q '^stop=1$' <<<"$OUT" &&
	[ "$(grep -c 'Operation not permitted' <<<"$OUT")" = 2 ]; then
	ok "docker run --init (ward not pid 1): the app's kill -KILL and -STOP of ward fail (EPERM); exit code 7 is the app's"
else
	not_ok "docker run --init: the app cannot kill ward" "$(last_run)"
fi
if grep -q '^child=143$' <<<"$OUT"; then
	ok "docker run --init: the app still signals its own child (sleep & kill \$!)"
else
	not_ok "docker run --init: the app still signals its own child" "$(last_run)"
fi
if grep -q 'applied: .*a Landlock signal scope (the program cannot signal ward)' <<<"$ERR"; then
	ok "docker run --init: the signal scope is listed as applied"
else
	not_ok "docker run --init: the signal scope is listed as applied" "$(last_run)"
fi

name=ward-t-stop-$$
if dk run -d --network none --name "$name" ward-t-root probe wait-signal >/dev/null; then
	for _ in $(seq 40); do dk logs "$name" 2>/dev/null | grep -q '^ready$' && break; sleep 0.1; done
	t0=$(date +%s%N)
	dk stop -t 20 "$name" >/dev/null
	ms=$((($(date +%s%N) - t0) / 1000000))
	code=$(dk inspect -f '{{.State.ExitCode}}' "$name")
	logs=$(dk logs "$name" 2>/dev/null)
	dk rm -f "$name" >/dev/null 2>&1
	if grep -q '^signal=SIGTERM$' <<<"$logs" && [ "$code" = 0 ] && [ "$ms" -lt 10000 ]; then
		ok "docker stop: SIGTERM reaches the app through ward (${ms} ms), exit code is the app's ($code)"
	else
		not_ok "docker stop: SIGTERM reaches the app" "logs: $logs; exit code $code; ${ms} ms"
	fi
else
	not_ok "docker run -d for the stop test"
fi

# ---- refusals -------------------------------------------------------------------------------

drun --cap-drop ALL ward-t-root /bin/sh -c 'echo ran'
if [ "$RC" = 221 ] && ! grep -q '^ran$' <<<"$OUT" &&
	grep -q 'without CAP_SETUID, CAP_SETGID, CAP_SETPCAP' <<<"$ERR" &&
	grep -q -- '--cap-add SETUID --cap-add SETGID --cap-add SETPCAP' <<<"$ERR"; then
	ok "--cap-drop ALL: refused before the app runs, naming the three --cap-add flags (221)"
else
	not_ok "--cap-drop ALL: a clear message" "$(last_run)"
fi
drun --cap-drop ALL --cap-add SETUID --cap-add SETGID --cap-add SETPCAP ward-t-root probe status
expect_out_match "--cap-drop ALL plus the three: works, nothing left" '^CapBnd:[[:space:]]+0+$'

drun -v "$(docker_socket):/var/run/docker.sock" ward-t-root /bin/sh -c 'echo ran'
if [ "$RC" = 201 ] && ! grep -q '^ran$' <<<"$OUT" && grep -q 'engine-socket' <<<"$ERR"; then
	ok "-v <engine socket>:/var/run/docker.sock: refused before the app runs (201)"
else
	not_ok "-v docker.sock: refused" "$(last_run)"
fi

# ---- an image that starts as a non-root user ------------------------------------------------

drun ward-t-user /bin/sh -c 'probe id; probe status; probe write /data/f ok; probe write /scratch/f no'
if [ "$RC" = 0 ] && grep -q '^uid=10001/10001/10001/10001 gid=10001/10001/10001/10001' <<<"$OUT" &&
	grep -Eq '^CapEff:[[:space:]]+0+$' <<<"$OUT" && grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<<"$OUT" &&
	grep -Eq '^Seccomp_filters:[[:space:]]+2$' <<<"$OUT" && grep -q '^errno=EACCES$' <<<"$OUT" &&
	grep -q 'not applied (started as uid 10001, not root): the bounding set' <<<"$ERR"; then
	ok "USER 10001 image: works, no caps, NNP, filter, Landlock; the bounding set listed as not applied"
else
	not_ok "USER 10001 image: works with what it can apply" "$(last_run)"
fi
drun --user 10001:10001 ward-t-root probe id
expect_rc "docker run --user 10001 with a profile naming app (10001): runs" 0

# ---- the documented Dockerfile ----------------------------------------------------------------

ex=$CTX/example
mkdir -p "$ex/examples" "$ex/build"
cp "$top/examples/Dockerfile" "$top/examples/app.profile" "$ex/examples/"
cp "$WARD" "$ex/build/ward-static"
if dk build -q --network none --build-arg BUILDER=ward-t-base --build-arg BASE=ward-t-base \
	-f "$ex/examples/Dockerfile" -t ward-t-example "$ex" >/dev/null 2>"$CTX/build.err"; then
	ok "examples/Dockerfile builds (FROM the imported base, reusing build/ward-static)"
	drun ward-t-example /bin/sh -c 'echo hello from $(id -un); probe status; probe write /data/x ok'
	if [ "$RC" = 0 ] && grep -q '^hello from app$' <<<"$OUT" &&
		grep -Eq '^CapEff:[[:space:]]+0+$' <<<"$OUT" && grep -q '^ok$' <<<"$OUT"; then
		ok "examples/Dockerfile runs: the app as 'app', no capabilities, /data writable"
	else
		not_ok "examples/Dockerfile runs" "$(last_run)"
	fi
else
	not_ok "examples/Dockerfile builds" "$(cat "$CTX/build.err")"
	not_ok "examples/Dockerfile runs" "not built"
fi

# examples/Dockerfile.scratch, built and run as its header says, from a
# context shaped like the project's (build/ward-static, build/probe).
sc=$CTX/scratch
mkdir -p "$sc/build"
cp -R "$top/examples" "$sc/"
cp "$WARD" "$sc/build/ward-static"
cp "$PROBE" "$sc/build/probe"
if dk build -q --network none -f "$sc/examples/Dockerfile.scratch" \
	--build-arg APP=build/probe -t ward-t-scratch "$sc" >/dev/null 2>"$CTX/build.err"; then
	ok "examples/Dockerfile.scratch builds as its header says"
	drun ward-t-scratch /usr/local/bin/myapp id
	expect_out "examples/Dockerfile.scratch runs the app as 10001 under ward" \
		"uid=10001/10001/10001/10001 gid=10001/10001/10001/10001 groups="
else
	not_ok "examples/Dockerfile.scratch builds as its header says" "$(cat "$CTX/build.err")"
	not_ok "examples/Dockerfile.scratch runs" "not built"
fi

tap_done
