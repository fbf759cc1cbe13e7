#!/bin/bash
# Composition through the real compiler: @include (relative paths, the
# library folder from --include-dir, $SYSFENCE_INCLUDE_DIR or the
# compiled-in one), syscall groups, --list-groups, and every bad input of
# issue 12, each a clear error at the right FILE:LINE:COL with no output
# written (an old output kept byte for byte): a missing include, a
# folder, a FIFO (without hanging), a device, a file over 16 MiB, a cycle,
# nesting too deep, a group typo, conditions on a group, a directive used
# as a group and a group used as a directive.  Batch mode recompiles when
# an included file changes (and only then), and the tools (--explain,
# --diff, --report, --from-log --policy) read a policy with @include.
. "$(dirname "$0")/../lib.sh"

C=$SF_COMPILE
LIB=$SF_ROOT/share/include
cd "$T" || exit 1
unset SYSFENCE_INCLUDE_DIR

check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

mkdir -p app/snippets lib2
cat >app/main.policy <<'EOF'
# an application: the template, its own snippet, groups
@include base
@include ./snippets/net.inc
~@mount
EOF
cat >app/snippets/net.inc <<'EOF'
@keyring
@include ../more.inc        # relative to this file's folder
EOF
# Calls base does not allow: identical rules are one, quoted where first seen.
printf 'personality\n' >app/more.inc

# ---- success, and where the library comes from ----
expect_exit 0 "a policy with @include and groups compiles (--include-dir)" \
	"$C" --strict --include-dir "$LIB" app/main.policy out.bin
check "no diagnostic" test ! -s "$T/err"
check "the blob is written" test -s out.bin
expect_exit 0 "\$SYSFENCE_INCLUDE_DIR names the library too" \
	env SYSFENCE_INCLUDE_DIR="$LIB" "$C" --strict app/main.policy out2.bin
check "the same blob either way" cmp -s out.bin out2.bin
expect_exit 1 "--include-dir wins over \$SYSFENCE_INCLUDE_DIR" \
	env SYSFENCE_INCLUDE_DIR="$LIB" "$C" --include-dir lib2 app/main.policy out3.bin
expect_grep "$T/err" "^app/main\.policy:2:10: error: cannot include 'base': lib2/base\.policy: No such file or directory$" \
	"the error names the file looked for in --include-dir"
default_dir=$("$C" --help | sed -n 's/^ *\$SYSFENCE_INCLUDE_DIR, else \(.*\))$/\1/p')
check "--help names the compiled-in library ($default_dir)" test -n "$default_dir"
printf '@include sysfence-no-such-file\n' >nolib.policy
expect_exit 1 "without either, the compiled-in library is used" "$C" nolib.policy x.bin
expect_grep "$T/err" "cannot include 'sysfence-no-such-file': $default_dir/sysfence-no-such-file\.policy: No such file" \
	"  ... and named in the error"
# From stdin, a relative include is relative to the current folder.
expect_exit 0 "stdin: a relative @include is relative to the current folder" \
	sh -c "printf 'execve\n@include ./app/more.inc\n' | '$C' - stdin.bin"

# ---- the tools read a policy with @include ----
export SYSFENCE_INCLUDE_DIR=$LIB
expect_exit 0 "--explain: personality allowed" "$C" --explain app/main.policy personality
expect_grep "$T/out" '^app/snippets/\.\./more\.inc:1: personality$' "--explain names the included file and its line"
expect_exit 1 "--explain: mount denied" "$C" --explain app/main.policy mount
expect_grep "$T/out" 'ERRNO\(EACCES\)' "--explain: ~@mount is an explicit denial"
expect_grep "$T/out" '^app/main\.policy:4: ~@mount$' "--explain quotes the group's line"
expect_exit 0 "--explain: add_key allowed by @keyring" "$C" --explain app/main.policy add_key
expect_grep "$T/out" '^app/snippets/net\.inc:1: @keyring$' "--explain: the group's file and line"
{
	cat "$LIB/minimal.policy" "$LIB/base.policy" app/snippets/net.inc app/more.inc
	echo "~@mount"
} | grep -v '^@include' >flat.policy
expect_exit 0 "--diff: the policy and its flattened copy are equivalent" \
	"$C" --diff app/main.policy flat.policy
