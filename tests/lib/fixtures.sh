# shellcheck shell=bash disable=SC2034
# Fixtures for ward's integration tests; source after tap.sh.  Everything a
# fixture creates is removed by tap.sh's exit trap.

WARD_TEST_USER=ward-test
WARD_TEST_UID=2345

# fixture_test_user: make sure the unprivileged user ward-test (uid and gid
# 2345, no supplementary groups) exists; remove it at exit if we created it.
# Needs root.  Returns non-zero (with a reason in FIXTURE_WHY) on failure.
fixture_test_user() {
	FIXTURE_WHY=""
	local name
	name=$(getent passwd "$WARD_TEST_UID" | cut -d: -f1)
	if [ -n "$name" ]; then
		if [ "$name" != "$WARD_TEST_USER" ]; then
			FIXTURE_WHY="uid $WARD_TEST_UID already belongs to $name"
			return 1
		fi
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		FIXTURE_WHY="creating user $WARD_TEST_USER needs root"
		return 1
	fi
	if ! command -v useradd >/dev/null; then
		FIXTURE_WHY="useradd is missing (package passwd)"
		return 1
	fi
	if ! getent group "$WARD_TEST_UID" >/dev/null; then
		groupadd -g "$WARD_TEST_UID" "$WARD_TEST_USER" || {
			FIXTURE_WHY="groupadd failed"
			return 1
		}
		tap_cleanup groupdel "$WARD_TEST_USER"
	fi
	useradd -u "$WARD_TEST_UID" -g "$WARD_TEST_UID" -M -N \
		-d /nonexistent -s /usr/sbin/nologin "$WARD_TEST_USER" || {
		FIXTURE_WHY="useradd failed"
		return 1
	}
	# registered after groupdel, so it runs first
	tap_cleanup userdel "$WARD_TEST_USER"
	return 0
}

# The prefix that runs a command as the test user with no supplementary
# groups.
fixture_user_prefix() {
	WARD_PREFIX=(setpriv "--reuid=$WARD_TEST_UID" "--regid=$WARD_TEST_UID"
		--clear-groups --)
}

# fixture_user_bins: copy ward and the probe into a directory the test user
# can read (mode 755); sets WARD_U and PROBE_U.
fixture_user_bins() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/ward-bin.XXXXXX") || return 1
	tap_cleanup rm -rf "$d"
	chmod 755 "$d"
	install -m 755 "$WARD" "$d/ward" || return 1
	install -m 755 "$PROBE" "$d/probe" || return 1
	WARD_U=$d/ward
	PROBE_U=$d/probe
}

# fixture_rootfs VAR: build a busybox root in a new directory (mode 755) and
# store its path in VAR.  Layout: bin/ (busybox and its applets as symlinks to
# /bin/busybox), etc/passwd and etc/group (root, nobody 65534, app 10001),
# empty mount points (proc dev tmp run sys home/app data), and /probe.
fixture_rootfs() {
	local r var=$1
	if [ ! -x /bin/busybox ]; then
		echo "fixture_rootfs: /bin/busybox missing (package busybox-static)" >&2
		return 1
	fi
	r=$(mktemp -d "${TMPDIR:-/tmp}/ward-rootfs.XXXXXX") || return 1
	tap_cleanup rm -rf "$r"
	chmod 755 "$r"
	mkdir -p "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/etc" \
		"$r/proc" "$r/dev" "$r/tmp" "$r/run" "$r/sys" "$r/home/app" "$r/data" \
		"$r/root" || return 1
	chmod 1777 "$r/tmp"
	cp /bin/busybox "$r/bin/busybox" || return 1
	# The applet links point to busybox's own absolute path as the host
	# sees it (/usr/bin/busybox on merged-/usr systems); put a copy there
	# in the tree so that they resolve once the tree is the root.
	/bin/busybox --install -s "$r/bin" || return 1
	local target
	target=$(readlink "$r/bin/sh") || return 1
	case $target in
	/*) [ -e "$r$target" ] || install -D -m 755 /bin/busybox "$r$target" || return 1 ;;
	esac
	cat >"$r/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		nobody:x:65534:65534:nobody:/nonexistent:/bin/false
		app:x:10001:10001:app:/home/app:/bin/sh
	EOF
	cat >"$r/etc/group" <<-'EOF'
		root:x:0:
		nogroup:x:65534:
		app:x:10001:
	EOF
	echo "ward-rootfs" >"$r/etc/hostname"
	echo "busybox rootfs for ward tests" >"$r/ROOTFS-MARKER"
	install -m 755 "${FIXTURE_PROBE:-$PROBE}" "$r/probe" || return 1
	printf -v "$var" '%s' "$r"
}

# fixture_dir VAR [MODE]: a new empty directory (default mode 755), removed
# at exit; its path goes to VAR.
fixture_dir() {
	local d var=$1
	d=$(mktemp -d "${TMPDIR:-/tmp}/ward-data.XXXXXX") || return 1
	tap_cleanup rm -rf "$d"
	chmod "${2:-755}" "$d"
	printf -v "$var" '%s' "$d"
}

# fixture_trusted_dir VAR: a new directory (mode 755, owned by root) whose
# every parent from / is owned by root and writable by neither group nor
# others, as ward requires of root's profile search path: under /run.
# Removed at exit; its path goes to VAR.  Needs root.  Returns non-zero
# (with a reason in FIXTURE_WHY) on failure.
fixture_trusted_dir() {
	local d p var=$1
	FIXTURE_WHY=""
	if [ "$(id -u)" != 0 ]; then
		FIXTURE_WHY="a directory only root controls needs root"
		return 1
	fi
	for p in / /run; do
		if [ -L "$p" ] || [ ! -d "$p" ] || [ "$(stat -c %u "$p")" != 0 ] ||
			[ $((8#$(stat -c %a "$p") & 8#22)) != 0 ]; then
			FIXTURE_WHY="$p is not a directory owned by root and writable by root alone"
			return 1
		fi
	done
	d=$(mktemp -d /run/ward-test.XXXXXX) || {
		FIXTURE_WHY="mktemp -d /run/ward-test.XXXXXX failed"
		return 1
	}
	tap_cleanup rm -rf "$d"
	chmod 755 "$d"
	printf -v "$var" '%s' "$d"
}
