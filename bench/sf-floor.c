// SPDX-License-Identifier: MIT
/*
 * sf-floor [-u] [-d DENY] ALLOW PROGRAM [ARG...]: the floor sysfence-launch is
 * measured against (bench/launch.sh).  The least a loader of the same
 * filters can do: read the programs (bare struct sock_filter arrays, as
 * `sysfence-compile --raw` writes them), set no_new_privs, attach DENY
 * then ALLOW with SECCOMP_FILTER_FLAG_LOG, execve PROGRAM.  No checks
 * beyond the system calls' own results, no verification, no probing: a
 * benchmark, never a way to run anything.  Linked static, stripped.
 * -u: first become the real user and group (for a setuid-root copy: the
 * cost of a setuid start, without the launcher's work).
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct sock_filter deny[BPF_MAXINSNS], allow[BPF_MAXINSNS];

static unsigned short load(const char *path, struct sock_filter *p)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, p, BPF_MAXINSNS * sizeof(*p));

	if (n <= 0 || n % (ssize_t)sizeof(*p))
		_exit(125);
	close(fd);
	return (unsigned short)(n / (ssize_t)sizeof(*p));
}

static void attach(struct sock_filter *p, unsigned short len)
{
	struct sock_fprog f = { len, p };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &f))
		_exit(125);
}

int main(int argc, char **argv, char **envp)
{
	unsigned short ndeny = 0, nallow;
	int i = 1;

	if (argc > 1 && !strcmp(argv[i], "-u")) {
		uid_t u = getuid();
		gid_t g = getgid();

		if (setresgid(g, g, g) || setresuid(u, u, u))
			return 125;
		i++;
	}
	if (argc > i + 1 && !strcmp(argv[i], "-d")) {
		ndeny = load(argv[i + 1], deny);
		i += 2;
	}
	if (i + 1 >= argc)
		return 125;
	nallow = load(argv[i], allow);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return 125;
	if (ndeny)
		attach(deny, ndeny);
	attach(allow, nallow);
	execve(argv[i + 1], argv + i + 1, envp);
	return 126;
}
