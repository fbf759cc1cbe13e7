/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_SYSCALLS_H
#define SYSFENCE_COMPILE_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/digest.h"

/*
 * The syscall tables: names and numbers per architecture, read from
 * libseccomp (the only thing of libseccomp sysfence uses).  syscalls.c is
 * the only file that includes <seccomp.h>.  Architectures are named by
 * their AUDIT_ARCH_* value, the value seccomp_data.arch carries.
 */

/*
 * The facts about each architecture (register width, byte order, windows
 * of its table, ...) are the ABI model's: sysfence/compile/abi.h.
 */

/* Every table in libseccomp 2.5 fits in 1024 numbers per window. */
#define SYSCALLS_WINDOW_SIZE 1024u

/* A run of numbers, lo..hi inclusive. */
struct syscalls_range {
	uint32_t lo, hi;
};

/* Call once, before any thread is started (libseccomp caches probes). */
void syscalls_init(void);

/* Native architecture plus its compat one (x86_64 -> x86, aarch64 -> arm). */
size_t syscalls_default_arches(uint32_t *arches, size_t max);
/* "x86_64", "x86", "aarch64", "arm", ...; 0 when unknown or unsupported. */
uint32_t syscalls_arch_from_name(const char *name);
/* The name of an AUDIT_ARCH value, or NULL. */
const char *syscalls_arch_name(uint32_t arch);
uint32_t syscalls_native_arch(void);

/* Syscall number on arch, or -1 when the name does not exist there. */
int syscalls_nr(uint32_t arch, const char *name);
/* Name of nr on arch, or NULL. */
const char *syscalls_name(uint32_t arch, int nr, char *buf, size_t len);
/* Is the name a syscall on any architecture libseccomp knows? */
bool syscalls_known_anywhere(const char *name);
/*
 * The syscall a C library or historic name stands for, when calling it
 * makes exactly that syscall with the same arguments in the same slots
 * (pread -> pread64, llseek -> _llseek), or NULL.  See
 * docs/policy-language.md for the table and the reasons.
 */
const char *syscalls_alias(const char *name);
/*
 * Is the name a C library function or a historic name that is no syscall
 * on any architecture and stands for none (statvfs, setpgrp)?  A rule
 * naming it can allow nothing.
 */
bool syscalls_libc_only(const char *name);
/* Is the name a Linux syscall newer than the tables (mseal, statmount)? */
bool syscalls_newer_than_tables(const char *name);
/*
 * Every name the table of any supported architecture knows, sorted, each
 * once (the @known group).  Built once; NULL when out of memory.
 */
const char *const *syscalls_all_names(size_t *count);
/* Closest known syscall name, or NULL. */
const char *syscalls_suggest(const char *name, char *buf, size_t len);

/*
 * The numbers the table does not know on arch, as sorted ranges covering
 * everything up to 0xffffffff; NULL (and *count 0) for an unsupported arch
 * or when out of memory.
 */
const struct syscalls_range *syscalls_unknown(uint32_t arch, size_t *count);
/* The numbers the table knows on arch, ascending; NULL as above. */
const uint32_t *syscalls_numbers(uint32_t arch, size_t *count);

/* "2.5.4" */
const char *syscalls_library_version(void);
/*
 * SHA-256 over every (number, name) the compiler knows for these arches,
 * so a library update that changes a table changes the digest.  -1 for an
 * unsupported arch.
 */
int syscalls_table_digest(const uint32_t *arches, size_t n, uint8_t out[DIGEST_SIZE]);

#endif
