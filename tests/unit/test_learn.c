// SPDX-License-Identifier: MIT
/*
 * Unit tests for the pure half of --learn (src/tools/learnout.c) and the
 * argument kind table it reads (src/compile/argkinds.c): records in, policy
 * lines out, each narrowed as the argument's kind says, named from the
 * constants table, merged or widened past the line limit, and always
 * parsing back.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "sysfence/compile/argkinds.h"
#include "sysfence/compile/argtypes.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/learn.h"

size_t argkinds_test_count(void);
const char *argkinds_test_name(size_t i);

#define X64 AUDIT_ARCH_X86_64
#define I386 AUDIT_ARCH_I386
#define EPERM_RET (SECCOMP_RET_ERRNO | EPERM)

static const uint32_t both[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 };

static void add(struct learn_log *l, uint32_t arch, uint32_t nr, uint64_t a0, uint64_t a1,
		uint64_t a2, uint64_t a3)
{
	const uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };

	learn_log_add(l, arch, nr, args, EPERM_RET);
}

/* The printed text (stdout), or NULL when learn_print failed. */
static char *print(const struct learn_log *l, const struct tool_input *pol, bool patch)
{
	struct learn_out o = {
		.pol = pol, .arches = both, .narches = 2, .as_patch = patch, .program = "prog"
	};
	char *text = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&text, &n);
	long rc;

	assert_non_null(out);
	rc = learn_print(out, NULL, l, &o);
	fclose(out);
	if (rc < 0) {
		free(text);
		return NULL;
	}
	return text;
}

static void test_socket_named(void **state)
{
	struct learn_log l;
	char *t;

	(void)state;
	learn_log_init(&l);
	/* socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) twice, AF_UNIX once */
	add(&l, X64, 41, 2, 0x80001, 0, 0);
	add(&l, X64, 41, 2, 0x80001, 0, 0);
	add(&l, X64, 41, 1, 1, 0, 0);
	t = print(&l, NULL, false);
	assert_non_null(t);
	assert_string_equal(t, "socket AF_UNIX SOCK_STREAM IPPROTO_IP # 1 call\n"
			       "socket AF_INET 0x80001 IPPROTO_IP # 2 calls; arg1 = "
			       "SOCK_STREAM|SOCK_CLOEXEC\n");
	assert_int_equal(l.calls, 3);
	assert_int_equal(l.n, 2);
	free(t);
	learn_log_free(&l);
}

static void test_pointers_fds_sizes(void **state)
{
	struct learn_log l;
	char *t;

	(void)state;
	learn_log_init(&l);
	/* read(3, buf, 10), read(5, other, 20): one bare line */
	add(&l, X64, 0, 3, 0x7ffd1000, 10, 0);
	add(&l, X64, 0, 5, 0x7ffd2000, 20, 0);
	/* openat(AT_FDCWD, path, O_RDONLY|O_CLOEXEC, 0): dirfd '-', flags named, mode octal */
	add(&l, X64, 257, 0xffffffffffffff9c, 0x5555, 0x80000, 0);
	add(&l, X64, 257, 3, 0x5556, 0x241, 0666);
	/* brk(ptr): pointers are not even recorded */
	add(&l, X64, 12, 0x1000, 0, 0, 0);
	add(&l, X64, 12, 0x2000, 0, 0, 0);
	t = print(&l, NULL, false);
	assert_non_null(t);
	assert_string_equal(t, "brk                             # 2 calls\n"
			       "openat - - 0x241 0666           # 1 call; arg2 = "
			       "O_WRONLY|O_TRUNC|O_CREAT\n"
			       "openat - - O_CLOEXEC 0          # 1 call\n"
			       "read                            # 2 calls\n");
	assert_int_equal(l.n, 5); /* the two brk calls are one record */
	free(t);
	learn_log_free(&l);
}

static void test_ids_negative_and_uid16(void **state)
{
	struct learn_log l;
	char *t;

	(void)state;
	learn_log_init(&l);
	/* setresuid(-1, 1000, -1) on x86_64 (32-bit ids) and on x86's 16-bit call */
	add(&l, X64, 117, 0xffffffff, 1000, 0xffffffff, 0);
	add(&l, I386, 164, 0xffff, 1000, 0xffff, 0);
	/* kill(pid, SIGTERM): the pid varies, the signal is named */
	add(&l, X64, 62, 1234, 15, 0, 0);
	add(&l, X64, 62, 1240, 15, 0, 0);
	t = print(&l, NULL, false);
	assert_non_null(t);
	assert_string_equal(t, "kill - SIGTERM                  # 2 calls\n"
			       "setresuid -1 1000 -1            # 2 calls (x86_64, x86)\n");
	free(t);
	learn_log_free(&l);
}

