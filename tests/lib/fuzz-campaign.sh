#!/bin/bash
# make fuzz-campaign: long fuzzing by CPU time rather than wall time.
# Each target runs as one libFuzzer process until it has used
# FUZZ_CPU_SECONDS (default 3600) of CPU, counted over every run: the
# CPU used so far is kept in build-fuzz/campaign.tsv, so a campaign can
# be stopped (or paused with SIGSTOP while benchmarks run) and resumed.
# FUZZ_PARALLEL targets run at once (default 1).  The fuzzers are built
# by run-fuzz.sh; their corpora are build-fuzz/corpus/<target>.  Slow
# units are reported only past 10 minutes: a paused fuzzer's current
# input would otherwise be saved as slow.
#
#	tests/lib/fuzz-campaign.sh [TARGET...]
#	tests/lib/fuzz-campaign.sh --report
#
# --report prints, per target, the CPU time of the ledger and, summed
# over the campaign's logs, the runs, executions and the highest edge
# coverage libFuzzer reported, then the crashes kept.  A run still going
# has a log but no ledger line yet: report after the campaign.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
B=$top/build-fuzz
budget=${FUZZ_CPU_SECONDS:-3600}
parallel=${FUZZ_PARALLEL:-1}
ledger=$B/campaign.tsv
hz=$(getconf CLK_TCK)

spent() {	# spent TARGET: CPU seconds recorded so far
	awk -v t="$1" '$1 == t { s += $2 } END { print s + 0 }' "$ledger"
}

report() {
	local t cpu runs execs cov
	printf '%-22s %9s %5s %13s %6s\n' target 'CPU s' runs executions edges
	for f in "$top"/tests/fuzz/fuzz_*.c; do
		t=${f##*/}; t=${t%.c}
		cpu=$(spent "$t")
		runs=$(find "$B" -maxdepth 1 -name "campaign-$t-*.log" | wc -l)
		execs=$(cat "$B"/campaign-"$t"-*.log 2>/dev/null |
			awk '/stat::number_of_executed_units/ { s += $2 } END { print s + 0 }')
		cov=$(cat "$B"/campaign-"$t"-*.log 2>/dev/null | grep -o 'cov: [0-9]*' |
			awk '$2 > m { m = $2 } END { print m + 0 }')
		printf '%-22s %9s %5s %13s %6s\n' "$t" "$cpu" "$runs" "$execs" "$cov"
	done
	echo "crashes, leaks, timeouts kept: $(find "$B/crashes" -maxdepth 1 \( -name 'crash-*' \
		-o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null | wc -l)"
}

if [ "${1:-}" = --report ]; then
	touch "$ledger" 2>/dev/null || true
	report
	exit 0
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || for f in "$top"/tests/fuzz/fuzz_*.c; do
	t=${f##*/}; targets+=("${t%.c}")
done
# Build every binary (one second of fuzzing each checks they run).
FUZZ_SECONDS=1 FUZZ_JOBS=1 "$here/run-fuzz.sh" "${targets[@]}" >/dev/null || {
	echo "fuzz-campaign: building or smoke-running the fuzzers failed" >&2; exit 1; }
touch "$ledger"

cpu_of() {	# cpu_of PID: utime+stime in seconds of a live process
	awk -v hz="$hz" '{ sub(/^.*\) /, ""); print int(($12 + $13) / hz) }' "/proc/$1/stat" 2>/dev/null
}

run_one() {	# run_one TARGET: fuzz until the ledger reaches the budget
	local t=$1 left pid used=0 log
	left=$(( budget - $(spent "$t") ))
	[ "$left" -gt 0 ] || { echo "$t: budget already spent"; return 0; }
	log=$B/campaign-$t-$(date +%s).log
	mkdir -p "$B/corpus/$t"
	(cd "$B/crashes" && exec "$B/bin/$t" -print_final_stats=1 -report_slow_units=600 \
		${dict:+"$dict"} "$B/corpus/$t" "$top/tests/fuzz/corpus/$t") >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		used=$(cpu_of "$pid"); used=${used:-0}
		[ "$used" -ge "$left" ] && { kill -INT "$pid"; break; }
		sleep 5
	done
	wait "$pid"
	printf '%s\t%s\t%s\n' "$t" "$used" "$(date -u +%FT%TZ)" >>"$ledger"
	echo "$t: $(spent "$t") s CPU in all, $(grep -h 'stat::number_of_executed_units' "$log" | awk '{ print $2 }') executions this run, coverage $(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2) edges, log $log"
}

running=0
for t in "${targets[@]}"; do
	dict=
	[ -f "$top/tests/fuzz/$t.dict" ] && dict=-dict=$top/tests/fuzz/$t.dict
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$parallel" ]; then wait -n; running=$((running - 1)); fi
done
wait
crashes=$(find "$B/crashes" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
echo "fuzz-campaign: crashes found: $crashes (in $B/crashes)"
[ "$crashes" = 0 ]