expect_exit 0 "--report on a policy with @include" "$C" --report app/main.policy
printf 'audit: type=1326 audit(1.2:3): auid=1 uid=1 gid=1 ses=1 pid=9 comm="x" exe="/x" sig=0 arch=c000003e syscall=165 compat=0 ip=0x1 code=0x50000\n' >log
expect_exit 0 "--from-log --policy with @include" "$C" --from-log log --policy app/main.policy
expect_grep "$T/out" 'denied explicitly by app/main\.policy:4' "--from-log names the line of ~@mount"
unset SYSFENCE_INCLUDE_DIR

# ---- bad input: one clear error, nothing written ----
mkfifo fifo.inc
mkdir folder.inc
truncate -s 17M huge.inc
printf 'read\n@include ./b.inc\n' >a.inc
printf 'write\n@include ./a.inc\n' >b.inc
for i in $(seq 1 18); do printf 'read\n@include ./d%d.inc\n' $((i + 1)) >"d$i.inc"; done
printf 'socket AF_UNX\n' >typo.inc
printf 'read\n' >ok.inc
echo "an old blob" >kept.bin
cp kept.bin kept.orig

# bad NAME LINE:COL FILE MESSAGE POLICY-TEXT: compiling POLICY-TEXT (as
# NAME.policy) fails with exit 1 and "FILE:LINE:COL: error: MESSAGE"
# (extended regex), creates no output and leaves an old one untouched.
bad() {
	local name=$1 at=$2 file=$3 msg=$4 text=$5 rc
	printf '%b' "$text" >"$name.policy"
	rm -f "$name.bin"
	timeout 20 "$C" --include-dir "$LIB" "$name.policy" "$name.bin" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -Eq -- "^$file:$at: error: $msg" "$T/err"; then
		ok "$name: $file:$at: error: $msg"
	else
		not_ok "$name: exit $rc, wanted 1 and $file:$at: error: $msg"
		show "$T/err"
	fi
	check "$name: no output written" test ! -e "$name.bin"
	timeout 20 "$C" --include-dir "$LIB" "$name.policy" kept.bin >/dev/null 2>&1
	check "$name: an existing output is left as it was" cmp -s kept.bin kept.orig
}
bad missing 2:10 missing.policy "cannot include '\./nowhere\.inc': nowhere\.inc: No such file or directory$" \
	'read\n@include ./nowhere.inc\n'
bad folder 1:10 folder.policy "cannot include '\./folder\.inc': folder\.inc: is a folder$" \
	'@include ./folder.inc\nread\n'
bad fifo 1:10 fifo.policy "cannot include '\./fifo\.inc': fifo\.inc: is not a regular file$" \
	'@include ./fifo.inc\n'
bad device 1:10 device.policy "cannot include '/dev/zero': /dev/zero: is not a regular file$" \
	'@include /dev/zero\n'
bad huge 1:10 huge.policy "cannot include '\./huge\.inc': huge\.inc: the policy and its includes would be larger than 16 MiB$" \
	'@include ./huge.inc\n'
bad cycle 2:10 b.inc "include cycle: a\.inc -> b\.inc -> a\.inc$" \
	'@include ./a.inc\n'
expect_grep "$T/err" '^In file included from a\.inc:2,$' "cycle: the chain is printed, innermost first"
expect_grep "$T/err" '^                 from cycle\.policy:1:$' "cycle: ... down to the policy"
bad self 1:10 self.policy "include cycle: self\.policy -> self\.policy$" \
	'@include ./self.policy\n'
bad deep 2:10 d16.inc "cannot include '\./d17\.inc': files nested more than 16 deep$" \
	'@include ./d1.inc\n'
