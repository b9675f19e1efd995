#!/bin/bash
# ward check --image on a generated ~200 MB image with 20,000 files.
#
#	bench/image-audit.sh [WARD] [RUNS]
#
# Builds, in a temporary directory and without Docker, a docker save
# archive by hand (manifest.json, a config with history, layer tars made
# with tar): layer 0 holds 19,000 small files (2 KiB) in 190 directories
# plus a few tools, layer 1 holds 1,000 files of 160 KiB, layer 2 deletes
# a directory (whiteouts).  File contents are random, so the same layers
# gzip-compressed in an OCI layout directory (timed too) stay ~200 MB and
# decompression is then most of the cost.
# Prints the best and the median of RUNS runs (default 5) for each; the
# goal is under 2 s for the docker save archive.
set -eu

WARD=${1:-$(cd "$(dirname "$0")/.." && pwd)/build/ward}
RUNS=${2:-5}
[ -x "$WARD" ] || { echo "bench: $WARD is missing (make first)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is missing" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/ward-bench-image.XXXXXX")
trap 'rm -rf "$T"' EXIT

python3 - "$T" <<'EOF'
import gzip, hashlib, json, os, shutil, subprocess, sys
t = sys.argv[1]
noise = os.urandom(1 << 20)  # contents gzip cannot shrink, as real binaries
def tree(d, files):
    for n, (rel, size, mode) in enumerate(files):
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        off = (n * 7919) % ((1 << 20) - size)
        with open(p, "wb") as f:
            f.write(noise[off:off + size])
        os.chmod(p, mode)
l0 = [("usr/lib/pkg%03d/mod%03d.py" % (i // 100, i % 100), 2048, 0o644) for i in range(19000)]
l0 += [("bin/" + n, 4096, 0o755) for n in ("sh", "busybox", "curl", "apt-get")]
l1 = [("srv/data/blob%04d.bin" % i, 160 << 10, 0o644) for i in range(1000)]
tree(os.path.join(t, "r0"), l0)
tree(os.path.join(t, "r1"), l1)
os.makedirs(os.path.join(t, "r2", "usr", "lib"))
for i in range(5):
    open(os.path.join(t, "r2", "usr", "lib", ".wh.pkg%03d" % i), "w").close()
layers, diff = [], []
for i in range(3):
    tarpath = os.path.join(t, "l%d.tar" % i)
    subprocess.run(["tar", "-C", os.path.join(t, "r%d" % i), "--numeric-owner",
                    "-cf", tarpath, "."], check=True)
    shutil.rmtree(os.path.join(t, "r%d" % i))
    layers.append(tarpath)
    diff.append("sha256:" + hashlib.sha256(open(tarpath, "rb").read()).hexdigest())
config = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"User": "10001", "Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/sh"]},
    "rootfs": {"type": "layers", "diff_ids": diff},
    "history": [{"created_by": "ADD base.tar /"}, {"created_by": "COPY data /srv/data"},
                {"created_by": "RUN rm -rf /usr/lib/pkg00*"}]}).encode()
# docker save
ds = os.path.join(t, "ds")
os.makedirs(ds)
names = []
for i, p in enumerate(layers):
    os.makedirs(os.path.join(ds, "l%d" % i))
    shutil.copy(p, os.path.join(ds, "l%d" % i, "layer.tar"))
    names.append("l%d/layer.tar" % i)
open(os.path.join(ds, "config.json"), "wb").write(config)
open(os.path.join(ds, "manifest.json"), "w").write(json.dumps(
    [{"Config": "config.json", "RepoTags": ["bench:1"], "Layers": names}]))
subprocess.run(["tar", "-C", ds, "-cf", os.path.join(t, "image.tar"), "manifest.json",
                "config.json"] + names, check=True)
shutil.rmtree(ds)
# OCI layout, gzip layers
oci = os.path.join(t, "oci")
blobs = os.path.join(oci, "blobs", "sha256")
os.makedirs(blobs)
def blob(data):
    h = hashlib.sha256(data).hexdigest()
    open(os.path.join(blobs, h), "wb").write(data)
    return "sha256:" + h, len(data)
lay = []
for p in layers:
    d, n = blob(gzip.compress(open(p, "rb").read(), 1))
    lay.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": n})
    os.unlink(p)
cd, cn = blob(config)
md, mn = blob(json.dumps({"schemaVersion": 2, "config": {"digest": cd, "size": cn},
                          "layers": lay}).encode())
open(os.path.join(oci, "index.json"), "w").write(json.dumps(
    {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                         "digest": md, "size": mn}]}))
open(os.path.join(oci, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
EOF

timeit() {
	local what=$1 i t0 t1 ms times=()
	shift
	"$WARD" check --image "$@" >"$T/out" || { cat "$T/out"; exit 1; }
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N)
		"$WARD" check --image "$@" >/dev/null
		t1=$(date +%s%N)
		times+=($(((t1 - t0) / 1000000)))
	done
	mapfile -t times < <(printf '%s\n' "${times[@]}" | sort -n)
	printf '%-34s best %5d ms  median %5d ms  (%d runs)\n' "$what" "${times[0]}" \
		"${times[$((RUNS / 2))]}" "$RUNS"
}

echo "ward: $WARD"
echo "image: $(du -sh "$T/image.tar" | cut -f1) docker save archive, $(tar -xOf "$T/image.tar" l0/layer.tar | tar -t | wc -l) + $(tar -xOf "$T/image.tar" l1/layer.tar | tar -t | wc -l) entries in layers 0 and 1; OCI gzip layout $(du -sh "$T/oci" | cut -f1)"
grep -E '^image\.(read|size|tools) ' "$T/out" 2>/dev/null || "$WARD" check --image "$T/image.tar" | grep -E '^image\.(read|size|tools) '
timeit "docker save archive (plain tar)" "$T/image.tar"
timeit "OCI layout directory (gzip)" "$T/oci"
