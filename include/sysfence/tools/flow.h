/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_FLOW_H
#define SYSFENCE_TOOLS_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/bpf.h"

/*
 * Static questions about a checked program for one (arch, nr): what the
 * kernel's action cache concludes, and which argument values are worth
 * probing.  Pure code, used by --report, --diff and --from-log.
 */

enum flow_const_kind {
	FLOW_CONST,	/* reached a RET using only nr/arch: `action` */
	FLOW_NOT_CONST, /* loaded another field first: `offset` */
	FLOW_BAD,	/* an instruction the kernel's emulator refuses */
};

struct flow_const {
	enum flow_const_kind kind;
	uint32_t action; /* FLOW_CONST */
	uint32_t offset; /* FLOW_NOT_CONST: the seccomp_data offset loaded */
	uint32_t pc;	 /* where the emulation stopped */
};

/*
 * Emulates the program with only arch and nr known, exactly as Linux 5.11+
 * does in kernel/seccomp.c seccomp_is_const_allow(): loads of nr and arch,
 * JEQ/JGE/JGT/JSET/JA with K and ALU AND K are followed; any other load
 * ends the emulation ("not cacheable"), a RET gives the constant action.
 */
void flow_const_run(const struct sock_filter *p, size_t len, uint32_t arch, uint32_t nr,
		    struct flow_const *out);

/* The kernel's verdict: may (arch, nr) be cached as ALLOW for this program? */
bool flow_const_allow(const struct sock_filter *p, size_t len, uint32_t arch, uint32_t nr);

/*
 * Argument words compared on some path of (arch, nr), with the constants
 * they are compared against turned into probe values: each constant K and
 * its neighbours K-1 and K+1, under an AND mask M also K | ~M, for JSET the
 * bits themselves, plus 0 and 0xffffffff.  words[w] is the 32-bit word at
 * seccomp_data offset 16 + 4w (args only: w = 0..11).
 */
#define FLOW_WORDS 12
#define FLOW_MAX_VALUES 64

struct flow_probe {
	struct {
		uint32_t values[FLOW_MAX_VALUES];
		unsigned count;
		bool used;   /* loaded on some path */
		bool capped; /* more values than FLOW_MAX_VALUES: some dropped */
	} words[FLOW_WORDS];
	bool loads_ip;
	unsigned reachable; /* distinct instructions reachable for (arch, nr) */
};

void flow_probe_init(struct flow_probe *fp);

/*
 * Adds what the program compares for (arch, nr) to fp (call it for several
 * programs to get the union).  Paths are explored without remembering
 * earlier branch outcomes (an over-approximation: harmless for probing).
 * With nr_known false, nr is unknown too (every section of arch).
 * Returns 0, or -1 if the exploration had to stop early (huge program).
 */
int flow_probe_collect(const struct sock_filter *p, size_t len, uint32_t arch, bool nr_known,
		       uint32_t nr, struct flow_probe *fp);

/*
 * Calls fn with argument vectors built from fp: every combination of each
 * argument's values (its low and high words, placed by the ABI model's
 * byte order; on a 32-bit ABI the high word is always 0, as the kernel
 * passes 32-bit registers).  An
 * argument no program loads stays 0.  When the combinations exceed max,
 * each argument is varied alone and the rest of the budget goes to
 * pseudo-random combinations (deterministic), and *sampled is set.
 * Returns how many vectors were tried.
 */
typedef void (*flow_probe_fn)(void *ctx, const uint64_t args[6]);
size_t flow_probe_each(const struct flow_probe *fp, uint32_t arch, size_t max, flow_probe_fn fn,
		       void *ctx, bool *sampled);

/* The highest argument index any program loads, or -1. */
int flow_probe_max_arg(const struct flow_probe *fp);

#endif
