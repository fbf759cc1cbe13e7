#!/bin/bash
# sysfence-compile --learn (issue 16): trace real programs as an ordinary
# user, compile what was learned, enforce it through the launcher, and
# check the kernel's verdicts:
#   1. python3 creating an AF_INET socket: the learned policy runs it with
#      no denial record, and denies the same program asking for AF_INET6;
#   2. a program that starts a thread and one that forks (clone3 answered
#      ENOSYS while learning, as the policy will: libc falls back to clone);
#   3. the program's exit status passes through (128+N for a signal);
#   4. SIGKILL to the supervisor kills the traced tree, also a grandchild
#      that left its session (setsid);
#   5. --policy P prints only what P lacks, --as-patch a patch against P;
#   6. usage errors and a missing program.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
if [ ! -x "$PY" ] || [ "$(id -u)" != 0 ] || [ ! -w /dev/kmsg ] || ! command -v setpriv >/dev/null; then
	skip "needs root (to run as a user of its own and read dmesg), setpriv and $PY"
	exit 0
fi
if ! "$SF_LAUNCH" --features >/dev/null 2>&1; then
	skip "sysfence-launch is not usable ($SF_LAUNCH --features failed)"
	exit 0
fi
printk_ratelimit_off
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

# Everything runs as a uid of its own, with no account: its audit records
# cannot be confused with a concurrent test's.
RUN_UID=$(free_id)
AS=(setpriv --reuid="$RUN_UID" --regid="$RUN_UID" --clear-groups --)
chown "$RUN_UID:$RUN_UID" "$T"
cd "$T" || exit 1
export HOME=$T LC_ALL=C.UTF-8

# learn NAME CMD...: --learn as RUN_UID, the lines in $T/NAME.policy.
learn() {
	local name=$1
	shift
	timeout 60 "${AS[@]}" "$SF_COMPILE" --learn -o "$T/$name.policy" -- "$@" \
		>"$T/$name.learn.out" 2>"$T/$name.learn.err"
}

# enforced NAME CMD...: CMD as RUN_UID through the launcher under
# NAME.bin, following the kernel log; the run's denials (this uid's ERRNO
# records) in $T/NAME.denials.  Returns CMD's status.
enforced() {
	local name=$1 rc
	shift
	kmsg_follow "$T/$name.kmsg"
	timeout 60 "${AS[@]}" "$SF_LAUNCH" "$T/$name.bin" -- "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	kmsg_unfollow
	kmsg_denials "$T/$name.kmsg" " uid=$RUN_UID " >"$T/$name.denials"
	return $rc
}

# learned_runs NAME DESCRIPTION CMD...: learn, compile, enforce: no denial.
learned_runs() {
	local name=$1 desc=$2 rc
	shift 2
	learn "$name" "$@"
	rc=$?
	if [ "$rc" -eq 0 ] && [ -s "$T/$name.policy" ]; then
		ok "$desc: --learn as an ordinary user"
	else
		not_ok "$desc: --learn as an ordinary user (exit $rc)"
		show "$T/$name.learn.err"
	fi
	if "$SF_COMPILE" --strict "$T/$name.policy" "$T/$name.bin" >"$T/out" 2>"$T/err"; then
		ok "$desc: the learned lines compile with --strict"
	else
		not_ok "$desc: the learned lines compile with --strict"
		show "$T/err"
	fi
	enforced "$name" "$@"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$T/$name.denials" ]; then
		ok "$desc: enforced, it runs with no denial record"
	else
		not_ok "$desc: enforced, it runs with no denial record (exit $rc)"
		show "$T/$name.err"
		show "$T/$name.denials"
	fi
}

# ---- 1. the issue's done-when
INET='import socket; socket.socket(socket.AF_INET)'
INET6='import socket; socket.socket(socket.AF_INET6)'
learned_runs inet "python3 AF_INET socket" "$PY" -c "$INET"
expect_grep "$T/inet.policy" '^socket AF_INET 0x80001 IPPROTO_IP +# 1 call; arg1 = SOCK_STREAM\|SOCK_CLOEXEC$' \
	"the socket line is narrowed to its family, type and protocol, by name"
expect_grep "$T/inet.policy" '^execve +#' "the exec of the program is learned"
expect_no_grep "$T/inet.policy" '^(read|close|mmap|munmap|brk) +[^-# ]' \
	"descriptors, addresses and sizes stay '-'"
expect_grep "$T/inet.policy" "^write 2 +# sysfence-launch's error path" \
	"the launcher's own error line (fd 2) is allowed, the program never wrote"
