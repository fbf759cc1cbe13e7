// SPDX-License-Identifier: MIT
/*
 * sf-launchbench: the timing tool behind bench/launch.sh.  Timings only,
 * never asserted.
 *
 *   spawn [--user UID:GID] N @LABEL [<FD=PATH] CMD... [:: @LABEL ...]...
 *       runs the commands round-robin, N times each (interleaved, so drift
 *       hits all alike), each a fork + exec + wait, optionally as UID:GID
 *       and with PATH opened read-only on FD; prints per command
 *       "LABEL median_us p10_us p90_us R R25 R75", R the median over
 *       rounds of the command's time over the second command's in the
 *       same round, R25 and R75 its quartiles
 *   attach N BLOB          median time of the seccomp() calls that attach
 *                          BLOB's deny and allow programs (a fresh child
 *                          per sample: filters cannot be removed)
 *   attach-linear N LEN    the same for a linear LEN-instruction chain
 *   percall M BLOB         ns per getpid() and per fcntl(0, F_GETFD)
 *                          without a filter and under BLOB
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sysfence/blob.h"
#include "sysfence/compile/fileio.h"

#define MAX_CMDS 8

struct cmd {
	const char *label;
	char **argv;
	int redirect_fd;
	const char *redirect_path;
	double *samples;
	double *ratio; /* per round: samples over the second command's */
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, int p)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[(n - 1) * p / 100];
}

static void die(const char *msg)
{
	perror(msg);
	exit(2);
}

static double run_once(const struct cmd *c, long uid, long gid)
{
	double t0 = now_us();
	pid_t pid = fork();
	int status;

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		dup2(devnull, 2);
		if (c->redirect_path) {
			int fd = open(c->redirect_path, O_RDONLY);

			if (fd < 0 || dup2(fd, c->redirect_fd) < 0)
				_exit(120);
		}
		if (uid >= 0 &&
		    (setgroups(0, NULL) || setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) ||
		     setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid)))
			_exit(121);
		execv(c->argv[0], c->argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "sf-launchbench: %s failed (status %#x)\n", c->label, status);
		exit(1);
	}
	return now_us() - t0;
}

static int spawn(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS];
	long uid = -1, gid = -1;
	int n, ncmds = 0, i = 0;

	if (i + 1 < argc && !strcmp(argv[i], "--user")) {
		if (sscanf(argv[i + 1], "%ld:%ld", &uid, &gid) != 2)
			return 2;
		i += 2;
	}
	if (i >= argc)
		return 2;
	n = atoi(argv[i++]);
	if (n < 1)
		return 2;
	while (i < argc) {
		struct cmd *c = &cmds[ncmds];

		if (ncmds == MAX_CMDS || argv[i][0] != '@')
			return 2;
		memset(c, 0, sizeof(*c));
		c->label = argv[i++] + 1;
		if (i < argc && argv[i][0] == '<') {
			c->redirect_fd = atoi(argv[i] + 1);
			c->redirect_path = strchr(argv[i], '=');
			if (!c->redirect_path)
				return 2;
			c->redirect_path++;
			i++;
		}
		c->argv = &argv[i];
		while (i < argc && strcmp(argv[i], "::"))
			i++;
		if (i < argc)
			argv[i++] = NULL; /* ends this command's argv */
		c->samples = calloc((size_t)n, sizeof(double));
		c->ratio = calloc((size_t)n, sizeof(double));
		if (!c->samples || !c->ratio)
			die("calloc");
		ncmds++;
	}
	for (int c = 0; c < ncmds; c++) /* warm the page cache */
		run_once(&cmds[c], uid, gid);
	for (int r = 0; r < n; r++)
		for (int c = 0; c < ncmds; c++)
			cmds[c].samples[r] = run_once(&cmds[c], uid, gid);
	/*
	 * Each round's time over the second command's in the same round
	 * (the floor in bench/launch.sh), before pct() sorts the samples:
	 * drift between rounds cancels in the pair.
	 */
	for (int c = 0; c < ncmds; c++)
		for (int r = 0; r < n; r++)
			cmds[c].ratio[r] = ncmds > 1 && cmds[1].samples[r] > 0
						   ? cmds[c].samples[r] / cmds[1].samples[r]
						   : 1.0;
	for (int c = 0; c < ncmds; c++) {
		double *q = cmds[c].ratio;
		double p50 = pct(cmds[c].samples, n, 50);

		printf("%s %.1f %.1f %.1f %.4f %.4f %.4f\n", cmds[c].label, p50,
		       pct(cmds[c].samples, n, 10), pct(cmds[c].samples, n, 90), pct(q, n, 50),
		       pct(q, n, 25), pct(q, n, 75));
	}
	return 0;
}

