// SPDX-License-Identifier: MIT
/*
 * compile-bench: what `make bench` reports for the compiler, for sysfence's
 * own code generator and for the libseccomp baseline (libseccomp 2.5
 * compiling the same rules with its own comparisons and dispatch, binary
 * tree on), measured side by side in one run, per policy:
 *
 *  - program size: instructions in all the filters of the blob;
 *  - instructions run per allowed x86_64 call (mean, max) and per denied
 *    number (mean, max), by the project's simulator (all filters, no
 *    action cache);
 *  - attach time: the seccomp() call that installs the program, in a fresh
 *    child per sample (the kernel runs the filter for every number of
 *    every architecture to fill its action cache);
 *  - uncached per-call overhead: harmless allowed calls in a loop under the
 *    program, less the same loop under a one-load filter only (which makes
 *    every number uncacheable, so that the program really runs);
 *  - compile time: in process (compile_policy() against libseccomp's rule
 *    adds and export), and as a whole process (sysfence-compile against
 *    this program's --baseline mode, and against sysfence-compile
 *    --version, the start alone; the three interleaved).
 *
 *   compile-bench [--runs N] [--compiler PATH] POLICY...
 *   compile-bench --baseline POLICY OUT     (the baseline as a process)
 *
 * Every figure is printed, with the targets of issue 9 where it has one;
 * nothing is asserted (machines are noisy).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sysfence/compile/abi.h"
#include "sysfence/compile/compile.h"
#include "sysfence/compile/fileio.h"
#include "sysfence/compile/syscalls.h"

#define X64 AUDIT_ARCH_X86_64

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n ? v[n / 2] : 0;
}

/* ---- the libseccomp baseline ---- */

static int libseccomp_compile(const struct policy *p, const uint32_t *arches, size_t n,
			      struct bpf_prog *out)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int fd, rc = 0;

	if (!ctx)
		return -1;
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t a = 0; a < n; a++)
		if (arches[a] != seccomp_arch_native())
			seccomp_arch_add(ctx, arches[a]);
	for (size_t i = 0; i < p->count && !rc; i++) {
		const struct policy_rule *r = &p->rules[i];
		struct scmp_arg_cmp c[6];
		int nr = seccomp_syscall_resolve_name(r->name);

		if (nr == __NR_SCMP_ERROR)
			continue;
		for (unsigned k = 0; k < r->nargs; k++) {
			static const enum scmp_compare ops[] = {
				[POLICY_OP_EQ] = SCMP_CMP_EQ,
				[POLICY_OP_NE] = SCMP_CMP_NE,
				[POLICY_OP_GT] = SCMP_CMP_GT,
				[POLICY_OP_GE] = SCMP_CMP_GE,
				[POLICY_OP_LT] = SCMP_CMP_LT,
				[POLICY_OP_LE] = SCMP_CMP_LE,
				[POLICY_OP_MASKED] = SCMP_CMP_MASKED_EQ,
			};
			const struct policy_arg *pa = &r->args[k];

			if (pa->op == POLICY_OP_ANY) /* libseccomp: an always-true mask */
				c[k] = (struct scmp_arg_cmp){ k, SCMP_CMP_MASKED_EQ, 0, 0 };
			else if (pa->op == POLICY_OP_MASKED)
				c[k] = (struct scmp_arg_cmp){ k, SCMP_CMP_MASKED_EQ, pa->mask,
							      pa->value };
			else
				c[k] = (struct scmp_arg_cmp){ k, ops[pa->op], pa->value, 0 };
		}
		rc = seccomp_rule_add_array(ctx, r->deny ? SCMP_ACT_ERRNO(EACCES) : SCMP_ACT_ALLOW,
					    nr, r->nargs, c);
		if (rc == -EEXIST || rc == -EINVAL)
			rc = 0; /* a rule libseccomp will not take: left out */
	}
	fd = memfd_create("bench", MFD_CLOEXEC);
	if (!rc && fd >= 0 && !seccomp_export_bpf(ctx, fd)) {
		off_t size = lseek(fd, 0, SEEK_CUR);

		out->len = (uint32_t)(size / 8);
		out->insns = malloc((size_t)size);
		if (!out->insns || pread(fd, out->insns, (size_t)size, 0) != size)
			rc = -1;
	} else {
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return rc;
}

/* ---- instructions per call ---- */

static unsigned run_prog(const struct bpf_prog *p, uint32_t nr, const uint64_t *args, uint32_t *ret)
{
	struct seccomp_data d;
	unsigned steps = 0;

	abi_seccomp_data(abi_get(X64), nr, args, &d);
	*ret = bpf_run(p->insns, p->len, &d, &steps);
	return steps;
}

