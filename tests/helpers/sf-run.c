// SPDX-License-Identifier: MIT
/*
 * sf-run: the kernel-truth runner.  Loads raw programs written by
 * `sysfence-compile --raw` (deny first, then allow, with no_new_privs, the
 * launcher's order) into a forked child per case, makes one real syscall
 * there with the given arguments and reports what the kernel did:
 *
 *   sf-run [--log] [--i386] ALLOW [DENY|-] -- CASE...
 *   CASE = NAME[,ARG...]    ARG = number (0x.. ok) | self (the child's pid)
 *   prints "CASE => OK | EPERM | EACCES | ENOSYS | E<name> | SIGNAL(n) (pid N)"
 *
 * --i386 makes the call through the i386 ABI with `int $0x80` from this
 * 64-bit program (tests/common/int80.h): the kernel's compat path, seen by
 * the filter as AUDIT_ARCH_I386 with 32-bit arguments and i386 numbers.
 * Self-contained (no project libraries).  The syscalls are ones whose effect is
 * harmless: getppid & co ignore their arguments, kill(self, 0) only checks
 * existence, ioctl on fd -1 fails with EBADF.  A filter that wrongly lets
 * kill(self, (1<<32)|9) through kills the child, and the report shows it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/int80.h"

#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif

#define NONE (-1)

/* Native numbers, and the i386 ones (asm/unistd_32.h) for --i386. */
static const struct {
	const char *name;
	long nr, i386;
} calls[] = {
	{ "getppid", SYS_getppid, 64 },
	{ "getpid", SYS_getpid, 20 },
	{ "getuid", SYS_getuid, 24 }, /* i386: the 16-bit getuid */
	{ "getgid", SYS_getgid, 47 },
	{ "geteuid", SYS_geteuid, 49 },
	{ "getegid", SYS_getegid, 50 },
	{ "gettid", SYS_gettid, 224 },
	{ "getpgrp", SYS_getpgrp, 65 },
	{ "sched_yield", SYS_sched_yield, 158 },
	{ "kill", SYS_kill, 37 },
	{ "ioctl", SYS_ioctl, 54 },
	{ "lseek", SYS_lseek, 19 },		 /* on fd -1: EBADF */
	{ "personality", SYS_personality, 136 }, /* 0xffffffff only queries */
	/* setuid in the child that exits at once; i386 setuid is 16-bit */
	{ "setuid", SYS_setuid, 23 },
	{ "setuid32", NONE, 213 },
#ifdef SYS_clone3
	{ "clone3", SYS_clone3, 435 },
#endif
	/*
	 * socket(AF_UNIX) makes a socket the exiting child drops; shmget of
	 * size 0 fails with EINVAL; connect, sendto and setsockopt on fd -1
	 * EBADF; the multiplexers with NULL args EFAULT.
	 */
	{ "socket", SYS_socket, 359 },
	{ "connect", SYS_connect, 362 },
	{ "sendto", SYS_sendto, 369 },
	{ "setsockopt", SYS_setsockopt, 366 },
	{ "shmget", SYS_shmget, 395 },
	{ "socketcall", NONE, 102 },
	{ "ipc", NONE, 117 },
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

static long lookup(const char *name, size_t len, bool i386)
{
	char *end;
	long nr;

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (strlen(calls[i].name) == len && !strncmp(calls[i].name, name, len))
			return i386 ? calls[i].i386 : calls[i].nr;
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
	bool i386 = false;
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]; i++) {
		if (!strcmp(argv[i], "--log"))
			flags = SECCOMP_FILTER_FLAG_LOG;
		else if (!strcmp(argv[i], "--i386") && HAVE_INT80 && int80_available())
			i386 = true;
		else if (!strcmp(argv[i], "--i386"))
			die("%s", "--i386: no i386 ABI here (int $0x80 does not work)");
		else
			break;
	}
	if (argc - i < 2)
		die("%s", "usage: sf-run [--log] [--i386] ALLOW [DENY|-] -- CASE...");
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
		long nr = lookup(c, comma ? (size_t)(comma - c) : strlen(c), i386);
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
#if HAVE_INT80
			if (i386) {
				/* 32-bit registers: the low halves only. */
				r = int80_syscall((uint32_t)nr, (uint32_t)a[0], (uint32_t)a[1],
						  (uint32_t)a[2], (uint32_t)a[3], (uint32_t)a[4],
						  (uint32_t)a[5]);
				if (r < 0) {
					errno = (int)-r;
					r = -1;
				}
			} else
#endif
				r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
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
