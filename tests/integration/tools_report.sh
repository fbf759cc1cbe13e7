#!/bin/bash
# sysfence-compile --report: program sizes, instructions per call and the
# kernel action cache per architecture.
. "$(dirname "$0")/../lib.sh"

P=$T/app.policy
{ base_policy; cat "$SF_ROOT/tests/policies/tools.policy"; } >"$P"
"$SF_COMPILE" -q "$P" "$T/app.bin" || not_ok "compile"

expect_exit 0 "a policy" "$SF_COMPILE" --report "$P"
cp "$T/out" "$T/policy.report"
expect_grep "$T/out" "^profile: .*app.policy \(enforce\)$" "the profile and its mode"
expect_grep "$T/out" "^x86_64: [0-9]+ syscall numbers$" "x86_64"
expect_grep "$T/out" "^x86: [0-9]+ syscall numbers$" "and x86"
expect_grep "$T/out" "^  instructions: allow [0-9]+ \([0-9]+ reachable\), no deny program$" \
	"the size of the program"
expect_grep "$T/out" "^  executed per call, arguments 0: mean [0-9.]+, max [0-9]+ \([a-z0-9_]+\)$" \
	"mean and maximum per call"
expect_grep "$T/out" "^  executed per call, probed arguments: max [0-9]+ \([a-z0-9_]+\)$" \
	"the worst case with arguments"
expect_grep "$T/out" "^  action cache: [0-9]+ of [0-9]+ allowed syscalls, no filter run:$" \
	"the action cache"
expect_grep "$T/out" "^    .*\bread\b" "read is cached"
expect_grep "$T/out" "^    socket +the allow program checks args\[0\]$" "socket is not, and why"
expect_grep "$T/out" "^    ioctl +the allow program checks args\[1\]$" "an argument-checked denial makes ioctl uncacheable"
expect_no_grep "$T/out" "^    ptrace" "a denied call is not in the lists"

expect_exit 0 "its blob" "$SF_COMPILE" --report "$T/app.bin"
if diff <(tail -n +2 "$T/policy.report") <(tail -n +2 "$T/out") >/dev/null; then
	ok "the blob reports like its policy"
else
	not_ok "the blob reports like its policy"
fi

printf '@complain\nread\n' >"$T/c.policy"
expect_exit 0 "complain mode" "$SF_COMPILE" --report "$T/c.policy"
expect_grep "$T/out" "syscalls return LOG: never cached, each call is logged" "LOG is never cached"
expect_grep "$T/out" "^note: complain mode: every call no rule allows is logged" "the complain-mode note"
if awk 'length > 80 { bad = 1 } END { exit bad }' "$T/out"; then ok "fits 80 columns"; else
	not_ok "fits 80 columns"; fi
printf '@unrestricted\n' >"$T/u.policy"
expect_exit 0 "unrestricted" "$SF_COMPILE" --report "$T/u.policy"
expect_grep "$T/out" "no filter is loaded" "costs nothing"
expect_exit 2 "a missing file" "$SF_COMPILE" --report "$T/nope"
expect_exit 2 "no input" "$SF_COMPILE" --report
