// SPDX-License-Identifier: MIT
/*
 * Range trees (see rangetree.h).
 *
 * The cost of a tree is the sum over ranges of weight x the comparisons on
 * the way to its target.  An inner node `jge K` splits the ranges i..j in
 * two; a leaf is one range, or a few ranges that all share one target but
 * for single values in between ("holes": 94 denied between allowed 63..93
 * and 95..100), decided by a chain of `jeq` before the common target.
 * The optimum over both is a dynamic program over intervals of ranges
 * (Knuth's: the best split of i..j lies between those of i..j-1 and
 * i+1..j), O(n^2).  Past RT_DP_MAX ranges a weight-balanced split is used.
 */
#include "sysfence/compile/rangetree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RT_DP_MAX 256
#define RT_MAX_HOLES 3

struct rt {
	const struct rt_range *r;
	size_t n;
	double *pre;	 /* pre[i]: weight of ranges 0..i-1 */
	float *cost;	 /* cost[i * n + j] */
	float *cost_t;	 /* the same transposed, cost_t[j * n + i]: rows for the inner loop */
	uint16_t *split; /* best split of i..j: i..k | k+1..j */
	int16_t *leaf;	 /* >= 0: i..j is a leaf, this range's target the common one */
	bool balanced;	 /* no DP: split at the weighted middle */
	double floor;	 /* added to every weight, see rt_emit */
	double *boost;	 /* per range: weight multiplier for the cost bound */
	const struct rt_lazy *lazy;
};

static emit_target place(const struct rt_lazy *lazy, emit_target t)
{
	return lazy && EMIT_IS_LAZY(t) ? lazy->place(lazy->ctx, t) : t;
}

static double w_of(const struct rt *t, size_t k)
{
	return t->r[k].weight * t->boost[k] + t->floor;
}

static double weight(const struct rt *t, size_t i, size_t j)
{
	return t->pre[j + 1] - t->pre[i];
}

/*
 * Can ranges i..j be one leaf with range m's target as the common one?
 * Returns its cost (and fills holes, heaviest first), or a negative value.
 */
static double leaf_cost(const struct rt *t, size_t i, size_t j, size_t m, uint16_t *holes,
			size_t *nholes)
{
	double common = 0, c = 0;
	size_t h = 0;

	for (size_t k = i; k <= j; k++) {
		if (t->r[k].target == t->r[m].target) {
			common += w_of(t, k);
			continue;
		}
		if (t->r[k].lo != t->r[k].hi || h == RT_MAX_HOLES)
			return -1;
		/* insertion by weight, heaviest first: tested first */
		size_t p = h++;

		while (p > 0 && w_of(t, holes[p - 1]) < w_of(t, k)) {
			holes[p] = holes[p - 1];
			p--;
		}
		holes[p] = (uint16_t)k;
	}
	for (size_t p = 0; p < h; p++)
		c += w_of(t, holes[p]) * (double)(p + 1);
	*nholes = h;
	return c + common * (double)h;
}

/* The best leaf for i..j: returns the common range, or -1. */
static int best_leaf(const struct rt *t, size_t i, size_t j, double *best)
{
	uint16_t holes[RT_MAX_HOLES];
	size_t nh;
	int m = -1;

	if (j - i > (size_t)2 * RT_MAX_HOLES)
		return -1;
	for (size_t k = i; k <= j; k++) {
		bool seen = false;
		double c;

		if (t->r[k].lo == t->r[k].hi && k != i && k != j && j - i > 1)
			continue; /* a single value inside: rather a hole */
		for (size_t q = i; q < k && !seen; q++)
			seen = t->r[q].target == t->r[k].target;
		if (seen)
			continue; /* that common target was tried */
		c = leaf_cost(t, i, j, k, holes, &nh);
		if (c >= 0 && (m < 0 || c < *best)) {
			*best = c;
			m = (int)k;
		}
	}
	return m;
}

