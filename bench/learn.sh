#!/bin/bash
# What tracing costs (--learn, issue 16), measured side by side in one run:
# a program alone, under `sysfence-compile --learn` with no policy (every
# call goes to the supervisor and back), under --learn --policy with the
# policy learned from it (every call decided in the kernel), and under
# `strace -f` (ptrace, the other way to see every call).  Interleaved
# runs, medians; nothing is asserted.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
C=$BUILD/sysfence-compile
PY=/usr/bin/python3
RUNS=${RUNS:-15}
W=$(mktemp -d /tmp/sysfence-bench-learn.XXXXXX)
trap 'rm -rf "$W"' EXIT

if [ ! -x "$PY" ]; then
	echo "  (no $PY)"
	exit 0
fi
N=20000
PROG=(-c "import os
for i in range($N): os.getppid()")
"$C" --learn -q -o "$W/p.policy" -- "$PY" "${PROG[@]}"
calls=$("$C" --learn -- "$PY" "${PROG[@]}" 2>&1 >/dev/null | sed -n 's/.*: \([0-9]*\) calls recorded.*/\1/p')

# ms CMD...: wall time of one run in milliseconds.
ms() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}
: >"$W/plain" >"$W/learn" >"$W/policy" >"$W/strace"
for _ in $(seq "$RUNS"); do
	ms "$PY" "${PROG[@]}" >>"$W/plain"
	ms "$C" --learn -q -- "$PY" "${PROG[@]}" >>"$W/learn"
	ms "$C" --learn -q --policy "$W/p.policy" -- "$PY" "${PROG[@]}" >>"$W/policy"
	if command -v strace >/dev/null; then ms strace -f -qq -o /dev/null "$PY" "${PROG[@]}" >>"$W/strace"; fi
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
p=$(median "$W/plain") l=$(median "$W/learn") k=$(median "$W/policy") s=$(median "$W/strace")
echo "== --learn: python3 making $N getppid calls ($calls calls traced in all), $RUNS interleaved runs, medians"
awk -v p="$p" -v l="$l" -v k="$k" -v s="$s" -v c="$calls" 'BEGIN {
	printf "  alone                                %8.1f ms\n", p / 1000
	printf "  --learn, no policy (every call)      %8.1f ms  %5.2fx  %.1f us per traced call\n", l / 1000, l / p, (l - p) / c
	printf "  --learn --policy (the learned one)   %8.1f ms  %5.2fx\n", k / 1000, k / p
	if (s > 0) printf "  strace -f                            %8.1f ms  %5.2fx  %.1f us per call\n", s / 1000, s / p, (s - p) / c
}'
