#!/bin/bash
# The bad-input matrix of issue 5: one TAP line per case, each asserting
# everything the case promises at once -
#   compiler: the exit status; a clear one-line reason, "FILE:LINE:COL:
#     error: ..." where the case has a line; no output written and an
#     existing output untouched (same bytes, inode and mtime; no new file,
#     no .NAME.sysfence-tmp-XXXXXX temporary in the output folder);
#   launcher: the exit status; one line "sysfence-launch: PROFILE: reason"
#     on a refusal, and the program never ran; or the program ran, confined
#     (Seccomp: 2, as its own report says);
#   both: no crash (no exit status of 128 or more, which is a signal) and,
#     in every build, no "ERROR: AddressSanitizer" or "runtime error" on
#     stderr (what `make check SANITIZE=1` makes fatal).
# Timing is never asserted: the big cases are capped (MATRIX_CAP seconds)
# and one that hits the cap is reported as skipped, not as a failure.
#
# Cases of the issue that other scripts already test with the same
# assertions are not repeated here; they are listed below so that the
# matrix is complete in one place (docs/security.md points here).
#
#   case                                   where it is tested (script: "test")
#   -------------------------------------  ------------------------------------------------
#   compiler
#   empty file (valid: deny-all)           compiler_badinput.sh: "empty file: valid ...",
#                                          "empty file: warns that nothing can start"
#   only comments                          compiler_badinput.sh: "only comments and blank lines: valid"
#   binary garbage                         compiler_badinput.sh: "binary garbage: exit 1",
#                                          "... GCC-style error", "... no output"
#   NUL in a line                          compiler_badinput.sh: "NUL in a line: ..."
#   invalid UTF-8                          compiler_badinput.sh: "invalid UTF-8: ..."
#   CR-only line ends                      compiler_badinput.sh: "CR-only line ends: ...",
#                                          "a CR at the end of the file: ..."
#   a 100 KB line                          compiler_badinput.sh: "a 100 KB line: ..." (1 MB: here)
#   a file over 16 MiB                     compiler_badinput.sh: "a policy over 16 MiB: ..." (50 MB: here)
#   10^5 rules                             compiler_badinput.sh: "100 000 rules compile" (10^6: here)
#   7 arguments                            compiler_badinput.sh: "malformed: 'read 1 2 3 4 5 6 7' -> 2:18"
#   !, >, >=, <, <=, |, A|, 0x, 08,        compiler_badinput.sh: "malformed: 'getppid !' ...",
#   u:, u:nosuchuser, g:nosuchgroup,       "'getppid >' ...", "'getppid 5|' ...", "'getppid 0x' ...",
#   a negative for an unsigned argument,   "'setuid u:' ...", "'setuid u:no_such_user_sf' ...",
#   overflow (2^64, 32- and 16-bit args),  "'getppid -1' ...", "'getppid 18446744073709551616' ...",
#   unknown constant                       "'ioctl - 0x100000000' ...", "'socket AF_UNX' ..."
#                                          (|B, g:, '-' + garbage, hex/octal/signed overflow: here)
#   conflicting directives (parser)        tests/unit/test_parse.c: mode_of("@complain ... @unrestricted")
#                                          (the compiled blob and the launcher: here)
#   over BPF_MAXINSNS                      compiler_badinput.sh: "a program over BPF_MAXINSNS: ...",
#                                          "a deny program over BPF_MAXINSNS: exit 1"
#   input: folder, FIFO, /dev/zero,        compiler_badinput.sh: "input is a folder: ...",
#   missing, unreadable                    "input is a FIFO ...", "input is /dev/zero: ...",
#                                          "input is missing: ...", "unreadable input: ..."
#   unwritable output folder               compiler_badinput.sh: "unwritable output folder: ..."
#                                          (as nobody; a read-only file system: here)
#   output is a symlink (compiled)         compiler_badinput.sh: "output is a symlink: its target
#                                          is unchanged", compiler_cli.sh: "the symlink's target is
#                                          unchanged" (a failing compile, batch mode: here)
#   existing output on a policy error      compiler_cli.sh: "the existing output is left byte for
#                                          byte, inode and mtime untouched"
#   SIGINT/SIGTERM mid-batch               compiler_batch.sh: "no .NAME.bin.sysfence-tmp-XXXXXX temporary left
#                                          after SIGTERM/SIGINT", "no partial blob after ..."
#                                          (interrupted, then resumed: concurrency.sh)
#   8 compilers, one output                compiler_batch.sh: "8 concurrent compiles of one OUTPUT
#                                          leave one complete, valid blob"
#   output folder swapped mid-write,       compiler_temporaries.sh: "folder swapped mid-write: 0
#   SIGKILL mid-batch + one clean run,     temporaries ...", "after the kill and one clean run: 0
#   two batches into one folder,           temporaries", "the second batch left the first one's
#   a temporary given to a tool            live temporary alone", "--disasm of a temporary ..."
#   a 16 MiB policy, --from-log of an      compiler_memory.sh (under RLIMIT_AS); peaks: make bench
#   endless input
#   launcher
#   untrusted profiles: owner, group/      launch_refuse.sh: "refused: profile owned by the user",
#   world-writable file or folder,         "... writable ...", "symlinked ...", "hard-linked profile",
#   symlinks, hard link, FIFO, device,     "FIFO ...", "device ...", "folder in the store",
#   folder, oversized, truncated, digest,  "oversized ...", "truncated ...", "flipped byte ...",
#   magic, version, forged programs,       "wrong magic", "wrong format version", "oversized program",
#   other architecture, names,             "ERRNO(0) ...", "USER_NOTIF ...", "jump out ...",
#   --profile-dir, unreadable, not a blob  "another architecture only", "name ...", "--profile-dir ...",
#                                          "a profile the caller cannot read", "not a profile ..."
#   empty argv                             launch_refuse.sh: "argc == 0 (CVE-2021-4034 setup)"
#   missing --, PROGRAM, PROFILE           launch_refuse.sh: "missing '--'", "missing PROGRAM", ...
#   one of fds 0-2 closed                  launch_confine.sh: "user/root, closed fd N" (all three: here)
#   LD_PRELOAD in the program's env        launch_confine.sh: "environment: glibc secure mode strips
#                                          LD_PRELOAD" (a real library, LD_LIBRARY_PATH: here)
#   a failing filter load                  launch_oldkernel.sh: "... load fails ..."
#
# Rows here (each "ok N - ROW" below): compiler - 1 MB line, 50 MB file,
# 10^6 rules (allowed; distinct: over BPF_MAXINSNS), malformed argument
# forms, overflowing numbers, a long u:/g: name, conflicting directives,
# disk full (tmpfs; single, --raw, batch), RLIMIT_FSIZE (single, --raw,
# batch), a read-only output file system, a failing compile into a
# symlink, a batch output that is a symlink; launcher - 100 000
# arguments, a 128 KB environment (many variables; one of 127 KB),
# LD_PRELOAD and LD_LIBRARY_PATH, fds 0-2 all closed, RLIMIT_NOFILE 3 and
# a sweep, RLIMIT_AS sweep, the caller reading or tracing the launcher
# while it holds CAP_SYS_ADMIN, control bytes in the profile argument,
# conflicting directives, the store profile replaced while the launcher
# reads it.
#
# As root the launcher rows run like the launch_*.sh scripts (a setuid
# copy in a root-owned folder, run as nobody; launch_setup.sh); otherwise
# they, and the rows needing mount(2), are skipped.
if [ "$(id -u)" -eq 0 ]; then
	. "$(dirname "$0")/launch_setup.sh"
	AS_ROOT=1
