// SPDX-License-Identifier: MIT
/*
 * Rules -> BPF, with libseccomp dispatching on the syscall number.  With
 * syscalls.c (the tables) the only files that include <seccomp.h>.
 *
 * Each architecture is compiled in its own libseccomp context (binary-tree
 * optimisation on), and the per-architecture programs are put together
 * behind a small dispatcher on seccomp_data.arch:
 *
 *     ld  [arch]
 *     jeq ARCH0 -> section 0          (native: two instructions)
 *     jeq ARCH1 -> ja section 1 ...
 *     ret KILL_PROCESS                (any other architecture)
 *   section i: libseccomp's program for ARCHi without its own arch check,
 *     its default-action RETs turned into jumps to
 *   handler i: ld [nr]; numbers this compiler does not know -> ERRNO(ENOSYS),
 *     everything else -> the mode's default (ERRNO(EPERM) or LOG).
 *
 * Why not let libseccomp return the default directly: libc falls back from a
 * call newer than the policy only on ENOSYS, and libseccomp has no notion of
 * "unknown number".  Why sentinels (TRACE values) instead of LOG and
 * KILL_PROCESS inside libseccomp: libseccomp refuses actions the *build*
 * kernel lacks, but a blob is compiled offline for another kernel; the
 * sentinels are rewritten below and the launcher adapts to its kernel.
 */
#include "sysfence/compile/backend.h"

#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sysfence/blob.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/util.h"

#define SENTINEL_DEFAULT SCMP_ACT_TRACE(0x5f1)
#define SENTINEL_BADARCH SCMP_ACT_TRACE(0x5f2)

/* ---- argument checks: emitted here, not by libseccomp ---- */

/*
 * Why not libseccomp's argument comparisons: (1) it compares all 64 bits,
 * and an argument the kernel reads as int must be judged on its low 32 bits
 * only (CVE-2019-7303); (2) libseccomp 2.5.4, the version Debian 12 ships,
 * merges range comparisons of several rules on one syscall incorrectly and
 * can produce a filter weaker than the rules (GHSA-4q85-33p6-j5g6, fixed in
 * 2.6.1; tests/helpers/sf-diffcheck found it here).  So libseccomp only
 * dispatches on the syscall number; a syscall with argument rules gets a
 * sentinel action there, replaced by a jump to a block emitted below: each
 * rule in turn, each condition a few loads and compares, the first rule
 * that matches decides.  Straight-line code that the simulator, the kernel
 * tests and sf-diffcheck check against the policy's meaning.
 */

/* Offset of one 32-bit half of argument i (args are u64 in native order). */
static uint32_t arg_off(const struct syscalls_arch *a, unsigned i, bool high)
{
	return BPF_OFF_ARGS + 8 * i + (high != a->big_endian ? 4 : 0);
}

enum cond_kind {
	COND_NEVER,
	COND_ALWAYS,
	COND_TEST
};

/*
 * On x86, arm and s390 the plain names chown, setuid, ... are the old
 * 16-bit-id calls (the kernel truncates: uid 0x10000 would become root);
 * the 32-bit ones are chown32, setuid32, ...  Bitmask of id arguments.
 */
static unsigned uid16_args(const struct syscalls_arch *a, const char *name)
{
	static const struct {
		const char *name;
		unsigned args;
	} calls[] = {
		{ "chown", 6 },	    { "fchown", 6 },   { "lchown", 6 },	  { "setfsgid", 1 },
		{ "setfsuid", 1 },  { "setgid", 1 },   { "setregid", 3 }, { "setresgid", 7 },
		{ "setresuid", 7 }, { "setreuid", 3 }, { "setuid", 1 },
	};

	if (!a->uid16)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++)
		if (!strcmp(calls[i].name, name))
			return calls[i].args;
	return 0;
}

struct cond {
	unsigned arg;
	enum policy_op op;
	unsigned width; /* bits compared: 16, 32 or 64 */
	uint64_t value, mask;
};

/*
 * Reduces a condition to what it means on this architecture.  On a 32-bit
 * ABI an argument has no upper half (it is zero in seccomp_data), so a
 * value above 32 bits is decided here: "== 2^32" never holds, "!= 2^32"
 * always does.
 */
