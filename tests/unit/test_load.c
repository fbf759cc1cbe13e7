// SPDX-License-Identifier: MIT
/*
 * Unit tests for load_prepare() in src/lib/load.c: which architecture
 * is accepted, how the filters are attached, and which actions are
 * rewritten on which kernel, table-driven over kernel feature sets.
 */
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysfence/lib/load.h"
#include "sysfence/util.h"

#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif

#define EPERM_RET (SECCOMP_RET_ERRNO | 1)
#define EACCES_RET (SECCOMP_RET_ERRNO | 13)

/* Shapes only: load_prepare does not run programs. */
static struct sock_filter allow_src[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_RET | BPF_K, EPERM_RET),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG),
};
static struct sock_filter deny_src[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH),
	BPF_STMT(BPF_RET | BPF_K, EACCES_RET),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
static struct sock_filter allow_insns[6], deny_insns[3];

static struct blob make_blob(enum sf_mode mode, uint32_t arch)
{
	struct blob b;

	memset(&b, 0, sizeof(b));
	memcpy(allow_insns, allow_src, sizeof(allow_src));
	memcpy(deny_insns, deny_src, sizeof(deny_src));
	b.mode = mode;
	if (arch) {
		b.narches = 2;
		b.arches[0] = AUDIT_ARCH_I386;
		b.arches[1] = arch;
	}
	if (mode != SF_MODE_UNRESTRICTED) {
		b.allow.insns = allow_insns;
		b.allow.len = 6;
		b.deny.insns = deny_insns;
		b.deny.len = 3;
	}
	return b;
}

static const struct probe_features modern = { true, true, true, true, true };

static void test_modern_kernel(void **state)
{
	struct blob b = make_blob(SF_MODE_COMPLAIN, LOAD_NATIVE_ARCH);
	struct load_plan plan;
	char why[128];

	(void)state;
	assert_int_equal(load_prepare(&b, LOAD_NATIVE_ARCH, &modern, &plan, why, sizeof(why)), 0);
	assert_int_equal(plan.method, LOAD_SECCOMP);
	assert_int_equal(plan.flags, SECCOMP_FILTER_FLAG_LOG);
	assert_int_equal(plan.deny.len, 3);
	assert_int_equal(plan.allow.len, 6);
	assert_ptr_equal(plan.deny.filter, deny_insns);
	assert_ptr_equal(plan.allow.filter, allow_insns);
	assert_int_equal(plan.log_to_allow, 0);
	assert_int_equal(plan.kill_process_to_thread, 0);
	assert_memory_equal(allow_insns, allow_src, sizeof(allow_src));
}

struct kernel_case {
	const char *what;
	struct probe_features f;
	enum load_method method;
	unsigned flags;
	size_t log_rewritten, kill_rewritten;
	uint32_t ret2, ret3; /* allow program's RET at 2 (LOG) and 3 (KILL_PROCESS) */
};

