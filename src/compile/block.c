// SPDX-License-Identifier: MIT
/*
 * Argument checks of one syscall (see block.h): the rules normalised, their
 * decision diagram (diagram.c) emitted as range trees and mask tests.
 */
#include "sysfence/compile/block.h"

#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/diagram.h"
#include "sysfence/compile/rangetree.h"

static int cmp_rule(const void *a, const void *b)
{
	const struct abi_rule *x = a, *y = b;

	if (x->deny != y->deny)
		return x->deny ? -1 : 1;
	if (x->ncond != y->ncond)
		return x->ncond < y->ncond ? -1 : 1;
	for (unsigned i = 0; i < x->ncond; i++) {
		int c = diagram_cond_cmp(&x->cond[i], &y->cond[i]);

		if (c)
			return c;
	}
	return 0;
}

static int cmp_cond_sort(const void *a, const void *b)
{
	return diagram_cond_cmp(a, b);
}

size_t block_normalize(struct abi_rule *rules, size_t n)
{
	size_t m = 0;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (rules[i].ncond > 1)
			qsort(rules[i].cond, rules[i].ncond, sizeof(rules[i].cond[0]),
			      cmp_cond_sort);
	if (n > 1)
		qsort(rules, n, sizeof(*rules), cmp_rule);
	for (size_t i = 0; i < n; i++)
		if (!m || cmp_rule(&rules[m - 1], &rules[i]))
			rules[m++] = rules[i];
	return m;
}

/* ---- emission ---- */

struct emitter {
	struct emit *e;
	const struct abi *abi;
	struct diagram *b;
	emit_target *label; /* per node, 0 = not emitted yet */
	bool *done;
};

/* The entry of a node already emitted (children are emitted first). */
static emit_target target_of(const struct emitter *x, size_t id)
{
	const struct diagram_node *nd = &x->b->nodes[id];

	return nd->kind == DIAGRAM_LEAF ? EMIT_RET(nd->action) : x->label[id];
}

/* A range tree over one 32-bit word, pieces [from, to) of the node. */
static emit_target emit_word_tree(struct emitter *x, const struct diagram_piece *p, size_t np,
				  const uint64_t *lo, const uint64_t *hi, uint32_t off,
				  uint32_t mask)
{
	struct rt_range *r = np ? malloc(np * sizeof(*r)) : NULL;
	emit_target root;
	size_t n = np;

	if (!r) {
		x->e->failed = true;
		return EMIT_RET(SECCOMP_RET_KILL_PROCESS);
	}
	for (size_t i = 0; i < np; i++)
		r[i] = (struct rt_range){ (uint32_t)lo[i], (uint32_t)hi[i],
					  target_of(x, p[i].child),
					  x->b->nodes[p[i].child].allows ? 1.0 : 0.1, 0 };
	root = rt_emit(x->e, r, &n, 0, NULL);
	free(r);
	emit_goto(x->e, root);
	return emit_load(x->e, off, mask);
}

