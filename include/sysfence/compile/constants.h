/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_CONSTANTS_H
#define SYSFENCE_COMPILE_CONSTANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Named constants of the policy language (AF_UNIX, TIOCSTI, PR_SET_NAME,
 * CLONE_NEWUSER, ...).  The values are those of Linux on the machine that
 * compiles (x86_64/aarch64 agree on every name in the table); each one is
 * checked against the system headers by tests/unit/test_constants.c.
 */
struct sf_constant {
	const char *name;
	uint64_t value;
};

/* Looks name[0..len) up; returns true and sets *value when it is known. */
bool constants_lookup(const char *name, size_t len, uint64_t *value);

/* The whole table, sorted by name (for suggestions, docs and tests). */
const struct sf_constant *constants_table(size_t *count);

/* The known name closest to name[0..len), or NULL when none is close. */
const char *constants_suggest(const char *name, size_t len);

#endif
