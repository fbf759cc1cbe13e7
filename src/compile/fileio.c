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

/*
 * Temporary files being written, so that SIGINT/SIGTERM during a batch
 * compile can remove them (no half-written blob is ever left behind).  A
 * slot is claimed with an atomic exchange; the signal handler only reads.
 */
#define PENDING_SLOTS 256
static char pending_path[PENDING_SLOTS][PATH_MAX];
static int pending_used[PENDING_SLOTS];

static int pending_add(const char *path)
{
	for (int i = 0; i < PENDING_SLOTS; i++) {
		int expected = 0;

		if (__atomic_compare_exchange_n(&pending_used[i], &expected, 1, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			snprintf(pending_path[i], PATH_MAX, "%s", path);
			__atomic_store_n(&pending_used[i], 2, __ATOMIC_RELEASE);
			return i;
		}
	}
	return -1;
}

static void pending_remove(int slot)
{
	if (slot >= 0)
		__atomic_store_n(&pending_used[slot], 0, __ATOMIC_RELEASE);
}

/*
 * Writers between "about to create a temporary" and "renamed or removed it",
 * and the flag the signal handler raises so that no new one starts.  The
 * handler waits for the writers in flight instead of removing files under
 * their feet: the other threads keep running while it scans, and a
 * temporary created just after the scan, or between mkostemp() and
 * pending_add(), was left behind.  A writer blocks the terminating signals
 * while in flight, so the handler never runs on a thread it waits for.
 */
static int writers_in_flight;
static int stopping;

void file_remove_pending_temporaries(void)
{
	const struct timespec ms = { 0, 1000000 };

	__atomic_store_n(&stopping, 1, __ATOMIC_SEQ_CST);
	/* Bounded: a writer stuck on a dead network mount must not keep us. */
	for (int i = 0; i < 10000 && __atomic_load_n(&writers_in_flight, __ATOMIC_SEQ_CST); i++)
		nanosleep(&ms, NULL);
	for (int i = 0; i < PENDING_SLOTS; i++)
		if (__atomic_load_n(&pending_used[i], __ATOMIC_ACQUIRE) == 2)
			unlink(pending_path[i]);
}

static int fsync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc = 0;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -errno;
	close(fd);
	return rc;
}

static int write_temporary_and_rename(const char *path, const void *buf, size_t len, mode_t mode)
{
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc, slot;

	/*
	 * ".NAME.XXXXXX" beside the target, so rename() stays in one folder;
	 * NAME cut to 247 bytes so the temporary fits NAME_MAX whenever the
	 * target does.
	 */
	if (slash)
		rc = snprintf(tmp, sizeof(tmp), "%.*s/.%.247s.XXXXXX", (int)(slash - path), path,
			      slash + 1);
	else
		rc = snprintf(tmp, sizeof(tmp), ".%.247s.XXXXXX", path);
	if (rc < 0 || (size_t)rc >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	slot = pending_add(tmp);
	rc = fd_write_all(fd, buf, len);
	if (!rc && fchmod(fd, mode) < 0)
		rc = -errno;
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	pending_remove(slot);
	return rc;
}

int file_write_atomic(const char *path, const void *buf, size_t len, mode_t mode)
{
	sigset_t block, old;
	int rc = -EINTR;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	/* Seen by file_remove_pending_temporaries() before or after: never lost. */
	__atomic_add_fetch(&writers_in_flight, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&stopping, __ATOMIC_SEQ_CST))
		rc = write_temporary_and_rename(path, buf, len, mode);
	__atomic_sub_fetch(&writers_in_flight, 1, __ATOMIC_SEQ_CST);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc ? rc : fsync_parent(path);
}
