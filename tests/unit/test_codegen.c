// SPDX-License-Identifier: MIT
/*
 * Unit tests for the code generator (src/compile/codegen.c, block.c,
 * rangetree.c, emit.c) and the pipeline around it (compile.c): policies
 * compiled for x86_64 + x86 and run through the project's simulator the
 * way the kernel runs them (one program; a deny program would be stacked
 * under it with bpf_combine).  Checks the defaults of each mode,
 * ENOSYS for unknown numbers and an unmentioned clone3, KILL_PROCESS for
 * foreign architectures and x32, argument checks on the bits the kernel
 * reads, explicit denials, that unconditional allows never look at the
 * arguments (the kernel's action cache), BPF_MAXINSNS, and the identity and
 * source digest that batch mode relies on.
 *
 */
#include <errno.h>
#include <linux/audit.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/compile/abi.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/compile.h"
#include "sysfence/util.h"

#define X64 AUDIT_ARCH_X86_64
#define X86 AUDIT_ARCH_I386
#define X32_BIT 0x40000000u

#define ALLOW SECCOMP_RET_ALLOW
#define LOG SECCOMP_RET_LOG
#define KILL SECCOMP_RET_KILL_PROCESS
#define EPERM_ (SECCOMP_RET_ERRNO | EPERM)
#define EACCES_ (SECCOMP_RET_ERRNO | EACCES)
#define ENOSYS_ (SECCOMP_RET_ERRNO | ENOSYS)

/* x86_64 and x86 numbers used below (asm/unistd_64.h, asm/unistd_32.h). */
enum {
	X64_READ = 0,
	X64_IOCTL = 16,
	X64_GETPID = 39,
	X64_KILL = 62,
	X64_GETUID = 102,
	X64_GETGID = 104,
	X64_SETUID = 105,
	X64_GETPPID = 110,
	X64_LSEEK = 8,
	X64_MKNOD = 133,
	X64_CLONE3 = 435,
	X86_READ = 3,
	X86_GETPID = 20,
	X86_SETUID16 = 23,
	X86_GETUID16 = 24,
	X86_IOCTL = 54,
	X86_GETPPID = 64,
	X86_MMAP2 = 192,
	X86_SETUID32 = 213,
	X86_CLONE3 = 435,
};

struct compiled {
	struct blob b;
	struct diag_list d;
	int rc;
};

static void compile_arches(struct compiled *c, const char *src, const uint32_t *arches, size_t n)
{
	struct compile_opts o = { .narches = n };

	memcpy(o.arches, arches, n * sizeof(*arches));
	diag_init(&c->d, 0);
	c->rc = compile_policy(src, strlen(src), &o, &c->b, &c->d);
}

static void dump(const struct compiled *c)
{
	for (size_t i = 0; i < c->d.count; i++)
		print_message("    %u:%u: %s\n", c->d.items[i].line, c->d.items[i].col,
			      c->d.items[i].msg);
}

/* Compiles for x86_64 + x86; the policy must compile. */
static void compile_ok(struct compiled *c, const char *src)
{
	static const uint32_t arches[] = { X64, X86 };
	char why[128];

	compile_arches(c, src, arches, 2);
	if (c->rc) {
		dump(c);
		fail_msg("policy does not compile:\n%s", src);
	}
	if (c->b.mode != SF_MODE_UNRESTRICTED &&
	    bpf_check(c->b.allow.insns, c->b.allow.len, why, sizeof(why)))
		fail_msg("allow program fails bpf_check: %s", why);
	if (c->b.deny.len && bpf_check(c->b.deny.insns, c->b.deny.len, why, sizeof(why)))
		fail_msg("deny program fails bpf_check: %s", why);
}

static void compiled_free(struct compiled *c)
{
	blob_free(&c->b);
	diag_free(&c->d);
}

/* What the kernel does: both filters run, the most severe action wins. */
static uint32_t eval6(const struct blob *b, uint32_t arch, uint32_t nr, const uint64_t args[6])
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch };
	uint32_t allow, deny = ALLOW;

	memcpy(d.args, args, sizeof(d.args));
	allow = bpf_run(b->allow.insns, b->allow.len, &d, NULL);
	if (b->deny.len)
		deny = bpf_run(b->deny.insns, b->deny.len, &d, NULL);
	return bpf_combine(allow, deny);
}

static uint32_t eval(const struct blob *b, uint32_t arch, uint32_t nr, uint64_t a0, uint64_t a1)
{
	const uint64_t args[6] = { a0, a1, 0, 0, 0, 0 };

	return eval6(b, arch, nr, args);
}

#define expect_action(b, arch, nr, a0, a1, want)                                                   \
	do {                                                                                       \
		uint32_t got_ = eval(b, arch, nr, a0, a1);                                         \
		char g_[32], w_[32];                                                               \
		if (got_ != (uint32_t)(want))                                                      \
			fail_msg("arch 0x%x nr %u args 0x%llx 0x%llx: %s, wanted %s",              \
				 (unsigned)(arch), (unsigned)(nr), (unsigned long long)(a0),       \
				 (unsigned long long)(a1), bpf_action_name(got_, g_, 32),          \
				 bpf_action_name(want, w_, 32));                                   \
	} while (0)

/* ---- architecture and syscall tables ---- */