else
	. "$(dirname "$0")/../lib.sh"
	AS_ROOT=0
fi

C=$SF_COMPILE
CAP=${MATRIX_CAP:-300}
SAN_RE='ERROR: AddressSanitizer|runtime error|ERROR: LeakSanitizer'
M=$T/matrix
mkdir -p "$M/in" "$M/out"
cd "$M" || exit 1
base_policy >in/base.policy
"$C" -q in/base.policy ref.bin || not_ok "the base policy compiles"

# row NAME WHY...: one TAP line; the row passed when no WHY was given.
row() {
	local name=$1
	shift
	if [ "$#" -eq 0 ]; then
		ok "$name"
	else
		not_ok "$name: $(printf '%s; ' "$@")"
		show "$T/err"
	fi
}

# What a folder holds, to the byte: names, inodes, sizes, mtimes, digests.
snapshot() {
	(cd "$1" && find . -mindepth 1 -printf '%p %i %s %T@ %y\n' | sort &&
		find . -type f -exec sha256sum {} + | sort -k2)
}

# crash_check RC: reasons a run crashed (a signal, a sanitizer report).
why=()
crash_check() {
	if [ "$1" -ge 128 ] && [ "$1" -ne 124 ]; then why+=("killed by signal $(($1 - 128))"); fi
	if grep -Eq "$SAN_RE" "$T/err" 2>/dev/null; then why+=("sanitizer report on stderr"); fi
}

# crow NAME STATUS REGEX DIR CMD...: a compiler run that must fail with
# STATUS and REGEX on stderr, leaving DIR (its output folder, holding an
# existing out.bin) exactly as it was.  CMD runs in $M, capped at $CAP s.
crow() {
	local name=$1 want=$2 re=$3 dir=$4 rc before
	shift 4
	why=()
	[ -e "$dir/out.bin" ] || cp ref.bin "$dir/out.bin"
	before=$(snapshot "$dir")
	timeout "$CAP" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 124 ]; then
		skip "$name: not finished within $CAP s (timing is not asserted)"
		return
	fi
	[ "$rc" -eq "$want" ] || why+=("exit $rc, wanted $want")
	crash_check "$rc"
	grep -Eq -- "$re" "$T/err" || why+=("no /$re/ on stderr")
	[ "$(snapshot "$dir")" = "$before" ] || why+=("$dir changed (output written or touched)")
	row "$name" "${why[@]}"
}

# u32_at FILE OFFSET: a little-endian u32 of a blob header.
u32_at() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }

# ============================== compiler ====================================

# ---- size ----
{ echo execve; printf 'getppid %01048576d\n' 1; } >in/line1m.policy
crow "compiler: a 1 MB line: exit 1, the line limit at 2:4097, nothing written" 1 \
	'^in/line1m\.policy:2:4097: error: line is 1048584 bytes long; the limit is 4096$' \
	out "$C" in/line1m.policy out/out.bin

