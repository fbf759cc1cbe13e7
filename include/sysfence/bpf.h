/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_BPF_H
#define SYSFENCE_BPF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Classic BPF as seccomp uses it: the static checker both programs run on
 * every program before it goes near the kernel, the simulator the tools and
 * tests use, and the kernel's rule for combining the verdicts of stacked
 * filters.  Pure code: no I/O, no allocation.
 */

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#ifndef SECCOMP_RET_LOG
#define SECCOMP_RET_LOG 0x7ffc0000U
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif
#ifndef SECCOMP_RET_ACTION_FULL
#define SECCOMP_RET_ACTION_FULL 0xffff0000U
#endif

/* The only instructions sysfence emits or accepts (docs/blob-format.md). */
#define SF_BPF_LD_ABS (BPF_LD | BPF_W | BPF_ABS)
#define SF_BPF_AND_K (BPF_ALU | BPF_AND | BPF_K)
#define SF_BPF_JA (BPF_JMP | BPF_JA)
#define SF_BPF_JEQ_K (BPF_JMP | BPF_JEQ | BPF_K)
#define SF_BPF_JGT_K (BPF_JMP | BPF_JGT | BPF_K)
#define SF_BPF_JGE_K (BPF_JMP | BPF_JGE | BPF_K)
#define SF_BPF_JSET_K (BPF_JMP | BPF_JSET | BPF_K)
#define SF_BPF_RET_K (BPF_RET | BPF_K)

struct bpf_prog {
	struct sock_filter *insns;
	uint32_t len;
};

/* Offsets in struct seccomp_data the programs may load. */
#define BPF_OFF_NR 0
#define BPF_OFF_ARCH 4
#define BPF_OFF_IP 8
#define BPF_OFF_ARGS 16

/*
 * Checks a program statically: 1..BPF_MAXINSNS instructions, only the
 * opcodes seccomp accepts and sysfence emits, loads inside seccomp_data,
 * every jump inside the program, the last instruction a RET, every RET an
 * action the launcher may hand to the kernel (no ERRNO(0) fake success, no
 * TRACE or USER_NOTIF, no RET A), the first instruction a load of the
 * architecture.  Returns 0, or -1 with a reason in why.
 */
int bpf_check(const struct sock_filter *p, size_t len, char *why, size_t whylen);

/*
 * Runs a checked program on one call as the kernel would.  *steps (may be
 * NULL) receives the number of instructions executed.
 */
uint32_t bpf_run(const struct sock_filter *p, size_t len, const struct seccomp_data *d,
		 unsigned *steps);

/*
 * The kernel's rule for stacked filters: the action with the lowest
 * precedence value wins (KILL_PROCESS < KILL_THREAD < TRAP < ERRNO <
 * USER_NOTIF < TRACE < LOG < ALLOW); on a tie the filter evaluated first,
 * i.e. the one attached last, wins.  `newer` is the later-attached filter.
 */
uint32_t bpf_combine(uint32_t newer, uint32_t older);

/*
 * Rewrites every RET of `from` (exact value) into `to`; returns how many
 * were rewritten.  Used by the launcher to turn LOG into ALLOW and
 * KILL_PROCESS into KILL_THREAD on kernels that lack them.
 */
size_t bpf_rewrite_ret(struct sock_filter *p, size_t len, uint32_t from, uint32_t to);

/* Does any RET of the program return this exact value? */
bool bpf_returns(const struct sock_filter *p, size_t len, uint32_t action);

/* "ALLOW", "ERRNO(EPERM)", "KILL_PROCESS", "LOG", ... into buf. */
const char *bpf_action_name(uint32_t action, char *buf, size_t buflen);

#endif
