// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/compile/diag.c: the exact text of GCC-style
 * diagnostics ("FILE:LINE:COL: error: MSG", the source line, a caret under
 * the column), tabs kept so the caret lines up, control bytes shown as '?',
 * long lines cut around the caret, and the diagnostic limit.
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

#include "sysfence/compile/diag.h"

/* diag_print into a string (malloc'ed). */
static char *printed(const struct diag_list *d, const char *file, const char *src, size_t len)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	diag_print(f, d, file, src, len);
	fclose(f);
	return text;
}

static void expect_text(const struct diag_list *d, const char *src, size_t len, const char *want)
{
	char *got = printed(d, "p.policy", src, len);

	if (strcmp(got, want))
		fail_msg("diag_print gave:\n%s\nwanted:\n%s", got, want);
	free(got);
}

static void test_gcc_format(void **state)
{
	static const char src[] = "read\nsocket AF_UNX\nwrite\n";
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	diag_add(&d, DIAG_ERROR, 2, 8, "unknown constant '%s'; did you mean '%s'?", "AF_UNX",
		 "AF_UNIX");
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.warnings, 0);
	expect_text(&d, src, strlen(src),
		    "p.policy:2:8: error: unknown constant 'AF_UNX'; did you mean 'AF_UNIX'?\n"
		    " socket AF_UNX\n"
		    "        ^\n");
	diag_free(&d);
}

static void test_levels_and_positions(void **state)
{
	static const char src[] = "read\nwrite\nclose";
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	diag_add(&d, DIAG_WARNING, 1, 1, "w%d", 1);
	diag_add(&d, DIAG_NOTE, 3, 0, "about line %d, no column", 3);
	diag_add(&d, DIAG_ERROR, 0, 0, "about the whole file");
	diag_add(&d, DIAG_ERROR, 3, 6, "past the end of the last line");
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.warnings, 1);
	assert_int_equal(d.count, 4);
	expect_text(&d, src, strlen(src),
		    "p.policy:1:1: warning: w1\n"
		    " read\n"
		    " ^\n"
		    "p.policy:3: note: about line 3, no column\n"
		    " close\n"
		    "p.policy: error: about the whole file\n"
		    "p.policy:3:6: error: past the end of the last line\n"
		    " close\n"
		    "      ^\n");
	diag_free(&d);
}

static void test_no_source(void **state)
{
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	diag_add(&d, DIAG_ERROR, 4, 2, "x");
	/* No source text, or a line the source does not have: no excerpt. */
	expect_text(&d, NULL, 0, "p.policy:4:2: error: x\n");
	expect_text(&d, "a\nb\n", 4, "p.policy:4:2: error: x\n");
	diag_free(&d);
}

static void test_tabs_kept(void **state)
{
	static const char src[] = "\tioctl\t-  TIOCSTX\n";
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	diag_add(&d, DIAG_ERROR, 1, 11, "unknown constant");
	/* The caret line copies the tabs so it lines up in any terminal. */
	expect_text(&d, src, strlen(src),
		    "p.policy:1:11: error: unknown constant\n"
		    " \tioctl\t-  TIOCSTX\n"
		    " \t     \t   ^\n");
	diag_free(&d);
}

static void test_control_bytes_shown_as_question_marks(void **state)
{
	/* ESC sequences, DEL, a bare CR, UTF-8 and a NUL never reach the terminal. */
	static const char src[] = "a\x1b[2Jb\x7f\rc\xc3\xa9\0d\n";
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	diag_add(&d, DIAG_ERROR, 1, 13, "NUL byte in policy");
	expect_text(&d, src, sizeof(src) - 1,
		    "p.policy:1:13: error: NUL byte in policy\n"
		    " a?[2Jb??c???d\n"
		    "             ^\n");
	diag_free(&d);
}

