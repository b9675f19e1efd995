#!/bin/bash
# Replay the stored fuzz corpora through the replay builds of the fuzzers.
#
#	tests/lib/run-fuzz-replay.sh BUILD/fuzz/fuzz_X-replay...
#
# For BUILD/fuzz/fuzz_X-replay the corpus is tests/fuzz/corpus/fuzz_X/; a
# missing or empty corpus directory is a failure.  Each corpus file is
# replayed in its own process (the replay main() takes file arguments), so
# a crash names its input.  Ends with "N passed, N failed" counting inputs;
# exits non-zero on any failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
TIMEOUT=${WARD_FUZZ_TIMEOUT:-30}

passed=0
failed=0
failures=()

for bin in "$@"; do
	base=$(basename "$bin")
	name=${base%-replay}
	corpus=$top/tests/fuzz/corpus/$name
	echo "# $base: $corpus"
	if [ ! -x "$bin" ]; then
		failed=$((failed + 1))
		failures+=("$base: not found or not executable: $bin")
		continue
	fi
	if [ ! -d "$corpus" ]; then
		failed=$((failed + 1))
		failures+=("$base: corpus directory missing: tests/fuzz/corpus/$name/")
		continue
	fi
	n=0
	while IFS= read -r -d '' input; do
		n=$((n + 1))
		if out=$(timeout -k 5 "$TIMEOUT" "$bin" "$input" </dev/null 2>&1); then
			passed=$((passed + 1))
		else
			rc=$?
			failed=$((failed + 1))
			failures+=("$base: ${input#"$top"/}: exit status $rc")
			printf '%s\n' "$out" | tail -n 20 | sed 's/^/#   /'
		fi
	done < <(find "$corpus" -type f -print0 | sort -z)
	if [ "$n" = 0 ]; then
		failed=$((failed + 1))
		failures+=("$base: corpus directory is empty: tests/fuzz/corpus/$name/")
	else
		echo "# $base: replayed $n inputs"
	fi
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
