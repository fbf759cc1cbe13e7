/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_UTIL_H
#define SYSFENCE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions), for "did you mean" suggestions.  Strings longer than 63
 * bytes count as far from everything.
 */
size_t util_edit_distance(const char *a, size_t alen, const char *b,
			  size_t blen, bool ignore_case);

/* Is a suggestion at this distance close enough to offer? */
bool util_is_close(size_t distance, size_t len);

/*
 * Parses an unsigned number: decimal, 0x hex or leading-0 octal, the whole
 * of s[0..len).  Returns 0, -1 when malformed, -2 when it does not fit.
 */
int util_parse_u64(const char *s, size_t len, uint64_t *out);

/*
 * Writes a reason into why (when not NULL) and returns -1: the error
 * convention of the launcher's modules ("return util_fail(why, ...)").
 */
int util_fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int util_vfail(char *why, size_t whylen, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif
