#!/bin/bash
# Regenerates the seed corpora in tests/fuzz/corpus/TARGET from the test
# policies, bench/app.policy, examples/, hand-written cases, blobs compiled
# by build/sysfence-compile and recorded audit lines.  Run from the top of
# the tree after `make`; review and commit the result.  Seeds are named
# after where they come from; libFuzzer's own finds never land here (they
# go to build/fuzz/scratch; `make fuzz-merge` minimises them in by hand).
#
#   tests/fuzz/seeds.sh [BUILD]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
C=tests/fuzz/corpus
COMPILE=$BUILD/sysfence-compile
mkdir -p "$C/fuzz_parse" "$C/fuzz_compile" "$C/fuzz_blob" "$C/fuzz_auditlog" "$C/fuzz_oci"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- policies: parse and compile ------------------------------------------
both() { # NAME < text: a seed for both policy targets
	cat >"$C/fuzz_parse/$1"
	cp "$C/fuzz_parse/$1" "$C/fuzz_compile/$1"
}

cp tests/policies/base.inc "$C/fuzz_parse/base.inc"
cp tests/policies/base.inc "$C/fuzz_compile/base.inc"
cat tests/policies/base.inc tests/policies/tools.policy | both tools.policy
cp bench/app.policy "$C/fuzz_parse/bench-app.policy"
# fuzz_compile caps inputs at 200 lines: the bench policy in two halves.
head -n 160 bench/app.policy >"$C/fuzz_compile/bench-app.1.policy"
tail -n +161 bench/app.policy >"$C/fuzz_compile/bench-app.2.policy"
for f in examples/*.policy; do
	[ -f "$f" ] || continue
	cp "$f" "$C/fuzz_parse/example-$(basename "$f")"
	cp "$f" "$C/fuzz_compile/example-$(basename "$f")"
done

# Each [policy NAME] of the kernel-truth table: its rule lines (the cases
# "CALL,ARGS => RESULT" are not policy text).
awk -v dir="$tmp" '
	/^\[policy / { name = $2; sub(/\]$/, "", name); out = dir "/kc-" name; next }
	out && !/=>/ && !/^#/ && NF { print > out }
' tests/policies/kernel-cases.txt
for f in "$tmp"/kc-*; do
	both "$(basename "$f").policy" <"$f"
done

# Every form of the language, and the mistakes it must report.
both forms-all-ops.policy <<'P'
# every argument form
getppid 5 !5 >5 >=5 <5 <=5
getppid |0x10 0xff|0x10 - - -
ioctl - TIOCGWINSZ
ioctl - 0x5413
kill -1 0
fchown - u:root g:root
setresuid u:nobody -1 -
socket AF_UNIX SOCK_STREAM|SOCK_CLOEXEC
socket AF_INET 0x80000|0x80000
prctl PR_SET_NAME
prctl PR_SET_NO_NEW_PRIVS 1 0 0 0
clone |CLONE_NEWUSER
~unshare |CLONE_NEWUSER
~ptrace
mmap - - PROT_READ|PROT_READ
open - 0777 0644
openat - - O_RDONLY|O_CLOEXEC
execve
exit_group
P
both forms-directives.policy <<'P'
@complain
getppid
  @unrestricted   # comment after a directive
@complain
P
# Composition: the fake file system of fuzz_common.h (a.inc and b.inc
# include each other, lib/base.policy includes ./c.inc) and groups.
both forms-include.policy <<'P'
@include base
@include ./a.inc
@include ./missing.inc
@include ./dir
@include ./fifo
@include base.inc
@include
@include ./a.inc ./b.inc
~@include ./a.inc
read
P
both forms-groups.policy <<'P'
execve
@basic-io
@system-service
~@mount
@network-io AF_INET
@netwrk-io
~@complain
@known
@default
P
both compose-ok.policy <<'P'
execve
@include base
@system-service
~@mount
@known
~@debug
P
both forms-complain.policy <<'P'
@complain
execve
~ptrace
getppid 1
P
both forms-unrestricted.policy <<'P'
@unrestricted
P
both forms-bind.policy <<'P'
@bind /usr/lib/foo/helper
execve
execveat
  @bind	/usr/bin/passwd   # a setuid program
@bind /usr/lib/foo/helper
@bind relative/path
@bind /a/../b
@bind
@bind /a /b
P
both forms-numbers.policy <<'P'
execve
getppid 0x10 010 10 0 0x0 00
getppid 0xffffffffffffffff
getppid 18446744073709551615
kill -2147483648 0
lseek - -1 SEEK_SET
P
printf 'execve\r\ngetppid 1\r\n~ptrace\r\n' | both forms-crlf.policy
printf 'execve\n\tgetppid\t1\t\n   \n# only a comment\n' | both forms-blanks.policy
printf 'execve' | both forms-no-newline.policy
both forms-errors.policy <<'P'
@complian
@unrestricted extra
getppid 1 2 3 4 5 6 7
getppid 18446744073709551616
getppid 0x
getppid 09
getppid !
getppid >=
getppid |
getppid 0xf|0x10
getppid !0x1|0x1
fchown - u:nosuchuser g:nosuchgroup
setuid u:wide
socket AF_UNX
socket 1abc
kill -5 -1
chmod - -1
9getppid
~
~~ptrace
get-ppid
getpidd
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
P
printf 'execve\ngetppid\0\n\x01\n\xff\xfe\n\xc0\xaf\n\xed\xa0\x80\nok\r\r\n' | both forms-bad-bytes.policy
printf 'execve\n\xc3\xa9t\xc3\xa9 # caf\xc3\xa9\n' | both forms-utf8.policy
# Within fuzz_compile's 200 lines, over BPF_MAXINSNS (about 5000 instructions).
{
	echo execve
	for i in $(seq 1 198); do
		printf 'getppid 0x100000001 0x100000002 0x100000003 0x100000004 0x100000005 0x%x00000000\n' "$i"
	done
} >"$C/fuzz_compile/limits-maxinsns.policy"
# Limits: a line over POLICY_MAX_LINE (4096), a u: name over 255 bytes.
{ echo execve; printf 'getppid %04096d\n' 1; echo exit_group; } >"$C/fuzz_parse/limits-long-line.policy"
{ echo execve; printf 'setuid u:%0300d\n' 0; printf 'setgid g:%0255d\n' 0; } | both limits-long-names.policy

# ---- blobs ----------------------------------------------------------------
blob() { # NAME [OPTIONS] < policy
	local name=$1
	shift
	cat >"$tmp/p"
	"$COMPILE" -q "$@" "$tmp/p" "$C/fuzz_blob/$name"
}
cat tests/policies/base.inc tests/policies/tools.policy | blob enforce-deny.bin
base_and() { cat tests/policies/base.inc; printf '%s\n' "$@"; }
base_and 'getppid 5' | blob enforce-args.bin
base_and '@complain' 'getppid !5' | blob complain.bin
printf '@unrestricted\n' | blob unrestricted.bin
printf 'execve\nexit_group\n' | blob enforce-native-only.bin --arch x86_64
printf 'execve\nexit_group\n~ptrace\n' | blob multi-arch.bin --arch x86_64 --arch x86 --arch aarch64 --arch arm
base_and 'ioctl - TIOCGWINSZ' '~ioctl - TIOCSTI' 'socket AF_UNIX' 'kill - 0' 'getppid >5 <=9' 'getpid |0x3' | blob enforce-ops.bin
printf 'execve\nsocket AF_UNIX\n' | blob aarch64.bin --arch aarch64
base_and execveat '@bind /usr/bin/passwd' '@bind /usr/lib/dbus-1.0/dbus-daemon-launch-helper' |
	blob bindings.bin

# ---- audit lines ------------------------------------------------------------
log() { cat >"$C/fuzz_auditlog/$1"; }
log dmesg.log <<'L'
[   12.345678] audit: type=1326 audit(1795898999.123:456): auid=4294967295 uid=1000 gid=1000 ses=4294967295 subj=unconfined pid=4242 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=39 compat=0 ip=0x7f1234567890 code=0x7ffc0000
[   12.400000] audit: type=1326 audit(1795898999.124:457): auid=4294967295 uid=1000 gid=1000 ses=4294967295 pid=4242 comm="app" exe="/usr/bin/app" sig=31 arch=40000003 syscall=20 compat=1 ip=0xf7f0 code=0x50001
[   12.500000] audit: type=1326 audit(1795898999.125:458): auid=0 uid=0 gid=0 ses=1 pid=7 comm=6D7920617070 exe=2F746D702F6D7920617070 sig=0 arch=c000003e syscall=101 compat=0 ip=0x1 code=0x80000000
[   12.600000] audit: type=1400 audit(1795898999.126:459): apparmor="DENIED" operation="open"
[   12.700000] usb 1-1: new high-speed USB device
L
log journalctl.log <<'L'
Nov 28 20:00:00 host kernel: audit: type=1326 audit(1795898999.200:200): auid=0 uid=0 gid=0 ses=1 subj=unconfined pid=41 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=217 compat=0 ip=0x1 code=0x7ffc0000
Nov 28 20:00:01 host audit[41]: SECCOMP auid=0 uid=0 gid=0 ses=1 pid=41 comm="app" exe="/usr/bin/app" sig=0 arch=40000003 syscall=20 compat=1 ip=0x1 code=0x7ffc0000
Nov 28 20:00:02 host audit[41]: AVC apparmor="DENIED"
L
printf 'type=SECCOMP msg=audit(1795898999.300:300): auid=0 uid=0 gid=0 ses=1 pid=41 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000\035AUID="root" UID="root" GID="root" ARCH=x86_64 SYSCALL=getpid\ntype=SYSCALL msg=audit(1795898999.301:301): arch=c000003e syscall=59 success=yes\ntype=SECCOMP msg=audit(1795898999.302:302): pid=41 comm="app" arch=c000003e syscall=-1 code=0x7ffc0000AUID="root"\n' | log auditd.log
log ausearch-i.log <<'L'
----
type=SECCOMP msg=audit(11/28/2026 20:00:00.301:301) : auid=root uid=root gid=root ses=1 pid=41 comm=app exe=/usr/bin/app sig=0 arch=x86_64 syscall=getppid compat=0 ip=0x1 code=log
type=SECCOMP msg=audit(11/28/2026 20:00:00.302:302) : pid=41 comm=my app exe=/usr/bin/my app sig=0 arch=i386 syscall=unknown-syscall(999) compat=1 ip=0x1 code=errno
type=SECCOMP msg=audit(11/28/2026 20:00:00.303:303) : pid=41 comm=app exe=/usr/bin/app sig=0 arch=aarch64 syscall=39 compat=0 ip=0x1 code=kill_process
L
log ausearch-raw.log <<'L'
----
time->Sat Nov 28 20:00:00 2026
type=SECCOMP msg=audit(1795898999.300:300): auid=0 uid=0 gid=0 ses=1 pid=41 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000
L
printf '[ 12.5] audit: type=1326 audit(1795898999.145:104): pid=41 comm="app" arch=c000003e sysc\n[ 12.6] audit: type=1326 audit(1795898999.146:105): pid=41 comm="unterminated arch=c000003e syscall=1 code=0x0\n[ 12.7] audit: type=1326 audit(1795898999: arch=zz syscall=1\n' | log malformed.log
# A record longer than AUDITLOG_LINE_MAX (16384): MALFORMED, not parsed.
{ printf '[ 1.0] audit: type=1326 audit(1795898999.1:1): pid=1 comm="%s" arch=c000003e syscall=39 code=0x0\n' \
	"$(head -c 17000 /dev/zero | tr '\0' a)"; echo 'type=SECCOMP msg=audit(1.1:2): arch=c000003e syscall=1'; } |
	log long-line.log
# ---- OCI/Docker profiles ---------------------------------------------------
cp tests/policies/oci/docker-default.json tests/policies/oci/podman-default.json "$C/fuzz_oci/"
oci() { cat >"$C/fuzz_oci/$1"; }
oci every-op.json <<'J'
{"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]}],
 "syscalls":[{"names":["kill"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"value":9,"op":"SCMP_CMP_NE"}]},
 {"names":["socket"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":38,"op":"SCMP_CMP_LT"},{"index":2,"value":0,"op":"SCMP_CMP_LE"}]},
 {"names":["socket"],"action":"SCMP_ACT_ERRNO","errnoRet":13,"args":[{"index":0,"value":40,"op":"SCMP_CMP_GE"}]},
 {"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":4294967295,"op":"SCMP_CMP_EQ"}]},
 {"names":["mmap"],"action":"SCMP_ACT_ALLOW","args":[{"index":2,"value":1,"op":"SCMP_CMP_GT"}]},
 {"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}],"comment":"x"},
 {"names":["clone3"],"action":"SCMP_ACT_ERRNO","errnoRet":38,"excludes":{"caps":["CAP_SYS_ADMIN"]}},
 {"names":["ptrace"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"4.8","arches":["amd64"]}}]}
J
oci complain.json <<'J'
{"defaultAction":"SCMP_ACT_LOG","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86"],"flags":["SECCOMP_FILTER_FLAG_LOG"],
 "syscalls":[{"name":"read","action":"SCMP_ACT_ALLOW"},{"names":["write"],"action":"SCMP_ACT_LOG"},{"names":["ptrace"],"action":"SCMP_ACT_ERRNO","errno":"EACCES"}]}
J
printf '{"ociVersion":"1.0.2","linux":{"seccomp":{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86"],"syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ALLOW"}]}}}' |
	oci config.json
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":18446744073709551616,"op":"SCMP_CMP_EQ"}]}' |
	oci bad-big-truncated.json
echo "seeds: $(ls "$C/fuzz_parse" | wc -l) parse, $(ls "$C/fuzz_compile" | wc -l) compile," \
	"$(ls "$C/fuzz_blob" | wc -l) blob, $(ls "$C/fuzz_auditlog" | wc -l) auditlog," \
	"$(ls "$C/fuzz_oci" | wc -l) oci"
