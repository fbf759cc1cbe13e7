// SPDX-License-Identifier: MIT
/*
 * compile-bench POLICY: what `make bench` reports for the compiler, all
 * measured side by side in one run.
 *
 *  - time of one compile_policy() (parse + check + libseccomp + our blocks
 *    + blob), native arch and its compat arch, best and median of N runs;
 *  - time of the same rules inside libseccomp alone (rule adds with its own
 *    argument comparisons + export, same two arches): the floor;
 *  - BPF instructions in the blob, and instructions executed per syscall
 *    (deny + allow, as the kernel runs both) by the project's simulator:
 *    mean and max over every syscall number of the native arch, and over a
 *    typical call mix; the same for libseccomp alone with its binary tree
 *    and as a linear chain, for comparison.
 */
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/compile.h"
#include "sysfence/compile/fileio.h"
#include "sysfence/tools/flow.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* libseccomp alone: the rules with its own comparisons, then export. */
static int libseccomp_alone(const struct policy *p, const uint32_t *arches, size_t n, int optimize,
			    struct bpf_prog *out)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int fd, rc = 0;

	if (!ctx)
		return -1;
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, optimize);
	for (size_t a = 0; a < n; a++)
		if (arches[a] != seccomp_arch_native())
			seccomp_arch_add(ctx, arches[a]);
	for (size_t i = 0; i < p->count && !rc; i++) {
		const struct policy_rule *r = &p->rules[i];
		struct scmp_arg_cmp c[6];
		int nr = seccomp_syscall_resolve_name(r->name);

		if (r->deny || nr == __NR_SCMP_ERROR)
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

			if (pa->op == POLICY_OP_ANY) /* libseccomp: always-true mask */
				c[k] = (struct scmp_arg_cmp){ k, SCMP_CMP_MASKED_EQ, 0, 0 };
			else if (pa->op == POLICY_OP_MASKED)
				c[k] = (struct scmp_arg_cmp){ k, SCMP_CMP_MASKED_EQ, pa->mask,
							      pa->value };
			else
				c[k] = (struct scmp_arg_cmp){ k, ops[pa->op], pa->value, 0 };
		}
		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, r->nargs, c);
		if (rc == -EEXIST)
			rc = 0;
	}
	fd = memfd_create("bench", 0);
	if (!rc && fd >= 0 && !seccomp_export_bpf(ctx, fd) && out) {
		off_t size = lseek(fd, 0, SEEK_CUR);

		out->len = (uint32_t)(size / 8);
		out->insns = malloc((size_t)size);
		if (pread(fd, out->insns, (size_t)size, 0) != size)
			rc = -1;
	}
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return rc;
}

/*
 * With the kernel's action cache (5.11+): an (arch, nr) every attached
 * filter allows from arch and number alone runs no filter at all.
 */
static bool use_cache;

static unsigned steps_for(const struct bpf_prog *allow, const struct bpf_prog *deny, uint32_t arch,
			  int nr, const uint64_t *args)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };
	unsigned s1 = 0, s2 = 0;

	if (use_cache && nr >= 0 &&
	    flow_const_allow(allow->insns, allow->len, arch, (uint32_t)nr) &&
	    (!deny || !deny->len || flow_const_allow(deny->insns, deny->len, arch, (uint32_t)nr)))
		return 0;

	if (args)
		memcpy(d.args, args, sizeof(d.args));
	bpf_run(allow->insns, allow->len, &d, &s1);
	if (deny && deny->len)
		bpf_run(deny->insns, deny->len, &d, &s2);
	return s1 + s2;
}

/* A typical mix, weights per 1000 calls (an event loop doing I/O). */
static const struct {
	const char *name;
	unsigned weight;
	uint64_t a0, a1;
} mix[] = {
	{ "read", 220, 3, 0 },	       { "write", 160, 4, 0 },
	{ "futex", 120, 0, 0 },	       { "epoll_wait", 90, 5, 0 },
	{ "recvmsg", 70, 6, 0 },       { "sendmsg", 60, 6, 0 },
	{ "close", 40, 7, 0 },	       { "openat", 40, (uint64_t)-100, 0 },
	{ "newfstatat", 40, 3, 0 },    { "mmap", 30, 0, 4096 },
	{ "munmap", 20, 0, 4096 },     { "clock_gettime", 30, 1, 0 },
	{ "ioctl", 25, 1, 0x5401 },    { "poll", 20, 0, 0 },
	{ "lseek", 15, 3, 0 },	       { "getpid", 10, 0, 0 },
	{ "rt_sigprocmask", 5, 0, 0 }, { "socket", 5, 1 /* AF_UNIX */, 1 },
};

