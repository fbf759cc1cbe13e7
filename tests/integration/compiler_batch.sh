#!/bin/bash
# Batch mode, `sysfence-compile [-j N] --out-dir DIR INPUT...`: the same
# blobs whatever the number of workers (and as single compiles), output
# names, the up-to-date skip and --force, failures named while the rest
# is compiled, concurrent compilers writing one output, and SIGTERM / SIGINT
# in the middle of a batch (no temporary, no partial blob left).
. "$(dirname "$0")/../lib.sh"

C=$SF_COMPILE
cd "$T" || exit 1

check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# stamps DIR: inode and mtime (ns) of every blob, to tell a skip from a rewrite.
stamps() { (cd "$1" && stat -c '%n %i %.9Y' -- *.bin); }
temporaries() { find "$@" -name '.*.bin.*' | wc -l; }
# same_blobs A B: the two folders hold the same names with the same bytes.
same_blobs() {
	[ "$(cd "$1" && ls)" = "$(cd "$2" && ls)" ] || return 1
	local f
	for f in "$1"/*.bin; do cmp -s "$f" "$2/${f##*/}" || return 1; done
}

mkdir in
for i in $(seq 1 40); do
	{
		base_policy
		echo "getppid $i"
		echo "ioctl - $((i % 7))"
		[ $((i % 3)) -eq 0 ] && echo "~kill - $((i % 30))"
		[ $((i % 5)) -eq 0 ] && echo "@complain"
	} >"in/p$i.policy"
done

# ---- -j 1 and -j 4 give the same blobs, equal to single compiles ----
mkdir o1 o4 single
expect_exit 0 "-j 1 batch of 40 exits 0" "$C" -j 1 --out-dir o1 in/*.policy
expect_grep "$T/err" '^sysfence-compile: 40 compiled, 0 up to date, 0 failed$' "-j 1: summary line"
expect_exit 0 "-j 4 batch of 40 exits 0" "$C" -j 4 --out-dir o4 in/*.policy
check "-j 1: one NAME.bin per NAME.policy" test "$(ls o1 | wc -l)" -eq 40 -a -f o1/p17.bin
check "-j 1 and -j 4 give identical blobs" same_blobs o1 o4
for i in 1 3 5 15 40; do "$C" -q "in/p$i.policy" "single/p$i.bin"; done
check "batch blobs equal single compiles" \
	sh -c 'for f in single/*.bin; do cmp -s "$f" "o1/${f##*/}" || exit 1; done'
