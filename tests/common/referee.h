/* SPDX-License-Identifier: MIT */
/*
 * The referee: what a policy's text means for one call on one ABI, restated
 * from the kernel's and each ABI's rules and from docs/policy-language.md,
 * for the tests that judge compiled programs (the simulator on every
 * architecture, the real kernel on x86_64 and i386).
 *
 * It shares nothing with the compiler's reading of a policy: it parses the
 * rule text itself, carries its own table of the kernel's prototypes for
 * the syscalls it judges (SYSCALL_DEFINEn in the kernel sources), its own
 * facts per ABI (register width, 16-bit id calls, socketcall/ipc numbers,
 * x32), and decides with plain integer comparisons on the value the kernel
 * reads.  The only things it takes from the project are libseccomp's
 * syscall tables (syscalls_name/syscalls_nr: numbers are libseccomp's
 * business) and the named-constant table.  A call it has no prototype for
 * is not judged (referee_judge returns R_UNJUDGED): it never guesses.
 *
 * Header-only so the helpers (gcc) and the fuzz build (clang) share it.
 */
#ifndef SYSFENCE_TESTS_REFEREE_H
#define SYSFENCE_TESTS_REFEREE_H

#include <errno.h>
#include <grp.h>
#include <linux/audit.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/bpf.h"
#include "sysfence/compile/constants.h"
#include "sysfence/compile/syscalls.h"

enum ref_verdict {
	R_ALLOW,
	R_LOG, /* allowed and logged (complain mode) */
	R_EPERM,
	R_EACCES,
	R_ENOSYS,
	R_KILL,
	R_UNJUDGED, /* the referee has no prototype for this call */
};

static inline const char *ref_verdict_name(enum ref_verdict v)
{
	static const char *const n[] = { "ALLOW",  "LOG",  "EPERM",   "EACCES",
					 "ENOSYS", "KILL", "UNJUDGED" };

	return n[v];
}

/* What a filter's return value means, in the same terms. */
static inline enum ref_verdict ref_of_action(uint32_t a)
{
	switch (a & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
		return R_ALLOW;
	case SECCOMP_RET_LOG:
		return R_LOG;
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
		return R_KILL;
	case SECCOMP_RET_ERRNO:
		switch (a & SECCOMP_RET_DATA) {
		case EPERM:
			return R_EPERM;
		case EACCES:
			return R_EACCES;
		case ENOSYS:
			return R_ENOSYS;
		}
	}
	return R_UNJUDGED;
}

/* ---- the kernel's prototypes ---- */

enum ref_type {
	T_NONE = 0, /* no such parameter: the whole register counts */
	T_U64,	    /* unsigned long, size_t, pointers */
	T_S64,	    /* long, off_t, loff_t */
	T_U32,	    /* unsigned int */
	T_S32,	    /* int, pid_t, key_t */
	T_ID,	    /* uid_t, gid_t (16 bits in the old calls of x86, arm, s390) */
	T_MODE,	    /* umode_t: unsigned short */
};

struct ref_proto {
	const char *name;
	unsigned char arg[6];
	unsigned char ids; /* bitmask: old_uid_t on the 16-bit-id ABIs */
};

