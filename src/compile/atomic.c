// SPDX-License-Identifier: MIT
/*
 * Atomic writes, and the temporaries they make (issue 15, item 2).
 *
 * A blob is written to a temporary file beside its output, fsynced and
 * renamed over it.  Everything happens relative to one descriptor of the
 * output's folder, opened once per write: the temporary is created,
 * renamed, removed on failure and the folder fsynced through it, so a
 * folder renamed away and recreated meanwhile cannot strand a temporary
 * (the write completes in the folder it began in, the next one opens the
 * new folder).
 *
 * Why not O_TMPFILE + linkat: linkat cannot replace an existing name (a
 * named step and a rename are still needed), linking by descriptor needs
 * CAP_DAC_READ_SEARCH or /proc/self/fd (which may be absent), and several
 * filesystems lack O_TMPFILE: three code paths where this is one.
 *
 * A SIGKILL still leaves a temporary.  A later run removes those it can
 * prove dead (file_remove_stale_temporaries): a writer holds flock(LOCK_EX)
 * on its temporary until it is renamed or removed, and holds the folder
 * with LOCK_SH from before it creates the temporary until it has locked it;
 * the sweep holds the folder with LOCK_EX while it looks.  So an unlocked
 * temporary seen by a sweep belongs to no live writer, whatever its age,
 * and two batches writing into one folder never remove each other's.
 */
#include "sysfence/compile/fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEMP_MARK_LEN (sizeof(FILE_TEMP_MARK) - 1)
#define TEMP_RANDOM 6

static const char temp_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

bool file_is_temporary(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n < 2 + TEMP_MARK_LEN + TEMP_RANDOM || base[0] != '.')
		return false;
	if (memcmp(base + n - TEMP_RANDOM - TEMP_MARK_LEN, FILE_TEMP_MARK, TEMP_MARK_LEN))
		return false;
	for (size_t i = n - TEMP_RANDOM; i < n; i++)
		if (!memchr(temp_chars, base[i], sizeof(temp_chars) - 1))
			return false;
	return true;
}

/* ".NAME.sysfence-tmp-XXXXXX", NAME cut so that it fits NAME_MAX. */
static void temp_name(const char *base, char out[NAME_MAX + 1])
{
	static unsigned counter;
	unsigned char r[TEMP_RANDOM];
	size_t keep = strlen(base), at;

	if (keep > NAME_MAX - 1 - TEMP_MARK_LEN - TEMP_RANDOM)
		keep = NAME_MAX - 1 - TEMP_MARK_LEN - TEMP_RANDOM;
	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		/* No entropy yet (early boot): unique enough, EEXIST retries. */
		struct timespec ts;
		unsigned long x;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = (unsigned long)ts.tv_nsec ^ (unsigned long)getpid() << 16 ^
		    __atomic_add_fetch(&counter, 7919, __ATOMIC_RELAXED);
		for (size_t i = 0; i < sizeof(r); i++, x /= 62)
			r[i] = (unsigned char)(x % 62);
	}
	out[0] = '.';
	memcpy(out + 1, base, keep);
	at = 1 + keep;
	memcpy(out + at, FILE_TEMP_MARK, TEMP_MARK_LEN);
	at += TEMP_MARK_LEN;
	for (size_t i = 0; i < TEMP_RANDOM; i++)
		out[at++] = temp_chars[r[i] % (sizeof(temp_chars) - 1)];
	out[at] = '\0';
}