static void test_arches(void **state)
{
	uint32_t a[BLOB_MAX_ARCHES];

	(void)state;
	assert_int_equal(syscalls_native_arch(), X64);
	assert_int_equal(syscalls_default_arches(a, BLOB_MAX_ARCHES), 2);
	assert_int_equal(a[0], X64);
	assert_int_equal(a[1], X86);
	assert_int_equal(syscalls_default_arches(a, 1), 1);
	assert_int_equal(syscalls_default_arches(a, 0), 0);
	assert_int_equal(syscalls_arch_from_name("x86_64"), X64);
	assert_int_equal(syscalls_arch_from_name("amd64"), X64);
	assert_int_equal(syscalls_arch_from_name("x86"), X86);
	assert_int_equal(syscalls_arch_from_name("i386"), X86);
	assert_int_equal(syscalls_arch_from_name("i686"), X86);
	assert_int_equal(syscalls_arch_from_name("aarch64"), AUDIT_ARCH_AARCH64);
	assert_int_equal(syscalls_arch_from_name("arm64"), AUDIT_ARCH_AARCH64);
	assert_int_equal(syscalls_arch_from_name("arm"), AUDIT_ARCH_ARM);
	assert_int_equal(syscalls_arch_from_name("x32"), 0); /* refused: killed */
	assert_int_equal(syscalls_arch_from_name("X86_64"), 0);
	assert_int_equal(syscalls_arch_from_name(""), 0);
	assert_string_equal(syscalls_arch_name(X64), "x86_64");
	assert_string_equal(syscalls_arch_name(X86), "x86");
	assert_null(syscalls_arch_name(0x1234));
	assert_int_equal(abi_get(X64)->arg_bits, 64);
	assert_int_equal(abi_get(X86)->arg_bits, 32);
	assert_int_equal(abi_get(AUDIT_ARCH_ARM)->arg_bits, 32);
	assert_int_equal(abi_get(AUDIT_ARCH_AARCH64)->arg_bits, 64);
	assert_int_equal(abi_get(AUDIT_ARCH_MIPS64N32)->arg_bits, 32);
	assert_null(abi_get(0x1234));
}

static void test_syscall_names(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(syscalls_nr(X64, "read"), X64_READ);
	assert_int_equal(syscalls_nr(X86, "read"), X86_READ);
	assert_int_equal(syscalls_nr(X64, "getpid"), X64_GETPID);
	assert_int_equal(syscalls_nr(X86, "mmap2"), X86_MMAP2);
	assert_int_equal(syscalls_nr(X64, "mmap2"), -1);
	assert_int_equal(syscalls_nr(X64, "socketcall"), -1);
	assert_int_equal(syscalls_nr(X64, "no_such_call"), -1);
	assert_string_equal(syscalls_name(X64, X64_GETPPID, buf, sizeof(buf)), "getppid");
	assert_string_equal(syscalls_name(X86, X86_SETUID32, buf, sizeof(buf)), "setuid32");
	assert_null(syscalls_name(X64, 100000, buf, sizeof(buf)));
	assert_true(syscalls_known_anywhere("read"));
	assert_true(syscalls_known_anywhere("mmap2")); /* x86 only */
	assert_true(syscalls_known_anywhere("arm_fadvise64_64"));
	assert_false(syscalls_known_anywhere("readd"));
	assert_false(syscalls_known_anywhere(""));
	assert_string_equal(syscalls_suggest("raed", buf, sizeof(buf)), "read");
	assert_string_equal(syscalls_suggest("getppdi", buf, sizeof(buf)), "getppid");
	assert_string_equal(syscalls_suggest("OPENAT", buf, sizeof(buf)), "openat");
	assert_null(syscalls_suggest("zzzzzzzzzzzz", buf, sizeof(buf)));
	assert_string_equal(syscalls_library_version(), "2.5.4");
}

/* ---- modes and defaults ---- */

static void test_enforce_defaults(void **state)
{
	struct compiled c;

	(void)state;
	compile_ok(&c, "getpid\nread\nexecve\n");
	assert_int_equal(c.b.mode, SF_MODE_ENFORCE);
	assert_int_equal(c.b.narches, 2);
	assert_int_equal(c.b.deny.len, 0); /* no '~' rule: no deny program */
	assert_null(c.b.deny.insns);
	expect_action(&c.b, X64, X64_GETPID, 0, 0, ALLOW);
	expect_action(&c.b, X64, X64_READ, 0, 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 0, 0, EPERM_);
	expect_action(&c.b, X86, X86_GETPID, 0, 0, ALLOW);
	expect_action(&c.b, X86, X86_READ, 0, 0, ALLOW);
	expect_action(&c.b, X86, X86_GETPPID, 0, 0, EPERM_);
	/* Numbers the compiler does not know: ENOSYS, so libc falls back. */
	expect_action(&c.b, X64, 1000, 0, 0, ENOSYS_);
	expect_action(&c.b, X64, 335, 0, 0, ENOSYS_); /* the x86_64 gap 335..423 */
	expect_action(&c.b, X64, 0x3fffffff, 0, 0, ENOSYS_);
	expect_action(&c.b, X86, 5000, 0, 0, ENOSYS_);
	/* An unmentioned clone3: ENOSYS, so glibc uses clone. */
	expect_action(&c.b, X64, X64_CLONE3, 0, 0, ENOSYS_);
	expect_action(&c.b, X86, X86_CLONE3, 0, 0, ENOSYS_);
	/* x32 and foreign architectures are killed. */
	expect_action(&c.b, X64, X32_BIT | X64_GETPID, 0, 0, KILL);
	expect_action(&c.b, X64, X32_BIT | 1, 0, 0, KILL);
	expect_action(&c.b, AUDIT_ARCH_AARCH64, 172, 0, 0, KILL);
	expect_action(&c.b, AUDIT_ARCH_ARM, X86_GETPID, 0, 0, KILL);
	expect_action(&c.b, 0, 0, 0, 0, KILL);
	compiled_free(&c);
}

