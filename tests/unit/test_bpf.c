// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/common/bpf.c: the static checker every program passes
 * before it reaches the kernel, the simulator, the kernel's rule for
 * combining stacked filters, RET rewriting and action names.
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/bpf.h"
#include "sysfence/util.h"

#define LD(k) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, k)
#define AND(k) BPF_STMT(BPF_ALU | BPF_AND | BPF_K, k)
#define JA(k) BPF_STMT(BPF_JMP | BPF_JA, k)
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, t, f)
#define JGT(k, t, f) BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, k, t, f)
#define JGE(k, t, f) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, k, t, f)
#define JSET(k, t, f) BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, k, t, f)
#define RET(k) BPF_STMT(BPF_RET | BPF_K, k)

#define EPERM_RET (SECCOMP_RET_ERRNO | EPERM)
#define EACCES_RET (SECCOMP_RET_ERRNO | EACCES)

/* bpf_check must fail with a reason that contains `reason`. */
static void expect_reject(const struct sock_filter *p, size_t len, const char *reason,
			  const char *what)
{
	char why[128];

	memset(why, 'x', sizeof(why));
	if (bpf_check(p, len, why, sizeof(why)) != -1)
		fail_msg("%s: accepted", what);
	if (!strstr(why, reason))
		fail_msg("%s: reason '%s', wanted '%s'", what, why, reason);
}

static void expect_accept(const struct sock_filter *p, size_t len, const char *what)
{
	char why[128] = "";

	if (bpf_check(p, len, why, sizeof(why)))
		fail_msg("%s: rejected: %s", what, why);
}

static void test_check_minimal(void **state)
{
	const struct sock_filter ok[] = { LD(BPF_OFF_ARCH), RET(SECCOMP_RET_ALLOW) };

	(void)state;
	expect_accept(ok, 2, "load arch, ret allow");
	/* why may be NULL. */
	assert_int_equal(bpf_check(ok, 2, NULL, 0), 0);
	assert_int_equal(bpf_check(ok, 0, NULL, 0), -1);
}

static void test_check_every_opcode_sysfence_emits(void **state)
{
	const struct sock_filter p[] = {
		LD(BPF_OFF_ARCH),	       /* 0 */
		JEQ(AUDIT_ARCH_X86_64, 1, 0),  /* 1 */
		RET(SECCOMP_RET_KILL_PROCESS), /* 2 */
		LD(BPF_OFF_NR),		       /* 3 */
		JGT(400, 7, 0),		       /* 4 -> 12 */
		JGE(300, 6, 0),		       /* 5 -> 12 */
		JSET(0x40000000, 6, 0),	       /* 6 -> 13 */
		LD(BPF_OFF_ARGS + 8 * 5 + 4),  /* 7: the last word */
		AND(0xffff),		       /* 8 */
		JA(0),			       /* 9 */
		LD(BPF_OFF_IP),		       /* 10 */
		RET(SECCOMP_RET_ALLOW),	       /* 11 */
		RET(EPERM_RET),		       /* 12 */
		RET(SECCOMP_RET_KILL_THREAD),  /* 13 */
		RET(SECCOMP_RET_LOG),	       /* 14 */
		RET(SECCOMP_RET_TRAP | 7),     /* 15 */
		RET(SECCOMP_RET_ERRNO | 1),    /* 16 */
		RET(SECCOMP_RET_ERRNO | 4095), /* 17 */
	};

	(void)state;
	expect_accept(p, ARRAY_SIZE(p), "every allowed opcode and action");
}

static void test_check_length(void **state)
{
	struct sock_filter *p = calloc(BPF_MAXINSNS + 1, sizeof(*p));

	(void)state;
	assert_non_null(p);
	p[0] = (struct sock_filter)LD(BPF_OFF_ARCH);
	for (size_t i = 1; i < BPF_MAXINSNS + 1; i++)
		p[i] = (struct sock_filter)AND(0xffffffff);
	p[BPF_MAXINSNS - 1] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	expect_accept(p, BPF_MAXINSNS, "exactly BPF_MAXINSNS instructions");
	p[BPF_MAXINSNS] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	expect_reject(p, BPF_MAXINSNS + 1, "BPF_MAXINSNS", "one more than BPF_MAXINSNS");
	/* A length that would wrap the kernel's u16 sock_fprog.len. */
	expect_reject(p, 65536 + 2, "BPF_MAXINSNS", "65538 instructions");
	expect_reject(p, 0, "empty", "no instruction");
	free(p);
}

