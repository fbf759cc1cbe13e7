/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_DIFF_H
#define SYSFENCE_TOOLS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
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

/* Prints the differences; returns 0 when equivalent, 1 when different. */
int diff_print(FILE *out, const struct tool_input *old, const struct tool_input *new);

#endif
