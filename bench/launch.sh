#!/bin/bash
# Launch benchmark for sysfence-launch (called by bench/run.sh, or alone:
# `BUILD=build bench/launch.sh`).  Prints, measured side by side in one run
# (commands interleaved, medians):
#   - launch latency: sysfence-launch PROFILE -- /bin/true vs /bin/true,
#     through the real setuid path as nobody, for a dynamic and a
#     -static-pie launcher, and as root vs bwrap --seccomp FD;
#   - the seccomp() attach time of the compiled blob vs a linear filter;
#   - per-call cost of a cheap syscall under the filter vs none.
# Timings are printed, never asserted.  Needs root (setuid copy, store).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${LAUNCH_BENCH_N:-400}
CC=${CC:-cc}

if [ "$(id -u)" -ne 0 ]; then
	echo "launch: skipped (needs root for the setuid copy and the test store)"
	exit 0
fi
SF_COMPILE=$BUILD/sysfence-compile
TEST_LAUNCHER=$BUILD/tests/sysfence-launch-test
BENCH=$BUILD/tests/helpers/sf-launchbench
[ -x "$TEST_LAUNCHER" ] || make -s BUILD="$BUILD" "$TEST_LAUNCHER" >/dev/null || exit 1
[ -x "$BENCH" ] || make -s BUILD="$BUILD" "$BENCH" >/dev/null || exit 1

# The test store is shared with `make check` (launch_*.sh): take turns.
exec 9>/run/sysfence-test.lock
flock -w 900 9 || { echo "launch: /run/sysfence-test.lock is busy"; exit 1; }
T=$(mktemp -d /tmp/sysfence-bench.XXXXXX)
chmod 755 "$T"
STORE_TOP=/run/sysfence-test # baked into the test launcher
STORE=$STORE_TOP/profiles
cleanup() { rm -rf "$T" "$STORE_TOP"; }
trap cleanup EXIT
mkdir -p -m 0755 "$STORE_TOP" "$STORE"

# A realistic application policy: what a small dynamic program and a
# typical service call (about 120 syscalls), one argument-checked rule.
{
	cat tests/policies/base.inc
	cat <<'POLICY'
fcntl - 1
getpid
getppid
getuid
geteuid
getgid
getegid
getresuid
getresgid
gettid
getcwd
chdir
fchdir
uname
sysinfo
clock_gettime
clock_nanosleep
nanosleep
gettimeofday
poll
ppoll
select
pselect6
epoll_create1
epoll_ctl
epoll_wait
epoll_pwait
eventfd2
pipe2
dup
dup2
dup3
socket AF_UNIX
socketpair
connect
accept4
bind
listen
sendto
recvfrom
sendmsg
recvmsg
shutdown
getsockname
getpeername
setsockopt
getsockopt
ioctl - TCGETS
lseek
readv
pwrite64
preadv
pwritev
fsync
fdatasync
ftruncate
getdents64
readlink
readlinkat
mkdirat
unlinkat
renameat2
linkat
symlinkat
faccessat
faccessat2
fchmod
fchmodat
fchown
utimensat
umask
madvise
mremap
msync
mincore
mlock
munlock
sched_yield
sched_getaffinity
clone
clone3
wait4
waitid
kill
tgkill
rt_sigtimedwait
rt_sigsuspend
sigaltstack
getrlimit
setrlimit
getrusage
times
prctl PR_SET_NAME
prctl PR_GET_NAME
inotify_init1
inotify_add_watch
inotify_rm_watch
memfd_create
timerfd_create
timerfd_settime
signalfd4
splice
sendfile
copy_file_range
statfs
fstatfs
flock
capget
personality
setsid
getpgid
setpgid
getsid
ioprio_get
POLICY
} >"$T/bench.pol"
"$SF_COMPILE" -q "$T/bench.pol" "$T/bench.bin" || exit 1
"$SF_COMPILE" -q --raw "$T/bench.pol" "$T/bench.raw" || exit 1
install -o root -g root -m 0644 "$T/bench.bin" "$STORE/bench.bin"

