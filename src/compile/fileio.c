// SPDX-License-Identifier: MIT
#include "sysfence/compile/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Opens path for blocking reads ("-": stdin, not to be closed).  A regular
 * file over max bytes is -EFBIG; a folder -EISDIR; only regular files,
 * FIFOs and character devices are read.  stop (may be NULL) ends the wait
 * for a FIFO's writer with -EINTR.
 */
static int open_input(const char *path, size_t max, const volatile sig_atomic_t *stop, int *fdp)
{
	struct stat st;
	int fd, rc = 0;

	*fdp = -1;
	if (!strcmp(path, "-")) {
		*fdp = STDIN_FILENO;
		return 0;
	}
	/* O_NONBLOCK so opening a FIFO without a writer does not hang. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto fail;
	}
	if (S_ISDIR(st.st_mode))
		rc = -EISDIR;
	else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max)
		rc = -EFBIG;
	else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
		rc = -EINVAL;
	if (rc)
		goto fail;
	/*
	 * A FIFO opened without O_NONBLOCK would block in open() for a writer;
	 * opened with it, read() says EOF while no writer has connected yet.
	 * poll() waits, like cat, until data arrives or a writer has come and
	 * gone (Linux reports POLLHUP only for a writer seen after our open).
	 */
	if (S_ISFIFO(st.st_mode)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		while (poll(&pfd, 1, -1) < 0) {
			rc = errno != EINTR ? -errno : stop && *stop ? -EINTR : 0;
			if (rc)
				goto fail;
		}
	}
	/* Back to blocking reads now that open() cannot hang any more. */
	if (fcntl(fd, F_SETFL, 0) < 0) {
		rc = -errno;
		goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	close(fd);
	return rc;
}

int file_read_all(const char *path, size_t max, char **buf, size_t *len)
{
	int fd, rc = open_input(path, max, NULL, &fd);

	if (rc || fd < 0)
		return rc ? rc : -EIO;
	rc = fd_read_all(fd, max, buf, len);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

#define LINE_CHUNK (64u << 10) /* bytes read at a time by the line reader */

int fd_read_lines(int fd, size_t max_line, file_line_fn fn, void *ctx,
		  const volatile sig_atomic_t *stop)
{
	size_t cap = max_line + 1 + LINE_CHUNK, len = 0;
	char *buf = malloc(cap);
	bool skipping = false; /* inside a cut line: dropped up to its newline */
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		size_t start = 0;
		ssize_t n;

		if (stop && *stop) {
			rc = -EINTR;
			break;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue; /* the loop looks at stop */
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0) {
			/* A last line without its newline. */
			if (len && !skipping)
				rc = fn(ctx, buf, len, false);
			break;
		}
		len += (size_t)n;
		for (const char *nl; (nl = memchr(buf + start, '\n', len - start));) {
			size_t ll = (size_t)(nl - (buf + start));

			if (skipping)
				skipping = false;
			else if ((rc = fn(ctx, buf + start, ll > max_line ? max_line + 1 : ll,
					  ll > max_line)))
				goto out;
			start += ll + 1;
		}
		if (skipping) {
			len = 0;
		} else if (len - start > max_line) {
			/* Its beginning, once; the rest until its newline is dropped. */
			rc = fn(ctx, buf + start, max_line + 1, true);
			if (rc)
				goto out;
			skipping = true;
			len = 0;
		} else {
			memmove(buf, buf + start, len - start);
			len -= start;
		}
	}
out:
	free(buf);
	return rc;
}

int file_read_lines(const char *path, size_t max_line, file_line_fn fn, void *ctx,
		    const volatile sig_atomic_t *stop)
{
	int fd, rc = open_input(path, SIZE_MAX, stop, &fd);

	if (rc || fd < 0)
		return rc ? rc : -EIO;
	rc = fd_read_lines(fd, max_line, fn, ctx, stop);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

int fd_write_all(int fd, const void *vbuf, size_t len)
{
	const char *buf = vbuf;

	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}
