#!/bin/bash
# The way to write a policy, end to end (issue 4, point 6):
#   1. compile a deliberately incomplete policy with @complain;
#   2. run a real program through sysfence-launch as an ordinary user:
#      everything the policy lacks is allowed and logged;
#   3. collect that program's records from the kernel log;
#   4. `sysfence-compile --from-log --policy` turns them into the lines to
#      add, which are appended;
#   5. recompile without @complain and run the program enforced: it must
#      succeed, and the kernel must log no new denial for it.
# Also checked: the incomplete policy, enforced, does break the program,
# so the lines learned are what made the difference.
. "$(dirname "$0")/../lib.sh"

W=$SF_HELPERS/sf-workload
if ! "$SF_LAUNCH" --features >/dev/null 2>&1; then
	skip "sysfence-launch is not usable yet ($SF_LAUNCH --features failed)"
	exit 0
fi
if [ ! -x "$W" ] || [ ! -w /dev/kmsg ]; then
	skip "needs $W and a writable /dev/kmsg (root)"
	exit 0
fi
printk_ratelimit_off

# The program runs as nobody when we can: a profile given by path is for
# anyone, loaded with no_new_privs.
AS=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	AS=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --)
fi
# A sanitizer build's leak check runs in a separate tracer process at exit,
# whose calls are not the program's: leave it out of the confined runs.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
mkdir "$T/data"
echo "some data" >"$T/data/file"
chmod -R a+rX "$T/data"

# run_logged PROFILE OUT LOG: runs the workload through the launcher while
# following the kernel log (a busy log can wrap its ring buffer before a
# later `dmesg` reads it).  Returns the program's exit status.
run_logged() {
	local rc
	kmsg_follow "$3"
	timeout 60 "${AS[@]}" "$SF_LAUNCH" "$1" -- "$W" "$T/data/file" "$T/data" >"$2" 2>&1
	rc=$?
	kmsg_unfollow
	return $rc
}
pid_of() { sed -n 's/^ok pid=\([0-9]*\).*/\1/p' "$1"; }
# Did the kernel drop records while we listened, or another process flood
# the log (hundreds of records not from our run)?
lost_records() {
	grep -Eq 'audit_lost=|backlog limit exceeded|printk limit exceeded|callbacks suppressed' "$1" ||
		[ "$(grep -c 'type=1326' "$1")" -gt 500 ]
}

# 1. An incomplete policy: only what any program needs to start and exit.
{ base_policy; echo "@complain"; } >"$T/app.policy"
expect_exit 0 "the incomplete @complain policy compiles" "$SF_COMPILE" -q "$T/app.policy" "$T/app.bin"

# 2-3. Run it; the kernel logs what the policy lacks.  A run during which
# the kernel dropped records (another process flooding the log) is repeated.
: >"$T/complain.log"
pids=()
for attempt in 1 2 3; do
	run_logged "$T/app.bin" "$T/run.out" "$T/run.log"
	rc=$?
	cat "$T/run.log" >>"$T/complain.log"
	pids+=(--pid "$(pid_of "$T/run.out")")
	lost_records "$T/run.log" || break
	echo "# the kernel dropped audit records during run $attempt; running again"
done
if [ "$rc" -eq 0 ] && grep -q '^ok pid=' "$T/run.out"; then
	ok "complain mode: the program runs"
else
	not_ok "complain mode: the program runs (exit $rc)"
	show "$T/run.out"
fi
if grep -q "type=1326 .* code=0x7ffc0000" "$T/complain.log"; then
	ok "complain mode: its calls are logged (LOG records)"
else
	not_ok "complain mode: its calls are logged (LOG records)"
fi

# 4. The lines to add, from this program's records only.
expect_exit 0 "--from-log --policy" "$SF_COMPILE" --from-log "${pids[@]}" --policy "$T/app.policy" "$T/complain.log"
cp "$T/out" "$T/add.txt"
cp "$T/err" "$T/add.err"
for call in clock_nanosleep getdents64 uname clone; do
	expect_grep "$T/add.txt" "^$call +# [0-9]+ records?" "it suggests $call"
done
expect_no_grep "$T/add.txt" "^(read|openat|execve|mmap) " "nothing the policy already allows"
expect_grep "$T/add.txt" "^# clone3: .*ENOSYS by design" "clone3 stays ENOSYS (libc falls back to clone)"

# 5. Append, drop @complain, recompile, run enforced.
{ grep -v '^@complain$' "$T/app.policy"; cat "$T/add.txt"; } >"$T/final.policy"
expect_exit 0 "the completed policy compiles, enforced" "$SF_COMPILE" --strict "$T/final.policy" "$T/final.bin"
run_logged "$T/final.bin" "$T/enforce.out" "$T/enforce.log"
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^ok pid=' "$T/enforce.out"; then
	ok "enforced: the program succeeds"
else
	not_ok "enforced: the program succeeds (exit $rc)"
	show "$T/enforce.out"
fi
epid=$(pid_of "$T/enforce.out")
# Any record of this process other than clone3's designed ENOSYS is a denial.
grep "type=1326 .* pid=${epid:-none} " "$T/enforce.log" | grep -v " syscall=435 " >"$T/denials"
if [ -n "$epid" ] && [ ! -s "$T/denials" ]; then
	ok "enforced: no new denial records"
else
	not_ok "enforced: no new denial records"
	show "$T/denials"
fi
expect_exit 0 "--from-log on the enforced run" "$SF_COMPILE" --from-log --pid "${epid:-0}" --policy "$T/final.policy" "$T/enforce.log"
expect_no_grep "$T/out" "^[a-z]" "finds nothing left to add"

# The learned lines made the difference: without them, enforced, it fails.
grep -v '^@complain$' "$T/app.policy" >"$T/bare.policy"
"$SF_COMPILE" -q "$T/bare.policy" "$T/bare.bin"
run_logged "$T/bare.bin" "$T/bare.out" "$T/bare.log"
rc=$?
if [ "$rc" -ne 0 ]; then
	ok "the incomplete policy, enforced, breaks the program (exit $rc)"
else
	not_ok "the incomplete policy, enforced, breaks the program"
fi