static void test_kernel_table(void **state)
{
	static const struct kernel_case cases[] = {
		{ "modern",
		  { true, true, true, true, true },
		  LOAD_SECCOMP,
		  SECCOMP_FILTER_FLAG_LOG,
		  0,
		  0,
		  SECCOMP_RET_LOG,
		  SECCOMP_RET_KILL_PROCESS },
		{ "no FLAG_LOG",
		  { true, false, true, true, true },
		  LOAD_SECCOMP,
		  0,
		  0,
		  0,
		  SECCOMP_RET_LOG,
		  SECCOMP_RET_KILL_PROCESS },
		{ "no RET_LOG",
		  { true, true, false, true, true },
		  LOAD_SECCOMP,
		  SECCOMP_FILTER_FLAG_LOG,
		  2,
		  0,
		  SECCOMP_RET_ALLOW,
		  SECCOMP_RET_KILL_PROCESS },
		{ "no KILL_PROCESS",
		  { true, true, true, false, true },
		  LOAD_SECCOMP,
		  SECCOMP_FILTER_FLAG_LOG,
		  0,
		  1,
		  SECCOMP_RET_LOG,
		  SECCOMP_RET_KILL_THREAD },
		{ "4.13",
		  { true, false, false, false, true },
		  LOAD_SECCOMP,
		  0,
		  2,
		  1,
		  SECCOMP_RET_ALLOW,
		  SECCOMP_RET_KILL_THREAD },
		{ "no seccomp(2)",
		  { false, false, false, false, true },
		  LOAD_PRCTL,
		  0,
		  2,
		  1,
		  SECCOMP_RET_ALLOW,
		  SECCOMP_RET_KILL_THREAD },
		/* Inconsistent, but FLAG_LOG never goes to prctl. */
		{ "prctl with a FLAG_LOG answer",
		  { false, true, true, true, true },
		  LOAD_PRCTL,
		  0,
		  0,
		  0,
		  SECCOMP_RET_LOG,
		  SECCOMP_RET_KILL_PROCESS },
		/* ERRNO is reported, never rewritten. */
		{ "no ERRNO",
		  { true, true, true, true, false },
		  LOAD_SECCOMP,
		  SECCOMP_FILTER_FLAG_LOG,
		  0,
		  0,
		  SECCOMP_RET_LOG,
		  SECCOMP_RET_KILL_PROCESS },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kernel_case *c = &cases[i];
		struct blob b = make_blob(SF_MODE_COMPLAIN, LOAD_NATIVE_ARCH);
		struct load_plan plan;
		char why[128];

		if (load_prepare(&b, LOAD_NATIVE_ARCH, &c->f, &plan, why, sizeof(why)))
			fail_msg("%s: refused: %s", c->what, why);
		if (plan.method != c->method || plan.flags != c->flags ||
		    plan.log_to_allow != c->log_rewritten ||
		    plan.kill_process_to_thread != c->kill_rewritten ||
		    allow_insns[2].k != c->ret2 || allow_insns[3].k != c->ret3)
			fail_msg("%s: method %d flags %u log %zu kill %zu ret2 %#x ret3 %#x",
				 c->what, plan.method, plan.flags, plan.log_to_allow,
				 plan.kill_process_to_thread, allow_insns[2].k, allow_insns[3].k);
		/* Never touched: ALLOW, ERRNO, the load of the arch. */
		assert_int_equal(allow_insns[1].k, SECCOMP_RET_ALLOW);
		assert_int_equal(allow_insns[4].k, EPERM_RET);
		assert_int_equal(deny_insns[1].k, EACCES_RET);
		assert_int_equal(allow_insns[0].code, BPF_LD | BPF_W | BPF_ABS);
	}
}

static void test_architecture(void **state)
{
	struct blob b = make_blob(SF_MODE_ENFORCE, AUDIT_ARCH_AARCH64);
	struct load_plan plan;
	char why[128];

	(void)state;
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_X86_64, &modern, &plan, why, sizeof(why)),
			 LOAD_ERR_ARCH);
	assert_non_null(strstr(why, "architecture"));
	b = make_blob(SF_MODE_ENFORCE, AUDIT_ARCH_X86_64);
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_X86_64, &modern, &plan, why, sizeof(why)), 0);
	/* The compat arch listed first is found too. */
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_I386, &modern, &plan, why, sizeof(why)), 0);
	b.narches = 0;
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_X86_64, &modern, &plan, why, sizeof(why)),
			 LOAD_ERR_ARCH);
}

