// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/tools/explain.c (--explain): verdicts from the
 * compiled programs, the deciding lines from the rules, the cross-check
 * between the two, the exit status and the printed text, on fixed
 * policies.
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
#include "sysfence/compile/constants.h"
#include "sysfence/tools/explain.h"
#include "sysfence/tools/input.h"

static const char policy_text[] = "# explain test policy\n"	       /* 1 */
				  "read\n"			       /* 2 */
				  "write\n"			       /* 3 */
				  "openat\n"			       /* 4 */
				  "ioctl - TIOCGWINSZ\n"	       /* 5 */
				  "~ioctl - TIOCSTI\n"		       /* 6 */
				  "socket AF_UNIX\n"		       /* 7 */
				  "socket AF_INET SOCK_STREAM\n"       /* 8 */
				  "~ptrace\n"			       /* 9 */
				  "  kill   -   0   # signal 0 only\n" /* 10 */
				  "execve\n";			       /* 11 */

static int no_user(void *ctx, const char *name, uint32_t *id)
{
	(void)ctx;
	(void)name;
	(void)id;
	return -1;
}

static const struct policy_resolver resolver = { no_user, no_user, NULL };

static void load(struct tool_input *in, const char *text)
{
	struct compile_opts o = { .resolver = &resolver };
	struct diag_list d;
	char why[256];

	o.arches[o.narches++] = AUDIT_ARCH_X86_64;
	o.arches[o.narches++] = AUDIT_ARCH_I386;
	diag_init(&d, 0);
	if (tool_input_from_bytes(in, "t.policy", text, strlen(text), NULL, 0, &o, &d, why,
				  sizeof(why)))
		fail_msg("policy does not load: %s (%s)", why, d.count ? d.items[0].msg : "");
	diag_free(&d);
	assert_int_equal(in->kind, TOOL_INPUT_POLICY);
}

static uint32_t nr_of(uint32_t arch, const char *name)
{
	int nr = syscalls_nr(arch, name);

	assert_true(nr >= 0);
	return (uint32_t)nr;
}

static uint64_t constant(const char *name)
{
	uint64_t v = 0;

	assert_true(constants_lookup(name, strlen(name), &v));
	return v;
}

/* Explains a call; args end with UINT64_MAX - 1 (a sentinel). */
static void explain(const struct tool_input *in, uint32_t arch, const char *name,
		    struct explain_result *r, unsigned nargs, ...)
{
	struct explain_call c = { .arch = arch, .nargs = nargs };
	va_list ap;

	c.nr = nr_of(arch, name);
	va_start(ap, nargs);
	for (unsigned i = 0; i < nargs; i++)
		c.args[i] = va_arg(ap, uint64_t);
	va_end(ap);
	explain_call(&in->blob, &in->pol, &c, r);
}

static unsigned line_of(const struct tool_input *in, const struct explain_rule_ref *ref)
{
	return in->pol.rules[ref->rule].line;
}

static void test_allowed_by_rule(void **state)
{
	struct tool_input in;
	struct explain_result r;

	(void)state;
	load(&in, policy_text);
	explain(&in, AUDIT_ARCH_X86_64, "read", &r, 0);
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_int_equal(r.reason, EXPLAIN_ALLOW_RULE);
	assert_int_equal(r.ndeciding, 1);
	assert_int_equal(line_of(&in, &r.deciding[0]), 2);
	assert_false(r.inconsistent);
	assert_int_equal(explain_exit_status(&r), 0);

	explain(&in, AUDIT_ARCH_X86_64, "ioctl", &r, 2, (uint64_t)1, constant("TIOCGWINSZ"));
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_int_equal(r.ndeciding, 1);
	assert_int_equal(line_of(&in, &r.deciding[0]), 5);
	assert_false(r.inconsistent);

	explain(&in, AUDIT_ARCH_X86_64, "socket", &r, 2, constant("AF_INET"),
		constant("SOCK_STREAM"));
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_int_equal(line_of(&in, &r.deciding[0]), 8);
	assert_false(r.inconsistent);
	tool_input_free(&in);
}

