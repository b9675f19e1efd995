#!/bin/bash
# The filesystem view: read-only root, writable /tmp and /run, binds,
# tmpfs, masked /proc, read-only /proc/sys, the minimal /dev, --rootfs,
# and bind destinations under symlinks that point out of the root.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns

# ---- read-only root, writable scratch space --------------------------------

for p in /ward-test-file /etc/ward-test-file /usr/ward-test-file \
	/bin/ward-test-file; do
	probe_in -- write "$p"
	expect_out "write $p fails with EROFS" "errno=EROFS"
done

probe_in -- write /probe
expect_out "the bound probe itself is read-only (EROFS)" "errno=EROFS"

for p in /tmp/ward-test-file /run/ward-test-file; do
	probe_in -- write "$p" data
	expect_out "write $p works (tmpfs)" "ok"
done

# --rootfs host: only /usr, /etc, /bin, /sbin, /lib* from the host, plus
# ward's own /proc, /dev, /tmp, /run and the binds.
probe_in -- ls /
extra=$(sed -n 's/^entries=//p' <<<"$OUT" | tr ',' '\n' | sed 's|[/@]$||' |
	grep -Exv 'usr|etc|bin|sbin|lib|lib32|lib64|libx32|proc|dev|tmp|run|probe' |
	paste -sd, -)
if [ "$RC" = 0 ] && [[ $OUT == entries=* ]] && [ -z "$extra" ]; then
	ok "host root: nothing but /usr /etc /bin /sbin /lib* /proc /dev /tmp /run"
else
	not_ok "host root: nothing but /usr /etc /bin /sbin /lib* /proc /dev /tmp /run" \
		"unexpected: ${extra:-?}" "$(last_run)"
fi
for p in /root /home /var /boot /sys "$TAP_TMP"; do
	probe_in -- stat "$p"
	expect_out "host root: host $p is not visible" "errno=ENOENT"
done

# The sandbox user must not be host root in disguise, even when root
# launches ward: /etc/shadow (root:shadow 0640) stays unreadable.
if [ -e /etc/shadow ] && [ "$(stat -c %u /etc/shadow)" = 0 ]; then
	probe_in -- read /etc/shadow
	expect_out "host root: /etc/shadow is unreadable inside" "errno=EACCES"
fi

probe_in -- mounts-full
expect_match "/tmp is a tmpfs" '^/tmp rw(,[^ ]*)? tmpfs ' "$OUT"
expect_match "/ is mounted read-only" '^/ ro[, ]' "$OUT"

# ---- binds -------------------------------------------------------------------

fixture_dir DATA 777 || skip_all "cannot create a data directory"
printf 'from-host\n' >"$DATA/input"
chmod 644 "$DATA/input"

probe_in --bind "$DATA:/data" -- cat /data/input
expect_out "--bind DIR:/data: host file readable inside" "from-host"

probe_in --bind "$DATA:/data" -- write /data/new
expect_out "--bind DIR:/data is read-only by default (EROFS)" "errno=EROFS"
expect_true "--bind DIR:/data: nothing created on the host" \
	"$DATA/new exists on the host" test ! -e "$DATA/new"

probe_in --bind "$DATA:/data:ro" -- write /data/input
expect_out "--bind DIR:/data:ro is read-only (EROFS)" "errno=EROFS"
expect_eq "--bind DIR:/data:ro: host file unchanged" "from-host" "$(cat "$DATA/input")"

probe_in --bind "$DATA:/data:rw" -- write /data/out written-inside
expect_out "--bind DIR:/data:rw is writable" "ok"
expect_eq "--bind DIR:/data:rw: the file is visible on the host" \
	"written-inside" "$(cat "$DATA/out" 2>&1)"
if [ "$(id -u)" = 0 ]; then
	owner=$(stat -c %u:%g "$DATA/out" 2>&1)
	expect_true "--bind DIR:/data:rw: the file is not owned by host root ($owner)" \
		"the sandbox's uid 10001 writes as host $owner" test "${owner%%:*}" != 0
fi

probe_in --bind "$DATA:/data:rw" -- write /etc/ward-test-file
expect_out "a rw bind leaves the rest of the root read-only" "errno=EROFS"

probe_in --bind "$DATA/input:/input.txt" -- cat /input.txt
expect_out "--bind FILE:/input.txt binds a single file" "from-host"

probe_in --bind "$DATA" -- cat "$DATA/input"
expect_out "--bind SRC without DST binds at the same path" "from-host"

# ---- tmpfs ---------------------------------------------------------------------

