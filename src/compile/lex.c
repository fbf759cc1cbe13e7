// SPDX-License-Identifier: MIT
/*
 * The lexer of the policy language (see lex.h): lines, the bytes a line may
 * hold, and its blank-separated tokens before a '#' comment.  The parser
 * and the @include loader both read lines through it.  Pure.
 */
#include "sysfence/compile/lex.h"

#include <stdio.h>
#include <string.h>

#include "sysfence/compile/policy.h"

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

int policy_line_check(const char *line, size_t len, unsigned *col, char *why, size_t whylen)
{
	const unsigned char *s = (const unsigned char *)line;

	for (size_t i = 0; i < len;) {
		unsigned c = s[i];
		size_t n;

		if (c == 0) {
			*col = (unsigned)i + 1;
			snprintf(why, whylen, "NUL byte in policy");
			return -1;
		}
		if (c == '\r') {
			*col = (unsigned)i + 1;
			snprintf(why, whylen, "carriage return not followed by a line feed");
			return -1;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			*col = (unsigned)i + 1;
			snprintf(why, whylen, "control character 0x%02x in policy", c);
			return -1;
		}
		n = utf8_len(s + i, len - i);
		if (!n) {
			*col = (unsigned)i + 1;
			snprintf(why, whylen, "invalid UTF-8 byte 0x%02x", c);
			return -1;
		}
		i += n;
	}
	return 0;
}

static size_t tokenize(const char *line, size_t len, struct policy_token *tok, size_t max,
		       size_t *total)
{
	size_t n = 0, i = 0;

	*total = 0;
	while (i < len) {
		size_t start;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		if (n < max)
			tok[n++] = (struct policy_token){ line + start, i - start,
							  (unsigned)start + 1 };
		(*total)++;
	}
	return n;
}

size_t policy_line_split(const char *line, size_t len, struct policy_token *tok, size_t max,
			 size_t *total)
{
	const char *hash = memchr(line, '#', len);

	if (hash)
		len = (size_t)(hash - line);
	return tokenize(line, len, tok, max, total);
}

const char *policy_line_next(const char **pos, const char *end, size_t *len)
{
	const char *line = *pos, *nl;
	size_t n;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	n = (size_t)((nl ? nl : end) - line);
	if (nl && n && line[n - 1] == '\r') /* CRLF; a CR at EOF is a bare CR */
		n--;
	*pos = nl ? nl + 1 : end;
	*len = n;
	return line;
}

size_t policy_line_tokens(const char *line, size_t len, struct policy_token *tok, size_t max,
			  size_t *total)
{
	unsigned col;
	char why[64];

	*total = 0;
	if (len > POLICY_MAX_LINE || policy_line_check(line, len, &col, why, sizeof(why)))
		return 0;
	return policy_line_split(line, len, tok, max, total);
}
