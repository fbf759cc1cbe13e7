// SPDX-License-Identifier: MIT
/*
 * sf-diffcheck: random policies, judged by the referee
 * (tests/common/referee.h: the policy text's meaning per ABI, written from
 * the kernel's rules and sharing nothing with the compiler's reading).
 *
 *   referee    what the call means under the policy, on its ABI
 *   simulator  bpf_run() on the compiled program, for every architecture
 *              the compiler accepts (big-endian layouts included)
 *   kernel     the same program loaded in a forked child: x86_64 calls
 *              with syscall(2), i386 ones with int $0x80
 *   --explain  its verdict is the simulator's, and it never reports a
 *              disagreement between the rules and the program
 *
 *   sf-diffcheck [SEED [POLICIES [CALLS]]]
 *
 * Prints one line per disagreement with the policy and the call, and a
 * summary; exits 1 on any disagreement.
 */
#include <errno.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysfence/compile/argtypes.h"
#include "sysfence/compile/compile.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/explain.h"

#include "../common/int80.h"
#include "../common/referee.h"

/* What random rules name: calls the referee has prototypes for. */
static const char *const calls[] = {
	"getppid", "getpid", "getuid",	   "getgid",   "kill",	    "ioctl",	   "fchmod",
	"fchown",  "lseek",  "setuid",	   "setuid32", "setresuid", "personality", "socket",
	"connect", "sendto", "setsockopt", "shmget",   "shmat",	    "semget",	   "socketcall",
	"ipc",	   "mknod",  "tgkill",	   "fchown32",
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

/*
 * Calls that are harmless whatever their arguments in a forked child,
 * once the argument that would make them act is fixed (see fix_harmless):
 * getppid & co ignore arguments, kill/tgkill get signal 0, ioctl, fchmod,
 * fchown and lseek get fd -1, setuid only changes the child that exits.
 */
static const char *const harmless[] = { "getppid",  "getpid", "getuid",	 "getgid", "kill",
					"ioctl",    "fchmod", "fchown",	 "lseek",  "setuid",
					"setuid32", "tgkill", "fchown32" };

/* The architectures, in blobs of at most BLOB_MAX_ARCHES. */
static const uint32_t groups[][BLOB_MAX_ARCHES] = {
	{ AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, AUDIT_ARCH_ARM,
	  0xc00000f3 /* riscv64 */, AUDIT_ARCH_PPC64LE, AUDIT_ARCH_PPC64, AUDIT_ARCH_PPC },
	{ AUDIT_ARCH_S390X, AUDIT_ARCH_S390, AUDIT_ARCH_MIPS, AUDIT_ARCH_MIPSEL, AUDIT_ARCH_MIPS64,
	  AUDIT_ARCH_MIPSEL64, AUDIT_ARCH_MIPS64N32, AUDIT_ARCH_MIPSEL64N32 },
	{ AUDIT_ARCH_PARISC, AUDIT_ARCH_PARISC64 },
};
static const size_t group_size[] = { 8, 8, 2 };
#define NGROUPS 3

static uint64_t rnd64(void)
{
	return (uint64_t)random() << 62 ^ (uint64_t)random() << 31 ^ (uint64_t)random();
}

struct gen {
	uint64_t pool[48]; /* values the policy compares against, and their variants */
	size_t npool;
};

static void pool_add(struct gen *g, uint64_t v)
{
	if (g->npool < sizeof(g->pool) / sizeof(g->pool[0]))
		g->pool[g->npool++] = v;
}

/* A value that fits the argument; *neg when written negative. */
static uint64_t gen_value(struct gen *g, const char *call, unsigned argno, bool *neg)
{
	static const uint64_t special[] = { 0,		1,	    0xffff,	0xfffe,	   0x10000,
					    0x7fffffff, 0x80000000, 0xffffffff, 0xffff1234 };
	unsigned width = argtypes_width(call, argno);
	uint64_t v;

	*neg = false;
	switch (random() % 6) {
	case 0:
		v = (uint64_t)(random() % 8);
		break;
	case 1:
		v = rnd64();
		break;
	case 2:
		v = special[random() % (sizeof(special) / sizeof(special[0]))];
		break;
	case 3:
		if (argtypes_accepts_negative(call, argno)) {
			*neg = true;
			v = random() % 3 ? (uint64_t)(1 + random() % 3) : UINT64_C(0x80000001);
			if (width < 64 && v > (UINT64_C(1) << (width - 1)))
				v = 1;
			pool_add(g,
				 (0 - v) & (width < 64 ? (UINT64_C(1) << width) - 1 : UINT64_MAX));
			pool_add(g, (0 - v) & UINT32_MAX);
			return v;
		}
		/* fall through */
	default:
		v = (uint64_t)(random() % 0x10000);
	}
	if (width < 64)
		v &= (UINT64_C(1) << width) - 1;
	pool_add(g, v);
	return v;
}

static void gen_arg(struct gen *g, const char *call, unsigned argno, char *out, size_t len)
{
	static const char *const ops[] = { "", "!", ">", ">=", "<", "<=", "|" };
	int op = (int)(random() % 9);
	bool neg, neg2;
	uint64_t v;

	if (op >= 7) {
		snprintf(out, len, "-");
		return;
	}
	v = gen_value(g, call, argno, &neg);
	if (op == 6 && random() % 2) {
		uint64_t w = gen_value(g, call, argno, &neg2);

		if (neg || neg2) /* A|B with negatives: a plain mask instead */
			snprintf(out, len, "|%s0x%llx", neg ? "-" : "", (unsigned long long)v);
		else
			snprintf(out, len, "0x%llx|0x%llx", (unsigned long long)v,
				 (unsigned long long)(v & w));
		return;
	}
	snprintf(out, len, "%s%s0x%llx", ops[op], neg ? "-" : "", (unsigned long long)v);
}

static size_t gen_policy(struct gen *g, char *buf, size_t len)
{
	size_t n = 0;
	const char *base = getenv("SF_BASE_INC");
	FILE *f = fopen(base ? base : "tests/policies/base.inc", "r");
	char line[256];

	/* base.inc so the child can start and exit */
	while (f && fgets(line, sizeof(line), f))
		n += (size_t)snprintf(buf + n, len - n, "%s", line);
	if (f)
		fclose(f);
	g->npool = 0;
	if (random() % 8 == 0)
		n += (size_t)snprintf(buf + n, len - n, "@complain\n");
	for (int r = 0, rules = 1 + (int)(random() % 7); r < rules; r++) {
		const char *call = calls[random() % NCALLS];
		unsigned nargs = (unsigned)(random() % 4);

		n += (size_t)snprintf(buf + n, len - n, "%s%s", random() % 4 ? "" : "~", call);
		for (unsigned a = 0; a < nargs; a++) {
			char arg[80];

			gen_arg(g, call, a, arg, sizeof(arg));
			n += (size_t)snprintf(buf + n, len - n, " %s", arg);
		}
		n += (size_t)snprintf(buf + n, len - n, "\n");
	}
	return n;
}

static bool is_harmless(const char *name)
{
	for (size_t i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++)
		if (!strcmp(harmless[i], name))
			return true;
	return false;
}

/* Fixes what would make a harmless call act; keeps the upper register bits. */
static void fix_harmless(const char *name, uint64_t *args)
{
	const uint64_t hi = UINT64_C(0xffffffff00000000);

	if (!strcmp(name, "kill"))
		args[1] &= hi; /* signal 0: only checks that the pid exists */
	else if (!strcmp(name, "tgkill"))
		args[2] &= hi;
	else if (!strcmp(name, "ioctl") || !strcmp(name, "fchmod") || !strcmp(name, "fchown") ||
		 !strcmp(name, "fchown32") || !strcmp(name, "lseek"))
		args[0] = UINT32_MAX | (args[0] & hi); /* fd -1: EBADF once allowed */
}

static uint64_t gen_reg(const struct gen *g)
{
	uint64_t v = g->npool ? g->pool[random() % g->npool] : 0;

	switch (random() % 7) {
	case 0:
		return v + 1;
	case 1:
		return v - 1;
	case 2:
		return v | (uint64_t)random() << 32; /* upper bits the kernel may ignore */
	case 3:
		return rnd64();
	case 4:
		return (v & 0xffff) | 0xffff0000u; /* 16-bit ids: upper half set */
	default:
		return v;
	}
}

/* A call to probe: *nr on arch, *name its name (NULL for a bare number). */
static void gen_call(const struct gen *g, uint32_t arch, uint32_t *nr, const char **name,
		     uint64_t *args)
{
	for (int i = 0; i < 6; i++)
		args[i] = gen_reg(g);
	*name = NULL;
	switch (random() % 16) {
	case 0: /* a number the tables may not know, or an x32 call */
		*nr = (uint32_t)(random() % 2 ? random() % 1100 : 0x40000000u + random() % 600);
		if (random() % 8 == 0)
			*nr = (uint32_t)random() << 1;
		return;
	default:
		for (int tries = 0; tries < 8; tries++) {
			const char *c = calls[random() % NCALLS];
			int n = syscalls_nr(arch, c);

			if (n < 0)
				continue;
			*nr = (uint32_t)n;
			*name = c;
			if (!strcmp(c, "socketcall"))
				args[0] = (uint64_t)(random() % 22) |
					  (random() % 4 ? 0 : rnd64() << 32);
			if (!strcmp(c, "ipc"))
				args[0] = (uint64_t)(random() % 26) |
					  (uint64_t)(random() % 3) << 16 |
					  (random() % 4 ? 0 : rnd64() << 32);
			return;
		}
		*nr = 0;
	}
}

static enum ref_verdict simulate(const struct blob *b, uint32_t arch, uint32_t nr,
				 const uint64_t *args)
{
	const struct ref_abi *a = ref_abi(arch);
	struct seccomp_data d;

	if (!a)
		return R_UNJUDGED;
	ref_seccomp_data(a, nr, args, &d);
	return ref_of_action(blob_verdict(b, &d, NULL, NULL, NULL));
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

static int load(const struct bpf_prog *p)
{
	struct sock_fprog fp = { .len = (unsigned short)p->len, .filter = p->insns };

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp);
}

static enum ref_verdict in_kernel(const struct blob *b, bool i386, uint32_t nr,
				  const uint64_t *args)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return R_UNJUDGED;
	if (pid == 0) {
		long r;
		int e;

		alarm(5);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || (b->deny.len && load(&b->deny)) ||
		    load(&b->allow))
			child_exit(254);
#if HAVE_INT80
		if (i386) {
			r = int80_syscall(nr, (uint32_t)args[0], (uint32_t)args[1],
					  (uint32_t)args[2], (uint32_t)args[3], (uint32_t)args[4],
					  (uint32_t)args[5]);
			e = r < 0 ? (int)-r : 0;
		} else
#endif
		{
			r = syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
			e = r < 0 ? errno : 0;
		}
		child_exit(e < 250 ? e : 250);
	}
	if (waitpid(pid, &status, 0) < 0)
		return R_UNJUDGED;
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGSYS ? R_KILL : R_UNJUDGED;
	switch (WEXITSTATUS(status)) {
	case EPERM:
		return R_EPERM;
	case EACCES:
		return R_EACCES;
	case ENOSYS:
		return R_ENOSYS;
	case 0:
	case EBADF:  /* ioctl, fchmod, fchown, lseek on fd -1 */
	case ESRCH:  /* kill of a pid that does not exist */
	case EINVAL: /* setuid(-1) */
		return R_ALLOW;
	}
	return R_UNJUDGED;
}