static void test_crlf_not_shown(void **state)
{
	static const char src[] = "read\r\nwrit 1\r\n";
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	diag_add(&d, DIAG_ERROR, 2, 6, "x");
	expect_text(&d, src, strlen(src), "p.policy:2:6: error: x\n writ 1\n      ^\n");
	diag_free(&d);

	/* A CR at the end of the file, with no LF, is a bare CR: shown, as the
	 * parser reports it (tests/unit/test_parse.c). */
	diag_init(&d, 0);
	diag_add(&d, DIAG_ERROR, 1, 5, "carriage return not followed by a line feed");
	expect_text(&d, "read\r", 5,
		    "p.policy:1:5: error: carriage return not followed by a line feed\n"
		    " read?\n"
		    "     ^\n");
	diag_free(&d);
}

/* A line of n bytes: digits 0..9 repeating, so a cut is easy to check. */
static char *digits(size_t n)
{
	char *s = malloc(n + 2);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('0' + i % 10);
	s[n] = '\n';
	s[n + 1] = '\0';
	return s;
}

static char *spaces(size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, ' ', n);
	s[n] = '\0';
	return s;
}

static void expect_long(size_t linelen, unsigned col, size_t start, size_t shown, bool tail)
{
	char *src = digits(linelen), *want, *pad;
	struct diag_list d;
	int n;

	diag_init(&d, 0);
	diag_add(&d, DIAG_ERROR, 1, col, "m");
	/* The caret stays under the byte at col. */
	pad = spaces(col - 1 - start);
	n = asprintf(&want, "p.policy:1:%u: error: m\n%s%.*s%s\n%s%s^\n", col, start ? " ..." : " ",
		     (int)shown, src + start, tail ? "..." : "", start ? "    " : " ", pad);
	assert_true(n > 0);
	expect_text(&d, src, linelen + 1, want);
	free(want);
	free(pad);
	free(src);
	diag_free(&d);
}

static void test_long_lines_cut_around_caret(void **state)
{
	(void)state;
	expect_long(200, 150, 0, 200, false); /* fits: shown whole */
	expect_long(201, 1, 0, 200, true);    /* caret early: head shown */
	expect_long(1000, 100, 0, 200, true);
	expect_long(1000, 101, 1, 200, true); /* caret in the middle */
	expect_long(1000, 500, 400, 200, true);
	expect_long(1000, 990, 890, 110, false);    /* caret near the end */
	expect_long(100008, 4097, 3997, 200, true); /* the "line too long" error */
}

static void test_limit_and_dropped(void **state)
{
	static const char src[] = "a\nb\nc\nd\ne\n";
	struct diag_list d;

	(void)state;
	diag_init(&d, 2);
	for (unsigned i = 1; i <= 5; i++)
		diag_add(&d, i == 4 ? DIAG_WARNING : DIAG_ERROR, i, 1, "e%u", i);
	assert_int_equal(d.count, 2);
	assert_int_equal(d.dropped, 3);
	assert_int_equal(d.errors, 4); /* counted, kept or not */
	assert_int_equal(d.warnings, 1);
	expect_text(&d, src, strlen(src),
		    "p.policy:1:1: error: e1\n a\n ^\n"
		    "p.policy:2:1: error: e2\n b\n ^\n"
		    "p.policy: note: 3 more diagnostics not shown\n");
	diag_free(&d);
}

static void test_default_limit(void **state)
{
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	assert_int_equal(d.limit, DIAG_DEFAULT_LIMIT);
	for (unsigned i = 0; i < DIAG_DEFAULT_LIMIT + 7; i++)
		diag_add(&d, DIAG_ERROR, i + 1, 0, "e");
	assert_int_equal(d.count, DIAG_DEFAULT_LIMIT);
	assert_int_equal(d.dropped, 7);
	diag_free(&d);
	assert_int_equal(d.count, 0);
	assert_null(d.items);
}

static void test_message_is_formatted_not_interpreted(void **state)
{
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	/* A token from the policy goes in as an argument, never as the format. */
	diag_add(&d, DIAG_ERROR, 1, 1, "invalid value '%s'", "%n%s%x");
	expect_text(&d, NULL, 0, "p.policy:1:1: error: invalid value '%n%s%x'\n");
	diag_free(&d);
}