expect_grep "$T/inet.policy" '^openat - - ' "openat's flags are narrowed"
expect_grep "$T/inet.learn.err" 'calls recorded' "a summary on stderr"
enforced inet "$PY" -c "$INET6"
rc=$?
if [ "$rc" -ne 0 ] && grep -q 'PermissionError' "$T/inet.err" &&
	grep -q ' syscall=41 ' "$T/inet.denials"; then
	ok "the learned policy denies socket(AF_INET6) (EPERM, logged)"
else
	not_ok "the learned policy denies socket(AF_INET6) (exit $rc)"
	show "$T/inet.err"
	show "$T/inet.denials"
fi

# ---- 2. threads and processes inherit the filter
THREAD='import threading
t = threading.Thread(target=lambda: open("/etc/hostname").read())
t.start(); t.join()'
learned_runs thread "python3 with a thread" "$PY" -c "$THREAD"
expect_grep "$T/thread.policy" '^clone 0x3d0f00 .*CLONE_THREAD' "the thread's clone flags are learned"
expect_grep "$T/thread.policy" '^# clone3: .*ENOSYS by design' "clone3 was answered ENOSYS, as enforced"
FORK='import os, time
pid = os.fork()
if pid == 0:
    time.sleep(0.01)
    os._exit(0)
os.waitpid(pid, 0)'
learned_runs fork "python3 forking a child" "$PY" -c "$FORK"
expect_grep "$T/fork.policy" '^clock_nanosleep CLOCK_(REALTIME|MONOTONIC) ' "the child's own calls are learned"
expect_grep "$T/fork.policy" '^clone 0x1200011 .*\|SIGCHLD$' "fork's clone, its exit signal named"

# ---- 2b. a 32-bit program (x86 on x86_64): its own ABI, 16/32-bit ids, socketcall
cat >"$T/s32.c" <<'EOF'
#define _GNU_SOURCE
#include <sys/socket.h>
#include <unistd.h>
int main(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || setresuid(-1, -1, -1))
		return 1;
	return close(fd) ? 1 : 0;
}
EOF
if [ "$(uname -m)" = x86_64 ] && cc -m32 -O2 -o "$T/s32" "$T/s32.c" 2>/dev/null; then
	chmod 755 "$T/s32"
	learned_runs s32 "a 32-bit x86 program" "$T/s32"
	expect_grep "$T/s32.policy" '^setresuid32 -1 -1 -1 +# 1 call \(x86\)$' "its ids, as the x86 ABI passes them"
	expect_grep "$T/s32.policy" '^(socketcall 1 +# .*socket through the multiplexer|socket AF_INET SOCK_STREAM IPPROTO_IP +# .*\(x86\))' \
		"its socket call, through socketcall or direct"
else
	skip "a 32-bit x86 program: no cc -m32 here"
fi

# ---- 3. the exit status
expect_exit 7 "the program's exit status passes through" "${AS[@]}" "$SF_COMPILE" --learn -q -- "$PY" -c 'raise SystemExit(7)'
expect_exit 137 "killed by SIGKILL: 128+9, like a shell" "${AS[@]}" "$SF_COMPILE" --learn -q -- /bin/sh -c 'kill -9 $$'
expect_grep "$T/out" '^kill ' "the lines are still printed"

# ---- 4. no survivor when the supervisor dies
TAG=$((7000 + $$ % 1000)).$RANDOM
"${AS[@]}" "$SF_COMPILE" --learn -q -- /bin/sh -c \
	"sleep $TAG & setsid sleep $TAG & while :; do sleep 0.05; done" >/dev/null 2>&1 &
sup=$!
for _ in $(seq 100); do
	[ "$(pgrep -c -f "^sleep $TAG\$")" -ge 2 ] && break
	sleep 0.05
done
if [ "$(pgrep -c -f "^sleep $TAG\$")" -ge 2 ]; then
	ok "the traced tree runs (two sleeps, one in a session of its own)"
else
	not_ok "the traced tree runs (two sleeps, one in a session of its own)"
fi
kill -9 "$sup"
wait "$sup" 2>/dev/null
for _ in $(seq 100); do
	pgrep -f "^sleep $TAG\$" >/dev/null || pgrep -u "$RUN_UID" >/dev/null || break
	sleep 0.05
done
if ! pgrep -u "$RUN_UID" >/dev/null; then
	ok "SIGKILL to the supervisor: no process of the tree survives"
else
	not_ok "SIGKILL to the supervisor: no process of the tree survives"
	pgrep -a -u "$RUN_UID" | sed 's/^/    | /'
	pkill -9 -u "$RUN_UID"
