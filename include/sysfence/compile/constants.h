/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_CONSTANTS_H
#define SYSFENCE_COMPILE_CONSTANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Named constants of the policy language (AF_UNIX, TIOCSTI, PR_SET_NAME,
 * CLONE_NEWUSER, ...), with their value on each supported architecture.
 * Every x86_64 value is checked against the system headers by
 * tests/unit/test_constants.c, the other architectures' by
 * tests/integration/constants_arches.sh against their uapi headers.
 */
struct sf_constant {
	const char *name;
	uint64_t value;
};

/* Looks name[0..len) up; returns true and sets *value (x86_64's) when known. */
bool constants_lookup(const char *name, size_t len, uint64_t *value);

/* What a name is on one architecture. */
struct constants_arch_value {
	enum {
		CONSTANTS_DEFINED,   /* value is the name's value there */
		CONSTANTS_NOT_THERE, /* no such name there; value is no other one either */
		CONSTANTS_CLASH,     /* no such name there; value is clash there */
	} kind;
	uint64_t value;
	const char *clash;
};

/* False for an unknown name or an architecture sysfence does not support. */
bool constants_lookup_arch(const char *name, size_t len, uint32_t arch,
			   struct constants_arch_value *out);

enum constants_resolution {
	CONSTANTS_OK,		/* value is right for every target */
	CONSTANTS_UNKNOWN_NAME, /* no such constant */
	CONSTANTS_DIFFERS,	/* arch and other_arch give it other values */
	CONSTANTS_CLASHES,	/* clash_arch lacks it, and value is clash there */
	CONSTANTS_NOWHERE,	/* no target has it: a comparison with it never holds */
	CONSTANTS_UNTABULATED,	/* arch is not supported */
};

struct constants_resolved {
	uint64_t value;
	uint32_t arch; /* the first target that defines it */
	uint32_t other_arch;
	uint64_t other_value;
	uint32_t clash_arch;
	const char *clash;
};

/*
 * The value of name[0..len) for a policy compiled for these architectures
 * (AUDIT_ARCH_*; none: the native one and its compat one).  One policy line
 * compiles to one comparison on every target, so the targets must agree.
 */
enum constants_resolution constants_resolve(const char *name, size_t len, const uint32_t *arches,
					    size_t narches, struct constants_resolved *r);

/* The whole table, sorted by name (for suggestions, docs and tests). */
const struct sf_constant *constants_table(size_t *count);

/* The known name closest to name[0..len), or NULL when none is close. */
const char *constants_suggest(const char *name, size_t len);

#endif