/* A policy of several files: each diagnostic in its own, with the chain. */
static void test_included_files(void **state)
{
	static const char main_src[] = "read\n@include ./mid.inc\n", mid[] = "@include ./bad.inc\n",
			  bad[] = "write\nsocket AF_UNX\n";
	const struct diag_file files[] = {
		{ "app.policy", main_src, sizeof(main_src) - 1, 0, 0 },
		{ "mid.inc", mid, sizeof(mid) - 1, 0, 2 },
		{ "bad.inc", bad, sizeof(bad) - 1, 1, 1 },
	};
	struct diag_list d;
	char *text = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	diag_init(&d, 0);
	diag_add_in(&d, DIAG_ERROR, 2, 2, 8, "unknown constant 'AF_UNX'");
	diag_add_in(&d, DIAG_WARNING, 2, 1, 1, "second in the same file: no chain again");
	diag_add(&d, DIAG_ERROR, 1, 1, "back in the main file");
	diag_add_in(&d, DIAG_NOTE, 1, 1, 0, "in mid.inc, whole line");
	diag_add_in(&d, DIAG_ERROR, 9, 0, 0, "a file index out of range: the main file");
	f = open_memstream(&text, &n);
	assert_non_null(f);
	diag_print_files(f, &d, files, 3);
	fclose(f);
	assert_string_equal(text, "In file included from mid.inc:1,\n"
				  "                 from app.policy:2:\n"
				  "bad.inc:2:8: error: unknown constant 'AF_UNX'\n"
				  " socket AF_UNX\n"
				  "        ^\n"
				  "bad.inc:1:1: warning: second in the same file: no chain again\n"
				  " write\n"
				  " ^\n"
				  "app.policy:1:1: error: back in the main file\n"
				  " read\n"
				  " ^\n"
				  "In file included from app.policy:2:\n"
				  "mid.inc:1: note: in mid.inc, whole line\n"
				  " @include ./bad.inc\n"
				  "app.policy: error: a file index out of range: the main file\n");
	free(text);
	/* No file at all: still a name to print. */
	f = open_memstream(&text, &n);
	assert_non_null(f);
	diag_print_files(f, &d, NULL, 0);
	fclose(f);
	assert_non_null(strstr(text, "<policy>:1:1: error: back in the main file\n"));
	free(text);
	diag_free(&d);
}

/* Source order across files, as if each @include were its file. */
static void test_sort_files(void **state)
{
	const struct diag_file files[] = {
		{ "app.policy", "", 0, 0, 0 },
		{ "a.inc", "", 0, 0, 5 }, /* app.policy:5 */
		{ "b.inc", "", 0, 1, 2 }, /* a.inc:2 */
		{ "c.inc", "", 0, 0, 9 }, /* app.policy:9 */
	};
	static const struct {
		unsigned file, line;
		const char *msg;
	} in[] = {
		{ 0, 0, "whole policy" }, { 0, 7, "app 7" },   { 2, 1, "b 1" },	  { 0, 5, "app 5" },
		{ 3, 1, "c 1" },	  { 1, 3, "a 3" },     { 0, 2, "app 2" }, { 1, 1, "a 1" },
		{ 0, 7, "app 7 again" },  { 0, 10, "app 10" },
	};
	static const char *const want[] = {
		"app 2", "app 5",	"a 1", "b 1",	 "a 3",
		"app 7", "app 7 again", "c 1", "app 10", "whole policy"
	};
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	diag_add(&d, DIAG_NOTE, 1, 1, "before: not moved");
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		diag_add_in(&d, DIAG_ERROR, in[i].file, in[i].line, 1, "%s", in[i].msg);
	diag_sort_files(&d, 1, files, 4);
	assert_string_equal(d.items[0].msg, "before: not moved");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(d.items[i + 1].msg, want[i]);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gcc_format),
		cmocka_unit_test(test_levels_and_positions),
		cmocka_unit_test(test_no_source),
		cmocka_unit_test(test_tabs_kept),
		cmocka_unit_test(test_control_bytes_shown_as_question_marks),
		cmocka_unit_test(test_crlf_not_shown),
		cmocka_unit_test(test_long_lines_cut_around_caret),
		cmocka_unit_test(test_limit_and_dropped),
		cmocka_unit_test(test_default_limit),
		cmocka_unit_test(test_message_is_formatted_not_interpreted),
		cmocka_unit_test(test_included_files),
		cmocka_unit_test(test_sort_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
