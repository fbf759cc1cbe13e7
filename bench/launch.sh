#!/bin/bash
# Launch benchmark for sysfence-launch (called by bench/run.sh, or alone:
# `BUILD=build bench/launch.sh`).  Prints, measured side by side in one run
# (commands interleaved, medians):
#   - the floor: sysfence-launch PROFILE -- /bin/true against sf-floor
#     (bench/sf-floor.c: a static loader of the same program that only
#     reads it, sets no_new_privs, attaches and execs) and a bare exec of
#     /bin/true, as nobody through the real setuid path, for the launcher
#     linked static non-PIE, static-pie and dynamic (all stripped), and
#     for a profile given by path; "launcher / floor" is the figure;
#   - as root, against bwrap --seccomp FD;
#   - the seccomp() attach time of the compiled blob vs a linear filter;
#   - per-call cost of a cheap syscall under the filter vs none.
# Timings are printed, never asserted.  Needs root (setuid copy, store).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${LAUNCH_BENCH_N:-1000}
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
# every way, stripped as `make` strips the installed one.
B=$T/bin
mkdir -m 0755 "$B"
# The objects of today's src/launch/*.c (a build folder may hold older ones).
launch_objs=()
for c in src/launch/*.c; do
	c=${c##*/}
	launch_objs+=("$BUILD/obj/test-launch/${c%.c}.o")
done
link() { # link OUT FLAGS...
	local out=$1
	shift
	$CC -O2 "$@" -s -Wl,-z,relro,-z,now -o "$out" "${launch_objs[@]}" \
		"$BUILD/libsflib.a" "$BUILD/libsfcommon.a" -lcap -lnettle 2>>"$T/link.log"
}
modes=()
for m in static:-static:-no-pie static-pie:-static-pie dynamic:-pie; do
	name=${m%%:*}
	flags=${m#*:}
	# shellcheck disable=SC2086 # the flags are words
	if link "$T/launch-$name" ${flags//:/ }; then
		install -o root -g root -m 4755 "$T/launch-$name" "$B/launch-$name"
		modes+=("$name")
	else
		echo "  (cannot link the launcher $name: $(tail -1 "$T/link.log"))"
	fi
done
[ ${#modes[@]} -gt 0 ] || exit 1
FLOOR=$BUILD/bench/sf-floor
[ -x "$FLOOR" ] || make -s BUILD="$BUILD" "$FLOOR" >/dev/null || exit 1
install -o root -g root -m 0755 "$FLOOR" "$B/sf-floor"
install -o root -g root -m 4755 "$FLOOR" "$B/sf-floor-setuid"
chmod 0644 "$T/bench.raw"
TRUE=$(command -v true)
TRUE=${TRUE:-/bin/true}
[ "$TRUE" = true ] && TRUE=/bin/true

# report: "LABEL median p10 p90 R R25 R75" lines into a table, with each
# median against the bare exec (first line) and against the floor (second
# line), and the launcher's paired ratio R (sf-launchbench) with its
# quartiles: how far the figure moves between rounds.
report() {
	awk '
	NR == 1 { bare = $2 }
	NR == 2 { floor = $2 }
	{
		printf "  %-26s %8.1f us  (p10 %7.1f, p90 %7.1f)", $1, $2, $3, $4
		if (NR > 1) printf "  %+7.1f us over exec", $2 - bare
		if (NR > 2) printf ", x%.3f floor", $2 / floor
		printf "\n"
		if ($1 == "floor-setuid") setuid = $2
		if ($1 ~ /^launch-/ && !launcher) {
			launcher = $2
			paired = $5
			q1 = $6
			q3 = $7
		}
	}
	END {
		printf "  launcher / floor: %.3f (target <= 1.03), %+.1f us", launcher / floor, \
			launcher - floor
		if (setuid)
			printf ": %+.1f us a setuid start costs, %+.1f us the launcher'"'"'s own", \
				setuid - floor, launcher - setuid
		printf "\n"
		printf "  paired per round (each run over the floor run next to it): x%.3f, half the rounds x%.3f to x%.3f\n", \
			paired, q1, q3
	}'
}

echo "== sysfence-launch against its floor: median of $N interleaved runs each"
echo "as nobody, trusted profile 'bench' (the program not bound: no_new_privs):"
cmds=(@exec-true "$TRUE" :: @floor "$B/sf-floor" "$T/bench.raw" "$TRUE"
	:: @floor-setuid "$B/sf-floor-setuid" -u "$T/bench.raw" "$TRUE")
for m in "${modes[@]}"; do
	cmds+=(:: "@launch-$m" "$B/launch-$m" bench -- "$TRUE")
done
cmds+=(:: @path-profile-"${modes[0]}" "$B/launch-${modes[0]}" "$T/bench.bin" -- "$TRUE")
"$BENCH" spawn --user 65534:65534 "$N" "${cmds[@]}" | report
echo "as root:"
cmds=(@exec-true "$TRUE" :: @floor "$B/sf-floor" "$T/bench.raw" "$TRUE"
	:: "@launch-${modes[0]}" "$B/launch-${modes[0]}" bench -- "$TRUE")
if command -v bwrap >/dev/null; then
	cmds+=(:: @bwrap-seccomp "<9=$T/bench.raw" "$(command -v bwrap)" --ro-bind / / --seccomp 9 "$TRUE")
fi
"$BENCH" spawn "$N" "${cmds[@]}" | report | grep -v '^  launcher / floor'
echo "  (sizes: $(for m in "${modes[@]}"; do printf '%s %s KB; ' "$m" $(($(stat -c %s "$B/launch-$m") / 1024)); done)floor $(($(stat -c %s "$B/sf-floor") / 1024)) KB)"
echo "== seccomp() attach time (median of 200, deny + allow, FLAG_LOG)"
"$BENCH" attach 200 "$T/bench.bin" | awk '{ printf "  compiled blob (tree):   %8.1f us  (%d + %d instructions)\n", $2, $4, $6 }'
"$BENCH" attach-linear 200 700 | awk '{ printf "  linear chain:           %8.1f us  (%d instructions)\n", $2, $4 }'

echo "== per-call cost, best of 5 x 2,000,000 calls (no filter -> under the blob)"
"$BENCH" percall 2000000 "$T/bench.bin" | awk '{
	printf "  %-16s %6.1f ns -> %6.1f ns  (x%.2f)\n", $1, $2, $3, $3 / $2 }'
echo "  (getpid is allowed unconditionally: the kernel action cache skips the filter;"
echo "   fcntl(F_GETFD) is argument-checked, so the filter runs on every call)"
