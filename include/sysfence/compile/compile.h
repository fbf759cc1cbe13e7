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
	const struct policy_includer *includer; /* NULL: @include is an error */
};

/*
 * "sysfence-compile 0.1.0 libseccomp=2.5.4 syscalls=... blob=2 features=..."
 * The string --version prints and that goes into every source digest, so
 * a package manager that stores it knows when to recompile.
 */
const char *compile_identity(void);

/*
 * The policy text src, called name, and every file it includes (through
 * o->includer): policy_sources_load.  Returns 0, or -1 with errors in d;
 * s is always initialised and must be freed (policy_sources_free).
 */
int compile_load(const char *name, const char *src, size_t len, const struct compile_opts *o,
		 struct policy_sources *s, struct diag_list *d);

/*
 * SHA-256 over identity, options, the group lists, and every byte of every
 * file with the names includes resolved to: the blob's source digest.  A
 * change in an included file changes it, so batch mode recompiles.
 */
void compile_source_digest(const struct compile_opts *o, const struct policy_sources *s,
			   uint8_t out[DIGEST_SIZE]);

/* Returns 0, or -1 with errors in d (warnings are added either way). */
int compile_sources(const struct policy_sources *s, const struct compile_opts *o, struct blob *out,
		    struct diag_list *d);

/* compile_load ("<policy>", relative to the current folder), then compile_sources. */
int compile_policy(const char *src, size_t len, const struct compile_opts *o, struct blob *out,
		   struct diag_list *d);

#endif
