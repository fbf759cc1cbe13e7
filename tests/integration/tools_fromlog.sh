#!/bin/bash
# sysfence-compile --from-log: audit records in every format, filtered,
# counted and turned into policy lines; --policy and --as-patch; real
# records from the kernel.
. "$(dirname "$0")/../lib.sh"

rec() { # SERIAL PID COMM ARCH NR CODE: one record as dmesg prints it
	printf '[ 12.3] audit: type=1326 audit(1795898999.%03d:%s): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=%s comm="%s" exe="/usr/bin/%s" sig=0 arch=%s syscall=%s compat=0 ip=0x7f0000000000 code=%s\n' \
		"$(($1 % 1000))" "$1" "$2" "$3" "$3" "$4" "$5" "$6"
}
LOG=0x7ffc0000
{
	rec 100 41 app c000003e 63 $LOG  # uname
	rec 101 41 app c000003e 63 $LOG
	rec 102 41 app c000003e 230 $LOG # clock_nanosleep
	rec 103 42 other c000003e 101 $LOG
	echo "[ 12.4] kauditd_printk_skb: 3 callbacks suppressed"
	echo "[ 12.5] audit: type=1326 audit(1795898999.145:104): pid=41 comm=\"app\" arch=c000003e sysc"
	echo "[ 12.6] audit: type=1300 audit(1795898999.145:105): arch=c000003e syscall=59 success=yes"
	rec 106 41 app deadbeef 1 $LOG
	rec 107 41 app c000003e 999 $LOG
} >"$T/dmesg.log"
{
	echo "Nov 28 20:00:00 host kernel: audit: type=1326 audit(1795898999.200:200): auid=0 uid=0 gid=0 ses=1 subj=unconfined pid=41 comm=\"app\" exe=\"/usr/bin/app\" sig=0 arch=c000003e syscall=217 compat=0 ip=0x1 code=0x7ffc0000"
	echo "Nov 28 20:00:01 host audit[41]: SECCOMP auid=0 uid=0 gid=0 ses=1 pid=41 comm=\"app\" exe=\"/usr/bin/app\" sig=0 arch=40000003 syscall=20 compat=1 ip=0x1 code=0x7ffc0000"
} >"$T/journal.log"
{
	printf 'type=SECCOMP msg=audit(1795898999.300:300): auid=0 uid=0 gid=0 ses=1 pid=41 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000\035AUID="root" UID="root" GID="root" ARCH=x86_64 SYSCALL=getpid\n'
	echo "----"
	echo "type=SECCOMP msg=audit(11/28/2026 20:00:00.301:301) : auid=root uid=root gid=root ses=1 pid=41 comm=app exe=/usr/bin/app sig=0 arch=x86_64 syscall=getppid compat=0 ip=0x1 code=log"
	# The same record as in the raw log above, from ausearch -i: counted once.
	echo "type=SECCOMP msg=audit(11/28/2026 20:00:00.300:300) : auid=root uid=root gid=root ses=1 pid=41 comm=app exe=/usr/bin/app sig=0 arch=x86_64 syscall=39 compat=0 ip=0x1 code=log"
} >"$T/audit.log"

expect_exit 0 "every format, from files" "$SF_COMPILE" --from-log "$T/dmesg.log" "$T/journal.log" "$T/audit.log"
cp "$T/out" "$T/all.out"
expect_grep "$T/out" "^clock_nanosleep +# 1 record$" "dmesg records"
expect_grep "$T/out" "^uname +# 2 records$" "counted"
expect_grep "$T/out" "^getdents64 +# 1 record$" "journalctl -k records"
expect_grep "$T/out" "^getpid +# 2 records \(x86_64, x86\)$" "journald and audit.log, both architectures"
expect_grep "$T/out" "^getppid +# 1 record$" "ausearch -i records"
expect_grep "$T/out" "^ptrace +# 1 record$" "every process without a filter"
expect_grep "$T/out" "^# arch=deadbeef: 1 record of an architecture" "an unknown architecture is a comment"
expect_grep "$T/out" "^# syscall 999 on x86_64: 1 record" "an unknown number is a comment"
if [ "$(grep -v '^#' "$T/out" | sed 's/ .*//')" = "$(grep -v '^#' "$T/out" | sed 's/ .*//' | sort -u)" ]; then
	ok "sorted, de-duplicated"
else
	not_ok "sorted, de-duplicated"
fi
expect_grep "$T/err" "12 seccomp records read: 10 used, 0 filtered out, 1 duplicate, 1 malformed; 6 lines to add" \
	"the summary counts malformed and duplicate records"

expect_exit 0 "from stdin, mixed with a file" sh -c "cat '$T/dmesg.log' | '$SF_COMPILE' --from-log - '$T/journal.log' '$T/audit.log'"
if cmp -s "$T/out" "$T/all.out"; then ok "the same lines"; else not_ok "the same lines"; show "$T/out"; fi
expect_exit 0 "stdin by default" sh -c "'$SF_COMPILE' --from-log <'$T/dmesg.log'"
expect_grep "$T/out" "^uname" "read"

