#!/bin/bash
# Bad inputs for sysfence-compile: odd and hostile policy files (empty,
# comments only, binary garbage, NUL, invalid UTF-8, CR line ends, huge
# lines and files, many rules, programs over BPF_MAXINSNS), inputs that are
# not files (folder, FIFO, /dev/zero), an unreadable input and unwritable
# outputs as an unprivileged user, and every argument form malformed.
#
# Decision documented here: an empty policy (or one with only comments and
# blank lines) is valid.  It compiles to a blob that denies every call with
# EPERM, and the compiler warns that no rule allows execve.
#
. "$(dirname "$0")/../lib.sh"

C=$SF_COMPILE
cd "$T" || exit 1
base_policy >base.policy
"$C" -q base.policy ref.bin || not_ok "the base policy compiles"

check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# No raw control byte may reach the terminal through a diagnostic.
clean_stderr() {
	if LC_ALL=C grep -q '[^[:print:]	]' "$T/err"; then
		not_ok "$1: diagnostics show control bytes as '?'"
		od -c "$T/err" | head -5 | sed 's/^/    | /'
	else
		ok "$1: diagnostics show control bytes as '?'"
	fi
}
# rejected NAME FILE LINE:COL REGEX: exit 1, one error at LINE:COL, no output.
rejected() {
	local name=$1 file=$2 pos=$3 re=$4
	rm -f out.bin
	expect_exit 1 "$name: exit 1" "$C" "$file" out.bin
	expect_grep "$T/err" "^$file:$pos: error: $re" "$name: error at $pos"
	check "$name: no output" test ! -e out.bin
	clean_stderr "$name"
}

# ---- empty and near-empty files ----
: >empty.policy
expect_exit 0 "empty file: valid (decision: compiles to deny-all)" "$C" empty.policy empty.bin
expect_grep "$T/err" '^empty\.policy: warning: no rule allows execve' "empty file: warns that nothing can start"
check "empty file: a blob is written" test "$(head -c 8 empty.bin)" = SYSFENCE
printf '# only\n   # comments\n\n\t\n' >comments.policy
expect_exit 0 "only comments and blank lines: valid" "$C" comments.policy comments.bin
check "only comments: the same program as the empty file" \
	cmp -s <(tail -c +193 empty.bin) <(tail -c +193 comments.bin)
{ echo read; printf '   \t  \n'; echo write; echo execve; } >ws.policy
expect_exit 0 "a whitespace-only line is ignored" "$C" -q ws.policy ws.bin
{ echo read; echo; echo write; echo execve; } >ws2.policy
"$C" -q ws2.policy ws2.bin
check "whitespace-only line: same program as an empty line" \
	cmp -s <(tail -c +193 ws.bin) <(tail -c +193 ws2.bin)
printf 'read\r\nexecve\r\n# c\r\n' >crlf.policy
expect_exit 0 "CRLF line ends are accepted" "$C" -q crlf.policy crlf.bin

# ---- hostile bytes ----
head -c 3000 "$C" >garbage.policy
expect_exit 1 "binary garbage: exit 1" "$C" garbage.policy out.bin
expect_grep "$T/err" '^garbage\.policy:1:[0-9]+: error: ' "binary garbage: GCC-style error"
clean_stderr "binary garbage"
check "binary garbage: no output" test ! -e out.bin
printf 'read\nwrite\0evil\n' >nul.policy
rejected "NUL in a line" nul.policy 2:6 'NUL byte in policy'
printf 'read # caf\xe9\n' >latin1.policy
rejected "invalid UTF-8" latin1.policy 1:11 'invalid UTF-8 byte 0xe9'
printf 'read\x1b[2J\n' >esc.policy
rejected "terminal escape" esc.policy 1:5 'control character 0x1b'
printf 'read\rwrite\rexecve\r' >cr.policy
rejected "CR-only line ends" cr.policy 1:5 'carriage return not followed by a line feed'
printf 'read\nexecve\r' >cr-eof.policy
rejected "a CR at the end of the file" cr-eof.policy 2:7 'carriage return'

# ---- size limits ----
{ echo read; printf 'getppid %0102400d\n' 1; echo 'write !'; } >longline.policy
rejected "a 100 KB line" longline.policy 2:4097 'line is 102408 bytes long; the limit is 4096'
expect_grep "$T/err" "^longline\.policy:3:7: error: expected a value after '!'" \
	"a 100 KB line: the lines after it are still checked"
check "a 100 KB line: the excerpt shown is cut short" test "$(awk '{ if (length > m) m = length } END { print m }' "$T/err")" -lt 300

awk 'BEGIN { while (n < 10 * 1024 * 1024) { s = sprintf("getppid %d # %0200d", i % 100, i); print s; n += length(s) + 1; i++ } }' >big.policy
cat base.policy >>big.policy
expect_exit 0 "a 10 MB policy compiles" "$C" -q big.policy big.bin
check "a 10 MB policy: a valid blob" test "$(head -c 8 big.bin)" = SYSFENCE

