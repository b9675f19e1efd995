#!/bin/bash
# ward run --image against hostile archives (tests/lib/hostile-image.py
# writes them, one per class), as root and rootless.  Each class is either
# refused (exit 229, one "ward: image:" line saying what) with nothing
# left in the cache, or run, and then the probe inside and the cached
# tree on the host show it neutralised:
#   names        '..' and absolute members, a 20 kB pax path: refused, the
#                canary untouched
#   hard links   to outside the tree (.. or absolute), to a member not yet
#                extracted: refused
#   symlinks     a symlink extracted earlier, then written through
#                (/etc, ../../.., the host's canary directory, a file
#                over a link): everything lands inside the tree; etc ->
#                /etc then etc/x: a loop inside the tree, refused
#   devices      character and block nodes, FIFOs: absent
#   setuid       setuid/setgid bits gone; the program gains nothing
#   xattrs       security.capability and user.* never reach the tree
#   whiteouts    deleted files and opaque directories' lower content absent;
#                through links to the host's paths: the image's files go,
#                the host's stay; of '..': refused;
#                a private key deleted by a later layer does not stop the
#                run, a kept one does (232, the finding's id)
#   members      a docker save member, an OCI layout's blob, as symlinks
#                out of the archive: refused
#   digests      a legacy layer.tar not matching rootfs.diff_ids (one
#                archive posing as another image: the cache stays clean,
#                the true image runs its own files); a blob not matching
#                its name
#   bombs        tens of GB of zeros: stopped on the bounds, quickly; a
#                70 MB file of zeros in a gzip layer runs
#   mount points /tmp, /run, /dev, /proc, etc/hosts, /dev/null, /etc as
#                symlinks out: the root stays read-only, the cwd inside
#                it, the host's /proc/sys/kernel/core_pattern untouched
#   workdir      WorkingDir with '..': refused (125); through a link to
#                /proc/1/cwd: the cwd stays inside the root
#   volumes      a volume over /etc holding the root-only /etc/shadow:
#                refused (211), not handed over as the program's own
# and in every run: the root read-only, the cwd inside it, the image's
# root-owned 0600 /etc/shadow unreadable to the image's USER (rootless
# too, where the caller owns every file of the tree: its mode is 0000 and
# the read-only root keeps USER, its owner inside, from chmod'ing it).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns
command -v python3 >/dev/null || skip_all "python3 is missing (package python3)"
command -v getcap >/dev/null || skip_all "getcap is missing (package libcap2-bin)"
[ -x /bin/busybox ] || skip_all "/bin/busybox is missing (package busybox-static)"
fixture_dir T || skip_all "cannot create a directory under ${TMPDIR:-/tmp}"
WARD_TIMEOUT=30
GEN=$here/../lib/hostile-image.py
CANARY=$T/canary
mkdir -m 777 "$CANARY"
core_before=$(cat /proc/sys/kernel/core_pattern)
shadow_links=$(stat -c %h /etc/shadow)

# ---- the archives --------------------------------------------------------------------------
# The base layer of every image: busybox, the probe, a user app (10001)
# and a root-owned 0600 /etc/shadow.
# shellcheck disable=SC2016 # $6$ is a shadow hash's prefix
BASE='{"entries":[
 {"name":"bin","type":"dir"},
 {"name":"bin/busybox","from":"/bin/busybox","mode":"0755"},
 {"name":"bin/sh","type":"symlink","target":"busybox"},
 {"name":"probe","from":"@PROBE@","mode":"0755"},
 {"name":"etc","type":"dir"},
 {"name":"etc/passwd","data":"root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/:/bin/sh\n"},
 {"name":"etc/group","data":"root:x:0:\napp:x:10001:\n"},
 {"name":"etc/shadow","data":"root:$6$not-a-real-hash:19000::::::\n","mode":"0600"},
 {"name":"tmp","type":"dir","mode":"1777"}]}'
CFG='"config":{"User":"app","Cmd":["/probe","id"]}'

# image NAME: the archive $T/NAME.tar from the spec on stdin (@BASE@,
# @CFG@, @CANARY@ and @PROBE@ replaced; @T@ is $T without its leading /).
image() {
	local spec
	spec=$(sed -e "s|@CANARY@|$CANARY|g" -e "s|@PROBE@|$PROBE|g" -e "s|@T@|${T#/}|g") || return 1
	spec=${spec//@BASE@/$BASE}
	spec=${spec//@CFG@/$CFG}
	spec=${spec//@PROBE@/$PROBE}
	printf '%s\n' "$spec" >"$T/$1.json"
	python3 "$GEN" "$T/$1.json" "$T/$1.tar" || bail_out "hostile-image.py writes $1.tar"
	chmod 644 "$T/$1.tar"
}

image base <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@]}
EOF
image dotdot <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[
 {"name":"a","type":"dir"},
 {"name":"a/../../../../../../../../../..@CANARY@/dotdot","data":"escaped"}]}]}