static void test_unrestricted(void **state)
{
	struct blob b = make_blob(SF_MODE_UNRESTRICTED, LOAD_NATIVE_ARCH);
	struct load_plan plan;
	char why[128];

	(void)state;
	assert_int_equal(load_prepare(&b, LOAD_NATIVE_ARCH, &modern, &plan, why, sizeof(why)), 0);
	assert_int_equal(plan.allow.len, 0);
	assert_int_equal(plan.deny.len, 0);
	/* No architecture listed: nothing to load anyway. */
	b = make_blob(SF_MODE_UNRESTRICTED, 0);
	assert_int_equal(load_prepare(&b, LOAD_NATIVE_ARCH, &modern, &plan, why, sizeof(why)), 0);
	/* Listed, but not ours: refused like any other profile. */
	b = make_blob(SF_MODE_UNRESTRICTED, AUDIT_ARCH_AARCH64);
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_X86_64, &modern, &plan, why, sizeof(why)),
			 LOAD_ERR_ARCH);
}

static void test_lengths(void **state)
{
	struct blob b = make_blob(SF_MODE_ENFORCE, LOAD_NATIVE_ARCH);
	struct load_plan plan;
	char why[128];

	(void)state;
	/* Checked before anything reads the program or stores the u16 length. */
	b.allow.len = BPF_MAXINSNS + 1;
	assert_int_equal(load_prepare(&b, LOAD_NATIVE_ARCH, &modern, &plan, why, sizeof(why)), -1);
	b = make_blob(SF_MODE_ENFORCE, LOAD_NATIVE_ARCH);
	b.deny.len = 65536 + 3; /* would wrap to 3 in sock_fprog.len */
	assert_int_equal(load_prepare(&b, LOAD_NATIVE_ARCH, &modern, &plan, why, sizeof(why)), -1);
	b = make_blob(SF_MODE_ENFORCE, LOAD_NATIVE_ARCH);
	b.deny.len = 0;
	b.deny.insns = NULL;
	assert_int_equal(load_prepare(&b, LOAD_NATIVE_ARCH, &modern, &plan, why, sizeof(why)), 0);
	assert_int_equal(plan.deny.len, 0);
	assert_int_equal(plan.allow.len, 6);
	b = make_blob(SF_MODE_ENFORCE, LOAD_NATIVE_ARCH);
	b.allow.len = 0;
	assert_int_equal(load_prepare(&b, LOAD_NATIVE_ARCH, &modern, &plan, why, sizeof(why)), -1);
}

/* ---- which kernel questions a blob needs ---- */

static void test_questions(void **state)
{
	struct blob b = make_blob(SF_MODE_COMPLAIN, LOAD_NATIVE_ARCH);

	(void)state;
	/* allow_src returns LOG and KILL_PROCESS. */
	assert_int_equal(load_questions(&b),
			 PROBE_ASK_FILTER | PROBE_ASK_LOG | PROBE_ASK_KILL_PROCESS);
	allow_insns[2] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, EPERM_RET);
	allow_insns[5] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, EPERM_RET);
	assert_int_equal(load_questions(&b), PROBE_ASK_FILTER | PROBE_ASK_KILL_PROCESS);
	allow_insns[3] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_THREAD);
	assert_int_equal(load_questions(&b), PROBE_ASK_FILTER);
	/* A LOG in the deny program counts as well. */
	deny_insns[2] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG);
	assert_int_equal(load_questions(&b), PROBE_ASK_FILTER | PROBE_ASK_LOG);
	/* Nothing to attach: nothing to ask. */
	b = make_blob(SF_MODE_UNRESTRICTED, 0);
	assert_int_equal(load_questions(&b), 0);
}

/* ---- the calls after the load, simulated ---- */

/* allow: execve (59) only when arg2 is 0x1000; write (1) only on fd 2. */
static struct sock_filter sim_allow[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LOAD_NATIVE_ARCH, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_NR),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 59, 0, 3),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARGS + 16),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x1000, 5, 0),
	BPF_STMT(BPF_RET | BPF_K, EPERM_RET),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 4),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARGS),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, EPERM_RET),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG),
};

