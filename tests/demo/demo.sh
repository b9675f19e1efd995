#!/bin/sh
# The teaching demo: the same shell commands, once as they run on the
# host and once under `ward run`, so the difference is visible.
set -u
WARD=${1:-build/ward}

look() {
	id
	grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status
	if touch /etc/ward-demo-probe 2>/dev/null; then
		echo "write /etc: allowed"; rm -f /etc/ward-demo-probe
	else
		echo "write /etc: refused"
	fi
	if unshare -U true 2>/dev/null; then echo "new namespaces: allowed"; else echo "new namespaces: refused"; fi
	echo "network interfaces: $(ls /sys/class/net 2>/dev/null | tr '\n' ' ' || true)$(awk 'NR>2{sub(":","",$1); printf "%s ", $1}' /proc/net/dev)"
	echo "hostname: $(hostname)"
	echo "processes visible: $(ls -d /proc/[0-9]* | wc -l)"
}

section() { printf '\n=== %s ===\n' "$1"; }

section "1. a shell as you started it"
look

section "2. the same shell under: ward run -- sh"
"$WARD" run -- /bin/sh -c "$(command -v look >/dev/null; sed -n '/^look() {/,/^}/p' "$0"); look"
status=$?

section "3. what each layer did (ward run -v)"
"$WARD" run -v -- /bin/true

section "4. ward's exit codes"
"$WARD" exit-codes
exit $status