static void report(const char *label, const struct bpf_prog *allow, const struct bpf_prog *deny,
		   uint32_t arch)
{
	unsigned long total = 0, n = 0, max = 0, mixsum = 0, mixw = 0, mixmax = 0;

	for (int nr = 0; nr < 512; nr++) {
		unsigned s = steps_for(allow, deny, arch, nr, NULL);

		total += s;
		n++;
		if (s > max)
			max = s;
	}
	for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		uint64_t args[6] = { mix[i].a0, mix[i].a1 };
		unsigned s = steps_for(allow, deny, arch, syscalls_nr(arch, mix[i].name), args);

		mixsum += (unsigned long)s * mix[i].weight;
		mixw += mix[i].weight;
		if (s > mixmax)
			mixmax = s;
	}
	printf("  %-40s %5u insns  per call: all numbers mean %5.1f max %3lu | typical mix mean %5.1f max %3lu\n",
	       label, allow->len + (deny ? deny->len : 0), (double)total / n, max,
	       (double)mixsum / mixw, mixmax);
}

int main(int argc, char **argv)
{
	struct compile_opts o = { 0 };
	struct diag_list d;
	struct policy pol;
	struct blob b;
	char *src;
	size_t len;
	int runs = argc > 2 ? atoi(argv[2]) : 40;
	double *t1 = calloc((size_t)runs, sizeof(double));
	double *t2 = calloc((size_t)runs, sizeof(double));
	struct bpf_prog tree = { 0 }, linear = { 0 };

	if (argc < 2 || file_read_all(argv[1], POLICY_MAX_SIZE, &src, &len)) {
		fprintf(stderr, "usage: compile-bench POLICY [RUNS]\n");
		return 2;
	}
	syscalls_init();
	o.narches = syscalls_default_arches(o.arches, BLOB_MAX_ARCHES);
	diag_init(&d, 10);
	if (policy_parse(src, len, NULL, &pol, &d)) {
		diag_print(stderr, &d, argv[1], src, len);
		return 1;
	}
	for (int i = 0; i < runs; i++) {
		double t = now_ms();

		if (compile_policy(src, len, &o, &b, &d)) {
			diag_print(stderr, &d, argv[1], src, len);
			return 1;
		}
		t1[i] = now_ms() - t;
		if (i + 1 < runs)
			blob_free(&b);
		t = now_ms();
		libseccomp_alone(&pol, o.arches, o.narches, 2, NULL);
		t2[i] = now_ms() - t;
	}
	qsort(t1, (size_t)runs, sizeof(double), cmp_double);
	qsort(t2, (size_t)runs, sizeof(double), cmp_double);
	printf("compile %s: %zu rules, %zu arches, %d runs\n", argv[1], pol.count, o.narches, runs);
	printf("  sysfence compile_policy()          best %6.2f ms  median %6.2f ms\n", t1[0],
	       t1[runs / 2]);
	printf("  libseccomp alone (adds + export)   best %6.2f ms  median %6.2f ms\n", t2[0],
	       t2[runs / 2]);
	printf("  ratio sysfence / libseccomp alone  %.2f (median)\n", t1[runs / 2] / t2[runs / 2]);
	libseccomp_alone(&pol, o.arches, o.narches, 2, &tree);
	libseccomp_alone(&pol, o.arches, o.narches, 1, &linear);
	printf("instructions (native arch %s, simulator):\n", syscalls_arch_name(o.arches[0]));
	report("sysfence blob (deny + allow)", &b.allow, &b.deny, o.arches[0]);
	report("sysfence allow program alone", &b.allow, NULL, o.arches[0]);
	use_cache = true;
	report("sysfence blob, with the action cache", &b.allow, &b.deny, o.arches[0]);
	report("libseccomp tree, with the action cache", &tree, NULL, o.arches[0]);
	use_cache = false;
	report("sysfence deny program alone", &b.deny, NULL, o.arches[0]);
	report("libseccomp alone, binary tree", &tree, NULL, o.arches[0]);
	report("libseccomp alone, linear chain", &linear, NULL, o.arches[0]);
	return 0;
}
