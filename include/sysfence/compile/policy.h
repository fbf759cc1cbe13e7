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
#define POLICY_MAX_SIZE (16u << 20) /* bytes of policy source, includes and all */
#define POLICY_MAX_INCLUDE_DEPTH 16 /* files nested in one another by @include */
#define POLICY_MAX_FILES 256	    /* files in one policy, the main one included */

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
	/*
	 * POLICY_NEG_*: the value (mask) was written as a negative number.
	 * It is stored as the two's complement in `width`; an ABI that
	 * passes fewer bits takes it in its own width (abi_lower()).  (In
	 * the padding byte: a rule argument stays 24 bytes.)
	 */
	uint8_t neg;
	uint16_t col; /* 1-based source column, for diagnostics */
	uint64_t value;
	uint64_t mask; /* POLICY_OP_MASKED only */
};

#define POLICY_NEG_VALUE 1u
#define POLICY_NEG_MASK 2u

struct policy_rule {
	const char *name;	 /* NUL-terminated; interned, owned by the policy */
	struct policy_arg *args; /* nargs of them, owned by the policy; NULL if none */
	uint16_t file;		 /* index in the sources (struct policy_sources); 0 = main */
	uint16_t col;		 /* 1-based source column of the name */
	/*
	 * Bit fields keep a rule at 24 bytes (LP64): a 16 MiB policy has at
	 * most 2^24 + 1 lines, and a rule at most POLICY_MAX_ARGS arguments.
	 */
	unsigned line : 25; /* 1-based source line */
	unsigned nargs : 3;
	bool deny : 1;	  /* '~' rule: explicit denial, EACCES */
	bool group : 1;	  /* one call of a group rule (@basic-io): no table need know it */
	bool shipped : 1; /* from the shipped library, written for every architecture */
};

_Static_assert(POLICY_MAX_ARGS < 8, "nargs is 3 bits");
_Static_assert(POLICY_MAX_SIZE + 1 < (1u << 25), "line is 25 bits");

/*
 * @bind PATH: a program the profile is bound to, one it may be attached
 * for without no_new_privs (docs/security.md).  At most BLOB_MAX_BINDINGS,
 * each distinct and valid for blob_binding_valid().
 */
struct policy_binding {
	char *path;		  /* malloc'ed */
	unsigned file, line, col; /* of the path, for diagnostics */
};

/* A rule whose name is a system call on no architecture (never stored). */
struct policy_unknown {
	const char *name; /* interned, owned by the policy */
	unsigned file, line, col;
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
 * @include reads files through this, so that the parser stays pure (the
 * compiler passes include.c's reader; tests and fuzzers their own).
 * read() gets a path the parser resolved and returns 0 with a malloc'ed
 * *text the caller then owns, and an identity of the file (st_dev, st_ino)
 * in key; or a negative errno: -ENOENT, -EISDIR (a folder), -EINVAL (not a
 * regular file: a FIFO, a device), -EFBIG (more than max bytes).
 */
struct policy_includer {
	int (*read)(void *ctx, const char *path, size_t max, char **text, size_t *len,
		    uint64_t key[2]);
	const char *library; /* the folder of bare names (@include base); NULL: none */
	void *ctx;
};

/*
 * A policy's files: files[0] the main one (its text borrowed from the
 * caller), then every file @include brought in, depth first, each once.
 * Rules and diagnostics name their file by its index here.
 */
struct policy_sources {
	struct diag_file *files;
	uint64_t (*keys)[2]; /* per file; the main file's is {0, 0} */
	bool *shipped;	     /* per file: from the shipped library (is_shipped) */
	size_t count, cap;
	size_t bytes;	  /* of every file's text */
	bool failed;	  /* an @include could not be read: do not compile */
	size_t diag_from; /* the diagnostics of this policy start here */
};

/*
 * Reads what the policy text src (called name: includes are relative to
 * its folder) includes, and what those include, through inc (NULL: every
 * @include is an error).  Only @include lines are looked at here; their
 * errors (missing file, cycle, nesting, size) are reported at the @include
 * line and set out->failed.  Returns 0 or -1; out is always initialised
 * and must be freed.
 */
int policy_sources_load(const char *name, const char *src, size_t len,
			const struct policy_includer *inc, struct policy_sources *out,
			struct diag_list *diags);
void policy_sources_free(struct policy_sources *s);

/*
 * Parses every file of s into one policy, as if each @include were
 * replaced by its file.  Returns 0 when there is no error (and s did not
 * fail to load); otherwise -1 with the errors in diags.  Warnings never
 * fail.  out is always initialised and must be freed.
 */
int policy_parse_sources(const struct policy_sources *s, const struct policy_resolver *res,
			 const uint32_t *arches, size_t narches, struct policy *out,
			 struct diag_list *diags);

/*
 * Parses policy text (not NUL-terminated; NUL bytes are errors) that
 * includes nothing: policy_sources_load with no reader, then
 * policy_parse_sources.  Same contract.
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
