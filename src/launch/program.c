// SPDX-License-Identifier: MIT
/*
 * Finding the program, and the standard descriptors it inherits.
 */
#include "sysfence/launch/program.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* glibc's execvp searches this when PATH is unset. */
#define PROGRAM_DEFAULT_PATH "/bin:/usr/bin"

/* 0 when path is a regular file we may execute; else an errno. */
static int executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES; /* what execve says about a folder */
	/* After the drop effective and real ids are the caller's. */
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return errno;
	return 0;
}

int program_find(const char *name, const char *path_env, char *buf, size_t buflen, int *err)
{
	bool denied = false;
	const char *p;

	*err = ENOENT;
	if (!name[0])
		return PROGRAM_EXIT_NOT_FOUND;
	if (strchr(name, '/')) {
		if (snprintf(buf, buflen, "%s", name) >= (int)buflen) {
			*err = ENAMETOOLONG;
			return PROGRAM_EXIT_CANNOT_RUN;
		}
		*err = executable(buf);
		if (!*err)
			return 0;
		return *err == ENOENT || *err == ENOTDIR ? PROGRAM_EXIT_NOT_FOUND
							 : PROGRAM_EXIT_CANNOT_RUN;
	}
	if (!path_env)
		path_env = PROGRAM_DEFAULT_PATH;
	for (p = path_env;; p++) {
		const char *end = strchrnul(p, ':');
		size_t dirlen = (size_t)(end - p);
		int e;

		/* An empty entry means the current folder, as in execvp. */
		if (dirlen == 0)
			e = snprintf(buf, buflen, "%s", name);
		else
			e = snprintf(buf, buflen, "%.*s/%s", (int)dirlen, p, name);
		if (e >= 0 && (size_t)e < buflen) {
			e = executable(buf);
			if (!e)
				return 0;
			/* execvp reports EACCES if any candidate existed but could not run. */
			if (e == EACCES)
				denied = true;
		}
		if (!*end)
			break;
		p = end;
	}
	buf[0] = '\0';
	*err = denied ? EACCES : ENOENT;
	return denied ? PROGRAM_EXIT_CANNOT_RUN : PROGRAM_EXIT_NOT_FOUND;
}

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
