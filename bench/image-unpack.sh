#!/bin/bash
# ward_image_unpack against tar -xzf on the same ~200 MB of layers.
#
#	bench/image-unpack.sh [RUNS]
#
# Builds, without Docker, a docker save archive of two gzip'd layers made
# of this machine's own files (/usr/lib and /usr/share, real binaries and
# text, ~200 MB uncompressed) with a config whose rootfs.diff_ids are
# right, then times, RUNS times each (default 3), into a fresh directory
# on the same file system:
#   tar -xzf    each layer extracted by GNU tar (no digest checked)
#   unpack      ward_image_unpack as root (keep_owners): every blob and
#               diff_id hashed, the audit made, the tree written
#   rootless    the same, the modes derived for the image's user
# and prints the best and the median of each, in seconds and in MB/s of
# uncompressed layer, and unpack's best over tar's best (the goal: at
# most 1.5).  The image file is read once before timing (page cache warm
# for both); the destination is always a new directory, and every tree is
# kept until the end: on an ext4 without a journal, inodes freed in the
# last ~30 s are skipped one by one when new ones are allocated, so a run
# right after removing a 200 MB tree would pay for that removal.
set -eu

RUNS=${1:-3}
TOP=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$TOP/build/libward.a" ] || { echo "bench: build/libward.a is missing (make first)" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/var/tmp}/ward-bench-unpack.XXXXXX")
trap '[ "${KEEP:-0}" = 1 ] || { chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"; }' EXIT

# shellcheck disable=SC2046 # a list of linker flags
cc -std=gnu11 -O2 -I"$TOP/src" "$TOP/bench/unpack_time.c" "$TOP/build/libward.a" \
	$(pkg-config --libs libcap-ng libseccomp libmnl json-c) -ldl -o "$T/unpack_time"

python3 - "$T" <<'PY'
import gzip, hashlib, json, os, subprocess, sys
t = sys.argv[1]
def pick(roots, budget):
    out, total = [], 0
    for root in roots:
        for d, dirs, files in os.walk(root):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(d, f)
                if not os.path.isfile(p) or os.path.islink(p):
                    continue
                s = os.path.getsize(p)
                if total + s > budget:
                    return out, total
                out.append(p[1:])
                total += s
    return out, total
sets = [pick(["/usr/lib/x86_64-linux-gnu"], 150 << 20), pick(["/usr/share"], 50 << 20)]
diff, names = [], []
for i, (files, total) in enumerate(sets):
    lst = os.path.join(t, "files%d" % i)
    open(lst, "w").write("\n".join(files) + "\n")
    plain = os.path.join(t, "l%d.tar" % i)
    subprocess.run(["tar", "-C", "/", "--numeric-owner", "-cf", plain, "-T", lst], check=True)
    diff.append("sha256:" + hashlib.sha256(open(plain, "rb").read()).hexdigest())
    subprocess.run(["gzip", "-6", "-n", plain], check=True)
    names.append("l%d/layer.tar" % i)
    print("layer %d: %d files, %d MB" % (i, len(files), total >> 20))
config = json.dumps({"architecture": "amd64", "os": "linux",
                     "config": {"User": "10001"},
                     "rootfs": {"type": "layers", "diff_ids": diff}}).encode()
cid = hashlib.sha256(config).hexdigest()
ds = os.path.join(t, "ds")
for i in range(len(sets)):
    os.makedirs(os.path.join(ds, "l%d" % i))
    os.rename(os.path.join(t, "l%d.tar.gz" % i), os.path.join(ds, "l%d" % i, "layer.tar"))
open(os.path.join(ds, cid + ".json"), "wb").write(config)
open(os.path.join(ds, "manifest.json"), "w").write(json.dumps(
    [{"Config": cid + ".json", "RepoTags": ["bench:unpack"], "Layers": names}]))
subprocess.run(["tar", "-C", ds, "-cf", os.path.join(t, "image.tar"), "."], check=True)
PY

MB=$(( $(for i in 0 1; do gzip -dc "$T/ds/l$i/layer.tar" | wc -c; done | paste -sd+ | bc) / 1048576 ))
cat "$T/image.tar" > /dev/null
stats() { sort -n | awk -v mb="$MB" '{v[NR]=$1} END {printf "best %.2f s (%.0f MB/s), median %.2f s\n", v[1], mb/v[1], v[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

for r in $(seq "$RUNS"); do
	d="$T/out-tar-$r"; mkdir "$d"; sync
	a=$(now)
	for i in 0 1; do tar -C "$d" -xzf "$T/ds/l$i/layer.tar"; done
	b=$(now); echo "$b - $a" | bc
done | stats | sed 's/^/tar -xzf:  /' | tee "$T/tar.txt"
for mode in keep rootless; do
	for r in $(seq "$RUNS"); do
		d="$T/out-$mode-$r"; mkdir "$d"; sync
		if [ "$mode" = rootless ]; then
			"$T/unpack_time" "$T/image.tar" "$d" rootless
		else
			"$T/unpack_time" "$T/image.tar" "$d"
		fi
	done | stats | sed "s/^/unpack ($mode): /" | tee "$T/$mode.txt"
done
tb=$(sed 's/.*best \([0-9.]*\) s.*/\1/' "$T/tar.txt")
ub=$(sed 's/.*best \([0-9.]*\) s.*/\1/' "$T/keep.txt")
echo "uncompressed layers: $MB MB; unpack / tar -xzf: $(echo "scale=2; $ub / $tb" | bc)"
