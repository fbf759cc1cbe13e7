/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_OCI_H
#define SYSFENCE_TOOLS_OCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/blob.h"
#include "sysfence/compile/diag.h"

/*
 * --from-oci: an OCI / Docker seccomp profile (JSON) in, the equivalent
 * sysfence policy text out.  Pure: bytes in, text and diagnostics out; the
 * caller reads the file and writes the result.  The mapping, and what is
 * refused because sysfence cannot express it, is in
 * docs/policy-language.md ("Importing OCI and Docker profiles").
 */

#define OCI_MAX_SIZE (16u << 20) /* bytes of JSON */

struct oci_opts {
	/* Target architectures (--arch); none: chosen from the profile. */
	uint32_t arches[BLOB_MAX_ARCHES];
	size_t narches;
	uint64_t caps;	    /* capabilities the container holds: bit N = capability N */
	unsigned kernel[2]; /* the kernel minKernel is compared with: major, minor */
	bool strict;	    /* syscall names no table knows are errors */
	const char *source; /* the profile's name, for the header comment */
};

struct oci_result {
	char *text; /* the policy, NUL-terminated */
	size_t len;
	uint32_t arches[BLOB_MAX_ARCHES]; /* the architectures it was imported for */
	size_t narches;
};

/*
 * Imports a profile: a Docker/moby profile (archMap, includes/excludes), a
 * runtime-spec LinuxSeccomp object, or a whole runtime config.json (its
 * linux.seccomp).  Returns 0 with the policy in out, or -1 with the errors
 * in d (out is then empty).  Warnings and notes are added either way.
 * JSON syntax errors carry the line and column; the others name the
 * profile's field ("syscalls[12].args[0].op").
 */
int oci_import(const char *json, size_t len, const struct oci_opts *o, struct oci_result *out,
	       struct diag_list *d);
void oci_result_free(struct oci_result *r);

/*
 * --caps: "CAP_SYS_ADMIN,NET_RAW,..." (the CAP_ prefix optional, any case)
 * or "ALL"; ORed into *caps.  Returns 0, or -1 with a reason in why.
 */
int oci_parse_caps(const char *list, uint64_t *caps, char *why, size_t whylen);

/*
 * --kernel: "6.1", "6.1.0-13-amd64" (a release as uname -r prints it):
 * the first two numbers.  Returns 0 or -1.
 */
int oci_parse_kernel(const char *s, unsigned out[2]);

#endif
