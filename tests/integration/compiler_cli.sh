#!/bin/bash
# sysfence-compile's command line, end to end: exit statuses (0 compiled,
# 1 policy or I/O error, 2 usage), GCC-style diagnostics on stderr, every
# error of a file in one run, no output created or changed on error,
# --check, --raw (+ .deny), --version, warnings and --strict, '-' for
# stdin and stdout, and the blob itself (header fields, determinism).
. "$(dirname "$0")/../lib.sh"

C=$SF_COMPILE
cd "$T" || exit 1

# u32_at FILE OFFSET: a little-endian u32 of a blob header.
u32_at() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
# What identifies a file's content and inode, to prove it was not touched.
fingerprint() { stat -c '%i %s %Y %y' "$1" && sha256sum <"$1"; }

# check DESCRIPTION CONDITION...: ok when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

cat >good.policy <<'EOF'
# a command-line tool (docs/policy-language.md)
read
write
openat
close
exit_group
execve
socket AF_UNIX                # local sockets only
socket AF_INET SOCK_STREAM
ioctl - TCGETS
~ioctl - TIOCSTI              # never push input into the terminal
setresuid -1 u:nobody -1      # drop to nobody, keep the others
kill - !SIGKILL
prctl PR_SET_NAME
mknod - |S_IFIFO              # FIFOs only
EOF
printf 'read\nexecve\nexit_group\n' >plain.policy

# ---- help, version, usage errors ----
expect_exit 0 "--help exits 0" "$C" --help
expect_grep "$T/out" '^Usage: sysfence-compile ' "--help prints the usage on stdout"
check "--help writes nothing on stderr" test ! -s "$T/err"
expect_exit 0 "-h exits 0" "$C" -h

expect_exit 0 "--version exits 0" "$C" --version
cp "$T/out" version1
check "--version writes nothing on stderr" test ! -s "$T/err"
check "--version is one line" test "$(wc -l <version1)" -eq 1
expect_grep version1 '^sysfence-compile [0-9]+\.[0-9]+\.[0-9]+ libseccomp=[0-9.]+ syscalls=[0-9a-f]{16} blob=2 features=[a-z0-9,-]+$' \
	"--version names the compiler, libseccomp, syscall table, blob format, features"
"$C" --version >version2
check "--version is the same on every run" cmp -s version1 version2
ID=$(cat version1)

usage_case() { # DESCRIPTION ARGS...
	local desc=$1
	shift
	rm -f out.bin
	expect_exit 2 "usage error: $desc" "$C" "$@"
	if grep -q "Try 'sysfence-compile --help'" "$T/err" && [ ! -s "$T/out" ] && [ ! -e out.bin ]; then
		ok "usage error: $desc: a hint on stderr, nothing else"
	else
		not_ok "usage error: $desc: a hint on stderr, nothing else"
		show "$T/err"
	fi
}
usage_case "no argument"
usage_case "one argument" good.policy
usage_case "three arguments" good.policy out.bin extra
usage_case "unknown option" --bogus good.policy out.bin
usage_case "unknown architecture" --arch vax good.policy out.bin
usage_case "x32 is refused as a target" --arch x32 good.policy out.bin
usage_case "architecture given twice" --arch x86 --arch i386 good.policy out.bin
usage_case "-j 0" -j 0 --out-dir . good.policy
usage_case "-j not a number" -j four --out-dir . good.policy
usage_case "-j too large" -j 100000 --out-dir . good.policy
usage_case "--jobs without a value" good.policy out.bin --jobs
usage_case "--check without input" --check
usage_case "--check with --out-dir" --check --out-dir . good.policy
usage_case "--check with --raw" --check --raw good.policy
usage_case "--out-dir without input" --out-dir .
usage_case "--raw with --out-dir" --raw --out-dir . good.policy
usage_case "--raw to stdout" --raw good.policy -
# One parser for the whole command line: an option of another mode is an error.
usage_case "--policy without --from-log" --policy good.policy good.policy out.bin
expect_grep "$T/err" "^sysfence-compile: --policy is an option of --from-log$" \
	"--policy without --from-log: says whose option it is"
