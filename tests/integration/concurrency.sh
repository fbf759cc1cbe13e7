#!/bin/bash
# Concurrency (issue 5, point 3), beyond what compiler_batch.sh has:
#   - 8 compilers writing one OUTPUT over and over while a reader checks
#     it: every read sees one complete, valid blob (compiler_batch.sh
#     checks the end state: "8 concurrent compiles of one OUTPUT leave one
#     complete, valid blob");
#   - 8 batch compilers into one --out-dir at once: the same blobs as one
#     clean run, no temporary;
#   - a batch interrupted at random points (SIGINT, SIGTERM) several times
#     and restarted without --force converges: the final folder equals a
#     clean single run byte for byte, with no temporary, and the restarts
#     reuse what was finished (compiler_batch.sh checks each interruption
#     alone: "no .NAME.bin.sysfence-tmp-XXXXXX temporary left after SIGTERM/SIGINT",
#     "no partial blob after SIGTERM/SIGINT").
. "$(dirname "$0")/../lib.sh"

C=$SF_COMPILE
cd "$T" || exit 1
RANDOM=5 # the same interruption points on every run

check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
temporaries() { find "$@" -name '.*.bin.*' | wc -l; }
# same_blobs A B: the same names with the same bytes.
same_blobs() {
	[ "$(cd "$1" && ls -A)" = "$(cd "$2" && ls -A)" ] || return 1
	local f
	for f in "$1"/*.bin; do cmp -s "$f" "$2/${f##*/}" || return 1; done
}

mkdir in
for i in $(seq 1 300); do
	{
		base_policy
		for j in $(seq 0 $((i % 11))); do echo "getppid $((i + j))"; done
		echo "ioctl - $((i % 17))"
		[ $((i % 4)) -eq 0 ] && echo "~kill - $((i % 30))"
		[ $((i % 9)) -eq 0 ] && echo "@complain"
	} >"in/q$i.policy"
done
mkdir ref
"$C" -q -j 2 --out-dir ref in/*.policy || not_ok "the clean reference run"

# ---- readers never see a partial blob ----
mkdir one
for i in $(seq 1 8); do "$C" -q "in/q$i.policy" "one/ref$i.bin"; done
cp one/ref1.bin one/app.bin
refsums=$(for i in $(seq 1 8); do md5sum <"one/ref$i.bin"; done)
(
	for _ in $(seq 1 30); do
		for i in $(seq 1 8); do "$C" -q "in/q$i.policy" one/app.bin & done
		wait
	done
) &
writers=$!
reads=0 bad=0
while kill -0 "$writers" 2>/dev/null; do
	# One open of the path: whichever blob it names at that instant.
	sum=$(md5sum <one/app.bin)
	reads=$((reads + 1))
	if ! grep -qxF "$sum" <<<"$refsums"; then
		bad=$((bad + 1))
		echo "# read $reads: none of the 8 blobs"
	fi
done
wait "$writers"
check "8 compilers rewriting one OUTPUT 30 times: $reads reads, each one complete, valid blob" \
	test "$bad" -eq 0 -a "$reads" -gt 0
check "8 compilers, one OUTPUT: no temporary left" test "$(temporaries one)" -eq 0
"$C" --disasm one/app.bin >/dev/null 2>&1
check "8 compilers, one OUTPUT: the blob left verifies (--disasm)" test $? -eq 0

# ---- 8 batches into one folder at once ----
mkdir shared
pids=()
for _ in $(seq 1 8); do
	"$C" -q -j 2 --force --out-dir shared in/*.policy &
	pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
check "8 batches into one --out-dir at once: all exit 0" test "$fails" -eq 0
check "8 batches into one --out-dir: the same blobs as one clean run" same_blobs shared ref
check "8 batches into one --out-dir: no temporary" test "$(temporaries shared)" -eq 0

# ---- interrupted and restarted batches converge ----
mkdir conv
rounds=0 interrupted=0 leftovers=0 partial=0
for sig in INT TERM INT TERM INT TERM; do
	rounds=$((rounds + 1))
	before=$(ls conv | wc -l)
	"$C" -q -j 4 --out-dir conv in/*.policy &
	pid=$!
	# A random point: after 0 to 24 new blobs.
	want=$((before + RANDOM % 25))
	for _ in $(seq 300); do
		[ "$(ls conv | wc -l)" -ge "$want" ] && break
		sleep 0.01
	done
	kill -"$sig" "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	[ "$rc" -gt 128 ] && interrupted=$((interrupted + 1))
	n=$(temporaries conv)
	[ "$n" -eq 0 ] || { leftovers=$((leftovers + 1)); echo "# SIG$sig round $rounds: $n temporaries"; }
	for f in conv/*.bin; do
		[ -e "$f" ] || continue
		cmp -s "$f" "ref/${f##*/}" || { partial=$((partial + 1)); echo "# round $rounds: $f differs"; }
	done
	echo "# SIG$sig round $rounds: exit $rc, $(ls conv | wc -l) of 300 blobs"
done
if [ "$interrupted" -gt 0 ]; then
	ok "$interrupted of $rounds batches were interrupted mid-way (exit 128+N)"
else
	skip "no batch was still running when its signal came"
fi
check "after each interruption: no temporary" test "$leftovers" -eq 0
check "after each interruption: every blob present is complete (equals the clean run's)" test "$partial" -eq 0
done_before=$(ls conv | wc -l)
expect_exit 0 "restarted without --force: exit 0" "$C" -j 4 --out-dir conv in/*.policy
expect_grep "$T/err" "^sysfence-compile: $((300 - done_before)) compiled, $done_before up to date, 0 failed\$" \
	"the restart compiles only what is missing ($((300 - done_before)) of 300)"
check "interrupted and restarted: the folder equals a clean run, byte for byte" same_blobs conv ref
check "interrupted and restarted: no temporary" test "$(temporaries conv)" -eq 0
