// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/tools/flow.c (the kernel's action-cache emulation
 * and the probe collector), report_cacheable() (--report) and
 * diff_print() (--diff), on hand-written programs, so they do not
 * depend on what the code generator emits today.
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/flow.h"
#include "sysfence/tools/report.h"
#include "sysfence/tools/diff.h"
#include "sysfence/tools/input.h"

#define LD(k) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, k)
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, t, f)
#define JGE(k, t, f) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, k, t, f)
#define JSET(k, t, f) BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, k, t, f)
#define JA(k) BPF_STMT(BPF_JMP | BPF_JA, k)
#define AND(k) BPF_STMT(BPF_ALU | BPF_AND | BPF_K, k)
#define RET(k) BPF_STMT(BPF_RET | BPF_K, k)
#define EPERM_RET (SECCOMP_RET_ERRNO | EPERM)
#define N(p) (sizeof(p) / sizeof((p)[0]))

/* x86_64: openat allowed, ioctl(_, 0x5413) allowed, x86 killed via JA. */
static const struct sock_filter allow_prog[] = {
	LD(4),			      /* 0 */
	JEQ(AUDIT_ARCH_X86_64, 1, 0), /* 1 */
	JA(8),			      /* 2 -> 11 */
	LD(0),			      /* 3 */
	JEQ(257, 4, 0),		      /* 4 -> 9 */
	JEQ(16, 0, 4),		      /* 5 -> 6 / 10 */
	LD(24),			      /* 6 args[1].lo */
	AND(0xffff),		      /* 7 */
	JEQ(0x5413, 0, 1),	      /* 8 -> 9 / 10 */
	RET(SECCOMP_RET_ALLOW),	      /* 9 */
	RET(EPERM_RET),		      /* 10 */
	RET(SECCOMP_RET_KILL_PROCESS) /* 11 */
};

static void test_const_emulation(void **state)
{
	struct flow_const c;

	(void)state;
	flow_const_run(allow_prog, N(allow_prog), AUDIT_ARCH_X86_64, 257, &c);
	assert_int_equal(c.kind, FLOW_CONST);
	assert_int_equal(c.action, SECCOMP_RET_ALLOW);
	assert_true(flow_const_allow(allow_prog, N(allow_prog), AUDIT_ARCH_X86_64, 257));

	flow_const_run(allow_prog, N(allow_prog), AUDIT_ARCH_X86_64, 16, &c);
	assert_int_equal(c.kind, FLOW_NOT_CONST);
	assert_int_equal(c.offset, 24);
	assert_int_equal(c.pc, 6);
	assert_false(flow_const_allow(allow_prog, N(allow_prog), AUDIT_ARCH_X86_64, 16));

	flow_const_run(allow_prog, N(allow_prog), AUDIT_ARCH_X86_64, 1, &c);
	assert_int_equal(c.kind, FLOW_CONST);
	assert_int_equal(c.action, EPERM_RET);

	/* Through the JA. */
	flow_const_run(allow_prog, N(allow_prog), AUDIT_ARCH_I386, 3, &c);
	assert_int_equal(c.kind, FLOW_CONST);
	assert_int_equal(c.action, SECCOMP_RET_KILL_PROCESS);
}

static void test_const_emulation_edges(void **state)
{
	/* JSET and AND on the number, as the kernel allows. */
	static const struct sock_filter p[] = {
		LD(0),
		AND(0xff),
		JSET(0x40, 0, 1),
		RET(SECCOMP_RET_ALLOW),
		JGE(10, 0, 1),
		RET(SECCOMP_RET_LOG),
		RET(EPERM_RET),
	};
	/* Falls off the end: the kernel WARNs and says "not cacheable". */
	static const struct sock_filter off_end[] = { LD(0), JEQ(1, 0, 0) };
	/* An instruction outside the emulator's list. */
	static const struct sock_filter odd[] = { LD(4), BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
						  RET(SECCOMP_RET_ALLOW) };
	/* The instruction pointer is not constant either. */
	static const struct sock_filter ip[] = { LD(8), RET(SECCOMP_RET_ALLOW) };
	struct flow_const c;

	(void)state;
	assert_true(flow_const_allow(p, N(p), 0, 0x140));
	flow_const_run(p, N(p), 0, 0x10f, &c);
	assert_int_equal(c.action, SECCOMP_RET_LOG);
	flow_const_run(p, N(p), 0, 0x101, &c);
	assert_int_equal(c.action, EPERM_RET);
	flow_const_run(off_end, N(off_end), 0, 1, &c);
	assert_int_equal(c.kind, FLOW_BAD);
	flow_const_run(odd, N(odd), 0, 1, &c);
	assert_int_equal(c.kind, FLOW_BAD);
	flow_const_run(ip, N(ip), 0, 1, &c);
	assert_int_equal(c.kind, FLOW_NOT_CONST);
	assert_int_equal(c.offset, 8);
}

