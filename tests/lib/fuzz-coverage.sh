#!/bin/bash
# make fuzz-coverage: how much of each parser its fuzz corpus reaches, in
# source lines and branches, measured with gcov on the replay builds (gcc
# --coverage, build-cov/).  Two columns per target: the stored corpus
# alone (tests/fuzz/corpus/<target>, what make check replays), then with
# the inputs a fuzzing campaign kept (build-fuzz/corpus/<target>), if any.
# libFuzzer's "edges" count every instrumented module; this table counts
# only the files each target exists to test (PARSER below).
# FUZZ_COVERAGE_UNREACHED=1 also lists the functions no input reached.
#
#	tests/lib/fuzz-coverage.sh [TARGET...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
B=$top/build-cov

# The source files each target is the fuzzer for.
declare -A PARSER=(
	[fuzz_profile]="plan/profile.c"
	[fuzz_plan]="plan/plan.c plan/resolve.c plan/misc.c plan/confine.c plan/secrets.c"
	[fuzz_userdb]="kernel/userdb.c kernel/subid.c"
	[fuzz_netlink_reply]="launch/netlink_msg.c"
	[fuzz_seccomp_policy]="seccomp/policy.c seccomp/groups.c"
	[fuzz_seccomp_docker]="seccomp/docker.c seccomp/docker_json.c seccomp/docker_filter.c seccomp/docker_rules.c"
	[fuzz_seccomp_cache]="seccomp/cache.c"
	[fuzz_secret_spec]="plan/secrets.c"
	[fuzz_image_layers]="image/layers.c image/tree.c"
	[fuzz_mountinfo]="kernel/mountinfo.c"
	[fuzz_image_meta]="image/meta.c image/history.c base/secret_shapes.c"
)

targets=("$@")
[ ${#targets[@]} -gt 0 ] || for f in "$top"/tests/fuzz/fuzz_*.c; do
	t=${f##*/}; targets+=("${t%.c}")
done
for t in "${targets[@]}"; do
	[ -n "${PARSER[$t]:-}" ] || { echo "fuzz-coverage: no PARSER entry for $t" >&2; exit 2; }
	for s in ${PARSER[$t]}; do
		[ -f "$top/src/$s" ] || { echo "fuzz-coverage: $t: src/$s is gone" >&2; exit 2; }
	done
done

bins=()
for t in "${targets[@]}"; do bins+=("$B/fuzz/$t-replay"); done
make -s -C "$top" BUILD="$B" OPT='-O0 -g --coverage' HARDEN='-fPIE' \
	LDFLAGS=--coverage "${bins[@]}" >"$B.log" 2>&1 || { cat "$B.log"; exit 1; }

# measure TARGET DIR...: replay the DIRs, then summarise PARSER's files
measure() {
	local t=$1; shift
	find "$B/obj" -name '*.gcda' -delete
	"$B/fuzz/$t-replay" "$@" >/dev/null 2>&1 </dev/null || return 1
	local s
	for s in ${PARSER[$t]}; do
		s=${s#"$top/src/"}
		(cd "$B/obj" && gcov -i -b -t -o "$B/obj/${s%/*}" "$top/src/$s" 2>/dev/null)
	done | python3 "$here/gcov-summary.py" ${FUZZ_COVERAGE_UNREACHED:+-u} ${PARSER[$t]}
}

status=0
echo "Per target: its parser's functions the corpus reaches, and the lines and"
echo "branches inside those functions it runs; then the whole files' lines."
for t in "${targets[@]}"; do
	seed=$top/tests/fuzz/corpus/$t camp=$top/build-fuzz/corpus/$t
	PARSER[$t]=$(for s in ${PARSER[$t]}; do printf '%s ' "$top/src/$s"; done)
	a=$(measure "$t" "$seed") || { echo "$t: replay of $seed failed" >&2; status=1; continue; }
	printf '%-20s %-9s %s\n' "$t" stored "$a"
	if [ -d "$camp" ] && [ -n "$(ls -A "$camp")" ]; then
		b=$(measure "$t" "$seed" "$camp") || { echo "$t: replay of $camp failed" >&2; status=1; continue; }
		printf '%-20s %-9s %s\n' '' +campaign "$b"
	fi
done
exit $status