# Setuid copies in a root-owned folder: the test launcher's objects linked
# both ways, dynamic (-pie) and static (-static-pie, the default of `make`;
# `make STATIC=0` builds the dynamic one), whatever this build chose.
B=$T/bin
mkdir -m 0755 "$B"
link() { # link OUT FLAG
	$CC -O2 "$2" -Wl,-z,relro,-z,now -o "$1" "$BUILD"/obj/test-launch/*.o \
		"$BUILD/libsfcommon.a" -lcap -lnettle 2>>"$T/link.log"
}
link "$T/launch-dynamic" -pie && install -o root -g root -m 4755 "$T/launch-dynamic" "$B/launch" || {
	echo "launch: cannot link the launcher: $(head -1 "$T/link.log")"
	exit 1
}
STATIC=no
if link "$T/launch-static" -static-pie; then
	install -o root -g root -m 4755 "$T/launch-static" "$B/launch-static"
	STATIC=yes
fi
TRUE=$(command -v true)
TRUE=${TRUE:-/bin/true}
[ "$TRUE" = true ] && TRUE=/bin/true

# report: turns "LABEL median p10 p90" lines into a table with ratios
# against the first line (the bare exec).
report() {
	awk '
	NR == 1 { base = $2 }
	{
		printf "  %-34s %8.1f us  (p10 %7.1f, p90 %7.1f)", $1, $2, $3, $4
		if (NR > 1) printf "  x%.2f, %+.1f us", $2 / base, $2 - base
		printf "\n"
	}'
}

echo "== sysfence-launch: launch latency, median of $N interleaved runs each"
echo "as nobody, through the setuid-root launcher (trusted profile 'bench'):"
cmds=(@true "$TRUE" :: @launch-setuid-dynamic "$B/launch" bench -- "$TRUE")
[ $STATIC = yes ] && cmds+=(:: @launch-setuid-static "$B/launch-static" bench -- "$TRUE"
	:: @launch-path-nnp-static "$B/launch-static" "$T/bench.bin" -- "$TRUE"
	:: @floor:launch-static--version "$B/launch-static" --version)
"$BENCH" spawn --user 65534:65534 "$N" "${cmds[@]}" | report
echo "as root:"
cmds=(@true "$TRUE" :: @launch-root-dynamic "$B/launch" bench -- "$TRUE")
[ $STATIC = yes ] && cmds+=(:: @launch-root-static "$B/launch-static" bench -- "$TRUE")
if command -v bwrap >/dev/null; then
	cmds+=(:: @bwrap-seccomp "<9=$T/bench.raw" "$(command -v bwrap)" --ro-bind / / --seccomp 9 "$TRUE")
fi
"$BENCH" spawn "$N" "${cmds[@]}" | report
[ $STATIC = yes ] || echo "  (no -static-pie build: $(head -1 "$T/link.log"))"

echo "  (floor: the launcher's own exec, without loading or running anything,"
echo "   is the --version line; the rest is reading, probing and attaching)"
echo "== seccomp() attach time (median of 200, deny + allow, FLAG_LOG)"
"$BENCH" attach 200 "$T/bench.bin" | awk '{ printf "  compiled blob (tree):   %8.1f us  (%d + %d instructions)\n", $2, $4, $6 }'
"$BENCH" attach-linear 200 700 | awk '{ printf "  linear chain:           %8.1f us  (%d instructions)\n", $2, $4 }'

echo "== per-call cost, best of 5 x 2,000,000 calls (no filter -> under the blob)"
"$BENCH" percall 2000000 "$T/bench.bin" | awk '{
	printf "  %-16s %6.1f ns -> %6.1f ns  (x%.2f)\n", $1, $2, $3, $3 / $2 }'
echo "  (getpid is allowed unconditionally: the kernel action cache skips the filter;"
echo "   fcntl(F_GETFD) is argument-checked, so the filter runs on every call)"
