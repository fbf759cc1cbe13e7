#!/bin/bash
# A trusted profile replaced while applications start (issue 15): a writer
# renames policy A, policy B and a damaged copy of A over the store file as
# fast as it can (sf-replace), while nobody starts programs under it through
# the real setuid launcher.  Every run must be confined by exactly A or B,
# or refused because the file it read was the damaged one; never refused
# for a valid profile (the launcher opens a file that was renamed over
# between its open and its fstat again), never run unconfined.
#
# SF_RACE_LAUNCHES sets the number of launches (default 6000, about 15 s
# here).  The deterministic version of the same race (a rename exactly
# between open and fstat) is test_store_replaced in
# tests/unit/test_launch_trust.c.
. "$(dirname "$0")/launch_setup.sh"

N=${SF_RACE_LAUNCHES:-6000}
# A allows getuid (the probe exits 0), B does not (EPERM: exit 1).
policy A "${POLICY_TEST_RULES[@]}" getuid
policy B "${POLICY_TEST_RULES[@]}"
"$SF_COMPILE" -q "$P/A.pol" "$P/A.bin" && "$SF_COMPILE" -q "$P/B.pol" "$P/B.bin" || not_ok "compile"
cp "$P/A.bin" "$P/C.bin"
size=$(stat -c %s "$P/C.bin")
# one byte of the program flipped (not set: it may hold that value already)
byte=$(od -A n -t u1 -j $((size - 2)) -N 1 "$P/C.bin")
printf "\\$(printf %o $((255 - byte)))" | dd of="$P/C.bin" bs=1 seek=$((size - 2)) conv=notrunc status=none
cmp -s "$P/A.bin" "$P/C.bin" && not_ok "the damaged copy equals A"
chmod 0644 "$P"/*.bin
install -o root -g root -m 0644 "$P/A.bin" "$STORE/race.bin"

"$SF_HELPERS/sf-replace" "$STORE/race.bin" "$P/A.bin" "$P/B.bin" "$P/C.bin" >"$T/writer" &
writer=$!
at_exit "kill $writer 2>/dev/null"

# All launches in one unprivileged shell: only the launcher and the probe
# are started per run.  Prints "a b c reopened other" and keeps the first
# unexpected result in $T/other.
as_user env SYSFENCE_DEBUG=1 bash -c '
	L=$1 TRY=$2 N=$3 O=$4 E=$5 OTHER=$6
	a=0 b=0 c=0 reopened=0 other=0
	for ((i = 0; i < N; i++)); do
		"$L" race -- "$TRY" syscall getuid >"$O" 2>"$E"
		rc=$?
		mapfile -t out <"$O"
		mapfile -t err <"$E"
		[[ "${err[*]}" == *"the profile was replaced as it was opened"* ]] && reopened=$((reopened + 1))
		if [ $rc -eq 0 ] && [ "${out[0]}" = getuid=0 ]; then
			a=$((a + 1))
		elif [ $rc -eq 1 ] && [ "${out[0]}" = getuid=errno:1 ]; then
			b=$((b + 1))
		elif [ $rc -eq 125 ] && [ ${#out[@]} -eq 0 ] &&
			[ "${err[-1]}" = "sysfence-launch: race: profile digest mismatch (corrupted or modified)" ]; then
			c=$((c + 1))
		else
			other=$((other + 1))
			[ -e "$OTHER" ] || { echo "exit $rc"; printf "%s\n" "${out[@]}" "${err[@]}"; } >"$OTHER"
		fi
	done
	echo "$a $b $c $reopened $other"
' race "$L" "$TRY" "$N" "$W/out.race" "$W/err.race" "$W/other" >"$T/tally" 2>"$T/shell-err"
kill -TERM $writer
wait $writer
read -r a b c reopened other <"$T/tally"
replacements=$(sed -n 's/^replacements=//p' "$T/writer")
echo "# $N launches against ${replacements:-?} replacements: A $a, B $b, damaged $c," \
	"opened again after a replacement $reopened, other $other"
if [ "${other:-1}" -eq 0 ]; then
	ok "$N launches racing atomic replacements: each confined by A or B, or refused as damaged"
else
	not_ok "$N launches racing atomic replacements: $other runs neither A, B nor refused as damaged"
	show "$W/other"
	show "$T/shell-err"
fi
if [ "${a:-0}" -gt 0 ] && [ "${b:-0}" -gt 0 ] && [ "${c:-0}" -gt 0 ]; then
	ok "the race saw all three files (A $a, B $b, damaged $c)"
else
	not_ok "the race did not see every file (A ${a:-0}, B ${b:-0}, damaged ${c:-0})"
fi
# The window between open and fstat is short; at this replacement rate it
# is hit in a few percent of the runs.
if [ "${reopened:-0}" -gt 0 ]; then
	ok "a profile renamed over as it was opened was opened again ($reopened times), never refused"
else
	not_ok "no launch hit the window between open and fstat"
fi
if ls "$STORE" | grep -q 'sf-replace'; then not_ok "the writer left a temporary"; else ok "no temporary left"; fi
