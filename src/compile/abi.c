// SPDX-License-Identifier: MIT
/*
 * The ABI model, as data: per architecture the facts of its syscall entry
 * (register width, byte order, x32, the multiplexers, the 16-bit id calls),
 * and abi_lower(), which turns a policy rule into what the kernel of that
 * ABI will compare.  The code generator and the tools read the ABIs only
 * through abi.h: this file, and abinr.c for what needs the syscall tables.
 *
 * Where each fact comes from (Linux 6.x):
 *  - arg_bits: a 32-bit ABI has 32-bit registers, and a compat task's
 *    seccomp_data.args are zero-extended (arch/x86/include/asm/syscall.h);
 *    mips n32 has 64-bit registers but 32-bit long and pointers, which the
 *    kernel reads sign-extended: only the low half carries the value.
 *  - seccomp_data.args[i] is a u64 stored in the task's byte order, so a
 *    32-bit load at offset 16 + 8i reads the high half on big-endian ABIs.
 *  - x32 calls reach a filter as AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT
 *    (0x40000000) set in the number (arch/x86/entry/common.c).
 *  - socketcall(2) (net/socket.c): `int call`, calls SYS_SOCKET (1) to
 *    SYS_SENDMMSG (20) of include/uapi/linux/net.h, arguments in memory.
 *  - ipc(2) (ipc/syscall.c): `unsigned int call`; `version = call >> 16;
 *    call &= 0xffff;` then the calls of include/uapi/linux/ipc.h.
 *  - 16-bit ids (kernel/uid16.c): old_uid_t is 16 bits on x86-32, arm and
 *    s390-31; low2highuid() maps 0xffff to -1 and keeps the rest, so the
 *    kernel's uid is (x & 0xffff) == 0xffff ? 0xffffffff : x & 0xffff.
 */
#include "sysfence/compile/abi.h"

#include <linux/audit.h>
#include <string.h>

#include "sysfence/bpf.h"
#include "sysfence/util.h"

#ifndef AUDIT_ARCH_RISCV64
#define AUDIT_ARCH_RISCV64 (EM_RISCV | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif

#define X32_SYSCALL_BIT 0x40000000u

static const struct abi abis[] = {
	/* name, token, arg_bits, reg_bits, big_endian, uid16, x32_bit, compat, window, extra */
	{ "x86_64", AUDIT_ARCH_X86_64, 64, 64, false, false, X32_SYSCALL_BIT, AUDIT_ARCH_I386, 0,
	  0 },
	{ "x86", AUDIT_ARCH_I386, 32, 32, false, true, 0, 0, 0, 0 },
	{ "aarch64", AUDIT_ARCH_AARCH64, 64, 64, false, false, 0, AUDIT_ARCH_ARM, 0, 0 },
	{ "arm", AUDIT_ARCH_ARM, 32, 32, false, true, 0, 0, 0, 0x0f0000 },
	{ "riscv64", AUDIT_ARCH_RISCV64, 64, 64, false, false, 0, 0, 0, 0 },
	{ "ppc64le", AUDIT_ARCH_PPC64LE, 64, 64, false, false, 0, 0, 0, 0 },
	{ "ppc64", AUDIT_ARCH_PPC64, 64, 64, true, false, 0, AUDIT_ARCH_PPC, 0, 0 },
	{ "ppc", AUDIT_ARCH_PPC, 32, 32, true, false, 0, 0, 0, 0 },
	{ "s390x", AUDIT_ARCH_S390X, 64, 64, true, false, 0, AUDIT_ARCH_S390, 0, 0 },
	{ "s390", AUDIT_ARCH_S390, 32, 32, true, true, 0, 0, 0, 0 },
	{ "mips", AUDIT_ARCH_MIPS, 32, 32, true, false, 0, 0, 4000, 0 },
	{ "mipsel", AUDIT_ARCH_MIPSEL, 32, 32, false, false, 0, 0, 4000, 0 },
	{ "mips64", AUDIT_ARCH_MIPS64, 64, 64, true, false, 0, 0, 5000, 0 },
	{ "mipsel64", AUDIT_ARCH_MIPSEL64, 64, 64, false, false, 0, 0, 5000, 0 },
	{ "mips64n32", AUDIT_ARCH_MIPS64N32, 32, 64, true, false, 0, 0, 6000, 0 },
	{ "mipsel64n32", AUDIT_ARCH_MIPSEL64N32, 32, 64, false, false, 0, 0, 6000, 0 },
	{ "parisc", AUDIT_ARCH_PARISC, 32, 32, true, false, 0, 0, 0, 0 },
	{ "parisc64", AUDIT_ARCH_PARISC64, 64, 64, true, false, 0, 0, 0, 0 },
};

