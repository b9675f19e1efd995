#!/bin/bash
# The image cache (ward-image(1)) with real images: a busybox tree imported
# into a private dockerd and saved (docker save), and the same image as an
# OCI layout directory (skopeo).
#   - cold, then warm: the second start opens neither the archive nor
#     libarchive (strace of ward's own process);
#   - two first starts of one image at once leave one entry, no tmp.*;
#   - ward image ls (and --json), rm and prune as documented; rm and prune
#     keep an image a running sandbox uses;
#   - root's entries are 0700 and root's; a rootless caller's go under
#     $XDG_CACHE_HOME, are its own, 0700, and named for the user whose
#     modes they carry (.u<UID>g<GID>).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"
# shellcheck source=tests/lib/docker.sh
. "$here/../lib/docker.sh"

tap_require_userns
command -v python3 >/dev/null || skip_all "python3 is missing (package python3)"
[ -x /bin/busybox ] || skip_all "/bin/busybox is missing (package busybox-static)"
fixture_dir T || skip_all "cannot create a directory under ${TMPDIR:-/tmp}"
WARD_TIMEOUT=60

# ---- the images ----------------------------------------------------------------------
docker_start || bail "a private Docker daemon starts" "$DOCKER_WHY"
ok "a private Docker daemon starts"
need_pkg skopeo skopeo
need_pkg strace strace

B=$T/base
mkdir -p "$B"/{bin,etc,tmp}
chmod 1777 "$B/tmp"
cp /bin/busybox "$B/bin/busybox"
for a in sh true sleep cat; do
	ln -s busybox "$B/bin/$a"
done
install -m 755 "$PROBE" "$B/probe"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/:/bin/sh\n' >"$B/etc/passwd"
printf 'root:x:0:\napp:x:10001:\n' >"$B/etc/group"
docker_import wardtest/cache:1 "$B" || bail "docker import of the busybox tree" "docker import failed"
dk save -o "$T/img.tar" wardtest/cache:1 || bail "docker save" "docker save failed"
skopeo copy --quiet "docker-archive:$T/img.tar" "oci:$T/oci:1" >/dev/null 2>&1 ||
	bail "skopeo copy to an OCI layout" "skopeo copy failed"
chmod 644 "$T/img.tar"
chmod -R a+rX "$T/oci"
chmod 755 "$T"
ok "images: docker save archive and OCI layout of wardtest/cache:1"

# entries DIR: the entry names in the cache DIR (images/).
entries() {
	find "$1" -mindepth 1 -maxdepth 1 -type d ! -name sources ! -name 'tmp.*' -printf '%f\n' 2>/dev/null | sort
}

export WARD_CACHE_DIR=$T/cache
I=$T/cache/images

# ---- cold, then warm ---------------------------------------------------------------
run_ward run --image "$T/img.tar" -- /bin/cat /etc/group
expect_out_match "cold: ward run --image runs the image's program" '^app:x:10001:$'
mapfile -t E < <(entries "$I")
expect_eq "cold: one entry in the cache" 1 "${#E[@]}"
entry=${E[0]}
expect_match "root's entry is named by the config's digest alone" '^[0-9a-f]{64}$' "$entry"
expect_eq "root's cache and entry: 0700, root's" "700 0 700 0" \
	"$(stat -c '%a %u' "$I" "$I/$entry" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the entry holds rootfs/, config.json, entry.json and lock" \
	"config.json entry.json lock rootfs" "$(ls "$I/$entry" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "config.json is the config the entry's name is the digest of" "$entry" \
	"$(sha256sum <"$I/$entry/config.json" | cut -d' ' -f1)"

run_cmd env "$NO_LEAK_CHECK" strace -o "$T/warm.trace" -e trace=open,openat "$WARD" run --image "$T/img.tar" -- /bin/true
expect_rc "warm: ward run --image starts again" 0
expect_match "warm: traced" 'openat\(' "$(cat "$T/warm.trace")"
expect_no_match "warm: the archive is not opened" 'img\.tar' "$(cat "$T/warm.trace")"
expect_no_match "warm: libarchive is not loaded" 'libarchive' "$(cat "$T/warm.trace")"
expect_match "warm: the cached tree is used" "$entry" "$(cat "$T/warm.trace")"
mapfile -t E < <(entries "$I")
expect_eq "warm: still one entry" 1 "${#E[@]}"

