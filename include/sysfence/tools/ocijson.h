/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_OCIJSON_H
#define SYSFENCE_TOOLS_OCIJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/compile/diag.h"
#include "sysfence/compile/policy.h"

/*
 * The reader behind --from-oci (oci.c): JSON text in (json-c), a checked
 * profile out.  Every field is type-checked and every name validated here,
 * so nothing of the JSON reaches the policy text unchecked; what a rule
 * then means is decided by oci.c.
 */

#define OCI_MAX_ARCHES 32 /* names in one list */
#define OCI_TEXT_MAX 256  /* comments and descriptions kept, printable ASCII */

enum oci_action {
	OCI_ACT_ALLOW,
	OCI_ACT_ERRNO,
	OCI_ACT_LOG,
	OCI_ACT_KILL,
	OCI_ACT_KILL_PROCESS,
	OCI_ACT_KILL_THREAD,
	OCI_ACT_TRAP,
	OCI_ACT_TRACE,
	OCI_ACT_NOTIFY,
};

enum oci_op {
	OCI_OP_NE,
	OCI_OP_LT,
	OCI_OP_LE,
	OCI_OP_EQ,
	OCI_OP_GE,
	OCI_OP_GT,
	OCI_OP_MASKED_EQ, /* (arg & value) == (valueTwo & value) */
};

/* What oci.c made of a rule. */
enum oci_rule_kind {
	OCI_RULE_UNDECIDED,
	OCI_RULE_SKIPPED,	/* includes/excludes leave it out */
	OCI_RULE_DEFAULT,	/* the default action: nothing to write */
	OCI_RULE_ALLOW,		/* allow lines */
	OCI_RULE_DENY,		/* ERRNO(EACCES): '~' lines */
	OCI_RULE_CLONE3_ENOSYS, /* ERRNO(ENOSYS) for clone3: what sysfence does anyway */
};

struct oci_cond {
	unsigned index; /* argument, 0..5 */
	enum oci_op op;
	uint64_t value, two; /* value, valueTwo */
};

/* moby's "includes" / "excludes". */
struct oci_filter {
	bool has_arches;
	uint32_t arches[OCI_MAX_ARCHES]; /* those sysfence supports (x32 never matches) */
	size_t narches;
	char arches_text[OCI_TEXT_MAX];
	uint64_t caps; /* bit N: capability N */
	char caps_text[OCI_TEXT_MAX];
	bool has_kernel;
	unsigned kernel[2]; /* minKernel major, minor */
};

struct oci_rule {
	size_t index; /* in "syscalls" */
	char (*names)[POLICY_NAME_MAX];
	size_t nnames;
	char label[96]; /* the names, shortened, for messages */
	enum oci_action act;
	uint32_t err; /* SCMP_ACT_ERRNO's errno: errnoRet, errno, or EPERM */
	struct oci_cond conds[POLICY_MAX_ARGS];
	unsigned nconds;
	struct oci_filter includes, excludes;
	char filter_text[2 * OCI_TEXT_MAX + 64];
	char comment[OCI_TEXT_MAX];
	bool bad; /* an error was reported about it */
	enum oci_rule_kind kind;
	char why[2 * OCI_TEXT_MAX]; /* SKIPPED: which condition */
};

struct oci_archmap {
	uint32_t arch;			 /* "architecture" */
	uint32_t arches[OCI_MAX_ARCHES]; /* it and its subArchitectures */
	size_t narches;
};

struct oci_profile {
	enum oci_action default_act;
	uint32_t default_err;
	uint32_t architectures[OCI_MAX_ARCHES];
	size_t narchitectures;
	bool has_archmap;
	struct oci_archmap *archmap;
	size_t narchmap;
	bool lists_x32; /* an architecture list names x32 */
	struct oci_rule *rules;
	size_t nrules;
};

/*
 * Reads a profile (see oci_import).  Returns -1 when the text is not a
 * profile at all (JSON syntax, not an object); errors in single fields are
 * added to d and mark their rule bad, and 0 is returned so that every
 * error of the file is reported at once.  p must be freed either way.
 */
int ocijson_read(const char *json, size_t len, struct oci_profile *p, struct diag_list *d);
void ocijson_free(struct oci_profile *p);

const char *oci_action_name(enum oci_action a);

/* Capability number of "CAP_NAME" (exact spelling), or -1. */
int oci_cap_number(const char *name);

#endif
