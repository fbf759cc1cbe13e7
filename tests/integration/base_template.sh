#!/bin/bash
# The shipped base template (share/include/base.policy, installed as
# share/sysfence/include/base.policy) for real: a profile that is nothing
# but `@include base`, compiled with --strict, runs real programs through
# a setuid-root copy of the launcher as nobody (launch_setup.sh), and each
# must do its work with no denial at all: the kernel logs every denied call
# (FLAG_LOG: type=1326 ... code=0x50000), and a run that leaves one fails,
# clone3's designed ENOSYS aside.  Programs that are not installed are
# skipped, visibly:
#   bash        pipelines, command substitution, background jobs, traps,
#               here-documents, redirections
#   coreutils   ls, cat, sort, cp, mv, ln, rm, mkdir, chmod, stat, du, df,
#               date, sleep, sha256sum, split, tee, touch, wc, id, nproc
#   python3     ssl (a TLS handshake with a certificate made for the test),
#               sqlite3 (a WAL database on disk), threading, multiprocessing
#   perl        files, folders, regexes, fork and wait, sockets, time
#   git         init, add, commit, branch, log, diff, status, gc
#   TCP         a python3 server (a thread per client) and clients in
#               python3 and bash /dev/tcp, over 127.0.0.1 and ::1
# And what base leaves out really is denied: ptrace, mount, unshare -U,
# TIOCSTI (EACCES), a raw socket.
# The template's own lines: every file of share/include, included as a
# user includes it, compiles with --strict and no diagnostic (its calls
# of other architectures are on purpose: no "targets lack" note).
. "$(dirname "$0")/launch_setup.sh"
printk_ratelimit_off
LIB=$SF_ROOT/share/include
export SYSFENCE_INCLUDE_DIR=$LIB

