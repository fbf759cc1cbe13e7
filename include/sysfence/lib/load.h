/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LIB_LOAD_H
#define SYSFENCE_LIB_LOAD_H

#include <linux/audit.h>
#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/blob.h"
#include "sysfence/lib/probe.h"

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

/* Pure: the kernel questions (enum probe_question) this blob's load needs. */
unsigned load_questions(const struct blob *b);

/*
 * Pure: checks the blob fits this launcher and kernel and decides how to
 * load it, rewriting in the blob's own programs LOG into ALLOW when the
 * kernel lacks SECCOMP_RET_LOG and KILL_PROCESS into KILL_THREAD when it
 * lacks SECCOMP_RET_KILL_PROCESS (the kernel treats an action it does not
 * know as a kill).  `arch` is LOAD_NATIVE_ARCH except in tests.  The plan
 * points into *b.  Returns 0; LOAD_ERR_ARCH when the blob is not compiled
 * for arch; or -1 with a reason in why (both).
 */
#define LOAD_ERR_ARCH (-2)
int load_prepare(struct blob *b, uint32_t arch, const struct probe_features *f,
		 struct load_plan *plan, char *why, size_t whylen);

/*
 * Attaches the deny program, then the allow program (the kernel keeps the
 * errno of the last-attached filter on a tie; the compiler relies on this
 * order), after proving that the kernel itself answers: first a twin of
 * the attach (the same call, byte for byte, with a program of length 0)
 * must fail with EINVAL.  Returns 0; LOAD_FAKED when the twin "succeeded"
 * (a filter above the launcher fakes seccomp() or prctl(): nothing it
 * answers can be believed); or a negative errno with *stage naming the
 * filter that failed (LOAD_STAGE_*).  After a failure at the allow filter
 * the deny filter, when there is one, is attached: the caller must not
 * exec.
 */
#define LOAD_FAKED 1
#define LOAD_STAGE_DENY "deny filter"
#define LOAD_STAGE_ALLOW "allow filter"
int load_apply(const struct load_plan *plan, const char **stage);

/*
 * One system call the caller will make after attaching, exactly as it will
 * make it (number and arguments; the instruction pointer is 0: sysfence
 * programs never read it).
 */
struct load_call {
	const char *name;
	struct seccomp_data data;
};

/*
 * Pure: runs the blob's programs in the shared simulator (blob_verdict) on
 * each call; returns the index of the first one the profile would not let
 * through (anything but ALLOW or LOG), with its verdict in *verdict, or -1
 * when all pass.  A profile that denies the calls the launcher must make
 * after loading (the exec, the error line, the exit) is refused
 * before it is loaded instead of failing, or crashing, under it.
 */
int load_first_denied(const struct blob *b, const struct load_call *calls, size_t n,
		      uint32_t *verdict);

#endif
