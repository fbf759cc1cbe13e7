// SPDX-License-Identifier: MIT
/*
 * Rules -> BPF with libseccomp.  The only file that includes <seccomp.h>.
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
#include "sysfence/backend.h"

#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sysfence/blob.h"
#include "sysfence/util.h"

#define SENTINEL_DEFAULT SCMP_ACT_TRACE(0x5f1)
#define SENTINEL_BADARCH SCMP_ACT_TRACE(0x5f2)

/* Per line, the cross product of expanded conditions is capped. */
#define MAX_EXPANSION 1024

struct arch_info {
	const char *name;
	uint32_t token;
	bool is32;     /* syscall arguments are 32 bits wide */
	uint32_t compat; /* 32-bit companion compiled by default, or 0 */
	uint32_t window; /* first number of its syscall table */
	uint32_t extra;  /* a second window (ARM private calls), or 0 */
};

static const struct arch_info arch_infos[] = {
	{ "x86_64", SCMP_ARCH_X86_64, false, SCMP_ARCH_X86, 0, 0 },
	{ "x86", SCMP_ARCH_X86, true, 0, 0, 0 },
	{ "aarch64", SCMP_ARCH_AARCH64, false, SCMP_ARCH_ARM, 0, 0 },
	{ "arm", SCMP_ARCH_ARM, true, 0, 0, 0x0f0000 },
	{ "riscv64", SCMP_ARCH_RISCV64, false, 0, 0, 0 },
	{ "ppc64le", SCMP_ARCH_PPC64LE, false, 0, 0, 0 },
	{ "ppc64", SCMP_ARCH_PPC64, false, SCMP_ARCH_PPC, 0, 0 },
	{ "ppc", SCMP_ARCH_PPC, true, 0, 0, 0 },
	{ "s390x", SCMP_ARCH_S390X, false, SCMP_ARCH_S390, 0, 0 },
	{ "s390", SCMP_ARCH_S390, true, 0, 0, 0 },
	{ "mips", SCMP_ARCH_MIPS, true, 0, 4000, 0 },
	{ "mipsel", SCMP_ARCH_MIPSEL, true, 0, 4000, 0 },
	{ "mips64", SCMP_ARCH_MIPS64, false, 0, 5000, 0 },
	{ "mipsel64", SCMP_ARCH_MIPSEL64, false, 0, 5000, 0 },
	{ "mips64n32", SCMP_ARCH_MIPS64N32, false, 0, 6000, 0 },
	{ "mipsel64n32", SCMP_ARCH_MIPSEL64N32, false, 0, 6000, 0 },
	{ "parisc", SCMP_ARCH_PARISC, true, 0, 0, 0 },
	{ "parisc64", SCMP_ARCH_PARISC64, false, 0, 0, 0 },
};

/* Every syscall table in libseccomp 2.5 fits in 1024 numbers per window. */
#define WINDOW_SIZE 1024

static const struct arch_info *arch_info(uint32_t token)
{
	for (size_t i = 0; i < ARRAY_SIZE(arch_infos); i++)
		if (arch_infos[i].token == token)
			return &arch_infos[i];
	return NULL;
}

uint32_t backend_arch_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(arch_infos); i++)
		if (!strcmp(arch_infos[i].name, name))
			return arch_infos[i].token;
	/* Accept libseccomp's own spellings too ("x32" is refused: killed). */
	if (!strcmp(name, "i386") || !strcmp(name, "i686"))
		return SCMP_ARCH_X86;
	if (!strcmp(name, "amd64"))
		return SCMP_ARCH_X86_64;
	if (!strcmp(name, "arm64"))
		return SCMP_ARCH_AARCH64;
	return 0;
}

const char *backend_arch_name(uint32_t arch)
{
	const struct arch_info *a = arch_info(arch);

	return a ? a->name : NULL;
}

uint32_t backend_native_arch(void)
{
	return seccomp_arch_native();
}

bool backend_arch_is_32bit(uint32_t arch)
{
	const struct arch_info *a = arch_info(arch);

	return a && a->is32;
}

