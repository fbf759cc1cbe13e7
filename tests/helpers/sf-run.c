// SPDX-License-Identifier: MIT
/*
 * sf-run: the kernel-truth runner.  Loads raw programs written by
 * `sysfence-compile --raw` (deny first, then allow, with no_new_privs, the
 * launcher's order) into a forked child per case, makes one real syscall
 * there with the given arguments and reports what the kernel did:
 *
 *   sf-run [--log] ALLOW [DENY|-] -- CASE...
 *   CASE = NAME[,ARG...]    ARG = number (0x.. ok) | self (the child's pid)
 *   prints "CASE => OK | EPERM | EACCES | ENOSYS | E<name> | SIGNAL(n) (pid N)"
 *
 * Self-contained (no project libraries) so the same file builds with -m32
 * for the compat architecture.  The syscalls are ones whose effect is
 * harmless: getppid & co ignore their arguments, kill(self, 0) only checks
 * existence, ioctl on fd -1 fails with EBADF.  A filter that wrongly lets
 * kill(self, (1<<32)|9) through kills the child, and the report shows it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif

static const struct {
	const char *name;
	long nr;
} calls[] = {
	{ "getppid", SYS_getppid },
	{ "getpid", SYS_getpid },
	{ "getuid", SYS_getuid },
	{ "getgid", SYS_getgid },
	{ "geteuid", SYS_geteuid },
	{ "getegid", SYS_getegid },
	{ "gettid", SYS_gettid },
	{ "getpgrp", SYS_getpgrp },
	{ "sched_yield", SYS_sched_yield },
	{ "kill", SYS_kill },
	{ "ioctl", SYS_ioctl },
	{ "personality", SYS_personality }, /* 0xffffffff only queries */
#ifdef SYS_clone3
	{ "clone3", SYS_clone3 },
#endif
	/* socket(AF_UNIX) makes a socket the exiting child drops; shmget of
	 * size 0 fails with EINVAL; the multiplexers with NULL args EFAULT. */
	{ "socket", SYS_socket },
	{ "connect", SYS_connect },
	{ "shmget", SYS_shmget },
#ifdef SYS_socketcall
	{ "socketcall", SYS_socketcall },
#endif
#ifdef SYS_ipc
	{ "ipc", SYS_ipc },
#endif
};

struct prog {
	struct sock_filter *insns;
	unsigned short len;
};

static void die(const char *fmt, const char *arg) __attribute__((format(printf, 1, 0), noreturn));
static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "sf-run: ");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
	fputc('\n', stderr);
	exit(2);
}

static void read_prog(const char *path, struct prog *p)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0)
		die("cannot open %s", path);
	if (st.st_size <= 0 || st.st_size % 8 || st.st_size > 4096 * 8)
		die("%s is not a raw BPF program", path);
	p->insns = malloc((size_t)st.st_size);
	if (!p->insns)
		die("%s", "out of memory");
	n = read(fd, p->insns, (size_t)st.st_size);
	if (n != st.st_size)
		die("cannot read %s", path);
	p->len = (unsigned short)(st.st_size / 8);
	close(fd);
}

static long lookup(const char *name, size_t len)
{
	char *end;
	long nr;

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (strlen(calls[i].name) == len && !strncmp(calls[i].name, name, len))
			return calls[i].nr;
	nr = strtol(name, &end, 0); /* a raw number */
	if (end == name + len && len)
		return nr;
	return -1;
}

/*
 * Ends the confined child with exactly one syscall: _exit() is noreturn,
 * and under ASan a noreturn call first runs sigaltstack(), which the
 * filter under test may deny.
 */
static void child_exit(int code)
{
	for (;;)
		syscall(SYS_exit_group, code);
}

static int load(const struct prog *p, unsigned flags)
{
	struct sock_fprog fp = { .len = p->len, .filter = p->insns };

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fp);
}

static const char *errname(int e)
{
	static char buf[32];

	switch (e) {
	case 0:
		return "OK";
	case EPERM:
		return "EPERM";
	case EACCES:
		return "EACCES";
	case ENOSYS:
		return "ENOSYS";
	case EBADF:
		return "EBADF";
	case ENOTTY:
		return "ENOTTY";
	case EINVAL:
		return "EINVAL";
	case EFAULT:
		return "EFAULT";
	case ESRCH:
		return "ESRCH";
	}
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

int main(int argc, char **argv)
{
	struct prog allow = { 0 }, deny = { 0 };
	unsigned flags = 0;
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--log")) {
		flags = SECCOMP_FILTER_FLAG_LOG;
		i++;
	}
	if (argc - i < 2)
		die("%s", "usage: sf-run [--log] ALLOW [DENY|-] -- CASE...");
	read_prog(argv[i++], &allow);
	if (strcmp(argv[i], "--")) {
		if (strcmp(argv[i], "-"))
			read_prog(argv[i], &deny);
		i++;
	}
	if (i >= argc || strcmp(argv[i], "--"))
		die("%s", "expected -- before the cases");
	for (i++; i < argc; i++) {
		const char *c = argv[i], *comma = strchr(c, ',');
		uint64_t a[6] = { 0 };
		char *copy, *tok, *save = NULL;
		int nargs = 0, self[6] = { 0 }, status;
		long nr = lookup(c, comma ? (size_t)(comma - c) : strlen(c));
		pid_t pid;

		if (nr < 0)
			die("unknown syscall in case %s", c);
		copy = strdup(comma ? comma + 1 : "");
		for (tok = strtok_r(copy, ",", &save); tok && nargs < 6;
		     tok = strtok_r(NULL, ",", &save), nargs++) {
			if (!strcmp(tok, "self"))
				self[nargs] = 1;
			else
				a[nargs] = strtoull(tok, NULL, 0);
		}
		free(copy);
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			die("%s", "fork failed");
		if (pid == 0) {
			long r;

			for (int k = 0; k < 6; k++)
				if (self[k])
					a[k] = (uint64_t)getpid();
			alarm(5);
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
			    (deny.len && load(&deny, flags)) || load(&allow, flags))
				child_exit(254);
#if defined(__i386__)
			/* 32-bit: the registers hold the low halves only. */
			r = syscall(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
				    (long)a[5]);
#else
			r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
#endif
			child_exit(r < 0 ? (errno > 0 && errno < 250 ? errno : 250) : 0);
		}
		if (waitpid(pid, &status, 0) < 0)
			die("%s", "waitpid failed");
		if (WIFSIGNALED(status))
			printf("%s => SIGNAL(%d) (pid %d)\n", c, WTERMSIG(status), (int)pid);
		else if (WEXITSTATUS(status) == 254)
			printf("%s => LOADFAIL (pid %d)\n", c, (int)pid);
		else
			printf("%s => %s (pid %d)\n", c, errname(WEXITSTATUS(status)), (int)pid);
	}
	free(allow.insns);
	free(deny.insns);
	return 0;
}