static enum cond_kind cond_prepare(const struct policy_arg *pa, unsigned argno, const char *name,
				   const struct syscalls_arch *a, struct cond *c)
{
	unsigned width = pa->width ? pa->width : 64;
	unsigned ew = a->is32 && width > 32 ? 32 : width;
	uint64_t d, v = pa->value;

	if (uid16_args(a, name) & (1u << argno)) {
		ew = 16;
		if (v >= 0xffff0000u && v <= 0xffffffffu)
			v &= 0xffff; /* -1 ("unchanged") and friends, as 16 bits */
	}
	d = ew >= 64 ? UINT64_MAX : (UINT64_C(1) << ew) - 1;

	*c = (struct cond){ argno, pa->op, ew, v, 0 };
	switch (pa->op) {
	case POLICY_OP_ANY:
		return COND_ALWAYS;
	case POLICY_OP_MASKED:
		c->mask = pa->mask & d;
		if (v & ~c->mask)
			return COND_NEVER;
		return c->mask ? COND_TEST : COND_ALWAYS;
	case POLICY_OP_EQ:
		return v > d ? COND_NEVER : COND_TEST;
	case POLICY_OP_NE:
		return v > d ? COND_ALWAYS : COND_TEST;
	case POLICY_OP_GT:
		return v >= d ? COND_NEVER : COND_TEST;
	case POLICY_OP_GE:
		return v > d ? COND_NEVER : v == 0 ? COND_ALWAYS : COND_TEST;
	case POLICY_OP_LT:
		return v == 0 ? COND_NEVER : v > d ? COND_ALWAYS : COND_TEST;
	case POLICY_OP_LE:
		return v >= d ? COND_ALWAYS : COND_TEST;
	}
	return COND_NEVER;
}

/*
 * Jump targets while a rule is emitted, kept in jt/jf as markers and
 * resolved when the condition (TO_PASS) or the rule (TO_FAIL) is complete.
 * A rule is at most 49 instructions, so real offsets never reach them.
 */
#define TO_NEXT 0
#define TO_PASS 0xfe
#define TO_FAIL 0xff

struct rule_code {
	struct sock_filter in[POLICY_MAX_ARGS * 8 + 1];
	size_t n, cond_start;
};

