/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_DIFF_H
#define SYSFENCE_TOOLS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/tools/input.h"

/*
 * --diff: what a policy update really changes.  Both profiles' verdicts are
 * computed for every syscall number of every architecture either targets;
 * for argument-filtered calls the arguments probed are the boundaries of
 * every constant either program compares against (flow_probe_collect), so
 * a changed comparison shows up as a concrete call whose decision changed.
 */

#define SEMDIFF_EXAMPLES 4 /* argument examples printed per syscall */

struct diff_example {
	uint64_t args[6];
	uint32_t was, now; /* the verdicts of the old and the new profile */
};

/* A call whose change depends on its arguments. */
struct diff_partial {
	uint32_t nr;
	char name[64];
	size_t probes, changed; /* argument vectors tried; those decided differently */
	unsigned nargs;		/* the arguments the programs compare: shown per example */
	struct diff_example ex[SEMDIFF_EXAMPLES];
	size_t nex;
};

/* Calls changed whatever their arguments, from one verdict to another. */
struct diff_group {
	uint32_t was, now;
	char (*names)[64];
	size_t n;
};

enum diff_presence {
	DIFF_IN_BOTH,
	DIFF_ONLY_OLD, /* the new profile kills every call of the architecture */
	DIFF_ONLY_NEW,
};

struct diff_arch {
	uint32_t arch;
	enum diff_presence presence;
	size_t changes; /* syscalls decided differently (DIFF_IN_BOTH) */
	struct diff_group *groups;
	size_t ngroups;
	struct diff_partial *partial;
	size_t npartial;
	bool sampled; /* some argument combinations were sampled, not all tried */
};

struct diff_result {
	enum sf_mode old_mode, new_mode;
	struct diff_arch *arches; /* every architecture either profile has */
	size_t narches;
	bool different;
};

/* Compares the profiles.  Returns 0, or -1 when out of memory. */
int diff_compute(const struct tool_input *old, const struct tool_input *new, struct diff_result *r);
void diff_result_free(struct diff_result *r);

/* Prints the differences of r as text. */
void diff_print_result(FILE *out, const struct tool_input *old, const struct tool_input *new,
		       const struct diff_result *r);

/*
 * diff_compute() and diff_print_result(); returns 0 when equivalent, 1
 * when different, 2 when out of memory.
 */
int diff_print(FILE *out, const struct tool_input *old, const struct tool_input *new);

/* The same result as a --json document, or NULL when out of memory. */
struct json_object;
struct json_object *diff_json(const struct tool_input *old, const struct tool_input *new,
			      const struct diff_result *r);

#endif
