#!/bin/bash
# sysfence-compile --json: --explain, --report, --diff, --from-log and batch
# mode print exactly one JSON document on stdout, with the field values the
# text output shows (verdicts, deciding lines, actions, counts); exit
# statuses are those of the text mode; diagnostics stay on stderr; --json
# where no document is defined is a usage error.  Documents are read with
# python3's json module (a second document or trailing text fails the load).
. "$(dirname "$0")/../lib.sh"

if ! command -v python3 >/dev/null; then
	skip "no python3 to read the documents"
	exit 0
fi

# jcheck DESCRIPTION FILE EXPR: FILE is one JSON document d, and the Python
# expression EXPR over d is true.
jcheck() {
	if python3 -c '
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
sys.exit(0 if eval(sys.argv[2]) else 1)' "$2" "$3" 2>"$T/pyerr"; then
		ok "$1"
	else
		not_ok "$1 ($3)"
		show "$2"
		show "$T/pyerr"
	fi
}
# jval FILE EXPR: prints the value of EXPR over the document.
jval() {
	python3 -c '
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
print(eval(sys.argv[2]))' "$1" "$2"
}

P=$T/app.policy
{ base_policy; cat "$SF_ROOT/tests/policies/tools.policy"; } >"$P"
line_of() { grep -n -x -- "$1" "$P" | head -1 | cut -d: -f1; }
"$SF_COMPILE" -q "$P" "$T/app.bin" || not_ok "compile"

# ---- --explain ----
expect_exit 0 "explain: read is allowed, exit 0 as in text mode" "$SF_COMPILE" --json --explain "$P" read
cp "$T/out" "$T/read.json"
jcheck "explain: the version field and the tool" "$T/read.json" \
	'd["sysfence_json"] == 1 and d["tool"] == "explain"'
jcheck "explain: the verdict" "$T/read.json" \
	'd["action"] == "ALLOW" and d["allowed"] is True and d["reason"] == "allow_rule"'
jcheck "explain: the deciding line, its file and text" "$T/read.json" \
	"[(r['file'], r['line'], r['text']) for r in d['deciding']] == [('$P', $(line_of read), 'read')]"
jcheck "explain: the call" "$T/read.json" \
	'd["syscall"] == "read" and d["nr"] == 0 and d["arch"] == "x86_64" and d["args"] == []'
jcheck "explain: the input" "$T/read.json" \
	"d['input'] == {'name': '$P', 'kind': 'policy', 'mode': 'enforce'}"
# socket AF_UNIX has a note on x86 (socketcall): it goes to stderr.
expect_grep "$T/err" "note: on x86, socket is also reached through socketcall" \
	"explain: the compiler's diagnostics stay on stderr"

expect_exit 1 "explain: ioctl TIOCSTI is denied, exit 1" "$SF_COMPILE" --json --explain "$P" ioctl 1 TIOCSTI
jcheck "explain: an explicit denial, EACCES, decided by its '~' line" "$T/out" \
	"d['action'] == 'ERRNO(EACCES)' and not d['allowed'] and d['reason'] == 'deny_rule' and [r['line'] for r in d['deciding']] == [$(line_of '~ioctl - TIOCSTI')]"
jcheck "explain: constants resolved in args" "$T/out" 'd["args"] == [1, 0x5412] and d["rule_args"] == 2'

expect_exit 1 "explain: getuid falls to the default" "$SF_COMPILE" --json --explain "$P" getuid
jcheck "explain: the default, no deciding line" "$T/out" \
	'd["action"] == "ERRNO(EPERM)" and d["reason"] == "default" and d["deciding"] == []'
expect_exit 1 "explain: socket(AF_INET)" "$SF_COMPILE" --json --explain "$P" socket AF_INET
jcheck "explain: the near miss and its argument" "$T/out" \
	"[(r['line'], r['argument'], r['multiplexer']) for r in d['near_misses']] == [($(line_of 'socket AF_UNIX'), 0, False)]"
expect_exit 1 "explain: x86, 32-bit arguments" "$SF_COMPILE" --json --explain --arch x86 "$P" ioctl 1 0x100005412
jcheck "explain: the upper bits are dropped, and said so" "$T/out" \
	'd["arch"] == "x86" and d["masked_args"] == [{"argument": 1, "seen": 0x5412}] and d["args"] == [1, 0x5412]'
