// SPDX-License-Identifier: MIT
/*
 * The code generator (see codegen.h): rules -> per-ABI number ranges with
 * their actions -> range trees and argument blocks -> one program.
 */
#include "sysfence/compile/codegen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"
#include "sysfence/blob.h"
#include "sysfence/compile/abi.h"
#include "sysfence/compile/block.h"
#include "sysfence/compile/emit.h"
#include "sysfence/compile/rangetree.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/util.h"

#define RET_EACCES (SECCOMP_RET_ERRNO | EACCES)
#define RET_ENOSYS (SECCOMP_RET_ERRNO | ENOSYS)
#define RET_EPERM (SECCOMP_RET_ERRNO | EPERM)

/* The emitter stops here: far past anything the kernel accepts. */
#define EMIT_LIMIT (1u << 20)
/*
 * More distinct rules than this for one syscall cannot fit a program (each
 * costs an instruction at least): reported without compiling them.
 */
#define GROUP_RULES_MAX BPF_MAXINSNS
/*
 * What a short path to a number the policy does not allow is worth,
 * against 1 for an allowed one.  On bench/app.policy 0.1 gives 9.75 /
 * 10.91 instructions per allowed / denied call, 0.15 gives 9.80 / 10.20
 * (issue 9's denied target is 10.5; docs/NOTES.md, "Measured").
 */
#define WEIGHT_DENIED 0.15
/*
 * Comparisons + argument checks an allowed call should stay within, where
 * the tree can: with the prelude (ld arch, jeq, ld nr) and the RET, 14.
 */
#define MAX_TREE_COST 10
/* A block this far away needs a JA; one this short is copied instead. */
#define BLOCK_REACH 240
#define BLOCK_COPY_MAX 6
/* How many syscalls the "too many instructions" error names. */
#define COSTS_NAMED 5

/* The distinct rules for one syscall name, allows before denials. */
struct group {
	const struct policy_rule *const *rules;
	size_t n;
	unsigned note_arches; /* bit i: the multiplexer note was given for arch i */
	size_t cost;	      /* its entry in gen.costs, or SIZE_MAX */
};

/* A group that decides a number: directly, or through a multiplexer. */
struct ref {
	uint32_t nr;
	uint32_t group;
	uint8_t mux; /* enum abi_mux, ABI_MUX_NONE for the direct call */
	uint32_t call;
};

/* Instructions spent on the argument checks of one syscall. */
struct cost {
	const char *name;
	const struct policy_rule *first;
	size_t insns;
	size_t rules;
};

struct mux_notes {
	const struct policy_rule *first;
	unsigned count, muxes;
	char names[96];
};

/* Argument checks of one ABI, placed when the number tree first reaches them. */
struct cached_block {
	uint32_t dflt;
	size_t n;
	struct abi_rule *rules;
	size_t cost; /* index in gen.costs (which may move), or SIZE_MAX */
	bool placed;
	emit_target entry;
	unsigned extra; /* the longest path to ALLOW, less its RET */
};

struct gen {
	const struct policy *pol;
	struct diag_list *d;
	struct emit e;
	uint32_t dflt;
	const struct policy_rule **sorted;
	struct group *groups;
	size_t ngroups;
	struct abi_rule *tmp;
	size_t tmpcap;
	struct cost *costs;
	size_t ncosts, capcosts;
	struct cached_block *cache;
	size_t ncache, capcache;
	unsigned arch_index;
	size_t mux_cost[3]; /* gen.costs entries of socketcall and ipc */
	struct mux_notes mux_notes;
	bool failed;
};

/* ---- the policy's distinct rules, by name ---- */

static int cmp_arg(const struct policy_arg *x, const struct policy_arg *y)
{
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (x->mask != y->mask)
		return x->mask < y->mask ? -1 : 1;
	if (x->neg != y->neg)
		return x->neg < y->neg ? -1 : 1;
	return x->width < y->width ? -1 : x->width > y->width;
}

static int cmp_content(const struct policy_rule *x, const struct policy_rule *y)
{
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->deny != y->deny)
		return x->deny ? 1 : -1;
	if (x->nargs != y->nargs)
		return x->nargs < y->nargs ? -1 : 1;
	for (unsigned i = 0; i < x->nargs; i++)
		if ((c = cmp_arg(&x->args[i], &y->args[i])))
			return c;
	return 0;
}

