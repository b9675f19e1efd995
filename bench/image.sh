#!/bin/bash
# ward run --image benchmark (issue 24, "Performance"): warm start, cold
# start and a soak, each side by side with the peers in one interleaved
# run.  Run as root.  See README.md, "ward run --image".
#
#   bench/image.sh [all|warm|cold|soak]       (make -C bench image)
#
# all (the default) makes the inputs, runs the three parts and writes its
# section of docs/BENCHMARKS.md; the others make the inputs and run one
# part.  Environment: WARD (an existing ward binary; default: build one
# from this checkout in the temp dir), WARD_SRC (the tree to build from),
# RUNS (warm launches per row, default 100), COLD_RUNS (cold rounds,
# default 7), SOAK_RUNS (default 200), DOC (where `all` writes its section,
# default ../docs/BENCHMARKS.md; DOC= writes none), KEEP=1 (keep the temp
# dir).  Exits 1, after running the peers' rows, when the ward binary has
# no `run --image`: its rows then say "not run", and no document is
# written.
set -euo pipefail
MODE=${1:-all}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
RUNS=${RUNS:-100} COLD_RUNS=${COLD_RUNS:-7} SOAK_RUNS=${SOAK_RUNS:-200}
DOC=${DOC-$TOP/docs/BENCHMARKS.md}
BEGIN_MARK='<!-- begin bench/image.sh -->' END_MARK='<!-- end bench/image.sh -->'

[ "$(id -u)" = 0 ] || { echo "bench: run as root (a private dockerd, podman, ward's cache)" >&2; exit 1; }
case $MODE in all | warm | cold | soak) ;; *) echo "usage: image.sh [all|warm|cold|soak]" >&2; exit 2 ;; esac

# --- peers and tools from Debian ------------------------------------------------
need=""
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || need="$need busybox-static"
command -v dockerd >/dev/null || need="$need docker.io"
command -v skopeo >/dev/null || need="$need skopeo"
command -v podman >/dev/null || need="$need podman"
command -v runc >/dev/null || need="$need runc"
command -v ch-run >/dev/null || need="$need charliecloud-runtime"
command -v python3 >/dev/null || need="$need python3"
if [ -n "$need" ]; then
	echo "bench: installing$need" >&2
	# shellcheck disable=SC2086 # a list of package names
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends $need; } >/dev/null
fi

TMP=$(mktemp -d /tmp/ward-bimg.XXXXXX)
chmod 0755 "$TMP" # the rootless rows run as 65534
CLEANUPS=()
# tests/lib/docker.sh registers its daemon's stop here (as with tap.sh).
tap_cleanup() { CLEANUPS+=("$1"); }
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	set +e
	local f
	for f in "${CLEANUPS[@]}"; do "$f" || true; done
	# Whatever podman or dockerd left mounted under the temp dir.
	awk -v t="$TMP" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		xargs -r -n1 umount -l 2>/dev/null
	if [ "${KEEP:-0}" = 1 ]; then echo "bench: kept $TMP" >&2; else rm -rf --one-file-system "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# shellcheck disable=SC2034 # read by tests/lib/docker.sh
DOCKER_EXTRA_ARGS=()
# shellcheck source=tests/lib/docker.sh
. "$TOP/tests/lib/docker.sh"

die() { echo "bench: $*" >&2; exit 1; }

# --- ward ------------------------------------------------------------------------
make -s -C "$HERE" tools O="$TMP" WARD="${WARD:-}" ${WARD_SRC:+TOP="$WARD_SRC"} >&2
W=$TMP/ward LT=$TMP/launch_time UT=$TMP/unpack_time
WS=""
[ -x "$TMP/ward-static" ] && WS=$TMP/ward-static
# has_image WARD: the binary knows `run --image` (its --help lists it;
# --image-limit, an option of check, is not it).
has_image() { "$1" run --help 2>&1 | grep -qE -- '^ *--image[ =]'; }
IMAGE_OK=1
has_image "$W" || { IMAGE_OK=0; echo "bench: ward run --image not available in $W" >&2; }

# The podman command line with its storage under DIR (never the machine's):
# runc, cgroupfs, file events.  This machine's root lacks CAP_SYS_RESOURCE,
# so podman's default RLIMIT_NOFILE (1048576) cannot be set: runs pass the
# caller's hard limit instead (PODMAN_RUN).
podman_at() {
	echo "$(command -v podman) --root $1/root --runroot $1/run --tmpdir $1/tmp --runtime runc --cgroup-manager cgroupfs --events-backend file"
}
PODMAN_RUN="run --rm --network none --ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=32768:32768"
# podman_reset DIR: remove what podman stored under DIR.
podman_reset() { $(podman_at "$1") system reset -f >/dev/null 2>&1 || true; }

