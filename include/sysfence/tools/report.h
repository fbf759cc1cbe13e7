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

void report_print(FILE *out, const struct tool_input *in);

#endif