bad typo 1:8 typo.inc "unknown constant 'AF_UNX'; did you mean 'AF_UNIX'\?$" \
	'read\n@include ./typo.inc\n'
expect_grep "$T/err" '^In file included from typo\.policy:2:$' "typo in an included file: included from the policy's line"
bad group-typo 2:1 group-typo.policy "unknown syscall group '@netwrk-io'; did you mean '@network-io'\?$" \
	'read\n@netwrk-io\n'
bad group-args 1:8 group-args.policy "a syscall group takes no argument conditions" \
	'@mount /mnt\n'
bad group-directive 1:2 group-directive.policy "'@complain' is a directive, not a syscall group: it cannot be denied$" \
	'~@complain\n'
bad directive-args 1:11 directive-args.policy "unexpected text after directive '@complain'$" \
	'@complain @mount\n'
bad include-group 1:10 include-group.policy "'@mount' is not a library name" \
	'@include @mount\n'
bad no-path 1:1 no-path.policy "expected a path after @include$" \
	'@include\n'
bad two-paths 1:19 two-paths.policy "unexpected text after the path of @include" \
	'@include ./ok.inc ./ok.inc\n'
bad bare-dot 1:10 bare-dot.policy "'ok\.inc' is not a library name \(letters, digits, '-' and '_'\); a file beside this one is '\./ok\.inc'$" \
	'@include ok.inc\n'
# Every error of every file in one run.
printf 'read\n@include ./typo.inc\n@include ./nowhere.inc\n@mont\n' >many.policy
expect_exit 1 "several errors across files" "$C" many.policy many.bin
check "  ... all three reported" test "$(grep -c ': error: ' "$T/err")" -eq 3
check "  ... in source order, the included file's at its @include" test \
	"$(grep ': error: ' "$T/err" | cut -d: -f1,2 | tr '\n' ' ')" = "typo.inc:1 many.policy:3 many.policy:4 "

# ---- batch mode: an included file's bytes and name are in the digest ----
mkdir -p batch/in batch/out
printf '@include ./common.inc\n' >batch/in/one.policy
printf 'execve\nread\n' >batch/in/common.inc
expect_exit 0 "batch: compiles" "$C" --out-dir batch/out batch/in/one.policy
expect_grep "$T/err" '1 compiled, 0 up to date' "batch: one compiled"
expect_exit 0 "batch: again" "$C" --out-dir batch/out batch/in/one.policy
expect_grep "$T/err" '0 compiled, 1 up to date' "batch: unchanged includes: up to date"
touch -d '2001-01-01' batch/in/common.inc
expect_exit 0 "batch: an older mtime, same bytes" "$C" --out-dir batch/out batch/in/one.policy
expect_grep "$T/err" '0 compiled, 1 up to date' "batch: the digest is of the bytes, not the time"
printf 'execve\nread\nwrite\n' >batch/in/common.inc
expect_exit 0 "batch: the included file changed" "$C" --out-dir batch/out batch/in/one.policy
expect_grep "$T/err" '1 compiled, 0 up to date' "batch: a changed included file recompiles"
expect_exit 0 "batch: write allowed in the new blob" "$C" --explain batch/out/one.bin write
mkdir -p batch/lib1 batch/lib2
printf 'read\n' >batch/lib1/snip.policy
cp batch/lib1/snip.policy batch/lib2/snip.policy
printf '@include snip\nexecve\n' >batch/in/two.policy
expect_exit 0 "batch: library lib1" "$C" --include-dir batch/lib1 --out-dir batch/out batch/in/two.policy
expect_exit 0 "batch: library lib2, the same bytes" "$C" --include-dir batch/lib2 --out-dir batch/out batch/in/two.policy
expect_grep "$T/err" '1 compiled, 0 up to date' "batch: the same bytes from another file recompile (resolved names)"
rm batch/lib2/snip.policy
expect_exit 1 "batch: a missing include fails that policy" "$C" --include-dir batch/lib2 --out-dir batch/out batch/in/two.policy
expect_grep "$T/err" '^batch/in/two\.policy:1:10: error: cannot include' "batch: the error names the line"