/* Complain mode's LOG lets the call through: the kernel shows ALLOW. */
static enum ref_verdict as_kernel_sees(enum ref_verdict v)
{
	return v == R_LOG ? R_ALLOW : v;
}

struct counts {
	unsigned long checked, kernel, unjudged, bad, too_big;
};

static void report(unsigned seed, int p, const char *src, uint32_t arch, uint32_t nr,
		   const char *name, const uint64_t *args, const char *what, enum ref_verdict want,
		   enum ref_verdict got)
{
	printf("MISMATCH seed %u policy %d: %s %s(%u) 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx: "
	       "referee %s, %s %s\n%s----\n",
	       seed, p, syscalls_arch_name(arch), name ? name : "nr", nr,
	       (unsigned long long)args[0], (unsigned long long)args[1],
	       (unsigned long long)args[2], (unsigned long long)args[3],
	       (unsigned long long)args[4], (unsigned long long)args[5], ref_verdict_name(want),
	       what, ref_verdict_name(got), src);
}

int main(int argc, char **argv)
{
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1;
	int npol = argc > 2 ? atoi(argv[2]) : 200;
	int ncalls = argc > 3 ? atoi(argv[3]) : 16;
	struct counts n = { 0 };
	bool int80 = false;
	static char src[8192];

	syscalls_init();
#if HAVE_INT80
	int80 = int80_available();
#endif
	srandom(seed);
	for (int p = 0; p < npol; p++) {
		struct gen g;
		size_t len = gen_policy(&g, src, sizeof(src));
		struct ref_policy rp;
		struct policy pol;
		struct diag_list pd;

		diag_init(&pd, 4);
		if (policy_parse(src, len, NULL, &pol, &pd)) {
			printf("policy %d does not parse:\n%s\n", p, src);
			return 1;
		}
		diag_free(&pd);
		if (!ref_parse(src, len, &rp)) {
			printf("the referee cannot read policy %d:\n%s\n", p, src);
			return 1;
		}
		for (size_t k = 0; k < NGROUPS; k++) {
			struct compile_opts o = { .narches = group_size[k] };
			struct diag_list d;
			struct blob b;

			memcpy(o.arches, groups[k], sizeof(groups[k]));
			diag_init(&d, 10);
			if (compile_policy(src, len, &o, &b, &d)) {
				bool size_only = d.errors == 1;

				for (size_t i = 0; i < d.count; i++)
					if (d.items[i].level == DIAG_ERROR &&
					    !strstr(d.items[i].msg, "BPF_MAXINSNS"))
						size_only = false;
				diag_free(&d);
				if (size_only) {
					n.too_big++;
					continue;
				}
				printf("policy %d does not compile:\n%s\n", p, src);
				diag_init(&d, 10);
				compile_policy(src, len, &o, &b, &d);
				diag_print(stdout, &d, "random", src, len);
				return 1;
			}
			for (int c = 0; c < ncalls * (int)group_size[k]; c++) {
				uint32_t arch = groups[k][random() % group_size[k]], nr;
				const char *name;
				uint64_t args[6];
				enum ref_verdict want, got;

				gen_call(&g, arch, &nr, &name, args);
				if (name && is_harmless(name))
					fix_harmless(name, args);
				want = referee_judge(&rp, o.arches, o.narches, arch, nr, args);
				if (want == R_UNJUDGED) {
					n.unjudged++;
					continue;
				}
				n.checked++;
				got = simulate(&b, arch, nr, args);
				if (got != want) {
					n.bad++;
					report(seed, p, src, arch, nr, name, args, "simulator",
					       want, got);
					continue;
				}
				{
					struct explain_call ec = { .arch = arch,
								   .nr = nr,
								   .nargs = 6 };
					struct explain_result er;

					memcpy(ec.args, args, sizeof(ec.args));
					explain_call(&b, &pol, &ec, &er);
					if (er.inconsistent || ref_of_action(er.action) != want) {
						n.bad++;
						report(seed, p, src, arch, nr, name, args,
						       er.inconsistent
							       ? "explain disagrees with itself, says"
							       : "explain",
						       want, ref_of_action(er.action));
					}
				}
				/* The real kernel, for the calls it can run harmlessly. */
				if (!name || !is_harmless(name) ||
				    (arch != AUDIT_ARCH_X86_64 &&
				     (arch != AUDIT_ARCH_I386 || !int80)))
					continue;
				n.kernel++;
				got = in_kernel(&b, arch == AUDIT_ARCH_I386, nr, args);
				if (got != as_kernel_sees(want)) {
					n.bad++;
					report(seed, p, src, arch, nr, name, args, "kernel", want,
					       got);
				}
			}
			blob_free(&b);
			diag_free(&d);
		}
		ref_policy_free(&rp);
		policy_free(&pol);
	}
	printf("%lu calls judged by the referee on %d random policies (seed %u; %lu also in the "
	       "kernel%s; %lu not judged, %lu blobs too large): %lu disagreements\n",
	       n.checked, npol, seed, n.kernel, int80 ? ", i386 by int $0x80" : ", no i386",
	       n.unjudged, n.too_big, n.bad);
	return n.bad ? 1 : 0;
}