const struct abi *abi_all(size_t *count)
{
	*count = ARRAY_SIZE(abis);
	return abis;
}

const struct abi *abi_get(uint32_t token)
{
	for (size_t i = 0; i < ARRAY_SIZE(abis); i++)
		if (abis[i].token == token)
			return &abis[i];
	return NULL;
}

uint32_t abi_arg_offset(const struct abi *a, unsigned argno, bool high)
{
	return BPF_OFF_ARGS + 8 * argno + (high != a->big_endian ? 4 : 0);
}

static void put_word(struct seccomp_data *d, uint32_t off, uint32_t w)
{
	memcpy((unsigned char *)d + off, &w, sizeof(w));
}

static uint32_t get_word(const struct seccomp_data *d, uint32_t off)
{
	uint32_t w;

	memcpy(&w, (const unsigned char *)d + off, sizeof(w));
	return w;
}

void abi_seccomp_data(const struct abi *a, uint32_t nr, const uint64_t args[6],
		      struct seccomp_data *out)
{
	memset(out, 0, sizeof(*out));
	out->nr = (int)nr;
	out->arch = a->token;
	for (unsigned i = 0; i < 6; i++) {
		uint64_t v = a->reg_bits == 32 ? (uint32_t)args[i] : args[i];

		put_word(out, abi_arg_offset(a, i, false), (uint32_t)v);
		put_word(out, abi_arg_offset(a, i, true), (uint32_t)(v >> 32));
	}
}

uint64_t abi_seccomp_arg(const struct abi *a, const struct seccomp_data *d, unsigned argno)
{
	return (uint64_t)get_word(d, abi_arg_offset(a, argno, true)) << 32 |
	       get_word(d, abi_arg_offset(a, argno, false));
}

bool abi_is_x32(const struct abi *a, uint32_t nr)
{
	/*
	 * The kernel runs nr - __X32_SYSCALL_BIT as an x32 call when it is
	 * below its x32 table's size (arch/x86/entry/common.c); a filter kills
	 * the whole x32 half of the numbers.  Above it, "negative" numbers are
	 * no call at all (ENOSYS, and -1 is what ptracers set to skip one).
	 */
	return a->x32_bit && nr >= a->x32_bit && nr - a->x32_bit < a->x32_bit;
}

/* ---- multiplexers ---- */

struct mux_call {
	const char *name;
	uint8_t mux;
	uint8_t call;
};

/* include/uapi/linux/net.h SYS_*, include/uapi/linux/ipc.h; sorted by name. */
static const struct mux_call mux_calls[] = {
	{ "accept", ABI_MUX_SOCKETCALL, 5 },
	{ "accept4", ABI_MUX_SOCKETCALL, 18 },
	{ "bind", ABI_MUX_SOCKETCALL, 2 },
	{ "connect", ABI_MUX_SOCKETCALL, 3 },
	{ "getpeername", ABI_MUX_SOCKETCALL, 7 },
	{ "getsockname", ABI_MUX_SOCKETCALL, 6 },
	{ "getsockopt", ABI_MUX_SOCKETCALL, 15 },
	{ "listen", ABI_MUX_SOCKETCALL, 4 },
	{ "msgctl", ABI_MUX_IPC, 14 },
	{ "msgget", ABI_MUX_IPC, 13 },
	{ "msgrcv", ABI_MUX_IPC, 12 },
	{ "msgsnd", ABI_MUX_IPC, 11 },
	{ "recv", ABI_MUX_SOCKETCALL, 10 },
	{ "recvfrom", ABI_MUX_SOCKETCALL, 12 },
	{ "recvmmsg", ABI_MUX_SOCKETCALL, 19 },
	{ "recvmsg", ABI_MUX_SOCKETCALL, 17 },
	{ "semctl", ABI_MUX_IPC, 3 },
	{ "semget", ABI_MUX_IPC, 2 },
	{ "semop", ABI_MUX_IPC, 1 },
	{ "semtimedop", ABI_MUX_IPC, 4 },
	{ "send", ABI_MUX_SOCKETCALL, 9 },
	{ "sendmmsg", ABI_MUX_SOCKETCALL, 20 },
	{ "sendmsg", ABI_MUX_SOCKETCALL, 16 },
	{ "sendto", ABI_MUX_SOCKETCALL, 11 },
	{ "setsockopt", ABI_MUX_SOCKETCALL, 14 },
	{ "shmat", ABI_MUX_IPC, 21 },
	{ "shmctl", ABI_MUX_IPC, 24 },
	{ "shmdt", ABI_MUX_IPC, 22 },
	{ "shmget", ABI_MUX_IPC, 23 },
	{ "shutdown", ABI_MUX_SOCKETCALL, 13 },
	{ "socket", ABI_MUX_SOCKETCALL, 1 },
	{ "socketpair", ABI_MUX_SOCKETCALL, 8 },
};