touch "$T/img.tar"
run_ward run --image "$T/img.tar" -- /bin/true
mapfile -t E < <(entries "$I")
expect_eq "a touched archive is read again, and the same image is not stored twice" "1 $entry" \
	"${#E[@]} ${E[0]}"

# A sandbox that could write the cache could change a tree, or its
# findings, that later runs trust: a read-write bind over it is refused,
# with or without --image; read-only is fine.
run_ward run --bind "$T:/x:rw" -- /bin/true
expect_rc "a read-write bind holding the image cache: refused (125)" 125
expect_match "...saying why and what to do" \
	"a read-write bind of $T would let the program write ward's image cache, .*; bind it read-only, or move the cache with WARD_CACHE_DIR" "$ERR"
run_ward run --bind "$T:/x" -- /bin/true
expect_rc "...read-only, it starts" 0

# A cached tree is bound without what is mounted beneath it, and nothing
# may be mounted on it or on its top-level entries (the plan does not
# read the mount table for it, as it does for a --rootfs): refused.
R=$I/$entry/rootfs
mount_case() { # DESC MOUNT-ARGS... (the last is the mount point)
	local desc=$1 at=${*: -1}
	shift
	mount "$@" || { not_ok "$desc" "mount $* failed"; return; }
	tap_cleanup umount -l "$at"
	run_ward run --image "$T/img.tar" -- /bin/true
	umount "$at"
	expect_rc "$desc: refused (206)" 206
}
mount_case "a mount on a cached tree's top-level entry (/etc)" -t tmpfs ward-t "$R/etc"
expect_match "...named, with what to do" "the image's /etc is a mount point; .*: unmount it" "$ERR"
mkdir "$R/etc/ward-t"
mount_case "a mount beneath a cached tree's top-level entry (/etc/ward-t)" -t tmpfs ward-t "$R/etc/ward-t"
expect_match "...named, with what to do" "the image's /etc: something is mounted beneath it in the cached tree, which is bound without mounts: unmount it" "$ERR"
rmdir "$R/etc/ward-t"
mount_case "a mount on the cached tree itself" --bind "$R" "$R"
expect_match "...named, with what to do" "rootfs is a mount point; .*: unmount it" "$ERR"
run_ward run --image "$T/img.tar" -- /bin/true
expect_rc "...and once unmounted, the image runs again" 0
run_ward run --image "$T/oci" -- /bin/true
expect_rc "the OCI layout of the image runs" 0
expect_eq "no tmp.* left behind" "" "$(find "$I" -maxdepth 1 -name 'tmp.*')"

# ---- two first starts at once ---------------------------------------------------------
export WARD_CACHE_DIR=$T/race
ward_bg "$T/race1" run --image "$T/img.tar" -- /bin/true
p1=$WARD_PID
ward_bg "$T/race2" run --image "$T/img.tar" -- /bin/true
p2=$WARD_PID
wait_bg "$p1" 60
rc1=$RC
wait_bg "$p2" 60
expect_eq "two first starts of one image at once: both run" "0 0" "$rc1 $RC"
expect_eq "...and leave one entry" "1" "$(entries "$T/race/images" | wc -l)"
expect_eq "...and no tmp.*" "" "$(find "$T/race/images" -maxdepth 1 -name 'tmp.*')"

# ---- ward image ls, rm, prune ---------------------------------------------------------------
export WARD_CACHE_DIR=$T/cache
run_ward image ls
expect_out_match "ward image ls: the image's short digest and name, not in use" \
	"^${entry:0:12} +wardtest/cache:1 .* no$"
run_ward image ls --json
echo "$OUT" >"$T/ls.json"
run_cmd python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
e = [x for x in d["images"] if x["entry"] == sys.argv[3]]
assert len(e) == 1, d
e = e[0]
assert d["schema"] == 1 and d["cache"] == sys.argv[2], d
assert e["digest"] == "sha256:" + sys.argv[3] and e["entry"] == sys.argv[3], e
assert e["name"] == "wardtest/cache:1" and e["in_use"] is False and e["valid"] is True, e
assert e["files"] > 0 and e["bytes"] > 0 and e["last_used"] >= e["created"] > 0, e
' "$T/ls.json" "$I" "$entry"
expect_rc "ward image ls --json: schema 1, the digest, name, sizes and times" 0

ward_bg "$T/held" run --image "$T/img.tar" -- /bin/sleep 30
held=$WARD_PID
for _ in $(seq 100); do
	"$WARD" image ls | grep -q ' yes$' && break
	sleep 0.1