static bool has_value(const struct flow_probe *fp, unsigned w, uint32_t v)
{
	for (unsigned i = 0; i < fp->words[w].count; i++)
		if (fp->words[w].values[i] == v)
			return true;
	return false;
}

static void test_probe_values(void **state)
{
	struct flow_probe fp;

	(void)state;
	flow_probe_init(&fp);
	assert_int_equal(
		flow_probe_collect(allow_prog, N(allow_prog), AUDIT_ARCH_X86_64, true, 16, &fp), 0);
	assert_true(fp.words[2].used); /* args[1].lo is word 2 */
	assert_false(fp.words[0].used);
	assert_false(fp.words[3].used);
	assert_true(has_value(&fp, 2, 0x5413));
	assert_true(has_value(&fp, 2, 0x5412));
	assert_true(has_value(&fp, 2, 0x5414));
	assert_true(has_value(&fp, 2, 0xffff5413)); /* outside the AND mask */
	assert_true(has_value(&fp, 2, 0));
	assert_true(has_value(&fp, 2, 0xffffffff));
	assert_int_equal(flow_probe_max_arg(&fp), 1);
	/* ioctl reaches all of x86_64's part: not the JA nor x86's KILL. */
	assert_int_equal(fp.reachable, 10);

	/* openat never loads an argument. */
	flow_probe_init(&fp);
	flow_probe_collect(allow_prog, N(allow_prog), AUDIT_ARCH_X86_64, true, 257, &fp);
	assert_int_equal(flow_probe_max_arg(&fp), -1);

	/* x86 reaches the dispatcher, the JA and its KILL only. */
	flow_probe_init(&fp);
	flow_probe_collect(allow_prog, N(allow_prog), AUDIT_ARCH_I386, false, 0, &fp);
	assert_int_equal(fp.reachable, 4);
}

static size_t calls;

static void count_call(void *ctx, const uint64_t args[6])
{
	uint64_t *max1 = ctx;

	calls++;
	if (args[1] > *max1)
		*max1 = args[1];
}

static void test_probe_each(void **state)
{
	struct flow_probe fp;
	uint64_t max1 = 0;
	bool sampled;
	size_t n;

	(void)state;
	flow_probe_init(&fp);
	flow_probe_collect(allow_prog, N(allow_prog), AUDIT_ARCH_X86_64, true, 16, &fp);
	calls = 0;
	n = flow_probe_each(&fp, AUDIT_ARCH_X86_64, 1000, count_call, &max1, &sampled);
	assert_false(sampled);
	assert_int_equal(n, fp.words[2].count); /* high word never loaded: 0 */
	assert_int_equal(calls, n);
	assert_int_equal(max1, 0xffffffff);

	/* Over budget: sampled, and exactly the budget is used. */
	fp.words[4].used = true;
	for (unsigned i = 0; i < 40; i++)
		fp.words[4].values[i] = i;
	fp.words[4].count = 40;
	fp.words[6].used = true;
	for (unsigned i = 0; i < 40; i++)
		fp.words[6].values[i] = i;
	fp.words[6].count = 40;
	calls = 0;
	n = flow_probe_each(&fp, AUDIT_ARCH_X86_64, 500, count_call, &max1, &sampled);
	assert_true(sampled);
	assert_int_equal(n, 500);
}

static struct tool_input raw_input(const char *name, const struct sock_filter *p, size_t n,
				   const struct sock_filter *deny, size_t ndeny)
{
	struct compile_opts o = { 0 };
	struct tool_input in;
	struct diag_list d;
	char why[128];

	diag_init(&d, 0);
	if (tool_input_from_bytes(&in, name, p, n * sizeof(*p), deny, ndeny * sizeof(*deny), &o, &d,
				  why, sizeof(why)))
		fail_msg("%s: %s", name, why);
	diag_free(&d);
	assert_int_equal(in.kind, TOOL_INPUT_RAW);
	return in;
}

