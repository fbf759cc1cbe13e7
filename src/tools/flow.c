// SPDX-License-Identifier: MIT
/*
 * Static analysis of a checked program for one (arch, nr).  The action-cache
 * emulation mirrors the kernel line by line, because --report claims to
 * say what *the kernel* will decide; the probe collector is deliberately
 * generous, because --diff only needs interesting values to try.
 */
#include "sysfence/tools/flow.h"

#include "sysfence/array.h"
#include "sysfence/compile/abi.h"

#include <stdlib.h>
#include <string.h>

void flow_const_run(const struct sock_filter *p, size_t len, uint32_t arch, uint32_t nr,
		    struct flow_const *out)
{
	uint32_t reg = 0;

	memset(out, 0, sizeof(*out));
	/* kernel/seccomp.c seccomp_is_const_allow(), with its reasons kept. */
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &p[pc];
		bool taken;

		out->pc = (uint32_t)pc;
		switch (i->code) {
		case SF_BPF_LD_ABS:
			if (i->k == BPF_OFF_NR) {
				reg = nr;
			} else if (i->k == BPF_OFF_ARCH) {
				reg = arch;
			} else {
				/* "can't optimize (non-constant value load)" */
				out->kind = FLOW_NOT_CONST;
				out->offset = i->k;
				return;
			}
			break;
		case SF_BPF_RET_K:
			out->kind = FLOW_CONST;
			out->action = i->k;
			return;
		case SF_BPF_JA:
			pc += i->k;
			break;
		case SF_BPF_JEQ_K:
		case SF_BPF_JGE_K:
		case SF_BPF_JGT_K:
		case SF_BPF_JSET_K:
			switch (BPF_OP(i->code)) {
			case BPF_JEQ:
				taken = reg == i->k;
				break;
			case BPF_JGE:
				taken = reg >= i->k;
				break;
			case BPF_JGT:
				taken = reg > i->k;
				break;
			default:
				taken = (reg & i->k) != 0;
				break;
			}
			pc += taken ? i->jt : i->jf;
			break;
		case SF_BPF_AND_K:
			reg &= i->k;
			break;
		default:
			out->kind = FLOW_BAD;
			return;
		}
	}
	/* "ran off the end of the filter?!" */
	out->kind = FLOW_BAD;
}

bool flow_const_allow(const struct sock_filter *p, size_t len, uint32_t arch, uint32_t nr)
{
	struct flow_const c;

	flow_const_run(p, len, arch, nr, &c);
	return c.kind == FLOW_CONST && c.action == SECCOMP_RET_ALLOW;
}

void flow_probe_init(struct flow_probe *fp)
{
	memset(fp, 0, sizeof(*fp));
}

/* ---- the probe collector ---- */

enum akind {
	A_KNOWN,
	A_WORD,
	A_UNKNOWN
};

struct astate {
	uint8_t kind;
	uint8_t word; /* A_WORD */
	uint32_t val; /* A_KNOWN: the value; A_WORD: the AND mask so far */
};

#define STATES_PER_PC 16
#define MAX_VISITS (1u << 20)

struct seen {
	struct astate s[STATES_PER_PC];
	uint8_t n;
};

struct item {
	uint32_t pc;
	struct astate s;
};

static void add_value(struct flow_probe *fp, unsigned w, uint32_t v)
{
	unsigned n = fp->words[w].count;

	for (unsigned i = 0; i < n; i++)
		if (fp->words[w].values[i] == v)
			return;
	if (n == FLOW_MAX_VALUES) {
		fp->words[w].capped = true;
		return;
	}
	fp->words[w].values[n] = v;
	fp->words[w].count = n + 1;
}

static void add_compare(struct flow_probe *fp, unsigned w, uint16_t code, uint32_t k, uint32_t mask)
{
	if (code == SF_BPF_JSET_K) {
		add_value(fp, w, k);
		add_value(fp, w, ~k);
		add_value(fp, w, k & (0u - k)); /* the lowest bit alone */
		return;
	}
	add_value(fp, w, k);
	add_value(fp, w, k - 1);
	add_value(fp, w, k + 1);
	if (mask != UINT32_MAX) {
		add_value(fp, w, k | ~mask);
		add_value(fp, w, (k + 1) | ~mask);
	}
}

