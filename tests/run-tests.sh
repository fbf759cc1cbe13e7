#!/bin/bash
# Runs every unit test (cmocka) and integration script, then prints one
# summary line "N passed, N failed".  Exit status 1 when anything failed.
# --unit: the unit tests only (no root needed: a package build runs them).
set -u
unit_only=no
[ "${1:-}" = --unit ] && unit_only=yes
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD SANITIZE=${SANITIZE:-0}
export SF_ROOT=$PWD
passed=0
failed=0
failed_names=()

count_cmocka() { # $1 = output file, $2 = exit status, $3 = name
	local p f
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$1" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$1" | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed before a summary
	passed=$((passed + p)); failed=$((failed + f))
	[ "$f" -eq 0 ] || failed_names+=("$3")
}

count_tap() { # $1 = output file, $2 = exit status, $3 = name
	local p f
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # died without saying why
	passed=$((passed + p)); failed=$((failed + f))
	[ "$f" -eq 0 ] || failed_names+=("$3")
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	echo "== unit: $(basename "$t")"
	"$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	count_cmocka "$out" "$rc" "$(basename "$t")"
done

for t in tests/integration/*.sh; do
	[ -f "$t" ] && [ "$unit_only" = no ] || continue
	echo "== integration: $(basename "$t")"
	bash "$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	count_tap "$out" "$rc" "$(basename "$t")"
done

if [ "${#failed_names[@]}" -gt 0 ]; then
	echo "failing: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
