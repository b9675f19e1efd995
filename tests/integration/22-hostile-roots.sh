#!/bin/bash
# A --rootfs tree may be hostile or minimal: ward assembles the sandbox
# root on a tmpfs of its own (read-only once assembled) holding binds of
# the tree's top-level entries, makes its own /proc, /dev, /tmp and /run
# there, and never mounts through a symlink of the tree.  Seen from inside
# with the static probe: the root stays read-only, the cwd inside it, and
# the host untouched.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns

# hostile_root VAR: the busybox rootfs with ward's mount points replaced
# by the hostile shapes an image can hold.
hostile_root() {
	local hr
	fixture_rootfs hr || return 1
	rm -rf "$hr/tmp" "$hr/run" "$hr/dev" "$hr/proc" "$hr/sys"
	ln -s /etc "$hr/tmp"                 # the tmpfs would land on /etc
	ln -s ../../../.. "$hr/run"          # ... or on the root itself
	ln -s /../../dev "$hr/dev"           # the host's /dev, were it followed
	ln -s sys "$hr/proc"                 # /proc somewhere else
	ln -s /etc "$hr/srv"                 # a bind destination's parent
	ln -s usr/lib "$hr/lib64"            # a merged-/usr link: kept as a link
	mkdir -p "$hr/usr/lib" && echo lib >"$hr/usr/lib/marker"
	printf -v "$1" '%s' "$hr"
}

hostile_root ROOT || skip_all "cannot build the busybox rootfs"
fixture_dir DATA 0777
CORE_BEFORE=$(cat /proc/sys/kernel/core_pattern)

probe_root "$ROOT" -- write /etc/ward-x data
expect_out "/tmp -> /etc in the tree: /etc stays read-only (EROFS)" "errno=EROFS"
probe_root "$ROOT" -- write /tmp/ward-x data
expect_out "/tmp is ward's own tmpfs, writable" "ok"
probe_root "$ROOT" -- stat /tmp
expect_out_match "/tmp is a directory, not the tree's symlink" '^type=dir mode=1777 '
probe_root "$ROOT" -- write /ward-x data
expect_out "the root itself stays read-only (/run -> ../../../.. did not cover it)" "errno=EROFS"
probe_root "$ROOT" -- stat /run
expect_out_match "/run is ward's own directory" '^type=dir '
probe_root "$ROOT" -- cwd
expect_out "the working directory is the sandbox's root" "cwd=/"
probe_root "$ROOT" -- stat /dev/null
expect_out_match "/dev is ward's own: /dev/null is the null device" '^type=chr .* rdev=1:3 '
probe_root "$ROOT" -- write /dev/null x
expect_out "writing /dev/null works" "ok"
expect_eq "the host's core_pattern is untouched" "$CORE_BEFORE" "$(cat /proc/sys/kernel/core_pattern)"
probe_root "$ROOT" -- read /proc/self/status
expect_out_match "/proc is a fresh procfs, not the tree's /proc -> sys" '^ok bytes=[1-9]'
probe_root "$ROOT" -- read /lib64/marker
expect_out_match "a top-level symlink (lib64 -> usr/lib) is kept as a link" '^ok bytes=4'

probe_root "$ROOT" --bind "$DATA:/srv/data" -- cwd
expect_rc "a bind under a symlinked directory (/srv -> /etc) is refused" 207
expect_match "the refusal names the link and its target" \
	'mount point /srv/data: /srv is a symlink \(to /etc\) in the root' "$ERR"
expect_eq "nothing was created in the tree's /etc" "" "$(ls -A "$ROOT/etc" | grep -v -e passwd -e group -e hostname)"

probe_root "$ROOT" --tmpfs /tmp/x --workdir /tmp/x -- cwd
expect_out "a --tmpfs under ward's /tmp, as the working directory" "cwd=/tmp/x"

# A minimal image: no /proc, /dev, /tmp, /run, and the mount points of
# binds and tmpfs it lacks, all made on the tmpfs root, never in the tree.
fixture_rootfs MIN || skip_all "cannot build the busybox rootfs"
rm -rf "$MIN/tmp" "$MIN/run" "$MIN/dev" "$MIN/proc" "$MIN/sys" "$MIN/data"
chmod 555 "$MIN"
probe_root "$MIN" --user app --bind "$DATA:/data:rw" --tmpfs /cache -- write /data/out ok
expect_out "a tree without /run, /proc, /dev, /tmp or /data runs as --user app" "ok"
expect_eq "nothing was created in the tree" "ROOTFS-MARKER bin etc home probe root sbin usr" \
	"$(LC_ALL=C ls "$MIN" | tr '\n' ' ' | sed 's/ $//')"
probe_root "$MIN" --tmpfs /usr/local/cache -- cwd
expect_rc "a mount point missing inside the tree's own directory is refused (tmpfs, 211)" 211
expect_match "... naming the image's directories" \
	"does not create files in the image's directories" "$ERR"
chmod 755 "$MIN"

# A tree kept on a tmpfs of the host's (a tmpfs /tmp): ward still creates
# nothing in it, its own tmpfs being the only ones it writes on.
if [ "$(id -u)" = 0 ]; then
	fixture_dir TMPFS_HOST 755
	mount -t tmpfs -o mode=755 ward-host-tmpfs "$TMPFS_HOST" &&
		tap_cleanup umount -l "$TMPFS_HOST"
	mkdir -p "$TMPFS_HOST/img"
	cp -a "$MIN/." "$TMPFS_HOST/img/" && chmod 777 "$TMPFS_HOST/img/home/app"
	probe_root "$TMPFS_HOST/img" --tmpfs /home/app/cache -- cwd
	expect_rc "a tree on the host's tmpfs: a mount point missing in it is refused (tmpfs, 211)" 211
	expect_eq "... and nothing was created in it" "" "$(ls -A "$TMPFS_HOST/img/home/app")"
fi

tap_done