static void put(struct rule_code *rc, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	rc->in[rc->n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

static void put_load(struct rule_code *rc, uint32_t off)
{
	put(rc, BPF_LD | BPF_W | BPF_ABS, off, TO_NEXT, TO_NEXT);
}

/* Condition `word op k` on the loaded 32-bit word, unsigned. */
static void put_compare(struct rule_code *rc, enum policy_op op, uint32_t k)
{
	const uint16_t J = BPF_JMP | BPF_K;

	switch (op) {
	case POLICY_OP_EQ:
	case POLICY_OP_MASKED:
		put(rc, J | BPF_JEQ, k, TO_PASS, TO_FAIL);
		break;
	case POLICY_OP_NE:
		put(rc, J | BPF_JEQ, k, TO_FAIL, TO_PASS);
		break;
	case POLICY_OP_GT:
		put(rc, J | BPF_JGT, k, TO_PASS, TO_FAIL);
		break;
	case POLICY_OP_GE:
		put(rc, J | BPF_JGE, k, TO_PASS, TO_FAIL);
		break;
	case POLICY_OP_LT:
		put(rc, J | BPF_JGE, k, TO_FAIL, TO_PASS);
		break;
	case POLICY_OP_LE:
		put(rc, J | BPF_JGT, k, TO_FAIL, TO_PASS);
		break;
	case POLICY_OP_ANY:
		break;
	}
}

static void put_cond(struct rule_code *rc, const struct syscalls_arch *a, const struct cond *c)
{
	const uint16_t J = BPF_JMP | BPF_K, AND = BPF_ALU | BPF_AND | BPF_K;
	uint32_t vh = (uint32_t)(c->value >> 32), vl = (uint32_t)c->value;
	uint32_t lo = arg_off(a, c->arg, false), hi = arg_off(a, c->arg, true);

	rc->cond_start = rc->n;
	if (c->width <= 32) {
		/* The kernel reads only these bits: the upper half never counts. */
		uint32_t m = c->op == POLICY_OP_MASKED ? (uint32_t)c->mask
			     : c->width < 32	       ? (uint32_t)((UINT64_C(1) << c->width) - 1)
						       : UINT32_MAX;

		put_load(rc, lo);
		if (m != UINT32_MAX)
			put(rc, AND, m, TO_NEXT, TO_NEXT);
		put_compare(rc, c->op, vl);
		return;
	}
	switch (c->op) {
	case POLICY_OP_EQ:
		put_load(rc, hi);
		put(rc, J | BPF_JEQ, vh, TO_NEXT, TO_FAIL);
		put_load(rc, lo);
		put(rc, J | BPF_JEQ, vl, TO_PASS, TO_FAIL);
		break;
	case POLICY_OP_NE:
		put_load(rc, hi);
		put(rc, J | BPF_JEQ, vh, TO_NEXT, TO_PASS);
		put_load(rc, lo);
		put(rc, J | BPF_JEQ, vl, TO_FAIL, TO_PASS);
		break;
	case POLICY_OP_GT:
	case POLICY_OP_GE:
		/* hi > vh: holds; hi == vh: the low half decides; else fails */
		put_load(rc, hi);
		put(rc, J | BPF_JGT, vh, TO_PASS, TO_NEXT);
		put(rc, J | BPF_JEQ, vh, TO_NEXT, TO_FAIL);
		put_load(rc, lo);
		put_compare(rc, c->op, vl);
		break;
	case POLICY_OP_LT:
	case POLICY_OP_LE:
		/* hi < vh: holds; hi == vh: the low half decides; else fails */
		put_load(rc, hi);
		put(rc, J | BPF_JGE, vh, TO_NEXT, TO_PASS);
		put(rc, J | BPF_JEQ, vh, TO_NEXT, TO_FAIL);
		put_load(rc, lo);
		put_compare(rc, c->op, vl);
		break;
	case POLICY_OP_MASKED: {
		uint32_t mh = (uint32_t)(c->mask >> 32), ml = (uint32_t)c->mask;

		if (mh) {
			put_load(rc, hi);
			if (mh != UINT32_MAX)
				put(rc, AND, mh, TO_NEXT, TO_NEXT);
			put(rc, J | BPF_JEQ, vh, TO_NEXT, TO_FAIL);
		}
		if (ml) {
			put_load(rc, lo);
			if (ml != UINT32_MAX)
				put(rc, AND, ml, TO_NEXT, TO_NEXT);
			put(rc, J | BPF_JEQ, vl, TO_NEXT, TO_FAIL);
		}
		break;
	}
	case POLICY_OP_ANY:
		break;
	}
}

/* Resolves the markers `kind` to jumps to the instruction at `target`. */
static void resolve(struct rule_code *rc, size_t from, uint8_t kind, size_t target)
{
	for (size_t i = from; i < rc->n; i++) {
		struct sock_filter *in = &rc->in[i];

		if (BPF_CLASS(in->code) != BPF_JMP || BPF_OP(in->code) == BPF_JA)
			continue;
		if (in->jt == kind)
			in->jt = (uint8_t)(target - i - 1);
		if (in->jf == kind)
			in->jf = (uint8_t)(target - i - 1);
	}
}

enum rule_kind {
	RULE_NEVER,
	RULE_UNCONDITIONAL,
	RULE_CONDITIONAL
};

static enum rule_kind rule_classify(const struct policy_rule *r, const struct syscalls_arch *a)
{
	enum rule_kind k = RULE_UNCONDITIONAL;

	for (unsigned i = 0; i < r->nargs; i++) {
		struct cond c;

		switch (cond_prepare(&r->args[i], i, r->name, a, &c)) {
		case COND_NEVER:
			return RULE_NEVER;
		case COND_TEST:
			k = RULE_CONDITIONAL;
			break;
		case COND_ALWAYS:
			break;
		}
	}
	return k;
}

/* ---- building one architecture's program ---- */

struct section {
	struct sock_filter *insns;
	size_t len, cap;
};

static int sec_push(struct section *s, struct sock_filter insn)
{
	if (s->len == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 256;
		struct sock_filter *n = realloc(s->insns, ncap * sizeof(*n));

		if (!n)
			return -1;
		s->insns = n;
		s->cap = ncap;
	}
	s->insns[s->len++] = insn;
	return 0;
}

/* One rule: its conditions, then RET action; no match falls through. */
static int emit_rule(struct section *blk, const struct policy_rule *r,
		     const struct syscalls_arch *a, uint32_t action)
{
	struct rule_code rc = { .n = 0 };

	for (unsigned i = 0; i < r->nargs; i++) {
		struct cond c;

		if (cond_prepare(&r->args[i], i, r->name, a, &c) != COND_TEST)
			continue; /* COND_NEVER rules never get here */
		put_cond(&rc, a, &c);
		resolve(&rc, rc.cond_start, TO_PASS, rc.n);
	}
	put(&rc, BPF_RET | BPF_K, action, TO_NEXT, TO_NEXT);
	resolve(&rc, 0, TO_FAIL, rc.n);
	for (size_t i = 0; i < rc.n; i++)
		if (sec_push(blk, rc.in[i]))
			return -1;
	return 0;
}

struct build {
	const struct policy *pol;
	struct diag_list *diags;
	const struct syscalls_arch *arch;
	bool deny; /* building the deny program */
	uint32_t default_action;
	struct section blocks; /* argument blocks, appended after the body */
	size_t *block_start;   /* by sentinel id */
	size_t nblocks, capblocks;
};

#define SENTINEL_BLOCK(id) SCMP_ACT_TRACE(id)
/* Argument checks past which building stops (8 x BPF_MAXINSNS: 256 KiB). */
enum {
	BLOCKS_GIVE_UP = 8 * BPF_MAXINSNS
};
#define SENTINEL_BLOCK_MAX 0xff00u

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter)BPF_STMT(code, k);
}