fi
# SIGTERM (timeout(1)): the tree is killed, what was learned is printed.
expect_exit 143 "SIGTERM to the supervisor ends the run (128+15)" timeout --preserve-status 2 "${AS[@]}" "$SF_COMPILE" --learn -- "$PY" -c 'import time
while True: time.sleep(0.05)'
expect_grep "$T/out" '^clock_nanosleep ' "and prints what was learned until then"
if ! pgrep -u "$RUN_UID" >/dev/null; then ok "and leaves no process"; else not_ok "and leaves no process"; fi

# ---- 5. --policy P and --as-patch
head -n 20 "$T/inet.policy" | grep -v '^socket ' >"$T/part.policy"
echo 'socket AF_UNIX' >>"$T/part.policy"
chmod 644 "$T/part.policy"
expect_exit 0 "--learn --policy P" "${AS[@]}" "$SF_COMPILE" --learn --policy "$T/part.policy" -- "$PY" -c "$INET"
cp "$T/out" "$T/rest.txt"
expect_grep "$T/rest.txt" '^socket AF_INET 0x80001 IPPROTO_IP ' "it adds what P lacks"
first=$(head -n 1 "$T/part.policy" | sed 's/ *#.*//')
if ! grep -qxF "$first" <(sed 's/ *#.*//' "$T/rest.txt"); then
	ok "and not what P already allows"
else
	not_ok "and not what P already allows ($first)"
fi
# P compares socket's family: a learned socket line must say which family.
expect_no_grep "$T/rest.txt" '^socket( -)* *#' "never a bare line for a call P narrows"
expect_exit 0 "--learn --policy P --as-patch" "${AS[@]}" "$SF_COMPILE" --learn --policy "$T/part.policy" --as-patch -- "$PY" -c "$INET"
cp "$T/part.policy" "$T/patched.policy"
if patch -s "$T/patched.policy" <"$T/out" && "$SF_COMPILE" -q --strict "$T/patched.policy" "$T/patched.bin"; then
	ok "the patch applies to P and the result compiles"
else
	not_ok "the patch applies to P and the result compiles"
	show "$T/out"
fi
enforced patched "$PY" -c "$INET"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$T/patched.denials" ]; then
	ok "P patched runs the program with no denial record"
else
	not_ok "P patched runs the program with no denial record (exit $rc)"
	show "$T/patched.denials"
fi
echo '~socket AF_INET' >>"$T/patched.policy"
expect_exit 1 "an explicit denial in P is answered EACCES while learning" \
	"${AS[@]}" "$SF_COMPILE" --learn -q --policy "$T/patched.policy" -- "$PY" -c "$INET"
expect_grep "$T/out" "^# socket: 1 call denied explicitly by .*patched.policy:[0-9]+ \(answered EACCES\): not added" \
	"and reported with its line, not added"

# ---- a kernel without user notification (before 5.0), emulated
if [ -x "$SF_HELPERS/sf-oldkernel" ]; then
	expect_exit 125 "no seccomp user notification: 125, the program never ran" \
		"${AS[@]}" "$SF_HELPERS/sf-oldkernel" nolistener -- "$SF_COMPILE" --learn -- /bin/sh -c 'echo ran'
	expect_grep "$T/err" "cannot load the tracing filter: Invalid argument \(the kernel lacks seccomp user notification\)" \
		"and says why"
	expect_no_grep "$T/out" "ran" "the program did not run untraced"
fi

# ---- 6. usage
expect_exit 2 "--learn without '--'" "$SF_COMPILE" --learn
expect_grep "$T/err" "needs '-- PROGRAM" "says what it needs"
expect_exit 2 "--learn with nothing after '--'" "$SF_COMPILE" --learn --
expect_grep "$T/err" "needs a PROGRAM after '--'" "says so"
expect_exit 2 "--learn PROGRAM before '--'" "$SF_COMPILE" --learn "$PY" -- -c 1
expect_exit 2 "--as-patch without --policy" "$SF_COMPILE" --learn --as-patch -- /bin/true
expect_exit 2 "-o is an option of --learn" "$SF_COMPILE" -o x a.policy b.bin
expect_exit 127 "a missing program: 127, like a shell" "$SF_COMPILE" --learn -- no-such-program-$$
expect_grep "$T/err" "no-such-program-$$: command not found" "says 'command not found'"
expect_exit 126 "a file that is not executable: 126" "$SF_COMPILE" --learn -- "$T/part.policy"
expect_exit 2 "a bad --policy: 2, nothing run" "$SF_COMPILE" --learn --policy /nonexistent -- /bin/true
