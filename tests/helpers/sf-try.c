// SPDX-License-Identifier: MIT
/*
 * sf-try: the program the launcher tests confine.  Runs its commands in
 * order and exits with the errno of the last `syscall` (0 when it worked):
 *   pid                    print pid=N
 *   syscall NAME [ARG...]  one system call by name, print NAME=0 or NAME=errno:N
 *   status                 the Uid, Gid, Cap..., NoNewPrivs and Seccomp lines of /proc/self/status
 *   ids                    getresuid/getresgid
 *   fds                    every open descriptor, "fd N -> TARGET"
 *   touch FILE             create FILE (a marker that the program ran)
 *   env NAME               print NAME=VALUE, or NAME unset
 * A leading -e sends everything to stderr instead of stdout.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *out;

static int do_syscall(int argc, char **argv, int *i)
{
	const char *name = argv[++*i];
	long a[6] = { 0 };
	int n = 0, nr;
	long rc;

	if (!name) {
		fprintf(stderr, "sf-try: syscall needs a name\n");
		exit(100);
	}
	nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR) {
		fprintf(stderr, "sf-try: unknown syscall %s\n", name);
		exit(100);
	}
	/* Numeric arguments follow the name, up to 6. */
	while (*i + 1 < argc && n < 6) {
		char *end;
		long v = strtol(argv[*i + 1], &end, 0);

		if (*end || end == argv[*i + 1])
			break;
		a[n++] = v;
		++*i;
	}
	errno = 0;
	rc = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (rc < 0) {
		int e = errno;

		fprintf(out, "%s=errno:%d\n", name, e);
		return e;
	}
	fprintf(out, "%s=0\n", name);
	return 0;
}

static void print_status(void)
{
	static const char *keys[] = { "Uid:",	     "Gid:",	 "Groups:",	    "CapInh:",
				      "CapPrm:",     "CapEff:",	 "CapBnd:",	    "CapAmb:",
				      "NoNewPrivs:", "Seccomp:", "Seccomp_filters:" };
	char line[512];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		fprintf(out, "status=errno:%d\n", errno);
		return;
	}
	while (fgets(line, sizeof(line), f))
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strncmp(line, keys[k], strlen(keys[k])))
				fputs(line, out);
	fclose(f);
}

static void print_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d) {
		fprintf(out, "fds=errno:%d\n", errno);
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

int main(int argc, char **argv)
{
	int status = 0, i = 1;

	out = stdout;
	if (argc > 1 && !strcmp(argv[1], "-e")) {
		out = stderr;
		i++;
	}
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "pid")) {
			fprintf(out, "pid=%d\n", (int)getpid());
		} else if (!strcmp(argv[i], "syscall")) {
			status = do_syscall(argc, argv, &i);
		} else if (!strcmp(argv[i], "status")) {
			print_status();
		} else if (!strcmp(argv[i], "ids")) {
			uid_t r, e, s;
			gid_t rg, eg, sg;

			getresuid(&r, &e, &s);
			getresgid(&rg, &eg, &sg);
			fprintf(out, "ruid=%u euid=%u suid=%u rgid=%u egid=%u sgid=%u\n", r, e, s,
				rg, eg, sg);
		} else if (!strcmp(argv[i], "env") && i + 1 < argc) {
			const char *v = getenv(argv[++i]);

			if (v)
				fprintf(out, "%s=%s\n", argv[i], v);
			else
				fprintf(out, "%s unset\n", argv[i]);
		} else if (!strcmp(argv[i], "fds")) {
			print_fds();
		} else if (!strcmp(argv[i], "touch") && i + 1 < argc) {
			int fd = open(argv[++i], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

			if (fd < 0)
				fprintf(out, "touch=errno:%d\n", errno);
			else
				close(fd);
		} else {
			fprintf(stderr, "sf-try: unknown command %s\n", argv[i]);
			return 100;
		}
		fflush(out);
	}
	return status;
}