static struct sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	return (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

static int cmp_arg(const struct policy_arg *x, const struct policy_arg *y)
{
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (x->mask != y->mask)
		return x->mask < y->mask ? -1 : 1;
	return x->width < y->width ? -1 : x->width > y->width;
}

/* Orders rules by name, allow before deny, then content: groups and dups. */
static int cmp_rule(const void *pa, const void *pb)
{
	const struct policy_rule *x = *(const struct policy_rule *const *)pa;
	const struct policy_rule *y = *(const struct policy_rule *const *)pb;
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
	return x->line < y->line ? -1 : x->line > y->line;
}

static bool same_rule(const struct policy_rule *x, const struct policy_rule *y)
{
	if (x->deny != y->deny || x->nargs != y->nargs)
		return false;
	for (unsigned i = 0; i < x->nargs; i++)
		if (cmp_arg(&x->args[i], &y->args[i]))
			return false;
	return true;
}

/* Rules of one syscall that share an action, in decreasing priority. */
struct part {
	struct policy_rule **rules;
	size_t n;
	uint32_t action;
};

static bool part_has(const struct build *b, const struct part *p, enum rule_kind kind)
{
	for (size_t i = 0; i < p->n; i++)
		if (rule_classify(p->rules[i], b->arch) == kind)
			return true;
	return false;
}

/*
 * One syscall: the first rule that matches decides, parts in order, then
 * `fallthrough`.  Without an argument check before it, an unconditional
 * rule is a plain libseccomp rule (decidable from the number alone, so the
 * kernel's action cache can skip the filter); otherwise a block of checks
 * behind a sentinel.  Nothing when no rule can match on this arch.
 */
static int add_group(struct build *b, scmp_filter_ctx ctx, int nr, const struct part *parts,
		     size_t nparts, uint32_t fallthrough)
{
	bool conditional = false;
	size_t id, cut = nparts;

	for (size_t p = 0; p < nparts; p++) {
		if (part_has(b, &parts[p], RULE_UNCONDITIONAL)) {
			if (!conditional)
				return seccomp_rule_add_exact(ctx, parts[p].action, nr, 0);
			cut = p; /* later parts can never decide */
			break;
		}
		conditional |= part_has(b, &parts[p], RULE_CONDITIONAL);
	}
	if (!conditional)
		return 0;
	if (b->nblocks + 1 >= SENTINEL_BLOCK_MAX)
		return -E2BIG;
	if (b->nblocks + 2 > b->capblocks) {
		size_t ncap = b->capblocks ? b->capblocks * 2 : 64;
		size_t *nb = realloc(b->block_start, ncap * sizeof(*nb));

		if (!nb)
			return -ENOMEM;
		b->block_start = nb;
		b->capblocks = ncap;
	}
	id = ++b->nblocks;
	b->block_start[id] = b->blocks.len;
	for (size_t p = 0; p < nparts && p <= cut; p++) {
		const struct part *pt = &parts[p];

		if (p == cut) {
			fallthrough = pt->action;
			break;
		}
		for (size_t i = 0; i < pt->n; i++) {
			if (i && same_rule(pt->rules[i - 1], pt->rules[i]))
				continue;
			if (rule_classify(pt->rules[i], b->arch) == RULE_CONDITIONAL &&
			    emit_rule(&b->blocks, pt->rules[i], b->arch, pt->action))
				return -ENOMEM;
			/*
			 * Refused anyway: memory must not grow with 10^6 rules
			 * (issue 15); short of this, the error gives the count.
			 */
			if (b->blocks.len > BLOCKS_GIVE_UP)
				return -E2BIG;
		}
	}
	if (sec_push(&b->blocks, stmt(BPF_RET | BPF_K, fallthrough)))
		return -ENOMEM;
	return seccomp_rule_add_exact(ctx, SENTINEL_BLOCK(id), nr, 0);
}

/*
 * On x86, s390 and ppc, libc may reach the socket and SysV IPC calls
 * through the socketcall(2) and ipc(2) multiplexers, whose first argument
 * names the call and whose other arguments sit in memory, out of a
 * filter's reach.  So:
 *  - a rule that allows, say, socket with no condition also allows
 *    socketcall(SYS_SOCKET, ...): the same call, nothing to check;
 *  - a rule that allows socket only for some arguments does not: they
 *    cannot be checked there (libseccomp 2.5 would allow socketcall with
 *    any arguments for it, a way around the condition);
 *  - an explicit denial of socket, with or without conditions, also denies
 *    socketcall(SYS_SOCKET, ...) as a whole: a denial must not be escaped.
 * The rule naming the multiplexer itself (socketcall, ipc) still applies.
 * Returns true and fills *out when rule r implies one for the multiplexer.
 */
static bool multiplexed_rule(const struct build *b, const struct policy_rule *r,
			     struct policy_rule *out, struct policy_arg *out_arg)
{
	int pseudo = syscalls_multiplexed_pseudo(b->arch->token, r->name);
	const char *mux;
	int call;

	/* libseccomp numbers them -100 - SYS_xxx and -200 - IPC call. */
	if (pseudo <= -101 && pseudo >= -199) {
		mux = "socketcall";
		call = -100 - pseudo;
	} else if (pseudo <= -201 && pseudo >= -299) {
		mux = "ipc";
		call = -200 - pseudo;
	} else {
		return false;
	}
	if (syscalls_nr(b->arch->token, mux) < 0 ||
	    (!r->deny && rule_classify(r, b->arch) != RULE_UNCONDITIONAL))
		return false;
	*out_arg = (struct policy_arg){
		.op = POLICY_OP_EQ, .value = (uint64_t)call, .width = 32, .col = r->col
	};
	*out = (struct policy_rule){ .name = mux,
				     .args = out_arg,
				     .line = r->line,
				     .col = r->col,
				     .nargs = 1,
				     .deny = r->deny };
	return true;
}

/* Adds every rule for this arch; returns 0 or a negative errno. */
static int add_rules(struct build *b, scmp_filter_ctx ctx)
{
	const struct policy *pol = b->pol;
	/* An array of pointers: sizeof(*sorted) is meant (a false positive). */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	struct policy_rule **sorted = malloc((2 * pol->count + 1) * sizeof(*sorted));
	struct policy_rule *mux = malloc((pol->count + 1) * sizeof(*mux));
	struct policy_arg *mux_args = malloc((pol->count + 1) * sizeof(*mux_args));
	size_t n = 0, nmux = 0;
	int rc = 0;
	bool clone3_named = false;

	if (!sorted || !mux || !mux_args) {
		free(sorted);
		free(mux);
		free(mux_args);
		return -ENOMEM;
	}
	for (size_t i = 0; i < pol->count; i++) {
		const struct policy_rule *r = &pol->rules[i];

		if (!strcmp(r->name, "clone3"))
			clone3_named = true;
		if (syscalls_nr(b->arch->token, r->name) >= 0)
			sorted[n++] = &pol->rules[i];
		if (multiplexed_rule(b, r, &mux[nmux], &mux_args[nmux]))
			sorted[n++] = &mux[nmux++];
	}
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): as above */
	qsort(sorted, n, sizeof(*sorted), cmp_rule);
	for (size_t i = 0; i < n && !rc;) {
		size_t j = i, k;
		/* Native numbering: libseccomp translates it for the arch. */
		int nr = seccomp_syscall_resolve_name(sorted[i]->name);

		while (j < n && !strcmp(sorted[j]->name, sorted[i]->name))
			j++;
		for (k = i; k < j && !sorted[k]->deny; k++)
			;
		/* sorted[i..k) allow rules, sorted[k..j) deny rules */
		struct part allow = { sorted + i, k - i, SCMP_ACT_ALLOW };
		struct part deny = { sorted + k, j - k, SCMP_ACT_ERRNO(EACCES) };

		if (b->deny) {
			rc = add_group(b, ctx, nr, &deny, 1, SECCOMP_RET_ALLOW);
		} else if (part_has(b, &allow, RULE_UNCONDITIONAL)) {
			/* The deny filter's EACCES beats this ALLOW. */
			rc = add_group(b, ctx, nr, &allow, 1, b->default_action);
		} else {
			/*
			 * The deny filter is attached first and the allow one
			 * last, and the kernel keeps the last-attached filter's
			 * errno on a tie: so the explicit denials come first
			 * here too, and a denied call says EACCES, never EPERM.
			 */
			struct part both[2] = { deny, allow };

			rc = add_group(b, ctx, nr, both, 2, b->default_action);
		}
		i = j;
	}
	/* A clone3 the policy does not mention: ENOSYS makes libc use clone. */
	if (!rc && !b->deny && !clone3_named &&
	    seccomp_syscall_resolve_name_arch(b->arch->token, "clone3") >= 0)
		rc = seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(ENOSYS),
					    seccomp_syscall_resolve_name("clone3"), 0);
	free(sorted);
	free(mux);
	free(mux_args);
	return rc;
}

