#!/bin/bash
# Exit status propagation, ward's own exit codes for exec failures, the
# pid-1 init (reaping, signal forwarding), and teardown when ward dies.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns

# ---- exit status ---------------------------------------------------------------

for n in 0 1 42 255; do
	probe_in -- exit "$n"
	expect_rc "exit $n is propagated" "$n"
done

for s in 9:137 15:143 6:134 10:138; do
	probe_in -- kill-self "${s%%:*}"
	expect_rc "death by signal ${s%%:*} gives ${s#*:}" "${s#*:}"
done

run_ward run --bind "$PROBE:/probe" -- /nonexistent-ward-cmd
expect_rc "command not found inside the sandbox: 127" 127
run_ward run -- ward-no-such-command-on-path
expect_rc "command not found on PATH: 127" 127

fixture_dir FILES 755 || skip_all "cannot create a directory"
printf '#!/bin/sh\necho hi\n' >"$FILES/noexec"
chmod 644 "$FILES/noexec"
run_ward run --bind "$FILES/noexec:/noexec" -- /noexec
expect_rc "not executable: 126" 126

printf '#!/bin/sh\necho script-ran\n' >"$FILES/script"
chmod 755 "$FILES/script"
run_ward run --bind "$FILES/script:/script" -- /script
expect_out "a #! script runs" "script-ran"

# ---- pid 1 -----------------------------------------------------------------------

probe_in -- pid
expect_out_match "default: the program runs under ward's pid-1 init" \
	'^pid=([2-9]|[1-9][0-9]+) ppid=1$'
probe_in --init yes -- pid
expect_out_match "--init yes: the program runs under ward's pid-1 init" \
	'^pid=([2-9]|[1-9][0-9]+) ppid=1$'
probe_in --init no -- pid
expect_out "--init no: the program is pid 1" "pid=1 ppid=0"

probe_in -- zombie-test 5
expect_out "orphaned zombies are reaped by init" "zombies=0"
run_ward run --bind "$PROBE:/probe" -- /bin/sh -c '/probe zombies 5 && /probe zombie-check'
expect_out "zombies left by an exited parent are reaped" "spawned=5
zombies=0"
# Negative control: without ward's init nobody reaps them, so the check
# above can see zombies.
probe_in --init no -- zombie-test 5
expect_out "--init no: the probe (pid 1) does not reap: 5 zombies seen" "zombies=5"

# ---- signal forwarding -----------------------------------------------------------

