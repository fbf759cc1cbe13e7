/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LAUNCH_PROGRAM_H
#define SYSFENCE_LAUNCH_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "sysfence/lib/load.h"

/*
 * Opens the program (path_find_program's, or a name with '/'), as the
 * caller, to check it against the profile's bindings and to run that very
 * file: for reading when the
 * caller may read it (the binding check looks at its first bytes), else
 * O_PATH (an execute-only file).  Close-on-exec either way, which also
 * makes the kernel refuse to run a script from it.  Returns the
 * descriptor, or a negative errno.
 */
int program_open(const char *path, bool *readable);

/*
 * How the program is started: a bound program from the descriptor that was
 * checked (execveat(fd, "", argv, envp, AT_EMPTY_PATH): a rename after the
 * check cannot change what runs), any other by path (execve).
 */
struct program_exec {
	int fd; /* >= 0: execveat on it; -1: execve(path) */
	const char *path;
	char *const *argv;
	char *const *envp;
};

/* The exec call, as load_first_denied simulates it (native arch). */
void program_exec_call(const struct program_exec *e, struct load_call *call);

/* Makes the exec; returns only when it failed, with errno set. */
void program_exec(const struct program_exec *e);

/*
 * Makes descriptors 0, 1 and 2 valid, opening /dev/null for closed ones,
 * so nothing the launcher or the program opens later lands on a standard
 * stream.  These are the only descriptors opened without O_CLOEXEC: they
 * are meant for the program.  Returns 0 or a negative errno.
 */
int program_std_fds_valid(void);

#endif
