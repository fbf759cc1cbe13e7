#!/bin/bash
# sysfence-compile --diff: semantic differences between two profiles, exit
# 0 when equivalent, 1 when different, 2 on errors.
. "$(dirname "$0")/../lib.sh"

P=$T/old.policy
{ base_policy; cat "$SF_ROOT/tests/policies/tools.policy"; } >"$P"
"$SF_COMPILE" -q "$P" "$T/old.bin" || not_ok "compile"

expect_exit 0 "a policy and itself" "$SF_COMPILE" --diff "$P" "$P"
expect_grep "$T/out" "are equivalent$" "are equivalent"
expect_exit 0 "a policy and its blob" "$SF_COMPILE" --diff "$P" "$T/old.bin"
tac "$P" | sed 's/^ioctl - TIOCGWINSZ$/ioctl - 0x5413 # same value/' >"$T/reordered.policy"
expect_exit 0 "rules reordered, a constant spelled as a number" \
	"$SF_COMPILE" --diff "$P" "$T/reordered.policy"

{ cat "$P"; echo getdents64; echo clock_nanosleep; } >"$T/more.policy"
expect_exit 1 "two calls added" "$SF_COMPILE" --diff "$P" "$T/more.policy"
expect_grep "$T/out" "^x86_64: 2 syscalls changed$" "counted per architecture"
expect_grep "$T/out" "^  ERRNO\(EPERM\) -> ALLOW: getdents64 clock_nanosleep$" "named, with the transition"
expect_grep "$T/out" "^x86: 2 syscalls changed$" "x86 too"
expect_exit 1 "and back" "$SF_COMPILE" --diff "$T/more.policy" "$P"
expect_grep "$T/out" "^  ALLOW -> ERRNO\(EPERM\): getdents64 clock_nanosleep$" "the other way"

sed 's/^~ptrace$//' "$P" >"$T/noptrace.policy"
expect_exit 1 "an explicit denial removed" "$SF_COMPILE" --diff "$P" "$T/noptrace.policy"
expect_grep "$T/out" "ERRNO\(EACCES\) -> ERRNO\(EPERM\): ptrace" "EACCES becomes EPERM"

sed 's/^kill - 0$/kill - 0\nkill - SIGTERM/' "$P" >"$T/kill.policy"
expect_exit 1 "an argument value added" "$SF_COMPILE" --diff "$P" "$T/kill.policy"
expect_grep "$T/out" "^  kill: depends on the arguments" "shown per argument"
expect_grep "$T/out" "^    kill\(0, 15\): ERRNO\(EPERM\) -> ALLOW$" "with a concrete call"
expect_no_grep "$T/out" "kill\(0, (0|9)\)" "and only calls that changed"

sed 's/^socket AF_UNIX$/socket >=AF_UNIX/' "$P" >"$T/range.policy"
expect_exit 1 "an equality widened to a range" "$SF_COMPILE" --diff "$P" "$T/range.policy"
expect_grep "$T/out" "^    socket\(2\): ERRNO\(EPERM\) -> ALLOW$" "the boundary just above is found"

{ echo @complain; cat "$P"; } >"$T/complain.policy"
expect_exit 1 "complain mode" "$SF_COMPILE" --diff "$P" "$T/complain.policy"
expect_grep "$T/out" "^mode: enforce -> complain$" "the mode change"
expect_grep "$T/out" "^  ERRNO\(EPERM\) -> LOG: " "every default becomes LOG"

"$SF_COMPILE" -q --arch x86_64 "$P" "$T/x64.bin"
expect_exit 1 "an architecture dropped" "$SF_COMPILE" --diff "$T/old.bin" "$T/x64.bin"
expect_grep "$T/out" "^x86: only in .*old.bin \(.*x64.bin kills every call of this architecture\)$" \
	"is reported"

expect_exit 2 "one input" "$SF_COMPILE" --diff "$P"
expect_exit 2 "a missing file" "$SF_COMPILE" --diff "$P" "$T/nope"
printf 'read AF_NOPE\n' >"$T/bad.policy"
expect_exit 2 "a policy that does not compile" "$SF_COMPILE" --diff "$P" "$T/bad.policy"
