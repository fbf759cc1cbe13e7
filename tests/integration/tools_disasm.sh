#!/bin/bash
# sysfence-compile --disasm: the header and both programs of a blob, a raw
# program (with its .deny), a policy; errors exit 2.
. "$(dirname "$0")/../lib.sh"

P=$T/app.policy
{ base_policy; cat "$SF_ROOT/tests/policies/tools.policy"; } >"$P"
"$SF_COMPILE" -q "$P" "$T/app.bin" && "$SF_COMPILE" -q --raw "$P" "$T/app.raw" ||
	not_ok "compile"

expect_exit 0 "a blob" "$SF_COMPILE" --disasm "$T/app.bin"
expect_grep "$T/out" "^format: +sysfence blob version 2$" "the format version"
expect_grep "$T/out" "^mode: +enforce$" "the mode"
expect_grep "$T/out" "^architectures: x86_64 \(0xc000003e\), x86 \(0x40000003\)$" "the architectures"
expect_grep "$T/out" "^programs: +deny [0-9]+ instructions, allow [0-9]+ instructions$" "the lengths"
expect_grep "$T/out" "^digest: +sha256:[0-9a-f]{64} \(verified\)$" "the integrity digest"
expect_grep "$T/out" "^source digest: +sha256:[0-9a-f]{64}$" "the source digest"
expect_grep "$T/out" "^compiled by: +sysfence [0-9.]+, libseccomp [0-9.]+$" "the compiler identity"
expect_grep "$T/out" "^deny program: none" "one program: no deny program"
expect_grep "$T/out" "^allow program: [0-9]+ instructions, attached last \(default ERRNO\(EPERM\)\)$" \
	"the allow program"
expect_grep "$T/out" "jeq +#101, L[0-9]+, L[0-9]+ +; ptrace$" "syscall names in comments"
expect_grep "$T/out" "jeq +#0x40000003, L[0-9]+, L[0-9]+ +; x86$" "architecture names too"
expect_grep "$T/out" "ld +\[args\[1\]\.lo\]" "argument loads by name"
expect_grep "$T/out" "ret +ERRNO\(EACCES\)$" "actions by name"

# Every label used is defined, and every line is an instruction.
used=$(grep -oE '(, |ja +)L[0-9]+' "$T/out" | grep -oE 'L[0-9]+' | sort -u)
missing=0
for l in $used; do grep -q "^$l:" "$T/out" || missing=$((missing + 1)); done
if [ -n "$used" ] && [ "$missing" -eq 0 ]; then ok "every jump target has a label"; else
	not_ok "every jump target has a label ($missing missing)"; fi

# Each program printed has exactly as many lines as instructions.
n_allow=$(sed -n 's/^allow program: \([0-9]*\) .*/\1/p' "$T/out")
got=$(sed -n '/^allow program:/,$p' "$T/out" | grep -cE '^(L[0-9]+:)? +[0-9]+  ')
if [ "$n_allow" = "$got" ]; then ok "one line per instruction"; else
	not_ok "one line per instruction ($got of $n_allow)"; fi

expect_exit 0 "a raw program" "$SF_COMPILE" --disasm "$T/app.raw"
expect_grep "$T/out" "^raw program: +.*app.raw \(struct sock_filter\[\], no header\)$" "named raw"
expect_grep "$T/out" "^check: +passes$" "checked"
# A hand-made pair (FILE and FILE.deny, for other loaders) is still read.
cp "$T/app.raw" "$T/pair.raw" && cp "$T/app.raw" "$T/pair.raw.deny"
expect_exit 0 "a raw program and a .deny beside it" "$SF_COMPILE" --disasm "$T/pair.raw"
expect_grep "$T/out" "^deny program: [0-9]+ instructions" "the .deny is shown too"
expect_exit 0 "--raw says what it expects" "$SF_COMPILE" --disasm --raw "$T/app.raw"
expect_exit 0 "a policy is compiled first" "$SF_COMPILE" --disasm "$P"
expect_grep "$T/out" "^policy: .*\(compiled now, not written\)$" "and says so"
printf '@complain\nread\n' >"$T/c.policy"
expect_exit 0 "complain mode" "$SF_COMPILE" --disasm "$T/c.policy"
expect_grep "$T/out" "^deny program: none" "no deny program"
expect_grep "$T/out" "ret +LOG$" "LOG returns"
expect_exit 0 "x86 only" "$SF_COMPILE" --arch x86 --disasm "$T/c.policy"
expect_grep "$T/out" "^architectures: x86 \(0x40000003\)$" "--arch applies"
printf '@unrestricted\n' >"$T/u.policy"
"$SF_COMPILE" -q "$T/u.policy" "$T/u.bin"
expect_exit 0 "an unrestricted blob" "$SF_COMPILE" --disasm "$T/u.bin"
expect_grep "$T/out" "no program, nothing is loaded" "has no program"

cp "$T/app.bin" "$T/bad.bin"
b=$(od -An -tu1 -j300 -N1 "$T/bad.bin" | tr -d ' ')
# shellcheck disable=SC2059
printf "\\$(printf %03o $(((b + 1) % 256)))" | dd of="$T/bad.bin" bs=1 seek=300 conv=notrunc status=none
expect_exit 2 "a modified blob" "$SF_COMPILE" --disasm "$T/bad.bin"
expect_grep "$T/err" "digest mismatch" "fails its digest"
expect_exit 2 "a policy given with --raw" "$SF_COMPILE" --disasm --raw "$P"
expect_exit 2 "no input" "$SF_COMPILE" --disasm
expect_exit 2 "two inputs" "$SF_COMPILE" --disasm "$P" "$P"
expect_exit 2 "a missing file" "$SF_COMPILE" --disasm "$T/nope"
expect_exit 2 "two tools at once" "$SF_COMPILE" --disasm --report "$P"