for f in "$LIB"/*.policy; do
	name=$(basename "$f")
	printf '@include %s\n' "${name%.policy}" >"$T/inc.policy"
	if "$SF_COMPILE" --strict --check "$T/inc.policy" >"$T/out" 2>"$T/err" && [ ! -s "$T/err" ]; then
		ok "@include ${name%.policy} compiles with --strict, no diagnostic"
	else
		not_ok "@include ${name%.policy} compiles with --strict, no diagnostic"
		show "$T/err"
	fi
done

SYS_PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
prog() { PATH=$SYS_PATH command -v "$1"; }
BASH_=$(prog bash)
PY=$(prog python3)
PERL=$(prog perl)
GIT=$(prog git)
OPENSSL=$(prog openssl)

# The profile: the template and nothing else (a sanitizer build of the
# launcher needs a few more calls after a failed exec).
{
	echo "@include base"
	[ "${SANITIZE:-0}" = 1 ] && printf '%s\n' "${SANITIZER_RULES[@]}"
} >"$P/base.pol"
if "$SF_COMPILE" --strict "$P/base.pol" "$P/base.bin" >"$T/out" 2>"$T/err" && [ ! -s "$T/err" ] &&
	install -o root -g root -m 0644 "$P/base.bin" "$STORE/base.bin"; then
	ok "a profile of '@include base' compiles with --strict into the store"
else
	not_ok "a profile of '@include base' compiles with --strict into the store"
	show "$T/err"
fi

# The programs run as a user of their own, with no account (so their
# audit records cannot be confused with those of a concurrent test), in
# $D, which that user owns (git, sqlite, files).
RUN_UID=$(free_id)
D=$W/work
mkdir -m 0755 "$D"
chown "$RUN_UID:$RUN_UID" "$D"
export HOME=$D LC_ALL=C.UTF-8

# confined NAME CMD...: runs CMD as RUN_UID through the launcher under the
# base profile, following the kernel log meanwhile (a busy log may wrap
# before a later dmesg reads it; kmsg_follow).  Output in $T/NAME.out, $T/NAME.err, the
# run's kernel log in $T/NAME.kmsg; returns CMD's exit status.
confined() {
	local name=$1 rc
	shift
	kmsg_follow "$T/$name.kmsg"
	(cd "$D" && timeout 120 setpriv --reuid="$RUN_UID" --regid="$RUN_UID" --clear-groups -- \
		"$L" base -- "$@") >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	kmsg_unfollow
	return $rc
}

# works NAME DESCRIPTION CMD...: CMD exits 0 under the template, and the
# kernel logged no denial (code=0x50000, any errno) while it ran, clone3's
# ENOSYS (syscall 435) aside.
works() {
	local name=$1 desc=$2 rc
	shift 2
	confined "$name" "$@"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc)"
		show "$T/$name.err"
	fi
	kmsg_denials "$T/$name.kmsg" " uid=$RUN_UID " >"$T/$name.denials"
	if [ -s "$T/$name.denials" ]; then
		not_ok "$desc: no denial record"
		show "$T/$name.denials"
	else
		ok "$desc: no denial record"
	fi
}

# ============================================================ bash
if [ -n "$BASH_" ]; then
	works bash "bash: pipelines, \$(...), jobs, traps, here-documents" "$BASH_" -c '
		set -e
		seq 1000 | sort -rn | head -1 >top
		[ "$(cat top)" = 1000 ]
		x=$(echo sub | tr a-z A-Z); [ "$x" = SUB ]
		sleep 0.2 & wait $!
		trap "echo trapped >trap" USR1; kill -USR1 $$; [ -s trap ]
		cat <<-EOF >here
		line one
		EOF
		read -r first <here; [ "$first" = "line one" ]
		( cd / && pwd ) >/dev/null
		for i in 1 2 3; do echo "$i"; done | while read -r n; do echo "n=$n"; done >loop
		[ "$(wc -l <loop)" -eq 3 ]
		echo bash-ok'
	expect_grep "$T/bash.out" '^bash-ok$' "bash: the script ran to its end"
else
	skip "bash: not installed"
fi

# ============================================================ coreutils
if [ -n "$BASH_" ]; then
	works coreutils "coreutils: files, folders, metadata, time, ids" "$BASH_" -c '
		set -e
		mkdir -p c/sub && cd c
		printf "pear\napple\nfig\n" >fruit
		sort fruit >sorted && cp sorted copy && mv copy moved && ln -s moved link
		[ "$(readlink -f link)" = "$PWD/moved" ]
		ls -la >/dev/null && ls -lR .. >/dev/null
		cat fruit | tee teed | wc -l >/dev/null
		chmod 0600 moved && stat -c %a moved >/dev/null
		touch -d "2001-01-01" fruit && du -s . >/dev/null && df . >/dev/null
		sha256sum fruit >/dev/null && md5sum fruit >/dev/null
		split -l 1 fruit part && [ "$(ls part* | wc -l)" = 3 ]
		date +%s >/dev/null && sleep 0.1 && id >/dev/null && nproc >/dev/null
		uname -a >/dev/null && env >/dev/null && head -c 100 /dev/urandom | od >/dev/null
		rm -r sub part* && cd .. && rm -r c
		echo coreutils-ok'
	expect_grep "$T/coreutils.out" '^coreutils-ok$' "coreutils: the script ran to its end"
else
	skip "coreutils: no bash to run them"
fi

# ============================================================ python3
if [ -z "$PY" ]; then
	skip "python3: not installed"
else
	CERT_ARGS=()
	if [ -n "$OPENSSL" ] && "$OPENSSL" req -x509 -newkey rsa:2048 -nodes -days 1 \
		-subj /CN=localhost -keyout "$D/key.pem" -out "$D/cert.pem" >/dev/null 2>&1; then
		chmod a+r "$D/key.pem" "$D/cert.pem"
		CERT_ARGS=("$D/cert.pem" "$D/key.pem")
	fi
	works python3 "python3: ssl, sqlite3, threading, multiprocessing" "$PY" -c '
import concurrent.futures, hashlib, json, multiprocessing, os, socket, sqlite3, ssl, sys, threading

def square(x):
    return x * x

if __name__ == "__main__":
    ctx = ssl.create_default_context()
    assert ctx.cert_store_stats()["x509_ca"] >= 0
    if len(sys.argv) == 3:
        srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        srv.load_cert_chain(sys.argv[1], sys.argv[2])
        cli = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        cli.load_verify_locations(sys.argv[1])
        a, b = socket.socketpair()
        def serve():
            with srv.wrap_socket(a, server_side=True) as s:
                s.sendall(s.recv(100).upper())
        t = threading.Thread(target=serve); t.start()
        with cli.wrap_socket(b, server_hostname="localhost") as c:
            c.sendall(b"tls works"); assert c.recv(100) == b"TLS WORKS"
        t.join()
        print("tls-ok")
    db = sqlite3.connect("test.db")
    db.execute("pragma journal_mode=wal")
    db.execute("create table t (k integer primary key, v text)")
    with db:
        db.executemany("insert into t (v) values (?)", [(str(i),) for i in range(1000)])
    assert db.execute("select count(*) from t").fetchone()[0] == 1000
    db.close(); os.unlink("test.db")
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        assert sum(ex.map(square, range(100))) == 328350
    with multiprocessing.Pool(2) as pool:
        assert pool.map(square, range(10)) == [x * x for x in range(10)]
    q = multiprocessing.Queue(); p = multiprocessing.Process(target=q.put, args=(42,))
    p.start(); assert q.get() == 42; p.join()
    print(hashlib.sha256(json.dumps({"ok": 1}).encode()).hexdigest()[:8], "python-ok")
' "${CERT_ARGS[@]}"
	expect_grep "$T/python3.out" 'python-ok$' "python3: the script ran to its end"
	if [ ${#CERT_ARGS[@]} -eq 2 ]; then
		expect_grep "$T/python3.out" '^tls-ok$' "python3: a TLS handshake, client and server"
	else
		skip "python3: no openssl to make a certificate, no TLS handshake"
	fi
fi

# ============================================================ perl
if [ -z "$PERL" ]; then
	skip "perl: not installed"
else
	works perl "perl: files, folders, regexes, fork, sockets, time" "$PERL" -e '
use strict; use warnings; use Socket; use POSIX ();
open(my $f, ">", "p.txt") or die; print $f "a=1\nb=2\n"; close $f;
open($f, "<", "p.txt") or die; my %h = map { /^(\w+)=(\d+)$/ } <$f>; close $f;
$h{b} == 2 or die "parse";
opendir(my $d, ".") or die; my @e = grep { !/^\./ } readdir $d; closedir $d;
my $pid = fork() // die; if (!$pid) { exit 3 } waitpid($pid, 0); ($? >> 8) == 3 or die "wait";
socketpair(my $x, my $y, AF_UNIX, SOCK_STREAM, 0) or die; syswrite $x, "hi"; sysread $y, my $buf, 2;
$buf eq "hi" or die; unlink "p.txt" or die;
my @t = localtime(time); POSIX::strftime("%Y", @t) > 2000 or die;
print "perl-ok\n";'
	expect_grep "$T/perl.out" '^perl-ok$' "perl: the script ran to its end"
fi

# ============================================================ git
if [ -z "$GIT" ] || [ -z "$BASH_" ]; then
	skip "git: not installed"
else
	works git "git: init, add, commit, branch, log, diff, status, gc" "$BASH_" -c '
		set -e
		export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org \
			GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
		git init -q -b main repo && cd repo
		seq 100 >numbers && git add numbers && git commit -q -m one
		git checkout -q -b topic && seq 50 >>numbers && git commit -q -am two
		git log --oneline | wc -l | grep -qx 2
		git diff main --stat >/dev/null && git status --short >/dev/null
		git checkout -q main && git merge -q topic && git gc -q
		git fsck --no-progress >/dev/null && echo git-ok'
	expect_grep "$T/git.out" '^git-ok$' "git: the script ran to its end"
fi

# ============================================================ TCP
if [ -z "$PY" ]; then
	skip "TCP: no python3 for the server"
else
	# The server, confined too, prints its port; clients connect to it.
	SERVER_PY='
import socket, socketserver, sys
class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(self.rfile.readline().upper())
class Server(socketserver.ThreadingTCPServer):
    address_family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
    allow_reuse_address = True
with Server((sys.argv[1], 0), Echo) as s:
    print(s.server_address[1], flush=True)
    for _ in range(int(sys.argv[2])):
        s.handle_request()
'
	CLIENT_PY='
import socket, sys
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10) as c:
    c.sendall(b"hello\n"); print(c.makefile().readline().strip())
'
	for addr in 127.0.0.1 ::1; do
		if [ "$addr" = ::1 ] && ! "$PY" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
			skip "TCP over ::1: no IPv6 on this machine"
			continue
		fi
		tag=${addr//[.:]/_}
		confined "server$tag" "$PY" -u -c "$SERVER_PY" "$addr" 2 &
		server=$!
		port=
		for _ in $(seq 100); do
			port=$(head -1 "$T/server$tag.out" 2>/dev/null)
			[ -n "$port" ] && break
			sleep 0.1
		done
		if [ -z "$port" ]; then
			not_ok "TCP $addr: the confined server did not start"
			show "$T/server$tag.err"
			kill "$server" 2>/dev/null
			continue
		fi
		ok "TCP $addr: a confined python3 server listens on port $port"
		works "pyclient$tag" "TCP $addr: a confined python3 client" "$PY" -c "$CLIENT_PY" "$addr" "$port"
		expect_grep "$T/pyclient$tag.out" '^HELLO$' "TCP $addr: the python3 client got its answer"
		if [ "$addr" = 127.0.0.1 ] && [ -n "$BASH_" ]; then
			works "bashclient$tag" "TCP $addr: a confined bash /dev/tcp client" "$BASH_" -c \
				'exec 3<>"/dev/tcp/$1/$2"; echo hello >&3; read -r l <&3; echo "$l"' sh "$addr" "$port"
			expect_grep "$T/bashclient$tag.out" '^HELLO$' "TCP $addr: the bash client got its answer"
		else
			works "pyclient2$tag" "TCP $addr: a second client" "$PY" -c "$CLIENT_PY" "$addr" "$port"
		fi
		if wait "$server"; then ok "TCP $addr: the server served both and exited 0"; else not_ok "TCP $addr: the server failed"; show "$T/server$tag.err"; fi
		kmsg_denials "$T/server$tag.kmsg" " uid=$RUN_UID " >"$T/server.denials"
		if [ -s "$T/server.denials" ]; then
			not_ok "TCP $addr: no denial record for the server"
			show "$T/server.denials"
		else
			ok "TCP $addr: no denial record for the server"
		fi
	done
fi

# ============================================================ what base leaves out
# confined_errno NAME WANT DESCRIPTION ARGS...: sf-try ARGS prints CALL=errno:WANT.
confined_errno() {
	local name=$1 want=$2 desc=$3
	shift 3
	confined "$name" "$TRY" "$@"
	expect_grep "$T/$name.out" "=errno:$want\$" "$desc"
}
confined_errno ptrace 1 "base: ptrace is denied (EPERM)" pid syscall ptrace 0 1 0 0
# The same watch that found no denial above sees this one.
pid=$(sed -n 's/^pid=\([0-9]*\)$/\1/p' "$T/ptrace.out")
if [ -n "$pid" ] && grep 'type=1326' "$T/ptrace.kmsg" | grep " uid=$RUN_UID " |
	grep -q " pid=$pid .*code=0x50000"; then
	ok "base: the denied ptrace is in the kernel log, seen by the same watch"
else
	not_ok "base: the denied ptrace is not in the kernel log the runs are checked against"
	show "$T/ptrace.kmsg"
fi
confined_errno mount 1 "base: mount is denied (EPERM)" syscall mount 0 0 0 0 0
confined_errno unshare 1 "base: unshare(CLONE_NEWUSER) is denied (EPERM)" syscall unshare 0x10000000
confined_errno tiocsti 13 "base: ioctl(TIOCSTI) is denied explicitly (EACCES)" syscall ioctl 0 0x5412 0
confined_errno raw 1 "base: a raw socket is denied (EPERM)" syscall socket 2 3 1
confined_errno bpf 1 "base: bpf is denied (EPERM)" syscall bpf 0 0 0