/* By content, then source line: the first of equal rules is kept. */
static int cmp_rule_ptr(const void *a, const void *b)
{
	const struct policy_rule *x = *(const struct policy_rule *const *)a;
	const struct policy_rule *y = *(const struct policy_rule *const *)b;
	int c = cmp_content(x, y);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int make_groups(struct gen *g)
{
	const struct policy *pol = g->pol;
	size_t n = 0;

	/* An array of pointers: sizeof(*g->sorted) is meant. */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	g->sorted = malloc((pol->count + 1) * sizeof(*g->sorted));
	g->groups = calloc(pol->count + 1, sizeof(*g->groups));
	if (!g->sorted || !g->groups)
		return -1;
	for (size_t i = 0; i < pol->count; i++)
		g->sorted[i] = &pol->rules[i];
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): as above */
	qsort(g->sorted, pol->count, sizeof(*g->sorted), cmp_rule_ptr);
	for (size_t i = 0; i < pol->count; i++)
		if (!n || cmp_content(g->sorted[n - 1], g->sorted[i]))
			g->sorted[n++] = g->sorted[i];
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && !strcmp(g->sorted[j]->name, g->sorted[i]->name))
			j++;
		g->groups[g->ngroups++] = (struct group){ &g->sorted[i], j - i, 0, SIZE_MAX };
		i = j;
	}
	return 0;
}

/* ---- what one number does ---- */

/* The cost entry *slot names (SIZE_MAX: a new one, for name). */
static struct cost *cost_of(struct gen *g, size_t *slot, const char *name,
			    const struct policy_rule *first)
{
	if (*slot != SIZE_MAX)
		return &g->costs[*slot];
	if (ARRAY_GROW(&g->costs, &g->capcosts, g->ncosts + 1))
		return NULL;
	g->costs[g->ncosts] = (struct cost){ name, first, 0, 0 };
	*slot = g->ncosts;
	return &g->costs[g->ncosts++];
}

/* Room for rule n in g->tmp. */
static bool push_rule(struct gen *g, size_t n)
{
	if (ARRAY_GROW(&g->tmp, &g->tmpcap, n + 1)) {
		g->failed = true;
		return false;
	}
	return true;
}

/* Is x earlier in the policy's files than y (file, then line)? */
static bool earlier(const struct policy_rule *x, const struct policy_rule *y)
{
	return x->file != y->file ? x->file < y->file : x->line < y->line;
}

/* A conditional allow that does not allow the multiplexed form: noted once per ABI. */
static void mux_note(struct gen *g, struct group *gr, const struct ref *rf,
		     const struct policy_rule *r)
{
	struct mux_notes *mn = &g->mux_notes;
	size_t len = strlen(mn->names);

	/* The shipped library is written for every architecture: no note for it. */
	if (r->shipped || (gr->note_arches & (1u << g->arch_index)))
		return;
	gr->note_arches |= 1u << g->arch_index;
	/* the note points at the first such line of the file */
	for (size_t i = 0; i < gr->n; i++)
		if (!gr->rules[i]->deny && !gr->rules[i]->shipped && earlier(gr->rules[i], r))
			r = gr->rules[i];
	if (!mn->first || earlier(r, mn->first))
		mn->first = r;
	mn->muxes |= 1u << rf->mux;
	if (mn->count++ < 4)
		snprintf(mn->names + len, sizeof(mn->names) - len, "%s%s", len ? ", " : "",
			 r->name);
	else if (mn->count == 5)
		snprintf(mn->names + len, sizeof(mn->names) - len, ", ...");
}

static void mux_note_flush(struct gen *g, const struct abi *a)
{
	struct mux_notes *mn = &g->mux_notes;

	if (mn->count)
		diag_add_in(
			g->d, DIAG_NOTE, mn->first->file, mn->first->line, mn->first->col,
			"on %s, %s %s also reached through %s, whose arguments no filter can "
			"read: rules with conditions do not allow that form (a program using it "
			"gets the default action)",
			a->name, mn->names, mn->count > 1 ? "are" : "is",
			mn->muxes == (1u << ABI_MUX_SOCKETCALL) ? "socketcall(2)"
			: mn->muxes == (1u << ABI_MUX_IPC)	? "ipc(2)"
								: "socketcall(2) and ipc(2)");
	memset(mn, 0, sizeof(*mn));
}

