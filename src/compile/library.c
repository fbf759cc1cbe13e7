// SPDX-License-Identifier: MIT
/*
 * The I/O behind @include (include.c is pure): where the library of
 * shipped policies is, and reading an included file.
 */
#include "sysfence/compile/library.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfence/compile/fileio.h"

const char *library_default_dir(void)
{
	const char *env = getenv("SYSFENCE_INCLUDE_DIR");

	return env && *env ? env : SYSFENCE_INCLUDE_DIR;
}

int library_read(void *ctx, const char *path, size_t max, char **text, size_t *len, uint64_t key[2])
{
	struct stat st;
	int fd, rc;

	(void)ctx;
	*text = NULL;
	*len = 0;
	/*
	 * O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused
	 * below anyway); O_NOCTTY: a terminal device never becomes ours.
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (S_ISDIR(st.st_mode))
		rc = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		rc = -EINVAL;
	else if ((uintmax_t)st.st_size > max)
		rc = -EFBIG;
	else
		rc = fd_read_all(fd, max, text, len); /* a file still growing: max holds */
	close(fd);
	if (!rc) {
		key[0] = (uint64_t)st.st_dev;
		key[1] = (uint64_t)st.st_ino;
	}
	return rc;
}