static bool allows(uint32_t ret)
{
	return ret == SECCOMP_RET_ALLOW || ret == SECCOMP_RET_LOG;
}

/* Arguments the rule allows: each range's low end, each mask's bits. */
static bool satisfy(const struct abi_rule *lr, uint64_t *args)
{
	memset(args, 0, 6 * sizeof(*args));
	for (unsigned i = 0; i < lr->ncond; i++) {
		const struct abi_cond *c = &lr->cond[i];

		if (c->kind == ABI_COND_RANGE && c->wide)
			args[c->arg] = c->lo[0];
		else if (c->kind == ABI_COND_RANGE)
			args[c->arg] = (args[c->arg] & ~(uint64_t)c->lomask) | c->lo[0];
	}
	for (unsigned i = 0; i < lr->ncond; i++) {
		const struct abi_cond *c = &lr->cond[i];
		unsigned shift = c->wide ? 32 : 0;

		if (c->kind == ABI_COND_MASK)
			args[c->arg] = (args[c->arg] & ~((uint64_t)c->mask << shift)) |
				       (uint64_t)c->value << shift;
	}
	return abi_rule_holds(lr, args);
}

struct percall {
	double allowed_mean, denied_mean;
	unsigned allowed_max, denied_max, nallowed, ndenied;
	const char *worst;
};

/*
 * Over every x86_64 number up to the table's last: an allowed number is
 * one some allow rule lets through (its cost: the mean over the allow
 * rules' argument vectors that the program allows), a denied one is every
 * other (arguments 0).
 */
static void per_call(const struct policy *pol, const struct bpf_prog *prog, struct percall *out)
{
	const struct abi *a = abi_get(X64);
	size_t nk;
	const uint32_t *known = syscalls_numbers(X64, &nk);
	double sa = 0, sd = 0;
	static char worst[64];

	memset(out, 0, sizeof(*out));
	for (uint32_t nr = 0; nk && nr <= known[nk - 1]; nr++) {
		struct abi_rule *list;
		long n = abi_rules_for(a, pol, nr, &list);
		unsigned cnt = 0, mx = 0;
		double s = 0;

		for (long i = 0; i < n; i++) {
			uint64_t args[6];
			uint32_t ret;
			unsigned st;

			if (list[i].deny || !satisfy(&list[i], args))
				continue;
			st = run_prog(prog, nr, args, &ret);
			if (!allows(ret))
				continue;
			cnt++;
			s += st;
			mx = st > mx ? st : mx;
		}
		free(list);
		if (cnt) {
			sa += s / cnt;
			out->nallowed++;
			if (mx > out->allowed_max) {
				out->allowed_max = mx;
				if (!syscalls_name(X64, (int)nr, worst, sizeof(worst)))
					snprintf(worst, sizeof(worst), "%u", nr);
				out->worst = worst;
			}
		} else {
			const uint64_t zero[6] = { 0 };
			uint32_t ret;
			unsigned st = run_prog(prog, nr, zero, &ret);

			sd += st;
			out->ndenied++;
			out->denied_max = st > out->denied_max ? st : out->denied_max;
		}
	}
	out->allowed_mean = out->nallowed ? sa / out->nallowed : 0;
	out->denied_mean = out->ndenied ? sd / out->ndenied : 0;
}

/* ---- the kernel: attach time, per-call overhead ---- */

static long attach(const struct bpf_prog *p)
{
	struct sock_fprog f = { .len = (unsigned short)p->len, .filter = p->insns };

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &f);
}

/*
 * A child that runs fn under a filter reports through shared memory (the
 * filter may deny write, even exit_group): the parent waits for the flag,
 * then kills it.
 */
struct shared {
	volatile int done;
	double value;
};

static double in_child(void (*fn)(struct shared *, const void *), const void *arg)
{
	struct shared *sh =
		mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double v = -1;
	pid_t pid;

	if (sh == MAP_FAILED)
		return -1;
	sh->done = 0;
	pid = fork();
	if (pid == 0) {
		fn(sh, arg);
		for (;;)
			pause();
	}
	if (pid > 0) {
		for (int i = 0; i < 200000 && !sh->done; i++)
			usleep(50);
		v = sh->done == 1 ? sh->value : -1;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	munmap(sh, sizeof(*sh));
	return v;
}

static void child_attach(struct shared *sh, const void *arg)
{
	double t0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		sh->done = 2;
		return;
	}
	t0 = now_us();
	if (attach(arg)) {
		sh->done = 2;
		return;
	}
	sh->value = now_us() - t0;
	sh->done = 1;
}

