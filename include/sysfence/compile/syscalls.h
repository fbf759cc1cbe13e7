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

/* The facts about one architecture that the compiler and tools use. */
struct syscalls_arch {
	const char *name; /* "x86_64", "x86", "aarch64", ... */
	uint32_t token;	  /* AUDIT_ARCH_* */
	bool is32;	  /* syscall arguments are 32 bits wide */
	bool big_endian;  /* order of the halves of seccomp_data.args[i] */
	bool uid16;	  /* chown, setuid, ... take 16-bit ids (the *32 calls 32) */
	uint32_t compat;  /* 32-bit companion compiled by default, or 0 */
	uint32_t window;  /* first number of its syscall table */
	uint32_t extra;	  /* a second window (ARM private calls), or 0 */
};

/* Every table in libseccomp 2.5 fits in 1024 numbers per window. */
#define SYSCALLS_WINDOW_SIZE 1024u

/* A run of numbers, lo..hi inclusive. */
struct syscalls_range {
	uint32_t lo, hi;
};

/* Call once, before any thread is started (libseccomp caches probes). */
void syscalls_init(void);

/* The architecture's facts, or NULL when sysfence does not support it. */
const struct syscalls_arch *syscalls_arch(uint32_t token);
/* Every supported architecture, in a fixed order; *count receives how many. */
const struct syscalls_arch *syscalls_arches(size_t *count);

/* Native architecture plus its compat one (x86_64 -> x86, aarch64 -> arm). */
size_t syscalls_default_arches(uint32_t *arches, size_t max);
/* "x86_64", "x86", "aarch64", "arm", ...; 0 when unknown or unsupported. */
uint32_t syscalls_arch_from_name(const char *name);
/* The name of an AUDIT_ARCH value, or NULL. */
const char *syscalls_arch_name(uint32_t arch);
uint32_t syscalls_native_arch(void);
/* Is the architecture's syscall ABI 32 bits wide (arguments are 32-bit)? */
bool syscalls_arch_is_32bit(uint32_t arch);

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
/* Closest known syscall name, or NULL. */
const char *syscalls_suggest(const char *name, char *buf, size_t len);

/*
 * libseccomp's pseudo number for a multiplexed call on arch (socket on x86:
 * -101), or 0 when it is not multiplexed there.
 */
int syscalls_multiplexed_pseudo(uint32_t arch, const char *name);

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