static void test_many_values_merged(void **state)
{
	struct learn_log l;
	char *t, *p;
	size_t lines = 0;

	(void)state;
	learn_log_init(&l);
	/* 20 flag combinations of mmap: a mask of the bits seen */
	for (uint64_t i = 0; i < 20; i++)
		add(&l, X64, 9, 0, 4096, 3, 0x22 | (i << 12));
	t = print(&l, NULL, false);
	assert_non_null(t);
	for (p = t; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 1);
	/* 0x22 | 0x1f000: every other bit of the 64 must be clear */
	assert_non_null(strstr(t, "mmap - - 0x3 0xfffffffffffe0fdd|0 "));
	assert_non_null(strstr(t, "arg3: no flags but "));
	free(t);
	learn_log_free(&l);

	/* 20 values of an enumeration: too many lines, the argument widened */
	learn_log_init(&l);
	for (uint64_t i = 1; i <= 20; i++)
		add(&l, X64, 13, i, 0, 0, 8); /* rt_sigaction(i, ...) */
	t = print(&l, NULL, false);
	assert_non_null(t);
	assert_string_equal(t, "rt_sigaction                    # 20 calls; arg0 left '-': more "
			       "than 16 combinations\n");
	free(t);
	learn_log_free(&l);
}

static void load(struct tool_input *in, const char *text)
{
	struct compile_opts o = { 0 };
	struct diag_list d;
	char why[128];

	memcpy(o.arches, both, sizeof(both));
	o.narches = 2;
	diag_init(&d, 0);
	if (tool_input_from_bytes(in, "p.policy", text, strlen(text), NULL, 0, &o, &d, why,
				  sizeof(why)))
		fail_msg("%s", why);
	diag_free(&d);
}

static void test_policy_narrows_more_and_patch(void **state)
{
	struct tool_input pol;
	struct learn_log l;
	char *t;

	(void)state;
	/* The policy compares write's descriptor: a learned write line must too. */
	load(&pol, "write 1\n~ptrace\n");
	learn_log_init(&l);
	add(&l, X64, 1, 2, 0x1000, 5, 0); /* write(2, ...) */
	add(&l, X64, 0, 3, 0x1000, 5, 0); /* read: no rule compares it */
	learn_log_add(&l, X64, 101, (const uint64_t[6]){ 0 }, SECCOMP_RET_ERRNO | EACCES);
	learn_log_add(&l, X64, 435, (const uint64_t[6]){ 0 }, SECCOMP_RET_ERRNO | ENOSYS);
	t = print(&l, &pol, false);
	assert_non_null(t);
	assert_string_equal(t,
			    "read                            # 1 call\n"
			    "write 2                         # 1 call\n"
			    "# ptrace: 1 call denied explicitly by p.policy:2 (answered EACCES): "
			    "not added\n"
			    "# clone3: 1 call answered ENOSYS by design (libc falls back to clone, "
			    "whose flags a policy can check): not added\n");
	free(t);
	t = print(&l, &pol, true);
	assert_non_null(t);
	assert_non_null(strstr(t,
			       "--- p.policy\n+++ p.policy\n@@ -1,2 +1,7 @@\n write 1\n"
			       " ~ptrace\n+# added by sysfence-compile --learn -- prog (4 calls)\n"
			       "+read "));
	free(t);
	learn_log_free(&l);
	tool_input_free(&pol);
}

static void test_launcher_calls(void **state)
{
	struct learn_log l;
	char *t;

	(void)state;
	learn_log_init(&l);
	learn_log_add_launcher(&l, X64, 1, (const uint64_t[6]){ 2 }, EPERM_RET);
	learn_log_add_launcher(&l, X64, 231, (const uint64_t[6]){ 126 }, EPERM_RET);
	add(&l, X64, 231, 0, 0, 0, 0); /* the program's own exit_group */
	t = print(&l, NULL, false);
	assert_non_null(t);
	assert_string_equal(t,
			    "exit_group                      # 1 call\n"
			    "write 2                         # sysfence-launch's error path after "
			    "loading the profile\n");
	free(t);
	/* A bare write of the program's own covers the launcher's write 2. */
	add(&l, X64, 1, 7, 0, 0, 0);
	t = print(&l, NULL, false);
	assert_non_null(t);
	assert_string_equal(t, "exit_group                      # 1 call\n"
			       "write                           # 1 call\n");
	free(t);
	learn_log_free(&l);
}

