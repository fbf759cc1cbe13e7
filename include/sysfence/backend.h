/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_BACKEND_H
#define SYSFENCE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/bpf.h"
#include "sysfence/diag.h"
#include "sysfence/digest.h"
#include "sysfence/policy.h"

/*
 * Resolved rules in, BPF programs out.  backend.c is the only file that
 * includes <seccomp.h>: a second backend would implement this interface and
 * be checked against the first on the same policies.
 */

/* Call once, before any thread is started (libseccomp caches probes). */
void backend_init(void);

/* Native architecture plus its compat one (x86_64 -> x86, aarch64 -> arm). */
size_t backend_default_arches(uint32_t *arches, size_t max);
/* "x86_64", "x86", "aarch64", "arm", ...; 0 when unknown or unsupported. */
uint32_t backend_arch_from_name(const char *name);
/* The name of an AUDIT_ARCH value, or NULL. */
const char *backend_arch_name(uint32_t arch);
uint32_t backend_native_arch(void);
/* Is the architecture's syscall ABI 32 bits wide (arguments are 32-bit)? */
bool backend_arch_is_32bit(uint32_t arch);

/* Syscall number on arch, or -1 when the name does not exist there. */
int backend_syscall_nr(uint32_t arch, const char *name);
/* Name of nr on arch, or NULL. */
const char *backend_syscall_name(uint32_t arch, int nr, char *buf, size_t len);
/* Is the name a syscall on any architecture libseccomp knows? */
bool backend_syscall_known_anywhere(const char *name);
/* Closest known syscall name, or NULL. */
const char *backend_syscall_suggest(const char *name, char *buf, size_t len);

/*
 * Compiles the policy for the given architectures.  deny is left empty when
 * the policy has no '~' rule.  Returns 0, or -1 with errors in diags.
 */
int backend_compile(const struct policy *pol, const uint32_t *arches,
		    size_t narches, struct bpf_prog *deny, struct bpf_prog *allow,
		    struct diag_list *diags);

/* "2.5.4" */
const char *backend_library_version(void);
/*
 * SHA-256 over every (number, name) the compiler knows for these arches,
 * so a library update that changes a table changes the digest.  -1 for an
 * unsupported arch.
 */
int backend_table_digest(const uint32_t *arches, size_t n, uint8_t out[DIGEST_SIZE]);

#endif
