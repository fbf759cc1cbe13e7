/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_EMIT_H
#define SYSFENCE_COMPILE_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/bpf.h"

/*
 * Writes a BPF program backwards, from its last instruction to its first,
 * so that every jump target (BPF jumps only go forward) is already placed
 * when the jump is written.  It handles what classic BPF makes awkward:
 *  - jt/jf are 8 bits: a target more than 255 instructions ahead is reached
 *    through a JA trampoline (32-bit offset) placed right after the jump;
 *  - RET instructions are shared: a jump to an action reuses the nearest
 *    RET of that action in reach, or places a new one.
 *
 * A position ("label") is counted from the end of the program: label 0 is
 * the last instruction.  A target is either a label or an action.
 */
typedef uint64_t emit_target;

#define EMIT_RET_FLAG (UINT64_C(1) << 63)
#define EMIT_RET(action) (EMIT_RET_FLAG | (uint32_t)(action))
#define EMIT_IS_RET(t) (((t)&EMIT_RET_FLAG) != 0)
#define EMIT_ACTION(t) ((uint32_t)(t))
/*
 * Code not placed yet, placed where it is first needed (see rt_emit's
 * resolver): a range tree places a syscall's argument checks right after
 * the comparison that leads to them, in reach of an 8-bit jump.
 */
#define EMIT_LAZY_FLAG (UINT64_C(1) << 62)
#define EMIT_LAZY(id) (EMIT_LAZY_FLAG | (uint64_t)(id))
#define EMIT_IS_LAZY(t) (((t) & (EMIT_RET_FLAG | EMIT_LAZY_FLAG)) == EMIT_LAZY_FLAG)
#define EMIT_LAZY_ID(t) ((size_t)((t) & ~EMIT_LAZY_FLAG))

/* Enough for every action sysfence returns; more are simply not shared. */
#define EMIT_MAX_SHARED_RETS 16

struct emit {
	struct sock_filter *rev; /* rev[i] is the instruction at label i */
	size_t n, cap, limit;
	bool failed; /* out of memory, or more than limit instructions */
	struct {
		uint32_t action;
		size_t label;
	} rets[EMIT_MAX_SHARED_RETS];
	size_t nrets;
	size_t trampolines; /* how many JAs were needed for long jumps */
};

/* limit: instructions at most (the emitter then fails, it never grows further). */
void emit_init(struct emit *e, size_t limit);
void emit_free(struct emit *e);

/* The label of the next instruction to be written (its position from the end). */
static inline size_t emit_here(const struct emit *e)
{
	return e->n;
}

/* Places a RET (a new one: for a shared one, jump to EMIT_RET()). */
size_t emit_ret(struct emit *e, uint32_t action);
/* ld [off] (and AND #mask when mask is not all ones); returns the label of the ld. */
size_t emit_load(struct emit *e, uint32_t off, uint32_t mask);
/* A statement that falls through (ld, and); returns its label. */
size_t emit_stmt(struct emit *e, uint16_t code, uint32_t k);
/* A conditional jump; returns its label (or that of its trampolines). */
size_t emit_jump(struct emit *e, uint16_t code, uint32_t k, emit_target jt, emit_target jf);
/*
 * A target usable as the entry of code placed now: a label unchanged, a
 * RET turned into the label of one in reach (placing it when needed).
 */
size_t emit_label_of(struct emit *e, emit_target t);
/*
 * Makes the instruction written next fall through to t: nothing when t is
 * already next, otherwise a RET or a JA.  Returns the label of t's entry.
 */
size_t emit_goto(struct emit *e, emit_target t);

/*
 * The most instructions a run from t executes before it returns `action`
 * (0 when t is that RET itself, -1 when no path returns it).
 */
int emit_longest_path(const struct emit *e, emit_target t, uint32_t action);

/*
 * Drops the loads that cannot change A: an `ld [off]` (or `ld [off]; and
 * #m`) where every path into it already leaves that very word (so
 * masked) in A, and an `and #m` that clears no bit A may still hold.  A
 * forward data-flow over the program decides it (jumps only go forward:
 * one pass from the entry down), the jumps are then re-aimed and every
 * label the emitter keeps (shared RETs, *entry when not NULL) moved.
 * Returns how many instructions were dropped.
 */
size_t emit_drop_reloads(struct emit *e, size_t *entry);

/*
 * The program in execution order (malloc'ed), or NULL when emission
 * failed.  The emitter is left empty.
 */
struct sock_filter *emit_finish(struct emit *e, uint32_t *len);

#endif
