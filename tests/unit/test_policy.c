// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/compile/policy.c, where parsed rules live (issue 15):
 * the compact layout, interned names, the argument pool, duplicates and
 * unknown names counted instead of stored, and what check_policy reports
 * from those counts (every report counted, the first ones shown).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/compile/check.h"
#include "sysfence/compile/policy.h"

static void parse_ok(struct policy *pol, const char *src)
{
	struct diag_list d;

	diag_init(&d, 0);
	assert_int_equal(policy_parse(src, strlen(src), NULL, pol, &d), 0);
	diag_free(&d);
}

/* The point of the layout: 24 bytes a rule, 24 an argument (LP64). */
static void test_compact_layout(void **state)
{
	(void)state;
	if (sizeof(void *) != 8)
		skip();
	assert_int_equal(sizeof(struct policy_rule), 24);
	assert_int_equal(sizeof(struct policy_arg), 24);
}

static void test_names_interned(void **state)
{
	struct policy pol;

	(void)state;
	parse_ok(&pol, "read 1\nwrite\nread 2\n~read 3\n");
	assert_int_equal(pol.count, 4);
	assert_string_equal(pol.rules[0].name, "read");
	assert_ptr_equal(pol.rules[0].name, pol.rules[2].name);
	assert_ptr_equal(pol.rules[0].name, pol.rules[3].name);
	assert_string_equal(pol.rules[1].name, "write");
	assert_null(pol.rules[1].args);
	policy_free(&pol);
}

/* Identical but for the place: the first stays, the others are counted. */
static void test_duplicates_counted(void **state)
{
	struct policy pol;

	(void)state;
	parse_ok(&pol, "read 1\n  read   1\nread 1 -\n~read 1\nread !1\nread 1 2\nread 0x1\n"
		       "ioctl - 0x5401\nioctl - TCGETS\nread 1|1\n");
	assert_int_equal(pol.count, 6);
	assert_int_equal(pol.duplicates, 4);
	assert_int_equal(pol.rules[0].line, 1);
	assert_int_equal(pol.rules[0].col, 1);
	assert_true(pol.rules[1].deny);
	assert_int_equal(pol.rules[2].args[0].op, POLICY_OP_NE);
	assert_int_equal(pol.rules[3].nargs, 2);
	assert_int_equal(pol.rules[4].line, 8);
	assert_int_equal(pol.rules[5].args[0].op, POLICY_OP_MASKED);
	policy_free(&pol);
}

/* 10^5 copies of one rule cost one rule. */
static void test_repeated_rule_stored_once(void **state)
{
	size_t n = 100000;
	char *src = malloc(n * 6 + 1), *s = src;
	struct policy pol;

	(void)state;
	assert_non_null(src);
	for (size_t i = 0; i < n; i++)
		s += sprintf(s, "read\n");
	parse_ok(&pol, src);
	assert_int_equal(pol.count, 1);
	assert_int_equal(pol.duplicates, n - 1);
	policy_free(&pol);
	free(src);
}

static void test_unknown_names_counted(void **state)
{
	struct policy pol;
	struct diag_list d;

	(void)state;
	/* a a: one run; read between does not end it; b, then a again. */
	parse_ok(&pol, "a\na 1\nread\na\nb\na\n");
	assert_int_equal(pol.count, 1);
	assert_int_equal(pol.unknown_rules, 5);
	assert_int_equal(pol.unknown_reports, 3);
	assert_int_equal(pol.nunknown, 3);
	assert_string_equal(pol.unknown[0].name, "a");
	assert_int_equal(pol.unknown[0].line, 1);
	assert_string_equal(pol.unknown[1].name, "b");
	assert_int_equal(pol.unknown[1].line, 5);
	assert_int_equal(pol.unknown[2].line, 6);
	assert_ptr_equal(pol.unknown[0].name, pol.unknown[2].name);
	diag_init(&d, 0);
	assert_int_equal(check_policy(&pol, NULL, 0, false, &d), 0);
	assert_int_equal(d.warnings, 3 + 1); /* + no execve */
	assert_int_equal(d.items[0].line, 1);
	assert_non_null(strstr(d.items[0].msg, "'a' is not a system call"));
	diag_free(&d);
	policy_free(&pol);
}