{ head -c $((16 * 1024 * 1024)) /dev/zero | tr '\0' '#'; echo; } >huge.policy
expect_exit 1 "a policy over 16 MiB: exit 1" "$C" huge.policy out.bin
expect_grep "$T/err" 'huge\.policy: policy is larger than 16 MiB' "a policy over 16 MiB: says the limit"

awk 'BEGIN { split("read write openat close getpid gettid futex mmap munmap brk", n, " ");
	for (i = 0; i < 100000; i++) {
		if (i % 10 == 0) printf "ioctl - %d\n", i % 40
		else if (i % 10 == 1) printf "getppid %d\n", i % 50
		else print n[i % 10 + 1] } }' >many.policy
cat base.policy >>many.policy
expect_exit 0 "100 000 rules compile" "$C" -q many.policy many.bin
check "100 000 rules: a valid blob" test "$(head -c 8 many.bin)" = SYSFENCE

awk 'BEGIN { for (i = 0; i < 100000; i++) printf "nosuchcall%d\n", i }' >unknown.policy
cat base.policy >>unknown.policy
timeout 50 "$C" --check unknown.policy >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 124 ]; then
	not_ok "100 000 unknown syscall names: finishes (killed after 50 s)"
else
	check "100 000 unknown syscall names: warnings only, exit 0" test "$rc" -eq 0
	expect_grep "$T/err" "^unknown\.policy: note: [0-9]+ more diagnostics not shown" \
		"100 000 unknown syscall names: the diagnostics are capped"
fi

for i in $(seq 0 1999); do echo "getppid $i"; done >maxinsns.policy
cat base.policy >>maxinsns.policy
rm -f out.bin
expect_exit 1 "a program over BPF_MAXINSNS: exit 1" "$C" maxinsns.policy out.bin
expect_grep "$T/err" "^maxinsns\.policy: error: the program has [0-9]+ BPF instructions; the kernel accepts at most 4096 \(BPF_MAXINSNS\); most are the argument checks of getppid \([0-9]+\)" \
	"a program over BPF_MAXINSNS: a clear error naming the limit and the syscall"
expect_grep "$T/err" "^maxinsns\.policy:1:1: note: 2000 distinct rules for getppid take [0-9]+ instructions" \
	"a program over BPF_MAXINSNS: a note at the syscall's first rule"
check "a program over BPF_MAXINSNS: no output" test ! -e out.bin
{ for i in $(seq 0 1999); do echo "~getppid $i"; done; cat base.policy; } >maxdeny.policy
expect_exit 1 "a deny program over BPF_MAXINSNS: exit 1" "$C" maxdeny.policy out.bin
expect_grep "$T/err" "the program has [0-9]+ BPF instructions.*BPF_MAXINSNS.*getppid" "denials count in the one program"

# ---- inputs that are not regular files ----
expect_exit 1 "input is a folder: exit 1" "$C" "$T" out.bin
expect_grep "$T/err" "cannot read: Is a directory" "input is a folder: says so"
expect_exit 1 "input is /dev/zero: exit 1 (stops at the limit)" timeout 30 "$C" /dev/zero out.bin
expect_grep "$T/err" "/dev/zero: policy is larger than 16 MiB" "input is /dev/zero: says the limit"
check "inputs that are not files: no output" test ! -e out.bin
expect_exit 1 "input is missing: exit 1" "$C" missing.policy out.bin
expect_grep "$T/err" "missing\.policy: cannot read: No such file or directory" "input is missing: says so"

mkfifo fifo
(cat base.policy >fifo) &
writer=$!
# Wait until the writer is blocked opening the FIFO, so it is counted.
for _ in $(seq 100); do
	[ "$(cat /proc/$writer/wchan 2>/dev/null)" = wait_for_partner ] && break
	sleep 0.05
done
timeout 20 "$C" fifo fifo.bin 2>"$T/err"
check "input is a FIFO with a writer: compiles what it writes" cmp -s fifo.bin ref.bin
kill "$writer" 2>/dev/null # still blocked only if the compiler never opened it
wait "$writer" 2>/dev/null
rm -f fifo.bin
# The writer opens the FIFO a moment after the compiler: waited for, like cat.
(sleep 0.5; cat base.policy >fifo) &
writer=$!
timeout 20 "$C" fifo fifo.bin 2>"$T/err"
check "input is a FIFO whose writer comes later: compiles what it writes" cmp -s fifo.bin ref.bin
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
"$C" - stdin.bin <base.policy
check "stdin from a file" cmp -s stdin.bin ref.bin
cat base.policy | "$C" - stdin2.bin
check "stdin from a pipe" cmp -s stdin2.bin ref.bin

