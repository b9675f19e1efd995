#!/bin/bash
# Networking: --net none, loopback and veth seen from inside; a veth
# sandbox serving HTTP to the outside, and its interfaces gone after a
# normal exit and after kill -9 of ward; Landlock TCP port rules; the
# plan-time refusals; ward check and explain.
#
# Everything that creates interfaces runs in a network namespace this test
# creates first: it plays the host, so no packet and no interface ever
# touches the machine's own network.  Root only.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (creates a network namespace and veth pairs)"
tap_require_userns
for tool in nsenter unshare ip curl setpriv; do
	command -v "$tool" >/dev/null || skip_all "$tool is missing"
done
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "$PY is missing (package python3)"

# ---- none and loopback ---------------------------------------------------------

probe_in --net loopback -- netifs
expect_out_match "--net loopback: lo is up, and there is nothing else" '^lo:UP,LOOPBACK(,RUNNING)?$'
probe_in -- netifs
expect_out_match "the default is loopback: lo up, nothing else" '^lo:UP,LOOPBACK(,RUNNING)?$'
probe_in --net none -- netifs
if [ "$RC" = 0 ] && [ "$OUT" = "lo:LOOPBACK" ]; then
	ok "--net none: no interface up, not even lo"
else
	not_ok "--net none: no interface up, not even lo" "$(last_run)"
fi

# ---- the outer namespace (the test's "host") -----------------------------------

unshare -n sleep 600 &
HOLDER=$!
disown "$HOLDER" # killed at exit: no job-control notice
tap_cleanup kill -KILL "$HOLDER"
for _ in $(seq 100); do
	[ "$(readlink "/proc/$HOLDER/ns/net")" != "$(readlink /proc/self/ns/net)" ] && break
	sleep 0.02
done
[ "$(readlink "/proc/$HOLDER/ns/net")" != "$(readlink /proc/self/ns/net)" ] ||
	skip_all "unshare -n did not create a network namespace"
outer() { nsenter -t "$HOLDER" -n -- "$@"; }
outer ip link set lo up