size_t backend_default_arches(uint32_t *arches, size_t max)
{
	const struct arch_info *a = arch_info(seccomp_arch_native());
	size_t n = 0;

	if (!a || !max)
		return 0;
	arches[n++] = a->token;
	if (a->compat && n < max)
		arches[n++] = a->compat;
	return n;
}

/* ---- the syscall table libseccomp knows, per architecture ---- */

struct range {
	uint32_t lo, hi;
};

struct arch_table {
	struct range *unknown; /* sorted, covers everything up to 0xffffffff */
	size_t nunknown;
	int failed;
};

static struct arch_table tables[ARRAY_SIZE(arch_infos)];
static pthread_mutex_t tables_lock = PTHREAD_MUTEX_INITIALIZER;

static bool nr_known(uint32_t arch, uint32_t nr)
{
	char *name = seccomp_syscall_resolve_num_arch(arch, (int)nr);
	bool known = name != NULL;

	free(name);
	return known;
}

static int push_range(struct arch_table *t, size_t *cap, uint32_t lo, uint32_t hi)
{
	if (t->nunknown == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct range *n = realloc(t->unknown, ncap * sizeof(*n));

		if (!n)
			return -1;
		t->unknown = n;
		*cap = ncap;
	}
	t->unknown[t->nunknown++] = (struct range){ lo, hi };
	return 0;
}

/* Unknown numbers = the complement of the known ones within the windows. */
static int build_table(const struct arch_info *a, struct arch_table *t)
{
	uint32_t windows[2] = { a->window, a->extra };
	size_t cap = 0;
	uint64_t next = 0; /* first number not yet classified */

	if (a->window && push_range(t, &cap, 0, a->window - 1))
		return -1;
	if (a->window)
		next = a->window;
	for (int w = 0; w < 2; w++) {
		uint32_t base = windows[w];
		int64_t start = -1;

		if (w == 1 && !base)
			break;
		if (base > next && push_range(t, &cap, (uint32_t)next, base - 1))
			return -1;
		for (uint32_t nr = base; nr < base + WINDOW_SIZE; nr++) {
			bool known = nr_known(a->token, nr);

			if (!known && start < 0)
				start = nr;
			if (known && start >= 0) {
				if (push_range(t, &cap, (uint32_t)start, nr - 1))
					return -1;
				start = -1;
			}
		}
		next = start >= 0 ? (uint64_t)start : (uint64_t)base + WINDOW_SIZE;
	}
	return push_range(t, &cap, (uint32_t)next, UINT32_MAX);
}

static const struct arch_table *arch_table(uint32_t arch)
{
	const struct arch_info *a = arch_info(arch);
	struct arch_table *t;

	if (!a)
		return NULL;
	t = &tables[a - arch_infos];
	pthread_mutex_lock(&tables_lock);
	if (!t->unknown && !t->failed) {
		if (build_table(a, t)) {
			free(t->unknown);
			t->unknown = NULL;
			t->nunknown = 0;
			t->failed = 1;
		}
	}
	pthread_mutex_unlock(&tables_lock);
	return t->failed ? NULL : t;
}

void backend_init(void)
{
	uint32_t arches[2];
	size_t n = backend_default_arches(arches, 2);
	scmp_filter_ctx ctx;

	/* Let libseccomp run its one-time kernel probes before any thread. */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx)
		seccomp_release(ctx);
	for (size_t i = 0; i < n; i++)
		arch_table(arches[i]);
}

int backend_syscall_nr(uint32_t arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);

	/* Negative: unknown, or a pseudo-syscall such as socketcall on x86_64. */
	return nr < 0 ? -1 : nr;
}

const char *backend_syscall_name(uint32_t arch, int nr, char *buf, size_t len)
{
	char *name = seccomp_syscall_resolve_num_arch(arch, nr);

	if (!name)
		return NULL;
	snprintf(buf, len, "%s", name);
	free(name);
	return buf;
}

