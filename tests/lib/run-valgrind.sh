#!/bin/bash
# Run cmocka unit test binaries under valgrind's memcheck.
#
#	tests/lib/run-valgrind.sh BIN...
#
# Each binary runs as
#   valgrind -q --error-exitcode=99 --leak-check=full
#            --errors-for-leak-kinds=definite,indirect BIN
# through run-unit.sh, which does the counting: any memcheck error or
# definite/indirect leak makes valgrind exit 99, which counts as a
# failure of that binary.  Ends with "N passed, N failed"; with
# WARD_RESULTS set, appends "PASSED FAILED SKIPPED" to it.
#
# valgrind 3.19 implements neither seccomp(2) nor openat2(2).  The tests
# see WARD_UNDER_VALGRIND=1 and skip (cmocka's skip()) each case that
# needs one of them, printing "skipped under valgrind: WHY"; the skipped
# cases are listed with their reasons before the closing line.  See
# tests/unit/under_valgrind.h.
set -u

here=$(cd "$(dirname "$0")" && pwd)
VALGRIND=${VALGRIND:-valgrind}

if ! command -v "$VALGRIND" >/dev/null 2>&1; then
	echo "# run-valgrind: $VALGRIND not found (apt-get install valgrind)"
	echo "0 passed, 1 failed"
	[ -n "${WARD_RESULTS:-}" ] && echo "0 1 0" >>"$WARD_RESULTS"
	exit 1
fi

echo "# $("$VALGRIND" --version) memcheck; WARD_UNDER_VALGRIND=1: cases that"
echo "# need seccomp(2) or openat2(2), which valgrind does not implement, skip"
export WARD_UNDER_VALGRIND=1
export WARD_UNIT_WRAPPER="$VALGRIND -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
# memcheck runs the tests some 20-50 times slower
export WARD_UNIT_TIMEOUT=${WARD_UNIT_TIMEOUT:-900}
exec "$here/run-unit.sh" "$@"
