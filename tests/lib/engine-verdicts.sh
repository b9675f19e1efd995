# shellcheck shell=bash
# Verdicts of a launch that binds something an engine may listen on: the
# launch runs `/probe write /spool/marker started` with $SPOOL bound at
# /spool, and $MARKER ($SPOOL/marker) tells whether the program ran.
# The probe is ${PROBE_U:-$PROBE} (the test user's copy when set).
# Source after tap.sh, with SPOOL and MARKER set.

# engine_error_line PATTERN: $ERR is one "ward: engine-socket: " line that
# matches PATTERN (ERE), optionally followed by one "ward: hint: " line.
engine_error_line() {
	local first rest
	first=${ERR%%$'\n'*}
	rest=${ERR#"$first"}
	rest=${rest#$'\n'}
	[[ $first == "ward: engine-socket: "* ]] || return 1
	grep -Eq -- "$1" <<<"$first" || return 1
	[ -z "$rest" ] && return 0
	[[ $rest == "ward: hint: "* ]] && [[ $rest != *$'\n'* ]]
}

# refused DESC PATTERN WARD-OPTIONS...: `ward run OPTIONS -- probe write
# marker` (prefixed by WARD_PREFIX) exits 201 with one engine-socket line
# matching PATTERN, and the marker does not appear.
refused() {
	local desc=$1 pattern=$2
	shift 2
	rm -f "$MARKER"
	run_ward run --bind "${PROBE_U:-$PROBE}:/probe" --bind "$SPOOL:/spool:rw" "$@" \
		-- /probe write /spool/marker started
	if [ "$RC" = 201 ] && engine_error_line "$pattern"; then
		ok "$desc: exit 201, one 'ward: engine-socket:' line naming it"
	else
		not_ok "$desc: exit 201, one 'ward: engine-socket:' line naming it" \
			"expected exit 201 and one stderr line 'ward: engine-socket: ...' matching: $pattern" \
			"$(last_run)"
	fi
	if [ ! -e "$MARKER" ]; then
		ok "$desc: nothing started"
	else
		not_ok "$desc: nothing started" "the command ran: $MARKER exists" "$(last_run)"
	fi
}

# started DESC WARD-OPTIONS...: the same launch is accepted and runs.
started() {
	local desc=$1
	shift
	rm -f "$MARKER"
	run_ward run --bind "${PROBE_U:-$PROBE}:/probe" --bind "$SPOOL:/spool:rw" "$@" \
		-- /probe write /spool/marker started
	if [ "$RC" = 0 ] && [ "$(cat "$MARKER" 2>/dev/null)" = started ] &&
		! grep -q 'engine-socket' <<<"$ERR"; then
		ok "$desc"
	else
		not_ok "$desc" "expected exit 0, the marker written, no engine-socket message" \
			"$(last_run)"
	fi
}