static void test_complain_and_unrestricted(void **state)
{
	struct compiled c;

	(void)state;
	compile_ok(&c, "getpid\n~getuid\n@complain\n");
	assert_int_equal(c.b.mode, SF_MODE_COMPLAIN);
	expect_action(&c.b, X64, X64_GETPID, 0, 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 0, 0, LOG);
	expect_action(&c.b, X86, X86_GETPPID, 0, 0, LOG);
	/* Explicit denials stay in force in complain mode. */
	expect_action(&c.b, X64, X64_GETUID, 0, 0, EACCES_);
	expect_action(&c.b, X86, X86_GETUID16, 0, 0, EACCES_);
	expect_action(&c.b, X64, 1000, 0, 0, ENOSYS_);
	expect_action(&c.b, X64, X64_CLONE3, 0, 0, ENOSYS_);
	expect_action(&c.b, X64, X32_BIT, 0, 0, KILL);
	compiled_free(&c);

	compile_ok(&c, "@complain\ngetpid\n~getuid\n@unrestricted\n");
	assert_int_equal(c.b.mode, SF_MODE_UNRESTRICTED);
	assert_int_equal(c.b.allow.len, 0);
	assert_int_equal(c.b.deny.len, 0);
	compiled_free(&c);
}

static void test_clone3(void **state)
{
	struct compiled c;

	(void)state;
	compile_ok(&c, "clone3\n");
	expect_action(&c.b, X64, X64_CLONE3, 0, 0, ALLOW);
	compiled_free(&c);
	compile_ok(&c, "clone3 0\n");
	expect_action(&c.b, X64, X64_CLONE3, 0, 0, ALLOW);
	/* Allowed only for some arguments: the rest is ENOSYS too (libc falls back). */
	expect_action(&c.b, X64, X64_CLONE3, 1, 0, ENOSYS_);
	compiled_free(&c);
	/* Denied explicitly: EACCES (and a warning, see check.c). */
	compile_ok(&c, "~clone3\n");
	expect_action(&c.b, X64, X64_CLONE3, 0, 0, EACCES_);
	assert_true(c.d.warnings >= 1);
	compiled_free(&c);
}

static void test_unknown_names_skipped(void **state)
{
	struct compiled c;

	(void)state;
	/* mmap2 exists on x86 only, arch_prctl on x86_64 only. */
	compile_ok(&c, "mmap2\narch_prctl\nno_such_call\ngetpid\n");
	expect_action(&c.b, X86, X86_MMAP2, 0, 0, ALLOW);
	expect_action(&c.b, X64, 158, 0, 0, ALLOW); /* arch_prctl */
	expect_action(&c.b, X86, 384, 0, 0, ALLOW); /* arch_prctl on x86 */
	expect_action(&c.b, X64, 9, 0, 0, EPERM_);  /* mmap */
	/* The unknown name is a warning with a line and column, not an error. */
	assert_int_equal(c.d.errors, 0);
	assert_int_equal(c.d.warnings, 2); /* no_such_call, and no execve */
	compiled_free(&c);
}

/* ---- arguments ---- */

static void test_argument_operators(void **state)
{
	struct compiled c;

	(void)state;
	/* getppid ignores its arguments: 64-bit compares on x86_64. */
	compile_ok(&c, "getppid 5\n"
		       "getppid 0x100000000\n"
		       "getppid >=0xfffffff000000000\n"
		       "getppid 7 !3\n"
		       "getppid 8 <10\n"
		       "getppid 9 |6\n"
		       "getppid 10 0xf0|0x30\n");
	expect_action(&c.b, X64, X64_GETPPID, 5, 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 4, 0, EPERM_);
	expect_action(&c.b, X64, X64_GETPPID, UINT64_C(0x100000005), 0, EPERM_);
	expect_action(&c.b, X64, X64_GETPPID, UINT64_C(0x100000000), 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 0, 0, EPERM_);
	expect_action(&c.b, X64, X64_GETPPID, UINT64_C(0xfffffff000000000), 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, UINT64_C(0xffffffefffffffff), 0, EPERM_);
	expect_action(&c.b, X64, X64_GETPPID, UINT64_MAX, 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 7, 4, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 7, 3, EPERM_);
	expect_action(&c.b, X64, X64_GETPPID, 7, UINT64_C(0x100000003), ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 8, 9, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 8, 10, EPERM_);
	expect_action(&c.b, X64, X64_GETPPID, 8, UINT64_C(0x100000001), EPERM_);
	expect_action(&c.b, X64, X64_GETPPID, 9, 0xfe, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 9, 0xfb, EPERM_);
	expect_action(&c.b, X64, X64_GETPPID, 10, 0x3f, ALLOW);
	expect_action(&c.b, X64, X64_GETPPID, 10, 0x7f, EPERM_);
	/* On x86 an argument has no upper half: 0x100000000 can never match. */
	expect_action(&c.b, X86, X86_GETPPID, 5, 0, ALLOW);
	expect_action(&c.b, X86, X86_GETPPID, 0, 0, EPERM_);
	compiled_free(&c);
}

static void test_32bit_arguments_ignore_upper_half(void **state)
{
	struct compiled c;

	(void)state;
	/* CVE-2019-7303: ioctl - !TIOCSTI bypassed with (1 << 32) | TIOCSTI. */
	compile_ok(&c, "ioctl - !TIOCSTI\nkill - <=15\n");
	expect_action(&c.b, X64, X64_IOCTL, 0, 0x5413, ALLOW);
	expect_action(&c.b, X64, X64_IOCTL, 0, 0x5412, EPERM_);
	expect_action(&c.b, X64, X64_IOCTL, 0, UINT64_C(0x100005412), EPERM_);
	expect_action(&c.b, X64, X64_IOCTL, 0, UINT64_C(0xffffffff00005412), EPERM_);
	expect_action(&c.b, X64, X64_IOCTL, UINT64_MAX, UINT64_C(0x100005413), ALLOW);
	expect_action(&c.b, X86, X86_IOCTL, 0, 0x5412, EPERM_);
	expect_action(&c.b, X64, X64_KILL, 1, 15, ALLOW);
	expect_action(&c.b, X64, X64_KILL, 1, 16, EPERM_);
	expect_action(&c.b, X64, X64_KILL, 1, UINT64_C(0x100000009), ALLOW);
	expect_action(&c.b, X64, X64_KILL, 1, UINT64_C(0x100000010), EPERM_);
	compiled_free(&c);
	/* The same for '~' rules. */
	compile_ok(&c, "ioctl\n~ioctl - TIOCSTI\n");
	expect_action(&c.b, X64, X64_IOCTL, 0, 0x5413, ALLOW);
	expect_action(&c.b, X64, X64_IOCTL, 0, UINT64_C(0x100005412), EACCES_);
	compiled_free(&c);
	/* 16 bits: mknod's mode. */
	compile_ok(&c, "mknod - |S_IFIFO\n");
	expect_action(&c.b, X64, X64_MKNOD, 0, UINT64_C(0xffffffffffff11a4), ALLOW);
	expect_action(&c.b, X64, X64_MKNOD, 0, UINT64_C(0x10000), EPERM_);
	compiled_free(&c);
}

