/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_COMPILE_H
#define SYSFENCE_COMPILE_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/blob.h"
#include "sysfence/compile/diag.h"
#include "sysfence/compile/policy.h"

/* The pipeline text -> rules -> programs -> blob, without any file I/O. */
struct compile_opts {
	uint32_t arches[BLOB_MAX_ARCHES];
	size_t narches;
	bool strict;
	const struct policy_resolver *resolver; /* NULL: NSS */
};

/*
 * "sysfence-compile 0.1.0 libseccomp=2.5.4 syscalls=... blob=2 features=..."
 * The string --version prints and that goes into every source digest, so
 * a package manager that stores it knows when to recompile.
 */
const char *compile_identity(void);

/* SHA-256 over identity, options and source: the blob's source digest. */
void compile_source_digest(const struct compile_opts *o, const char *src, size_t len,
			   uint8_t out[DIGEST_SIZE]);

/* Returns 0, or -1 with errors in d (warnings are added either way). */
int compile_policy(const char *src, size_t len, const struct compile_opts *o, struct blob *out,
		   struct diag_list *d);

#endif
