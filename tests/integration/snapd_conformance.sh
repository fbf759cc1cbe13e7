#!/bin/bash
# Conformance with snapd's policy language, from our own policies: every
# construct snap-seccomp reads (tests/policies/snapd-cases.txt) and every
# named constant it accepts (the snapd_names list of
# tests/unit/test_constants.c, one policy each: the constant allows its
# value and not its neighbour), through the kernel (compiler_kernel.sh's
# runner, native and compat) and through the simulator (--explain on the
# compiled blob, for x86_64 and x86).  @unrestricted, which has no program
# to run, goes through the simulator and the launcher.
. "$(dirname "$0")/../lib.sh"
HELPER=$BUILD/tests/helpers/sf-constants

"$HELPER" x86_64 >"$T/values" || { not_ok "sf-constants"; exit 1; }
sed -n '/^static const char \*const snapd_names\[\] = {/,/^};/s/^\t"\([A-Z0-9_]*\)",$/\1/p' \
	"$SF_ROOT/tests/unit/test_constants.c" >"$T/names"
if [ "$(wc -l <"$T/names")" -ge 225 ]; then ok "$(wc -l <"$T/names") snapd constants"; else not_ok "snapd constants: only $(wc -l <"$T/names")"; fi

# The table: the constructs, then a policy per constant.
{
	cat "$SF_ROOT/tests/policies/snapd-cases.txt"
	while read -r name; do
		v=$(awk -v n="$name" '$1 == n { print $2 }' "$T/values")
		[ -n "$v" ] && [ "$v" != - ] || { echo "# $name: no value" >&2; continue; }
		printf '\n[policy constant-%s]\ngetppid %s\ngetppid,%s => OK\ngetppid,%s => EPERM\n' \
			"$name" "$name" "$v" "$((v ^ 1))"
	done <"$T/names"
} >"$T/cases.txt" 2>"$T/err"
[ -s "$T/err" ] && { not_ok "constants without a value"; show "$T/err"; }

# Cases name constants (ioctl,-1,TIOCSTI) for readability; the runner
# takes numbers: the x86_64 values, which x86 shares for these.
awk 'NR == FNR { v[$1] = $2; next }
	/=>/ && !/^#/ {
		split($0, side, " => "); n = split(side[1], f, ",")
		out = f[1]
		for (i = 2; i <= n; i++) out = out "," ((f[i] in v) ? v[f[i]] : f[i])
		print out " => " side[2]; next }
	{ print }' "$T/values" "$T/cases.txt" >"$T/numeric.txt"

# The kernel.
SF_KERNEL_CASES=$T/numeric.txt bash "$SF_ROOT/tests/integration/compiler_kernel.sh" >"$T/kernel" 2>&1
kok=$(grep -c '^ok' "$T/kernel")
knot=$(grep -c '^not ok' "$T/kernel")
if [ "$knot" -eq 0 ] && [ "$kok" -gt 500 ]; then
	ok "kernel: $kok cases as expected"
else
	not_ok "kernel: $knot of $((kok + knot)) cases wrong"
	grep -A3 '^not ok' "$T/kernel" | head -40 | sed 's/^/    | /'
fi

# The simulator: the same cases through --explain on the compiled blob.
awk -v dir="$T/sim" -v base="$SF_ROOT/tests/policies/base.inc" '
	BEGIN { system("mkdir -p " dir) }
	/^\[policy / { name = $2; sub(/\]$/, "", name); pol = dir "/" name ".policy"
		cas = dir "/" name ".cases"; print name >> (dir "/names")
		while ((getline l < base) > 0) print l > pol; close(base)
		printf "" > cas; next }
	/^#/ || /^[ \t]*$/ { next }
	/=>/ { print > cas; next }
	name != "" { print > pol }
' "$T/numeric.txt"
sim_ok=0 sim_bad=0
: >"$T/simbad"
while read -r name; do
	if ! "$SF_COMPILE" -q --arch x86_64 --arch x86 "$T/sim/$name.policy" "$T/sim/$name.bin" 2>"$T/err"; then
		echo "$name: does not compile: $(head -1 "$T/err")" >>"$T/simbad"
		sim_bad=$((sim_bad + 1))
		continue
	fi
	while IFS= read -r line; do
		c=${line%% =>*} want=${line##*=> }
		arches="x86_64 x86"
		case $c in
		64:*) arches=x86_64 c=${c#64:} ;;
		32:*) arches=x86 c=${c#32:} ;;
		esac
		IFS=, read -ra call <<<"$c"
		case $want in
		EPERM | EACCES | ENOSYS) action="ERRNO\\($want\\)" ;;
		*) action="ALLOW|LOG" ;; # the kernel's own result: the filter let it through
		esac
		for a in $arches; do
			"$SF_COMPILE" --explain --arch "$a" "$T/sim/$name.bin" "${call[@]}" >"$T/out" 2>&1
			if head -1 "$T/out" | grep -Eq ": ($action)\$"; then
				sim_ok=$((sim_ok + 1))
			else
				echo "$name ($a): $c: $(head -1 "$T/out"), expected $action" >>"$T/simbad"
				sim_bad=$((sim_bad + 1))
			fi
		done
	done <"$T/sim/$name.cases"
done <"$T/sim/names"
if [ "$sim_bad" -eq 0 ] && [ "$sim_ok" -gt 900 ]; then
	ok "simulator: $sim_ok cases as expected"
else
	not_ok "simulator: $sim_bad cases wrong"
	show "$T/simbad"
fi

# The simulator reads the constants by name too, with the value grammar.
printf 'execve\nioctl - TIOCSTI\n~ptrace PTRACE_PEEKUSR\nptrace\n' >"$T/names.policy"
expect_exit 0 "explain by name: ioctl TIOCSTI" "$SF_COMPILE" --explain "$T/names.policy" ioctl 0 TIOCSTI
expect_exit 1 "explain by name: ptrace PTRACE_PEEKUSR" "$SF_COMPILE" --explain "$T/names.policy" ptrace PTRACE_PEEKUSR
expect_grep "$T/out" "EACCES" "explain by name: the explicit denial"

# @unrestricted: no program, the rest still checked; the launcher runs the
# program with no filter.
printf '@unrestricted\ngetppid 5\n' >"$T/u.policy"
expect_exit 0 "@unrestricted compiles" "$SF_COMPILE" "$T/u.policy" "$T/u.bin"
expect_exit 0 "@unrestricted: explain allows anything" "$SF_COMPILE" --explain "$T/u.bin" getpid
chmod 0644 "$T/u.bin"
chmod 0755 "$T"
expect_exit 0 "@unrestricted: the launcher runs the program" "$SF_LAUNCH" "$T/u.bin" -- /bin/true
printf '@unrestricted\nsocket AF_UNX\n' >"$T/u2.policy"
expect_exit 1 "@unrestricted: a wrong line is still an error" "$SF_COMPILE" --check "$T/u2.policy"
