// SPDX-License-Identifier: MIT
/*
 * embed BLOB -- PROGRAM [ARGS...]
 *
 * A tiny launcher written against the installed libsysfence, as another
 * runtime would embed it: loads the compiled sysfence profile BLOB with
 * no_new_privs, then runs PROGRAM under it.  Build it with
 *
 *   cc -o embed embed.c $(pkg-config --cflags --libs sysfence)
 *
 * (or `make` in this folder).  Exit status: PROGRAM's, or 125 when the
 * profile could not be loaded (PROGRAM never ran), 126 when PROGRAM cannot
 * run, 127 when it is not found, as env(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sysfence.h>

int main(int argc, char *argv[])
{
	char why[256];
	int fd, rc;

	if (argc < 4 || strcmp(argv[2], "--")) {
		fprintf(stderr, "usage: embed BLOB -- PROGRAM [ARGS...]\n");
		return 125;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "embed: %s: %s\n", argv[1], strerror(errno));
		return 125;
	}
	rc = sysfence_load_fd(fd, SYSFENCE_LOAD_NO_NEW_PRIVS, why, sizeof(why));
	close(fd);
	/* Any error means: do not run the program.  why says what failed. */
	if (rc != SYSFENCE_OK) {
		fprintf(stderr, "embed: %s: %s\n", argv[1], why);
		return 125;
	}
	execvp(argv[3], argv + 3);
	/* The profile must allow write and exit_group for this message. */
	rc = errno;
	fprintf(stderr, "embed: cannot run %s: %s\n", argv[3], strerror(rc));
	return rc == ENOENT ? 127 : 126;
}
