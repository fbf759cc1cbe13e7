/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LAUNCH_PROGRAM_H
#define SYSFENCE_LAUNCH_PROGRAM_H

#include <stddef.h>

/* Exit statuses as env(1) uses them. */
#define PROGRAM_EXIT_CANNOT_RUN 126
#define PROGRAM_EXIT_NOT_FOUND 127

/*
 * Finds PROGRAM as execvp(3) would, before the filter is loaded (the
 * filter may deny the calls a search needs): a name with '/' is used as
 * is, otherwise every PATH entry is tried in order (PATH unset:
 * "/bin:/usr/bin"; an empty entry: the current folder).  The first regular
 * file the caller may execute wins.  Returns 0 with the path in buf, or
 * PROGRAM_EXIT_NOT_FOUND / PROGRAM_EXIT_CANNOT_RUN with *err set.
 * Runs after the privilege drop, so it sees what the caller sees.
 */
int program_find(const char *name, const char *path_env, char *buf, size_t buflen, int *err);

/*
 * Makes descriptors 0, 1 and 2 valid, opening /dev/null for closed ones,
 * so nothing the launcher or the program opens later lands on a standard
 * stream.  These are the only descriptors opened without O_CLOEXEC: they
 * are meant for the program.  Returns 0 or a negative errno.
 */
int program_std_fds_valid(void);

#endif
