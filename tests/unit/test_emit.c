// SPDX-License-Identifier: MIT
/*
 * Unit tests for the backward BPF writer's load pruning
 * (emit_drop_reloads() in src/compile/emit.c) and the range tree's cost
 * bound (rt_emit() in src/compile/rangetree.c).  A load goes only where
 * every path into it leaves that word, so masked, in A.  Hand-written
 * programs pin the cases (a reload dropped, a reload kept because one
 * path brings another word, masks wider and narrower), a generated policy
 * shows the compiler uses it, and random programs with long jumps are run
 * before and after on the simulator: every decision must stay.  The cost
 * bound pulls up the one range that needs it.
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/compile/compile.h"
#include "sysfence/compile/emit.h"
#include "sysfence/compile/rangetree.h"

#define ALLOW SECCOMP_RET_ALLOW
#define DENY (SECCOMP_RET_ERRNO | EPERM)
#define ARG0 BPF_OFF_ARGS
#define ARG1 (BPF_OFF_ARGS + 8)

struct prog {
	struct sock_filter *p;
	uint32_t len;
};

/* The program as it is now, in execution order (the emitter keeps it). */
static struct prog snapshot(const struct emit *e)
{
	struct prog r = { calloc(e->n, sizeof(struct sock_filter)), (uint32_t)e->n };

	assert_non_null(r.p);
	for (size_t i = 0; i < e->n; i++)
		r.p[i] = e->rev[e->n - 1 - i];
	return r;
}

static struct prog finish(struct emit *e)
{
	struct prog r;
	char why[128];

	r.p = emit_finish(e, &r.len);
	assert_non_null(r.p);
	if (bpf_check(r.p, r.len, why, sizeof(why)))
		fail_msg("the program fails bpf_check: %s", why);
	return r;
}

static uint32_t run(const struct prog *p, uint32_t nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = AUDIT_ARCH_X86_64 };

	d.args[0] = a0;
	d.args[1] = a1;
	return bpf_run(p->p, p->len, &d, NULL);
}

static unsigned count_code(const struct prog *p, uint16_t code, uint32_t k)
{
	unsigned c = 0;

	for (uint32_t i = 0; i < p->len; i++)
		c += p->p[i].code == code && p->p[i].k == k;
	return c;
}

/* Both programs decide every probe alike. */
static void same_decisions(const struct prog *x, const struct prog *y, const uint32_t *vals,
			   size_t nvals)
{
	for (size_t i = 0; i < nvals; i++)
		for (size_t j = 0; j < nvals; j++)
			for (size_t k = 0; k < nvals; k++)
				assert_int_equal(run(x, vals[i], vals[j], vals[k]),
						 run(y, vals[i], vals[j], vals[k]));
}

/*
 * ld arch; ld arg0; jeq #3, ALLOW, L; L: ld arg0; jset #128, ALLOW, DENY
 * (`close 3` / `close |0x80`): L's only way in has arg0 in A.
 */
static void test_reload_dropped(void **state)
{
	struct emit e;
	emit_target second;
	size_t entry;
	struct prog before, after;
	static const uint32_t vals[] = { 0, 3, 128, 131, 7 };

	(void)state;
	emit_init(&e, 1000);
	emit_jump(&e, SF_BPF_JSET_K, 128, EMIT_RET(ALLOW), EMIT_RET(DENY));
	second = emit_load(&e, ARG0, UINT32_MAX);
	emit_jump(&e, SF_BPF_JEQ_K, 3, EMIT_RET(ALLOW), second);
	emit_load(&e, ARG0, UINT32_MAX);
	entry = emit_load(&e, BPF_OFF_ARCH, UINT32_MAX);
	before = snapshot(&e);
	assert_int_equal(emit_drop_reloads(&e, &entry), 1);
	assert_int_equal(entry, e.n - 1);
	after = finish(&e);
	assert_int_equal(after.len, before.len - 1);
	assert_int_equal(count_code(&after, SF_BPF_LD_ABS, ARG0), 1);
	same_decisions(&before, &after, vals, 5);
	free(before.p);
	free(after.p);
}

/*
 * ld nr; jeq #5, L1, L2; L1: ld arg0; jeq #3, ALLOW, L2; L2: ld arg0; ...
 * L2 is reached with the number in A from the first jump and with arg0
 * from L1: its load stays.  The load at L1 stays too (A holds the number).
 */