static void solve(struct rt *t)
{
	size_t n = t->n;

	for (size_t i = 0; i < n; i++) {
		t->cost[i * n + i] = 0;
		t->cost_t[i * n + i] = 0;
		t->split[i * n + i] = (uint16_t)i;
		t->leaf[i * n + i] = (int16_t)i;
	}
	for (size_t len = 2; len <= n; len++) {
		for (size_t i = 0; i + len <= n; i++) {
			size_t j = i + len - 1, lo = t->split[i * n + j - 1],
			       hi = t->split[(i + 1) * n + j], bk = i;
			float best = INFINITY;
			double lc;
			int m;

			if (lo < i)
				lo = i;
			if (hi > j - 1)
				hi = j - 1;
			if (lo > hi)
				lo = hi;
			const float *left = &t->cost[i * n], *right = &t->cost_t[j * n + 1];

			/* left[k] = cost(i, k), right[k] = cost(k + 1, j): both in a row */
			for (size_t k = lo; k <= hi; k++) {
				float c = left[k] + right[k];

				if (c < best) {
					best = c;
					bk = k;
				}
			}
			best += (float)weight(t, i, j);
			t->split[i * n + j] = (uint16_t)bk;
			/* leaf[] is read only for intervals a leaf can span */
			if (len <= 2 * RT_MAX_HOLES + 1) {
				t->leaf[i * n + j] = -1;
				m = best_leaf(t, i, j, &lc);
				if (m >= 0 && lc < best) {
					best = (float)lc;
					t->leaf[i * n + j] = (int16_t)m;
				}
			}
			t->cost[i * n + j] = best;
			t->cost_t[j * n + i] = best;
		}
	}
}

/* Weight-balanced split of i..j (no DP): where the prefix passes half. */
static size_t balanced_split(const struct rt *t, size_t i, size_t j)
{
	double half = (t->pre[i] + t->pre[j + 1]) / 2;
	size_t lo = i, hi = j - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->pre[mid + 1] < half)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int node_leaf(const struct rt *t, size_t i, size_t j)
{
	if (i == j)
		return (int)i;
	return t->balanced || j - i > (size_t)2 * RT_MAX_HOLES ? -1 : t->leaf[i * t->n + j];
}

static size_t node_split(const struct rt *t, size_t i, size_t j)
{
	return t->balanced ? balanced_split(t, i, j) : t->split[i * t->n + j];
}

/* Instructions of the tree over i..j (its RETs and targets not counted). */
/* NOLINTNEXTLINE(misc-no-recursion): as deep as the tree (RT_DP_MAX ranges at most) */
static size_t tree_size(const struct rt *t, size_t i, size_t j)
{
	int m = node_leaf(t, i, j);
	size_t k;

	if (m >= 0) {
		size_t h = 0;

		/* a lazy target is placed inside: about its extra instructions */
		for (size_t x = i; x <= j; x++)
			h += (t->r[x].target != t->r[m].target) +
			     (EMIT_IS_LAZY(t->r[x].target) ? t->r[x].extra + 1 : 0);
		return h;
	}
	k = node_split(t, i, j);
	return 1 + tree_size(t, i, k) + tree_size(t, k + 1, j);
}

/* NOLINTNEXTLINE(misc-no-recursion): as deep as the tree (RT_DP_MAX ranges at most) */
static unsigned tree_depth(const struct rt *t, size_t i, size_t j)
{
	int m = node_leaf(t, i, j);
	size_t k;
	unsigned a, b;

	if (m >= 0) {
		unsigned holes = 0;

		for (size_t x = i; x <= j; x++)
			holes += t->r[x].target != t->r[m].target;
		return holes;
	}
	k = node_split(t, i, j);
	a = tree_depth(t, i, k);
	b = tree_depth(t, k + 1, j);
	return 1 + (a > b ? a : b);
}

/* NOLINTNEXTLINE(misc-no-recursion): as deep as the tree (RT_DP_MAX ranges at most) */
static emit_target emit_node(struct emit *e, struct rt *t, size_t i, size_t j)
{
	int m = node_leaf(t, i, j);
	emit_target near, far;
	size_t k;
	bool right_near;

	if (m >= 0) {
		uint16_t holes[RT_MAX_HOLES];
		size_t nh = 0;
		emit_target next = place(t->lazy, t->r[m].target);

		if (i == j)
			return next;
		leaf_cost(t, i, j, (size_t)m, holes, &nh);
		for (size_t p = nh; p-- > 0;) {
			emit_target hole = place(t->lazy, t->r[holes[p]].target);

			next = emit_jump(e, SF_BPF_JEQ_K, t->r[holes[p]].lo, hole, next);
		}
		return next;
	}
	k = node_split(t, i, j);
	/* The smaller side right after the jump, so the other stays in reach. */
	right_near = tree_size(t, k + 1, j) <= tree_size(t, i, k);
	if (right_near) {
		far = emit_node(e, t, i, k);
		near = emit_node(e, t, k + 1, j);
		return emit_jump(e, SF_BPF_JGE_K, t->r[k + 1].lo, near, far);
	}
	far = emit_node(e, t, k + 1, j);
	near = emit_node(e, t, i, k);
	return emit_jump(e, SF_BPF_JGE_K, t->r[k + 1].lo, far, near);
}

static size_t merge(struct rt_range *r, size_t n)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		if (m && r[m - 1].target == r[i].target) {
			r[m - 1].hi = r[i].hi;
			r[m - 1].weight += r[i].weight;
		} else {
			r[m++] = r[i];
		}
	}
	return m;
}

