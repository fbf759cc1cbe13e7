# Shared helpers for the integration scripts (bash).  Each script sources
# this file, prints TAP-style "ok N - ..." / "not ok N - ..." lines and may
# use a private temporary folder $T that is removed on exit.
set -u
SF_ROOT=${SF_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$SF_ROOT/$BUILD ;; esac
SF_COMPILE=$BUILD/sysfence-compile
SF_LAUNCH=$BUILD/sysfence-launch
SF_HELPERS=$BUILD/tests/helpers
# Bare @include names (@include base) come from the tree's library, not
# from an installed one (the compiler's own default).
export SYSFENCE_INCLUDE_DIR=$SF_ROOT/share/include
T=$(mktemp -d /tmp/sysfence-test.XXXXXX)
chmod 755 "$T"
_tap_n=0
_cleanups=()
_sf_exit() {
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do eval "${_cleanups[i]}"; done
	rm -rf "$T"
}
trap _sf_exit EXIT
# Runs a command at exit (cleanups run in reverse order).
at_exit() { _cleanups+=("$*"); }

ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $*"; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - # SKIP $*"; }
# Shows a file's content, indented, after a failure.
show() { [ -f "$1" ] && sed 's/^/    | /' "$1" | head -40; }

# expect_exit STATUS DESCRIPTION CMD...: stdout/stderr go to $T/out, $T/err.
expect_exit() {
	local want=$1 desc=$2 rc
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc, wanted $want)"
		show "$T/err"
	fi
}

# expect_grep FILE PATTERN DESCRIPTION: extended regex must match.
expect_grep() {
	if grep -Eq -- "$2" "$1"; then ok "$3"; else not_ok "$3 (no /$2/)"; show "$1"; fi
}
expect_no_grep() {
	if grep -Eq -- "$2" "$1"; then not_ok "$3 (found /$2/)"; show "$1"; else ok "$3"; fi
}

# Turns kernel log rate limiting off while the script runs, so every
# seccomp audit record reaches dmesg (the default is 10 per 5 s).
printk_ratelimit_off() {
	local old
	old=$(sysctl -n kernel.printk_ratelimit)
	sysctl -qw kernel.printk_ratelimit=0
	at_exit "sysctl -qw kernel.printk_ratelimit=$old"
}

# free_id: a uid (and gid) with no account, drawn at random from a billion:
# records of a run under it cannot be confused with another run's, even
# one in another container, as the kernel log is the host's.
free_id() {
	local u
	while :; do
		u=$((200000 + ((RANDOM << 15) | RANDOM) % 1000000000))
		getent passwd "$u" >/dev/null || getent group "$u" >/dev/null || break
	done
	echo "$u"
}

# kmsg_follow FILE ... kmsg_unfollow: the kernel log of what runs between
# the two, in FILE.  A mark written to /dev/kmsg is no fence: kauditd
# prints seccomp records later, in queue order, so an earlier run's
# records can come after it and this run's after any sleep.  A barrier is
# a record of our own (sf-auditmark): once it is in the log, every record
# queued before it is too.  kmsg_sync refreshes FILE up to a new barrier
# and goes on following; kmsg_unfollow does that and stops.  If a barrier
# never shows up, FILE holds all that was followed and a line saying so,
# and they return 1.
_kmsg_file=
_kmsg_pid=
_kmsg_start=
_kmsg_has() { # NAME [FILE]: the barrier NAME is in FILE, else in dmesg
	if [ -n "${2:-}" ]; then
		grep -q "comm=\"$1\"" "$2"
	else
		dmesg | grep -q "comm=\"$1\""
	fi
}
_kmsg_barrier() { # [FILE]: a barrier, waited for in FILE (else in dmesg)
	local name i
	sysctl -qw kernel.printk_ratelimit=0 # again: a concurrent test may restore it
	name=$(printf 'sfm%012d' $((((RANDOM << 30) | (RANDOM << 15) | RANDOM) % 1000000000000)))
	"$SF_HELPERS/sf-auditmark" "$name" || return 1
	for i in $(seq 400); do
		if _kmsg_has "$name" "${1:-}"; then
			echo "$name"
			return 0
		fi
		sleep 0.05
	done
	return 1
}
kmsg_follow() {
	_kmsg_file=$1
	dmesg -w >"$1.all" 2>/dev/null &
	_kmsg_pid=$!
	_kmsg_start=$(_kmsg_barrier "$1.all")
}
kmsg_sync() {
	local end
	end=$(_kmsg_barrier "$_kmsg_file.all")
	if [ -n "$_kmsg_start" ] && [ -n "$end" ]; then
		sed -n "/comm=\"$_kmsg_start\"/,/comm=\"$end\"/p" "$_kmsg_file.all" >"$_kmsg_file"
		return 0
	fi
	cp "$_kmsg_file.all" "$_kmsg_file"
	echo "sysfence-test: no barrier record, the kernel log was not followed" >>"$_kmsg_file"
	return 1
}
kmsg_unfollow() {
	local rc=0
	kmsg_sync || rc=1
	kill "$_kmsg_pid" 2>/dev/null
	wait "$_kmsg_pid" 2>/dev/null
	_kmsg_pid=
	rm -f "$_kmsg_file.all"
	return $rc
}

# audit_record PID CODE [SYSCALL]: the kernel log holds a seccomp record
# (type=1326) of PID with CODE (and SYSCALL), looked for once every record
# queued so far is in the log (a barrier behind them), so that a record
# that is not there will not come.  A barrier that never shows up is a
# failed test, whichever answer the caller expects.
audit_record() {
	if ! _kmsg_barrier >/dev/null; then
		not_ok "no barrier record: the kernel log did not settle"
		return 1
	fi
	dmesg | grep -Eq "type=1326 .* pid=$1 .*${3:+ syscall=$3 .*} code=$2( |\$)"
}

# kmsg_denials FILE SELECTOR: the denials (code=0x50000, any errno) in a
# followed FILE whose record holds SELECTOR (e.g. " uid=N "), clone3's
# ENOSYS (syscall 435, by design) aside, and the line saying the log was
# not followed if it is there: no output, no denial seen.
kmsg_denials() {
	awk -v sel="$2" '/the kernel log was not followed/ ||
		(/type=1326/ && index($0, sel) && / code=0x50000/ && !/ syscall=435 /)' "$1"
}

# A policy with what every test program needs to start and exit.
base_policy() {
	cat "$SF_ROOT/tests/policies/base.inc"
}