# --- the inputs, made here and removed at the end ----------------------------------
# A busybox image (docker import of a busybox-static tree, saved, and as an OCI
# layout), and a ~200 MB image of 5 layers: the busybox base, shared libraries
# from /usr/lib, python3's standard library, data (random, compressible text,
# zeros; owned by 10001) and a RUN that deletes a directory (whiteouts), saved
# plain and converted to an OCI layout with gzip layers.
BB_TAR=$TMP/busybox.tar BB_OCI=$TMP/busybox-oci BIG_TAR=$TMP/big.tar BIG_OCI=$TMP/big-oci
BBROOT=$TMP/bbroot

busybox_tree() { # DIR
	mkdir -p "$1"/{bin,dev,etc,home,proc,root,run,sys,tmp,usr,var}
	chmod 1777 "$1/tmp"
	cp /bin/busybox "$1/bin/busybox"
	chroot "$1" /bin/busybox --install -s /bin
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$1/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
}

# copy_upto SRC DST MB: regular files of SRC (sorted by path, subdirectories
# included, hard links left out) up to MB megabytes, with their relative paths.
copy_upto() {
	(cd "$1" && find . -type f -links 1 -printf '%s %P\n' | sort -k2 |
		awk -v max="$(($3 * 1000000))" 's + $1 <= max { s += $1; print $2 }') >"$TMP/copy.list"
	tar -C "$1" -cf - -T "$TMP/copy.list" | tar -xf - -C "$2"
}