static void test_check_first_instruction(void **state)
{
	const struct sock_filter nr_first[] = { LD(BPF_OFF_NR), RET(SECCOMP_RET_ALLOW) };
	const struct sock_filter ret_first[] = { RET(SECCOMP_RET_ALLOW) };
	const struct sock_filter ip_first[] = { LD(BPF_OFF_IP), RET(SECCOMP_RET_ALLOW) };

	(void)state;
	expect_reject(nr_first, 2, "architecture", "first loads nr");
	expect_reject(ret_first, 1, "architecture", "a lone RET ALLOW");
	expect_reject(ip_first, 2, "architecture", "first loads ip");
}

static void test_check_loads(void **state)
{
	struct sock_filter p[] = { LD(BPF_OFF_ARCH), LD(0), RET(SECCOMP_RET_ALLOW) };
	static const uint32_t bad[] = { 64, 2, 61, 1000, 0xfffffffc };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char what[32];

		p[1].k = bad[i];
		snprintf(what, sizeof(what), "ld [%u]", bad[i]);
		expect_reject(p, 3, "instruction 1: load outside seccomp_data", what);
	}
	p[1].k = 60;
	expect_accept(p, 3, "ld [60]");
}

static void test_check_jumps(void **state)
{
	struct sock_filter ja[] = { LD(BPF_OFF_ARCH), JA(1), RET(SECCOMP_RET_ALLOW) };
	struct sock_filter jeq[] = {
		LD(BPF_OFF_ARCH),
		JEQ(1, 0, 0),
		RET(SECCOMP_RET_ALLOW),
		RET(EPERM_RET),
	};

	(void)state;
	expect_reject(ja, 3, "instruction 1: jump out of the program", "ja past the end");
	ja[1].k = 0xffffffff;
	expect_reject(ja, 3, "jump out", "ja -1 (wraps)");
	ja[1].k = 0;
	expect_accept(ja, 3, "ja 0");

	jeq[1].jt = 1;
	expect_accept(jeq, 4, "jeq to the last instruction");
	jeq[1].jt = 2;
	expect_reject(jeq, 4, "instruction 1: jump out of the program", "jt past the end");
	jeq[1].jt = 0;
	jeq[1].jf = 2;
	expect_reject(jeq, 4, "jump out", "jf past the end");
	jeq[1].jf = 255;
	expect_reject(jeq, 4, "jump out", "jf 255");
	for (uint16_t op = BPF_JGT; op <= BPF_JSET; op += 0x10) {
		jeq[1].code = BPF_JMP | op | BPF_K;
		jeq[1].jt = 0;
		jeq[1].jf = 2;
		expect_reject(jeq, 4, "jump out", "conditional jump past the end");
	}
}

static void test_check_must_end_in_ret(void **state)
{
	const struct sock_filter ld_last[] = { LD(BPF_OFF_ARCH), RET(SECCOMP_RET_ALLOW),
					       LD(BPF_OFF_NR) };
	const struct sock_filter and_last[] = { LD(BPF_OFF_ARCH), AND(1) };
	const struct sock_filter only_ld[] = { LD(BPF_OFF_ARCH) };

	(void)state;
	expect_reject(ld_last, 3, "instruction 2: program does not end with a return",
		      "ends with a load");
	expect_reject(and_last, 2, "does not end with a return", "ends with and");
	expect_reject(only_ld, 1, "does not end with a return", "only a load");
}

