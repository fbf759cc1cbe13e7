// SPDX-License-Identifier: MIT
/*
 * sf-auditmark NAME: names itself NAME (its comm), loads a filter that
 * logs getppid (SECCOMP_RET_LOG) and allows everything else, and calls
 * getppid once: the kernel writes one type=1326 record with comm="NAME".
 *
 * The tests use it as a barrier in the kernel log.  Seccomp records are
 * queued to kauditd, which prints them later, in queue order; a mark
 * written to /dev/kmsg bypasses that queue and can overtake records of
 * an earlier run.  Once NAME's record is in the log, every record queued
 * before it is too.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "sf-auditmark: add this architecture's AUDIT_ARCH_"
#endif

int main(int argc, char **argv)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };

	if (argc != 2) {
		fprintf(stderr, "usage: sf-auditmark NAME\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
		perror("sf-auditmark");
		return 1;
	}
	syscall(SYS_getppid);
	return 0;
}
