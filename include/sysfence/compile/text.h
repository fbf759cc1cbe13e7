/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_TEXT_H
#define SYSFENCE_COMPILE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions), for "did you mean" suggestions.  Strings longer than 63
 * bytes count as far from everything.
 */
size_t text_edit_distance(const char *a, size_t alen, const char *b, size_t blen, bool ignore_case);

/* Is a suggestion at this distance close enough to offer? */
bool text_is_close(size_t distance, size_t len);

/*
 * Parses an unsigned number: decimal, 0x hex or leading-0 octal, the whole
 * of s[0..len).  Returns 0, -1 when malformed, -2 when it does not fit.
 */
int text_parse_u64(const char *s, size_t len, uint64_t *out);

/* A letter, '_' or (not first) a digit: syscall and constant names. */
bool text_is_name_char(char c, bool first);

#endif