bool backend_syscall_known_anywhere(const char *name)
{
	/* libseccomp gives every name of its master table a native number,
	 * a negative pseudo number when the native arch lacks the call. */
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

const char *backend_syscall_suggest(const char *name, char *buf, size_t len)
{
	size_t best = (size_t)-1, nlen = strlen(name);

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(arch_infos); i++) {
		const struct arch_info *a = &arch_infos[i];

		if (a->token != SCMP_ARCH_X86_64 && a->token != SCMP_ARCH_X86 &&
		    a->token != SCMP_ARCH_AARCH64 && a->token != SCMP_ARCH_ARM)
			continue;
		for (uint32_t nr = a->window; nr < a->window + WINDOW_SIZE; nr++) {
			char *cand = seccomp_syscall_resolve_num_arch(a->token, (int)nr);
			size_t d;

			if (!cand)
				continue;
			d = util_edit_distance(name, nlen, cand, strlen(cand), true);
			if (d < best) {
				best = d;
				snprintf(buf, len, "%s", cand);
			}
			free(cand);
		}
	}
	return buf[0] && util_is_close(best, nlen) ? buf : NULL;
}

const char *backend_library_version(void)
{
	static char v[32];
	const struct scmp_version *sv = seccomp_version();

	snprintf(v, sizeof(v), "%u.%u.%u", sv->major, sv->minor, sv->micro);
	return v;
}

void backend_table_digest(uint8_t out[DIGEST_SIZE])
{
	struct digest_ctx c;

	digest_init(&c);
	for (size_t i = 0; i < ARRAY_SIZE(arch_infos); i++) {
		const struct arch_info *a = &arch_infos[i];
		uint32_t windows[2] = { a->window, a->extra };

		for (int w = 0; w < 2; w++) {
			if (w == 1 && !windows[w])
				break;
			for (uint32_t nr = windows[w]; nr < windows[w] + WINDOW_SIZE; nr++) {
				char *name = seccomp_syscall_resolve_num_arch(a->token, (int)nr);

				if (!name)
					continue;
				digest_update(&c, &a->token, sizeof(a->token));
				digest_update(&c, &nr, sizeof(nr));
				digest_update(&c, name, strlen(name) + 1);
				free(name);
			}
		}
	}
	digest_final(&c, out);
}

/* ---- argument conditions ---- */

enum expansion { EXP_NEVER, EXP_ALWAYS, EXP_SOME };

struct alts {
	struct scmp_arg_cmp cmp[2 * 64 + 2];
	size_t n;
};

static void add_cmp(struct alts *a, unsigned argno, enum scmp_compare op,
		    uint64_t x, uint64_t y)
{
	a->cmp[a->n++] = (struct scmp_arg_cmp){ argno, op, x, y };
}

/*
 * [lo, hi] as a union of aligned blocks, each one a masked equality on the
 * low `width` bits: the upper bits of the register never take part.  At
 * most 2 * width blocks.
 */
static void add_range_blocks(struct alts *a, unsigned argno, uint64_t domain,
			     uint64_t lo, uint64_t hi)
{
	for (;;) {
		uint64_t size = lo ? lo & (0 - lo) : domain + 1; /* 0 = 2^64 */

		while (size == 0 || size - 1 > hi - lo)
			size = size ? size >> 1 : UINT64_C(1) << 63;
		add_cmp(a, argno, SCMP_CMP_MASKED_EQ, domain & ~(size - 1), lo);
		if (hi - lo == size - 1)
			return;
		lo += size;
	}
}