make_inputs() {
	local in=$TMP/in py
	echo "== inputs (private dockerd, docker import/build/save, skopeo) =="
	docker_start || die "$DOCKER_WHY"
	mkdir -p "$in"
	busybox_tree "$in/bb"
	docker_import bench/busybox:1 "$in/bb" || die "docker import failed"
	dk save bench/busybox:1 -o "$BB_TAR"
	skopeo copy -q docker-archive:"$BB_TAR" oci:"$BB_OCI":latest
	mkdir -p "$in/big/lib" "$in/big/py" "$in/big/data"
	copy_upto /usr/lib/x86_64-linux-gnu "$in/big/lib" 85
	py=$(ls -d /usr/lib/python3.[0-9]* | sort -V | tail -n 1)
	cp -a "$py/." "$in/big/py/"
	head -c 24000000 /dev/urandom >"$in/big/data/random.bin"
	head -c 16000000 /dev/zero >"$in/big/data/zeros.bin"
	python3 -c '
import random, sys
r = random.Random(24)
words = ["GET", "POST", "/api/v1/items", "/health", "200", "404", "ok", "user", "session", "cache", "miss", "hit"]
with open(sys.argv[1], "w") as f:
    n = 0
    while n < 24000000:
        line = "2026-12-07T08:%02d:%02d.%06dZ INFO req=%08x %s\n" % (r.randrange(60), r.randrange(60), r.randrange(10**6), r.getrandbits(32), " ".join(r.choice(words) for _ in range(8)))
        f.write(line)
        n += len(line)
' "$in/big/data/app.log"
	for i in $(seq 0 999); do printf '{"id": %d, "name": "item-%d", "tags": ["a", "b"]}\n' "$i" "$i" >"$in/big/data/item-$i.json"; done
	cat >"$in/big/Dockerfile" <<-'EOF'
	FROM bench/busybox:1
	COPY lib/ /usr/lib/x86_64-linux-gnu/
	COPY py/ /usr/lib/python3/
	COPY --chown=10001:10001 data/ /srv/data/
	RUN rm -rf /usr/lib/python3/test /usr/lib/python3/idlelib && echo built >/etc/bench-release
	EOF
	DOCKER_BUILDKIT=0 dk build -q --network none -t bench/big:1 "$in/big" >/dev/null ||
		die "docker build of the 200 MB image failed"
	dk save bench/big:1 -o "$BIG_TAR"
	skopeo copy -q --dest-compress --dest-compress-format gzip \
		docker-archive:"$BIG_TAR" oci:"$BIG_OCI":latest
	_docker_stop || true # (its pipelines were not written for pipefail)
	rm -rf "$in"
	# The layers as files, for tar; their uncompressed bytes (for MB/s).
	python3 - "$TMP" <<-'EOF'
	import json, os, sys, tarfile
	t = sys.argv[1]
	for name in ("busybox", "big"):
	    os.makedirs(os.path.join(t, name + "-layers"))
	    with tarfile.open(os.path.join(t, name + ".tar")) as a:
	        m = json.load(a.extractfile("manifest.json"))[0]
	        paths = []
	        for i, l in enumerate(m["Layers"]):
	            p = os.path.join(t, name + "-layers", "%02d.tar" % i)
	            with open(p, "wb") as f:
	                f.write(a.extractfile(l).read())
	            paths.append(p)
	        open(os.path.join(t, name + ".id"), "w").write(m["Config"].split(".")[0].replace("sha256:", "").split("/")[-1])
	    open(os.path.join(t, name + "-layers", "list"), "w").write(" ".join(paths))
	    open(os.path.join(t, name + "-layers", "bytes"), "w").write(str(sum(os.path.getsize(p) for p in paths)))
	oci = os.path.join(t, "big-oci")
	blob = lambda d: os.path.join(oci, "blobs", d.replace(":", "/"))
	idx = json.load(open(os.path.join(oci, "index.json")))
	man = json.load(open(blob(idx["manifests"][0]["digest"])))
	gz = [blob(l["digest"]) for l in man["layers"]]
	assert all(l["mediaType"].endswith("gzip") for l in man["layers"]), man["layers"]
	open(os.path.join(t, "big-oci.list"), "w").write(" ".join(gz))
	open(os.path.join(t, "big-oci.bytes"), "w").write(str(sum(os.path.getsize(p) for p in gz)))
	EOF
	chmod -R a+rX "$BB_TAR" "$BB_OCI" "$BIG_TAR" "$BIG_OCI" "$TMP"/*-layers
	# The unpacked busybox tree for --rootfs and ch-run: its one layer, by tar.
	mkdir -p "$BBROOT"
	tar -xf "$TMP/busybox-layers/00.tar" -C "$BBROOT"
	BIG_BYTES=$(cat "$TMP/big-layers/bytes") BIG_GZ=$(cat "$TMP/big-oci.bytes")
	echo "busybox: $(du -b "$BB_TAR" | cut -f1) bytes (docker save); 200 MB image: $(wc -w <"$TMP/big-layers/list") layers, $BIG_BYTES bytes uncompressed ($(du -b "$BIG_TAR" | cut -f1) as docker save), $BIG_GZ bytes of gzip layers in the OCI layout"
	INPUTS="busybox image: busybox-static $(busybox 2>&1 | awk 'NR==1 { print $2 }') in one layer, $(du -b "$BB_TAR" | cut -f1) bytes as docker save. 200 MB image: $(wc -w <"$TMP/big-layers/list") layers, $(awk -v b="$BIG_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB of uncompressed layers ($(awk -v b="$BIG_BYTES" 'BEGIN { printf "%.0f", b / 1048576 }') MiB), $(find "$BIG_OCI" -type f | wc -l) files in the OCI layout, $(awk -v b="$BIG_GZ" 'BEGIN { printf "%.1f", b / 1e6 }') MB of gzip layers"
}

# --- rows ----------------------------------------------------------------------------
as_user() {
	if [ -n "${RUNAS:-}" ]; then
		setpriv --reuid "$RUNAS" --regid "$RUNAS" --clear-groups env "$@"
	else
		env "$@"
	fi
}

# row 'LABEL|CMD': run CMD once as the table's user (a check, and for ward
# --image the fill of its cache); a failing row stays as "not run".
row() {
	local cmd=${1#*|} why
	# shellcheck disable=SC2086 # a command line, split on spaces
	if as_user $cmd >/dev/null 2>"$TMP/row.err"; then
		echo "$1" >>"$ROWS"
	else
		why=$(grep -v -e '^$' -e '^ward: notice:' "$TMP/row.err" | sed -n 1p | tr -d '|' | cut -c1-100)
		echo "${1%%|*}|!fails here: ${why:-exit status not 0}" >>"$ROWS"
	fi
}

# image_row WARD 'LABEL|CMD': a row of ward run --image, or "not run".
image_row() {
	if has_image "$1"; then row "$2"; else echo "${2%%|*}|!ward run --image not available" >>"$ROWS"; fi
}

noise() {
	local psi=""
	[ -r /proc/pressure/cpu ] && psi=", CPU pressure $(awk '$1 == "some" { print $2, $3 }' /proc/pressure/cpu)"
	echo "load average $(cut -d' ' -f1-3 /proc/loadavg)$psi, $(ps -eo comm= | grep -c -E '^(cc1|cc|gcc|ld|make|as)$' || true) compiler processes running"
}

# warm root|rootless N: ward --image against --rootfs, ch-run and podman.
warm() {
	local who=$1 n=$2 env_cache="" user=root title st before
	RUNAS="" ROWS=$TMP/rows-$who
	: >"$ROWS"
	if [ "$who" = rootless ]; then
		RUNAS=65534 user=nobody
		mkdir -p "$TMP/cache-65534" && chown 65534:65534 "$TMP/cache-65534"
	else
		mkdir -p "$TMP/cache-0" && chmod 0700 "$TMP/cache-0"
	fi
	env_cache="WARD_CACHE_DIR=$TMP/cache-${RUNAS:-0}"
	row "bare exec|$BBROOT/bin/busybox true"
	row "unshare -Urm --root|/usr/bin/unshare -Urm --root=$BBROOT /bin/true"
	row "unshare, ward's namespaces|/usr/bin/unshare -UrmnpfiuC --root=$BBROOT /bin/true"
	row "ch-run|USER=$user $(command -v ch-run) $BBROOT -- /bin/true"
	row "floor (ward's default steps, bare syscalls)|$TMP/floor $BBROOT /bin/true"
	row "ward --rootfs|$W run --rootfs $BBROOT -- /bin/true"
	image_row "$W" "ward --image (busybox, docker save)|$env_cache $W run --image $BB_TAR -- /bin/true"
	[ ! -x "$UT" ] || row "ward_image_prepare alone (busybox, docker save; no launch)|$env_cache $UT -p $BB_TAR"
	image_row "$W" "ward --image (busybox, OCI layout)|$env_cache $W run --image $BB_OCI -- /bin/true"
	image_row "$W" "ward --image (200 MB, docker save)|$env_cache $W run --image $BIG_TAR -- /bin/true"
	image_row "$W" "ward --image (200 MB, OCI gzip)|$env_cache $W run --image $BIG_OCI -- /bin/true"
	if [ -n "$WS" ]; then
		row "ward (make static) --rootfs|$WS run --rootfs $BBROOT -- /bin/true"
		image_row "$WS" "ward (make static) --image (busybox)|$env_cache $WS run --image $BB_TAR -- /bin/true"
	fi
	if [ "$who" = root ]; then
		row "podman run|$(podman_at "$TMP/podman-warm") $PODMAN_RUN $(cat "$TMP/busybox.id") /bin/true"
	else
		echo "podman run|!rootless podman needs subordinate id ranges and a home for uid 65534: not set up here" >>"$ROWS"
	fi
	set --
	while IFS= read -r l; do set -- "$@" "$l"; done <"$ROWS"
	title="as root, "
	[ -z "$RUNAS" ] || title="as uid $RUNAS (rootless), "
	title="$title\`/bin/true\` in the busybox image: $n interleaved launches per row (ms)"
	echo "== warm start $title =="
	before=$(noise)
	echo "before: $before"
	printf '\n### Warm start %s\n\n' "$title" >>"$TMP/report.md"
	: >"$TMP/warm-$who.md"
	[ -z "$RUNAS" ] || chown "$RUNAS" "$TMP/warm-$who.md"
	st=0
	$LT -n "$n" -w 3 ${RUNAS:+-U $RUNAS:$RUNAS} -b "ward --rootfs=rootfs" -u "ch-run=ch-run" \
		-m "$TMP/warm-$who.md" "$@" 2>"$TMP/warm-$who.err" || st=$?
	cat "$TMP/warm-$who.md" >>"$TMP/report.md"
	if [ -s "$TMP/warm-$who.err" ]; then
		echo "stderr of the launches (count, line):"
		sort "$TMP/warm-$who.err" | uniq -c | sort -rn | sed -n 1,5p
		printf '\nWhat the launches printed on stderr (count, line):\n\n' >>"$TMP/report.md"
		sort "$TMP/warm-$who.err" | uniq -c | sort -rn | sed -n 1,5p | sed 's/^ */    /' >>"$TMP/report.md"
	fi
	echo "after: $(noise)"
	printf '\nNoise: before, %s; after, %s.\n' "$before" "$(noise)" >>"$TMP/report.md"
	RUNAS=""
	[ "$st" = 0 ] || die "launch_time failed ($st)"
}

