#!/bin/bash
# Replays the fuzzers' saved inputs as ordinary tests: every file of the
# committed corpus (tests/fuzz/corpus/TARGET) and every regression input
# (tests/fuzz/regressions/TARGET, one test each: an input that once crashed,
# tripped a sanitizer, broke an invariant or was pathologically slow) through
# each target built with a plain main() and ASan+UBSan (`make fuzz-replay`,
# part of `make check`'s build).  No libFuzzer, no randomness.
#
# A regression input also gets a CPU-time budget (ulimit -t): the slow-*
# inputs took seconds to minutes of CPU before their fix and must stay fast.
. "$(dirname "$0")/../lib.sh"

REPLAY=${SF_FUZZ_REPLAY:-$SF_ROOT/build/fuzz/replay}
CORPUS=$SF_ROOT/tests/fuzz/corpus
REGRESSIONS=$SF_ROOT/tests/fuzz/regressions
CPU_LIMIT=${SF_FUZZ_CPU_LIMIT:-3}
TARGETS="fuzz_parse fuzz_compile fuzz_blob fuzz_auditlog fuzz_oci"
# Leaks are findings too; abort (not just log) on any UBSan report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# replay TARGET DESCRIPTION CPU_SECONDS PATH...
replay() {
	local t=$1 desc=$2 cpu=$3 rc
	shift 3
	{ (ulimit -t "$cpu" && exec "$REPLAY/$t" "$@") >"$T/out" 2>"$T/err"; } 2>/dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$desc"
	else
		case $rc in
		152 | 137) desc="$desc (over $cpu s of CPU)" ;;
		*) desc="$desc (exit $rc)" ;;
		esac
		not_ok "$desc"
		# The sanitizer report and the input it was running.
		grep -E 'Running:|ERROR|runtime error|invariant|SUMMARY|#[0-9]+ ' "$T/err" |
			grep -B1 -A0 -E 'ERROR|runtime error|invariant|SUMMARY|#[0-3] ' |
			head -30 | sed 's/^/    | /'
		tail -3 "$T/err" | sed 's/^/    | /'
	fi
}

for t in $TARGETS; do
	if [ ! -x "$REPLAY/$t" ]; then
		not_ok "$t: replay binary $REPLAY/$t missing (make fuzz-replay)"
		continue
	fi
	n=$(find "$CORPUS/$t" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | wc -l)
	if [ "$n" -eq 0 ]; then
		not_ok "$t: no corpus in tests/fuzz/corpus/$t"
	else
		# The whole corpus in one process: generous CPU, it is many files.
		replay "$t" "$t: replays its $n corpus inputs" 300 "$CORPUS/$t"
	fi
	for f in "$REGRESSIONS/$t"/*; do
		[ -f "$f" ] || continue
		replay "$t" "$t: regression $(basename "$f")" "$CPU_LIMIT" "$f"
	done
done

# The harness itself: an input it cannot read is a failure, not a pass.
if [ -x "$REPLAY/fuzz_parse" ]; then
	expect_exit 1 "replay fails on an input it cannot read" \
		"$REPLAY/fuzz_parse" "$T/no-such-input"
fi
