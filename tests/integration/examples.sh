#!/bin/bash
# examples/*.policy, for real.  Each example compiles with --strict and no
# diagnostic at all, then runs real programs through a setuid-root copy of
# the launcher (launch_setup.sh: trusted test store, nobody as the caller):
#   cli-tool    ls, cat, sort and a bash pipeline work; a network socket
#               gets EPERM, and the kernel logs it
#   net-client  bash /dev/tcp, curl, wget and python3 fetch a page from a
#               local python3 http.server; listen and fork get EPERM
#   daemon      root drops to nobody/nogroup with setpriv, and serves HTTP;
#               switching to another user, group or group list gets EPERM
#   deny-list   ordinary programs run (complain mode); every "~" rule tried
#               answers EACCES (chmod u+s, unshare -U, TIOCSTI, ptrace), an
#               unlisted call is allowed and logged, clone3 is ENOSYS
# A successful run must leave no denial record (code=0x50000) of its own,
# apart from clone3's designed ENOSYS: the example is complete for it.
EX=$(cd "$(dirname "$0")/../../examples" && pwd)
EXAMPLES=(cli-tool net-client daemon deny-list)

# compile_examples: every example, with --strict; no warning.  (A note that
# socketcall(2) on x86 cannot check a socket condition is the ABI's fact.)
compile_examples() {
	local f name n=0
	for f in "$EX"/*.policy; do
		[ -f "$f" ] || continue
		name=$(basename "$f" .policy)
		n=$((n + 1))
		if "$SF_COMPILE" --strict "$f" "$T/$name.bin" >"$T/out" 2>"$T/err" &&
			! grep -Eq 'warning|error' "$T/err"; then
			ok "$name.policy compiles with --strict, warning-free"
		else
			not_ok "$name.policy compiles with --strict, warning-free"
			show "$T/err"
		fi
	done
	for name in "${EXAMPLES[@]}"; do
		[ -f "$EX/$name.policy" ] || not_ok "examples/$name.policy is missing"
	done
	if [ "$n" -ge 4 ]; then ok "$n example policies"; else not_ok "only $n example policies"; fi
}

if [ "$(id -u)" -ne 0 ]; then
	. "$(dirname "$0")/../lib.sh"
	compile_examples
	skip "running the examples needs root (setuid launcher, store, dmesg)"
	exit 0
fi
. "$(dirname "$0")/launch_setup.sh"
printk_ratelimit_off
compile_examples

# Programs by absolute path from the system's folders (root's PATH may
# start with folders nobody cannot read).
SYS_PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
prog() { PATH=$SYS_PATH command -v "$1"; }
BASH_=$(prog bash)
LS=$(prog ls)
CAT=$(prog cat)
SORT=$(prog sort)
SETPRIV=$(prog setpriv)
PY=$(prog python3)
CURL=$(prog curl)
WGET=$(prog wget)
UNSHARE=$(prog unshare)

# The examples into the store, each under its own name.  A sanitizer build
# (of the launcher, and of sf-try) needs a few more calls, and its runtime
# opens files with open(2), not openat.
EXTRA_RULES=()
[ "${SANITIZE:-0}" = 1 ] && EXTRA_RULES=("${SANITIZER_RULES[@]}" open)
for name in "${EXAMPLES[@]}"; do
	{ cat "$EX/$name.policy"; printf '%s\n' "${EXTRA_RULES[@]}"; } >"$P/$name.pol"
	store "$name" || not_ok "store $name"
done

# Data the confined programs read, and a folder nobody may write.
D=$T/data
mkdir -m 0755 "$D" "$D/www"
printf 'pear\napple\nfig\napple\n' >"$D/fruit"
echo "hello from the test server" >"$D/www/index.html"
chmod -R a+rX "$D"

# run NAME CALLER PROFILE -- CMD...: CALLER (root or user, that is nobody)
# runs CMD through the launcher under the trusted PROFILE.  Output in
# $T/NAME.out and $T/NAME.err; returns the exit status.
run() {
	local name=$1 who=$2 prof=$3 as=()
	shift 4
	[ "$who" = root ] || as=(setpriv --reuid="$SF_UID" --regid="$SF_GID" --clear-groups)
	sysctl -qw kernel.printk_ratelimit=0 # again: a concurrent run may restore it
	timeout 60 "${as[@]}" "$L" "$prof" -- "$@" >"$T/$name.out" 2>"$T/$name.err"
}
# expect_run STATUS DESCRIPTION NAME CALLER PROFILE -- CMD...
expect_run() {
	local want=$1 desc=$2 rc
	shift 2
	run "$@"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc, wanted $want)"
		show "$T/$1.err"
	fi
}

# no_denials COMM DESCRIPTION: since the last mark, the kernel logged no
# EPERM/EACCES denial (code=0x50000) for a process called COMM running as
# nobody, clone3 (syscall 435, ENOSYS by design) aside.
mark() {
	[ -z "$_kmsg_pid" ] || kmsg_unfollow
	kmsg_follow "$T/marked.kmsg"
}
at_exit '[ -z "$_kmsg_pid" ] || kmsg_unfollow'
no_denials() {
	kmsg_sync
	kmsg_denials "$T/marked.kmsg" " comm=\"$1\" " >"$T/denials"
	if [ -s "$T/denials" ]; then
		not_ok "$2"
		show "$T/denials"
	else
		ok "$2"
	fi
}

# ============================================================ cli-tool
mark
expect_run 0 "cli-tool: ls -la runs" ls user cli-tool -- "$LS" -la "$D"
expect_grep "$T/ls.out" ' fruit$' "cli-tool: ls lists the folder"
expect_run 0 "cli-tool: cat runs" cat user cli-tool -- "$CAT" "$D/fruit"
if cmp -s "$T/cat.out" "$D/fruit"; then ok "cli-tool: cat prints the file"; else not_ok "cli-tool: cat prints the file"; fi
expect_run 0 "cli-tool: sort runs" sort user cli-tool -- "$SORT" -u "$D/fruit"
if [ "$(tr '\n' ' ' <"$T/sort.out")" = "apple fig pear " ]; then
	ok "cli-tool: sort -u sorts"
else
	not_ok "cli-tool: sort -u sorts"
	show "$T/sort.out"
fi
expect_run 0 "cli-tool: a bash pipeline runs (fork, pipes, wait)" pipe user cli-tool -- \
	"$BASH_" -c 'sort "$1" | uniq -c | sort -rn | head -1; seq 100000 | sort -rn | head -1' sh "$D/fruit"
expect_grep "$T/pipe.out" '^ *2 apple$' "cli-tool: the pipeline's answer is right"
expect_grep "$T/pipe.out" '^100000$' "cli-tool: sort of 100000 lines"
no_denials ls "cli-tool: no denial record for ls"
no_denials sort "cli-tool: no denial record for sort"
no_denials bash "cli-tool: no denial record for bash"

expect_run 1 "cli-tool: a TCP connection is refused" tcp user cli-tool -- \
	"$BASH_" -c 'exec 3<>/dev/tcp/127.0.0.1/9'
expect_grep "$T/tcp.err" 'socket: Operation not permitted' "cli-tool: bash says socket: EPERM"
expect_run 1 "cli-tool: socket(AF_INET) gets EPERM" inet user cli-tool -- "$TRY" pid syscall socket 2 1 0
expect_grep "$T/inet.out" '^socket=errno:1$' "cli-tool: errno 1 (EPERM)"
pid=$(pid_of "$T/inet.out")
if [ -n "$pid" ] && audit_record "$pid" 0x50000; then
	ok "cli-tool: the denial is in the kernel log (syscall=41 code=0x50000)"
else
	not_ok "cli-tool: no audit record for pid '$pid'"
fi
expect_run 0 "cli-tool: socket(AF_UNIX) is allowed" unix user cli-tool -- "$TRY" syscall socket 1 1 0

# ============================================================ net-client
if [ -z "$PY" ]; then
	skip "net-client, daemon server: no python3 for the local HTTP server"
else
	# The server, unconfined, as nobody, on a free port it prints.
	setpriv --reuid="$SF_UID" --regid="$SF_GID" --clear-groups \
		"$PY" -u -m http.server -b 127.0.0.1 -d "$D/www" 0 >"$T/server.out" 2>&1 &
	SERVER=$!
	at_exit "kill $SERVER 2>/dev/null"
	port=
	for _ in $(seq 50); do
		port=$(sed -n 's/^Serving HTTP on .* port \([0-9]*\) .*/\1/p' "$T/server.out")
		[ -n "$port" ] && break
		sleep 0.1
	done
	if [ -n "$port" ]; then ok "a local HTTP server on 127.0.0.1:$port"; else not_ok "the HTTP server did not start"; show "$T/server.out"; fi
	URL=http://127.0.0.1:${port:-9}/index.html

	mark
	expect_run 0 "net-client: bash /dev/tcp fetches a page" bashtcp user net-client -- "$BASH_" -c \
		'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "GET /index.html HTTP/1.0\r\n\r\n" >&3; while IFS= read -r l <&3; do echo "$l"; done' \
		sh "${port:-9}"
	expect_grep "$T/bashtcp.out" '^hello from the test server' "net-client: bash got the page"
	no_denials bash "net-client: no denial record for bash"
	if [ -n "$CURL" ]; then
		expect_run 0 "net-client: curl fetches a page" curl user net-client -- "$CURL" -sS "$URL"
		expect_grep "$T/curl.out" '^hello from the test server' "net-client: curl got the page"
		expect_run 0 "net-client: curl resolves localhost" curlh user net-client -- \
			"$CURL" -sS "http://localhost:${port:-9}/index.html"
		no_denials curl "net-client: no denial record for curl"
	else
		skip "net-client: no curl"
	fi
	if [ -n "$WGET" ]; then
		expect_run 0 "net-client: wget fetches a page" wget user net-client -- "$WGET" -q -O- "$URL"
		expect_grep "$T/wget.out" '^hello from the test server' "net-client: wget got the page"
		no_denials wget "net-client: no denial record for wget"
	else
		skip "net-client: no wget"
	fi
	expect_run 0 "net-client: python3 urllib fetches a page" pyget user net-client -- "$PY" -c \
		'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$URL"
	expect_grep "$T/pyget.out" '^hello from the test server' "net-client: python3 got the page"
	no_denials python3 "net-client: no denial record for python3"

	expect_run 1 "net-client: python3 cannot listen" pylisten user net-client -- "$PY" -c \
		'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()'
	expect_grep "$T/pylisten.err" 'PermissionError: \[Errno 1\] Operation not permitted' \
		"net-client: listen gets EPERM"
	expect_run 1 "net-client: listen(2) gets EPERM" listen user net-client -- "$TRY" pid syscall listen 0 1
	expect_grep "$T/listen.out" '^listen=errno:1$' "net-client: errno 1 (EPERM), not EBADF"
	pid=$(pid_of "$T/listen.out")
	if [ -n "$pid" ] && audit_record "$pid" 0x50000; then
		ok "net-client: the denied listen is in the kernel log"
	else
		not_ok "net-client: no audit record for pid '$pid'"
	fi
	if ! run fork user net-client -- "$BASH_" -c "$LS /; true" && grep -q 'fork: Operation not permitted' "$T/fork.err"; then
		ok "net-client: bash cannot fork (EPERM): threads only"
	else
		not_ok "net-client: bash cannot fork (EPERM): threads only"
		show "$T/fork.err"
	fi
fi

# ============================================================ daemon
# Root starts it, setpriv drops to nobody; the policy allows no other id.
if [ -z "$SETPRIV" ]; then
	skip "daemon: no setpriv"
else
	expect_run 0 "daemon: root drops to nobody/nogroup with setpriv" drop root daemon -- \
		"$SETPRIV" --reuid=nobody --regid=nogroup --clear-groups -- "$TRY" status
	expect_grep "$T/drop.out" "^Uid:[[:space:]]+${SF_UID}[[:space:]]+${SF_UID}[[:space:]]+${SF_UID}[[:space:]]+$SF_UID\$" \
		"daemon: every uid is nobody's"
	expect_grep "$T/drop.out" "^Gid:[[:space:]]+${SF_GID}[[:space:]]+${SF_GID}[[:space:]]+${SF_GID}[[:space:]]+$SF_GID\$" \
		"daemon: every gid is nogroup's"
	expect_grep "$T/drop.out" '^Groups:[[:space:]]*$' "daemon: no supplementary group"
	expect_grep "$T/drop.out" '^CapEff:[[:space:]]+0+$' "daemon: no capability left"
	expect_grep "$T/drop.out" '^Seccomp:[[:space:]]+2$' "daemon: still confined"

	# Control: unconfined, root may become uid 1 (daemon) with setpriv.
	expect_exit 0 "daemon control: unconfined, setpriv --reuid=1 works" \
		"$SETPRIV" --reuid=1 --regid="$SF_GID" --clear-groups -- "$TRY" syscall getpid
	expect_run 127 "daemon: switching to uid 1 is refused" touid root daemon -- \
		"$SETPRIV" --reuid=1 --regid=nogroup --clear-groups -- "$TRY" pid
	expect_grep "$T/touid.err" 'setresuid failed: Operation not permitted' "daemon: setresuid(1) gets EPERM"
	expect_no_grep "$T/touid.out" '^pid=' "daemon: the program never ran as uid 1"
	expect_run 127 "daemon: switching to gid 0 is refused" togid root daemon -- \
		"$SETPRIV" --reuid=nobody --regid=0 --clear-groups -- "$TRY" pid
	expect_grep "$T/togid.err" 'setresgid failed: Operation not permitted' "daemon: setresgid(0) gets EPERM"
	expect_run 127 "daemon: keeping group 0 is refused" togroups root daemon -- \
		"$SETPRIV" --reuid=nobody --regid=nogroup --groups=0 -- "$TRY" pid
	expect_grep "$T/togroups.err" 'setgroups failed: Operation not permitted' "daemon: setgroups([0]) gets EPERM"
	expect_run 1 "daemon: setresuid(1, 1, 1) by the program itself gets EPERM" sru root daemon -- \
		"$TRY" pid syscall setresuid 1 1 1
	expect_grep "$T/sru.out" '^setresuid=errno:1$' "daemon: errno 1 (EPERM), though the caller is root"
	pid=$(pid_of "$T/sru.out")
	if [ -n "$pid" ] && audit_record "$pid" 0x50000; then
		ok "daemon: the refused setresuid is in the kernel log"
	else
		not_ok "daemon: no audit record for pid '$pid'"
	fi

	if [ -n "$PY" ] && [ -n "${port:-}" ]; then
		# The daemon for real: an HTTP server, started by root, serving as nobody.
		mark
		"$L" daemon -- "$SETPRIV" --reuid=nobody --regid=nogroup --clear-groups -- \
			"$PY" -u -m http.server -b 127.0.0.1 -d "$D/www" 0 >"$T/daemon.out" 2>"$T/daemon.err" &
		DAEMON=$!
		at_exit "kill $DAEMON 2>/dev/null"
		dport=
		for _ in $(seq 50); do
			dport=$(sed -n 's/^Serving HTTP on .* port \([0-9]*\) .*/\1/p' "$T/daemon.out")
			[ -n "$dport" ] && break
			sleep 0.1
		done
		if [ -n "$dport" ]; then ok "daemon: the HTTP server starts as root, under the profile"; else not_ok "daemon: the HTTP server did not start"; show "$T/daemon.err"; fi
		got=0
		for _ in 1 2 3; do
			exec 3<>"/dev/tcp/127.0.0.1/${dport:-9}" 2>/dev/null || continue
			printf 'GET /index.html HTTP/1.0\r\n\r\n' >&3
			grep -q '^hello from the test server' <&3 && got=$((got + 1))
			exec 3<&-
		done
		if [ "$got" -eq 3 ]; then ok "daemon: it serves three requests"; else not_ok "daemon: served $got of 3 requests"; fi
		if grep -Eq "^Uid:[[:space:]]+${SF_UID}[[:space:]]+${SF_UID}[[:space:]]+$SF_UID" "/proc/$DAEMON/status" 2>/dev/null &&
			grep -Eq '^Seccomp:[[:space:]]+2$' "/proc/$DAEMON/status"; then
			ok "daemon: the server runs as nobody, confined"
		else
			not_ok "daemon: the server runs as nobody, confined"
			grep -E '^(Uid|Seccomp):' "/proc/$DAEMON/status" 2>&1 | sed 's/^/    | /'
		fi
		kill "$DAEMON" 2>/dev/null
		wait "$DAEMON" 2>/dev/null
		no_denials python3 "daemon: no denial record for the server"
	else
		skip "daemon: no python3 HTTP server"
	fi
fi

# ============================================================ deny-list
mark
W2=$W/deny
install -d -o "$SF_UID" -g "$SF_GID" -m 0755 "$W2"
expect_run 0 "deny-list: ordinary programs run" plain user deny-list -- "$BASH_" -c \
	'cd "$1" && echo data >file && chmod 0640 file && ls -l file && sort /etc/passwd | head -1 >/dev/null' sh "$W2"
expect_grep "$T/plain.out" '^-rw-r----- ' "deny-list: chmod 0640 worked"
no_denials ls "deny-list: no denial record for ls"
no_denials bash "deny-list: no denial record for bash"
expect_run 1 "deny-list: chmod u+s is refused" suid user deny-list -- "$BASH_" -c 'chmod u+s "$1"' sh "$W2/file"
expect_grep "$T/suid.err" 'Permission denied' "deny-list: ~fchmodat ... |S_ISUID answers EACCES"
if [ -n "$(find "$W2/file" -perm -4000)" ]; then not_ok "deny-list: the file became setuid"; else ok "deny-list: the file did not become setuid"; fi
if [ -n "$UNSHARE" ]; then
	expect_run 1 "deny-list: unshare -U is refused" userns user deny-list -- "$UNSHARE" -U true
	expect_grep "$T/userns.err" 'unshare failed: Permission denied' "deny-list: ~unshare |CLONE_NEWUSER answers EACCES"
else
	skip "deny-list: no unshare(1)"
fi
expect_run 13 "deny-list: ioctl(TIOCSTI) gets EACCES" sti user deny-list -- "$TRY" syscall ioctl 0 0x5412
expect_run 13 "deny-list: ioctl((1<<32)|TIOCSTI) gets EACCES too" sti64 user deny-list -- "$TRY" syscall ioctl 0 0x100005412
expect_run 13 "deny-list: ptrace gets EACCES" ptrace user deny-list -- "$TRY" syscall ptrace 0
expect_run 13 "deny-list: clone(CLONE_NEWUSER) gets EACCES" cloneu user deny-list -- "$TRY" syscall clone 0x10000011
expect_run 13 "deny-list: bpf gets EACCES" bpf user deny-list -- "$TRY" syscall bpf 0
expect_run 38 "deny-list: clone3 gets ENOSYS (glibc falls back to clone)" clone3 user deny-list -- "$TRY" syscall clone3 0 0
# personality(0xffffffff) only asks: a call the base template leaves out.
expect_run 0 "deny-list: an unlisted call is allowed" persona user deny-list -- \
	"$TRY" pid syscall personality 0xffffffff
pid=$(pid_of "$T/persona.out")
if [ -n "$pid" ] && audit_record "$pid" 0x7ffc0000; then
	ok "deny-list: ... and logged (code=0x7ffc0000)"
else
	not_ok "deny-list: no code=0x7ffc0000 record for pid '$pid'"
fi