const char *abi_mux_name(enum abi_mux m)
{
	return m == ABI_MUX_SOCKETCALL ? "socketcall" : m == ABI_MUX_IPC ? "ipc" : NULL;
}

enum abi_mux abi_mux_of(const char *name, uint32_t *call)
{
	size_t lo = 0, hi = ARRAY_SIZE(mux_calls);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, mux_calls[mid].name);

		if (!c) {
			*call = mux_calls[mid].call;
			return (enum abi_mux)mux_calls[mid].mux;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return ABI_MUX_NONE;
}

const char *abi_mux_call_name(enum abi_mux m, uint32_t call)
{
	for (size_t i = 0; i < ARRAY_SIZE(mux_calls); i++)
		if (mux_calls[i].mux == m && mux_calls[i].call == call)
			return mux_calls[i].name;
	return NULL;
}

/* The bits of the first argument the kernel reads to pick the call. */
static uint32_t mux_call_mask(enum abi_mux m)
{
	return m == ABI_MUX_IPC ? 0xffffu : UINT32_MAX;
}

uint32_t abi_mux_decode(enum abi_mux m, uint64_t arg0)
{
	return (uint32_t)arg0 & mux_call_mask(m);
}

/* ---- 16-bit ids ---- */

unsigned abi_uid16_args(const struct abi *a, const char *name)
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

/* ---- lowering ---- */

static uint64_t width_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/*
 * A negative number was stored as its two's complement in the argument
 * type's width; on an ABI that passes fewer bits it means the two's
 * complement in those bits, when it fits there.  One that does not fit
 * keeps its wide pattern, which no narrow value equals.
 */
static uint64_t narrow_negative(uint64_t v, unsigned type_bits, unsigned bits)
{
	uint64_t sign_and_above = width_mask(type_bits) & ~width_mask(bits - 1);

	if (bits >= type_bits || (v & sign_and_above) != sign_and_above)
		return v;
	return v & width_mask(bits);
}

/* The set of values an operator accepts within [0, max], as intervals. */
static enum abi_rule_kind op_ranges(enum policy_op op, uint64_t v, uint64_t max, uint64_t *lo,
				    uint64_t *hi, unsigned *n)
{
	*n = 0;
#define RANGE(a, b) (lo[*n] = (a), hi[(*n)++] = (b))
	switch (op) {
	case POLICY_OP_EQ:
		if (v > max)
			return ABI_RULE_NEVER;
		RANGE(v, v);
		break;
	case POLICY_OP_NE:
		if (v > max)
			return ABI_RULE_ALWAYS;
		if (v > 0)
			RANGE(0, v - 1);
		if (v < max)
			RANGE(v + 1, max);
		break;
	case POLICY_OP_GT:
		if (v >= max)
			return ABI_RULE_NEVER;
		RANGE(v + 1, max);
		break;
	case POLICY_OP_GE:
		if (v > max)
			return ABI_RULE_NEVER;
		if (v == 0)
			return ABI_RULE_ALWAYS;
		RANGE(v, max);
		break;
	case POLICY_OP_LT:
		if (v == 0)
			return ABI_RULE_NEVER;
		if (v > max)
			return ABI_RULE_ALWAYS;
		RANGE(0, v - 1);
		break;
	case POLICY_OP_LE:
		if (v >= max)
			return ABI_RULE_ALWAYS;
		RANGE(0, v);
		break;
	case POLICY_OP_ANY:
	case POLICY_OP_MASKED:
		return ABI_RULE_ALWAYS;
	}
#undef RANGE
	return ABI_RULE_CONDS;
}