static void test_negative_and_16bit_ids(void **state)
{
	struct compiled c;

	(void)state;
	compile_ok(&c, "setuid -1\nsetuid32 -1\nlseek - -1\n");
	expect_action(&c.b, X64, X64_SETUID, 0xffffffff, 0, ALLOW);
	expect_action(&c.b, X64, X64_SETUID, UINT64_MAX, 0, ALLOW);
	expect_action(&c.b, X64, X64_SETUID, 0xfffffffe, 0, EPERM_);
	expect_action(&c.b, X86, X86_SETUID32, 0xffffffff, 0, ALLOW);
	/* On x86 "setuid" is the 16-bit call: -1 is 0xffff there. */
	expect_action(&c.b, X86, X86_SETUID16, 0xffff, 0, ALLOW);
	expect_action(&c.b, X64, X64_LSEEK, 0, UINT64_MAX, ALLOW);
	expect_action(&c.b, X64, X64_LSEEK, 0, 0xffffffff, EPERM_);
	compiled_free(&c);
	/* The kernel truncates a 16-bit uid: 0x10000 is root on x86. */
	compile_ok(&c, "setuid !0\n");
	expect_action(&c.b, X86, X86_SETUID16, 1000, 0, ALLOW);
	expect_action(&c.b, X86, X86_SETUID16, 0, 0, EPERM_);
	expect_action(&c.b, X86, X86_SETUID16, 0x10000, 0, EPERM_);
	expect_action(&c.b, X64, X64_SETUID, UINT64_C(0x100000000), 0, EPERM_);
	expect_action(&c.b, X64, X64_SETUID, 0x10000, 0, ALLOW); /* 32-bit there */
	compiled_free(&c);
}

/* ---- explicit denials ---- */

static void test_explicit_denials(void **state)
{
	struct compiled c;

	(void)state;
	compile_ok(&c, "getpid\n~getpid 7\n~getuid\nkill\n~kill - 9\n");
	/* One program: the denials are tested first inside each syscall's checks. */
	assert_int_equal(c.b.deny.len, 0);
	expect_action(&c.b, X64, X64_GETPID, 8, 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPID, 7, 0, EACCES_);
	expect_action(&c.b, X64, X64_GETPID, UINT64_C(0x100000007), 0, ALLOW);
	expect_action(&c.b, X64, X64_GETUID, 0, 0, EACCES_);
	expect_action(&c.b, X64, X64_KILL, 1, 9, EACCES_);
	expect_action(&c.b, X64, X64_KILL, 1, UINT64_C(0x100000009), EACCES_);
	expect_action(&c.b, X64, X64_KILL, 1, 15, ALLOW);
	expect_action(&c.b, X86, X86_GETPID, 7, 0, EACCES_);
	expect_action(&c.b, X86, X86_GETUID16, 0, 0, EACCES_);
	/* Everything else as without the denials. */
	expect_action(&c.b, X64, X64_GETPPID, 0, 0, EPERM_);
	expect_action(&c.b, X64, 1000, 0, 0, ENOSYS_);
	compiled_free(&c);
}

static void test_explicit_denial_beside_conditional_allow(void **state)
{
	struct compiled c;

	(void)state;
	/*
	 * DESIGN.md: "~SYSCALL denies explicitly and wins over any allow ... so
	 * an explicit denial (EACCES) is told apart from an implicit one
	 * (EPERM)", also when an allow line names the same syscall with other
	 * arguments (both filters say ERRNO, and the kernel keeps the errno of
	 * the allow filter, attached last).
	 */
	compile_ok(&c, "getgid 6\n~getgid 5\n");
	expect_action(&c.b, X64, X64_GETGID, 6, 0, ALLOW);
	expect_action(&c.b, X64, X64_GETGID, 5, 0, EACCES_);
	expect_action(&c.b, X64, X64_GETGID, 4, 0, EPERM_);
	expect_action(&c.b, X86, 47 /* getgid */, 5, 0, EACCES_);
	compiled_free(&c);
	/* The same in complain mode, and with a range. */
	compile_ok(&c, "@complain\nioctl - TCGETS\n~ioctl - >=0x5412\n");
	expect_action(&c.b, X64, X64_IOCTL, 0, 0x5401, ALLOW);
	expect_action(&c.b, X64, X64_IOCTL, 0, 0x5412, EACCES_);
	expect_action(&c.b, X64, X64_IOCTL, 0, UINT64_C(0x100005413), EACCES_);
	expect_action(&c.b, X64, X64_IOCTL, 0, 0x5400, LOG);
	compiled_free(&c);
}

/* ---- the kernel's action cache ---- */

/*
 * Can the kernel decide (arch, nr) without the arguments?  The same
 * emulation as kernel/seccomp.c seccomp_is_const_allow(): run with only arch
 * and nr known; any other load means "no".
 */