awk 'BEGIN { s = sprintf("# %0998d", 0); for (i = 0; i < 50 * 1024; i++) print s }' >in/big50m.policy
crow "compiler: a 50 MB file: exit 1, says the 16 MiB limit, nothing written" 1 \
	'^sysfence-compile: in/big50m\.policy: policy is larger than 16 MiB$' \
	out "$C" in/big50m.policy out/out.bin
rm -f in/big50m.policy

# 10^6 rules: a clear error or success, no crash.  The same call a million
# times is one rule; a million distinct values cannot fit a program.
awk 'BEGIN { split("read write openat close getpid gettid futex mmap munmap brk", n, " ");
	for (i = 0; i < 1000000; i++) {
		if (i % 10 == 0) printf "ioctl - %d\n", i % 40
		else if (i % 10 == 1) printf "getppid %d\n", i % 50
		else print n[i % 10 + 1] } }' >in/rules1m.policy
cat in/base.policy >>in/rules1m.policy
why=()
rm -f out/rules1m.bin
timeout "$CAP" "$C" -q in/rules1m.policy out/rules1m.bin >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 124 ]; then
	skip "compiler: 10^6 rules: not finished within $CAP s (timing is not asserted)"
else
	[ "$rc" -eq 0 ] || why+=("exit $rc, wanted 0")
	crash_check "$rc"
	[ "$(head -c 8 out/rules1m.bin 2>/dev/null)" = SYSFENCE ] || why+=("no valid blob")
	"$C" --disasm out/rules1m.bin >/dev/null 2>&1 || why+=("the blob does not verify (--disasm)")
	row "compiler: 10^6 rules (repeated calls): compiles to a valid blob" "${why[@]}"
fi
rm -f in/rules1m.policy out/rules1m.bin
{ awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "getppid %d\n", i }'; cat in/base.policy; } >in/distinct1m.policy
crow "compiler: 10^6 distinct rules: exit 1, over BPF_MAXINSNS, nothing written" 1 \
	'^in/distinct1m\.policy: error: the program has more than [0-9]+ BPF instructions; the kernel accepts at most 4096 \(BPF_MAXINSNS\); most are the argument checks of getppid \([0-9]+\)$' \
	out "$C" -q in/distinct1m.policy out/out.bin
rm -f in/distinct1m.policy

# ---- argument forms the table of compiler_badinput.sh does not have ----
# LINE%COLUMN%REGEX: the policy "execve\nLINE" fails at 2:COLUMN.
n=0
while IFS='%' read -r line pos re; do
	[ -n "$line" ] || continue
	n=$((n + 1))
	printf 'execve\n%s\n' "$line" >"in/arg$n.policy"
	crow "compiler: malformed '$line': exit 1 at 2:$pos, nothing written" 1 \
		"^in/arg$n\\.policy:2:$pos: error: $re" out "$C" "in/arg$n.policy" out/out.bin
done <<'EOF'
getppid |zz%10%unknown constant 'zz'
getppid |0x%10%invalid number '0x'
getppid ||5%10%invalid value '\|5'
getppid 5||3%11%invalid value '\|3'
getppid |5|3%10%invalid number '5\|3'
setgid g:%9%unexpected character ':' in value
getppid !g:%11%unexpected character ':' in value
getppid -x%9%invalid number '-x'
kill -x%6%invalid number '-x'
kill --%6%invalid number '--'
kill -0x%6%invalid number '-0x'
kill -08%6%invalid number '-08'
kill -SIGKILL%6%invalid number '-SIGKILL'
getppid >0x%10%invalid number '0x'
getppid >=08%11%invalid number '08'
getppid <-%10%invalid value '-'
getppid <=!5%11%invalid value '!5'
getppid !>5%10%invalid value '>5'
getppid +5%9%invalid value '\+5'
getppid 1e3%9%invalid number '1e3'
getppid 0x10000000000000000%9%number '0x10000000000000000' does not fit in 64 bits
getppid 02000000000000000000000%9%number '02000000000000000000000' does not fit in 64 bits
getppid 99999999999999999999999999%9%number '99999999999999999999999999' does not fit in 64 bits
kill -9223372036854775809%6%'-9223372036854775809' does not fit the 32-bit argument
kill -0xffffffffffffffffff%6%number '-0xffffffffffffffffff' does not fit in 64 bits
setuid 4294967296%8%value '4294967296' does not fit argument 0 of setuid, which the kernel reads as 32 bits
EOF
long=$(printf 'n%.0s' $(seq 300))
printf 'execve\nsetuid u:%s\nsetgid g:%s\n' "$long" "$long" >in/longname.policy
crow "compiler: a 300-byte u:/g: name: exit 1, both named, nothing written" 1 \
	'^in/longname\.policy:2:8: error: user name too long' out "$C" in/longname.policy out/out.bin
expect_grep "$T/err" '^in/longname\.policy:3:8: error: group name too long' \
	"compiler: a 300-byte g: name: the second error is reported too"

