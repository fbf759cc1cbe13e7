/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_OCIFIELD_H
#define SYSFENCE_TOOLS_OCIFIELD_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/compile/diag.h"
#include "sysfence/tools/ocijson.h"

/*
 * Internal to --from-oci's JSON reader (ocijson.c): checked access to one
 * value of a profile (ocifield.c).  Every error names the field by its
 * path ("syscalls[3].args[0].op") and marks the rule being read bad.
 */

/* One profile being read. */
struct oci_reader {
	struct diag_list *d;
	const char *src;
	size_t len;
	struct oci_rule *rule; /* the rule being read, marked bad on an error */
};

/* Reports an error (and marks rd->rule bad). */
void ocifield_fail(struct oci_reader *rd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Untrusted text for a message or a comment: printable ASCII, shortened. */
const char *ocifield_clean(const char *s, size_t n, char *buf, size_t buflen);

/* The closest of the names to s, or NULL. */
const char *ocifield_closest(const char *s, size_t n, const char *const *names, size_t count,
			     size_t stride);

/* "unknown X 'foo'; did you mean 'bar'?" */
void ocifield_fail_unknown(struct oci_reader *rd, const char *path, const char *what, const char *s,
			   size_t n, const char *suggestion);

/* "a string", "an array", ...: what a value is, for messages. */
const char *ocifield_type_name(struct json_object *v);

/* Is v of type t?  If not, an error "PATH: expected WHAT, got ...". */
bool ocifield_want(struct oci_reader *rd, struct json_object *v, enum json_type t, const char *path,
		   const char *what);

/* A null or missing array or object counts as empty, as Go decodes it. */
bool ocifield_absent(struct json_object *v);

/* An unsigned integer of at most max into *out; 0, or -1 (reported). */
int ocifield_uint(struct oci_reader *rd, struct json_object *v, const char *path, uint64_t max,
		  uint64_t *out);

/* A string (not NUL-terminated in general: *len bytes), or NULL (reported). */
const char *ocifield_string(struct oci_reader *rd, struct json_object *v, const char *path,
			    size_t *len);

/* Every field of an object must be one of these; a typo is not ignored. */
bool ocifield_known(struct oci_reader *rd, struct json_object *obj, const char *path,
		    const char *const *fields, size_t n);

/* The index of s[0..n) among names (NULL entries skipped), or -1. */
int ocifield_lookup(const char *s, size_t n, const char *const *names, size_t count);

/* An SCMP_ACT_* name; 0, or -1 (reported, with a suggestion). */
int ocifield_action(struct oci_reader *rd, struct json_object *v, const char *path,
		    enum oci_action *out);

/* errnoRet and errno (the name wins in containers/common; both must agree). */
int ocifield_errno(struct oci_reader *rd, struct json_object *ret, struct json_object *name,
		   const char *path_ret, const char *path_name, bool *given, uint32_t *out);

/* One architecture name; 0 (and *x32) for a known one sysfence cannot target. */
int ocifield_arch(struct oci_reader *rd, struct json_object *v, const char *path, uint32_t *out,
		  bool *x32);

/* An array of architecture names into arches (supported ones only). */
int ocifield_arches(struct oci_reader *rd, struct json_object *v, const char *path,
		    uint32_t *arches, size_t *narches, bool *x32, char *text, size_t textlen);

#endif