static enum expansion expand_arg(const struct policy_arg *pa, unsigned argno,
				 bool arch32, struct alts *out)
{
	unsigned width = pa->width ? pa->width : 64;
	unsigned ew = arch32 && width > 32 ? 32 : width;
	uint64_t d = ew >= 64 ? UINT64_MAX : (UINT64_C(1) << ew) - 1;
	uint64_t v = pa->value;
	/* The register is exactly the argument: compare it directly. */
	bool direct = ew == 64 || (arch32 && ew == 32);
	struct range64 {
		uint64_t lo, hi;
	} iv[2];
	size_t niv = 0;

	out->n = 0;
	switch (pa->op) {
	case POLICY_OP_ANY:
		return EXP_ALWAYS;
	case POLICY_OP_MASKED: {
		uint64_t m = pa->mask & d;

		if (pa->value & ~m)
			return EXP_NEVER;
		if (!m)
			return EXP_ALWAYS; /* value is 0 here */
		add_cmp(out, argno, SCMP_CMP_MASKED_EQ, m, pa->value);
		return EXP_SOME;
	}
	case POLICY_OP_EQ:
		if (v > d)
			return EXP_NEVER;
		if (direct)
			add_cmp(out, argno, SCMP_CMP_EQ, v, 0);
		else
			add_cmp(out, argno, SCMP_CMP_MASKED_EQ, d, v);
		return EXP_SOME;
	case POLICY_OP_NE:
		if (v > d)
			return EXP_ALWAYS;
		if (direct) {
			add_cmp(out, argno, SCMP_CMP_NE, v, 0);
			return EXP_SOME;
		}
		if (v > 0)
			iv[niv++] = (struct range64){ 0, v - 1 };
		if (v < d)
			iv[niv++] = (struct range64){ v + 1, d };
		break;
	case POLICY_OP_GT:
		if (v >= d)
			return EXP_NEVER;
		if (direct) {
			add_cmp(out, argno, SCMP_CMP_GT, v, 0);
			return EXP_SOME;
		}
		iv[niv++] = (struct range64){ v + 1, d };
		break;
	case POLICY_OP_GE:
		if (v > d)
			return EXP_NEVER;
		if (v == 0)
			return EXP_ALWAYS;
		if (direct) {
			add_cmp(out, argno, SCMP_CMP_GE, v, 0);
			return EXP_SOME;
		}
		iv[niv++] = (struct range64){ v, d };
		break;
	case POLICY_OP_LT:
		if (v == 0)
			return EXP_NEVER;
		if (v > d)
			return EXP_ALWAYS;
		if (direct) {
			add_cmp(out, argno, SCMP_CMP_LT, v, 0);
			return EXP_SOME;
		}
		iv[niv++] = (struct range64){ 0, v - 1 };
		break;
	case POLICY_OP_LE:
		if (v >= d)
			return EXP_ALWAYS;
		if (direct) {
			add_cmp(out, argno, SCMP_CMP_LE, v, 0);
			return EXP_SOME;
		}
		iv[niv++] = (struct range64){ 0, v };
		break;
	}
	if (!niv)
		return EXP_NEVER;
	for (size_t i = 0; i < niv; i++)
		add_range_blocks(out, argno, d, iv[i].lo, iv[i].hi);
	return EXP_SOME;
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

struct build {
	const struct policy *pol;
	struct diag_list *diags;
	const struct arch_info *arch;
	bool deny; /* building the deny program */
};

static void rule_error(struct build *b, const struct policy_rule *r,
		       const char *what, int rc)
{
	diag_add(b->diags, DIAG_ERROR, r->line, r->col,
		 "libseccomp rejected the rule for %s on %s: %s (%s)", r->name,
		 b->arch->name, what, strerror(-rc));
}

/* Adds the cross product of the argument alternatives as separate rules. */
static int add_expanded(struct build *b, scmp_filter_ctx ctx, uint32_t action,
			int nr, const struct policy_rule *r)
{
	struct alts alts[POLICY_MAX_ARGS];
	size_t idx[POLICY_MAX_ARGS] = { 0 }, nsets = 0, total = 1;
	struct alts *sets[POLICY_MAX_ARGS];

	for (unsigned i = 0; i < r->nargs; i++) {
		switch (expand_arg(&r->args[i], i, b->arch->is32, &alts[i])) {
		case EXP_NEVER:
			return 0; /* can never match on this arch */
		case EXP_ALWAYS:
			continue;
		case EXP_SOME:
			sets[nsets++] = &alts[i];
			total *= alts[i].n;
			break;
		}
	}
	if (total > MAX_EXPANSION) {
		diag_add(b->diags, DIAG_ERROR, r->line, r->col,
			 "the conditions of this rule expand to %zu comparisons on %s "
			 "(limit %d): split it or use fewer '!'/range conditions on "
			 "32-bit arguments",
			 total, b->arch->name, MAX_EXPANSION);
		return -1;
	}
	for (;;) {
		struct scmp_arg_cmp cmp[POLICY_MAX_ARGS] = { { 0 } };
		int rc;

		for (size_t s = 0; s < nsets; s++)
			cmp[s] = sets[s]->cmp[idx[s]];
		rc = seccomp_rule_add_array(ctx, action, nr, (unsigned)nsets, cmp);
		if (rc < 0 && rc != -EEXIST) {
			rule_error(b, r, "rule", rc);
			return -1;
		}
		/* Next combination, odometer style. */
		size_t s = 0;

		while (s < nsets && ++idx[s] == sets[s]->n)
			idx[s++] = 0;
		if (s == nsets)
			return 0;
	}
}

static bool has_rule_for(const struct policy *pol, const char *name, bool deny)
{
	for (size_t i = 0; i < pol->count; i++)
		if (pol->rules[i].deny == deny && !strcmp(pol->rules[i].name, name))
			return true;
	return false;
}

static int export_program(scmp_filter_ctx ctx, struct section *out)
{
	int fd = memfd_create("sysfence-bpf", MFD_CLOEXEC);
	off_t size;
	int rc = -1;

	if (fd < 0)
		return -errno;
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		goto out;
	size = lseek(fd, 0, SEEK_CUR);
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

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter)BPF_STMT(code, k);
}

