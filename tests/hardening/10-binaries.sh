#!/bin/bash
# Both builds of ward are hardened alike, as read from the files with
# readelf: a position-independent executable (ELF type DYN, flagged PIE,
# so the kernel loads it at a random address), full RELRO (a GNU_RELRO
# segment, and BIND_NOW so that everything under it is final before
# main), and a stack that is not executable.  The static build must also
# stay static (no program interpreter, no shared library) and start.
#
#	WARD_STATIC=build/ward-static tests/lib/run-integration.sh \
#		build/ward build/probe tests/hardening/10-binaries.sh
#
# (make hardening-check).  A missing WARD_STATIC or readelf is a failure,
# never a skip: this file exists to look at both binaries.
here=$(cd "$(dirname "$0")" && pwd)
# tap.sh changes to /: a relative path is taken from here first.
case ${WARD_STATIC:-} in
"" | /*) ;;
*) WARD_STATIC=$PWD/$WARD_STATIC ;;
esac
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"

if ! command -v readelf >/dev/null; then
	not_ok "readelf is installed (binutils)"
	tap_done
fi
if [ -z "${WARD_STATIC:-}" ] || [ ! -x "$WARD_STATIC" ]; then
	not_ok "the static build is given" \
		"WARD_STATIC='${WARD_STATIC:-}' is not an executable: run make hardening-check"
	tap_done
fi

# check_hardened NAME FILE: one TAP line per property.  Sets HDR, PHDRS
# and DYN to readelf's file header, program headers and dynamic section.
check_hardened() {
	local name=$1 file=$2
	HDR=$(readelf -hW "$file" 2>&1)
	PHDRS=$(readelf -lW "$file" 2>&1)
	DYN=$(readelf -dW "$file" 2>&1)
	expect_match "$name: ELF type DYN (position-independent)" \
		'^ *Type: +DYN ' "$HDR"
	expect_match "$name: flagged PIE in FLAGS_1" \
		'\(FLAGS_1\) +Flags:.* PIE( |$)' "$DYN"
	expect_match "$name: a GNU_RELRO segment" '^ *GNU_RELRO ' "$PHDRS"
	expect_match "$name: BIND_NOW (full RELRO)" \
		'\(FLAGS\) +.*BIND_NOW|\(BIND_NOW\)|\(FLAGS_1\) +Flags:.* NOW( |$)' "$DYN"
	expect_match "$name: the stack is not executable" \
		'^ *GNU_STACK +(0x[0-9a-f]+ +){5}RW +0x' "$PHDRS"
}

check_hardened "dynamic build $(basename "$WARD")" "$WARD"

check_hardened "static build $(basename "$WARD_STATIC")" "$WARD_STATIC"
expect_no_match "static build: no program interpreter" '^ *INTERP ' "$PHDRS"
expect_no_match "static build: no shared library needed" '\(NEEDED\)' "$DYN"
# A static PIE relocates itself before main: that it gets as far as
# printing its version shows it did.
run_cmd "$WARD_STATIC" --version
expect_out_match "static build: starts (relocates itself)" '^ward [0-9]'

tap_done
