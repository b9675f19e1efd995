#!/bin/bash
# ward run --image end to end, with real images built by a private dockerd
# (a busybox tree with the probe, docker import; docker build FROM it with
# the classic builder and --network none; docker save; skopeo to an OCI
# layout).  Proven from inside with the probe:
#   - the image's user, environment (secret-looking names withheld, --env
#     adds), WorkingDir, argv (CMD after -- replaces Cmd; --entrypoint
#     replaces Entrypoint and clears Cmd);
#   - a file a later RUN deleted is absent, the RUN's setuid bit is gone,
#     no device node survives, the root is read-only;
#   - the image's VOLUME is a private writable tmpfs holding the image's
#     content there (links as links, no device nodes), the cache untouched;
#     a VOLUME at a symlink of the image is refused;
#   - /etc/hosts, /etc/hostname and /etc/resolv.conf as Docker gives them,
#     fitting --net (loopback: no nameserver; host: the host's; veth: the
#     host's less its loopback nameservers, eth0's address in hosts);
#   - the image's STOPSIGNAL is what the program gets when ward gets SIGTERM
#     (from ward's init, and from the launcher with --no-init);
#   - an image with no USER runs as ward's default user, saying so;
#   - an image holding a private key is refused (232) until
#     --accept-findings names it; a profile's `image =` key;
#   - ward explain --image shows the image's config;
#   - the same as an unprivileged user (rootless).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"
# shellcheck source=tests/lib/docker.sh
. "$here/../lib/docker.sh"

tap_require_userns
[ -x /bin/busybox ] || skip_all "/bin/busybox is missing (package busybox-static)"
fixture_dir T || skip_all "cannot create a directory under ${TMPDIR:-/tmp}"
WARD_TIMEOUT=30

# ---- the images ----------------------------------------------------------------------
docker_start || bail "a private Docker daemon starts" "$DOCKER_WHY"
ok "a private Docker daemon starts"
need_pkg skopeo skopeo

B=$T/base
mkdir -p "$B"/{bin,etc,tmp,data/sub,nodes}
chmod 1777 "$B/tmp"
cp /bin/busybox "$B/bin/busybox"
for a in sh ls rm chmod mkdir cat echo true sleep; do
	ln -s busybox "$B/bin/$a"
done
install -m 755 "$PROBE" "$B/probe"
install -m 755 "$PROBE" "$B/bin/suid-me"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/srv/app:/bin/sh\n' >"$B/etc/passwd"
printf 'root:x:0:\napp:x:10001:\n' >"$B/etc/group"
echo "image-hosts" >"$B/etc/hosts"
echo "image-hostname" >"$B/etc/hostname"
echo "nameserver 192.0.2.53" >"$B/etc/resolv.conf"
echo "doomed" >"$B/doomed"
echo "seed" >"$B/data/seed"
echo "nested" >"$B/data/sub/nested"
ln -s /etc/passwd "$B/data/link"
mknod "$B/data/null" c 1 3
mknod "$B/nodes/null" c 1 3
mkfifo "$B/data/fifo"
chmod 755 "$B/data" "$B/data/sub"
docker_import wardtest/runimg-base:1 "$B" || bail "docker import of the busybox tree" "docker import failed"

build() {
	local out
	out=$(DOCKER_BUILDKIT=0 dk build --network none "$@" 2>&1) ||
		bail "docker build $*" "$(tail -n 20 <<<"$out")"
}
A=$T/app
mkdir -p "$A"
cat >"$A/Dockerfile" <<'EOF'
FROM wardtest/runimg-base:1
RUN ["/bin/rm", "/doomed"]
RUN ["/bin/chmod", "u+s", "/bin/suid-me"]
ENV GREETING=hello API_TOKEN=image-token-value
USER app
WORKDIR /srv/app
EXPOSE 8080
VOLUME /data
STOPSIGNAL SIGUSR1
ENTRYPOINT ["/probe"]
CMD ["id"]
EOF
build -t wardtest/runimg-app:1 "$A"
R=$T/rootimg
mkdir -p "$R"
printf 'FROM wardtest/runimg-base:1\nCMD ["/probe", "id"]\n' >"$R/Dockerfile"
build -t wardtest/runimg-root:1 "$R"
K=$T/keyimg
mkdir -p "$K"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n' \
	"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW" >"$K/id_ed25519"
