/* SPDX-License-Identifier: MIT */
/*
 * The policy's meaning, restated from docs/policy-language.md for the
 * tests that judge compiled programs against it (tests/helpers/sf-diffcheck
 * and tests/fuzz/fuzz_compile): the rules evaluated directly, with
 * policy_arg_matches() and the precedence table, never through BPF.
 * Header-only so the fuzz build (clang) and the helpers (gcc) share it.
 */
#ifndef SYSFENCE_TESTS_ORACLE_H
#define SYSFENCE_TESTS_ORACLE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sysfence/bpf.h"
#include "sysfence/compile/policy.h"

enum verdict {
	V_ALLOW,
	V_EPERM,
	V_EACCES,
	V_OTHER
};

static inline const char *verdict_name(enum verdict v)
{
	static const char *const n[] = { "ALLOW", "EPERM", "EACCES", "OTHER" };

	return n[v];
}

/*
 * On x86 (and arm, s390) chown, setuid, ... are the 16-bit-id calls: their
 * id arguments count on 16 bits, -1 meaning 0xffff.  False when the
 * condition can never hold there.
 */
static inline bool oracle_uid16(const char *call, unsigned argno, struct policy_arg *a)
{
	static const struct {
		const char *name;
		unsigned args;
	} calls[] = {
		{ "chown", 6 },	    { "fchown", 6 },   { "lchown", 6 },	  { "setfsgid", 1 },
		{ "setfsuid", 1 },  { "setgid", 1 },   { "setregid", 3 }, { "setresgid", 7 },
		{ "setresuid", 7 }, { "setreuid", 3 }, { "setuid", 1 },
	};
	bool id = false;

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(calls[i].name, call) && (calls[i].args & (1u << argno)))
			id = true;
	if (!id || a->op == POLICY_OP_ANY)
		return true;
	a->width = 16;
	if (a->value >= 0xffff0000u && a->value <= 0xffffffffu)
		a->value &= 0xffff;
	else if (a->op != POLICY_OP_MASKED && a->value > 0xffff)
		/* no 16-bit value equals it; "!=" and "<" always hold */
		a->value = a->op == POLICY_OP_NE || a->op == POLICY_OP_LT || a->op == POLICY_OP_LE
				   ? UINT64_MAX
				   : a->value;
	a->mask &= 0xffff;
	return !(a->op == POLICY_OP_MASKED && (a->value & ~a->mask));
}

/* arch32: the x86 compat ABI (32-bit registers, 16-bit-id calls). */
static inline bool oracle_rule_matches(const struct policy_rule *r, const char *call,
				       const uint64_t *args, bool arch32)
{
	if (strcmp(r->name, call))
		return false;
	for (unsigned i = 0; i < r->nargs; i++) {
		struct policy_arg a = r->args[i];
		uint64_t v = arch32 ? (uint32_t)args[i] : args[i];

		if (arch32 && !oracle_uid16(call, i, &a))
			return false;
		if (!policy_arg_matches(&a, v))
			return false;
	}
	return true;
}

/* "Precedence, exactly": a '~' match decides, then an allow or complain. */
static inline enum verdict oracle_verdict(const struct policy *p, const char *call,
					  const uint64_t *args, bool arch32)
{
	bool allow = false, deny = false;

	for (size_t i = 0; i < p->count; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (oracle_rule_matches(r, call, args, arch32)) {
			if (r->deny)
				deny = true;
			else
				allow = true;
		}
	}
	if (deny)
		return V_EACCES;
	if (allow || p->mode == SF_MODE_COMPLAIN)
		return V_ALLOW;
	return V_EPERM;
}

/* What a filter verdict means for the caller. */
static inline enum verdict verdict_of_action(uint32_t a)
{
	switch (a & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return V_ALLOW;
	case SECCOMP_RET_ERRNO:
		return (a & SECCOMP_RET_DATA) == EPERM	  ? V_EPERM
		       : (a & SECCOMP_RET_DATA) == EACCES ? V_EACCES
							  : V_OTHER;
	}
	return V_OTHER;
}

#endif