probe_in --tmpfs /scratch -- write /scratch/x data
expect_out "--tmpfs /scratch is writable" "ok"

probe_in --tmpfs /scratch:size=1m -- mounts-full
expect_match "--tmpfs /scratch:size=1m mounts a 1 MiB tmpfs" \
	'^/scratch rw(,[^ ]*)? tmpfs [^ ]+ ([^ ]*,)?size=1024k(,|$)' "$OUT"

# ---- mounts inside mounts -------------------------------------------------------
# A mount meant to sit inside another is made after it, whatever the
# order of the options: a tmpfs masking part of a bind, a bind over part
# of another.

mkdir -p "$DATA/proj/.secrets" "$DATA/empty"
echo top-secret >"$DATA/proj/.secrets/key"
chmod -R a+rX "$DATA/proj" "$DATA/empty"

probe_in --bind "$DATA/proj:/tmp/w:rw" --tmpfs /tmp/w/.secrets -- ls /tmp/w/.secrets
expect_out "--tmpfs inside a --bind masks that part of it" "entries="
probe_in --bind "$DATA/proj:/tmp/w:rw" --tmpfs /tmp/w/.secrets -- cat /tmp/w/.secrets/key
expect_match "--tmpfs inside a --bind: the masked file is not there" '^errno=ENOENT$' "$OUT"

probe_in --bind "$DATA/empty:/tmp/w/.secrets:ro" --bind "$DATA/proj:/tmp/w:rw" \
	-- cat /tmp/w/.secrets/key
expect_match "a --bind inside a --bind written first still covers its part" '^errno=ENOENT$' "$OUT"

# One mount per destination: a bind replaces a tmpfs at the same place
# (the shipped redis profile's data tmpfs, a host directory bound over it
# to persist), a later bind an earlier one.
probe_in --tmpfs /tmp/w --bind "$DATA/proj:/tmp/w" -- cat /tmp/w/.secrets/key
expect_out "a --bind over a --tmpfs at one destination: the bind is there" "top-secret"
probe_in --bind "$DATA/empty:/tmp/w" --bind "$DATA/proj:/tmp/w" -- cat /tmp/w/.secrets/key
expect_out "two --bind at one destination: the later one is there" "top-secret"
probe_in --profile "$here/../../profiles/redis.profile" --bind "$DATA/proj:/var/lib/redis:rw" \
	-- cat /var/lib/redis/.secrets/key
expect_out "--profile redis with its data dir bound from the host" "top-secret"

# Two destinations that would name one place through a symlink of the
# image: a mount never goes through a symlink, so the second is refused
# before anything is mounted, naming the link (the kernel's read-back of
# each mount, step verify, stays behind it).
fixture_rootfs LINKED || skip_all "cannot build the busybox rootfs"
ln -s /tmp "$LINKED/lnk"
probe_root "$LINKED" --tmpfs /tmp/x --bind "$DATA/proj:/lnk/x" -- cat /tmp/x/.secrets/key
expect_rc "a tmpfs and a bind at one place through a symlink: refused (binds, 207)" 207
expect_match "the symlink is named" "mount point /lnk/x: /lnk is a symlink \\(to /tmp\\) in the root" "$ERR"

# ---- /proc -------------------------------------------------------------------

for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do
	probe_in -- read "$p"
	if [ "$RC" = 0 ] && [[ $OUT =~ ^(ok\ bytes=0|errno=[A-Z0-9]+)$ ]]; then
		ok "$p is masked ($OUT)"
	else
		not_ok "$p is masked: no kernel data comes out" "$(last_run)"
	fi
done

probe_in -- read /proc/self/status
expect_out_match "/proc is a working procfs" '^ok bytes=[1-9]'

probe_in -- ls /proc
pids=$(sed -n 's/^entries=//p' <<<"$OUT" | tr ',' '\n' | grep -Ec '^[0-9]+/$')
if [ "$RC" = 0 ] && [ "$pids" -ge 1 ] && [ "$pids" -le 3 ]; then
	ok "/proc shows only the sandbox's processes ($pids)"
else
	not_ok "/proc shows only the sandbox's processes" \
		"expected 1 to 3 pid directories (init, the probe), saw $pids" "$(last_run)"
fi

probe_in -- mounts-full
expect_match "/proc is mounted with hidepid=invisible" \
	'^/proc [^ ]+ proc proc [^ ]*hidepid=invisible' "$OUT"
probe_in -- read /proc/1/status
expect_out "ward's pid 1 is invisible to the program (non-dumpable, hidepid)" \
	"errno=ENOENT"