/* From the SYSCALL_DEFINEs of Linux 6.x (kernel/, net/, ipc/, fs/). */
static const struct ref_proto ref_protos[] = {
	{ "getppid", { 0 }, 0 },
	{ "getpid", { 0 }, 0 },
	{ "getuid", { 0 }, 0 },
	{ "getgid", { 0 }, 0 },
	{ "geteuid", { 0 }, 0 },
	{ "getegid", { 0 }, 0 },
	{ "gettid", { 0 }, 0 },
	{ "getpgrp", { 0 }, 0 },
	{ "sched_yield", { 0 }, 0 },
	{ "kill", { T_S32, T_S32 }, 0 },
	{ "tgkill", { T_S32, T_S32, T_S32 }, 0 },
	{ "ioctl", { T_U32, T_U32, T_U64 }, 0 },
	{ "fchmod", { T_U32, T_MODE }, 0 },
	{ "fchown", { T_U32, T_ID, T_ID }, 6 },
	{ "fchown32", { T_U32, T_ID, T_ID }, 0 },
	{ "setuid", { T_ID }, 1 },
	{ "setuid32", { T_ID }, 0 },
	{ "setresuid", { T_ID, T_ID, T_ID }, 7 },
	{ "setresuid32", { T_ID, T_ID, T_ID }, 0 },
	{ "lseek", { T_U32, T_S64, T_U32 }, 0 },
	{ "personality", { T_U32 }, 0 },
	{ "mknod", { T_U64, T_MODE, T_U32 }, 0 },
	{ "socket", { T_S32, T_S32, T_S32 }, 0 },
	{ "connect", { T_S32, T_U64, T_S32 }, 0 },
	{ "sendto", { T_S32, T_U64, T_U64, T_U32, T_U64, T_S32 }, 0 },
	{ "setsockopt", { T_S32, T_S32, T_S32, T_U64, T_S32 }, 0 },
	{ "shmget", { T_S32, T_U64, T_S32 }, 0 },
	{ "shmat", { T_S32, T_U64, T_S32 }, 0 },
	{ "semget", { T_S32, T_S32, T_S32 }, 0 },
	{ "socketcall", { T_S32, T_U64 }, 0 },
	{ "ipc", { T_U32, T_S32, T_U64, T_U64, T_U64, T_S64 }, 0 },
	{ "clone3", { T_U64, T_U64 }, 0 },
};

static inline const struct ref_proto *ref_proto(const char *name)
{
	for (size_t i = 0; i < sizeof(ref_protos) / sizeof(ref_protos[0]); i++)
		if (!strcmp(ref_protos[i].name, name))
			return &ref_protos[i];
	return NULL;
}

/* ---- the ABIs ---- */

struct ref_abi {
	uint32_t arch;
	unsigned bits;	 /* width of the values the kernel passes */
	unsigned regs;	 /* width of the registers a filter sees (n32: 64) */
	bool uid16;	 /* chown, setuid, ... are the old_uid_t calls */
	bool x32;	 /* x86_64: numbers 0x40000000..0x7fffffff are x32 calls */
	int socketcall;	 /* number of socketcall(2), or -1 */
	int ipc;	 /* number of ipc(2), or -1 */
	bool big_endian; /* how the test lays seccomp_data out for the simulator */
};

static const struct ref_abi ref_abis[] = {
	{ AUDIT_ARCH_X86_64, 64, 64, false, true, -1, -1, false },
	{ AUDIT_ARCH_I386, 32, 32, true, false, 102, 117, false },
	{ AUDIT_ARCH_AARCH64, 64, 64, false, false, -1, -1, false },
	{ AUDIT_ARCH_ARM, 32, 32, true, false, -1, -1, false }, /* EABI: no multiplexers */
	{ 0xc00000f3 /* AUDIT_ARCH_RISCV64 */, 64, 64, false, false, -1, -1, false },
	{ AUDIT_ARCH_PPC64LE, 64, 64, false, false, 102, 117, false },
	{ AUDIT_ARCH_PPC64, 64, 64, false, false, 102, 117, true },
	{ AUDIT_ARCH_PPC, 32, 32, false, false, 102, 117, true },
	{ AUDIT_ARCH_S390X, 64, 64, false, false, 102, 117, true },
	{ AUDIT_ARCH_S390, 32, 32, true, false, 102, 117, true },
	{ AUDIT_ARCH_MIPS, 32, 32, false, false, 4102, 4117, true },
	{ AUDIT_ARCH_MIPSEL, 32, 32, false, false, 4102, 4117, false },
	{ AUDIT_ARCH_MIPS64, 64, 64, false, false, -1, -1, true },
	{ AUDIT_ARCH_MIPSEL64, 64, 64, false, false, -1, -1, false },
	/* n32: 64-bit registers, but long and pointers are 32 bits */
	{ AUDIT_ARCH_MIPS64N32, 32, 64, false, false, -1, -1, true },
	{ AUDIT_ARCH_MIPSEL64N32, 32, 64, false, false, -1, -1, false },
	{ AUDIT_ARCH_PARISC, 32, 32, false, false, -1, -1, true },
	{ AUDIT_ARCH_PARISC64, 64, 64, false, false, -1, -1, true },
};