chmod 644 "$K/id_ed25519"
printf 'FROM wardtest/runimg-base:1\nCOPY id_ed25519 /keys/id_ed25519\nUSER app\nCMD ["/probe", "id"]\n' \
	>"$K/Dockerfile"
build -t wardtest/runimg-key:1 "$K"
S=$T/symvol
mkdir -p "$S"
printf 'FROM wardtest/runimg-base:1\nRUN ["/bin/busybox", "ln", "-s", "/etc", "/vol"]\nVOLUME /vol\nCMD ["/probe", "id"]\n' \
	>"$S/Dockerfile"
build -t wardtest/runimg-symvol:1 "$S"
dk save -o "$T/symvol.tar" wardtest/runimg-symvol:1 || bail "docker save" "docker save failed"
dk save -o "$T/app.tar" wardtest/runimg-app:1 || bail "docker save" "docker save failed"
dk save -o "$T/root.tar" wardtest/runimg-root:1 || bail "docker save" "docker save failed"
dk save -o "$T/key.tar" wardtest/runimg-key:1 || bail "docker save" "docker save failed"
dk save -o "$T/two.tar" wardtest/runimg-app:1 wardtest/runimg-root:1 ||
	bail "docker save of two images" "docker save failed"
skopeo copy --quiet "docker-archive:$T/app.tar" "oci:$T/oci:1" >/dev/null 2>&1 ||
	bail "skopeo copy to an OCI layout" "skopeo copy failed"
