// SPDX-License-Identifier: MIT
#include "sysfence/path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 0 when path is a regular file this process may execute; else an errno. */
static int executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOTDIR ? ENOENT : errno;
	if (!S_ISREG(st.st_mode))
		return EACCES; /* what execve says about a folder */
	/* The effective ids, as execve checks (the launcher's are the caller's). */
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return errno;
	return 0;
}

int path_find_program(const char *name, const char *path_env, char *buf, size_t buflen)
{
	bool denied = false;
	int e;

	if (!name[0])
		return -ENOENT;
	if (strchr(name, '/')) {
		if (snprintf(buf, buflen, "%s", name) >= (int)buflen)
			return -ENAMETOOLONG;
		return -executable(buf);
	}
	if (!path_env)
		path_env = PATH_SEARCH_DEFAULT;
	for (const char *p = path_env;; p++) {
		const char *end = strchrnul(p, ':');
		size_t dirlen = (size_t)(end - p);

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
	if (buflen)
		buf[0] = '\0';
	return denied ? -EACCES : -ENOENT;
}

int path_exit_status(int err)
{
	return err == ENOENT ? PATH_EXIT_NOT_FOUND : PATH_EXIT_CANNOT_RUN;
}