static inline const struct ref_abi *ref_abi(uint32_t arch)
{
	for (size_t i = 0; i < sizeof(ref_abis) / sizeof(ref_abis[0]); i++)
		if (ref_abis[i].arch == arch)
			return &ref_abis[i];
	return NULL;
}

/*
 * The simulator's input for a call, laid out the way the ABI's kernel
 * fills seccomp_data: args[i] is a u64 in the task's byte order (so a
 * 32-bit load at its offset reads the high half on big-endian ABIs), and
 * a 32-bit ABI passes 32-bit registers.
 */
static inline void ref_seccomp_data(const struct ref_abi *a, uint32_t nr, const uint64_t regs[6],
				    struct seccomp_data *d)
{
	memset(d, 0, sizeof(*d));
	d->nr = (int)nr;
	d->arch = a->arch;
	for (int i = 0; i < 6; i++) {
		uint64_t v = a->regs == 32 ? (uint32_t)regs[i] : regs[i];
		uint32_t words[2];

		words[a->big_endian ? 1 : 0] = (uint32_t)v;
		words[a->big_endian ? 0 : 1] = (uint32_t)(v >> 32);
		memcpy((unsigned char *)d + 16 + 8 * i, words, sizeof(words));
	}
}

/* ---- the policy text ---- */

enum ref_op {
	OP_ANY,
	OP_EQ,
	OP_NE,
	OP_GT,
	OP_GE,
	OP_LT,
	OP_LE,
	OP_MASK,
};

/* A number as written: its magnitude and whether it had a '-'. */
struct ref_num {
	uint64_t n;
	bool neg;
};

struct ref_arg {
	enum ref_op op;
	struct ref_num v, m; /* m: OP_MASK's mask */
};

struct ref_rule {
	char name[64];
	bool deny;
	unsigned nargs;
	struct ref_arg args[6];
};

struct ref_policy {
	struct ref_rule *rules;
	size_t n;
	bool complain, unrestricted;
};