expect_exit 1 "explain: socketcall on x86" "$SF_COMPILE" --json --explain --arch x86 "$P" socketcall 1
jcheck "explain: the multiplexed call" "$T/out" \
	'd["multiplexer"] == {"call": "socket", "rules": True}'
expect_exit 1 "explain: clone3" "$SF_COMPILE" --json --explain "$P" clone3
jcheck "explain: ENOSYS for clone3" "$T/out" 'd["action"] == "ERRNO(ENOSYS)" and d["reason"] == "clone3"'
expect_exit 1 "explain: the blob" "$SF_COMPILE" --json --explain "$T/app.bin" ioctl 1 TIOCSTI
jcheck "explain: a blob keeps no source lines, the same verdict" "$T/out" \
	'd["input"]["kind"] == "blob" and d["action"] == "ERRNO(EACCES)" and d["reason"] == "deny_rule" and d["deciding"] == []'
"$SF_COMPILE" --explain "$P" ioctl 1 TIOCGWINSZ >"$T/text" 2>/dev/null
"$SF_COMPILE" --json --explain "$P" ioctl 1 TIOCGWINSZ >"$T/out" 2>/dev/null
jcheck "explain: the text's first line, from the same result" "$T/out" \
	"'%s(%s) on %s: %s' % (d['syscall'], ', '.join(str(a) if a < 4096 else hex(a) for a in d['args']), d['arch'], d['action']) == '$(head -1 "$T/text")'"
expect_exit 2 "explain: an unknown syscall is exit 2" "$SF_COMPILE" --json --explain "$P" notacall
if [ ! -s "$T/out" ]; then ok "explain: and nothing on stdout"; else not_ok "explain: and nothing on stdout"; show "$T/out"; fi

# ---- --report ----
expect_exit 0 "report: a policy" "$SF_COMPILE" -q --json --report "$P"
cp "$T/out" "$T/report.json"
"$SF_COMPILE" -q --report "$P" >"$T/report.txt"
jcheck "report: both architectures" "$T/report.json" \
	'd["tool"] == "report" and [a["arch"] for a in d["architectures"]] == ["x86_64", "x86"]'
jcheck "report: read is cached, ptrace in no list" "$T/report.json" \
	'"read" in d["architectures"][0]["cached"] and all(u["syscall"] != "ptrace" for u in d["architectures"][0]["uncached"]) and "ptrace" not in d["architectures"][0]["cached"]'
jcheck "report: socket is not cacheable, and why" "$T/report.json" \
	'{"syscall": "socket", "reason": "the allow program checks args[0]"} in d["architectures"][0]["uncached"]'
# The first architecture's lines of the text.
allow=$(sed -n 's/^  instructions: allow \([0-9]*\) (\([0-9]*\) reachable).*/\1 \2/p' "$T/report.txt" | head -1)
mean=$(sed -n 's/^  executed per call, arguments 0: mean \([0-9.]*\), max \([0-9]*\) (\(.*\))$/\1 \2 \3/p' \
	"$T/report.txt" | head -1)
jcheck "report: the sizes the text shows" "$T/report.json" \
	"'%d %d' % (d['architectures'][0]['allow_instructions'], d['architectures'][0]['allow_reachable']) == '$allow'"
jcheck "report: the mean and maximum the text shows" "$T/report.json" \
	"'%.1f %d %s' % (float(d['architectures'][0]['mean_executed']), d['architectures'][0]['max_executed'], d['architectures'][0]['max_executed_syscall']) == '$mean'"
ncached=$(sed -n 's/^  action cache: \([0-9]*\) of \([0-9]*\) allowed.*/\1 \2/p' "$T/report.txt" | head -1)
jcheck "report: the action-cache counts the text shows" "$T/report.json" \
	"'%d %d' % (len(d['architectures'][0]['cached']), d['architectures'][0]['allowed_syscalls']) == '$ncached'"
expect_exit 0 "report: its blob" "$SF_COMPILE" --json --report "$T/app.bin"
python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(0 if a["architectures"] == b["architectures"] else 1)' "$T/report.json" "$T/out" &&
	ok "report: the blob reports like its policy" || not_ok "report: the blob reports like its policy"