static void test_unknown_and_bounds(void **state)
{
	struct learn_log l;
	char *t;

	(void)state;
	learn_log_init(&l);
	add(&l, X64, 999, 0, 0, 0, 0);
	add(&l, 0xdeadbeef, 1, 0, 0, 0, 0);
	t = print(&l, NULL, false);
	assert_non_null(t);
	assert_string_equal(t,
			    "# syscall 999 on x86_64: 1 call; not a system call this compiler "
			    "knows (answered ENOSYS): not added\n"
			    "# arch 0xdeadbeef: 1 call of an architecture this compiler does not "
			    "support: not added\n");
	free(t);
	learn_log_free(&l);

	/* Past LEARN_MAX_RECORDS distinct calls, a wide record: never narrower. */
	learn_log_init(&l);
	for (uint64_t i = 0; i < LEARN_MAX_RECORDS + 10; i++)
		add(&l, X64, 62, 1, i, 0, 0); /* kill(1, i) */
	assert_int_equal(l.n, LEARN_MAX_RECORDS + 1);
	assert_int_equal(l.oom, 0);
	t = print(&l, NULL, false);
	assert_non_null(t);
	/* the narrowed lines were too many as well: one bare line in all */
	assert_non_null(
		strstr(t, "kill                            # 65546 calls; arg1 left '-': "));
	assert_non_null(strstr(t, "; not narrowed: more than 65536 distinct calls\n"));
	assert_ptr_equal(strchr(t, '\n'), t + strlen(t) - 1);
	free(t);
	learn_log_free(&l);
}

/* The table: sorted, every name a syscall, kinds that agree with widths. */
static void test_argkinds_table(void **state)
{
	size_t n = argkinds_test_count();

	(void)state;
	assert_true(n > 100);
	for (size_t i = 0; i < n; i++) {
		const char *name = argkinds_test_name(i);

		if (i)
			assert_true(strcmp(argkinds_test_name(i - 1), name) < 0);
		if (!syscalls_known_anywhere(name))
			fail_msg("%s: no syscall of that name", name);
		for (unsigned a = 0; a < 6; a++) {
			struct argkind_info k = argkinds_get(name, a);

			/* a pointer or size is never narrower than a register */
			if ((k.kind == ARGKIND_PTR) && argtypes_width(name, a) != 64)
				fail_msg("%s arg%u: a pointer of %u bits", name, a,
					 argtypes_width(name, a));
			if (k.kind == ARGKIND_ID && !argtypes_accepts_negative(name, a))
				fail_msg("%s arg%u: an id that does not take -1", name, a);
			if (k.kind == ARGKIND_MODE && argtypes_width(name, a) > 32)
				fail_msg("%s arg%u: a mode of 64 bits", name, a);
		}
	}
	assert_int_equal(argkinds_get("socket", 0).kind, ARGKIND_ENUM);
	assert_int_equal(argkinds_get("nosuchcall", 0).kind, ARGKIND_UNKNOWN);
	assert_int_equal(argkinds_get("read", 6).kind, ARGKIND_UNKNOWN);
	assert_true(argkinds_narrows(ARGKIND_FLAGS));
	assert_false(argkinds_narrows(ARGKIND_FD));
}

static int setup(void **state)
{
	(void)state;
	syscalls_init();
	/* The arch notes compare with the native architecture. */
	return syscalls_native_arch() == AUDIT_ARCH_X86_64 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_named),
		cmocka_unit_test(test_pointers_fds_sizes),
		cmocka_unit_test(test_ids_negative_and_uid16),
		cmocka_unit_test(test_many_values_merged),
		cmocka_unit_test(test_policy_narrows_more_and_patch),
		cmocka_unit_test(test_launcher_calls),
		cmocka_unit_test(test_unknown_and_bounds),
		cmocka_unit_test(test_argkinds_table),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
