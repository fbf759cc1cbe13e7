/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_ARRAY_H
#define SYSFENCE_ARRAY_H

#include <stddef.h>

/* The capacity of an array's first allocation (at least what it needs). */
#define ARRAY_FIRST_CAP 8

/*
 * Grows *p, an array of *cap elements of size bytes each, to hold at least
 * need elements: the capacity doubles (from ARRAY_FIRST_CAP) until need
 * fits, so n appends cost O(n).  Returns 0 (also when need already fits),
 * or -1 with errno ENOMEM when the allocation fails or the capacity or its
 * size in bytes would overflow a size_t; *p and *cap are unchanged then
 * and still valid.  size must not be 0.
 */
int array_grow(void **p, size_t *cap, size_t need, size_t size);

/*
 * array_grow for a typed array: ARRAY_GROW(&v, &cap, need), with the
 * element size taken from *v and without casting &v to void ** (an
 * aliasing violation).  Evaluates to array_grow's result.
 */
#define ARRAY_GROW(pp, capp, need)                                                                 \
	__extension__({                                                                            \
		void *array_p_ = *(pp);                                                            \
		int array_rc_ = array_grow(&array_p_, (capp), (need), sizeof(**(pp)));             \
		*(pp) = array_p_;                                                                  \
		array_rc_;                                                                         \
	})

#endif