EOF
image absolute <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[
 {"name":"@CANARY@/absolute","data":"escaped"}]}]}
EOF
image link-outside <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[
 {"name":"shadow-link","type":"hardlink","target":"../../../../../../../../../../etc/shadow"}]}]}
EOF
image link-absolute <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[
 {"name":"shadow-link","type":"hardlink","target":"/etc/shadow"}]}]}
EOF
image link-later <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[
 {"name":"early","type":"hardlink","target":"late"},
 {"name":"late","data":"late"}]}]}
EOF
image etc-loop <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,
 {"entries":[{"name":"etc","type":"symlink","target":"/etc"}]},
 {"entries":[{"name":"etc/ward-hostile","data":"through a link"}]}]}
EOF
image through <<'EOF'
{"layout":"blobs","config":{"User":"app","Cmd":["/probe","id"],"WorkingDir":"/up"},"layers":[@BASE@,
 {"entries":[
  {"name":"hostetc","type":"symlink","target":"/etc"},
  {"name":"up","type":"symlink","target":"../../../../../../../.."},
  {"name":"can","type":"symlink","target":"@CANARY@"},
  {"name":"canrel","type":"symlink","target":"../../../../../../../..@CANARY@"},
  {"name":"pw","type":"symlink","target":"/etc/passwd"}]},
 {"gzip":true,"entries":[
  {"name":"hostetc/ward-hostile","data":"inside"},
  {"name":"up/ward-escaped","data":"inside"},
  {"name":"can/owned","data":"inside"},
  {"name":"canrel/owned-rel","data":"inside"},
  {"name":"can/dir","type":"dir"},
  {"name":"can/dir/deep","data":"inside"},
  {"name":"can/hl","type":"hardlink","target":"probe"},
  {"name":"pw","data":"over the link"}]}]}
EOF
image devices <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[
 {"name":"evil","type":"dir"},
 {"name":"evil/mem","type":"chr","major":1,"minor":1,"mode":"0666"},
 {"name":"evil/kmsg","type":"chr","major":1,"minor":11,"mode":"0666"},
 {"name":"evil/sda","type":"blk","major":8,"minor":0,"mode":"0666"},
 {"name":"evil/fifo","type":"fifo","mode":"0666"},
 {"name":"evil/ok","data":"kept"}]}]}
EOF
image setuid <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[
 {"name":"suid-probe","from":"@PROBE@","mode":"4755"},
 {"name":"sgid-probe","from":"@PROBE@","mode":"2755"},
 {"name":"sgid-dir","type":"dir","mode":"2775"}]}]}
EOF
image xattrs <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[
 {"name":"cap-probe","from":"@PROBE@","mode":"0755","xattrs":{
  "security.capability":"hex:0100000201200000000000000000000000000000",
  "user.ward":"x","trusted.ward":"x","security.ward":"x"}},
 {"name":"xdir","type":"dir","xattrs":{"user.ward":"x","system.posix_acl_default":"hex:02000000"}}]}]}
EOF
image whiteouts <<'EOF'
{"layout":"blobs",@CFG@,"layers":[@BASE@,
 {"entries":[
  {"name":"w","type":"dir"},{"name":"w/deleted","data":"lower"},{"name":"w/kept","data":"lower"},
  {"name":"gone","type":"dir"},{"name":"gone/old","data":"lower"},
  {"name":"opq","type":"dir"},{"name":"opq/lower","data":"lower"},
  {"name":"opq/sub","type":"dir"},{"name":"opq/sub/lower","data":"lower"}]},
 {"gzip":true,"entries":[
  {"name":"w/.wh.deleted","data":""},
  {"name":".wh.gone","data":""},
  {"name":"opq/.wh..wh..opq","data":""},
  {"name":"opq/upper","data":"upper"}]}]}
EOF
# a pax header naming an entry 20,000 bytes deep
{
	printf '{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[{"name":"'
	for _ in $(seq 10000); do printf 'a/'; done
	printf 'x","data":"deep"}]}]}\n'
} | image pax-huge
# whiteouts through symlinks to the host's paths, and of '..'
mkdir -m 755 "$T/keep" && echo kept >"$T/keep/file"
image whiteout-through <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,
 {"entries":[{"name":"k","type":"symlink","target":"@T@/keep"},
  {"name":"up","type":"symlink","target":"../../../../../../../../.."},
  {"name":"@T@","type":"dir"},{"name":"@T@/keep","type":"dir"},{"name":"@T@/keep/file","data":"in the image"},
  {"name":"@T@/keep/other","data":"in the image"}]},
 {"entries":[{"name":"k/.wh.file","data":""},{"name":"up/@T@/keep/.wh.other","data":""},
  {"name":".wh.","data":""}]}]}
