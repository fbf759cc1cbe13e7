#!/bin/bash
# sysfence demo: `sudo make demo` (or `sudo scripts/demo.sh`) on a fresh
# Debian or Ubuntu machine, from the source folder.
#
#  1. installs missing build dependencies (scripts/install-deps.sh, what
#     the `make deps` target runs; it installs make too) and builds (`make`);
#  2. builds a second launcher into build/demo whose trusted store is
#     /run/sysfence-demo/profiles (`make BUILD=build/demo PROFILE_DIR=...`):
#     the store is baked into the launcher at build time, and a store of
#     its own means the demo never touches /var/lib/sysfence;
#  3. compiles examples/*.policy into that store (root-owned, 0755/0644);
#  4. runs programs through a setuid-root copy of that launcher, as the
#     unprivileged user nobody: in enforce mode an allowed call and a
#     denied one (EPERM) with the kernel's audit record from dmesg, an
#     explicit "~" denial (EACCES), then complain mode (the call succeeds,
#     and is logged with code=0x7ffc0000).
#
# It leaves the machine as it found it: the setuid copy (in a root-owned
# temporary folder), the demo store and the kernel.printk_ratelimit setting
# (0 during the demo, so every audit record reaches dmesg) are removed or
# restored on exit, also after an error or Ctrl-C.  What stays: the packages
# installed in step 1 and the build outputs under build/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MAKE=${MAKE:-make}
DEMO_BUILD=build/demo
STORE_TOP=/run/sysfence-demo
STORE=$STORE_TOP/profiles
DEMO_UID=65534 # nobody

if [ "$(id -u)" -ne 0 ]; then
	echo "The demo installs packages, makes the launcher setuid root and reads the" >&2
	echo "kernel log: run it as root, e.g. 'sudo make demo'." >&2
	exit 1
fi
# One demo at a time (the store path is fixed): lock this script itself.
exec 9<"$0"
if ! flock -n 9; then
	echo "demo: another demo is running" >&2
	exit 1
fi

