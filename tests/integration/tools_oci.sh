#!/bin/bash
# sysfence-compile --from-oci: Docker's default profile imported, compiled
# and run (programs under it, the compat ABI in the kernel); OUTPUT written
# atomically and left untouched on any error; bad input and bad options
# each a clear error with exit 2 and nothing on stdout.
. "$(dirname "$0")/../lib.sh"

DOCKER=$SF_ROOT/tests/policies/oci/docker-default.json
PODMAN=$SF_ROOT/tests/policies/oci/podman-default.json
X86="--arch x86_64 --arch x86"

# ---- Docker's default profile ----
# shellcheck disable=SC2086 # $X86 is two options
expect_exit 0 "Docker's default profile imports" "$SF_COMPILE" --from-oci $X86 --kernel 6.1 "$DOCKER"
cp "$T/out" "$T/docker.policy"
expect_grep "$T/out" "^# Imported from .*docker-default.json by sysfence-compile --from-oci\.$" \
	"the header names the profile"
expect_grep "$T/out" "^# Architectures: x86_64 x86; compile with: --arch x86_64 --arch x86$" \
	"the header says how to compile it"
expect_grep "$T/out" "^# syscalls\[18\]: SCMP_ACT_ALLOW; excludes caps CAP_SYS_ADMIN; excludes arches s390 s390x$" \
	"each rule keeps its origin"
expect_grep "$T/out" "^#   comment: s390 parameter ordering for clone is different$" "and its comment"
expect_grep "$T/out" "^clone 0x7e020000\|0x0$" "MASKED_EQ becomes MASK|VALUE"
expect_grep "$T/out" "^socket <38$" "SCMP_CMP_LT becomes <"
expect_grep "$T/out" "^#   not imported: includes caps CAP_SYS_ADMIN \(not all given\)$" \
	"rules for capabilities not given are left out, saying why"
expect_no_grep "$T/out" "^(clone3|mount|unshare)( |$)" "no capability: no clone3, mount, unshare"
expect_grep "$T/err" "note: 9 syscall names unknown to this compiler's tables" \
	"names the tables lack are reported"
expect_no_grep "$T/err" "(error|warning):" "no error, no warning"
# shellcheck disable=SC2086
expect_exit 0 "the imported policy compiles unchanged, --strict" \
	"$SF_COMPILE" --strict $X86 "$T/docker.policy" "$T/docker.bin"

# The Docker meaning on a few calls, through --explain's simulator.
explain() { # WANT SYSCALL ARGS...
	local want=$1
	shift
	"$SF_COMPILE" --explain --arch x86_64 "$T/docker.bin" "$@" >"$T/out" 2>&1
	if head -1 "$T/out" | grep -q ": $want\$"; then ok "$* => $want"; else
		not_ok "$* => $want"; show "$T/out"; fi
}
explain ALLOW getpid
explain "ERRNO(EPERM)" socket 38
explain "ERRNO(EPERM)" socket 40
explain ALLOW socket 41
explain ALLOW personality 0xffffffff
explain "ERRNO(EPERM)" personality 1
explain ALLOW clone 0x11
explain "ERRNO(EPERM)" clone 0x10000000 # CLONE_NEWUSER
explain "ERRNO(ENOSYS)" clone3
explain "ERRNO(EPERM)" unshare 0
explain "ERRNO(EPERM)" kexec_load

# Real programs run under it (root keeps root; a path profile uses NNP).
run_under() { # DESCRIPTION BLOB CMD...
	local desc=$1 blob=$2
	shift 2
	expect_exit 0 "$desc" "$SF_LAUNCH" "$blob" -- "$@"
}
run_under "ls runs under Docker's profile" "$T/docker.bin" /bin/ls /
run_under "a shell pipeline runs under it" "$T/docker.bin" /bin/sh -c 'echo a b | tr a-z A-Z | grep -q "A B"'
run_under "perl runs under it" "$T/docker.bin" /usr/bin/perl -e 'fork() or exit 0; wait; print "x\n"'
if command -v python3 >/dev/null; then
	run_under "python3 with threads and a socket runs under it" "$T/docker.bin" \
		"$(command -v python3)" -c 'import threading, socket
t = threading.Thread(target=lambda: socket.socketpair()); t.start(); t.join()'
else
	skip "python3 is not installed"
fi
expect_exit 1 "unshare(2) is refused without CAP_SYS_ADMIN" "$SF_LAUNCH" "$T/docker.bin" -- \
	/usr/bin/unshare --uts /bin/true
