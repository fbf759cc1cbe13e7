// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/tools/disasm.c (--disasm): the exact text for a
 * fixed hand-written program, and the structure (every label used is
 * defined, syscall names in comments, header fields) for compiled ones.
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
#include "sysfence/tools/disasm.h"
#include "sysfence/tools/input.h"

#define LD(k) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, k)
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, t, f)
#define RET(k) BPF_STMT(BPF_RET | BPF_K, k)

static const struct sock_filter fixed[] = {
	LD(4),					     /* 0 */
	JEQ(AUDIT_ARCH_X86_64, 1, 0),		     /* 1 -> L3, L2 */
	BPF_STMT(BPF_JMP | BPF_JA, 8),		     /* 2 -> L11 */
	LD(0),					     /* 3 */
	JEQ(257, 4, 0),				     /* 4 openat -> L9, L5 */
	JEQ(16, 0, 4),				     /* 5 ioctl -> L6, L10 */
	LD(24),					     /* 6 args[1].lo */
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xffff), /* 7 */
	JEQ(0x5413, 0, 1),			     /* 8 -> L9, L10 */
	RET(SECCOMP_RET_ALLOW),			     /* 9 */
	RET(SECCOMP_RET_ERRNO | EPERM),		     /* 10 */
	RET(SECCOMP_RET_KILL_PROCESS),		     /* 11 */
};

static const char fixed_text[] = "           0  ld    [arch]\n"
				 "           1  jeq   #0xc000003e, L3, L2            ; x86_64\n"
				 "L2:        2  ja    L11\n"
				 "L3:        3  ld    [nr]\n"
				 "           4  jeq   #257, L9, L5                   ; openat\n"
				 "L5:        5  jeq   #16, L6, L10                   ; ioctl\n"
				 "L6:        6  ld    [args[1].lo]\n"
				 "           7  and   #0xffff\n"
				 "           8  jeq   #0x5413, L9, L10\n"
				 "L9:        9  ret   ALLOW\n"
				 "L10:      10  ret   ERRNO(EPERM)\n"
				 "L11:      11  ret   KILL_PROCESS\n";

static char *disasm_text(const struct sock_filter *p, size_t len)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	disasm_program(f, p, len);
	fclose(f);
	return text;
}

static void test_fixed_program(void **state)
{
	char *t = disasm_text(fixed, sizeof(fixed) / sizeof(fixed[0]));

	(void)state;
	assert_string_equal(t, fixed_text);
	free(t);
}

static void test_arch_unknown_means_no_names(void **state)
{
	/* Two architectures meet at the same nr check: no name is right. */
	static const struct sock_filter p[] = {
		LD(4),
		JEQ(AUDIT_ARCH_X86_64, 1, 0),
		JEQ(AUDIT_ARCH_I386, 0, 3),
		LD(0),
		JEQ(5, 0, 1), /* fstat on x86_64, open on x86 */
		RET(SECCOMP_RET_ALLOW),
		RET(SECCOMP_RET_ERRNO | EPERM),
	};
	char *t = disasm_text(p, sizeof(p) / sizeof(p[0]));

	(void)state;
	assert_non_null(strstr(t, "jeq   #5, L5, L6\n"));
	assert_null(strstr(t, "fstat"));
	assert_null(strstr(t, "; open"));
	assert_non_null(strstr(t, "; x86\n"));
	free(t);
}

static void test_odd_instructions(void **state)
{
	/* Not what sysfence emits, but a raw file may hold anything. */
	static const struct sock_filter p[] = {
		LD(4),
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		LD(8),
		LD(60),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80, 0, 0),
		RET(SECCOMP_RET_TRACE | 7),
		RET(0x12345678),
	};
	char *t = disasm_text(p, sizeof(p) / sizeof(p[0]));

	(void)state;
	assert_non_null(strstr(t, "code=0x0080"));
	assert_non_null(strstr(t, "ld    [ip]\n"));
	assert_non_null(strstr(t, "ld    [args[5]+4]\n"));
	assert_non_null(strstr(t, "jset  #128, L5, L5\n"));
	assert_non_null(strstr(t, "ret   TRACE(7)\n"));
	assert_non_null(strstr(t, "UNKNOWN(0x12345678)"));
	free(t);
}

static void load(struct tool_input *in, const char *name, const void *buf, size_t len,
		 const void *deny, size_t denylen)
{
	struct compile_opts o = { 0 };
	struct diag_list d;
	char why[256];

	o.arches[o.narches++] = AUDIT_ARCH_X86_64;
	o.arches[o.narches++] = AUDIT_ARCH_I386;
	diag_init(&d, 0);
	if (tool_input_from_bytes(in, name, buf, len, deny, denylen, &o, &d, why, sizeof(why)))
		fail_msg("cannot load %s: %s", name, why);
	diag_free(&d);
}

