// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/common/array.c: growth by doubling, and the overflow
 * cases, where nothing may change.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sysfence/array.h"

static void test_first_allocation(void **state)
{
	int *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ARRAY_GROW(&v, &cap, 1), 0);
	assert_non_null(v);
	assert_int_equal(cap, ARRAY_FIRST_CAP);
	v[cap - 1] = 7; /* the whole capacity is usable (ASan, valgrind) */
	free(v);

	/* A first need above the first capacity is doubled up to. */
	v = NULL;
	cap = 0;
	assert_int_equal(ARRAY_GROW(&v, &cap, 100), 0);
	assert_int_equal(cap, 128);
	v[99] = 1;
	free(v);
}

static void test_appends_keep_contents(void **state)
{
	uint64_t *v = NULL;
	size_t n = 0, cap = 0, grown = 0;

	(void)state;
	for (uint64_t i = 0; i < 100000; i++) {
		size_t before = cap;

		assert_int_equal(ARRAY_GROW(&v, &cap, n + 1), 0);
		if (cap != before) {
			assert_int_equal(cap, before ? 2 * before : ARRAY_FIRST_CAP);
			grown++;
		}
		v[n++] = i * 3;
	}
	/* 8 << 14 = 131072: a doubling per step, not a reallocation per append */
	assert_int_equal(grown, 15);
	assert_int_equal(cap, 131072);
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(v[i], i * 3);
	free(v);
}

static void test_need_already_fits(void **state)
{
	char *v = NULL;
	size_t cap = 0;
	char *before;

	(void)state;
	assert_int_equal(ARRAY_GROW(&v, &cap, 16), 0);
	before = v;
	assert_int_equal(ARRAY_GROW(&v, &cap, 16), 0);
	assert_int_equal(ARRAY_GROW(&v, &cap, 0), 0);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 16);
	free(v);
}

/* need * size over SIZE_MAX: refused before any allocation, nothing changed. */
static void test_bytes_overflow(void **state)
{
	uint64_t *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ARRAY_GROW(&v, &cap, 4), 0);
	v[0] = 42;
	errno = 0;
	assert_int_equal(ARRAY_GROW(&v, &cap, SIZE_MAX / 8 + 1), -1);
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(cap, ARRAY_FIRST_CAP);
	assert_int_equal(v[0], 42);
	/* 2^63 elements of 2 bytes: the capacity fits, its bytes do not */
	{
		void *p = v;

		errno = 0;
		assert_int_equal(array_grow(&p, &cap, SIZE_MAX / 2, 2), -1);
		assert_int_equal(errno, ENOMEM);
		assert_ptr_equal(p, v);
		assert_int_equal(cap, ARRAY_FIRST_CAP);
	}
	free(v);
}

/* The capacity itself would overflow while doubling. */
static void test_capacity_overflow(void **state)
{
	char *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ARRAY_GROW(&v, &cap, 1), 0);
	errno = 0;
	assert_int_equal(ARRAY_GROW(&v, &cap, SIZE_MAX), -1);
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(cap, ARRAY_FIRST_CAP);
	/* a capacity already past half of size_t cannot double */
	{
		size_t big = SIZE_MAX / 2 + 2;
		void *p = v;

		errno = 0;
		assert_int_equal(array_grow(&p, &big, big + 1, 1), -1);
		assert_ptr_equal(p, v);
		assert_int_equal(errno, ENOMEM);
		assert_int_equal(big, SIZE_MAX / 2 + 2);
	}
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_allocation),
		cmocka_unit_test(test_appends_keep_contents),
		cmocka_unit_test(test_need_already_fits),
		cmocka_unit_test(test_bytes_overflow),
		cmocka_unit_test(test_capacity_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