expect_exit 0 "--comm" "$SF_COMPILE" --from-log --comm other "$T/dmesg.log"
if [ "$(cat "$T/out")" = "ptrace                  # 1 record" ]; then ok "only that program"; else
	not_ok "only that program"; show "$T/out"; fi
expect_exit 0 "--pid" "$SF_COMPILE" --from-log --pid 42 --pid 43 "$T/dmesg.log"
expect_grep "$T/out" "^ptrace" "only that process"
expect_no_grep "$T/out" "^uname" "the others are left out"
expect_exit 0 "--exe" "$SF_COMPILE" --from-log --exe /usr/bin/app "$T/dmesg.log"
expect_no_grep "$T/out" "^ptrace" "only that executable"
expect_grep "$T/err" "1 filtered out" "and counted"

{ base_policy; echo uname; echo "~ptrace"; echo "ioctl - TIOCGWINSZ"; } >"$T/app.policy"
rec 400 41 app c000003e 16 $LOG >>"$T/dmesg.log"
expect_exit 0 "--policy" "$SF_COMPILE" --from-log --policy "$T/app.policy" "$T/dmesg.log"
expect_no_grep "$T/out" "^uname" "what it allows is not repeated"
expect_grep "$T/out" "^# ptrace: 1 record, denied explicitly by .*app.policy:[0-9]+: not added$" \
	"an explicit denial is never added"
expect_grep "$T/out" "^ioctl .*allows it for some arguments only" "argument rules are pointed out"
expect_grep "$T/out" "^clock_nanosleep" "the rest is added"
expect_grep "$T/err" ", 1 already allowed by " "and counted"

expect_exit 0 "--as-patch" "$SF_COMPILE" --from-log --policy "$T/app.policy" --as-patch "$T/dmesg.log"
cp "$T/out" "$T/p.diff"
expect_grep "$T/p.diff" "^--- .*app.policy$" "a unified diff"
expect_grep "$T/p.diff" "^\+clock_nanosleep" "adding the lines"
cp "$T/app.policy" "$T/patched.policy"
if patch -s "$T/patched.policy" <"$T/p.diff"; then ok "it applies"; else not_ok "it applies"; fi
expect_exit 0 "the patched policy compiles" "$SF_COMPILE" --check "$T/patched.policy"
expect_exit 0 "and then nothing is left to add" "$SF_COMPILE" --from-log --policy "$T/patched.policy" "$T/dmesg.log"
expect_no_grep "$T/out" "^[a-z]" "no line to add"

printf 'garbage\n\001\002\377\n' >"$T/junk.log"
expect_exit 0 "junk is not fatal" "$SF_COMPILE" --from-log "$T/junk.log"
if [ ! -s "$T/out" ]; then ok "and adds nothing"; else not_ok "and adds nothing"; fi
expect_exit 2 "a missing file" "$SF_COMPILE" --from-log "$T/nope.log"
expect_exit 2 "--as-patch without --policy" "$SF_COMPILE" --from-log --as-patch "$T/dmesg.log"
expect_exit 2 "--pid takes a number" "$SF_COMPILE" --from-log --pid me "$T/dmesg.log"
printf 'read AF_NOPE\n' >"$T/bad.policy"
expect_exit 2 "a --policy that does not compile" "$SF_COMPILE" --from-log --policy "$T/bad.policy" "$T/dmesg.log"
"$SF_COMPILE" -q "$T/app.policy" "$T/app.bin"
expect_exit 2 "--as-patch needs a policy, not a blob" \
	"$SF_COMPILE" --from-log --policy "$T/app.bin" --as-patch "$T/dmesg.log"

# Real records: a @complain program run by the kernel-truth runner.
# (Not with a sanitizer build: its runtime makes calls of its own in the
# confined child, which would be logged too.)
RUN=$SF_HELPERS/sf-run
if [ "${SANITIZE:-0}" = 1 ]; then
	skip "real records: the runner is instrumented (SANITIZE=1)"
elif [ -x "$RUN" ] && [ -w /dev/kmsg ]; then
	printk_ratelimit_off
	{ base_policy; echo @complain; } >"$T/c.policy"
	"$SF_COMPILE" -q --raw "$T/c.policy" "$T/c.raw"
	# Follow the kernel log while the program runs: a busy log may wrap
	# its ring buffer before a later `dmesg` could read it (kmsg_follow).
	kmsg_follow "$T/real.log"
	timeout 60 "$RUN" --log "$T/c.raw" - -- getppid getuid >"$T/run" 2>&1
	kmsg_unfollow
	pid=$(sed -n 's/^getppid => .*(pid \([0-9]*\)).*/\1/p' "$T/run")
	expect_exit 0 "records from the kernel" "$SF_COMPILE" --from-log --pid "$pid" "$T/real.log"
	if [ "$(cat "$T/out")" = "getppid                 # 1 record" ]; then
		ok "are read exactly"
	else
		not_ok "are read exactly"; show "$T/out"; show "$T/err"; show "$T/run"; tail -5 "$T/real.log"
	fi
else
	skip "real records: no $RUN or /dev/kmsg"
fi
