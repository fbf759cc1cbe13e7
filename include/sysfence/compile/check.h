/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_CHECK_H
#define SYSFENCE_COMPILE_CHECK_H

#include <stdbool.h>

#include "sysfence/compile/diag.h"
#include "sysfence/compile/policy.h"

/*
 * Checks a parsed policy against the syscall table: a name no architecture
 * knows is a warning with a suggestion (an error when strict), and a few
 * rules that cannot do what their author wants get a warning.  Returns -1
 * when an error was added.
 */
int check_policy(const struct policy *pol, bool strict, struct diag_list *d);

#endif