printf '@unrestricted\n' >"$T/u.policy"
expect_exit 0 "report: unrestricted" "$SF_COMPILE" --json --report "$T/u.policy"
jcheck "report: unrestricted has no architecture to report" "$T/out" \
	'd["input"]["mode"] == "unrestricted" and d["architectures"] == []'
printf '@complain\nread\n' >"$T/c.policy"
expect_exit 0 "report: complain mode" "$SF_COMPILE" --json --report "$T/c.policy"
jcheck "report: LOG calls counted" "$T/out" 'd["architectures"][0]["log_syscalls"] > 100'

# ---- --diff ----
expect_exit 0 "diff: a policy and its blob, exit 0" "$SF_COMPILE" -q --json --diff "$P" "$T/app.bin"
jcheck "diff: equivalent" "$T/out" \
	'd["tool"] == "diff" and d["equivalent"] is True and all(a["changed"] == 0 and a["in"] == "both" for a in d["architectures"])'
{ cat "$P"; echo getdents64; echo clock_nanosleep; } >"$T/more.policy"
expect_exit 1 "diff: two calls added, exit 1" "$SF_COMPILE" -q --json --diff "$P" "$T/more.policy"
jcheck "diff: the transition, per architecture" "$T/out" \
	'not d["equivalent"] and [(a["arch"], a["changed"], a["transitions"]) for a in d["architectures"]] == [(x, 2, [{"old": "ERRNO(EPERM)", "new": "ALLOW", "syscalls": ["getdents64", "clock_nanosleep"]}]) for x in ("x86_64", "x86")]'
sed 's/^kill - 0$/kill - 0\nkill - SIGTERM/' "$P" >"$T/kill.policy"
expect_exit 1 "diff: an argument value added" "$SF_COMPILE" -q --json --diff "$P" "$T/kill.policy"
jcheck "diff: a concrete call whose decision changed" "$T/out" \
	'[(p["syscall"], p["examples"]) for p in d["architectures"][0]["argument_dependent"]] == [("kill", [{"args": [0, 15], "old": "ERRNO(EPERM)", "new": "ALLOW"}])] and d["architectures"][0]["transitions"] == []'
{ echo @complain; cat "$P"; } >"$T/complain.policy"
expect_exit 1 "diff: complain mode" "$SF_COMPILE" -q --json --diff "$P" "$T/complain.policy"
jcheck "diff: the mode change" "$T/out" \
	'd["mode_changed"] and d["old"]["mode"] == "enforce" and d["new"]["mode"] == "complain"'
"$SF_COMPILE" -q --arch x86_64 "$P" "$T/x64.bin"
expect_exit 1 "diff: an architecture dropped" "$SF_COMPILE" --json --diff "$T/app.bin" "$T/x64.bin"
jcheck "diff: only in the old profile" "$T/out" \
	'[(a["arch"], a["in"]) for a in d["architectures"]] == [("x86_64", "both"), ("x86", "old")]'
expect_exit 2 "diff: a missing file is exit 2" "$SF_COMPILE" --json --diff "$P" "$T/nope"
if [ ! -s "$T/out" ]; then ok "diff: and nothing on stdout"; else not_ok "diff: and nothing on stdout"; fi