/* "a/b/x.bin" -> "a/b" and "x.bin"; "x.bin" -> "." */
static int split_path(const char *path, char dir[PATH_MAX], const char **base)
{
	const char *slash = strrchr(path, '/');
	int n;

	if (!slash)
		n = snprintf(dir, PATH_MAX, ".");
	else if (slash == path)
		n = snprintf(dir, PATH_MAX, "/");
	else
		n = snprintf(dir, PATH_MAX, "%.*s", (int)(slash - path), path);
	if (n < 0 || n >= PATH_MAX)
		return -ENAMETOOLONG;
	*base = slash ? slash + 1 : path;
	if (!**base)
		return -EISDIR;
	if (strlen(*base) > NAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Temporary files being written, so that SIGINT/SIGTERM during a batch
 * compile can remove them (no half-written blob is ever left behind).  A
 * slot is claimed with an atomic exchange; the signal handler only reads.
 * The folder's descriptor stays open while its slot is used.
 */
#define PENDING_SLOTS 256
static struct {
	int dirfd;
	char name[NAME_MAX + 1];
} pending[PENDING_SLOTS];
static int pending_used[PENDING_SLOTS];

static int pending_add(int dirfd, const char *name)
{
	for (int i = 0; i < PENDING_SLOTS; i++) {
		int expected = 0;

		if (__atomic_compare_exchange_n(&pending_used[i], &expected, 1, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			pending[i].dirfd = dirfd;
			snprintf(pending[i].name, sizeof(pending[i].name), "%s", name);
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
 * temporary created just after the scan was left behind.  A writer blocks
 * the terminating signals while in flight, so the handler never runs on a
 * thread it waits for.
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
			unlinkat(pending[i].dirfd, pending[i].name, 0);
}

/*
 * flock() that tells "not supported here" (NFS without lock support, some
 * FUSE filesystems: then no sweep can lock either) from "interrupted".
 */
static bool lock(int fd, int op)
{
	int rc;

	while ((rc = flock(fd, op)) < 0 && errno == EINTR)
		;
	return rc == 0;
}

static int write_in_folder(int dirfd, const char *base, const void *buf, size_t len, mode_t mode)
{
	char tmp[NAME_MAX + 1];
	bool folder_locked;
	int fd = -1, rc, slot;

	/* Waits while a sweep looks at the folder: a readdir's time. */
	folder_locked = lock(dirfd, LOCK_SH);
	for (int tries = 0; tries < 100; tries++) {
		temp_name(base, tmp);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		rc = -errno;
		if (folder_locked)
			flock(dirfd, LOCK_UN);
		return rc;
	}
	/* Locked before the folder is released: no sweep sees it unlocked. */
	lock(fd, LOCK_EX | LOCK_NB);
	if (folder_locked)
		flock(dirfd, LOCK_UN);
	slot = pending_add(dirfd, tmp);
	rc = fd_write_all(fd, buf, len);
	if (!rc && fchmod(fd, mode) < 0)
		rc = -errno;
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (!rc && renameat(dirfd, tmp, dirfd, base) < 0)
		rc = -errno;
	if (rc)
		unlinkat(dirfd, tmp, 0);
	pending_remove(slot);
	/*
	 * Closed (and unlocked) only once its name is gone.  The data were
	 * fsynced, so a failing close is next to impossible; it is still
	 * reported, though the new output is in place.
	 */
	if (close(fd) < 0 && !rc)
		rc = -errno;
	/* EINVAL: a filesystem that cannot sync a folder (tmpfs is fine). */
	if (!rc && fsync(dirfd) < 0 && errno != EINVAL)
		rc = -errno;
	return rc;
}

int file_write_atomic(const char *path, const void *buf, size_t len, mode_t mode)
{
	char dir[PATH_MAX];
	const char *base;
	sigset_t block, old;
	int dirfd, rc;

	rc = split_path(path, dir, &base);
	if (rc)
		return rc;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	/* Seen by file_remove_pending_temporaries() before or after: never lost. */
	__atomic_add_fetch(&writers_in_flight, 1, __ATOMIC_SEQ_CST);
	rc = -EINTR;
	if (!__atomic_load_n(&stopping, __ATOMIC_SEQ_CST)) {
		dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0) {
			rc = -errno;
		} else {
			rc = write_in_folder(dirfd, base, buf, len, mode);
			close(dirfd);
		}
	}
	__atomic_sub_fetch(&writers_in_flight, 1, __ATOMIC_SEQ_CST);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int file_temporary_state(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	if (lock(fd, LOCK_SH | LOCK_NB))
		rc = FILE_TEMP_LEFT_BEHIND;
	else
		rc = errno == EWOULDBLOCK ? FILE_TEMP_BEING_WRITTEN : FILE_TEMP_UNKNOWN;
	close(fd);
	return rc;
}

/* Removes one temporary when nobody holds it and it is ours. */
static bool remove_if_stale(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st, again;
	bool removed = false;

	if (fd < 0)
		return false;
	/* Another user's temporary is theirs to clean, even for root. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
		goto out;
	if (!lock(fd, LOCK_SH | LOCK_NB))
		goto out; /* a live writer holds it (or locks do not work here) */
	if (fstatat(dirfd, name, &again, AT_SYMLINK_NOFOLLOW) < 0 || again.st_dev != st.st_dev ||
	    again.st_ino != st.st_ino)
		goto out;
	removed = unlinkat(dirfd, name, 0) == 0;
out:
	close(fd);
	return removed;
}

int file_remove_stale_temporaries(const char *dir, size_t *removed)
{
	const struct timespec ms = { 0, 1000000 };
	int dirfd, listfd, rc = 0;
	struct dirent *e;
	DIR *d;

	*removed = 0;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	/*
	 * Exclusive: no writer is between creating its temporary and locking
	 * it.  Bounded (0.5 s), never blocking: writers hold the folder for
	 * microseconds, and a sweep is worth skipping, not waiting for.
	 */
	for (int i = 0; !lock(dirfd, LOCK_EX | LOCK_NB); i++) {
		if (errno != EWOULDBLOCK || i == 500) {
			rc = errno == EWOULDBLOCK ? -EWOULDBLOCK : -errno;
			close(dirfd);
			return rc;
		}
		nanosleep(&ms, NULL);
	}
	listfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = listfd < 0 ? NULL : fdopendir(listfd);
	if (!d) {
		rc = -errno;
		if (listfd >= 0)
			close(listfd);
		goto out;
	}
	/*
	 * readdir is thread-safe on a stream of one's own (readdir_r is the
	 * deprecated one); cppcheck only knows the old advice.
	 */
	/* cppcheck-suppress readdirCalled */
	while ((e = readdir(d)))
		if (file_is_temporary(e->d_name) && remove_if_stale(dirfd, e->d_name))
			(*removed)++;
	closedir(d);
out:
	flock(dirfd, LOCK_UN);
	close(dirfd);
	return rc;
}
