#!/bin/bash
# Run two ward binaries over the same invocations and report every
# difference in stdout, stderr and exit status: the proof that a
# refactoring changed no output.
#
#	tests/lib/compare-outputs.sh OLD_WARD NEW_WARD
#
# Prints one line per invocation, "same  ward ARGS" or "DIFF  ward ARGS"
# followed by an excerpt of the unified diff (old -> new), then a summary.
# Exit status: 0 if every output is identical, 1 if any differs, 2 on a
# usage or setup error.
#
# Each binary is copied in turn to the same path ($T/bin/ward) and run
# from the repository root with the same arguments, the same fixtures and
# the same minimal environment (env -i; HOME and WARD_CACHE_DIR in the
# temporary directory; the filter cache emptied before every invocation),
# stdin from /dev/null, under a timeout.  Before comparing, only what must
# differ between two runs is normalised: the temporary directory's path
# (<TMP>) and the binaries' own paths (<WARD>); for launches also the
# timings printed by -v, pids and namespace inode numbers.  Exported BPF
# is compared as bytes (size, sha256 and the first differing instruction).
# A file an invocation writes (seccomp learn --output) is compared too.
#
# Environment: COMPARE_DIFF_LINES (diff lines shown per difference,
# default 40), COMPARE_KEEP=1 (keep the temporary directory and print it).
# Needs root for the launches (as the integration tests do), python3 for
# the image archive, nothing from the network.
set -u

usage() {
	echo "usage: $0 OLD_WARD NEW_WARD" >&2
	exit 2
}
[ $# -eq 2 ] || usage

abs() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PWD/$1" ;;
	esac
}
OLD=$(abs "$1")
NEW=$(abs "$2")
for b in "$OLD" "$NEW"; do
	if [ ! -f "$b" ] || [ ! -x "$b" ]; then
		echo "$0: $b: not an executable file" >&2
		exit 2
	fi
done
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
DIFF_LINES=${COMPARE_DIFF_LINES:-40}
TIMEOUT=10 # seconds per invocation; the slowest takes well under one

T=$(mktemp -d /tmp/ward-cmp.XXXXXX) || exit 2
chmod 755 "$T"
if [ "${COMPARE_KEEP:-0}" = 1 ]; then
	echo "# keeping $T"
else
	trap 'rm -rf "$T"' EXIT
fi
cd "$top" || exit 2

# ---- fixtures (built once, read by both binaries) ------------------------------------
F=$T/fx
mkdir -p "$F" "$T/bin" "$T/home" "$T/out/old" "$T/out/new"

# Profiles with errors.  multi: an unknown key, bad values, a conflicting
# redefinition, a missing include.
cat >"$F/multi.profile" <<'EOF'
ward-profile 1
# several errors, all reported before ward refuses
bogus-key 1
net sideways
hostname a
hostname b
include missing.profile
rlimit nofile=abc
cap-keep cap_bogus
EOF
printf 'ward-profile 1\ninclude cycle-b.profile\n' >"$F/cycle-a.profile"
printf 'ward-profile 1\ninclude cycle-a.profile\n' >"$F/cycle-b.profile"
printf 'ward-profile 1\ninclude cycle-self.profile\n' >"$F/cycle-self.profile"
printf 'net none\n' >"$F/noversion.profile"
printf 'ward-profile 9\nnet none\n' >"$F/badversion.profile"
printf 'ward-profile 1\nnet none\nnet host\n' >"$F/redefined.profile"
printf 'ward-profile 1\nverbose\n' >"$F/flagkey.profile"
printf 'ward-profile 1\nhostname\n' >"$F/novalue.profile"
printf 'ward-profile 1\nnet=none\nhostname = box\n' >"$F/equals.profile"
printf 'ward-profile 1\nhostname %s\n' "$(printf 'x%.0s' $(seq 1 9000))" >"$F/longline.profile"
# a profile that overrides an included one, and seccomp lines of its own
cat >"$F/layered.profile" <<'EOF'
ward-profile 1
include default.profile
net none
hostname layered
seccomp-deny chmod fchmod errno=EACCES
seccomp-allow personality
tmpfs /cache:size=2M
env LAYER=1
EOF
cat >"$F/seccomp-lines.profile" <<'EOF'
ward-profile 1
seccomp strict
seccomp-default errno=EPERM
seccomp-allow @network-io
seccomp-deny ptrace action=kill
EOF
cat >"$F/profile-only.profile" <<'EOF'
ward-profile 1
seccomp strict
seccomp-log-only yes
engine-socket none
EOF
printf 'ward-profile 1\nmode auto\nfallback entrypoint\n' >"$F/fallback.profile"
printf 'ward-profile 1\nfallback sideways\nseccomp-log-only maybe\nallow-engine-socket nope\n' \
	>"$F/profile-only-bad.profile"