# ---- conflicting directives: @unrestricted wins, in any order ----
n=0
for body in '@complain\n@unrestricted' '@unrestricted\n@complain' \
	'@complain\nread\n@unrestricted\n@complain\n@unrestricted'; do
	n=$((n + 1))
	{ base_policy; printf '%b\n' "$body"; } >"in/dir$n.policy"
	why=()
	"$C" -q "in/dir$n.policy" "out/dir$n.bin" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 0 ] || why+=("exit $rc, wanted 0")
	crash_check "$rc"
	[ "$(u32_at "out/dir$n.bin" 16)" = 2 ] || why+=("mode $(u32_at "out/dir$n.bin" 16), wanted 2 (unrestricted)")
	[ "$(stat -c %s "out/dir$n.bin" 2>/dev/null)" = 192 ] || why+=("not a bare header")
	row "compiler: directives $(printf '%b' "$body" | grep @ | tr '\n' ' ')-> unrestricted (mode 2, no program)" "${why[@]}"
done

# ---- the output cannot be written ----
big_policy=$SF_ROOT/bench/app.policy # a 2.8 KB blob
if [ "$AS_ROOT" = 1 ]; then
	# A full disk: a 64 KiB tmpfs, filled after the existing blobs are in.
	mkdir full
	if mount -t tmpfs -o size=64k,mode=0755 sf-full full; then
		at_exit "umount -l '$M/full'"
		cp ref.bin full/out.bin
		for i in 1 2 3; do cp ref.bin "full/p$i.bin"; done
		head -c 1048576 /dev/zero >full/filler 2>/dev/null
		crow "compiler: disk full (tmpfs): exit 1, ENOSPC named, no partial blob" 1 \
			'^sysfence-compile: full/out\.bin: cannot write: No space left on device$' \
			full "$C" -q "$big_policy" full/out.bin
		crow "compiler: disk full, --raw: exit 1, ENOSPC, nothing left" 1 \
			'^sysfence-compile: full/out\.bin: cannot write: No space left on device$' \
			full "$C" -q --raw "$big_policy" full/out.bin
		for i in 1 2 3; do { cat "$big_policy"; echo "getppid $i"; } >"in/p$i.policy"; done
		crow "compiler: disk full, batch: exit 1, every blob fails, none touched" 1 \
			'^sysfence-compile: 0 compiled, 0 up to date, 3 failed$' \
			full "$C" -j 2 --out-dir full in/p1.policy in/p2.policy in/p3.policy
	else
		skip "compiler: disk full: cannot mount a tmpfs"
	fi
	# A read-only file system: root's rights do not help.
	mkdir ro
	if mount -t tmpfs -o size=1m,mode=0755 sf-ro ro; then
		at_exit "umount -l '$M/ro'"
		cp ref.bin ro/out.bin
		mount -o remount,ro ro
		crow "compiler: output on a read-only file system: exit 1, EROFS named" 1 \
			'^sysfence-compile: ro/out\.bin: cannot write: Read-only file system$' \
			ro "$C" -q in/base.policy ro/out.bin
	else
		skip "compiler: read-only file system: cannot mount a tmpfs"
	fi
else
	skip "compiler: disk full and read-only rows need root (mount)"
fi

# RLIMIT_FSIZE: the write fails with EFBIG (SIGXFSZ is ignored), the
# temporary is removed.  (SIGXFSZ used to kill the compiler and leave the
# temporary, issue 5.)  The limits are under the blob's size (2.8 KB); the
# batch's 2 KB leaves room for its diagnostics, which go to a file here,
# under the same limit.
mkdir fsize
crow "compiler: RLIMIT_FSIZE 1 KiB: exit 1, EFBIG named, no partial blob" 1 \
	'^sysfence-compile: fsize/out\.bin: cannot write: File too large$' \
	fsize prlimit --fsize=1024 "$C" -q "$big_policy" fsize/out.bin
crow "compiler: RLIMIT_FSIZE, --raw: exit 1, nothing left" 1 \
	'^sysfence-compile: fsize/out\.bin: cannot write: File too large$' \
	fsize prlimit --fsize=1024 "$C" -q --raw "$big_policy" fsize/out.bin
# Under the size of the header: the generator itself writes no file.
crow "compiler: RLIMIT_FSIZE 128 B (under the header): exit 1, EFBIG named, nothing written" 1 \
	'^sysfence-compile: fsize/out\.bin: cannot write: File too large$' \
	fsize prlimit --fsize=128 "$C" -q "$big_policy" fsize/out.bin
for i in 1 2 3; do cp ref.bin "fsize/p$i.bin"; { cat "$big_policy"; echo "getppid $i"; } >"in/p$i.policy"; done
crow "compiler: RLIMIT_FSIZE, batch: exit 1, every blob fails, none touched" 1 \
	'^sysfence-compile: 0 compiled, 0 up to date, 3 failed$' \
	fsize prlimit --fsize=2048 "$C" -j 2 --out-dir fsize in/p1.policy in/p2.policy in/p3.policy

# ---- symlinks as outputs ----
mkdir sym
echo "do not touch" >sym/target.txt
ln -s target.txt sym/out.bin
printf 'execve\nsocket AF_UNX\n' >in/bad.policy
crow "compiler: a failing compile into a symlink: the link and its target untouched" 1 \
	"^in/bad\\.policy:2:8: error: unknown constant 'AF_UNX'" sym "$C" in/bad.policy sym/out.bin