/* Past the kept ones, reports are counted as if diag_add had dropped them. */
static void test_unknown_reports_beyond_kept(void **state)
{
	size_t n = 3 * POLICY_UNKNOWN_KEPT;
	char *src = malloc(n * 3 + 1), *s = src;
	struct policy pol;
	struct diag_list d;

	(void)state;
	assert_non_null(src);
	for (size_t i = 0; i < n; i++)
		s += sprintf(s, "%c\n", i % 2 ? 'x' : 'y');
	parse_ok(&pol, src);
	assert_int_equal(pol.unknown_reports, n);
	assert_int_equal(pol.nunknown, POLICY_UNKNOWN_KEPT);
	diag_init(&d, 10);
	assert_int_equal(check_policy(&pol, NULL, 0, true, &d), -1);
	assert_int_equal(d.errors, n);
	assert_int_equal(d.count, 10);
	assert_int_equal(d.dropped, n - 10 + 1); /* + no execve, a warning */
	diag_free(&d);
	policy_free(&pol);
	free(src);
}

/* The API other parts use to add rules they build themselves. */
static void test_add_rule_directly(void **state)
{
	struct policy pol;
	struct policy_arg args[2] = { { .op = POLICY_OP_ANY, .width = 64 },
				      { .op = POLICY_OP_EQ, .width = 32, .value = 7 } };
	struct policy_rule r = { .name = "socket", .args = args, .line = 3, .col = 1, .nargs = 2 };
	struct policy_rule *stored;

	(void)state;
	parse_ok(&pol, "read\n");
	assert_int_equal(policy_add_rule(&pol, &r), 0);
	assert_int_equal(policy_add_rule(&pol, &r),
			 1); /* a duplicate: the index is rebuilt after policy_finish */
	r.name = "no_such_call";
	assert_int_equal(policy_add_rule(&pol, &r), 1);
	assert_int_equal(pol.unknown_rules, 1);
	assert_int_equal(pol.count, 2);
	stored = &pol.rules[1];
	assert_ptr_not_equal(stored->args, args); /* copied into the pool */
	args[1].value = 8;
	assert_int_equal(stored->args[1].value, 7);
	assert_string_equal(stored->name, "socket");
	policy_finish(&pol);
	policy_free(&pol);
	assert_int_equal(pol.count, 0);
}

/* Arguments live in a pool that never moves: pointers survive growth. */
static void test_args_stable(void **state)
{
	size_t n = 20000;
	char *src = malloc(n * 24 + 1), *s = src;
	struct policy pol;

	(void)state;
	assert_non_null(src);
	for (size_t i = 0; i < n; i++)
		s += sprintf(s, "mmap - %zu - - - %zu\n", i, n - i);
	parse_ok(&pol, src);
	assert_int_equal(pol.count, n);
	assert_int_equal(pol.cap, n); /* trimmed by policy_finish */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(pol.rules[i].nargs, 6);
		assert_int_equal(pol.rules[i].args[1].value, i);
		assert_int_equal(pol.rules[i].args[5].value, n - i);
		assert_int_equal(pol.rules[i].args[0].col, 6);
	}
	policy_free(&pol);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact_layout),
		cmocka_unit_test(test_names_interned),
		cmocka_unit_test(test_duplicates_counted),
		cmocka_unit_test(test_repeated_rule_stored_once),
		cmocka_unit_test(test_unknown_names_counted),
		cmocka_unit_test(test_unknown_reports_beyond_kept),
		cmocka_unit_test(test_add_rule_directly),
		cmocka_unit_test(test_args_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
