#!/bin/bash
# `make valgrind` (issue 5): the compiler under valgrind memcheck.
#
#   1. the unit tests of the compiler and of src/common (every
#      build/tests/test_* except the launcher's test_launch_* and those of
#      src/lib, test_probe, test_load and test_libsysfence: they load
#      filters, and valgrind has no seccomp(2));
#   2. representative sysfence-compile runs: every example, bench/app.policy
#      (plain, --raw, --check, --strict, stdin to stdout), a batch (-j 2,
#      then again: up to date, then --force), --explain, --disasm, --report,
#      --diff and --from-log (with --policy --as-patch), --list-groups, and
#      the error paths (a bad policy, a missing input, a usage error, a
#      policy whose @include lines fail every way).
#
# Each run: valgrind --tool=memcheck --error-exitcode=1 --leak-check=full
# (definite and possible leaks are errors).  A run passes when its exit
# status is the one expected, no valgrind log it wrote (one per process:
# test_fileio forks) counts an error, and the main process's log ends in
# "ERROR SUMMARY: 0 errors" - so a run whose own status is 1 (a bad
# policy, a denied call explained) is still judged on memory errors.  Compiled outputs are compared with the same
# compile outside valgrind.
#
# Not here: the launcher and anything that loads a filter.  valgrind does
# not implement seccomp(2) (it answers ENOSYS and warns "unhandled
# amd64-linux syscall: 317"; libseccomp's API probe in the compiler meets
# that warning too, harmlessly), so a filter-loading program would test
# valgrind, not sysfence.
#
# Prints one line per run and "valgrind: N runs, N failed"; exit 1 on any
# failure.  BUILD (default build) selects the build; VALGRIND_JOBS (default:
# the number of cores) how many runs go at once.
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
# The unit tests read the tree's files from $SF_ROOT (they run from $W).
export SF_ROOT=$ROOT
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
C=$BUILD/sysfence-compile
JOBS=${VALGRIND_JOBS:-$(nproc)}
# The examples @include the shipped library: the tree's (as tests/lib.sh).
export SYSFENCE_INCLUDE_DIR=$ROOT/share/include

if ! command -v "${VALGRIND:-valgrind}" >/dev/null; then
	echo "valgrind: not installed (Debian: apt-get install valgrind)" >&2
	exit 1
fi
if [ ! -x "$C" ]; then
	echo "valgrind: $C is missing: run make test-build first" >&2
	exit 1
fi

W=$(mktemp -d /tmp/sysfence-valgrind.XXXXXX)
trap 'rm -rf "$W"' EXIT
LOGS=$W/logs
mkdir "$LOGS"

# --fair-sched=yes: valgrind runs one thread at a time, and its default
# lock lets a spinning thread (test_codegen's hammer_version) starve the
# others: 10 s with round-robin turns, from 3 to over 10 minutes without.
# shellcheck disable=SC2054 # "definite,possible" is one value
VG=("${VALGRIND:-valgrind}" --tool=memcheck --error-exitcode=1 --leak-check=full
	--errors-for-leak-kinds=definite,possible --fair-sched=yes)

# vg NAME WANT CMD...: runs CMD under valgrind in the background, from $W.
# stdout goes to $W/NAME.out, stderr to $W/NAME.err, valgrind's own
# report to $LOGS/NAME.PID.vg; the verdict to $W/NAME.result.
vg() {
	local name=$1 want=$2
	shift 2
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
	(
		cd "$W" || exit 1
		"${VG[@]}" --log-file="$LOGS/$name.%p.vg" "$@" >"$W/$name.out" 2>"$W/$name.err" <"${STDIN:-/dev/null}"
		rc=$?
		why=""
		[ "$rc" -eq "$want" ] || why="exit $rc, wanted $want"
		# A child a test kills on purpose (test_fileio) writes no summary;
		# the parent must, and no process may count an error.
		if grep -q 'ERROR SUMMARY: [1-9]' "$LOGS/$name".*.vg 2>/dev/null; then
			why="${why:+$why; }memcheck errors"
		elif ! grep -q 'ERROR SUMMARY: 0 errors' "$LOGS/$name".*.vg 2>/dev/null; then
			why="${why:+$why; }no memcheck summary"
		fi
		echo "$why" >"$W/$name.result"
	) &
}

