/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_OCIWRITE_H
#define SYSFENCE_TOOLS_OCIWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/blob.h"
#include "sysfence/compile/diag.h"
#include "sysfence/tools/oci.h"
#include "sysfence/tools/ocijson.h"

/*
 * Internal to --from-oci: what oci.c (deciding what each rule means) hands
 * ociwrite.c (writing the policy text), and the labels both print.
 */

/* One import under way. */
struct oci_importer {
	const struct oci_opts *o;
	struct diag_list *d;
	struct oci_profile *p;
	uint32_t targets[BLOB_MAX_ARCHES];
	size_t ntargets;
	/* The hosts moby would filter on: each target but a compat one. */
	uint32_t hosts[BLOB_MAX_ARCHES];
	size_t nhosts;
	bool has_enosys_clone3;
};

/* The name of an architecture in messages and --arch, or "?". */
const char *oci_arch_label(uint32_t arch);

/* "13 (EACCES)" in buf. */
const char *oci_errno_label(uint32_t e, char *buf, size_t len);

static inline uint64_t oci_width_max(unsigned width)
{
	return width >= 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1;
}

/* The value a condition compares with (MASKED_EQ: valueTwo & value). */
static inline uint64_t oci_cond_datum(const struct oci_cond *c)
{
	return c->op == OCI_OP_MASKED_EQ ? c->two & c->value : c->value;
}

/*
 * Writes the policy of an import whose rules are all decided into out.
 * Returns 0, or -1 when out of memory.
 */
int oci_write_policy(struct oci_importer *im, struct oci_result *out);

#endif