expect_exit 0 "default -j (all cores)" "$C" --out-dir o4 --force in/*.policy
check "default -j: identical blobs" same_blobs o1 o4
check "blobs are mode 0644" test "$(stat -c %a o1/*.bin | sort -u)" = 644
check "no temporary left" test "$(temporaries o1 o4)" -eq 0

# Many workers on one source: every blob byte for byte the same (a race
# once left an empty libseccomp version in about one blob in 15 000).
mkdir same osame
for i in $(seq 1 1500); do printf 'read\nexecve\n' >"same/s$i.policy"; done
"$C" -q -j 8 --out-dir osame same/*.policy
"$C" -q same/s1.policy same.bin
check "-j 8 on 1500 copies of one policy: 1500 identical blobs" \
	test "$(cat osame/*.bin same.bin | md5sum | cut -c1-32)" = \
	"$(for i in $(seq 1 1501); do cat same.bin; done | md5sum | cut -c1-32)"

# Output names: NAME.policy -> NAME.bin, anything else -> its name + .bin.
mkdir names
cp in/p1.policy names/noext
cp in/p1.policy names/two.policy.policy
expect_exit 1 "an input without a file name ('names/') cannot be named: exit 1" \
	"$C" --out-dir o1 names/noext names/two.policy.policy names/
check "'noext' -> noext.bin" cmp -s o1/noext.bin o1/p1.bin
check "'two.policy.policy' -> two.policy.bin" cmp -s o1/two.policy.bin o1/p1.bin
expect_grep "$T/err" "^sysfence-compile: names/: cannot name an output for this input$" \
	"the unnamable input is named"
rm -f o1/noext.bin o1/two.policy.bin

# ---- up to date: skipped; --force rewrites ----
before=$(stamps o1)
expect_exit 0 "a second run exits 0" "$C" -j 2 --out-dir o1 in/*.policy
expect_grep "$T/err" '^sysfence-compile: 0 compiled, 40 up to date, 0 failed$' "everything up to date"
check "up-to-date blobs are not rewritten (inode, mtime)" test "$(stamps o1)" = "$before"
touch in/p2.policy
expect_exit 0 "a touched (unchanged) policy" "$C" -j 2 --out-dir o1 in/*.policy
expect_grep "$T/err" ' 0 compiled, 40 up to date' "a new mtime alone does not recompile (content digest)"
echo "getpid" >>in/p2.policy
expect_exit 0 "a changed policy" "$C" -j 2 --out-dir o1 in/*.policy
expect_grep "$T/err" '^sysfence-compile: 1 compiled, 39 up to date, 0 failed$' "only the changed policy is recompiled"
check "its blob changed" sh -c '! cmp -s o1/p2.bin o4/p2.bin'
"$C" -q in/p2.policy single/p2.bin
check "and equals a single compile" cmp -s o1/p2.bin single/p2.bin
# A damaged blob is not "up to date".
printf '\x01' | dd of=o1/p3.bin bs=1 seek=300 conv=notrunc status=none
expect_exit 0 "a damaged blob" "$C" -j 2 --out-dir o1 in/*.policy
expect_grep "$T/err" ' 1 compiled, 39 up to date' "a damaged blob is recompiled"
check "and repaired" cmp -s o1/p3.bin o4/p3.bin
# Other target architectures make another blob.
expect_exit 0 "--arch x86_64" "$C" --arch x86_64 --out-dir o1 in/p4.policy
expect_grep "$T/err" ' 1 compiled, 0 up to date' "a blob of other architectures is not up to date"
"$C" --out-dir o1 in/p4.policy 2>/dev/null
before=$(stamps o1)
expect_exit 0 "--force" "$C" --force -j 2 --out-dir o1 in/*.policy
expect_grep "$T/err" '^sysfence-compile: 40 compiled, 0 up to date, 0 failed$' "--force recompiles everything"
after=$(stamps o1)
check "--force rewrote every blob" test "$(join <(echo "$before") <(echo "$after") | awk '$2 == $4' | wc -l)" -eq 0
check "--force: same bytes" sh -c 'for i in 1 3 5 15 40; do cmp -s single/p$i.bin o1/p$i.bin || exit 1; done'
expect_exit 0 "-q: no summary" "$C" -q --out-dir o1 in/*.policy
check "-q: stderr empty" test ! -s "$T/err"

# ---- failures among good inputs ----
mkdir mixed
cp in/p1.policy in/p2.policy in/p3.policy mixed/
printf 'read\nsocket AF_UNX\n' >mixed/bad.policy
printf 'stale' >mixed-old
mkdir om
cp mixed-old om/bad.bin
expect_exit 1 "a failing input among good ones: exit 1" \
	"$C" -j 2 --out-dir om mixed/p1.policy mixed/bad.policy mixed/missing.policy mixed/p2.policy mixed/p3.policy
expect_grep "$T/err" "^mixed/bad\.policy:2:8: error: unknown constant 'AF_UNX'" "the failure is named, GCC style"
expect_grep "$T/err" "^sysfence-compile: mixed/missing\.policy: cannot read: No such file or directory$" \
	"a missing input is named"
expect_grep "$T/err" '^sysfence-compile: 3 compiled, 0 up to date, 2 failed$' "the summary counts the failures"
check "the good inputs are still compiled" sh -c 'cmp -s om/p1.bin o4/p1.bin && cmp -s om/p3.bin o4/p3.bin && cmp -s om/p2.bin o1/p2.bin'
check "the failed input's old blob is left untouched" cmp -s om/bad.bin mixed-old
check "no blob for the missing input" test ! -e om/missing.bin
check "no temporary left" test "$(temporaries om)" -eq 0

expect_exit 0 "--out-dir that does not exist: created" "$C" --out-dir nowhere in/p1.policy
[ -s nowhere/p1.bin ] && ok "--out-dir: the blob is in the new folder" || not_ok "--out-dir: no blob in the new folder"
expect_exit 1 "--out-dir whose parent does not exist: exit 1" "$C" --out-dir no/where in/p1.policy
expect_grep "$T/err" 'no/where: cannot create: its parent folder does not exist' "says so"
expect_exit 1 "--out-dir that is a file: exit 1" "$C" --out-dir mixed-old in/p1.policy

# Two inputs with the same name in different folders would write one blob.
mkdir -p dup/a dup/b odup
cp in/p1.policy dup/a/x.policy
cp in/p2.policy dup/b/x.policy
"$C" -j 2 --out-dir odup dup/a/x.policy dup/b/x.policy >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 1 ] &&
	grep -q '^sysfence-compile: dup/b/x\.policy: odup/x\.bin is already the output of dup/a/x\.policy$' "$T/err"; then
	ok "two inputs for one output: the later one fails, named (exit 1)"
else
	not_ok "two inputs for one output: the later one fails, named (exit $rc)"
	show "$T/err"
fi
"$C" -q in/p1.policy single/x.bin
check "two inputs for one output: the first one is compiled" cmp -s odup/x.bin single/x.bin
expect_exit 1 "the same input twice: the second one fails" "$C" --out-dir odup in/p5.policy in/p5.policy
expect_grep "$T/err" ' 1 compiled, 0 up to date, 1 failed' "the same input twice: one compiled"
expect_exit 1 "--check of a folder given as 'dir/'" "$C" --check names/
expect_grep "$T/err" 'names/: cannot read: Is a directory' "--check: a folder is reported as such (no output is named)"

# ---- 8 compilers writing the same output at once ----
mkdir race ref8
for i in $(seq 1 8); do "$C" -q "in/p$i.policy" "ref8/p$i.bin"; done
bad=0
for round in 1 2 3 4 5; do
	pids=()
	for i in $(seq 1 8); do
		"$C" -q "in/p$i.policy" race/app.bin &
		pids+=($!)
	done
	fails=0
	for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
	match=0
	for i in $(seq 1 8); do cmp -s race/app.bin "ref8/p$i.bin" && match=1; done
	if [ "$fails" -ne 0 ] || [ "$match" -ne 1 ] || [ "$(temporaries race)" -ne 0 ] ||
		[ "$(ls -A race)" != app.bin ]; then
		bad=$((bad + 1))
		echo "# round $round: $fails failed, match $match, $(ls -A race | tr '\n' ' ')"
	fi
done
check "8 concurrent compiles of one OUTPUT leave one complete, valid blob (5 rounds)" test "$bad" -eq 0

# ---- SIGTERM and SIGINT in the middle of a large batch ----
mkdir big refbig
for i in $(seq 1 400); do
	{
		base_policy
		for j in $(seq 0 $((i % 13))); do echo "getppid $((i + j))"; done
		echo "~kill - $((i % 30))"
	} >"big/q$i.policy"
done
"$C" -q -j 2 --out-dir refbig big/*.policy
interrupted=0 leftovers=0 partial=0 rounds=0
for sig in TERM INT TERM INT TERM INT TERM INT TERM INT TERM INT; do
	rounds=$((rounds + 1))
	rm -rf obig
	mkdir obig
	"$C" -q -j 4 --out-dir obig big/*.policy &
	pid=$!
	# Wait until the batch is under way, then interrupt it.
	for _ in $(seq 200); do
		[ "$(ls obig | wc -l)" -ge $((rounds * 15)) ] && break
		sleep 0.01
	done
	kill -"$sig" "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	[ "$rc" -gt 128 ] && interrupted=$((interrupted + 1))
	n=$(temporaries obig)
	if [ "$n" -ne 0 ]; then
		leftovers=$((leftovers + 1))
		echo "# SIG$sig round $rounds: $n temporaries: $(find obig -name '.*' | head -3 | tr '\n' ' ')"
	fi
	for f in obig/*.bin; do
		[ -e "$f" ] || continue
		cmp -s "$f" "refbig/${f##*/}" || { partial=$((partial + 1)); echo "# $f differs"; }
	done
done
if [ "$interrupted" -gt 0 ]; then
	ok "SIGTERM/SIGINT interrupted $interrupted of $rounds batches (exit 128+N)"
else
	skip "no batch was still running when the signal came"
fi
check "no .NAME.bin.sysfence-tmp-XXXXXX temporary left after SIGTERM/SIGINT ($rounds rounds)" test "$leftovers" -eq 0
check "no partial blob after SIGTERM/SIGINT: every blob written is complete" test "$partial" -eq 0