static void test_explicit_denial(void **state)
{
	struct tool_input in;
	struct explain_result r;

	(void)state;
	load(&in, policy_text);
	explain(&in, AUDIT_ARCH_X86_64, "ptrace", &r, 0);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(r.reason, EXPLAIN_DENY_RULE);
	assert_int_equal(r.ndeciding, 1);
	assert_int_equal(line_of(&in, &r.deciding[0]), 9);
	assert_false(r.inconsistent);
	assert_int_equal(explain_exit_status(&r), 1);
	tool_input_free(&in);

	/* An explicit denial wins over a matching allow rule. */
	load(&in, "ioctl\n~ioctl - TIOCSTI\nexecve\n");
	explain(&in, AUDIT_ARCH_X86_64, "ioctl", &r, 2, (uint64_t)0, constant("TIOCSTI"));
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EACCES);
	/* One program: the denial is tested first inside ioctl's checks. */
	assert_int_equal(in.blob.deny.len, 0);
	assert_int_equal(r.allow_ret, SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(line_of(&in, &r.deciding[0]), 2);
	assert_int_equal(r.noverridden, 1);
	assert_int_equal(line_of(&in, &r.overridden[0]), 1);
	assert_false(r.inconsistent);
	tool_input_free(&in);
}

/*
 * DESIGN.md: an explicit denial is EACCES, told apart from the default
 * EPERM, also when other rules allow the same syscall with other
 * arguments: the program tests the denials first inside the syscall's
 * checks; when it does not, explain reports EPERM and flags the
 * disagreement with the rules.
 */
/* Freed by the teardown, so a failed assertion does not leak it. */
static struct tool_input denial_input;

static int free_denial_input(void **state)
{
	(void)state;
	tool_input_free(&denial_input);
	return 0;
}

static void test_denial_beside_other_arguments(void **state)
{
	struct tool_input *in = &denial_input;
	struct explain_result r;

	(void)state;
	load(in, policy_text);
	explain(in, AUDIT_ARCH_X86_64, "ioctl", &r, 2, (uint64_t)1, constant("TIOCSTI"));
	assert_int_equal(r.allow_ret, SECCOMP_RET_ERRNO | EACCES);
	assert_false(r.inconsistent);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(r.reason, EXPLAIN_DENY_RULE);
	assert_int_equal(line_of(in, &r.deciding[0]), 6);
	assert_int_equal(r.noverridden, 0);
	/* Upper bits of the 32-bit command cannot smuggle TIOCSTI past it. */
	explain(in, AUDIT_ARCH_X86_64, "ioctl", &r, 2, (uint64_t)1,
		(uint64_t)1 << 32 | constant("TIOCSTI"));
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EACCES);
	explain(in, AUDIT_ARCH_I386, "ioctl", &r, 2, (uint64_t)1,
		(uint64_t)0xabc << 32 | constant("TIOCSTI"));
	assert_true(r.masked[1]);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EACCES);
}

static void test_default_with_near_misses(void **state)
{
	struct tool_input in;
	struct explain_result r;

	(void)state;
	load(&in, policy_text);
	explain(&in, AUDIT_ARCH_X86_64, "socket", &r, 1, constant("AF_INET"));
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EPERM);
	assert_int_equal(r.reason, EXPLAIN_DEFAULT);
	assert_int_equal(r.ndeciding, 0);
	assert_int_equal(r.nnear, 2);
	assert_int_equal(line_of(&in, &r.near[0]), 7);
	assert_int_equal(r.near[0].argno, 0);
	assert_int_equal(line_of(&in, &r.near[1]), 8);
	assert_int_equal(r.near[1].argno, 1);
	assert_int_equal(r.max_rule_args, 2);
	assert_false(r.inconsistent);
	assert_int_equal(explain_exit_status(&r), 1);

	explain(&in, AUDIT_ARCH_X86_64, "getpid", &r, 0);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EPERM);
	assert_int_equal(r.nnear, 0);
	tool_input_free(&in);
}