static emit_target emit_range(struct emitter *x, const struct diagram_node *nd)
{
	const struct abi_cond *v = nd->cond;
	const struct diagram_piece *p = &x->b->pieces[nd->first];
	size_t np = nd->npieces;
	uint64_t *lo = malloc(2 * (np + 1) * sizeof(*lo)), *hi = lo ? lo + np + 1 : NULL;
	struct diagram_piece *hp = malloc((np + 1) * sizeof(*hp));
	emit_target t = EMIT_RET(SECCOMP_RET_KILL_PROCESS);
	size_t nh = 0;

	if (!lo || !hp) {
		x->e->failed = true;
		goto out;
	}
	if (!v->wide) {
		for (size_t i = 0; i < np; i++) {
			lo[i] = p[i].lo;
			hi[i] = i + 1 < np ? p[i + 1].lo - 1 : v->lomask;
		}
		t = emit_word_tree(x, p, np, lo, hi, abi_arg_offset(x->abi, v->arg, false),
				   v->lomask);
		goto out;
	}
	/*
	 * 64 bits: a tree over the high word; a high word on which a piece
	 * boundary falls gets a tree over the low word.
	 */
	{
		/* at most a full range and a split word per piece */
		struct rt_range *hr = malloc((2 * np + 2) * sizeof(*hr));
		size_t i = 0, n;
		uint64_t pos = 0;

		if (!hr) {
			x->e->failed = true;
			goto out;
		}
		for (;;) {
			uint32_t h = (uint32_t)(pos >> 32), hend;
			uint64_t wend = (uint64_t)h << 32 | UINT32_MAX, phi;
			emit_target tt;

			while (i + 1 < np && p[i + 1].lo <= pos)
				i++;
			phi = i + 1 < np ? p[i + 1].lo - 1 : UINT64_MAX;
			if (phi >= wend) {
				hend = (uint32_t)(phi >> 32) - ((uint32_t)phi != UINT32_MAX);
				tt = target_of(x, p[i].child);
				hr[nh++] = (struct rt_range){
					h, hend, tt, x->b->nodes[p[i].child].allows ? 1.0 : 0.1, 0
				};
			} else {
				size_t k = i, c = 0;
				bool allows = false;

				/* the pieces on this high word, clipped to it */
				for (; k < np && p[k].lo <= wend; k++, c++) {
					lo[c] = k == i ? 0 : (uint32_t)p[k].lo;
					hi[c] = k + 1 < np && p[k + 1].lo <= wend
							? (uint32_t)(p[k + 1].lo - 1)
							: UINT32_MAX;
					hp[c] = p[k];
					allows |= x->b->nodes[p[k].child].allows;
				}
				tt = emit_word_tree(x, hp, c, lo, hi,
						    abi_arg_offset(x->abi, v->arg, false),
						    UINT32_MAX);
				hend = h;
				hr[nh++] = (struct rt_range){ h, h, tt, allows ? 1.0 : 0.1, 0 };
			}
			if (hend == UINT32_MAX)
				break;
			pos = (uint64_t)(hend + 1) << 32;
		}
		n = nh;
		t = rt_emit(x->e, hr, &n, 0, NULL);
		free(hr);
		emit_goto(x->e, t);
		t = emit_load(x->e, abi_arg_offset(x->abi, v->arg, true), UINT32_MAX);
	}
out:
	free(lo);
	free(hp);
	return t;
}

static emit_target emit_mask(struct emitter *x, const struct diagram_node *nd)
{
	const struct abi_cond *c = nd->cond;
	emit_target t = target_of(x, nd->t), f = target_of(x, nd->f);
	uint32_t off = abi_arg_offset(x->abi, c->arg, c->wide);

	if (!(c->mask & (c->mask - 1))) {
		/* One bit: jset needs no AND */
		emit_jump(x->e, SF_BPF_JSET_K, c->mask, c->value ? t : f, c->value ? f : t);
		return emit_load(x->e, off, UINT32_MAX);
	}
	emit_jump(x->e, SF_BPF_JEQ_K, c->value, t, f);
	return emit_load(x->e, off, c->mask);
}

/*
 * Every node the root reaches, children first (a child's id is always
 * below its parent's: nodes are made after what they lead to), so that
 * each jump goes forward to code already placed.  No recursion: a linear
 * chain of thousands of rules is as deep as it is long.
 */
static emit_target emit_dag(struct emitter *x, size_t root)
{
	bool *reach = x->done;

	if (x->b->nodes[root].kind == DIAGRAM_LEAF)
		return EMIT_RET(x->b->nodes[root].action);
	reach[root] = true;
	for (size_t id = root + 1; id-- > 3;) {
		const struct diagram_node *nd = &x->b->nodes[id];

		if (!reach[id])
			continue;
		if (nd->kind == DIAGRAM_MASK) {
			reach[nd->t] = reach[nd->f] = true;
			continue;
		}
		for (size_t k = 0; k < nd->npieces; k++)
			reach[x->b->pieces[nd->first + k].child] = true;
	}
	for (size_t id = 3; id <= root; id++) {
		const struct diagram_node *nd = &x->b->nodes[id];

		if (reach[id] && nd->kind != DIAGRAM_LEAF)
			x->label[id] =
				nd->kind == DIAGRAM_RANGE ? emit_range(x, nd) : emit_mask(x, nd);
	}
	return x->label[root];
}

emit_target block_emit(struct emit *e, const struct abi *a, const struct abi_rule *rules, size_t n,
		       uint32_t dflt)
{
	struct diagram b;
	struct emitter x = { .e = e, .abi = a, .b = &b };
	size_t root = diagram_build(&b, rules, n, dflt);
	emit_target t = EMIT_RET(SECCOMP_RET_KILL_PROCESS);

	if (b.failed)
		goto fail;
	x.label = calloc(b.nnodes, sizeof(*x.label));
	x.done = calloc(b.nnodes, sizeof(*x.done));
	if (!x.label || !x.done)
		goto fail;
	t = emit_dag(&x, root);
	goto out;
fail:
	e->failed = true;
out:
	free(x.label);
	free(x.done);
	diagram_free(&b);
	return t;
}