done
run_ward image ls
expect_out_match "a running sandbox's image shows in use" "^${entry:0:12} .* yes$"
run_ward image rm "${entry:0:12}"
expect_rc "ward image rm of an image in use: refused (229)" 229
expect_match "...saying it is in use by a running sandbox" "in use by a running sandbox" "$ERR"
run_ward image prune
expect_out_match "ward image prune keeps the image in use" "^kept ${entry:0:12} wardtest/cache:1 \(in use by a running sandbox\)"
expect_true "...which is still there" "$(ls -la "$I")" test -d "$I/$entry/rootfs"
kill -TERM "$held"
wait_bg "$held" 20

run_ward image rm wardtest/cache:1
expect_out_match "ward image rm app:prod (here wardtest/cache:1) removes the image by name" \
	"^removed ${entry:0:12} wardtest/cache:1 \(.* freed\)$"
expect_eq "...its entry and its sources are gone" "0 0" \
	"$(entries "$I" | wc -l) $(find "$I/sources" -mindepth 1 | wc -l)"
run_ward image rm wardtest/cache:1
expect_rc "ward image rm of a name not cached: 229" 229
run_ward run --image "$T/img.tar" -- /bin/true
mkdir "$I/tmp.0123456789abcdef"
touch -d '-2 minutes' "$I/tmp.0123456789abcdef"
run_ward image prune
expect_out_match "ward image prune removes what no sandbox uses" "^removed ${entry:0:12} wardtest/cache:1"
expect_out_match "...and what an unfinished unpack left" "^removed tmp.0123456789abcdef"
expect_out_match "...and says what it freed" "^freed .* in 2 entries"
expect_eq "...leaving an empty cache" "" "$(entries "$I"; find "$I" -maxdepth 1 -name 'tmp.*')"

# ---- a cache ward must refuse --------------------------------------------------------------------
chmod 770 "$I"
run_ward run --image "$T/img.tar" -- /bin/true
expect_rc "a group-writable cache is refused (229)" 229
expect_match "...saying what and what to do" "has mode 0770: .*chmod 700" "$ERR"
chmod 700 "$I"

# ---- rootless ------------------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ] && fixture_test_user && fixture_user_bins; then
	fixture_user_prefix
	X=$T/xdg
	mkdir -m 700 "$X" && chown "$WARD_TEST_UID:$WARD_TEST_UID" "$X"
	unset WARD_CACHE_DIR
	saved=$WARD
	WARD=$WARD_U
	run_cmd "${WARD_PREFIX[@]}" env XDG_CACHE_HOME="$X" "$WARD" run --image "$T/img.tar" -- /bin/cat /etc/group
	expect_out_match "rootless: ward run --image runs the image" '^app:x:10001:$'
	mapfile -t E < <(entries "$X/ward/images")
	expect_match "rootless: one entry under \$XDG_CACHE_HOME/ward/images, named for its user" \
		'^[0-9a-f]{64}\.u[0-9]+g[0-9]+$' "${E[*]}"
	expect_eq "rootless: the cache and the entry are the caller's, 0700" \
		"700 $WARD_TEST_UID 700 $WARD_TEST_UID 700 $WARD_TEST_UID" \
		"$(stat -c '%a %u' "$X/ward" "$X/ward/images" "$X/ward/images/${E[0]}" | tr '\n' ' ' | sed 's/ $//')"
	run_cmd "${WARD_PREFIX[@]}" env "$NO_LEAK_CHECK" XDG_CACHE_HOME="$X" strace -o "$X/rl.trace" -e trace=open,openat \
		"$WARD" run --image "$T/img.tar" -- /bin/true
	expect_rc "rootless warm start" 0
	expect_match "rootless warm start: traced" 'openat\(' "$(cat "$X/rl.trace")"
	expect_no_match "rootless warm start: neither the archive nor libarchive is opened" \
		'img\.tar|libarchive' "$(cat "$X/rl.trace")"
	run_cmd "${WARD_PREFIX[@]}" env XDG_CACHE_HOME="$X" "$WARD" image ls
	expect_out_match "rootless: ward image ls lists the caller's image" "^${E[0]:0:12}\.u[0-9]+g[0-9]+ +wardtest/cache:1 "
	WARD=$saved WARD_PREFIX=()
else
	skip "rootless image cache" "${FIXTURE_WHY:-not root, or cannot copy the binaries}"
fi

tap_done