EOF
image whiteout-dotdot <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[{"name":"etc/.wh...","data":""}]}]}
EOF
# the true image, and an archive posing as it: the same config (so the
# same digest), another legacy layer.tar
image true-layer <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[{"name":"which","data":"true"}]}]}
EOF
image poisoned <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[{"name":"which","data":"true"}]}],
 "poison":[{"name":"which","data":"poisoned"}]}
EOF
cp "$T/poisoned.tar" "$T/poisoned-again.tar"
image diff-id <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[{"name":"which","data":"x"}]}],"spoil":"diff-id"}
EOF
image blob-name <<'EOF'
{"layout":"blobs",@CFG@,"layers":[@BASE@,{"gzip":true,"entries":[{"name":"which","data":"x"}]}],
 "spoil":"blob-name"}
EOF
# 40 GiB of zeros in one entry, 20 GiB in 80 entries: gzip, never expanded here
image bomb-one <<'EOF'
{"layout":"blobs",@CFG@,"layers":[@BASE@,{"gzip":true,"bomb":true,"entries":[
 {"name":"zeros","type":"zeros","size":42949672960}]}]}
EOF
{
	printf '{"layout":"blobs",@CFG@,"layers":[@BASE@,{"gzip":true,"bomb":true,"entries":['
	for i in $(seq 1 80); do
		printf '%s{"name":"zeros%d","type":"zeros","size":268435456}' "$([ "$i" = 1 ] || echo ,)" "$i"
	done
	printf ']}]}\n'
} | image bomb-many
image zeros-70m <<'EOF'
{"layout":"blobs",@CFG@,"layers":[@BASE@,{"gzip":true,"entries":[
 {"name":"zeros","type":"zeros","size":73400320}]}]}
EOF
image etc-proc <<'EOF'
{"layout":"legacy","config":{"User":"1000","Cmd":["/probe","id"]},"layers":[@BASE@,
 {"entries":[{"name":"etc","type":"symlink","target":"/proc/sys/kernel"}]}]}
EOF
image mount-points <<'EOF'
{"layout":"legacy","config":{"User":"app","Cmd":["/probe","id"],"WorkingDir":"/tmp"},"layers":[@BASE@,
 {"entries":[
  {"name":"tmp","type":"symlink","target":"/etc"},
  {"name":"run","type":"symlink","target":"../../../.."},
  {"name":"proc","type":"symlink","target":"sys"},
  {"name":"sys","type":"dir"},
  {"name":"dev","type":"symlink","target":"/../../dev"},
  {"name":"etc/hosts","type":"symlink","target":"/proc/sys/kernel/core_pattern"},
  {"name":"etc/resolv.conf","type":"symlink","target":"../../../../../proc/sys/kernel/core_pattern"},
  {"name":"etc/hostname","type":"symlink","target":"/proc/sysrq-trigger"}]}]}
EOF
image dev-links <<'EOF'
{"layout":"legacy","config":{"User":"app","Cmd":["/probe","id"]},"layers":[@BASE@,
 {"entries":[
  {"name":"dev","type":"dir"},
  {"name":"dev/null","type":"symlink","target":"/proc/sys/kernel/core_pattern"},
  {"name":"dev/console","type":"symlink","target":"/proc/sysrq-trigger"}]}]}
EOF
# the archive's own members: a layer.tar that is a symlink out of the
# archive; an OCI layout directory whose layer blob is a symlink out of it
image member-link <<'EOF'
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[{"name":"which","data":"x"}]}],
 "member-link":"../../../../../../../../etc/shadow"}
EOF
image oci-dir <<'EOF'
{"layout":"blobs",@CFG@,"layers":[@BASE@,{"gzip":true,"entries":[{"name":"which","data":"x"}]}]}
EOF
if ! mkdir "$T/oci-dir" || ! tar -xf "$T/oci-dir.tar" -C "$T/oci-dir"; then
	bail_out "extract oci-dir.tar"
fi
blob=$(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))[0]["Layers"][-1])' "$T/oci-dir/manifest.json")
ln -sf /etc/shadow "$T/oci-dir/$blob"
chmod -R a+rX "$T/oci-dir"
# a private key deleted by a later layer (history only: runs), and kept (refused)
KEY='-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDx0nP2Xl7bBfTj0ykFJ6V1Zp8k3o2ZAZ0b4i2j3l3bPwAAAJgQ8h1+EPId\n-----END OPENSSH PRIVATE KEY-----\n'
SSH='{"name":"srv","type":"dir"},{"name":"srv/.ssh","type":"dir","mode":"0700","uid":10001,"gid":10001},
 {"name":"srv/.ssh/id_ed25519","data":"'$KEY'","mode":"0600","uid":10001,"gid":10001}'