static bool decidable(const struct sock_filter *p, size_t len, uint32_t arch, uint32_t nr,
		      uint32_t *action)
{
	uint32_t a = 0;
	size_t pc = 0;

	while (pc < len) {
		const struct sock_filter *i = &p[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k == BPF_OFF_NR)
				a = nr;
			else if (i->k == BPF_OFF_ARCH)
				a = arch;
			else
				return false;
			pc++;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			pc++;
			break;
		case BPF_JMP | BPF_JA:
			pc += 1 + i->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += 1 + (a == i->k ? i->jt : i->jf);
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += 1 + (a > i->k ? i->jt : i->jf);
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += 1 + (a >= i->k ? i->jt : i->jf);
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += 1 + ((a & i->k) ? i->jt : i->jf);
			break;
		case BPF_RET | BPF_K:
			*action = i->k;
			return true;
		default:
			return false;
		}
	}
	return false;
}

static void test_unconditional_allows_are_cacheable(void **state)
{
	struct compiled c;
	uint32_t act;

	(void)state;
	compile_ok(&c, "read\nwrite\ngetpid\nioctl - TCGETS\ngetppid 1\ngetppid\nexecve\n"
		       "mmap2\nkill - 0\n");
	/* Every number but those with argument rules decides on arch + nr. */
	for (uint32_t nr = 0; nr < 1100; nr++) {
		bool cond64 = nr == X64_IOCTL || nr == X64_KILL;
		bool cond32 = nr == X86_IOCTL || nr == 37 /* kill */;

		if (decidable(c.b.allow.insns, c.b.allow.len, X64, nr, &act) == cond64)
			fail_msg("x86_64 nr %u: decidable %d", nr, !cond64);
		if (decidable(c.b.allow.insns, c.b.allow.len, X86, nr, &act) == cond32)
			fail_msg("x86 nr %u: decidable %d", nr, !cond32);
	}
	/* getppid: one unconditional line makes the argument lines moot. */
	assert_true(decidable(c.b.allow.insns, c.b.allow.len, X64, X64_GETPPID, &act));
	assert_int_equal(act, ALLOW);
	assert_true(decidable(c.b.allow.insns, c.b.allow.len, X64, X64_READ, &act));
	assert_int_equal(act, ALLOW);
	assert_true(decidable(c.b.allow.insns, c.b.allow.len, X64, X64_GETUID, &act));
	assert_int_equal(act, EPERM_);
	compiled_free(&c);
}

static void test_duplicates_and_size(void **state)
{
	struct compiled c1, c2;
	size_t n = 5000;
	char *src = malloc(n * 16 + 16), *s = src;

	(void)state;
	assert_non_null(src);
	for (size_t i = 0; i < n; i++)
		s += sprintf(s, "getppid %zu\n", i % 3);
	strcpy(s, "execve\n");
	compile_ok(&c1, src);
	/* 5000 lines, three distinct rules: the same program as three lines. */
	compile_ok(&c2, "getppid 0\ngetppid 1\ngetppid 2\nexecve\n");
	assert_int_equal(c1.b.allow.len, c2.b.allow.len);
	assert_memory_equal(c1.b.allow.insns, c2.b.allow.insns,
			    c1.b.allow.len * sizeof(struct sock_filter));
	expect_action(&c1.b, X64, X64_GETPPID, 2, 0, ALLOW);
	expect_action(&c1.b, X64, X64_GETPPID, 3, 0, EPERM_);
	compiled_free(&c1);
	compiled_free(&c2);
	free(src);
}

static void test_too_many_instructions(void **state)
{
	static const uint32_t arches[] = { X64, X86 };
	struct compiled c;
	size_t n = 2000;
	char *src = malloc(n * 16 + 16), *s = src;
	bool named = false;

	(void)state;
	assert_non_null(src);
	for (size_t i = 0; i < n; i++)
		s += sprintf(s, "getppid %zu\n", i);
	strcpy(s, "execve\n");
	compile_arches(&c, src, arches, 2);
	assert_int_equal(c.rc, -1);
	assert_null(c.b.allow.insns);
	assert_null(c.b.deny.insns);
	/* The error names the limit and the syscall responsible (issue 11). */
	for (size_t i = 0; i < c.d.count; i++)
		if (c.d.items[i].level == DIAG_ERROR && strstr(c.d.items[i].msg, "BPF_MAXINSNS") &&
		    strstr(c.d.items[i].msg, "4096") &&
		    strstr(c.d.items[i].msg, "argument checks of getppid ("))
			named = true;
	if (!named) {
		dump(&c);
		fail_msg("no error naming BPF_MAXINSNS and getppid");
	}
	/* and a note at the first rule of it */
	named = false;
	for (size_t i = 0; i < c.d.count; i++)
		if (c.d.items[i].level == DIAG_NOTE && c.d.items[i].line == 1 &&
		    strstr(c.d.items[i].msg, "2000 distinct rules for getppid"))
			named = true;
	assert_true(named);
	compiled_free(&c);
	free(src);
}

/* ---- the program's shape (instruction counts are deterministic) ---- */

