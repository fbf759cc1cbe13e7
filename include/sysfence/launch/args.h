/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LAUNCH_ARGS_H
#define SYSFENCE_LAUNCH_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The launcher's command line, parsed strictly and without side effects:
 *   sysfence-launch [--wait SECONDS] [--profile-dir DIR] PROFILE -- PROGRAM [ARGS...]
 *   sysfence-launch --features | --help | --version
 */
enum args_action {
	ARGS_RUN,
	ARGS_FEATURES,
	ARGS_HELP,
	ARGS_VERSION,
};

/* --wait is bounded so a typo cannot park a launcher for a day. */
#define ARGS_WAIT_MAX 600u

struct launch_args {
	enum args_action action;
	const char *profile;	 /* NAME or PATH, as given */
	const char *profile_dir; /* NULL: the compiled-in trusted store */
	unsigned wait_seconds;
	char *const *program_argv; /* PROGRAM and its arguments, NULL-terminated */
};

/*
 * Parses argv[0..argc).  `caller_is_root` is whether the REAL uid is 0:
 * only then is --profile-dir honoured.  Returns 0, or -1 with a one-line
 * reason in why.  Never prints, never exits, keeps pointers into argv.
 */
int args_parse(int argc, char *const argv[], bool caller_is_root, struct launch_args *out,
	       char *why, size_t whylen);

#endif
