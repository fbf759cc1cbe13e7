// SPDX-License-Identifier: MIT
#include "sysfence/compile/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int fd_read_all(int fd, size_t max, char **bufp, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1);

	*bufp = NULL;
	*lenp = 0;
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			size_t ncap = cap * 2;
			char *nb;

			if (cap > max) {
				free(buf);
				return -EFBIG;
			}
			nb = realloc(buf, ncap + 1);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		/* Stop early: a 50 MB or endless input costs max bytes, no more. */
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int file_read_all(const char *path, size_t max, char **buf, size_t *len)
{
	struct stat st;
	int fd, rc;

	if (!strcmp(path, "-"))
		return fd_read_all(STDIN_FILENO, max, buf, len);
	/* O_NONBLOCK so opening a FIFO without a writer does not hang. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	/*
	 * A FIFO opened without O_NONBLOCK would block in open() for a writer;
	 * opened with it, read() says EOF while no writer has connected yet.
	 * poll() waits, like cat, until data arrives or a writer has come and
	 * gone (Linux reports POLLHUP only for a writer seen after our open).
	 */
	if (S_ISFIFO(st.st_mode)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		while (poll(&pfd, 1, -1) < 0) {
			if (errno != EINTR) {
				rc = -errno;
				close(fd);
				return rc;
			}
		}
	}
	/* Back to blocking reads now that open() cannot hang any more. */
	if (fcntl(fd, F_SETFL, 0) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = fd_read_all(fd, max, buf, len);
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