/* Lowers the rules of refs[0..n) (all for one number) into g->tmp. */
static size_t lower_refs(struct gen *g, const struct abi *a, const struct ref *refs, size_t n)
{
	size_t cnt = 0;

	for (size_t k = 0; k < n && !g->failed; k++) {
		struct group *gr = &g->groups[refs[k].group];
		bool deny = false, allow = false;

		if (refs[k].mux == ABI_MUX_NONE) {
			for (size_t i = 0; i < gr->n; i++) {
				if (!push_rule(g, cnt))
					return 0;
				if (abi_lower(a, gr->rules[i], &g->tmp[cnt]) != ABI_RULE_NEVER)
					cnt++;
			}
			continue;
		}
		/* Through a multiplexer: one denial, one allow, at most. */
		for (size_t i = 0; i < gr->n && !(deny && allow); i++) {
			const struct policy_rule *r = gr->rules[i];

			if (!push_rule(g, cnt))
				return 0;
			if ((r->deny ? deny : allow) ||
			    !abi_lower_mux(a, r, (enum abi_mux)refs[k].mux, refs[k].call,
					   &g->tmp[cnt])) {
				if (!r->deny && !allow)
					mux_note(g, gr, &refs[k], r);
				continue;
			}
			deny |= r->deny;
			allow |= !r->deny;
			cnt++;
		}
	}
	return cnt;
}

static bool same_block(const struct cached_block *c, uint32_t dflt, const struct abi_rule *r,
		       size_t n)
{
	if (c->dflt != dflt || c->n != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (c->rules[i].deny != r[i].deny || c->rules[i].ncond != r[i].ncond ||
		    memcmp(c->rules[i].cond, r[i].cond, r[i].ncond * sizeof(r[i].cond[0])))
			return false;
	}
	return true;
}

/*
 * The argument checks of one number, as a lazy target: shared by equal
 * rule sets of the ABI, placed by place_block() next to the comparison of
 * the number tree that first reaches them (in reach of an 8-bit jump).
 * Their longest path to ALLOW is measured on a scratch copy, for the tree.
 */
static emit_target block_for(struct gen *g, const struct abi *a, size_t n, uint32_t dflt,
			     const struct cost *cost, unsigned *extra)
{
	struct cached_block *c;
	struct emit scratch;
	emit_target t;
	int x;

	for (size_t i = 0; i < g->ncache; i++) {
		if (same_block(&g->cache[i], dflt, g->tmp, n)) {
			*extra = g->cache[i].extra;
			return EMIT_LAZY(i);
		}
	}
	if (ARRAY_GROW(&g->cache, &g->capcache, g->ncache + 1)) {
		g->failed = true;
		return EMIT_RET(dflt);
	}
	c = &g->cache[g->ncache];
	memset(c, 0, sizeof(*c));
	c->rules = malloc(n * sizeof(*c->rules));
	if (!c->rules) {
		g->failed = true;
		return EMIT_RET(dflt);
	}
	memcpy(c->rules, g->tmp, n * sizeof(*c->rules));
	c->dflt = dflt;
	c->n = n;
	c->cost = cost ? (size_t)(cost - g->costs) : SIZE_MAX;
	emit_init(&scratch, EMIT_LIMIT);
	t = block_emit(&scratch, a, c->rules, n, dflt);
	if (!EMIT_IS_RET(t)) {
		size_t at = (size_t)t;

		/* measured as it will run: the final program drops its reloads too */
		emit_drop_reloads(&scratch, &at);
		t = at;
	}
	x = emit_longest_path(&scratch, t, SECCOMP_RET_ALLOW);
	emit_free(&scratch);
	c->extra = x > 0 ? (unsigned)x : 0;
	*extra = c->extra;
	return EMIT_LAZY(g->ncache++);
}

struct placer {
	struct gen *g;
	const struct abi *a;
};

static emit_target place_block(void *ctx, emit_target lazy)
{
	struct placer *p = ctx;
	struct cached_block *c = &p->g->cache[EMIT_LAZY_ID(lazy)];
	size_t before = emit_here(&p->g->e);

	/*
	 * Placed already: shared when still in reach of an 8-bit jump; a
	 * short block is rather placed again than reached through a JA (one
	 * more instruction on every call that takes it).
	 */
	if (c->placed && (before - (size_t)c->entry < BLOCK_REACH || c->extra > BLOCK_COPY_MAX))
		return c->entry;
	c->entry = block_emit(&p->g->e, p->a, c->rules, c->n, c->dflt);
	c->placed = true;
	if (c->cost != SIZE_MAX)
		p->g->costs[c->cost].insns += emit_here(&p->g->e) - before;
	return c->entry;
}