/* A file of the tree: from $SF_ROOT (the test runners set it), else ".". */
static char *read_text(const char *path)
{
	const char *root = getenv("SF_ROOT");
	char full[4096];
	FILE *f;
	char *buf;
	size_t n;

	snprintf(full, sizeof(full), "%s/%s", root ? root : ".", path);
	f = fopen(full, "r");
	if (!f)
		fail_msg("cannot read %s", full);
	buf = malloc(1 << 20);
	assert_non_null(buf);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Instructions a call runs through the program (the simulator's count). */
static unsigned steps(const struct blob *b, uint32_t arch, uint32_t nr, const uint64_t *args)
{
	struct seccomp_data d;
	unsigned n = 0;

	abi_seccomp_data(abi_get(arch), nr, args, &d);
	blob_verdict(b, &d, NULL, NULL, &n);
	return n;
}

/*
 * bench/app.policy, the typical two-architecture application policy of
 * `make bench`: one program of at most 380 instructions (issue 9), every
 * unconditionally allowed number decided from arch and nr alone (the
 * kernel's action cache), and no allowed x86_64 call past 14 instructions.
 */
static void test_typical_policy_shape(void **state)
{
	struct compiled c;
	char *src = read_text("bench/app.policy");
	struct policy pol;
	struct diag_list d;
	size_t count;
	const uint32_t *nrs = syscalls_numbers(X64, &count);
	unsigned worst = 0;

	(void)state;
	compile_ok(&c, src);
	assert_int_equal(c.b.deny.len, 0);
	if (c.b.allow.len > 380)
		fail_msg("bench/app.policy: %u instructions", c.b.allow.len);
	diag_init(&d, 4);
	assert_int_equal(policy_parse(src, strlen(src), NULL, &pol, &d), 0);
	for (size_t i = 0; i < count; i++) {
		struct abi_rule *list;
		long n = abi_rules_for(abi_get(X64), &pol, nrs[i], &list);
		uint32_t act;

		for (long k = 0; k < n; k++) {
			uint64_t args[6] = { 0 };
			struct seccomp_data sd;

			if (list[k].deny)
				continue;
			if (!list[k].ncond) {
				assert_true(decidable(c.b.allow.insns, c.b.allow.len, X64, nrs[i],
						      &act));
				assert_int_equal(act, ALLOW);
			}
			/* an argument vector the rule allows: each range's low end */
			for (unsigned q = 0; q < list[k].ncond; q++) {
				const struct abi_cond *cd = &list[k].cond[q];

				if (cd->kind == ABI_COND_RANGE)
					args[cd->arg] = cd->lo[0];
				else
					args[cd->arg] |= cd->value;
			}
			abi_seccomp_data(abi_get(X64), nrs[i], args, &sd);
			if (blob_verdict(&c.b, &sd, NULL, NULL, NULL) != ALLOW)
				continue;
			if (steps(&c.b, X64, nrs[i], args) > worst)
				worst = steps(&c.b, X64, nrs[i], args);
		}
		free(list);
	}
	if (worst > 14)
		fail_msg("an allowed x86_64 call runs %u instructions", worst);
	policy_free(&pol);
	diag_free(&d);
	compiled_free(&c);
	free(src);
}

/*
 * Argument checks far past 8-bit jumps: ioctl with 700 allowed commands,
 * kill with 300 pids, socketcall rules on x86.  Every value and its
 * neighbours must still get the rules' verdict (jumps through JA
 * trampolines, RETs copied where the shared ones are out of reach).
 */
static void test_long_jumps(void **state)
{
	struct compiled c;
	size_t cap = 64 * 1024;
	char *src = malloc(cap), *s = src;

	(void)state;
	assert_non_null(src);
	s += sprintf(s, "execve\nsocket\n~connect\n");
	for (unsigned i = 0; i < 700; i++)
		s += sprintf(s, "ioctl - %u\n", 3 * i + 7);
	for (unsigned i = 0; i < 300; i++)
		s += sprintf(s, "kill %u 0\n", 5 * i + 100);
	s += sprintf(s, "~ioctl - 1000\n");
	compile_ok(&c, src);
	assert_true(c.b.allow.len > 1200);
	for (uint32_t v = 0; v < 2200; v++) {
		bool allowed = v >= 7 && (v - 7) % 3 == 0 && (v - 7) / 3 < 700;

		expect_action(&c.b, X64, X64_IOCTL, 0, v,
			      v == 1000 ? EACCES_
			      : allowed ? ALLOW
					: EPERM_);
		expect_action(&c.b, X86, X86_IOCTL, 0, v,
			      v == 1000 ? EACCES_
			      : allowed ? ALLOW
					: EPERM_);
	}
	for (uint32_t p = 90; p < 1700; p++) {
		bool allowed = p >= 100 && (p - 100) % 5 == 0 && (p - 100) / 5 < 300;

		expect_action(&c.b, X64, X64_KILL, p, 0, allowed ? ALLOW : EPERM_);
		expect_action(&c.b, X64, X64_KILL, p, 9, EPERM_);
		expect_action(&c.b, X86, 37, p, 0, allowed ? ALLOW : EPERM_);
	}
	expect_action(&c.b, X86, 102 /* socketcall */, 1, 0, ALLOW);
	expect_action(&c.b, X86, 102, 3, 0, EACCES_);
	expect_action(&c.b, X86, 102, 4, 0, EPERM_);
	expect_action(&c.b, X64, 41 /* socket */, 0, 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPID, 0, 0, EPERM_);
	expect_action(&c.b, X64, 1000, 0, 0, ENOSYS_);
	compiled_free(&c);
	free(src);
}

static void test_other_arches(void **state)
{
	static const uint32_t arm[] = { AUDIT_ARCH_AARCH64, AUDIT_ARCH_ARM };
	static const uint32_t one[] = { X86 };
	static const uint32_t all[] = { X64,
					X86,
					AUDIT_ARCH_AARCH64,
					AUDIT_ARCH_ARM,
					AUDIT_ARCH_RISCV64,
					AUDIT_ARCH_PPC64LE,
					AUDIT_ARCH_MIPSEL,
					AUDIT_ARCH_MIPSEL64 };
	struct compiled c;

	(void)state;
	compile_arches(&c, "getpid\nexecve\n", arm, 2);
	assert_int_equal(c.rc, 0);
	expect_action(&c.b, AUDIT_ARCH_AARCH64, 172, 0, 0, ALLOW);
	expect_action(&c.b, AUDIT_ARCH_ARM, 20, 0, 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPID, 0, 0, KILL);
	compiled_free(&c);
	compile_arches(&c, "getpid\nexecve\n", one, 1);
	assert_int_equal(c.rc, 0);
	expect_action(&c.b, X86, X86_GETPID, 0, 0, ALLOW);
	expect_action(&c.b, X64, X64_GETPID, 0, 0, KILL);
	compiled_free(&c);
	/* A number: TIOCSTI is 0x5472 on MIPS, and the named constant is refused here. */
	compile_arches(&c, "getpid\nexecve\nioctl - 0x5412\n", all, ARRAY_SIZE(all));
	assert_int_equal(c.rc, 0);
	assert_int_equal(c.b.narches, ARRAY_SIZE(all));
	expect_action(&c.b, X64, X64_GETPID, 0, 0, ALLOW);
	expect_action(&c.b, AUDIT_ARCH_RISCV64, 172, 0, 0, ALLOW);
	expect_action(&c.b, AUDIT_ARCH_MIPSEL, 4020, 0, 0, ALLOW);
	expect_action(&c.b, AUDIT_ARCH_MIPSEL64, 5038, 0, 0, ALLOW);
	expect_action(&c.b, AUDIT_ARCH_MIPSEL64, 38, 0, 0, ENOSYS_);
	compiled_free(&c);
}

static void test_big_endian_arches(void **state)
{
	static const uint32_t be[] = { AUDIT_ARCH_S390X, AUDIT_ARCH_PPC64, AUDIT_ARCH_MIPS,
				       AUDIT_ARCH_PARISC64 };
	struct compiled c;

	(void)state;
	/*
	 * Cross-compiling for big-endian targets, alone and mixed with
	 * little-endian ones (libseccomp refused such a context, -EDOM): their
	 * semantics are test_abi's; here, that they compile.
	 */
	for (size_t i = 0; i < ARRAY_SIZE(be); i++) {
		compile_arches(&c, "getpid\nexecve\n", &be[i], 1);
		if (c.rc) {
			dump(&c);
			fail_msg("arch 0x%x does not compile", be[i]);
		}
		compiled_free(&c);
	}
	compile_arches(&c, "getpid\nexecve\n", be, 1);
	expect_action(&c.b, AUDIT_ARCH_S390X, 20, 0, 0, ALLOW);
	compiled_free(&c);
	{
		static const uint32_t mixed[] = { X64, AUDIT_ARCH_S390X };

		compile_arches(&c, "getpid\nexecve\n", mixed, 2);
		assert_int_equal(c.rc, 0);
		expect_action(&c.b, X64, X64_GETPID, 0, 0, ALLOW);
		expect_action(&c.b, AUDIT_ARCH_S390X, 20, 0, 0, ALLOW);
		expect_action(&c.b, AUDIT_ARCH_S390X, 21, 0, 0, EPERM_);
		compiled_free(&c);
	}
}

/* ---- identity and digests ---- */

static void test_identity(void **state)
{
	const char *id = compile_identity();
	char want[64];

	(void)state;
	snprintf(want, sizeof(want),
		 "sysfence-compile %s libseccomp=2.5.4 syscalls=", SYSFENCE_VERSION);
	assert_memory_equal(id, want, strlen(want));
	assert_non_null(strstr(id, " blob=2 "));
	assert_non_null(strstr(id, " features="));
	assert_null(strchr(id, '\n'));
	assert_ptr_equal(compile_identity(), id);
	assert_string_equal(compile_identity(), id);
}

/* The source digest of a policy that includes nothing. */
static void text_digest(const struct compile_opts *o, const char *src, size_t len,
			uint8_t out[DIGEST_SIZE])
{
	struct policy_sources s;
	struct diag_list d;

	diag_init(&d, 0);
	assert_int_equal(policy_sources_load("p.policy", src, len, NULL, &s, &d), 0);
	compile_source_digest(o, &s, out);
	policy_sources_free(&s);
	diag_free(&d);
}

static void test_source_digest(void **state)
{
	struct compile_opts o = { .arches = { X64, X86 }, .narches = 2 };
	struct compile_opts o1 = { .arches = { X64 }, .narches = 1 };
	struct compile_opts swapped = { .arches = { X86, X64 }, .narches = 2 };
	struct compile_opts strict = o;
	uint8_t a[DIGEST_SIZE], b[DIGEST_SIZE];
	struct compiled c;

	(void)state;
	strict.strict = true;
	text_digest(&o, "read\n", 5, a);
	text_digest(&o, "read\n", 5, b);
	assert_memory_equal(a, b, DIGEST_SIZE);
	text_digest(&o, "read \n", 6, b);
	assert_memory_not_equal(a, b, DIGEST_SIZE);
	text_digest(&o1, "read\n", 5, b);
	assert_memory_not_equal(a, b, DIGEST_SIZE);
	text_digest(&swapped, "read\n", 5, b);
	assert_memory_not_equal(a, b, DIGEST_SIZE);
	/* --strict changes no output byte: not part of the digest. */
	text_digest(&strict, "read\n", 5, b);
	assert_memory_equal(a, b, DIGEST_SIZE);
	/* The blob records it. */
	compile_ok(&c, "read\n");
	assert_memory_equal(c.b.source_digest, a, DIGEST_SIZE);
	assert_string_equal(c.b.compiler_version, SYSFENCE_VERSION);
	assert_string_equal(c.b.libseccomp_version, "2.5.4");
	compiled_free(&c);
}

static void test_deterministic(void **state)
{
	static const char src[] = "getpid\nioctl - TIOCSTI\n~kill - 9\nsetuid -1\nexecve\n";
	struct compiled c1, c2;
	uint8_t *b1, *b2;
	size_t l1, l2;

	(void)state;
	compile_ok(&c1, src);
	compile_ok(&c2, src);
	assert_int_equal(blob_serialize(&c1.b, &b1, &l1), BLOB_OK);
	assert_int_equal(blob_serialize(&c2.b, &b2, &l2), BLOB_OK);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	free(b1);
	free(b2);
	compiled_free(&c1);
	compiled_free(&c2);
}

/* ---- threads: batch mode compiles in parallel ---- */

struct compile_thread {
	int bad; /* blobs whose header differs from the first one's */
	char seen[BLOB_STRING_LEN];
};

static void *compile_many(void *arg)
{
	struct compile_thread *t = arg;
	struct compile_opts o = { .arches = { X64, X86 }, .narches = 2 };

	for (int i = 0; i < 300; i++) {
		struct blob b;
		struct diag_list d;

		diag_init(&d, 0);
		if (compile_policy("read\nexecve\n", 12, &o, &b, &d) ||
		    strcmp(b.libseccomp_version, "2.5.4")) {
			t->bad++;
			memcpy(t->seen, b.libseccomp_version, BLOB_STRING_LEN);
		}
		blob_free(&b);
		diag_free(&d);
	}
	return NULL;
}

static int hammer_stop;

static void *hammer_version(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&hammer_stop, __ATOMIC_RELAXED))
		(void)syscalls_library_version();
	return NULL;
}