mkfifo "$F/fifo.profile"
mkdir "$F/dir.profile"
# seccomp policies and Docker JSON with errors
printf 'ward-seccomp 1\nallow @default\nallow not_a_syscall\n' >"$F/badname.policy"
printf 'ward-seccomp 1\nallow @no-such-group\nbogus line\n' >"$F/badline.policy"
printf 'ward-seccomp 1\ndefault kill\nallow @default @basic-io\ndeny write\n' >"$F/small.policy"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [' >"$F/truncated.json"
printf '{"defaultAction": "SCMP_ACT_BOGUS", "syscalls": []}\n' >"$F/badaction.json"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}\n' >"$F/noexecve.json"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["execve", "read", "nope_call"], "action": "SCMP_ACT_ALLOW"}]}\n' >"$F/unknownname.json"
# secrets: a good file (0600), a world-readable one, a directory
printf 's3cr3t-value-for-compare\n' >"$F/secret.txt"
chmod 600 "$F/secret.txt"
printf 'world-readable\n' >"$F/open-secret.txt"
chmod 644 "$F/open-secret.txt"
mkdir -p "$F/data"
chmod 755 "$F/data"
# a socket named as Docker's: the engine-socket guard refuses its bind
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$F/docker.sock" || { echo "$0: cannot create a unix socket" >&2; exit 2; }
printf 'ward-profile 1\nallow-engine-socket docker\nbind %s:/var/run/docker.sock\n' \
	"$F/docker.sock" >"$F/engine.profile"

# A small root tree for ward check --rootfs: a shell, a setuid file, a
# world-writable directory, secrets by name and by content.
R=$F/rootfs
mkdir -p "$R"/{bin,etc,tmp,app,srv/drop,root/.ssh,proc,dev,run,sys}
chmod 1777 "$R/tmp"
chmod 0777 "$R/srv/drop"
if [ -x /bin/busybox ]; then
	cp /bin/busybox "$R/bin/busybox"
else
	cp /bin/true "$R/bin/busybox"
fi
for a in sh ls cat id true; do
	ln -s busybox "$R/bin/$a"
done
cp /bin/true "$R/bin/setuid-helper"
chmod 4755 "$R/bin/setuid-helper"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/app:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\napp:x:10001:\n' >"$R/etc/group"
printf 'API_KEY=compare-env-file\n' >"$R/app/.env"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nQUJDREVGCg==\n-----END OPENSSH PRIVATE KEY-----\n' >"$R/root/.ssh/id_rsa"
chmod 600 "$R/root/.ssh/id_rsa"
# A clean one: only a static program and its user.
C=$F/clean-rootfs
mkdir -p "$C"/{app,etc,tmp}
cp /bin/true "$C/app/server"
printf 'app:x:10001:10001:app:/app:/sbin/nologin\n' >"$C/etc/passwd"