static void clear_cache(struct gen *g)
{
	for (size_t i = 0; i < g->ncache; i++)
		free(g->cache[i].rules);
	g->ncache = 0;
}

/*
 * The target for number nr decided by refs[0..n), and whether it may allow.
 */
static emit_target decide(struct gen *g, const struct abi *a, enum abi_mux mux,
			  const struct ref *refs, size_t n, uint32_t dflt, bool *allows,
			  unsigned *extra)
{
	bool deny_always = false, allow_always = false, cond_deny = false, cond_allow = false;
	size_t total = 0, cnt;
	const struct policy_rule *first = g->groups[refs[0].group].rules[0];
	struct cost *cost;

	*allows = false;
	for (size_t k = 0; k < n; k++)
		if (refs[k].mux == ABI_MUX_NONE)
			total += g->groups[refs[k].group].n;
	/* Named for what a user wrote: the multiplexer, or the call. */
	cost = cost_of(g, mux != ABI_MUX_NONE ? &g->mux_cost[mux] : &g->groups[refs[0].group].cost,
		       mux != ABI_MUX_NONE ? abi_mux_name(mux) : first->name, first);
	if (total > GROUP_RULES_MAX) {
		if (cost) {
			cost->insns += total;
			cost->rules = total;
		}
		return EMIT_RET(dflt);
	}
	/* lower_refs() may move g->tmp: read it after. */
	cnt = lower_refs(g, a, refs, n);
	cnt = block_normalize(g->tmp, cnt);
	if (cost && cnt > cost->rules)
		cost->rules = cnt;
	for (size_t i = 0; i < cnt; i++) {
		bool always = !g->tmp[i].ncond;

		deny_always |= g->tmp[i].deny && always;
		allow_always |= !g->tmp[i].deny && always;
		cond_deny |= g->tmp[i].deny && !always;
		cond_allow |= !g->tmp[i].deny && !always;
	}
	if (deny_always)
		return EMIT_RET(RET_EACCES);
	*allows = allow_always || cond_allow;
	if (!cond_deny && allow_always)
		return EMIT_RET(SECCOMP_RET_ALLOW);
	if (!cond_deny && !cond_allow)
		return EMIT_RET(dflt);
	return block_for(g, a, cnt, dflt, cost, extra);
}

/* ---- one ABI ---- */

static int cmp_ref(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x->group < y->group ? -1 : x->group > y->group;
}

struct ranges {
	struct rt_range *r;
	size_t n, cap;
};

static bool add_range(struct ranges *rs, uint32_t lo, uint32_t hi, emit_target t, double w)
{
	if (ARRAY_GROW(&rs->r, &rs->cap, rs->n + 1))
		return false;
	rs->r[rs->n++] = (struct rt_range){ lo, hi, t, w, 0 };
	return true;
}

/*
 * Unknown numbers: ENOSYS, except the x32 calls on x86_64: killed.  Their
 * weight counts the numbers below `top` (the table's end) only.
 */
static bool add_unknown(struct ranges *rs, const struct abi *a, uint32_t lo, uint32_t hi,
			uint32_t top)
{
	double w = lo < top ? WEIGHT_DENIED * (double)((hi < top ? hi : top - 1) - lo + 1) : 0;
	uint64_t xlo = a->x32_bit, xhi = 2 * (uint64_t)a->x32_bit - 1;

	if (!a->x32_bit || hi < xlo || lo > xhi)
		return add_range(rs, lo, hi, EMIT_RET(RET_ENOSYS), w);
	if (lo < xlo && !add_range(rs, lo, (uint32_t)xlo - 1, EMIT_RET(RET_ENOSYS), w))
		return false;
	if (!add_range(rs, lo > xlo ? lo : (uint32_t)xlo, hi < xhi ? hi : (uint32_t)xhi,
		       EMIT_RET(SECCOMP_RET_KILL_PROCESS), 0))
		return false;
	return hi <= xhi || add_range(rs, (uint32_t)xhi + 1, hi, EMIT_RET(RET_ENOSYS), 0);
}