static void test_reload_kept_when_paths_disagree(void **state)
{
	struct emit e;
	emit_target l1, l2;
	struct prog before, after;
	static const uint32_t vals[] = { 0, 3, 5, 128, 133 };

	(void)state;
	emit_init(&e, 1000);
	emit_jump(&e, SF_BPF_JSET_K, 128, EMIT_RET(ALLOW), EMIT_RET(DENY));
	l2 = emit_load(&e, ARG0, UINT32_MAX);
	emit_jump(&e, SF_BPF_JEQ_K, 3, EMIT_RET(ALLOW), l2);
	l1 = emit_load(&e, ARG0, UINT32_MAX);
	emit_jump(&e, SF_BPF_JEQ_K, 5, l1, l2);
	emit_load(&e, BPF_OFF_NR, UINT32_MAX);
	emit_load(&e, BPF_OFF_ARCH, UINT32_MAX);
	before = snapshot(&e);
	assert_int_equal(emit_drop_reloads(&e, NULL), 0);
	after = finish(&e);
	assert_int_equal(count_code(&after, SF_BPF_LD_ABS, ARG0), 2);
	same_decisions(&before, &after, vals, 5);
	free(before.p);
	free(after.p);
}

/*
 * Masks: a reload under the same mask goes with its AND; under a
 * narrower one the load goes and the AND stays; a full-width load after a
 * masked one stays (A lacks the high bits).
 */
static void test_masked_reloads(void **state)
{
	struct emit e;
	emit_target t;
	struct prog before, after;
	static const uint32_t vals[] = { 0, 1, 2, 0x10001, 0x101, 0x10002 };

	(void)state;
	emit_init(&e, 1000);
	/* ld arg1 (full): kept, A holds arg1 & 0xff */
	emit_jump(&e, SF_BPF_JEQ_K, 0x10002, EMIT_RET(ALLOW), EMIT_RET(DENY));
	t = emit_load(&e, ARG1, UINT32_MAX);
	/* ld arg1; and #0xff after arg1 & 0xffff: the load goes */
	emit_jump(&e, SF_BPF_JEQ_K, 1, EMIT_RET(ALLOW), t);
	t = emit_load(&e, ARG1, 0xff);
	/* ld arg1; and #0xffff again: both go */
	emit_jump(&e, SF_BPF_JEQ_K, 2, EMIT_RET(ALLOW), t);
	t = emit_load(&e, ARG1, 0xffff);
	emit_jump(&e, SF_BPF_JEQ_K, 1, EMIT_RET(ALLOW), t);
	emit_load(&e, ARG1, 0xffff);
	emit_load(&e, BPF_OFF_ARCH, UINT32_MAX);
	before = snapshot(&e);
	assert_int_equal(emit_drop_reloads(&e, NULL), 3);
	after = finish(&e);
	assert_int_equal(count_code(&after, SF_BPF_LD_ABS, ARG1), 2);
	assert_int_equal(count_code(&after, SF_BPF_AND_K, 0xffff), 1);
	assert_int_equal(count_code(&after, SF_BPF_AND_K, 0xff), 1);
	same_decisions(&before, &after, vals, 6);
	free(before.p);
	free(after.p);
}

/* The compiler loads an argument once for two tests of it. */
static void test_compiled_policy_loads_once(void **state)
{
	static const char src[] = "close 3\nclose |0x80\n";
	struct compile_opts o = { .narches = 1, .arches = { AUDIT_ARCH_X86_64 } };
	struct diag_list d;
	struct blob b;
	struct prog p;

	(void)state;
	diag_init(&d, 0);
	assert_int_equal(compile_policy(src, strlen(src), &o, &b, &d), 0);
	p = (struct prog){ b.allow.insns, b.allow.len };
	assert_int_equal(count_code(&p, SF_BPF_LD_ABS, ARG0), 1);
	assert_int_equal(run(&p, 3, 3, 0), ALLOW);
	assert_int_equal(run(&p, 3, 0x80, 0), ALLOW);
	assert_int_equal(run(&p, 3, 4, 0), DENY);
	blob_free(&b);
	diag_free(&d);
}

/* ---- random programs ---- */

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static emit_target pick(uint32_t *s, const emit_target *labels, size_t n)
{
	static const uint32_t actions[] = { ALLOW, DENY, SECCOMP_RET_KILL_PROCESS };

	if (!n || rnd(s) % 4 == 0)
		return EMIT_RET(actions[rnd(s) % 3]);
	/* mostly near, sometimes far: long jumps need trampolines */
	if (rnd(s) % 8)
		return labels[n - 1 - rnd(s) % (n < 6 ? n : 6)];
	return labels[rnd(s) % n];
}