# ---- --from-log (the records of tools_fromlog.sh) ----
rec() { # SERIAL PID COMM ARCH NR CODE: one record as dmesg prints it
	printf '[ 12.3] audit: type=1326 audit(1795898999.%03d:%s): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=%s comm="%s" exe="/usr/bin/%s" sig=0 arch=%s syscall=%s compat=0 ip=0x7f0000000000 code=%s\n' \
		"$(($1 % 1000))" "$1" "$2" "$3" "$3" "$4" "$5" "$6"
}
LOG=0x7ffc0000
{
	rec 100 41 app c000003e 63 $LOG  # uname
	rec 101 41 app c000003e 63 $LOG
	rec 101 41 app c000003e 63 $LOG  # the same record twice
	rec 102 41 app c000003e 230 $LOG # clock_nanosleep
	rec 103 42 other c000003e 101 $LOG
	echo "[ 12.5] audit: type=1326 audit(1795898999.145:104): pid=41 comm=\"app\" arch=c000003e sysc"
	rec 106 41 app deadbeef 1 $LOG
	rec 107 41 app c000003e 999 $LOG
	rec 108 41 app 40000003 20 $LOG # getpid on x86
	rec 109 41 app c000003e 16 $LOG # ioctl
} >"$T/dmesg.log"
expect_exit 0 "from-log: exit 0" "$SF_COMPILE" --from-log --json "$T/dmesg.log"
cp "$T/out" "$T/fromlog.json"
jcheck "from-log: the record counts" "$T/fromlog.json" \
	'd["tool"] == "from-log" and d["records"]["seccomp"] == 10 and d["records"]["used"] == 8 and d["records"]["duplicates"] == 1 and d["records"]["malformed"] == 1 and not d["interrupted"]'
jcheck "from-log: the lines to add, sorted, counted, with their architectures" "$T/fromlog.json" \
	'[(x["syscall"], x["records"], x["arches"]) for x in d["add"]] == [("clock_nanosleep", 1, ["x86_64"]), ("getpid", 1, ["x86"]), ("ioctl", 1, ["x86_64"]), ("ptrace", 1, ["x86_64"]), ("uname", 2, ["x86_64"])] and d["lines_to_add"] == 5'
jcheck "from-log: what is not added, and why" "$T/fromlog.json" \
	'[(x["reason"], x["arches"], x.get("nr")) for x in d["not_added"]] == [("unknown_arch", ["deadbeef"], None), ("unknown_nr", ["x86_64"], 999)] and d["policy"] is None and d["patch"] is None'
expect_grep "$T/err" "10 seccomp records read: 8 used, 0 filtered out, 1 duplicate, 1 malformed; 5 lines to add" \
	"from-log: the summary stays on stderr"
expect_exit 0 "from-log: -q" "$SF_COMPILE" --from-log --json -q "$T/dmesg.log"
if [ ! -s "$T/err" ]; then ok "from-log: -q: nothing on stderr"; else not_ok "from-log: -q: nothing on stderr"; show "$T/err"; fi
expect_exit 0 "from-log: --comm" "$SF_COMPILE" --from-log --json --comm other "$T/dmesg.log"
jcheck "from-log: only that program, the rest counted as filtered" "$T/out" \
	'[x["syscall"] for x in d["add"]] == ["ptrace"] and d["records"]["filtered"] == 8'

{ base_policy; echo uname; echo "~ptrace"; echo "ioctl - TIOCGWINSZ"; } >"$T/p.policy"
pline() { grep -n -x -- "$1" "$T/p.policy" | head -1 | cut -d: -f1; }
expect_exit 0 "from-log --policy" "$SF_COMPILE" --from-log --json --policy "$T/p.policy" "$T/dmesg.log"
jcheck "from-log --policy: what it allows is not added again" "$T/out" \
	'[(x["syscall"], x["records"]) for x in d["already_allowed"]] == [("uname", 2)] and "uname" not in [x["syscall"] for x in d["add"]] and d["policy"]["kind"] == "policy"'
jcheck "from-log --policy: an explicit denial, with its line" "$T/out" \
	"[(x['syscall'], x['policy_line']) for x in d['not_added'] if x['reason'] == 'denied'] == [('ptrace', {'file': '$T/p.policy', 'line': $(pline '~ptrace')})]"
jcheck "from-log --policy: argument rules pointed out" "$T/out" \
	"[(x['partial'], x['policy_line']['line']) for x in d['add'] if x['syscall'] == 'ioctl'] == [(True, $(pline 'ioctl - TIOCGWINSZ'))]"
expect_exit 0 "from-log --as-patch" "$SF_COMPILE" --from-log --json --policy "$T/p.policy" --as-patch "$T/dmesg.log"
jval "$T/out" 'd["patch"]' >"$T/p.diff"
cp "$T/p.policy" "$T/patched.policy"
if patch -s "$T/patched.policy" <"$T/p.diff"; then ok "from-log --as-patch: the patch field applies"; else
	not_ok "from-log --as-patch: the patch field applies"; show "$T/p.diff"; fi