static emit_target emit_section(struct gen *g, const struct abi *a)
{
	size_t nknown, nunknown, nrefs = 0, caprefs = 0, ri = 0, ui = 0, ki = 0;
	const uint32_t *known = syscalls_numbers(a->token, &nknown);
	const struct syscalls_range *unknown = syscalls_unknown(a->token, &nunknown);
	struct ref *refs = NULL;
	struct ranges rs = { 0 };
	int clone3 = syscalls_nr(a->token, "clone3");
	int muxnr[3] = { -1, abi_mux_nr(a, ABI_MUX_SOCKETCALL), abi_mux_nr(a, ABI_MUX_IPC) };
	uint32_t top;
	emit_target root = EMIT_RET(SECCOMP_RET_KILL_PROCESS);

	if (!known || !unknown || !nknown) {
		g->failed = true;
		return root;
	}
	top = known[nknown - 1] + 1;
	/* Which groups decide which numbers. */
	for (size_t i = 0; i < g->ngroups; i++) {
		const char *name;
		int nr;
		uint32_t call = 0;
		enum abi_mux m;

		if (!g->groups[i].n)
			continue;
		name = g->groups[i].rules[0]->name;
		nr = syscalls_nr(a->token, name);
		m = abi_mux_of(name, &call);
		if (ARRAY_GROW(&refs, &caprefs, nrefs + 2))
			goto oom;
		if (nr >= 0)
			refs[nrefs++] = (struct ref){ (uint32_t)nr, (uint32_t)i, ABI_MUX_NONE, 0 };
		if (m != ABI_MUX_NONE && muxnr[m] >= 0)
			refs[nrefs++] =
				(struct ref){ (uint32_t)muxnr[m], (uint32_t)i, (uint8_t)m, call };
	}
	if (nrefs > 1)
		qsort(refs, nrefs, sizeof(*refs), cmp_ref);

	/* The unknown ranges and the known numbers between them, in order. */
	while (ui < nunknown || ki < nknown) {
		if (ki == nknown || (ui < nunknown && unknown[ui].lo < known[ki])) {
			if (!add_unknown(&rs, a, unknown[ui].lo, unknown[ui].hi, top))
				goto oom;
			ui++;
			continue;
		}
		{
			uint32_t nr = known[ki++];
			uint32_t dflt = (int64_t)nr == clone3 ? RET_ENOSYS : g->dflt;
			size_t first;
			bool allows = false;
			unsigned extra = 0;
			emit_target t;

			while (ri < nrefs && refs[ri].nr < nr)
				ri++;
			first = ri;
			while (ri < nrefs && refs[ri].nr == nr)
				ri++;
			enum abi_mux mux = (int64_t)nr == muxnr[ABI_MUX_SOCKETCALL]
						   ? ABI_MUX_SOCKETCALL
					   : (int64_t)nr == muxnr[ABI_MUX_IPC] ? ABI_MUX_IPC
									       : ABI_MUX_NONE;

			t = ri > first ? decide(g, a, mux, &refs[first], ri - first, dflt, &allows,
						&extra)
				       : EMIT_RET(dflt);
			if (!add_range(&rs, nr, nr, t, allows ? 1.0 : WEIGHT_DENIED))
				goto oom;
			rs.r[rs.n - 1].extra = extra;
		}
	}
	mux_note_flush(g, a);
	if (!g->failed) {
		struct placer pl = { g, a };
		const struct rt_lazy lazy = { place_block, &pl };

		root = rt_emit(&g->e, rs.r, &rs.n, MAX_TREE_COST, &lazy);
		emit_goto(&g->e, root);
		root = emit_load(&g->e, BPF_OFF_NR, UINT32_MAX);
	}
	free(refs);
	free(rs.r);
	return root;
oom:
	g->failed = true;
	free(refs);
	free(rs.r);
	return root;
}

/* ---- the program ---- */

static int cmp_cost(const void *a, const void *b)
{
	const struct cost *x = a, *y = b;

	return x->insns > y->insns ? -1 : x->insns < y->insns;
}

/*
 * The error for a program over BPF_MAXINSNS, naming who is responsible;
 * at_least when len is a bound (the program was not generated to the end).
 */