expect_grep "$T/err" "Operation not permitted" "with EPERM"
# shellcheck disable=SC2086
"$SF_COMPILE" -q --from-oci $X86 --caps SYS_ADMIN "$DOCKER" "$T/admin.policy" &&
	"$SF_COMPILE" -q $X86 "$T/admin.policy" "$T/admin.bin"
run_under "with --caps SYS_ADMIN it is allowed" "$T/admin.bin" /usr/bin/unshare --uts /bin/true

# The compat ABI in the kernel (x86): sf-run built with -m32.
RUN32=$BUILD/tests/helpers32/sf-run
if [ -x "$RUN32" ]; then
	# shellcheck disable=SC2086
	"$SF_COMPILE" -q $X86 --raw "$T/docker.policy" "$T/docker.raw"
	DENY=$T/docker.raw.deny
	[ -f "$DENY" ] || DENY=-
	"$RUN32" "$T/docker.raw" "$DENY" -- getppid personality,0xffffffff personality,8 \
		personality,1 socket,1,1,0 socket,38,1,0 socket,40,1,0 clone3 >"$T/got" 2>"$T/err"
	sed 's/ (pid .*//' "$T/got" >"$T/got.clean"
	printf '%s\n' "getppid => OK" "personality,0xffffffff => OK" "personality,8 => OK" \
		"personality,1 => EPERM" "socket,1,1,0 => OK" "socket,38,1,0 => EPERM" \
		"socket,40,1,0 => EPERM" "clone3 => ENOSYS" >"$T/want"
	if cmp -s "$T/got.clean" "$T/want"; then ok "x86 compat calls in the kernel: as Docker decides"; else
		not_ok "x86 compat calls in the kernel: as Docker decides"
		diff "$T/want" "$T/got.clean" | sed 's/^/    | /'
		show "$T/err"
	fi
else
	skip "compat (x86) kernel calls: no -m32 toolchain (install gcc-multilib)"
fi

# ---- OUTPUT, stdin, options ----
echo "# keep me" >"$T/kept.policy"
expect_exit 0 "OUTPUT is written" "$SF_COMPILE" --from-oci $X86 --kernel 6.1 "$DOCKER" "$T/new.policy"
if cmp -s "$T/new.policy" "$T/docker.policy" && [ ! -s "$T/out" ]; then
	ok "the same policy as on stdout, nothing on stdout"
else
	not_ok "the same policy as on stdout, nothing on stdout"
fi
expect_exit 0 "from stdin" sh -c "'$SF_COMPILE' --from-oci $X86 --kernel 6.1 - <'$DOCKER'"
expect_grep "$T/out" "^# Imported from <stdin> by" "named <stdin>"
expect_exit 0 "'-' as OUTPUT is stdout" "$SF_COMPILE" --from-oci -q "$DOCKER" -
expect_grep "$T/out" "^socket <38$" "printed"
expect_exit 0 "-q: no notes" "$SF_COMPILE" -q --from-oci "$DOCKER"
if [ ! -s "$T/err" ]; then ok "stderr is empty"; else not_ok "stderr is empty"; show "$T/err"; fi
expect_exit 2 "--strict: names the tables lack are errors" "$SF_COMPILE" --strict --from-oci "$DOCKER"
expect_grep "$T/err" "error: syscalls\[0\]: 'mseal' is not a system call this compiler knows" "named"
expect_exit 0 "--kernel 4.7 leaves out the minKernel 4.8 rule" "$SF_COMPILE" --from-oci --kernel 4.7 "$DOCKER"
expect_grep "$T/out" "^#   not imported: includes minKernel 4.8 \(kernel 4.7\)$" "saying why"
expect_no_grep "$T/out" "^ptrace$" "ptrace is not allowed"
expect_exit 0 "the running kernel by default" "$SF_COMPILE" --from-oci "$DOCKER"
expect_grep "$T/out" "; kernel $(uname -r | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')\$" "its version"
expect_exit 0 "a runtime config.json: its linux.seccomp" sh -c \
	"{ printf '{\"ociVersion\":\"1.0.2\",\"linux\":{\"seccomp\":'; cat '$DOCKER'; printf '}}'; } |
	 '$SF_COMPILE' --from-oci $X86 --kernel 6.1 - | tail -n +2"
tail -n +2 "$T/docker.policy" >"$T/docker.tail"
if cmp -s "$T/out" "$T/docker.tail"; then ok "the same policy"; else not_ok "the same policy"; fi

