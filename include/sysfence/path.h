/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_PATH_H
#define SYSFENCE_PATH_H

#include <stddef.h>

/*
 * The program search of sysfence-launch and sysfence-compile --learn, one
 * for both: execvp(3)'s rules, checked before anything runs.
 */

/* Searched when PATH is unset: glibc's execvp default (confstr _CS_PATH). */
#define PATH_SEARCH_DEFAULT "/bin:/usr/bin"

/* Exit statuses as env(1) and the shells use them. */
#define PATH_EXIT_CANNOT_RUN 126
#define PATH_EXIT_NOT_FOUND 127

/*
 * Finds PROGRAM as execvp(3) would: a name with '/' is used as is, otherwise
 * every entry of path_env (NULL: PATH_SEARCH_DEFAULT) is tried in order, an
 * empty entry meaning the current folder.  The first regular file the
 * process may execute (effective ids) wins; a candidate too long for buf
 * is skipped, never truncated into another name.  Returns 0 with the path
 * in buf, or -ENOENT (nothing there), -EACCES (found, but a folder or not
 * executable), -ENAMETOOLONG (a name with '/' longer than buf).
 */
int path_find_program(const char *name, const char *path_env, char *buf, size_t buflen);

/* The exit status for a program that cannot run: 127 for ENOENT, else 126. */
int path_exit_status(int err);

#endif