# ward_bg_sig: like ward_bg, with every signal at its default disposition
# (bash starts background jobs with SIGINT and SIGQUIT ignored).
for sig in TERM INT HUP QUIT USR1 USR2 WINCH; do
	out=$TAP_TMP/signal.$sig
	WARD_PREFIX=(env --default-signal)
	ward_bg "$out" run --bind "$PROBE:/probe" -- /probe wait-signal
	WARD_PREFIX=()
	if ! wait_for_line "$out" '^ready$' 10; then
		kill -KILL "$WARD_PID" 2>/dev/null
		wait_bg "$WARD_PID" 5
		OUT=$(cat "$out") ERR=$(cat "$out.err")
		not_ok "SIG$sig is forwarded" "the probe never printed ready" "$(last_run)"
		continue
	fi
	kill -"$sig" "$WARD_PID"
	wait_bg "$WARD_PID" 5
	OUT=$(cat "$out") ERR=$(cat "$out.err")
	if [ "$RC" = 0 ] && [ "$OUT" = "ready
signal=SIG$sig" ]; then
		ok "SIG$sig sent to ward reaches the program (exit 0)"
	else
		not_ok "SIG$sig sent to ward reaches the program" \
			"expected: stdout 'ready, signal=SIG$sig', exit 0" "$(last_run)"
	fi
done

# ---- teardown --------------------------------------------------------------------

# sandbox_pids SECS: host pids of "/probe orphan-sleep SECS" processes.
sandbox_pids() {
	pgrep -f "^/probe orphan-sleep $1\$" | paste -sd' ' -
}

# teardown_case SIGNAL: start a probe whose child escaped into its own
# session and ignores SIGTERM/SIGHUP/SIGINT, kill ward with SIGNAL, and
# expect every sandbox process to be gone within 2 s.
teardown_case() {
	local sig=$1 secs=$((3000 + RANDOM % 5000)) pids left t
	local out=$TAP_TMP/teardown.$sig
	local desc="ward killed with SIG$sig: every sandbox process is gone within 2s"
	WARD_PREFIX=(env --default-signal)
	ward_bg "$out" run --bind "$PROBE:/probe" -- /probe orphan-sleep "$secs"
	WARD_PREFIX=()
	if ! wait_for_line "$out" '^sleeper=[0-9]+$' 10; then
		kill -KILL "$WARD_PID" 2>/dev/null
		wait_bg "$WARD_PID" 5
		OUT=$(cat "$out") ERR=$(cat "$out.err")
		not_ok "$desc" "the sleeper never started" "$(last_run)"
		return
	fi
	pids=$(sandbox_pids "$secs")
	local p
	for p in $pids; do
		tap_cleanup kill -KILL "$p"
	done
	if [ "$(wc -w <<<"$pids")" != 2 ]; then
		not_ok "$desc" "expected 2 host processes '/probe orphan-sleep $secs', found: '$pids'"
		kill -KILL "$WARD_PID"
		wait_bg "$WARD_PID" 5
		return
	fi
	kill -"$sig" "$WARD_PID"
	wait_bg "$WARD_PID" 5
	for ((t = 0; t < 20; t++)); do
		left=$(sandbox_pids "$secs")
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -z "$left" ]; then
		ok "$desc"
	else
		OUT=$(cat "$out") ERR=$(cat "$out.err")
		not_ok "$desc" "still running on the host: $left (of $pids)" \
			"$(ps -o pid,ppid,stat,comm,args -p "${left// /,}" 2>&1)" "$(last_run)"
	fi
}

teardown_case KILL
teardown_case TERM

# ---- init-signals group: the program's whole process group gets the signal --------

# group: the shell waits for its child on SIGTERM (so the sandbox's init,
# which ends with the shell, cannot cut the child short); child: the
# shell dies of it at once, and the background child never hears of it.
signal_case() { # child|group
	local out="$TAP_TMP/sig-$1" script='/opt/p/probe wait-signal & wait'
	[ "$1" = group ] && script="trap 'wait; exit 143' TERM; $script"
	ward_bg "$out" run --bind "$(dirname "$PROBE"):/opt/p" --init-signals "$1" -- \
		/bin/sh -c "$script"
	wait_for_line "$out" '^ready$' 5
	sleep 0.2
	kill -TERM "$WARD_PID"
	wait_bg "$WARD_PID" 5
	OUT=$(cat "$out") ERR=$(cat "$out.err")
}
signal_case group
if [ "$RC" = 143 ] && grep -q '^signal=SIGTERM$' <<<"$OUT"; then
	ok "--init-signals group: SIGTERM reaches the shell's background child too (tini -g)"
else
	not_ok "--init-signals group: the whole group is signalled" "rc=$RC out=$OUT err=$ERR"
fi
signal_case child
if [ "$RC" = 143 ] && ! grep -q '^signal=' <<<"$OUT"; then
	ok "--init-signals child (default): only the program gets it"
else
	not_ok "--init-signals child: only the program gets it" "rc=$RC out=$OUT"
fi

# ---- the return: nothing of the sandbox outlives it --------------------------------

# The init tells ward the program's code at once when it is the last
# process; a program that leaves a background process behind makes ward
# wait for the sandbox's end, so none is left when ward returns.
secs=$((3000 + RANDOM % 5000))
run_ward run --bind "$(dirname "$PROBE"):/opt/p" -- /bin/sh -c "/opt/p/probe sleep $secs & exit 5"
left=$(pgrep -f "^/opt/p/probe sleep $secs\$" | paste -sd' ' -)
for p in $left; do tap_cleanup kill -KILL "$p"; done
if [ "$RC" = 5 ] && [ -z "$left" ]; then
	ok "a background process left by the program is gone when ward returns (exit 5)"
else
	not_ok "a background process left by the program is gone when ward returns" \
		"rc=$RC (expected 5), still running: '$left'" "$(last_run)"
fi
run_ward run --bind "$(dirname "$PROBE"):/opt/p" -- /bin/sh -c "exit 6"
expect_rc "... and a program that leaves nothing: its exit code (6)" 6

tap_done
