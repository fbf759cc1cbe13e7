// SPDX-License-Identifier: MIT
/* Unit tests for src/launch/args.c: the launcher's strict command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/launch/args.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static char why[256];

static int parse(int argc, char **argv, bool root, struct launch_args *a)
{
	return args_parse(argc, argv, root, a, why, sizeof(why));
}

static void test_run_minimal(void **state)
{
	char *argv[] = { "sysfence-launch", "app", "--", "/bin/true", "x", NULL };
	struct launch_args a;

	(void)state;
	assert_int_equal(parse(ARGC(argv), argv, false, &a), 0);
	assert_int_equal(a.action, ARGS_RUN);
	assert_string_equal(a.profile, "app");
	assert_null(a.profile_dir);
	assert_int_equal(a.wait_seconds, 0);
	assert_ptr_equal(a.program_argv, &argv[3]);
	assert_string_equal(a.program_argv[1], "x");
	assert_null(a.program_argv[2]);
}

static void test_program_args_untouched(void **state)
{
	/* Everything after "--" belongs to the program, options included. */
	char *argv[] = { "l", "app", "--", "prog", "--wait", "--", "--features", NULL };
	struct launch_args a;

	(void)state;
	assert_int_equal(parse(ARGC(argv), argv, false, &a), 0);
	assert_string_equal(a.program_argv[0], "prog");
	assert_string_equal(a.program_argv[3], "--features");
}

static void test_options(void **state)
{
	char *argv[] = { "l", "--wait", "600", "--profile-dir", "/srv/p", "app", "--", "p", NULL };
	struct launch_args a;

	(void)state;
	assert_int_equal(parse(ARGC(argv), argv, true, &a), 0);
	assert_int_equal(a.wait_seconds, 600);
	assert_string_equal(a.profile_dir, "/srv/p");
	assert_string_equal(a.profile, "app");
}

static void test_informational(void **state)
{
	char *f[] = { "l", "--features", NULL }, *h[] = { "l", "--help", NULL },
	     *v[] = { "l", "--version", NULL }, *fx[] = { "l", "--features", "x", NULL },
	     *hx[] = { "l", "--wait", "1", "--help", NULL };
	struct launch_args a;

	(void)state;
	assert_int_equal(parse(ARGC(f), f, false, &a), 0);
	assert_int_equal(a.action, ARGS_FEATURES);
	assert_int_equal(parse(ARGC(h), h, false, &a), 0);
	assert_int_equal(a.action, ARGS_HELP);
	assert_int_equal(parse(ARGC(v), v, false, &a), 0);
	assert_int_equal(a.action, ARGS_VERSION);
	assert_int_equal(parse(ARGC(fx), fx, false, &a), -1);
	assert_int_equal(parse(ARGC(hx), hx, false, &a), -1);
}

static void test_refusals(void **state)
{
	static char *cases[][8] = {
		{ "l", NULL },					  /* no profile */
		{ "l", "app", NULL },				  /* no -- */
		{ "l", "app", "prog", NULL },			  /* no -- */
		{ "l", "app", "--", NULL },			  /* no program */
		{ "l", "app", "-x", "--", "p", NULL },		  /* option after PROFILE */
		{ "l", "--wait", "app", "--", "p", NULL },	  /* not a number */
		{ "l", "--wait", "601", "app", "--", "p", NULL }, /* too long */
		{ "l", "--wait", "-1", "app", "--", "p", NULL },
		{ "l", "--wait", "+5", "app", "--", "p", NULL },
		{ "l", "--wait", " 5", "app", "--", "p", NULL },
		{ "l", "--wait", "", "app", "--", "p", NULL },
		{ "l", "--wait", "99999999999999999999", "app", "--", "p", NULL },
		{ "l", "--wait", "1", "--wait", "1", "app", "--", NULL },
		{ "l", "--wait=1", "app", "--", "p", NULL },
		{ "l", "--bogus", "app", "--", "p", NULL },
		{ "l", "", "--", "p", NULL }, /* empty profile */
		{ "l", "--", "p", NULL },     /* -- is not a profile */
		{ "l", "--wait", NULL },
	};
	struct launch_args a;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int argc = 0;

		while (cases[i][argc])
			argc++;
		if (parse(argc, cases[i], true, &a) != -1)
			fail_msg("case %zu parsed", i);
		assert_true(why[0] != '\0');
	}
}

static void test_profile_dir_root_only(void **state)
{
	char *argv[] = { "l", "--profile-dir", "/srv/p", "app", "--", "p", NULL };
	char *rel[] = { "l", "--profile-dir", "srv", "app", "--", "p", NULL };
	char *twice[] = {
		"l", "--profile-dir", "/a", "--profile-dir", "/b", "app", "--", "p", NULL
	};
	struct launch_args a;

	(void)state;
	assert_int_equal(parse(ARGC(argv), argv, false, &a), -1);
	assert_non_null(strstr(why, "only honoured for root"));
	assert_int_equal(parse(ARGC(rel), rel, true, &a), -1);
	assert_int_equal(parse(ARGC(twice), twice, true, &a), -1);
}

static void test_empty_argv(void **state)
{
	char *none[] = { NULL };
	struct launch_args a;

	(void)state;
	assert_int_equal(parse(0, none, false, &a), -1);
	assert_int_equal(parse(1, none, false, &a), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_minimal), cmocka_unit_test(test_program_args_untouched),
		cmocka_unit_test(test_options),	    cmocka_unit_test(test_informational),
		cmocka_unit_test(test_refusals),    cmocka_unit_test(test_profile_dir_root_only),
		cmocka_unit_test(test_empty_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
