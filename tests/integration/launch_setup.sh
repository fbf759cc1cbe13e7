# Shared setup for the launch_*.sh integration scripts (sourced, not a test
# itself: run directly it does nothing).  It makes a real setuid-root copy
# of the test launcher in a root-owned folder, a temporary trusted store
# at /run/sysfence-test/profiles (the path baked into the test build) and
# helpers to run things as an unprivileged user.
[ "${BASH_SOURCE[0]}" = "$0" ] && exit 0

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip "launcher tests need root (setuid copy, store, dmesg)"
	exit 0
fi

# The store path is baked into the test launcher: concurrent runs (another
# checkout's `make check`, bench/launch.sh) take turns.
exec 9>/run/sysfence-test.lock
if ! flock -w 900 9; then
	not_ok "another run holds /run/sysfence-test.lock"
	exit 1
fi

# The unprivileged caller: nobody/nogroup.
SF_UID=65534
SF_GID=65534
STORE_TOP=/run/sysfence-test
STORE=$STORE_TOP/profiles
SF_LAUNCH_TEST=$BUILD/tests/sysfence-launch-test

# $B: root-owned 0755, holds the setuid launcher and the confined programs.
B=$T/bin
mkdir -m 0755 "$B"
install -o root -g root -m 4755 "$SF_LAUNCH_TEST" "$B/sysfence-launch"
install -o root -g root -m 0755 "$SF_LAUNCH_TEST" "$B/launch-nosuid"
install -o root -g root -m 0755 "$SF_HELPERS/sf-try" "$B/sf-try"
install -o root -g root -m 4755 "$SF_HELPERS/sf-try" "$B/sf-try-suid"
L=$B/sysfence-launch
TRY=$B/sf-try
# $W: where the confined program may write its markers.
W=$T/w
mkdir -m 0755 "$W"
chown "$SF_UID:$SF_GID" "$W"
# $P: policies and untrusted (path) profiles, readable by the user.
P=$T/p
mkdir -m 0755 "$P"

if [ -e "$STORE_TOP" ]; then
	rm -rf "$STORE_TOP"
fi
mkdir -m 0755 "$STORE_TOP" "$STORE"
at_exit "rm -rf '$STORE_TOP'"
# $BB: root-owned all the way from /, so a binding to a program here counts
# ($B is under /tmp, which anyone may write: bindings there never count).
BB=$STORE_TOP/bin
mkdir -m 0755 "$BB"
install -o root -g root -m 4755 "$SF_HELPERS/sf-try" "$BB/sf-try-suid"
install -o root -g root -m 4755 "$SF_HELPERS/sf-careless" "$BB/sf-careless"
# A file only root may read: what a confused deputy would leak.
SECRET=$T/secret
printf 'SECRET-ROOT-ONLY\n' >"$SECRET"
chmod 0600 "$SECRET"

as_user() { setpriv --reuid=$SF_UID --regid=$SF_GID --clear-groups "$@"; }

# policy NAME [RULE...]: writes $P/NAME.pol from the base policy plus rules.
policy() {
	local name=$1
	shift
	{ base_policy; printf '%s\n' "$@"; } >"$P/$name.pol"
}

# store NAME [COMPILER OPTIONS]: compiles $P/NAME.pol into the store and
# into $P/NAME.bin (the same blob, for path-profile tests).
store() {
	local name=$1
	shift
	"$SF_COMPILE" -q "$@" "$P/$name.pol" "$P/$name.bin" &&
		install -o root -g root -m 0644 "$P/$name.bin" "$STORE/$name.bin"
}

# What every confined test program needs besides base.inc: listing its
# descriptors, reading its ids, and the calls the tests probe.
SANITIZER_RULES=()
if [ "${SANITIZE:-0}" = 1 ]; then
	# The sanitizer runtime in the instrumented sf-try (and in the launcher
	# after a failed exec) needs these; leak checking (a ptrace'ing clone at
	# exit) stays off in confined programs.
	SANITIZER_RULES=(madvise sigaltstack gettid faccessat2 sched_getaffinity prctl clock_gettime)
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi
POLICY_TEST_RULES=(getdents64 readlink readlinkat getresuid getresgid lseek fcntl getpid
	'~getppid' 'socket AF_UNIX' "${SANITIZER_RULES[@]}")

# pid_of FILE: the pid=N line sf-try printed.
pid_of() { sed -n 's/^pid=\([0-9]*\)$/\1/p' "$1" | head -1; }
