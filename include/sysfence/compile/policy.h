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
	bool group;    /* one call of a group rule (@basic-io): no table need know it */
	unsigned file; /* index in the sources (struct policy_sources); 0 = main file */
	unsigned line; /* 1-based source line */
	unsigned col;  /* 1-based source column of the name */
	unsigned nargs;
	struct policy_arg args[POLICY_MAX_ARGS];
};

struct policy {
	enum sf_mode mode;
	struct policy_rule *rules;
	size_t count, cap;
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
			 struct policy *out, struct diag_list *diags);

/*
 * Parses policy text (not NUL-terminated; NUL bytes are errors) that
 * includes nothing: policy_sources_load with no reader, then
 * policy_parse_sources.  Same contract.
 */
int policy_parse(const char *src, size_t len, const struct policy_resolver *res, struct policy *out,
		 struct diag_list *diags);
void policy_free(struct policy *p);

/*
 * The lexer, shared by the parser and the @include loader (include.c) so
 * that both read lines alike.  policy_line_next returns the line at *pos
 * (its length without LF or CRLF in *len) and moves *pos past it; NULL at
 * the end.  policy_line_tokens splits a line into at most max tokens, the
 * comment stripped (*total: how many there are); 0 for a line the parser
 * rejects as a whole (too long, bad bytes).
 */
struct policy_token {
	const char *s;
	size_t len;
	unsigned col; /* 1-based */
};

const char *policy_line_next(const char **pos, const char *end, size_t *len);
size_t policy_line_tokens(const char *line, size_t len, struct policy_token *tok, size_t max,
			  size_t *total);

/*
 * Does the rule's argument condition hold for this value?  The single
 * definition of the operators, shared by the explainer and the tests.
 */
bool policy_arg_matches(const struct policy_arg *a, uint64_t value);

#endif
