// SPDX-License-Identifier: MIT
/*
 * sf-diffcheck: random policies, three judges that must agree.
 *
 *   oracle     the policy's meaning, straight from the parsed rules
 *              (policy_arg_matches, the documented precedence)
 *   simulator  bpf_run() on the compiled deny and allow programs
 *   kernel     the same programs loaded in a forked child (native arch)
 *
 *   sf-diffcheck [SEED [POLICIES [CALLS]]]
 *
 * Prints one line per disagreement with the policy and the call, and a
 * summary; exits 1 on any disagreement.  The x86 compat arch is checked
 * oracle-vs-simulator only (the kernel table covers it for real).
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
#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/compile.h"

#include "../common/oracle.h"

/* Calls that are harmless whatever their arguments (see sf-run.c). */
static const char *const calls[] = { "getppid", "getpid", "getuid", "getgid",
				     "kill",	"ioctl",  "fchmod", "fchown" };
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static uint64_t rnd64(void)
{
	return (uint64_t)random() << 62 ^ (uint64_t)random() << 31 ^ (uint64_t)random();
}

struct gen {
	uint64_t pool[32]; /* values the policy compares against */
	size_t npool;
	bool complain;
};

static uint64_t gen_value(struct gen *g, unsigned width)
{
	uint64_t v;

	switch (random() % 4) {
	case 0:
		v = (uint64_t)(random() % 8);
		break;
	case 1:
		v = rnd64();
		break;
	default:
		v = (uint64_t)(random() % 0x10000);
	}
	if (width < 64)
		v &= (UINT64_C(1) << width) - 1;
	if (g->npool < 32)
		g->pool[g->npool++] = v;
	return v;
}

static void gen_arg(struct gen *g, const char *call, unsigned argno, char *out, size_t len)
{
	static const char *const ops[] = { "", "!", ">", ">=", "<", "<=", "|" };
	unsigned width = argtypes_width(call, argno);
	int op = (int)(random() % 9);

	/* the argument that keeps the call harmless stays free */
	if (op >= 7 || (!strcmp(call, "ioctl") && argno == 0) ||
	    (!strcmp(call, "fchmod") && argno == 0) || (!strcmp(call, "fchown") && argno == 0)) {
		snprintf(out, len, "-");
		return;
	}
	if (op == 6 && random() % 2) {
		uint64_t m = gen_value(g, width), v = m & gen_value(g, width);

		snprintf(out, len, "0x%llx|0x%llx", (unsigned long long)m, (unsigned long long)v);
		return;
	}
	snprintf(out, len, "%s0x%llx", ops[op], (unsigned long long)gen_value(g, width));
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
	g->complain = random() % 8 == 0;
	if (g->complain)
		n += (size_t)snprintf(buf + n, len - n, "@complain\n");
	for (int r = 0, rules = 1 + (int)(random() % 6); r < rules; r++) {
		const char *call = calls[random() % NCALLS];
		unsigned nargs = (unsigned)(random() % 4);

		n += (size_t)snprintf(buf + n, len - n, "%s%s", random() % 4 ? "" : "~", call);
		for (unsigned a = 0; a < nargs; a++) {
			char arg[64];

			gen_arg(g, call, a, arg, sizeof(arg));
			n += (size_t)snprintf(buf + n, len - n, " %s", arg);
		}
		n += (size_t)snprintf(buf + n, len - n, "\n");
	}
	return n;
}

static enum verdict simulate(const struct blob *b, uint32_t arch, int nr, const uint64_t *args)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };

	memcpy(d.args, args, sizeof(d.args));
	return verdict_of_action(blob_verdict(b, &d, NULL, NULL, NULL));
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

static enum verdict in_kernel(const struct blob *b, int nr, const uint64_t *args)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return V_OTHER;
	if (pid == 0) {
		long r;

		alarm(5);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || (b->deny.len && load(&b->deny)) ||
		    load(&b->allow))
			child_exit(254);
		r = syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
		child_exit(r < 0 ? (errno < 250 ? errno : 250) : 0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return V_OTHER;
	switch (WEXITSTATUS(status)) {
	case EPERM:
		return V_EPERM;
	case EACCES:
		return V_EACCES;
	case 0:
	case EBADF: /* ioctl, fchmod, fchown on fd -1 */
	case ESRCH: /* kill of a pid that does not exist */
		return V_ALLOW;
	}
	return V_OTHER;
}