# A docker-save-shaped archive and an OCI layout, written by python with
# fixed timestamps (as tests/integration/96-check-image.sh writes its
# hostile archives).
python3 - "$F" <<'EOF' || { echo "$0: cannot write the image archives" >&2; exit 2; }
import hashlib, io, json, os, sys, tarfile
out = sys.argv[1]
def member(t, name, data=b"", mode=0o644, kind=tarfile.REGTYPE, link=""):
    ti = tarfile.TarInfo(name); ti.mtime = 1700000000; ti.mode = mode
    ti.type = kind; ti.linkname = link; ti.uid = ti.gid = 0
    ti.size = len(data) if kind == tarfile.REGTYPE else 0
    t.addfile(ti, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
def layer(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            member(t, *e)
    return b.getvalue()
D, L = tarfile.DIRTYPE, tarfile.SYMTYPE
layers = [
    layer([("bin", b"", 0o755, D), ("bin/busybox", b"\x7fELF-not-really", 0o4755),
           ("bin/sh", b"", 0o777, L, "busybox"), ("etc", b"", 0o755, D),
           ("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/app:/bin/sh\n"),
           ("app", b"", 0o755, D), ("app/.env", b"API_KEY=compare-image-env\n")]),
    layer([("root", b"", 0o700, D), ("root/.ssh", b"", 0o700, D),
           ("root/.ssh/id_rsa", b"-----BEGIN OPENSSH PRIVATE KEY-----\nQUJD\n-----END OPENSSH PRIVATE KEY-----\n", 0o600),
           ("srv", b"", 0o755, D), ("srv/drop", b"", 0o777, D)]),
    layer([("app", b"", 0o755, D), ("app/.wh..env", b"")]),
]
diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
config = json.dumps({
    "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
    "config": {"Env": ["PATH=/bin", "DB_PASSWORD=compare-db-pw",
                       "DATABASE_URL=postgres://app:compare-url-pw@db/app"],
               "ExposedPorts": {"80/tcp": {}, "8080/tcp": {}},
               "Volumes": {"/data": {}}, "WorkingDir": "/app",
               "Entrypoint": ["/bin/sh"], "Cmd": ["-c", "echo hi"]},
    "rootfs": {"type": "layers", "diff_ids": diff_ids},
    "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "COPY rootfs /"},
                {"created": "2024-01-01T00:00:00Z",
                 "created_by": "|1 API_TOKEN=compare-token /bin/sh -c echo $API_TOKEN"},
                {"created": "2024-01-01T00:00:00Z", "created_by": "RUN rm /app/.env"}],
}, sort_keys=True).encode()
names = ["l%d/layer.tar" % i for i in range(len(layers))]
manifest = json.dumps([{"Config": "config.json", "RepoTags": ["compare/leaky:1"],
                        "Layers": names}]).encode()
with tarfile.open(os.path.join(out, "image.tar"), "w", format=tarfile.PAX_FORMAT) as t:
    for n, d in list(zip(names, layers)) + [("config.json", config), ("manifest.json", manifest)]:
        member(t, n, d)
# The same image as an OCI layout directory (uncompressed layers).
oci = os.path.join(out, "image-oci")
os.makedirs(os.path.join(oci, "blobs", "sha256"))
def blob(data):
    h = hashlib.sha256(data).hexdigest()
    open(os.path.join(oci, "blobs", "sha256", h), "wb").write(data)
    return {"digest": "sha256:" + h, "size": len(data)}
man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": dict(blob(config), mediaType="application/vnd.oci.image.config.v1+json"),
       "layers": [dict(blob(l), mediaType="application/vnd.oci.image.layer.v1.tar") for l in layers]}
mb = json.dumps(man).encode()
index = {"schemaVersion": 2, "manifests": [dict(blob(mb), mediaType=man["mediaType"],
         annotations={"org.opencontainers.image.ref.name": "latest"})]}
open(os.path.join(oci, "index.json"), "w").write(json.dumps(index))
open(os.path.join(oci, "oci-layout"), "w").write('{"imageLayoutVersion": "1.0.0"}')
# A broken archive: no manifest.
with tarfile.open(os.path.join(out, "nomanifest.tar"), "w") as t:
    member(t, "config.json", b"{}")
EOF

# ---- the invocations ----------------------------------------------------------------
# Run in two phases (the old binary, then the new), each calling cases();
# every case writes $T/out/PHASE/N.{out,err,rc}.  The environment is fixed.
ENVV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	HOME="$T/home" LC_ALL=C WARD_CACHE_DIR="$T/cache"
	WARDCMP_TOKEN=compare-env-secret)
W=$T/bin/ward
N=0
LABELS=()
KINDS=()