static bool state_eq(const struct astate *a, const struct astate *b)
{
	return a->kind == b->kind && a->word == b->word && a->val == b->val;
}

int flow_probe_collect(const struct sock_filter *p, size_t len, uint32_t arch, bool nr_known,
		       uint32_t nr, struct flow_probe *fp)
{
	struct seen *seen = calloc(len ? len : 1, sizeof(*seen));
	struct item *stack = NULL;
	size_t top = 0, cap = 0, visits = 0, reachable = 0;
	int rc = 0;

	if (!seen)
		return -1;
#define PUSH(PC, S)                                                                                \
	do {                                                                                       \
		if ((size_t)(PC) >= len) /* out of an unchecked program: no path */                \
			break;                                                                     \
		if (ARRAY_GROW(&stack, &cap, top + 1)) {                                           \
			rc = -1;                                                                   \
			goto out;                                                                  \
		}                                                                                  \
		stack[top++] = (struct item){ (uint32_t)(PC), (S) };                               \
	} while (0)

	/* "0 >= len" in PUSH: an empty program has no path (not "len < 0"). */
	/* cppcheck-suppress unsignedLessThanZero */
	PUSH(0, ((struct astate){ A_KNOWN, 0, 0 }));
	while (top) {
		struct item it = stack[--top];
		struct seen *sn;
		const struct sock_filter *i;
		struct astate s = it.s;
		bool dup = false;

		if (it.pc >= len)
			continue; /* a checked program never gets here */
		sn = &seen[it.pc];
		for (unsigned k = 0; k < sn->n; k++)
			dup |= state_eq(&sn->s[k], &s);
		if (dup)
			continue;
		if (!sn->n)
			reachable++;
		if (sn->n < STATES_PER_PC)
			sn->s[sn->n++] = s;
		if (++visits > MAX_VISITS) {
			rc = -1;
			break;
		}
		i = &p[it.pc];
		switch (i->code) {
		case SF_BPF_LD_ABS:
			if (i->k == BPF_OFF_NR && nr_known)
				s = (struct astate){ A_KNOWN, 0, nr };
			else if (i->k == BPF_OFF_ARCH)
				s = (struct astate){ A_KNOWN, 0, arch };
			else if (i->k >= BPF_OFF_ARGS && i->k < BPF_OFF_ARGS + 4 * FLOW_WORDS) {
				unsigned w = (i->k - BPF_OFF_ARGS) / 4;

				if (!fp->words[w].used) {
					fp->words[w].used = true;
					add_value(fp, w, 0);
					add_value(fp, w, UINT32_MAX);
				}
				s = (struct astate){ A_WORD, (uint8_t)w, UINT32_MAX };
			} else {
				if (i->k == BPF_OFF_IP || i->k == BPF_OFF_IP + 4)
					fp->loads_ip = true;
				s = (struct astate){ A_UNKNOWN, 0, 0 };
			}
			PUSH(it.pc + 1, s);
			break;
		case SF_BPF_AND_K:
			if (s.kind != A_UNKNOWN)
				s.val &= i->k;
			PUSH(it.pc + 1, s);
			break;
		case SF_BPF_JA:
			PUSH(it.pc + 1 + (size_t)i->k, s);
			break;
		case SF_BPF_JEQ_K:
		case SF_BPF_JGT_K:
		case SF_BPF_JGE_K:
		case SF_BPF_JSET_K:
			if (s.kind == A_KNOWN) {
				uint32_t a = s.val;
				bool taken = i->code == SF_BPF_JEQ_K   ? a == i->k
					     : i->code == SF_BPF_JGT_K ? a > i->k
					     : i->code == SF_BPF_JGE_K ? a >= i->k
								       : (a & i->k) != 0;

				PUSH(it.pc + 1 + (size_t)(taken ? i->jt : i->jf), s);
				break;
			}
			if (s.kind == A_WORD)
				add_compare(fp, s.word, i->code, i->k, s.val);
			PUSH(it.pc + 1 + (size_t)i->jf, s);
			PUSH(it.pc + 1 + (size_t)i->jt, s);
			break;
		default: /* RET, or anything a checked program lacks */
			break;
		}
	}
#undef PUSH
out:
	if (reachable > fp->reachable)
		fp->reachable = (unsigned)reachable;
	free(stack);
	free(seen);
	return rc;
}

