/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_RESOLVE_H
#define SYSFENCE_RESOLVE_H

#include <stdbool.h>

#include "sysfence/diag.h"
#include "sysfence/policy.h"

/*
 * Checks a parsed policy against the syscall table: a name no architecture
 * knows is a warning with a suggestion (an error when strict), and a few
 * rules that cannot do what their author wants get a warning.  Returns -1
 * when an error was added.
 */
int resolve_check(const struct policy *pol, bool strict, struct diag_list *d);

#endif