mkdir symdir
echo "do not touch" >symdir/target.txt
ln -s target.txt symdir/base.bin
why=()
"$C" -q --out-dir symdir in/base.policy >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] || why+=("exit $rc, wanted 0")
crash_check "$rc"
[ "$(cat symdir/target.txt)" = "do not touch" ] || why+=("the symlink's target changed")
{ [ -f symdir/base.bin ] && [ ! -L symdir/base.bin ] && cmp -s symdir/base.bin ref.bin; } ||
	why+=("the link was not replaced by the blob")
row "compiler: batch output NAME.bin is a symlink: replaced, its target untouched" "${why[@]}"

# ============================== launcher ====================================
if [ "$AS_ROOT" != 1 ]; then
	skip "launcher rows need root (setuid copy, trusted store)"
	exit 0
fi
install -o root -g root -m 0755 "$SF_HELPERS/sf-args" "$B/sf-args"
ARGS=$B/sf-args
policy t "${POLICY_TEST_RULES[@]}"
store t || not_ok "compile t"
U=(setpriv --reuid="$SF_UID" --regid="$SF_GID" --clear-groups)
REP=$W/report

# launched NAME RC: the checks of a run whose program must have run
# confined (its report in $REP says Seccomp: 2) with exit status 0.
launched() {
	local name=$1 rc=$2
	shift 2
	why=("$@")
	[ "$rc" -eq 0 ] || why+=("exit $rc, wanted 0")
	crash_check "$rc"
	grep -q '^Seccomp:[[:space:]]*2$' "$REP" 2>/dev/null || why+=("the program did not report Seccomp: 2")
	row "$name" "${why[@]}"
}
# refused NAME RC REGEX: exit 125, one line matching REGEX, no program.
refused() {
	local name=$1 rc=$2 re=$3
	why=()
	[ "$rc" -eq 125 ] || why+=("exit $rc, wanted 125")
	crash_check "$rc"
	head -1 "$T/err" | grep -Eq -- "$re" || why+=("no /$re/ on stderr")
	[ "$(wc -l <"$T/err")" -eq 1 ] || why+=("not one line on stderr")
	[ ! -e "$REP" ] || why+=("the program ran")
	row "$name" "${why[@]}"
}

# ---- argument list and environment ----
mapfile -t many < <(seq 1 100000)
rm -f "$REP"
"${U[@]}" "$ARGS" "${many[@]}" >"$T/direct" 2>/dev/null
"${U[@]}" "$L" t -- "$ARGS" -o "$REP" "${many[@]}" >"$T/out" 2>"$T/err"
rc=$?
extra=()
[ "$(head -1 "$REP" 2>/dev/null)" = "$(head -1 "$T/direct")" ] ||
	extra+=("the program got other arguments: $(head -1 "$REP" 2>/dev/null)")
launched "launcher: 100 000 arguments: all reach the program, confined" "$rc" "${extra[@]}"
unset many

# env -i keeps what the sanitizers need (launch_setup.sh: no leak checks
# in confined programs).
keep=()
[ -n "${ASAN_OPTIONS:-}" ] && keep=("ASAN_OPTIONS=$ASAN_OPTIONS")
envs=("${keep[@]}")
for i in $(seq 1 1024); do envs+=("SF_V$i=$(printf '%0120d' "$i")"); done
rm -f "$REP"
env -i "${envs[@]}" "${U[@]}" "$ARGS" >"$T/direct" 2>/dev/null
env -i "${envs[@]}" "${U[@]}" "$L" t -- "$ARGS" -o "$REP" >"$T/out" 2>"$T/err"
rc=$?
extra=()
[ "$(sed -n 2p "$REP" 2>/dev/null)" = "$(sed -n 2p "$T/direct")" ] ||
	extra+=("the environment changed: $(sed -n 2p "$REP" 2>/dev/null) vs $(sed -n 2p "$T/direct")")
launched "launcher: a 128 KB environment (1024 variables): passed intact, confined" "$rc" "${extra[@]}"
unset envs
big=$(head -c $((127 * 1024)) /dev/zero | tr '\0' x)
rm -f "$REP"
env -i "${keep[@]}" SF_BIG="$big" "${U[@]}" "$ARGS" >"$T/direct" 2>/dev/null
env -i "${keep[@]}" SF_BIG="$big" "${U[@]}" "$L" t -- "$ARGS" -o "$REP" >"$T/out" 2>"$T/err"
rc=$?
extra=()
[ "$(sed -n 2p "$REP" 2>/dev/null)" = "$(sed -n 2p "$T/direct")" ] || extra+=("the environment changed")
launched "launcher: one 127 KB variable: passed intact, confined" "$rc" "${extra[@]}"
unset big