static struct sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	return (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

/*
 * The default-action handler: numbers unknown to this compiler get ENOSYS,
 * the rest the mode's default.  A chain over the sorted unknown ranges (at
 * range i, nr is already known to be above range i-1); blocks of up to 100
 * ranges end in their own RET pair so every jump stays under 256.
 */
static int emit_handler(struct section *s, const struct arch_table *t,
			uint32_t default_action)
{
	const uint32_t enosys = SECCOMP_RET_ERRNO | ENOSYS;
	const size_t per_block = 100;

	if (sec_push(s, stmt(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_NR)))
		return -1;
	for (size_t first = 0; first < t->nunknown; first += per_block) {
		size_t n = t->nunknown - first;

		if (n > per_block)
			n = per_block;
		/* Range i at 2i and 2i+1; RET default at 2n, RET ENOSYS at 2n+1. */
		for (size_t i = 0; i < n; i++) {
			const struct range *r = &t->unknown[first + i];
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
				rc = sec_push(s, jump(BPF_JMP | BPF_JGE | BPF_K, r->lo, 0,
						      to_default));
				/* nr > hi: next range (next block after the RETs). */
				rc = rc ?: sec_push(s, jump(BPF_JMP | BPF_JGT | BPF_K, r->hi,
							   last_in_block ? (uint8_t)(to_enosys_next + 1) : 0,
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
 * (the dispatcher made it), turn default RETs into jumps to the handler,
 * and the sentinels into real actions.
 */
static int finish_section(struct section *s, const struct arch_info *a,
			  uint32_t default_action, bool handler)
{
	size_t skip = 0;
	const struct arch_table *t = handler ? arch_table(a->token) : NULL;

	if (handler && !t)
		return -1;
	if (s->len >= 3 && s->insns[0].code == (BPF_LD | BPF_W | BPF_ABS) &&
	    s->insns[0].k == BPF_OFF_ARCH &&
	    s->insns[1].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
	    s->insns[1].k == a->token && s->insns[1].jt == 0)
		skip = 2;
	memmove(s->insns, s->insns + skip, (s->len - skip) * sizeof(*s->insns));
	s->len -= skip;

	size_t body = s->len;

	for (size_t i = 0; i < body; i++) {
		struct sock_filter *in = &s->insns[i];

		if (in->code != (BPF_RET | BPF_K))
			continue;
		if (in->k == SENTINEL_BADARCH) {
			in->k = SECCOMP_RET_KILL_PROCESS;
		} else if (in->k == SENTINEL_DEFAULT) {
			if (handler)
				*in = stmt(BPF_JMP | BPF_JA, (uint32_t)(body - i - 1));
			else
				in->k = default_action;
		}
	}
	if (handler && emit_handler(s, t, default_action))
		return -1;
	return 0;
}

static int build_section(struct build *b, uint32_t default_action,
			 struct section *out)
{
	const struct policy *pol = b->pol;
	scmp_filter_ctx ctx;
	int rc;

	memset(out, 0, sizeof(*out));
	ctx = seccomp_init(b->deny ? SCMP_ACT_ALLOW : SENTINEL_DEFAULT);
	if (!ctx)
		return -ENOMEM;
	if (b->arch->token != seccomp_arch_native()) {
		rc = seccomp_arch_add(ctx, b->arch->token);
		if (!rc)
			rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (rc)
			goto out;
	}
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!rc)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SENTINEL_BADARCH);
	if (rc)
		goto out;

	for (size_t i = 0; i < pol->count; i++) {
		const struct policy_rule *r = &pol->rules[i];
		uint32_t action;
		int nr;

		if (seccomp_syscall_resolve_name_arch(b->arch->token, r->name) < 0)
			continue; /* not a syscall of this architecture */
		if (b->deny) {
			if (!r->deny)
				continue;
			action = SCMP_ACT_ERRNO(EACCES);
		} else if (!r->deny) {
			action = SCMP_ACT_ALLOW;
		} else if (!has_rule_for(pol, r->name, false)) {
			/*
			 * The deny filter is attached first and the allow one
			 * last, and the kernel keeps the last-attached filter's
			 * errno on a tie: mirror the denial here so a call no
			 * rule allows still reports EACCES, not EPERM.
			 */
			action = SCMP_ACT_ERRNO(EACCES);
		} else {
			continue;
		}
		/* Native numbering: libseccomp translates it for the arch. */
		nr = seccomp_syscall_resolve_name(r->name);
		if (add_expanded(b, ctx, action, nr, r)) {
			seccomp_release(ctx);
			return -1; /* reported with the rule's line */
		}
	}
	/* A clone3 the policy does not mention: ENOSYS makes libc use clone. */
	if (!b->deny && !has_rule_for(pol, "clone3", false) &&
	    !has_rule_for(pol, "clone3", true) &&
	    seccomp_syscall_resolve_name_arch(b->arch->token, "clone3") >= 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
				      seccomp_syscall_resolve_name("clone3"), 0);
		if (rc)
			goto out;
	}
	rc = export_program(ctx, out);
	if (!rc && finish_section(out, b->arch, default_action, !b->deny))
		rc = -ENOMEM;
out:
	seccomp_release(ctx);
	if (rc) {
		diag_add(b->diags, DIAG_ERROR, 0, 0, "libseccomp failed for %s: %s",
			 b->arch->name, strerror(-rc));
		free(out->insns);
		out->insns = NULL;
	}
	return rc;
}

/* Dispatcher + sections -> one program. */
static int compose(struct section *secs, const uint32_t *arches, size_t n,
		   struct bpf_prog *out)
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

static int build_program(const struct policy *pol, const uint32_t *arches,
			 size_t narches, bool deny, struct bpf_prog *out,
			 struct diag_list *diags)
{
	struct section secs[BLOB_MAX_ARCHES];
	uint32_t default_action = deny ? SECCOMP_RET_ALLOW
			       : pol->mode == SF_MODE_COMPLAIN
				       ? SECCOMP_RET_LOG
				       : SECCOMP_RET_ERRNO | EPERM;
	struct build b = { .pol = pol, .diags = diags, .deny = deny };
	int rc = -1;
	size_t done = 0;
	char why[128];

	memset(out, 0, sizeof(*out));
	for (; done < narches; done++) {
		b.arch = arch_info(arches[done]);
		if (!b.arch || build_section(&b, default_action, &secs[done]))
			goto out;
	}
	if (compose(secs, arches, narches, out))
		goto out;
	if (out->len > BPF_MAXINSNS) {
		diag_add(diags, DIAG_ERROR, 0, 0,
			 "the %s program has %u BPF instructions; the kernel accepts at most %d (BPF_MAXINSNS)",
			 deny ? "deny" : "allow", out->len, BPF_MAXINSNS);
		goto out;
	}
	if (bpf_check(out->insns, out->len, why, sizeof(why))) {
		diag_add(diags, DIAG_ERROR, 0, 0, "internal error: generated %s program fails the check: %s",
			 deny ? "deny" : "allow", why);
		goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < done; i++)
		free(secs[i].insns);
	if (rc) {
		free(out->insns);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

int backend_compile(const struct policy *pol, const uint32_t *arches,
		    size_t narches, struct bpf_prog *deny, struct bpf_prog *allow,
		    struct diag_list *diags)
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