/*
 * libseccomp exports a program in the byte order of its architecture;
 * sections are kept in the host's (the blob writer stores little-endian).
 */
static void to_host_order(struct section *s, const struct syscalls_arch *a)
{
	const bool host_big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

	if (a->big_endian == host_big_endian)
		return;
	for (size_t i = 0; i < s->len; i++) {
		s->insns[i].code = __builtin_bswap16(s->insns[i].code);
		s->insns[i].k = __builtin_bswap32(s->insns[i].k);
	}
}

static int export_program(scmp_filter_ctx ctx, struct section *out)
{
	int fd = memfd_create("sysfence-bpf", MFD_CLOEXEC);
	struct rlimit fsize;
	off_t size;
	int rc = -1;

	if (fd < 0)
		return -errno;
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		goto out;
	size = lseek(fd, 0, SEEK_CUR);
	/*
	 * libseccomp 2.5 takes a short write(2) for success, and a memfd is
	 * a file: past RLIMIT_FSIZE (SIGXFSZ is ignored, see main.c) the
	 * program was cut short.  An export that reached the limit is taken
	 * as cut (tests/integration/badinput_matrix.sh, RLIMIT_FSIZE rows).
	 */
	rc = -EFBIG;
	if (size > 0 && !getrlimit(RLIMIT_FSIZE, &fsize) && fsize.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)size >= fsize.rlim_cur)
		goto out;
	rc = -EINVAL;
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter))
		goto out;
	out->len = out->cap = (size_t)size / sizeof(struct sock_filter);
	out->insns = malloc((size_t)size);
	rc = -ENOMEM;
	if (!out->insns)
		goto out;
	rc = -EIO;
	if (pread(fd, out->insns, (size_t)size, 0) != size)
		goto out;
	rc = 0;