static void test_check_return_actions(void **state)
{
	static const struct {
		uint32_t k;
		bool ok;
		const char *what;
	} cases[] = {
		{ SECCOMP_RET_ALLOW, true, "ALLOW" },
		{ SECCOMP_RET_LOG, true, "LOG" },
		{ SECCOMP_RET_KILL_PROCESS, true, "KILL_PROCESS" },
		{ SECCOMP_RET_KILL_THREAD, true, "KILL_THREAD" },
		{ SECCOMP_RET_TRAP, true, "TRAP" },
		{ SECCOMP_RET_TRAP | 0xffff, true, "TRAP(0xffff)" },
		{ SECCOMP_RET_ERRNO | 1, true, "ERRNO(1)" },
		{ SECCOMP_RET_ERRNO | 4095, true, "ERRNO(4095)" },
		{ SECCOMP_RET_ERRNO, false, "ERRNO(0): a denied call would look successful" },
		{ SECCOMP_RET_ERRNO | 4096, false, "ERRNO(4096)" },
		{ SECCOMP_RET_ERRNO | 0xffff, false, "ERRNO(0xffff)" },
		{ SECCOMP_RET_TRACE, false, "TRACE" },
		{ SECCOMP_RET_TRACE | 0x5f1, false, "TRACE(0x5f1), a sentinel of the old backend" },
		{ SECCOMP_RET_USER_NOTIF, false, "USER_NOTIF" },
		{ SECCOMP_RET_ALLOW | 1, false, "ALLOW with data" },
		{ SECCOMP_RET_LOG | 1, false, "LOG with data" },
		{ SECCOMP_RET_KILL_PROCESS | 9, false, "KILL_PROCESS with data" },
		{ SECCOMP_RET_KILL_THREAD | 9, false, "KILL_THREAD with data" },
		{ 0x00010000, false, "an unknown action" },
		{ 0x7ffe0000, false, "another unknown action" },
		{ 0xffff0000, false, "all action bits" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct sock_filter p[] = { LD(BPF_OFF_ARCH), RET(cases[i].k) };

		if (cases[i].ok)
			expect_accept(p, 2, cases[i].what);
		else
			expect_reject(p, 2, "instruction 1: forbidden return action",
				      cases[i].what);
	}
}

static void test_check_forbidden_opcodes(void **state)
{
	static const uint16_t codes[] = {
		BPF_RET | BPF_A, /* RET A: the action computed at run time */
		BPF_RET | BPF_X,
		BPF_LD | BPF_W | BPF_IND,
		BPF_LD | BPF_H | BPF_ABS,
		BPF_LD | BPF_B | BPF_ABS,
		BPF_LD | BPF_IMM,
		BPF_LD | BPF_MEM,
		BPF_LD | BPF_W | BPF_LEN,
		BPF_LDX | BPF_W | BPF_IMM,
		BPF_ST,
		BPF_STX,
		BPF_ALU | BPF_ADD | BPF_K,
		BPF_ALU | BPF_OR | BPF_K,
		BPF_ALU | BPF_AND | BPF_X,
		BPF_ALU | BPF_NEG,
		BPF_JMP | BPF_JEQ | BPF_X,
		BPF_MISC | BPF_TAX,
		BPF_MISC | BPF_TXA,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		struct sock_filter p[] = { LD(BPF_OFF_ARCH), BPF_STMT(codes[i], 0),
					   RET(SECCOMP_RET_ALLOW) };
		char what[32];

		snprintf(what, sizeof(what), "opcode 0x%04x", codes[i]);
		expect_reject(p, 3, "instruction 1: instruction not allowed", what);
	}
}

static void test_check_why_truncated_safely(void **state)
{
	const struct sock_filter p[] = { LD(BPF_OFF_NR), RET(SECCOMP_RET_ALLOW) };
	char why[8];

	(void)state;
	memset(why, 'x', sizeof(why));
	assert_int_equal(bpf_check(p, 2, why, sizeof(why)), -1);
	assert_int_equal(why[7], '\0');
	assert_int_equal(bpf_check(p, 2, why, 0), -1); /* whylen 0: untouched */
}

/* x86_64 only: getpid allowed, getppid if args[0] == 5 (low word), else EPERM. */
static const struct sock_filter sample[] = {
	LD(BPF_OFF_ARCH),	       /* 0 */
	JEQ(AUDIT_ARCH_X86_64, 1, 0),  /* 1 */
	RET(SECCOMP_RET_KILL_PROCESS), /* 2 */
	LD(BPF_OFF_NR),		       /* 3 */
	JEQ(39, 4, 0),		       /* 4 getpid -> 9 */
	JEQ(110, 0, 4),		       /* 5 getppid -> 6, else 10 */
	LD(BPF_OFF_ARGS),	       /* 6 args[0] low word (little endian) */
	JEQ(5, 1, 2),		       /* 7 -> 9, 10 */
	JA(0),			       /* 8 (never reached) */
	RET(SECCOMP_RET_ALLOW),	       /* 9 */
	RET(EPERM_RET),		       /* 10 */
};

static uint32_t run(uint32_t arch, int nr, uint64_t arg0, unsigned *steps)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };

	d.args[0] = arg0;
	return bpf_run(sample, ARRAY_SIZE(sample), &d, steps);
}

