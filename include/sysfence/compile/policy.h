/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_POLICY_H
#define SYSFENCE_COMPILE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/compile/diag.h"
#include "sysfence/mode.h"

/* Policy language version 1; see docs/policy-language.md. */
#define POLICY_MAX_ARGS 6
#define POLICY_NAME_MAX 64	    /* syscall names, including the NUL */
#define POLICY_MAX_LINE 4096	    /* longer lines are an error, never cut; < 65535 */
#define POLICY_MAX_SIZE (16u << 20) /* bytes of policy source */

enum policy_op {
	POLICY_OP_ANY = 0, /* '-' */
	POLICY_OP_EQ,	   /* N */
	POLICY_OP_NE,	   /* !N */
	POLICY_OP_GT,	   /* >N */
	POLICY_OP_GE,	   /* >=N */
	POLICY_OP_LT,	   /* <N */
	POLICY_OP_LE,	   /* <=N */
	POLICY_OP_MASKED,  /* |N: (arg & N) == N;  A|B: (arg & A) == B */
};

/*
 * Rules are stored compactly (issue 15: a 16 MiB policy used to cost 130x
 * its size): 24 bytes per rule plus 24 per argument, the names interned
 * and the arguments in a pool, both owned by the struct policy.
 */
struct policy_arg {
	enum policy_op op;
	/*
	 * How many low bits of the argument the kernel reads (16, 32 or 64),
	 * from argtypes.  Values are already reduced to this width, and every
	 * comparison is made on these bits only.
	 */
	uint8_t width;
	uint16_t col; /* 1-based source column, for diagnostics */
	uint64_t value;
	uint64_t mask; /* POLICY_OP_MASKED only */
};

struct policy_rule {
	const char *name;	 /* NUL-terminated; interned, owned by the policy */
	struct policy_arg *args; /* nargs of them, owned by the policy; NULL if none */
	unsigned line;		 /* 1-based source line */
	uint16_t col;		 /* 1-based source column of the name */
	uint8_t nargs;
	bool deny; /* '~' rule: explicit denial, EACCES */
};

/*
 * @bind PATH: a program the profile is bound to, one it may be attached
 * for without no_new_privs (docs/security.md).  At most BLOB_MAX_BINDINGS,
 * each distinct and valid for blob_binding_valid().
 */
struct policy_binding {
	char *path;	    /* malloc'ed */
	unsigned line, col; /* of the path, for diagnostics */
};

/* A rule whose name is a system call on no architecture (never stored). */
struct policy_unknown {
	const char *name; /* interned, owned by the policy */
	unsigned line, col;
};

/* Unknown names kept for diagnostics; more than any diag_list limit used. */
#define POLICY_UNKNOWN_KEPT 256

struct policy_store; /* names and arguments: policy.c */

struct policy {
	enum sf_mode mode;
	struct policy_rule *rules; /* in source order, each one distinct */
	size_t count, cap;
	struct policy_binding *bindings;
	size_t nbindings;
	/* Rules identical to an earlier one but for their place: counted. */
	size_t duplicates;
	/*
	 * Rules naming no system call on any architecture: all counted in
	 * unknown_rules; a run of one name (other rules may sit between) is
	 * one report, and the first POLICY_UNKNOWN_KEPT reports are kept.
	 */
	struct policy_unknown *unknown;
	size_t nunknown, unknown_reports, unknown_rules;
	struct policy_store *store;
};

/*
 * Adds a copy of r (its name and arguments copied into the policy's
 * store).  A rule identical to an earlier one, or naming no system call,
 * is only counted.  Returns 0 when stored, 1 when counted, -1 when out of
 * memory.  Rule pointers stay valid until the next add.
 */
int policy_add_rule(struct policy *pol, const struct policy_rule *r);

/* Done adding: drops what only adding needs (policy_parse calls it). */
void policy_finish(struct policy *pol);

/*
 * u:NAME and g:NAME are resolved through these (NSS by default).  Return 0
 * and set *id when the name exists, -1 otherwise.  Tests and fuzzers pass
 * their own so the parser stays pure.
 */
struct policy_resolver {
	int (*user)(void *ctx, const char *name, uint32_t *id);
	int (*group)(void *ctx, const char *name, uint32_t *id);
	void *ctx;
};

extern const struct policy_resolver policy_nss_resolver;

/*
 * Parses policy text (not NUL-terminated; NUL bytes are errors).  Returns 0
 * when there is no error; otherwise -1 with the errors in diags.  Warnings
 * never fail.  out is always initialised and must be freed.
 */
int policy_parse(const char *src, size_t len, const struct policy_resolver *res, struct policy *out,
		 struct diag_list *diags);
/*
 * The same for a policy compiled for these architectures (AUDIT_ARCH_*):
 * named constants take their values there (policy_parse: the native one
 * and its compat one).
 */
int policy_parse_for(const char *src, size_t len, const struct policy_resolver *res,
		     const uint32_t *arches, size_t narches, struct policy *out,
		     struct diag_list *diags);
void policy_free(struct policy *p);

/*
 * The value grammar of the language, the one the parser and the tools use:
 * a number (decimal, 0x hex, 0 octal), -N, a named constant, u:USER or
 * g:GROUP.  With a syscall, the value is checked against and reduced to the
 * width of its argument argno, and -N is refused for unsigned arguments;
 * without one (a register value for --explain), it is a 64-bit register.
 */
struct policy_value_ctx {
	const struct policy_resolver *res; /* NULL: NSS */
	const uint32_t *arches;		   /* constants' values for these (AUDIT_ARCH_*); */
	size_t narches;			   /* none: the native one and its compat one */
	const char *syscall;		   /* NULL: a bare 64-bit register value */
	unsigned argno;
	bool suggest; /* "did you mean" for an unknown constant */
};

/* The constant exists on none of the arches: a comparison never holds. */
#define POLICY_VALUE_NEVER 1

/*
 * Parses s[0..len).  Returns 0; POLICY_VALUE_NEVER, with *out set to the
 * number the name has elsewhere; or -1 with a message in err and the byte
 * offset of the mistake in *erroff.
 */
int policy_parse_value(const char *s, size_t len, const struct policy_value_ctx *c, uint64_t *out,
		       char *err, size_t errlen, size_t *erroff);

/*
 * Does the rule's argument condition hold for this value?  The single
 * definition of the operators, shared by the explainer and the tests.
 */
bool policy_arg_matches(const struct policy_arg *a, uint64_t value);

#endif
