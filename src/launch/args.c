// SPDX-License-Identifier: MIT
/*
 * The command line, parsed strictly: options only before PROFILE, each at
 * most once, values as separate arguments, "--" required before PROGRAM.
 * Anything unexpected is an error, never a guess.
 */
#include "sysfence/launch/args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "sysfence/util.h"

/* Decimal digits only, no sign, no blanks, at most ARGS_WAIT_MAX. */
static int parse_seconds(const char *s, unsigned *out)
{
	unsigned v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > ARGS_WAIT_MAX)
			return -1;
	}
	*out = v;
	return 0;
}

int args_parse(int argc, char *const argv[], bool caller_is_root, struct launch_args *out,
	       char *why, size_t whylen)
{
	bool have_wait = false;
	int i = 1;

	memset(out, 0, sizeof(*out));
	out->action = ARGS_RUN;
	if (why && whylen)
		why[0] = '\0';
	if (argc < 1 || !argv || !argv[0])
		return util_fail(why, whylen, "refusing to run with an empty argument list");

	/* The informational actions stand alone. */
	if (argc == 2) {
		if (!strcmp(argv[1], "--features"))
			out->action = ARGS_FEATURES;
		else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
			out->action = ARGS_HELP;
		else if (!strcmp(argv[1], "--version"))
			out->action = ARGS_VERSION;
		if (out->action != ARGS_RUN)
			return 0;
	}

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "--wait")) {
			if (have_wait)
				return util_fail(why, whylen, "--wait given twice");
			if (i + 1 >= argc || parse_seconds(argv[i + 1], &out->wait_seconds))
				return util_fail(why, whylen,
						 "--wait needs a number of seconds from 0 to %u",
						 ARGS_WAIT_MAX);
			have_wait = true;
			i++;
		} else if (!strcmp(opt, "--profile-dir")) {
			if (out->profile_dir)
				return util_fail(why, whylen, "--profile-dir given twice");
			if (!caller_is_root)
				return util_fail(why, whylen,
						 "--profile-dir is only honoured for root");
			if (i + 1 >= argc || argv[i + 1][0] != '/')
				return util_fail(why, whylen,
						 "--profile-dir needs an absolute path");
			out->profile_dir = argv[++i];
		} else if (!strcmp(opt, "--features") || !strcmp(opt, "--help") ||
			   !strcmp(opt, "--version")) {
			return util_fail(why, whylen, "%s takes no other arguments", opt);
		} else {
			return util_fail(why, whylen, "unknown option '%s'", opt);
		}
	}

	if (i >= argc)
		return util_fail(why, whylen, "missing PROFILE");
	out->profile = argv[i++];
	if (!out->profile[0])
		return util_fail(why, whylen, "empty PROFILE");
	if (i >= argc || strcmp(argv[i], "--"))
		return util_fail(why, whylen, "expected '--' after PROFILE");
	i++;
	if (i >= argc)
		return util_fail(why, whylen, "missing PROGRAM after '--'");
	out->program_argv = &argv[i];
	return 0;
}
