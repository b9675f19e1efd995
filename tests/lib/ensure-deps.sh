#!/bin/sh
# Install the Debian packages ward needs to build and test, or print the
# exact command when not root.
missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
	case "$status" in
	*"ok installed"*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "ward: deps: missing packages:$missing" >&2
	echo "ward: deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "ward: deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || { echo "ward: deps: apt-get update failed" >&2; exit 1; }
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "ward: deps: apt-get install$missing failed" >&2; exit 1; }
