// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/lib/probe.c: the errno contract of each kernel
 * question, with injected answers (what old, new and hostile kernels say).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/lib/probe.h"

static void test_flag_log(void **state)
{
	(void)state;
	/* Flags are validated before the NULL program is copied. */
	assert_int_equal(probe_interpret_flag_log(-1, EFAULT), PROBE_YES);
	assert_int_equal(probe_interpret_flag_log(-1, EINVAL), PROBE_NO);
	assert_int_equal(probe_interpret_flag_log(-1, ENOSYS), PROBE_NOSYS);
	/* Anything else is outside the contract: fail closed. */
	assert_int_equal(probe_interpret_flag_log(-1, EPERM), PROBE_ERROR);
	assert_int_equal(probe_interpret_flag_log(-1, EACCES), PROBE_ERROR);
	assert_int_equal(probe_interpret_flag_log(-1, ENOMEM), PROBE_ERROR);
	assert_int_equal(probe_interpret_flag_log(-1, 0), PROBE_ERROR);
	assert_int_equal(probe_interpret_flag_log(0, 0), PROBE_ERROR);
	assert_int_equal(probe_interpret_flag_log(3, 0), PROBE_ERROR);
}

static void test_action_avail(void **state)
{
	(void)state;
	assert_int_equal(probe_interpret_action_avail(0, 0), PROBE_YES);
	assert_int_equal(probe_interpret_action_avail(-1, EOPNOTSUPP), PROBE_NO);
	/* Before 4.14 the operation itself is unknown. */
	assert_int_equal(probe_interpret_action_avail(-1, EINVAL), PROBE_NO);
	assert_int_equal(probe_interpret_action_avail(-1, ENOSYS), PROBE_NOSYS);
	assert_int_equal(probe_interpret_action_avail(-1, EPERM), PROBE_ERROR);
	assert_int_equal(probe_interpret_action_avail(-1, EFAULT), PROBE_ERROR);
	assert_int_equal(probe_interpret_action_avail(1, 0), PROBE_ERROR);
}

static void test_running_kernel(void **state)
{
	struct probe_features f;
	char why[128], avail[256];

	(void)state;
	/* Whatever this kernel is, the answers must be consistent. */
	assert_int_equal(probe_kernel(&f, PROBE_ASK_ALL, why, sizeof(why)), 0);
	if (!f.seccomp_syscall) {
		assert_false(f.filter_flag_log);
		assert_false(f.action_log);
	}
	if (probe_actions_avail(avail, sizeof(avail)) == 0)
		assert_true(f.action_log == (strstr(avail, "log") != NULL));
}

/* Only what is asked is answered; the rest stays false. */
static void test_only_what_is_asked(void **state)
{
	struct probe_features all, f;
	char why[128];

	(void)state;
	assert_int_equal(probe_kernel(&all, PROBE_ASK_ALL, why, sizeof(why)), 0);
	assert_int_equal(probe_kernel(&f, 0, why, sizeof(why)), 0);
	assert_false(f.seccomp_syscall || f.filter_flag_log || f.action_log ||
		     f.action_kill_process || f.action_errno);
	assert_int_equal(probe_kernel(&f, PROBE_ASK_FILTER, why, sizeof(why)), 0);
	assert_int_equal(f.seccomp_syscall, all.seccomp_syscall);
	assert_int_equal(f.filter_flag_log, all.filter_flag_log);
	assert_false(f.action_log || f.action_kill_process);
	assert_int_equal(
		probe_kernel(&f, PROBE_ASK_FILTER | PROBE_ASK_KILL_PROCESS, why, sizeof(why)), 0);
	assert_int_equal(f.action_kill_process, all.action_kill_process);
	assert_false(f.action_log);
	assert_int_equal(probe_kernel(&f, PROBE_ASK_FILTER | PROBE_ASK_LOG, why, sizeof(why)), 0);
	assert_int_equal(f.action_log, all.action_log);
	assert_false(f.action_kill_process);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flag_log),
		cmocka_unit_test(test_action_avail),
		cmocka_unit_test(test_running_kernel),
		cmocka_unit_test(test_only_what_is_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