static void test_first_denied(void **state)
{
	char why[128];
	struct blob b;
	struct load_call calls[3];
	uint32_t verdict = 0;

	(void)state;
	memset(&b, 0, sizeof(b));
	b.mode = SF_MODE_ENFORCE;
	b.narches = 1;
	b.arches[0] = LOAD_NATIVE_ARCH;
	b.allow.insns = sim_allow;
	b.allow.len = ARRAY_SIZE(sim_allow);
	assert_int_equal(bpf_check(sim_allow, ARRAY_SIZE(sim_allow), why, sizeof(why)), 0);
	memset(calls, 0, sizeof(calls));
	for (int i = 0; i < 3; i++)
		calls[i].data.arch = LOAD_NATIVE_ARCH;
	calls[0].name = "write";
	calls[0].data.nr = 1;
	calls[0].data.args[0] = 2;
	calls[1].name = "execve";
	calls[1].data.nr = 59;
	calls[1].data.args[2] = 0x1000;
	calls[2].name = "other";
	calls[2].data.nr = 500; /* falls to LOG: complain lets it through */
	assert_int_equal(load_first_denied(&b, calls, 3, &verdict), -1);
	/* The real arguments decide: another environment pointer is denied. */
	calls[1].data.args[2] = 0x2000;
	assert_int_equal(load_first_denied(&b, calls, 3, &verdict), 1);
	assert_int_equal(verdict, EPERM_RET);
	/* In order: the first denied one is named. */
	calls[0].data.args[0] = 1;
	assert_int_equal(load_first_denied(&b, calls, 3, &verdict), 0);
	/* Another architecture is killed. */
	calls[0].data.args[0] = 2;
	calls[1].data.args[2] = 0x1000;
	calls[2].data.arch = AUDIT_ARCH_I386;
	assert_int_equal(load_first_denied(&b, calls, 3, &verdict), 2);
	assert_int_equal(verdict, SECCOMP_RET_KILL_PROCESS);
	/* An unrestricted blob lets everything through. */
	b.mode = SF_MODE_UNRESTRICTED;
	assert_int_equal(load_first_denied(&b, calls, 3, &verdict), -1);
}

/* ---- the attach, proved real by its refused twin ---- */

/*
 * In a child: optionally a parent filter that fakes success (ERRNO(0)) for
 * every seccomp(SECCOMP_SET_MODE_FILTER) with a program, as a buggy outer
 * sandbox would; then load_apply of an allow-all program.  Exit status:
 * 0 attached (and in filter mode), 1 LOAD_FAKED, 2 another failure.
 */
static int apply_in_child(bool fake, enum load_method method)
{
	static struct sock_filter allow_all[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static struct sock_filter faker[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_NR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARGS + 16), /* the program */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
	};
	struct sock_fprog f = { ARRAY_SIZE(faker), faker };
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct load_plan plan;
		const char *stage;
		int rc;

		memset(&plan, 0, sizeof(plan));
		plan.method = method;
		plan.allow.len = 2;
		plan.allow.filter = allow_all;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			_exit(3);
		/* The probes pass NULL: the faker lets them through. */
		if (fake && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f, 0, 0))
			_exit(3);
		rc = load_apply(&plan, &stage);
		if (rc == LOAD_FAKED)
			_exit(1);
		_exit(rc == 0 && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2 ? 0 : 2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_apply_twin(void **state)
{
	(void)state;
	assert_int_equal(apply_in_child(false, LOAD_SECCOMP), 0);
	assert_int_equal(apply_in_child(false, LOAD_PRCTL), 0);
	assert_int_equal(apply_in_child(true, LOAD_SECCOMP), 1);
	assert_int_equal(apply_in_child(true, LOAD_PRCTL), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modern_kernel), cmocka_unit_test(test_kernel_table),
		cmocka_unit_test(test_architecture),  cmocka_unit_test(test_unrestricted),
		cmocka_unit_test(test_lengths),	      cmocka_unit_test(test_questions),
		cmocka_unit_test(test_first_denied),  cmocka_unit_test(test_apply_twin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
