/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_ARGCOUNT_H
#define SYSFENCE_COMPILE_ARGCOUNT_H

/*
 * How many argument registers the syscall reads on the architecture that
 * reads the most (see argcount.c), or -1 for a name the table lacks.
 */
int argcount_nargs(const char *syscall);

#endif
