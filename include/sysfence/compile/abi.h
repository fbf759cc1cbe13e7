/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_ABI_H
#define SYSFENCE_COMPILE_ABI_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/compile/policy.h"

/*
 * The ABI model: what a seccomp filter sees of a call on each architecture
 * the compiler accepts, and how the kernel reads it.  One place for every
 * per-ABI rule: register width, byte order of seccomp_data.args, x32, the
 * socketcall(2)/ipc(2) multiplexers and how the kernel decodes them, the
 * old 16-bit id calls, and what a policy rule means there (abi_lower()).
 * The syscall numbers come from libseccomp's tables (syscalls.h); the
 * per-syscall argument types from argtypes.c.  Architectures are named by
 * their AUDIT_ARCH_* value, the value seccomp_data.arch carries.
 */

struct abi {
	const char *name; /* "x86_64", "x86", "aarch64", ... */
	uint32_t token;	  /* AUDIT_ARCH_* */
	/*
	 * Bits of each argument register the kernel passes: 32 on the 32-bit
	 * ABIs and on mips n32 (its long and pointers are 32 bits), else 64.
	 */
	uint8_t arg_bits;
	/*
	 * Bits of the registers seccomp_data.args carries: arg_bits, but 64
	 * on mips n32, whose callers may set the upper halves.
	 */
	uint8_t reg_bits;
	bool big_endian;  /* order of the halves of seccomp_data.args[i] */
	bool uid16;	  /* chown, setuid, ... take 16-bit ids (the *32 calls 32) */
	uint32_t x32_bit; /* x86_64: numbers with __X32_SYSCALL_BIT are x32 calls */
	uint32_t compat;  /* 32-bit companion compiled by default, or 0 */
	uint32_t window;  /* first number of its syscall table */
	uint32_t extra;	  /* a second window (ARM private calls), or 0 */
};

/* The ABI, or NULL when sysfence does not support the architecture. */
const struct abi *abi_get(uint32_t token);
/* Every supported ABI, in a fixed order; *count receives how many. */
const struct abi *abi_all(size_t *count);

/*
 * seccomp_data offset of the low or high 32-bit half of args[argno]: the
 * arguments are u64 in the task's byte order, so the halves swap on
 * big-endian ABIs.
 */
uint32_t abi_arg_offset(const struct abi *a, unsigned argno, bool high);

/*
 * The seccomp_data the kernel hands a filter for this call, laid out as
 * the ABI's kernel does (for the simulator): on a 32-bit ABI the registers
 * are 32 bits and the kernel zero-extends them (reg_bits), so only the low
 * halves of args reach the filter.
 */
void abi_seccomp_data(const struct abi *a, uint32_t nr, const uint64_t args[6],
		      struct seccomp_data *out);
/* The inverse: the argument values a filter sees in d. */
uint64_t abi_seccomp_arg(const struct abi *a, const struct seccomp_data *d, unsigned argno);

/*
 * A number that is no call of this ABI at all but an x32 call on x86_64
 * (killed, like a foreign architecture).
 */
bool abi_is_x32(const struct abi *a, uint32_t nr);

/* ---- multiplexers ---- */

enum abi_mux {
	ABI_MUX_NONE = 0,
	ABI_MUX_SOCKETCALL, /* socketcall(call, unsigned long *args) */
	ABI_MUX_IPC,	    /* ipc(call | version << 16, first, second, third, ptr, fifth) */
};

/* "socketcall", "ipc". */
const char *abi_mux_name(enum abi_mux m);
/* Does the policy name `name` a call the kernel also reaches through a multiplexer? */
enum abi_mux abi_mux_of(const char *name, uint32_t *call);
/* The name of call number `call` of multiplexer m, or NULL. */
const char *abi_mux_call_name(enum abi_mux m, uint32_t call);
/*
 * The multiplexer's number on the ABI, or -1 where the ABI has none
 * (abinr.c: this and the other lookups in the syscall tables).
 */
