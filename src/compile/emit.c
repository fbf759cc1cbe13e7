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

/*
 * What A holds on entry to an instruction, as far as every path into it
 * agrees: no path seen yet, word `off` of seccomp_data ANDed with `mask`,
 * or anything.  sysfence's programs only load words of seccomp_data and
 * AND them with constants, so that is all there is to know.
 */
enum {
	ACC_NONE,
	ACC_WORD,
	ACC_ANY
};

struct acc {
	uint8_t st;
	uint32_t off, mask;
};

static void acc_meet(struct acc *into, const struct acc *v)
{
	if (into->st == ACC_NONE)
		*into = *v;
	else if (into->st == ACC_WORD &&
		 (v->st != ACC_WORD || v->off != into->off || v->mask != into->mask))
		into->st = ACC_ANY;
}

/* The label a jump written at `at` lands on, or SIZE_MAX when it leaves the program. */
static size_t jump_to(size_t at, uint32_t off)
{
	return off < at ? at - 1 - off : SIZE_MAX;
}

/*
 * The forward pass of emit_drop_reloads(): fills drop[].  Every
 * instruction dropped leaves A as the original left it by the next kept
 * instruction (a load dropped alone: A held that word already; a load and
 * its AND: A held the masked word; a load before `and #m` whose A held
 * the word under a wider mask m0: the AND gives word & m either way; an
 * AND whose mask keeps every bit A may have), so the data-flow of the
 * original program stays true of the new one.  Returns false when a jump
 * leaves the program (then nothing is dropped).
 */
static bool find_reloads(const struct emit *e, struct acc *acc, bool *targeted, bool *drop,
			 const size_t *entry)
{
	const struct acc any = { ACC_ANY, 0, 0 };
	size_t n = e->n;

	/* An AND a jump lands on is not only its load's: it pairs with none. */
	for (size_t l = 0; l < n; l++) {
		const struct sock_filter *in = &e->rev[l];
		size_t t, f;

		if (BPF_CLASS(in->code) != BPF_JMP)
			continue;
		t = jump_to(l, in->code == SF_BPF_JA ? in->k : in->jt);
		f = in->code == SF_BPF_JA ? t : jump_to(l, in->jf);
		if (t == SIZE_MAX || f == SIZE_MAX)
			return false;
		targeted[t] = targeted[f] = true;
	}
	acc[n - 1] = any;
	if (entry && *entry < n)
		acc_meet(&acc[*entry], &any);
	for (size_t l = n; l-- > 0;) {
		const struct sock_filter *in = &e->rev[l];
		struct acc a = acc[l].st == ACC_NONE ? any : acc[l], out = any;
		bool word = a.st == ACC_WORD;

		if (in->code == SF_BPF_LD_ABS) {
			out = (struct acc){ ACC_WORD, in->k, UINT32_MAX };
			if (l > 1 && e->rev[l - 1].code == SF_BPF_AND_K && !targeted[l - 1]) {
				uint32_t m = e->rev[l - 1].k;

				drop[l] = word && a.off == in->k && !(m & ~a.mask);
				drop[l - 1] = drop[l] && a.mask == m;
			} else {
				drop[l] = l > 0 && word && a.off == in->k && a.mask == UINT32_MAX;
			}
		} else if (in->code == SF_BPF_AND_K) {
			if (word)
				out = (struct acc){ ACC_WORD, a.off, a.mask & in->k };
			drop[l] |= l > 0 && word && !(a.mask & ~in->k);
		} else if (BPF_CLASS(in->code) == BPF_JMP) {
			out = a; /* a jump does not touch A */
		}
		if (in->code == SF_BPF_RET_K)
			continue;
		if (BPF_CLASS(in->code) == BPF_JMP) {
			acc_meet(&acc[jump_to(l, in->code == SF_BPF_JA ? in->k : in->jt)], &out);
			if (in->code != SF_BPF_JA)
				acc_meet(&acc[jump_to(l, in->jf)], &out);
		} else if (l > 0) {
			acc_meet(&acc[l - 1], &out);
		}
	}
	return true;
}

/* Where a jump to label t lands once the dropped instructions are gone. */
static size_t new_label(const bool *drop, const size_t *below, size_t t)
{
	/* a dropped one falls through to the first kept label below it */
	return drop[t] ? below[t] - 1 : below[t];
}

size_t emit_drop_reloads(struct emit *e, size_t *entry)
{
	size_t n = e->n, kept = 0;
	struct acc *acc = NULL;
	bool *drop = NULL, *targeted = NULL;
	size_t *below = NULL;

	if (e->failed || n < 2)
		return 0;
	acc = calloc(n, sizeof(*acc));
	drop = calloc(n, sizeof(*drop));
	targeted = calloc(n, sizeof(*targeted));
	below = malloc(n * sizeof(*below));
	/* Out of memory: the program stays as it is, correct all the same. */
	if (!acc || !drop || !targeted || !below || !find_reloads(e, acc, targeted, drop, entry))
		goto out;
	for (size_t l = 0; l < n; l++) {
		below[l] = kept; /* kept instructions under label l */
		kept += !drop[l];
	}
	/* Upwards: an instruction only moves down (below[l] <= l), over dropped ones. */
	for (size_t l = 0; l < n; l++) {
		struct sock_filter in = e->rev[l];

		if (drop[l])
			continue;
		if (in.code == SF_BPF_JA) {
			in.k = (uint32_t)(below[l] - new_label(drop, below, l - 1 - in.k) - 1);
		} else if (BPF_CLASS(in.code) == BPF_JMP) {
			/* closer than before: still within 8 bits */
			in.jt = (uint8_t)(below[l] - new_label(drop, below, l - 1 - in.jt) - 1);
			in.jf = (uint8_t)(below[l] - new_label(drop, below, l - 1 - in.jf) - 1);
		}
		e->rev[below[l]] = in;
	}
	for (size_t i = 0; i < e->nrets; i++)
		e->rets[i].label = below[e->rets[i].label];
	if (entry && *entry < n)
		*entry = new_label(drop, below, *entry);
	e->n = kept;
out:
	free(acc);
	free(drop);
	free(targeted);
	free(below);
	return n - e->n;
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
