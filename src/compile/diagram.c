// SPDX-License-Identifier: MIT
/*
 * The decision diagram of one syscall's argument checks (see diagram.h).
 *
 * A node is a set of rules with the conditions each still has to meet (a
 * bitmask per rule; DEAD when the rule can no longer match).  It is
 * decided when a denial has no condition left (EACCES), or when no denial
 * is left and an allow has none (ALLOW) or no allow is left (the default).
 * Otherwise it splits: on the argument view most rules compare with a
 * range, into the pieces between all their bounds, or on one mask test.
 * Equal sets are one node, so shared outcomes share code.
 */
#include "sysfence/compile/diagram.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"

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

#define EACCES_ACTION (SECCOMP_RET_ERRNO | EACCES)

static int cmp_u64v(uint64_t x, uint64_t y)
{
	return x < y ? -1 : x > y;
}

int diagram_cond_cmp(const struct abi_cond *x, const struct abi_cond *y)
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

/* ---- the diagram ---- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 1099511628211ULL;
}

static uint64_t node_hash(const struct diagram *b, const struct diagram_node *n)
{
	uint64_t h = mix(1469598103934665603ULL, n->kind);

	h = mix(h, n->cond->arg);
	h = mix(h, n->cond->wide);
	h = mix(h, n->cond->lomask);
	if (n->kind == DIAGRAM_MASK)
		return mix(mix(mix(mix(h, n->cond->mask), n->cond->value), n->t), n->f);
	for (size_t i = 0; i < n->npieces; i++)
		h = mix(mix(h, b->pieces[n->first + i].lo), b->pieces[n->first + i].child);
	return h;
}

static bool node_equal(const struct diagram *b, const struct diagram_node *x,
		       const struct diagram_node *y)
{
	if (x->kind != y->kind || x->cond->arg != y->cond->arg || x->cond->wide != y->cond->wide ||
	    x->cond->lomask != y->cond->lomask)
		return false;
	if (x->kind == DIAGRAM_MASK)
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

static void node_slot_put(struct diagram *b, size_t id)
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
static void node_insert(struct diagram *b, size_t id)
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
static size_t node_find(const struct diagram *b, const struct diagram_node *proto)
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

static size_t new_node(struct diagram *b, const struct diagram_node *proto)
{
	size_t same = node_find(b, proto);

	if (same != SIZE_MAX) {
		/* this node's pieces were the last ones appended: not needed */
		if (proto->kind == DIAGRAM_RANGE && proto->first + proto->npieces == b->npieces)
			b->npieces = proto->first;
		return same;
	}
	if (ARRAY_GROW(&b->nodes, &b->capnodes, b->nnodes + 1)) {
		b->failed = true;
		return DIAGRAM_LEAF_DEFAULT;
	}
	if (b->nnodes >= b->maxnodes)
		b->failed = true;
	b->nodes[b->nnodes] = *proto;
	node_insert(b, b->nnodes);
	return b->nnodes++;
}

