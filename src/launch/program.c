// SPDX-License-Identifier: MIT
/*
 * Opening and running the program, and the standard descriptors it
 * inherits (the search is src/common/path.c, shared with --learn).
 */
#include "sysfence/launch/program.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The empty path of execveat, one object so the simulated call is exact. */
static const char empty_path[] = "";

int program_open(const char *path, bool *readable)
{
	int fd;

	/* O_NONBLOCK|O_NOCTTY: a FIFO swapped in cannot hang or adopt us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	*readable = fd >= 0;
	if (fd >= 0)
		return fd;
	if (errno != EACCES)
		return -errno;
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return fd;
}

void program_exec_call(const struct program_exec *e, struct load_call *call)
{
	memset(call, 0, sizeof(*call));
	call->data.arch = LOAD_NATIVE_ARCH;
	if (e->fd >= 0) {
		call->name = "execveat";
		call->data.nr = __NR_execveat;
		call->data.args[0] = (uint64_t)e->fd;
		call->data.args[1] = (uint64_t)(uintptr_t)empty_path;
		call->data.args[2] = (uint64_t)(uintptr_t)e->argv;
		call->data.args[3] = (uint64_t)(uintptr_t)e->envp;
		call->data.args[4] = AT_EMPTY_PATH;
	} else {
		call->name = "execve";
		call->data.nr = __NR_execve;
		call->data.args[0] = (uint64_t)(uintptr_t)e->path;
		call->data.args[1] = (uint64_t)(uintptr_t)e->argv;
		call->data.args[2] = (uint64_t)(uintptr_t)e->envp;
	}
}

void program_exec(const struct program_exec *e)
{
	if (e->fd >= 0)
		execveat(e->fd, empty_path, e->argv, e->envp, AT_EMPTY_PATH);
	else
		execve(e->path, e->argv, e->envp);
}

int program_std_fds_valid(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		if (errno != EBADF)
			return -errno;
		/* The lowest free number is fd itself: 0..fd-1 are valid by now. */
		got = open("/dev/null", O_RDWR | O_NOCTTY);
		if (got < 0)
			return -errno;
		if (got != fd) {
			close(got);
			return -EBADF;
		}
	}
	return 0;
}