# run KIND ARGS...: one invocation of ward ARGS.  KIND: text (outputs as
# text), bpf (stdout is binary), launch (text; timings, pids and namespace
# ids normalised).  With WROTE=FILE, FILE is what the invocation writes:
# it joins stdout, and is removed.
run() {
	local kind=$1 d
	shift
	N=$((N + 1))
	if [ "$PHASE" = old ]; then
		local q=""
		[ $# -eq 0 ] || printf -v q ' %q' "$@"
		LABELS[N]="ward${q//"$T"/<TMP>}"
		KINDS[N]=$kind
	fi
	d=$T/out/$PHASE/$N
	rm -rf "$T/cache"
	env -i "${ENVV[@]}" timeout -k 2 "$TIMEOUT" "$W" "$@" </dev/null >"$d.out" 2>"$d.err"
	echo "$?" >"$d.rc"
	if [ -n "${WROTE:-}" ]; then
		{ echo "--- ${WROTE//"$T"/<TMP>}"; cat "$WROTE"; } >>"$d.out" 2>&1
		rm -f "$WROTE"
	fi
}
text() { run text "$@"; }
bpf() { run bpf "$@"; }
launch() { run launch "$@"; }

# check, check --json and explain of the same options
plan3() {
	text check "$@"
	text check --json "$@"
	text explain "$@"
}

# the seccomp filter of the same options: exported, then shown
filter2() {
	bpf seccomp export "$@"
	text seccomp show "$@"
}

cases() {
	local p

	# -- help and usage of every command
	text
	text help
	text --help
	text -h
	text --version
	text version
	text version extra
	text bogus-command
	text run
	text run --help
	text run -h
	text check --help
	text explain --help
	text probe --help
	text probe --bogus
	text seccomp
	text seccomp bogus
	text seccomp groups
	text seccomp groups extra
	text seccomp show --help
	text seccomp export --help
	text seccomp learn --help
	text reserve-id --help
	text exit-codes
	text profiles
	text check --image
	text check --suggest

	# -- check, check --json and explain
	plan3
	for p in profiles/*.profile; do
		plan3 --profile "$p"
	done
	plan3 --profile "$top/profiles/nginx.profile"
	plan3 --profile nginx
	plan3 --profile=demo
	plan3 --profile "$F/layered.profile"
	plan3 --profile "$F/equals.profile"
	plan3 --profile "$F/seccomp-lines.profile"
	plan3 --profile "$F/profile-only.profile"
	plan3 --profile "$F/profile-only-bad.profile"
	plan3 --profile "$F/fallback.profile"
	plan3 --profile "$F/fallback.profile" --net none
	plan3 --profile profiles/nginx.profile --net none --user 2345
	plan3 --user 2345
	plan3 --user 2345:2346
	plan3 --user=nobody
	plan3 --user 10001:10001
	plan3 --groups keep
	plan3 --groups clear
	plan3 --groups 100,200
	plan3 --bind /etc
	plan3 --bind /etc:/mnt/etc:ro
	plan3 --bind "$F/data:/data:rw"
	plan3 --bind "$F/data:/data:rw" --bind /usr/share:/share:ro
	plan3 --tmpfs /scratch
	plan3 --tmpfs /scratch:size=1M --tmpfs /cache
	plan3 --net loopback
	plan3 --net none
	plan3 --net host
	plan3 --cap-keep net_bind_service
	plan3 --cap-keep chown,net_bind_service,cap_dac_override
	plan3 --seccomp default
	plan3 --seccomp strict
	plan3 --seccomp docker:tests/data/docker-default-seccomp.json
	plan3 --seccomp off-i-know
	plan3 --seccomp profiles/seccomp/example.policy
	plan3 --rlimit nofile=1024
	plan3 --rlimit nproc=100:200 --rlimit core=0 --rlimit as=1073741824
	plan3 --env FOO=bar
	plan3 --env API_TOKEN=compare-token --env DB_PASSWORD=hunter2
	plan3 --env DATABASE_URL=postgres://u:compare-pw@db/app --env AWS_SECRET_ACCESS_KEY=x
	plan3 --env PASSWORD_FILE=/run/secrets/pw --env TOKENIZER=x --env MONKEY=1
	plan3 --secret "db=$F/secret.txt"
	plan3 --secret tok=env:WARDCMP_TOKEN
	plan3 --secret "db=$F/secret.txt" --secret-env db
	plan3 --writable /var/tmp
	plan3 --tcp-bind 80,8000-8010 --tcp-connect 443
	plan3 --tcp-bind none --tcp-connect none
	plan3 --mode entrypoint
	plan3 --mode namespaces
	plan3 --mode auto
	plan3 --mode entrypoint --writable /tmp --tcp-bind 8080 --landlock optional
	plan3 --mode entrypoint --env-pass API_TOKEN --env API_TOKEN=x
	plan3 --init no
	plan3 --no-init
	plan3 --init yes --init-signals group
	plan3 --workdir /tmp
	plan3 --hostname box
	plan3 --landlock optional
	plan3 --landlock required
	plan3 --env-pass API_TOKEN
	plan3 --rootfs host
	plan3 -v
	plan3 --user 2345 --net host --cap-keep net_raw --seccomp off-i-know \
		--bind "$F/data:/data:rw" --env SECRET_KEY=x --init no --groups 100

	# -- errors
	plan3 --bogus
	plan3 -x
	plan3 --
	plan3 --verbose=1
	plan3 --net
	plan3 --=x
	plan3 --profile profiles/demo.profile --profile profiles/nginx.profile
	plan3 --profile no-such-profile
	plan3 --profile "$F/no-such.profile"
	plan3 --profile "$F/multi.profile"
	plan3 --profile "$F/cycle-a.profile"
	plan3 --profile "$F/cycle-self.profile"
	plan3 --profile "$F/noversion.profile"
	plan3 --profile "$F/badversion.profile"
	plan3 --profile "$F/redefined.profile"
	plan3 --profile "$F/flagkey.profile"
	plan3 --profile "$F/novalue.profile"
	plan3 --profile "$F/longline.profile"
	plan3 --profile "$F/fifo.profile"
	plan3 --profile "$F/dir.profile"
	plan3 --rootfs /nonexistent
	plan3 --rootfs "$F/secret.txt"
	plan3 --rootfs relative/dir
	plan3 --user 0
	plan3 --user 0:0
	plan3 --user root
	plan3 --user 2345:0
	plan3 --user no-such-user
	plan3 --user -1
	plan3 --user 99999999999
	plan3 --user 12ab
	plan3 --user ''
	plan3 --groups bogus
	plan3 --groups 1,,2
	plan3 --bind relative
	plan3 --bind /nonexistent
	plan3 --bind /etc:relative
	plan3 --bind /etc:/x:rx
	plan3 --bind /etc:/x:ro:extra
	plan3 --bind "$F/docker.sock:/var/run/docker.sock"
	plan3 --bind "$F/docker.sock:/x.sock:rw"
	plan3 --profile "$F/engine.profile"
	plan3 --allow-engine-socket docker
	plan3 --tmpfs relative
	plan3 --tmpfs /x:size=abc
	plan3 --tmpfs /x:bogus=1
	plan3 --net bogus
	plan3 --net veth:bad
	plan3 --cap-keep bogus_cap
	plan3 --cap-keep chown,,kill
	plan3 --cap-keep all
	plan3 --seccomp bogus
	plan3 --seccomp docker:/nonexistent.json
	plan3 --seccomp "docker:$F/truncated.json"
	plan3 --seccomp "docker:$F/badaction.json"
	plan3 --seccomp "docker:$F/noexecve.json"
	plan3 --seccomp "docker:$F/unknownname.json"
	plan3 --seccomp "$F/badname.policy"
	plan3 --seccomp "$F/badline.policy"
	plan3 --rlimit bogus=1
	plan3 --rlimit nofile=abc
	plan3 --rlimit nofile=10:5
	plan3 --rlimit nofile
	plan3 --env NOEQUALS
	plan3 --env =x
	plan3 --env 'BAD NAME=x'
	plan3 --workdir relative
	plan3 --init maybe
	plan3 --no-init=1
	plan3 --init-signals bogus
	plan3 --mode bogus
	plan3 --tcp-bind abc
	plan3 --tcp-bind 70000
	plan3 --tcp-bind 90-80
	plan3 --landlock maybe
	plan3 --hostname 'bad host'
	plan3 --hostname "$(printf 'h%.0s' $(seq 1 80))"
	plan3 --secret bad
	plan3 --secret "x=$F/nonexistent"
	plan3 --secret "x=$F/open-secret.txt"
	plan3 --secret "x=$F/data"
	plan3 --secret x=env:WARDCMP_UNSET
	plan3 --secret x=fd:99
	plan3 --secret-env nosuch
	plan3 --writable relative
	plan3 --env-pass 'BAD NAME'
	plan3 --seccomp-allow read
	plan3 --fallback bogus

	# -- the seccomp filter, as bytes and as rules
	filter2
	filter2 --seccomp default
	filter2 --seccomp strict
	for p in profiles/*.profile; do
		filter2 --profile "$p"
	done
	filter2 --profile "$F/layered.profile"
	filter2 --profile "$F/seccomp-lines.profile"
	filter2 --profile "$F/profile-only.profile"
	for p in profiles/seccomp/*.policy; do
		filter2 --seccomp "$p"
	done
	filter2 --seccomp "$F/small.policy"
	for p in tests/data/*.json; do
		filter2 --seccomp "docker:$p"
	done
	filter2 --cap-keep net_bind_service
	filter2 --cap-keep sys_admin,sys_ptrace,net_admin
	filter2 --seccomp strict --cap-keep sys_chroot
	filter2 --seccomp docker:tests/data/docker-default-seccomp.json --cap-keep sys_admin
	filter2 --seccomp off-i-know
	filter2 --seccomp "$F/badname.policy"
	filter2 --bogus

	# -- root trees and image archives
	plan3 --rootfs "$R"
	plan3 --rootfs "$R" --user 10001 --workdir /app
	plan3 --rootfs "$C" --user 10001:10001
	text check --image "$F/image.tar"
	text check --image "$F/image.tar" --json
	text check --image="$F/image.tar" --suggest
	text check --image "$F/image.tar" --net none --user 2345
	text check --image "$F/image.tar" --json --rootfs "$R"
	text check --image "$F/image-oci"
	text check --image "$F/image-oci" --json
	text check --image "$F/image-oci" --suggest
	text check --image "$F/image.tar" --suggest --json
	text check --image "$F/image.tar" --image "$F/image.tar"
	text check --image "$F/nomanifest.tar"
	text check --image "$F/nonexistent.tar"
	text run --image "$F/image.tar" -- /bin/true

	# -- real launches (with -v, only ones whose program writes nothing:
	# ward's lines and the program's would interleave in no fixed order)
	launch run -- /bin/true
	launch run -- /bin/sh -c 'exit 3'
	launch run -- /bin/sh -c 'echo out; echo err >&2; kill -TERM $$'
	launch run --seccomp strict -- /bin/sh -c id
	launch run -- /bin/sh -c 'id; hostname; pwd; ulimit -n'
	launch run --net none --hostname box --workdir /tmp -- /bin/sh -c 'hostname; pwd; cat /proc/net/dev | wc -l'
	launch run --rootfs /nonexistent -- x
	launch run -- /nonexistent-program
	launch run -- /etc/passwd
	launch run --
	launch run -v -- /bin/true
	launch run -v --net none --tmpfs /scratch --bind "$F/data:/data" -- /bin/sh -c 'exit 7'
	launch run --secret "db=$F/secret.txt" -- /bin/sh -c 'stat -c "%A %u:%g %s %n" /run/secrets/db; cat /run/secrets/db'
	launch run --secret x=fd:99 -- /bin/true
	launch run --env FOO=bar --env API_TOKEN=x -- /bin/sh -c 'env | sort'
	launch run --bind "$F/data:/data" -- /bin/sh -c 'touch /data/x; echo $?'
	if [ -x /bin/busybox ]; then
		launch run --rootfs "$R" -- /bin/sh -c 'id; ls /; cat /etc/passwd'
	fi
	launch run --bind "$W:/opt/ward" -- /opt/ward probe
	launch run --bind "$W:/opt/ward" -- /opt/ward probe --json
	launch seccomp learn -- /bin/true
	WROTE=$F/data/learned launch seccomp learn --output "$F/data/learned" -- /bin/sh -c 'exit 2'
}

# ---- normalise, compare, report --------------------------------------------------------
re_escape() { sed 's/[]\/$*.^[]/\\&/g' <<<"$1"; }
SED_COMMON=(-e "s/$(re_escape "$T")/<TMP>/g" -e "s/$(re_escape "$OLD")/<WARD>/g"
	-e "s/$(re_escape "$NEW")/<WARD>/g")
SED_LAUNCH=(-E -e 's/\[ *[0-9]+\.[0-9]+ ms\]/[<T> ms]/g'
	-e 's/\b(pid|pids|sandbox is pid)([ :]+)[0-9]+/\1\2<PID>/g'
	-e 's/"pid": *[0-9]+/"pid": <PID>/g'
	-e 's/\b40265[0-9]{5}\b/<NSINO>/g')

# report PHASE N: the normalised outputs of case N, for diff.
report() {
	local d=$T/out/$1/$2 kind=${KINDS[$2]}
	local rc
	rc=$(cat "$d.rc")
	case $rc in
	124) rc="124 (timed out after $TIMEOUT s)" ;;
	137) rc="137 (killed after a timeout of $TIMEOUT s, or by SIGKILL)" ;;
	esac
	printf 'exit status: %s\n' "$rc"
	echo "--- stdout"
	if [ "$kind" = bpf ]; then
		printf '%s bytes, sha256 %s\n' "$(stat -c %s "$d.out")" \
			"$(sha256sum <"$d.out" | cut -d' ' -f1)"
	elif [ "$kind" = launch ]; then
		sed "${SED_COMMON[@]}" "$d.out" | sed "${SED_LAUNCH[@]}"
	else
		sed "${SED_COMMON[@]}" "$d.out"
	fi
	echo "--- stderr"
	if [ "$kind" = launch ]; then
		sed "${SED_COMMON[@]}" "$d.err" | sed "${SED_LAUNCH[@]}"
	else
		sed "${SED_COMMON[@]}" "$d.err"
	fi
}

# bpf_where OLD NEW: the first BPF instruction (8 bytes) where two
# exported filters differ, in hex, or which one is a prefix of the other.
bpf_where() {
	local first k
	cmp -s "$1" "$2" && return
	first=$(cmp -l "$1" "$2" 2>/dev/null | awk 'NR == 1 { print $1 }')
	if [ -z "$first" ]; then
		echo "one filter is a prefix of the other ($(stat -c %s "$1") and $(stat -c %s "$2") bytes)"
		return
	fi
	k=$(((first - 1) / 8))
	echo "first difference in BPF instruction $k (byte $((k * 8))):"
	printf '  old %s\n  new %s\n' "$(od -An -tx1 -j $((k * 8)) -N 8 "$1")" \
		"$(od -An -tx1 -j $((k * 8)) -N 8 "$2")"
}

start=$(date +%s)
for PHASE in old new; do
	if [ $PHASE = old ]; then bin=$OLD; else bin=$NEW; fi
	install -m 755 "$bin" "$W" || exit 2
	N=0
	cases
	rm -f "$F/data/x"
done

same=0
differ=0
for ((i = 1; i <= N; i++)); do
	report old "$i" >"$T/out/old/$i.report"
	report new "$i" >"$T/out/new/$i.report"
	if cmp -s "$T/out/old/$i.report" "$T/out/new/$i.report"; then
		same=$((same + 1))
		printf 'same  %s\n' "${LABELS[i]}"
		continue
	fi
	differ=$((differ + 1))
	printf 'DIFF  %s\n' "${LABELS[i]}"
	if [ "${KINDS[i]}" = bpf ]; then
		bpf_where "$T/out/old/$i.out" "$T/out/new/$i.out" | sed 's/^/      /'
	fi
	diff -u --label old --label new "$T/out/old/$i.report" "$T/out/new/$i.report" |
		head -n "$DIFF_LINES" | sed 's/^/      /'
done
echo "compare-outputs: $N invocations, $same same, $differ differ ($(($(date +%s) - start)) s)"
[ "$differ" = 0 ]
