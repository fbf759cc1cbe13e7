#!/bin/bash
# The named constants' values on every architecture, against that
# architecture's own uapi headers (Debian's linux-libc-dev-ARCH-cross,
# installed by scripts/install-deps.sh; an architecture whose headers are
# missing is skipped, visibly).  For each one, clang evaluates every table
# name the headers define, for that target, into LLVM IR, whose constants
# are plain decimal numbers; the compiler's value (tests/helpers/sf-constants)
# must be the same.  Names the uapi headers do not define (AF_*, SOCK_*,
# MSG_*: libc and the kernel's internal headers) are counted, not compared;
# tests/unit/test_constants.c checks them for x86_64.
#
# Differences that are widths, not values, are allowed: AT_FDCWD (-100) is
# stored as the 32-bit int the kernel reads, PR_SET_PTRACER_ANY is
# (unsigned long)-1, all ones on a 32-bit ABI.
. "$(dirname "$0")/../lib.sh"
HELPER=$BUILD/tests/helpers/sf-constants

if ! command -v clang >/dev/null; then
	skip "no clang"
	exit 0
fi
if [ ! -x "$HELPER" ]; then
	not_ok "no $HELPER (make test-build)"
	exit 1
fi

# arch (as --arch), clang target, header folder, extra clang flags.  clang
# has no parisc target: its headers are evaluated for a target of the same
# word size with the parisc macros set (values, not layouts, are compared).
targets=(
	"x86_64 x86_64-linux-gnu /usr/include/x86_64-linux-gnu:/usr/include"
	"x86 i686-linux-gnu /usr/i686-linux-gnu/include"
	"aarch64 aarch64-linux-gnu /usr/aarch64-linux-gnu/include"
	"arm arm-linux-gnueabihf /usr/arm-linux-gnueabihf/include"
	"riscv64 riscv64-linux-gnu /usr/riscv64-linux-gnu/include"
	"s390x s390x-linux-gnu /usr/s390x-linux-gnu/include"
	"ppc64le powerpc64le-linux-gnu /usr/powerpc64le-linux-gnu/include"
	"ppc64 powerpc64-linux-gnu /usr/powerpc64-linux-gnu/include"
	"ppc powerpc-linux-gnu /usr/powerpc-linux-gnu/include"
	"mips mips-linux-gnu /usr/mips-linux-gnu/include"
	"mipsel64 mips64el-linux-gnuabi64 /usr/mips64el-linux-gnuabi64/include"
	"mips64n32 mips64-linux-gnuabin32 /usr/mips64-linux-gnuabin32/include"
	"parisc i686-linux-gnu /usr/hppa-linux-gnu/include -U__i386__ -U__i386 -Ui386 -U__i686__ -D__hppa__ -D__hppa=1"
)

# The uapi headers holding the table's names, and the types some ioctl
# numbers take the size of.
header() {
	cat <<'H'
#include <linux/types.h>
typedef __kernel_time_t time_t;
typedef __kernel_loff_t loff_t;
typedef __kernel_pid_t pid_t;
#include <linux/fcntl.h>
#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <linux/serial.h>
#include <asm/socket.h>
#include <asm/sockios.h>
#include <linux/mman.h>
#include <asm/signal.h>
#include <asm/resource.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/ptrace.h>
#include <asm/ptrace.h>
#include <linux/netlink.h>
#include <linux/kcmp.h>
#include <linux/quota.h>
#include <linux/dqblk_xfs.h>
#include <linux/stat.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <linux/bpf.h>
#include <linux/futex.h>
#include <linux/eventpoll.h>
#include <linux/keyctl.h>
#include <linux/random.h>
#include <linux/mount.h>
#include <linux/close_range.h>
#include <linux/personality.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipc.h>
#include <linux/time.h>
#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/sockios.h>
#include <linux/wait.h>
#include <linux/mempolicy.h>
H
}

checked_arches=0
for t in "${targets[@]}"; do
	read -r arch triple incs extra <<<"$t"
	inc_args=()
	missing=""
	IFS=: read -ra dirs <<<"$incs"
	for d in "${dirs[@]}"; do
		[ -d "$d/linux" ] || [ -d "$d/asm" ] || missing=$d
		inc_args+=(-isystem "$d")
	done
	if [ -n "$missing" ]; then
		skip "$arch: no headers in $missing (linux-libc-dev-*-cross)"
		continue
	fi
	if ! "$HELPER" "$arch" >"$T/ours"; then
		not_ok "$arch: sf-constants failed"
		continue
	fi
	{
		header
		echo "const unsigned long long sf_v[] = {"
		while read -r name _; do
			printf '#ifdef %s\n(unsigned long long)(%s),\n#else\n0xfeedfacecafebeefULL,\n#endif\n' "$name" "$name"
		done <"$T/ours"
		echo "};"
	} >"$T/probe.c"
	# shellcheck disable=SC2086 # extra flags
	if ! clang --target="$triple" $extra -nostdinc -ffreestanding "${inc_args[@]}" \
		-isystem "$(clang -print-resource-dir)/include" -S -emit-llvm -o "$T/probe.ll" "$T/probe.c" 2>"$T/err"; then
		not_ok "$arch: the headers do not compile"
		show "$T/err"
		continue
	fi
	tr ',[]' '\n\n\n' <"$T/probe.ll" | sed -n 's/^ *i64 \(-\{0,1\}[0-9][0-9]*\).*/\1/p' >"$T/theirs"
	if [ "$(wc -l <"$T/theirs")" -ne "$(wc -l <"$T/ours")" ]; then
		not_ok "$arch: $(wc -l <"$T/theirs") values from the headers for $(wc -l <"$T/ours") names"
		continue
	fi
	paste -d' ' "$T/ours" "$T/theirs" | awk -v arch="$arch" '
		function u64(s) { return s < 0 ? s + 18446744073709551616 : s }
		{
			name = $1; ours = $2; h = $3
			if (h == -77129852519530769) { absent++; next }
			if (ours == "-") { printf "%s: the headers define %s (%s), the table says it has none\n", arch, name, h; bad++; next }
			if (name == "AT_FDCWD" && h == -100 && ours == 4294967196) { same++; next }
			if (name == "PR_SET_PTRACER_ANY" && (ours == 18446744073709551615)) { same++; next }
			if ((h < 0 ? u64(h) != ours + 0 : h != ours)) { printf "%s: %s is %s in the headers, %s in the table\n", arch, name, h, ours; bad++; next }
			same++
		}
		END { printf "%d %d %d\n", same, absent, bad > "/dev/stderr" }' >"$T/diff" 2>"$T/counts"
	read -r same absent bad <"$T/counts"
	if [ "${bad:-1}" -eq 0 ] && [ "${same:-0}" -gt 700 ]; then
		ok "$arch: $same constants match the headers ($absent not in uapi)"
		checked_arches=$((checked_arches + 1))
	else
		not_ok "$arch: ${bad:-?} constants differ from the headers"
		show "$T/diff"
	fi
done
# On a machine with the cross headers (install-deps.sh installs them) every
# family is checked; x86_64's own headers always are.
if [ "$checked_arches" -ge 1 ]; then ok "$checked_arches architectures checked"; else not_ok "no architecture checked"; fi