static struct abi_cond *add_cond(struct abi_rule *out, enum abi_cond_kind kind, unsigned arg,
				 bool wide, uint32_t lomask)
{
	struct abi_cond *c = &out->cond[out->ncond++];

	memset(c, 0, sizeof(*c));
	c->kind = (uint8_t)kind;
	c->arg = (uint8_t)arg;
	c->wide = wide;
	c->lomask = lomask;
	return c;
}

static void add_ranges(struct abi_rule *out, unsigned arg, bool wide, uint32_t lomask,
		       const uint64_t *lo, const uint64_t *hi, unsigned n)
{
	struct abi_cond *c = add_cond(out, ABI_COND_RANGE, arg, wide, lomask);

	c->nranges = n;
	memcpy(c->lo, lo, n * sizeof(*lo));
	memcpy(c->hi, hi, n * sizeof(*hi));
}

/* An ordinary argument: the kernel reads min(type, register) bits. */
static enum abi_rule_kind lower_plain(const struct abi *a, const struct policy_arg *pa,
				      unsigned arg, struct abi_rule *out)
{
	unsigned type_bits = pa->width ? pa->width : 64;
	unsigned bits = type_bits < a->arg_bits ? type_bits : a->arg_bits;
	uint64_t max = width_mask(bits), v = pa->value, m = pa->mask;
	uint32_t lomask = (uint32_t)(bits >= 32 ? UINT32_MAX : max);
	bool wide = bits == 64;
	uint64_t lo[ABI_COND_MAX_RANGES], hi[ABI_COND_MAX_RANGES];
	unsigned n;
	enum abi_rule_kind k;

	if (pa->neg & POLICY_NEG_VALUE)
		v = narrow_negative(v, type_bits, bits);
	if (pa->neg & POLICY_NEG_MASK)
		m = narrow_negative(m, type_bits, bits);
	if (pa->op == POLICY_OP_MASKED) {
		m &= max;
		if (v & ~m)
			return ABI_RULE_NEVER;
		if (!m)
			return ABI_RULE_ALWAYS;
		if (wide && (m >> 32)) {
			struct abi_cond *c = add_cond(out, ABI_COND_MASK, arg, true, UINT32_MAX);

			c->mask = (uint32_t)(m >> 32);
			c->value = (uint32_t)(v >> 32);
		}
		if (m & UINT32_MAX) {
			struct abi_cond *c = add_cond(out, ABI_COND_MASK, arg, false, lomask);

			c->mask = (uint32_t)m;
			c->value = (uint32_t)v;
		}
		return ABI_RULE_CONDS;
	}
	k = op_ranges(pa->op, v, max, lo, hi, &n);
	if (k == ABI_RULE_CONDS)
		add_ranges(out, arg, wide, lomask, lo, hi, n);
	return k;
}

#define UID16_MINUS_ONE 0xffffu

/*
 * An id of an old 16-bit call: the kernel reads x = the low 16 bits and
 * uses uid (x == 0xffff ? -1 : x); the rule's value is a 32-bit uid_t.  So
 * only -1 has a 16-bit form, other values above 0xfffe never match.
 */
static enum abi_rule_kind lower_uid16(const struct policy_arg *pa, unsigned arg,
				      struct abi_rule *out)
{
	uint64_t v = pa->value, m = pa->mask;
	uint64_t lo[ABI_COND_MAX_RANGES + 1], hi[ABI_COND_MAX_RANGES + 1], slo[3], shi[3];
	unsigned n, sn = 0;
	bool minus_one;
	enum abi_rule_kind k;