/* Median of n children's single seccomp() call that attaches p. */
static double attach_us(const struct bpf_prog *p, int n)
{
	double *v = calloc((size_t)n, sizeof(*v));
	double m;
	int got = 0;

	for (int i = 0; i < n && v; i++) {
		double t = in_child(child_attach, p);

		if (t >= 0)
			v[got++] = t;
	}
	m = v ? median(v, got) : 0;
	free(v);
	return m;
}

/*
 * A mix of frequent calls, harmless with these arguments (fd -1: EBADF; a
 * NULL or -1 pointer: EFAULT; nothing to do for poll of 0 descriptors):
 * the ones both programs allow are timed.
 */
static const char *const loop_calls[] = { "read",	   "write",   "close",	    "fstat",
					  "lseek",	   "futex",   "epoll_wait", "poll",
					  "recvmsg",	   "sendmsg", "fcntl",	    "ioctl",
					  "clock_gettime", "getpid",  "getppid",    "gettid" };
static const uint64_t loop_args[6] = { UINT64_MAX, 0, 0, 0, 0, 0 };
#define NLOOP (sizeof(loop_calls) / sizeof(loop_calls[0]))
#define LOOP_ITERS 100000

struct loop {
	const struct bpf_prog *p;
	const long *nrs;
	size_t n;
};

/*
 * ns per call of the loop (the best of 5), under the defeating filter (a
 * load of an argument: no number is decided from arch and nr, so the
 * kernel runs every filter on every call) and, when l->p is set, under it
 * too.
 */
static void child_loop(struct shared *sh, const void *arg)
{
	const struct loop *l = arg;
	struct sock_filter defeat_insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct bpf_prog defeat = { defeat_insns, 2 };
	double t = 1e30;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || attach(&defeat) || (l->p && attach(l->p))) {
		sh->done = 2;
		return;
	}
	for (int rep = 0; rep < 5; rep++) {
		double t0 = now_us(), dt;

		for (int i = 0; i < LOOP_ITERS; i++)
			syscall(l->nrs[(size_t)i % l->n], loop_args[0], 0, 0, 0, 0, 0);
		dt = (now_us() - t0) * 1e3 / LOOP_ITERS;
		t = dt < t ? dt : t;
	}
	sh->value = t;
	sh->done = 1;
}

/*
 * The overhead of each program over the loop alone: children alternated,
 * the best of 5 each (the least disturbed by other work on the machine).
 */
static void overheads(const struct bpf_prog *a, const struct bpf_prog *b, const long *nrs, size_t n,
		      double *loop0, double *oa, double *ob)
{
	double best0 = 1e30, besta = 1e30, bestb = 1e30;

	for (int round = 0; n && round < 5; round++) {
		struct loop l0 = { NULL, nrs, n }, la = { a, nrs, n }, lb = { b, nrs, n };
		double t0 = in_child(child_loop, &l0), ta = in_child(child_loop, &la),
		       tb = in_child(child_loop, &lb);

		best0 = t0 > 0 && t0 < best0 ? t0 : best0;
		besta = ta > 0 && ta < besta ? ta : besta;
		bestb = tb > 0 && tb < bestb ? tb : bestb;
	}
	*loop0 = best0;
	*oa = besta - best0;
	*ob = bestb - best0;
}

/* ---- whole processes ---- */

static double process_once_ms(char *const argv[])
{
	double t0 = now_us();
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return (now_us() - t0) / 1e3;
}

/*
 * The medians of n runs of each of nc commands, interleaved (one of each,
 * then again): a machine that slows down or speeds up midway moves every
 * command alike, and the ratios between them hold.
 */
static void processes_ms(char *const *const argv[], size_t nc, int n, double *out)
{
	double *v = calloc((size_t)n * nc, sizeof(*v));

	for (size_t c = 0; c < nc; c++)
		out[c] = 0;
	if (!v)
		return;
	for (int i = 0; i < n; i++)
		for (size_t c = 0; c < nc; c++)
			v[c * (size_t)n + (size_t)i] = process_once_ms(argv[c]);
	for (size_t c = 0; c < nc; c++)
		out[c] = median(v + c * (size_t)n, n);
	free(v);
}

/* ---- the report ---- */

static void target(const char *what, double got, double want, bool at_most)
{
	printf("      target %s %s %g: %s\n", what, at_most ? "<=" : ">=", want,
	       (at_most ? got <= want : got >= want) ? "met" : "MISSED");
}

