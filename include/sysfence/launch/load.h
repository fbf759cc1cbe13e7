/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LAUNCH_LOAD_H
#define SYSFENCE_LAUNCH_LOAD_H

#include <linux/audit.h>
#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/blob.h"
#include "sysfence/launch/probe.h"

/* The architecture this launcher runs as: the one the blob must list. */
#if defined(__x86_64__)
#define LOAD_NATIVE_ARCH AUDIT_ARCH_X86_64 /* x32 too: its calls carry __X32_SYSCALL_BIT */
#define LOAD_NATIVE_ARCH_NAME "x86_64"
#elif defined(__i386__)
#define LOAD_NATIVE_ARCH AUDIT_ARCH_I386
#define LOAD_NATIVE_ARCH_NAME "x86"
#elif defined(__aarch64__) && !defined(__AARCH64EB__)
#define LOAD_NATIVE_ARCH AUDIT_ARCH_AARCH64
#define LOAD_NATIVE_ARCH_NAME "aarch64"
#elif defined(__arm__) && !defined(__ARMEB__)
#define LOAD_NATIVE_ARCH AUDIT_ARCH_ARM
#define LOAD_NATIVE_ARCH_NAME "arm"
#elif defined(__riscv) && __riscv_xlen == 64
#define LOAD_NATIVE_ARCH AUDIT_ARCH_RISCV64
#define LOAD_NATIVE_ARCH_NAME "riscv64"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LOAD_NATIVE_ARCH AUDIT_ARCH_PPC64LE
#define LOAD_NATIVE_ARCH_NAME "ppc64le"
#elif defined(__s390x__)
#define LOAD_NATIVE_ARCH AUDIT_ARCH_S390X
#define LOAD_NATIVE_ARCH_NAME "s390x"
#else
#error "sysfence-launch: unsupported architecture, add its AUDIT_ARCH here"
#endif

enum load_method {
	LOAD_SECCOMP, /* seccomp(2), with flags */
	LOAD_PRCTL,   /* prctl(PR_SET_SECCOMP): kernels without seccomp(2) */
};

/* Everything decided before the first filter is attached. */
struct load_plan {
	enum load_method method;
	unsigned flags;		 /* 0 or SECCOMP_FILTER_FLAG_LOG */
	struct sock_fprog deny;	 /* loaded first; len 0 = nothing */
	struct sock_fprog allow; /* loaded second; len 0 = nothing (unrestricted) */
	size_t log_to_allow;	 /* RETs rewritten, for SYSFENCE_DEBUG */
	size_t kill_process_to_thread;
};

/*
 * Pure: checks the blob fits this launcher and kernel and decides how to
 * load it, rewriting in the blob's own programs LOG into ALLOW when the
 * kernel lacks SECCOMP_RET_LOG and KILL_PROCESS into KILL_THREAD when it
 * lacks SECCOMP_RET_KILL_PROCESS (the kernel treats an action it does not
 * know as a kill).  `arch` is LOAD_NATIVE_ARCH except in tests.  The plan
 * points into *b.  Returns 0, or -1 with a reason in why.
 */
int load_prepare(struct blob *b, uint32_t arch, const struct probe_features *f,
		 struct load_plan *plan, char *why, size_t whylen);

/*
 * Attaches the deny program, then the allow program (the kernel keeps the
 * errno of the last-attached filter on a tie; the compiler relies on this
 * order).  Returns 0, or a negative errno with *stage naming the filter
 * that failed.  After a failure some filter may already be attached: the
 * caller must not exec.
 */
int load_apply(const struct load_plan *plan, const char **stage);

#endif
