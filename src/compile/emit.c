// SPDX-License-Identifier: MIT
/*
 * The backward BPF writer (see emit.h).  A jump written at label r to a
 * target at label t has the offset r - t - 1; jt/jf hold at most 255.
 */
#include "sysfence/compile/emit.h"

#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"

#define JUMP_MAX 255u

void emit_init(struct emit *e, size_t limit)
{
	memset(e, 0, sizeof(*e));
	e->limit = limit;
}

void emit_free(struct emit *e)
{
	free(e->rev);
	memset(e, 0, sizeof(*e));
}

static size_t put(struct emit *e, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	if (e->failed)
		return e->n;
	if (e->n >= e->limit || ARRAY_GROW(&e->rev, &e->cap, e->n + 1)) {
		e->failed = true;
		return e->n;
	}
	e->rev[e->n] = (struct sock_filter){ code, jt, jf, k };
	return e->n++;
}

size_t emit_ret(struct emit *e, uint32_t action)
{
	size_t at = put(e, SF_BPF_RET_K, action, 0, 0);
	size_t i;

	for (i = 0; i < e->nrets && e->rets[i].action != action; i++)
		;
	if (i == e->nrets && e->nrets < EMIT_MAX_SHARED_RETS)
		e->rets[e->nrets++].action = action;
	if (i < e->nrets)
		e->rets[i].label = at;
	return at;
}

size_t emit_stmt(struct emit *e, uint16_t code, uint32_t k)
{
	return put(e, code, k, 0, 0);
}

size_t emit_load(struct emit *e, uint32_t off, uint32_t mask)
{
	/* Backwards: the AND first, so that it follows the load. */
	if (mask != UINT32_MAX)
		put(e, SF_BPF_AND_K, mask, 0, 0);
	return put(e, SF_BPF_LD_ABS, off, 0, 0);
}

/*
 * A RET of the action that a jump written within `slack` instructions from
 * now still reaches; placed anew when the last one is too far.
 */
static size_t ret_in_reach(struct emit *e, uint32_t action, size_t slack)
{
	for (size_t i = 0; i < e->nrets; i++)
		if (e->rets[i].action == action && e->n + slack - e->rets[i].label - 1 <= JUMP_MAX)
			return e->rets[i].label;
	return emit_ret(e, action);
}

size_t emit_label_of(struct emit *e, emit_target t)
{
	return EMIT_IS_RET(t) ? ret_in_reach(e, EMIT_ACTION(t), 1) : (size_t)t;
}

size_t emit_goto(struct emit *e, emit_target t)
{
	size_t at = (size_t)t;

	if (EMIT_IS_RET(t)) {
		for (size_t i = 0; i < e->nrets; i++)
			if (e->rets[i].action == EMIT_ACTION(t) && e->rets[i].label + 1 == e->n)
				return e->rets[i].label;
		return emit_ret(e, EMIT_ACTION(t));
	}
	if (at + 1 == e->n)
		return at; /* already next */
	return put(e, SF_BPF_JA, (uint32_t)(e->n - at - 1), 0, 0);
}

/* A target reachable by an 8-bit offset from the jump about to be written. */
static size_t near_label(struct emit *e, emit_target t, size_t slack)
{
	size_t at;

	if (EMIT_IS_RET(t))
		return ret_in_reach(e, EMIT_ACTION(t), slack);
	at = (size_t)t;
	if (e->n + slack - at - 1 <= JUMP_MAX)
		return at;
	e->trampolines++;
	return put(e, SF_BPF_JA, (uint32_t)(e->n - at - 1), 0, 0);
}

size_t emit_jump(struct emit *e, uint16_t code, uint32_t k, emit_target jt, emit_target jf)
{
	/* Each target may add one instruction (a RET or a JA) before the jump. */
	size_t t = near_label(e, jt, 2), f = near_label(e, jf, 1);

	if (e->failed)
		return e->n;
	return put(e, code, k, (uint8_t)(e->n - t - 1), (uint8_t)(e->n - f - 1));
}

/*
 * Jumps go forward, to lower labels: the longest path from every label
 * up to t is found in one pass from label 0 up.  best[i]: instructions
 * from label i to a RET of the action, or -1.
 */
int emit_longest_path(const struct emit *e, emit_target t, uint32_t action)
{
	int *best, r;
	size_t top;

	if (EMIT_IS_RET(t))
		return EMIT_ACTION(t) == action ? 0 : -1;
	if (e->failed || (size_t)t >= e->n)
		return -1;
	top = (size_t)t;
	best = malloc((top + 1) * sizeof(*best));
	if (!best)
		return -1;
	for (size_t at = 0; at <= top; at++) {
		const struct sock_filter *in = &e->rev[at];
		int next = -1;

		if (in->code == SF_BPF_RET_K) {
			best[at] = in->k == action ? 1 : -1;
			continue;
		}
		if (in->code == SF_BPF_JA) {
			if (in->k < at)
				next = best[at - 1 - in->k];
		} else if (BPF_CLASS(in->code) == BPF_JMP) {
			int jt = in->jt < at ? best[at - 1 - in->jt] : -1;
			int jf = in->jf < at ? best[at - 1 - in->jf] : -1;

			next = jt > jf ? jt : jf;
		} else if (at > 0) {
			next = best[at - 1];
		}
		best[at] = next < 0 ? -1 : next + 1;
	}
	r = best[top];
	free(best);
	/* A RET target counts as 0: the RET itself is the tree's. */
	return r < 0 ? -1 : r - 1;
}

struct sock_filter *emit_finish(struct emit *e, uint32_t *len)
{
	struct sock_filter *p = NULL;

	*len = 0;
	if (!e->failed && e->n) {
		p = malloc(e->n * sizeof(*p));
		if (p) {
			for (size_t i = 0; i < e->n; i++)
				p[i] = e->rev[e->n - 1 - i];
			*len = (uint32_t)e->n;
		}
	}
	emit_free(e);
	return p;
}
