#!/bin/bash
# Kernel truth: every case of tests/policies/kernel-cases.txt, compiled by
# sysfence-compile and run under the real kernel by sf-run (native) and
# by its -m32 build (compat x86), must give the expected result.
. "$(dirname "$0")/../lib.sh"

# SF_KERNEL_CASES: another table of the same format (snapd_conformance.sh).
CASES=${SF_KERNEL_CASES:-$SF_ROOT/tests/policies/kernel-cases.txt}
RUN64=$SF_HELPERS/sf-run
RUN32=$BUILD/tests/helpers32/sf-run

# Split the table into $T/NAME.policy and $T/NAME.cases.
awk -v dir="$T" -v base="$SF_ROOT/tests/policies/base.inc" '
	/^\[policy / { name = $2; sub(/\]$/, "", name); pol = dir "/" name ".policy"
		cas = dir "/" name ".cases"; print name >> (dir "/names")
		while ((getline l < base) > 0) print l > pol; close(base)
		printf "" > cas; next }
	/^#/ || /^[ \t]*$/ { next }
	/=>/ { print > cas; next }
	name != "" { print > pol }
' "$CASES"

run_cases() { # $1 = runner, $2 = arch tag (64|32), $3 = name
	local runner=$1 tag=$2 name=$3 args=() want=() line c w
	while IFS= read -r line; do
		c=${line%% =>*}
		w=${line##*=> }
		case $c in
		64:*) [ "$tag" = 64 ] || continue; c=${c#64:} ;;
		32:*) [ "$tag" = 32 ] || continue; c=${c#32:} ;;
		esac
		args+=("$c")
		want+=("$w")
	done <"$T/$name.cases"
	[ "${#args[@]}" -gt 0 ] || return 0
	if ! "$runner" "$T/$name.raw" "$DENY" -- "${args[@]}" >"$T/got" 2>"$T/err"; then
		not_ok "$name ($tag-bit): runner failed"
		show "$T/err"
		return
	fi
	local i=0
	while IFS= read -r line; do
		local got=${line##*=> }
		got=${got% (pid *}
		if [ "$got" = "${want[i]}" ]; then
			ok "$name ($tag-bit): ${args[i]} => $got"
		else
			not_ok "$name ($tag-bit): ${args[i]} => $got, expected ${want[i]}"
		fi
		i=$((i + 1))
	done <"$T/got"
	[ "$i" -eq "${#args[@]}" ] || not_ok "$name ($tag-bit): runner printed $i of ${#args[@]} results"
}

while read -r name; do
	if ! "$SF_COMPILE" -q --raw "$T/$name.policy" "$T/$name.raw" 2>"$T/err"; then
		not_ok "$name: compiles"
		show "$T/err"
		continue
	fi
	# --raw writes the deny program beside the allow one when there is one.
	DENY=$T/$name.raw.deny
	[ -f "$DENY" ] || DENY=-
	run_cases "$RUN64" 64 "$name"
	if [ -x "$RUN32" ]; then
		run_cases "$RUN32" 32 "$name"
	fi
done <"$T/names"
[ -x "$RUN32" ] || skip "compat (x86) cases: no -m32 toolchain (install gcc-multilib)"