# ---- --list-groups ----
expect_exit 0 "--list-groups" "$C" --list-groups
check "--list-groups: one line per group, 25 or more" test "$(grep -c '^@[a-z-]* ' "$T/out")" -ge 25
for g in @system-service @basic-io @file-system @network-io @process @signal @timer \
	@privileged @mount @debug @obsolete @known; do
	check "--list-groups names $g" grep -q "^$g " "$T/out"
done
expect_exit 0 "--list-groups network-io" "$C" --list-groups network-io
cp "$T/out" network-io.policy
expect_grep network-io.policy '^# @network-io: ' "--list-groups GROUP: a header comment"
expect_grep network-io.policy '^socket$' "--list-groups GROUP: socket is a member"
echo execve >>network-io.policy
expect_exit 0 "--list-groups GROUP prints a policy that compiles with --strict" \
	"$C" --strict network-io.policy nio.bin
# The group's calls of other ABIs (socketcall, recv) are named in one note.
check "  ... with no diagnostic but the note on calls the targets lack" \
	test "$(grep -c . "$T/err")" -le 2 -a "$(grep -c ': note: ' "$T/err")" -eq 1
printf 'execve\n@network-io\n' >nio-group.policy
expect_exit 0 "  ... and allows what the group allows" "$C" --diff network-io.policy nio-group.policy
expect_exit 0 "--list-groups @mount (with the @)" "$C" --list-groups @mount
expect_grep "$T/out" '^pivot_root$' "--list-groups @mount lists pivot_root"
expect_exit 2 "--list-groups: an unknown group" "$C" --list-groups netwrk-io
expect_grep "$T/err" "unknown syscall group '@netwrk-io'; did you mean '@network-io'\?" \
	"--list-groups: did you mean"
expect_exit 2 "--list-groups: two groups" "$C" --list-groups mount debug
expect_exit 2 "--list-groups with --explain" "$C" --list-groups --explain x read
expect_exit 0 "--help mentions --list-groups and --include-dir" "$C" --help
expect_grep "$T/out" '--list-groups' "--help: --list-groups"
expect_grep "$T/out" '--include-dir DIR' "--help: --include-dir"

# ---- the documentation lists every group with exactly its calls ----
DOC=$SF_ROOT/docs/policy-language.md
MAN5=$SF_ROOT/man/sysfence-policy.5
for g in $("$C" --list-groups | cut -d' ' -f1); do
	# The first paragraph after the group's heading: its calls and groups.
	awk -v h="### \`$g\`:" 'index($0, h) == 1 { f = 1; next }
		f && /^###/ { exit } f && NF { p = 1; print; next } f && p { exit }' "$DOC" |
		grep -o '`[^`]*`' | tr -d '`' | sort >"$T/doc.$g"
	if [ "$g" = @known ]; then
		check "docs: $g is documented" test -s "$T/doc.$g"
	else
		"$C" --list-groups "$g" >"$T/list.$g"
		nested=$(sed -n 's/^# with //p' "$T/list.$g")
		: >"$T/nested.$g"
		for n in $nested; do "$C" --list-groups "$n" | grep -v '^#' >>"$T/nested.$g"; done
		{
			grep -v '^#' "$T/list.$g" | sort | comm -23 - <(sort -u "$T/nested.$g")
			for n in $nested; do echo "$n"; done
		} | sort >"$T/code.$g"
		if cmp -s "$T/doc.$g" "$T/code.$g"; then
			ok "docs/policy-language.md: $g lists exactly its calls"
		else
			not_ok "docs/policy-language.md: $g differs from the compiler's list"
			diff "$T/code.$g" "$T/doc.$g" | sed 's/^/    | /' | head -10
		fi
	fi
	check "sysfence-policy(5) describes $g" grep -q "^\.B ${g//-/\\\\-}\$" "$MAN5"
done
