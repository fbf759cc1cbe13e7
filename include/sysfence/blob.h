/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_BLOB_H
#define SYSFENCE_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/bpf.h"
#include "sysfence/digest.h"
#include "sysfence/mode.h"

/*
 * The compiled profile, see docs/blob-format.md.  One reader and one writer,
 * shared by the compiler, the launcher and the tools.  Both are pure: bytes
 * in, bytes out; the callers do the I/O.
 */
#define BLOB_MAGIC "SYSFENCE"
#define BLOB_MAGIC_LEN 8
#define BLOB_VERSION 2u
#define BLOB_HEADER_SIZE 192u
#define BLOB_MAX_ARCHES 8u
#define BLOB_INSN_SIZE 8u
#define BLOB_STRING_LEN 16u
/* Bindings: the programs a trusted profile may run without no_new_privs. */
#define BLOB_MAX_BINDINGS 32u
#define BLOB_BINDING_MAX 4096u	      /* bytes of one path, NUL included (PATH_MAX) */
#define BLOB_BINDINGS_MAX_SIZE 16384u /* bytes of every path, NULs included */
/*
 * The longest profile name in a store: NAME.bin must fit one file name
 * (NAME_MAX, 255 bytes).  The launcher refuses longer names and the
 * compiler's --out-dir does not write them.
 */
#define BLOB_NAME_MAX 251u
#define BLOB_MAX_SIZE                                                                              \
	(BLOB_HEADER_SIZE + 2u * BPF_MAXINSNS * BLOB_INSN_SIZE + BLOB_BINDINGS_MAX_SIZE)

struct blob {
	enum sf_mode mode;
	uint32_t narches;
	uint32_t arches[BLOB_MAX_ARCHES]; /* AUDIT_ARCH_* values */
	/*
	 * Attached in this order: deny first (may be empty: explicit denials
	 * when they are compiled as a filter of their own, default ALLOW),
	 * then allow (the policy, default EPERM or LOG).
	 */
	struct bpf_prog deny;
	struct bpf_prog allow;
	/*
	 * Absolute paths of the programs this profile is bound to (@bind):
	 * the launcher may attach it without no_new_privs for these only.
	 * binding_data holds them NUL-terminated, one after the other.
	 */
	uint32_t nbindings;
	uint32_t binding_off[BLOB_MAX_BINDINGS];
	char *binding_data;
	uint32_t binding_size;			  /* bytes of binding_data, NULs included */
	uint8_t digest[DIGEST_SIZE];		  /* integrity, see blob_serialize */
	uint8_t source_digest[DIGEST_SIZE];	  /* policy source + compiler identity */
	char libseccomp_version[BLOB_STRING_LEN]; /* NUL-terminated */
	char compiler_version[BLOB_STRING_LEN];	  /* NUL-terminated */
};

enum blob_error {
	BLOB_OK = 0,
	BLOB_ERR_TRUNCATED,
	BLOB_ERR_TOO_BIG,
	BLOB_ERR_MAGIC,
	BLOB_ERR_VERSION,
	BLOB_ERR_HEADER,  /* a field out of range, reserved bytes set */
	BLOB_ERR_SIZE,	  /* file size does not match the program lengths */
	BLOB_ERR_DIGEST,  /* integrity digest mismatch */
	BLOB_ERR_PROGRAM, /* a program fails bpf_check */
	BLOB_ERR_NOMEM,
	BLOB_ERR_BINDING, /* a binding that is not an absolute path, or too many */
};

const char *blob_strerror(int err);

/*
 * Parses and verifies: size, magic, version, header fields, integrity
 * digest, then bpf_check on both programs.  On success the programs are
 * copies owned by *out (free with blob_free).  A detail for a
 * BLOB_ERR_PROGRAM goes to why (may be NULL).
 */
int blob_parse(const void *buf, size_t len, struct blob *out, char *why, size_t whylen);

/*
 * Serialises b, filling in b->digest (SHA-256 over the whole file with the
 * digest field zeroed, so no header byte can change unnoticed).  *out is
 * malloc'ed.
 */
int blob_serialize(struct blob *b, uint8_t **out, size_t *outlen);

void blob_free(struct blob *b);

/*
 * Adds a binding (an absolute path, at most BLOB_BINDING_MAX - 1 bytes,
 * no control bytes, no "." or ".." component, no "//").  A path already
 * bound is not added twice.  Returns BLOB_OK, BLOB_ERR_BINDING or
 * BLOB_ERR_NOMEM.
 */
int blob_add_binding(struct blob *b, const char *path);

/* Is path acceptable as a binding (the rule blob_add_binding applies)? */
bool blob_binding_valid(const char *path, size_t len);

/* Binding i (i < nbindings), NUL-terminated. */
const char *blob_binding(const struct blob *b, uint32_t i);

/*
 * What the kernel answers one call under this blob, simulated with
 * bpf_run(): the deny program is attached first and the allow program last,
 * so the verdict is bpf_combine(run(allow), run(deny)).  An unrestricted
 * blob has no filter: ALLOW.  allow_ret, deny_ret and steps (the
 * instructions both programs executed) may be NULL.
 */
uint32_t blob_verdict(const struct blob *b, const struct seccomp_data *d, uint32_t *allow_ret,
		      uint32_t *deny_ret, unsigned *steps);

/* Is the architecture one the blob was compiled for? */
int blob_has_arch(const struct blob *b, uint32_t arch);

#endif