static void too_many(struct gen *g, size_t len, bool at_least)
{
	char who[512];
	size_t at = 0;

	qsort(g->costs, g->ncosts, sizeof(*g->costs), cmp_cost);
	who[0] = '\0';
	for (size_t i = 0; i < g->ncosts && i < COSTS_NAMED && g->costs[i].insns; i++)
		at += (size_t)snprintf(who + at, sizeof(who) - at, "%s%s (%zu)", i ? ", " : "",
				       g->costs[i].name, g->costs[i].insns);
	diag_add(g->d, DIAG_ERROR, 0, 0,
		 "the program has %s%zu BPF instructions; the kernel accepts at most %d "
		 "(BPF_MAXINSNS)%s%s",
		 at_least ? "more than " : "", len, BPF_MAXINSNS,
		 *who ? "; most are the argument checks of " : "", who);
	for (size_t i = 0; i < g->ncosts && i < COSTS_NAMED && g->costs[i].insns; i++) {
		const struct cost *c = &g->costs[i];

		if (c->rules > GROUP_RULES_MAX)
			diag_add_in(
				g->d, DIAG_NOTE, c->first->file, c->first->line, c->first->col,
				"%zu distinct rules for %s: an instruction each at least, %zu in "
				"all on these architectures",
				c->rules, c->name, c->insns);
		else
			diag_add_in(g->d, DIAG_NOTE, c->first->file, c->first->line, c->first->col,
				    "%zu distinct rules for %s take %zu instructions", c->rules,
				    c->name, c->insns);
	}
}

int codegen_compile(const struct policy *pol, const uint32_t *arches, size_t narches,
		    struct bpf_prog *out, struct diag_list *diags)
{
	struct gen g = { .pol = pol, .d = diags, .mux_cost = { SIZE_MAX, SIZE_MAX, SIZE_MAX } };
	emit_target sections[BLOB_MAX_ARCHES], t;
	char why[128];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (pol->mode == SF_MODE_UNRESTRICTED)
		return 0;
	if (!narches || narches > BLOB_MAX_ARCHES) {
		diag_add(diags, DIAG_ERROR, 0, 0, "between 1 and %u architectures",
			 BLOB_MAX_ARCHES);
		return -1;
	}
	for (size_t i = 0; i < narches; i++) {
		if (!abi_get(arches[i])) {
			diag_add(diags, DIAG_ERROR, 0, 0, "unsupported architecture 0x%08x",
				 arches[i]);
			return -1;
		}
	}
	g.dflt = pol->mode == SF_MODE_COMPLAIN ? SECCOMP_RET_LOG : RET_EPERM;
	emit_init(&g.e, EMIT_LIMIT);
	if (make_groups(&g)) {
		g.failed = true;
		goto out;
	}
	/* Backwards: the last section first, the native one right after the dispatcher. */
	for (size_t i = narches; i-- > 0 && !g.failed;) {
		g.arch_index = (unsigned)i;
		clear_cache(&g);
		sections[i] = emit_section(&g, abi_get(arches[i]));
	}
	t = EMIT_RET(SECCOMP_RET_KILL_PROCESS);
	for (size_t i = narches; i-- > 0 && !g.failed;)
		t = emit_jump(&g.e, SF_BPF_JEQ_K, arches[i], sections[i], t);
	emit_goto(&g.e, t);
	emit_load(&g.e, BPF_OFF_ARCH, UINT32_MAX);
	if (g.failed)
		goto out;
	/*
	 * The argument checks load each word where they test it; where the
	 * word is in A already on every path (two tests of one argument, the
	 * shared tail of two rules) the load goes.
	 */
	emit_drop_reloads(&g.e, NULL);
	for (size_t i = 0; i < g.ncosts; i++) {
		if (g.costs[i].rules > GROUP_RULES_MAX) {
			too_many(&g, BPF_MAXINSNS, true);
			goto out;
		}
	}
	if (g.e.failed || emit_here(&g.e) > BPF_MAXINSNS) {
		too_many(&g, emit_here(&g.e), g.e.failed);
		goto out;
	}
	out->insns = emit_finish(&g.e, &out->len);
	if (!out->insns) {
		g.failed = true;
		goto out;
	}
	if (bpf_check(out->insns, out->len, why, sizeof(why))) {
		diag_add(diags, DIAG_ERROR, 0, 0,
			 "internal error: the generated program fails the check: %s", why);
		goto out;
	}
	rc = 0;
out:
	if (g.failed && !diags->errors)
		diag_add(diags, DIAG_ERROR, 0, 0, "cannot build the program: %s", strerror(ENOMEM));
	if (rc) {
		free(out->insns);
		memset(out, 0, sizeof(*out));
	}
	emit_free(&g.e);
	clear_cache(&g);
	free(g.cache);
	free(g.tmp);
	free(g.costs);
	free(g.sorted);
	free(g.groups);
	return rc;
}
