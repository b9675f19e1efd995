#!/bin/bash
# Run cmocka unit test binaries and sum their results.
#
#	tests/lib/run-unit.sh BIN...
#
# Parses cmocka's summary lines "[  PASSED  ] N test(s).",
# "[  FAILED  ] N test(s), listed below:" and "[  SKIPPED ] N test(s),
# listed below:".  A binary that exits non-zero without a FAILED summary
# (a crash, a sanitizer or valgrind report) counts as one failure.
# Skipped cases are listed with the reason the case printed just before
# skipping ("skipped...: WHY"), if any.  Ends with "N passed, N failed";
# exits non-zero on any failure.  With WARD_RESULTS set, appends
# "PASSED FAILED SKIPPED" to that file (see total.sh).
#
# WARD_UNIT_WRAPPER, if set, is a command prefix each binary runs under
# (words split on blanks, no quoting): tests/lib/run-valgrind.sh sets it,
# with --error-exitcode=99, so exit status 99 under a wrapper is read as
# the wrapper's error report.
# WARD_UNIT_TIMEOUT is the per-binary timeout in seconds (default 120).
set -u

passed=0
failed=0
skipped=0
failures=()
skips=()
TIMEOUT=${WARD_UNIT_TIMEOUT:-120}
# No filter cache on the machine (test_seccomp_cache sets its own).
export WARD_CACHE_DIR=off
read -r -a wrapper <<<"${WARD_UNIT_WRAPPER:-}"

# The skipped cases of one log, one line per binary and reason:
# "NAME: all N cases: WHY" or "NAME: WHY: case case...".
list_skips() {
	awk -v bin="$1" '
	/^\[==========\] Running [0-9]+ test\(s\)\./ { total += $3 }
	/^\[ RUN      \] / { cur = $4 }
	/^skipped[^:]*: / { why[cur] = substr($0, index($0, ": ") + 2) }
	/^\[  SKIPPED \] [^ ]+$/ {
		t = $4
		if (t in seen) next
		seen[t] = 1
		w = (t in why) ? why[t] : "(no reason printed)"
		if (!(w in cases)) order[n++] = w
		cases[w] = cases[w] " " t
		count[w]++
		all++
	}
	END {
		for (i = 0; i < n; i++) {
			w = order[i]
			if (n == 1 && all == total)
				printf "%s: all %d cases: %s\n", bin, all, w
			else
				printf "%s: %s:%s\n", bin, w, cases[w]
		}
	}' "$2"
}

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
		timeout -k 5 "$TIMEOUT" ${wrapper[@]+"${wrapper[@]}"} "$bin" \
		</dev/null 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test\(s\)\..*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test\(s\).*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	s=$(sed -nE 's/^\[  SKIPPED \] ([0-9]+) test\(s\).*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if ! grep -Eq '^\[  (PASSED|FAILED)  \] [0-9]+ test\(s\)' "$log"; then
		f=$((f + 1))
		failures+=("$name: no cmocka summary (exit status $rc)")
	elif [ "$rc" = 99 ] && [ ${#wrapper[@]} -gt 0 ] && [ "$f" = 0 ]; then
		f=1
		failures+=("$name: ${wrapper[0]##*/} reported errors (exit status 99): see its ==PID== lines above")
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		failures+=("$name: exit status $rc without a failed test (crash or sanitizer report?)")
	elif [ "$f" != 0 ]; then
		while IFS= read -r t; do
			failures+=("$name: $t")
		done < <(sed -nE 's/^\[  FAILED  \] ([^ ]+)$/\1/p' "$log" | sort -u)
	fi
	if [ "$s" != 0 ]; then
		while IFS= read -r t; do
			skips+=("$t")
		done < <(list_skips "$name" "$log")
	fi
	rm -f "$log"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
done

if [ ${#skips[@]} -gt 0 ]; then
	echo "# skipped ($skipped):"
	for x in "${skips[@]}"; do
		echo "#   $x"
	done
fi
if [ ${#failures[@]} -gt 0 ]; then
	echo "# failures:"
	for x in "${failures[@]}"; do
		echo "#   $x"
	done
fi
echo "$passed passed, $failed failed"
[ -n "${WARD_RESULTS:-}" ] && echo "$passed $failed $skipped" >>"$WARD_RESULTS"
[ "$failed" -eq 0 ]