out:
	close(fd);
	return rc;
}

/*
 * The default-action handler: numbers unknown to this compiler get ENOSYS,
 * the rest the mode's default.  A chain over the sorted unknown ranges (at
 * range i, nr is already known to be above range i-1); blocks of up to 100
 * ranges end in their own RET pair so every jump stays under 256.
 */
static int emit_handler(struct section *s, const struct syscalls_range *unknown, size_t nunknown,
			uint32_t default_action)
{
	const uint32_t enosys = SECCOMP_RET_ERRNO | ENOSYS;
	const size_t per_block = 100;

	if (sec_push(s, stmt(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_NR)))
		return -1;
	for (size_t first = 0; first < nunknown; first += per_block) {
		size_t n = nunknown - first;

		if (n > per_block)
			n = per_block;
		/* Range i at 2i and 2i+1; RET default at 2n, RET ENOSYS at 2n+1. */
		for (size_t i = 0; i < n; i++) {
			const struct syscalls_range *r = &unknown[first + i];
			uint8_t to_default = (uint8_t)(2 * n - 2 * i - 1);
			uint8_t to_enosys_next = (uint8_t)(2 * n - 2 * i - 1);
			bool last_in_block = i + 1 == n;
			int rc;

			if (r->hi == UINT32_MAX) {
				/* The last range: unknown to the end. */
				rc = sec_push(s, jump(BPF_JMP | BPF_JGE | BPF_K, r->lo,
						      (uint8_t)(to_default + 1), to_default));
				rc = rc ?: sec_push(s, stmt(BPF_JMP | BPF_JA, 0));
			} else {
				/* nr < lo: a known number between ranges. */
				rc = sec_push(
					s, jump(BPF_JMP | BPF_JGE | BPF_K, r->lo, 0, to_default));
				/* nr > hi: next range (next block after the RETs). */
				rc = rc
					     ?: sec_push(
							s,
							jump(BPF_JMP | BPF_JGT | BPF_K, r->hi,
							     last_in_block
								     ? (uint8_t)(to_enosys_next + 1)
								     : 0,
							     to_enosys_next));
			}
			if (rc)
				return -1;
		}
		if (sec_push(s, stmt(BPF_RET | BPF_K, default_action)) ||
		    sec_push(s, stmt(BPF_RET | BPF_K, enosys)))
			return -1;
	}
	return 0;
}