static emit_target emit_ranges(struct emit *e, struct rt_range *r, size_t n, unsigned max_cost,
			       const struct rt_lazy *lazy);

/*
 * More ranges than the DP takes: split at the weighted middle until the
 * parts are small enough for it.
 */
/* NOLINTNEXTLINE(misc-no-recursion): halves, log2(ranges / RT_DP_MAX) deep */
static emit_target emit_halves(struct emit *e, struct rt_range *r, size_t n, unsigned max_cost,
			       const struct rt_lazy *lazy)
{
	double total = 0, acc = 0;
	size_t k = 0;
	emit_target left, right;

	for (size_t i = 0; i < n; i++)
		total += r[i].weight + 1e-9;
	while (k + 2 < n && acc + r[k].weight + 1e-9 < total / 2)
		acc += r[k++].weight + 1e-9;
	/* left: r[0..k], right: r[k+1..n) */
	right = emit_ranges(e, r + k + 1, n - k - 1, max_cost, lazy);
	left = emit_ranges(e, r, k + 1, max_cost, lazy);
	return emit_jump(e, SF_BPF_JGE_K, r[k + 1].lo, right, left);
}

emit_target rt_emit(struct emit *e, struct rt_range *r, size_t *np, unsigned max_cost,
		    const struct rt_lazy *lazy)
{
	size_t n = merge(r, *np);

	*np = n;
	return emit_ranges(e, r, n, max_cost, lazy);
}

/* NOLINTNEXTLINE(misc-no-recursion): halves, log2(ranges / RT_DP_MAX) deep */
static emit_target emit_ranges(struct emit *e, struct rt_range *r, size_t n, unsigned max_cost,
			       const struct rt_lazy *lazy)
{
	struct rt t = { .r = r, .lazy = lazy };
	emit_target root;
	double total = 0;

	if (!n) {
		e->failed = true;
		return EMIT_RET(SECCOMP_RET_KILL_PROCESS);
	}
	if (n == 1)
		return place(lazy, r[0].target);
	if (n > RT_DP_MAX)
		return emit_halves(e, r, n, max_cost, lazy);
	t.n = n;
	t.pre = malloc((n + 1) * sizeof(*t.pre));
	t.boost = malloc(n * sizeof(*t.boost));
	t.cost = malloc(n * n * sizeof(*t.cost));
	t.cost_t = malloc(n * n * sizeof(*t.cost_t));
	t.split = malloc(n * n * sizeof(*t.split));
	t.leaf = malloc(n * n * sizeof(*t.leaf));
	t.balanced = !t.cost || !t.cost_t || !t.split || !t.leaf;
	if (!t.pre || !t.boost) {
		e->failed = true;
		root = r[0].target;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		total += r[i].weight;
	/*
	 * A range's depth is about log2(total / weight): one that would break
	 * the cost bound gets 2^(excess + 1) its weight, which pulls it up by
	 * about the excess and a margin.  (No second solve to check: it costs
	 * as much compile time as the first, for trees that already hold.)
	 */
	for (size_t i = 0; i < n; i++) {
		unsigned est = 0;

		/* est = floor(log2(total / weight)), at most 63 */
		double q = r[i].weight > 0 ? total / r[i].weight : 1;

		while (q >= 2 && est < 63) {
			q /= 2;
			est++;
		}
		t.boost[i] = 1;
		/* one more than the excess: the tree then rarely breaks it */
		if (max_cost && r[i].weight >= 1 && est + r[i].extra >= max_cost)
			t.boost[i] =
				(double)(UINT64_C(1) << (est + r[i].extra + 1 - max_cost < 16
								 ? est + r[i].extra + 1 - max_cost
								 : 16));
	}
	/*
	 * Light ranges could sink arbitrarily deep; blending in a share of
	 * the mean weight bounds the depth (about log2(100 n) with 1%), at a
	 * small cost for the heavy ones.
	 */
	for (unsigned round = 0;; round++) {
		double blend = 0.01 * (double)(1u << (3 * round)); /* 1%, 8%, 64%, ... */

		t.floor = blend * total / (double)n + 1e-9;
		t.pre[0] = 0;
		for (size_t i = 0; i < n; i++)
			t.pre[i + 1] = t.pre[i] + w_of(&t, i);
		if (!t.balanced)
			solve(&t);
		if (tree_depth(&t, 0, n - 1) <= RT_MAX_DEPTH || blend > 100)
			break;
	}
	root = emit_node(e, &t, 0, n - 1);
out:
	free(t.boost);
	free(t.pre);
	free(t.cost);
	free(t.cost_t);
	free(t.split);
	free(t.leaf);
	return root;
}
