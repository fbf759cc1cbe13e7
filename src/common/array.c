// SPDX-License-Identifier: MIT
/*
 * The one growable array of the tree (see array.h): every append loop of
 * the compiler and the tools grows its array here, so the overflow checks
 * of the new capacity and of its size in bytes exist once.
 */
#include "sysfence/array.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int array_grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : ARRAY_FIRST_CAP, bytes;
	void *n;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (__builtin_mul_overflow(ncap, 2, &ncap)) {
			errno = ENOMEM;
			return -1;
		}
	}
	/*
	 * Checked here, not left to reallocarray(): ASan's reallocarray aborts
	 * on an overflowing count * size instead of returning NULL.
	 */
	if (__builtin_mul_overflow(ncap, size, &bytes)) {
		errno = ENOMEM;
		return -1;
	}
	n = realloc(*p, bytes);
	if (!n) {
		errno = ENOMEM;
		return -1;
	}
	*p = n;
	*cap = ncap;
	return 0;
}