/*
 * libseccomp's program for one arch -> a section: drop its own arch check
 * (the dispatcher made it), then append the argument blocks and, for the
 * allow program, the default handler; sentinels become jumps or actions.
 */
static int finish_section(struct build *b, struct section *s)
{
	const struct syscalls_arch *a = b->arch;
	size_t nunknown = 0;
	const struct syscalls_range *unknown =
		b->deny ? NULL : syscalls_unknown(a->token, &nunknown);
	size_t skip = 0, body, handler;

	if (!b->deny && !unknown)
		return -ENOMEM;
	if (s->len >= 3 && s->insns[0].code == (BPF_LD | BPF_W | BPF_ABS) &&
	    s->insns[0].k == BPF_OFF_ARCH && s->insns[1].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
	    s->insns[1].k == a->token && s->insns[1].jt == 0)
		skip = 2;
	memmove(s->insns, s->insns + skip, (s->len - skip) * sizeof(*s->insns));
	s->len -= skip;
	body = s->len;
	handler = body + b->blocks.len;

	for (size_t i = 0; i < body; i++) {
		struct sock_filter *in = &s->insns[i];
		uint32_t id = in->k & SECCOMP_RET_DATA;

		if (in->code != (BPF_RET | BPF_K) ||
		    (in->k & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_TRACE)
			continue;
		if (in->k == SENTINEL_BADARCH)
			in->k = SECCOMP_RET_KILL_PROCESS;
		else if (in->k == SENTINEL_DEFAULT && !b->deny)
			*in = stmt(BPF_JMP | BPF_JA, (uint32_t)(handler - i - 1));
		else if (id >= 1 && id <= b->nblocks)
			*in = stmt(BPF_JMP | BPF_JA, (uint32_t)(body + b->block_start[id] - i - 1));
		else
			return -EPROTO; /* a sentinel we did not place */
	}
	for (size_t i = 0; i < b->blocks.len; i++)
		if (sec_push(s, b->blocks.insns[i]))
			return -ENOMEM;
	if (!b->deny && emit_handler(s, unknown, nunknown, b->default_action))
		return -ENOMEM;
	return 0;
}

static int build_section(struct build *b, struct section *out)
{
	scmp_filter_ctx ctx;
	int rc;

	memset(out, 0, sizeof(*out));
	b->blocks.len = 0;
	b->nblocks = 0;
	ctx = seccomp_init(b->deny ? SCMP_ACT_ALLOW : SENTINEL_DEFAULT);
	if (!ctx)
		return -ENOMEM;
	rc = 0;
	if (b->arch->token != seccomp_arch_native()) {
		/*
		 * Native out first: libseccomp refuses a context that mixes
		 * byte orders (EDOM), e.g. x86_64 with s390x.
		 */
		rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (!rc)
			rc = seccomp_arch_add(ctx, b->arch->token);
	}
	if (!rc)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!rc)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SENTINEL_BADARCH);
	if (!rc)
		rc = add_rules(b, ctx);
	if (!rc)
		rc = export_program(ctx, out);
	if (!rc) {
		to_host_order(out, b->arch);
		rc = finish_section(b, out);
	}
	seccomp_release(ctx);
	if (rc == -E2BIG)
		diag_add(b->diags, DIAG_ERROR, 0, 0,
			 "the %s program has more than %d BPF instructions (its argument checks "
			 "for %s alone); the kernel accepts at most %d (BPF_MAXINSNS)",
			 b->deny ? "deny" : "allow", BLOCKS_GIVE_UP, b->arch->name, BPF_MAXINSNS);
	else if (rc)
		diag_add(b->diags, DIAG_ERROR, 0, 0, "cannot build the %s program for %s: %s",
			 b->deny ? "deny" : "allow", b->arch->name, strerror(-rc));
	if (rc) {
		free(out->insns);
		out->insns = NULL;
	}
	return rc;
}