int abi_mux_nr(const struct abi *a, enum abi_mux m);
/* Which multiplexer nr is on the ABI. */
enum abi_mux abi_mux_at(const struct abi *a, uint32_t nr);
/*
 * The call number the kernel decodes from the first argument: socketcall
 * reads an int; ipc an unsigned int of which the low 16 bits name the call
 * (`version = call >> 16; call &= 0xffff`).
 */
uint32_t abi_mux_decode(enum abi_mux m, uint64_t arg0);

/* ---- 16-bit ids ---- */

/*
 * Bitmask of the arguments of `name` that are old 16-bit ids on this ABI
 * (on x86, arm and s390 the plain chown, setuid, ... are the 16-bit calls),
 * 0 elsewhere.
 */
unsigned abi_uid16_args(const struct abi *a, const char *name);

/* ---- what a rule means on an ABI ---- */

/*
 * A rule, as the kernel of one ABI reads the call: a conjunction of
 * conditions, each on one "view" of an argument (the bits the kernel
 * reads).  A range condition holds when the value is inside one of its
 * intervals; a mask condition when (word & mask) == value.
 */
enum abi_cond_kind {
	ABI_COND_RANGE,
	ABI_COND_MASK,
};

#define ABI_COND_MAX_RANGES 2

struct abi_cond {
	uint8_t kind;
	uint8_t arg;
	/*
	 * RANGE: wide = the value spans both halves (64-bit argument on a
	 * 64-bit ABI); otherwise it is the low half AND lomask.
	 * MASK: wide = the test is on the high half (lomask unused).
	 */
	bool wide;
	uint32_t lomask;
	unsigned nranges;
	uint64_t lo[ABI_COND_MAX_RANGES], hi[ABI_COND_MAX_RANGES]; /* RANGE, sorted, inclusive */
	uint32_t mask, value;					   /* MASK */
};

#define ABI_MAX_CONDS (2 * POLICY_MAX_ARGS)

enum abi_rule_kind {
	ABI_RULE_NEVER,	 /* no call can match it on this ABI */
	ABI_RULE_ALWAYS, /* every call matches: no condition left */
	ABI_RULE_CONDS,	 /* matches when every condition holds */
};

struct abi_rule {
	const struct policy_rule *src;
	bool deny;
	/* Derived from a rule for a multiplexed call (src names that call). */
	bool via_mux;
	unsigned ncond;
	struct abi_cond cond[ABI_MAX_CONDS];
};

/* What rule r (for a direct call) means on the ABI. */
enum abi_rule_kind abi_lower(const struct abi *a, const struct policy_rule *r,
			     struct abi_rule *out);

/*
 * The rule r (named for a call that multiplexer m reaches as `call`)
 * implies for the multiplexer, as a rule on the multiplexer's own number:
 * a denial denies that call as a whole (its conditions cannot be checked
 * through the pointer), an allow without condition on the ABI allows it,
 * a conditional allow implies nothing.  Returns false when nothing.
 */
bool abi_lower_mux(const struct abi *a, const struct policy_rule *r, enum abi_mux m, uint32_t call,
		   struct abi_rule *out);

/* Does one condition hold for the call (args as seccomp_data has them)? */
bool abi_cond_holds(const struct abi_cond *c, const uint64_t args[6]);
/* Every condition of the rule? */
bool abi_rule_holds(const struct abi_rule *r, const uint64_t args[6]);

/*
 * The rules that decide call nr on the ABI, in the policy's order: the
 * direct rules for its name, and for a multiplexer also the ones its
 * calls imply.  NEVER rules are left out.  *out is malloc'ed (NULL when
 * there is none); returns how many, or -1 when out of memory.
 */
long abi_rules_for(const struct abi *a, const struct policy *pol, uint32_t nr,
		   struct abi_rule **out);

#endif
