// SPDX-License-Identifier: MIT
/*
 * Argument checks of one syscall (see block.h).
 *
 * A node of the decision diagram is a set of rules with the conditions each
 * still has to meet (a bitmask per rule; DEAD when the rule can no longer
 * match).  It is decided when a denial has no condition left (EACCES), or
 * when no denial is left and an allow has none (ALLOW) or no allow is left
 * (the default).  Otherwise it splits: on the argument view most rules
 * compare with a range, into the pieces between all their bounds, or on
 * one mask test.  Equal sets are one node, so shared outcomes share code.
 */
#include "sysfence/compile/block.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/rangetree.h"

#define DEAD UINT32_MAX
/*
 * Past this many rules for one syscall the diagram is not tried (building
 * it costs rules^2): one rule after the other.
 */
#define BLOCK_DIAGRAM_RULES 1024
/*
 * Each level of the diagram decides one more argument view or mask test;
 * past this depth (rules with many different masks) it is given up for
 * the linear form, which needs no recursion.
 */
#define BLOCK_DIAGRAM_DEPTH 48

enum node_kind {
	NODE_LEAF,
	NODE_RANGE,
	NODE_MASK,
};

struct node {
	uint8_t kind;
	bool allows;		     /* some path leads to ALLOW */
	uint32_t action;	     /* LEAF */
	const struct abi_cond *cond; /* RANGE: the view (arg, wide, lomask); MASK: the test */
	size_t first, npieces;	     /* RANGE: pieces[first .. first + npieces) */
	size_t t, f;		     /* MASK: children */
};

struct piece {
	uint64_t lo;
	size_t child;
};

struct builder {
	const struct abi_rule *rules;
	size_t n;
	struct node *nodes;
	size_t nnodes, capnodes, maxnodes;
	struct piece *pieces;
	size_t npieces, cappieces;
	/* memo: open addressing; a slot's key (n + 1 words) is in keys */
	uint32_t *keys;
	size_t *slot_node, *slot_key, nslots, nkeys;
	/* nodes by content (hash-consing): equal outcomes are one node */
	size_t *node_slot, nnode_slots;
	unsigned depth; /* of build()'s recursion */
	bool failed;
};

enum {
	LEAF_EACCES,
	LEAF_ALLOW,
	LEAF_DEFAULT
};

#define EACCES_ACTION (SECCOMP_RET_ERRNO | EACCES)

static int cmp_u64v(uint64_t x, uint64_t y)
{
	return x < y ? -1 : x > y;
}

static int cmp_cond(const struct abi_cond *x, const struct abi_cond *y)
{
	int c = cmp_u64v(x->kind, y->kind);

	c = c ? c : cmp_u64v(x->arg, y->arg);
	c = c ? c : cmp_u64v(x->wide, y->wide);
	c = c ? c : cmp_u64v(x->lomask, y->lomask);
	c = c ? c : cmp_u64v(x->nranges, y->nranges);
	for (unsigned i = 0; !c && i < x->nranges && i < ABI_COND_MAX_RANGES; i++) {
		c = cmp_u64v(x->lo[i], y->lo[i]);
		c = c ? c : cmp_u64v(x->hi[i], y->hi[i]);
	}
	c = c ? c : cmp_u64v(x->mask, y->mask);
	return c ? c : cmp_u64v(x->value, y->value);
}

static int cmp_rule(const void *a, const void *b)
{
	const struct abi_rule *x = a, *y = b;

	if (x->deny != y->deny)
		return x->deny ? -1 : 1;
	if (x->ncond != y->ncond)
		return x->ncond < y->ncond ? -1 : 1;
	for (unsigned i = 0; i < x->ncond; i++) {
		int c = cmp_cond(&x->cond[i], &y->cond[i]);

		if (c)
			return c;
	}
	return 0;
}

