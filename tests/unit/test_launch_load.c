// SPDX-License-Identifier: MIT
/*
 * Unit tests for load_prepare() in src/launch/load.c: which architecture
 * is accepted, how the filters are attached, and which actions are
 * rewritten on which kernel, table-driven over kernel feature sets.
 */
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/launch/load.h"

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
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_X86_64, &modern, &plan, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "architecture"));
	b = make_blob(SF_MODE_ENFORCE, AUDIT_ARCH_X86_64);
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_X86_64, &modern, &plan, why, sizeof(why)), 0);
	/* The compat arch listed first is found too. */
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_I386, &modern, &plan, why, sizeof(why)), 0);
	b.narches = 0;
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_X86_64, &modern, &plan, why, sizeof(why)), -1);
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
	assert_int_equal(load_prepare(&b, AUDIT_ARCH_X86_64, &modern, &plan, why, sizeof(why)), -1);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modern_kernel), cmocka_unit_test(test_kernel_table),
		cmocka_unit_test(test_architecture),  cmocka_unit_test(test_unrestricted),
		cmocka_unit_test(test_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