# The outer namespace's interface names, comma-separated.
outer_links() { outer ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | paste -sd, -; }
# The veth host ends there (ward<PID>), one per line.
ward_links() { outer ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -E '^ward[0-9]+$'; }
# wait_no_ward_links SECS: poll until no ward* interface is left.
wait_no_ward_links() {
	local t=0
	while [ $t -lt $(($1 * 20)) ]; do
		[ -z "$(ward_links)" ] && return 0
		sleep 0.05
		t=$((t + 1))
	done
	return 1
}
# fetch URL: poll for up to 10 s while the server starts.
fetch() {
	local body
	for _ in $(seq 100); do
		if body=$(outer curl -fsS --max-time 1 "$1" 2>/dev/null); then
			printf '%s' "$body"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

expect_eq "the outer namespace starts with lo only" "lo" "$(outer_links)"
WARD_PREFIX=(nsenter -t "$HOLDER" -n --)

# ---- veth, seen from inside ----------------------------------------------------

# shellcheck disable=SC2016 # expanded by the sandbox's shell
run_ward run --net veth:10.213.7.1/30,10.213.7.2 --bind "$PROBE:/probe" -- /bin/sh -c \
	'/probe netifs; /usr/sbin/ip -o -4 addr show dev eth0; /usr/sbin/ip route show default'
expect_out_match "--net veth: lo and eth0 up inside, nothing else" \
	'^lo:UP,LOOPBACK(,RUNNING)? eth0:UP,[A-Z,]+$'
expect_out_match "--net veth: eth0 has the sandbox address" 'eth0 +inet 10\.213\.7\.2/30 '
expect_out_match "--net veth: the default route goes via the host end" \
	'^default via 10\.213\.7\.1 dev eth0'
expect_eq "--net veth: after a normal exit the outer namespace has lo only" "lo" "$(outer_links)"

# ---- veth: HTTP from the sandbox to the outside --------------------------------

fixture_dir WWW
echo "hello from the ward sandbox" >"$WWW/index.html"
chmod 644 "$WWW/index.html"
SERVE=(--bind "$WWW:/srv" -- "$PY" -m http.server 8080 --bind 0.0.0.0 --directory /srv)

ward_bg "$TAP_TMP/http1" run --net veth:10.213.7.1/30,10.213.7.2 "${SERVE[@]}"
body=$(fetch http://10.213.7.2:8080/index.html)
expect_eq "--net veth: the outer namespace fetches the sandbox's HTTP page through the veth" \
	"hello from the ward sandbox" "$body"
expect_match "--net veth: the host end is named ward<PID> while the sandbox runs" \
	'^ward[0-9]+$' "$(ward_links)"
expect_match "--net veth: the host end has the host address" \
	'^[0-9]+: ward[0-9]+ +inet 10\.213\.7\.1/30 ' "$(outer ip -o -4 addr show)"
kill -TERM "$WARD_PID"
wait_bg "$WARD_PID" 10
if [ "$RC" != 124 ] && [ -z "$(ward_links)" ]; then
	ok "--net veth: SIGTERM ends the server; no ward* interface is left when ward returns"
else
	not_ok "--net veth: no ward* interface left after exit" "ward exit status $RC" \
		"interfaces: $(outer_links)" "$(cat "$TAP_TMP/http1.err")"
fi

# Default addresses: 10.200.0.0/16 in /30 slots, slot = ward's pid mod 16384.
# ward_bg's pid is ward's own: nsenter without --fork execs it.
ward_bg "$TAP_TMP/http2" run --net veth "${SERVE[@]}"
slot=$((WARD_PID % 16384))
addr=10.200.$((slot / 64)).$(((slot % 64) * 4 + 2))
body=$(fetch "http://$addr:8080/index.html")
expect_eq "--net veth without addresses: reachable at $addr (derived from ward's pid)" \
	"hello from the ward sandbox" "$body"
expect_match "--net veth without addresses: a ward* host end exists" '^ward[0-9]+$' "$(ward_links)"
kill -KILL "$WARD_PID"
wait "$WARD_PID" 2>/dev/null
# The sandbox's pid 1 dies with ward (PR_SET_PDEATHSIG), its pid and
# network namespaces with it, and the veth pair with its sandbox end: a
# netns cannot go while any process still lives in it, so this also shows
# that nothing of the sandbox survived.
if wait_no_ward_links 3; then
	ok "after kill -9 of ward: the veth pair is gone within 3 s"
else
	not_ok "after kill -9 of ward: the veth pair is gone within 3 s" \
		"interfaces: $(outer_links)" "$(cat "$TAP_TMP/http2.err")"
fi
expect_eq "the outer namespace is back to lo only" "lo" "$(outer_links)"

# ---- Landlock TCP port rules ---------------------------------------------------

probe_in --net veth --tcp-bind 8080 -- bind-tcp 8080
expect_out "--net veth --tcp-bind 8080: port 8080 binds" "ok"
probe_in --net veth --tcp-bind 8080 -- bind-tcp 8081
expect_out "--net veth --tcp-bind 8080: the unlisted port 8081 is EACCES" "errno=EACCES"
probe_in --net veth --tcp-connect 8080 -- connect-tcp 8081
expect_out "--net veth --tcp-connect 8080: connecting to 8081 is EACCES" "errno=EACCES"
probe_in --net veth --tcp-connect 8080 -- connect-tcp 8080
expect_out "--net veth --tcp-connect 8080: 8080 is let through (nobody listens)" \
	"errno=ECONNREFUSED"
# --net host here shares the outer namespace, never the machine's.
probe_in --net host --tcp-bind 8080 -- bind-tcp 8081
expect_out "--net host --tcp-bind 8080: the unlisted port 8081 is EACCES" "errno=EACCES"
probe_in --net host --tcp-bind 8080 -- bind-tcp 8080
expect_out "--net host --tcp-bind 8080: port 8080 binds" "ok"
expect_eq "no ward* interface is left after the port tests" "lo" "$(outer_links)"

# ---- refusals ------------------------------------------------------------------

run_ward run --net veth:10.0.0.1/24,10.0.1.2 -- /bin/true
expect_rc "--net veth with SANDBOXADDR outside HOSTADDR's subnet: refused" 125
expect_match "... saying why" "SANDBOXADDR must be in HOSTADDR's subnet" "$ERR"
run_ward run --net veth:fd00::1/64,fd00::2 -- /bin/true
expect_match "--net veth with IPv6: refused, IPv4 only" "IPv6 is not supported" "$ERR"
run_ward run --mode entrypoint --net veth -- /bin/true
expect_rc "--mode entrypoint --net veth: refused" 125
expect_match "... as needing a network namespace" "--net needs a mount or network namespace" "$ERR"
expect_eq "no ward* interface after the refusals" "lo" "$(outer_links)"

WARD_PREFIX=()
if fixture_test_user && fixture_user_bins; then
	fixture_user_prefix
	WARD_SAVED=$WARD
	WARD=$WARD_U
	run_ward run --net veth -- /bin/true
	expect_rc "rootless --net veth: refused at plan time" 125
	expect_match "... with a clear message" \
		"plan: --net veth needs root \(creating interfaces in the host network namespace\); use --net loopback or host" \
		"$ERR"
	WARD=$WARD_SAVED
	WARD_PREFIX=()
else
	skip "rootless --net veth refusal" "$FIXTURE_WHY"
fi

# ---- ward check and explain ----------------------------------------------------

run_ward check --net veth
expect_out_match "check --net veth: its own row" \
	'^net +RISK +0\.5 +own network namespace reached through a veth'
run_ward check --net host
expect_out_match "check --net host: the fix names tcp-bind" '^ +fix: .*tcp-bind/tcp-connect PORTS'
run_ward check --net host --tcp-bind 8080
expect_out_match "check --net host --tcp-bind 8080: bind limited to 1 port" \
	'^ports\.bind +ok .*limited to 1 TCP port'
run_ward explain --net veth:10.213.7.1/30,10.213.7.2 -- /bin/true
expect_out_match "explain --net veth: the veth step" 'create a veth pair \(host end ward<PID>, eth0 inside\)'

tap_done