for p in /proc/sys/kernel/hostname /proc/sys/net/ipv4/ip_forward \
	/proc/sysrq-trigger; do
	probe_in -- write "$p"
	if [ ! -e "$p" ] && [ "$OUT" = "errno=ENOENT" ]; then
		ok "$p is absent (as on this host)"
	else
		expect_out "$p is read-only (EROFS)" "errno=EROFS"
	fi
done

# ---- /dev ----------------------------------------------------------------------

# The conventional /proc/self/fd symlinks are tolerated; nothing else.
probe_in -- ls /dev
devs=$(sed -n 's/^entries=//p' <<<"$OUT" | tr ',' '\n' |
	grep -Exv 'fd@|stdin@|stdout@|stderr@' | sed 's/^ptmx@$/ptmx/' | paste -sd, -)
expect_eq "/dev holds exactly the minimal set" \
	"full,null,ptmx,pts/,random,shm/,tty,urandom,zero" "$devs"

for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
	probe_in -- stat "/dev/${d%%:*}"
	expect_out_match "/dev/${d%%:*} is the char device ${d#*:}" \
		"^type=chr .* rdev=${d#*:} "
done

probe_in -- write /dev/null data
expect_out "/dev/null is writable" "ok"
probe_in -- write /dev/full data
expect_out "/dev/full gives ENOSPC" "errno=ENOSPC"
probe_in -- write /dev/shm/x data
expect_out "/dev/shm is writable" "ok"

for p in /dev/sda /dev/vda /dev/nvme0n1 /dev/mem /dev/kmsg /dev/loop0 \
	/dev/fuse /dev/net/tun; do
	probe_in -- stat "$p"
	expect_out "no host device $p" "errno=ENOENT"
done

# ---- container-engine sockets (STYLE section 7, dockersock.c) ----------------
# Refused by identity (a socket named in DOCKER_HOST), through a directory
# that contains it, through a symlink to it, and by its resolved name
# (docker.sock).  A refusal is the engine-socket step: exit 201, one
# "ward: " line, nothing started.

fixture_dir SOCKS 755 || skip_all "cannot create a directory"
mkdir "$SOCKS/engine" "$SOCKS/named"
for s in app.sock engine/api.sock named/docker.sock; do
	"$PROBE" mksock "$SOCKS/$s" >/dev/null && chmod 777 "$SOCKS/$s"
done
ln -s "$SOCKS/engine/api.sock" "$SOCKS/link-to-api"
ln -s "$SOCKS/named/docker.sock" "$SOCKS/innocent.sock"
WARD_PREFIX=(env "DOCKER_HOST=unix://$SOCKS/engine/api.sock")

probe_in --bind "$SOCKS/app.sock:/app.sock" -- connect-unix /app.sock
expect_out "control: an ordinary socket can be bound (connect: ECONNREFUSED)" \
	"errno=ECONNREFUSED"

engine_refused() {
	local desc=$1
	shift
	probe_in "$@" -- connect-unix /x.sock
	if [ "$RC" = 201 ] && [ -z "$OUT" ] && [[ $ERR == "ward: engine-socket: "* ]]; then
		ok "$desc: refused (201)"
	else
		not_ok "$desc: refused (201, 'ward: engine-socket: ...', nothing started)" "$(last_run)"
	fi
}
engine_refused "the DOCKER_HOST socket by path" --bind "$SOCKS/engine/api.sock:/x.sock"
engine_refused "the directory holding the DOCKER_HOST socket" --bind "$SOCKS/engine:/e"
engine_refused "a grandparent directory of the DOCKER_HOST socket" --bind "$SOCKS:/s"
engine_refused "a symlink to the DOCKER_HOST socket" --bind "$SOCKS/link-to-api:/x.sock"
engine_refused "a socket named docker.sock (resolved name)" \
	--bind "$SOCKS/named/docker.sock:/x.sock"
engine_refused "a symlink to a socket named docker.sock" \
	--bind "$SOCKS/innocent.sock:/x.sock"
WARD_PREFIX=()

# ---- --rootfs DIR (busybox) ----------------------------------------------------

fixture_rootfs ROOTFS || skip_all "cannot build the busybox rootfs"

run_ward run --rootfs "$ROOTFS" -- /bin/cat /ROOTFS-MARKER
expect_out "--rootfs: the sandbox root is the given tree" "busybox rootfs for ward tests"

# shellcheck disable=SC2016 # expanded by the sandbox's shell
run_ward run --rootfs "$ROOTFS" -- /bin/sh -c 'echo $((6 * 7))'
expect_out "--rootfs: busybox sh runs" "42"