static void test_argument_width(void **state)
{
	struct tool_input in;
	struct explain_result r;

	(void)state;
	load(&in, policy_text);
	/* ioctl's cmd is an unsigned int: upper bits are not part of it. */
	explain(&in, AUDIT_ARCH_X86_64, "ioctl", &r, 2, (uint64_t)1,
		(uint64_t)1 << 32 | constant("TIOCGWINSZ"));
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_int_equal(line_of(&in, &r.deciding[0]), 5);
	assert_false(r.masked[1]);
	assert_false(r.inconsistent);
	/* On x86 the kernel hands the filter 32-bit registers. */
	explain(&in, AUDIT_ARCH_I386, "ioctl", &r, 2, (uint64_t)1,
		(uint64_t)0xabc << 32 | constant("TIOCGWINSZ"));
	assert_true(r.masked[1]);
	assert_false(r.masked[0]);
	assert_int_equal(r.seen[1], constant("TIOCGWINSZ"));
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_int_equal(line_of(&in, &r.deciding[0]), 5);
	assert_false(r.inconsistent);

	/* kill(-1, 0): pid -1 is any pid; signal 0 matches line 10. */
	explain(&in, AUDIT_ARCH_X86_64, "kill", &r, 2, (uint64_t)-1, (uint64_t)0);
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_int_equal(line_of(&in, &r.deciding[0]), 10);
	explain(&in, AUDIT_ARCH_X86_64, "kill", &r, 2, (uint64_t)1, (uint64_t)9);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EPERM);
	assert_int_equal(r.near[0].argno, 1);
	tool_input_free(&in);
}