# ---- permissions, as an unprivileged user ----
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	mkdir -m 0777 pub
	cp base.policy pub/secret.policy
	chmod 000 pub/secret.policy
	expect_exit 1 "unreadable input: exit 1" as_nobody "$C" pub/secret.policy pub/out.bin
	expect_grep "$T/err" "^sysfence-compile: pub/secret\.policy: cannot read: Permission denied$" \
		"unreadable input: says so, names the file"
	check "unreadable input: no output" test ! -e pub/out.bin
	check "unreadable input: nothing of its content leaks" sh -c "! grep -q execve '$T/err'"

	mkdir -m 0755 ro
	cp ref.bin ro/app.bin
	cp base.policy pub/app.policy
	chmod 644 pub/app.policy
	before=$(stat -c '%i %Y' ro/app.bin)
	expect_exit 1 "unwritable output folder: exit 1" as_nobody "$C" pub/app.policy ro/app.bin
	expect_grep "$T/err" "ro/app\.bin: cannot write: Permission denied" "unwritable output folder: says so"
	check "unwritable output folder: the existing blob is untouched" \
		sh -c "cmp -s ro/app.bin ref.bin && test \"\$(stat -c '%i %Y' ro/app.bin)\" = '$before'"
	check "unwritable output folder: no temporary" test -z "$(find ro -name '.app.bin.*')"
	rm -f pub/out.bin
	expect_exit 0 "an unprivileged user compiles into a folder it owns" \
		as_nobody "$C" pub/app.policy pub/out.bin
	check "as nobody: the same blob as root's" cmp -s pub/out.bin ref.bin
	check "as nobody: owned by nobody" test "$(stat -c %U pub/out.bin)" = nobody
else
	skip "unreadable input and unwritable folder: need root and setpriv"
fi

# An output that is a symlink to another file: the file must not change.
cp ref.bin other.bin
echo "do not touch" >target.txt
ln -s target.txt linkout.bin
"$C" -q base.policy linkout.bin
check "output is a symlink: its target is unchanged" test "$(cat target.txt)" = "do not touch"
check "output is a symlink: replaced by a regular file" sh -c 'test -f linkout.bin && ! test -L linkout.bin'
ln -s /nonexistent/dir/x.bin dangling.bin
"$C" -q base.policy dangling.bin
check "output is a dangling symlink: replaced, nothing created at its target" \
	sh -c 'test -f dangling.bin && ! test -L dangling.bin && ! test -e /nonexistent'
rm -f out.bin
expect_exit 1 "output in a missing folder: exit 1" "$C" base.policy missing/out.bin
check "output in a missing folder: nothing created" test ! -e missing

# ---- every argument form, malformed ----
n=0
while IFS='%' read -r line pos re; do
	[ -n "$line" ] || continue
	n=$((n + 1))
	printf 'execve\n%s\n' "$line" >"arg$n.policy"
	"$C" --check "arg$n.policy" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -Eq "^arg$n\.policy:2:$pos: error: $re" "$T/err"; then
		ok "malformed: '$line' -> 2:$pos"
	else
		not_ok "malformed: '$line' -> 2:$pos /$re/ (exit $rc)"
		show "$T/err"
	fi
done <<'EOF'
read 1 2 3 4 5 6 7%18%too many arguments for read \(at most 6\)
getppid >%9%expected a value after '>'
getppid >=%9%expected a value after '>='
getppid <%9%expected a value after '<'
getppid <=%9%expected a value after '<='
getppid !%9%expected a value after '!'
getppid |%9%expected a mask after '\|'
getppid 5|%10%expected a value after '\|'
getppid !5|3%11%a masked comparison 'MASK\|VALUE' takes no operator
getppid 3|4%9%'3\|4' can never match
getppid 0x%9%invalid number '0x'
getppid 08%9%invalid number '08'
getppid 0x1g%9%invalid number '0x1g'
getppid 18446744073709551616%9%number '18446744073709551616' does not fit in 64 bits
getppid -1%9%negative value for argument 0 of getppid, which is not signed
setuid -4294967297%8%'-4294967297' does not fit the 32-bit argument
ioctl - 0x100000000%9%value '0x100000000' does not fit argument 1 of ioctl, which the kernel reads as 32 bits
mknod - 0x10000%9%value '0x10000' does not fit argument 1 of mknod, which the kernel reads as 16 bits
mknod - CLONE_NEWUSER%9%constant 'CLONE_NEWUSER' \(0x10000000\) does not fit the 16-bit argument
socket AF_UNX%8%unknown constant 'AF_UNX'; did you mean 'AF_UNIX'\?
socket AF-UNIX%10%unexpected character '-' in value
getppid $%9%invalid value '\$'
getppid =5%9%invalid value '=5'
getppid !!5%10%invalid value '!5'
setuid u:no_such_user_sf%10%unknown user 'no_such_user_sf'
setgid g:no_such_group_sf%10%unknown group 'no_such_group_sf'
setuid u:%9%unexpected character ':' in value
~%1%expected a syscall name after '~'
~~read%2%invalid syscall name '~read'
1read%1%invalid syscall name '1read'
re-ad%3%invalid syscall name 're-ad'
@complai%1%unknown directive '@complai'; did you mean '@complain'\?
@COMPLAIN%1%unknown directive '@COMPLAIN'; did you mean '@complain'\?
@complain now%11%unexpected text after directive '@complain'
EOF
# u:/g: with real NSS names.
printf 'execve\nsetresuid -1 u:nobody -1\nsetgid g:root\n' >nss.policy
expect_exit 0 "u:nobody and g:root resolve through NSS" "$C" nss.policy nss.bin