/*
 * Programs of loads of three words under three masks and jumps between
 * them, some over 255 instructions long: every probe decides alike before
 * and after, and the pass finds loads to drop.
 */
static void test_random_programs(void **state)
{
	static const uint32_t offs[] = { BPF_OFF_NR, ARG0, ARG1 };
	static const uint32_t masks[] = { UINT32_MAX, UINT32_MAX, 0xffff, 0xff };
	static const uint32_t vals[] = { 0, 1, 2, 0x100, 0x10001, 0xffff };
	static const uint16_t jumps[] = { SF_BPF_JEQ_K, SF_BPF_JGE_K, SF_BPF_JGT_K, SF_BPF_JSET_K };
	size_t dropped = 0;
	uint32_t s = 1;

	(void)state;
	for (int trial = 0; trial < 300; trial++) {
		size_t len = 8 + rnd(&s) % (trial % 10 ? 60 : 700), n = 0;
		emit_target *labels = calloc(len, sizeof(*labels));
		struct emit e;
		struct prog before, after;

		assert_non_null(labels);
		emit_init(&e, 100000);
		for (size_t i = 0; i < len; i++) {
			if (n && rnd(&s) % 2) {
				emit_goto(&e, labels[n - 1]);
				labels[n++] = emit_load(&e, offs[rnd(&s) % 3], masks[rnd(&s) % 4]);
				continue;
			}
			labels[n] = emit_jump(&e, jumps[rnd(&s) % 4], vals[rnd(&s) % 6],
					      pick(&s, labels, n), pick(&s, labels, n));
			n++;
		}
		emit_goto(&e, labels[n - 1]);
		emit_load(&e, BPF_OFF_ARCH, UINT32_MAX);
		before = snapshot(&e);
		dropped += emit_drop_reloads(&e, NULL);
		after = finish(&e);
		same_decisions(&before, &after, vals, 6);
		free(before.p);
		free(after.p);
		free(labels);
	}
	assert_true(dropped > 100);
}

/* ---- the range tree's cost bound ---- */

#define NRANGES 64

/*
 * A tree over NRANGES numbers, each with its own action (nothing merges),
 * number `slow` with `extra` instructions after the tree (every number
 * steps[nr] receives what nr runs: ld, comparisons,
 * RET.
 */
static void bounded_tree(unsigned slow, unsigned extra, unsigned max_cost, unsigned *steps)
{
	struct rt_range r[NRANGES];
	struct emit e;
	struct prog p;
	size_t n = NRANGES;

	for (unsigned i = 0; i < NRANGES; i++)
		r[i] = (struct rt_range){ i, i == NRANGES - 1 ? UINT32_MAX : i,
					  EMIT_RET(SECCOMP_RET_ERRNO | (i + 1)), 1.0,
					  i == slow ? extra : 0 };
	emit_init(&e, 100000);
	emit_goto(&e, rt_emit(&e, r, &n, max_cost, NULL));
	emit_load(&e, BPF_OFF_NR, UINT32_MAX);
	p.p = emit_finish(&e, &p.len);
	assert_non_null(p.p);
	for (uint32_t nr = 0; nr < NRANGES; nr++) {
		struct seccomp_data d = { .nr = (int)nr };

		assert_int_equal(bpf_run(p.p, p.len, &d, &steps[nr]), SECCOMP_RET_ERRNO | (nr + 1));
	}
	free(p.p);
}

/*
 * 64 equal numbers: 6 comparisons each for the weights alone.  One with 7
 * instructions after the tree must come within 10 (3 comparisons at
 * most), and the others pay little for it.
 */
static void test_cost_bound_pulls_one_range(void **state)
{
	unsigned steps[NRANGES], sum = 0;

	(void)state;
	bounded_tree(40, 7, 10, steps);
	assert_true(steps[40] - 2 + 7 <= 10);
	for (unsigned i = 0; i < NRANGES; i++)
		sum += steps[i] - 2;
	/* the weights alone: 6.0 on average; pulling one range up costs a little */
	assert_true(sum <= NRANGES * 6 + NRANGES / 4);
	bounded_tree(40, 7, 0, steps);
	assert_true(steps[40] - 2 + 7 > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reload_dropped),
		cmocka_unit_test(test_reload_kept_when_paths_disagree),
		cmocka_unit_test(test_masked_reloads),
		cmocka_unit_test(test_compiled_policy_loads_once),
		cmocka_unit_test(test_random_programs),
		cmocka_unit_test(test_cost_bound_pulls_one_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
