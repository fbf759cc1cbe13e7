/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_FILEIO_H
#define SYSFENCE_COMPILE_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "sysfence/util.h" /* fd_read_all */

/*
 * Reads a whole regular file, FIFO or stdin ("-") of at most max bytes.
 * A FIFO is waited on like cat does: until a writer has written and gone.
 * Returns 0, or a negative errno (-EFBIG when larger than max, -EISDIR for a
 * folder).  *buf is malloc'ed with one extra NUL byte after *len.
 */
int file_read_all(const char *path, size_t max, char **buf, size_t *len);

/*
 * A line without its newline.  cut: the line was longer than max_line and
 * these are its first max_line + 1 bytes (the rest is skipped).  A
 * non-zero return stops the reading and is returned.
 */
typedef int (*file_line_fn)(void *ctx, const char *line, size_t len, bool cut);

/*
 * Reads path ("-": stdin; a FIFO waited on as by file_read_all) line by
 * line, whatever its size, in a buffer of max_line + 64 KiB.  Stops with
 * -EINTR when *stop (may be NULL) is set, as a signal handler does.
 * Returns 0 at the end of the input, or a negative errno.
 */
int file_read_lines(const char *path, size_t max_line, file_line_fn fn, void *ctx,
		    const volatile sig_atomic_t *stop);
int fd_read_lines(int fd, size_t max_line, file_line_fn fn, void *ctx,
		  const volatile sig_atomic_t *stop);

/*
 * Replaces path atomically: writes a temporary file ".NAME.sysfence-tmp-
 * XXXXXX" in the same folder, fsyncs it, renames it over path (a symlink at
 * path is replaced, never followed) and fsyncs the folder, all through one
 * descriptor of the folder.  On any failure the temporary file is removed
 * and path is untouched.  Returns 0 or a negative errno.
 */
int file_write_atomic(const char *path, const void *buf, size_t len, mode_t mode);

/*
 * For a SIGINT/SIGTERM handler: stops new atomic writes (they then fail
 * with -EINTR), waits up to 10 s for the ones in flight (they block those
 * signals while they write) and removes every temporary file still
 * registered.  Async-signal-safe.
 */
void file_remove_pending_temporaries(void);

/* What sets a temporary's name apart: ".NAME" FILE_TEMP_MARK "XXXXXX". */
#define FILE_TEMP_MARK ".sysfence-tmp-"

/* Is the last component of path the name of such a temporary? */
bool file_is_temporary(const char *path);

enum file_temp_state {
	FILE_TEMP_BEING_WRITTEN = 1, /* a live writer holds it */
	FILE_TEMP_LEFT_BEHIND,	     /* its writer died (SIGKILL, power loss) */
	FILE_TEMP_UNKNOWN,	     /* locks do not work on this filesystem */
};

/* One of the above for the temporary at path, or a negative errno. */
int file_temporary_state(const char *path);

/*
 * Removes from folder dir the temporaries of file_write_atomic() that no
 * live writer holds and that belong to this user, and counts them in
 * *removed.  Returns 0, -EWOULDBLOCK when writers kept the folder busy for
 * half a second (nothing removed: never a live writer's temporary), or
 * another negative errno.
 */
int file_remove_stale_temporaries(const char *dir, size_t *removed);

/* write(2) until done or error; returns 0 or a negative errno. */
int fd_write_all(int fd, const void *buf, size_t len);

#endif
