/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_FILEIO_H
#define SYSFENCE_COMPILE_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Reads a whole regular file, FIFO or stdin ("-") of at most max bytes.
 * A FIFO is waited on like cat does: until a writer has written and gone.
 * Returns 0, or a negative errno (-EFBIG when larger than max, -EISDIR for a
 * folder).  *buf is malloc'ed with one extra NUL byte after *len.
 */
int file_read_all(const char *path, size_t max, char **buf, size_t *len);

/* Reads everything from an open descriptor, same contract. */
int fd_read_all(int fd, size_t max, char **buf, size_t *len);

/*
 * Replaces path atomically: writes a temporary file in the same folder,
 * fsyncs it, renames it over path (a symlink at path is replaced, never
 * followed) and fsyncs the folder.  On any failure the temporary file is
 * removed and path is untouched.  Returns 0 or a negative errno.
 */
int file_write_atomic(const char *path, const void *buf, size_t len, mode_t mode);

/*
 * For a SIGINT/SIGTERM handler: stops new atomic writes (they then fail
 * with -EINTR), waits up to 10 s for the ones in flight (they block those
 * signals while they write) and removes every temporary file still
 * registered.  Async-signal-safe.
 */
void file_remove_pending_temporaries(void);

/* write(2) until done or error; returns 0 or a negative errno. */
int fd_write_all(int fd, const void *buf, size_t len);

#endif
