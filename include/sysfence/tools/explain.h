/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_EXPLAIN_H
#define SYSFENCE_TOOLS_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/blob.h"
#include "sysfence/compile/abi.h"
#include "sysfence/compile/policy.h"
#include "sysfence/tools/input.h"

/*
 * --explain: what a profile does with one call, and which source lines
 * decide it.  The verdict always comes from running the compiled programs
 * in the simulator (the truth the kernel will see); the source lines come
 * from the rules and policy_arg_matches(), and the two are cross-checked.
 */

struct explain_call {
	uint32_t arch;
	uint32_t nr;
	uint64_t args[POLICY_MAX_ARGS];
	unsigned nargs; /* given by the user; the others are 0 */
};

enum explain_reason {
	EXPLAIN_UNRESTRICTED, /* no filter at all */
	EXPLAIN_ALLOW_RULE,   /* allowed by rule(s) */
	EXPLAIN_DENY_RULE,    /* an explicit '~' rule: ERRNO(EACCES) */
	EXPLAIN_DEFAULT,      /* no rule allows it: EPERM, or LOG (complain) */
	EXPLAIN_UNKNOWN_NR,   /* a number this compiler does not know: ENOSYS */
	EXPLAIN_CLONE3,	      /* clone3 not in the policy: ENOSYS */
	EXPLAIN_BAD_ARCH,     /* not an architecture of the profile: killed */
	EXPLAIN_X32,	      /* an x32 call on x86_64: killed */
	EXPLAIN_OTHER,	      /* a program not written by this compiler */
};

#define EXPLAIN_MAX_LINES 32

struct explain_rule_ref {
	size_t rule;	/* index into policy.rules */
	unsigned argno; /* near misses: the first argument that fails, or: */
};

/* A near miss because its conditions cannot be checked through a multiplexer. */
#define EXPLAIN_NEAR_MUX 100u

struct explain_result {
	uint32_t action;    /* the verdict of the stacked programs */
	uint32_t allow_ret; /* each program on its own */
	uint32_t deny_ret;
	unsigned steps;			/* instructions executed, both programs */
	uint64_t seen[POLICY_MAX_ARGS]; /* the arguments as seccomp_data has them */
	bool masked[POLICY_MAX_ARGS];	/* cut to 32 bits by the architecture */
	enum explain_reason reason;
	/* The deciding rules: allow rules for ALLOW, '~' rules for EACCES. */
	struct explain_rule_ref deciding[EXPLAIN_MAX_LINES];
	size_t ndeciding;
	/* Allow rules that match but lose to an explicit denial. */
	struct explain_rule_ref overridden[EXPLAIN_MAX_LINES];
	size_t noverridden;
	/* Rules for this syscall whose arguments do not match. */
	struct explain_rule_ref near[EXPLAIN_MAX_LINES];
	size_t nnear;
	unsigned max_rule_args; /* most arguments any rule for it checks */
	bool inconsistent;	/* rules and programs disagree: a bug */
	/* socketcall/ipc: the call the kernel decodes from argument 0, or NULL */
	const char *mux_call;
	bool mux_rules; /* the policy has rules for mux_call */
	/* While explain_call() runs: the rules as the ABI model reads them. */
	struct abi_rule *lowered;
	size_t nlowered;
};

/*
 * pol may be NULL (a blob or raw program: no source lines).  The rules are
 * read by the ABI model (the width, 16-bit ids and multiplexers of c->arch),
 * exactly as the compiler compiled them.
 */
void explain_call(const struct blob *b, const struct policy *pol, const struct explain_call *c,
		  struct explain_result *r);

/*
 * Prints the verdict, then the deciding lines as `FILE:LINE: text` (or "no
 * rule allows it (default action)"), then notes.  in->src may be NULL.
 */
void explain_print(FILE *out, const struct tool_input *in, const char *syscall,
		   const struct explain_call *c, const struct explain_result *r);

/*
 * The same result as a --json document (sysfence-compile(1), JSON
 * OUTPUT), or NULL when out of memory.
 */
struct json_object;
struct json_object *explain_json(const struct tool_input *in, const char *syscall,
				 const struct explain_call *c, const struct explain_result *r);

/* 0 when the call goes through (ALLOW or LOG), 1 when it is denied. */
int explain_exit_status(const struct explain_result *r);

#endif