# cold: empty cache each run, against GNU tar on the same layers and podman.
cold() {
	local bl gl pod n=$COLD_RUNS skip="" ut_skip="" before
	bl=$(cat "$TMP/big-layers/list") gl=$(cat "$TMP/big-oci.list")
	pod=$(podman_at "{d}")
	[ "$IMAGE_OK" = 1 ] || skip="ward run --image not available"
	[ -x "$UT" ] || ut_skip="unpack_time did not build (libward.a)"
	python3 - "$TMP/cold-rows.json" <<-EOF
	import json, sys
	b = int("$BIG_BYTES")
	tarx = lambda opt, ls: " && ".join("tar -%s %s -C {d}" % (opt, l) for l in ls.split())
	rows = [
	    {"label": "ward --image, docker save (plain layers)", "bytes": b, "ref": "tar -xf, docker save layers",
	     "cmd": "WARD_CACHE_DIR={d}/cache $W run --image $BIG_TAR -- /bin/true", "skip": "$skip"},
	    {"label": "ward --image, OCI layout (gzip layers)", "bytes": b, "ref": "tar -xzf, OCI gzip layers",
	     "cmd": "WARD_CACHE_DIR={d}/cache $W run --image $BIG_OCI -- /bin/true", "skip": "$skip"},
	    {"label": "ward --image as uid 65534, docker save", "bytes": b, "ref": "tar -xf, docker save layers",
	     "setup": "chown 65534:65534 {d}", "teardown": "chmod -R u+rwx {d}",
	     "cmd": "setpriv --reuid 65534 --regid 65534 --clear-groups env WARD_CACHE_DIR={d}/cache $W run --image $BIG_TAR -- /bin/true", "skip": "$skip"},
	    {"label": "ward --image as uid 65534, OCI gzip", "bytes": b, "ref": "tar -xzf, OCI gzip layers",
	     "setup": "chown 65534:65534 {d}", "teardown": "chmod -R u+rwx {d}",
	     "cmd": "setpriv --reuid 65534 --regid 65534 --clear-groups env WARD_CACHE_DIR={d}/cache $W run --image $BIG_OCI -- /bin/true", "skip": "$skip"},
	    {"label": "ward_image_prepare, docker save (no launch)", "bytes": b, "ref": "tar -xf, docker save layers",
	     "cmd": "WARD_CACHE_DIR={d}/cache $UT -p $BIG_TAR >/dev/null", "skip": "$ut_skip"},
	    {"label": "ward_image_prepare, OCI gzip (no launch)", "bytes": b, "ref": "tar -xzf, OCI gzip layers",
	     "cmd": "WARD_CACHE_DIR={d}/cache $UT -p $BIG_OCI >/dev/null", "skip": "$ut_skip"},
	    {"label": "ward_image_unpack, OCI gzip, rootless modes (no cache)", "bytes": b, "ref": "tar -xzf, OCI gzip layers",
	     "cmd": "$UT $BIG_OCI {d} rootless >/dev/null", "skip": "$ut_skip",
	     "teardown": "chmod -R u+rwx {d}"},
	    {"label": "tar -xf, docker save layers", "bytes": b, "ref": "tar -xf, docker save layers",
	     "cmd": tarx("xf", "$bl")},
	    {"label": "tar -xzf, OCI gzip layers", "bytes": b, "ref": "tar -xzf, OCI gzip layers",
	     "cmd": tarx("xzf", "$gl")},
	    {"label": "sha256sum of the docker save layers (hashing alone)", "bytes": b,
	     "ref": "tar -xf, docker save layers", "cmd": "sha256sum $bl >/dev/null"},
	    {"label": "gzip -dc of the OCI layers (decompression alone)", "bytes": b,
	     "ref": "tar -xzf, OCI gzip layers", "cmd": "cat $gl | gzip -dc >/dev/null"},
	    {"label": "podman load + first run (docker save)", "bytes": b,
	     "ref": "ward --image, docker save (plain layers)",
	     "cmd": "$pod load -q -i $BIG_TAR >/dev/null && $pod $PODMAN_RUN $(cat "$TMP/big.id") /bin/true",
	     "teardown": "$pod system reset -f >/dev/null 2>&1"},
	]
	json.dump(rows, open(sys.argv[1], "w"), indent=1)
	EOF
	echo "== cold start, the 200 MB image: $n interleaved rounds (s) =="
	before=$(noise)
	echo "before: $before"
	printf '\n### Cold start of the 200 MB image: %s interleaved rounds (s)\n\n' "$n" >>"$TMP/report.md"
	python3 "$HERE/image_bench.py" cold "$n" "$TMP/cold-rows.json" "$TMP/cold.md"
	cat "$TMP/cold.md" >>"$TMP/report.md"
	echo "after: $(noise)"
	printf '\nNoise: before, %s; after, %s.\n' "$before" "$(noise)" >>"$TMP/report.md"
}

