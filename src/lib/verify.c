// SPDX-License-Identifier: MIT
/*
 * The one verifier (see verify.h): the launcher's step 5 and the heart of
 * libsysfence.  Nothing here attaches anything.
 */
#include "sysfence/lib/verify.h"

#include "sysfence/lib/probe.h"
#include "sysfence/util.h"

enum verify_result verify_blob(const void *buf, size_t len, uint32_t arch, struct blob *b,
			       struct load_plan *plan, char *why, size_t whylen)
{
	struct probe_features feat;
	char detail[256];
	int rc;

	rc = blob_parse(buf, len, b, detail, sizeof(detail));
	if (rc != BLOB_OK) {
		/* Only a program's refusal has a detail: which check, where. */
		if (rc == BLOB_ERR_PROGRAM)
			util_fail(why, whylen, "%s: %s", blob_strerror(rc), detail);
		else
			util_fail(why, whylen, "%s", blob_strerror(rc));
		return rc == BLOB_ERR_NOMEM ? VERIFY_NOMEM : VERIFY_BLOB;
	}
	if (probe_kernel(&feat, load_questions(b), why, whylen)) {
		blob_free(b);
		return VERIFY_KERNEL;
	}
	rc = load_prepare(b, arch, &feat, plan, why, whylen);
	if (rc) {
		blob_free(b);
		return rc == LOAD_ERR_ARCH ? VERIFY_ARCH : VERIFY_BLOB;
	}
	return VERIFY_OK;
}