static struct blob load_blob(const char *path)
{
	struct blob b;
	char *data, why[128];
	size_t len;

	if (file_read_all(path, BLOB_MAX_SIZE, &data, &len) ||
	    blob_parse(data, len, &b, why, sizeof(why))) {
		fprintf(stderr, "sf-launchbench: %s: not a good blob\n", path);
		exit(2);
	}
	free(data);
	return b;
}

static long attach_prog(const struct bpf_prog *p)
{
	struct sock_fprog f = { (unsigned short)p->len, p->insns };

	if (!p->len)
		return 0;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &f);
}

/* Median time, in a fresh child per sample, of attaching deny then allow. */
static double time_attach(int n, const struct bpf_prog *deny, const struct bpf_prog *allow)
{
	double *v = calloc((size_t)n, sizeof(double)), med;

	if (!v)
		die("calloc");
	for (int i = 0; i < n; i++) {
		int fds[2];
		pid_t pid;

		if (pipe(fds))
			die("pipe");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			double t0, t;

			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
				_exit(1);
			t0 = now_us();
			if (attach_prog(deny) || attach_prog(allow))
				_exit(1);
			t = now_us() - t0;
			_exit(write(fds[1], &t, sizeof(t)) == sizeof(t) ? 0 : 1);
		}
		close(fds[1]);
		if (read(fds[0], &v[i], sizeof(v[i])) != sizeof(v[i])) {
			fprintf(stderr, "sf-launchbench: attach failed\n");
			exit(1);
		}
		close(fds[0]);
		waitpid(pid, NULL, 0);
	}
	med = pct(v, n, 50);
	free(v);
	return med;
}

static int attach(int n, const char *path)
{
	struct blob b = load_blob(path);

	printf("attach_us %.1f deny_insns %u allow_insns %u\n", time_attach(n, &b.deny, &b.allow),
	       b.deny.len, b.allow.len);
	return 0;
}

/* What a filter without a tree looks like: one comparison per rule. */
static int attach_linear(int n, unsigned len)
{
	struct sock_filter *p = calloc(len + 8, sizeof(*p));
	struct bpf_prog none = { NULL, 0 }, prog = { p, 0 };
	unsigned k = 0;

	if (!p || len < 8 || len > BPF_MAXINSNS)
		return 2;
	p[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH);
	p[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	p[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	p[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_NR);
	for (unsigned nr = 0; k + 3 <= len; nr++) {
		p[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
		p[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	}
	p[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1);
	prog.len = k;
	printf("attach_linear_us %.1f insns %u\n", time_attach(n, &none, &prog), k);
	return 0;
}

static double loop_ns(long m, int which)
{
	double t0 = now_us();

	for (long i = 0; i < m; i++) {
		if (which == 0)
			syscall(SYS_getpid);
		else
			syscall(SYS_fcntl, 0, F_GETFD);
	}
	return (now_us() - t0) * 1000.0 / (double)m;
}

static int percall(long m, const char *path)
{
	struct blob b = load_blob(path);
	double base[2] = { 1e30, 1e30 }, filt[2] = { 1e30, 1e30 };

	/* Best of 5 rounds each: the floor, not the noise. */
	for (int r = 0; r < 5; r++)
		for (int w = 0; w < 2; w++) {
			double t = loop_ns(m, w);

			base[w] = t < base[w] ? t : base[w];
		}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || attach_prog(&b.deny) || attach_prog(&b.allow))
		die("attach");
	for (int r = 0; r < 5; r++)
		for (int w = 0; w < 2; w++) {
			double t = loop_ns(m, w);

			filt[w] = t < filt[w] ? t : filt[w];
		}
	printf("getpid_ns %.1f %.1f\n", base[0], filt[0]);
	printf("fcntl_getfd_ns %.1f %.1f\n", base[1], filt[1]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "spawn"))
		return spawn(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "attach"))
		return attach(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "attach-linear"))
		return attach_linear(atoi(argv[2]), (unsigned)atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "percall"))
		return percall(atol(argv[2]), argv[3]);
	fprintf(stderr, "usage: see the comment at the top of sf-launchbench.c\n");
	return 2;
}