static void gen_call(struct gen *g, const char **call, uint64_t *args)
{
	*call = calls[random() % NCALLS];
	for (int i = 0; i < 6; i++) {
		uint64_t v = g->npool ? g->pool[random() % g->npool] : 0;

		switch (random() % 6) {
		case 0:
			v += 1;
			break;
		case 1:
			v -= 1;
			break;
		case 2:
			v |= (uint64_t)random() << 32; /* high bits the kernel may ignore */
			break;
		case 3:
			v = rnd64();
			break;
		}
		args[i] = v;
	}
	if (!strcmp(*call, "ioctl") || !strcmp(*call, "fchown") || !strcmp(*call, "fchmod"))
		args[0] = (uint64_t)-1; /* fd -1: EBADF when allowed */
	if (!strcmp(*call, "kill")) {
		/* kill(pid, 0) only checks existence; keep the real signal 0 */
		args[1] &= UINT64_C(0xffffffff00000000);
	}
}

int main(int argc, char **argv)
{
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1;
	int npol = argc > 2 ? atoi(argv[2]) : 200;
	int ncalls = argc > 3 ? atoi(argv[3]) : 16;
	struct compile_opts o = { .arches = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 }, .narches = 2 };
	unsigned long checked = 0, bad = 0, too_big = 0;
	static char src[8192];

	syscalls_init();
	srandom(seed);
	for (int p = 0; p < npol; p++) {
		struct gen g;
		size_t len = gen_policy(&g, src, sizeof(src));
		struct diag_list d;
		struct policy pol;
		struct blob b;

		diag_init(&d, 10);
		if (policy_parse(src, len, NULL, &pol, &d)) {
			printf("policy %d does not parse:\n%s\n", p, src);
			diag_print(stdout, &d, "random", src, len);
			return 1;
		}
		if (compile_policy(src, len, &o, &b, &d)) {
			/* Several '!'/range conditions on 32-bit arguments in one
			 * line multiply; past the kernel's limit that is a clean
			 * error, which is all we can ask of such a policy. */
			bool size_only = d.errors == 1;

			for (size_t k = 0; k < d.count; k++)
				if (d.items[k].level == DIAG_ERROR &&
				    !strstr(d.items[k].msg, "BPF_MAXINSNS") &&
				    !strstr(d.items[k].msg, "expand to"))
					size_only = false;
			if (size_only) {
				too_big++;
				policy_free(&pol);
				diag_free(&d);
				continue;
			}
			printf("policy %d does not compile:\n%s\n", p, src);
			diag_print(stdout, &d, "random", src, len);
			return 1;
		}
		for (int c = 0; c < ncalls; c++) {
			const char *call;
			uint64_t args[6];
			enum verdict want, sim, sim32, kern;

			gen_call(&g, &call, args);
			want = oracle_verdict(&pol, call, args, false);
			sim = simulate(&b, AUDIT_ARCH_X86_64, syscalls_nr(AUDIT_ARCH_X86_64, call),
				       args);
			kern = in_kernel(&b, syscalls_nr(AUDIT_ARCH_X86_64, call), args);
			uint64_t a32[6];

			for (int i = 0; i < 6; i++)
				a32[i] = (uint32_t)args[i];
			sim32 = simulate(&b, AUDIT_ARCH_I386, syscalls_nr(AUDIT_ARCH_I386, call),
					 a32);
			checked++;
			if (want != sim || want != kern ||
			    oracle_verdict(&pol, call, args, true) != sim32) {
				bad++;
				printf("MISMATCH seed %u policy %d: %s(0x%llx, 0x%llx, 0x%llx) oracle=%s "
				       "sim=%s kernel=%s | x86 oracle=%s sim=%s\n%s----\n",
				       seed, p, call, (unsigned long long)args[0],
				       (unsigned long long)args[1], (unsigned long long)args[2],
				       verdict_name(want), verdict_name(sim), verdict_name(kern),
				       verdict_name(oracle_verdict(&pol, call, args, true)),
				       verdict_name(sim32), src);
			}
		}
		blob_free(&b);
		policy_free(&pol);
		diag_free(&d);
	}
	printf("%lu calls checked on %d random policies (seed %u, %lu too large to compile): "
	       "%lu disagreements\n",
	       checked, npol, seed, too_big, bad);
	return bad ? 1 : 0;
}