# soak: SOAK_RUNS launches of the cached busybox image, and what could grow.
soak() {
	local c=$TMP/soak-cache fd0 fd1 as="" env="WARD_CACHE_DIR=$TMP/soak-cache"
	echo "== soak: $SOAK_RUNS runs of the cached busybox image (docker save) =="
	printf '\n### Soak: %s runs of the cached busybox image\n\n' "$SOAK_RUNS" >>"$TMP/report.md"
	mkdir -p "$c" && chmod 0700 "$c"
	if [ "$IMAGE_OK" != 1 ]; then
		# What can be soaked without the launch: the cache's warm path
		# (lookup, entry check, lock) in ward_image_prepare.
		if [ ! -x "$UT" ]; then
			echo "not run: ward run --image not available" | tee -a "$TMP/report.md"
			return 0
		fi
		echo "ward run --image not available: the soak runs ward_image_prepare alone (unpack_time -p: the cache's warm path, no launch)" |
			tee -a "$TMP/report.md"
		echo >>"$TMP/report.md"
		env "$env" "$UT" -p "$BB_TAR" >/dev/null
		python3 "$HERE/image_bench.py" soak "$SOAK_RUNS" "$TMP/soak.md" "$c" "$LT" "" \
			"$env $UT -p $BB_TAR" || SOAK_GREW=1
		cat "$TMP/soak.md" >>"$TMP/report.md"
		return 0
	fi
	# As root; as uid 65534 when a root launch of the image fails here.
	if ! env "$env" "$W" run --image "$BB_TAR" -- /bin/true >/dev/null 2>"$TMP/soak.err"; then
		echo "as root, ward run --image fails here ($(grep -v notice "$TMP/soak.err" | sed -n 1p)): the soak runs as uid 65534" |
			tee -a "$TMP/report.md"
		echo >>"$TMP/report.md"
		as=65534:65534
		rm -rf "$c" && mkdir "$c" && chown 65534:65534 "$c"
	fi
	# The first run fills the cache; then the program counts its fds.
	# shellcheck disable=SC2016 # for the sandbox's shell
	fd0=$(as_user_ids "$as" "$env" "$W" run --image "$BB_TAR" -- /bin/sh -c 'ls /proc/self/fd | wc -l' 2>/dev/null) || fd0="failed"
	python3 "$HERE/image_bench.py" soak "$SOAK_RUNS" "$TMP/soak.md" "$c" "$LT" "$as" \
		"$env $W run --image $BB_TAR -- /bin/true" || SOAK_GREW=1
	# shellcheck disable=SC2016
	fd1=$(as_user_ids "$as" "$env" "$W" run --image "$BB_TAR" -- /bin/sh -c 'ls /proc/self/fd | wc -l' 2>/dev/null) || fd1="failed"
	echo "| fds the program sees (ls /proc/self/fd), first / last run | $fd0 | | $fd1 | $([ "$fd0" = "$fd1" ] && echo flat || echo CHANGED) |" | tee -a "$TMP/soak.md"
	cat "$TMP/soak.md" >>"$TMP/report.md"
}