# ---- LD_PRELOAD and LD_LIBRARY_PATH from the caller ----
# A library that records every process it is loaded into, and copies of
# it named like the libraries the launcher (dynamic when SANITIZE=1) and
# sf-try link.  In glibc's secure mode none may load into the launcher,
# and the variables do not reach the program.
MARK=$W/loaded
cat >"$T/mark.c" <<EOF
#include <fcntl.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>
__attribute__((constructor)) static void sf_mark(void)
{
	char exe[256] = "", line[400];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fd = open("$MARK", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);

	if (n > 0)
		exe[n] = '\0';
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "exe=%s secure=%lu\n", exe, getauxval(AT_SECURE));
	if (write(fd, line, (size_t)n) < 0)
		n = 0;
	close(fd);
}
EOF
mkdir -m 0755 "$B/lib"
if ${CC:-cc} -shared -fPIC -o "$B/lib/libsfmark.so" "$T/mark.c" 2>"$T/err"; then
	for l in libcap.so.2 libnettle.so.8 libseccomp.so.2; do cp "$B/lib/libsfmark.so" "$B/lib/$l"; done
	chmod 0755 "$B/lib"/*
	# Controls: the library and the folder work, outside the launcher.
	rm -f "$MARK"
	ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0 \
		"${U[@]}" env LD_PRELOAD="$B/lib/libsfmark.so" "$ARGS" >/dev/null 2>&1
	if grep -q "exe=$ARGS " "$MARK" 2>/dev/null; then
		ok "launcher: control: LD_PRELOAD loads the marker library into an ordinary program"
	else
		not_ok "launcher: control: the marker library was not loaded by LD_PRELOAD"
	fi
	"${U[@]}" env LD_LIBRARY_PATH="$B/lib" "$TRY" syscall getpid >/dev/null 2>"$T/err"
	expect_grep "$T/err" 'symbol lookup error' \
		"launcher: control: LD_LIBRARY_PATH puts the fake libseccomp.so.2 into sf-try"
	rm -f "$MARK" "$REP"
	"${U[@]}" env LD_PRELOAD="$B/lib/libsfmark.so" LD_LIBRARY_PATH="$B/lib" \
		"$L" t -- "$ARGS" -o "$REP" >"$T/out" 2>"$T/err"
	rc=$?
	extra=()
	[ ! -e "$MARK" ] || extra+=("the library was loaded: $(tr '\n' ' ' <"$MARK")")
	grep -q 'symbol lookup error' "$T/err" && extra+=("a library from LD_LIBRARY_PATH was loaded")
	launched "launcher: LD_PRELOAD + LD_LIBRARY_PATH from the caller: loaded nowhere, program confined" \
		"$rc" "${extra[@]}"
	"${U[@]}" env LD_PRELOAD="$B/lib/libsfmark.so" LD_LIBRARY_PATH="$B/lib" \
		"$L" t -- "$TRY" env LD_PRELOAD env LD_LIBRARY_PATH >"$T/out" 2>"$T/err"
	rc=$?
	why=()
	[ "$rc" -eq 0 ] || why+=("exit $rc, wanted 0")
	crash_check "$rc"
	grep -q '^LD_PRELOAD unset$' "$T/out" || why+=("LD_PRELOAD reached the program")
	grep -q '^LD_LIBRARY_PATH unset$' "$T/out" || why+=("LD_LIBRARY_PATH reached the program")
	row "launcher: LD_PRELOAD + LD_LIBRARY_PATH: stripped before the program" "${why[@]}"
else
	skip "launcher: LD_PRELOAD rows: no C compiler to build the marker library"
fi

# ---- descriptors and limits ----
for who in user root; do
	run=()
	[ "$who" = user ] && run=("${U[@]}")
	rm -f "$REP"
	"${run[@]}" "$L" t -- "$ARGS" -o "$REP" <&- >&- 2>&-
	rc=$?
	: >"$T/err"
	extra=()
	for fd in 0 1 2; do
		grep -Eq "^fd $fd -> /dev/(null|full)\$" "$REP" 2>/dev/null || extra+=("fd $fd is not /dev/null")
	done
	launched "launcher ($who): fds 0, 1 and 2 all closed: the program runs with /dev/null there" \
		"$rc" "${extra[@]}"
done

# The SANITIZE=1 launcher is dynamic: under a tiny RLIMIT_NOFILE the
# loader cannot open libasan, before any of the launcher's code (the
# installed launcher is static).  That is accepted as a refusal there.
LOADER_RE="^$L: error while loading shared libraries: .*: (Error 24|Too many open files)\$"
for who in user root; do
	run=()
	[ "$who" = user ] && run=("${U[@]}")
	rm -f "$REP"
	"${run[@]}" prlimit --nofile=3 "$L" t -- "$ARGS" -o "$REP" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "${SANITIZE:-0}" = 1 ] && [ "$rc" -eq 127 ] && grep -Eq "$LOADER_RE" "$T/err"; then
		why=()
		[ ! -e "$REP" ] || why+=("the program ran")
		row "launcher ($who): RLIMIT_NOFILE 3: the (SANITIZE=1, dynamic) launcher cannot load; program never ran" \
			"${why[@]}"
		continue
	fi
	refused "launcher ($who): RLIMIT_NOFILE 3: refused, one line, program never ran" "$rc" \
		'^sysfence-launch: t: .*: Too many open files$'
done
# Every limit from 3 up: refused cleanly until the launcher has what it
# needs, then the program runs confined.  Never a crash, never unconfined.
bad=()
for n in 3 4 5 6 7 8 10 16; do
	rm -f "$REP"
	"${U[@]}" prlimit --nofile=$n "$L" t -- "$ARGS" -o "$REP" >"$T/out" 2>"$T/err"
	rc=$?
	why=()
	crash_check "$rc"
	if [ "${SANITIZE:-0}" = 1 ] && [ "$rc" -eq 127 ] && grep -Eq "$LOADER_RE" "$T/err" && [ ! -e "$REP" ]; then
		: # the dynamic SANITIZE=1 launcher could not be loaded (see above)
	elif [ "$rc" -eq 125 ]; then
		{ [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^sysfence-launch: t: ' "$T/err" && [ ! -e "$REP" ]; } ||
			why+=("a refusal that is not one line or ran the program")
	elif [ "$rc" -eq 0 ]; then
		grep -q '^Seccomp:[[:space:]]*2$' "$REP" || why+=("ran without Seccomp: 2")
	else
		why+=("exit $rc")
	fi
	[ "${#why[@]}" -eq 0 ] || bad+=("nofile=$n: ${why[*]}")
done
row "launcher: RLIMIT_NOFILE 3..16: each run refused in one line or confined" "${bad[@]}"

# RLIMIT_AS: below what the kernel needs to map the launcher the exec
# itself fails (SIGSEGV from execve, before any of its code: shown by
# --version failing the same way); above, the launcher must work or refuse,
# and the program then runs confined or fails to start (its loader's
# "error while loading shared libraries", its own ENOMEM).
if [ "${SANITIZE:-0}" = 1 ]; then
	skip "launcher: RLIMIT_AS: ASan reserves terabytes of shadow memory (SANITIZE=1)"
else
	bad=()
	counts=""
	for k in 64 512 1024 1152 1280 1536 1792 2048 2304 2560 3072 4096 8192 65536; do
		rm -f "$REP"
		# (In subshells: bash would print "Segmentation fault" for each.)
		("${U[@]}" prlimit --as=$((k * 1024)) "$L" --version >/dev/null 2>&1; exit $?) 2>/dev/null
		v=$?
		("${U[@]}" prlimit --as=$((k * 1024)) "$L" t -- "$ARGS" -o "$REP" >"$T/out" 2>"$T/err"
			exit $?) 2>/dev/null
		rc=$?
		why=()
		if [ "$rc" -ge 128 ] && [ "$v" -eq "$rc" ]; then
			counts+=" ${k}K:exec-impossible"
			continue
		fi
		crash_check "$rc"
		case $rc in
		0) grep -q '^Seccomp:[[:space:]]*2$' "$REP" || why+=("ran without Seccomp: 2") ;;
		125) { [ "$(wc -l <"$T/err")" -eq 1 ] && [ ! -e "$REP" ]; } || why+=("a refusal that is not one line") ;;
		127 | 100) grep -Eq 'error while loading shared libraries|sf-args: Cannot allocate memory' "$T/err" ||
			why+=("exit $rc without the program's own loader or ENOMEM message") ;;
		*) why+=("exit $rc") ;;
		esac
		counts+=" ${k}K:$rc"
		[ "${#why[@]}" -eq 0 ] || bad+=("as=${k}K: ${why[*]}")
	done
	echo "# RLIMIT_AS outcomes:$counts"
	row "launcher: RLIMIT_AS 64 KB..64 MB: never a launcher crash, never unconfined" "${bad[@]}"
fi

# ---- the launcher's own process, as the caller sees it ----
# While it waits for a profile (--wait) the launcher runs as the caller
# and keeps CAP_SYS_ADMIN permitted: it must be non-dumpable, so that the
# caller cannot read its memory or trace it (step 4 of docs/security.md).
setpriv --reuid="$SF_UID" --regid="$SF_GID" --clear-groups "$L" --wait 10 nothere -- "$TRY" touch "$W/ran" \
	>"$T/out" 2>"$T/err" &
pid=$!
# Until it has dropped to the caller: all four uids, not just the real one
# a setuid process starts with (the SANITIZE=1 build starts slowly).
for _ in $(seq 400); do
	grep -q '^Name:[[:space:]]*sysfence-launc' "/proc/$pid/status" 2>/dev/null &&
		grep -Eq "^Uid:[[:space:]]+${SF_UID}[[:space:]]+${SF_UID}[[:space:]]+${SF_UID}[[:space:]]+${SF_UID}\$" \
			"/proc/$pid/status" && break
	sleep 0.05
done
why=()
grep -Eq "^Uid:[[:space:]]+${SF_UID}[[:space:]]+${SF_UID}[[:space:]]+${SF_UID}[[:space:]]+${SF_UID}\$" \
	"/proc/$pid/status" || why+=("not running as the caller")
grep -Eq '^CapPrm:[[:space:]]+0+200000$' "/proc/$pid/status" || why+=("CapPrm is not exactly CAP_SYS_ADMIN")
grep -Eq '^CapEff:[[:space:]]+0+$' "/proc/$pid/status" || why+=("CapEff is not empty")
# The kernel makes /proc/PID/* of a non-dumpable process root's.
[ "$(stat -c %u "/proc/$pid/status" 2>/dev/null)" = 0 ] || why+=("dumpable (/proc/PID/status not root's)")
as_user head -c 1 "/proc/$pid/mem" >/dev/null 2>&1 && why+=("the caller read /proc/PID/mem")
as_user cat "/proc/$pid/environ" >/dev/null 2>&1 && why+=("the caller read /proc/PID/environ")
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
row "launcher: while waiting with CAP_SYS_ADMIN: runs as the caller, non-dumpable, memory unreadable" "${why[@]}"

# Error messages show bytes outside printable ASCII as '?' (a terminal
# escape in PROFILE must not reach the caller's terminal).
rm -f "$W/ran"
as_user "$L" $'bad\e[2J\aname' -- "$TRY" touch "$W/ran" >"$T/out" 2>"$T/err"
refused_rc=$?
REP=$W/ran
refused "launcher: control bytes in a profile name: refused, shown as '?'" "$refused_rc" \
	'^sysfence-launch: bad\?\[2J\?name: invalid profile name'
as_user "$L" "$P/x"$'\e[2J\a' -- "$TRY" touch "$W/ran" >"$T/out" 2>"$T/err"
refused_rc=$?
refused "launcher: control bytes in a profile path: refused, shown as '?'" "$refused_rc" \
	"^sysfence-launch: $P/x\\?\\[2J\\?: "
if LC_ALL=C grep -q '[^[:print:]]' "$T/err"; then not_ok "launcher: no control byte reached stderr"; else ok "launcher: no control byte reached stderr"; fi
REP=$W/report

# ---- conflicting directives, loaded ----
policy dirs @complain "${POLICY_TEST_RULES[@]}" @unrestricted @complain
store dirs || not_ok "compile dirs"
rm -f "$REP"
"${U[@]}" "$L" dirs -- "$ARGS" -o "$REP" >"$T/out" 2>"$T/err"
rc=$?
why=()
[ "$rc" -eq 0 ] || why+=("exit $rc, wanted 0")
crash_check "$rc"
grep -q '^Seccomp:[[:space:]]*0$' "$REP" 2>/dev/null || why+=("a filter was loaded")
row "launcher: @complain + @unrestricted: runs unrestricted (Seccomp: 0)" "${why[@]}"

# ---- the store profile replaced while the launcher reads it ----
# A writer swaps the store file between two valid profiles and damaged
# ones, by rename and by rewriting it in place (truncated, then written).
# Each launch must run the program under exactly one of the two valid
# profiles, or refuse (125, one line) without running it: never
# unconfined, never a mix.  ra: getuid EPERM; rb: getuid allowed; both
# deny getppid explicitly (EACCES) and load two filters.
policy ra "${POLICY_TEST_RULES[@]}"
policy rb "${POLICY_TEST_RULES[@]}" getuid '~getpgrp'
{ store ra && store rb; } || not_ok "compile ra, rb"
size=$(stat -c %s "$P/ra.bin")
cp "$P/ra.bin" "$P/flip"
printf '\x01' | dd of="$P/flip" bs=1 seek=$((size - 3)) conv=notrunc status=none
cmp -s "$P/ra.bin" "$P/flip" && printf '\x02' | dd of="$P/flip" bs=1 seek=$((size - 3)) conv=notrunc status=none
head -c $((size - 8)) "$P/ra.bin" >"$P/trunc"
head -c 100 "$P/rb.bin" >"$P/short"
: >"$P/empty"
install -o root -g root -m 0644 "$P/ra.bin" "$STORE/race.bin"
(
	cands=("$P/ra.bin" "$P/rb.bin" "$P/flip" "$P/ra.bin" "$P/trunc" "$P/rb.bin" "$P/short" "$P/empty")
	i=0
	while [ ! -e "$T/stop-race" ]; do
		src=${cands[$((i % ${#cands[@]}))]}
		if [ $((i % 2)) -eq 0 ]; then
			cp "$src" "$STORE/.race.tmp" && mv -f "$STORE/.race.tmp" "$STORE/race.bin"
		else
			cat "$src" >"$STORE/race.bin"
		fi
		i=$((i + 1))
	done
) &
writer=$!
at_exit "touch '$T/stop-race'; wait $writer 2>/dev/null"
runs=${MATRIX_RACE_RUNS:-400}
na=0 nb=0 nr=0 bad=()
for i in $(seq 1 "$runs"); do
	"${U[@]}" "$L" race -- "$TRY" status syscall getppid syscall getuid >"$T/out" 2>"$T/err"
	rc=$?
	why=()
	crash_check "$rc"
	got="$(grep -E '^(Seccomp|Seccomp_filters):' "$T/out" | tr -s ' \t' ' ' | tr '\n' ' ')$(grep -E '^(getppid|getuid)=' "$T/out" | tr '\n' ' ')"
	if [ "$rc" -eq 125 ]; then
		if [ -s "$T/out" ] || [ "$(wc -l <"$T/err")" -ne 1 ] || ! grep -q '^sysfence-launch: race: ' "$T/err"; then
			why+=("a refusal that ran the program or is not one line: $(head -2 "$T/err" | tr '\n' ' ')")
		fi
		nr=$((nr + 1))
	elif [ "$rc" -eq 1 ] && [ "$got" = "Seccomp: 2 Seccomp_filters: 1 getppid=errno:13 getuid=errno:1 " ]; then
		na=$((na + 1))
	elif [ "$rc" -eq 0 ] && [ "$got" = "Seccomp: 2 Seccomp_filters: 1 getppid=errno:13 getuid=0 " ]; then
		nb=$((nb + 1))
	else
		why+=("exit $rc, program saw: $got")
	fi
	[ "${#why[@]}" -eq 0 ] || bad+=("run $i: ${why[*]}")
	[ "${#bad[@]}" -lt 5 ] || break
done
touch "$T/stop-race"
wait "$writer" 2>/dev/null
echo "# race: $runs launches: $na under ra, $nb under rb, $nr refused"
row "launcher: store profile replaced while read ($runs runs): one valid profile or a refusal, never unconfined or mixed" "${bad[@]}"
