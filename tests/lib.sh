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

# A policy with what every test program needs to start and exit.
base_policy() {
	cat "$SF_ROOT/tests/policies/base.inc"
}
