#!/bin/bash
# Peak memory (maximum resident set, GNU time's %M) of sysfence-compile on
# large inputs, printed beside the input's size; nothing is asserted
# (tests/integration/compiler_memory.sh asserts generous limits).  Issue 15:
# a 16 MiB policy of one-letter unknown names used to peak at 2.25 GB, and
# --from-log /dev/zero at 2.1 GB.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ROOT=$PWD
C=$(cd "$BUILD" && pwd)/sysfence-compile
W=$(mktemp -d /tmp/sysfence-bench-mem.XXXXXX)
trap 'rm -rf "$W"' EXIT

if [ ! -x /usr/bin/time ]; then
	echo "  (GNU time is not installed: apt-get install time)"
	exit 0
fi
MIB=$((1 << 20))
SIZE=$((16 * MIB))

# peak LABEL INPUT_BYTES CMD...: one line, peak RSS and its ratio to the input.
peak() {
	local label=$1 bytes=$2 kb
	shift 2
	kb=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
	awk -v l="$label" -v b="$bytes" -v k="$kb" 'BEGIN {
		if (b >= 1048576) printf "  %-48s %6.1f MiB in, peak %6.1f MiB (%.1fx)\n", l, b / 1048576, k / 1024, k * 1024 / b
		else if (b > 0) printf "  %-48s %6.1f KiB in, peak %6.1f MiB\n", l, b / 1024, k / 1024
		else printf "  %-48s %14s peak %6.1f MiB\n", l, "", k / 1024
	}'
}

echo "== compiler: peak memory on 16 MiB policies"
cd "$W" || exit 1
awk -v n=$((SIZE / 2)) 'BEGIN { for (i = 0; i < n; i++) printf "%c\n", 97 + i % 26 }' >unknown.policy
awk -v n=$((SIZE / 5)) 'BEGIN { for (i = 0; i < n; i++) print "read" }' >known.policy
awk -v max=$SIZE 'BEGIN { for (i = 0; s + length(l = "ioctl - " i "\n") <= max; i++) { printf "%s", l; s += length(l) } }' >distinct.policy
awk -v max=$SIZE 'BEGIN { for (i = 0; s + length(l = sprintf("mmap %d %d %d %d %d %d\n", i % 7, i % 11, i % 13, i % 17, i % 19, i)) <= max; i++) { printf "%s", l; s += length(l) } }' >distinct6.policy
# 4 KiB lines: three arguments padded with zeros.
awk -v max=$SIZE 'BEGIN { z = sprintf("%01360d", 0); for (i = 0; s + length(l = sprintf("read 0x%s%d 0x%s%d 0x%s%x\n", z, i % 3 + 1, z, i % 5 + 1, substr(z, 1, 1350), i)) <= max; i++) { printf "%s", l; s += length(l) } }' >long.policy
for shape in "unknown:one-letter unknown names" "known:a known name repeated" \
	"distinct:distinct rules 'ioctl - N'" "distinct6:six distinct arguments" \
	"long:4 KiB lines"; do
	f=${shape%%:*}
	peak "${shape#*:}" "$(stat -c %s "$f.policy")" "$C" -q "$f.policy" "$f.bin"
done
peak "-j 2 batch: unknown, known, distinct6 (48 MiB)" $((3 * SIZE)) \
	"$C" -q -j 2 --out-dir "$W" unknown.policy known.policy distinct6.policy
peak "bench/app.policy (316 rules), for scale" "$(stat -c %s "$ROOT/bench/app.policy")" \
	"$C" -q "$ROOT/bench/app.policy" app.bin
rm -f ./*.policy ./*.bin

echo
echo "== --from-log: peak memory, streamed"
rec='[ 1.0] audit: type=1326 audit(1795898999.145:7): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=100 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=63 compat=0 ip=0x7f0000000000 code=0x7ffc0000'
yes "$rec" | head -n 2000000 >records.log
peak "2 000 000 records (a file)" "$(stat -c %s records.log)" "$C" --from-log records.log
rm -f records.log
peak "/dev/zero for 3 s (then SIGINT)" 0 \
	timeout --preserve-status -s INT 3 "$C" --from-log /dev/zero
# An endless pipe of distinct serials and numbers fills the bounded sets.
endless() {
	awk 'BEGIN { srand(1); for (i = 0;; i++) printf "type=SECCOMP msg=audit(1.000:%d): pid=1 arch=c000003e syscall=%d code=0x7ffc0000\n", i, int(rand() * 4000000000) }' |
		timeout --preserve-status -s INT 8 "$C" --from-log
}
export -f endless
export C
peak "endless distinct records for 8 s (then SIGINT)" 0 bash -c endless
