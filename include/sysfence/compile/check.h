/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_CHECK_H
#define SYSFENCE_COMPILE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/compile/diag.h"
#include "sysfence/compile/policy.h"

/*
 * Checks a parsed policy against the syscall table: a name no architecture
 * knows is a warning with a suggestion (an error when strict); C library
 * names that are no syscall (statvfs), and with strict the syscalls none
 * of the target arches has, are summed up in one note; a condition on an
 * argument the syscall does not have is an error; a few rules that cannot
 * do what their author wants get a warning.  Returns -1 when an error was
 * added.
 */
int check_policy(const struct policy *pol, const uint32_t *arches, size_t narches, bool strict,
		 struct diag_list *d);

#endif
