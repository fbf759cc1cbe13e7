// SPDX-License-Identifier: MIT
/*
 * fuzz_oci: an OCI/Docker seccomp profile (JSON) -> policy text
 * (oci_import, behind --from-oci), then the diagnostics printer.  A profile
 * comes from anywhere, and its names and comments end up in policy text, so
 * the import must hold on anything.
 *
 * Beyond ASan/UBSan: success and failure are clean (a text exactly when
 * there is no error); the text is printable ASCII lines that the policy
 * parser reads without an error, so nothing of the JSON can smuggle a
 * directive or a rule in; the capabilities chosen and --strict vary with
 * the input.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "sysfence/compile/diag.h"
#include "sysfence/compile/policy.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/oci.h"

/* Docker's default profile is 13 KiB. */
#define FUZZ_MAX_INPUT (64u << 10)

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	syscalls_init();
	devnull = fopen("/dev/null", "w");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_opts o = { .kernel = { 6, 1 } };
	struct oci_result r;
	struct diag_list d;
	int rc;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	o.arches[o.narches++] = syscalls_arch_from_name("x86_64");
	o.arches[o.narches++] = syscalls_arch_from_name("x86");
	/* The input's length picks the capabilities and --strict. */
	o.caps = size % 3 == 0 ? 0 : size % 3 == 1 ? UINT64_MAX : UINT64_C(1) << 21;
	o.strict = size & 4;
	diag_init(&d, FUZZ_DIAG_LIMIT);
	rc = oci_import((const char *)data, size, &o, &r, &d);

	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT((rc == 0) == (d.errors == 0));
	FUZZ_ASSERT((rc == 0) == (r.text != NULL));
	if (rc == 0) {
		struct diag_list pd;
		struct policy pol;

		FUZZ_ASSERT(r.len == strlen(r.text));
		FUZZ_ASSERT(r.narches == 2);
		for (size_t i = 0; i < r.len; i++)
			FUZZ_ASSERT(r.text[i] == '\n' ||
				    ((unsigned char)r.text[i] >= 0x20 && r.text[i] < 0x7f));
		diag_init(&pd, FUZZ_DIAG_LIMIT);
		FUZZ_ASSERT(policy_parse(r.text, r.len, &fuzz_resolver, &pol, &pd) == 0);
		/* Only defaultAction SCMP_ACT_LOG turns complain mode on. */
		FUZZ_ASSERT(pol.mode != SF_MODE_UNRESTRICTED);
		policy_free(&pol);
		diag_free(&pd);
	} else {
		FUZZ_ASSERT(r.len == 0);
	}
	if (devnull)
		diag_print(devnull, &d, "fuzz.json", (const char *)data, size);
	oci_result_free(&r);
	diag_free(&d);
	return 0;
}
