#!/bin/bash
# Run cmocka unit test binaries and sum their results.
#
#	tests/lib/run-unit.sh BIN...
#
# Parses cmocka's summary lines "[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s), listed below:".  A binary that exits non-zero
# without a FAILED summary (a crash, a sanitizer report) counts as one
# failure.  Ends with "N passed, N failed"; exits non-zero on any failure.
set -u

passed=0
failed=0
failures=()
TIMEOUT=${WARD_UNIT_TIMEOUT:-120}

for bin in "$@"; do
	name=$(basename "$bin")
	echo "# $name"
	if [ ! -x "$bin" ]; then
		failed=$((failed + 1))
		failures+=("$name: not found or not executable: $bin")
		continue
	fi
	log=$(mktemp)
	# plain output: the summary lines below are what we parse
	env -u CMOCKA_MESSAGE_OUTPUT -u CMOCKA_TEST_ABORT \
		timeout -k 5 "$TIMEOUT" "$bin" </dev/null 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test\(s\)\..*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test\(s\).*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if ! grep -Eq '^\[  (PASSED|FAILED)  \] [0-9]+ test\(s\)' "$log"; then
		f=$((f + 1))
		failures+=("$name: no cmocka summary (exit status $rc)")
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		failures+=("$name: exit status $rc without a failed test (crash or sanitizer report?)")
	elif [ "$f" != 0 ]; then
		while IFS= read -r t; do
			failures+=("$name: $t")
		done < <(sed -nE 's/^\[  FAILED  \] ([^ ]+)$/\1/p' "$log" | sort -u)
	fi
	rm -f "$log"
	passed=$((passed + p))
	failed=$((failed + f))
done

if [ ${#failures[@]} -gt 0 ]; then
	echo "# failures:"
	for x in "${failures[@]}"; do
		echo "#   $x"
	done
fi
echo "$passed passed, $failed failed"
[ -n "${WARD_RESULTS:-}" ] && echo "$passed $failed 0" >>"$WARD_RESULTS"
[ "$failed" -eq 0 ]
