/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_RANGETREE_H
#define SYSFENCE_COMPILE_RANGETREE_H

#include <stddef.h>
#include <stdint.h>

#include "sysfence/compile/emit.h"

/*
 * A search tree of comparisons over a 32-bit value already in A (a syscall
 * number, or an argument word): the domain is cut into ranges, each with
 * the target to jump to.  Adjacent ranges with the same target are merged;
 * the tree is shaped by the ranges' weights (an optimal alphabetic tree,
 * with equality tests for single values between two ranges of the same
 * target), and bounded in depth.
 */
struct rt_range {
	uint32_t lo, hi; /* inclusive; range i + 1 starts at hi + 1 of range i */
	emit_target target;
	double weight;	/* how much a short path to this range is worth */
	unsigned extra; /* instructions its target runs after the tree (a block's) */
};

/* Deepest path a tree may get, in comparisons. */
#define RT_MAX_DEPTH 24

/* Places a lazy target (EMIT_LAZY) when the tree first jumps to it. */
struct rt_lazy {
	emit_target (*place)(void *ctx, emit_target lazy);
	void *ctx;
};

/*
 * Emits the tree (the ranges are merged in place; *n is updated) and
 * returns its entry: a label, or the only target when one range is left.
 * When max_cost is not 0, the ranges of weight 1 or more are pulled up
 * until comparisons + extra stay within it, where the weights allow.
 * lazy may be NULL when no target is lazy.
 */
emit_target rt_emit(struct emit *e, struct rt_range *r, size_t *n, unsigned max_cost,
		    const struct rt_lazy *lazy);

#endif