# as_user_ids UID:GID|"" CMD...: CMD as that user (or as root).
as_user_ids() {
	local ids=$1
	shift
	if [ -n "$ids" ]; then
		setpriv --reuid "${ids%%:*}" --regid "${ids#*:}" --clear-groups env "$@"
	else
		env "$@"
	fi
}

# targets: one line per target of issue 24, from the tables above.
med() { awk -F' [|] ' -v r="$2" '$1 == "| " r { print $2; exit }' "$1" 2>/dev/null; }
cmed() { awk -F'\t' -v r="$2" '$1 == r { print $'"${3:-2}"'; exit }' "$1.tsv" 2>/dev/null; }
# num X: X when it is a number (a median), nothing otherwise ("not run").
num() { case $1 in '' | *[!0-9.]*) ;; *) echo "$1" ;; esac; }
targets() {
	local t=$TMP/warm-root.md c=$TMP/cold.md who="as root" cw cg cwho="as root" mw mg
	# Without a root row of ward --image (a root launch that fails here),
	# the warm targets are read from the rootless table, and said so.
	if [ -z "$(num "$(med "$t" 'ward --image (busybox, docker save)')")" ] &&
		[ -n "$(num "$(med "$TMP/warm-rootless.md" 'ward --image (busybox, docker save)')")" ]; then
		t=$TMP/warm-rootless.md who="as uid 65534 (rootless: ward as root did not launch the image here; podman as root)"
	fi
	cw=$(num "$(cmed "$c" 'ward --image, docker save (plain layers)')")
	cg=$(num "$(cmed "$c" 'ward --image, OCI layout (gzip layers)')")
	mw=$(cmed "$c" 'ward --image, docker save (plain layers)' 3) mg=$(cmed "$c" 'ward --image, OCI layout (gzip layers)' 3)
	if [ -z "$cw$cg" ]; then
		cw=$(cmed "$c" 'ward --image as uid 65534, docker save') cg=$(cmed "$c" 'ward --image as uid 65534, OCI gzip')
		mw=$(cmed "$c" 'ward --image as uid 65534, docker save' 3) mg=$(cmed "$c" 'ward --image as uid 65534, OCI gzip' 3)
		cwho="as uid 65534 (rootless: ward as root did not launch the image here; tar and podman as root)"
	fi
	echo "Warm targets: ward $who. Cold targets: ward $cwho."
	echo
	awk -v wi="$(med "$t" 'ward --image (busybox, docker save)')" -v wr="$(med "$t" 'ward --rootfs')" \
		-v ch="$(med "$t" ch-run)" -v pm="$(med "$TMP/warm-root.md" 'podman run')" \
		-v cw="$cw" -v cg="$cg" \
		-v tx="$(cmed "$c" 'tar -xf, docker save layers')" -v tz="$(cmed "$c" 'tar -xzf, OCI gzip layers')" \
		-v pl="$(cmed "$c" 'podman load + first run (docker save)')" -v mw="$mw" -v mg="$mg" '
	function r(a, b) { return (a + 0 > 0 && b + 0 > 0) ? a / b : -1 }
	function v(x, lim, le, unit,   s) {
		if (x < 0) return "not measured"
		s = sprintf("%.2f%s", x, unit)
		return s ((le ? x <= lim : x >= lim) ? ": **met**" : ": **not met**")
	}
	BEGIN {
		printf "| target (issue 24) | measured | verdict |\n|---|---|---|\n"
		printf "| warm <= 1.2x `ward run --rootfs` | %s ms / %s ms | %s |\n", wi, wr, v(r(wi, wr), 1.2, 1, "x")
		printf "| warm <= 1.3x `ch-run` | %s ms / %s ms | %s |\n", wi, ch, v(r(wi, ch), 1.3, 1, "x")
		printf "| warm >= 20x faster than `podman run` | %s ms / %s ms | %s |\n", pm, wi, v(r(pm, wi), 20, 0, "x faster")
		printf "| cold, docker save, <= 1.5x `tar -xf` | %s s / %s s (ward %s MB/s) | %s |\n", cw, tx, mw, v(r(cw, tx), 1.5, 1, "x")
		printf "| cold, OCI gzip, <= 1.5x `tar -xzf` | %s s / %s s (ward %s MB/s) | %s |\n", cg, tz, mg, v(r(cg, tz), 1.5, 1, "x")
		printf "| cold faster than `podman load` + first run | %s s / %s s | %s |\n", cw, pl, v(r(pl, cw), 1, 0, "x faster")
	}'
	printf '| no growth over %s runs (soak) | see the soak table | %s |\n' "$SOAK_RUNS" \
		"$([ -s "$TMP/soak.md" ] && { [ "${SOAK_GREW:-0}" = 0 ] && echo '**met**' || echo '**not met**'; } || echo 'not measured')"
}