static void test_enosys_and_kill(void **state)
{
	struct tool_input in;
	struct explain_result r;
	struct explain_call c = { .arch = AUDIT_ARCH_X86_64, .nr = 999 };

	(void)state;
	load(&in, policy_text);
	explain(&in, AUDIT_ARCH_X86_64, "clone3", &r, 0);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | ENOSYS);
	assert_int_equal(r.reason, EXPLAIN_CLONE3);
	assert_false(r.inconsistent);

	explain_call(&in.blob, &in.pol, &c, &r);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | ENOSYS);
	assert_int_equal(r.reason, EXPLAIN_UNKNOWN_NR);

	c.nr = 0x40000000u | 1; /* x32 write */
	explain_call(&in.blob, &in.pol, &c, &r);
	assert_int_equal(r.action, SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(r.reason, EXPLAIN_X32);

	explain(&in, AUDIT_ARCH_AARCH64, "read", &r, 0);
	assert_int_equal(r.action, SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(r.reason, EXPLAIN_BAD_ARCH);
	assert_int_equal(explain_exit_status(&r), 1);
	tool_input_free(&in);
}

static void test_modes(void **state)
{
	struct tool_input in;
	struct explain_result r;

	(void)state;
	load(&in, "read\n@complain\n~ptrace\n");
	explain(&in, AUDIT_ARCH_X86_64, "getpid", &r, 0);
	assert_int_equal(r.action, SECCOMP_RET_LOG);
	assert_int_equal(r.reason, EXPLAIN_DEFAULT);
	assert_int_equal(explain_exit_status(&r), 0);
	/* Explicit denials stay in force in complain mode. */
	explain(&in, AUDIT_ARCH_X86_64, "ptrace", &r, 0);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(explain_exit_status(&r), 1);
	tool_input_free(&in);

	load(&in, "@unrestricted\nread\n");
	explain(&in, AUDIT_ARCH_X86_64, "ptrace", &r, 0);
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_int_equal(r.reason, EXPLAIN_UNRESTRICTED);
	assert_int_equal(explain_exit_status(&r), 0);
	tool_input_free(&in);
}

static char *print(const struct tool_input *in, const char *name, uint32_t arch, unsigned nargs,
		   const uint64_t *args)
{
	struct explain_call c = { .arch = arch, .nargs = nargs };
	struct explain_result r;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	c.nr = nr_of(arch, name);
	memcpy(c.args, args, nargs * sizeof(*args));
	explain_call(&in->blob, in->kind == TOOL_INPUT_POLICY ? &in->pol : NULL, &c, &r);
	explain_print(f, in, name, &c, &r);
	fclose(f);
	return text;
}

/*
 * The ABI's own reading (issue 9): explain gives the kernel's verdict for
 * multiplexed calls, 16-bit ids, negative values on 32-bit ABIs and
 * big-endian layouts, names the deciding lines, and never reports a
 * disagreement for a correct decision.
 */
static void test_abi_cases(void **state)
{
	static const char text[] = "socket AF_UNIX\n"	   /* 1 */
				   "ipc\n"		   /* 2 */
				   "~shmget\n"		   /* 3 */
				   "setuid 0xffff1234\n"   /* 4 */
				   "setuid32 0xffff1234\n" /* 5 */
				   "~lseek - -1\n"	   /* 6 */
				   "lseek\n"		   /* 7 */
				   "execve\n";		   /* 8 */
	struct tool_input in;
	struct explain_result r;

	(void)state;
	load(&in, text);
	/* socketcall(SYS_SOCKET): the condition cannot be checked there */
	explain(&in, AUDIT_ARCH_I386, "socketcall", &r, 2, (uint64_t)1, (uint64_t)0);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EPERM);
	assert_int_equal(r.reason, EXPLAIN_DEFAULT);
	assert_false(r.inconsistent);
	assert_string_equal(r.mux_call, "socket");
	assert_int_equal(r.nnear, 1);
	assert_int_equal(r.near[0].argno, EXPLAIN_NEAR_MUX);
	/* ipc(0x10017) is shmget (version 1): denied, by line 3 */
	explain(&in, AUDIT_ARCH_I386, "ipc", &r, 1, (uint64_t)0x10017);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(r.reason, EXPLAIN_DENY_RULE);
	assert_int_equal(line_of(&in, &r.deciding[0]), 3);
	assert_int_equal(r.noverridden, 1);
	assert_false(r.inconsistent);
	/* the 16-bit setuid: 0xffff1234 is no 16-bit uid */
	explain(&in, AUDIT_ARCH_I386, "setuid", &r, 1, (uint64_t)0x1234);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EPERM);
	assert_false(r.inconsistent);
	explain(&in, AUDIT_ARCH_I386, "setuid32", &r, 1, (uint64_t)0xffff1234);
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_int_equal(line_of(&in, &r.deciding[0]), 5);
	assert_false(r.inconsistent);
	/* -1 is 0xffffffff on i386 */
	explain(&in, AUDIT_ARCH_I386, "lseek", &r, 2, (uint64_t)3, (uint64_t)0xffffffff);
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(line_of(&in, &r.deciding[0]), 6);
	assert_false(r.inconsistent);
	explain(&in, AUDIT_ARCH_X86_64, "lseek", &r, 2, (uint64_t)3, (uint64_t)0xffffffff);
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_false(r.inconsistent);
	tool_input_free(&in);
}

/* A big-endian target: the simulator lays the arguments out as its kernel. */
static void test_big_endian(void **state)
{
	struct compile_opts o = { .resolver = &resolver };
	static const char text[] = "kill - 9\nioctl - - 0x100000002\nexecve\n";
	struct tool_input in;
	struct explain_result r;
	struct diag_list d;
	char why[256];

	(void)state;
	o.arches[o.narches++] = AUDIT_ARCH_S390X;
	diag_init(&d, 0);
	assert_int_equal(tool_input_from_bytes(&in, "be.policy", text, strlen(text), NULL, 0, &o,
					       &d, why, sizeof(why)),
			 0);
	diag_free(&d);
	explain(&in, AUDIT_ARCH_S390X, "kill", &r, 2, (uint64_t)1, (uint64_t)9);
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	assert_false(r.inconsistent);
	explain(&in, AUDIT_ARCH_S390X, "kill", &r, 2, (uint64_t)1, UINT64_C(0x900000000));
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EPERM);
	explain(&in, AUDIT_ARCH_S390X, "ioctl", &r, 3, (uint64_t)0, (uint64_t)0,
		UINT64_C(0x100000002));
	assert_int_equal(r.action, SECCOMP_RET_ALLOW);
	explain(&in, AUDIT_ARCH_S390X, "ioctl", &r, 3, (uint64_t)0, (uint64_t)0,
		UINT64_C(0x200000001));
	assert_int_equal(r.action, SECCOMP_RET_ERRNO | EPERM);
	assert_false(r.inconsistent);
	tool_input_free(&in);
}

