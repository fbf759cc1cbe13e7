// SPDX-License-Identifier: MIT
/*
 * sf-args [-o FILE] [ARG...]: the program tests/integration/badinput_matrix.sh
 * confines to see what arrived through the launcher.  Reports, on stdout
 * or in FILE (created; useful when the standard streams are closed):
 *   argc=N argbytes=N arghash=HEX    ARG... (after -o FILE), FNV-1a over
 *                                    each string and its NUL
 *   envc=N envbytes=N envhash=HEX    the environment, the same way
 *   fd N -> TARGET                   every open descriptor
 *   the Uid, NoNewPrivs, Seccomp and Seccomp_filters lines of
 *   /proc/self/status
 * Exit 0, or 100 when it cannot write its report.  The same run directly
 * and through the launcher must print the same argc/env lines.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static void summarise(FILE *out, const char *what, char **v, int from)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t n = 0, bytes = 0;

	for (int i = from; v && v[i]; i++, n++) {
		const unsigned char *s = (const unsigned char *)v[i];

		do {
			h = (h ^ *s) * 0x100000001b3ULL;
			bytes++;
		} while (*s++);
	}
	fprintf(out, "%sc=%zu %sbytes=%zu %shash=%016llx\n", what, n, what, bytes, what,
		(unsigned long long)h);
}

static void print_fds(FILE *out)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d) {
		fputs("fds unreadable\n", out);
		return;
	}
	while ((e = readdir(d))) {
		char path[300], target[512];
		ssize_t n;

		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		fprintf(out, "fd %s -> %s\n", e->d_name, target);
	}
	closedir(d);
}

/*
 * Read before the output file is opened, so that under the smallest
 * RLIMIT_NOFILE the launcher runs with (one descriptor beyond 0-2) the
 * program can still say it is confined.
 */
static char status[1024];

static void read_status(void)
{
	static const char *keys[] = { "Uid:", "NoNewPrivs:", "Seccomp:", "Seccomp_filters:" };
	char line[512];
	size_t n = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		snprintf(status, sizeof(status), "status unreadable\n");
		return;
	}
	while (fgets(line, sizeof(line), f))
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strncmp(line, keys[k], strlen(keys[k])) && n < sizeof(status))
				n += (size_t)snprintf(status + n, sizeof(status) - n, "%s", line);
	fclose(f);
}

int main(int argc, char **argv)
{
	FILE *out = stdout;
	int first = 1;

	read_status();
	if (argc > 2 && !strcmp(argv[1], "-o")) {
		first = 3;
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || !(out = fdopen(fd, "w"))) {
			perror("sf-args");
			return 100;
		}
	}
	summarise(out, "arg", argv, first);
	summarise(out, "env", environ, 0);
	print_fds(out);
	fputs(status, out);
	return fflush(out) || ferror(out) ? 100 : 0;
}