usage_case "--comm without --from-log" --comm ls good.policy out.bin
usage_case "--out-dir with --explain" --explain --out-dir . good.policy read
expect_grep "$T/err" "^sysfence-compile: unknown option '--out-dir' for --explain$" \
	"--out-dir with --explain: names the tool"
usage_case "-j with --report" --report -j 2 good.policy
usage_case "two tools" --explain --disasm good.policy read
expect_grep "$T/err" "^sysfence-compile: --explain and --disasm cannot be combined$" \
	"two tools: names both"
usage_case "a short option that does not exist" -x good.policy out.bin
expect_grep "$T/err" "^sysfence-compile: unknown option '-x'$" "-x: named"
usage_case "--arch without a value" good.policy out.bin --arch
expect_grep "$T/err" "^sysfence-compile: option '--arch' needs a value$" "--arch without a value: said"
# Options may follow the files (GNU style); after --, everything is a file.
rm -f out.bin
expect_exit 0 "options after the files" "$C" good.policy out.bin --quiet --strict
check "options after the files: written" test -s out.bin
rm -f ./--strict
cp good.policy ./--strict
expect_exit 0 "after --, a file named --strict" "$C" -- --strict out.bin
rm -f ./--strict
# --help names every option and the exit statuses.
"$C" --help >help.txt
for word in --arch --strict --check --raw --out-dir --jobs --force --quiet --explain \
	--disasm --report --diff --from-log --comm --exe --pid --policy --as-patch --json --version \
	"Exit status"; do
	check "--help mentions $word" grep -q -- "$word" help.txt
done

# ---- success ----
rm -f out.bin
(umask 077 && "$C" good.policy out.bin >"$T/out" 2>"$T/err")
check "a good policy compiles (exit 0)" test $? -eq 0
check "nothing on stdout" test ! -s "$T/out"
# socket AF_UNIX: a note that socketcall(2) on x86 cannot check it, nothing else
check "no warning or error for a clean policy" sh -c "! grep -Eq 'warning|error' '$T/err'"
expect_grep "$T/err" "^good\.policy:[0-9]+:1: note: on x86, socket is also reached through socketcall\(2\)" \
	"a note: the condition does not allow socketcall(2) on x86"
check "the blob is mode 0644 whatever the umask" test "$(stat -c %a out.bin)" = 644
check "the blob starts with the magic" test "$(head -c 8 out.bin)" = SYSFENCE
check "format version 2" test "$(u32_at out.bin 8)" = 2
check "header size 192" test "$(u32_at out.bin 12)" = 192
check "mode 0 (enforce)" test "$(u32_at out.bin 16)" = 0
check "two architectures by default" test "$(u32_at out.bin 24)" = 2
check "x86_64 first, then x86" test "$(u32_at out.bin 28) $(u32_at out.bin 32)" = "3221225534 1073741827"
DENY=$(u32_at out.bin 60)
ALLOW=$(u32_at out.bin 64)
check "one program: the '~' rule is inside it, no deny program" test "$DENY" -eq 0
check "file size = 192 + 8 x (deny + allow)" test "$(stat -c %s out.bin)" -eq $((192 + 8 * (DENY + ALLOW)))
check "no temporary left beside the blob" test -z "$(find . -name '.out.bin.*')"
"$C" good.policy again.bin
check "compiling twice gives the same bytes" cmp -s out.bin again.bin
if grep -qaF "$ID" out.bin || grep -qaF "sysfence-compile" out.bin; then
	not_ok "the identity string is not stored in the blob (only its digest)"
else
	ok "the identity string is not stored in the blob (only its digest)"
fi
"$C" --help >help.txt
check "the identity string appears in no other output (--help)" sh -c "! grep -qF '$ID' help.txt"