static size_t new_piece(struct diagram *b, uint64_t lo, size_t child)
{
	if (ARRAY_GROW(&b->pieces, &b->cappieces, b->npieces + 1)) {
		b->failed = true;
		return 0;
	}
	b->pieces[b->npieces] = (struct diagram_piece){ lo, child };
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
static size_t memo_slot(struct diagram *b, const uint32_t *key, bool *found)
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
static size_t build(struct diagram *b, uint32_t *m);

/* The range condition of rule i on view v still to be met, or -1. */
static int range_on(const struct diagram *b, size_t i, const uint32_t *m, const struct abi_cond *v)
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
static size_t split_range(struct diagram *b, const uint32_t *m, const struct abi_cond *v)
{
	uint64_t max = v->wide ? UINT64_MAX : v->lomask;
	uint64_t *bounds = malloc((4 * b->n + 1) * sizeof(*bounds));
	uint32_t *cm = malloc((b->n + 1) * sizeof(*cm));
	struct diagram_piece *local = malloc((4 * b->n + 1) * sizeof(*local));
	size_t nb = 0, nlocal = 0, ndistinct = 0;
	struct diagram_node proto = { .kind = DIAGRAM_RANGE, .cond = v };

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
		local[nlocal++] = (struct diagram_piece){ lo, child };
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
	return b->failed ? DIAGRAM_LEAF_DEFAULT : new_node(b, &proto);
}

/* NOLINTNEXTLINE(misc-no-recursion): bounded by BLOCK_DIAGRAM_DEPTH */
static size_t split_mask(struct diagram *b, const uint32_t *m, const struct abi_cond *t)
{
	uint32_t *tm = malloc((b->n + 1) * sizeof(*tm)), *fm = malloc((b->n + 1) * sizeof(*fm));
	struct diagram_node proto = { .kind = DIAGRAM_MASK, .cond = t };

	if (!tm || !fm) {
		free(tm);
		free(fm);
		b->failed = true;
		return DIAGRAM_LEAF_DEFAULT;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct abi_rule *r = &b->rules[i];

		tm[i] = fm[i] = m[i];
		if (m[i] == DEAD)
			continue;
		for (unsigned c = 0; c < r->ncond; c++) {
			if (!(m[i] & (1u << c)) || diagram_cond_cmp(&r->cond[c], t))
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

static size_t build_here(struct diagram *b, uint32_t *m);

/* NOLINTNEXTLINE(misc-no-recursion): bounded by BLOCK_DIAGRAM_DEPTH */
static size_t build(struct diagram *b, uint32_t *m)
{
	size_t node;

	if (b->depth >= BLOCK_DIAGRAM_DEPTH) {
		b->failed = true;
		return DIAGRAM_LEAF_DEFAULT;
	}
	b->depth++;
	node = build_here(b, m);
	b->depth--;
	return node;
}

/* m has n + 1 words: a mask per rule, then "an allow rule already holds". */
/* NOLINTNEXTLINE(misc-no-recursion): bounded by BLOCK_DIAGRAM_DEPTH */
static size_t build_here(struct diagram *b, uint32_t *m)
{
	bool deny_left = false, allow_left = false, found;
	const struct abi_cond *best = NULL, *mask = NULL;
	unsigned best_count = 0;
	size_t s, node;

	if (b->failed)
		return DIAGRAM_LEAF_DEFAULT;
	for (size_t i = 0; i < b->n; i++) {
		if (m[i] == 0 && b->rules[i].deny)
			return DIAGRAM_LEAF_EACCES;
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
		return DIAGRAM_LEAF_ALLOW;
	if (!deny_left && !allow_left)
		return DIAGRAM_LEAF_DEFAULT;

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
		return DIAGRAM_LEAF_DEFAULT;
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

static size_t cond_node(struct diagram *b, const struct abi_cond *c, size_t pass, size_t fail)
{
	struct diagram_node proto = { .cond = c };

	proto.allows = b->nodes[pass].allows || b->nodes[fail].allows;
	if (c->kind == ABI_COND_MASK) {
		proto.kind = DIAGRAM_MASK;
		proto.t = pass;
		proto.f = fail;
		return new_node(b, &proto);
	}
	proto.kind = DIAGRAM_RANGE;
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

static size_t build_linear(struct diagram *b)
{
	size_t next = DIAGRAM_LEAF_DEFAULT;

	/* Backwards: the last allow falls to the default, denials come first. */
	for (size_t i = b->n; i-- > 0;) {
		const struct abi_rule *r = &b->rules[i];
		size_t t = r->deny ? DIAGRAM_LEAF_EACCES : DIAGRAM_LEAF_ALLOW;

		for (unsigned c = r->ncond; c-- > 0;)
			t = cond_node(b, &r->cond[c], t, next);
		next = t;
	}
	return next;
}

void diagram_free(struct diagram *b)
{
	free(b->nodes);
	free(b->pieces);
	free(b->keys);
	free(b->slot_node);
	free(b->slot_key);
	free(b->node_slot);
	memset(b, 0, sizeof(*b));
}

static void builder_reset(struct diagram *b)
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

size_t diagram_build(struct diagram *b, const struct abi_rule *rules, size_t n, uint32_t dflt)
{
	const struct diagram_node leaves[3] = {
		{ .kind = DIAGRAM_LEAF, .action = EACCES_ACTION },
		{ .kind = DIAGRAM_LEAF, .action = SECCOMP_RET_ALLOW, .allows = true },
		{ .kind = DIAGRAM_LEAF, .action = dflt },
	};
	size_t conds = 0, root = DIAGRAM_LEAF_DEFAULT;
	uint32_t *m = NULL;

	*b = (struct diagram){ .rules = rules, .n = n };
	for (size_t i = 0; i < n; i++)
		conds += rules[i].ncond;
	/* The diagram may be a few times the rules' size, not more. */
	b->maxnodes = 3 + 16 + 4 * conds;
	for (b->nslots = 16; b->nslots < 2 * b->maxnodes; b->nslots *= 2)
		;
	/* at most nslots / 2 keys are stored */
	b->keys = malloc((b->nslots / 2 + 1) * (n + 1) * sizeof(*b->keys));
	b->slot_node = malloc(b->nslots * sizeof(*b->slot_node));
	b->slot_key = malloc(b->nslots * sizeof(*b->slot_key));
	m = malloc((n + 1) * sizeof(*m));
	b->capnodes = 3 + b->maxnodes + 1;
	b->nodes = malloc(b->capnodes * sizeof(*b->nodes));
	if (!b->keys || !b->slot_node || !b->slot_key || !m || !b->nodes) {
		b->failed = true;
		goto out;
	}
	memcpy(b->nodes, leaves, sizeof(leaves));
	builder_reset(b);
	for (size_t i = 0; i < n; i++)
		m[i] = rules[i].ncond ? (uint32_t)((1u << rules[i].ncond) - 1) : 0;
	m[n] = 0;
	root = n <= BLOCK_DIAGRAM_RULES ? build(b, m) : 0;
	if (n > BLOCK_DIAGRAM_RULES || b->failed) {
		builder_reset(b);
		b->maxnodes = SIZE_MAX;
		root = build_linear(b);
	}
out:
	free(m);
	return root;
}
