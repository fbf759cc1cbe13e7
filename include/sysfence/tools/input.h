/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_INPUT_H
#define SYSFENCE_TOOLS_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/blob.h"
#include "sysfence/bpf.h"
#include "sysfence/compile/compile.h"
#include "sysfence/compile/policy.h"

/*
 * What the admin tools (explain, disasm, report, diff, from-log) share:
 * one input type that may come from a policy, a blob or a bare program
 * written by --raw, the verdict of the stacked programs, and the list of
 * syscall numbers an architecture has.
 */

enum tool_input_kind {
	TOOL_INPUT_POLICY, /* text, compiled here; rules and source kept */
	TOOL_INPUT_BLOB,   /* a verified profile */
	TOOL_INPUT_RAW,	   /* struct sock_filter[] from --raw (+ FILE.deny) */
};

struct tool_input {
	enum tool_input_kind kind;
	const char *name;  /* as given, for messages */
	struct blob blob;  /* RAW: mode enforce, arches from the dispatcher */
	struct policy pol; /* POLICY only */
	char *src;	   /* POLICY only: the main file's text, NUL-terminated */
	size_t srclen;
	/* POLICY only: the main file and what it includes (pol's rule->file) */
	struct policy_sources sources;
	char raw_why[128]; /* RAW: why bpf_check refused a program, or "" */
};

/*
 * Guesses what bytes are: a blob (magic), a bare program (a multiple of 8
 * bytes that starts with `ld [arch]` in host order; text cannot contain
 * those NUL bytes) or policy text.
 */
enum tool_input_kind tool_input_sniff(const void *buf, size_t len);

/*
 * Builds a tool input from bytes already read (no I/O but the files a
 * policy includes, through opts->includer).  A policy is parsed and
 * compiled with opts; a blob is verified; a raw program is checked (a
 * failed check is kept in raw_why, not fatal, so disasm can still show it)
 * and deny may be NULL.  Returns 0, or -1 with a message in diags
 * (policies) or why.  buf is copied where needed.  Even after a failure,
 * in->sources holds the files diags point into (tool_input_free frees).
 */
int tool_input_from_bytes(struct tool_input *in, const char *name, const void *buf, size_t len,
			  const void *deny, size_t denylen, const struct compile_opts *opts,
			  struct diag_list *diags, char *why, size_t whylen);

void tool_input_free(struct tool_input *in);

/* Does the call go through (ALLOW, or LOG: allowed and logged)? */
bool tool_action_allows(uint32_t action);

/*
 * Syscall numbers the compiler's table knows on arch, ascending.  Returns
 * how many were stored (at most max).
 */
size_t tool_syscall_numbers(uint32_t arch, uint32_t *out, size_t max);

/*
 * The seccomp_data of a call as the kernel of arch lays it out (the ABI
 * model's abi_seccomp_data(); an architecture sysfence does not know gets
 * the host's layout, arguments untouched).
 */
void tool_seccomp_data(uint32_t arch, uint32_t nr, const uint64_t args[6], struct seccomp_data *d);

/*
 * Describes a seccomp_data offset: "nr", "arch", "ip", "args[2]",
 * "args[2].hi" ...  (the half named only when arch's byte order is known:
 * arch 0 gives "args[2]+4").
 */
const char *tool_offset_name(uint32_t arch, uint32_t off, char *buf, size_t len);

/*
 * Parses a syscall argument for --explain with the policy language's value
 * grammar (policy_parse_value): number, -N, constant (arch's value), u:/g:.
 * Returns 0, or -1 with a message in err.
 */
int tool_parse_value(const char *s, const struct policy_resolver *res, uint32_t arch, uint64_t *out,
		     char *err, size_t errlen);

/* Line `line` (1-based) of src, blanks trimmed, into buf. */
const char *tool_source_line(const char *src, size_t len, unsigned line, char *buf, size_t buflen);

/* The file a rule of a policy input comes from (its name and text). */
const struct diag_file *tool_rule_file(const struct tool_input *in, const struct policy_rule *r);

#endif
