// SPDX-License-Identifier: MIT
/*
 * sf-careless FILE: a careless setuid-root helper, the victim of the
 * confused-deputy attack that no_new_privs exists for.  It means to give
 * up root before it opens FILE for the caller, but it does not check that
 * the drop worked: under a filter that denies setresuid (EPERM) it stays
 * root and reads a file the caller could not.  Prints
 *   ids ruid=R euid=E
 *   read OK: <first line of FILE>     or     read denied: <errno name>
 * and exits 0 when it read the file, 1 when it could not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[256];
	uid_t uid = getuid();
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: sf-careless FILE\n");
		return 2;
	}
	/* The bug: the result of the drop is ignored. */
	(void)syscall(SYS_setresuid, uid, uid, uid);
	printf("ids ruid=%u euid=%u\n", (unsigned)getuid(), (unsigned)geteuid());
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("read denied: %s\n", strerror(errno));
		return 1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("read OK: %s\n", buf);
	return 0;
}