chmod 644 "$T"/*.tar
chmod -R a+rX "$T/oci"
ok "images built: app (USER, ENV, WORKDIR, VOLUME, STOPSIGNAL, ENTRYPOINT/CMD), root, key, symvol"

export WARD_CACHE_DIR=$T/cache

# ---- user, environment, cwd, argv ----------------------------------------------------------
run_ward check --image "$T/app.tar"
expect_out_match "ward check --image app.tar (here the test's app image) inspects it: its user" \
	'^image\.user +ok .*USER app: runs as uid 10001'
run_ward run --image "$T/app.tar"
expect_rc "ward run --image app.tar (here the test's app image): the image's Entrypoint and Cmd run (probe id)" 0
expect_out_match "...as the image's USER app (10001:10001)" '^uid=10001/10001/10001/10001 gid=10001/'
run_ward run --image "$T/app.tar" --env EXTRA=added -- env
expect_out_match "CMD after -- replaces Cmd (probe env); the image's ENV is there" '^GREETING=hello$'
expect_no_match "...but a secret-looking name of the image's ENV is withheld" 'API_TOKEN|image-token-value' "$OUT"
expect_match "...saying so, by name" 'API_TOKEN' "$ERR"
expect_out_match "...and --env adds" '^EXTRA=added$'
run_ward run --image "$T/app.tar" --env GREETING=override --env-pass API_TOKEN -- env
expect_eq "--env replaces the image's value; --env-pass passes a withheld one" \
	"GREETING=override API_TOKEN=image-token-value" \
	"$(grep -E '^(GREETING|API_TOKEN)=' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
run_ward run --image "$T/app.tar" -- cwd
expect_out "the image's WorkingDir is the working directory" "cwd=/srv/app"
run_ward run --image "$T/app.tar" --entrypoint /bin/echo
expect_eq "--entrypoint replaces Entrypoint and clears Cmd" "0 " "$RC $OUT"
run_ward run --image "$T/app.tar" --entrypoint /bin/echo -- one two
expect_eq "--entrypoint with arguments after --" "0 one two" "$RC $OUT"
run_ward run --image "$T/app.tar" --entrypoint /bin/sh -- -c 'ls -l /data'
expect_out_match "ward run --image app.tar --entrypoint /bin/sh -- -c 'ls -l /data': the shell lists the volume" ' seed$'


# ---- the tree ------------------------------------------------------------------------------
run_ward run --image "$T/app.tar" -- stat /doomed
expect_out "a file a later RUN deleted is absent" "errno=ENOENT"
run_ward run --image "$T/app.tar" -- stat /bin/suid-me
expect_out_match "the setuid bit a RUN set is gone" '^type=reg mode=0755 '
run_ward run --image "$T/app.tar" -- stat /nodes/null
expect_no_match "no device node of the image survives" 'type=chr' "$OUT"
run_ward run --image "$T/app.tar" -- write /srv/app/x data
expect_out "the root is read-only" "errno=EROFS"

# ---- the volume ----------------------------------------------------------------------------
run_ward run --image "$T/app.tar" -- cat /data/seed
expect_out "the VOLUME holds the image's content" "seed"
run_ward run --image "$T/app.tar" -- cat /data/sub/nested
expect_out "...its subdirectories too" "nested"
run_ward run --image "$T/app.tar" -- ls /data
expect_out "...links as links, no device node nor FIFO" "entries=link@,seed,sub/"
run_ward run --image "$T/app.tar" -- write /data/seed changed
expect_out "the VOLUME is writable by the program" "ok"
run_ward run --image "$T/app.tar" -- mounts
expect_out_match "...a tmpfs of its own, writable, nosuid, nodev" '^/data rw,nosuid,nodev'
entry=$(find "$T/cache/images" -mindepth 1 -maxdepth 1 -type d ! -name sources ! -name 'tmp.*' | head -n1)
expect_eq "...and the cached image is untouched" "seed image-hosts" \
	"$(cat "$entry/rootfs/data/seed" "$entry/rootfs/etc/hosts" | tr '\n' ' ' | sed 's/ $//')"

run_ward run --image "$T/app.tar" --volume /scratch -- write /scratch/x data
expect_out "--volume PATH the image lacks (at the top): an empty writable volume" "ok"
mkdir -p "$T/hostdir" && echo from-host >"$T/hostdir/f" && chmod -R a+rX "$T/hostdir"
run_ward run --image "$T/app.tar" --bind "$T/hostdir:/data/sub" -- cat /data/sub/f
expect_out "a --bind beneath the image's VOLUME is mounted after it, not hidden by it" "from-host"
run_ward run --image "$T/symvol.tar"
expect_rc "a VOLUME at a symlink of the image (/vol -> /etc) is refused (211)" 211
expect_match "...saying so: ward never mounts through a symlink" 'volume /vol: a symlink .*never mounts through a symlink' "$ERR"

# ---- /etc/hosts, hostname, resolv.conf -----------------------------------------------------------
run_ward run --image "$T/app.tar" --hostname box -- cat /etc/hosts
expect_out_match "/etc/hosts: localhost" '^127\.0\.0\.1[[:space:]]+localhost$'
expect_out_match "...and the sandbox's hostname" '^127\.0\.1\.1[[:space:]]+box$'
run_ward run --image "$T/app.tar" --hostname box -- cat /etc/hostname
expect_out "/etc/hostname: the sandbox's hostname" "box"
run_ward run --image "$T/app.tar" -- cat /etc/resolv.conf
expect_no_match "resolv.conf with --net loopback (the default): no nameserver" '^nameserver' "$OUT"
expect_no_match "...nor the image's" '192\.0\.2\.53' "$OUT"
run_ward run --image "$T/app.tar" --net host -- cat /etc/resolv.conf
expect_eq "resolv.conf with --net host: the host's" "$(grep -v '^$' /etc/resolv.conf 2>/dev/null)" \
	"$(grep -v '^$' <<<"$OUT")"
run_ward run --image "$T/app.tar" --net veth --hostname vv -- cat /etc/hosts
expect_out_match "/etc/hosts with --net veth: the hostname at eth0's address" '^10\.[0-9.]+[[:space:]]+vv$'
run_ward run --image "$T/app.tar" --net veth -- cat /etc/resolv.conf
expect_eq "resolv.conf with --net veth: the host's, less its nameservers on the host's loopback" \
	"$(grep -Ev '^$|^nameserver[[:space:]]+(127\.|::1)' /etc/resolv.conf 2>/dev/null)" \
	"$(grep -Ev '^$|^# ward: ' <<<"$OUT")"
run_ward run --image "$T/app.tar" -- write /etc/hosts x
expect_out "/etc/hosts is read-only" "errno=EROFS"

# ---- the stop signal -----------------------------------------------------------------------
WARD_PREFIX=(env --default-signal)
ward_bg "$T/stop" run --image "$T/app.tar" -- wait-signal
WARD_PREFIX=()
if wait_for_line "$T/stop" '^ready$' 20; then
	kill -TERM "$WARD_PID"
	wait_bg "$WARD_PID" 10
	expect_eq "SIGTERM to ward reaches the program as the image's STOPSIGNAL (SIGUSR1)" \
		"0 ready signal=SIGUSR1" "$RC $(tr '\n' ' ' <"$T/stop" | sed 's/ $//')"
else
	kill -KILL "$WARD_PID" 2>/dev/null
	not_ok "SIGTERM to ward reaches the program as SIGUSR1" "the probe never printed ready: $(cat "$T/stop.err")"
fi

WARD_PREFIX=(env --default-signal)
ward_bg "$T/stop-noinit" run --no-init --image "$T/app.tar" -- wait-signal
WARD_PREFIX=()
if wait_for_line "$T/stop-noinit" '^ready$' 20; then
	kill -TERM "$WARD_PID"
	wait_bg "$WARD_PID" 10
	expect_eq "--no-init: the launcher forwards SIGTERM as the STOPSIGNAL (SIGUSR1)" \
		"0 ready signal=SIGUSR1" "$RC $(tr '\n' ' ' <"$T/stop-noinit" | sed 's/ $//')"
else
	kill -KILL "$WARD_PID" 2>/dev/null
	not_ok "--no-init: SIGTERM forwarded as SIGUSR1" "the probe never printed ready: $(cat "$T/stop-noinit.err")"
fi

# ---- no USER, the audit, a profile, explain -------------------------------------------------
run_ward run --image "$T/root.tar"
expect_out_match "an image with no USER runs as ward's default user, not root" '^uid=10001/10001/10001/10001 gid=10001/'
expect_eq "...saying so in one line" "1" "$(grep -c "USER is not set.*ward's default user" <<<"$ERR")"
run_ward run --image "$T/key.tar"
expect_rc "an image holding a private key the program can read is refused (232)" 232
expect_match "...naming it" 'image\.secret-file:/keys/id_ed25519' "$ERR"
expect_no_match "...before anything runs" 'uid=' "$OUT"
run_ward run --image "$T/key.tar" --accept-findings image.secret-file:/keys/id_ed25519
expect_out_match "--accept-findings with its id starts it" '^uid=10001/'
printf 'ward-profile 1\nimage %s\nhostname fromprofile\n' "$T/app.tar" >"$T/app.profile"
run_ward run --profile "$T/app.profile" -- hostname
expect_out "a profile's image = key runs the image" "hostname=fromprofile"
run_ward run --image "$T/two.tar" -- id
expect_rc "an archive of two images without --tag: refused" 229
expect_match "...listing their tags" 'wardtest/runimg-app:1.*wardtest/runimg-root:1|wardtest/runimg-root:1.*wardtest/runimg-app:1' "$ERR"
run_ward run --image "$T/two.tar" --tag wardtest/runimg-app:1 -- env
expect_out_match "--tag wardtest/runimg-app:1 runs that image (its ENV)" '^GREETING=hello$'
run_ward run --image "$T/two.tar" --tag wardtest/runimg-root:1
expect_out_match "--tag wardtest/runimg-root:1 runs the other (its CMD, as the default user)" '^uid=10001/'
expect_no_match "...without the first one's ENV" 'GREETING' "$OUT"
run_ward run --image "$T/oci" -- id
expect_out_match "the OCI layout of the image runs the same" '^uid=10001/10001/10001/10001 gid=10001/'
if skopeo copy --quiet --dest-compress-format zstd "docker-archive:$T/app.tar" \
	"oci-archive:$T/app-zstd.tar:1" >/dev/null 2>&1; then
	chmod 644 "$T/app-zstd.tar"
	run_ward run --image "$T/app-zstd.tar" -- id
	expect_out_match "an OCI layout as a tar, zstd layers, runs the same" \
		'^uid=10001/10001/10001/10001 gid=10001/'
else
	not_ok "skopeo copy to an OCI tar with zstd layers" "skopeo copy failed"
fi
run_ward explain --image "$T/app.tar"
expect_rc "ward explain --image app.tar (here the test's app image) exits 0" 0
expect_match "...shows the user" "user: +uid 10001 gid 10001 \\(the image's USER app\\)" "$OUT"
expect_match "...the argv" 'argv: +/probe id$' "$OUT"
expect_match "...the exposed ports" 'exposed: +8080/tcp' "$OUT"
expect_match "...the volumes" 'volumes: +/data$' "$OUT"
expect_match "...the stop signal" 'stop signal: SIGUSR1' "$OUT"
expect_match "...and the steps: the volume's tmpfs" 'mount a private writable tmpfs on /data' "$OUT"
expect_match "...the /etc files" 'write /etc/hosts' "$OUT"
expect_match "...SIGTERM forwarded as SIGUSR1" 'forward SIGTERM to the program as SIGUSR1' "$OUT"

# ---- rootless ------------------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ] && fixture_test_user && fixture_user_bins; then
	fixture_user_prefix
	X=$T/xdg
	mkdir -m 700 "$X" && chown "$WARD_TEST_UID:$WARD_TEST_UID" "$X"
	chmod 755 "$T"
	saved=$WARD
	WARD=$WARD_U
	WARD_PREFIX=("${WARD_PREFIX[@]}" env -u WARD_CACHE_DIR XDG_CACHE_HOME="$X")
	run_ward run --image "$T/app.tar" -- id
	expect_out_match "rootless: the image's user" '^uid=10001/10001/10001/10001 gid=10001/'
	run_ward run --image "$T/app.tar" -- env
	expect_eq "rootless: the image's environment" "GREETING=hello" "$(grep '^GREETING=' <<<"$OUT")"
	run_ward run --image "$T/app.tar" -- cat /data/seed
	expect_out "rootless: the VOLUME holds the image's content" "seed"
	run_ward run --image "$T/app.tar" -- write /data/new x
	expect_out "rootless: the VOLUME is writable" "ok"
	run_ward run --image "$T/app.tar" -- stat /bin/suid-me
	expect_out_match "rootless: no setuid bit" '^type=reg mode=0[0-7]{3} '
	run_ward run --image "$T/app.tar" --hostname rl -- cat /etc/hosts
	expect_out_match "rootless: /etc/hosts names the sandbox" '^127\.0\.1\.1[[:space:]]+rl$'
	run_ward run --image "$T/app.tar" -- cwd
	expect_out "rootless: the image's WorkingDir" "cwd=/srv/app"
	run_ward run --image "$T/app.tar" -- write /srv/app/x data
	expect_out "rootless: the root is read-only" "errno=EROFS"
	run_ward run --image "$T/key.tar"
	expect_rc "rootless: the image holding a key is refused (232)" 232
	WARD_PREFIX=("${WARD_PREFIX[@]}" env --default-signal)
	ward_bg "$T/stop-rl" run --image "$T/app.tar" -- wait-signal
	if wait_for_line "$T/stop-rl" '^ready$' 20; then
		kill -TERM "$WARD_PID"
		wait_bg "$WARD_PID" 10
		expect_eq "rootless: SIGTERM reaches the program as the STOPSIGNAL (SIGUSR1)" \
			"0 ready signal=SIGUSR1" "$RC $(tr '\n' ' ' <"$T/stop-rl" | sed 's/ $//')"
	else
		kill -KILL "$WARD_PID" 2>/dev/null
		not_ok "rootless: SIGTERM forwarded as SIGUSR1" "the probe never printed ready: $(cat "$T/stop-rl.err")"
	fi
	WARD=$saved WARD_PREFIX=()
else
	skip "rootless ward run --image" "${FIXTURE_WHY:-not root, or cannot copy the binaries}"
fi

tap_done