static void test_printed_text(void **state)
{
	struct tool_input in;
	uint64_t a[2] = { 1, 0 };
	char *t;

	(void)state;
	load(&in, policy_text);
	t = print(&in, "ptrace", AUDIT_ARCH_X86_64, 0, a);
	/* First the verdict, then the deciding line, FILE:LINE: text. */
	assert_ptr_equal(strstr(t, "ptrace() on x86_64: ERRNO(EACCES)\nt.policy:9: ~ptrace\n"), t);
	free(t);
	a[1] = constant("TIOCGWINSZ");
	t = print(&in, "ioctl", AUDIT_ARCH_X86_64, 2, a);
	assert_non_null(
		strstr(t, "ioctl(1, 0x5413) on x86_64: ALLOW\nt.policy:5: ioctl - TIOCGWINSZ\n"));
	assert_null(strstr(t, "warning"));
	free(t);

	/* Leading blanks and trailing comments: the line as written, trimmed. */
	a[0] = 5;
	a[1] = 0;
	t = print(&in, "kill", AUDIT_ARCH_X86_64, 2, a);
	assert_non_null(strstr(
		t, "kill(5, 0) on x86_64: ALLOW\nt.policy:10: kill   -   0   # signal 0 only\n"));
	free(t);

	a[0] = constant("AF_INET");
	t = print(&in, "socket", AUDIT_ARCH_X86_64, 1, a);
	assert_non_null(strstr(
		t, "socket(2) on x86_64: ERRNO(EPERM)\nno rule allows it (default action)\n"));
	assert_non_null(
		strstr(t, "note: t.policy:7: socket AF_UNIX (argument 0 does not match)\n"));
	assert_non_null(strstr(t, "note: rules check 2 arguments; the ones not given are 0\n"));
	free(t);

	a[0] = 0;
	a[1] = (uint64_t)7 << 32 | 0x5413;
	t = print(&in, "ioctl", AUDIT_ARCH_I386, 2, a);
	assert_non_null(
		strstr(t, "note: x86 passes 32-bit arguments: argument 1 is seen as 0x5413\n"));
	free(t);
	tool_input_free(&in);
}

static void test_blob_has_no_lines(void **state)
{
	struct tool_input in, bin;
	uint8_t *buf;
	size_t len;
	char why[128], *t;
	struct diag_list d;
	struct compile_opts o = { .resolver = &resolver };
	uint64_t none = 0;

	(void)state;
	load(&in, policy_text);
	assert_int_equal(blob_serialize(&in.blob, &buf, &len), BLOB_OK);
	diag_init(&d, 0);
	assert_int_equal(
		tool_input_from_bytes(&bin, "t.bin", buf, len, NULL, 0, &o, &d, why, sizeof(why)),
		0);
	diag_free(&d);
	assert_int_equal(bin.kind, TOOL_INPUT_BLOB);
	t = print(&bin, "ptrace", AUDIT_ARCH_X86_64, 0, &none);
	assert_non_null(strstr(t, "ptrace() on x86_64: ERRNO(EACCES)\n"
				  "denied by an explicit '~' rule (a compiled profile keeps no "
				  "source lines"));
	free(t);
	free(buf);
	tool_input_free(&bin);
	tool_input_free(&in);
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
		cmocka_unit_test(test_allowed_by_rule),
		cmocka_unit_test(test_explicit_denial),
		cmocka_unit_test_teardown(test_denial_beside_other_arguments, free_denial_input),
		cmocka_unit_test(test_default_with_near_misses),
		cmocka_unit_test(test_argument_width),
		cmocka_unit_test(test_enosys_and_kill),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_abi_cases),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_printed_text),
		cmocka_unit_test(test_blob_has_no_lines),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
