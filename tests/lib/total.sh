#!/bin/sh
# Sum the suites' "passed failed skipped" lines into the closing line.
[ -s "$1" ] || { echo "ward: check: no suite reported results" >&2; exit 1; }
awk '{p += $1; f += $2; s += $3}
     END {printf "total: %d passed, %d failed", p, f; if (s) printf ", %d skipped", s; print ""; exit f > 0}' "$1"
