/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_REPORT_H
#define SYSFENCE_TOOLS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/tools/input.h"

/*
 * --report: what a profile costs per call.  Per architecture: the size of
 * each program (and how much of it the architecture reaches), the mean and
 * maximum instructions executed per syscall number, and which allowed
 * syscalls the kernel's action cache (Linux 5.11+) decides without running
 * the filter at all, with the reason for the others.
 */

/*
 * Can the kernel cache (arch, nr) as ALLOW for this profile?  The cache
 * holds only when every filter of the stack is constant ALLOW for it
 * (kernel/seccomp.c seccomp_cache_prepare_bitmap ANDs the filters).  When
 * not, why gets a reason such as "the allow program checks args[0]".
 */
bool report_cacheable(const struct blob *b, uint32_t arch, uint32_t nr, char *why, size_t whylen);

/* What --report finds for one architecture of a profile. */
struct report_uncached {
	char name[64];
	char why[96]; /* as report_cacheable() says it */
};

struct report_arch {
	uint32_t arch;
	size_t numbers; /* syscall numbers the compiler's table has */
	unsigned allow_len, allow_reachable, deny_len, deny_reachable;
	size_t total_steps;	   /* instructions executed, arguments 0, over every number */
	unsigned max_steps, worst; /* arguments 0; the probed arguments */
	char max_name[64], worst_name[64];
	bool sampled;	    /* some probe combinations were sampled, not all tried */
	char (*cached)[64]; /* allowed calls the action cache decides */
	size_t ncached;
	struct report_uncached *uncached; /* allowed calls the filters run for */
	size_t nuncached;
	size_t nlog; /* calls that return LOG */
};

struct report_result {
	struct report_arch *arches; /* one per architecture of the profile */
	size_t narches;
};

/* Measures every architecture of in.  Returns 0, or -1 when out of memory. */
int report_compute(const struct tool_input *in, struct report_result *r);
void report_result_free(struct report_result *r);

void report_print(FILE *out, const struct tool_input *in, const struct report_result *r);

/* The same result as a --json document, or NULL when out of memory. */
struct json_object;
struct json_object *report_json(const struct tool_input *in, const struct report_result *r);

#endif