"$C" --arch x86_64 good.policy native.bin
check "--arch x86_64: one architecture" test "$(u32_at native.bin 24)" = 1
check "--arch changes the program" sh -c '! cmp -s native.bin out.bin'

# ---- stdin and stdout ----
"$C" - stdin.bin <good.policy 2>"$T/err"
check "'-' reads the policy from stdin (same blob as from the file)" cmp -s stdin.bin out.bin
"$C" good.policy - >stdout.bin 2>"$T/err"
check "'-' writes the blob to stdout" cmp -s stdout.bin out.bin
"$C" - - <good.policy >both.bin
check "'- -' is a filter" cmp -s both.bin out.bin
printf 'read\nkill - NOPE\n' | "$C" - - >"$T/out" 2>"$T/err"
check "stdin with an error: exit 1" test $? -eq 1
expect_grep "$T/err" "^<stdin>:2:8: error: unknown constant 'NOPE'" "stdin diagnostics are named <stdin>"
check "stdout gets no partial blob on error" test ! -s "$T/out"

# ---- policy errors ----
cat >bad.policy <<'EOF'
read
socket AF_UNX
ioctl - >
write 1 2 3 4 5 6 7
@complai
EOF
rm -f new.bin
expect_exit 1 "a policy error exits 1" "$C" bad.policy new.bin
check "nothing on stdout" test ! -s "$T/out"
check "no output file is created" test ! -e new.bin
check "no temporary either" test -z "$(find . -name '.new.bin.*')"
cp "$T/err" bad.err
expect_grep bad.err "^bad\.policy:2:8: error: unknown constant 'AF_UNX'; did you mean 'AF_UNIX'\?$" \
	"GCC format: FILE:LINE:COL: error: MESSAGE"
if grep -A2 -F "bad.policy:2:8:" bad.err | sed -n 2,3p | diff -q - <(printf ' socket AF_UNX\n        ^\n') >/dev/null; then
	ok "the source line and a caret under column 8 follow"
else
	not_ok "the source line and a caret under column 8 follow"
	show bad.err
fi
expect_grep bad.err "^bad\.policy:3:9: error: expected a value after '>'" "second error reported"
expect_grep bad.err "^bad\.policy:4:19: error: too many arguments for write \(at most 6\)" "third error reported"
expect_grep bad.err "^bad\.policy:5:1: error: unknown directive '@complai'; did you mean '@complain'\?" "fourth error reported"
check "every error of the file in one run (4)" test "$(grep -c ': error: ' bad.err)" -eq 4

cp out.bin keep.bin
before=$(fingerprint keep.bin)
expect_exit 1 "an error with an existing output exits 1" "$C" bad.policy keep.bin
check "the existing output is left byte for byte, inode and mtime untouched" \
	test "$(fingerprint keep.bin)" = "$before"

for i in $(seq 60); do echo "getppid !"; done >sixty.policy
expect_exit 1 "60 errors: exit 1" "$C" --check sixty.policy
check "50 errors shown" test "$(grep -c ': error: ' "$T/err")" -eq 50
expect_grep "$T/err" '^sixty\.policy: note: 10 more diagnostics not shown$' "the rest counted"

# ---- --check ----
rm -f good.bin
expect_exit 0 "--check on a good policy exits 0" "$C" --check good.policy
check "--check writes nothing" test -z "$(find . -newer keep.bin -name '*.bin' ! -name keep.bin)"
expect_exit 1 "--check on a bad policy exits 1" "$C" --check bad.policy
check "--check shows the same diagnostics" diff -q "$T/err" bad.err
expect_exit 1 "--check of several inputs: one bad makes exit 1" "$C" --check good.policy bad.policy plain.policy
check "--check names the bad file only" test "$(grep -c '^bad\.policy:' "$T/err")" -eq 4
check "--check of several inputs: no summary of outputs" sh -c "! grep -q compiled '$T/err'"
expect_exit 1 "--check on a missing file exits 1" "$C" --check missing.policy
expect_grep "$T/err" '^sysfence-compile: missing\.policy: cannot read: No such file or directory$' \
	"a read failure names the file"