static inline void ref_policy_free(struct ref_policy *p)
{
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

static inline bool ref_number(const char *s, size_t len, struct ref_num *out)
{
	char buf[128];
	char *end;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	out->neg = buf[0] == '-';
	if (len > 2 && (buf[0] == 'u' || buf[0] == 'g') && buf[1] == ':') {
		if (buf[0] == 'u') {
			struct passwd *pw = getpwnam(buf + 2);

			if (!pw)
				return false;
			out->n = pw->pw_uid;
		} else {
			struct group *gr = getgrnam(buf + 2);

			if (!gr)
				return false;
			out->n = gr->gr_gid;
		}
		return true;
	}
	if ((buf[out->neg] >= 'A' && buf[out->neg] <= 'Z') || buf[out->neg] == '_')
		return !out->neg && constants_lookup(buf, len, &out->n);
	errno = 0;
	/* strtoull's base 0 is the policy's syntax: 0x hex, 0 octal, decimal */
	out->n = strtoull(buf + out->neg, &end, 0);
	return !errno && *end == '\0' && end != buf + out->neg;
}

static inline bool ref_parse_arg(const char *s, size_t len, struct ref_arg *a)
{
	const char *bar = memchr(s, '|', len);
	size_t skip = 0;

	memset(a, 0, sizeof(*a));
	if (len == 1 && s[0] == '-')
		return true;
	if (bar) {
		a->op = OP_MASK;
		if (bar == s) /* |N: (arg & N) == N */
			return ref_number(s + 1, len - 1, &a->m) &&
			       ref_number(s + 1, len - 1, &a->v);
		return ref_number(s, (size_t)(bar - s), &a->m) &&
		       ref_number(bar + 1, len - (size_t)(bar - s) - 1, &a->v);
	}
	a->op = OP_EQ;
	if (s[0] == '!')
		a->op = OP_NE, skip = 1;
	else if (len > 1 && s[0] == '>' && s[1] == '=')
		a->op = OP_GE, skip = 2;
	else if (s[0] == '>')
		a->op = OP_GT, skip = 1;
	else if (len > 1 && s[0] == '<' && s[1] == '=')
		a->op = OP_LE, skip = 2;
	else if (s[0] == '<')
		a->op = OP_LT, skip = 1;
	return ref_number(s + skip, len - skip, &a->v);
}

static inline bool ref_parse_lines(const char *src, size_t len, struct ref_policy *p)
{
	const char *line = src, *end = src + len;

	memset(p, 0, sizeof(*p));
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *le = nl ? nl : end, *hash = memchr(line, '#', (size_t)(le - line));
		const char *tok[8];
		size_t tlen[8], nt = 0;
		struct ref_rule r;

		if (hash)
			le = hash;
		for (const char *c = line; c < le;) {
			while (c < le && (*c == ' ' || *c == '\t' || *c == '\r'))
				c++;
			if (c == le)
				break;
			if (nt == 8)
				return false;
			tok[nt] = c;
			while (c < le && *c != ' ' && *c != '\t' && *c != '\r')
				c++;
			tlen[nt] = (size_t)(c - tok[nt]);
			nt++;
		}
		line = nl ? nl + 1 : end;
		if (!nt)
			continue;
		if (tok[0][0] == '@') {
			if (tlen[0] == 9 && !memcmp(tok[0], "@complain", 9))
				p->complain = true;
			else if (tlen[0] == 13 && !memcmp(tok[0], "@unrestricted", 13))
				p->unrestricted = true;
			else
				return false;
			continue;
		}
		memset(&r, 0, sizeof(r));
		r.deny = tok[0][0] == '~';
		if (tlen[0] - r.deny >= sizeof(r.name))
			return false;
		memcpy(r.name, tok[0] + r.deny, tlen[0] - r.deny);
		r.nargs = (unsigned)nt - 1;
		for (unsigned i = 0; i < r.nargs; i++)
			if (!ref_parse_arg(tok[i + 1], tlen[i + 1], &r.args[i]))
				return false;
		{
			struct ref_rule *nr = realloc(p->rules, (p->n + 1) * sizeof(*nr));

			if (!nr)
				return false;
			p->rules = nr;
			p->rules[p->n++] = r;
		}
	}
	return true;
}

/* Parses rule lines (no @include or groups); false on anything else. */
static inline bool ref_parse(const char *src, size_t len, struct ref_policy *p)
{
	if (ref_parse_lines(src, len, p))
		return true;
	ref_policy_free(p);
	return false;
}

/* ---- meaning ---- */

