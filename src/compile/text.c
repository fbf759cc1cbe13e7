// SPDX-License-Identifier: MIT
/*
 * Small text helpers of the compiler and its tools: the number grammar of
 * the policy language and the distance behind "did you mean".  The
 * launcher needs neither, so they are not in src/common.
 */
#include "sysfence/compile/text.h"

#include <ctype.h>
#include <string.h>

#define EDIT_MAX 64

static int fold(int c, bool ignore_case)
{
	return ignore_case ? tolower(c) : c;
}

size_t text_edit_distance(const char *a, size_t alen, const char *b, size_t blen, bool ignore_case)
{
	size_t d[EDIT_MAX][EDIT_MAX];

	if (alen >= EDIT_MAX || blen >= EDIT_MAX)
		return (size_t)-1;
	for (size_t i = 0; i <= alen; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= blen; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= alen; i++) {
		for (size_t j = 1; j <= blen; j++) {
			int ai = fold((unsigned char)a[i - 1], ignore_case);
			int bj = fold((unsigned char)b[j - 1], ignore_case);
			size_t best = d[i - 1][j - 1] + (ai != bj);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ai == fold((unsigned char)b[j - 2], ignore_case) &&
			    fold((unsigned char)a[i - 2], ignore_case) == bj &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[alen][blen];
}

bool text_is_close(size_t distance, size_t len)
{
	/* One typo in a short name, about one in three in a long one. */
	return distance <= 1 || (distance <= 3 && distance * 3 <= len);
}

int text_parse_u64(const char *s, size_t len, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (!len)
		return -1;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	} else if (len == 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		return -1;
	}
	for (; i < len; i++) {
		int c = (unsigned char)s[i];
		unsigned digit;

		if (c >= '0' && c <= '9')
			digit = (unsigned)(c - '0');
		else if (base == 16 && isxdigit(c))
			digit = (unsigned)(tolower(c) - 'a' + 10);
		else
			return -1;
		if (digit >= base)
			return -1;
		if (v > (UINT64_MAX - digit) / base)
			return -2;
		v = v * base + digit;
	}
	*out = v;
	return 0;
}

bool text_is_name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}