# ---- --raw ----
rm -f raw raw.deny
expect_exit 0 "--raw exits 0" "$C" --raw good.policy raw
dd if=out.bin of=deny.part bs=1 skip=192 count=$((8 * DENY)) status=none
dd if=out.bin of=allow.part bs=1 skip=$((192 + 8 * DENY)) count=$((8 * ALLOW)) status=none
check "--raw OUTPUT is the blob's allow program, bare" cmp -s raw allow.part
check "--raw writes no OUTPUT.deny: one program" test ! -e raw.deny
check "--raw files are mode 0644" test "$(stat -c %a raw)" = "644"
echo stale >raw.deny
expect_exit 0 "--raw of a policy without '~' rules" "$C" --raw plain.policy raw
check "a stale OUTPUT.deny is removed" test ! -e raw.deny
printf '@unrestricted\nread\n' >unrestricted.policy
expect_exit 1 "--raw of an unrestricted policy exits 1" "$C" --raw unrestricted.policy raw2
expect_grep "$T/err" 'unrestricted policy has no program' "and says why"
check "and writes nothing" test ! -e raw2

# ---- modes ----
printf 'read\n@complain\nexecve\n' >complain.policy
"$C" complain.policy complain.bin && check "complain mode is recorded (1)" test "$(u32_at complain.bin 16)" = 1
"$C" unrestricted.policy unrestricted.bin 2>/dev/null &&
	check "unrestricted: mode 2, no program, header only" \
		test "$(u32_at unrestricted.bin 16) $(stat -c %s unrestricted.bin)" = "2 192"

# ---- warnings and --strict ----
printf 'execve\nreadd\nread\n' >typo.policy
rm -f typo.bin
expect_exit 0 "an unknown syscall is a warning: exit 0" "$C" typo.policy typo.bin
expect_grep "$T/err" "^typo\.policy:2:1: warning: 'readd' is not a system call on any architecture; did you mean 'read'\?" \
	"the warning has a position and a suggestion"
check "the blob is written despite the warning" test -s typo.bin
expect_exit 0 "-q hides warnings" "$C" -q typo.policy typo.bin
check "-q: stderr empty" test ! -s "$T/err"
rm -f typo.bin
expect_exit 1 "--strict: an unknown syscall is an error (exit 1)" "$C" --strict typo.policy typo.bin
expect_grep "$T/err" "^typo\.policy:2:1: error: 'readd' is not a system call" "--strict reports it as an error"
check "--strict: no output" test ! -e typo.bin
printf 'execve\nreadd\nread !\n' >typo2.policy
expect_exit 1 "--strict with a parse error too" "$C" --strict --check typo2.policy
check "--strict: both errors in one run" test "$(grep -c ': error: ' "$T/err")" -eq 2
printf 'read\n' >noexec.policy
expect_exit 0 "a policy without execve compiles" "$C" noexec.policy noexec.bin
expect_grep "$T/err" "^noexec\.policy: warning: no rule allows execve" "with a whole-file warning"

# ---- outputs that cannot be written ----
expect_exit 1 "an output in a missing folder exits 1" "$C" good.policy nowhere/sub/out.bin
expect_grep "$T/err" '^sysfence-compile: nowhere/sub/out\.bin: cannot write: No such file or directory$' \
	"and names the output"
check "the missing folder is not created" test ! -e nowhere
mkdir outdir
expect_exit 1 "an output that is a folder exits 1" "$C" good.policy outdir
check "the folder is left alone" test -d outdir
check "no temporary left" test -z "$(find . -name '.outdir.*')"
echo "precious" >victim
ln -s victim link.bin
expect_exit 0 "an output that is a symlink: compiled" "$C" good.policy link.bin
check "the symlink's target is unchanged" test "$(cat victim)" = precious
check "the link was replaced by the blob" sh -c 'test -f link.bin && ! test -L link.bin && cmp -s link.bin out.bin'
