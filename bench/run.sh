#!/bin/bash
# `make bench`: every number is measured in this run, side by side with its
# baseline, and printed; nothing is asserted (machines are noisy).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
COMPILE=$BUILD/sysfence-compile
W=$(mktemp -d /tmp/sysfence-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

echo "== compiler: sysfence's code generator and the libseccomp baseline, side by side"
echo "   (the typical two-architecture app policy, a 286-syscall allow-list, an"
echo "   argument-heavy policy: 150 syscalls, two alternatives each)"
"$BUILD/bench/compile-bench" --runs 40 --compiler "$COMPILE" \
	bench/app.policy bench/allowlist.policy bench/args.policy

echo
echo "== compiler: batch of 500 policies (each a different variant of app.policy)"
mkdir -p "$W/in" "$W/out1" "$W/outN"
for i in $(seq 1 500); do
	{ cat bench/app.policy; echo "# variant $i"; echo "getppid $i"; } >"$W/in/p$i.policy"
done
cores=$(nproc)
t0=$(date +%s.%N)
"$COMPILE" -q -j 1 --out-dir "$W/out1" "$W"/in/*.policy
t1=$(date +%s.%N)
"$COMPILE" -q -j "$cores" --out-dir "$W/outN" "$W"/in/*.policy
t2=$(date +%s.%N)
t3=$(date +%s.%N)
"$COMPILE" -q -j "$cores" --out-dir "$W/outN" "$W"/in/*.policy # all up to date
t4=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" -v n="$cores" 'BEGIN {
	s1 = b - a; sn = c - b; su = e - d
	printf "  -j 1: %.2f s (%.2f ms per policy)\n", s1, s1 * 2
	printf "  -j %d: %.2f s (%.2f ms per policy, %.2f ms per policy per core)\n", n, sn, sn * 2, sn * 2 * n
	printf "  speed-up with %d cores: %.2fx\n", n, s1 / sn
	printf "  re-run with every blob up to date: %.2f s (%.2f ms per policy)\n", su, su * 2
}'
if cmp -s "$W/out1/p1.bin" "$W/outN/p1.bin"; then echo "  -j 1 and -j $cores blobs are identical"; fi

echo
BUILD=$BUILD bench/memory.sh

echo
BUILD=$BUILD bench/learn.sh

if [ -x bench/launch.sh ]; then
	echo
	BUILD=$BUILD bench/launch.sh
fi