/* Dispatcher + sections -> one program. */
static int compose(struct section *secs, const uint32_t *arches, size_t n, struct bpf_prog *out)
{
	size_t disp = 1 + 1 + 2 * (n - 1) + 1, total = disp;
	struct sock_filter *p;
	size_t pc = 0, start;

	if (!n || n > BLOB_MAX_ARCHES)
		return -1;
	for (size_t i = 0; i < n; i++)
		total += secs[i].len;
	p = calloc(total, sizeof(*p));
	if (!p)
		return -1;
	p[pc++] = stmt(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH);
	/* The first (native) arch jumps straight to its section. */
	p[pc] = jump(BPF_JMP | BPF_JEQ | BPF_K, arches[0], (uint8_t)(disp - pc - 1), 0);
	pc++;
	start = disp + secs[0].len;
	for (size_t i = 1; i < n; i++) {
		p[pc] = jump(BPF_JMP | BPF_JEQ | BPF_K, arches[i], 0, 1);
		pc++;
		p[pc] = stmt(BPF_JMP | BPF_JA, (uint32_t)(start - pc - 1));
		pc++;
		start += secs[i].len;
	}
	p[pc++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	for (size_t i = 0; i < n; i++) {
		memcpy(p + pc, secs[i].insns, secs[i].len * sizeof(*p));
		pc += secs[i].len;
	}
	out->insns = p;
	out->len = (uint32_t)(total > UINT32_MAX ? UINT32_MAX : total);
	return 0;
}

static int build_program(const struct policy *pol, const uint32_t *arches, size_t narches,
			 bool deny, struct bpf_prog *out, struct diag_list *diags)
{
	struct section secs[BLOB_MAX_ARCHES];
	uint32_t default_action = deny				  ? SECCOMP_RET_ALLOW
				  : pol->mode == SF_MODE_COMPLAIN ? SECCOMP_RET_LOG
								  : SECCOMP_RET_ERRNO | EPERM;
	struct build b = {
		.pol = pol, .diags = diags, .deny = deny, .default_action = default_action
	};
	int rc = -1;
	size_t done = 0;
	char why[128];

	memset(out, 0, sizeof(*out));
	for (; done < narches; done++) {
		b.arch = syscalls_arch(arches[done]);
		if (!b.arch || build_section(&b, &secs[done]))
			goto out;
	}
	if (compose(secs, arches, narches, out))
		goto out;
	if (out->len > BPF_MAXINSNS) {
		diag_add(
			diags, DIAG_ERROR, 0, 0,
			"the %s program has %u BPF instructions; the kernel accepts at most %d (BPF_MAXINSNS)",
			deny ? "deny" : "allow", out->len, BPF_MAXINSNS);
		goto out;
	}
	if (bpf_check(out->insns, out->len, why, sizeof(why))) {
		diag_add(diags, DIAG_ERROR, 0, 0,
			 "internal error: generated %s program fails the check: %s",
			 deny ? "deny" : "allow", why);
		goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < done; i++)
		free(secs[i].insns);
	free(b.blocks.insns);
	free(b.block_start);
	if (rc) {
		free(out->insns);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

int backend_compile(const struct policy *pol, const uint32_t *arches, size_t narches,
		    struct bpf_prog *deny, struct bpf_prog *allow, struct diag_list *diags)
{
	bool any_deny = false;

	memset(deny, 0, sizeof(*deny));
	memset(allow, 0, sizeof(*allow));
	if (pol->mode == SF_MODE_UNRESTRICTED)
		return 0;
	if (!narches || narches > BLOB_MAX_ARCHES) {
		diag_add(diags, DIAG_ERROR, 0, 0, "between 1 and %d architectures",
			 BLOB_MAX_ARCHES);
		return -1;
	}
	for (size_t i = 0; i < pol->count; i++)
		any_deny |= pol->rules[i].deny;
	if (any_deny && build_program(pol, arches, narches, true, deny, diags))
		return -1;
	if (build_program(pol, arches, narches, false, allow, diags)) {
		free(deny->insns);
		memset(deny, 0, sizeof(*deny));
		return -1;
	}
	return 0;
}
