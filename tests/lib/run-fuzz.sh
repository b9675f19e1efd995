#!/bin/bash
# make fuzz: every fuzz target under libFuzzer for FUZZ_SECONDS each
# (default 60), clang with ASan+UBSan, ward's code instrumented for
# coverage.  New inputs land in a scratch corpus; crashes are kept in
# build-fuzz/crashes/ and fail the run (add them to tests/fuzz/corpus/<target>
# once fixed).  Prints executions and coverage per target.
#
#	tests/lib/run-fuzz.sh [TARGET...]       (e.g. fuzz_profile)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-$(nproc)}
B=$top/build-fuzz
FLAGS='-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all'

command -v clang >/dev/null || { echo "run-fuzz: needs clang (apt-get install clang)" >&2; exit 2; }
make -s -C "$top" CC=clang BUILD="$B" OPT="$FLAGS" HARDEN='-fPIE' \
	"$B/libward.a" >"$B.log" 2>&1 || { cat "$B.log"; exit 1; }
libs=$(pkg-config --libs libcap-ng libseccomp libmnl json-c libarchive)
cflags=$(pkg-config --cflags json-c)
mkdir -p "$B/bin" "$B/crashes" "$B/corpus"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || for f in "$top"/tests/fuzz/fuzz_*.c; do
	t=${f##*/}; targets+=("${t%.c}")
done
fail=0
for t in "${targets[@]}"; do
	# shellcheck disable=SC2086 # word lists
	clang -std=gnu11 $FLAGS -fsanitize=fuzzer -I"$top/src" $cflags \
		"$top/tests/fuzz/$t.c" "$B/libward.a" $libs -o "$B/bin/$t" || { fail=1; continue; }
	mkdir -p "$B/corpus/$t"
	dict=()
	[ -f "$top/tests/fuzz/$t.dict" ] && dict=(-dict="$top/tests/fuzz/$t.dict")
	log="$B/$t.log"
	(cd "$B/crashes" && "$B/bin/$t" -max_total_time="$secs" -jobs="$jobs" -workers="$jobs" \
		-print_final_stats=1 "${dict[@]}" "$B/corpus/$t" "$top/tests/fuzz/corpus/$t" \
		>"$log" 2>&1)
	execs=$(grep -h 'stat::number_of_executed_units' "$B"/crashes/fuzz-*.log "$log" 2>/dev/null |
		awk '{ s += $2 } END { print s + 0 }')
	cov=$(grep -ho 'cov: [0-9]*' "$B"/crashes/fuzz-*.log "$log" 2>/dev/null | awk '{ print $2 }' | sort -n | tail -1)
	crashes=$(find "$B/crashes" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' -o -maxdepth 1 -name 'timeout-*' | wc -l)
	rm -f "$B"/crashes/fuzz-*.log
	echo "$t: ${secs}s x $jobs jobs, $execs executions, coverage ${cov:-?} edges, crashes so far: $crashes"
	[ "$crashes" = 0 ] || fail=1
done
exit $fail