static void test_report_cacheable(void **state)
{
	/* A deny program that checks ioctl's command, ALLOW otherwise. */
	static const struct sock_filter deny[] = {
		LD(4),
		JEQ(AUDIT_ARCH_X86_64, 0, 4),
		LD(0),
		JEQ(16, 0, 2),
		LD(24),
		JEQ(0x5412, 1, 0),
		RET(SECCOMP_RET_ALLOW),
		RET(SECCOMP_RET_ERRNO | EACCES),
	};
	static const struct sock_filter allow_all[] = {
		LD(4),
		JEQ(AUDIT_ARCH_X86_64, 0, 1),
		RET(SECCOMP_RET_ALLOW),
		RET(SECCOMP_RET_KILL_PROCESS),
	};
	struct tool_input in = raw_input("a.raw", allow_prog, N(allow_prog), NULL, 0);
	struct tool_input both = raw_input("b.raw", allow_all, N(allow_all), deny, N(deny));
	char why[96];

	(void)state;
	assert_true(report_cacheable(&in.blob, AUDIT_ARCH_X86_64, 257, why, sizeof(why)));
	assert_string_equal(why, "");
	assert_false(report_cacheable(&in.blob, AUDIT_ARCH_X86_64, 16, why, sizeof(why)));
	assert_string_equal(why, "the allow program checks args[1]");
	assert_false(report_cacheable(&in.blob, AUDIT_ARCH_X86_64, 1, why, sizeof(why)));
	assert_string_equal(why, "the allow program returns ERRNO(EPERM)");

	/* Every filter of the stack must be constant ALLOW. */
	assert_true(report_cacheable(&both.blob, AUDIT_ARCH_X86_64, 1, why, sizeof(why)));
	assert_false(report_cacheable(&both.blob, AUDIT_ARCH_X86_64, 16, why, sizeof(why)));
	assert_string_equal(why, "the deny program checks args[1]");
	tool_input_free(&in);
	tool_input_free(&both);
}

static char *diff_text(const struct tool_input *a, const struct tool_input *b, int *rc)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	*rc = diff_print(f, a, b);
	fclose(f);
	return text;
}

static void test_semdiff(void **state)
{
	/* Like allow_prog, but ioctl allows 0x5413 and 0x5414, and read (0). */
	static const struct sock_filter newer[] = {
		LD(4),			      /* 0 */
		JEQ(AUDIT_ARCH_X86_64, 1, 0), /* 1 -> 3 / 2 */
		JA(10),			      /* 2 -> 13 */
		LD(0),			      /* 3 */
		JEQ(257, 7, 0),		      /* 4 -> 12 */
		JEQ(0, 6, 0),		      /* 5 -> 12 */
		JEQ(16, 0, 4),		      /* 6 -> 7 / 11 */
		LD(24),			      /* 7 */
		AND(0xffff),		      /* 8 */
		JEQ(0x5413, 2, 0),	      /* 9 -> 12 */
		JEQ(0x5414, 1, 0),	      /* 10 -> 12 / 11 */
		RET(EPERM_RET),		      /* 11 */
		RET(SECCOMP_RET_ALLOW),	      /* 12 */
		RET(SECCOMP_RET_KILL_PROCESS) /* 13 */
	};
	struct tool_input a = raw_input("old.raw", allow_prog, N(allow_prog), NULL, 0);
	struct tool_input b = raw_input("new.raw", newer, N(newer), NULL, 0);
	char *t;
	int rc;

	(void)state;
	t = diff_text(&a, &a, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(t, "old.raw and old.raw are equivalent\n");
	free(t);

	t = diff_text(&a, &b, &rc);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(t, "x86_64: 2 syscalls changed\n"));
	assert_non_null(strstr(t, "\n  ERRNO(EPERM) -> ALLOW: read\n"));
	assert_non_null(strstr(t, "\n  ioctl: depends on the arguments (2 of "));
	assert_non_null(strstr(t, "\n    ioctl(0, 0x5414): ERRNO(EPERM) -> ALLOW\n"));
	assert_non_null(strstr(t, "\n    ioctl(0, 0xffff5414): ERRNO(EPERM) -> ALLOW\n"));
	free(t);

	/* And back: the same calls, the other way round. */
	t = diff_text(&b, &a, &rc);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(t, "\n  ALLOW -> ERRNO(EPERM): read\n"));
	assert_non_null(strstr(t, "\n    ioctl(0, 0x5414): ALLOW -> ERRNO(EPERM)\n"));
	free(t);
	tool_input_free(&a);
	tool_input_free(&b);
}

static int setup(void **state)
{
	(void)state;
	syscalls_init();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_const_emulation),
		cmocka_unit_test(test_const_emulation_edges),
		cmocka_unit_test(test_probe_values),
		cmocka_unit_test(test_probe_each),
		cmocka_unit_test(test_report_cacheable),
		cmocka_unit_test(test_semdiff),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
