// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/compile/text.c: number parsing (the policy language's
 * decimal / 0x hex / 0 octal numbers, up to 64 bits) and the edit distance
 * behind every "did you mean" suggestion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/compile/text.h"
#include "sysfence/util.h"

static int parse(const char *s, uint64_t *v)
{
	*v = 0xdeadbeef;
	return text_parse_u64(s, strlen(s), v);
}

static void test_parse_valid(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} cases[] = {
		{ "0", 0 },
		{ "7", 7 },
		{ "10", 10 },
		{ "4294967296", UINT64_C(4294967296) },
		{ "18446744073709551615", UINT64_MAX },
		{ "0x0", 0 },
		{ "0x10", 16 },
		{ "0XfF", 255 },
		{ "0xDeadBeef", 0xdeadbeef },
		{ "0xffffffffffffffff", UINT64_MAX },
		{ "0x0000000000000000000001", 1 }, /* leading zeros are no overflow */
		{ "00", 0 },
		{ "01", 1 },
		{ "010", 8 },
		{ "0777", 0777 },
		{ "01777777777777777777777", UINT64_MAX },
		{ "000000000000000000000000000000042", 042 },
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc = parse(cases[i].s, &v);

		if (rc != 0 || v != cases[i].v)
			fail_msg("'%s': rc %d value %llu, wanted %llu", cases[i].s, rc,
				 (unsigned long long)v, (unsigned long long)cases[i].v);
	}
}

static void test_parse_malformed(void **state)
{
	static const char *const bad[] = {
		"",    "x",  "0x", "0X",  "08",	 "09",	  "0789", "1a",	   "0xg",  "0x1g", "12 ",
		" 12", "+1", "-1", "1.5", "1e3", "0b101", "0x-1", "1_000", "0xx1", "ff",   "0o17",
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int rc = parse(bad[i], &v);

		if (rc != -1)
			fail_msg("'%s': rc %d, wanted -1 (malformed)", bad[i], rc);
		/* The output is not written on failure. */
		assert_int_equal(v, 0xdeadbeef);
	}
}

static void test_parse_overflow(void **state)
{
	static const char *const big[] = {
		"18446744073709551616",							  /* 2^64 */
		"18446744073709551620", "99999999999999999999999", "0x10000000000000000", /* 2^64 */
		"0xfffffffffffffffff",	"02000000000000000000000", /* 2^64 in octal */
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(big); i++) {
		int rc = parse(big[i], &v);

		if (rc != -2)
			fail_msg("'%s': rc %d, wanted -2 (does not fit)", big[i], rc);
	}
}

static void test_parse_uses_only_len(void **state)
{
	uint64_t v = 0;

	(void)state;
	/* Not NUL-terminated: only s[0..len) counts. */
	assert_int_equal(text_parse_u64("123456", 3, &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(text_parse_u64("0x1fz", 4, &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(text_parse_u64("0x", 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(text_parse_u64("5", 0, &v), -1);
}

static size_t dist(const char *a, const char *b, bool ic)
{
	return text_edit_distance(a, strlen(a), b, strlen(b), ic);
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(dist("", "", false), 0);
	assert_int_equal(dist("read", "read", false), 0);
	assert_int_equal(dist("", "read", false), 4);
	assert_int_equal(dist("read", "", false), 4);
	assert_int_equal(dist("read", "raed", false), 1);  /* transposition */
	assert_int_equal(dist("read", "reed", false), 1);  /* substitution */
	assert_int_equal(dist("read", "readv", false), 1); /* insertion */
	assert_int_equal(dist("readv", "read", false), 1); /* deletion */
	assert_int_equal(dist("kitten", "sitting", false), 3);
	assert_int_equal(dist("ca", "abc", false), 3); /* OSA, not Damerau */
	assert_int_equal(dist("READ", "read", false), 4);
	assert_int_equal(dist("READ", "read", true), 0);
	assert_int_equal(dist("@COMPLAIN", "@complain", true), 0);
	/* Symmetric. */
	assert_int_equal(dist("openat", "open_tree", false), dist("open_tree", "openat", false));
}

static void test_edit_distance_long_strings(void **state)
{
	char a[100], b[100];

	(void)state;
	memset(a, 'a', sizeof(a));
	memset(b, 'a', sizeof(b));
	/* 63 bytes is the most that is compared; longer is "far away". */
	assert_int_equal(text_edit_distance(a, 63, b, 63, false), 0);
	assert_int_equal(text_edit_distance(a, 63, b, 62, false), 1);
	assert_int_equal(text_edit_distance(a, 64, b, 64, false), (size_t)-1);
	assert_int_equal(text_edit_distance(a, 1, b, 64, false), (size_t)-1);
	assert_int_equal(text_edit_distance(a, 99, b, 1, false), (size_t)-1);
	assert_false(text_is_close(text_edit_distance(a, 99, b, 99, false), 99));
}

static void test_is_close(void **state)
{
	(void)state;
	assert_true(text_is_close(0, 1));
	assert_true(text_is_close(1, 1));
	assert_true(text_is_close(1, 4));
	assert_false(text_is_close(2, 4));
	assert_true(text_is_close(2, 6));
	assert_true(text_is_close(3, 9));
	assert_false(text_is_close(3, 8));
	assert_false(text_is_close(4, 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_overflow),
		cmocka_unit_test(test_parse_uses_only_len),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_edit_distance_long_strings),
		cmocka_unit_test(test_is_close),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