/* Every "L<n>" used as an operand is defined as a label. */
static void check_labels(const char *t)
{
	for (const char *p = t; (p = strchr(p, 'L'));) {
		unsigned n;
		char def[32];

		if (sscanf(p, "L%u", &n) == 1 && p > t && (p[-1] == ' ' || p[-1] == ',')) {
			snprintf(def, sizeof(def), "\nL%u:", n);
			if (!strstr(t, def))
				fail_msg("label L%u used but not defined", n);
		}
		p++;
	}
}

static void test_compiled_policy(void **state)
{
	static const char pol[] = "read\nopenat\n~ptrace\nexecve\n";
	struct tool_input in;
	char *text = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	load(&in, "p.policy", pol, strlen(pol), NULL, 0);
	f = open_memstream(&text, &n);
	assert_non_null(f);
	disasm_input(f, &in);
	fclose(f);
	assert_non_null(strstr(text, "policy:        p.policy (compiled now, not written)\n"));
	assert_non_null(strstr(text, "mode:          enforce\n"));
	assert_non_null(strstr(text, "architectures: x86_64 (0xc000003e), x86 (0x40000003)\n"));
	assert_non_null(strstr(text, "\ndeny program: "));
	assert_non_null(strstr(text, "\nallow program: "));
	assert_non_null(strstr(text, "; openat\n"));
	assert_non_null(strstr(text, "; ptrace\n"));
	/* x86's numbering is used in its own section: read is 3 there. */
	assert_non_null(strstr(text, "#3, L"));
	assert_non_null(strstr(text, "ret   ERRNO(EACCES)\n"));
	assert_non_null(strstr(text, "ret   ERRNO(ENOSYS)\n"));
	check_labels(text);
	free(text);
	tool_input_free(&in);
}

static void test_blob_and_raw(void **state)
{
	static const char pol[] = "read\n@complain\n";
	struct tool_input in, blob, raw;
	uint8_t *buf;
	size_t len, n = 0;
	char *text = NULL;
	FILE *f;

	(void)state;
	load(&in, "c.policy", pol, strlen(pol), NULL, 0);
	assert_int_equal(blob_serialize(&in.blob, &buf, &len), BLOB_OK);
	load(&blob, "c.bin", buf, len, NULL, 0);
	assert_int_equal(blob.kind, TOOL_INPUT_BLOB);
	f = open_memstream(&text, &n);
	disasm_input(f, &blob);
	fclose(f);
	assert_non_null(strstr(text,
			       "profile:       c.bin\nformat:        sysfence blob version 2\n"
			       "mode:          complain\n"));
	assert_non_null(strstr(text, " (verified)\n"));
	assert_non_null(
		strstr(text, "bound to:      no program (always loaded with no_new_privs)\n"));
	assert_non_null(strstr(text, "deny program: none"));
	assert_non_null(strstr(text, "(default LOG)"));
	assert_non_null(strstr(text, "ret   LOG\n"));
	free(text);

	/* Bindings are listed, one line each. */
	assert_int_equal(blob_add_binding(&blob.blob, "/usr/bin/true"), BLOB_OK);
	assert_int_equal(blob_add_binding(&blob.blob, "/usr/lib/x/helper"), BLOB_OK);
	text = NULL;
	f = open_memstream(&text, &n);
	disasm_input(f, &blob);
	fclose(f);
	assert_non_null(
		strstr(text, "bound to:      /usr/bin/true\nbound to:      /usr/lib/x/helper\n"));
	free(text);

	load(&raw, "c.raw", in.blob.allow.insns, in.blob.allow.len * sizeof(struct sock_filter),
	     NULL, 0);
	assert_int_equal(raw.kind, TOOL_INPUT_RAW);
	assert_int_equal(raw.blob.narches, 2);
	assert_int_equal(raw.blob.arches[1], AUDIT_ARCH_I386);
	text = NULL;
	f = open_memstream(&text, &n);
	disasm_input(f, &raw);
	fclose(f);
	assert_non_null(strstr(text, "raw program:   c.raw (struct sock_filter[], no header)\n"
				     "check:         passes\n"));
	check_labels(text);
	free(text);

	/* A raw program that fails the check is still shown, with why. */
	tool_input_free(&raw);
	load(&raw, "bad.raw", fixed, 4 * sizeof(fixed[0]), NULL, 0);
	text = NULL;
	f = open_memstream(&text, &n);
	disasm_input(f, &raw);
	fclose(f);
	assert_non_null(strstr(text, "check:         FAILS: "));
	assert_non_null(strstr(text, "ld    [nr]\n"));
	free(text);

	free(buf);
	tool_input_free(&raw);
	tool_input_free(&blob);
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
		cmocka_unit_test(test_fixed_program),
		cmocka_unit_test(test_arch_unknown_means_no_names),
		cmocka_unit_test(test_odd_instructions),
		cmocka_unit_test(test_compiled_policy),
		cmocka_unit_test(test_blob_and_raw),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
