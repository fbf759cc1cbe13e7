/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LIB_VERIFY_H
#define SYSFENCE_LIB_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "sysfence/blob.h"
#include "sysfence/lib/load.h"

/*
 * The one verifier: sysfence-launch and libsysfence both turn a profile's
 * bytes into a plan with it, and attach the plan with load_apply.
 */
enum verify_result {
	VERIFY_OK = 0,
	VERIFY_BLOB,   /* not a valid blob (blob_parse), or one no kernel can load */
	VERIFY_ARCH,   /* valid, but not compiled for this architecture */
	VERIFY_KERNEL, /* a probe was answered outside seccomp's contract */
	VERIFY_NOMEM,
};

/*
 * Verifies buf as a blob (blob_parse: size, magic, version, header fields,
 * SHA-256 digest, bpf_check of every program), asks the running kernel
 * only what loading it needs (load_questions, probe_kernel) and plans the
 * load for arch (load_prepare: the architecture must be listed; LOG and
 * KILL_PROCESS rewritten where the kernel lacks them).  On VERIFY_OK *b
 * owns the programs (blob_free) and *plan points into them; otherwise
 * nothing is kept.  why always gets the reason, in the words
 * sysfence-launch prints.
 */
enum verify_result verify_blob(const void *buf, size_t len, uint32_t arch, struct blob *b,
			       struct load_plan *plan, char *why, size_t whylen);

#endif