image secret-deleted <<EOF
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[$SSH]},
 {"entries":[{"name":"srv/.ssh/.wh.id_ed25519","data":""}]}]}
EOF
image secret-kept <<EOF
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[$SSH]}]}
EOF
# 300 keys: more than the audit names (256) and than a refusal lists (128)
MANY=$(for i in $(seq 1 300); do
	printf ',{"name":"srv/k%d","type":"dir"},{"name":"srv/k%d/id_ed25519","data":"%s","mode":"0600","uid":10001,"gid":10001}' "$i" "$i" "$KEY"
done)
image secret-many <<EOF
{"layout":"legacy",@CFG@,"layers":[@BASE@,{"entries":[$SSH$MANY]}]}
EOF
# working directories: with '..', through a link to /proc/1/cwd
image workdir-dotdot <<'EOF'
{"layout":"legacy","config":{"User":"app","Cmd":["/probe","cwd"],"WorkingDir":"/../../../etc"},"layers":[@BASE@]}
EOF
image workdir-proc <<'EOF'
{"layout":"legacy","config":{"User":"app","Cmd":["/probe","cwd"],"WorkingDir":"/wd"},"layers":[@BASE@,
 {"entries":[{"name":"wd","type":"symlink","target":"/proc/1/cwd"}]}]}
EOF
# a volume over /etc, which holds the root-only /etc/shadow
image volume-shadow <<'EOF'
{"layout":"legacy","config":{"User":"app","Cmd":["/probe","id"],"Volumes":{"/etc":{}}},"layers":[@BASE@]}
EOF
chmod 755 "$T"
ok "hostile-image.py writes one archive per class"

# holds NAME LINE...: the archive's layers hold these members
# (hostile-image.py --list: "LAYER NAME TYPE MODE [XATTR...]").
holds() {
	local name=$1 list line missing=""
	shift
	list=$(python3 "$GEN" --list "$T/$name.tar")
	for line in "$@"; do
		grep -qxF -- "$line" <<<"$list" || missing+="$line; "
	done
	if [ -z "$missing" ]; then
		ok "$name.tar holds what it is about"
	else
		not_ok "$name.tar holds what it is about" "missing: $missing" "listed: $list"
	fi
}
holds dotdot "1 a/../../../../../../../../../..$CANARY/dotdot file 0644"
holds absolute "1 $CANARY/absolute file 0644"
holds link-outside "1 shadow-link hardlink 0644"
holds link-absolute "1 shadow-link hardlink 0644"
holds etc-loop "0 etc dir 0755" "1 etc symlink 0777" "2 etc/ward-hostile file 0644"
holds through "1 hostetc symlink 0777" "1 up symlink 0777" "1 can symlink 0777" \
	"2 hostetc/ward-hostile file 0644" "2 up/ward-escaped file 0644" "2 can/owned file 0644" \
	"2 can/hl hardlink 0644"
holds devices "1 evil/mem chr 0666" "1 evil/kmsg chr 0666" "1 evil/sda blk 0666" "1 evil/fifo fifo 0666"
holds setuid "1 suid-probe file 4755" "1 sgid-probe file 2755" "1 sgid-dir dir 2775"
holds xattrs "1 cap-probe file 0755 security.capability security.ward trusted.ward user.ward" \
	"1 xdir dir 0755 system.posix_acl_default user.ward"
holds whiteouts "2 w/.wh.deleted file 0644" "2 .wh.gone file 0644" "2 opq/.wh..wh..opq file 0644"
holds mount-points "1 tmp symlink 0777" "1 run symlink 0777" "1 proc symlink 0777" "1 dev symlink 0777" \
	"1 etc/hosts symlink 0777"

# ---- assertions ----------------------------------------------------------------------------

# The cache of the current mode (set by each mode below): CACHE, ENTRY_RE.
entries() {
	find "$CACHE/images" -mindepth 1 -maxdepth 1 -type d ! -name sources -printf '%f\n' 2>/dev/null | sort
}

