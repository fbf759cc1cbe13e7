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
#define POLICY_MAX_LINE 4096	    /* longer lines are an error, never cut */
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

struct policy_arg {
	enum policy_op op;
	uint64_t value;
	uint64_t mask; /* POLICY_OP_MASKED only */
	/*
	 * How many low bits of the argument the kernel reads (16, 32 or 64),
	 * from argtypes.  Values are already reduced to this width, and every
	 * comparison is made on these bits only.
	 */
	uint8_t width;
	unsigned col; /* 1-based source column, for diagnostics */
};

struct policy_rule {
	char name[POLICY_NAME_MAX];
	bool deny;     /* '~' rule: explicit denial, EACCES */
	unsigned line; /* 1-based source line */
	unsigned col;  /* 1-based source column of the name */
	unsigned nargs;
	struct policy_arg args[POLICY_MAX_ARGS];
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

struct policy {
	enum sf_mode mode;
	struct policy_rule *rules;
	size_t count, cap;
	struct policy_binding *bindings;
	size_t nbindings;
};

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
void policy_free(struct policy *p);

/*
 * Does the rule's argument condition hold for this value?  The single
 * definition of the operators, shared by the explainer and the tests.
 */
bool policy_arg_matches(const struct policy_arg *a, uint64_t value);

#endif
