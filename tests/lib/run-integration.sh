#!/bin/bash
# Run every tests/integration/*.sh against a ward binary and a probe, sum
# their TAP results and end with "N passed, N failed[, N skipped]".
#
#	tests/lib/run-integration.sh BUILD/ward BUILD/probe [TEST.sh...]
#
# Each test file is a TAP producer.  Counted as a failure: a "not ok" line,
# a missing or wrong plan, a non-zero exit without a "not ok", a timeout.
# A file that exits 77 after "1..0 # SKIP reason" is one skip.
set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 WARD PROBE [TEST.sh...]" >&2
	exit 2
fi

abs() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PWD/$1" ;;
	esac
}

WARD=$(abs "$1")
PROBE=$(abs "$2")
shift 2
export WARD PROBE
# ward's seccomp filter cache goes to a private directory, removed at the
# end, not to the machine's /var/cache/ward.
WARD_CACHE_DIR=$(mktemp -d /tmp/ward-it-cache.XXXXXX)
export WARD_CACHE_DIR
trap 'rm -rf "$WARD_CACHE_DIR"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# The whole suite must stay under 7 minutes even when ward hangs: each file
# gets what is left of the budget.
SUITE_BUDGET=${WARD_SUITE_BUDGET:-420}

if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do
		tests+=("$(abs "$t")")
	done
else
	tests=("$top"/tests/integration/*.sh)
fi

passed=0
failed=0
skipped=0
failures=()
start=$(date +%s)

for t in "${tests[@]}"; do
	[ -e "$t" ] || { echo "$0: no test files found" >&2; exit 1; }
	name=${t#"$top"/}
	echo "# $name"
	t0=$(date +%s)
	FILE_TIMEOUT=$((SUITE_BUDGET - (t0 - start)))
	if [ "$FILE_TIMEOUT" -lt 5 ]; then
		failed=$((failed + 1))
		failures+=("$name: not run, the suite's ${SUITE_BUDGET}s budget is spent")
		continue
	fi
	log=$(mktemp)
	timeout -k 5 "$FILE_TIMEOUT" bash "$t" </dev/null 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	t1=$(date +%s)
	p=0 f=0 s=0 plan="" nlines=0
	while IFS= read -r line; do
		case $line in
		"not ok "*)
			f=$((f + 1))
			nlines=$((nlines + 1))
			failures+=("$name: ${line#not ok }")
			;;
		"ok "*)
			nlines=$((nlines + 1))
			shopt -s nocasematch
			if [[ $line =~ \#\ *SKIP ]]; then
				s=$((s + 1))
			else
				p=$((p + 1))
			fi
			shopt -u nocasematch
			;;
		1..*)
			plan=${line#1..}
			plan=${plan%% *}
			;;
		esac
	done <"$log"
	if [ "$rc" = 77 ] && [ "$plan" = 0 ] && grep -Eq '^1\.\.0 # SKIP .+' "$log"; then
		s=$((s + 1))
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		f=$((f + 1))
		failures+=("$name: timed out after ${FILE_TIMEOUT}s")
	elif [ -z "$plan" ]; then
		f=$((f + 1))
		failures+=("$name: no plan (the script died early?), exit status $rc")
	elif [ "$plan" != "$nlines" ]; then
		f=$((f + 1))
		failures+=("$name: planned $plan tests, ran $nlines")
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=$((f + 1))
		failures+=("$name: exit status $rc without a failing test")
	fi
	rm -f "$log"
	echo "# $name: $p passed, $f failed, $s skipped ($((t1 - t0))s)"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
done

echo "# integration suite took $(($(date +%s) - start))s"
if [ ${#failures[@]} -gt 0 ]; then
	echo "# failures:"
	for x in "${failures[@]}"; do
		echo "#   $x"
	done
fi
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ -n "${WARD_RESULTS:-}" ] && echo "$passed $failed $skipped" >>"$WARD_RESULTS"
[ "$failed" -eq 0 ]
