// SPDX-License-Identifier: MIT
/*
 * sf-workload: a small, ordinary program for the complain-mode workflow
 * test (tests/integration/workflow_complain.sh).  It does what real
 * programs do: opens, reads and stats a file, lists a folder, asks for the
 * system name, sleeps and runs a thread, then prints "ok" and its pid.
 * Every step is checked; the exit status names the first that failed (so a
 * policy that denies one of them is visible), 0 when all succeeded.
 *
 *   sf-workload FILE DIR
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

enum step {
	OPEN = 10,
	READ,
	STAT,
	LIST,
	UNAME,
	SLEEP,
	THREAD,
	JOIN
};

static int fail(enum step s, const char *what, int err)
{
	fprintf(stderr, "sf-workload: %s: %s\n", what, strerror(err));
	return s;
}

static void *worker(void *arg)
{
	int *fd = arg;
	char c;

	/* The thread reads too, so its calls are in the log as well. */
	if (pread(*fd, &c, 1, 0) != 1)
		return (void *)1;
	return NULL;
}

int main(int argc, char **argv)
{
	char buf[256];
	struct stat st;
	struct utsname u;
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	pthread_t th;
	void *res;
	DIR *d;
	int fd, err, entries = 0;

	if (argc != 3) {
		fputs("usage: sf-workload FILE DIR\n", stderr);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(OPEN, "open", errno);
	if (read(fd, buf, sizeof(buf)) < 0)
		return fail(READ, "read", errno);
	if (stat(argv[1], &st) < 0)
		return fail(STAT, "stat", errno);
	d = opendir(argv[2]);
	if (!d)
		return fail(LIST, "opendir", errno);
	errno = 0;
	while (readdir(d))
		entries++;
	if (errno)
		return fail(LIST, "readdir", errno);
	closedir(d);
	if (uname(&u) < 0)
		return fail(UNAME, "uname", errno);
	if (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL))
		return fail(SLEEP, "clock_nanosleep", errno);
	err = pthread_create(&th, NULL, worker, &fd);
	if (err)
		return fail(THREAD, "pthread_create", err);
	err = pthread_join(th, &res);
	if (err || res)
		return fail(JOIN, "pthread_join", err ? err : EIO);
	printf("ok pid=%d entries=%d\n", (int)getpid(), entries);
	return 0;
}
