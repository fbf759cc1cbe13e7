#!/bin/bash
# Kernel truth: every case of tests/policies/kernel-cases.txt, compiled by
# sysfence-compile and run under the real kernel by sf-run, natively
# (x86_64) and through the i386 ABI (int $0x80 from the same 64-bit
# program), must give the expected result; and the simulator and the
# referee (sf-sim) must say the same about each case.
. "$(dirname "$0")/../lib.sh"

# SF_KERNEL_CASES: another table of the same format (snapd_conformance.sh).
CASES=${SF_KERNEL_CASES:-$SF_ROOT/tests/policies/kernel-cases.txt}
RUN=$SF_HELPERS/sf-run
SIM=$SF_HELPERS/sf-sim
I386=1
"$RUN" --i386 "$T/none" -- 2>&1 | grep -q "no i386 ABI" && I386=0

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

# What a kernel result means: the call went through, or which denial.
class_of() {
	case $1 in
	EPERM | EACCES | ENOSYS) echo "$1" ;;
	"SIGNAL(31)") echo KILL ;;
	SIGNAL*) echo "$1" ;;
	*) echo ALLOW ;;
	esac
}

run_cases() { # $1 = arch tag (64|32), $2 = name
	local tag=$1 name=$2 args=() want=() line c w flag=()
	[ "$tag" = 32 ] && flag=(--i386)
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
	if ! "$RUN" "${flag[@]}" "$T/$name.raw" "$DENY" -- "${args[@]}" >"$T/got" 2>"$T/err"; then
		not_ok "$name ($tag-bit): runner failed"
		show "$T/err"
		return
	fi
	if ! "$SIM" "${flag[@]}" "$T/$name.policy" -- "${args[@]}" >"$T/sim" 2>"$T/err"; then
		not_ok "$name ($tag-bit): sf-sim failed"
		show "$T/err"
		return
	fi
	local i=0
	while IFS= read -r line; do
		local got=${line##*=> } sim
		got=${got% (pid *}
		sim=$(sed -n "$((i + 1))p" "$T/sim")
		sim=${sim##*=> }
		if [ "$got" = "${want[i]}" ]; then
			ok "$name ($tag-bit): ${args[i]} => $got"
		else
			not_ok "$name ($tag-bit): ${args[i]} => $got, expected ${want[i]}"
		fi
		local k
		k=$(class_of "${want[i]}")
		if [ "$sim" = "$k $k" ]; then
			ok "$name ($tag-bit): ${args[i]}: simulator and referee say $k"
		elif [ "$sim" = "$k UNJUDGED" ]; then
			ok "$name ($tag-bit): ${args[i]}: simulator says $k (no prototype for the referee)"
		else
			not_ok "$name ($tag-bit): ${args[i]}: simulator and referee say '$sim', the kernel $k"
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
	# One program: --raw writes no deny program beside it any more.
	DENY=-
	[ ! -f "$T/$name.raw.deny" ] || DENY=$T/$name.raw.deny
	run_cases 64 "$name"
	if [ "$I386" = 1 ]; then
		run_cases 32 "$name"
	fi
done <"$T/names"
[ "$I386" = 1 ] || skip "i386 cases: int \$0x80 does not work here (no IA32_EMULATION)"