# ---- errors: exit 2, nothing written ----
refused() { # DESCRIPTION PATTERN FILE ARGS...: exit 2, stdout empty, OUTPUT kept
	local desc=$1 pat=$2 file=$3
	shift 3
	cp "$T/kept.policy" "$T/target.policy"
	expect_exit 2 "$desc" "$SF_COMPILE" --from-oci "$@" "$file" "$T/target.policy"
	expect_grep "$T/err" "$pat" "$desc: says why"
	if cmp -s "$T/kept.policy" "$T/target.policy" && [ ! -s "$T/out" ]; then
		ok "$desc: nothing written"
	else
		not_ok "$desc: nothing written"
	fi
}
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[' >"$T/trunc.json"
refused "truncated JSON" "trunc.json:1:47: error: the JSON text ends early \(truncated\?\)" "$T/trunc.json"
head -c "$(($(wc -c <"$DOCKER") / 2))" "$DOCKER" >"$T/cut.json"
refused "Docker's profile cut short" "error: the JSON text ends early" "$T/cut.json"
printf '{"defaultAction":"SCMP_ACT_ERRNO",\n "syscalls":[{"names":["getpid"],}]}\n' >"$T/comma.json"
refused "malformed JSON" "comma.json:2:34: error: invalid JSON: unexpected character" "$T/comma.json"
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":"1","op":"SCMP_CMP_EQ"}]}]}' >"$T/type.json"
refused "a wrong type" "error: syscalls\[0\]\.args\[0\]\.value: expected an unsigned integer, got a string" "$T/type.json"
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"value":9,"op":"SCMP_CMP_NQ"}]}]}' >"$T/op.json"
refused "an unknown operator" "unknown operator 'SCMP_CMP_NQ'; did you mean 'SCMP_CMP_NE'\?" "$T/op.json"
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["kill"],"action":"SCMP_ACT_KILL"}]}' >"$T/kill.json"
refused "a rule sysfence cannot express" "error: syscalls\[0\] \(kill\): SCMP_ACT_KILL cannot be expressed" "$T/kill.json"
refused "podman's default profile (ENOSYS by default)" \
	"defaultAction SCMP_ACT_ERRNO with defaultErrnoRet 38 \(ENOSYS\) cannot be expressed" "$PODMAN"
expect_grep "$T/err" "syscalls\[31\] \(socket\): SCMP_ACT_ERRNO with errno 22 \(EINVAL\)" "and its EINVAL rule"
refused "a missing file" "nope.json: cannot read: No such file or directory" "$T/nope.json"

expect_exit 2 "--caps: an unknown capability" "$SF_COMPILE" --from-oci --caps SYS_ADMN "$DOCKER"
expect_grep "$T/err" "unknown capability 'SYS_ADMN'" "named"
expect_exit 2 "--kernel: not a version" "$SF_COMPILE" --from-oci --kernel six "$DOCKER"
expect_grep "$T/err" "--kernel: 'six' is not a kernel version" "named"
expect_exit 2 "--caps needs --from-oci" "$SF_COMPILE" --caps SYS_ADMIN a b
expect_grep "$T/err" "--caps is an option of --from-oci" "said"
expect_exit 2 "--kernel is not an option of --explain" "$SF_COMPILE" --explain --kernel 6.1 "$T/docker.bin" getpid
expect_grep "$T/err" "unknown option '--kernel' for --explain" "said"
expect_exit 2 "--from-oci needs FILE.json" "$SF_COMPILE" --from-oci
expect_exit 2 "at most one OUTPUT" "$SF_COMPILE" --from-oci "$DOCKER" a b
expect_exit 2 "--from-oci and --explain cannot be combined" "$SF_COMPILE" --from-oci --explain "$DOCKER"
printf '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"]}' >"$T/only64.json"
expect_exit 2 "an architecture the profile does not list" "$SF_COMPILE" --from-oci --arch x86_64 --arch x86 \
	"$T/only64.json"
expect_grep "$T/err" "x86 is not an architecture of the profile for x86_64: the container would kill every call of it" \
	"said"
expect_exit 0 "without --arch, it is left out" "$SF_COMPILE" --from-oci "$T/only64.json"
expect_grep "$T/out" "^# Architectures: x86_64; compile with: --arch x86_64$" "said in the header"
expect_exit 2 "rules for one of two unrelated architectures" "$SF_COMPILE" --from-oci --arch x86_64 --arch aarch64 "$DOCKER"
expect_grep "$T/err" "syscalls\[12\] \(arch_prctl\): applies to x86_64 but not to aarch64" "named"
expect_exit 0 "--help shows --from-oci" "$SF_COMPILE" --help
expect_grep "$T/out" "--kernel VERSION\] FILE\.json\|- \[OUTPUT\]" "in the usage"
expect_grep "$T/out" "--caps CAP" "--caps"
expect_grep "$T/out" "--kernel VER" "--kernel"