/* Per argument: the 64-bit candidate values. */
#define ARG_VALUES_MAX 512

struct arg_values {
	uint64_t v[ARG_VALUES_MAX];
	size_t n;
};

static void arg_values(const struct flow_probe *fp, uint32_t arch, unsigned argno,
		       struct arg_values *out, bool *sampled)
{
	/* Word index of the low and high halves in fp->words (task byte order). */
	const struct abi *a = abi_get(arch);
	unsigned wlo = a ? (abi_arg_offset(a, argno, false) - BPF_OFF_ARGS) / 4 : 2 * argno;
	unsigned whi = a ? (abi_arg_offset(a, argno, true) - BPF_OFF_ARGS) / 4 : 2 * argno + 1;
	bool arch32 = a && a->reg_bits == 32;
	const uint32_t zero = 0;
	const uint32_t *lo = &zero, *hi = &zero;
	size_t nlo = 1, nhi = 1;

	if (fp->words[wlo].used) {
		lo = fp->words[wlo].values;
		nlo = fp->words[wlo].count;
	}
	if (!arch32 && fp->words[whi].used) {
		hi = fp->words[whi].values;
		nhi = fp->words[whi].count;
	}
	out->n = 0;
	for (size_t h = 0; h < nhi; h++) {
		for (size_t l = 0; l < nlo; l++) {
			if (out->n == ARG_VALUES_MAX) {
				*sampled = true;
				return;
			}
			out->v[out->n++] = (uint64_t)hi[h] << 32 | lo[l];
		}
	}
}

int flow_probe_max_arg(const struct flow_probe *fp)
{
	int max = -1;

	for (unsigned w = 0; w < FLOW_WORDS; w++)
		if (fp->words[w].used && (int)(w / 2) > max)
			max = (int)(w / 2);
	return max;
}

size_t flow_probe_each(const struct flow_probe *fp, uint32_t arch, size_t max, flow_probe_fn fn,
		       void *ctx, bool *sampled)
{
	struct arg_values *vals = calloc(6, sizeof(*vals));
	uint64_t args[6] = { 0 };
	size_t idx[6] = { 0 }, total = 1, tried = 0;

	*sampled = false;
	if (!vals) {
		fn(ctx, args);
		*sampled = true;
		return 1;
	}
	for (unsigned a = 0; a < 6; a++) {
		arg_values(fp, arch, a, &vals[a], sampled);
		if (total <= max)
			total *= vals[a].n;
	}
	if (total <= max) {
		/* The whole cross product, odometer style. */
		for (;;) {
			unsigned a = 0;

			for (unsigned k = 0; k < 6; k++)
				args[k] = vals[k].v[idx[k]];
			fn(ctx, args);
			tried++;
			while (a < 6 && ++idx[a] == vals[a].n)
				idx[a++] = 0;
			if (a == 6)
				break;
		}
		free(vals);
		return tried;
	}
	*sampled = true;
	/* Each argument alone, the others at their first value (0). */
	for (unsigned a = 0; a < 6 && tried < max; a++) {
		for (size_t i = 0; i < vals[a].n && tried < max; i++) {
			for (unsigned k = 0; k < 6; k++)
				args[k] = vals[k].v[0];
			args[a] = vals[a].v[i];
			fn(ctx, args);
			tried++;
		}
	}
	/* Then random combinations (a fixed LCG: the same output every run). */
	for (uint64_t seed = 0x5f1ULL; tried < max;) {
		for (unsigned k = 0; k < 6; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			args[k] = vals[k].v[(seed >> 33) % vals[k].n];
		}
		fn(ctx, args);
		tried++;
	}
	free(vals);
	return tried;
}
