#!/bin/bash
# sysfence-compile --explain: verdicts, deciding lines and exit status
# (0 allowed, 1 denied, 2 error) on a policy, its blob and its raw
# programs; and, where the kernel-truth runner exists, the same verdicts
# from the real kernel.
. "$(dirname "$0")/../lib.sh"

P=$T/app.policy
{ base_policy; cat "$SF_ROOT/tests/policies/tools.policy"; } >"$P"
line_of() { grep -n -x -- "$1" "$P" | head -1 | cut -d: -f1; }

expect_exit 0 "read is allowed" "$SF_COMPILE" --explain "$P" read
expect_grep "$T/out" "^read\(\) on x86_64: ALLOW$" "the verdict comes first"
expect_grep "$T/out" "^$P:$(line_of read): read$" "the deciding line as FILE:LINE: text"

expect_exit 1 "ptrace is denied" "$SF_COMPILE" --explain "$P" ptrace
expect_grep "$T/out" "ERRNO\(EACCES\)$" "an explicit denial is EACCES"
expect_grep "$T/out" "^$P:$(line_of '~ptrace'): ~ptrace$" "its '~' line decides"

expect_exit 1 "getuid falls to the default" "$SF_COMPILE" --explain "$P" getuid
expect_grep "$T/out" "ERRNO\(EPERM\)$" "the default action is EPERM"
expect_grep "$T/out" "^no rule allows it \(default action\)$" "and says so"

# DESIGN.md: an explicit denial is EACCES even when another rule allows
# the same syscall with other arguments (ioctl - TIOCGWINSZ here).
expect_exit 1 "ioctl TIOCSTI is denied" "$SF_COMPILE" --explain "$P" ioctl 1 TIOCSTI
expect_grep "$T/out" "^ioctl\(1, 0x5412\) on x86_64: ERRNO\(EACCES\)$" \
	"constants are resolved; EACCES beside an allow rule for other arguments"
expect_grep "$T/out" "^$P:$(line_of '~ioctl - TIOCSTI'): ~ioctl - TIOCSTI$" \
	"the denial decides, beside an allow rule for other arguments"

expect_exit 0 "ioctl TIOCGWINSZ is allowed" "$SF_COMPILE" --explain "$P" ioctl 1 0x5413
expect_grep "$T/out" "^$P:$(line_of 'ioctl - TIOCGWINSZ'): ioctl - TIOCGWINSZ$" "by its rule"
expect_no_grep "$T/out" "warning" "rules and programs agree"

expect_exit 1 "socket(AF_INET) is denied" "$SF_COMPILE" --explain "$P" socket AF_INET
expect_grep "$T/out" "note: .*socket AF_UNIX \(argument 0 does not match\)" "the near miss is shown"

expect_exit 0 "kill(-1, 0) takes a negative argument" "$SF_COMPILE" --explain "$P" kill -1 0
expect_exit 1 "clone3 gets ENOSYS" "$SF_COMPILE" --explain "$P" clone3
expect_grep "$T/out" "ERRNO\(ENOSYS\)" "clone3: ENOSYS"
expect_exit 1 "a number the compiler does not know gets ENOSYS" "$SF_COMPILE" --explain "$P" 999
expect_grep "$T/out" "not a system call this compiler knows" "and says why"
expect_exit 0 "a policy is compiled for the --arch asked" "$SF_COMPILE" --explain --arch aarch64 "$P" read
expect_grep "$T/out" "^read\(\) on aarch64: ALLOW$" "aarch64 numbering"
expect_exit 0 "x86: mmap2 exists there" "$SF_COMPILE" --explain --arch x86 "$P" mmap2
expect_exit 1 "x86: 32-bit arguments" "$SF_COMPILE" --explain --arch x86 "$P" ioctl 1 0x100005412
expect_grep "$T/out" "argument 1 is seen as 0x5412" "the upper bits are dropped, and it says so"

# The same verdicts from the blob and from the raw programs.
"$SF_COMPILE" -q "$P" "$T/app.bin" && "$SF_COMPILE" -q --raw "$P" "$T/app.raw" || not_ok "compile"
for call in "read" "ptrace" "getuid" "ioctl 1 TIOCSTI" "ioctl 1 TIOCGWINSZ" "clone3"; do
	# shellcheck disable=SC2086
	"$SF_COMPILE" --explain "$P" $call >"$T/p" 2>/dev/null; a=$?
	# shellcheck disable=SC2086
	"$SF_COMPILE" --explain "$T/app.bin" $call >"$T/b" 2>/dev/null; b=$?
	# shellcheck disable=SC2086
	"$SF_COMPILE" --explain "$T/app.raw" $call >"$T/r" 2>/dev/null; r=$?
	if [ "$a" = "$b" ] && [ "$a" = "$r" ] && [ "$(head -1 "$T/p")" = "$(head -1 "$T/b")" ] &&
		[ "$(head -1 "$T/p")" = "$(head -1 "$T/r")" ]; then
		ok "policy, blob and raw agree: $call"
	else
		not_ok "policy, blob and raw agree: $call ($a $b $r)"
		show "$T/p"; show "$T/b"; show "$T/r"
	fi