# rootfs_of NAME: the cached tree of the image in $T/NAME.tar (its entry
# is named by the config's digest, with .uUIDgGID for a rootless caller).
rootfs_of() {
	local hex
	hex=$(python3 -c '
import json, os, sys, tarfile
m = json.load(tarfile.open(sys.argv[1]).extractfile("manifest.json"))
print(os.path.basename(m[0]["Config"]).split(".")[0])' "$T/$1.tar")
	find "$CACHE/images" -mindepth 2 -maxdepth 2 -path "*/$hex*/rootfs" -type d | head -n1
}

canary_clean() {
	local what=$1
	expect_eq "$M: $what: nothing written to the host's canary" "" "$(ls -A "$CANARY")"
}

# refused NAME ERE [WARD-OPTIONS...]: exit 229, one image line matching ERE,
# no entry nor tmp.* left in the cache, the canary empty.
refused() {
	refused_as 229 image "$@"
}

# refused_as RC STEP NAME ERE [WARD-OPTIONS...]: the same for another step
# (the cache is checked for the image step only).
refused_as() {
	local rc=$1 step=$2 name=$3 re=$4 before
	shift 4
	before=$(entries)
	run_ward run --image "$T/$name$([ -d "$T/$name" ] || echo .tar)" "$@" -- /probe id
	expect_rc "$M: $name: refused ($rc)" "$rc"
	expect_eq "$M: $name: one 'ward: $step:' line saying why" "1" \
		"$(grep -Ec "^ward: $step: .*$re" <<<"$ERR")"
	# a refusal of the config comes after the (sound) tree is cached
	[ "$step" = image ] && expect_eq "$M: $name: nothing left in the cache" "$before" "$(entries)"
	canary_clean "$name"
}

# inside NAME CHECKS: run CHECKS (a busybox sh script calling /probe) in
# the image; OUT has its output.
inside() {
	local name=$1
	shift
	run_ward run --image "$T/$name.tar" -- /bin/sh -c "$1"
	if [ "$RC" = 0 ]; then
		ok "$M: $name: runs"
	else
		not_ok "$M: $name: runs" "$(last_run)"
	fi
	R=$(rootfs_of "$name")
}

# The checks every run makes: root read-only, the cwd inside it,
# /etc/shadow out of the image's USER's reach.
COMMON='/probe id; /probe cwd; /probe write /ward-ro; /probe write /etc/ward-ro; /probe read /etc/shadow'
common() {
	local name=$1 cwd=${2:-/}
	expect_match "$M: $name: the image's USER (10001)" '^uid=10001/10001/10001/10001 gid=10001' "$OUT"
	expect_match "$M: $name: the cwd is $cwd, inside the root" "^cwd=$cwd\$" "$OUT"
	expect_eq "$M: $name: the root and /etc are read-only" "errno=EROFS errno=EROFS" \
		"$(grep -E '^(ok|errno=E[A-Z]+)$' <<<"$OUT" | head -n2 | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "$M: $name: the root-owned 0600 /etc/shadow is not readable" "errno=EACCES" \
		"$(grep -E '^(ok bytes=|errno=)' <<<"$OUT" | sed -n 3p)"
}

# tree_clean NAME: the cached tree holds no device, FIFO, socket,
# setuid/setgid file, xattr or file capability.
tree_clean() {
	local name=$1
	if [ -z "$R" ] || [ ! -d "$R" ]; then
		not_ok "$M: $name: the cached tree is found" "rootfs_of: '$R'"
		return
	fi
	expect_eq "$M: $name: no device, FIFO or socket in the cached tree" "" \
		"$(find "$R" \( -type b -o -type c -o -type p -o -type s \) -printf '%P\n')"
	expect_eq "$M: $name: no setuid or setgid bit in the cached tree" "" \
		"$(find "$R" -perm /6000 -printf '%P %m\n')"
	expect_eq "$M: $name: no xattr in the cached tree" "" "$(python3 -c '
import os, sys
for d, dirs, files in os.walk(sys.argv[1]):
    for n in dirs + files:
        p = os.path.join(d, n)
        for x in os.listxattr(p, follow_symlinks=False):
            print(p, x)
' "$R")"
	expect_eq "$M: $name: getcap finds no file capability" "" "$(getcap -r "$R" 2>&1)"
	expect_eq "$M: $name: no whiteout marker in the cached tree" "" \
		"$(find "$R" -name '.wh.*' -printf '%P\n')"
}

# started; within MS DESC: what ran since took less than MS milliseconds.
started() {
	T0=$(date +%s%N)
}
within() {
	local ms=$((($(date +%s%N) - T0) / 1000000))
	expect_true "$2" "took $ms ms" test "$ms" -lt "$1"
}

host_untouched() {
	expect_eq "$M: the host's core_pattern untouched" "$core_before" "$(cat /proc/sys/kernel/core_pattern)"
	# (other tests may add users meanwhile: look for what the images write)
	expect_eq "$M: the host's /etc/passwd untouched" "" "$(grep -e 'over the link' -e '^ward-hostile' /etc/passwd)"
	expect_eq "$M: the host's /etc/shadow has no new link" "$shadow_links" "$(stat -c %h /etc/shadow)"
	expect_eq "$M: nothing named ward-hostile or ward-escaped on the host" "" \
		"$(ls -d /etc/ward-hostile /ward-escaped "$T/ward-escaped" "$CACHE/ward-escaped" 2>/dev/null)"
}

# ---- the classes ---------------------------------------------------------------------------
classes() {
	inside base "$COMMON"
	common base
	tree_clean base

	refused dotdot "has a '\.\.' component"
	refused absolute "is absolute"
	refused link-outside "entry 'shadow-link': its hard link target '(\.\./)+etc/shadow' has a '\.\.' component"
	refused link-absolute "entry 'shadow-link': its hard link target '/etc/shadow' is absolute"
	refused link-later "a hard link to 'late', which is not in the tree \(yet\): refused"
	refused member-link "member '[0-9a-f]{64}/layer\.tar' links outside the archive \(absolute or too many '\.\.'\): refused"
	refused oci-dir "/blobs/sha256/[0-9a-f]{64} \(a symlink: not followed\)"
	refused pax-huge "its tar headers fill [0-9]+ bytes, more than 16384 \(WARD_IMAGE_MAX_HEADER\)"
	refused etc-loop "entry 'etc': a symlink loop"

	# shellcheck disable=SC2016 # expanded by the sandbox's sh
	inside through "$COMMON"'; for f in /etc/ward-hostile /ward-escaped /pw; do
		echo "$f: $(/probe cat $f)"; done; /probe stat /hostetc'
	common through /
	expect_eq "$M: through: written through hostetc -> /etc, up -> ../../.. and over pw -> /etc/passwd: inside the root" \
		"/etc/ward-hostile: inside|/ward-escaped: inside|/pw: over the link" \
		"$(sed -n '6,8p' <<<"$OUT" | tr '\n' '|' | sed 's/|$//')"
	expect_match "$M: through: hostetc is still the image's symlink" '^type=lnk ' "$(sed -n 9p <<<"$OUT")"
	# the canary's path as the image names it is beneath ward's /tmp in
	# the sandbox: look at the cached tree
	expect_eq "$M: through: can -> the host's canary, canrel -> ../..canary: made inside the tree" \
		"dir dir/deep hl owned owned-rel" \
		"$(cd "$R$CANARY" 2>/dev/null && find . -mindepth 1 -printf '%P\n' | sort | tr '\n' ' ' | sed 's/ $//')"
	canary_clean through
	tree_clean through

	inside devices "$COMMON; /probe ls /evil; /probe stat /evil/mem; /probe stat /evil/sda"
	common devices
	expect_eq "$M: devices: device nodes and the FIFO dropped, the file kept" \
		"entries=ok errno=ENOENT errno=ENOENT" "$(sed -n '6,8p' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
	tree_clean devices

	inside setuid "$COMMON; /probe stat /suid-probe; /probe stat /sgid-probe; /probe stat /sgid-dir;
		/suid-probe id; /sgid-probe id"
	common setuid
	expect_no_match "$M: setuid: no setuid or setgid bit seen inside" 'mode=0?[2467][0-7]{3} ' \
		"$(grep '^type=' <<<"$OUT")"
	expect_eq "$M: setuid: the setuid and setgid programs run as USER, nothing gained" \
		"uid=10001/10001/10001/10001 gid=10001/10001/10001/10001" \
		"$(grep -o '^uid=[^ ]* gid=[^ ]*' <<<"$OUT" | sed -n '2,3p' | sort -u)"
	tree_clean setuid

	inside xattrs "$COMMON; /cap-probe caps"
	common xattrs
	expect_match "$M: xattrs: a program with security.capability gains no capability" \
		'^CapPrm:[[:space:]]+0+$' "$OUT"
	expect_match "$M: xattrs: ...nor an effective one" '^CapEff:[[:space:]]+0+$' "$OUT"
	tree_clean xattrs

	inside whiteouts "$COMMON; /probe ls /w; /probe ls /gone; /probe ls /opq"
	common whiteouts
	expect_eq "$M: whiteouts: deleted files absent, opaque directories hide the lower layer" \
		"entries=kept errno=ENOENT entries=upper" "$(sed -n '6,8p' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
	tree_clean whiteouts

	inside whiteout-through "$COMMON"
	common whiteout-through
	# $T is beneath ward's /tmp in the sandbox: look at the cached tree
	expect_eq "$M: whiteout-through: whiteouts through links to a host path delete the image's files" \
		"" "$(ls -A "$R$T/keep" 2>&1)"
	expect_eq "$M: whiteout-through: ...not the host's" "kept" "$(cat "$T/keep/file")"
	refused whiteout-dotdot "entry 'etc/\.wh\.\.\.' whites out '\.' or '\.\.'"

	refused poisoned "layer 1 \([0-9a-f]{64}/layer\.tar\).*rootfs\.diff_ids says sha256:[0-9a-f]{64}"
	inside true-layer "$COMMON; /probe cat /which"
	expect_eq "$M: poisoned: the true image, after, runs its own layer" "true" "$(tail -n1 <<<"$OUT")"
	# again, the true image cached: read and refused again, not served
	refused poisoned-again "rootfs\.diff_ids says sha256:"
	inside true-layer "/probe cat /which"
	expect_eq "$M: poisoned: ...and the true image's entry is still its own" "true" "$OUT"
	refused diff-id "rootfs\.diff_ids says sha256:"
	refused blob-name "layer 1 \(blobs/sha256/[0-9a-f]{64}\).*its name says sha256:"

	started
	refused bomb-one "entry 'zeros' declares 42949672960 bytes, more than the layer may still expand to \(--image-limit layer-size=8G raises it\)"
	within 5000 "$M: bomb-one: stopped in under 5 s"
	started
	refused bomb-many "more than the layer may still expand to \(--image-limit layer-size=1G raises it\)" \
		--image-limit layer-size=1G
	within 15000 "$M: bomb-many (20 GiB in 80 entries) stopped at 1G in under 15 s"

	started
	refused bomb-many "still reading when the time allowed ran out \(--image-limit time=2s raises it\)" \
		--image-limit time=2s
	within 6000 "$M: bomb-many, the default sizes and time=2s: stopped in under 6 s"

	run_ward check --image "$T/zeros-70m.tar"
	expect_rc "$M: zeros-70m: ward check --image passes it" 0
	inside zeros-70m "$COMMON; /probe stat /zeros"
	common zeros-70m
	expect_match "$M: zeros-70m: the 70 MB file of zeros (a gzip layer, 700:1) is there" \
		'^type=reg .* size=73400320$' "$OUT"

	inside mount-points "$COMMON; /probe write /tmp/x; /probe write /etc/x; /probe stat /tmp;
		/probe write /run/x; /probe write /proc/sys/kernel/core_pattern x; /probe cat /etc/hosts; /probe mounts"
	common mount-points /tmp
	expect_eq "$M: mount-points: /tmp (-> /etc in the image) is ward's writable tmpfs, /etc stays read-only" \
		"ok errno=EROFS" "$(sed -n '6,7p' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
	expect_match "$M: mount-points: /tmp is a directory" '^type=dir ' "$(sed -n 8p <<<"$OUT")"
	expect_eq "$M: mount-points: /run (-> ../../..) is a writable tmpfs; /proc/sys read-only" \
		"ok errno=EROFS" "$(sed -n '9,10p' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "$M: mount-points: /tmp, /run, /proc, /dev are ward's mounts, not the image's links" \
		"/tmp rw /run rw /proc rw /dev ro" \
		"$(grep -Eo '^/(tmp|run|proc|dev) r[ow]' <<<"$OUT" | sort -k1,1 -t' ' | tr '\n' ' ' |
			sed 's/ $//' | awk '{for (i = 1; i <= NF; i += 2) m[$i] = $(i + 1);
				print "/tmp " m["/tmp"] " /run " m["/run"] " /proc " m["/proc"] " /dev " m["/dev"]}')"
	expect_match "$M: mount-points: /etc/hosts (a link to core_pattern) is a hosts file" '^127\.0\.0\.1[[:space:]]+localhost' \
		"$OUT"
	host_untouched

	# etc -> /proc/sys/kernel: /etc is the sandbox's own /proc/sys/kernel,
	# read-only; ward's /etc/hosts is not mounted through the link
	inside etc-proc "/probe id; /probe write /etc/core_pattern x; /probe write /proc/sys/kernel/core_pattern x"
	expect_eq "$M: etc-proc: the image's USER 1000; core_pattern through /etc and /proc: read-only" \
		"uid=1000/1000/1000/1000 errno=EROFS errno=EROFS" \
		"$(cut -d' ' -f1 <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
	host_untouched

	inside secret-deleted "$COMMON; /probe ls /srv/.ssh"
	common secret-deleted
	expect_eq "$M: secret-deleted: a key deleted by a later layer is absent, and does not stop the run" \
		"entries=" "$(sed -n 6p <<<"$OUT")"
	expect_match "$M: secret-deleted: ...which is said" "credential in the image's history only" "$ERR"
	run_ward run --image "$T/secret-kept.tar" -- /probe id
	expect_rc "$M: secret-kept: a key the program could read: refused (232)" 232
	expect_match "$M: secret-kept: ...naming it and the directive that accepts it" \
		"^ward: image-audit: to start anyway: --accept-findings image\.secret-file:/srv/\.ssh/id_ed25519$" "$ERR"
	run_ward run --image "$T/secret-many.tar" -- /probe id
	expect_rc "$M: secret-many: 301 keys: refused (232), no crash" 232
	expect_match "$M: secret-many: ...128 listed, the rest counted" \
		"^ward: image-audit: and [0-9]+ more \(ward check --image lists them\)$" "$ERR"
	accept=$(sed -n 's/^ward: image-audit: to start anyway: --accept-findings //p' <<<"$ERR")
	run_ward run --image "$T/secret-many.tar" --accept-findings "$accept,image.secret-file:more" -- /probe id
	expect_rc "$M: secret-many: accepting every id it names, and 'more': still refused (232)" 232
	expect_match "$M: secret-many: ...the unnamed ones cannot be accepted" \
		"too many findings to accept one by one: remove the secrets from the image" "$ERR"

	run_ward run --image "$T/volume-shadow.tar" -- /probe id
	expect_rc "$M: volume-shadow: a volume over /etc (root-only /etc/shadow): refused (211)" 211
	expect_match "$M: volume-shadow: ...as it would hand the program /etc/shadow as its own" \
		"^ward: tmpfs: volume /etc: /etc/shadow is not readable by uid 10001 in the root" "$ERR"

	refused_as 125 plan workdir-dotdot "--workdir /\.\./\.\./\.\./etc: must be an absolute path without '\.\.'"
	inside workdir-proc "/probe cwd; /probe write /x"
	expect_eq "$M: workdir-proc: WorkingDir -> /proc/1/cwd: the cwd is inside the read-only root" \
		"cwd=/ errno=EROFS" "$(tr '\n' ' ' <<<"$OUT" | sed 's/ $//')"

	inside dev-links "$COMMON; /probe write /dev/null data; /probe stat /dev/null; /probe write /dev/console x"
	common dev-links
	expect_match "$M: dev-links: /dev/null is the null device" '^type=chr .*rdev=1:3' "$OUT"
	host_untouched
	canary_clean all
}

# ---- as root -----------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
	M=root
	export WARD_CACHE_DIR=$T/cache-root
	CACHE=$WARD_CACHE_DIR
	classes
	inside base "$COMMON"
	expect_eq "root: the cached tree keeps the image's owners and modes (/etc/shadow 0:0 0600)" \
		"0 0 600" "$(stat -c '%u %g %a' "$R/etc/shadow")"
	run_ward image prune
	expect_eq "root: ward image prune removes every entry" "0 " "$RC $(entries | tr '\n' ' ')"
else
	skip "root: the hostile classes" "not root"
fi

# ---- rootless ----------------------------------------------------------------------------------
# An id of this test's own, with no account (ward needs none: a rootless
# launch maps only the caller's ids), so that no other test's user is
# shared or removed under it.
HOSTILE_UID=2397
if [ "$(id -u)" = 0 ] && ! getent passwd "$HOSTILE_UID" >/dev/null && fixture_user_bins; then
	M=rootless
	WARD_PREFIX=(setpriv "--reuid=$HOSTILE_UID" "--regid=$HOSTILE_UID" --clear-groups --)
	WARD_ROOT=$WARD
	WARD=$WARD_U
	CACHE=$T/cache-user
	mkdir -m 700 "$CACHE" && chown "$HOSTILE_UID:$HOSTILE_UID" "$CACHE"
	export WARD_CACHE_DIR=$CACHE
	classes
	inside base "$COMMON; /probe stat /etc/shadow; /bin/busybox chmod 644 /etc/shadow 2>&1; /probe read /etc/shadow"
	expect_eq "rootless: the cached tree is the caller's; /etc/shadow's mode gives USER nothing" \
		"$HOSTILE_UID 0" "$(stat -c '%u %a' "$R/etc/shadow")"
	expect_match "rootless: inside, USER owns /etc/shadow, mode 0000" '^type=reg mode=0000 uid=10001 ' \
		"$(sed -n 6p <<<"$OUT")"
	expect_eq "rootless: ...and cannot chmod it (the root is read-only): still unreadable" \
		"chmod: /etc/shadow: Read-only file system|errno=EACCES" "$(sed -n '7,8p' <<<"$OUT" | tr '\n' '|' | sed 's/|$//')"
	run_ward image prune
	expect_eq "rootless: ward image prune removes every entry (0000 files and 0500 directories too)" \
		"0 " "$RC $(entries | tr '\n' ' ')"
	WARD=$WARD_ROOT
	WARD_PREFIX=()
elif [ "$(id -u)" = 0 ]; then
	not_ok "rootless: uid $HOSTILE_UID free, and the binaries copied" \
		"$(getent passwd "$HOSTILE_UID" || echo "cannot copy the binaries")"
else
	M=rootless
	CACHE=$T/cache-user
	mkdir -m 700 "$CACHE"
	export WARD_CACHE_DIR=$CACHE
	classes
	# the trees' 0500 directories are not the caller's to rm -rf
	run_ward image prune
	expect_eq "rootless: ward image prune removes every entry (0000 files and 0500 directories too)" \
		"0 " "$RC $(entries | tr '\n' ' ')"
fi

tap_done