static void test_parallel_compiles_agree(void **state)
{
	pthread_t th[4], hammer[2];
	struct compile_thread t[4];

	(void)state;
	/*
	 * syscalls_library_version() snprintf()s into one static buffer on
	 * every call, and glibc's vsnprintf starts by writing a NUL there: a
	 * worker copied "" into its blob while another one called it (seen as
	 * a blob with an empty libseccomp version in a -j 8 batch).  Other
	 * threads calling it all the time make the race likely.
	 */
	memset(t, 0, sizeof(t));
	(void)compile_identity(); /* as main() does before starting workers */
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&hammer[i], NULL, hammer_version, NULL), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, compile_many, &t[i]), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	__atomic_store_n(&hammer_stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 2; i++)
		pthread_join(hammer[i], NULL);
	for (int i = 0; i < 4; i++)
		if (t[i].bad)
			fail_msg("thread %d: %d blobs with libseccomp version '%s'", i, t[i].bad,
				 t[i].seen);
}

static void *version_many(void *arg)
{
	int *bad = arg;

	for (int i = 0; i < 200000; i++)
		if (strcmp(syscalls_library_version(), "2.5.4"))
			(*bad)++;
	return NULL;
}

static void test_library_version_thread_safe(void **state)
{
	pthread_t th[4];
	int bad[4] = { 0 };

	(void)state;
	/* syscalls_library_version() is read by concurrent batch workers. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, version_many, &bad[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

/* ---- errors through the pipeline ---- */

static bool has_error(const struct compiled *c, unsigned line, const char *msg)
{
	for (size_t i = 0; i < c->d.count; i++)
		if (c->d.items[i].level == DIAG_ERROR && c->d.items[i].line == line &&
		    strstr(c->d.items[i].msg, msg))
			return true;
	return false;
}

static void test_strict(void **state)
{
	static const uint32_t arches[] = { X64, X86 };
	struct compile_opts o = { .arches = { X64, X86 }, .narches = 2, .strict = true };
	struct compiled c;

	(void)state;
	compile_arches(&c, "execve\nreadd\n", arches, 2);
	assert_int_equal(c.rc, 0);
	assert_int_equal(c.d.errors, 0);
	assert_int_equal(c.d.warnings, 1);
	assert_non_null(
		strstr(c.d.items[0].msg,
		       "'readd' is not a system call on any architecture; did you mean 'read'?"));
	assert_int_equal(c.d.items[0].line, 2);
	assert_int_equal(c.d.items[0].col, 1);
	compiled_free(&c);

	diag_init(&c.d, 0);
	c.rc = compile_policy("execve\nreadd\n", 13, &o, &c.b, &c.d);
	assert_int_equal(c.rc, -1);
	assert_true(has_error(&c, 2, "'readd' is not a system call"));
	compiled_free(&c);
}

static void test_every_error_with_strict(void **state)
{
	struct compile_opts o = { .arches = { X64, X86 }, .narches = 2, .strict = true };
	struct compiled c;
	static const char src[] = "execve\nread !\nreadd\n";

	(void)state;
	/*
	 * "Every error in the file is reported in one run": with --strict an
	 * unknown syscall is an error, reported beside the parse errors.
	 */
	diag_init(&c.d, 0);
	c.rc = compile_policy(src, strlen(src), &o, &c.b, &c.d);
	assert_int_equal(c.rc, -1);
	assert_true(has_error(&c, 2, "expected a value after '!'"));
	if (!has_error(&c, 3, "'readd' is not a system call")) {
		dump(&c);
		fail_msg("the unknown syscall on line 3 is not reported");
	}
	compiled_free(&c);

	/* No warning about a half-parsed policy ("no rule allows execve"). */
	diag_init(&c.d, 0);
	c.rc = compile_policy("execve !\nreadd\n", 15, &o, &c.b, &c.d);
	assert_int_equal(c.rc, -1);
	assert_int_equal(c.d.errors, 2);
	assert_int_equal(c.d.warnings, 0);
	compiled_free(&c);

	/* Without --strict an unknown name is a warning: not reported then. */
	o.strict = false;
	diag_init(&c.d, 0);
	c.rc = compile_policy(src, strlen(src), &o, &c.b, &c.d);
	assert_int_equal(c.rc, -1);
	assert_int_equal(c.d.errors, 1);
	compiled_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arches),
		cmocka_unit_test(test_syscall_names),
		cmocka_unit_test(test_enforce_defaults),
		cmocka_unit_test(test_complain_and_unrestricted),
		cmocka_unit_test(test_clone3),
		cmocka_unit_test(test_unknown_names_skipped),
		cmocka_unit_test(test_argument_operators),
		cmocka_unit_test(test_32bit_arguments_ignore_upper_half),
		cmocka_unit_test(test_negative_and_16bit_ids),
		cmocka_unit_test(test_explicit_denials),
		cmocka_unit_test(test_explicit_denial_beside_conditional_allow),
		cmocka_unit_test(test_unconditional_allows_are_cacheable),
		cmocka_unit_test(test_duplicates_and_size),
		cmocka_unit_test(test_too_many_instructions),
		cmocka_unit_test(test_typical_policy_shape),
		cmocka_unit_test(test_long_jumps),
		cmocka_unit_test(test_other_arches),
		cmocka_unit_test(test_big_endian_arches),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_source_digest),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_parallel_compiles_agree),
		cmocka_unit_test(test_library_version_thread_safe),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_every_error_with_strict),
	};

	syscalls_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
