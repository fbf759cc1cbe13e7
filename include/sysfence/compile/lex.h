/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_LEX_H
#define SYSFENCE_COMPILE_LEX_H

#include <stddef.h>

/*
 * The lexer, shared by the parser and the @include loader (include.c) so
 * that both read lines alike.  policy_line_next returns the line at *pos
 * (its length without LF or CRLF in *len) and moves *pos past it; NULL at
 * the end.  policy_line_tokens splits a line into at most max tokens, the
 * comment stripped (*total: how many there are); 0 for a line the parser
 * rejects as a whole (too long, bad bytes).
 */
struct policy_token {
	const char *s;
	size_t len;
	unsigned col; /* 1-based */
};

const char *policy_line_next(const char **pos, const char *end, size_t *len);
size_t policy_line_tokens(const char *line, size_t len, struct policy_token *tok, size_t max,
			  size_t *total);

/*
 * The bytes of one line: 0 when a policy may hold them, or -1 with what
 * is wrong in why and its column (1-based) in *col: a NUL, a CR not
 * before the LF, a control character, invalid UTF-8.
 */
int policy_line_check(const char *line, size_t len, unsigned *col, char *why, size_t whylen);

/*
 * Splits a line, its '#' comment stripped, into at most max tokens (*total:
 * how many there are); returns how many were kept.  No byte checks.
 */
size_t policy_line_split(const char *line, size_t len, struct policy_token *tok, size_t max,
			 size_t *total);

#endif