# reading: the warm table's medians against each other, so a gap is
# placed where it is (the image, ward's launch, or the namespaces).
reading() {
	local t=$TMP/warm-root.md who="as root"
	[ -n "$(num "$(med "$t" 'ward --image (busybox, docker save)')")" ] || t=$TMP/warm-rootless.md who="as uid 65534"
	echo "Where the warm time goes ($who, medians of the table below):"
	echo
	awk -v wi="$(med "$t" 'ward --image (busybox, docker save)')" -v wr="$(med "$t" 'ward --rootfs')" \
		-v fl="$(med "$t" "floor (ward's default steps, bare syscalls)")" -v ch="$(med "$t" ch-run)" \
		-v un="$(med "$t" 'unshare -Urm --root')" -v pr="$(med "$t" 'ward_image_prepare alone (busybox, docker save; no launch)')" \
		-v bx="$(med "$t" 'bare exec')" -v big="$(med "$t" 'ward --image (200 MB, docker save)')" \
		-v ns="$(med "$t" "unshare, ward's namespaces")" -v st="$(med "$t" 'ward (make static) --rootfs')" '
	function r(a, b) { return (a + 0 > 0 && b + 0 > 0) ? sprintf("%.2fx", a / b) : "not measured" }
	function d(a, b) { return (a + 0 > 0 && b + 0 > 0) ? sprintf("%.2f ms", a - b) : "not measured" }
	BEGIN {
		printf "- the image over the same launch on the same tree: ward --image / ward --rootfs = %s (ward_image_prepare alone, as a process of its own: %s ms, a bare exec %s ms)\n", r(wi, wr), pr, bx
		printf "- ward'\''s launch over the same steps with bare syscalls: ward --rootfs / floor = %s\n", r(wr, fl)
		printf "- those steps (pid namespace and init, /proc masks, /dev, seccomp, caps) over ch-run'\''s: floor / ch-run = %s; ch-run / unshare -Urm = %s\n", r(fl, ch), r(ch, un)
		printf "- the namespaces ward makes and ch-run does not (pid, net, uts, ipc, cgroup), alone: unshare -UrmnpfiuC / unshare -Urm = %s (%s)\n", r(ns, un), d(ns, un)
		printf "- loading the shared libraries: ward --rootfs / ward (make static) --rootfs = %s (%s)\n", r(wr, st), d(wr, st)
		printf "- a larger image: ward --image of the 200 MB image / of busybox = %s\n", r(big, wi)
	}'
}

peers() {
	cat <<-'EOF'
	What each row does (commands: bench/README.md, "ward run --image"):
	`ward run --image` reads the archive only on the first run of a digest (every blob and diff_id hashed, the tree written under the unpacker's rules, the audit made, all cached); a warm start looks the entry up, checks it and locks it, then launches with ward's defaults (all namespaces, read-only root, /proc masks, private /dev, caps dropped, no_new_privs, seccomp filter, pid-1 init, the image's USER but never root, Env and Cmd). `ward run --rootfs` is the same launch on a tree given by hand. ch-run (charliecloud) runs the tree extracted beforehand (it cannot read a `docker save` archive) in a user and mount namespace: no pid namespace, no seccomp filter, the full bounding set inside its user namespace, the image's USER, ENV, ENTRYPOINT and CMD ignored. `unshare -Urm --root` is the namespace floor ch-run sits on; floor (bench/floor.c) is ward's default steps with bare syscalls. podman (runc, cgroupfs, `--network none`, storage private to the run) loads the archive into its overlay storage once, then creates, mounts, runs and removes a container each time; it audits nothing and runs the image's USER, root included. GNU tar extracts the same layers (taken out of the archive beforehand) as root: no digest, no whiteouts applied, no audit; `tar -xzf` decompresses in a second process, on the second core.

	EOF
}

write_section() {
	local sec=$TMP/section.md
	{
		echo "$BEGIN_MARK"
		echo "## ward run --image (issue 24): warm, cold, soak"
		echo
		echo "Written by \`make -C bench image\` (bench/image.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); rerun it rather than edit this section. Method and rows: bench/README.md, \"ward run --image\"."
		echo
		echo "- machine: $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), $(sed -n 's/^PRETTY_NAME="\(.*\)"$/\1/p' /etc/os-release); the trees are written to $(findmnt -no FSTYPE -T "$TMP") ($(findmnt -no SOURCE -T "$TMP")); a VM shared with other work: load when the run started, $START_NOISE (noise lines below each table)"
		echo "- versions: $("$W" version 2>/dev/null | sed -n 1p) ($(cat "$TMP/ward-variant")); charliecloud $(dpkg-query -W -f '${Version}' charliecloud-runtime); $(podman --version) with runc $(runc --version | awk 'NR==1 { print $3 }'); $(tar --version | sed -n 1p); $(skopeo --version); docker $(dockerd --version | awk '{ print $3 }' | tr -d ,)"
		echo "- inputs (made by the script, removed after): $INPUTS"
		echo
		targets
		echo
		reading
		echo
		peers
		cat "$TMP/report.md"
		echo "$END_MARK"
	} >"$sec"
	[ -n "$DOC" ] || { cat "$sec"; return 0; }
	mkdir -p "$(dirname "$DOC")"
	[ -f "$DOC" ] || echo "# ward benchmarks" >"$DOC"
	python3 - "$DOC" "$sec" "$BEGIN_MARK" "$END_MARK" <<-'EOF'
	import sys
	doc, sec, b, e = sys.argv[1:]
	text, new = open(doc).read(), open(sec).read()
	i, j = text.find(b + "\n"), text.find(e + "\n")
	if i >= 0 and j > i:
	    text = text[:i] + new + text[j + len(e) + 1:]
	else:
	    text = text.rstrip("\n") + "\n\n" + new
	open(doc, "w").write(text)
	EOF
	echo "bench: wrote its section of $DOC"
}

# --- the run -------------------------------------------------------------------------
START_NOISE=$(noise)
echo "ward: $W ($(cat "$TMP/ward-variant")); $START_NOISE"
make_inputs
podman_warm() {
	$(podman_at "$TMP/podman-warm") load -q -i "$BB_TAR" >/dev/null
	tap_cleanup podman_warm_reset
}
podman_warm_reset() { podman_reset "$TMP/podman-warm"; }
: >"$TMP/report.md"
case $MODE in
all)
	podman_warm
	warm root "$RUNS"
	warm rootless "$((RUNS / 2 > 20 ? RUNS / 2 : 20))"
	cold
	soak
	echo "== targets =="
	targets
	if [ "$IMAGE_OK" = 1 ]; then write_section; fi ;;
warm) podman_warm; warm root "$RUNS"; warm rootless "$((RUNS / 2 > 20 ? RUNS / 2 : 20))" ;;
cold) cold ;;
soak) soak ;;
esac
[ "$IMAGE_OK" = 1 ] || die "ward run --image not available: its rows were not run, and no document was written"
