#!/bin/bash
# The temporaries of atomic writes (issue 15, item 2): an output folder
# renamed away and recreated mid-batch strands none, in the old folder or
# the new; a SIGKILLed batch leaves some, and one clean run removes them;
# two batches into one folder never remove each other's live ones; a run
# that cannot prove a temporary dead keeps it; every reader says what a
# temporary is and never takes one for a profile.
#
# Deterministic: `strace --inject fsync:delay_enter` holds a writer between
# creating its temporary and renaming it, so the swap, the kill and the
# second batch land exactly in that window.  Random rounds follow.
. "$(dirname "$0")/../lib.sh"

C=$SF_COMPILE
cd "$T" || exit 1

check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# Any hidden file in an output folder is a temporary, ours or an older version's.
temporaries() { find "$@" -mindepth 1 -name '.*' | wc -l; }
# valid_blobs PATH...: every NAME.bin there verifies (--disasm), at least one.
valid_blobs() {
	local f n=0
	for f in $(find "$@" -name '*.bin'); do
		"$C" --disasm "$f" >/dev/null 2>&1 || { echo "# $f does not verify"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}
# wait_for_temporary DIR: until a writer's temporary exists there (5 s).
wait_for_temporary() {
	for _ in $(seq 500); do
		[ "$(temporaries "$1")" -gt 0 ] && return 0
		sleep 0.01
	done
	return 1
}

mkdir in
for i in $(seq 1 6); do { base_policy; echo "getppid $i"; } >"in/p$i.policy"; done

if command -v strace >/dev/null && strace -f -o /dev/null -e trace=fsync \
	-e inject=fsync:delay_enter=1 true 2>/dev/null; then
	# slow_batch DELAY_US ARGS...: starts a compile whose first fsync (its
	# first temporary's) waits first; $slow is strace's pid, slow_compiler
	# prints the compiler's.
	# (LeakSanitizer cannot run under ptrace: off for these runs.)
	slow_batch() {
		local delay=$1
		shift
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			strace -f -o /dev/null -e trace=fsync \
			-e inject=fsync:delay_enter="$delay":when=1 "$C" "$@" 2>>"$T/slow.err" &
		slow=$!
	}
	slow_compiler() { pgrep -P "$slow"; }

	# ---- the folder swapped while a temporary is in it ----
	mkdir dst
	slow_batch 1500000 -q -j 1 --out-dir dst in/p1.policy in/p2.policy in/p3.policy
	pid=$slow
	wait_for_temporary dst || echo "# no temporary appeared"
	mv dst dst.old
	mkdir dst
	wait "$pid"
	check "folder swapped mid-write: the batch exits 0" test $? -eq 0
	check "folder swapped mid-write: 0 temporaries in the old or the new folder" \
		test "$(temporaries dst dst.old)" -eq 0
	check "folder swapped mid-write: the blob in flight is complete in the old folder" \
		valid_blobs dst.old/p1.bin
	check "folder swapped mid-write: the later blobs are in the new folder" \
		test -f dst/p2.bin -a -f dst/p3.bin -a ! -e dst.old/p2.bin
	check "folder swapped mid-write: every blob verifies" valid_blobs dst dst.old
	rm -rf dst dst.old

	# ---- SIGKILL while a temporary exists, then one clean run ----
	mkdir dst
	slow_batch 2000000 -q -j 1 --out-dir dst in/*.policy
	wait_for_temporary dst || echo "# no temporary appeared"
	kill -KILL "$(slow_compiler)"
	wait "$slow" 2>/dev/null
	check "SIGKILL mid-write leaves a temporary (the case to clean up)" \
		test "$(temporaries dst)" -eq 1
	tmp=$(find dst -name '.*.sysfence-tmp-*' | head -1)
	expect_exit 2 "--disasm of a temporary left by a kill: refused" "$C" --disasm "$tmp"
	expect_grep "$T/err" "^sysfence-compile: dst/\.p1\.bin\.sysfence-tmp-[A-Za-z0-9]{6}: an unfinished temporary file of sysfence-compile, not a profile: the compile writing it was killed; the next compile into this folder removes it$" \
		"--disasm says what a left-behind temporary is"
	expect_exit 2 "--explain of a temporary: refused" "$C" --explain "$tmp" read
	expect_grep "$T/err" "an unfinished temporary file of sysfence-compile" "--explain says so too"
	expect_exit 0 "one clean batch after the kill exits 0" "$C" --out-dir dst in/*.policy
	expect_grep "$T/err" "^sysfence-compile: dst: removed 1 temporary left by an interrupted sysfence-compile$" \
		"the clean batch says what it removed"
	check "after the kill and one clean run: 0 temporaries" test "$(temporaries dst)" -eq 0
	check "after the kill and one clean run: every blob verifies" valid_blobs dst

	# A single compile into the folder cleans it up too.
	slow_batch 2000000 -q in/p1.policy dst/single.bin
	wait_for_temporary dst || echo "# no temporary appeared"
	kill -KILL "$(slow_compiler)"
	wait "$slow" 2>/dev/null
	expect_exit 0 "a single compile after a killed one exits 0" "$C" in/p2.policy dst/other.bin
	expect_grep "$T/err" "^sysfence-compile: dst: removed 1 temporary" "it removed the temporary"
	check "a single compile after a killed one: 0 temporaries" test "$(temporaries dst)" -eq 0
	rm -rf dst

	# ---- two batches into one folder: the second never removes a live one ----
	mkdir dst
	slow_batch 1500000 -q -j 1 --out-dir dst in/p1.policy in/p2.policy
	pid=$slow
	wait_for_temporary dst || echo "# no temporary appeared"
	live=$(find dst -name '.*.sysfence-tmp-*' | head -1)
	expect_exit 2 "--disasm of a temporary being written: refused" "$C" --disasm "$live"
	expect_grep "$T/err" "not a profile: a compile is writing it now, and renames it over its output when done$" \
		"--disasm says it is being written"
	expect_exit 0 "a second batch into the same folder meanwhile exits 0" \
		"$C" -q --force --out-dir dst in/p3.policy in/p4.policy
	check "the second batch left the first one's live temporary alone" test -e "$live"
	wait "$pid"
	check "the first batch, whose temporary the second saw, still exits 0" test $? -eq 0
	check "two batches into one folder: 0 temporaries, every blob verifies" \
		sh -c "[ \$(find dst -name '.*.sysfence-tmp-*' | wc -l) -eq 0 ]" && valid_blobs dst
	check "two batches into one folder: all four blobs" \
		test -f dst/p1.bin -a -f dst/p2.bin -a -f dst/p3.bin -a -f dst/p4.bin
	rm -rf dst
else
	skip "strace with --inject is not installed: the deterministic rounds need it"
fi

# ---- a writer in the window before it locks its temporary: nothing removed ----
mkdir dst
printf 'SYSFENCE' >dst/.p1.bin.sysfence-tmp-AAAAAA
# flock -s on the folder is what a writer holds from creating its temporary
# to locking it: the sweep cannot tell, so it keeps everything.
flock -s dst sleep 1.5 &
fl=$!
sleep 0.2
expect_exit 0 "a batch while a writer holds the folder exits 0" "$C" -q --out-dir dst in/p1.policy
check "it kept the unlocked temporary it could not prove dead" test -e dst/.p1.bin.sysfence-tmp-AAAAAA
wait "$fl"
expect_exit 0 "the next batch exits 0" "$C" --out-dir dst in/p1.policy
check "and removes it" test "$(temporaries dst)" -eq 0
# A complete blob under a temporary's name is still not a profile.
cp dst/p1.bin dst/.p1.bin.sysfence-tmp-BBBBBB
expect_exit 2 "--disasm of a complete blob named as a temporary: refused" \
	"$C" --disasm dst/.p1.bin.sysfence-tmp-BBBBBB
# A cut copy under an ordinary name: refused as the blob it is not.
head -c 100 dst/p1.bin >dst/cut.bin
expect_exit 2 "--disasm of a cut blob: refused" "$C" --disasm dst/cut.bin
expect_no_grep "$T/out" "." "--disasm of a cut blob: nothing shown"
# Another user's temporary is theirs: root's run keeps nobody's.
if [ "$(id -u)" -eq 0 ]; then
	chown nobody dst/.p1.bin.sysfence-tmp-BBBBBB
	expect_exit 0 "a batch beside another user's temporary exits 0" "$C" -q --out-dir dst in/p1.policy
	check "another user's temporary is kept" test -e dst/.p1.bin.sysfence-tmp-BBBBBB
fi
rm -rf dst

# ---- random rounds: swaps and kills at any moment, then one clean run ----
mkdir many
# bench/app.policy takes milliseconds to compile: the batch runs long enough.
for i in $(seq 1 200); do { cat "$SF_ROOT/bench/app.policy"; echo "getppid $i"; } >"many/m$i.policy"; done
stranded=0 killed=0 swaps=0
for round in $(seq 1 6); do
	rm -rf o o.*
	mkdir o
	# Writes in the moment between mv and mkdir fail (no folder): quiet.
	"$C" -q -j 2 --out-dir o many/*.policy 2>/dev/null &
	pid=$!
	for s in 1 2 3; do
		sleep "0.0$((RANDOM % 9 + 1))"
		mv o "o.$s" 2>/dev/null && mkdir o && swaps=$((swaps + 1))
	done
	if [ $((round % 2)) -eq 0 ]; then
		kill -KILL "$pid" 2>/dev/null && killed=$((killed + 1))
		wait "$pid" 2>/dev/null
		# What the kill left is the next run's to clean, in the folder it ran in.
		for d in o o.*; do "$C" -q --out-dir "$d" many/m1.policy 2>/dev/null; done
	else
		wait "$pid"
	fi
	n=$(temporaries o o.*)
	[ "$n" -eq 0 ] || { stranded=$((stranded + 1)); echo "# round $round: $n temporaries"; }
	valid_blobs o o.* >/dev/null || stranded=$((stranded + 1))
done
check "6 random rounds, $swaps folder swaps, $killed kills: 0 temporaries, every blob valid" \
	test "$stranded" -eq 0