struct bench {
	const char *self, *compiler, *tmp;
	int runs;
	bool typical; /* the first policy: the one issue 9's targets are for */
};

static int bench_policy(const struct bench *bc, const char *path)
{
	struct compile_opts o = { .arches = { X64, AUDIT_ARCH_I386 }, .narches = 2 };
	struct diag_list d;
	struct policy pol;
	struct blob b;
	struct bpf_prog base = { 0 }, one;
	struct percall ps, pb;
	char *src, out[4096];
	size_t len;
	double *t1 = calloc((size_t)bc->runs, sizeof(double));
	double *t2 = calloc((size_t)bc->runs, sizeof(double));
	double in_sf, in_base, att_sf, att_base, loop0, loop_sf, loop_base, ver, whole_sf,
		whole_base;
	long nrs[NLOOP];
	size_t nloop = 0;
	double mix_sf = 0, mix_base = 0;

	if (!t1 || !t2 || file_read_all(path, POLICY_MAX_SIZE, &src, &len)) {
		fprintf(stderr, "compile-bench: cannot read %s\n", path);
		return 1;
	}
	diag_init(&d, 10);
	if (policy_parse(src, len, NULL, &pol, &d)) {
		diag_print(stderr, &d, path, src, len);
		return 1;
	}
	for (int i = 0; i < bc->runs; i++) {
		double t = now_us();

		diag_free(&d);
		diag_init(&d, 10);
		if (compile_policy(src, len, &o, &b, &d)) {
			diag_print(stderr, &d, path, src, len);
			return 1;
		}
		t1[i] = (now_us() - t) / 1e3;
		if (i + 1 < bc->runs)
			blob_free(&b);
		t = now_us();
		free(base.insns);
		base.insns = NULL;
		if (libseccomp_compile(&pol, o.arches, o.narches, &base)) {
			fprintf(stderr, "compile-bench: libseccomp does not compile %s\n", path);
			return 1;
		}
		t2[i] = (now_us() - t) / 1e3;
	}
	in_sf = median(t1, bc->runs);
	in_base = median(t2, bc->runs);
	one = b.allow; /* one program: the explicit denials are in it */
	per_call(&pol, &one, &ps);
	per_call(&pol, &base, &pb);
	att_sf = attach_us(&one, 3 * bc->runs);
	att_base = attach_us(&base, 3 * bc->runs);
	for (size_t i = 0; i < NLOOP; i++) {
		int nr = syscalls_nr(X64, loop_calls[i]);
		uint32_t r1, r2;

		if (nr < 0)
			continue;
		run_prog(&one, (uint32_t)nr, loop_args, &r1);
		run_prog(&base, (uint32_t)nr, loop_args, &r2);
		if (allows(r1) && allows(r2))
			nrs[nloop++] = nr;
	}
	overheads(&one, &base, nrs, nloop, &loop0, &loop_sf, &loop_base);
	for (size_t i = 0; i < nloop; i++) {
		uint32_t r;

		mix_sf += run_prog(&one, (uint32_t)nrs[i], loop_args, &r);
		mix_base += run_prog(&base, (uint32_t)nrs[i], loop_args, &r);
	}
	snprintf(out, sizeof(out), "%s/out.bin", bc->tmp);
	{
		char *ver_argv[] = { (char *)bc->compiler, "--version", NULL };
		char *sf_argv[] = { (char *)bc->compiler, "-q", (char *)path, out, NULL };
		char *base_argv[] = { (char *)bc->self, "--baseline", (char *)path, out, NULL };

		char *const *const argvs[] = { ver_argv, sf_argv, base_argv };
		double ms[3];

		processes_ms(argvs, 3, bc->runs, ms);
		ver = ms[0];
		whole_sf = ms[1];
		whole_base = ms[2];
	}

	printf("\n== %s: %zu rules, x86_64 + x86\n", path, pol.count);
	printf("                                         sysfence   libseccomp   ratio\n");
	printf("  instructions, all filters            %9u    %9u   %5.2f\n", one.len, base.len,
	       (double)one.len / base.len);
	if (bc->typical)
		target("instructions", one.len, 380, true);
	printf("  per allowed x86_64 call, mean        %9.2f    %9.2f   %5.2f   (%u numbers)\n",
	       ps.allowed_mean, pb.allowed_mean, ps.allowed_mean / pb.allowed_mean, ps.nallowed);
	if (bc->typical)
		target("mean", ps.allowed_mean, 9.0, true);
	if (!bc->typical && strstr(path, "args"))
		target("mean", ps.allowed_mean, 14.0, true);
	printf("  per allowed x86_64 call, max         %9u    %9u           (%s)\n", ps.allowed_max,
	       pb.allowed_max, ps.worst ? ps.worst : "-");
	if (bc->typical)
		target("max", ps.allowed_max, 14, true);
	printf("  per denied number, mean              %9.2f    %9.2f   %5.2f   (%u numbers)\n",
	       ps.denied_mean, pb.denied_mean, ps.denied_mean / pb.denied_mean, ps.ndenied);
	if (bc->typical)
		target("mean", ps.denied_mean, 10.5, true);
	printf("  per denied number, max               %9u    %9u\n", ps.denied_max, pb.denied_max);
	printf("  attach, us (median)                  %9.1f    %9.1f   %5.2f\n", att_sf, att_base,
	       att_sf / att_base);
	if (bc->typical)
		target("ratio", att_sf / att_base, 0.65, true);
	if (nloop) {
		printf("  uncached call overhead, ns           %9.1f    %9.1f   %5.2f   (%zu calls; "
		       "loop alone %.1f ns)\n",
		       loop_sf, loop_base, loop_sf / loop_base, nloop, loop0);
		if (bc->typical)
			target("ratio", loop_sf / loop_base, 0.5, true);
		printf("  the same calls, instructions each    %9.2f    %9.2f   %5.2f\n",
		       mix_sf / nloop, mix_base / nloop, mix_sf / mix_base);
	} else {
		printf("  uncached call overhead               (no harmless call both allow)\n");
	}
	printf("  compile in process, ms (median)      %9.2f    %9.2f   %5.2f\n", in_sf, in_base,
	       in_sf / in_base);
	printf("  compile, whole process, ms (median)  %9.2f    %9.2f   %5.2f\n", whole_sf,
	       whole_base, whole_sf / whole_base);
	printf("  sysfence-compile --version, ms       %9.2f             compile / --version "
	       "%.2f\n",
	       ver, whole_sf / ver);
	if (bc->typical)
		target("compile / --version", whole_sf / ver, 2.0, true);
	free(t1);
	free(t2);
	free(base.insns);
	blob_free(&b);
	policy_free(&pol);
	diag_free(&d);
	free(src);
	return 0;
}