done
expect_exit 1 "a blob kills an architecture it was not compiled for" \
	"$SF_COMPILE" --explain --arch aarch64 "$T/app.bin" read
expect_grep "$T/out" "KILL_PROCESS" "KILL_PROCESS"
expect_grep "$T/out" "not an architecture of this profile" "and says why"
expect_exit 1 "a blob has no source lines" "$SF_COMPILE" --explain "$T/app.bin" ptrace
expect_grep "$T/out" "keeps no source lines" "and says so"

printf '@complain\nread\n' >"$T/c.policy"
expect_exit 0 "complain mode: LOG counts as allowed" "$SF_COMPILE" --explain "$T/c.policy" getuid
expect_grep "$T/out" ": LOG$" "the verdict is LOG"
printf '@unrestricted\n' >"$T/u.policy"
expect_exit 0 "unrestricted: allowed" "$SF_COMPILE" --explain "$T/u.policy" ptrace

# Errors: exit 2, a message, nothing on stdout.
expect_exit 2 "unknown syscall" "$SF_COMPILE" --explain "$P" opnat
expect_grep "$T/err" "did you mean 'openat'" "with a suggestion"
expect_exit 2 "a syscall of another architecture" "$SF_COMPILE" --explain "$P" mmap2
expect_exit 2 "a bad argument" "$SF_COMPILE" --explain "$P" ioctl 1 NOT_A_CONSTANT
expect_exit 2 "too many arguments" "$SF_COMPILE" --explain "$P" read 1 2 3 4 5 6 7
expect_exit 2 "no syscall" "$SF_COMPILE" --explain "$P"
expect_exit 2 "missing input" "$SF_COMPILE" --explain "$T/nope" read
expect_exit 2 "unknown option" "$SF_COMPILE" --explain --bogus "$P" read
printf 'read\nsocket AF_NOPE\n' >"$T/bad.policy"
expect_exit 2 "a policy that does not compile" "$SF_COMPILE" --explain "$T/bad.policy" read
expect_grep "$T/err" "bad.policy:2:8: error: unknown constant 'AF_NOPE'" "diagnostics GCC style"
head -c 100 "$T/app.bin" >"$T/cut.bin"
expect_exit 2 "a truncated blob" "$SF_COMPILE" --explain "$T/cut.bin" read
expect_grep "$T/err" "truncated" "is reported"

# Optional kernel truth: the verdict explain prints is what the kernel does.
# (Not with a sanitizer build: its runtime makes calls of its own in the
# confined child, which the policy rightly denies.)
RUN=$SF_HELPERS/sf-run
if [ "${SANITIZE:-0}" = 1 ]; then
	skip "kernel truth: the runner is instrumented (SANITIZE=1)"
elif [ -x "$RUN" ]; then
	"$SF_COMPILE" -q --raw "$P" "$T/k.raw"
	deny=$T/k.raw.deny
	[ -f "$deny" ] || deny=-
	for c in getppid getuid ioctl,-1,0x5412 ioctl,-1,0x5413 kill,1,0 kill,1,9 clone3; do
		IFS=, read -r -a parts <<<"$c"
		timeout 60 "$SF_COMPILE" --explain "$P" "${parts[@]}" >"$T/e" 2>/dev/null
		want=$(head -1 "$T/e" | sed 's/.*: //')
		case $want in ERRNO*) want=${want#ERRNO(} want=${want%)} ;; ALLOW | LOG) want=allowed ;; esac
		kc=${c/kill,1,/kill,self,}
		got=$(timeout 60 "$RUN" "$T/k.raw" "$deny" -- "$kc" 2>&1 | sed -n 's/.* => \([^ ]*\).*/\1/p')
		case $got in EPERM | EACCES | ENOSYS) ;; SIGNAL\(31\)) got=KILL_PROCESS ;; *) got=allowed ;; esac
		if [ "$want" = "$got" ]; then
			ok "kernel agrees with explain: $c ($got)"
		else
			not_ok "kernel agrees with explain: $c (explain $want, kernel $got)"
			show "$T/e"
		fi
	done
else
	skip "kernel truth: no $RUN"
fi
