// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/compile/argcount.c: how many argument registers each
 * syscall reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <seccomp.h>

/*
 * The module itself, so that the test reads its table (static there)
 * without a test hook in the product.  Nothing else of the compiler is
 * linked in, so its functions are defined here once.
 */
#include "../../src/compile/argcount.c"

static size_t argcount_test_count(void)
{
	return sizeof(argcount_table) / sizeof(argcount_table[0]);
}

static const char *argcount_test_name(size_t i)
{
	return i < argcount_test_count() ? argcount_table[i].name : NULL;
}

static void test_sorted_unique_and_found(void **state)
{
	size_t n = argcount_test_count();

	(void)state;
	assert_true(n > 300);
	for (size_t i = 0; i < n; i++) {
		const char *name = argcount_test_name(i);
		int nargs;

		assert_non_null(name);
		/* Strictly increasing: sorted for bsearch, and no duplicates. */
		if (i > 0 && strcmp(argcount_test_name(i - 1), name) >= 0)
			fail_msg("table out of order or duplicated at \"%s\" after \"%s\"", name,
				 argcount_test_name(i - 1));
		nargs = argcount_nargs(name);
		if (nargs < 0 || nargs > 6)
			fail_msg("%s: %d arguments", name, nargs);
	}
	assert_null(argcount_test_name(n));
}

static void test_known_counts(void **state)
{
	(void)state;
	assert_int_equal(argcount_nargs("getpid"), 0);
	assert_int_equal(argcount_nargs("write"), 3);
	assert_int_equal(argcount_nargs("ioctl"), 3);
	/* 4 registers on x86_64, 6 on arm (a padding register and two halves) */
	assert_int_equal(argcount_nargs("pread64"), 6);
	assert_int_equal(argcount_nargs("nosuchcall"), -1);
	assert_int_equal(argcount_nargs(""), -1);
}

/* Every x86_64 syscall libseccomp knows has a count. */
static void test_every_x86_64_call_is_listed(void **state)
{
	size_t missing = 0;

	(void)state;
	for (int nr = 0; nr < 1024; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);

		if (!name)
			continue;
		if (argcount_nargs(name) < 0) {
			print_error("no argument count for \"%s\"\n", name);
			missing++;
		}
		free(name);
	}
	assert_int_equal(missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_unique_and_found),
		cmocka_unit_test(test_known_counts),
		cmocka_unit_test(test_every_x86_64_call_is_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