/* --baseline POLICY OUT: what a libseccomp-based compiler process does. */
static int baseline_process(const char *in, const char *out)
{
	uint32_t arches[] = { X64, AUDIT_ARCH_I386 };
	struct diag_list d;
	struct policy pol;
	struct bpf_prog p = { 0 };
	char *src;
	size_t len;
	int rc;

	if (file_read_all(in, POLICY_MAX_SIZE, &src, &len))
		return 1;
	diag_init(&d, 10);
	if (policy_parse(src, len, NULL, &pol, &d) || libseccomp_compile(&pol, arches, 2, &p))
		return 1;
	rc = file_write_atomic(out, p.insns, p.len * sizeof(*p.insns), 0644);
	free(p.insns);
	policy_free(&pol);
	diag_free(&d);
	free(src);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct bench bc = { .self = "/proc/self/exe",
			    .compiler = "build/sysfence-compile",
			    .runs = 40 };
	char tmp[] = "/dev/shm/sysfence-bench.XXXXXX";
	int i = 1, rc = 0;

	syscalls_init();
	if (argc == 4 && !strcmp(argv[1], "--baseline"))
		return baseline_process(argv[2], argv[3]);
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "--runs"))
			bc.runs = atoi(argv[i + 1]) > 0 ? atoi(argv[i + 1]) : 1;
		else if (!strcmp(argv[i], "--compiler"))
			bc.compiler = argv[i + 1];
	}
	if (i >= argc) {
		fprintf(stderr, "usage: compile-bench [--runs N] [--compiler PATH] POLICY...\n");
		return 2;
	}
	/* The whole-process runs write to memory: the disk is not what is measured. */
	if (!mkdtemp(tmp) && !mkdtemp(strcpy(tmp, "/tmp/sysfence-bench.XXXXXX"))) {
		perror("compile-bench: mkdtemp");
		return 1;
	}
	{
		static char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n > 0) {
			self[n] = '\0';
			bc.self = self;
		}
	}
	bc.tmp = tmp;
	printf("compile-bench: %d runs of each; targets are issue 9's, for %s\n", bc.runs, argv[i]);
	for (int k = i; k < argc && !rc; k++) {
		bc.typical = k == i;
		rc = bench_policy(&bc, argv[k]);
	}
	{
		char path[sizeof(tmp) + 16];

		snprintf(path, sizeof(path), "%s/out.bin", tmp);
		unlink(path);
		rmdir(tmp);
	}
	return rc;
}