probe_root "$ROOTFS" -- write /ward-test-file
expect_out "--rootfs: / is read-only (EROFS)" "errno=EROFS"
probe_root "$ROOTFS" -- write /etc/passwd
expect_out "--rootfs: /etc/passwd is read-only (EROFS)" "errno=EROFS"
expect_true "--rootfs: the tree on the host is unchanged" \
	"files appeared in $ROOTFS" test ! -e "$ROOTFS/ward-test-file"
probe_root "$ROOTFS" -- write /tmp/x data
expect_out "--rootfs: /tmp is writable" "ok"
probe_root "$ROOTFS" -- stat /work
expect_out "--rootfs: host directories are not visible" "errno=ENOENT"
probe_root "$ROOTFS" -- stat /usr/lib
expect_out "--rootfs: host /usr is not visible" "errno=ENOENT"

probe_root "$ROOTFS" --bind "$DATA:/data:rw" -- write /data/from-rootfs x
expect_out "--rootfs with --bind DIR:/data:rw" "ok"

# ---- bind destinations under symlinks that leave the root ---------------------
# CVE-2021-30465 class: the destination must be resolved inside the new
# root (or refused), never on the host.

# refused_or_inside DESC MARKER-ON-HOST: either ward refused before starting
# (125 or a setup exit 200+ with a "ward: " line), or it ran and the bind
# stayed inside; in both cases the host path MARKER-ON-HOST must not exist.
refused_or_inside() {
	local desc=$1 host_path=$2
	if [ -e "$host_path" ]; then
		not_ok "$desc" "escape: $host_path was created on the host" "$(last_run)"
		rm -rf "$host_path"
	elif [ "$RC" = 0 ] && [ "$OUT" == "from-host" ]; then
		ok "$desc (bound inside the root)"
	elif { [ "$RC" = 125 ] || [ "$RC" -ge 200 ]; } && [[ $ERR == ward:* ]]; then
		ok "$desc (refused: ${ERR%%$'\n'*})"
	else
		not_ok "$desc" "expected a refusal (125/2xx) or the bind inside the root" "$(last_run)"
	fi
}

fixture_rootfs EVIL || skip_all "cannot build the busybox rootfs"
fixture_dir OUTSIDE 755 || skip_all "cannot create a directory"
echo host-secret >"$OUTSIDE/host-secret"
rm -rf "${EVIL:?}/etc"
ln -s "$OUTSIDE" "$EVIL/etc"

probe_root "$EVIL" -- ls /etc
expect_no_match "rootfs /etc -> absolute host dir: host dir not visible inside" \
	'host-secret' "$OUT"

probe_root "$EVIL" --bind "$DATA/input:/etc/sub" -- cat /etc/sub
refused_or_inside "--bind to /etc/sub where /etc -> $OUTSIDE (host)" "$OUTSIDE/sub"

# The same with the host's own /etc as the symlink target: a host-side
# resolution would create /etc/ward-cve-NNN on the host.
cve_name=ward-cve-$$-$RANDOM
rm -f "${EVIL:?}/etc"
ln -s /etc "$EVIL/etc"
probe_root "$EVIL" --bind "$DATA/input:/etc/$cve_name" -- cat "/etc/$cve_name"
refused_or_inside "--bind to /etc/$cve_name where /etc -> /etc" "/etc/$cve_name"

probe_root "$EVIL" --bind "$DATA:/etc/$cve_name" -- cat "/etc/$cve_name/input"
refused_or_inside "--bind DIR to /etc/$cve_name where /etc -> /etc" "/etc/$cve_name"

# A relative symlink climbing out of the root.
mkdir -p "$EVIL/srv"
ln -s "../../../../../../../..$OUTSIDE" "$EVIL/srv/up"
probe_root "$EVIL" --bind "$DATA/input:/srv/up/sub2" -- cat /srv/up/sub2
refused_or_inside "--bind to /srv/up/sub2 where up -> ../../..$OUTSIDE" "$OUTSIDE/sub2"

# Dot-dot in the destination itself.
probe_root "$ROOTFS" --bind "$DATA/input:/../../..$OUTSIDE/sub3" -- cat "$OUTSIDE/sub3"
refused_or_inside "--bind to /../../..$OUTSIDE/sub3" "$OUTSIDE/sub3"

# Host-synthesised root: /usr and /etc are the host's, bound read-only; a
# mount point for a new destination must not be created in the host's tree.
for d in /usr /etc; do
	probe_in --bind "$DATA/input:$d/$cve_name" -- cat "$d/$cve_name"
	refused_or_inside "host root: --bind to a new file under $d" "$d/$cve_name"
done

tap_done