# Narration: step titles in bold on a terminal; commands with the prompt of
# who runs them (the confined programs run as nobody, dmesg as root).
if [ -t 1 ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
say() { printf '\n%s%s%s\n' "$BOLD" "$*" "$PLAIN"; }
show_cmd() { printf '  nobody$ %s\n' "$*"; }
show_root() { printf '  root# %s\n' "$*"; }
indent() { sed 's/^/    /'; }

# --- cleanup, whatever happens --------------------------------------------------
SUIDDIR=
OLD_RATELIMIT=
cleanup() {
	[ -n "$OLD_RATELIMIT" ] && sysctl -qw kernel.printk_ratelimit="$OLD_RATELIMIT"
	[ -n "$SUIDDIR" ] && rm -rf "$SUIDDIR"
	rm -rf "$STORE_TOP"
	return 0
}
trap cleanup EXIT
# A signal (Ctrl-C, a closed terminal or pipe) exits, and exiting cleans up.
trap 'exit 130' INT TERM HUP PIPE

# --- 1. dependencies and build ---------------------------------------------------
say "1. Build dependencies and build"
echo "Installing what is missing with apt-get (scripts/install-deps.sh), then 'make'."
# What `make deps` runs, called directly: it also installs make itself.
scripts/install-deps.sh
mkdir -p "$DEMO_BUILD"
LOG=$DEMO_BUILD/build.log
if ! { "$MAKE" --no-print-directory all &&
	"$MAKE" --no-print-directory BUILD="$DEMO_BUILD" PROFILE_DIR="$STORE" \
		"$DEMO_BUILD/sysfence-launch"; } >"$LOG" 2>&1; then
	tail -30 "$LOG" >&2
	echo "demo: the build failed (full log: $LOG)" >&2
	exit 1
fi
COMPILE=$ROOT/build/sysfence-compile
# The examples @include the shipped library: the tree's, not installed.
export SYSFENCE_INCLUDE_DIR=$ROOT/share/include
echo "Built build/sysfence-compile, and build/demo/sysfence-launch, whose trusted"
echo "store is $STORE (log: $LOG)."

# --- 2. profiles -------------------------------------------------------------------
say "2. Compile the example policies into a trusted store"
rm -rf "$STORE_TOP"
install -d -o root -g root -m 0755 "$STORE_TOP" "$STORE"
"$COMPILE" --strict --out-dir "$STORE" "$ROOT"/examples/*.policy
# A root-owned folder for the setuid copy (step 3) and the complain-mode
# variant of the command-line policy (step 5).  Setuid must work there:
# the first of /tmp, /var/tmp and build/ that is not mounted nosuid.
for base in /tmp /var/tmp "$ROOT/build"; do
	findmnt -n -o OPTIONS -T "$base" 2>/dev/null | tr ',' '\n' | grep -qx nosuid && continue
	SUIDDIR=$(mktemp -d "$base/sysfence-demo.XXXXXX")
	break
done
if [ -z "$SUIDDIR" ]; then
	echo "demo: /tmp, /var/tmp and build/ are all mounted nosuid" >&2
	exit 1
fi
chmod 0755 "$SUIDDIR"
{ cat "$ROOT/examples/cli-tool.policy"; echo "@complain"; } >"$SUIDDIR/cli-tool-complain.policy"
"$COMPILE" --strict -q "$SUIDDIR/cli-tool-complain.policy" "$STORE/cli-tool-complain.bin"
chmod 0644 "$STORE"/*.bin
echo "sysfence-compile --strict --out-dir $STORE examples/*.policy:"
ls -l "$STORE" | sed 1d | indent

# --- 3. the launcher -----------------------------------------------------------------
say "3. Install the launcher setuid root (a temporary copy) and look at the kernel"
LAUNCH=$SUIDDIR/sysfence-launch
install -o root -g root -m 4755 "$DEMO_BUILD/sysfence-launch" "$LAUNCH"
echo "$LAUNCH (4755 root:root, removed at the end). What this kernel supports:"
"$LAUNCH" --features | grep -E '^(filter_flag_log|action_log|denials_logged|complain_mode|note)=' | indent
OLD_RATELIMIT=$(sysctl -n kernel.printk_ratelimit)
sysctl -qw kernel.printk_ratelimit=0
echo "kernel.printk_ratelimit=0 for the demo (it was $OLD_RATELIMIT), so the kernel prints every record."

# as_nobody PROFILE -- PROGRAM ARGS...: runs the launcher as nobody, from /,
# in the background so that its pid (the program's: setpriv and the launcher
# exec) is known; sets PID and RC.
as_nobody() {
	(cd / && PATH=/usr/local/bin:/usr/bin:/bin exec setpriv --reuid=$DEMO_UID --regid=$DEMO_UID --clear-groups "$LAUNCH" "$@") \
		> >(indent) 2> >(indent >&2) &
	PID=$!
	RC=0
	wait "$PID" || RC=$?
	sleep 0.2 # let the indented output reach the terminal first
}
# audit_line PID CODE: the kernel's record for PID with CODE (waits up to 3 s).
audit_line() {
	local line
	for _ in $(seq 30); do
		line=$(dmesg | grep -E "type=1326 .* pid=$1 .*code=$2( |\$)" | head -1 || true)
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# --- 4. enforce mode ------------------------------------------------------------------
say "4. Enforce mode: profile cli-tool (examples/cli-tool.policy), run as nobody"
echo "An allowed call: head opens and reads a file; the policy allows openat and read."
show_cmd "sysfence-launch cli-tool -- head -n1 /etc/os-release"
as_nobody cli-tool -- head -n1 /etc/os-release
echo "  exit status $RC"
echo
echo "A denied call: a command-line tool may not open a network socket, so"
echo "socket(AF_INET) fails with EPERM (\"Operation not permitted\"), and nothing else happens."
show_cmd "sysfence-launch cli-tool -- bash -c 'echo hello >/dev/udp/127.0.0.1/9'"
as_nobody cli-tool -- bash -c 'echo hello >/dev/udp/127.0.0.1/9'
echo "  exit status $RC"
echo "The kernel logged the denial (syscall=41 is socket, code=0x50000 is SECCOMP_RET_ERRNO):"
show_root "dmesg | grep 'pid=$PID '"
audit_line "$PID" 0x50000 | indent || echo "    (no record found: is another process flooding the kernel log?)"
echo
echo "An explicit denial: examples/deny-list.policy has '~fchmodat - - |S_ISUID', so"
echo "making a file set-user-ID fails with EACCES (\"Permission denied\"): a rule forbids"
echo "it, where EPERM means that no rule allows it."
install -o $DEMO_UID -m 0644 /dev/null "$SUIDDIR/file"
show_cmd "sysfence-launch deny-list -- chmod u+s $SUIDDIR/file"
as_nobody deny-list -- chmod u+s "$SUIDDIR/file"
echo "  exit status $RC"

# --- 5. complain mode -----------------------------------------------------------------
say "5. Complain mode: the same policy plus '@complain' (profile cli-tool-complain)"
echo "Nothing fails: the socket call succeeds, and the kernel logs it instead."
show_cmd "sysfence-launch cli-tool-complain -- bash -c 'echo hello >/dev/udp/127.0.0.1/9'"
as_nobody cli-tool-complain -- bash -c 'echo hello >/dev/udp/127.0.0.1/9'
echo "  exit status $RC"
echo "The record (code=0x7ffc0000 is SECCOMP_RET_LOG: allowed, and logged):"
show_root "dmesg | grep 'pid=$PID '"
audit_line "$PID" 0x7ffc0000 | indent || echo "    (no record found: this kernel may lack SECCOMP_RET_LOG, see --features above)"
echo "sysfence-compile turns such records into the lines the policy is missing:"
show_root "dmesg | sysfence-compile --from-log - --pid $PID --policy examples/cli-tool.policy"
dmesg | "$COMPILE" --from-log - --pid "$PID" --policy "$ROOT/examples/cli-tool.policy" 2>/dev/null | indent || true

say "Done"
echo "Cleaning up: the setuid copy, the demo store and kernel.printk_ratelimit=$OLD_RATELIMIT."
echo "Next: README.md's five-minute tutorial, 'man 5 sysfence-policy', examples/*.policy."
