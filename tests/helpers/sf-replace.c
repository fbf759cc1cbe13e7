// SPDX-License-Identifier: MIT
/*
 * sf-replace TARGET SOURCE...: replaces TARGET with each SOURCE in turn, as
 * fast as it can, the way a package manager upgrades a profile: the bytes
 * go to a temporary file in TARGET's folder, which is then renamed over
 * TARGET (never a partial file, never a missing name).  Runs until killed;
 * on SIGTERM it removes its temporary and prints "replacements=N".
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SOURCES 8

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static char *slurp(const char *path, size_t *len)
{
	static char buf[1 << 20];
	char *copy;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || (n = read(fd, buf, sizeof(buf))) < 0) {
		perror(path);
		exit(2);
	}
	close(fd);
	copy = malloc((size_t)n + 1);
	if (!copy)
		exit(2);
	memcpy(copy, buf, (size_t)n);
	*len = (size_t)n;
	return copy;
}

int main(int argc, char **argv)
{
	char *data[MAX_SOURCES], tmp[4096];
	size_t len[MAX_SOURCES];
	unsigned long count = 0;
	struct sigaction sa;
	int n = argc - 2;

	if (n < 1 || n > MAX_SOURCES) {
		fprintf(stderr, "usage: sf-replace TARGET SOURCE...\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		data[i] = slurp(argv[i + 2], &len[i]);
	if (snprintf(tmp, sizeof(tmp), "%s.sf-replace.%d", argv[1], (int)getpid()) >=
	    (int)sizeof(tmp))
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop) {
		int i = (int)(count % (unsigned long)n);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || write(fd, data[i], len[i]) != (ssize_t)len[i] || close(fd) < 0 ||
		    rename(tmp, argv[1]) < 0) {
			perror("sf-replace");
			unlink(tmp);
			return 1;
		}
		count++;
	}
	unlink(tmp);
	printf("replacements=%lu\n", count);
	return 0;
}