	if (pa->op == POLICY_OP_MASKED) {
		uint32_t m16 = (uint32_t)(m & 0xffff);
		bool at_ffff = (UINT32_MAX & m) == v; /* the uid -1 matches */
		struct abi_cond *c;

		if (v > 0xffff || (v & ~(uint64_t)m16)) {
			if (!at_ffff)
				return ABI_RULE_NEVER;
			lo[0] = hi[0] = UID16_MINUS_ONE;
			add_ranges(out, arg, false, 0xffff, lo, hi, 1);
			return ABI_RULE_CONDS;
		}
		/*
		 * (x & m16) == v over all 16 bits holds at x = 0xffff exactly
		 * when m16 == v; the uid -1 matches when at_ffff.
		 */
		if ((m16 == v) == at_ffff) {
			if (!m16)
				return ABI_RULE_ALWAYS;
			c = add_cond(out, ABI_COND_MASK, arg, false, 0xffff);
			c->mask = m16;
			c->value = (uint32_t)v;
			return ABI_RULE_CONDS;
		}
		/* m16 == v but not the uid -1 (m has upper bits): x != 0xffff */
		if (m16) {
			c = add_cond(out, ABI_COND_MASK, arg, false, 0xffff);
			c->mask = m16;
			c->value = (uint32_t)v;
		}
		lo[0] = 0;
		hi[0] = UID16_MINUS_ONE - 1;
		add_ranges(out, arg, false, 0xffff, lo, hi, 1);
		return ABI_RULE_CONDS;
	}
	k = op_ranges(pa->op, v, UINT32_MAX, lo, hi, &n);
	if (k != ABI_RULE_CONDS)
		return k;
	/* The uids 0..0xfffe are x itself, the uid 0xffffffff is x = 0xffff. */
	minus_one = n && hi[n - 1] == UINT32_MAX;
	for (unsigned i = 0; i < n; i++) {
		if (lo[i] > UID16_MINUS_ONE - 1)
			continue;
		slo[sn] = lo[i];
		shi[sn++] = hi[i] < UID16_MINUS_ONE - 1 ? hi[i] : UID16_MINUS_ONE - 1;
	}
	if (minus_one) {
		if (sn && shi[sn - 1] == UID16_MINUS_ONE - 1)
			shi[sn - 1] = UID16_MINUS_ONE;
		else {
			slo[sn] = UID16_MINUS_ONE;
			shi[sn++] = UID16_MINUS_ONE;
		}
	}
	if (!sn)
		return ABI_RULE_NEVER;
	if (sn == 1 && slo[0] == 0 && shi[0] == UID16_MINUS_ONE)
		return ABI_RULE_ALWAYS;
	add_ranges(out, arg, false, 0xffff, slo, shi, sn);
	return ABI_RULE_CONDS;
}

enum abi_rule_kind abi_lower(const struct abi *a, const struct policy_rule *r, struct abi_rule *out)
{
	unsigned uid16 = abi_uid16_args(a, r->name);

	out->src = r;
	out->deny = r->deny;
	out->via_mux = false;
	out->ncond = 0;
	for (unsigned i = 0; i < r->nargs && i < POLICY_MAX_ARGS; i++) {
		enum abi_rule_kind k;

		if (r->args[i].op == POLICY_OP_ANY)
			continue;
		k = (uid16 & (1u << i)) ? lower_uid16(&r->args[i], i, out)
					: lower_plain(a, &r->args[i], i, out);
		if (k == ABI_RULE_NEVER)
			return ABI_RULE_NEVER;
	}
	return out->ncond ? ABI_RULE_CONDS : ABI_RULE_ALWAYS;
}

bool abi_lower_mux(const struct abi *a, const struct policy_rule *r, enum abi_mux m, uint32_t call,
		   struct abi_rule *out)
{
	uint64_t v = call;

	/* A denial denies the multiplexed call as a whole, conditions or not. */
	if (!r->deny && abi_lower(a, r, out) != ABI_RULE_ALWAYS)
		return false;
	out->src = r;
	out->deny = r->deny;
	out->via_mux = true;
	out->ncond = 0;
	add_ranges(out, 0, false, mux_call_mask(m), &v, &v, 1);
	return true;
}

bool abi_cond_holds(const struct abi_cond *c, const uint64_t args[6])
{
	uint64_t a = args[c->arg];

	if (c->kind == ABI_COND_MASK) {
		uint32_t w = c->wide ? (uint32_t)(a >> 32) : (uint32_t)a;

		return (w & c->mask) == c->value;
	}
	if (!c->wide)
		a = (uint32_t)a & c->lomask;
	for (unsigned i = 0; i < c->nranges; i++)
		if (a >= c->lo[i] && a <= c->hi[i])
			return true;
	return false;
}

bool abi_rule_holds(const struct abi_rule *r, const uint64_t args[6])
{
	for (unsigned i = 0; i < r->ncond; i++)
		if (!abi_cond_holds(&r->cond[i], args))
			return false;
	return true;
}