static int cmp_cond_sort(const void *a, const void *b)
{
	return cmp_cond(a, b);
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

/* ---- the diagram ---- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 1099511628211ULL;
}

static uint64_t node_hash(const struct builder *b, const struct node *n)
{
	uint64_t h = mix(1469598103934665603ULL, n->kind);

	h = mix(h, n->cond->arg);
	h = mix(h, n->cond->wide);
	h = mix(h, n->cond->lomask);
	if (n->kind == NODE_MASK)
		return mix(mix(mix(mix(h, n->cond->mask), n->cond->value), n->t), n->f);
	for (size_t i = 0; i < n->npieces; i++)
		h = mix(mix(h, b->pieces[n->first + i].lo), b->pieces[n->first + i].child);
	return h;
}

static bool node_equal(const struct builder *b, const struct node *x, const struct node *y)
{
	if (x->kind != y->kind || x->cond->arg != y->cond->arg || x->cond->wide != y->cond->wide ||
	    x->cond->lomask != y->cond->lomask)
		return false;
	if (x->kind == NODE_MASK)
		return x->cond->mask == y->cond->mask && x->cond->value == y->cond->value &&
		       x->t == y->t && x->f == y->f;
	if (x->npieces != y->npieces)
		return false;
	for (size_t i = 0; i < x->npieces; i++)
		if (b->pieces[x->first + i].lo != b->pieces[y->first + i].lo ||
		    b->pieces[x->first + i].child != b->pieces[y->first + i].child)
			return false;
	return true;
}

static void node_slot_put(struct builder *b, size_t id)
{
	for (size_t s = (size_t)node_hash(b, &b->nodes[id]) & (b->nnode_slots - 1);;
	     s = (s + 1) & (b->nnode_slots - 1)) {
		if (b->node_slot[s] == SIZE_MAX) {
			b->node_slot[s] = id;
			return;
		}
	}
}

/* Inserts node id into the content table (grown at half full). */
static void node_insert(struct builder *b, size_t id)
{
	if (2 * (b->nnodes + 1) > b->nnode_slots) {
		size_t n = b->nnode_slots ? 2 * b->nnode_slots : 64;
		size_t *ns = malloc(n * sizeof(*ns));

		if (!ns) {
			b->failed = true;
			return;
		}
		for (size_t i = 0; i < n; i++)
			ns[i] = SIZE_MAX;
		free(b->node_slot);
		b->node_slot = ns;
		b->nnode_slots = n;
		for (size_t k = 3; k < b->nnodes; k++)
			node_slot_put(b, k);
	}
	node_slot_put(b, id);
}

/* An existing node with proto's content, or SIZE_MAX. */
static size_t node_find(const struct builder *b, const struct node *proto)
{
	if (!b->nnode_slots)
		return SIZE_MAX;
	for (size_t s = (size_t)node_hash(b, proto) & (b->nnode_slots - 1);;
	     s = (s + 1) & (b->nnode_slots - 1)) {
		size_t id = b->node_slot[s];

		if (id == SIZE_MAX)
			return SIZE_MAX;
		if (node_equal(b, &b->nodes[id], proto))
			return id;
	}
}

static size_t new_node(struct builder *b, const struct node *proto)
{
	size_t same = node_find(b, proto);

	if (same != SIZE_MAX) {
		/* this node's pieces were the last ones appended: not needed */
		if (proto->kind == NODE_RANGE && proto->first + proto->npieces == b->npieces)
			b->npieces = proto->first;
		return same;
	}
	if (b->nnodes == b->capnodes) {
		size_t ncap = b->capnodes ? 2 * b->capnodes : 16;
		struct node *nn = realloc(b->nodes, ncap * sizeof(*nn));

		if (!nn) {
			b->failed = true;
			return LEAF_DEFAULT;
		}
		b->nodes = nn;
		b->capnodes = ncap;
	}
	if (b->nnodes >= b->maxnodes)
		b->failed = true;
	b->nodes[b->nnodes] = *proto;
	node_insert(b, b->nnodes);
	return b->nnodes++;
}

static size_t new_piece(struct builder *b, uint64_t lo, size_t child)
{
	if (b->npieces == b->cappieces) {
		size_t ncap = b->cappieces ? 2 * b->cappieces : 32;
		struct piece *np = realloc(b->pieces, ncap * sizeof(*np));

		if (!np) {
			b->failed = true;
			return 0;
		}
		b->pieces = np;
		b->cappieces = ncap;
	}
	b->pieces[b->npieces] = (struct piece){ lo, child };
	return b->npieces++;
}

static uint64_t key_hash(const uint32_t *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return h;
}

/* The memo slot of key (n + 1 words); *found says whether it is taken. */
static size_t memo_slot(struct builder *b, const uint32_t *key, bool *found)
{
	size_t w = b->n + 1, s = (size_t)key_hash(key, w) & (b->nslots - 1);

	for (;; s = (s + 1) & (b->nslots - 1)) {
		if (b->slot_node[s] == SIZE_MAX) {
			*found = false;
			return s;
		}
		if (!memcmp(&b->keys[b->slot_key[s] * w], key, w * sizeof(*key))) {
			*found = true;
			return s;
		}
	}
}

static bool same_view(const struct abi_cond *x, const struct abi_cond *y)
{
	return x->kind == ABI_COND_RANGE && y->kind == ABI_COND_RANGE && x->arg == y->arg &&
	       x->wide == y->wide && x->lomask == y->lomask;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * build(), split_range() and split_mask() recurse, at most
 * BLOCK_DIAGRAM_DEPTH deep (build fails past it).
 */
static size_t build(struct builder *b, uint32_t *m);

/* The range condition of rule i on view v still to be met, or -1. */
static int range_on(const struct builder *b, size_t i, const uint32_t *m, const struct abi_cond *v)
{
	const struct abi_rule *r = &b->rules[i];

	if (m[i] == DEAD)
		return -1;
	for (unsigned c = 0; c < r->ncond; c++)
		if ((m[i] & (1u << c)) && same_view(&r->cond[c], v))
			return (int)c;
	return -1;
}

static bool inside(const struct abi_cond *c, uint64_t lo, uint64_t hi)
{
	for (unsigned k = 0; k < c->nranges; k++)
		if (lo >= c->lo[k] && hi <= c->hi[k])
			return true;
	return false;
}

/* NOLINTNEXTLINE(misc-no-recursion): bounded by BLOCK_DIAGRAM_DEPTH */
static size_t split_range(struct builder *b, const uint32_t *m, const struct abi_cond *v)
{
	uint64_t max = v->wide ? UINT64_MAX : v->lomask;
	uint64_t *bounds = malloc((4 * b->n + 1) * sizeof(*bounds));
	uint32_t *cm = malloc((b->n + 1) * sizeof(*cm));
	struct piece *local = malloc((4 * b->n + 1) * sizeof(*local));
	size_t nb = 0, nlocal = 0, ndistinct = 0;
	struct node proto = { .kind = NODE_RANGE, .cond = v };

	if (!bounds || !cm || !local) {
		b->failed = true;
		goto out;
	}
	bounds[nb++] = 0;
	for (size_t i = 0; i < b->n; i++) {
		int c = range_on(b, i, m, v);

		if (c < 0)
			continue;
		for (unsigned k = 0; k < b->rules[i].cond[c].nranges; k++) {
			bounds[nb++] = b->rules[i].cond[c].lo[k];
			if (b->rules[i].cond[c].hi[k] < max)
				bounds[nb++] = b->rules[i].cond[c].hi[k] + 1;
		}
	}
	qsort(bounds, nb, sizeof(*bounds), cmp_u64);
	for (size_t i = 0; i < nb; i++)
		if (!ndistinct || bounds[ndistinct - 1] != bounds[i])
			bounds[ndistinct++] = bounds[i];
	for (size_t p = 0; p < ndistinct && !b->failed; p++) {
		uint64_t lo = bounds[p], hi = p + 1 < ndistinct ? bounds[p + 1] - 1 : max;
		size_t child;

		for (size_t i = 0; i < b->n; i++) {
			int c = range_on(b, i, m, v);

			cm[i] = m[i];
			if (c >= 0)
				cm[i] = inside(&b->rules[i].cond[c], lo, hi) ? m[i] & ~(1u << c)
									     : DEAD;
		}
		cm[b->n] = m[b->n];
		child = build(b, cm);
		if (nlocal && local[nlocal - 1].child == child)
			continue; /* same outcome as the piece before: one piece */
		local[nlocal++] = (struct piece){ lo, child };
		proto.allows |= b->nodes[child].allows;
	}
	if (b->failed || !nlocal)
		goto out;
	if (nlocal == 1) {
		size_t only = local[0].child;

		free(bounds);
		free(cm);
		free(local);
		return only;
	}
	/* Children add pieces of their own: this node's go in one run now. */
	proto.first = b->npieces;
	for (size_t i = 0; i < nlocal; i++)
		new_piece(b, local[i].lo, local[i].child);
	proto.npieces = nlocal;
out:
	free(bounds);
	free(cm);
	free(local);
	return b->failed ? LEAF_DEFAULT : new_node(b, &proto);
}

/* NOLINTNEXTLINE(misc-no-recursion): bounded by BLOCK_DIAGRAM_DEPTH */
static size_t split_mask(struct builder *b, const uint32_t *m, const struct abi_cond *t)
{
	uint32_t *tm = malloc((b->n + 1) * sizeof(*tm)), *fm = malloc((b->n + 1) * sizeof(*fm));
	struct node proto = { .kind = NODE_MASK, .cond = t };

	if (!tm || !fm) {
		free(tm);
		free(fm);
		b->failed = true;
		return LEAF_DEFAULT;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct abi_rule *r = &b->rules[i];

		tm[i] = fm[i] = m[i];
		if (m[i] == DEAD)
			continue;
		for (unsigned c = 0; c < r->ncond; c++) {
			if (!(m[i] & (1u << c)) || cmp_cond(&r->cond[c], t))
				continue;
			tm[i] &= ~(1u << c);
			fm[i] = DEAD;
		}
	}
	tm[b->n] = fm[b->n] = m[b->n];
	proto.t = build(b, tm);
	proto.f = build(b, fm);
	free(tm);
	free(fm);
	if (proto.t == proto.f)
		return proto.t;
	proto.allows = b->nodes[proto.t].allows || b->nodes[proto.f].allows;
	return new_node(b, &proto);
}

static size_t build_here(struct builder *b, uint32_t *m);

/* NOLINTNEXTLINE(misc-no-recursion): bounded by BLOCK_DIAGRAM_DEPTH */
static size_t build(struct builder *b, uint32_t *m)
{
	size_t node;

	if (b->depth >= BLOCK_DIAGRAM_DEPTH) {
		b->failed = true;
		return LEAF_DEFAULT;
	}
	b->depth++;
	node = build_here(b, m);
	b->depth--;
	return node;
}

/* m has n + 1 words: a mask per rule, then "an allow rule already holds". */
/* NOLINTNEXTLINE(misc-no-recursion): bounded by BLOCK_DIAGRAM_DEPTH */
static size_t build_here(struct builder *b, uint32_t *m)
{
	bool deny_left = false, allow_left = false, found;
	const struct abi_cond *best = NULL, *mask = NULL;
	unsigned best_count = 0;
	size_t s, node;

	if (b->failed)
		return LEAF_DEFAULT;
	for (size_t i = 0; i < b->n; i++) {
		if (m[i] == 0 && b->rules[i].deny)
			return LEAF_EACCES;
		if (m[i] == 0)
			m[b->n] = 1;
	}
	for (size_t i = 0; i < b->n; i++) {
		if (m[i] == DEAD)
			continue;
		if (!b->rules[i].deny && m[b->n])
			m[i] = DEAD; /* an allow already holds: the others add nothing */
		else if (b->rules[i].deny)
			deny_left = true;
		else
			allow_left = true;
	}
	if (!deny_left && m[b->n])
		return LEAF_ALLOW;
	if (!deny_left && !allow_left)
		return LEAF_DEFAULT;

	s = memo_slot(b, m, &found);
	if (found)
		return b->slot_node[s];

	/* The view that most rules still compare with a range. */
	for (size_t i = 0; i < b->n; i++) {
		const struct abi_rule *r = &b->rules[i];

		for (unsigned c = 0; m[i] != DEAD && c < r->ncond; c++) {
			unsigned count = 0;

			if (!(m[i] & (1u << c)))
				continue;
			if (r->cond[c].kind == ABI_COND_MASK) {
				if (!mask)
					mask = &r->cond[c];
				continue;
			}
			for (size_t j = 0; j < b->n; j++)
				count += range_on(b, j, m, &r->cond[c]) >= 0;
			if (count > best_count) {
				best_count = count;
				best = &r->cond[c];
			}
		}
	}
	if (!best && !mask) {
		/* a live rule has a condition left: one of them is set */
		b->failed = true;
		return LEAF_DEFAULT;
	}
	node = best ? split_range(b, m, best) : split_mask(b, m, mask);
	/* The slot may have moved: the table never grows while building. */
	s = memo_slot(b, m, &found);
	if (!found && !b->failed) {
		if (2 * (b->nkeys + 1) > b->nslots) {
			b->failed = true; /* the table never grows: too many sets */
			return node;
		}
		memcpy(&b->keys[b->nkeys * (b->n + 1)], m, (b->n + 1) * sizeof(*m));
		b->slot_key[s] = b->nkeys++;
		b->slot_node[s] = node;
	}
	return node;
}

/* ---- one rule after the other, when the diagram grows too large ---- */

static size_t cond_node(struct builder *b, const struct abi_cond *c, size_t pass, size_t fail)
{
	struct node proto = { .cond = c };

	proto.allows = b->nodes[pass].allows || b->nodes[fail].allows;
	if (c->kind == ABI_COND_MASK) {
		proto.kind = NODE_MASK;
		proto.t = pass;
		proto.f = fail;
		return new_node(b, &proto);
	}
	proto.kind = NODE_RANGE;
	proto.first = b->npieces;
	{
		uint64_t max = c->wide ? UINT64_MAX : c->lomask, pos = 0;
		bool to_end = false;

		for (unsigned k = 0; k < c->nranges; k++) {
			if (c->lo[k] > pos)
				new_piece(b, pos, fail);
			new_piece(b, c->lo[k], pass);
			to_end = c->hi[k] >= max;
			pos = c->hi[k] + 1;
		}
		if (!to_end)
			new_piece(b, pos, fail);
	}
	proto.npieces = b->npieces - proto.first;
	return new_node(b, &proto);
}

static size_t build_linear(struct builder *b)
{
	size_t next = LEAF_DEFAULT;

	/* Backwards: the last allow falls to the default, denials come first. */
	for (size_t i = b->n; i-- > 0;) {
		const struct abi_rule *r = &b->rules[i];
		size_t t = r->deny ? LEAF_EACCES : LEAF_ALLOW;

		for (unsigned c = r->ncond; c-- > 0;)
			t = cond_node(b, &r->cond[c], t, next);
		next = t;
	}
	return next;
}

/* ---- emission ---- */

struct emitter {
	struct emit *e;
	const struct abi *abi;
	struct builder *b;
	emit_target *label; /* per node, 0 = not emitted yet */
	bool *done;
};

/* The entry of a node already emitted (children are emitted first). */
static emit_target target_of(const struct emitter *x, size_t id)
{
	const struct node *nd = &x->b->nodes[id];

	return nd->kind == NODE_LEAF ? EMIT_RET(nd->action) : x->label[id];
}

/* A range tree over one 32-bit word, pieces [from, to) of the node. */
static emit_target emit_word_tree(struct emitter *x, const struct piece *p, size_t np,
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

static emit_target emit_range(struct emitter *x, const struct node *nd)
{
	const struct abi_cond *v = nd->cond;
	const struct piece *p = &x->b->pieces[nd->first];
	size_t np = nd->npieces;
	uint64_t *lo = malloc(2 * (np + 1) * sizeof(*lo)), *hi = lo ? lo + np + 1 : NULL;
	struct piece *hp = malloc((np + 1) * sizeof(*hp));
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

static emit_target emit_mask(struct emitter *x, const struct node *nd)
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

	if (x->b->nodes[root].kind == NODE_LEAF)
		return EMIT_RET(x->b->nodes[root].action);
	reach[root] = true;
	for (size_t id = root + 1; id-- > 3;) {
		const struct node *nd = &x->b->nodes[id];

		if (!reach[id])
			continue;
		if (nd->kind == NODE_MASK) {
			reach[nd->t] = reach[nd->f] = true;
			continue;
		}
		for (size_t k = 0; k < nd->npieces; k++)
			reach[x->b->pieces[nd->first + k].child] = true;
	}
	for (size_t id = 3; id <= root; id++) {
		const struct node *nd = &x->b->nodes[id];

		if (reach[id] && nd->kind != NODE_LEAF)
			x->label[id] =
				nd->kind == NODE_RANGE ? emit_range(x, nd) : emit_mask(x, nd);
	}
	return x->label[root];
}

static void builder_free(struct builder *b)
{
	free(b->nodes);
	free(b->pieces);
	free(b->keys);
	free(b->slot_node);
	free(b->slot_key);
	free(b->node_slot);
	memset(b, 0, sizeof(*b));
}

static void builder_reset(struct builder *b)
{
	b->nnodes = 3;
	b->npieces = 0;
	b->nkeys = 0;
	b->depth = 0;
	b->failed = false;
	for (size_t s = 0; s < b->nnode_slots; s++)
		b->node_slot[s] = SIZE_MAX;
	for (size_t s = 0; s < b->nslots; s++)
		b->slot_node[s] = SIZE_MAX;
}

emit_target block_emit(struct emit *e, const struct abi *a, const struct abi_rule *rules, size_t n,
		       uint32_t dflt)
{
	struct builder b = { .rules = rules, .n = n };
	struct emitter x = { .e = e, .abi = a, .b = &b };
	size_t conds = 0, root;
	uint32_t *m = NULL;
	emit_target t = EMIT_RET(SECCOMP_RET_KILL_PROCESS);

	for (size_t i = 0; i < n; i++)
		conds += rules[i].ncond;
	/* The diagram may be a few times the rules' size, not more. */
	b.maxnodes = 3 + 16 + 4 * conds;
	for (b.nslots = 16; b.nslots < 2 * b.maxnodes; b.nslots *= 2)
		;
	/* at most nslots / 2 keys are stored */
	b.keys = malloc((b.nslots / 2 + 1) * (n + 1) * sizeof(*b.keys));
	b.slot_node = malloc(b.nslots * sizeof(*b.slot_node));
	b.slot_key = malloc(b.nslots * sizeof(*b.slot_key));
	m = malloc((n + 1) * sizeof(*m));
	if (!b.keys || !b.slot_node || !b.slot_key || !m)
		goto fail;
	{
		const struct node leaves[3] = {
			{ .kind = NODE_LEAF, .action = EACCES_ACTION },
			{ .kind = NODE_LEAF, .action = SECCOMP_RET_ALLOW, .allows = true },
			{ .kind = NODE_LEAF, .action = dflt },
		};

		b.capnodes = 3 + b.maxnodes + 1;
		b.nodes = malloc(b.capnodes * sizeof(*b.nodes));
		if (!b.nodes)
			goto fail;
		memcpy(b.nodes, leaves, sizeof(leaves));
	}
	builder_reset(&b);
	for (size_t i = 0; i < n; i++)
		m[i] = rules[i].ncond ? (uint32_t)((1u << rules[i].ncond) - 1) : 0;
	m[n] = 0;
	root = n <= BLOCK_DIAGRAM_RULES ? build(&b, m) : 0;
	if (n > BLOCK_DIAGRAM_RULES || b.failed) {
		builder_reset(&b);
		b.maxnodes = SIZE_MAX;
		root = build_linear(&b);
	}
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
	free(m);
	builder_free(&b);
	return t;
}