# ---- 1. unit tests -----------------------------------------------------------
units=()
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	case ${t##*/} in test_launch_* | test_probe | test_load | test_libsysfence) continue ;; esac
	units+=("${t##*/}")
done
# The slowest first (test_codegen: minutes under valgrind): the rest overlap it.
for u in $(printf '%s\n' "${units[@]}" | grep -x test_codegen) \
	$(printf '%s\n' "${units[@]}" | grep -vx test_codegen); do
	vg "unit-$u" 0 "$BUILD/tests/$u"
done

# ---- 2. compiler runs ---------------------------------------------------------
mkdir -p "$W/in" "$W/native" "$W/out" "$W/batch"
for f in examples/*.policy bench/app.policy; do
	cp "$f" "$W/in/"
done
{ cat tests/policies/base.inc tests/policies/tools.policy; } >"$W/in/tools.policy"
{ cat "$W/in/tools.policy"; echo getdents64; echo "kill - SIGTERM"; } >"$W/in/tools2.policy"
printf 'read\nsocket AF_UNX\nioctl - >\nwrite 1 2 3 4 5 6 7\n@complai\n' >"$W/in/bad.policy"
# The include loader's error paths: a cycle, a missing file, a folder, a typo
# in an included file, a misspelt group (not compiled outside valgrind).
mkdir -p "$W/inc/folder"
printf '@include ./b.inc\nread\n' >"$W/inc/a.inc"
printf '@include ./a.inc\nsocket AF_UNX\n' >"$W/inc/b.inc"
printf '@include ./a.inc\n@include ./none.inc\n@include ./folder\n@netwrk-io\n@include base\n' \
	>"$W/inc/composed.bad"
# Audit records in the kernel's format (uname, clock_nanosleep, getpid).
for nr in 63 230 39 63; do
	printf '[ 12.3] audit: type=1326 audit(1795898999.100:%s): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=41 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=%s compat=0 ip=0x7f0000000000 code=0x7ffc0000\n' "$nr" "$nr"
done >"$W/in/dmesg.log"
# What valgrind runs are compared with.
for f in "$W"/in/*.policy; do
	n=$(basename "$f" .policy)
	[ "$n" = bad ] && continue
	"$C" -q "$f" "$W/native/$n.bin"
done
"$C" -q --raw "$W/in/app.policy" "$W/native/app.raw"

for f in "$W"/in/*.policy; do
	n=$(basename "$f" .policy)
	[ "$n" = bad ] && continue
	vg "compile-$n" 0 "$C" -q "in/$n.policy" "out/$n.bin"
done
vg raw 0 "$C" -q --raw in/app.policy out/app.raw
vg check 0 "$C" --check in/app.policy in/cli-tool.policy
vg strict 0 "$C" -q --strict in/net-client.policy out/strict.bin
STDIN=$W/in/app.policy vg stdin-stdout 0 "$C" -q - -
vg explain-blob 0 "$C" --explain native/app.bin openat
vg explain-allowed 0 "$C" --explain in/tools.policy getppid
vg explain-deny-rule 1 "$C" --explain in/tools.policy ioctl 1 0x5412
vg explain-default 1 "$C" --explain in/cli-tool.policy socket 2 1 0
vg disasm 0 "$C" --disasm native/tools.bin
vg report 0 "$C" --report in/app.policy
vg diff-same 0 "$C" --diff in/tools.policy native/tools.bin
vg diff-changed 1 "$C" --diff in/tools.policy in/tools2.policy
vg from-log 0 "$C" --from-log in/dmesg.log
vg from-log-patch 0 "$C" --from-log --policy in/tools.policy --as-patch in/dmesg.log
vg bad-policy 1 "$C" in/bad.policy out/bad.bin
vg missing-input 1 "$C" in/missing.policy out/missing.bin
vg usage-error 2 "$C" --arch vax in/app.policy out/x.bin
vg include-errors 1 "$C" inc/composed.bad out/composed.bin
vg list-groups 0 "$C" --list-groups system-service
wait
# A batch (bad.policy fails in it: exit 1), then the same inputs up to date,
# then --force; each pass needs the one before.
vg batch 1 "$C" -q -j 2 --out-dir batch in/app.policy in/cli-tool.policy in/daemon.policy \
	in/deny-list.policy in/net-client.policy in/tools.policy in/bad.policy
wait
vg batch-up-to-date 0 "$C" -q -j 2 --out-dir batch in/app.policy in/cli-tool.policy in/tools.policy
wait
vg batch-force 0 "$C" -q -j 2 --force --out-dir batch in/app.policy in/cli-tool.policy in/tools.policy
wait

# ---- verdicts ------------------------------------------------------------------
same() { # NAME A B: the output of a valgrind run equals the native one
	if ! cmp -s "$2" "$3"; then
		echo "${1}: output differs from the run outside valgrind" >>"$W/$1.result.extra"
	fi
}
for f in "$W"/in/*.policy; do
	n=$(basename "$f" .policy)
	[ "$n" = bad ] && continue
	same "compile-$n" "$W/out/$n.bin" "$W/native/$n.bin"
done
same raw "$W/out/app.raw" "$W/native/app.raw"
same stdin-stdout "$W/stdin-stdout.out" "$W/native/app.bin"
for n in app cli-tool tools; do same batch-force "$W/batch/$n.bin" "$W/native/$n.bin"; done
[ -e "$W/out/bad.bin" ] && echo "bad-policy: an output was written" >>"$W/bad-policy.result.extra"

runs=0
failed=0
for r in "$W"/*.result; do
	name=$(basename "$r" .result)
	why=$(cat "$r")
	[ -e "$r.extra" ] && why="${why:+$why; }$(tr '\n' ' ' <"$r.extra")"
	runs=$((runs + 1))
	if [ -z "$why" ]; then
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name: $why"
		# The reports with errors (or all of them, when none has a summary).
		logs=$(grep -l 'ERROR SUMMARY: [1-9]' "$LOGS/$name".*.vg 2>/dev/null ||
			ls "$LOGS/$name".*.vg 2>/dev/null)
		for log in $logs; do
			grep -E '^==[0-9]+== ' "$log" | head -60 | sed 's/^/    | /'
		done
		sed 's/^/    stderr| /' "$W/$name.err" | head -10
	fi
done
echo "valgrind: $runs runs, $failed failed"
[ "$failed" -eq 0 ]