static inline uint64_t ref_mask_of(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/*
 * How one argument is read: the bits of the register the kernel keeps
 * (the parameter's type, cut to the ABI's register width), and whether it
 * is an old 16-bit id (x = the low 16 bits, the uid is x == 0xffff ? -1 : x).
 */
struct ref_view {
	unsigned bits; /* of the value the rule's number is compared with */
	bool uid16;
};

static inline struct ref_view ref_view_of(const struct ref_abi *a, const struct ref_proto *pr,
					  unsigned i)
{
	struct ref_view v = { 64, false };

	switch (pr->arg[i]) {
	case T_U32:
	case T_S32:
	case T_ID:
		v.bits = 32;
		break;
	case T_MODE:
		v.bits = 16;
		break;
	default:
		break;
	}
	if (v.bits > a->bits)
		v.bits = a->bits;
	if (pr->arg[i] == T_ID && a->uid16 && (pr->ids & (1u << i)))
		v.uid16 = true; /* the rule's value is still a 32-bit uid_t */
	return v;
}

/* What the kernel works with, from the register. */
static inline uint64_t ref_seen(struct ref_view v, uint64_t reg)
{
	if (v.uid16) {
		uint64_t x = reg & 0xffff;

		return x == 0xffff ? 0xffffffffu : x;
	}
	return reg & ref_mask_of(v.bits);
}

/*
 * The rule's number in the view: a negative one is its two's complement in
 * the bits the ABI passes; one that does not fit there keeps its 64-bit
 * pattern, which no value read equals.
 */
static inline uint64_t ref_value(struct ref_view v, struct ref_num n)
{
	unsigned bits = v.bits;

	if (!n.neg)
		return n.n;
	if (n.n && n.n - 1 < (UINT64_C(1) << (bits - 1)))
		return (0 - n.n) & ref_mask_of(bits);
	return 0 - n.n;
}

static inline bool ref_cond(enum ref_op op, uint64_t s, uint64_t v, uint64_t m)
{
	switch (op) {
	case OP_ANY:
		return true;
	case OP_EQ:
		return s == v;
	case OP_NE:
		return s != v;
	case OP_GT:
		return s > v;
	case OP_GE:
		return s >= v;
	case OP_LT:
		return s < v;
	case OP_LE:
		return s <= v;
	case OP_MASK:
		return (s & m) == v;
	}
	return false;
}

static inline bool ref_arg_holds(const struct ref_abi *a, const struct ref_proto *pr, unsigned i,
				 const struct ref_arg *ra, uint64_t reg)
{
	struct ref_view v = ref_view_of(a, pr, i);
	/* a 16-bit id's rule value is a uid_t: negative numbers in 32 bits */
	struct ref_view vv = v.uid16 ? (struct ref_view){ 32, false } : v;

	return ref_cond(ra->op, ref_seen(v, reg), ref_value(vv, ra->v), ref_value(vv, ra->m));
}

/* Does the condition hold whatever the caller passes? */
static inline bool ref_arg_always(const struct ref_abi *a, const struct ref_proto *pr, unsigned i,
				  const struct ref_arg *ra)
{
	struct ref_view v = ref_view_of(a, pr, i);
	struct ref_view vv = v.uid16 ? (struct ref_view){ 32, false } : v;
	uint64_t val = ref_value(vv, ra->v), max = v.uid16 ? 0xffffffffu : ref_mask_of(v.bits);
	uint64_t probes[] = { 0, 1, max, max - 1, val - 1, val, val + 1, 0xfffe, 0xfffd };

	if (ra->op == OP_ANY)
		return true;
	if (ra->op == OP_MASK)
		return ref_cond(OP_MASK, 0, val, ref_value(vv, ra->m)) &&
		       ref_cond(OP_MASK, max, val, ref_value(vv, ra->m));
	/* one bound: the truth can only change next to it */
	for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
		uint64_t s = probes[k];

		if (s > max || (v.uid16 && s > 0xfffe && s != 0xffffffffu))
			continue;
		if (!ref_cond(ra->op, s, val, 0))
			return false;
	}
	return true;
}

static inline bool ref_rule_matches(const struct ref_abi *a, const struct ref_proto *pr,
				    const struct ref_rule *r, const uint64_t regs[6])
{
	for (unsigned i = 0; i < r->nargs; i++)
		if (!ref_arg_holds(a, pr, i, &r->args[i], regs[i]))
			return false;
	return true;
}