expect_exit 0 "from-log: and then nothing is left to add" \
	"$SF_COMPILE" --from-log --json --policy "$T/patched.policy" "$T/dmesg.log"
jcheck "from-log: no line to add" "$T/out" 'd["add"] == [] and d["lines_to_add"] == 0'
# An endless input (a FIFO whose writer stays), stopped by SIGINT.
mkfifo "$T/fifo"
{ cat "$T/dmesg.log"; exec sleep 60; } >"$T/fifo" &
writer=$!
at_exit "kill $writer 2>/dev/null"
"$SF_COMPILE" --from-log --json "$T/fifo" >"$T/out" 2>"$T/err" &
reader=$!
sleep 2
kill -INT "$reader"
wait "$reader"
rc=$?
kill "$writer" 2>/dev/null
if [ "$rc" -eq 0 ]; then ok "from-log: SIGINT ends an endless input, exit 0"; else
	not_ok "from-log: SIGINT ends an endless input, exit 0 (exit $rc)"; show "$T/err"; fi
jcheck "from-log: says it was interrupted, with what was read" "$T/out" \
	'd["interrupted"] is True and d["records"]["used"] == 8'
expect_exit 2 "from-log: a missing file is exit 2" "$SF_COMPILE" --from-log --json "$T/nope.log"

# ---- batch mode ----
printf 'read AF_NOPE\n' >"$T/bad.policy"
cp "$P" "$T/good.policy"
expect_exit 1 "batch: one input fails, exit 1" "$SF_COMPILE" --json --out-dir "$T/store" "$T/good.policy" "$T/bad.policy"
jcheck "batch: each input's result and output" "$T/out" \
	"d['tool'] == 'batch' and d['out_dir'] == '$T/store' and [(i['input'], i['output'], i['result']) for i in d['inputs']] == [('$T/good.policy', '$T/store/good.bin', 'compiled'), ('$T/bad.policy', '$T/store/bad.bin', 'failed')]"
jcheck "batch: the counts" "$T/out" 'd["compiled"] == 1 and d["up_to_date"] == 0 and d["failed"] == 1'
expect_grep "$T/err" "unknown constant 'AF_NOPE'" "batch: the errors stay on stderr"
expect_exit 0 "batch: again" "$SF_COMPILE" -q --json --out-dir "$T/store" -j 2 "$T/good.policy"
jcheck "batch: up to date" "$T/out" \
	'[i["result"] for i in d["inputs"]] == ["up_to_date"] and d["up_to_date"] == 1 and d["compiled"] == 0'
expect_exit 1 "check: one input fails" "$SF_COMPILE" --json --check "$T/good.policy" "$T/bad.policy"
jcheck "check: each input's result" "$T/out" \
	'd["tool"] == "check" and [(i["output"], i["result"]) for i in d["inputs"]] == [(None, "checked"), (None, "failed")] and d["checked"] == 1 and d["failed"] == 1'
expect_exit 1 "batch: a folder that cannot be made" "$SF_COMPILE" --json --out-dir "$T/no/such/store" "$T/good.policy"
if [ ! -s "$T/out" ]; then ok "batch: a batch that cannot start prints no document"; else
	not_ok "batch: a batch that cannot start prints no document"; show "$T/out"; fi

# ---- no JSON form: a usage error ----
for args in "--disasm $P" "--syscalls" "--learn -- /bin/true" "--list-groups" "--from-oci $SF_ROOT/tests/policies/oci/docker-default.json" \
	"$P $T/single.bin"; do
	# shellcheck disable=SC2086
	expect_exit 2 "--json $args: exit 2" "$SF_COMPILE" --json $args
	expect_grep "$T/err" "^sysfence-compile: --json is not available for .*: only --explain, --report, --diff, --from-log, --out-dir and --check print JSON$" \
		"--json $args: says where it is available"
	if [ ! -s "$T/out" ]; then ok "--json $args: nothing on stdout"; else not_ok "--json $args: nothing on stdout"; fi
done
if [ ! -e "$T/single.bin" ]; then ok "--json on a single compile: nothing written"; else
	not_ok "--json on a single compile: nothing written"; fi