static void test_run(void **state)
{
	unsigned steps = 0;

	(void)state;
	expect_accept(sample, ARRAY_SIZE(sample), "sample");
	assert_int_equal(run(AUDIT_ARCH_X86_64, 39, 0, &steps), SECCOMP_RET_ALLOW);
	assert_int_equal(steps, 5);
	assert_int_equal(run(AUDIT_ARCH_X86_64, 110, 5, &steps), SECCOMP_RET_ALLOW);
	assert_int_equal(steps, 8);
	/* The sample compares only the low word: the upper half is ignored. */
	assert_int_equal(run(AUDIT_ARCH_X86_64, 110, UINT64_C(0x700000005), NULL),
			 SECCOMP_RET_ALLOW);
	assert_int_equal(run(AUDIT_ARCH_X86_64, 110, 6, &steps), EPERM_RET);
	assert_int_equal(steps, 8);
	assert_int_equal(run(AUDIT_ARCH_X86_64, 1, 0, &steps), EPERM_RET);
	assert_int_equal(steps, 6);
	assert_int_equal(run(AUDIT_ARCH_I386, 39, 0, &steps), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(steps, 3);
}

static void test_run_reads_each_word(void **state)
{
	struct seccomp_data d;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.nr = 1;
	d.arch = 2;
	d.instruction_pointer = UINT64_C(0x0000000400000003);
	for (int i = 0; i < 6; i++)
		d.args[i] = (uint64_t)(2 * i + 6) << 32 | (uint64_t)(2 * i + 5);
	/* Word w of seccomp_data is w + 1: load it, compare, return it via JEQ. */
	for (uint32_t w = 0; w < 16; w++) {
		struct sock_filter q[] = { LD(w * 4), JEQ(w + 1, 0, 1), RET(SECCOMP_RET_ALLOW),
					   RET(EPERM_RET) };

		assert_int_equal(bpf_run(q, 4, &d, NULL), SECCOMP_RET_ALLOW);
	}
}

static void test_run_defensive(void **state)
{
	const struct sock_filter falls_off[] = { LD(BPF_OFF_ARCH), AND(1) };
	const struct sock_filter bad_load[] = { LD(BPF_OFF_ARCH), LD(62), RET(SECCOMP_RET_ALLOW) };
	const struct sock_filter far_jump[] = { LD(BPF_OFF_ARCH), JA(1000),
						RET(SECCOMP_RET_ALLOW) };
	const struct sock_filter far_jt[] = { LD(BPF_OFF_ARCH), JEQ(0, 200, 200),
					      RET(SECCOMP_RET_ALLOW) };
	const struct sock_filter bad_op[] = { LD(BPF_OFF_ARCH), BPF_STMT(BPF_RET | BPF_A, 0) };
	struct seccomp_data d = { .nr = 0, .arch = 0 };
	unsigned steps = 0;

	(void)state;
	/* Unchecked programs never read or jump out of bounds: they kill. */
	assert_int_equal(bpf_run(falls_off, 2, &d, &steps), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(steps, 2);
	assert_int_equal(bpf_run(bad_load, 3, &d, NULL), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(bpf_run(far_jump, 3, &d, NULL), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(bpf_run(far_jt, 3, &d, NULL), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(bpf_run(bad_op, 2, &d, NULL), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(bpf_run(falls_off, 0, &d, NULL), SECCOMP_RET_KILL_PROCESS);
}

/* The kernel's order, strongest first. */
static const uint32_t precedence[] = {
	SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP | 1, EPERM_RET,
	SECCOMP_RET_USER_NOTIF,	  SECCOMP_RET_TRACE | 2,   SECCOMP_RET_LOG,	 SECCOMP_RET_ALLOW,
};

static void test_combine_precedence(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(precedence); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(precedence); j++) {
			uint32_t a = precedence[i], b = precedence[j];
			uint32_t want = i <= j ? a : b;

			if (bpf_combine(a, b) != want)
				fail_msg(
					"combine(newer 0x%08x, older 0x%08x) = 0x%08x, wanted 0x%08x",
					a, b, bpf_combine(a, b), want);
		}
	}
}

static void test_combine_ties_keep_newer(void **state)
{
	(void)state;
	/* Same action, different data: the later-attached filter's wins. */
	assert_int_equal(bpf_combine(EACCES_RET, EPERM_RET), EACCES_RET);
	assert_int_equal(bpf_combine(EPERM_RET, EACCES_RET), EPERM_RET);
	assert_int_equal(bpf_combine(SECCOMP_RET_ERRNO | ENOSYS, EACCES_RET),
			 SECCOMP_RET_ERRNO | ENOSYS);
	assert_int_equal(bpf_combine(SECCOMP_RET_TRAP | 1, SECCOMP_RET_TRAP | 2),
			 SECCOMP_RET_TRAP | 1);
	assert_int_equal(bpf_combine(SECCOMP_RET_TRACE | 1, SECCOMP_RET_TRACE | 2),
			 SECCOMP_RET_TRACE | 1);
	/* The sysfence stack: deny filter (older) under the allow filter (newer). */
	assert_int_equal(bpf_combine(SECCOMP_RET_ALLOW, EACCES_RET), EACCES_RET);
	assert_int_equal(bpf_combine(SECCOMP_RET_LOG, EACCES_RET), EACCES_RET);
	assert_int_equal(bpf_combine(SECCOMP_RET_LOG, SECCOMP_RET_ALLOW), SECCOMP_RET_LOG);
	assert_int_equal(bpf_combine(SECCOMP_RET_ALLOW, SECCOMP_RET_ALLOW), SECCOMP_RET_ALLOW);
	assert_int_equal(bpf_combine(SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS),
			 SECCOMP_RET_KILL_PROCESS);
}

static void test_rewrite_ret(void **state)
{
	struct sock_filter p[] = {
		LD(BPF_OFF_ARCH),     JEQ(SECCOMP_RET_LOG, 0, 0), /* not a RET: untouched */
		RET(SECCOMP_RET_LOG), RET(SECCOMP_RET_LOG | 1),	  /* not the exact value */
		RET(SECCOMP_RET_LOG), RET(SECCOMP_RET_KILL_PROCESS),
	};

	(void)state;
	assert_true(bpf_returns(p, ARRAY_SIZE(p), SECCOMP_RET_LOG));
	assert_false(bpf_returns(p, ARRAY_SIZE(p), SECCOMP_RET_ALLOW));
	assert_int_equal(bpf_rewrite_ret(p, ARRAY_SIZE(p), SECCOMP_RET_LOG, SECCOMP_RET_ALLOW), 2);
	assert_int_equal(p[1].k, SECCOMP_RET_LOG);
	assert_int_equal(p[2].k, SECCOMP_RET_ALLOW);
	assert_int_equal(p[3].k, SECCOMP_RET_LOG | 1);
	assert_int_equal(p[4].k, SECCOMP_RET_ALLOW);
	assert_false(bpf_returns(p, ARRAY_SIZE(p), SECCOMP_RET_LOG));
	assert_true(bpf_returns(p, ARRAY_SIZE(p), SECCOMP_RET_ALLOW));
	assert_int_equal(bpf_rewrite_ret(p, ARRAY_SIZE(p), SECCOMP_RET_KILL_PROCESS,
					 SECCOMP_RET_KILL_THREAD),
			 1);
	assert_int_equal(p[5].k, SECCOMP_RET_KILL_THREAD);
	assert_int_equal(bpf_rewrite_ret(p, ARRAY_SIZE(p), SECCOMP_RET_TRAP, 0), 0);
	expect_accept(p, ARRAY_SIZE(p) - 3, "rewritten prefix");
}

static void test_action_names(void **state)
{
	static const struct {
		uint32_t k;
		const char *name;
	} cases[] = {
		{ SECCOMP_RET_ALLOW, "ALLOW" },
		{ SECCOMP_RET_LOG, "LOG" },
		{ SECCOMP_RET_KILL_PROCESS, "KILL_PROCESS" },
		{ SECCOMP_RET_KILL_THREAD, "KILL_THREAD" },
		{ SECCOMP_RET_TRAP, "TRAP" },
		{ SECCOMP_RET_USER_NOTIF, "USER_NOTIF" },
		{ SECCOMP_RET_TRACE | 3, "TRACE(3)" },
		{ EPERM_RET, "ERRNO(EPERM)" },
		{ EACCES_RET, "ERRNO(EACCES)" },
		{ SECCOMP_RET_ERRNO | ENOSYS, "ERRNO(ENOSYS)" },
		{ SECCOMP_RET_ERRNO | 4095, "ERRNO(4095)" },
		{ SECCOMP_RET_ERRNO, "ERRNO(0)" },
		{ 0x00010000, "UNKNOWN(0x00010000)" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		assert_string_equal(bpf_action_name(cases[i].k, buf, sizeof(buf)), cases[i].name);
	/* A short buffer is cut, not overrun. */
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(bpf_action_name(EPERM_RET, buf, 6), buf);
	assert_string_equal(buf, "ERRNO");
	assert_int_equal(buf[6], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_minimal),
		cmocka_unit_test(test_check_every_opcode_sysfence_emits),
		cmocka_unit_test(test_check_length),
		cmocka_unit_test(test_check_first_instruction),
		cmocka_unit_test(test_check_loads),
		cmocka_unit_test(test_check_jumps),
		cmocka_unit_test(test_check_must_end_in_ret),
		cmocka_unit_test(test_check_return_actions),
		cmocka_unit_test(test_check_forbidden_opcodes),
		cmocka_unit_test(test_check_why_truncated_safely),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_run_reads_each_word),
		cmocka_unit_test(test_run_defensive),
		cmocka_unit_test(test_combine_precedence),
		cmocka_unit_test(test_combine_ties_keep_newer),
		cmocka_unit_test(test_rewrite_ret),
		cmocka_unit_test(test_action_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