static inline bool ref_rule_always(const struct ref_abi *a, const struct ref_proto *pr,
				   const struct ref_rule *r)
{
	for (unsigned i = 0; i < r->nargs; i++)
		if (!ref_arg_always(a, pr, i, &r->args[i]))
			return false;
	return true;
}

/* include/uapi/linux/net.h SYS_* and include/uapi/linux/ipc.h */
static inline const char *ref_mux_call(bool ipc, uint32_t call)
{
	static const char *const sock[] = { NULL,	  "socket",   "bind",	     "connect",
					    "listen",	  "accept",   "getsockname", "getpeername",
					    "socketpair", "send",     "recv",	     "sendto",
					    "recvfrom",	  "shutdown", "setsockopt",  "getsockopt",
					    "sendmsg",	  "recvmsg",  "accept4",     "recvmmsg",
					    "sendmmsg" };
	static const char *const sysv[] = {
		[1] = "semop",	 [2] = "semget",  [3] = "semctl",  [4] = "semtimedop",
		[11] = "msgsnd", [12] = "msgrcv", [13] = "msgget", [14] = "msgctl",
		[21] = "shmat",	 [22] = "shmdt",  [23] = "shmget", [24] = "shmctl",
	};

	if (ipc)
		return call < sizeof(sysv) / sizeof(sysv[0]) ? sysv[call] : NULL;
	return call < sizeof(sock) / sizeof(sock[0]) ? sock[call] : NULL;
}

/*
 * The verdict for a call: arch, number and the registers as the process
 * sets them.  arches: the architectures the policy was compiled for.
 */
static inline enum ref_verdict referee_judge(const struct ref_policy *p, const uint32_t *arches,
					     size_t narches, uint32_t arch, uint32_t nr,
					     const uint64_t regs_in[6])
{
	const struct ref_abi *a = ref_abi(arch);
	const struct ref_proto *pr;
	bool known_arch = false, allow = false, deny = false, mux;
	uint64_t regs[6];
	char name[64];
	const char *call = NULL;

	if (p->unrestricted)
		return R_ALLOW;
	for (size_t i = 0; i < narches; i++)
		known_arch |= arches[i] == arch;
	if (!known_arch || !a)
		return R_KILL;
	if (a->x32 && nr >= 0x40000000u && nr < 0x80000000u)
		return R_KILL;
	if (!syscalls_name(arch, (int)nr, name, sizeof(name)))
		return R_ENOSYS;
	pr = ref_proto(name);
	if (!pr)
		return R_UNJUDGED;
	for (int i = 0; i < 6; i++)
		regs[i] = a->bits == 32 ? (uint32_t)regs_in[i] : regs_in[i];
	mux = (int64_t)nr == a->socketcall || (int64_t)nr == a->ipc;
	if (mux) {
		bool ipc = (int64_t)nr == a->ipc;
		/* socketcall reads an int; ipc an unsigned int, the call in its low 16 bits */
		uint32_t c = ipc ? (uint32_t)regs[0] & 0xffff : (uint32_t)regs[0];

		call = ref_mux_call(ipc, c);
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct ref_rule *r = &p->rules[i];

		if (!strcmp(r->name, name)) {
			if (ref_rule_matches(a, pr, r, regs))
				*(r->deny ? &deny : &allow) = true;
		} else if (call && !strcmp(r->name, call)) {
			const struct ref_proto *cp = ref_proto(call);

			/*
			 * Through the multiplexer the call's arguments are in
			 * memory: a denial denies it whole, an allow counts only
			 * when it holds whatever the arguments.
			 */
			if (r->deny)
				deny = true;
			else if (!cp)
				return R_UNJUDGED;
			else if (ref_rule_always(a, cp, r))
				allow = true;
		}
	}
	if (deny)
		return R_EACCES;
	if (allow)
		return R_ALLOW;
	if (!strcmp(name, "clone3"))
		return R_ENOSYS;
	return p->complain ? R_LOG : R_EPERM;
}

#endif
